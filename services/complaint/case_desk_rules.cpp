// CaseRules: the desk's actions (case_rules.h). Each checks, in order: the request id (a replay
// returns the case unchanged), the acting handler, the case's state, then the fields.

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "case_rules.h"
#include "case_step.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {
namespace {

core::Error Denied(std::string message) {
  return core::Error{core::ErrorKind::kPermissionDenied, std::move(message)};
}

bool In(const v1::ComplaintCase& c, std::initializer_list<v1::CaseState> states) {
  return std::find(states.begin(), states.end(), c.state()) != states.end();
}

v1::ComplaintEvent Assigned(const v1::ComplaintCase& c, const v1::Actor& by, core::TimePoint at) {
  v1::ComplaintEvent event;
  auto* assigned = event.mutable_case_assigned();
  assigned->set_case_id(c.case_id());
  assigned->set_handler_id(c.handler_id());
  *assigned->mutable_by() = by;
  *assigned->mutable_at() = sla::ToTimestamp(at);
  return event;
}

}  // namespace

core::Result<CaseChange> CaseRules::Take(v1::StoredCase stored, const v1::TakeCaseRequest& r,
                                         core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  if (!Working(c) && c.state() != v1::CASE_STATE_REPLIED) return WrongState(c, "take");
  const Handler* handler = deps_.directory->FindHandler(r.by().id());
  if (c.senior_handling() && !handler->senior && !handler->supervisor) {
    return core::FailedPrecondition("case " + c.case_id() +
                                    " is a sensitive or important customer's: a senior handler "
                                    "must take it");
  }
  if (c.handler_id() == r.by().id()) return std::move(*step).Unchanged();
  c.set_handler_id(r.by().id());
  step->Emit(Assigned(c, r.by(), now), now, Text("专员已接单", "A handler took your case"), r.by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::Assign(v1::StoredCase stored, const v1::AssignCaseRequest& r,
                                           core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  const auto& directory = *deps_.directory;
  const Handler* by = directory.FindHandler(r.by().id());
  const bool coordinating = r.by().id() == directory.coordinator_id() ||
                            (by->supervisor && by->department_id == directory.pool_department_id());
  if (!by->supervisor && !coordinating) {
    return Denied("handler '" + r.by().id() + "' is not a supervisor and may not assign cases");
  }
  if (!Working(c) && c.state() != v1::CASE_STATE_REPLIED) return WrongState(c, "assign");
  const Handler* to = directory.FindHandler(r.handler_id());
  if (to == nullptr)
    return core::InvalidArgument("handler_id: unknown handler '" + r.handler_id() + "'");
  if (c.senior_handling() && !to->senior && !to->supervisor) {
    return core::InvalidArgument("handler_id: case " + c.case_id() + " needs a senior handler");
  }
  if (to->department_id != c.department_id()) {
    if (!coordinating) {
      return Denied(
          "only the service-dispatch centre or the coordinator moves a case to "
          "another department");
    }
    c.set_department_id(to->department_id);
    c.set_department(directory.KindOf(to->department_id));
    c.set_unit_id(to->unit_id);
    c.set_routing_rule("manual");
    v1::ComplaintEvent routed;
    auto* event = routed.mutable_case_routed();
    event->set_case_id(c.case_id());
    event->set_department(c.department());
    event->set_department_id(c.department_id());
    event->set_unit_id(c.unit_id());
    event->set_rule("manual");
    event->set_reason("re-routed by " + r.by().id());
    *event->mutable_by() = r.by();
    *event->mutable_at() = sla::ToTimestamp(now);
    const auto* department = directory.FindDepartment(c.department_id());
    step->Emit(
        std::move(routed), now,
        Text("已转" + department->name.zh_cn() + "处理", "Passed to " + department->name.en()),
        r.by());
  }
  c.set_handler_id(to->id);
  step->Emit(Assigned(c, r.by(), now), now, Text("已指派专员处理", "A handler was assigned"),
             r.by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::ContactAttempt(v1::StoredCase stored,
                                                   const v1::RecordContactAttemptRequest& r,
                                                   core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  // Also after the first contact: a customer who cannot be reached again (for the answer) may
  // need the clocks paused as unreachable, which takes the recorded attempts.
  if (!Working(c)) return WrongState(c, "record a contact attempt on");
  c.set_contact_attempts(c.contact_attempts() + 1);
  v1::ComplaintEvent event;
  auto* attempted = event.mutable_contact_attempted();
  attempted->set_case_id(c.case_id());
  *attempted->mutable_by() = r.by();
  *attempted->mutable_at() = sla::ToTimestamp(now);
  attempted->set_attempt(c.contact_attempts());
  attempted->set_note(r.note());
  step->Emit(std::move(event), now,
             Text("我们尝试联系您未果，将再次联系", "We tried to call you and will try again"),
             r.by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::Contact(v1::StoredCase stored,
                                            const v1::RecordContactRequest& r,
                                            core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.contact().by(), "contact.by"); !status) return status.error();
  if (!In(c, {v1::CASE_STATE_ROUTED, v1::CASE_STATE_REOPENED})) {
    return WrongState(c, "record the contact on");
  }
  if (IsPaused(c)) {
    return core::FailedPrecondition("case " + c.case_id() + " is paused: resume it first");
  }
  MeetClock(c, v1::ServiceClock::KIND_COMPLAINT_CONTACT, now);
  c.set_contact_attempts(0);
  c.set_state(v1::CASE_STATE_CONTACTED);
  if (c.handler_id().empty()) c.set_handler_id(r.contact().by().id());
  v1::ComplaintEvent event;
  auto* contacted = event.mutable_customer_contacted();
  *contacted = r.contact();
  contacted->set_case_id(c.case_id());
  *contacted->mutable_at() = sla::ToTimestamp(now);
  step->Emit(std::move(event), now,
             Text("专员已与您联系，正在处理", "A handler contacted you and is working on it"),
             r.contact().by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::Pause(v1::StoredCase stored, const v1::PauseCaseRequest& r,
                                          core::TimePoint now) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  if (!Working(c)) return WrongState(c, "pause");
  if (IsPaused(c)) return core::FailedPrecondition("case " + c.case_id() + " is already paused");
  if (r.reason() == v1::PAUSE_REASON_UNSPECIFIED) {
    return core::InvalidArgument("reason: a pause needs a recorded reason");
  }
  if (r.reason() == v1::PAUSE_REASON_CUSTOMER_UNREACHABLE &&
      c.contact_attempts() < deps_.policy->contact_attempts_required) {
    return core::FailedPrecondition("reason: 'customer unreachable' needs " +
                                    std::to_string(deps_.policy->contact_attempts_required) +
                                    " recorded contact attempts, case " + c.case_id() + " has " +
                                    std::to_string(c.contact_attempts()));
  }
  v1::CasePause pause;
  pause.set_reason(r.reason());
  pause.set_note(r.note());
  *pause.mutable_by() = r.by();
  *pause.mutable_paused_at() = sla::ToTimestamp(now);
  *c.add_pauses() = pause;
  v1::ComplaintEvent event;
  event.mutable_case_paused()->set_case_id(c.case_id());
  *event.mutable_case_paused()->mutable_pause() = pause;
  step->Emit(std::move(event), now,
             r.reason() == v1::PAUSE_REASON_CUSTOMER_UNREACHABLE
                 ? Text("多次联系未果，办理时限暂停", "We could not reach you; the clock is paused")
                 : Text("等待您提供资料，办理时限暂停", "Waiting for you; the clock is paused"),
             r.by());
  return std::move(*step).Finish();
}

core::Result<CaseChange> CaseRules::Resume(v1::StoredCase stored, const v1::ResumeCaseRequest& r,
                                           core::TimePoint now,
                                           const CalendarBook& calendars) const {
  auto step = BeginDeskAction(std::move(stored), r.request_id());
  if (!step) return step.error();
  if (step->Seen()) return std::move(*step).Unchanged();
  auto& c = step->c();
  if (auto status = CheckActor(c, r.by()); !status) return status.error();
  if (!IsPaused(c)) return core::FailedPrecondition("case " + c.case_id() + " is not paused");
  auto& pause = *c.mutable_pauses(c.pauses_size() - 1);
  *pause.mutable_resumed_at() = sla::ToTimestamp(now);
  const core::TimePoint paused_at = sla::FromTimestamp(pause.paused_at());
  ShiftClocksForPause(c, paused_at, now, calendars.For(c.department_id()));
  v1::ComplaintEvent event;
  auto* resumed = event.mutable_case_resumed();
  resumed->set_case_id(c.case_id());
  *resumed->mutable_by() = r.by();
  *resumed->mutable_at() = sla::ToTimestamp(now);
  resumed->set_paused_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(now - paused_at).count());
  *resumed->mutable_clocks() = c.clocks();
  step->Emit(std::move(event), now, Text("继续办理", "Work on your case resumed"), r.by());
  return std::move(*step).Finish();
}

}  // namespace gridcare::complaint
