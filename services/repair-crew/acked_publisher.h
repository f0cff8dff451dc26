#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"
#include "gridcare/kafka/producer.h"

namespace gridcare::repair_crew {

/// Publishes one record and waits for the broker's acknowledgement of that record alone. Crew app
/// commands answer OK only after this succeeds; a Flush() would also wait for (and could report
/// the failures of) other callers' records. Implementations are thread-safe.
class AckedPublisher {
 public:
  virtual ~AckedPublisher() = default;
  virtual core::Status PublishAndWait(kafka::OutgoingRecord record,
                                      std::chrono::milliseconds timeout) = 0;
};

/// Over the kit's KafkaProducer, which must outlive it.
class KafkaAckedPublisher final : public AckedPublisher {
 public:
  explicit KafkaAckedPublisher(kafka::KafkaProducer& producer) : producer_(producer) {}
  core::Status PublishAndWait(kafka::OutgoingRecord record,
                              std::chrono::milliseconds timeout) override {
    return producer_.PublishAndWait(std::move(record), timeout);
  }

 private:
  kafka::KafkaProducer& producer_;
};

/// Keeps every acknowledged record; can be told to fail (a broker outage). For unit tests.
class RecordingAckedPublisher final : public AckedPublisher {
 public:
  core::Status PublishAndWait(kafka::OutgoingRecord record,
                              std::chrono::milliseconds timeout) override;
  std::vector<kafka::OutgoingRecord> records() const;
  void Clear();
  /// The next `count` publications fail with UNAVAILABLE and are not recorded.
  void FailNext(int count);
  /// The timeout of the last call (deadline tests).
  std::chrono::milliseconds last_timeout() const;

 private:
  mutable std::mutex mutex_;
  std::vector<kafka::OutgoingRecord> records_;
  int failing_ = 0;
  std::chrono::milliseconds last_timeout_{0};
};

}  // namespace gridcare::repair_crew
