#pragma once

#include <chrono>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"
#include "gridcare/kafka/producer.h"

namespace gridcare::repair_crew {

/// Publishes one record and waits for the broker's acknowledgement of that record alone (the port;
/// the recording fake is in tests/support/repair_crew). Crew app
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

}  // namespace gridcare::repair_crew
