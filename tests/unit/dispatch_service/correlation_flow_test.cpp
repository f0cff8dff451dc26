// Dispatcher: fault tickets through correlation to incidents and work orders, and the events they
// publish on gridcare.dispatch.v1 (keys, CloudEvents headers, payloads); large incidents split
// over several events.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

std::string TraceId(const std::string& traceparent) {
  return traceparent.size() >= 35 ? traceparent.substr(3, 32) : std::string();
}

TEST_CASE("an isolated call opens a single-customer incident and its work order goes to a crew",
          "[dispatcher][correlation]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 2, h.Now())});
  h.CallNow("t1", "c1");
  const auto events = h.Take();
  REQUIRE(Types(events) ==
          Strs{std::string(ce::kIncidentOpened), std::string(ce::kWorkOrderCreated),
               std::string(ce::kWorkOrderAssigned), std::string(ce::kIncidentUpdated)});
  std::set<std::string> ids;
  for (const auto& e : events) {
    CHECK(e.topic == "gridcare.dispatch.v1");
    CHECK(e.key == "INC-S-t1");
    CHECK(e.ce_source == "/gridcare/dispatch");
    CHECK(TraceId(e.traceparent) == TraceId(kTraceparent));
    CHECK(e.traceparent != kTraceparent);
    CHECK_FALSE(e.ce_id.empty());
    ids.insert(e.ce_id);
  }
  CHECK(ids.size() == events.size());

  const auto& opened = events[0];
  CHECK(opened.ce_subject == "INC-S-t1");
  const v1::Incident& incident = opened.event.incident_opened().incident();
  CHECK(incident.incident_id() == "INC-S-t1");
  CHECK(incident.level() == v1::INCIDENT_LEVEL_SINGLE_CUSTOMER);
  CHECK(incident.state() == v1::INCIDENT_STATE_OPEN);
  CHECK(Strings(incident.ticket_ids()) == Strs{"t1"});
  CHECK(incident.call_count() == 1);
  CHECK(incident.priority() == v1::PRIORITY_NORMAL);
  CHECK(incident.supply().transformer_id() == "T1");
  CHECK(FromTs(incident.opened_at()) == T0());
  REQUIRE(incident.clocks_size() == 1);
  CHECK(incident.clocks(0).kind() == v1::ServiceClock::KIND_ARRIVAL);
  CHECK(FromTs(incident.clocks(0).due_at()) == T0() + 45min);

  const auto& created = events[1];
  CHECK(created.ce_subject == "WO-S-t1");
  const v1::WorkOrder& order = created.event.work_order_created().work_order();
  CHECK(order.work_order_id() == "WO-S-t1");
  CHECK(order.kind() == v1::WORK_ORDER_KIND_REPAIR);
  CHECK(order.state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(order.incident_id() == "INC-S-t1");
  CHECK(order.ticket_id() == "t1");
  CHECK(order.required_skill() == v1::CREW_SKILL_LOW_VOLTAGE);
  CHECK(order.area_class() == v1::AREA_CLASS_URBAN);
  REQUIRE(order.clocks_size() == 1);
  CHECK(FromTs(order.clocks(0).due_at()) == T0() + 45min);

  const auto& assigned = events[2];
  CHECK(assigned.ce_subject == "WO-S-t1");
  CHECK(assigned.event.work_order_assigned().crew_id() == "CREW-A");
  CHECK(assigned.event.work_order_assigned().work_order().state() == v1::WORK_ORDER_STATE_ASSIGNED);
  // 2.2 km at 25 km/h plus 5 minutes to get going.
  CHECK(assigned.event.work_order_assigned().estimated_travel_minutes() ==
        Approx(10.3).margin(0.2));
  CHECK_THAT(Strings(assigned.event.work_order_assigned().ranking_reasons()),
             Catch::VectorContains(std::string("has skill CREW_SKILL_LOW_VOLTAGE")));

  const auto& updated = events[3].event.incident_updated();
  CHECK(updated.change() == "crew_assigned");
  CHECK(updated.incident().crew_id() == "CREW-A");
  CHECK(updated.incident().state() == v1::INCIDENT_STATE_ASSIGNED);
  CHECK(updated.incident().work_order_id() == "WO-S-t1");
  CHECK(Strings(updated.incident().ticket_ids()) == Strs{"t1"});
  CHECK(FromTs(updated.incident().estimated_restoration_at()) ==
        T0() +
            std::chrono::seconds(std::llround(
                assigned.event.work_order_assigned().estimated_travel_minutes() * 60)) +
            90min);

  REQUIRE(h.OpenIds() == Strs{"INC-S-t1"});
  CHECK(h.Open()[0].crew_id() == "CREW-A");
  CHECK(h.Open()[0].ticket_ids_size() == 0);  // the list view carries no ticket ids
  REQUIRE(h.Order("WO-S-t1"));
  CHECK(h.Order("WO-S-t1")->crew_id() == "CREW-A");
  CHECK(h.d().Incident("INC-S-t1")->ticket_ids_size() == 1);
}

TEST_CASE("an isolated call with no crew on the roster is queued with its arrival at risk",
          "[dispatcher][correlation]") {
  Harness h;
  h.CallNow("t1", "c1");
  const auto events = h.Take();
  REQUIRE(Types(events) == Strs{std::string(ce::kIncidentOpened),
                                std::string(ce::kWorkOrderCreated),
                                std::string(ce::kWorkOrderQueued)});
  const auto& queued = events[2];
  CHECK(queued.key == "INC-S-t1");
  CHECK(queued.ce_subject == "WO-S-t1");
  CHECK(queued.event.work_order_queued().arrival_at_risk());
  CHECK(queued.event.work_order_queued().reason() == "no crews on the roster");
  CHECK(queued.event.work_order_queued().work_order().state() == v1::WORK_ORDER_STATE_QUEUED);
  REQUIRE(h.Order("WO-S-t1"));
  CHECK(h.Order("WO-S-t1")->state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(h.Order("WO-S-t1")->crew_id().empty());
}

TEST_CASE(
    "three customers on one transformer open a transformer incident that absorbs the "
    "single-customer incidents and cancels their work orders",
    "[dispatcher][correlation]") {
  Harness h;
  // Only CREW-A can work on a transformer; CREW-B is farther but free for the second call.
  h.Roster({MakeCrew("CREW-A", 1, h.Now()),
            MakeCrew("CREW-B", 3, h.Now(), {v1::CREW_SKILL_LOW_VOLTAGE})});
  h.CallNow("t1", "c1");
  CHECK(One(h.Take(), ce::kWorkOrderAssigned).event.work_order_assigned().crew_id() == "CREW-A");
  h.clock.Advance(2min);
  h.CallNow("t2", "c2");
  CHECK(One(h.Take(), ce::kWorkOrderAssigned).event.work_order_assigned().crew_id() == "CREW-B");
  h.clock.Advance(2min);
  h.CallNow("t3", "c3");
  const auto events = h.Take();
  CHECK(Types(events) ==
        Strs{std::string(ce::kWorkOrderCancelled), std::string(ce::kWorkOrderCancelled),
             std::string(ce::kIncidentOpened), std::string(ce::kTicketAttached),
             std::string(ce::kTicketAttached), std::string(ce::kTicketAttached),
             std::string(ce::kWorkOrderCreated), std::string(ce::kWorkOrderAssigned),
             std::string(ce::kIncidentUpdated)});

  // The absorbed work orders are cancelled, naming the crews that held them.
  const auto cancelled = OfType(events, ce::kWorkOrderCancelled);
  REQUIRE(cancelled.size() == 2);
  CHECK(cancelled[0].ce_subject == "WO-S-t1");
  CHECK(cancelled[0].key == "INC-S-t1");
  CHECK(cancelled[0].event.work_order_cancelled().crew_id() == "CREW-A");
  CHECK(cancelled[0].event.work_order_cancelled().work_order().state() ==
        v1::WORK_ORDER_STATE_CANCELLED);
  CHECK(cancelled[0].event.work_order_cancelled().reason() == "merged into incident INC-T-t3");
  CHECK(cancelled[1].ce_subject == "WO-S-t2");
  CHECK(cancelled[1].event.work_order_cancelled().crew_id() == "CREW-B");

  const auto opened = One(events, ce::kIncidentOpened);
  CHECK(opened.key == "INC-T-t3");
  const auto& incident = opened.event.incident_opened().incident();
  CHECK(incident.incident_id() == "INC-T-t3");
  CHECK(incident.level() == v1::INCIDENT_LEVEL_TRANSFORMER);
  CHECK(Strings(incident.ticket_ids()) == Strs{"t1", "t2", "t3"});
  CHECK(Strings(incident.child_incident_ids()) == Strs{"INC-S-t1", "INC-S-t2"});
  CHECK(incident.call_count() == 3);
  CHECK(incident.affected_customers() == 100);
  CHECK(incident.priority() == v1::PRIORITY_HIGH);

  CHECK(AttachedTickets(events, "INC-T-t3") == Strs{"t1", "t2", "t3"});
  for (const auto& attached : OfType(events, ce::kTicketAttached)) {
    CHECK(attached.key == "INC-T-t3");
    CHECK(attached.ce_subject == attached.event.ticket_attached().ticket_id());
    CHECK_FALSE(attached.event.ticket_attached().known_cause().zh_cn().empty());
  }

  const auto created = One(events, ce::kWorkOrderCreated).event.work_order_created().work_order();
  CHECK(created.work_order_id() == "WO-T-t3");
  CHECK(created.required_skill() == v1::CREW_SKILL_TRANSFORMER);
  CHECK(created.priority() == v1::PRIORITY_HIGH);
  CHECK(created.ticket_id().empty());
  CHECK(One(events, ce::kWorkOrderAssigned).event.work_order_assigned().crew_id() == "CREW-A");

  // One incident and one job remain; the children are kept as merged history without timers.
  CHECK(h.OpenIds() == Strs{"INC-T-t3"});
  CHECK(h.OrderIds() == Strs{"WO-T-t3"});
  const auto snapshot = h.Snapshot();
  for (const char* child : {"INC-S-t1", "INC-S-t2"}) {
    REQUIRE(snapshot.incidents.count(child));
    CHECK(snapshot.incidents.at(child).state() == v1::INCIDENT_STATE_MERGED);
    CHECK(snapshot.incidents.at(child).parent_incident_id() == "INC-T-t3");
    CHECK(snapshot.incidents.at(child).crew_id().empty());
    CHECK(h.memory.timers().count(child) == 0);
  }
  CHECK(snapshot.work_orders.size() == 1);
  CHECK(h.memory.timers().count("INC-T-t3") == 1);
  CHECK(h.StatusOf("CREW-A") == "assigned");
  CHECK(h.StatusOf("CREW-B") == "available");
  CHECK(Strings(h.d().Incident("INC-T-t3")->ticket_ids()) == Strs{"t1", "t2", "t3"});
}

TEST_CASE("a later call on a transformer with an open incident is attached without a new job",
          "[dispatcher][correlation]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  h.CallNow("t2", "c2");
  h.CallNow("t3", "c3");
  (void)h.Take();
  h.clock.Advance(40min);  // long after the window: an open incident attaches whatever its age
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t4", "c4");
  const auto events = h.Take();
  REQUIRE(Types(events) == Strs{std::string(ce::kTicketAttached)});
  const auto& attached = events[0];
  CHECK(attached.key == "INC-T-t3");
  CHECK(attached.ce_subject == "t4");
  CHECK(attached.event.ticket_attached().incident_id() == "INC-T-t3");
  CHECK(attached.event.ticket_attached().has_estimated_restoration_at());
  CHECK(attached.event.ticket_attached().known_cause().en() ==
        "Transformer area outage, repair under way");
  CHECK(h.OrderIds() == Strs{"WO-T-t3"});
  CHECK(h.d().Incident("INC-T-t3")->call_count() == 4);
  CHECK(Strings(h.d().Incident("INC-T-t3")->ticket_ids()) == Strs{"t1", "t2", "t3", "t4"});
}

TEST_CASE("a customer calling again about the same fault is attached to their own incident",
          "[dispatcher][correlation]") {
  Harness h;
  h.CallNow("t1", "c1");
  (void)h.Take();
  h.clock.Advance(1min);
  h.CallNow("t1-again", "c1");
  const auto events = h.Take();
  REQUIRE(Types(events) == Strs{std::string(ce::kTicketAttached)});
  CHECK(events[0].event.ticket_attached().incident_id() == "INC-S-t1");
  CHECK(events[0].event.ticket_attached().known_cause().en() ==
        "Fault registered, a crew is being dispatched");
  CHECK(h.OrderIds() == Strs{"WO-S-t1"});
  // A repeat caller is still one customer: two more customers make a transformer outage.
  h.CallNow("t2", "c2");
  CHECK(Count(h.Take(), ce::kIncidentOpened) == 1);
  CHECK(h.OpenIds().size() == 2);
  h.CallNow("t3", "c3");
  CHECK(h.OpenIds() == Strs{"INC-T-t3"});
  CHECK(Strings(h.d().Incident("INC-T-t3")->ticket_ids()) == Strs{"t1", "t1-again", "t2", "t3"});
}

TEST_CASE("a life-support customer joining an incident makes it and its job urgent",
          "[dispatcher][correlation]") {
  Harness h;
  h.CallNow("t1", "c1");
  h.CallNow("t2", "c2");
  h.CallNow("t3", "c3");
  REQUIRE(h.Order("WO-T-t3"));
  CHECK(h.Order("WO-T-t3")->priority() == v1::PRIORITY_HIGH);
  auto ticket = FaultTicket("t4", "c4", "F1", "T1", h.Now());
  ticket.add_customer_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
  h.Call(ticket);
  CHECK(h.d().Incident("INC-T-t3")->priority() == v1::PRIORITY_URGENT);
  CHECK(h.d().Incident("INC-T-t3")->life_support_affected());
  CHECK(h.Order("WO-T-t3")->priority() == v1::PRIORITY_URGENT);
  CHECK(h.Snapshot().work_orders.at("WO-T-t3").priority() == v1::PRIORITY_URGENT);
}

TEST_CASE(
    "two transformer incidents on a feeder roll up into one feeder incident with one "
    "medium-voltage job",
    "[dispatcher][correlation]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 2, h.Now())});
  h.CallNow("t1", "c1", "F1", "T1");
  h.clock.Advance(1min);
  h.CallNow("t2", "c2", "F1", "T1");
  h.clock.Advance(1min);
  h.CallNow("t3", "c3", "F1", "T1");
  REQUIRE(h.Order("WO-T-t3"));
  const std::string t3_crew = h.Order("WO-T-t3")->crew_id();
  CHECK_FALSE(t3_crew.empty());
  h.clock.Advance(1min);
  h.CallNow("t4", "c4", "F1", "T2");
  h.clock.Advance(1min);
  h.CallNow("t5", "c5", "F1", "T2");
  (void)h.Take();
  h.clock.Advance(1min);
  h.CallNow("t6", "c6", "F1", "T2");
  const auto events = h.Take();

  const auto rolled = One(events, ce::kIncidentRolledUp);
  CHECK(rolled.key == "INC-F-t6");
  CHECK(rolled.ce_subject == "INC-F-t6");
  const auto& feeder = rolled.event.incident_rolled_up().incident();
  CHECK(feeder.incident_id() == "INC-F-t6");
  CHECK(feeder.level() == v1::INCIDENT_LEVEL_FEEDER);
  CHECK(feeder.supply().feeder_id() == "F1");
  CHECK(feeder.supply().transformer_id().empty());
  CHECK(AsSet(Strings(feeder.ticket_ids())) ==
        std::set<std::string>{"t1", "t2", "t3", "t4", "t5", "t6"});
  CHECK(feeder.affected_customers() == 1000);
  // INC-T-t6 formed and rolled up on the same call, so it was never announced: the roll-up
  // names the single-customer incidents it absorbed instead, and every absorbed incident that
  // was announced is seen merged.
  CHECK(AsSet(Strings(rolled.event.incident_rolled_up().merged_incident_ids())) ==
        std::set<std::string>{"INC-T-t3", "INC-S-t4", "INC-S-t5"});

  // Every caller learns of the feeder outage.
  CHECK(AsSet(AttachedTickets(events, "INC-F-t6")) ==
        std::set<std::string>{"t1", "t2", "t3", "t4", "t5", "t6"});
  for (const auto& attached : OfType(events, ce::kTicketAttached)) {
    if (attached.event.ticket_attached().incident_id() == "INC-F-t6") {
      CHECK(attached.event.ticket_attached().known_cause().en() ==
            "10 kV feeder outage, repair under way");
    }
  }

  // The call is announced once, as the roll-up: the second transformer incident it formed on
  // the way is history at once (no IncidentOpened, no job created only to be cancelled), and
  // every caller gets one TicketAttached.
  CHECK(Count(events, ce::kIncidentOpened) == 0);
  CHECK(AttachedTickets(events).size() == 6);
  {
    const auto created = OfType(events, ce::kWorkOrderCreated);
    REQUIRE(created.size() == 1);
    CHECK(created[0].ce_subject == "WO-F-t6");
  }

  // The transformer job that had a crew is cancelled naming it.
  bool t3_cancelled = false;
  for (const auto& c : OfType(events, ce::kWorkOrderCancelled)) {
    if (c.ce_subject == "WO-T-t3") {
      t3_cancelled = true;
      CHECK(c.event.work_order_cancelled().crew_id() == t3_crew);
      CHECK(c.event.work_order_cancelled().reason() == "merged into incident INC-F-t6");
    }
  }
  CHECK(t3_cancelled);

  // One crew job for the whole feeder, not one per call or per transformer.
  CHECK(h.OpenIds() == Strs{"INC-F-t6"});
  REQUIRE(h.OrderIds() == Strs{"WO-F-t6"});
  CHECK(h.Order("WO-F-t6")->required_skill() == v1::CREW_SKILL_MEDIUM_VOLTAGE);
  CHECK(h.Order("WO-F-t6")->state() == v1::WORK_ORDER_STATE_ASSIGNED);
  const auto snapshot = h.Snapshot();
  CHECK(snapshot.work_orders.size() == 1);
  for (const char* child : {"INC-T-t3", "INC-T-t6", "INC-S-t1", "INC-S-t4"}) {
    INFO(child);
    REQUIRE(snapshot.incidents.count(child));
    CHECK(snapshot.incidents.at(child).state() == v1::INCIDENT_STATE_MERGED);
    CHECK(h.memory.timers().count(child) == 0);
  }
  CHECK(snapshot.incidents.at("INC-T-t3").parent_incident_id() == "INC-F-t6");
  CHECK(snapshot.incidents.at("INC-T-t6").parent_incident_id() == "INC-F-t6");
  CHECK(snapshot.incidents.at("INC-T-t6").work_order_id().empty());
  CHECK(snapshot.incidents.at("INC-S-t4").parent_incident_id() == "INC-T-t6");

  // A call from a third area of the feeder is attached, no new job.
  h.clock.Advance(1min);
  h.CallNow("t7", "c7", "F1", "T3");
  const auto later = h.Take();
  REQUIRE(Types(later) == Strs{std::string(ce::kTicketAttached)});
  CHECK(later[0].event.ticket_attached().incident_id() == "INC-F-t6");
  CHECK(h.OrderIds() == Strs{"WO-F-t6"});
  // A call on another feeder is its own matter.
  h.CallNow("t8", "c8", "F2", "T9");
  CHECK(h.OrderIds().size() == 2);
}

TEST_CASE("a lone last gasp is held: nothing is published and nobody is sent",
          "[dispatcher][correlation][last_gasp]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.Call(LastGaspTicket("lg1", "c1", "F1", "T1", h.Now()));
  CHECK(h.Take().empty());
  CHECK(h.Orders().empty());
  CHECK(h.Open().empty());
  const auto snapshot = h.Snapshot();
  REQUIRE(snapshot.journal.size() == 1);
  CHECK(snapshot.journal[0].fault_call().ticket_id() == "lg1");
  CHECK(snapshot.journal[0].fault_call().last_gasp());
}

TEST_CASE("held last gasps and a call together open a transformer incident",
          "[dispatcher][correlation][last_gasp]") {
  Harness h;
  h.Call(LastGaspTicket("lg1", "c1", "F1", "T1", h.Now()));
  h.clock.Advance(1min);
  h.Call(LastGaspTicket("lg2", "c2", "F1", "T1", h.Now()));
  CHECK(h.Take().empty());
  h.clock.Advance(1min);
  h.CallNow("t3", "c3");
  const auto events = h.Take();
  CHECK(Count(events, ce::kWorkOrderCancelled) == 0);
  const v1::Incident incident = One(events, ce::kIncidentOpened).event.incident_opened().incident();
  CHECK(incident.incident_id() == "INC-T-t3");
  CHECK(incident.last_gasp_count() == 2);
  CHECK(incident.call_count() == 3);
  CHECK(AttachedTickets(events, "INC-T-t3") == Strs{"lg1", "lg2", "t3"});
  CHECK(h.OrderIds() == Strs{"WO-T-t3"});
}

TEST_CASE("last gasps alone open an incident before anyone calls, and the first call attaches",
          "[dispatcher][correlation][last_gasp]") {
  Harness h;
  for (const char* id : {"lg1", "lg2", "lg3"}) {
    h.Call(LastGaspTicket(id, std::string("c-") + id, "F1", "T1", h.Now()));
  }
  const auto events = h.Take();
  const v1::Incident incident = One(events, ce::kIncidentOpened).event.incident_opened().incident();
  CHECK(incident.incident_id() == "INC-T-lg3");
  CHECK(incident.last_gasp_count() == 3);
  CHECK(h.OrderIds() == Strs{"WO-T-lg3"});
  h.CallNow("t4", "c-lg1");  // the customer whose meter went silent calls
  const auto later = h.Take();
  REQUIRE(Types(later) == Strs{std::string(ce::kTicketAttached)});
  CHECK(later[0].event.ticket_attached().incident_id() == "INC-T-lg3");
  CHECK(h.OrderIds() == Strs{"WO-T-lg3"});
}

TEST_CASE("tickets that are not open fault repairs are ignored", "[dispatcher][correlation]") {
  Harness h;
  auto complaint = FaultTicket("k1", "c1", "F1", "T1", h.Now());
  complaint.set_type(v1::REQUEST_TYPE_COMPLAINT);
  auto application = FaultTicket("a1", "c2", "F1", "T1", h.Now());
  application.set_type(v1::REQUEST_TYPE_SERVICE_APPLICATION);
  auto closed = FaultTicket("f1", "c3", "F1", "T1", h.Now());
  closed.set_state(v1::TICKET_STATE_CLOSED);
  auto restored_signal = LastGaspTicket("m1", "c4", "F1", "T1", h.Now());
  restored_signal.set_meter_signal(v1::METER_SIGNAL_POWER_RESTORED);
  restored_signal.set_state(v1::TICKET_STATE_RESOLVED);
  for (const auto* ticket : {&complaint, &application, &closed, &restored_signal}) {
    INFO(ticket->ticket_id());
    h.Call(*ticket);
  }
  CHECK(h.Take().empty());
  CHECK(h.store.commits == 0);
  CHECK(h.Snapshot().journal.empty());
  CHECK(h.Open().empty());
}

TEST_CASE("a fault ticket without a ticket id goes to the dead-letter topic",
          "[dispatcher][correlation]") {
  Harness h;
  const auto result = h.Handle(FaultTicket("", "c1", "F1", "T1", h.Now()), "evt-x");
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "missing_ticket_id");
  CHECK(h.Take().empty());
  CHECK(h.store.commits == 0);
}

// [single-path]: counts injected failures call by call; the batch path's own failures are in
// batch_path_test.cpp.
TEST_CASE("a ticket arriving while the profile service is down is retried and then correlated",
          "[dispatcher][correlation][single-path]") {
  Harness h;
  h.topology.FailNext(1);
  const auto first = h.Handle(FaultTicket("t1", "c1", "F1", "T1", h.Now()));
  CHECK(first.disposition == Disposition::kRetry);
  CHECK(h.Take().empty());
  CHECK(h.store.commits == 0);
  h.Call(FaultTicket("t1", "c1", "F1", "T1", h.Now()));
  CHECK(Count(h.Take(), ce::kIncidentOpened) == 1);
  CHECK(h.Snapshot().journal.size() == 1);
}

TEST_CASE(
    "an incident larger than max_ticket_ids_per_event is announced in several events that "
    "together list every ticket",
    "[dispatcher][large]") {
  DispatchSettings settings;
  settings.max_ticket_ids_per_event = 2;
  Harness h(settings);
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  h.CallNow("t2", "c2");
  (void)h.Take();
  h.CallNow("t3", "c3");
  auto events = h.Take();
  {
    const auto opened = OfType(events, ce::kIncidentOpened);
    REQUIRE(opened.size() == 2);
    Strs all;
    for (const auto& e : opened) {
      const auto& incident = e.event.incident_opened().incident();
      CHECK(incident.incident_id() == "INC-T-t3");
      CHECK(incident.ticket_ids_size() <= 2);
      for (const auto& t : incident.ticket_ids()) all.push_back(t);
    }
    CHECK(all == Strs{"t1", "t2", "t3"});
    CHECK(opened[0].ce_id != opened[1].ce_id);
  }
  h.CallNow("t4", "c4");
  h.CallNow("t5", "c5");
  (void)h.Take();
  h.CrewDone(OnSite("CREW-A", "WO-T-t3"), "crew-1");
  events = h.Take();
  {
    const auto updated = OfType(events, ce::kIncidentUpdated);
    REQUIRE(updated.size() == 3);
    Strs all;
    for (const auto& e : updated) {
      CHECK(e.event.incident_updated().change() == "crew_on_site");
      CHECK(e.event.incident_updated().incident().ticket_ids_size() <= 2);
      for (const auto& t : e.event.incident_updated().incident().ticket_ids()) all.push_back(t);
    }
    CHECK(all == Strs{"t1", "t2", "t3", "t4", "t5"});
  }
  h.CrewDone(Completed("CREW-A", "WO-T-t3", true), "crew-2");
  events = h.Take();
  const auto restored = OfType(events, ce::kIncidentRestored);
  REQUIRE(restored.size() == 3);
  Strs listed;
  Strs in_incident;
  for (const auto& e : restored) {
    CHECK(e.key == "INC-T-t3");
    CHECK(e.event.incident_restored().ticket_ids_size() <= 2);
    CHECK(e.event.incident_restored().ticket_ids_size() ==
          e.event.incident_restored().incident().ticket_ids_size());
    CHECK(e.event.incident_restored().incident().state() == v1::INCIDENT_STATE_RESTORED);
    for (const auto& t : e.event.incident_restored().ticket_ids()) listed.push_back(t);
    for (const auto& t : e.event.incident_restored().incident().ticket_ids()) {
      in_incident.push_back(t);
    }
  }
  CHECK(listed == Strs{"t1", "t2", "t3", "t4", "t5"});
  CHECK(in_incident == listed);
}

TEST_CASE("a large feeder roll-up is announced in several events that together list every ticket",
          "[dispatcher][large]") {
  DispatchSettings settings;
  settings.max_ticket_ids_per_event = 4;
  Harness h(settings);
  for (int i = 1; i <= 3; ++i)
    h.CallNow("a" + std::to_string(i), "ca" + std::to_string(i), "F1", "T1");
  for (int i = 1; i <= 3; ++i)
    h.CallNow("b" + std::to_string(i), "cb" + std::to_string(i), "F1", "T2");
  const auto rolled = OfType(h.Take(), ce::kIncidentRolledUp);
  REQUIRE(rolled.size() == 2);
  std::set<std::string> all;
  for (const auto& e : rolled) {
    CHECK(e.event.incident_rolled_up().incident().ticket_ids_size() <= 4);
    // INC-T-a3 (announced) and the two single-customer incidents of T2, whose transformer
    // incident formed and rolled up on the same call (never announced).
    CHECK(AsSet(Strings(e.event.incident_rolled_up().merged_incident_ids())) ==
          std::set<std::string>{"INC-T-a3", "INC-S-b1", "INC-S-b2"});
    for (const auto& t : e.event.incident_rolled_up().incident().ticket_ids()) all.insert(t);
  }
  CHECK(all == std::set<std::string>{"a1", "a2", "a3", "b1", "b2", "b3"});
}

}  // namespace
}  // namespace gridcare::dispatch
