#include "in_memory_dispatch_store.h"

#include <algorithm>

namespace gridcare::dispatch {

core::Status InMemoryDispatchStore::Commit(const DispatchBatch& batch) {
  return CommitAll(std::span<const DispatchBatch>(&batch, 1));
}

core::Status InMemoryDispatchStore::CommitAll(std::span<const DispatchBatch> batches) {
  std::lock_guard lock(mutex_);
  if (failing_commits_ > 0) {
    --failing_commits_;
    return core::Unavailable("dispatch store unavailable (test)");
  }
  for (const auto& batch : batches) ApplyLocked(batch);
  return {};
}

void InMemoryDispatchStore::ApplyLocked(const DispatchBatch& batch) {
  for (const auto& entry : batch.journal) state_.journal.push_back(entry);
  for (const auto& [id, incident] : batch.incidents) state_.incidents[id] = incident;
  for (const auto& [id, order] : batch.work_orders) state_.work_orders[id] = order;
  for (const auto& [id, outage] : batch.planned_outages) state_.planned_outages[id] = outage;
  for (const auto& [id, incident] : batch.closed_incidents) {
    state_.incidents.erase(id);
    archived_incidents_[id] = incident;
  }
  for (const auto& [id, order] : batch.closed_work_orders) {
    state_.work_orders.erase(id);
    archived_work_orders_[id] = order;
  }
  for (const auto& [id, crews] : batch.declined) {
    if (crews.empty()) {
      state_.declined.erase(id);
    } else {
      state_.declined[id] = crews;
    }
  }
  for (const auto& [clock, steps] : batch.fired) {
    if (steps.empty()) {
      state_.fired.erase(clock);
    } else {
      state_.fired[clock] = steps;
    }
  }
  for (const auto& [owner, at] : batch.timers) {
    if (at) {
      timers_[owner] = *at;
    } else {
      timers_.erase(owner);
    }
  }
  if (!batch.outbox_id.empty()) {
    outboxes_[batch.outbox_id] = batch.records;
    if (batch.outbox_pending) pending_.insert(batch.outbox_id);
  }
}

core::Result<DispatchSnapshot> InMemoryDispatchStore::Load() {
  std::lock_guard lock(mutex_);
  return state_;
}

core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> InMemoryDispatchStore::Outbox(
    std::string_view outbox_id) {
  std::lock_guard lock(mutex_);
  auto it = outboxes_.find(std::string(outbox_id));
  if (it == outboxes_.end()) return std::optional<std::vector<kafka::OutgoingRecord>>{};
  return std::optional<std::vector<kafka::OutgoingRecord>>(it->second);
}

core::Result<std::vector<std::string>> InMemoryDispatchStore::PendingOutboxes() {
  std::lock_guard lock(mutex_);
  return std::vector<std::string>(pending_.begin(), pending_.end());
}

core::Status InMemoryDispatchStore::ForgetPending(const std::vector<std::string>& outbox_ids) {
  std::lock_guard lock(mutex_);
  for (const auto& id : outbox_ids) pending_.erase(id);
  return {};
}

core::Result<std::vector<std::string>> InMemoryDispatchStore::DueTimers(int64_t now_ms,
                                                                        int64_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<int64_t, std::string>> due;
  for (const auto& [owner, at] : timers_) {
    if (at <= now_ms) due.emplace_back(at, owner);
  }
  std::sort(due.begin(), due.end());
  std::vector<std::string> owners;
  for (const auto& [at, owner] : due) {
    if (static_cast<int64_t>(owners.size()) >= limit) break;
    owners.push_back(owner);
  }
  return owners;
}

void InMemoryDispatchStore::FailNextCommits(int count) {
  std::lock_guard lock(mutex_);
  failing_commits_ = count;
}

std::map<std::string, v1::Incident> InMemoryDispatchStore::archived_incidents() const {
  std::lock_guard lock(mutex_);
  return archived_incidents_;
}

std::map<std::string, int64_t> InMemoryDispatchStore::timers() const {
  std::lock_guard lock(mutex_);
  return timers_;
}

}  // namespace gridcare::dispatch
