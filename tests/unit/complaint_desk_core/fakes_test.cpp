// The fakes keep their ports' contracts (case_store_contract.h and incident_index_contract.h,
// also run against Redis in tests/integration/complaint_store), and their test hooks work.
#include <catch2/catch.hpp>

#include "case_store_contract.h"
#include "fake_case_store.h"
#include "fake_incident_index.h"
#include "incident_index_contract.h"

namespace gridcare::complaint {
namespace {

using namespace test;

TEST_CASE("the fake case store keeps the store contract", "[fakes][case_store]") {
  FakeCaseStore store;
  SECTION("empty at first") { StartsEmpty(store); }
  SECTION("cases round-trip") { CasesRoundTrip(store); }
  SECTION("timers due in order") { TimersDueInOrder(store); }
  SECTION("open cases by first due") { OpenCasesListedByFirstDue(store); }
  SECTION("outbox and pending") { OutboxAndPending(store); }
}

TEST_CASE("the fake case store fails as told and changes nothing then", "[fakes][case_store]") {
  FakeCaseStore store;
  store.FailNextCommits(2);
  for (int i = 0; i < 2; ++i) {
    const auto failed = store.Commit(CommitOf(CaseDoc("CC-1", "marketing"), 10, 10));
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == core::ErrorKind::kUnavailable);
  }
  CHECK(store.size() == 0);
  CHECK(store.timers().empty());
  CHECK(store.commits() == 0);
  CommitOrFail(store, CommitOf(CaseDoc("CC-1", "marketing"), 10, 10));
  CHECK(store.commits() == 1);
  CHECK(store.timers() == std::map<std::string, int64_t>{{"CC-1", 10}});
  store.FailNextLoads(2);
  CHECK(store.Load("CC-1").error().kind == core::ErrorKind::kUnavailable);
  CHECK(store.LoadMany({"CC-1"}).error().kind == core::ErrorKind::kUnavailable);
  CHECK(LoadOrFail(store, "CC-1").has_value());
}

TEST_CASE("the fake incident index keeps the index contract", "[fakes][incident_index]") {
  FakeIncidentIndex index;
  SECTION("transformer, then feeder") { FindsByTransformerThenFeeder(index); }
  SECTION("the newer incident wins") { NewerIncidentWins(index); }
  SECTION("the network context") { KeepsNetworkContext(index); }
}

TEST_CASE("the fake incident index fails as told", "[fakes][incident_index]") {
  FakeIncidentIndex index;
  index.FailNextRecords(1);
  CHECK(index.Record(IncidentDoc("INC-1", "F1", "T1", 1)).error().kind ==
        core::ErrorKind::kUnavailable);
  CHECK(Linked(index, Customer("F1", "T1")).empty());
  RecordOrFail(index, IncidentDoc("INC-1", "F1", "T1", 1));
  CHECK(index.records() == 1);
  index.FailNextFinds(1);
  CHECK(index.Find(Customer("F1", "T1")).error().kind == core::ErrorKind::kUnavailable);
  CHECK(Linked(index, Customer("F1", "T1")) == "INC-1");
}

}  // namespace
}  // namespace gridcare::complaint
