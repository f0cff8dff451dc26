// Dispatcher: which crew gets a job (nearest qualified, life-support first, capacity), queued jobs
// picked up by a later tick, jobs moved when their crew goes off shift or vanishes, and the
// console's assignment by hand.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

v1::AssignWorkOrderRequest ByHand(const std::string& order, const std::string& crew,
                                  const std::string& reason = {}) {
  v1::AssignWorkOrderRequest request;
  request.set_work_order_id(order);
  request.set_crew_id(crew);
  request.set_dispatcher_id("D-7");
  request.set_reason(reason);
  return request;
}

TEST_CASE("the nearest crew that has the skill, is available, located and on shift gets the job",
          "[dispatcher][assignment]") {
  Harness h;
  auto off_duty = MakeCrew("OFF", 0.2, h.Now(), {v1::CREW_SKILL_LOW_VOLTAGE});
  off_duty.set_availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
  auto stale = MakeCrew("STALE", 0.3, h.Now() - 20min, {v1::CREW_SKILL_LOW_VOLTAGE});
  auto no_shift = MakeCrew("NOSHIFT", 0.1, h.Now(), {v1::CREW_SKILL_LOW_VOLTAGE});
  no_shift.clear_shifts();  // no shift at all is never on shift
  h.Roster({MakeCrew("METER", 0.5, h.Now(), {v1::CREW_SKILL_METERING}),
            MakeCrew("FAR", 5, h.Now(), {v1::CREW_SKILL_LOW_VOLTAGE}),
            MakeCrew("NEAR", 2, h.Now(), {v1::CREW_SKILL_LOW_VOLTAGE}), off_duty, stale, no_shift});
  h.CallNow("t1", "c1");
  const auto assigned = One(h.Take(), ce::kWorkOrderAssigned);
  CHECK(assigned.event.work_order_assigned().crew_id() == "NEAR");
  CHECK(h.StatusOf("NEAR") == "assigned");
  CHECK(h.StatusOf("FAR") == "available");
  CHECK(h.StatusOf("OFF") == "off_shift");
}

TEST_CASE("a queued job gets a crew on the first tick after one appears",
          "[dispatcher][assignment]") {
  Harness h;
  h.CallNow("t1", "c1");
  CHECK(One(h.Take(), ce::kWorkOrderQueued).event.work_order_queued().arrival_at_risk());
  h.clock.Advance(2s);
  CHECK(h.Tick() == 0);
  CHECK(h.Take().empty());

  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.clock.Advance(2s);
  CHECK(h.Tick() == 2);
  const auto events = h.Take();
  REQUIRE(Types(events) ==
          Strs{std::string(ce::kWorkOrderAssigned), std::string(ce::kIncidentUpdated)});
  CHECK(events[0].key == "INC-S-t1");
  CHECK(events[0].event.work_order_assigned().crew_id() == "CREW-A");
  CHECK(events[1].event.incident_updated().change() == "crew_assigned");
  CHECK(h.Order("WO-S-t1")->state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(h.d().Incident("INC-S-t1")->state() == v1::INCIDENT_STATE_ASSIGNED);
  CHECK(h.Snapshot().work_orders.at("WO-S-t1").crew_id() == "CREW-A");
  // Tick events wait for delivery: nothing is left pending.
  CHECK(h.memory.PendingOutboxes()->empty());
}

TEST_CASE("a life-support customer's job gets the only crew before an earlier ordinary job",
          "[dispatcher][assignment]") {
  DispatchSettings settings;
  settings.assignment.max_jobs_per_crew = 1;
  Harness h(settings);
  h.CallNow("n1", "c1", "F1", "T1", 0);
  h.clock.Advance(1min);
  auto urgent = FaultTicket("ls1", "c2", "F2", "T9", h.Now(), 5);
  urgent.add_customer_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
  h.Call(urgent);
  CHECK(h.d().Incident("INC-S-ls1")->priority() == v1::PRIORITY_URGENT);
  CHECK(h.Order("WO-S-ls1")->priority() == v1::PRIORITY_URGENT);
  CHECK(h.OrderIds().front() == "WO-S-ls1");  // most urgent first
  (void)h.Take();

  // The crew is next to the ordinary call and 4.5 km from the life-support customer.
  h.Roster({MakeCrew("CREW-A", 0.5, h.Now())});
  h.clock.Advance(2s);
  h.Tick();
  const auto assigned = One(h.Take(), ce::kWorkOrderAssigned);
  CHECK(assigned.ce_subject == "WO-S-ls1");
  CHECK(assigned.event.work_order_assigned().crew_id() == "CREW-A");
  CHECK(h.Order("WO-S-n1")->state() == v1::WORK_ORDER_STATE_QUEUED);
}

TEST_CASE("a crew at its job limit takes no more, and the waiting job gets it once it is free",
          "[dispatcher][assignment]") {
  DispatchSettings settings;
  settings.assignment.max_jobs_per_crew = 1;
  Harness h(settings);
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1", "F1", "T1");
  h.CallNow("t2", "c2", "F2", "T9");
  const auto queued = One(h.Take(), ce::kWorkOrderQueued);
  CHECK(queued.ce_subject == "WO-S-t2");
  CHECK_THAT(queued.event.work_order_queued().reason(), Catch::Contains("at capacity"));
  // The crew will be free soon and is close: the deadline is not yet at risk.
  CHECK_FALSE(queued.event.work_order_queued().arrival_at_risk());

  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "c-1");
  h.CrewDone(Completed("CREW-A", "WO-S-t1", true), "c-2");
  (void)h.Take();
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.clock.Advance(2s);
  h.Tick();
  const auto assigned = One(h.Take(), ce::kWorkOrderAssigned);
  CHECK(assigned.ce_subject == "WO-S-t2");
  CHECK(assigned.event.work_order_assigned().crew_id() == "CREW-A");
}

TEST_CASE("a job whose crew goes off shift moves to another crew on the next tick",
          "[dispatcher][assignment]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 4, h.Now())});
  h.CallNow("t1", "c1");
  REQUIRE(h.Order("WO-S-t1")->crew_id() == "CREW-A");
  (void)h.Take();
  v1::CrewEvent off;
  off.mutable_availability_changed()->set_crew_id("CREW-A");
  off.mutable_availability_changed()->set_availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
  h.CrewDone(off, "c-off");
  CHECK(h.Take().empty());  // availability alone publishes nothing
  h.clock.Advance(2s);
  h.Tick();
  const auto events = h.Take();
  const auto moved = One(events, ce::kWorkOrderReassigned);
  CHECK(moved.event.work_order_reassigned().previous_crew_id() == "CREW-A");
  CHECK(moved.event.work_order_reassigned().crew_id() == "CREW-B");
  CHECK(moved.event.work_order_reassigned().reason() == "off shift");
  CHECK(moved.event.work_order_reassigned().work_order().reassignment_count() == 1);
  CHECK(One(events, ce::kIncidentUpdated).event.incident_updated().change() == "crew_reassigned");
  CHECK(h.Order("WO-S-t1")->crew_id() == "CREW-B");
  CHECK(h.StatusOf("CREW-A") == "off_shift");
}

TEST_CASE(
    "a crew that can no longer make the deadline gives the job to one arriving much "
    "earlier",
    "[dispatcher][assignment]") {
  Harness h;
  // 15 km away in the city: 36 minutes of driving plus 5 to set off, inside the 45 minutes.
  h.Roster({MakeCrew("FAR", 15, h.Now())});
  h.CallNow("t1", "c1");
  REQUIRE(h.Order("WO-S-t1")->crew_id() == "FAR");
  (void)h.Take();
  // Ten minutes later it has not moved: it would now arrive at T0+46m.
  h.clock.Set(T0() + 10min);
  h.Roster({MakeCrew("FAR", 15, h.Now())});
  h.Tick();
  CHECK(h.Take().empty());  // no one better: it keeps the job
  h.Roster({MakeCrew("FAR", 15, h.Now()), MakeCrew("NEAR", 1, h.Now())});
  h.clock.Advance(2s);
  h.Tick();
  const auto moved = One(h.Take(), ce::kWorkOrderReassigned);
  CHECK(moved.event.work_order_reassigned().previous_crew_id() == "FAR");
  CHECK(moved.event.work_order_reassigned().crew_id() == "NEAR");
  CHECK(moved.event.work_order_reassigned().reason() == "cannot make the deadline");
}

TEST_CASE("a job whose crew left the roster moves to another crew, or waits when there is none",
          "[dispatcher][assignment]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 4, h.Now())});
  h.CallNow("t1", "c1");
  REQUIRE(h.Order("WO-S-t1")->crew_id() == "CREW-A");
  (void)h.Take();
  SECTION("another crew takes it") {
    h.Roster({MakeCrew("CREW-B", 4, h.Now())});
    h.clock.Advance(2s);
    h.Tick();
    const auto moved = One(h.Take(), ce::kWorkOrderReassigned);
    CHECK(moved.event.work_order_reassigned().previous_crew_id() == "CREW-A");
    CHECK(moved.event.work_order_reassigned().crew_id() == "CREW-B");
    CHECK(moved.event.work_order_reassigned().reason() == "stopped reporting");
  }
  SECTION("no crew left: it waits, at risk, and the incident says so") {
    auto busy_elsewhere = MakeCrew("CREW-B", 4, h.Now());
    busy_elsewhere.set_availability(v1::CREW_AVAILABILITY_UNREACHABLE);
    h.Roster({busy_elsewhere});
    h.clock.Advance(2s);
    h.Tick();
    const auto events = h.Take();
    const auto queued = One(events, ce::kWorkOrderQueued);
    CHECK(queued.event.work_order_queued().arrival_at_risk());
    CHECK_THAT(queued.event.work_order_queued().reason(),
               Catch::StartsWith("crew CREW-A stopped reporting"));
    const auto updated = One(events, ce::kIncidentUpdated);
    CHECK(updated.event.incident_updated().change() == "waiting_for_crew");
    CHECK(updated.event.incident_updated().incident().crew_id().empty());
    CHECK(h.Order("WO-S-t1")->state() == v1::WORK_ORDER_STATE_QUEUED);
    CHECK(h.Order("WO-S-t1")->crew_id().empty());
  }
}

TEST_CASE("assigning by hand needs both ids and names an open work order and a known crew",
          "[dispatcher][assignment][console]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  (void)h.Take();
  auto missing_order = h.d().AssignByHand(ByHand("", "CREW-A"));
  REQUIRE_FALSE(missing_order.ok());
  CHECK(missing_order.error().kind == core::ErrorKind::kInvalidArgument);
  auto missing_crew = h.d().AssignByHand(ByHand("WO-S-t1", ""));
  REQUIRE_FALSE(missing_crew.ok());
  CHECK(missing_crew.error().kind == core::ErrorKind::kInvalidArgument);
  auto unknown_order = h.d().AssignByHand(ByHand("WO-NOPE", "CREW-A"));
  REQUIRE_FALSE(unknown_order.ok());
  CHECK(unknown_order.error().kind == core::ErrorKind::kNotFound);
  auto unknown_crew = h.d().AssignByHand(ByHand("WO-S-t1", "CREW-Z"));
  REQUIRE_FALSE(unknown_crew.ok());
  CHECK(unknown_crew.error().kind == core::ErrorKind::kNotFound);
  CHECK(h.Take().empty());

  // The crew that already holds it: nothing to do.
  auto same = h.d().AssignByHand(ByHand("WO-S-t1", "CREW-A"));
  REQUIRE(same.ok());
  CHECK(same->crew_id() == "CREW-A");
  CHECK(h.Take().empty());
}

TEST_CASE("assigning a queued job by hand announces the assignment with the dispatcher's name",
          "[dispatcher][assignment][console]") {
  Harness h;
  h.CallNow("t1", "c1");
  (void)h.Take();
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  auto assigned = h.d().AssignByHand(ByHand("WO-S-t1", "CREW-A"));
  REQUIRE(assigned.ok());
  CHECK(assigned->state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(assigned->crew_id() == "CREW-A");
  const auto events = h.Take();
  const auto event = One(events, ce::kWorkOrderAssigned);
  CHECK(event.key == "INC-S-t1");
  CHECK_THAT(Strings(event.event.work_order_assigned().ranking_reasons()),
             Catch::VectorContains(std::string("assigned by dispatcher D-7")));
  CHECK(One(events, ce::kIncidentUpdated).event.incident_updated().change() == "crew_assigned");
  CHECK(h.memory.PendingOutboxes()->empty());
}

TEST_CASE("reassigning by hand names the previous crew and moves the incident to the new one",
          "[dispatcher][assignment][console]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  h.CallNow("t1", "c1");
  REQUIRE(h.Order("WO-S-t1")->crew_id() == "CREW-A");
  h.CrewDone(Accepted("CREW-A", "WO-S-t1"), "c-1");
  (void)h.Take();
  auto moved = h.d().AssignByHand(ByHand("WO-S-t1", "CREW-B", "closer to the site"));
  REQUIRE(moved.ok());
  CHECK(moved->crew_id() == "CREW-B");
  CHECK(moved->state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(moved->reassignment_count() == 1);
  const auto events = h.Take();
  const auto reassigned = One(events, ce::kWorkOrderReassigned);
  CHECK(reassigned.key == "INC-S-t1");
  CHECK(reassigned.ce_subject == "WO-S-t1");
  CHECK(reassigned.event.work_order_reassigned().previous_crew_id() == "CREW-A");
  CHECK(reassigned.event.work_order_reassigned().crew_id() == "CREW-B");
  CHECK(reassigned.event.work_order_reassigned().reason() ==
        "by dispatcher D-7: closer to the site");
  CHECK(One(events, ce::kIncidentUpdated).event.incident_updated().change() == "crew_reassigned");
  CHECK(h.d().Incident("INC-S-t1")->crew_id() == "CREW-B");
  CHECK(h.StatusOf("CREW-A") == "available");
  CHECK(h.StatusOf("CREW-B") == "assigned");
  // The old crew's reports no longer count.
  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "c-2");
  CHECK(h.Take().empty());
  CHECK(h.Order("WO-S-t1")->state() == v1::WORK_ORDER_STATE_ASSIGNED);
}

TEST_CASE("a job being repaired on site cannot be reassigned by hand",
          "[dispatcher][assignment][console]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 3, h.Now())});
  h.CallNow("t1", "c1");
  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "c-1");
  (void)h.Take();
  auto refused = h.d().AssignByHand(ByHand("WO-S-t1", "CREW-B"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == core::ErrorKind::kFailedPrecondition);
  CHECK(h.Take().empty());
  CHECK(h.Order("WO-S-t1")->crew_id() == "CREW-A");
}

TEST_CASE("a dispatcher may give a job to a crew outside the ranking rules and the event says so",
          "[dispatcher][assignment][console]") {
  Harness h;
  h.Roster({MakeCrew("METER", 2, h.Now(), {v1::CREW_SKILL_METERING})});
  h.CallNow("t1", "c1");
  const auto queued = One(h.Take(), ce::kWorkOrderQueued);
  CHECK_THAT(queued.event.work_order_queued().reason(), Catch::Contains("missing skill"));
  auto assigned = h.d().AssignByHand(ByHand("WO-S-t1", "METER"));
  REQUIRE(assigned.ok());
  const auto event = One(h.Take(), ce::kWorkOrderAssigned);
  CHECK(event.event.work_order_assigned().crew_id() == "METER");
  const auto reasons = Strings(event.event.work_order_assigned().ranking_reasons());
  CHECK_THAT(reasons,
             Catch::VectorContains(std::string("chosen by dispatcher outside the ranking rules")));
  CHECK_THAT(reasons, Catch::VectorContains(std::string("assigned by dispatcher D-7")));
  CHECK(event.event.work_order_assigned().estimated_travel_minutes() > 5);
  CHECK(h.Order("WO-S-t1")->crew_id() == "METER");
}

}  // namespace
}  // namespace gridcare::dispatch
