#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "crew_store.h"

namespace gridcare::repair_crew {

/// CrewStore in memory, for unit tests: same semantics (without expiry), plus failure injection.
/// Thread-safe.
class InMemoryCrewStore final : public CrewStore {
 public:
  core::Result<int> SeedCrews(const std::vector<v1::Crew>& crews) override;
  core::Result<std::optional<Stored<v1::Crew>>> GetCrew(const std::string& crew_id) override;
  core::Result<std::vector<Stored<v1::Crew>>> GetCrews(
      const std::vector<std::string>& crew_ids) override;
  core::Result<std::optional<Stored<v1::WorkOrder>>> GetJob(
      const std::string& work_order_id) override;
  core::Result<std::vector<v1::WorkOrder>> GetJobs(
      const std::vector<std::string>& work_order_ids) override;
  core::Result<bool> Commit(const CrewCommit& commit) override;
  core::Result<std::vector<std::string>> PendingEvents(const std::string& crew_id,
                                                       size_t limit) override;
  core::Status RemovePendingEvent(const std::string& crew_id, const std::string& bytes) override;
  core::Result<std::vector<int64_t>> PendingEventCounts(
      const std::vector<std::string>& crew_ids) override;

  /// The next `count` calls of any method fail with UNAVAILABLE (Redis down).
  void FailNextCalls(int count);
  /// Before each of the next `count` commits, `interfere` runs as if another writer got in first
  /// (it may change records through this store), so the commit sees a conflict.
  void InterfereWithNextCommits(int count, std::function<void(InMemoryCrewStore&)> interfere);
  /// Sets a record directly (tests).
  void PutCrew(const v1::Crew& crew);
  void PutJob(const v1::WorkOrder& job);
  /// Appends raw bytes to a crew's outbox (tests of corrupt entries).
  void PutPendingEvent(const std::string& crew_id, std::string bytes);
  /// Members of a crew's job set (the Redis set kept beside Crew.work_order_ids).
  std::set<std::string> JobSet(const std::string& crew_id);
  int commits() const;

 private:
  bool Failing();  // requires mutex_

  mutable std::mutex mutex_;
  std::map<std::string, std::string> crews_;  // id -> bytes
  std::map<std::string, std::string> jobs_;   // id -> bytes
  std::map<std::string, std::set<std::string>> job_sets_;
  std::map<std::string, std::vector<std::string>> outboxes_;
  int failing_calls_ = 0;
  int interfering_commits_ = 0;
  std::function<void(InMemoryCrewStore&)> interfere_;
  int commits_ = 0;
};

}  // namespace gridcare::repair_crew
