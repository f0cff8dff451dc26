#include "fake_case_store.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace gridcare::complaint {
namespace {

/// Ordered as a Redis sorted set orders its members: by score, then by member bytes.
std::vector<std::string> ByScore(const std::map<std::string, int64_t>& members, int64_t max_score) {
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto& [id, score] : members) {
    if (score <= max_score) sorted.emplace_back(score, id);
  }
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> ids;
  ids.reserve(sorted.size());
  for (auto& [score, id] : sorted) ids.push_back(std::move(id));
  return ids;
}

/// [offset, offset + limit) of `ids`; a negative limit means "to the end" (as Redis's LIMIT).
std::vector<std::string> Slice(const std::vector<std::string>& ids, int64_t offset, int64_t limit) {
  std::vector<std::string> slice;
  for (int64_t i = std::max<int64_t>(offset, 0); i < static_cast<int64_t>(ids.size()); ++i) {
    if (limit >= 0 && static_cast<int64_t>(slice.size()) >= limit) break;
    slice.push_back(ids[static_cast<size_t>(i)]);
  }
  return slice;
}

}  // namespace

bool FakeCaseStore::Failing(int& remaining) {
  if (remaining <= 0) return false;
  --remaining;
  return true;
}

core::Result<std::optional<v1::StoredCase>> FakeCaseStore::Load(std::string_view case_id) {
  std::lock_guard lock(mutex_);
  if (Failing(failing_loads_)) return core::Unavailable("complaint case store unavailable (test)");
  const auto found = cases_.find(case_id);
  if (found == cases_.end()) return std::optional<v1::StoredCase>{};
  return std::optional<v1::StoredCase>(found->second);
}

core::Result<std::vector<v1::StoredCase>> FakeCaseStore::LoadMany(
    const std::vector<std::string>& ids) {
  std::lock_guard lock(mutex_);
  if (Failing(failing_loads_)) return core::Unavailable("complaint case store unavailable (test)");
  std::vector<v1::StoredCase> cases;
  for (const auto& id : ids) {
    const auto found = cases_.find(id);
    if (found != cases_.end()) cases.push_back(found->second);
  }
  return cases;
}

core::Status FakeCaseStore::Commit(const CaseCommit& commit) {
  const auto& c = commit.stored.complaint_case();
  const std::string& id = c.case_id();
  if (id.empty()) return core::InvalidArgument("a case to store needs a case_id");
  std::lock_guard lock(mutex_);
  if (Failing(failing_commits_)) {
    return core::Unavailable("complaint case store unavailable (test)");
  }
  cases_[id] = commit.stored;
  if (commit.timer_ms) {
    timers_[id] = *commit.timer_ms;
  } else {
    timers_.erase(id);
  }
  if (!commit.previous_department_id.empty() &&
      commit.previous_department_id != c.department_id()) {
    open_[commit.previous_department_id].erase(id);
  }
  for (const std::string& department : {c.department_id(), std::string()}) {
    if (commit.first_due_ms) {
      open_[department][id] = *commit.first_due_ms;
    } else {
      open_[department].erase(id);
    }
  }
  if (!commit.records.empty() && !commit.outbox_id.empty()) {
    outboxes_[commit.outbox_id] = commit.records;
    if (commit.outbox_pending) pending_.insert(commit.outbox_id);
  }
  ++commits_;
  return {};
}

core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> FakeCaseStore::Outbox(
    std::string_view outbox_id) {
  std::lock_guard lock(mutex_);
  const auto found = outboxes_.find(outbox_id);
  if (found == outboxes_.end()) return std::optional<std::vector<kafka::OutgoingRecord>>{};
  return std::optional<std::vector<kafka::OutgoingRecord>>(found->second);
}

core::Result<std::vector<std::string>> FakeCaseStore::PendingOutboxes(int64_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& id : pending_) {
    if (static_cast<int64_t>(ids.size()) >= limit) break;
    ids.push_back(id);
  }
  return ids;
}

core::Status FakeCaseStore::ForgetPending(const std::vector<std::string>& outbox_ids) {
  std::lock_guard lock(mutex_);
  for (const auto& id : outbox_ids) pending_.erase(id);
  return {};
}

core::Result<std::vector<std::string>> FakeCaseStore::DueTimers(int64_t now_ms, int64_t limit) {
  std::lock_guard lock(mutex_);
  const std::map<std::string, int64_t> timers(timers_.begin(), timers_.end());
  return Slice(ByScore(timers, now_ms), 0, limit);
}

core::Result<CaseStore::Page> FakeCaseStore::OpenCases(std::string_view department_id,
                                                       int64_t offset, int64_t limit) {
  std::lock_guard lock(mutex_);
  Page page;
  const auto found = open_.find(department_id);
  if (found == open_.end()) return page;
  const auto ids = ByScore(found->second, std::numeric_limits<int64_t>::max());
  page.total = static_cast<int64_t>(ids.size());
  page.ids = Slice(ids, offset, limit);
  return page;
}

void FakeCaseStore::FailNextCommits(int count) {
  std::lock_guard lock(mutex_);
  failing_commits_ = count;
}

void FakeCaseStore::FailNextLoads(int count) {
  std::lock_guard lock(mutex_);
  failing_loads_ = count;
}

int FakeCaseStore::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

std::map<std::string, int64_t> FakeCaseStore::timers() const {
  std::lock_guard lock(mutex_);
  return {timers_.begin(), timers_.end()};
}

std::set<std::string> FakeCaseStore::pending() const {
  std::lock_guard lock(mutex_);
  return pending_;
}

size_t FakeCaseStore::size() const {
  std::lock_guard lock(mutex_);
  return cases_.size();
}

}  // namespace gridcare::complaint
