#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "acked_publisher.h"

namespace gridcare::repair_crew {

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
