#include <catch2/catch.hpp>
#include <set>

#include "gridcare/core/utf8.h"
#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

const TimeContext kChina{kNow, 480};

v1::Incident Incident(v1::IncidentLevel level, bool with_etr) {
  v1::Incident incident;
  incident.set_incident_id("INC-T-GC-1");
  incident.set_level(level);
  incident.set_state(v1::INCIDENT_STATE_OPEN);
  incident.mutable_supply()->set_feeder_id("FDR-0001-03");
  incident.mutable_supply()->set_transformer_id("TA-0001-03-012");
  incident.add_ticket_ids("GC-1");
  if (with_etr) *incident.mutable_estimated_restoration_at() = Ts(kNow + 2h);
  return incident;
}

using Intents = std::vector<NotificationIntent>;

void Append(Intents& all, Intents intents) {
  for (auto& intent : intents) all.push_back(std::move(intent));
}

Intents IntakeIntents() {
  Intents all;
  v1::IntakeEvent opened;
  v1::Ticket* ticket = opened.mutable_ticket_opened()->mutable_ticket();
  ticket->set_ticket_id("GC-1");
  ticket->set_request_id("REQ-1");
  ticket->set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  ticket->set_channel(v1::CHANNEL_HOTLINE_IVR);
  Append(all, Shipped().OnIntake(opened, kNow).intents);
  v1::IntakeEvent answered;
  answered.mutable_consultation_answered()->set_ticket_id("GC-2");
  answered.mutable_consultation_answered()->set_request_id("REQ-2");
  *answered.mutable_consultation_answered()->mutable_answer() =
      Loc("可在网上国网App办理。", "You can do it in the app.");
  Append(all, Shipped().OnIntake(answered, kNow).intents);
  v1::IntakeEvent rejected;
  rejected.mutable_request_rejected()->set_request_id("REQ-3");
  rejected.mutable_request_rejected()->set_channel(v1::CHANNEL_SMS);
  rejected.mutable_request_rejected()->set_reason(v1::REJECTION_REASON_MISSING_FIELD);
  Append(all, Shipped().OnIntake(rejected, kNow).intents);
  return all;
}

// Feeds dispatch events with the memo each returned.
class DispatchFeed {
 public:
  void Feed(const v1::DispatchEvent& event, core::TimePoint now = kNow) {
    DispatchOutcome out = Shipped().OnDispatch(event, memo_, now);
    memo_ = out.memo;
    Append(intents_, std::move(out.intents));
  }
  void Forget() { memo_ = {}; }
  Intents& intents() { return intents_; }

 private:
  IncidentMemo memo_;
  Intents intents_;
};

// A start without and with an estimate, an update, the crew, the restoration; a feeder start.
Intents IncidentIntents() {
  DispatchFeed feed;
  v1::DispatchEvent event;
  *event.mutable_incident_updated()->mutable_incident() =
      Incident(v1::INCIDENT_LEVEL_TRANSFORMER, false);
  event.mutable_incident_updated()->set_change("waiting_for_crew");
  feed.Feed(event);
  *event.mutable_incident_updated()->mutable_incident() =
      Incident(v1::INCIDENT_LEVEL_TRANSFORMER, true);
  event.mutable_incident_updated()->set_change("crew_assigned");
  feed.Feed(event);
  event.mutable_incident_updated()->set_change("crew_on_site");
  feed.Feed(event);
  event.clear_event();
  *event.mutable_incident_restored()->mutable_incident() =
      Incident(v1::INCIDENT_LEVEL_TRANSFORMER, true);
  feed.Feed(event);
  feed.Forget();
  event.clear_event();
  *event.mutable_incident_opened()->mutable_incident() = Incident(v1::INCIDENT_LEVEL_FEEDER, true);
  feed.Feed(event);
  return std::move(feed.intents());
}

// Attached calls (to an incident with and without an estimate, to a planned outage); a planned
// outage noticed, reminded, then cancelled after the notice.
Intents AttachedAndPlannedIntents() {
  DispatchFeed feed;
  v1::DispatchEvent event;
  for (const bool with_etr : {true, false}) {
    event.clear_event();
    event.mutable_ticket_attached()->set_ticket_id("GC-5");
    event.mutable_ticket_attached()->set_incident_id("INC-T-GC-1");
    if (with_etr) *event.mutable_ticket_attached()->mutable_estimated_restoration_at() = Ts(kNow);
    feed.Feed(event);
  }
  event.mutable_ticket_attached()->set_planned_outage_id("PO-1");
  *event.mutable_ticket_attached()->mutable_estimated_restoration_at() = Ts(kNow + 3h);
  feed.Feed(event);
  event.clear_event();
  v1::PlannedOutage* p = event.mutable_planned_outage_registered()->mutable_planned_outage();
  p->set_planned_outage_id("PO-1");
  p->mutable_scope()->set_transformer_id("TA-0001-03-012");
  *p->mutable_starts_at() = Ts(kNow + 240h);
  *p->mutable_ends_at() = Ts(kNow + 248h);
  feed.Feed(event);
  p->set_cancelled(true);
  feed.Feed(event, kNow + 200h);
  return std::move(feed.intents());
}

// A contact, a reply (and the visit notice), a reminder and a supervision rung.
Intents ComplaintIntents() {
  Intents all;
  v1::ServiceClock reply_clock;
  reply_clock.set_kind(v1::ServiceClock::KIND_COMPLAINT_REPLY);
  *reply_clock.mutable_due_at() = Ts(kNow + 120h);
  v1::ComplaintEvent c;
  v1::ComplaintCase* complaint_case = c.mutable_case_opened()->mutable_complaint_case();
  complaint_case->set_case_id("CC-GC-9");
  complaint_case->set_customer_id("C-9");
  complaint_case->set_department_id("operations");
  *complaint_case->add_clocks() = reply_clock;
  const CaseMemo memo = Shipped().OnComplaint(c, {}, kNow).memo;
  c.clear_event();
  c.mutable_customer_contacted()->set_case_id("CC-GC-9");
  Append(all, Shipped().OnComplaint(c, memo, kNow).intents);
  c.clear_event();
  c.mutable_reply_sent()->set_case_id("CC-GC-9");
  *c.mutable_reply_sent()->mutable_reply() = Loc("已更换电表。", "The meter was replaced.");
  Append(all, Shipped().OnComplaint(c, memo, kNow).intents);
  for (const bool overdue : {false, true}) {
    c.clear_event();
    v1::CaseDeadlineAlarm* alarm = c.mutable_deadline_alarm();
    alarm->set_case_id("CC-GC-9");
    alarm->set_overdue(overdue);
    alarm->set_supervision_level(overdue ? 1 : 0);
    alarm->set_percent_elapsed(50);
    alarm->set_escalated_to("department-head");
    *alarm->mutable_clock() = reply_clock;
    Append(all, Shipped().OnComplaint(c, memo, kNow).intents);
  }
  return all;
}

// A surge and another kind of warning.
Intents AlertIntents() {
  Intents all;
  for (const v1::AlertKind kind : {v1::ALERT_KIND_SURGE, v1::ALERT_KIND_SLA_AT_RISK}) {
    v1::AlertEvent alert;
    alert.mutable_raised()->set_alert_id("AL-1");
    alert.mutable_raised()->set_kind(kind);
    alert.mutable_raised()->set_severity(v1::ALERT_SEVERITY_CRITICAL);
    alert.mutable_raised()->set_area("DIST-001");
    alert.mutable_raised()->set_observed(40);
    Append(all, Shipped().OnAlert(alert, kNow).intents);
  }
  return all;
}

// A service application: its survey booked, moved, reminded; documents missing, then complete;
// the work done for a new connection and for a capacity change.
Intents ApplicationIntents() {
  DispatchFeed feed;
  v1::DispatchEvent event;
  v1::WorkOrder order;
  order.set_work_order_id("WO-A-GC-7-1");
  order.set_ticket_id("GC-7");
  *order.mutable_appointment_start() = Ts(kNow + 48h);
  *order.mutable_appointment_end() = Ts(kNow + 50h);
  order.mutable_application()->set_ticket_id("GC-7");
  order.mutable_application()->set_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  order.mutable_application()->set_visit(v1::VISIT_KIND_SITE_SURVEY);
  for (const int booking : {1, 2}) {
    order.mutable_application()->set_booking_count(booking);
    *event.mutable_appointment_booked()->mutable_work_order() = order;
    event.mutable_appointment_booked()->set_rebooked(booking > 1);
    event.mutable_appointment_booked()->set_reason(booking > 1 ? "customer absent" : "");
    feed.Feed(event);
  }
  event.clear_event();
  *event.mutable_appointment_reminder()->mutable_work_order() = order;
  event.mutable_appointment_reminder()->set_audience("customer");
  feed.Feed(event, kNow + 24h);
  for (const bool stopped : {true, false}) {
    event.clear_event();
    v1::ApplicationClockChanged* changed = event.mutable_application_clock_changed();
    *changed->mutable_work_order() = order;
    changed->set_stopped(stopped);
    *changed->mutable_stop()->add_missing_documents() = Loc("房屋产权证明", "proof of ownership");
    *changed->mutable_stop()->mutable_stopped_at() = Ts(kNow);
    feed.Feed(event);
  }
  for (const auto kind : {v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION,
                          v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE}) {
    event.clear_event();
    order.mutable_application()->set_kind(kind);
    order.mutable_application()->set_visit(v1::VISIT_KIND_INSTALLATION);
    *event.mutable_application_stage_reached()->mutable_work_order() = order;
    event.mutable_application_stage_reached()->set_stage(v1::APPLICATION_STAGE_WORK_DONE);
    feed.Feed(event);
  }
  return std::move(feed.intents());
}

// Every intent the shipped rules give for a battery of events that reaches every trigger and
// every template they name.
Intents AllIntents() {
  Intents all = IntakeIntents();
  Append(all, IncidentIntents());
  Append(all, AttachedAndPlannedIntents());
  Append(all, ComplaintIntents());
  Append(all, AlertIntents());
  Append(all, ApplicationIntents());
  return all;
}

// Triggers whose recipient may have no profile (an unidentified caller, an applicant who is not
// a customer yet): the service adds no {address} or {area} for them.
bool RecipientMayBeUnidentified(const NotificationIntent& intent) {
  return intent.trigger == "ticket.opened" || intent.trigger == "ticket.answered" ||
         intent.trigger == "ticket.rejected" || intent.trigger.rfind("appointment.", 0) == 0 ||
         intent.trigger.rfind("application.", 0) == 0;
}

TEST_CASE("The shipped triggers load against the shipped templates") {
  auto rules = TriggerRules::FromJson(ShippedFile("triggers.json"), ShippedCatalogue());
  REQUIRE(rules.ok());
}

TEST_CASE("The battery of events reaches every trigger and every template the triggers name") {
  std::set<std::string> triggers;
  std::set<std::string> templates;
  for (const auto& intent : AllIntents()) {
    triggers.insert(intent.trigger);
    templates.insert(intent.template_id);
  }
  std::set<std::string> expected_triggers;
  std::set<std::string> expected_templates;
  for (const Trigger trigger : AllTriggers()) {
    expected_triggers.insert(std::string(TriggerName(trigger)));
    const TriggerSettings& s = Shipped().settings(trigger);
    expected_templates.insert(s.template_id);
    if (!s.fallback_template_id.empty()) expected_templates.insert(s.fallback_template_id);
  }
  CHECK(triggers == expected_triggers);
  CHECK(templates == expected_templates);
  // And every shipped template is used by some trigger.
  std::set<std::string> shipped;
  for (const auto id : ShippedCatalogue().Ids()) shipped.insert(std::string(id));
  CHECK(templates == shipped);
}

TEST_CASE("Every intent of the shipped rules renders in both languages") {
  for (const NotificationIntent& intent : AllIntents()) {
    INFO(intent.trigger << " → " << intent.template_id);
    const auto audience = ShippedCatalogue().AudienceOf(intent.template_id);
    REQUIRE(audience);
    // The rules never fill what the service adds per recipient (a staff message's {area} is the
    // event's).
    for (const auto name : kStaffRecipientPlaceholders) CHECK(intent.values.Find(name) == nullptr);
    if (*audience == Audience::kCustomer) {
      for (const auto name : kCustomerRecipientPlaceholders) {
        CHECK(intent.values.Find(name) == nullptr);
      }
    }
    CHECK((*audience == Audience::kStaff) == (intent.recipients.kind == Recipients::Kind::kStaff));
    PlaceholderValues values = intent.values;
    if (*audience == Audience::kStaff) {
      values.SetText("staff_name", "邓丽华");
    } else if (!RecipientMayBeUnidentified(intent)) {
      values.SetAddress("address", "广州市天河区体育西路 191 号 3 栋 502")
          .SetText("area", "体育西路");
    }
    for (const v1::Language language : {v1::LANGUAGE_ZH_CN, v1::LANGUAGE_EN}) {
      INFO(LanguageTag(language));
      auto message = ShippedCatalogue().Render(intent.template_id, language, values, kChina);
      REQUIRE(message.ok());
      CHECK(message->language == language);
      CHECK(core::IsValidUtf8(message->text));
      CHECK(message->text.find_first_of("{}") == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace gridcare::notification
