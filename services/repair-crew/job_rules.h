#pragma once

#include <string>
#include <string_view>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::repair_crew {

// The crew side of a job's life, as pure functions: which crew app command is allowed in which
// state, what it changes, and how a crew's availability follows its job queue. No I/O; time is
// passed in. docs/services/repair-crew.md draws the state machine.
//
//   ASSIGNED --accept--> ACCEPTED --start travel--> EN_ROUTE --arrive--> ON_SITE --complete-->
//   COMPLETED
//      |                    |
//      +------decline-------+--> QUEUED (back to dispatch; the job leaves the crew's queue)
//
// Dispatch events move jobs between crews (ASSIGNED again) and cancel them (CANCELLED); see
// assignment_rules.h.

/// A crew app command about one job.
enum class JobAction { kAccept, kDecline, kStartTravel, kArriveOnSite, kComplete };

/// "accept", "decline", "start_travel", "arrive_on_site", "complete" (metric labels, logs).
std::string_view JobActionName(JobAction action);

/// The state a successful `action` leaves the job in. A declined job is QUEUED: it waits for
/// dispatch to choose another crew, and its crew_id still names the crew that declined it.
v1::WorkOrderState TargetState(JobAction action);

/// "ASSIGNED", "EN_ROUTE", ...: the enum name without its prefix, for messages.
std::string StateName(v1::WorkOrderState state);
std::string AvailabilityName(v1::CrewAvailability availability);

/// True while a crew still has work to do on the job (ASSIGNED, ACCEPTED, EN_ROUTE, ON_SITE):
/// exactly the jobs in the crew's queue.
bool IsOpenJobState(v1::WorkOrderState state);

/// True for COMPLETED and CANCELLED: nothing moves the job any more.
bool IsTerminalJobState(v1::WorkOrderState state);

/// What a command does to a job.
struct JobDecision {
  /// The job is already where the command would take it (the app retried after a lost answer):
  /// answer OK, change nothing, publish nothing new.
  bool repeat = false;
  v1::WorkOrderState new_state = v1::WORK_ORDER_STATE_UNSPECIFIED;
  /// The job leaves the crew's queue (decline, complete).
  bool leaves_queue = false;
};

/// Decides `action` by crew `crew_id` on work order `work_order_id`; `crew` and `job` are the
/// current records, null when unknown. Checked in this order:
///  - unknown crew or job                     -> NOT_FOUND naming it;
///  - the job is not held by this crew        -> PERMISSION_DENIED naming the work order (a crew
///  may
///                                               only act on its own jobs);
///  - already in the target state             -> repeat (a declined job counts while it is QUEUED
///                                               with this crew's id);
///  - not in the state the action starts from -> FAILED_PRECONDITION saying the current state.
core::Result<JobDecision> DecideJobAction(std::string_view crew_id, const v1::Crew* crew,
                                          std::string_view work_order_id, const v1::WorkOrder* job,
                                          JobAction action);

/// Applies a non-repeat decision made by DecideJobAction: the job's new state; on arrival the
/// ARRIVAL clocks are met at `now`, on a completion that restored supply the RESTORATION clocks;
/// a job that leaves the queue is taken out of `crew`, whose availability then settles.
void ApplyJobDecision(const JobDecision& decision, core::TimePoint now, bool restored,
                      v1::Crew& crew, v1::WorkOrder& job);

// --- The job queue and availability --------------------------------------------------------

/// Appends `work_order_id` to the crew's queue unless it is there; true when it was added.
bool AddToQueue(v1::Crew& crew, std::string_view work_order_id);
/// Removes it; true when it was there.
bool RemoveFromQueue(v1::Crew& crew, std::string_view work_order_id);
bool InQueue(const v1::Crew& crew, std::string_view work_order_id);

/// Availability that follows the queue: an AVAILABLE (or unspecified) crew holding jobs becomes
/// BUSY; a BUSY crew whose last job left becomes AVAILABLE. OFF_SHIFT and UNREACHABLE are the
/// crew's (or dispatch's) own word and stay: dispatch reassigns the jobs of an off-shift crew.
void SettleAvailability(v1::Crew& crew);

/// What SetAvailability does.
struct AvailabilityDecision {
  bool repeat = false;  ///< the crew already has this availability: OK, nothing published
  v1::CrewAvailability availability = v1::CREW_AVAILABILITY_UNSPECIFIED;  ///< what is recorded
};

/// Decides a crew's request to change its availability (`requested` already validated as
/// AVAILABLE, BUSY or OFF_SHIFT):
///  - OFF_SHIFT is allowed at any time, jobs or not (dispatch moves the jobs to other crews);
///  - BUSY needs at least one open job: FAILED_PRECONDITION otherwise;
///  - AVAILABLE ("back on duty") while holding jobs is recorded as BUSY, as the queue rule says.
core::Result<AvailabilityDecision> DecideAvailability(const v1::Crew& crew,
                                                      v1::CrewAvailability requested);

}  // namespace gridcare::repair_crew
