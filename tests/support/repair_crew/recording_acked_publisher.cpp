#include "recording_acked_publisher.h"

namespace gridcare::repair_crew {

core::Status RecordingAckedPublisher::PublishAndWait(kafka::OutgoingRecord record,
                                                     std::chrono::milliseconds timeout) {
  std::lock_guard lock(mutex_);
  last_timeout_ = timeout;
  if (failing_ > 0) {
    --failing_;
    return core::Unavailable("simulated broker outage");
  }
  records_.push_back(std::move(record));
  return {};
}

std::vector<kafka::OutgoingRecord> RecordingAckedPublisher::records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

void RecordingAckedPublisher::Clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
}

void RecordingAckedPublisher::FailNext(int count) {
  std::lock_guard lock(mutex_);
  failing_ = count;
}

std::chrono::milliseconds RecordingAckedPublisher::last_timeout() const {
  std::lock_guard lock(mutex_);
  return last_timeout_;
}

}  // namespace gridcare::repair_crew
