// Dispatcher::OnCrewEvent: the job's life (accepted, en route, on site, completed), reports from
// crews that do not hold the job, declines, and an unfinished repair's follow-up work order.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "dispatch_clocks.h"
#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

/// A transformer incident INC-T-t3 (t1..t3, absorbing INC-S-t1 and INC-S-t2) plus a fourth call
/// attached to it, its job WO-T-t3 with CREW-A; CREW-B is on the roster too.
void TransformerOutage(Harness& h) {
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  h.CallNow("t1", "c1");
  h.clock.Advance(1min);
  h.CallNow("t2", "c2");
  h.clock.Advance(1min);
  h.CallNow("t3", "c3");
  h.clock.Advance(1min);
  h.CallNow("t4", "c4");
  REQUIRE(h.Order("WO-T-t3"));
  REQUIRE(h.Order("WO-T-t3")->crew_id() == "CREW-A");
  (void)h.Take();
}

TEST_CASE("a crew's reports move the job from accepted to restored and every caller is told",
          "[dispatcher][crew]") {
  Harness h;
  TransformerOutage(h);

  h.CrewDone(Accepted("CREW-A", "WO-T-t3"), "c-1");
  CHECK(h.Take().empty());
  CHECK(h.Order("WO-T-t3")->state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(h.StatusOf("CREW-A") == "assigned");

  const auto eta = h.Now() + 8min;
  h.CrewDone(EnRoute("CREW-A", "WO-T-t3", eta), "c-2");
  {
    const auto events = h.Take();
    const auto updated = One(events, ce::kIncidentUpdated);
    CHECK(updated.key == "INC-T-t3");
    CHECK(updated.event.incident_updated().change() == "crew_en_route");
    const auto& incident = updated.event.incident_updated().incident();
    CHECK(incident.state() == v1::INCIDENT_STATE_EN_ROUTE);
    CHECK(FromTs(incident.estimated_restoration_at()) == eta + 90min);
    CHECK(Strings(incident.ticket_ids()) == Strs{"t1", "t2", "t3", "t4"});
  }
  CHECK(h.Order("WO-T-t3")->state() == v1::WORK_ORDER_STATE_EN_ROUTE);
  CHECK(h.StatusOf("CREW-A") == "en_route");

  h.clock.Advance(8min);
  const auto arrived = h.Now();
  const auto ert = arrived + 2h;
  h.CrewDone(OnSite("CREW-A", "WO-T-t3", ert), "c-3");
  {
    const auto events = h.Take();
    const auto updated = One(events, ce::kIncidentUpdated);
    CHECK(updated.event.incident_updated().change() == "crew_on_site");
    const auto& incident = updated.event.incident_updated().incident();
    CHECK(incident.state() == v1::INCIDENT_STATE_ON_SITE);
    CHECK(FromTs(incident.estimated_restoration_at()) == ert);
    CHECK(Strings(incident.ticket_ids()) == Strs{"t1", "t2", "t3", "t4"});
    const auto* arrival = FindClock(incident.clocks(), v1::ServiceClock::KIND_ARRIVAL);
    REQUIRE(arrival != nullptr);
    REQUIRE(arrival->has_met_at());
    CHECK(FromTs(arrival->met_at()) == arrived);
    const auto* restoration = FindClock(incident.clocks(), v1::ServiceClock::KIND_RESTORATION);
    REQUIRE(restoration != nullptr);
    CHECK(FromTs(restoration->starts_at()) == arrived);
    CHECK(FromTs(restoration->due_at()) == arrived + 3h);  // urban
    CHECK_FALSE(restoration->has_met_at());
  }
  const auto order = *h.Order("WO-T-t3");
  CHECK(order.state() == v1::WORK_ORDER_STATE_ON_SITE);
  CHECK(FindClock(order.clocks(), v1::ServiceClock::KIND_ARRIVAL)->has_met_at());
  CHECK(FindClock(order.clocks(), v1::ServiceClock::KIND_RESTORATION) != nullptr);
  CHECK(h.StatusOf("CREW-A") == "on_site");

  h.clock.Advance(1h);
  const auto restored_at = h.Now();
  h.CrewDone(Completed("CREW-A", "WO-T-t3", true, "FUSE_BLOWN"), "c-4");
  const auto events = h.Take();
  const auto restored = One(events, ce::kIncidentRestored);
  CHECK(restored.key == "INC-T-t3");
  CHECK(restored.ce_subject == "INC-T-t3");
  // Every ticket, the merged children's included.
  CHECK(Strings(restored.event.incident_restored().ticket_ids()) == Strs{"t1", "t2", "t3", "t4"});
  const auto& incident = restored.event.incident_restored().incident();
  CHECK(incident.state() == v1::INCIDENT_STATE_RESTORED);
  CHECK(incident.cause_code() == "FUSE_BLOWN");
  CHECK(incident.cause().zh_cn() == "熔断器熔断");
  CHECK(incident.cause().en() == "Blown fuse");
  CHECK(FromTs(incident.restored_at()) == restored_at);
  for (const auto& clock : incident.clocks()) CHECK(clock.has_met_at());

  CHECK(h.Open().empty());
  CHECK(h.Orders().empty());
  CHECK_FALSE(h.d().Incident("INC-T-t3").has_value());
  CHECK(h.StatusOf("CREW-A") == "available");
  const auto snapshot = h.Snapshot();
  CHECK(snapshot.incidents.empty());  // the merged children are archived with their parent
  CHECK(snapshot.work_orders.empty());
  CHECK(snapshot.fired.empty());
  CHECK(h.memory.timers().empty());
  const auto archived = h.memory.archived_incidents();
  REQUIRE(archived.count("INC-T-t3"));
  CHECK(archived.at("INC-T-t3").state() == v1::INCIDENT_STATE_RESTORED);
  REQUIRE(archived.count("INC-S-t1"));
  CHECK(archived.at("INC-S-t1").state() == v1::INCIDENT_STATE_MERGED);
  REQUIRE_FALSE(snapshot.journal.empty());
  CHECK(snapshot.journal.back().closed_incident_id() == "INC-T-t3");

  // The next fault there is a new matter, also after a restart.
  h.Restart();
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t9", "c1");
  CHECK(One(h.Take(), ce::kIncidentOpened).key == "INC-S-t9");
}

TEST_CASE("a restoration report without a cause text explains itself with the cause code",
          "[dispatcher][crew]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  auto done = Completed("CREW-A", "WO-S-t1", true, "TREE_CONTACT");
  done.mutable_job_completed()->clear_cause();
  h.CrewDone(done, "c-1");
  const auto restored = One(h.Take(), ce::kIncidentRestored);
  CHECK(restored.event.incident_restored().incident().cause().en() ==
        "Fault repaired (TREE_CONTACT)");
  CHECK(Strings(restored.event.incident_restored().ticket_ids()) == Strs{"t1"});
}

TEST_CASE("reports from a crew that does not hold the job change nothing", "[dispatcher][crew]") {
  Harness h;
  TransformerOutage(h);
  const int commits = h.store.commits;
  h.CrewDone(Accepted("CREW-B", "WO-T-t3"), "b-1");
  h.CrewDone(EnRoute("CREW-B", "WO-T-t3"), "b-2");
  h.CrewDone(OnSite("CREW-B", "WO-T-t3"), "b-3");
  h.CrewDone(Completed("CREW-B", "WO-T-t3", true), "b-4");
  h.CrewDone(Declined("CREW-B", "WO-T-t3"), "b-5");
  // Jobs that are closed or never existed.
  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "a-1");  // cancelled by the merge
  h.CrewDone(Completed("CREW-A", "WO-NOPE", true), "a-2");
  CHECK(h.Take().empty());
  CHECK(h.store.commits == commits);
  CHECK(h.Order("WO-T-t3")->state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(h.Order("WO-T-t3")->crew_id() == "CREW-A");
  CHECK(h.OpenIds() == Strs{"INC-T-t3"});
}

TEST_CASE("a report of a step already taken changes nothing", "[dispatcher][crew]") {
  Harness h;
  TransformerOutage(h);
  h.CrewDone(OnSite("CREW-A", "WO-T-t3"), "a-1");
  (void)h.Take();
  const int commits = h.store.commits;
  h.CrewDone(EnRoute("CREW-A", "WO-T-t3"), "a-2");
  h.CrewDone(Accepted("CREW-A", "WO-T-t3"), "a-3");
  h.CrewDone(OnSite("CREW-A", "WO-T-t3"), "a-4");
  h.CrewDone(Declined("CREW-A", "WO-T-t3"), "a-5");  // too late to decline
  CHECK(h.Take().empty());
  CHECK(h.store.commits == commits);
  CHECK(h.Order("WO-T-t3")->state() == v1::WORK_ORDER_STATE_ON_SITE);
}

TEST_CASE("a declined job goes to another crew and is never offered back to a crew that declined",
          "[dispatcher][crew]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  h.CallNow("t1", "c1");
  REQUIRE(h.Order("WO-S-t1")->crew_id() == "CREW-A");
  (void)h.Take();

  h.CrewDone(Declined("CREW-A", "WO-S-t1", "truck broken down"), "a-1");
  auto events = h.Take();
  const auto moved = One(events, ce::kWorkOrderReassigned);
  CHECK(moved.key == "INC-S-t1");
  CHECK(moved.event.work_order_reassigned().previous_crew_id() == "CREW-A");
  CHECK(moved.event.work_order_reassigned().crew_id() == "CREW-B");
  CHECK(moved.event.work_order_reassigned().reason() == "declined");
  CHECK(One(events, ce::kIncidentUpdated).event.incident_updated().change() == "crew_reassigned");
  CHECK(h.Snapshot().declined.at("WO-S-t1") == std::set<std::string>{"CREW-A"});

  h.CrewDone(Declined("CREW-B", "WO-S-t1", "no ladder"), "b-1");
  events = h.Take();
  const auto queued = One(events, ce::kWorkOrderQueued);
  CHECK(queued.event.work_order_queued().arrival_at_risk());
  CHECK_THAT(queued.event.work_order_queued().reason(),
             Catch::StartsWith("crew CREW-B declined: no ladder"));
  CHECK(One(events, ce::kIncidentUpdated).event.incident_updated().change() == "waiting_for_crew");
  CHECK(h.Snapshot().declined.at("WO-S-t1") == std::set<std::string>{"CREW-A", "CREW-B"});

  // Both decliners are free and near, yet the job waits.
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  h.clock.Advance(2s);
  h.Tick();
  CHECK(h.Take().empty());
  CHECK(h.Order("WO-S-t1")->state() == v1::WORK_ORDER_STATE_QUEUED);

  // ... also after a restart.
  h.Restart();
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  h.clock.Advance(2s);
  h.Tick();
  CHECK(h.Take().empty());

  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now()),
            MakeCrew("CREW-C", 6, h.Now())});
  h.clock.Advance(2s);
  h.Tick();
  CHECK(One(h.Take(), ce::kWorkOrderAssigned).event.work_order_assigned().crew_id() == "CREW-C");
}

TEST_CASE(
    "an unfinished repair gets a follow-up work order with its own id that survives a "
    "restart",
    "[dispatcher][crew]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  h.CallNow("t1", "c1");
  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "a-1");
  (void)h.Take();
  h.clock.Advance(30min);
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  h.CrewDone(Completed("CREW-A", "WO-S-t1", false, "CABLE_FAULT"), "a-2");
  const auto events = h.Take();
  CHECK(Count(events, ce::kIncidentRestored) == 0);
  CHECK(OfType(events, ce::kIncidentUpdated).front().event.incident_updated().change() ==
        "repair_not_finished");
  const auto created = One(events, ce::kWorkOrderCreated).event.work_order_created().work_order();
  const std::string follow_up = created.work_order_id();
  CHECK(follow_up != "WO-S-t1");
  CHECK(follow_up == "WO-S-t1-2");
  CHECK(created.incident_id() == "INC-S-t1");
  CHECK(Count(events, ce::kWorkOrderAssigned) == 1);

  CHECK(h.OrderIds() == Strs{follow_up});
  CHECK(h.OpenIds() == Strs{"INC-S-t1"});
  CHECK(h.d().Incident("INC-S-t1")->work_order_id() == follow_up);
  const auto snapshot = h.Snapshot();
  REQUIRE(snapshot.work_orders.count(follow_up));
  CHECK(snapshot.work_orders.at(follow_up).state() == v1::WORK_ORDER_STATE_ASSIGNED);

  h.Restart();
  CHECK(h.OrderIds() == Strs{follow_up});

  // A second unfinished attempt gets yet another id.
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  const std::string crew = h.Order(follow_up)->crew_id();
  h.CrewDone(OnSite(crew, follow_up), "x-1");
  h.CrewDone(Completed(crew, follow_up, false, "CABLE_FAULT"), "x-2");
  const auto third = One(h.Take(), ce::kWorkOrderCreated).event.work_order_created().work_order();
  CHECK(third.work_order_id() == "WO-S-t1-3");
  CHECK(h.OrderIds() == Strs{"WO-S-t1-3"});
  h.Restart();
  CHECK(h.OrderIds() == Strs{"WO-S-t1-3"});
}

TEST_CASE("location reports keep a crew's position fresh between roster refreshes",
          "[dispatcher][crew]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 20, h.Now())});
  h.clock.Advance(20min);  // the roster's position is stale now
  h.CallNow("t1", "c1");
  CHECK(Count(h.Take(), ce::kWorkOrderQueued) == 1);
  h.CrewDone(LocationReported("CREW-A", 1), "loc-1");
  CHECK(h.Take().empty());
  h.clock.Advance(2s);
  h.Tick();
  const auto assigned = One(h.Take(), ce::kWorkOrderAssigned);
  CHECK(assigned.event.work_order_assigned().estimated_travel_minutes() < 10);
  // An older roster entry does not move the crew back.
  h.Roster({MakeCrew("CREW-A", 20, T0())});
  for (const auto& view : h.d().Crews()) {
    CHECK(view.position().latitude() == Approx(kLat + kKm));
  }
}

}  // namespace
}  // namespace gridcare::dispatch
