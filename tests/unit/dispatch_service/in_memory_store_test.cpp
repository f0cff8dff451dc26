// InMemoryDispatchStore keeps the DispatchStore contract (dispatch_store_contract.h, also run
// against Redis) and its test hooks work: failing commits change nothing, archives and timers are
// visible.
#include <catch2/catch.hpp>

#include "dispatch_store_contract.h"
#include "in_memory_dispatch_store.h"

namespace gridcare::dispatch {
namespace {

using namespace test;

TEST_CASE("the in-memory dispatch store keeps the store contract", "[dispatch_store]") {
  InMemoryDispatchStore store;
  SECTION("empty at first") { StartsEmpty(store); }
  SECTION("journal order") { JournalKeepsOrder(store); }
  SECTION("documents upserted and closed") { DocumentsUpsertAndClose(store); }
  SECTION("declined and fired sets") { DeclinedAndFiredSets(store); }
  SECTION("timers due in order") { TimersDueInOrder(store); }
  SECTION("outbox and pending") { OutboxAndPending(store); }
  SECTION("several inputs at once") { CommitAllAndOutboxes(store); }
}

TEST_CASE("the in-memory dispatch store archives closed incidents and shows its timers",
          "[dispatch_store]") {
  InMemoryDispatchStore store;
  DispatchBatch batch;
  batch.incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_OPEN);
  batch.timers["INC-1"] = 1234;
  CommitOrFail(store, batch);
  CHECK(store.timers() == std::map<std::string, int64_t>{{"INC-1", 1234}});
  CHECK(store.archived_incidents().empty());
  DispatchBatch closed;
  closed.closed_incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_RESTORED);
  closed.timers["INC-1"] = std::nullopt;
  CommitOrFail(store, closed);
  CHECK(store.timers().empty());
  REQUIRE(store.archived_incidents().count("INC-1"));
  CHECK(store.archived_incidents().at("INC-1").state() == v1::INCIDENT_STATE_RESTORED);
}

TEST_CASE("a failing in-memory commit is retryable and changes nothing", "[dispatch_store]") {
  InMemoryDispatchStore store;
  store.FailNextCommits(2);
  DispatchBatch batch;
  batch.journal.push_back(CallEntry("t1"));
  batch.incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_OPEN);
  batch.timers["INC-1"] = 5;
  batch.outbox_id = "evt-1";
  batch.outbox_pending = true;
  batch.records = {RecordDoc("INC-1", "id-1")};
  for (int i = 0; i < 2; ++i) {
    auto failed = store.Commit(batch);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == core::ErrorKind::kUnavailable);
    CHECK(failed.error().Retryable());
  }
  StartsEmpty(store);
  CHECK(store.timers().empty());
  CommitOrFail(store, batch);
  CHECK(LoadOrFail(store).journal.size() == 1);
  CHECK(store.PendingOutboxes()->size() == 1);
}

}  // namespace
}  // namespace gridcare::dispatch
