#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch_store.h"

namespace gridcare::dispatch {

/// DispatchStore in memory, for tests; can be told to fail.
class InMemoryDispatchStore final : public DispatchStore {
 public:
  core::Status Commit(const DispatchBatch& batch) override;
  /// All-or-nothing, like the Redis store: a failing commit (FailNextCommits) fails them all.
  core::Status CommitAll(std::span<const DispatchBatch> batches) override;
  core::Result<DispatchSnapshot> Load() override;
  core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) override;
  core::Result<std::vector<std::string>> PendingOutboxes() override;
  core::Status ForgetPending(const std::vector<std::string>& outbox_ids) override;
  core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) override;

  /// The next `count` commits fail with UNAVAILABLE and change nothing.
  void FailNextCommits(int count);
  std::map<std::string, v1::Incident> archived_incidents() const;
  std::map<std::string, int64_t> timers() const;

 private:
  void ApplyLocked(const DispatchBatch& batch);

  mutable std::mutex mutex_;
  DispatchSnapshot state_;
  std::map<std::string, v1::Incident> archived_incidents_;
  std::map<std::string, v1::WorkOrder> archived_work_orders_;
  std::map<std::string, std::vector<kafka::OutgoingRecord>> outboxes_;
  std::set<std::string> pending_;
  std::map<std::string, int64_t> timers_;
  int failing_commits_ = 0;
};

}  // namespace gridcare::dispatch
