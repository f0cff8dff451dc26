#include "fake_delivery_store.h"

#include <google/protobuf/util/time_util.h>

#include <chrono>

namespace gridcare::notification {
namespace {

core::Error Down() { return core::Unavailable("notification delivery store unavailable (test)"); }

}  // namespace

bool FakeDeliveryStore::Failing() {
  if (failing_ <= 0) return false;
  --failing_;
  return true;
}

void FakeDeliveryStore::Queue(const std::string& id, int64_t due_ms) {
  Dequeue(id);
  due_[id] = due_ms;
  order_.emplace(due_ms, id);
}

void FakeDeliveryStore::Dequeue(const std::string& id) {
  const auto found = due_.find(id);
  if (found == due_.end()) return;
  order_.erase({found->second, id});
  due_.erase(found);
}

core::Result<std::vector<bool>> FakeDeliveryStore::Enqueue(
    const std::vector<v1::StoredNotification>& records) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].notification_id().empty()) {
      return core::InvalidArgument("notification record " + std::to_string(i) +
                                   " of the batch has no notification_id");
    }
  }
  std::lock_guard lock(mutex_);
  if (Failing()) return Down();
  std::vector<bool> created;
  created.reserve(records.size());
  for (const auto& record : records) {
    const bool is_new = records_.emplace(record.notification_id(), record).second;
    if (is_new) {
      Queue(record.notification_id(),
            google::protobuf::util::TimeUtil::TimestampToMilliseconds(record.due_at()));
    }
    created.push_back(is_new);
  }
  return created;
}

core::Result<std::vector<v1::StoredNotification>> FakeDeliveryStore::ClaimDue(
    core::TimePoint now, int limit, core::Duration lease) {
  if (lease < core::Duration::zero()) {
    return core::InvalidArgument("a claim's lease must not be negative");
  }
  std::lock_guard lock(mutex_);
  if (Failing()) return Down();
  std::vector<v1::StoredNotification> claimed;
  if (limit <= 0) return claimed;
  const int64_t now_ms = core::ToUnixMillis(now);
  const int64_t lease_end_ms = now_ms + std::chrono::ceil<std::chrono::milliseconds>(lease).count();
  std::vector<std::string> due_ids;
  for (const auto& [due_ms, id] : order_) {
    if (due_ms > now_ms || static_cast<int>(due_ids.size()) >= limit) break;
    due_ids.push_back(id);
  }
  for (const auto& id : due_ids) {
    const auto record = records_.find(id);
    if (record == records_.end()) {
      Dequeue(id);
      continue;
    }
    Queue(id, lease_end_ms);
    claimed.push_back(record->second);
  }
  return claimed;
}

core::Status FakeDeliveryStore::Save(const v1::StoredNotification& record,
                                     std::optional<core::TimePoint> next_due) {
  const std::string& id = record.notification_id();
  if (id.empty()) return core::InvalidArgument("a notification record to save needs its id");
  std::lock_guard lock(mutex_);
  if (Failing()) return Down();
  records_[id] = record;
  if (next_due) {
    Queue(id, core::ToUnixMillis(*next_due));
  } else {
    Dequeue(id);
  }
  return {};
}

core::Result<std::optional<v1::StoredNotification>> FakeDeliveryStore::Get(
    const std::string& notification_id) {
  std::lock_guard lock(mutex_);
  if (Failing()) return Down();
  const auto found = records_.find(notification_id);
  if (found == records_.end()) return std::optional<v1::StoredNotification>{};
  return std::optional<v1::StoredNotification>(found->second);
}

core::Result<std::optional<std::string>> FakeDeliveryStore::GetMemo(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (Failing()) return Down();
  const auto found = memos_.find(key);
  if (found == memos_.end()) return std::optional<std::string>{};
  return std::optional<std::string>(found->second.value);
}

core::Status FakeDeliveryStore::PutMemo(const std::string& key, const std::string& value,
                                        core::Duration ttl) {
  if (ttl <= core::Duration::zero()) return core::InvalidArgument("a memo's TTL must be positive");
  std::lock_guard lock(mutex_);
  if (Failing()) return Down();
  memos_[key] = Memo{value, ttl};
  return {};
}

core::Result<int64_t> FakeDeliveryStore::QueuedCount() {
  std::lock_guard lock(mutex_);
  if (Failing()) return Down();
  return static_cast<int64_t>(due_.size());
}

void FakeDeliveryStore::FailNext(int count) {
  std::lock_guard lock(mutex_);
  failing_ = count;
}

void FakeDeliveryStore::ExpireRecord(const std::string& notification_id) {
  std::lock_guard lock(mutex_);
  records_.erase(notification_id);
}

std::map<std::string, int64_t> FakeDeliveryStore::queue() const {
  std::lock_guard lock(mutex_);
  return {due_.begin(), due_.end()};
}

size_t FakeDeliveryStore::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

std::optional<core::Duration> FakeDeliveryStore::memo_ttl(const std::string& key) const {
  std::lock_guard lock(mutex_);
  const auto found = memos_.find(key);
  if (found == memos_.end()) return std::nullopt;
  return found->second.ttl;
}

}  // namespace gridcare::notification
