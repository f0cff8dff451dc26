#include "gridcare/kafka/consumer.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <exception>
#include <map>

#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/event_decoding.h"
#include "gridcare/logging/log.h"
#include "rdkafka_message.h"

namespace gridcare::kafka {

HandleResult HandleResult::FromError(const core::Error& error, std::string retry_reason) {
  if (error.Retryable()) return Retry(std::move(retry_reason), error.ToString());
  return DeadLetter(DeadLetterReason::kPermanentError, retry_reason + ": " + error.ToString());
}

namespace {

std::vector<TopicPartition> Plain(const std::vector<RdKafka::TopicPartition*>& partitions) {
  std::vector<TopicPartition> plain;
  plain.reserve(partitions.size());
  for (const auto* partition : partitions) {
    plain.push_back({partition->topic(), partition->partition()});
  }
  return plain;
}

}  // namespace

struct ConsumerLoop::RebalanceListener final : public RdKafka::RebalanceCb {
  ConsumerLoop* loop = nullptr;

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    const std::vector<TopicPartition> given = Plain(partitions);
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      loop->handler_.OnPartitionsAssigned(given);  // state loaded before the first record
      consumer->assign(partitions);
      loop->assigned_partitions_.store(partitions.size());
      logging::Info("partitions assigned", {{"group", loop->settings_.group_id},
                                            {"count", std::to_string(partitions.size())}});
      return;
    }
    // Finish what we handled while we still own the partitions, so the next owner starts after it.
    loop->CompleteBatch();
    const RdKafka::ErrorCode commit = consumer->commitSync();
    if (commit != RdKafka::ERR_NO_ERROR && commit != RdKafka::ERR__NO_OFFSET) {
      // Normal during a rebalance (REBALANCE_IN_PROGRESS): the next owner may redeliver a little.
      logging::Warn("commit on revoke failed; redelivery expected",
                    {{"group", loop->settings_.group_id}, {"error", RdKafka::err2str(commit)}});
    }
    loop->handler_.OnPartitionsRevoked(given);
    consumer->unassign();
    loop->assigned_partitions_.store(0);
  }
};

ConsumerLoop::ConsumerLoop(ConsumerSettings settings, MessageHandler& handler,
                           EventPublisher& publisher, IdempotencyGuard* guard,
                           metrics::StageMetrics& metrics, const core::Clock& clock)
    : settings_(std::move(settings)),
      handler_(handler),
      publisher_(publisher),
      guard_(guard),
      metrics_(metrics),
      clock_(clock) {}

ConsumerLoop::~ConsumerLoop() {
  if (consumer_) consumer_->close();
}

core::Status ConsumerLoop::Start() {
  if (settings_.bootstrap_servers.empty()) {
    return core::InvalidArgument("kafka bootstrap servers are empty");
  }
  if (settings_.group_id.empty()) return core::InvalidArgument("consumer group id is empty");
  if (settings_.topics.empty()) return core::InvalidArgument("no topics to consume");

  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  ExtraConfig properties = DefaultConsumerConfig();
  properties["bootstrap.servers"] = settings_.bootstrap_servers;
  properties["group.id"] = settings_.group_id;
  if (!settings_.client_id.empty()) properties["client.id"] = settings_.client_id;
  for (const auto& [name, value] : settings_.extra) properties[name] = value;
  std::string error;
  for (const auto& [name, value] : properties) {
    if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
      return core::InvalidArgument("kafka property " + name + ": " + error);
    }
  }
  rebalance_listener_ = std::make_unique<RebalanceListener>();
  rebalance_listener_->loop = this;
  if (conf->set("rebalance_cb", rebalance_listener_.get(), error) != RdKafka::Conf::CONF_OK) {
    return core::Internal("cannot install rebalance callback: " + error);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer_) return core::InvalidArgument("cannot create kafka consumer: " + error);
  const RdKafka::ErrorCode err = consumer_->subscribe(settings_.topics);
  if (err != RdKafka::ERR_NO_ERROR) {
    return core::InvalidArgument("cannot subscribe: " + RdKafka::err2str(err));
  }
  started_.store(true);
  batch_started_ = std::chrono::steady_clock::now();
  last_lag_report_ = batch_started_;
  return {};
}

void ConsumerLoop::Run() {
  const size_t batch_limit =
      guard_ == nullptr ? std::max<size_t>(1, settings_.max_handler_batch) : 1;
  std::vector<ConsumedMessage> batch;
  while (!stop_.load()) {
    // The first message waits up to the poll timeout; the rest of a batch is only what librdkafka
    // has already fetched.
    batch.clear();
    while (batch.size() < batch_limit) {
      std::unique_ptr<RdKafka::Message> message(
          consumer_->consume(batch.empty() ? static_cast<int>(settings_.poll_timeout.count()) : 0));
      if (message->err() == RdKafka::ERR_NO_ERROR) {
        batch.push_back(detail::ToConsumedMessage(*message));
        continue;
      }
      if (message->err() != RdKafka::ERR__TIMED_OUT &&
          message->err() != RdKafka::ERR__PARTITION_EOF) {
        // Broker and transport errors are reported here but librdkafka recovers on its own.
        logging::Warn("consumer error",
                      {{"group", settings_.group_id}, {"error", message->errstr()}});
      }
      break;
    }
    if (batch_limit == 1) {
      if (!batch.empty()) ProcessOne(std::move(batch.front()));
    } else if (!batch.empty()) {
      ProcessBatch(batch);
    }
    const auto now = std::chrono::steady_clock::now();
    if (pending_count_ >= settings_.max_batch_messages ||
        (pending_count_ > 0 && now - batch_started_ >= settings_.max_batch_time)) {
      CompleteBatch();
    }
    if (now - last_lag_report_ >= settings_.lag_report_interval) {
      ReportLag();
      last_lag_report_ = now;
    }
  }
  CompleteBatch();
  const RdKafka::ErrorCode commit = consumer_->commitSync();
  if (commit != RdKafka::ERR_NO_ERROR && commit != RdKafka::ERR__NO_OFFSET) {
    logging::Warn("final commit failed",
                  {{"group", settings_.group_id}, {"error", RdKafka::err2str(commit)}});
  }
  consumer_->close();
  consumer_.reset();
  started_.store(false);
}

void ConsumerLoop::Stop() {
  stop_.store(true);
  std::lock_guard lock(sleep_mutex_);
  sleep_cv_.notify_all();
}

bool ConsumerLoop::SleepUnlessStopped(std::chrono::milliseconds duration) {
  std::unique_lock lock(sleep_mutex_);
  return !sleep_cv_.wait_for(lock, duration, [this] { return stop_.load(); });
}

std::string ConsumerLoop::EventIdOf(const ConsumedMessage& message) const {
  return SourceEventId(message);
}

bool ConsumerLoop::ApplyResult(const ConsumedMessage& message, const HandleResult& result,
                               double seconds, int attempt, const std::string& event_id) {
  auto mark_pending = [&](bool remember) {
    auto& partition = pending_[{message.topic, message.partition}];
    if (partition.first_offset < 0) partition.first_offset = message.offset;
    partition.last_offset = message.offset;
    if (remember) pending_ids_.push_back(event_id);
    ++pending_count_;
  };
  switch (result.disposition) {
    case HandleResult::Disposition::kDone:
      metrics_.ObserveProcessing(message.topic, seconds);
      handled_.fetch_add(1);
      mark_pending(true);
      return true;
    case HandleResult::Disposition::kDeadLetter: {
      auto status = publisher_.Publish(BuildDeadLetter(message, settings_.group_id, result.reason,
                                                       result.detail, clock_.Now(), attempt));
      if (!status.ok()) return false;  // parking failed: keep the message in play, not lose it
      metrics_.DeadLettered(message.topic, result.reason);
      logging::Warn("message dead-lettered", {{"group", settings_.group_id},
                                              {"topic", message.topic},
                                              {"partition", std::to_string(message.partition)},
                                              {"offset", std::to_string(message.offset)},
                                              {"reason", result.reason},
                                              {"detail", result.detail}});
      // Dead letters are not remembered, so replaying one from the dead-letter topic is handled
      // rather than skipped.
      mark_pending(false);
      return true;
    }
    case HandleResult::Disposition::kRetry:
      return false;
  }
  return false;
}

void ConsumerLoop::ProcessBatch(std::vector<ConsumedMessage>& messages) {
  for (const auto& message : messages) metrics_.Consumed(message.topic);
  rewound_.clear();
  size_t next = 0;
  while (next < messages.size()) {
    std::span<const ConsumedMessage> rest(messages.data() + next, messages.size() - next);
    if (pending_count_ == 0) batch_started_ = std::chrono::steady_clock::now();
    const auto started = std::chrono::steady_clock::now();
    std::vector<HandleResult> results;
    try {
      results = handler_.HandleBatch(rest);
    } catch (const std::exception& exception) {
      // Nothing is known to be done: each message goes through Handle, where it is retried or
      // dead-lettered on its own.
      logging::Warn("batch handler threw; handling one by one",
                    {{"group", settings_.group_id}, {"error", exception.what()}});
      results.clear();
    }
    if (results.size() > rest.size()) results.resize(rest.size());
    const double share =
        results.empty()
            ? 0
            : std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() /
                  static_cast<double>(results.size());
    size_t applied = 0;
    while (applied < results.size() &&
           ApplyResult(rest[applied], results[applied], share, 1, EventIdOf(rest[applied]))) {
      ++applied;
    }
    next += applied;
    if (next < messages.size()) {
      ProcessOne(messages[next], /*counted=*/true);
      ++next;
    }
    if (pending_count_ >= settings_.max_batch_messages) CompleteBatch();
    if (!rewound_.empty() && next < messages.size()) {
      // A partition went back to an earlier offset (a spent retry budget, a failed flush): the
      // messages still in hand would be handled out of turn. Give every one of them back; a
      // partition that was rewound already starts again at or before them.
      std::map<std::pair<std::string, int32_t>, int64_t> first_unhandled;
      for (size_t i = next; i < messages.size(); ++i) {
        const auto key = std::make_pair(messages[i].topic, messages[i].partition);
        if (!rewound_.contains(key)) first_unhandled.emplace(key, messages[i].offset);
      }
      for (const auto& [key, offset] : first_unhandled) Rewind(key.first, key.second, offset);
      return;
    }
  }
}

bool ConsumerLoop::ProcessOne(ConsumedMessage message, bool counted) {
  if (!counted) metrics_.Consumed(message.topic);
  if (pending_count_ == 0) batch_started_ = std::chrono::steady_clock::now();
  const std::string event_id = EventIdOf(message);

  if (guard_ != nullptr) {
    auto seen = guard_->Seen(event_id);
    bool duplicate = seen.ok() && *seen;
    // Also catch a duplicate inside the current, not yet remembered, batch.
    for (size_t i = 0; !duplicate && i < pending_ids_.size(); ++i) {
      duplicate = pending_ids_[i] == event_id;
    }
    if (duplicate) {
      metrics_.Duplicate(message.topic);
      auto& partition = pending_[{message.topic, message.partition}];
      if (partition.first_offset < 0) partition.first_offset = message.offset;
      partition.last_offset = message.offset;
      ++pending_count_;
      return true;
    }
    if (!seen.ok()) {
      // Cannot tell: handle anyway (effects are idempotent) rather than stall the stream.
      metrics_.Failed(message.topic, "idempotency_check_failed");
    }
  }

  auto backoff = settings_.retry_initial_backoff;
  const auto first_attempt = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    HandleResult result;
    try {
      result = handler_.Handle(message);
    } catch (const std::exception& exception) {
      result = HandleResult::DeadLetter(DeadLetterReason::kHandlerException, exception.what());
    } catch (...) {
      result = HandleResult::DeadLetter(DeadLetterReason::kHandlerException, "unknown exception");
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (ApplyResult(message, result, seconds, attempt, event_id)) {
      retrying_.store(false);
      return true;
    }
    if (result.disposition == HandleResult::Disposition::kDeadLetter) {
      result =
          HandleResult::Retry("dead_letter_publish_failed", "the dead letter could not be queued");
    }

    metrics_.Failed(message.topic, result.reason);
    retrying_.store(true);
    if (std::chrono::steady_clock::now() - first_attempt >= settings_.retry_budget ||
        stop_.load()) {
      // Give the partition back to polling (heartbeats, rebalances, shutdown) and meet this
      // message again from the same offset.
      logging::Warn("retry budget spent; rewinding partition",
                    {{"group", settings_.group_id},
                     {"topic", message.topic},
                     {"partition", std::to_string(message.partition)},
                     {"offset", std::to_string(message.offset)},
                     {"reason", result.reason}});
      CompleteBatch();
      Rewind(message.topic, message.partition, message.offset);
      return false;
    }
    if (attempt == 1 || attempt % 10 == 0) {
      logging::Warn("retryable failure; backing off", {{"group", settings_.group_id},
                                                       {"topic", message.topic},
                                                       {"reason", result.reason},
                                                       {"detail", result.detail},
                                                       {"attempt", std::to_string(attempt)}});
    }
    if (!SleepUnlessStopped(backoff)) continue;  // stopping: one last attempt, then rewind
    backoff = std::min(backoff * 2, settings_.retry_max_backoff);
  }
}

void ConsumerLoop::CompleteBatch() {
  if (pending_count_ == 0) return;
  auto status = publisher_.Flush(settings_.flush_timeout);
  if (!status.ok()) {
    // Effects are not durable: hand the whole batch back; idempotent handling absorbs the replay.
    logging::Warn("publish flush failed; replaying batch",
                  {{"group", settings_.group_id}, {"error", status.error().ToString()}});
    for (const auto& [key, partition] : pending_) {
      metrics_.Failed(key.first, "publish_flush_failed");
      Rewind(key.first, key.second, partition.first_offset);
    }
  } else {
    if (guard_ != nullptr) {
      if (auto remembered = guard_->Remember(pending_ids_); !remembered.ok()) {
        logging::Warn("cannot remember processed ids; a redelivery would be re-applied",
                      {{"group", settings_.group_id}, {"error", remembered.error().ToString()}});
      }
    }
    std::vector<RdKafka::TopicPartition*> offsets;
    offsets.reserve(pending_.size());
    for (const auto& [key, partition] : pending_) {
      offsets.push_back(
          RdKafka::TopicPartition::create(key.first, key.second, partition.last_offset + 1));
    }
    const RdKafka::ErrorCode err = consumer_->offsets_store(offsets);
    if (err != RdKafka::ERR_NO_ERROR) {
      // Typically a partition revoked meanwhile; its next owner starts at the last commit.
      logging::Warn("offsets_store failed",
                    {{"group", settings_.group_id}, {"error", RdKafka::err2str(err)}});
    }
    RdKafka::TopicPartition::destroy(offsets);
  }
  pending_.clear();
  pending_ids_.clear();
  pending_count_ = 0;
  batch_started_ = std::chrono::steady_clock::now();
}

void ConsumerLoop::Rewind(const std::string& topic, int32_t partition, int64_t offset) {
  rewound_.insert({topic, partition});
  std::unique_ptr<RdKafka::TopicPartition> position(
      RdKafka::TopicPartition::create(topic, partition, offset));
  const RdKafka::ErrorCode err = consumer_->seek(*position, 5'000);
  if (err != RdKafka::ERR_NO_ERROR) {
    logging::Warn("seek failed; redelivery will come from the last commit",
                  {{"group", settings_.group_id},
                   {"topic", topic},
                   {"partition", std::to_string(partition)},
                   {"error", RdKafka::err2str(err)}});
  }
}

void ConsumerLoop::ReportLag() {
  std::vector<RdKafka::TopicPartition*> partitions;
  if (consumer_->assignment(partitions) != RdKafka::ERR_NO_ERROR) return;
  consumer_->position(partitions);
  for (auto* partition : partitions) {
    int64_t low = 0, high = 0;
    if (consumer_->get_watermark_offsets(partition->topic(), partition->partition(), &low, &high) !=
            RdKafka::ERR_NO_ERROR ||
        high < 0) {
      continue;
    }
    const int64_t position = partition->offset() >= 0 ? partition->offset() : low;
    metrics_.SetLag(partition->topic(), partition->partition(),
                    std::max<int64_t>(0, high - position));
  }
  RdKafka::TopicPartition::destroy(partitions);
}

}  // namespace gridcare::kafka
