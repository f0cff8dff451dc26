#pragma once

// DeskTestStore: a minimal in-memory CaseStore for the desk's HTTP tests only. The shared fake of
// the port (tests/support/complaint, with the contract suite) replaces it once it exists.

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "case_store.h"

namespace gridcare::complaint::testing {

class DeskTestStore final : public CaseStore {
 public:
  core::Result<std::optional<v1::StoredCase>> Load(std::string_view case_id) override {
    std::lock_guard lock(mutex_);
    auto it = cases_.find(std::string(case_id));
    if (it == cases_.end()) return std::optional<v1::StoredCase>();
    return std::optional<v1::StoredCase>(it->second);
  }

  core::Result<std::vector<v1::StoredCase>> LoadMany(const std::vector<std::string>& ids) override {
    std::lock_guard lock(mutex_);
    std::vector<v1::StoredCase> out;
    for (const auto& id : ids) {
      if (auto it = cases_.find(id); it != cases_.end()) out.push_back(it->second);
    }
    return out;
  }

  core::Status Commit(const CaseCommit& commit) override {
    std::lock_guard lock(mutex_);
    const std::string& id = commit.stored.complaint_case().case_id();
    cases_[id] = commit.stored;
    if (commit.timer_ms) {
      timers_[id] = *commit.timer_ms;
    } else {
      timers_.erase(id);
    }
    if (commit.first_due_ms) {
      open_[id] = {commit.stored.complaint_case().department_id(), *commit.first_due_ms};
    } else {
      open_.erase(id);
    }
    outboxes_[commit.outbox_id] = commit.records;
    if (commit.outbox_pending) pending_.insert(commit.outbox_id);
    ++commits_;
    return core::Status::Ok();
  }

  core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) override {
    std::lock_guard lock(mutex_);
    auto it = outboxes_.find(std::string(outbox_id));
    if (it == outboxes_.end()) return std::optional<std::vector<kafka::OutgoingRecord>>();
    return std::optional<std::vector<kafka::OutgoingRecord>>(it->second);
  }

  core::Result<std::vector<std::string>> PendingOutboxes(int64_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out(pending_.begin(), pending_.end());
    if (static_cast<int64_t>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  }

  core::Status ForgetPending(const std::vector<std::string>& outbox_ids) override {
    std::lock_guard lock(mutex_);
    for (const auto& id : outbox_ids) pending_.erase(id);
    return core::Status::Ok();
  }

  core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<int64_t, std::string>> due;
    for (const auto& [id, at] : timers_) {
      if (at <= now_ms) due.emplace_back(at, id);
    }
    std::sort(due.begin(), due.end());
    std::vector<std::string> out;
    for (const auto& [at, id] : due) {
      if (static_cast<int64_t>(out.size()) >= limit) break;
      out.push_back(id);
    }
    return out;
  }

  core::Result<Page> OpenCases(std::string_view department_id, int64_t offset,
                               int64_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<int64_t, std::string>> open;
    for (const auto& [id, entry] : open_) {
      if (department_id.empty() || entry.department_id == department_id) {
        open.emplace_back(entry.first_due_ms, id);
      }
    }
    std::sort(open.begin(), open.end());
    Page page;
    page.total = static_cast<int64_t>(open.size());
    for (int64_t i = offset; i < page.total && i < offset + limit; ++i) {
      page.ids.push_back(open[static_cast<std::size_t>(i)].second);
    }
    return page;
  }

  int commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
  }

 private:
  struct OpenEntry {
    std::string department_id;
    int64_t first_due_ms = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, v1::StoredCase> cases_;
  std::map<std::string, int64_t> timers_;
  std::map<std::string, OpenEntry> open_;
  std::map<std::string, std::vector<kafka::OutgoingRecord>> outboxes_;
  std::set<std::string> pending_;
  int commits_ = 0;
};

}  // namespace gridcare::complaint::testing
