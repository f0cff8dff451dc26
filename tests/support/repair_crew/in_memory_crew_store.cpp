#include "in_memory_crew_store.h"

#include <algorithm>

namespace gridcare::repair_crew {

bool InMemoryCrewStore::Failing() {
  if (failing_calls_ == 0) return false;
  --failing_calls_;
  return true;
}

#define GRIDCARE_FAIL_IF_ASKED()                                             \
  do {                                                                       \
    if (Failing()) return core::Unavailable("in-memory store told to fail"); \
  } while (false)

core::Result<int> InMemoryCrewStore::SeedCrews(const std::vector<v1::Crew>& crews) {
  std::lock_guard lock(mutex_);
  GRIDCARE_FAIL_IF_ASKED();
  int created = 0;
  for (const auto& crew : crews) {
    if (crews_.emplace(crew.crew_id(), crew.SerializeAsString()).second) ++created;
  }
  return created;
}

core::Result<std::optional<Stored<v1::Crew>>> InMemoryCrewStore::GetCrew(
    const std::string& crew_id) {
  std::lock_guard lock(mutex_);
  GRIDCARE_FAIL_IF_ASKED();
  auto it = crews_.find(crew_id);
  if (it == crews_.end()) return std::optional<Stored<v1::Crew>>();
  auto crew = ParseRecord<v1::Crew>(it->second, "crew record");
  if (!crew) return crew.error();
  return std::optional<Stored<v1::Crew>>(Stored<v1::Crew>{std::move(crew).value(), it->second});
}

core::Result<std::vector<Stored<v1::Crew>>> InMemoryCrewStore::GetCrews(
    const std::vector<std::string>& crew_ids) {
  std::lock_guard lock(mutex_);
  GRIDCARE_FAIL_IF_ASKED();
  std::vector<Stored<v1::Crew>> crews;
  for (const auto& id : crew_ids) {
    auto it = crews_.find(id);
    if (it == crews_.end()) continue;
    auto crew = ParseRecord<v1::Crew>(it->second, "crew record");
    if (!crew) return crew.error();
    crews.push_back({std::move(crew).value(), it->second});
  }
  return crews;
}

core::Result<std::optional<Stored<v1::WorkOrder>>> InMemoryCrewStore::GetJob(
    const std::string& work_order_id) {
  std::lock_guard lock(mutex_);
  GRIDCARE_FAIL_IF_ASKED();
  auto it = jobs_.find(work_order_id);
  if (it == jobs_.end()) return std::optional<Stored<v1::WorkOrder>>();
  auto job = ParseRecord<v1::WorkOrder>(it->second, "job record");
  if (!job) return job.error();
  return std::optional<Stored<v1::WorkOrder>>(
      Stored<v1::WorkOrder>{std::move(job).value(), it->second});
}

core::Result<std::vector<v1::WorkOrder>> InMemoryCrewStore::GetJobs(
    const std::vector<std::string>& work_order_ids) {
  std::lock_guard lock(mutex_);
  GRIDCARE_FAIL_IF_ASKED();
  std::vector<v1::WorkOrder> jobs;
  for (const auto& id : work_order_ids) {
    auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;
    auto job = ParseRecord<v1::WorkOrder>(it->second, "job record");
    if (!job) return job.error();
    jobs.push_back(std::move(job).value());
  }
  return jobs;
}

core::Result<bool> InMemoryCrewStore::Commit(const CrewCommit& commit) {
  std::function<void(InMemoryCrewStore&)> interfere;
  {
    std::lock_guard lock(mutex_);
    GRIDCARE_FAIL_IF_ASKED();
    if (interfering_commits_ > 0) {
      --interfering_commits_;
      interfere = interfere_;
    }
  }
  if (interfere) interfere(*this);  // outside the lock: it uses the store like another writer
  std::lock_guard lock(mutex_);
  for (const auto& write : commit.crews) {
    auto it = crews_.find(write.after.crew_id());
    if (it == crews_.end() || it->second != write.expected_bytes) return false;
  }
  if (commit.job) {
    auto it = jobs_.find(commit.job->after.work_order_id());
    const bool exists = it != jobs_.end();
    if (exists != commit.job->expected_bytes.has_value()) return false;
    if (exists && it->second != *commit.job->expected_bytes) return false;
  }
  for (const auto& write : commit.crews) {
    crews_[write.after.crew_id()] = write.after.SerializeAsString();
    job_sets_[write.after.crew_id()] = JobSetOf(write.after);
  }
  if (commit.job) {
    jobs_[commit.job->after.work_order_id()] = commit.job->after.SerializeAsString();
  }
  for (const auto& entry : commit.events) {
    outboxes_[entry.record.key].push_back(EncodeOutboxEntry(entry));
  }
  ++commits_;
  return true;
}

core::Result<std::vector<std::string>> InMemoryCrewStore::PendingEvents(const std::string& crew_id,
                                                                        size_t limit) {
  std::lock_guard lock(mutex_);
  GRIDCARE_FAIL_IF_ASKED();
  const auto& list = outboxes_[crew_id];
  return std::vector<std::string>(
      list.begin(), list.begin() + static_cast<std::ptrdiff_t>(std::min(limit, list.size())));
}

core::Status InMemoryCrewStore::RemovePendingEvent(const std::string& crew_id,
                                                   const std::string& bytes) {
  std::lock_guard lock(mutex_);
  GRIDCARE_FAIL_IF_ASKED();
  auto& list = outboxes_[crew_id];
  if (auto it = std::find(list.begin(), list.end(), bytes); it != list.end()) list.erase(it);
  return {};
}

core::Result<std::vector<int64_t>> InMemoryCrewStore::PendingEventCounts(
    const std::vector<std::string>& crew_ids) {
  std::lock_guard lock(mutex_);
  GRIDCARE_FAIL_IF_ASKED();
  std::vector<int64_t> counts;
  for (const auto& id : crew_ids) {
    auto it = outboxes_.find(id);
    counts.push_back(it == outboxes_.end() ? 0 : static_cast<int64_t>(it->second.size()));
  }
  return counts;
}

#undef GRIDCARE_FAIL_IF_ASKED

void InMemoryCrewStore::FailNextCalls(int count) {
  std::lock_guard lock(mutex_);
  failing_calls_ = count;
}

void InMemoryCrewStore::InterfereWithNextCommits(
    int count, std::function<void(InMemoryCrewStore&)> interfere) {
  std::lock_guard lock(mutex_);
  interfering_commits_ = count;
  interfere_ = std::move(interfere);
}

void InMemoryCrewStore::PutCrew(const v1::Crew& crew) {
  std::lock_guard lock(mutex_);
  crews_[crew.crew_id()] = crew.SerializeAsString();
  job_sets_[crew.crew_id()] = JobSetOf(crew);
}

void InMemoryCrewStore::PutJob(const v1::WorkOrder& job) {
  std::lock_guard lock(mutex_);
  jobs_[job.work_order_id()] = job.SerializeAsString();
}

void InMemoryCrewStore::PutPendingEvent(const std::string& crew_id, std::string bytes) {
  std::lock_guard lock(mutex_);
  outboxes_[crew_id].push_back(std::move(bytes));
}

std::set<std::string> InMemoryCrewStore::JobSet(const std::string& crew_id) {
  std::lock_guard lock(mutex_);
  return job_sets_[crew_id];
}

int InMemoryCrewStore::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

}  // namespace gridcare::repair_crew
