#include "case_rules.h"

#include <algorithm>
#include <utility>

#include "case_step.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {
namespace {

bool HasTag(const v1::Ticket& ticket, v1::CustomerTag tag) {
  const auto& tags = ticket.customer_tags();
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

v1::Priority RaisedOneStep(v1::Priority priority) {
  if (priority < v1::PRIORITY_NORMAL) return v1::PRIORITY_NORMAL;
  return priority >= v1::PRIORITY_URGENT ? v1::PRIORITY_URGENT
                                         : static_cast<v1::Priority>(priority + 1);
}

v1::ComplaintEvent Routed(const v1::ComplaintCase& c, const Route& route, const v1::Actor& by,
                          core::TimePoint at, v1::Department kind) {
  v1::ComplaintEvent event;
  auto* routed = event.mutable_case_routed();
  routed->set_case_id(c.case_id());
  routed->set_department(kind);
  routed->set_department_id(route.department_id);
  routed->set_unit_id(route.unit_id);
  routed->set_rule(route.rule);
  routed->set_reason(route.reason);
  *routed->mutable_by() = by;
  *routed->mutable_at() = sla::ToTimestamp(at);
  return event;
}

/// Who must act on `alarm`: for a coordination part's sub-deadline the contributing department
/// (its queue, its head), not the lead department's handler.
v1::Actor MustActFor(const DepartmentDirectory& directory, const CaseAlarm& alarm,
                     const v1::ComplaintCase& c) {
  if (alarm.part_department_id.empty()) return directory.MustAct(alarm.role, c);
  v1::ComplaintCase part;
  part.set_case_id(c.case_id());
  part.set_department_id(alarm.part_department_id);
  return directory.MustAct(alarm.role, part);
}

}  // namespace

std::string CaseIdForTicket(std::string_view ticket_id) { return "CC-" + std::string(ticket_id); }

bool IsCaseType(v1::RequestType type) {
  switch (type) {
    case v1::REQUEST_TYPE_COMPLAINT:
    case v1::REQUEST_TYPE_REPORT:
    case v1::REQUEST_TYPE_OPINION:
    case v1::REQUEST_TYPE_SUGGESTION:
    case v1::REQUEST_TYPE_PRAISE:
    case v1::REQUEST_TYPE_CONSULTATION:
      return true;
    default:
      return false;
  }
}

std::string_view CaseEventType(const v1::ComplaintEvent& event) {
  switch (event.event_case()) {
    case v1::ComplaintEvent::kCaseOpened:
      return "gridcare.complaint_case.opened.v1";
    case v1::ComplaintEvent::kCaseRouted:
      return "gridcare.complaint_case.routed.v1";
    case v1::ComplaintEvent::kCustomerContacted:
      return "gridcare.complaint_case.customer_contacted.v1";
    case v1::ComplaintEvent::kReplySent:
      return "gridcare.complaint_case.reply_sent.v1";
    case v1::ComplaintEvent::kDeadlineAlarm:
      return "gridcare.complaint_case.deadline_alarm_raised.v1";
    case v1::ComplaintEvent::kReturnVisitRecorded:
      return "gridcare.complaint_case.return_visit_recorded.v1";
    case v1::ComplaintEvent::kCaseReopened:
      return "gridcare.complaint_case.reopened.v1";
    case v1::ComplaintEvent::kCaseClosed:
      return "gridcare.complaint_case.closed.v1";
    case v1::ComplaintEvent::kCaseReturned:
      return "gridcare.complaint_case.returned.v1";
    case v1::ComplaintEvent::kContactAttempted:
      return "gridcare.complaint_case.contact_attempted.v1";
    case v1::ComplaintEvent::kCasePaused:
      return "gridcare.complaint_case.paused.v1";
    case v1::ComplaintEvent::kCaseResumed:
      return "gridcare.complaint_case.resumed.v1";
    case v1::ComplaintEvent::kCaseAssigned:
      return "gridcare.complaint_case.assigned.v1";
    case v1::ComplaintEvent::kCoordinationRequested:
      return "gridcare.complaint_case.coordination_requested.v1";
    case v1::ComplaintEvent::kCoordinationPartReplied:
      return "gridcare.complaint_case.coordination_part_replied.v1";
    case v1::ComplaintEvent::kCaseEscalated:
      return "gridcare.complaint_case.escalated.v1";
    case v1::ComplaintEvent::EVENT_NOT_SET:
      return "";
  }
  return "";
}

CaseRules::CaseRules(CaseRulesDeps deps) : deps_(deps) {}

std::optional<CaseChange> CaseRules::Open(const v1::Ticket& ticket, const OpenFacts& facts,
                                          std::string_view event_id, core::TimePoint now,
                                          const CalendarBook& calendars) const {
  if (!IsCaseType(ticket.type())) return std::nullopt;
  const bool senior =
      HasTag(ticket, v1::CUSTOMER_TAG_SENSITIVE) || HasTag(ticket, v1::CUSTOMER_TAG_IMPORTANT);
  const core::TimePoint opened = ticket.has_opened_at() && !deps_.clocks_start_on_receipt
                                     ? sla::FromTimestamp(ticket.opened_at())
                                     : now;
  CaseStep step(v1::StoredCase{}, std::string(event_id));
  auto& c = step.c();
  c.set_case_id(CaseIdForTicket(ticket.ticket_id()));
  c.set_ticket_id(ticket.ticket_id());
  c.set_customer_id(ticket.customer_id());
  c.set_request_type(ticket.type());
  c.set_origin(v1::CASE_ORIGIN_TICKET);
  c.set_priority(senior ? RaisedOneStep(ticket.priority()) : ticket.priority());
  c.set_text(ticket.text());
  c.set_district(facts.district);
  c.set_customer_display(facts.customer_display);
  *c.mutable_customer_tags() = ticket.customer_tags();
  c.set_senior_handling(senior);
  c.set_incident_id(facts.incident_id);
  if (!facts.incident_id.empty()) *c.mutable_supply_point() = facts.supply_point;
  c.set_tenant_id(ticket.tenant_id());
  c.set_contact_count(std::max(1, ticket.contact_count()));
  c.set_urging_count(ticket.urging_count());
  c.set_category(ticket.classification().category());  // intake's classifier: "billing", …
  *c.mutable_opened_at() = sla::ToTimestamp(opened);
  RoutingFacts routing{ticket.type(),  c.category(), ticket.text(),
                       facts.district, {},           facts.incident_id};
  for (const int tag : ticket.customer_tags()) {
    routing.tags.push_back(static_cast<v1::CustomerTag>(tag));
  }
  const Route route = deps_.router->RouteCase(routing);
  c.set_department_id(route.department_id);
  c.set_department(deps_.directory->KindOf(route.department_id));
  c.set_unit_id(route.unit_id);
  c.set_routing_rule(route.rule);
  c.set_state(v1::CASE_STATE_ROUTED);
  // Counted in the owning department's calendar (calendar_book.h).
  for (auto& clock :
       CaseClocks(ticket.type(), v1::CASE_ORIGIN_TICKET, senior, opened, *deps_.standards,
                  *deps_.policy, calendars.For(c.department_id()))) {
    *c.add_clocks() = std::move(clock);
  }
  const Handler* senior_handler =
      senior ? deps_.directory->SeniorHandler(route.department_id, route.unit_id) : nullptr;
  if (senior_handler != nullptr) c.set_handler_id(senior_handler->id);

  v1::ComplaintEvent opened_event;
  *opened_event.mutable_case_opened()->mutable_complaint_case() = c;
  opened_event.mutable_case_opened()->mutable_complaint_case()->clear_timeline();
  opened_event.mutable_case_opened()->mutable_complaint_case()->clear_text();
  step.Emit(std::move(opened_event), now,
            Text("已受理您的" +
                     std::string(ticket.type() == v1::REQUEST_TYPE_COMPLAINT ? "投诉" : "诉求") +
                     "，专人跟进处理",
                 "Your " + labels::RequestTypeLabel(ticket.type()).en() +
                     " was registered; a handler will follow it up"),
            SystemActor());
  const auto* department = deps_.directory->FindDepartment(route.department_id);
  const std::string name_zh =
      department != nullptr ? department->name.zh_cn() : route.department_id;
  const std::string name_en = department != nullptr ? department->name.en() : route.department_id;
  step.Emit(Routed(c, route, SystemActor(), now, c.department()), now,
            Text("已转" + name_zh + "处理", "Passed to " + name_en), SystemActor());
  if (senior_handler != nullptr) {
    v1::ComplaintEvent assigned;
    assigned.mutable_case_assigned()->set_case_id(c.case_id());
    assigned.mutable_case_assigned()->set_handler_id(senior_handler->id);
    *assigned.mutable_case_assigned()->mutable_by() = SystemActor();
    *assigned.mutable_case_assigned()->mutable_at() = sla::ToTimestamp(now);
    step.Emit(std::move(assigned), now, Text("已指定资深专员处理", "A senior handler was assigned"),
              SystemActor());
  }
  return std::move(step).Finish();
}

std::optional<CaseChange> CaseRules::OpenFaultVisit(const v1::TicketStateChanged& restored,
                                                    std::string_view event_id,
                                                    core::TimePoint now) const {
  if (restored.type() != v1::REQUEST_TYPE_FAULT_REPAIR ||
      restored.state() != v1::TICKET_STATE_RESOLVED || restored.ticket_id().empty() ||
      !SampledForFaultVisit(restored.ticket_id(), deps_.policy->fault_visit_share)) {
    return std::nullopt;
  }
  CaseStep step(v1::StoredCase{}, std::string(event_id));
  auto& c = step.c();
  c.set_case_id(CaseIdForTicket(restored.ticket_id()));
  c.set_ticket_id(restored.ticket_id());
  c.set_customer_id(restored.customer_id());
  c.set_request_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  c.set_origin(v1::CASE_ORIGIN_FAULT_RETURN_VISIT);
  c.set_priority(v1::PRIORITY_NORMAL);
  c.set_department_id(deps_.directory->pool_department_id());
  c.set_department(deps_.directory->KindOf(c.department_id()));
  c.set_routing_rule("fault-return-visit");
  c.set_state(v1::CASE_STATE_REPLIED);
  c.set_contact_count(1);
  *c.mutable_opened_at() = sla::ToTimestamp(now);
  v1::ComplaintEvent opened;
  *opened.mutable_case_opened()->mutable_complaint_case() = c;
  step.Emit(std::move(opened), now,
            Text("抢修已完成，将对您进行回访", "Repair done; we will call you to check"),
            SystemActor());
  return std::move(step).Finish();
}

CaseChange CaseRules::ContactAdded(v1::StoredCase stored, const v1::ContactAdded& contact,
                                   std::string_view event_id, core::TimePoint now) const {
  CaseStep step(std::move(stored), std::string(event_id));
  if (step.Seen() || step.c().state() == v1::CASE_STATE_CLOSED) return std::move(step).Unchanged();
  auto& c = step.c();
  c.set_contact_count(std::max(c.contact_count() + 1, contact.contact_count()));
  c.set_urging_count(
      std::max(c.urging_count() + (contact.urging() ? 1 : 0), contact.urging_count()));
  step.Touch(now);
  if (contact.urging()) c.set_priority(RaisedOneStep(c.priority()));
  const int next_level = c.supervision_level() + 1;
  const LadderRung* rung = deps_.policy->Rung(next_level);
  if (contact.escalated() && rung != nullptr) {
    c.set_supervision_level(next_level);
    v1::ComplaintEvent event;
    auto* escalated = event.mutable_case_escalated();
    escalated->set_case_id(c.case_id());
    escalated->set_supervision_level(next_level);
    escalated->set_escalated_to(rung->role);
    escalated->set_reason("repeated urging");
    *escalated->mutable_by() = SystemActor();
    *escalated->mutable_at() = sla::ToTimestamp(now);
    step.Emit(std::move(event), now,
              Text("客户多次催办，已升级督办", "Repeated urging: supervision raised"),
              SystemActor());
  }
  return std::move(step).Finish();
}

CaseChange CaseRules::Tick(v1::StoredCase stored, core::TimePoint now) const {
  CaseStep step(std::move(stored), "tick");
  std::vector<std::string> fired(step.stored().fired_alarms().begin(),
                                 step.stored().fired_alarms().end());
  const auto alarms = DueAlarms(step.c(), fired, now, *deps_.policy);
  if (alarms.empty()) return std::move(step).Unchanged();
  for (const auto& alarm : alarms) {
    auto& c = step.c();
    step.stored().add_fired_alarms(alarm.alarm_id);
    if (alarm.overdue && alarm.level > c.supervision_level()) c.set_supervision_level(alarm.level);
    v1::ComplaintEvent event;
    auto* raised = event.mutable_deadline_alarm();
    raised->set_case_id(c.case_id());
    *raised->mutable_clock() = alarm.clock;
    raised->set_overdue(alarm.overdue);
    raised->set_supervision_level(alarm.level);
    raised->set_escalated_to(alarm.role);
    raised->set_alarm_id(alarm.alarm_id);
    raised->set_percent_elapsed(alarm.percent_elapsed);
    raised->set_department_id(alarm.part_department_id.empty() ? c.department_id()
                                                               : alarm.part_department_id);
    raised->set_coordination_department_id(alarm.part_department_id);
    *raised->mutable_must_act() = MustActFor(*deps_.directory, alarm, c);
    *raised->mutable_at() = sla::ToTimestamp(alarm.at);
    auto description =
        alarm.overdue
            ? Text("已超期，升级至第" + std::to_string(alarm.level) + "级督办",
                   "Overdue: supervision level " + std::to_string(alarm.level))
            : Text("时限已过" + std::to_string(alarm.percent_elapsed) + "%，请及时处理",
                   std::to_string(alarm.percent_elapsed) + "% of the time used: reminder");
    step.EmitWithId(alarm.alarm_id, std::move(event), now, std::move(description), SystemActor());
  }
  return std::move(step).Finish(/*remember=*/false);
}

std::optional<core::TimePoint> CaseRules::NextTimer(const v1::StoredCase& stored) const {
  std::vector<std::string> fired(stored.fired_alarms().begin(), stored.fired_alarms().end());
  return NextAlarmAt(stored.complaint_case(), fired, *deps_.policy);
}

core::Status CaseRules::CheckActor(const v1::ComplaintCase& c, const v1::Actor& by,
                                   std::string_view field) const {
  if (by.id().empty()) {
    return core::InvalidArgument(std::string(field) + ".id (the acting handler) is required");
  }
  if (deps_.directory->FindHandler(by.id()) == nullptr) {
    return core::Error{core::ErrorKind::kPermissionDenied, "unknown handler '" + by.id() + "'"};
  }
  if (!deps_.directory->MayAct(by.id(), c.department_id())) {
    return core::Error{
        core::ErrorKind::kPermissionDenied,
        "handler '" + by.id() + "' may not act on cases of department '" + c.department_id() + "'"};
  }
  return {};
}

void CaseRules::CloseStep(CaseStep& step, v1::CaseClosure closure, const v1::Actor& by,
                          core::TimePoint now) const {
  auto& c = step.c();
  c.set_state(v1::CASE_STATE_CLOSED);
  c.set_closure(closure);
  *c.mutable_closed_at() = sla::ToTimestamp(now);
  v1::ComplaintEvent event;
  *event.mutable_case_closed()->mutable_complaint_case() = c;
  event.mutable_case_closed()->mutable_complaint_case()->clear_timeline();
  event.mutable_case_closed()->mutable_complaint_case()->clear_text();
  auto description = closure == v1::CASE_CLOSURE_RETURN_VISIT_UNREACHABLE
                         ? Text("多次回访未能联系到您，工单已办结",
                                "Closed: we could not reach you for the return visit")
                         : Text("工单已办结", "Your case is closed");
  step.Emit(std::move(event), now, std::move(description), by);
}

void CaseRules::ReopenStep(CaseStep& step, const std::string& reason, const v1::Actor& by,
                           core::TimePoint now, const CalendarBook& calendars) const {
  auto& c = step.c();
  const auto& policy = *deps_.policy;
  c.set_reopen_count(c.reopen_count() + 1);
  if (policy.Rung(c.supervision_level() + 1) != nullptr) {
    c.set_supervision_level(c.supervision_level() + 1);
  }
  const v1::RequestType clock_type = c.origin() == v1::CASE_ORIGIN_FAULT_RETURN_VISIT
                                         ? v1::REQUEST_TYPE_COMPLAINT
                                         : c.request_type();
  c.clear_clocks();
  for (auto& clock : CaseClocks(clock_type, v1::CASE_ORIGIN_TICKET, c.senior_handling(), now,
                                *deps_.standards, policy, calendars.For(c.department_id()))) {
    *c.add_clocks() = std::move(clock);
  }
  c.clear_reply();
  c.clear_parts();
  c.clear_closed_at();
  c.set_closure(v1::CASE_CLOSURE_UNSPECIFIED);
  c.set_contact_attempts(0);
  c.set_visit_attempts(0);
  c.set_state(v1::CASE_STATE_REOPENED);
  const bool to_coordinator = c.dissatisfied_count() >= policy.dissatisfied_to_coordinator;
  if (to_coordinator) {
    c.set_with_coordinator(true);
    c.set_department_id(deps_.directory->pool_department_id());
    c.set_department(deps_.directory->KindOf(c.department_id()));
    c.set_unit_id("");
    c.set_handler_id(deps_.directory->coordinator_id());
  }
  v1::ComplaintEvent event;
  auto* reopened = event.mutable_case_reopened();
  reopened->set_case_id(c.case_id());
  reopened->set_reason(reason);
  reopened->set_reopen_count(c.reopen_count());
  reopened->set_supervision_level(c.supervision_level());
  *reopened->mutable_clocks() = c.clocks();
  reopened->set_to_coordinator(to_coordinator);
  *reopened->mutable_by() = by;
  *reopened->mutable_at() = sla::ToTimestamp(now);
  step.Emit(std::move(event), now,
            Text("工单已重新办理并升级督办", "Your case was reopened and escalated"), by);
  if (to_coordinator) {
    Route route{c.department_id(), "", "coordinator",
                "dissatisfied " + std::to_string(c.dissatisfied_count()) + " times"};
    step.Emit(Routed(c, route, by, now, c.department()), now,
              Text("已转协调人统筹处理", "Passed to the coordinator"), by);
  }
}

}  // namespace gridcare::complaint
