// The parts the Dispatcher coordinates, each on its own: DispatchPass (event ids), AlarmBook
// (timers and fired steps), IncidentBook (incidents from correlation, journal replay, merges),
// WorkOrderBook (ids, cancel, complete), CrewRoster (positions) and ConsoleView (read models).
// Their behaviour through the Dispatcher is covered by the other files here.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "alarm_book.h"
#include "console_view.h"
#include "crew_roster.h"
#include "dispatch_pass.h"
#include "dispatcher_fixture.h"
#include "incident_book.h"
#include "work_order_book.h"

namespace gridcare::dispatch {
namespace {

using namespace test;

/// An open incident with an urban ARRIVAL clock started at T0 (due T0 + 45 min).
v1::Incident OpenIncident(const std::string& id,
                          v1::IncidentLevel level = v1::INCIDENT_LEVEL_TRANSFORMER) {
  v1::Incident incident;
  incident.set_incident_id(id);
  incident.set_state(v1::INCIDENT_STATE_OPEN);
  incident.set_level(level);
  incident.set_priority(v1::PRIORITY_HIGH);
  incident.set_area_class(v1::AREA_CLASS_URBAN);
  auto* clock = incident.add_clocks();
  clock->set_kind(v1::ServiceClock::KIND_ARRIVAL);
  *clock->mutable_starts_at() = sla::ToTimestamp(T0());
  *clock->mutable_due_at() = sla::ToTimestamp(T0() + 45min);
  return incident;
}

v1::WorkOrder HeldOrder(const std::string& id, const std::string& crew, v1::WorkOrderState state,
                        v1::Priority priority = v1::PRIORITY_NORMAL) {
  v1::WorkOrder order;
  order.set_work_order_id(id);
  order.set_state(state);
  order.set_crew_id(crew);
  order.set_priority(priority);
  return order;
}

FaultCall Call(const std::string& ticket, const std::string& customer, core::TimePoint at) {
  FaultCall call;
  call.ticket_id = ticket;
  call.customer_id = customer;
  call.supply.set_feeder_id("F1");
  call.supply.set_transformer_id("T1");
  call.area_class = v1::AREA_CLASS_URBAN;
  call.received_at = at;
  call.topology = {100, 1000, 10};
  return call;
}

TEST_CASE("a pass derives its event ids from its source and their order", "[dispatcher][parts]") {
  core::FakeClock clock{T0()};
  auto ids = [&clock] {
    DispatchPass pass("evt-1", kTraceparent, clock);
    v1::DispatchEvent event;
    pass.Emit("INC-1", ce::kIncidentUpdated, "INC-1", event);
    pass.Emit("INC-1", ce::kIncidentUpdated, "INC-1", event);
    pass.Emit("INC-1", ce::kClockAlarm, "INC-1", event, "fixed-id");
    std::vector<std::string> out;
    for (const auto& p : Decode(pass.batch.records)) out.push_back(p.ce_id);
    return out;
  };
  const auto first = ids();
  REQUIRE(first.size() == 3);
  CHECK(first[0] != first[1]);
  CHECK(first[2] == "fixed-id");
  CHECK(ids() == first);  // a retried input publishes the same ids
}

TEST_CASE("the alarm book keeps an incident's timer at its next alarm", "[dispatcher][parts]") {
  core::FakeClock clock{T0()};
  AlarmBook alarms(ClockAlarmSettings{});
  const v1::Incident incident = OpenIncident("INC-1");
  DispatchPass pass("tick/1", "", clock);

  alarms.Schedule(pass, "INC-1", &incident);
  CHECK(pass.batch.timers.at("INC-1") == Ms(T0() + 35min));  // the reminder, 10 min before due

  // Past the deadline: the stale reminder is dropped, ladder step 1 raised once.
  CHECK(alarms.Raise(pass, incident, T0() + 46min) == 1);
  CHECK(alarms.FiredSteps("INC-1", v1::ServiceClock::KIND_ARRIVAL) == std::set<int>{1});
  CHECK(pass.batch.timers.at("INC-1") == Ms(T0() + 45min + 30min));
  CHECK(alarms.Raise(pass, incident, T0() + 46min) == 0);
  const auto raised = Decode(pass.batch.records);
  REQUIRE(raised.size() == 1);
  CHECK(raised[0].event.clock_alarm().ladder_step() == 1);

  alarms.Stop(pass, "INC-1");  // merged: no timer, the steps stay
  CHECK_FALSE(pass.batch.timers.at("INC-1").has_value());
  CHECK(alarms.FiredSteps("INC-1", v1::ServiceClock::KIND_ARRIVAL) == std::set<int>{1});
  alarms.Forget(pass, "INC-1");  // closed: the steps go too
  CHECK(alarms.FiredSteps("INC-1", v1::ServiceClock::KIND_ARRIVAL).empty());
  CHECK(pass.batch.fired.at("INC-1/arrival").empty());

  alarms.Schedule(pass, "INC-gone", nullptr);
  CHECK_FALSE(pass.batch.timers.at("INC-gone").has_value());
}

TEST_CASE("the incident book turns correlation's records into incidents and replays its journal",
          "[dispatcher][parts]") {
  core::FakeClock clock{T0()};
  DispatchSettings settings;
  AlarmBook alarms(settings.alarms);
  IncidentBook book(settings, alarms);
  DispatchPass pass("evt-1", "", clock);
  std::vector<FaultCall> calls = {Call("t1", "c1", T0()), Call("t2", "c2", T0() + 1min),
                                  Call("t3", "c3", T0() + 2min)};
  for (const auto& call : calls) {
    auto decision = book.Correlate(call);
    REQUIRE(decision.ok());
    IncidentBook::Journal(pass, call);
    for (const auto& effect : decision->effects) {
      REQUIRE(book.Sync(pass, effect.incident_id) != nullptr);
    }
  }
  CHECK(book.TicketsOf("INC-T-t3") == std::vector<std::string>{"t1", "t2", "t3"});
  CHECK(book.FirstTicketOf("INC-T-t3") == "t1");
  const v1::Incident* incident = book.Find("INC-T-t3");
  REQUIRE(incident != nullptr);
  CHECK(incident->priority() == v1::PRIORITY_HIGH);
  REQUIRE(incident->clocks_size() == 1);
  CHECK(FromTs(incident->clocks(0).due_at()) == T0() + 2min + 45min);
  CHECK(pass.batch.timers.count("INC-T-t3"));
  CHECK(book.Sync(pass, "INC-unknown") == nullptr);

  // The single-customer incidents absorbed by the transformer incident are merged.
  const auto order = book.Merge(pass, "INC-S-t1", "INC-T-t3");
  REQUIRE(order.has_value());
  CHECK(order->empty());  // no work order was created for it here
  CHECK(book.Find("INC-S-t1")->state() == v1::INCIDENT_STATE_MERGED);
  CHECK_FALSE(book.Merge(pass, "INC-unknown", "INC-T-t3").has_value());

  // A fresh book recovers the same correlation from the journal.
  AlarmBook alarms2(settings.alarms);
  IncidentBook recovered(settings, alarms2);
  REQUIRE(recovered.Recover(pass.batch.journal, {}, {}).ok());
  CHECK(recovered.TicketsOf("INC-T-t3") == std::vector<std::string>{"t1", "t2", "t3"});
  CHECK(recovered.incidents().empty());  // the v1::Incidents come from the store
}

TEST_CASE("the work order book numbers follow-up orders and archives closed ones",
          "[dispatcher][parts]") {
  core::FakeClock clock{T0()};
  WorkOrderBook book;
  DispatchPass pass("evt-1", "", clock);
  v1::Incident incident = OpenIncident("INC-T-t3");
  const std::string first = book.Create(pass, incident, "t1");
  CHECK(first == "WO-T-t3");
  const v1::WorkOrder* order = book.Find(first);
  REQUIRE(order != nullptr);
  CHECK(order->state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(order->required_skill() == v1::CREW_SKILL_TRANSFORMER);
  CHECK(order->ticket_id().empty());  // only a single-customer order names its ticket
  CHECK(order->clocks_size() == 1);
  CHECK(One(Decode(pass.batch.records), ce::kWorkOrderCreated).key == "INC-T-t3");

  incident.set_work_order_id(first);
  CHECK(book.Create(pass, incident, "t1") == "WO-T-t3-2");
  incident.set_work_order_id("WO-T-t3-2");
  CHECK(book.Create(pass, incident, "t1") == "WO-T-t3-3");
  CHECK(book.IdsIn(v1::WORK_ORDER_STATE_QUEUED) ==
        std::vector<std::string>{"WO-T-t3", "WO-T-t3-2", "WO-T-t3-3"});

  const v1::Incident single = OpenIncident("INC-S-t9", v1::INCIDENT_LEVEL_SINGLE_CUSTOMER);
  const std::string single_id = book.Create(pass, single, "t9");
  CHECK(book.Find(single_id)->ticket_id() == "t9");
  CHECK(book.Find(single_id)->required_skill() == v1::CREW_SKILL_LOW_VOLTAGE);

  // A held order is cancelled with its crew named; its declines go with it.
  v1::WorkOrder* held = book.Find("WO-T-t3-2");
  held->set_state(v1::WORK_ORDER_STATE_EN_ROUTE);
  held->set_crew_id("CREW-A");
  book.AddDecline(pass, "WO-T-t3-2", "CREW-B");
  CHECK(book.declined().at("WO-T-t3-2") == std::set<std::string>{"CREW-B"});
  book.Cancel(pass, "WO-T-t3-2", "merged into incident INC-F-t9");
  CHECK(book.Find("WO-T-t3-2") == nullptr);
  CHECK(book.declined().count("WO-T-t3-2") == 0);
  CHECK(pass.batch.declined.at("WO-T-t3-2").empty());
  CHECK(pass.batch.closed_work_orders.at("WO-T-t3-2").state() == v1::WORK_ORDER_STATE_CANCELLED);
  const auto cancelled = One(Decode(pass.batch.records), ce::kWorkOrderCancelled);
  CHECK(cancelled.event.work_order_cancelled().crew_id() == "CREW-A");
  book.Cancel(pass, "WO-T-t3-2", "again");  // closed already: nothing
  CHECK(Count(Decode(pass.batch.records), ce::kWorkOrderCancelled) == 1);

  const v1::WorkOrder done = book.Complete(pass, "WO-T-t3", T0() + 1h);
  CHECK(done.state() == v1::WORK_ORDER_STATE_COMPLETED);
  CHECK(FromTs(done.clocks(0).met_at()) == T0() + 1h);
  CHECK(book.Find("WO-T-t3") == nullptr);
  CHECK(pass.batch.work_orders.count("WO-T-t3") == 0);
}

TEST_CASE("the crew roster keeps the fresher of a reported and a rostered position",
          "[dispatcher][parts]") {
  CrewRoster roster;
  CHECK_FALSE(roster.DepotCentre().has_value());
  v1::Crew a = MakeCrew("CREW-A", 0, T0());
  a.mutable_depot_location()->set_latitude(10);
  v1::Crew b = MakeCrew("CREW-B", 0, T0());
  b.mutable_depot_location()->set_latitude(20);
  roster.Update({a, b});

  v1::LocationReported report;
  report.set_crew_id("CREW-A");
  report.mutable_position()->set_latitude(kLat + 5 * kKm);
  CHECK(roster.ReportPosition(report, T0() + 5min));
  report.set_crew_id("CREW-Z");
  CHECK_FALSE(roster.ReportPosition(report, T0() + 5min));

  roster.Update({a, b});  // the roster's position is older than the report: the report stays
  CHECK(roster.Find("CREW-A")->position().latitude() == Approx(kLat + 5 * kKm));
  a.mutable_position()->set_latitude(kLat + 9 * kKm);
  *a.mutable_position_at() = sla::ToTimestamp(T0() + 10min);
  roster.Update({a});  // a newer roster position wins; CREW-B left the roster
  CHECK(roster.Find("CREW-A")->position().latitude() == Approx(kLat + 9 * kKm));
  CHECK(roster.Find("CREW-B") == nullptr);

  v1::AvailabilityChanged changed;
  changed.set_crew_id("CREW-A");
  changed.set_availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
  CHECK(roster.ReportAvailability(changed));
  CHECK(roster.Find("CREW-A")->availability() == v1::CREW_AVAILABILITY_OFF_SHIFT);
  roster.Update({a, b});
  REQUIRE(roster.DepotCentre().has_value());
  CHECK(roster.DepotCentre()->latitude == Approx(15));
}

TEST_CASE("the console view sorts by urgency and names each crew's status", "[dispatcher][parts]") {
  DispatchSettings settings;
  AlarmBook alarms(settings.alarms);
  IncidentBook incidents(settings, alarms);
  WorkOrderBook work_orders;
  CrewRoster crews;
  ConsoleView view(incidents, work_orders, crews);

  v1::Incident merged = OpenIncident("INC-2");
  merged.set_state(v1::INCIDENT_STATE_MERGED);
  REQUIRE(incidents.Recover({}, {{"INC-1", OpenIncident("INC-1")}, {"INC-2", merged}}, {}).ok());
  work_orders.Recover(
      {{"WO-1", HeldOrder("WO-1", "CREW-A", v1::WORK_ORDER_STATE_ASSIGNED)},
       {"WO-2", HeldOrder("WO-2", "CREW-A", v1::WORK_ORDER_STATE_ON_SITE, v1::PRIORITY_URGENT)},
       {"WO-3", HeldOrder("WO-3", "", v1::WORK_ORDER_STATE_QUEUED)}},
      {});
  v1::Crew off = MakeCrew("CREW-C", 0, T0());
  off.set_availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
  crews.Update({MakeCrew("CREW-A", 0, T0()), MakeCrew("CREW-B", 0, T0()), off});

  const auto open = view.OpenIncidents({}, T0());
  REQUIRE(open.size() == 1);  // merged incidents are left out
  CHECK(open[0].incident_id() == "INC-1");
  v1::ListOpenIncidentsRequest overdue;
  overdue.set_overdue_only(true);
  CHECK(view.OpenIncidents(overdue, T0() + 44min).empty());
  CHECK(view.OpenIncidents(overdue, T0() + 46min).size() == 1);
  CHECK(view.Incident("INC-2").has_value());
  CHECK_FALSE(view.Incident("INC-9").has_value());

  const auto orders = view.WorkOrders({});
  REQUIRE(orders.size() == 3);
  CHECK(orders[0].work_order_id() == "WO-2");  // urgent first
  v1::ListWorkOrdersRequest queued;
  queued.add_states(v1::WORK_ORDER_STATE_QUEUED);
  CHECK(view.WorkOrders(queued).size() == 1);

  const auto views = view.Crews();
  REQUIRE(views.size() == 3);
  CHECK(views[0].status() == "on_site");  // its most advanced job
  CHECK(Strings(views[0].work_order_ids()) == std::vector<std::string>{"WO-1", "WO-2"});
  CHECK(views[1].status() == "available");
  CHECK(views[2].status() == "off_shift");

  const auto counts = view.Counts();
  CHECK(counts.incidents == 1);
  CHECK(counts.work_orders == 3);
  CHECK(counts.queued_work_orders == 1);
}

}  // namespace
}  // namespace gridcare::dispatch
