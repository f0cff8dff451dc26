// CaseRules: the desk's actions after contact — coordination, reply, return, escalation, return
// visit and reopen (case_rules.h).

#include <algorithm>
#include <set>
#include <utility>

#include "case_rules.h"
#include "case_step.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {
namespace {

std::string Outstanding(const v1::ComplaintCase& c) {
  std::string list;
  for (const auto& part : c.parts()) {
    if (!part.has_answered_at()) list += (list.empty() ? "" : ", ") + part.department_id();
  }
  return list;
}

int Satisfaction5(v1::Satisfaction satisfaction) {
  switch (satisfaction) {
    case v1::SATISFACTION_SATISFIED:
      return 5;
    case v1::SATISFACTION_BASICALLY_SATISFIED:
      return 4;
    case v1::SATISFACTION_DISSATISFIED:
      return 2;
    default:
      return 0;
  }
}

}  // namespace

core::Result<CaseChange> CaseRules::Reply(v1::StoredCase stored, const v1::RecordReplyRequest& r,
                                          core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  const auto& reply = r.reply();
  if (auto status = CheckActor(c, reply.by(), "reply.by"); !status) return status.error();
  if (c.state() != v1::CASE_STATE_CONTACTED) {
    return core::FailedPrecondition("cannot reply to case " + c.case_id() + " in state " +
                                    StateName(c.state()) + ": contact the customer first");
  }
  if (IsPaused(c))
    return core::FailedPrecondition("case " + c.case_id() + " is paused: resume it first");
  if (const std::string waiting = Outstanding(c); !waiting.empty()) {
    return core::FailedPrecondition("case " + c.case_id() +
                                    " waits for coordination parts from: " + waiting);
  }
  const std::string cause = reply.cause_code().empty() ? reply.root_cause() : reply.cause_code();
  if (!deps_.policy->IsKnownCause(cause)) {
    return core::InvalidArgument("reply.cause_code: '" + cause + "' is not in the cause catalogue");
  }
  if (reply.corrective_action().empty()) {
    return core::InvalidArgument("reply.corrective_action is required");
  }
  if (reply.reply().zh_cn().empty() && reply.reply().en().empty()) {
    return core::InvalidArgument("reply.reply: the text sent to the customer is required");
  }
  v1::CaseReply record;
  record.set_cause_code(cause);
  record.set_corrective_action(reply.corrective_action());
  *record.mutable_text() = reply.reply();
  if (record.text().zh_cn().empty()) record.mutable_text()->set_zh_cn(record.text().en());
  if (record.text().en().empty()) record.mutable_text()->set_en(record.text().zh_cn());
  *record.mutable_by() = reply.by();
  *record.mutable_replied_at() = sla::ToTimestamp(now);
  *c.mutable_reply() = record;
  c.set_root_cause(cause);
  MeetClock(c, v1::ServiceClock::KIND_COMPLAINT_REPLY, now);
  MeetClock(c, v1::ServiceClock::KIND_CONSULTATION_REPLY, now);
  c.set_state(v1::CASE_STATE_REPLIED);
  v1::ComplaintEvent event;
  auto* sent = event.mutable_reply_sent();
  sent->set_case_id(c.case_id());
  *sent->mutable_by() = reply.by();
  *sent->mutable_reply() = record.text();
  sent->set_root_cause(cause);
  sent->set_cause_code(cause);
  sent->set_corrective_action(record.corrective_action());
  *sent->mutable_at() = record.replied_at();
  sent->set_customer_id(c.customer_id());
  step->Emit(std::move(event), now, Text("已答复您的诉求", "We replied to your request"),
             reply.by());
  if (deps_.policy->ClosesWithoutVisit(c.request_type())) {
    CloseStep(*step, v1::CASE_CLOSURE_NO_VISIT_REQUIRED, reply.by(), now);
  }
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::Return(v1::StoredCase stored, const v1::ReturnCaseRequest& r,
                                           core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  if (!Working(c)) return WrongState(c, "return");
  if (r.reason().empty()) return core::InvalidArgument("reason: a return needs a reason");
  const auto& directory = *deps_.directory;
  if (c.department_id() == directory.pool_department_id()) {
    return core::FailedPrecondition("case " + c.case_id() +
                                    " is already with the service-dispatch centre");
  }
  const auto& returned = c.returned_by();
  if (std::find(returned.begin(), returned.end(), c.department_id()) != returned.end()) {
    return core::FailedPrecondition("department '" + c.department_id() + "' returned case " +
                                    c.case_id() + " once already; ask the coordinator");
  }
  const std::string from = c.department_id();
  c.add_returned_by(from);
  c.set_return_count(c.return_count() + 1);
  const bool to_coordinator = c.return_count() > deps_.policy->max_returns;
  c.set_department_id(directory.pool_department_id());
  c.set_department(directory.KindOf(c.department_id()));
  c.set_unit_id("");
  c.set_handler_id(to_coordinator ? directory.coordinator_id() : "");
  if (to_coordinator) c.set_with_coordinator(true);
  c.set_routing_rule(to_coordinator ? "coordinator" : "returned");
  v1::ComplaintEvent event;
  auto* event_returned = event.mutable_case_returned();
  event_returned->set_case_id(c.case_id());
  event_returned->set_department_id(from);
  event_returned->set_reason(r.reason());
  *event_returned->mutable_by() = r.by();
  event_returned->set_return_count(c.return_count());
  event_returned->set_to_coordinator(to_coordinator);
  *event_returned->mutable_at() = sla::ToTimestamp(now);
  step->Emit(std::move(event), now,
             to_coordinator ? Text("已转协调人统筹处理", "Passed to the coordinator")
                            : Text("正在重新分派处理部门", "Finding the right department"),
             r.by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::RequestCoordination(v1::StoredCase stored,
                                                        const v1::RequestCoordinationRequest& r,
                                                        core::TimePoint now,
                                                        const CalendarBook& calendars) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  if (!Working(c)) return WrongState(c, "request coordination on");
  if (r.parts().empty()) return core::InvalidArgument("parts: name at least one department");
  std::set<std::string> named;
  for (int i = 0; i < r.parts_size(); ++i) {
    const auto& part = r.parts(i);
    const std::string field = "parts[" + std::to_string(i) + "]";
    if (deps_.directory->FindDepartment(part.department_id()) == nullptr) {
      return core::InvalidArgument(field + ".department_id: unknown department '" +
                                   part.department_id() + "'");
    }
    if (part.department_id() == c.department_id()) {
      return core::InvalidArgument(field + ".department_id: '" + part.department_id() +
                                   "' leads the case");
    }
    if (part.due_working_days() < 0 || part.due_working_days() > 60) {
      return core::InvalidArgument(field + ".due_working_days must be 0..60");
    }
    const bool open = std::any_of(c.parts().begin(), c.parts().end(), [&](const auto& p) {
      return p.department_id() == part.department_id() && !p.has_answered_at();
    });
    if (open || !named.insert(part.department_id()).second) {
      return core::InvalidArgument(field + ".department_id: '" + part.department_id() +
                                   "' already has an open part");
    }
  }
  v1::ComplaintEvent event;
  auto* requested = event.mutable_coordination_requested();
  requested->set_case_id(c.case_id());
  requested->set_lead_department_id(c.department_id());
  for (const auto& part : r.parts()) {
    const int days = part.due_working_days() > 0 ? part.due_working_days()
                                                 : deps_.policy->coordination_working_days;
    v1::CoordinationPart added;
    added.set_department_id(part.department_id());
    *added.mutable_due_at() =
        sla::ToTimestamp(calendars.For(part.department_id()).AddWorkingDays(now, days));
    *added.mutable_requested_at() = sla::ToTimestamp(now);
    *c.add_parts() = added;
    *requested->add_parts() = added;
    const v1::Department kind = deps_.directory->KindOf(part.department_id());
    const auto& kinds = c.coordinating_departments();
    if (kind != v1::DEPARTMENT_UNSPECIFIED &&
        std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      c.add_coordinating_departments(kind);
    }
  }
  *requested->mutable_by() = r.by();
  *requested->mutable_at() = sla::ToTimestamp(now);
  step->Emit(std::move(event), now,
             Text("多个部门正在协同处理", "Several departments are working on it together"),
             r.by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::AnswerCoordination(v1::StoredCase stored,
                                                       const v1::AnswerCoordinationRequest& r,
                                                       core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (r.by().id().empty()) return core::InvalidArgument("by.id (the acting handler) is required");
  if (r.department_id().empty()) {
    return core::InvalidArgument("department_id: name the department whose part this answers");
  }
  if (!deps_.directory->MayAct(r.by().id(), r.department_id())) {
    return core::Error{
        core::ErrorKind::kPermissionDenied,
        "handler '" + r.by().id() + "' may not answer for department '" + r.department_id() + "'"};
  }
  if (!Working(c)) return WrongState(c, "answer coordination on");
  if (r.text().empty()) return core::InvalidArgument("text: the part's answer is required");
  v1::CoordinationPart* part = nullptr;
  for (auto& p : *c.mutable_parts()) {
    if (p.department_id() == r.department_id() && !p.has_answered_at()) part = &p;
  }
  if (part == nullptr) {
    return core::FailedPrecondition("case " + c.case_id() + " has no open part for department '" +
                                    r.department_id() + "'");
  }
  *part->mutable_answered_at() = sla::ToTimestamp(now);
  *part->mutable_answered_by() = r.by();
  part->set_text(r.text());
  int outstanding = 0;
  for (const auto& p : c.parts()) outstanding += p.has_answered_at() ? 0 : 1;
  v1::ComplaintEvent event;
  auto* replied = event.mutable_coordination_part_replied();
  replied->set_case_id(c.case_id());
  replied->set_department_id(r.department_id());
  *replied->mutable_by() = r.by();
  *replied->mutable_at() = sla::ToTimestamp(now);
  replied->set_parts_outstanding(outstanding);
  step->Emit(std::move(event), now, Text("协办部门已反馈", "A contributing department answered"),
             r.by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::Escalate(v1::StoredCase stored,
                                             const v1::EscalateCaseRequest& r,
                                             core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  if (c.state() == v1::CASE_STATE_CLOSED) return WrongState(c, "escalate");
  if (r.reason().empty()) return core::InvalidArgument("reason: an escalation needs a reason");
  const LadderRung* rung = deps_.policy->Rung(c.supervision_level() + 1);
  if (rung == nullptr) {
    return core::FailedPrecondition("case " + c.case_id() + " is at the top supervision level");
  }
  c.set_supervision_level(rung->level);
  v1::ComplaintEvent event;
  auto* escalated = event.mutable_case_escalated();
  escalated->set_case_id(c.case_id());
  escalated->set_supervision_level(rung->level);
  escalated->set_escalated_to(rung->role);
  escalated->set_reason(r.reason());
  *escalated->mutable_by() = r.by();
  *escalated->mutable_at() = sla::ToTimestamp(now);
  step->Emit(std::move(event), now, Text("已升级督办", "Supervision raised"), r.by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::ReturnVisit(v1::StoredCase stored,
                                                const v1::RecordReturnVisitRequest& r,
                                                core::TimePoint now,
                                                const CalendarBook& calendars) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  const auto& visit = r.visit();
  if (auto status = CheckActor(c, visit.by(), "visit.by"); !status) return status.error();
  if (c.state() != v1::CASE_STATE_REPLIED) return WrongState(c, "record a return visit on");
  if (!visit.unreachable() && visit.satisfaction() == v1::SATISFACTION_UNSPECIFIED) {
    return core::InvalidArgument("visit.satisfaction is required (or visit.unreachable)");
  }
  if (visit.satisfaction_score() < 0 || visit.satisfaction_score() > 5) {
    return core::InvalidArgument(
        "visit.satisfaction_score must be 1..5 (0: from the satisfaction)");
  }
  v1::ComplaintEvent event;
  auto* recorded = event.mutable_return_visit_recorded();
  *recorded = visit;
  recorded->set_case_id(c.case_id());
  recorded->set_customer_id(c.customer_id());
  recorded->set_ticket_id(c.ticket_id());
  *recorded->mutable_visited_at() = sla::ToTimestamp(now);
  if (visit.unreachable()) {
    c.set_visit_attempts(c.visit_attempts() + 1);
    recorded->set_attempt(c.visit_attempts());
    recorded->set_satisfied(false);
    step->Emit(std::move(event), now,
               Text("回访未能联系到您", "We could not reach you for the return visit"), visit.by());
    if (c.visit_attempts() >= deps_.policy->visit_attempts) {
      CloseStep(*step, v1::CASE_CLOSURE_RETURN_VISIT_UNREACHABLE, visit.by(), now);
    }
    return std::move(*step).Finish();
  }
  const bool dissatisfied = visit.satisfaction() == v1::SATISFACTION_DISSATISFIED;
  const bool satisfied = !dissatisfied && visit.resolved();
  recorded->set_satisfied(satisfied);
  recorded->set_attempt(c.visit_attempts() + 1);
  if (recorded->satisfaction_score() == 0) {
    recorded->set_satisfaction_score(Satisfaction5(visit.satisfaction()));
  }
  c.set_satisfaction_score(recorded->satisfaction_score());
  c.set_last_satisfaction(visit.satisfaction());
  c.set_state(v1::CASE_STATE_RETURN_VISITED);
  if (dissatisfied) c.set_dissatisfied_count(c.dissatisfied_count() + 1);
  step->Emit(std::move(event), now, Text("已完成回访", "Return visit recorded"), visit.by());
  if (satisfied) {
    CloseStep(*step, v1::CASE_CLOSURE_RESOLVED, visit.by(), now);
  } else {
    ReopenStep(*step, dissatisfied ? "return visit: dissatisfied" : "return visit: not resolved",
               visit.by(), now, calendars);
  }
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::Reopen(v1::StoredCase stored, const v1::ReopenCaseRequest& r,
                                           core::TimePoint now,
                                           const CalendarBook& calendars) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  if (c.state() != v1::CASE_STATE_REPLIED && c.state() != v1::CASE_STATE_RETURN_VISITED &&
      c.state() != v1::CASE_STATE_CLOSED) {
    return WrongState(c, "reopen");
  }
  if (r.reason().empty()) return core::InvalidArgument("reason: a reopen needs a reason");
  ReopenStep(*step, r.reason(), r.by(), now, calendars);
  return std::move(*step).Finish();
}

}  // namespace gridcare::complaint
