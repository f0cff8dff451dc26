// FactsFrom and BecomesSensitive: which history facts each event yields.
#include "history_rules.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <iterator>
#include <string>
#include <vector>

#include "profile_fixtures.h"

namespace profile = gridcare::profile;
namespace v1 = gridcare::v1;
using gridcare::profile::testing::At;
using Kind = gridcare::profile::HistoryFact::Kind;

namespace {

// 2026-11-18T11:06:40.123Z and a little later.
constexpr int64_t kSeconds = 1'795'000'000;
constexpr int64_t kMillis = kSeconds * 1000 + 123;

std::string KindName(Kind kind) {
  switch (kind) {
    case Kind::kTicketOpened:
      return "ticket_opened";
    case Kind::kTicketClosed:
      return "ticket_closed";
    case Kind::kFaultReported:
      return "fault_reported";
    case Kind::kComplaintReceived:
      return "complaint_received";
    case Kind::kUrgingReceived:
      return "urging_received";
    case Kind::kContact:
      return "contact";
    case Kind::kSatisfactionRecorded:
      return "satisfaction_recorded";
    case Kind::kMeterInstalled:
      return "meter_installed";
  }
  return "unknown";
}

// One readable line per fact, so a failing comparison shows the whole list.
std::string Describe(const profile::HistoryFact& fact) {
  return KindName(fact.kind) + " customer=" + fact.customer_id + " item=" + fact.item_id +
         " at=" + std::to_string(fact.at_unix_ms) + " score=" + std::to_string(fact.score) +
         " meter=" + fact.meter_number;
}

template <typename Event>
std::vector<std::string> Facts(const Event& event) {
  std::vector<std::string> lines;
  for (const auto& fact : profile::FactsFrom(event)) lines.push_back(Describe(fact));
  return lines;
}

std::string Fact(Kind kind, const std::string& customer, const std::string& item, int64_t at,
                 int32_t score = 0) {
  return Describe({kind, customer, item, at, score});
}

v1::IntakeEvent TicketOpened(v1::RequestType type, v1::TicketState state,
                             const std::string& customer_id = "C1") {
  v1::IntakeEvent event;
  auto* ticket = event.mutable_ticket_opened()->mutable_ticket();
  ticket->set_ticket_id("GC-20261118-000001");
  ticket->set_request_id("REQ-1");
  ticket->set_type(type);
  ticket->set_state(state);
  ticket->set_customer_id(customer_id);
  ticket->set_unidentified(customer_id.empty());
  *ticket->mutable_opened_at() = At(kSeconds, 123'000'000);
  ticket->mutable_updated_at()->set_seconds(kSeconds + 3600);  // must not be used
  return event;
}

v1::IntakeEvent StateChanged(v1::TicketState state, const std::string& customer_id = "C1") {
  v1::IntakeEvent event;
  auto* change = event.mutable_ticket_state_changed();
  change->set_ticket_id("GC-20261118-000001");
  change->set_previous_state(v1::TICKET_STATE_IN_PROGRESS);
  change->set_state(state);
  change->set_customer_id(customer_id);
  change->set_owner_reference("INC-1");
  *change->mutable_changed_at() = At(kSeconds, 123'000'000);
  return event;
}

const v1::TicketState kTerminalStates[] = {v1::TICKET_STATE_RESOLVED, v1::TICKET_STATE_CLOSED,
                                           v1::TICKET_STATE_ANSWERED, v1::TICKET_STATE_CANCELLED};
const v1::TicketState kOpenStates[] = {v1::TICKET_STATE_UNSPECIFIED, v1::TICKET_STATE_OPEN,
                                       v1::TICKET_STATE_IN_PROGRESS};

}  // namespace

// --- IntakeEvent: ticket_opened ---

TEST_CASE(
    "a fault ticket opened for a known customer yields a contact, an open ticket and a fault") {
  CHECK(Facts(TicketOpened(v1::REQUEST_TYPE_FAULT_REPAIR, v1::TICKET_STATE_OPEN)) ==
        std::vector<std::string>{
            Fact(Kind::kContact, "C1", "REQ-1", kMillis),
            Fact(Kind::kTicketOpened, "C1", "GC-20261118-000001", kMillis),
            Fact(Kind::kFaultReported, "C1", "GC-20261118-000001", kMillis),
        });
}

TEST_CASE(
    "a complaint ticket opened for a known customer yields a contact, an open ticket and a "
    "complaint") {
  CHECK(Facts(TicketOpened(v1::REQUEST_TYPE_COMPLAINT, v1::TICKET_STATE_OPEN)) ==
        std::vector<std::string>{
            Fact(Kind::kContact, "C1", "REQ-1", kMillis),
            Fact(Kind::kTicketOpened, "C1", "GC-20261118-000001", kMillis),
            Fact(Kind::kComplaintReceived, "C1", "GC-20261118-000001", kMillis),
        });
}

TEST_CASE("tickets of every other request type yield only a contact and an open ticket") {
  for (const auto type :
       {v1::REQUEST_TYPE_UNSPECIFIED, v1::REQUEST_TYPE_REPORT, v1::REQUEST_TYPE_OPINION,
        v1::REQUEST_TYPE_SUGGESTION, v1::REQUEST_TYPE_PRAISE, v1::REQUEST_TYPE_CONSULTATION,
        v1::REQUEST_TYPE_SERVICE_APPLICATION, v1::REQUEST_TYPE_URGING}) {
    INFO("type: " << v1::RequestType_Name(type));
    CHECK(Facts(TicketOpened(type, v1::TICKET_STATE_OPEN)) ==
          std::vector<std::string>{
              Fact(Kind::kContact, "C1", "REQ-1", kMillis),
              Fact(Kind::kTicketOpened, "C1", "GC-20261118-000001", kMillis),
          });
  }
}

TEST_CASE("a ticket opened in a non-terminal state counts as open") {
  for (const auto state : kOpenStates) {
    INFO("state: " << v1::TicketState_Name(state));
    const auto facts = Facts(TicketOpened(v1::REQUEST_TYPE_CONSULTATION, state));
    REQUIRE(facts.size() == 2);
    CHECK(facts[1] == Fact(Kind::kTicketOpened, "C1", "GC-20261118-000001", kMillis));
  }
}

TEST_CASE("a ticket opened already resolved, closed, answered or cancelled is not counted open") {
  for (const auto state : kTerminalStates) {
    INFO("state: " << v1::TicketState_Name(state));
    CHECK(Facts(TicketOpened(v1::REQUEST_TYPE_CONSULTATION, state)) ==
          std::vector<std::string>{Fact(Kind::kContact, "C1", "REQ-1", kMillis)});
    // The contact and the fault or complaint still count.
    CHECK(Facts(TicketOpened(v1::REQUEST_TYPE_FAULT_REPAIR, state)) ==
          std::vector<std::string>{
              Fact(Kind::kContact, "C1", "REQ-1", kMillis),
              Fact(Kind::kFaultReported, "C1", "GC-20261118-000001", kMillis),
          });
    CHECK(Facts(TicketOpened(v1::REQUEST_TYPE_COMPLAINT, state)) ==
          std::vector<std::string>{
              Fact(Kind::kContact, "C1", "REQ-1", kMillis),
              Fact(Kind::kComplaintReceived, "C1", "GC-20261118-000001", kMillis),
          });
  }
}

TEST_CASE("a ticket opened for an unidentified caller yields no facts") {
  for (const auto type :
       {v1::REQUEST_TYPE_FAULT_REPAIR, v1::REQUEST_TYPE_COMPLAINT, v1::REQUEST_TYPE_CONSULTATION}) {
    INFO("type: " << v1::RequestType_Name(type));
    CHECK(profile::FactsFrom(TicketOpened(type, v1::TICKET_STATE_OPEN, "")).empty());
  }
}

TEST_CASE("ticket timestamps become unix milliseconds with the sub-millisecond part dropped") {
  auto event = TicketOpened(v1::REQUEST_TYPE_FAULT_REPAIR, v1::TICKET_STATE_OPEN);
  *event.mutable_ticket_opened()->mutable_ticket()->mutable_opened_at() = At(kSeconds, 999'999'999);
  for (const auto& fact : profile::FactsFrom(event)) {
    CHECK(fact.at_unix_ms == kSeconds * 1000 + 999);
    CHECK(fact.score == 0);
  }

  event.mutable_ticket_opened()->mutable_ticket()->clear_opened_at();
  const auto facts = profile::FactsFrom(event);
  REQUIRE(facts.size() == 3);
  for (const auto& fact : facts) CHECK(fact.at_unix_ms == 0);
}

// --- IntakeEvent: contact_added ---

TEST_CASE("an urging contact yields a contact and an urging keyed by its request id") {
  v1::IntakeEvent event;
  auto* contact = event.mutable_contact_added();
  contact->set_ticket_id("GC-20261118-000001");
  contact->set_request_id("REQ-2");
  contact->set_urging(true);
  contact->set_urging_count(1);
  contact->set_customer_id("C1");
  *contact->mutable_received_at() = At(kSeconds, 123'456'789);
  CHECK(Facts(event) == std::vector<std::string>{
                            Fact(Kind::kContact, "C1", "REQ-2", kMillis),
                            Fact(Kind::kUrgingReceived, "C1", "REQ-2", kMillis),
                        });
}

TEST_CASE("a repeat contact that is not an urging yields only a contact") {
  v1::IntakeEvent event;
  auto* contact = event.mutable_contact_added();
  contact->set_ticket_id("GC-20261118-000001");
  contact->set_request_id("REQ-3");
  contact->set_urging(false);
  contact->set_customer_id("C1");
  *contact->mutable_received_at() = At(kSeconds, 123'000'000);
  CHECK(Facts(event) == std::vector<std::string>{Fact(Kind::kContact, "C1", "REQ-3", kMillis)});
}

TEST_CASE("a contact from an unidentified caller yields no facts, urging or not") {
  for (const bool urging : {false, true}) {
    v1::IntakeEvent event;
    event.mutable_contact_added()->set_request_id("REQ-4");
    event.mutable_contact_added()->set_urging(urging);
    CHECK(profile::FactsFrom(event).empty());
  }
}

// --- IntakeEvent: consultation_answered ---

TEST_CASE("an answered consultation yields one contact keyed by its request id") {
  v1::IntakeEvent event;
  auto* answer = event.mutable_consultation_answered();
  answer->set_ticket_id("GC-20261118-000009");
  answer->set_request_id("REQ-5");
  answer->set_customer_id("C7");
  *answer->mutable_answered_at() = At(kSeconds, 123'000'000);
  CHECK(Facts(event) == std::vector<std::string>{Fact(Kind::kContact, "C7", "REQ-5", kMillis)});
}

TEST_CASE("a consultation answered for an unidentified caller yields no facts") {
  v1::IntakeEvent event;
  event.mutable_consultation_answered()->set_request_id("REQ-6");
  event.mutable_consultation_answered()->set_ticket_id("GC-20261118-000010");
  CHECK(profile::FactsFrom(event).empty());
}

// --- IntakeEvent: ticket_state_changed ---

TEST_CASE("a ticket changing to resolved, closed, answered or cancelled is closed") {
  for (const auto state : kTerminalStates) {
    INFO("state: " << v1::TicketState_Name(state));
    CHECK(Facts(StateChanged(state)) ==
          std::vector<std::string>{Fact(Kind::kTicketClosed, "C1", "GC-20261118-000001", kMillis)});
  }
}

TEST_CASE("a ticket changing to open, in progress or unspecified yields no facts") {
  for (const auto state : kOpenStates) {
    INFO("state: " << v1::TicketState_Name(state));
    CHECK(profile::FactsFrom(StateChanged(state)).empty());
  }
}

TEST_CASE("every ticket state is sorted as either closing a ticket or not") {
  // Guards the two lists above: a new TicketState must be sorted into one of them.
  CHECK(std::size(kTerminalStates) + std::size(kOpenStates) ==
        static_cast<size_t>(v1::TicketState_MAX) + 1);
}

TEST_CASE("closing an unidentified caller's ticket still closes it by ticket id") {
  CHECK(Facts(StateChanged(v1::TICKET_STATE_CLOSED, "")) ==
        std::vector<std::string>{Fact(Kind::kTicketClosed, "", "GC-20261118-000001", kMillis)});
}

// --- IntakeEvent: the rest ---

TEST_CASE("a rejected request yields no facts") {
  v1::IntakeEvent event;
  event.mutable_request_rejected()->set_request_id("REQ-7");
  event.mutable_request_rejected()->set_reason(v1::REJECTION_REASON_UNKNOWN_CUSTOMER);
  CHECK(profile::FactsFrom(event).empty());
}

TEST_CASE("an intake event with no event set yields no facts") {
  CHECK(profile::FactsFrom(v1::IntakeEvent()).empty());
}

// --- DispatchEvent ---

TEST_CASE("a restored incident closes each of its tickets with no customer") {
  v1::DispatchEvent event;
  auto* restored = event.mutable_incident_restored();
  restored->mutable_incident()->set_incident_id("INC-1");
  *restored->mutable_incident()->mutable_restored_at() = At(kSeconds, 123'000'000);

  SECTION("no tickets") { CHECK(profile::FactsFrom(event).empty()); }
  SECTION("one ticket") {
    restored->add_ticket_ids("T1");
    CHECK(Facts(event) == std::vector<std::string>{Fact(Kind::kTicketClosed, "", "T1", kMillis)});
  }
  SECTION("three tickets, in order") {
    restored->add_ticket_ids("T1");
    restored->add_ticket_ids("T2");
    restored->add_ticket_ids("T3");
    CHECK(Facts(event) == std::vector<std::string>{
                              Fact(Kind::kTicketClosed, "", "T1", kMillis),
                              Fact(Kind::kTicketClosed, "", "T2", kMillis),
                              Fact(Kind::kTicketClosed, "", "T3", kMillis),
                          });
  }
}

TEST_CASE("a restored incident closes the event's ticket list, not the incident's") {
  v1::DispatchEvent event;
  auto* restored = event.mutable_incident_restored();
  restored->mutable_incident()->add_ticket_ids("ATTACHED-ONLY");
  *restored->mutable_incident()->mutable_opened_at() = At(kSeconds - 7200);
  *restored->mutable_incident()->mutable_restored_at() = At(kSeconds, 123'000'000);
  restored->add_ticket_ids("T9");
  CHECK(Facts(event) == std::vector<std::string>{Fact(Kind::kTicketClosed, "", "T9", kMillis)});
}

TEST_CASE("dispatch events other than a restoration or a finished installation yield no facts") {
  std::vector<v1::DispatchEvent> events(12);
  events[0].mutable_incident_opened()->mutable_incident()->add_ticket_ids("T1");
  events[1].mutable_incident_updated()->mutable_incident()->add_ticket_ids("T1");
  events[2].mutable_incident_rolled_up()->mutable_incident()->add_ticket_ids("T1");
  events[3].mutable_ticket_attached()->set_ticket_id("T1");
  events[4].mutable_work_order_created()->mutable_work_order()->set_ticket_id("T1");
  events[5].mutable_work_order_assigned()->mutable_work_order()->set_ticket_id("T1");
  events[6].mutable_work_order_reassigned()->mutable_work_order()->set_ticket_id("T1");
  events[7].mutable_clock_alarm()->set_incident_id("INC-1");
  events[8].mutable_work_order_queued()->mutable_work_order()->set_ticket_id("T1");
  events[9].mutable_planned_outage_registered()->mutable_planned_outage()->set_cancelled(true);
  events[10].mutable_incident_updated()->mutable_incident()->set_state(
      v1::INCIDENT_STATE_RESTORED);  // a restored state alone is not a restoration event
  // events[11]: nothing set
  for (size_t i = 0; i < events.size(); ++i) {
    INFO("event " << i << ": " << events[i].ShortDebugString());
    CHECK(profile::FactsFrom(events[i]).empty());
  }
}

// --- DispatchEvent: application_stage_reached ---

namespace {

// An application's visit order reaching `stage`, as dispatch's AppointmentDesk announces it: the
// order carries the application with its last stage and the installed meter number.
v1::DispatchEvent StageReached(v1::ApplicationStage stage, const std::string& customer_id = "C1",
                               const std::string& meter_number = "MTR-NEW-1") {
  v1::DispatchEvent event;
  auto* reached = event.mutable_application_stage_reached();
  auto* order = reached->mutable_work_order();
  order->set_work_order_id("WO-APP-1");
  order->set_ticket_id("GC-20261118-000042");
  auto* application = order->mutable_application();
  application->set_ticket_id("GC-20261118-000042");
  application->set_customer_id(customer_id);
  application->set_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  application->set_stage(stage);
  application->set_visit(v1::VISIT_KIND_INSTALLATION);
  application->set_meter_number(meter_number);
  reached->set_stage(stage);
  *reached->mutable_reached_at() = At(kSeconds, 123'456'789);
  return event;
}

std::string MeterFact(const std::string& customer, const std::string& meter) {
  profile::HistoryFact fact{Kind::kMeterInstalled, customer, "GC-20261118-000042", kMillis};
  fact.meter_number = meter;
  return Describe(fact);
}

}  // namespace

TEST_CASE("a finished installation with a meter number yields the meter for the customer") {
  CHECK(Facts(StageReached(v1::APPLICATION_STAGE_WORK_DONE)) ==
        std::vector<std::string>{MeterFact("C1", "MTR-NEW-1")});
}

TEST_CASE("every application kind that installs a meter yields the meter when its work is done") {
  for (const auto kind :
       {v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::SERVICE_APPLICATION_KIND_METER_RELOCATION,
        v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE, v1::SERVICE_APPLICATION_KIND_METER_CHECK}) {
    INFO("kind: " << v1::ServiceApplicationKind_Name(kind));
    auto event = StageReached(v1::APPLICATION_STAGE_WORK_DONE, "C7", "M-0042");
    auto* application =
        event.mutable_application_stage_reached()->mutable_work_order()->mutable_application();
    application->set_kind(kind);
    if (kind == v1::SERVICE_APPLICATION_KIND_METER_CHECK) {
      application->set_visit(v1::VISIT_KIND_METER_CHECK);
      application->set_meter_check_verdict(v1::METER_CHECK_VERDICT_FAULTY);
    }
    CHECK(Facts(event) == std::vector<std::string>{MeterFact("C7", "M-0042")});
  }
}

TEST_CASE("stages other than work done yield no meter even when the order carries one") {
  for (const auto stage : {v1::APPLICATION_STAGE_UNSPECIFIED, v1::APPLICATION_STAGE_ACCEPTED,
                           v1::APPLICATION_STAGE_DOCUMENTS_CHECKED,
                           v1::APPLICATION_STAGE_SITE_SURVEYED, v1::APPLICATION_STAGE_CLOSED}) {
    INFO("stage: " << v1::ApplicationStage_Name(stage));
    CHECK(profile::FactsFrom(StageReached(stage)).empty());
  }
}

TEST_CASE("the stage of the event counts and not the last stage of the application") {
  // The order of a later announcement carries the application's newest stage.
  auto survey = StageReached(v1::APPLICATION_STAGE_SITE_SURVEYED);
  survey.mutable_application_stage_reached()
      ->mutable_work_order()
      ->mutable_application()
      ->set_stage(v1::APPLICATION_STAGE_WORK_DONE);
  CHECK(profile::FactsFrom(survey).empty());

  auto work_done = StageReached(v1::APPLICATION_STAGE_WORK_DONE);
  work_done.mutable_application_stage_reached()
      ->mutable_work_order()
      ->mutable_application()
      ->set_stage(v1::APPLICATION_STAGE_CLOSED);
  CHECK(Facts(work_done) == std::vector<std::string>{MeterFact("C1", "MTR-NEW-1")});
}

TEST_CASE("finished work without a meter number yields no facts") {
  // e.g. a meter check that found the meter accurate and left it in place
  auto event = StageReached(v1::APPLICATION_STAGE_WORK_DONE, "C1", "");
  event.mutable_application_stage_reached()
      ->mutable_work_order()
      ->mutable_application()
      ->set_meter_check_verdict(v1::METER_CHECK_VERDICT_ACCURATE);
  CHECK(profile::FactsFrom(event).empty());
}

TEST_CASE("a finished installation without a customer yields no facts") {
  CHECK(profile::FactsFrom(StageReached(v1::APPLICATION_STAGE_WORK_DONE, "")).empty());
}

TEST_CASE("a stage reached without a work order or application yields no facts") {
  v1::DispatchEvent event;
  event.mutable_application_stage_reached()->set_stage(v1::APPLICATION_STAGE_WORK_DONE);
  CHECK(profile::FactsFrom(event).empty());
}

TEST_CASE("the meter fact carries the reached time in unix milliseconds") {
  auto event = StageReached(v1::APPLICATION_STAGE_WORK_DONE);
  *event.mutable_application_stage_reached()->mutable_reached_at() = At(kSeconds + 60, 7'000'000);
  const auto facts = profile::FactsFrom(event);
  REQUIRE(facts.size() == 1);
  CHECK(facts[0].at_unix_ms == (kSeconds + 60) * 1000 + 7);
  CHECK(facts[0].item_id == "GC-20261118-000042");
  CHECK(facts[0].score == 0);
}

TEST_CASE("other application events yield no facts") {
  std::vector<v1::DispatchEvent> events(3);
  auto installed = StageReached(v1::APPLICATION_STAGE_WORK_DONE);
  const auto& order = installed.application_stage_reached().work_order();
  *events[0].mutable_appointment_booked()->mutable_work_order() = order;
  *events[1].mutable_appointment_reminder()->mutable_work_order() = order;
  *events[2].mutable_application_clock_changed()->mutable_work_order() = order;
  for (size_t i = 0; i < events.size(); ++i) {
    INFO("event " << i);
    CHECK(profile::FactsFrom(events[i]).empty());
  }
}

// --- ComplaintEvent ---

namespace {

v1::ComplaintEvent CaseOpened(const std::string& customer_id, const std::string& ticket_id) {
  v1::ComplaintEvent event;
  auto* complaint = event.mutable_case_opened()->mutable_complaint_case();
  complaint->set_case_id("CASE-1");
  complaint->set_ticket_id(ticket_id);
  complaint->set_customer_id(customer_id);
  complaint->set_satisfaction_score(4);  // not a return visit: must not be carried
  *complaint->mutable_opened_at() = At(kSeconds, 123'000'000);
  return event;
}

v1::ComplaintEvent ReturnVisit(const std::string& customer_id, int32_t score) {
  v1::ComplaintEvent event;
  auto* visit = event.mutable_return_visit_recorded();
  visit->set_case_id("CASE-1");
  visit->set_satisfaction_score(score);
  visit->set_satisfied(score > 2);
  visit->set_customer_id(customer_id);
  *visit->mutable_visited_at() = At(kSeconds, 123'000'000);
  return event;
}

}  // namespace

TEST_CASE("an opened complaint case is keyed by its ticket id when it has one") {
  CHECK(Facts(CaseOpened("C1", "GC-20261118-000001")) ==
        std::vector<std::string>{
            Fact(Kind::kComplaintReceived, "C1", "GC-20261118-000001", kMillis)});
}

TEST_CASE("an opened complaint case without a ticket is keyed by its case id") {
  CHECK(Facts(CaseOpened("C1", "")) ==
        std::vector<std::string>{Fact(Kind::kComplaintReceived, "C1", "CASE-1", kMillis)});
}

TEST_CASE("a complaint ticket and its case count as the same complaint") {
  const auto from_intake =
      profile::FactsFrom(TicketOpened(v1::REQUEST_TYPE_COMPLAINT, v1::TICKET_STATE_OPEN));
  const auto from_complaint = profile::FactsFrom(CaseOpened("C1", "GC-20261118-000001"));
  REQUIRE(from_intake.size() == 3);
  REQUIRE(from_complaint.size() == 1);
  CHECK(from_intake[2].kind == from_complaint[0].kind);
  CHECK(from_intake[2].customer_id == from_complaint[0].customer_id);
  CHECK(from_intake[2].item_id == from_complaint[0].item_id);
}

TEST_CASE("an opened complaint case without a customer yields no facts") {
  CHECK(profile::FactsFrom(CaseOpened("", "GC-20261118-000001")).empty());
  CHECK(profile::FactsFrom(CaseOpened("", "")).empty());
}

TEST_CASE("a return visit yields its satisfaction score keyed by case id") {
  for (const int32_t score : {1, 2, 3, 5}) {
    INFO("score " << score);
    CHECK(Facts(ReturnVisit("C1", score)) ==
          std::vector<std::string>{
              Fact(Kind::kSatisfactionRecorded, "C1", "CASE-1", kMillis, score)});
  }
}

TEST_CASE("a return visit that did not reach the customer yields no score") {
  auto unreachable = ReturnVisit("C1", 0);
  CHECK(profile::FactsFrom(unreachable).empty());
  auto attempt = ReturnVisit("C1", 4);
  attempt.mutable_return_visit_recorded()->set_unreachable(true);
  CHECK(profile::FactsFrom(attempt).empty());
}

TEST_CASE("a return visit without a customer yields no facts") {
  CHECK(profile::FactsFrom(ReturnVisit("", 5)).empty());
}

TEST_CASE("complaint events other than an opened case or a return visit yield no facts") {
  std::vector<v1::ComplaintEvent> events(7);
  events[0].mutable_case_routed()->set_case_id("CASE-1");
  events[1].mutable_customer_contacted()->set_case_id("CASE-1");
  events[2].mutable_reply_sent()->set_case_id("CASE-1");
  events[3].mutable_deadline_alarm()->set_case_id("CASE-1");
  events[4].mutable_case_reopened()->set_case_id("CASE-1");
  auto* closed = events[5].mutable_case_closed()->mutable_complaint_case();
  closed->set_case_id("CASE-1");
  closed->set_customer_id("C1");
  closed->set_satisfaction_score(5);
  // events[6]: nothing set
  for (size_t i = 0; i < events.size(); ++i) {
    INFO("event " << i << ": " << events[i].ShortDebugString());
    CHECK(profile::FactsFrom(events[i]).empty());
  }
}

// --- BecomesSensitive ---

TEST_CASE("a threshold of 0 never makes a customer sensitive") {
  profile::HistoryRules rules;
  rules.sensitive_complaint_threshold = 0;
  for (int count = 0; count <= 3; ++count) {
    INFO("complaints " << count);
    CHECK_FALSE(profile::BecomesSensitive(count, rules));
  }
  CHECK_FALSE(profile::BecomesSensitive(1'000'000, rules));
}

TEST_CASE("a negative threshold never makes a customer sensitive") {
  profile::HistoryRules rules;
  rules.sensitive_complaint_threshold = -1;
  for (int count = -1; count <= 3; ++count) CHECK_FALSE(profile::BecomesSensitive(count, rules));
}

TEST_CASE("a threshold of 1 makes the first complaint sensitive") {
  profile::HistoryRules rules;
  rules.sensitive_complaint_threshold = 1;
  CHECK_FALSE(profile::BecomesSensitive(0, rules));
  CHECK(profile::BecomesSensitive(1, rules));
  CHECK(profile::BecomesSensitive(2, rules));
  CHECK(profile::BecomesSensitive(3, rules));
}

TEST_CASE("a threshold of 2 makes the second complaint sensitive") {
  profile::HistoryRules rules;
  rules.sensitive_complaint_threshold = 2;
  CHECK_FALSE(profile::BecomesSensitive(0, rules));
  CHECK_FALSE(profile::BecomesSensitive(1, rules));
  CHECK(profile::BecomesSensitive(2, rules));
  CHECK(profile::BecomesSensitive(3, rules));
}

TEST_CASE("the default rules count 12 months of faults and 30 days of complaints and urgings") {
  const profile::HistoryRules rules;
  CHECK(rules.fault_window == std::chrono::hours(24 * 365));
  CHECK(rules.complaint_window == std::chrono::hours(24 * 30));
  CHECK(rules.urging_window == std::chrono::hours(24 * 30));
  CHECK(rules.sensitive_complaint_threshold == 2);
  CHECK_FALSE(profile::BecomesSensitive(1, rules));
  CHECK(profile::BecomesSensitive(2, rules));
}
