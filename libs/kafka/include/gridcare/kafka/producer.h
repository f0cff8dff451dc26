#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "gridcare/core/error.h"
#include "gridcare/kafka/client_config.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/metrics/stage_metrics.h"

namespace RdKafka {
class Producer;
}

namespace gridcare::kafka {

struct ProducerSettings {
  std::string bootstrap_servers;
  std::string client_id;
  ExtraConfig extra;  // wins over DefaultProducerConfig()
};

/// EventPublisher over librdkafka: idempotent producer, delivery reports counted in the stage
/// metrics (published / publish_failed per topic), background polling for delivery reports, and a
/// flush on destruction so a SIGTERM loses nothing that was queued. Thread-safe.
class KafkaProducer final : public EventPublisher {
 public:
  /// Fails fast (INVALID_ARGUMENT) on configuration librdkafka rejects. `metrics` may be null and
  /// must outlive the producer.
  static core::Result<std::unique_ptr<KafkaProducer>> Create(const ProducerSettings& settings,
                                                             metrics::StageMetrics* metrics);
  ~KafkaProducer() override;

  core::Status Publish(OutgoingRecord record) override;
  core::Status Flush(std::chrono::milliseconds timeout) override;

  /// Publishes and waits for this record's acknowledgement (interactive paths such as
  /// IntakeService.Submit, which must not answer before the ticket event is durable).
  core::Status PublishAndWait(OutgoingRecord record, std::chrono::milliseconds timeout);

  /// The partition count of `topic` (NOT_FOUND when the cluster has no such topic; asking never
  /// creates it): for records that name their partition.
  core::Result<int32_t> PartitionCount(const std::string& topic, std::chrono::milliseconds timeout);

  int64_t delivered() const { return delivered_.load(); }
  int64_t failed() const { return failed_.load(); }

  struct DeliveryReporter;  // librdkafka callback; public only so the .cpp can define it

 private:
  KafkaProducer() = default;
  core::Status Produce(OutgoingRecord& record, void* opaque);

  std::unique_ptr<DeliveryReporter> reporter_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> failures_reported_by_flush_{0};
  std::atomic<bool> stop_{false};
  std::thread poller_;  // last: stops first
};

}  // namespace gridcare::kafka
