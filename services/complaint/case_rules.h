#pragma once

// The complaint case's state machine, pure: every input (a ticket event from intake, an incident
// from dispatch, a desk action, a clock tick) turns a StoredCase into its next state plus the
// events to publish. No I/O: CaseDesk (case_desk.h) loads, saves and publishes around it.
//
// Idempotent: each input carries an id (the Kafka event id, the desk's request id, the alarm id);
// an id already in StoredCase.applied (or fired_alarms) changes nothing and publishes nothing.
// Event ids are derived from the input id, so a retried input publishes the same ids.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar_book.h"
#include "case_clocks.h"
#include "case_router.h"
#include "complaint_policy.h"
#include "department_directory.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/standards.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::complaint {

/// One event to publish on gridcare.complaint.v1 (key = case id).
struct CaseEventOut {
  std::string event_id;
  v1::ComplaintEvent event;
};

/// The outcome of one input on one case.
struct CaseChange {
  v1::StoredCase stored;  ///< the case after the input
  std::vector<CaseEventOut> events;
  bool changed = false;  ///< false: a replay or a no-op; nothing to save or publish
};

/// What the rules need besides the case. All referenced objects outlive the CaseRules.
struct CaseRulesDeps {
  const ComplaintPolicy* policy = nullptr;
  const DepartmentDirectory* directory = nullptr;
  const CaseRouter* router = nullptr;
  const sla::ServiceStandards* standards = nullptr;
  /// Case clocks start when complaint receives the ticket (its own clock), not at the ticket's
  /// opened_at: only for demonstrations with a sped-up clock (--clock-speed), whose "now" runs
  /// ahead of the wall time intake stamps tickets with.
  bool clocks_start_on_receipt = false;
};

/// Case ids: "CC-" + the ticket id ("CC-GC-20261124-000123"): stable, so a redelivered
/// TicketOpened opens the same case.
std::string CaseIdForTicket(std::string_view ticket_id);

/// The CloudEvents type of a complaint event, e.g. "gridcare.complaint_case.routed.v1"
/// (docs/events.md); "" for an empty event.
std::string_view CaseEventType(const v1::ComplaintEvent& event);

/// What the edge found out about a new case's ticket.
struct OpenFacts {
  std::string district;          ///< the customer's district (ticket location), "" unknown
  std::string incident_id;       ///< an open incident on the customer's transformer or feeder
  v1::SupplyPoint supply_point;  ///< the incident's supply point when linked
  std::string customer_display;  ///< masked, for the desk
};

/// Whether intake's ticket of `type` becomes a complaint case (complaint, report, opinion,
/// suggestion, praise, and consultations intake did not answer at once).
bool IsCaseType(v1::RequestType type);

class CaseRules {
 public:
  explicit CaseRules(CaseRulesDeps deps);

  // --- From intake -------------------------------------------------------------------------
  /// A ticket of a case type opened: the new case, routed (CaseOpened + CaseRouted, and
  /// CaseAssigned when senior handling names a senior handler). nullopt when the ticket is not a
  /// case type.
  std::optional<CaseChange> Open(const v1::Ticket& ticket, const OpenFacts& facts,
                                 std::string_view event_id, core::TimePoint now,
                                 const CalendarBook& calendars) const;
  /// A restored fault ticket sampled for a return visit: a case in REPLIED state, origin
  /// CASE_ORIGIN_FAULT_RETURN_VISIT, owned by the pool. nullopt when not sampled.
  std::optional<CaseChange> OpenFaultVisit(const v1::TicketStateChanged& restored,
                                           std::string_view event_id, core::TimePoint now) const;
  /// A contact or urging added to the case's ticket: counts it; urging raises the priority one
  /// step; `escalated` raises the supervision level one rung (CaseEscalated).
  CaseChange ContactAdded(v1::StoredCase stored, const v1::ContactAdded& contact,
                          std::string_view event_id, core::TimePoint now) const;
  // --- Desk actions (errors: kNotFound is the caller's; kFailedPrecondition wrong state;
  // kInvalidArgument naming the field; kPermissionDenied another department's case) ----------
  core::Result<CaseChange> Take(v1::StoredCase stored, const v1::TakeCaseRequest& r,
                                core::TimePoint now) const;
  core::Result<CaseChange> Assign(v1::StoredCase stored, const v1::AssignCaseRequest& r,
                                  core::TimePoint now) const;
  core::Result<CaseChange> ContactAttempt(v1::StoredCase stored,
                                          const v1::RecordContactAttemptRequest& r,
                                          core::TimePoint now) const;
  core::Result<CaseChange> Contact(v1::StoredCase stored, const v1::RecordContactRequest& r,
                                   core::TimePoint now) const;
  /// CUSTOMER_UNREACHABLE only after policy.contact_attempts_required attempts.
  core::Result<CaseChange> Pause(v1::StoredCase stored, const v1::PauseCaseRequest& r,
                                 core::TimePoint now) const;
  core::Result<CaseChange> Resume(v1::StoredCase stored, const v1::ResumeCaseRequest& r,
                                  core::TimePoint now, const CalendarBook& calendars) const;
  /// Needs the customer contacted, every coordination part answered, a known cause code and the
  /// reply text in both languages (an empty language is filled from the other).
  core::Result<CaseChange> Reply(v1::StoredCase stored, const v1::RecordReplyRequest& r,
                                 core::TimePoint now) const;
  /// Back to the pool with a reason (once per department); beyond policy.max_returns returns to
  /// the coordinator.
  core::Result<CaseChange> Return(v1::StoredCase stored, const v1::ReturnCaseRequest& r,
                                  core::TimePoint now) const;
  core::Result<CaseChange> RequestCoordination(v1::StoredCase stored,
                                               const v1::RequestCoordinationRequest& r,
                                               core::TimePoint now,
                                               const CalendarBook& calendars) const;
  core::Result<CaseChange> AnswerCoordination(v1::StoredCase stored,
                                              const v1::AnswerCoordinationRequest& r,
                                              core::TimePoint now) const;
  core::Result<CaseChange> Escalate(v1::StoredCase stored, const v1::EscalateCaseRequest& r,
                                    core::TimePoint now) const;
  /// Satisfied / basically satisfied and resolved → closed (RESOLVED). Dissatisfied or unresolved
  /// → reopened one level up with new clocks (to the coordinator after
  /// policy.dissatisfied_to_coordinator dissatisfied visits). Unreachable: counted; after
  /// policy.visit_attempts → closed RETURN_VISIT_UNREACHABLE.
  core::Result<CaseChange> ReturnVisit(v1::StoredCase stored, const v1::RecordReturnVisitRequest& r,
                                       core::TimePoint now, const CalendarBook& calendars) const;
  core::Result<CaseChange> Reopen(v1::StoredCase stored, const v1::ReopenCaseRequest& r,
                                  core::TimePoint now, const CalendarBook& calendars) const;

  // --- Clocks ------------------------------------------------------------------------------
  /// Raises every alarm due at `now` not raised before (CaseDeadlineAlarm each; rungs also set
  /// the case's supervision_level), recording them in fired_alarms.
  CaseChange Tick(v1::StoredCase stored, core::TimePoint now) const;
  /// The durable timer's next fire time for the case.
  std::optional<core::TimePoint> NextTimer(const v1::StoredCase& stored) const;

 private:
  /// Checks the acting handler: known, and allowed on the case's department. `field` names the
  /// request's actor field in errors ("by", "contact.by", "reply.by", "visit.by").
  core::Status CheckActor(const v1::ComplaintCase& c, const v1::Actor& by,
                          std::string_view field = "by") const;
  /// Reopens the case in `step` one supervision level up with new clocks.
  void ReopenStep(class CaseStep& step, const std::string& reason, const v1::Actor& by,
                  core::TimePoint now, const CalendarBook& calendars) const;
  /// Closes the case in `step` with `closure`.
  void CloseStep(class CaseStep& step, v1::CaseClosure closure, const v1::Actor& by,
                 core::TimePoint now) const;

  CaseRulesDeps deps_;
};

}  // namespace gridcare::complaint
