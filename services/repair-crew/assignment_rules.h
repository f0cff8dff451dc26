#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::repair_crew {

/// Whether `work_order_id` names a booked visit of a service application: dispatch numbers them
/// "WO-A-<ticket id>-<n>" (docs/events.md). A crew's queue holds ids only; this tells its visits
/// from its fault jobs.
bool IsAppointmentWorkOrderId(std::string_view work_order_id);

// How dispatch's decisions reach the crews' job queues, as pure functions: which dispatch events
// matter, and what each does to the job record and the queues of the crews involved. Dispatch is
// the authority on who holds a job; repair-crew follows it, and only ignores events that would
// bring back a job that is already over (completed or cancelled), and refuses an automatic
// assignment to a crew that already holds as many open jobs as it may (several dispatch instances,
// each owning some territories, can give the same shared crew a job at the same moment;
// repair-crew, which keeps every crew's queue, is where their decisions meet).

/// repair-crew's guard against over-assignment.
struct AssignmentLimits {
  /// An automatic assignment (the work order's assigned_by empty) to a crew that already holds
  /// this many open jobs besides the one assigned is refused. The same default as dispatch's own
  /// AssignmentSettings::max_jobs_per_crew (services/dispatch/assignment.h); 1 or more.
  int max_jobs_per_crew = 3;
};

/// INVALID_ARGUMENT naming the setting when `limits` cannot be used (max_jobs_per_crew < 1).
core::Status Validate(const AssignmentLimits& limits);

/// What one dispatch event asks of repair-crew.
struct DispatchChange {
  enum class Kind {
    kNone,    ///< not about a crew's queue (incidents, clocks, planned outages, ...): ignored
    kAssign,  ///< work_order_assigned / work_order_reassigned: the crew takes the job
    kCancel,  ///< work_order_cancelled: the job is no longer needed
    kRemind,  ///< appointment_reminder for the crew: the booked visit it holds is near
  };
  Kind kind = Kind::kNone;
  std::string_view label = "ignored";  ///< "assigned", "reassigned", "cancelled", "reminded"
  v1::WorkOrder work_order;            ///< dispatch's copy
  std::string crew_id;  ///< assign: the crew taking the job; cancel: the holder (may be "")
  std::string previous_crew_id;  ///< reassign: the crew losing the job
};

/// Reads a dispatch event. INVALID_ARGUMENT (the consumer dead-letters it as "invalid_event") when
/// an event repair-crew acts on lacks the work order id or, for an assignment, the crew id.
core::Result<DispatchChange> ChangeFrom(const v1::DispatchEvent& event);

/// The crews whose records `change` may touch: the crews it names and the job's current holder
/// (`job` may be null), without duplicates or empty ids, in sorted order.
std::vector<std::string> CrewsInvolved(const DispatchChange& change, const v1::WorkOrder* job);

/// The records after a change.
struct DispatchOutcome {
  bool changed = false;                   ///< false: nothing to write (redelivery, stale event)
  std::string note;                       ///< why nothing changed, for the debug log
  v1::WorkOrder job;                      ///< the job record to write (when changed)
  std::map<std::string, v1::Crew> crews;  ///< crew records that change, after the change
  /// Set when the assignment was refused (the crew is at capacity) and the refusal is new: the
  /// JobDeclined to save with the change, in the same commit, for dispatch to reassign the job.
  /// Unset for a refusal already recorded (a redelivery: `changed` is false then too).
  std::optional<v1::JobDeclined> refusal;
};

/// Applies `change` to the current job record (null: unknown) and the current records of the
/// involved crews that exist (`crews`, keyed by id; unknown crews are absent):
///  - assign: the job becomes ASSIGNED to the crew (dispatch's copy of the order, so its latest
///    fields), joins that crew's queue and leaves every other queue; a job the crew already holds
///    keeps its progress; a completed or cancelled job stays as it is (a late event).
///    NOT_FOUND when the receiving crew is not on the roster.
///  - assign, refused: when the order's assigned_by is empty (dispatch chose automatically; a
///    dispatcher's own choice is always honoured), the crew does not hold the job yet, and its
///    queue already holds `limits.max_jobs_per_crew` other open jobs, the job becomes QUEUED, its
///    crew_id naming the crew that refused, joins no queue and leaves every other queue (a
///    reassignment's previous holder lets go as usual); `refusal` carries the JobDeclined.
///  - cancel: the job becomes CANCELLED and leaves every queue; an unknown job is recorded as a
///    CANCELLED tombstone so a late assignment cannot revive it; a completed job stays completed.
/// Queues changed settle the crews' availability (job_rules.h).
core::Result<DispatchOutcome> ApplyDispatchChange(const DispatchChange& change,
                                                  const v1::WorkOrder* job,
                                                  const std::map<std::string, v1::Crew>& crews,
                                                  const AssignmentLimits& limits = {});

}  // namespace gridcare::repair_crew
