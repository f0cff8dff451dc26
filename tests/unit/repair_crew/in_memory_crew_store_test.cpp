// InMemoryCrewStore keeps the CrewStore contract (crew_store_contract.h, also run against Redis)
// and its test hooks work: failing calls are retryable, an interfering writer makes a commit see
// a conflict, and records can be put directly.
#include "in_memory_crew_store.h"

#include <catch2/catch.hpp>

#include "crew_store_contract.h"

namespace gridcare::repair_crew {
namespace {

using namespace test;

TEST_CASE("the in-memory crew store keeps the store contract", "[crew_store]") {
  InMemoryCrewStore store;
  const JobSetReader job_set = [&](const std::string& id) { return store.JobSet(id); };
  SECTION("seeding keeps live state") { SeedingKeepsLiveState(store); }
  SECTION("reads in the order asked") { ReadsInTheOrderAsked(store); }
  SECTION("a commit writes together") { CommitWritesTogether(store, job_set); }
  SECTION("a stale commit writes nothing") { StaleCommitWritesNothing(store, job_set); }
  SECTION("the outbox is read, counted and emptied") { OutboxReadCountedAndEmptied(store); }
}

TEST_CASE("the in-memory crew store fails, interferes and takes records when told",
          "[crew_store]") {
  InMemoryCrewStore store;
  store.PutCrew(CrewDoc("CREW-1"));
  store.FailNextCalls(1);
  auto failed = store.GetCrew("CREW-1");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  const auto read = CrewOrFail(store, "CREW-1");

  store.InterfereWithNextCommits(1, [](InMemoryCrewStore& other) {
    auto moved = CrewDoc("CREW-1");
    moved.set_availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
    other.PutCrew(moved);
  });
  auto busy = read.value;
  busy.set_availability(v1::CREW_AVAILABILITY_BUSY);
  CrewCommit commit;
  commit.crews.push_back({busy, read.bytes});
  CHECK_FALSE(CommitOrFail(store, commit));
  CHECK(CrewOrFail(store, "CREW-1").value.availability() == v1::CREW_AVAILABILITY_OFF_SHIFT);
  CHECK(store.commits() == 0);

  store.PutJob(JobDoc("WO-1", "CREW-1", v1::WORK_ORDER_STATE_ASSIGNED));
  CHECK(JobOrFail(store, "WO-1").has_value());
  store.PutPendingEvent("CREW-1", "not an outbox entry");
  CHECK(PendingOrFail(store, "CREW-1") == std::vector<std::string>{"not an outbox entry"});
}

}  // namespace
}  // namespace gridcare::repair_crew
