#include "gridcare/kafka/publisher.h"

namespace gridcare::kafka {

core::Status RecordingPublisher::Publish(OutgoingRecord record) {
  if (record.topic.empty()) return core::InvalidArgument("record has no topic");
  std::lock_guard lock(mutex_);
  records_.push_back(std::move(record));
  return {};
}

core::Status RecordingPublisher::Flush(std::chrono::milliseconds) {
  std::lock_guard lock(mutex_);
  if (failing_flushes_ > 0) {
    --failing_flushes_;
    return core::Unavailable("simulated delivery failure");
  }
  return {};
}

std::vector<OutgoingRecord> RecordingPublisher::records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

std::vector<OutgoingRecord> RecordingPublisher::RecordsOn(std::string_view topic) const {
  std::lock_guard lock(mutex_);
  std::vector<OutgoingRecord> out;
  for (const auto& record : records_) {
    if (record.topic == topic) out.push_back(record);
  }
  return out;
}

void RecordingPublisher::Clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
}

void RecordingPublisher::FailNextFlushes(int count) {
  std::lock_guard lock(mutex_);
  failing_flushes_ = count;
}

}  // namespace gridcare::kafka
