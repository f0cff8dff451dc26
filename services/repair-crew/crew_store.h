#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/redis/client.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "outbox.h"

namespace gridcare::repair_crew {

/// A record and the exact bytes it was read from. A commit compares those bytes with what is stored
/// then, so a record that another writer (a gRPC call, the dispatch consumer, another replica)
/// changed in between makes the commit fail instead of overwriting that change.
template <typename T>
struct Stored {
  T value;
  std::string bytes;
};

/// One atomic change of repair-crew's records: crew records, at most one job record, and the
/// events that report the change (saved in the outbox of the crew each event is keyed by).
struct CrewCommit {
  struct CrewWrite {
    v1::Crew after;
    std::string expected_bytes;  ///< the record as read (crews are never created by a commit)
  };
  struct JobWrite {
    v1::WorkOrder after;
    std::optional<std::string> expected_bytes;  ///< nullopt: the job must not exist yet
  };
  std::vector<CrewWrite> crews;
  std::optional<JobWrite> job;
  std::vector<OutboxEntry> events;
};

/// repair-crew's records. Implementations are thread-safe.
class CrewStore {
 public:
  virtual ~CrewStore() = default;

  /// Writes the crews that are not stored yet and returns how many were; stored crews keep their
  /// live state (position, availability, queue), so a restart loses nothing.
  virtual core::Result<int> SeedCrews(const std::vector<v1::Crew>& crews) = 0;
  virtual core::Result<std::optional<Stored<v1::Crew>>> GetCrew(const std::string& crew_id) = 0;
  /// The crews of `crew_ids` that exist, in the order asked.
  virtual core::Result<std::vector<Stored<v1::Crew>>> GetCrews(
      const std::vector<std::string>& crew_ids) = 0;
  virtual core::Result<std::optional<Stored<v1::WorkOrder>>> GetJob(
      const std::string& work_order_id) = 0;
  /// The jobs of `work_order_ids` that exist, in the order asked.
  virtual core::Result<std::vector<v1::WorkOrder>> GetJobs(
      const std::vector<std::string>& work_order_ids) = 0;

  /// Applies `commit` atomically when every record it names is still as read: true. False, with
  /// nothing written, when another writer got there first: read again and decide again.
  virtual core::Result<bool> Commit(const CrewCommit& commit) = 0;

  /// Up to `limit` saved, not yet acknowledged events of the crew, oldest first, as stored bytes
  /// (outbox.h decodes them).
  virtual core::Result<std::vector<std::string>> PendingEvents(const std::string& crew_id,
                                                               size_t limit) = 0;
  /// Removes one saved event given its exact bytes; one already gone is not an error.
  virtual core::Status RemovePendingEvent(const std::string& crew_id, const std::string& bytes) = 0;
  /// How many saved events each crew of `crew_ids` has, in the same order.
  virtual core::Result<std::vector<int64_t>> PendingEventCounts(
      const std::vector<std::string>& crew_ids) = 0;
};

/// Redis key layout (docs/services/repair-crew.md): every key starts with "crew:".
std::string CrewKey(std::string_view crew_id);       ///< "crew:c:<id>": Crew
std::string JobKey(std::string_view work_order_id);  ///< "crew:job:<id>": WorkOrder
std::string CrewJobsKey(std::string_view crew_id);   ///< "crew:jobs:<id>": set of open jobs
std::string OutboxKey(std::string_view crew_id);     ///< "crew:outbox:<id>": list

/// CrewStore in Redis. A commit is one Lua script: it compares every record with the bytes read,
/// then writes records, the crews' job sets and the outbox, all or nothing. Completed and cancelled
/// jobs expire after `finished_job_retention`.
class RedisCrewStore final : public CrewStore {
 public:
  RedisCrewStore(redis::RedisClient& redis,
                 std::chrono::milliseconds finished_job_retention = std::chrono::hours(24 * 7))
      : redis_(redis), finished_job_retention_(finished_job_retention) {}

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

 private:
  core::Result<std::vector<std::optional<std::string>>> MultiGet(
      const std::vector<std::string>& keys);

  redis::RedisClient& redis_;
  std::chrono::milliseconds finished_job_retention_;
};

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
