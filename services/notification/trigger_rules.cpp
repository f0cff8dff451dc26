// TriggerRules: intake and alert triggers, memo keys, department names. Dispatch triggers are in
// dispatch_triggers.cpp, complaint triggers in complaint_triggers.cpp, the configuration reader
// in trigger_config.cpp.

#include "trigger_rules.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "trigger_support.h"

namespace gridcare::notification {
namespace {

using namespace triggers;  // NOLINT(google-build-using-namespace): the module's own helpers
using T = Trigger;

void TicketOpened(const TriggerSettings& s, const v1::Ticket& ticket, TriggerOutcome& out) {
  if (!s.enabled || ticket.ticket_id().empty() || !Contains(s.request_types, ticket.type()) ||
      !Contains(s.channels, ticket.channel())) {
    return;
  }
  Recipients recipients;
  if (!ticket.customer_id().empty()) {
    recipients = CustomerRecipient(ticket.customer_id(), ticket.language());
  } else if (!ticket.request_id().empty()) {
    recipients = RequesterRecipient(ticket.request_id(), ticket.language());
  } else {
    return;
  }
  NotificationIntent intent =
      NewIntent(T::kTicketOpened, s.template_id, ticket.ticket_id(), std::move(recipients));
  intent.values.SetLocalized("channel", ChannelLabel(ticket.channel()))
      .SetLocalized("request_type", RequestTypeLabel(ticket.type()))
      .SetId("ticket_id", ticket.ticket_id());
  out.intents.push_back(std::move(intent));
}

void ConsultationAnswered(const TriggerSettings& s, const v1::ConsultationAnswered& answered,
                          TriggerOutcome& out) {
  if (!s.enabled || answered.ticket_id().empty() || IsBlank(answered.answer())) return;
  Recipients recipients;
  if (!answered.customer_id().empty()) {
    recipients = CustomerRecipient(answered.customer_id(), v1::LANGUAGE_UNSPECIFIED);
  } else if (!answered.request_id().empty()) {
    recipients = RequesterRecipient(answered.request_id(), v1::LANGUAGE_UNSPECIFIED);
  } else {
    return;
  }
  NotificationIntent intent =
      NewIntent(T::kTicketAnswered, s.template_id, answered.ticket_id(), std::move(recipients));
  intent.values.SetId("ticket_id", answered.ticket_id())
      .SetLocalized("reply_text", answered.answer());
  out.intents.push_back(std::move(intent));
}

void RequestRejected(const TriggerSettings& s, const v1::RequestRejected& rejected,
                     TriggerOutcome& out) {
  if (!s.enabled || rejected.request_id().empty() || !Contains(s.channels, rejected.channel()) ||
      !Contains(s.reasons, rejected.reason())) {
    return;
  }
  NotificationIntent intent =
      NewIntent(T::kTicketRejected, s.template_id, rejected.request_id(),
                RequesterRecipient(rejected.request_id(), v1::LANGUAGE_UNSPECIFIED));
  intent.values.SetLocalized("channel", ChannelLabel(rejected.channel()))
      .SetLocalized("reason", IsBlank(rejected.customer_message())
                                  ? RejectionReasonLabel(rejected.reason())
                                  : rejected.customer_message());
  out.intents.push_back(std::move(intent));
}

// 12, or 2.5 for a rate: one decimal at most.
std::string FormatNumber(double value) {
  const double rounded = std::round(value * 10.0) / 10.0;
  char text[32];
  if (rounded == std::floor(rounded)) {
    std::snprintf(text, sizeof text, "%.0f", rounded);
  } else {
    std::snprintf(text, sizeof text, "%.1f", rounded);
  }
  return text;
}

// A warning's summary when analytics sent none: what was observed against what is usual.
v1::LocalizedText GeneratedSummary(const v1::RiskWarningRaised& warning) {
  const std::string observed = FormatNumber(warning.observed());
  const std::string expected = FormatNumber(warning.expected());
  switch (warning.kind()) {
    case v1::ALERT_KIND_SURGE:
      return Text("往常同期约" + expected + "件。", "Usually about " + expected + ".");
    case v1::ALERT_KIND_KEYWORD_HOTSPOT:
      return Text(
          "热点词“" + warning.keyword() + "”出现" + observed + "次，往常约" + expected + "次。",
          "The keyword \"" + warning.keyword() + "\" came up " + observed +
              " times, against about " + expected + " usually.");
    case v1::ALERT_KIND_SLA_AT_RISK:
      return Text(observed + "件工单临近办理时限。",
                  observed + " tickets are close to their deadlines.");
    case v1::ALERT_KIND_REPEAT_COMPLAINTS:
      return Text(
          "每万户投诉达" + observed + "件，往常约" + expected + "件。",
          observed + " complaints per 10,000 customers, against about " + expected + " usually.");
    default:
      return Text("请查看预警详情。", "See the warning for details.");
  }
}

void RiskWarning(const TriggerSettings& s, const v1::RiskWarningRaised& warning,
                 TriggerOutcome& out) {
  if (!s.enabled || warning.alert_id().empty() || IsBlank(warning.area()) ||
      warning.severity() < s.min_severity) {
    return;
  }
  const bool surge = warning.kind() == v1::ALERT_KIND_SURGE;
  const std::string& template_id = surge ? s.template_id : s.fallback_template_id;
  if (template_id.empty()) return;
  const std::string role =
      IsBlank(warning.responsible_role()) ? s.default_role : warning.responsible_role();
  NotificationIntent intent =
      NewIntent(T::kAlertRiskWarning, template_id, warning.alert_id(), StaffRecipient(role, ""));
  intent.values.SetText("area", warning.area())
      .SetLocalized("summary",
                    IsBlank(warning.summary()) ? GeneratedSummary(warning) : warning.summary());
  if (surge) {
    intent.values.SetLocalized("category", RequestTypeLabel(warning.category()))
        .SetCount("contact_count", std::llround(std::max(0.0, warning.observed())));
  }
  out.intents.push_back(std::move(intent));
}

}  // namespace

v1::LocalizedText TriggerRules::DepartmentName(std::string_view department_id,
                                               v1::Department fallback) const {
  for (const auto& [id, name] : department_names_) {
    if (id == department_id) return name;
  }
  v1::LocalizedText label = DepartmentLabel(fallback);
  if (!IsBlank(label)) return label;
  if (IsBlank(department_id)) return Text("客户服务中心", "our customer service centre");
  return Text(std::string(department_id), std::string(department_id));
}

TriggerOutcome TriggerRules::OnIntake(const v1::IntakeEvent& event, core::TimePoint /*now*/) const {
  TriggerOutcome out;
  switch (event.event_case()) {
    case v1::IntakeEvent::kTicketOpened:
      TicketOpened(settings(T::kTicketOpened), event.ticket_opened().ticket(), out);
      break;
    case v1::IntakeEvent::kConsultationAnswered:
      ConsultationAnswered(settings(T::kTicketAnswered), event.consultation_answered(), out);
      break;
    case v1::IntakeEvent::kRequestRejected:
      RequestRejected(settings(T::kTicketRejected), event.request_rejected(), out);
      break;
    default:  // contacts added, state and clock changes: the channel and the timeline tell them
      break;
  }
  return out;
}

TriggerOutcome TriggerRules::OnAlert(const v1::AlertEvent& event, core::TimePoint /*now*/) const {
  TriggerOutcome out;
  if (event.has_raised()) RiskWarning(settings(T::kAlertRiskWarning), event.raised(), out);
  return out;
}

std::string TriggerRules::MemoKey(const v1::DispatchEvent& event) {
  switch (event.event_case()) {
    case v1::DispatchEvent::kIncidentOpened:
      return event.incident_opened().incident().incident_id();
    case v1::DispatchEvent::kIncidentUpdated:
      return event.incident_updated().incident().incident_id();
    case v1::DispatchEvent::kIncidentRolledUp:
      return event.incident_rolled_up().incident().incident_id();
    case v1::DispatchEvent::kIncidentRestored:
      return event.incident_restored().incident().incident_id();
    case v1::DispatchEvent::kWorkOrderQueued:
      return event.work_order_queued().work_order().incident_id();
    case v1::DispatchEvent::kPlannedOutageRegistered:
      return event.planned_outage_registered().planned_outage().planned_outage_id();
    default:
      return {};
  }
}

std::string TriggerRules::CaseId(const v1::ComplaintEvent& event) {
  using E = v1::ComplaintEvent;
  switch (event.event_case()) {
    case E::kCaseOpened:
      return event.case_opened().complaint_case().case_id();
    case E::kCaseClosed:
      return event.case_closed().complaint_case().case_id();
    case E::kCaseRouted:
      return event.case_routed().case_id();
    case E::kCustomerContacted:
      return event.customer_contacted().case_id();
    case E::kReplySent:
      return event.reply_sent().case_id();
    case E::kDeadlineAlarm:
      return event.deadline_alarm().case_id();
    case E::kReturnVisitRecorded:
      return event.return_visit_recorded().case_id();
    case E::kCaseReopened:
      return event.case_reopened().case_id();
    case E::kCaseReturned:
      return event.case_returned().case_id();
    case E::kContactAttempted:
      return event.contact_attempted().case_id();
    case E::kCasePaused:
      return event.case_paused().case_id();
    case E::kCaseResumed:
      return event.case_resumed().case_id();
    case E::kCaseAssigned:
      return event.case_assigned().case_id();
    case E::kCoordinationRequested:
      return event.coordination_requested().case_id();
    case E::kCoordinationPartReplied:
      return event.coordination_part_replied().case_id();
    case E::kCaseEscalated:
      return event.case_escalated().case_id();
    default:
      return {};
  }
}

}  // namespace gridcare::notification
