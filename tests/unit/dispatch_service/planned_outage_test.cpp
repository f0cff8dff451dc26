// Dispatcher::RegisterPlannedOutage: validation, the registered event, calls inside the window
// answered with its end and no crew, and calls at or after the end treated as faults again.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

v1::PlannedOutage Outage(const std::string& feeder, const std::string& transformer,
                         core::TimePoint starts, core::TimePoint ends) {
  v1::PlannedOutage outage;
  outage.mutable_scope()->set_substation_id("SUB-1");
  outage.mutable_scope()->set_feeder_id(feeder);
  outage.mutable_scope()->set_transformer_id(transformer);
  *outage.mutable_starts_at() = sla::ToTimestamp(starts);
  *outage.mutable_ends_at() = sla::ToTimestamp(ends);
  outage.mutable_reason()->set_zh_cn("10千伏线路检修");
  outage.mutable_reason()->set_en("10 kV line maintenance");
  outage.set_registered_by("D-7");
  return outage;
}

TEST_CASE("a planned outage without a scope, window or reason is rejected as invalid",
          "[dispatcher][planned_outage]") {
  Harness h;
  const auto valid = Outage("F1", "", T0(), T0() + 4h);
  auto check_invalid = [&](v1::PlannedOutage outage, const std::string& mentions) {
    auto result = h.d().RegisterPlannedOutage(std::move(outage));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_THAT(result.error().message, Catch::Contains(mentions));
  };
  SECTION("no feeder and no transformer") {
    auto outage = valid;
    outage.clear_scope();
    outage.mutable_scope()->set_substation_id("SUB-1");
    check_invalid(outage, "scope");
  }
  SECTION("no start") {
    auto outage = valid;
    outage.clear_starts_at();
    check_invalid(outage, "starts_at");
  }
  SECTION("no end") {
    auto outage = valid;
    outage.clear_ends_at();
    check_invalid(outage, "ends_at");
  }
  SECTION("no reason") {
    auto outage = valid;
    outage.clear_reason();
    check_invalid(outage, "reason");
  }
  SECTION("ending when it starts") {
    check_invalid(Outage("F1", "", T0(), T0()), "does not end after it starts");
  }
  SECTION("ending before it starts") {
    check_invalid(Outage("F1", "", T0(), T0() - 1h), "does not end after it starts");
  }
  CHECK(h.Take().empty());
  CHECK(h.store.commits == 0);
  CHECK(h.Snapshot().planned_outages.empty());
}

TEST_CASE("a registered planned outage gets an id, is announced and stored",
          "[dispatcher][planned_outage]") {
  Harness h;
  auto registered = h.d().RegisterPlannedOutage(Outage("F1", "", T0(), T0() + 4h));
  REQUIRE(registered.ok());
  const std::string id = registered->planned_outage_id();
  CHECK_THAT(id, Catch::StartsWith("PO-"));
  const auto events = h.Take();
  REQUIRE(Types(events) == Strs{std::string(ce::kPlannedOutageRegistered)});
  CHECK(events[0].key == id);
  CHECK(events[0].ce_subject == id);
  CHECK(events[0].event.planned_outage_registered().planned_outage().planned_outage_id() == id);
  const auto snapshot = h.Snapshot();
  REQUIRE(snapshot.planned_outages.count(id));
  CHECK(snapshot.planned_outages.at(id).registered_by() == "D-7");
  REQUIRE(snapshot.journal.size() == 1);
  CHECK(snapshot.journal[0].has_planned_outage());
  // A console action waits for delivery: nothing is left pending.
  CHECK(h.memory.PendingOutboxes()->empty());

  // A given id is kept.
  auto named = Outage("F2", "T9", T0(), T0() + 1h);
  named.set_planned_outage_id("PO-GZ-0042");
  auto kept = h.d().RegisterPlannedOutage(named);
  REQUIRE(kept.ok());
  CHECK(kept->planned_outage_id() == "PO-GZ-0042");
}

TEST_CASE("a call inside a planned outage is answered with its end and sends no crew",
          "[dispatcher][planned_outage]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  auto registered = h.d().RegisterPlannedOutage(Outage("F1", "", T0() - 1h, T0() + 3h));
  REQUIRE(registered.ok());
  const std::string id = registered->planned_outage_id();
  (void)h.Take();

  // More calls than a transformer incident needs: none of them counts as a fault.
  for (const char* t : {"t1", "t2", "t3"}) h.CallNow(t, std::string("c-") + t, "F1", "T1");
  const auto events = h.Take();
  REQUIRE(Types(events) == Strs(3, std::string(ce::kTicketAttached)));
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& attached = events[i].event.ticket_attached();
    CHECK(events[i].key == id);
    CHECK(events[i].ce_subject == attached.ticket_id());
    CHECK(attached.planned_outage_id() == id);
    CHECK(attached.incident_id().empty());
    CHECK(FromTs(attached.estimated_restoration_at()) == T0() + 3h);
    CHECK(attached.known_cause().zh_cn() == "10千伏线路检修");
  }
  CHECK(AttachedTickets(events) == Strs{"t1", "t2", "t3"});
  CHECK(h.Open().empty());
  CHECK(h.Orders().empty());
  CHECK(h.StatusOf("CREW-A") == "available");

  // A transformer-scope outage elsewhere does not cover another feeder's customers.
  h.CallNow("x1", "cx", "F2", "T9");
  CHECK(Count(h.Take(), ce::kWorkOrderCreated) == 1);
}

TEST_CASE("a call at or after a planned outage's end is a fault again",
          "[dispatcher][planned_outage]") {
  Harness h;
  auto registered = h.d().RegisterPlannedOutage(Outage("F1", "T1", T0(), T0() + 2h));
  REQUIRE(registered.ok());
  (void)h.Take();
  h.clock.Set(T0() + 2h);
  h.CallNow("t1", "c1", "F1", "T1");
  const auto events = h.Take();
  CHECK(Count(events, ce::kIncidentOpened) == 1);
  CHECK(Count(events, ce::kWorkOrderCreated) == 1);
  CHECK(AttachedTickets(events).empty());
  CHECK(h.OrderIds() == Strs{"WO-S-t1"});
}

TEST_CASE("a planned outage survives a restart and still answers calls",
          "[dispatcher][planned_outage][recovery]") {
  Harness h;
  auto registered = h.d().RegisterPlannedOutage(Outage("F1", "T1", T0(), T0() + 2h));
  REQUIRE(registered.ok());
  h.clock.Advance(30min);
  h.CallNow("t1", "c1", "F1", "T1");
  h.Restart();
  (void)h.Take();
  h.CallNow("t2", "c2", "F1", "T1");
  const auto events = h.Take();
  REQUIRE(Types(events) == Strs{std::string(ce::kTicketAttached)});
  CHECK(events[0].event.ticket_attached().planned_outage_id() == registered->planned_outage_id());
  CHECK(events[0].event.ticket_attached().known_cause().en() == "10 kV line maintenance");
}

}  // namespace
}  // namespace gridcare::dispatch
