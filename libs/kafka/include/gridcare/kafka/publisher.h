#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"

namespace gridcare::kafka {

/// Where services put the events they produce. The Kafka implementation is KafkaProducer; tests
/// use RecordingPublisher.
class EventPublisher {
 public:
  virtual ~EventPublisher() = default;

  /// Queues `record` for delivery and returns without waiting. RESOURCE_EXHAUSTED (retryable) when
  /// the local queue stays full; INVALID_ARGUMENT for a record that can never be sent.
  virtual core::Status Publish(OutgoingRecord record) = 0;

  /// Waits until everything queued so far is acknowledged. OK only if no delivery failed since the
  /// previous Flush: callers treat their effects as durable only after an OK Flush.
  virtual core::Status Flush(std::chrono::milliseconds timeout) = 0;
};

/// In-memory publisher for unit tests: keeps every record; can be told to fail. Thread-safe.
class RecordingPublisher final : public EventPublisher {
 public:
  core::Status Publish(OutgoingRecord record) override;
  core::Status Flush(std::chrono::milliseconds timeout) override;

  /// Records published (and, once flushed, delivered) so far.
  std::vector<OutgoingRecord> records() const;
  std::vector<OutgoingRecord> RecordsOn(std::string_view topic) const;
  void Clear();
  /// The next `count` Flush calls fail with UNAVAILABLE (simulates a broker outage).
  void FailNextFlushes(int count);

 private:
  mutable std::mutex mutex_;
  std::vector<OutgoingRecord> records_;
  int failing_flushes_ = 0;
};

}  // namespace gridcare::kafka
