#pragma once

// What every CrewStore must do, written once and run against InMemoryCrewStore (unit tests,
// tests/unit/repair_crew) and RedisCrewStore on a real redis-server (tests/integration/
// repair_crew): each function starts from an empty store and checks one behaviour repair-crew
// relies on: seeding keeps live state, reads in the order asked, a commit applied whole only when
// every record is still as read (crews, the job, the crews' job sets and the outbox together),
// and the outbox read, counted and emptied event by event.

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crew_store.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "outbox.h"

namespace gridcare::repair_crew::test {

/// The members of a crew's job-set index, as the store under test keeps it (the in-memory
/// store's JobSet, the Redis set "crew:jobs:<id>").
using JobSetReader = std::function<std::set<std::string>(const std::string& crew_id)>;

inline v1::Crew CrewDoc(const std::string& id) {
  v1::Crew crew;
  crew.set_crew_id(id);
  crew.set_name("抢修一班 " + id);
  crew.set_availability(v1::CREW_AVAILABILITY_AVAILABLE);
  return crew;
}

inline v1::WorkOrder JobDoc(const std::string& id, const std::string& crew_id,
                            v1::WorkOrderState state) {
  v1::WorkOrder job;
  job.set_work_order_id(id);
  job.set_crew_id(crew_id);
  job.set_state(state);
  return job;
}

/// An event keyed by `crew_id` (its outbox) with recognisable bytes.
inline OutboxEntry EventFor(const std::string& crew_id, const std::string& ce_id) {
  OutboxEntry entry;
  entry.record = {"gridcare.crew.v1",
                  crew_id,
                  std::string("\x0a\x00\xff ", 4) + ce_id,
                  {{"ce_id", ce_id}, {"ce_type", "gridcare.crew.job_accepted.v1"}}};
  entry.saved_at = core::FromUnixMillis(1'795'485'600'000);
  return entry;
}

inline Stored<v1::Crew> CrewOrFail(CrewStore& store, const std::string& crew_id) {
  auto crew = store.GetCrew(crew_id);
  INFO((crew.ok() ? std::string() : crew.error().ToString()));
  REQUIRE(crew.ok());
  REQUIRE(crew->has_value());
  return **crew;
}

inline std::optional<Stored<v1::WorkOrder>> JobOrFail(CrewStore& store, const std::string& id) {
  auto job = store.GetJob(id);
  INFO((job.ok() ? std::string() : job.error().ToString()));
  REQUIRE(job.ok());
  return *job;
}

inline bool CommitOrFail(CrewStore& store, const CrewCommit& commit) {
  auto committed = store.Commit(commit);
  INFO((committed.ok() ? std::string() : committed.error().ToString()));
  REQUIRE(committed.ok());
  return *committed;
}

inline std::vector<std::string> PendingOrFail(CrewStore& store, const std::string& crew_id,
                                              size_t limit = 100) {
  auto pending = store.PendingEvents(crew_id, limit);
  INFO((pending.ok() ? std::string() : pending.error().ToString()));
  REQUIRE(pending.ok());
  return *pending;
}

inline std::string CeIdOf(const std::string& bytes) {
  auto entry = DecodeOutboxEntry(bytes);
  REQUIRE(entry.ok());
  for (const auto& [name, value] : entry->record.headers) {
    if (name == "ce_id") return value;
  }
  return "";
}

/// Seeding writes the crews not stored yet and counts them; a stored crew keeps its live state.
inline void SeedingKeepsLiveState(CrewStore& store) {
  CHECK_FALSE(store.GetCrew("CREW-1")->has_value());
  REQUIRE(store.SeedCrews({CrewDoc("CREW-1"), CrewDoc("CREW-2")}).value() == 2);
  const auto seeded = CrewOrFail(store, "CREW-1");
  CHECK(seeded.value.name() == "抢修一班 CREW-1");
  CHECK(seeded.bytes == seeded.value.SerializeAsString());

  auto busy = seeded.value;
  busy.set_availability(v1::CREW_AVAILABILITY_BUSY);
  CrewCommit commit;
  commit.crews.push_back({busy, seeded.bytes});
  REQUIRE(CommitOrFail(store, commit));

  CHECK(store.SeedCrews({CrewDoc("CREW-1"), CrewDoc("CREW-3")}).value() == 1);
  CHECK(CrewOrFail(store, "CREW-1").value.availability() == v1::CREW_AVAILABILITY_BUSY);
  CHECK(CrewOrFail(store, "CREW-3").value.availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  CHECK(store.SeedCrews({}).value() == 0);
}

/// GetCrews and GetJobs answer the records that exist, in the order asked.
inline void ReadsInTheOrderAsked(CrewStore& store) {
  REQUIRE(store.SeedCrews({CrewDoc("CREW-A"), CrewDoc("CREW-B"), CrewDoc("CREW-C")}).value() == 3);
  auto crews = store.GetCrews({"CREW-C", "CREW-NONE", "CREW-A"});
  REQUIRE(crews.ok());
  REQUIRE(crews->size() == 2);
  CHECK((*crews)[0].value.crew_id() == "CREW-C");
  CHECK((*crews)[1].value.crew_id() == "CREW-A");
  CHECK((*crews)[1].bytes == CrewOrFail(store, "CREW-A").bytes);
  CHECK(store.GetCrews({})->empty());

  for (const auto* id : {"WO-1", "WO-2"}) {
    CrewCommit commit;
    commit.job =
        CrewCommit::JobWrite{JobDoc(id, "CREW-A", v1::WORK_ORDER_STATE_ASSIGNED), std::nullopt};
    REQUIRE(CommitOrFail(store, commit));
  }
  auto jobs = store.GetJobs({"WO-2", "WO-NONE", "WO-1"});
  REQUIRE(jobs.ok());
  REQUIRE(jobs->size() == 2);
  CHECK((*jobs)[0].work_order_id() == "WO-2");
  CHECK((*jobs)[1].work_order_id() == "WO-1");
  CHECK(store.GetJobs({})->empty());
  CHECK_FALSE(JobOrFail(store, "WO-NONE").has_value());
  const auto job = JobOrFail(store, "WO-1");
  REQUIRE(job.has_value());
  CHECK(job->value.crew_id() == "CREW-A");
  CHECK(job->bytes == job->value.SerializeAsString());
}

/// A commit writes its crews, its job and its events together, and the crews' job sets follow
/// their queues (Crew.work_order_ids): a job taken on joins the set, a finished one leaves it.
inline void CommitWritesTogether(CrewStore& store, const JobSetReader& job_set) {
  REQUIRE(store.SeedCrews({CrewDoc("CREW-1"), CrewDoc("CREW-2")}).value() == 2);
  const auto crew = CrewOrFail(store, "CREW-1");
  auto busy = crew.value;
  busy.add_work_order_ids("WO-1");
  busy.add_work_order_ids("WO-2");
  busy.set_availability(v1::CREW_AVAILABILITY_BUSY);
  CrewCommit take;
  take.crews.push_back({busy, crew.bytes});
  take.job =
      CrewCommit::JobWrite{JobDoc("WO-1", "CREW-1", v1::WORK_ORDER_STATE_ASSIGNED), std::nullopt};
  take.events = {EventFor("CREW-1", "ev-1"), EventFor("CREW-2", "ev-2")};
  REQUIRE(CommitOrFail(store, take));

  const auto taken = CrewOrFail(store, "CREW-1");
  CHECK(taken.value.availability() == v1::CREW_AVAILABILITY_BUSY);
  CHECK(std::vector<std::string>(taken.value.work_order_ids().begin(),
                                 taken.value.work_order_ids().end()) ==
        std::vector<std::string>{"WO-1", "WO-2"});
  CHECK(job_set("CREW-1") == std::set<std::string>{"WO-1", "WO-2"});
  CHECK(job_set("CREW-2").empty());
  const auto job = JobOrFail(store, "WO-1");
  REQUIRE(job.has_value());
  CHECK(job->value.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  // Each event is saved in the outbox of the crew it is keyed by.
  REQUIRE(PendingOrFail(store, "CREW-1").size() == 1);
  CHECK(CeIdOf(PendingOrFail(store, "CREW-1")[0]) == "ev-1");
  REQUIRE(PendingOrFail(store, "CREW-2").size() == 1);
  CHECK(CeIdOf(PendingOrFail(store, "CREW-2")[0]) == "ev-2");

  // Finishing WO-1: the crew lets go of it and the set follows; the job keeps its final state.
  auto freed = taken.value;
  freed.clear_work_order_ids();
  freed.add_work_order_ids("WO-2");
  auto finished = job->value;
  finished.set_state(v1::WORK_ORDER_STATE_COMPLETED);
  CrewCommit finish;
  finish.crews.push_back({freed, taken.bytes});
  finish.job = CrewCommit::JobWrite{finished, job->bytes};
  REQUIRE(CommitOrFail(store, finish));
  CHECK(job_set("CREW-1") == std::set<std::string>{"WO-2"});
  CHECK(JobOrFail(store, "WO-1")->value.state() == v1::WORK_ORDER_STATE_COMPLETED);
  CHECK(PendingOrFail(store, "CREW-1").size() == 1);  // a commit without events adds none
}

/// A commit whose records are no longer as read (a crew changed, a job that must be new exists,
/// a job changed) writes nothing at all: not its crews, job, job sets or events.
inline void StaleCommitWritesNothing(CrewStore& store, const JobSetReader& job_set) {
  REQUIRE(store.SeedCrews({CrewDoc("CREW-1"), CrewDoc("CREW-2")}).value() == 2);
  const auto read = CrewOrFail(store, "CREW-1");
  const auto other = CrewOrFail(store, "CREW-2");

  // Another writer changes CREW-1 after it was read.
  auto moved = read.value;
  moved.mutable_position()->set_latitude(23.1);
  CrewCommit theirs;
  theirs.crews.push_back({moved, read.bytes});
  REQUIRE(CommitOrFail(store, theirs));

  auto busy = read.value;
  busy.add_work_order_ids("WO-1");
  auto other_busy = other.value;
  other_busy.add_work_order_ids("WO-1");
  CrewCommit stale;
  stale.crews.push_back({other_busy, other.bytes});  // still as read
  stale.crews.push_back({busy, read.bytes});         // changed since
  stale.job =
      CrewCommit::JobWrite{JobDoc("WO-1", "CREW-1", v1::WORK_ORDER_STATE_ASSIGNED), std::nullopt};
  stale.events = {EventFor("CREW-1", "ev-stale")};
  CHECK_FALSE(CommitOrFail(store, stale));
  CHECK(CrewOrFail(store, "CREW-1").value.position().latitude() == 23.1);
  CHECK(CrewOrFail(store, "CREW-1").value.work_order_ids().empty());
  CHECK(CrewOrFail(store, "CREW-2").bytes == other.bytes);
  CHECK_FALSE(JobOrFail(store, "WO-1").has_value());
  CHECK(job_set("CREW-1").empty());
  CHECK(job_set("CREW-2").empty());
  CHECK(PendingOrFail(store, "CREW-1").empty());

  // A job that must be new but exists, or that changed since it was read: nothing written.
  CrewCommit create;
  create.job =
      CrewCommit::JobWrite{JobDoc("WO-2", "CREW-2", v1::WORK_ORDER_STATE_ASSIGNED), std::nullopt};
  REQUIRE(CommitOrFail(store, create));
  const auto job = JobOrFail(store, "WO-2");
  REQUIRE(job.has_value());
  create.events = {EventFor("CREW-2", "ev-again")};
  CHECK_FALSE(CommitOrFail(store, create));
  auto accepted = job->value;
  accepted.set_state(v1::WORK_ORDER_STATE_ACCEPTED);
  CrewCommit accept;
  accept.job = CrewCommit::JobWrite{accepted, job->bytes};
  REQUIRE(CommitOrFail(store, accept));
  auto cancelled = job->value;
  cancelled.set_state(v1::WORK_ORDER_STATE_CANCELLED);
  CrewCommit cancel;
  cancel.job = CrewCommit::JobWrite{cancelled, job->bytes};  // read before the acceptance
  cancel.events = {EventFor("CREW-2", "ev-cancelled")};
  CHECK_FALSE(CommitOrFail(store, cancel));
  CHECK(JobOrFail(store, "WO-2")->value.state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(PendingOrFail(store, "CREW-2").empty());
}

/// Saved events come back oldest first up to a limit, are removed one by one by their bytes
/// (removing one already gone is no error), and are counted per crew.
inline void OutboxReadCountedAndEmptied(CrewStore& store) {
  REQUIRE(store.SeedCrews({CrewDoc("CREW-1")}).value() == 1);
  for (const auto* id : {"ev-1", "ev-2", "ev-3"}) {
    CrewCommit commit;
    commit.events = {EventFor("CREW-1", id)};
    REQUIRE(CommitOrFail(store, commit));
  }
  CHECK(PendingOrFail(store, "CREW-1", 0).empty());
  auto first_two = PendingOrFail(store, "CREW-1", 2);
  REQUIRE(first_two.size() == 2);
  CHECK(CeIdOf(first_two[0]) == "ev-1");
  CHECK(CeIdOf(first_two[1]) == "ev-2");
  CHECK(PendingOrFail(store, "CREW-NONE").empty());
  CHECK(store.PendingEventCounts({"CREW-NONE", "CREW-1"}).value() == std::vector<int64_t>{0, 3});
  CHECK(store.PendingEventCounts({}).value().empty());

  REQUIRE(store.RemovePendingEvent("CREW-1", first_two[1]).ok());
  REQUIRE(store.RemovePendingEvent("CREW-1", first_two[1]).ok());  // already gone
  REQUIRE(store.RemovePendingEvent("CREW-NONE", first_two[0]).ok());
  auto left = PendingOrFail(store, "CREW-1");
  REQUIRE(left.size() == 2);
  CHECK(CeIdOf(left[0]) == "ev-1");
  CHECK(CeIdOf(left[1]) == "ev-3");
  CHECK(store.PendingEventCounts({"CREW-1"}).value() == std::vector<int64_t>{2});
}

}  // namespace gridcare::repair_crew::test
