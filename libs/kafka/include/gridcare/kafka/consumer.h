#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/kafka/client_config.h"
#include "gridcare/kafka/dead_letter_reasons.h"
#include "gridcare/kafka/idempotency.h"
#include "gridcare/kafka/message.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/metrics/stage_metrics.h"

namespace RdKafka {
class KafkaConsumer;
}

namespace gridcare::kafka {

/// What a handler decided about one message.
struct HandleResult {
  enum class Disposition {
    kDone,        // effects applied (or nothing to do)
    kRetry,       // an environment failure (Redis down, profile service unavailable): try again
    kDeadLetter,  // poison: this message can never be processed; park it with the reason
  };
  Disposition disposition = Disposition::kDone;
  /// Short machine code for metrics and headers: a retry's own reason (e.g. "redis_error"), or a
  /// dead letter's ReasonCode (one list: dead_letter_reasons.h).
  std::string reason;
  std::string detail;  // for humans; no personal data

  static HandleResult Done() { return {}; }
  static HandleResult Retry(std::string reason, std::string detail = {}) {
    return {Disposition::kRetry, std::move(reason), std::move(detail)};
  }
  static HandleResult DeadLetter(DeadLetterReason reason, std::string detail = {}) {
    return {Disposition::kDeadLetter, std::string(ReasonCode(reason)), std::move(detail)};
  }
  /// Retry (with `retry_reason`) when the error is retryable; otherwise a dead letter for
  /// kPermanentError whose detail names `retry_reason` and the error.
  static HandleResult FromError(const core::Error& error, std::string retry_reason);
};

/// One partition of a topic, as a consumer is given or gives it up.
struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  bool operator==(const TopicPartition&) const = default;
};

/// A service's reaction to one consumed message. Called on the consumer thread only. Effects go to
/// stores and to the EventPublisher given to the loop; they count as durable after the loop's
/// next successful flush.
class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  virtual HandleResult Handle(const ConsumedMessage& message) = 0;
  /// Handles several messages at once, in order (only when ConsumerSettings::max_handler_batch >
  /// 1). Returns the results of a prefix of `messages`, of any length; the loop takes the next
  /// message through Handle (retrying it as usual) and offers the rest again. A message whose
  /// result is not returned must have left no effect that a redelivery would not repeat.
  /// The default returns none: every message goes through Handle.
  virtual std::vector<HandleResult> HandleBatch(std::span<const ConsumedMessage> messages) {
    (void)messages;
    return {};
  }
  /// The group gave this consumer `partitions` (a rebalance: start, scale up or down, a member
  /// gone): called before any of their records is handled, so a handler that keeps state per
  /// partition loads it here. The default does nothing.
  virtual void OnPartitionsAssigned(std::span<const TopicPartition> partitions) {
    (void)partitions;
  }
  /// The consumer gives `partitions` up, after completing and committing what it handled of them
  /// (or before they are lost, when the group already moved them): from now on the handler must
  /// not touch their state, another member owns it. The default does nothing.
  virtual void OnPartitionsRevoked(std::span<const TopicPartition> partitions) { (void)partitions; }
};

struct ConsumerSettings {
  std::string bootstrap_servers;
  std::string group_id;  // also names the dead-letter topic: gridcare.dlq.<group>.v1
  std::string client_id;
  std::vector<std::string> topics;
  /// Effects are flushed and offsets stored after this many messages or this much time.
  size_t max_batch_messages = 500;
  std::chrono::milliseconds max_batch_time{200};
  std::chrono::milliseconds poll_timeout{100};
  /// Up to this many messages already fetched are taken at once and offered to
  /// MessageHandler::HandleBatch. 1: one at a time through Handle. Ignored with an
  /// IdempotencyGuard, which checks one message at a time.
  size_t max_handler_batch = 1;
  /// Backoff between attempts at a retryable failure, doubling up to the maximum.
  std::chrono::milliseconds retry_initial_backoff{100};
  std::chrono::milliseconds retry_max_backoff{5'000};
  /// After this long retrying one message, the loop rewinds its partition and goes back to polling
  /// (so the group does not evict it); the message comes around again. It is never dropped.
  std::chrono::milliseconds retry_budget{30'000};
  std::chrono::milliseconds flush_timeout{30'000};
  std::chrono::milliseconds lag_report_interval{5'000};
  ExtraConfig extra;  // wins over DefaultConsumerConfig()
};

/// Runs one Kafka consumer in a group: poll, de-duplicate, handle, retry with backoff, dead-letter
/// poison, then, per batch, flush the publisher (effects durable) before storing offsets, which
/// librdkafka commits. On a rebalance the pending batch is completed and committed before the
/// partitions are given up. At-least-once: redelivery after a crash or rebalance is expected and
/// absorbed by the IdempotencyGuard and idempotent effects.
///
/// Lifetime: construct, Start(), Run() on a dedicated thread, Stop() from any thread; the handler,
/// publisher, guard, metrics and clock must outlive the loop.
class ConsumerLoop {
 public:
  ConsumerLoop(ConsumerSettings settings, MessageHandler& handler, EventPublisher& publisher,
               IdempotencyGuard* guard, metrics::StageMetrics& metrics, const core::Clock& clock);
  ~ConsumerLoop();
  ConsumerLoop(const ConsumerLoop&) = delete;
  ConsumerLoop& operator=(const ConsumerLoop&) = delete;

  /// Creates the consumer and subscribes. INVALID_ARGUMENT on configuration librdkafka rejects.
  core::Status Start();
  /// Consumes until Stop(); then completes the pending batch, commits and leaves the group.
  void Run();
  /// Thread-safe; wakes a backoff sleep.
  void Stop();

  /// True after Start() while the loop is not stuck retrying a message.
  bool Ready() const { return started_.load() && !retrying_.load(); }
  int64_t handled() const { return handled_.load(); }
  size_t assigned_partitions() const { return assigned_partitions_.load(); }

  struct RebalanceListener;  // librdkafka callback; public only so the .cpp can define it

 private:
  struct PendingPartition {
    int64_t first_offset = -1;
    int64_t last_offset = -1;
  };

  /// Handles one message, retrying it; false when it gave its partition back (rewound) instead.
  /// `counted`: already counted as consumed (by ProcessBatch).
  bool ProcessOne(ConsumedMessage message, bool counted = false);
  /// Offers `messages` (consumed in this order) to HandleBatch, the rest one by one.
  void ProcessBatch(std::vector<ConsumedMessage>& messages);
  /// Applies one message's final result (done or dead letter). False when a dead letter could
  /// not be published: the message is still in play.
  bool ApplyResult(const ConsumedMessage& message, const HandleResult& result, double seconds,
                   int attempt, const std::string& event_id);
  /// Flushes effects; on success remembers ids and stores offsets, else rewinds the batch.
  void CompleteBatch();
  void Rewind(const std::string& topic, int32_t partition, int64_t offset);
  void ReportLag();
  bool SleepUnlessStopped(std::chrono::milliseconds duration);
  std::string EventIdOf(const ConsumedMessage& message) const;

  ConsumerSettings settings_;
  MessageHandler& handler_;
  EventPublisher& publisher_;
  IdempotencyGuard* guard_;
  metrics::StageMetrics& metrics_;
  const core::Clock& clock_;

  std::map<std::pair<std::string, int32_t>, PendingPartition> pending_;
  std::vector<std::string> pending_ids_;
  size_t pending_count_ = 0;
  std::chrono::steady_clock::time_point batch_started_;
  std::chrono::steady_clock::time_point last_lag_report_;

  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};
  std::atomic<bool> retrying_{false};
  std::atomic<int64_t> handled_{0};
  // Partitions sought back while ProcessBatch works through its messages.
  std::set<std::pair<std::string, int32_t>> rewound_;
  std::atomic<size_t> assigned_partitions_{0};
  std::mutex sleep_mutex_;
  std::condition_variable sleep_cv_;

  std::unique_ptr<RebalanceListener> rebalance_listener_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;  // last: destroyed first
};

/// Adapts a function to MessageHandler.
template <typename Function>
class FunctionHandler final : public MessageHandler {
 public:
  explicit FunctionHandler(Function function) : function_(std::move(function)) {}
  HandleResult Handle(const ConsumedMessage& message) override { return function_(message); }

 private:
  Function function_;
};

}  // namespace gridcare::kafka
