// The Kafka edges of complaint, fed kafka::ConsumedMessage records built here: intake's opened
// tickets of each type (with the incident link from dispatch's events), contacts, state changes,
// dead letters for records without a ticket id, and retries while the store is down.
#include "event_handlers.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "desk_fixture.h"
#include "fake_incident_index.h"
#include "gridcare/kafka/topic_router.h"

namespace gridcare::complaint {
namespace {

using namespace test;
using Disposition = kafka::HandleResult::Disposition;
using Strs = std::vector<std::string>;

kafka::ConsumedMessage Message(std::string topic, const std::string& value,
                               const std::string& ce_id) {
  kafka::ConsumedMessage message;
  message.topic = std::move(topic);
  message.partition = 3;
  message.offset = 1717;
  message.value = value;
  if (!ce_id.empty()) message.headers.emplace_back("ce_id", ce_id);
  message.headers.emplace_back("traceparent", std::string(kTraceparent));
  return message;
}

std::string OpenedValue(const v1::Ticket& ticket) {
  v1::IntakeEvent event;
  *event.mutable_ticket_opened()->mutable_ticket() = ticket;
  return event.SerializeAsString();
}

std::string IncidentValue(const v1::Incident& incident, int kind) {
  v1::DispatchEvent event;
  switch (kind) {
    case 0:
      *event.mutable_incident_opened()->mutable_incident() = incident;
      break;
    case 1:
      *event.mutable_incident_updated()->mutable_incident() = incident;
      break;
    case 2:
      *event.mutable_incident_rolled_up()->mutable_incident() = incident;
      break;
    default:
      *event.mutable_incident_restored()->mutable_incident() = incident;
      break;
  }
  return event.SerializeAsString();
}

/// The service's router over the handlers, as app.cpp wires it.
struct Edges {
  explicit Edges(Harness& h) : intake(*h.desk, incidents), dispatch(incidents), crew(incidents) {
    router.On<v1::IntakeEvent>(kafka::kIntakeTopic,
                               [this](const v1::IntakeEvent& e, const kafka::ConsumedMessage& m) {
                                 return intake.Apply(e, m);
                               });
    router.On<v1::DispatchEvent>(
        kafka::kDispatchTopic, [this](const v1::DispatchEvent& e, const kafka::ConsumedMessage& m) {
          return dispatch.Apply(e, m);
        });
    router.On<v1::CrewEvent>(kafka::kCrewTopic,
                             [this](const v1::CrewEvent& e, const kafka::ConsumedMessage& m) {
                               return crew.Apply(e, m);
                             });
  }
  kafka::HandleResult Crew(const v1::CrewEvent& event, const std::string& ce_time) {
    auto message = Message(std::string(kafka::kCrewTopic), event.SerializeAsString(), "ce-c");
    message.timestamp_ms = 1'797'000'000'000;  // later than the ce_time below
    if (!ce_time.empty()) message.headers.emplace_back("ce_time", ce_time);
    return router.Handle(message);
  }
  kafka::HandleResult Intake(const std::string& value, const std::string& ce_id) {
    return router.Handle(Message(std::string(kafka::kIntakeTopic), value, ce_id));
  }
  kafka::HandleResult Dispatch(const std::string& value, const std::string& ce_id) {
    return router.Handle(Message(std::string(kafka::kDispatchTopic), value, ce_id));
  }
  FakeIncidentIndex incidents;
  IntakeEventHandler intake;
  DispatchEventHandler dispatch;
  CrewEventHandler crew;
  kafka::TopicRouter router{"complaint"};
};

TEST_CASE("opened tickets of each case type open a case under the record's ce_id",
          "[handlers][intake]") {
  Harness h;
  Edges edges(h);
  int n = 0;
  for (const auto type :
       {v1::REQUEST_TYPE_COMPLAINT, v1::REQUEST_TYPE_REPORT, v1::REQUEST_TYPE_OPINION,
        v1::REQUEST_TYPE_SUGGESTION, v1::REQUEST_TYPE_PRAISE, v1::REQUEST_TYPE_CONSULTATION}) {
    INFO(v1::RequestType_Name(type));
    const std::string ticket_id = "GC-T" + std::to_string(++n);
    auto ticket = MakeTicket(type, "这个月电费太高了", ticket_id);
    ticket.set_customer_id("C-778899");
    const auto result = edges.Intake(OpenedValue(ticket), "ce-" + ticket_id);
    CHECK(result.disposition == Disposition::kDone);
    const auto stored = h.Stored("CC-" + ticket_id);
    const auto& c = stored.complaint_case();
    CHECK(c.request_type() == type);
    CHECK(c.district() == "文乐区");
    CHECK(c.customer_display() == "C-****99");
    CHECK(c.incident_id().empty());
    CHECK(Strs(stored.applied().begin(), stored.applied().end()) == Strs{"ce-" + ticket_id});
    const auto published = h.Drain();
    REQUIRE(published.size() == 2);
    CHECK(published[0].meta.id ==
          kafka::DeriveEventId("CC-" + ticket_id + "|ce-" + ticket_id + "#0", "complaint"));
    CHECK_THAT(published[0].meta.traceparent, Catch::Contains("4bf92f3577b34da6a3ce929d0e0e4736"));
  }
  // Not a case's type, and intake's other events: nothing to do.
  CHECK(edges.Intake(OpenedValue(MakeTicket(v1::REQUEST_TYPE_FAULT_REPAIR, "停电", "GC-F")), "ce-f")
            .disposition == Disposition::kDone);
  v1::IntakeEvent answered;
  answered.mutable_consultation_answered()->set_ticket_id("GC-Q");
  CHECK(edges.Intake(answered.SerializeAsString(), "ce-q").disposition == Disposition::kDone);
  CHECK(h.store.size() == 6);
  CHECK(h.Drain().empty());
}

TEST_CASE("a record without a ce_id is known by its topic, partition and offset",
          "[handlers][intake]") {
  Harness h;
  Edges edges(h);
  REQUIRE(edges.Intake(OpenedValue(MakeTicket(v1::REQUEST_TYPE_COMPLAINT)), "").disposition ==
          Disposition::kDone);
  CHECK(*h.Stored(std::string("CC-GC-20261102-000001")).applied().begin() ==
        "gridcare.intake.v1/3/1717");
}

TEST_CASE("a redelivered ticket record republishes the same events", "[handlers][intake]") {
  Harness h;
  Edges edges(h);
  const auto value = OpenedValue(MakeTicket(v1::REQUEST_TYPE_COMPLAINT));
  REQUIRE(edges.Intake(value, "ce-1").disposition == Disposition::kDone);
  const auto first = h.Drain();
  REQUIRE(edges.Intake(value, "ce-1").disposition == Disposition::kDone);
  CHECK(CeIds(h.Drain()) == CeIds(first));
  CHECK(h.store.commits() == 1);
}

TEST_CASE("dispatch's incidents are recorded and link a complaint on the customer's transformer",
          "[handlers][dispatch]") {
  Harness h;
  Edges edges(h);
  v1::Incident incident;
  incident.set_incident_id("INC-T-77");
  incident.mutable_supply()->set_substation_id("SUB-3");
  incident.mutable_supply()->set_feeder_id("F-12");
  incident.mutable_supply()->set_transformer_id("T-77");
  incident.mutable_opened_at()->set_seconds(1'793'000'000);
  for (int kind = 0; kind < 4; ++kind) {
    CHECK(
        edges.Dispatch(IncidentValue(incident, kind), "ce-d" + std::to_string(kind)).disposition ==
        Disposition::kDone);
  }
  CHECK(edges.incidents.records() == 4);
  // Work orders and the like: not recorded.
  v1::DispatchEvent other;
  other.mutable_work_order_created();
  CHECK(edges.Dispatch(other.SerializeAsString(), "ce-w").disposition == Disposition::kDone);
  CHECK(edges.incidents.records() == 4);

  auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT, "你们到底管不管，太过分了");
  ticket.mutable_supply()->set_feeder_id("F-12");
  ticket.mutable_supply()->set_transformer_id("T-77");
  REQUIRE(edges.Intake(OpenedValue(ticket), "ce-1").disposition == Disposition::kDone);
  const auto c = h.Stored("CC-GC-20261102-000001").complaint_case();
  CHECK(c.incident_id() == "INC-T-77");
  CHECK(c.supply_point().substation_id() == "SUB-3");
  CHECK(c.department_id() == "operations");
  CHECK(c.routing_rule() == "linked-incident");
  // A customer on another transformer of the feeder links to it through the feeder.
  auto neighbour = MakeTicket(v1::REQUEST_TYPE_COMPLAINT, "又停电了", "GC-N");
  neighbour.mutable_supply()->set_feeder_id("F-12");
  neighbour.mutable_supply()->set_transformer_id("T-78");
  REQUIRE(edges.Intake(OpenedValue(neighbour), "ce-2").disposition == Disposition::kDone);
  CHECK(h.Stored("CC-GC-N").complaint_case().incident_id() == "INC-T-77");
  // Elsewhere: no link.
  auto elsewhere = MakeTicket(v1::REQUEST_TYPE_COMPLAINT, "又停电了", "GC-X");
  elsewhere.mutable_supply()->set_feeder_id("F-99");
  REQUIRE(edges.Intake(OpenedValue(elsewhere), "ce-3").disposition == Disposition::kDone);
  CHECK(h.Stored("CC-GC-X").complaint_case().incident_id().empty());
}

TEST_CASE("crew reports on a linked incident's work order reach its network context",
          "[handlers][crew]") {
  Harness h;
  Edges edges(h);
  v1::Incident incident;
  incident.set_incident_id("INC-T-77");
  incident.mutable_supply()->set_feeder_id("F-12");
  REQUIRE(edges.Dispatch(IncidentValue(incident, 0), "ce-d0").disposition == Disposition::kDone);
  v1::DispatchEvent created;
  created.mutable_work_order_created()->mutable_work_order()->set_work_order_id("WO-5");
  created.mutable_work_order_created()->mutable_work_order()->set_incident_id("INC-T-77");
  REQUIRE(edges.Dispatch(created.SerializeAsString(), "ce-w").disposition == Disposition::kDone);

  v1::CrewEvent en_route;
  en_route.mutable_en_route()->set_work_order_id("WO-5");
  en_route.mutable_en_route()->set_crew_id("CREW-A");
  // Stamped with ce_time when the record has one, else with the record's timestamp.
  CHECK(edges.Crew(en_route, "2026-12-06T09:30:00Z").disposition == Disposition::kDone);
  auto context = edges.incidents.Context("INC-T-77");
  REQUIRE(context.ok());
  REQUIRE(context->has_value());
  REQUIRE((*context)->field_size() == 1);
  CHECK((*context)->field(0).stage() == v1::FIELD_STAGE_EN_ROUTE);
  CHECK(core::FormatRfc3339(sla::FromTimestamp((*context)->field(0).updated_at())) ==
        "2026-12-06T09:30:00.000Z");
  v1::CrewEvent on_site;
  on_site.mutable_on_site()->set_work_order_id("WO-5");
  on_site.mutable_on_site()->set_crew_id("CREW-A");
  CHECK(edges.Crew(on_site, "").disposition == Disposition::kDone);
  context = edges.incidents.Context("INC-T-77");
  CHECK((*context)->field(0).stage() == v1::FIELD_STAGE_ON_SITE);
  CHECK((*context)->field(0).updated_at().seconds() == 1'797'000'000);

  // A job of no known incident, and a location report: nothing to do, nothing dead-lettered.
  on_site.mutable_on_site()->set_work_order_id("WO-ISOLATED");
  CHECK(edges.Crew(on_site, "").disposition == Disposition::kDone);
  v1::CrewEvent location;
  location.mutable_location_reported()->set_crew_id("CREW-A");
  CHECK(edges.Crew(location, "").disposition == Disposition::kDone);
}

TEST_CASE("contacts and state changes reach the desk", "[handlers][intake]") {
  Harness h(Rules::FromJson(R"({"fault_visit_share": 1})"));
  Edges edges(h);
  REQUIRE(edges.Intake(OpenedValue(MakeTicket(v1::REQUEST_TYPE_COMPLAINT)), "ce-1").disposition ==
          Disposition::kDone);
  v1::IntakeEvent contact;
  contact.mutable_contact_added()->set_ticket_id("GC-20261102-000001");
  contact.mutable_contact_added()->set_urging(true);
  contact.mutable_contact_added()->set_contact_count(2);
  REQUIRE(edges.Intake(contact.SerializeAsString(), "ce-2").disposition == Disposition::kDone);
  REQUIRE(edges.Intake(contact.SerializeAsString(), "ce-2").disposition == Disposition::kDone);
  const auto c = h.Stored("CC-GC-20261102-000001").complaint_case();
  CHECK(c.contact_count() == 2);
  CHECK(c.urging_count() == 1);
  CHECK(c.priority() == v1::PRIORITY_HIGH);

  v1::IntakeEvent restored;
  auto* changed = restored.mutable_ticket_state_changed();
  changed->set_ticket_id("GC-F-1");
  changed->set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  changed->set_state(v1::TICKET_STATE_RESOLVED);
  REQUIRE(edges.Intake(restored.SerializeAsString(), "ce-3").disposition == Disposition::kDone);
  CHECK(h.Stored("CC-GC-F-1").complaint_case().origin() == v1::CASE_ORIGIN_FAULT_RETURN_VISIT);
}

TEST_CASE("records without a ticket id are dead letters, garbage too", "[handlers][intake]") {
  Harness h;
  Edges edges(h);
  auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
  ticket.clear_ticket_id();
  auto result = edges.Intake(OpenedValue(ticket), "ce-1");
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "missing_ticket_id");
  v1::IntakeEvent contact;
  contact.mutable_contact_added()->set_urging(true);
  result = edges.Intake(contact.SerializeAsString(), "ce-2");
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "missing_ticket_id");
  v1::IntakeEvent changed;
  changed.mutable_ticket_state_changed()->set_state(v1::TICKET_STATE_RESOLVED);
  result = edges.Intake(changed.SerializeAsString(), "ce-3");
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "missing_ticket_id");
  result = edges.Intake("\xff\xff\xff", "ce-4");
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "malformed_protobuf");
  CHECK(h.store.size() == 0);
  CHECK(h.Drain().empty());
}

TEST_CASE("while the store or the index is down the handlers ask for a retry",
          "[handlers][failure]") {
  Harness h;
  Edges edges(h);
  const auto value = OpenedValue(MakeTicket(v1::REQUEST_TYPE_COMPLAINT));
  h.store.FailNextCommits(1);
  auto result = edges.Intake(value, "ce-1");
  CHECK(result.disposition == Disposition::kRetry);
  CHECK(result.reason == "redis_error");
  CHECK(h.Drain().empty());
  edges.incidents.FailNextFinds(1);
  CHECK(edges.Intake(value, "ce-1").disposition == Disposition::kRetry);
  CHECK(h.store.size() == 0);
  CHECK(edges.Intake(value, "ce-1").disposition == Disposition::kDone);
  CHECK(h.store.size() == 1);

  v1::IntakeEvent contact;
  contact.mutable_contact_added()->set_ticket_id("GC-20261102-000001");
  h.store.FailNextLoads(1);
  CHECK(edges.Intake(contact.SerializeAsString(), "ce-2").disposition == Disposition::kRetry);

  v1::Incident incident;
  incident.set_incident_id("INC-1");
  incident.mutable_supply()->set_transformer_id("T-1");
  edges.incidents.FailNextRecords(1);
  CHECK(edges.Dispatch(IncidentValue(incident, 0), "ce-d").disposition == Disposition::kRetry);
  CHECK(edges.Dispatch(IncidentValue(incident, 0), "ce-d").disposition == Disposition::kDone);
}

TEST_CASE("customer ids are masked for the desk", "[handlers]") {
  CHECK(MaskCustomerId("") == "");
  CHECK(MaskCustomerId("C12") == "***");
  CHECK(MaskCustomerId("C123") == "****");
  CHECK(MaskCustomerId("C0012345") == "C0****45");
}

}  // namespace
}  // namespace gridcare::complaint
