#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "case_store.h"

namespace gridcare::complaint {

/// CaseStore in memory, for unit tests and in-process benchmarks, keeping the same contract as
/// RedisCaseStore (case_store_contract.h): open-case lists ordered by first due then id, timers
/// due earliest first, outboxes kept only when they hold records. Closed cases never expire here.
/// Failure injection: the next N commits or loads fail with UNAVAILABLE and change nothing.
/// Thread-safe.
class FakeCaseStore final : public CaseStore {
 public:
  core::Result<std::optional<v1::StoredCase>> Load(std::string_view case_id) override;
  core::Result<std::vector<v1::StoredCase>> LoadMany(const std::vector<std::string>& ids) override;
  core::Status Commit(const CaseCommit& commit) override;
  core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) override;
  core::Result<std::vector<std::string>> PendingOutboxes(int64_t limit) override;
  core::Status ForgetPending(const std::vector<std::string>& outbox_ids) override;
  core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) override;
  core::Result<Page> OpenCases(std::string_view department_id, int64_t offset,
                               int64_t limit) override;

  /// The next `count` Commit calls fail with UNAVAILABLE, writing nothing.
  void FailNextCommits(int count);
  /// The next `count` Load / LoadMany calls fail with UNAVAILABLE.
  void FailNextLoads(int count);
  /// Successful commits so far.
  int commits() const;
  /// The durable timers: case id → Unix ms.
  std::map<std::string, int64_t> timers() const;
  /// Outbox ids waiting for ForgetPending.
  std::set<std::string> pending() const;
  /// How many cases are stored (open and closed).
  size_t size() const;

 private:
  /// Whether the call must fail (and counts the injected failure down).
  static bool Failing(int& remaining);

  mutable std::mutex mutex_;
  std::map<std::string, v1::StoredCase, std::less<>> cases_;
  std::map<std::string, int64_t, std::less<>> timers_;
  /// Department id ("" = every department) → case id → first due (Unix ms).
  std::map<std::string, std::map<std::string, int64_t>, std::less<>> open_;
  std::map<std::string, std::vector<kafka::OutgoingRecord>, std::less<>> outboxes_;
  std::set<std::string> pending_;
  int failing_commits_ = 0;
  int failing_loads_ = 0;
  int commits_ = 0;
};

}  // namespace gridcare::complaint
