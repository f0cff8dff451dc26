#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crew_store.h"
#include "gridcare/redis/client.h"

namespace gridcare::repair_crew {

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

}  // namespace gridcare::repair_crew
