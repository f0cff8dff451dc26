#include "gridcare/kafka/idempotency.h"

namespace gridcare::kafka {

core::Result<bool> InMemoryIdempotencyGuard::Seen(std::string_view event_id) {
  std::lock_guard lock(mutex_);
  return ids_.count(std::string(event_id)) > 0;
}

core::Status InMemoryIdempotencyGuard::Remember(const std::vector<std::string>& event_ids) {
  std::lock_guard lock(mutex_);
  for (const auto& id : event_ids) {
    if (!ids_.insert(id).second) continue;
    order_.push_back(id);
    if (order_.size() > capacity_) {
      ids_.erase(order_.front());
      order_.pop_front();
    }
  }
  return {};
}

}  // namespace gridcare::kafka
