#include "assignment_rules.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "job_rules.h"
#include "request_validation.h"

namespace gridcare::repair_crew {
namespace {

core::Status CheckIds(const DispatchChange& change, bool needs_crew) {
  if (auto ok = ValidateId("work_order.work_order_id", change.work_order.work_order_id()); !ok) {
    return ok;
  }
  if (needs_crew) {
    if (auto ok = ValidateId("crew_id", change.crew_id); !ok) return ok;
  }
  return {};
}

// Puts the job in the holder's queue (when it is open) and takes it out of every other crew's;
// returns the crews whose records changed.
std::map<std::string, v1::Crew> Requeue(const std::map<std::string, v1::Crew>& crews,
                                        const v1::WorkOrder& job) {
  std::map<std::string, v1::Crew> changed;
  const bool open = IsOpenJobState(job.state());
  for (const auto& [crew_id, record] : crews) {
    v1::Crew crew = record;
    const bool moved = (open && crew_id == job.crew_id())
                           ? AddToQueue(crew, job.work_order_id())
                           : RemoveFromQueue(crew, job.work_order_id());
    if (!moved) continue;
    SettleAvailability(crew);
    changed.emplace(crew_id, std::move(crew));
  }
  return changed;
}

bool SameRecord(const v1::WorkOrder& a, const v1::WorkOrder& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

// Why the crew refuses the job `change` assigns it (it does not hold it yet), or nullopt when it
// takes it: only automatic assignments are refused, and only when the crew's queue (exactly its
// open jobs) already holds the limit besides this job.
std::optional<std::string> RefusalReason(const DispatchChange& change, const v1::Crew& crew,
                                         const AssignmentLimits& limits) {
  if (!change.work_order.assigned_by().empty()) return std::nullopt;  // a dispatcher's own choice
  // A booked visit was fitted into the crew's day by dispatch's slot finder: never refused, and
  // booked visits do not count against the limit on fault jobs.
  if (change.work_order.has_application()) return std::nullopt;
  const std::string& work_order_id = change.work_order.work_order_id();
  const auto& queue = crew.work_order_ids();
  const auto others = std::count_if(queue.begin(), queue.end(), [&](const std::string& id) {
    return id != work_order_id && !IsAppointmentWorkOrderId(id);
  });
  if (others < limits.max_jobs_per_crew) return std::nullopt;
  return "crew at capacity: " + std::to_string(others) + (others == 1 ? " open job" : " open jobs");
}

// The job record an assignment leaves, and the refusal reason when the crew refuses it.
v1::WorkOrder AssignedRecord(const DispatchChange& change, const v1::WorkOrder* job,
                             const v1::Crew& crew, const AssignmentLimits& limits,
                             std::optional<std::string>& refusal) {
  if (job != nullptr && job->crew_id() == change.crew_id && IsOpenJobState(job->state())) {
    // The crew already holds it: keep its progress (a redelivery, or a repeat). Never refused:
    // the job is not one more for this crew. A booked visit moved to another time keeps its
    // progress and takes the new booking.
    v1::WorkOrder same = *job;
    if (change.work_order.has_application()) {
      *same.mutable_appointment_start() = change.work_order.appointment_start();
      *same.mutable_appointment_end() = change.work_order.appointment_end();
      *same.mutable_application() = change.work_order.application();
    }
    return same;
  }
  v1::WorkOrder next = change.work_order;
  next.set_crew_id(change.crew_id);
  refusal = RefusalReason(change, crew, limits);
  // A refused job is recorded exactly as a job its crew declined (job_rules.h): QUEUED, waiting
  // for dispatch to choose another crew, in no queue, its crew_id still naming the crew that said
  // no. One shape for "this crew said no, waiting for dispatch" means nothing else needs to learn a
  // new one: the record agrees with the JobDeclined that names the crew; the crew's own commands
  // on it answer FAILED_PRECONDITION "QUEUED ... waiting for dispatch to reassign it" (an empty
  // crew_id would make them PERMISSION_DENIED, as if another crew held it); dispatch's next
  // assignment or reassignment moves it on like any declined job.
  next.set_state(refusal ? v1::WORK_ORDER_STATE_QUEUED : v1::WORK_ORDER_STATE_ASSIGNED);
  return next;
}

v1::JobDeclined Refusal(const v1::WorkOrder& job, std::string reason) {
  v1::JobDeclined declined;
  declined.set_crew_id(job.crew_id());
  declined.set_work_order_id(job.work_order_id());
  declined.set_reason(std::move(reason));
  return declined;
}

}  // namespace

bool IsAppointmentWorkOrderId(std::string_view work_order_id) {
  return work_order_id.starts_with("WO-A-");
}

core::Status Validate(const AssignmentLimits& limits) {
  if (limits.max_jobs_per_crew < 1) {
    return core::InvalidArgument("max_jobs_per_crew must be at least 1 (got " +
                                 std::to_string(limits.max_jobs_per_crew) +
                                 "); set --max-jobs-per-crew / GRIDCARE_MAX_JOBS_PER_CREW");
  }
  return core::Status::Ok();
}

core::Result<DispatchChange> ChangeFrom(const v1::DispatchEvent& event) {
  DispatchChange change;
  switch (event.event_case()) {
    case v1::DispatchEvent::kWorkOrderAssigned: {
      const auto& assigned = event.work_order_assigned();
      change.kind = DispatchChange::Kind::kAssign;
      change.label = "assigned";
      change.work_order = assigned.work_order();
      change.crew_id = assigned.crew_id();
      if (auto ok = CheckIds(change, true); !ok) return ok.error();
      return change;
    }
    case v1::DispatchEvent::kWorkOrderReassigned: {
      const auto& reassigned = event.work_order_reassigned();
      change.kind = DispatchChange::Kind::kAssign;
      change.label = "reassigned";
      change.work_order = reassigned.work_order();
      change.crew_id = reassigned.crew_id();
      change.previous_crew_id = reassigned.previous_crew_id();
      if (auto ok = CheckIds(change, true); !ok) return ok.error();
      return change;
    }
    case v1::DispatchEvent::kWorkOrderCancelled: {
      const auto& cancelled = event.work_order_cancelled();
      change.kind = DispatchChange::Kind::kCancel;
      change.label = "cancelled";
      change.work_order = cancelled.work_order();
      change.crew_id = cancelled.crew_id();
      if (auto ok = CheckIds(change, false); !ok) return ok.error();
      return change;
    }
    case v1::DispatchEvent::kAppointmentReminder: {
      const auto& reminder = event.appointment_reminder();
      if (reminder.audience() != "crew") return change;  // the customer's: notification's
      change.kind = DispatchChange::Kind::kRemind;
      change.label = "reminded";
      change.work_order = reminder.work_order();
      change.crew_id = reminder.work_order().crew_id();
      if (auto ok = CheckIds(change, true); !ok) return ok.error();
      return change;
    }
    default:
      return change;  // kNone: incidents, clocks, planned outages are dispatch's business
  }
}

std::vector<std::string> CrewsInvolved(const DispatchChange& change, const v1::WorkOrder* job) {
  std::vector<std::string> ids;
  for (const std::string* id : {&change.crew_id, &change.previous_crew_id}) {
    if (!id->empty()) ids.push_back(*id);
  }
  if (job != nullptr && !job->crew_id().empty()) ids.push_back(job->crew_id());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

core::Result<DispatchOutcome> ApplyDispatchChange(const DispatchChange& change,
                                                  const v1::WorkOrder* job,
                                                  const std::map<std::string, v1::Crew>& crews,
                                                  const AssignmentLimits& limits) {
  DispatchOutcome outcome;
  const std::string& work_order_id = change.work_order.work_order_id();
  if (change.kind == DispatchChange::Kind::kNone) {
    outcome.note = "not about a crew's queue";
    return outcome;
  }
  if (job != nullptr && job->state() == v1::WORK_ORDER_STATE_COMPLETED) {
    outcome.note = "work order " + work_order_id + " is already COMPLETED; " +
                   std::string(change.label) + " ignored";
    return outcome;
  }

  v1::WorkOrder next;
  std::optional<std::string> refusal;
  if (change.kind == DispatchChange::Kind::kRemind) {
    // The crew app shows the reminder on the job; a reminder for a job the crew no longer holds
    // (moved meanwhile) changes nothing.
    if (job == nullptr || job->crew_id() != change.crew_id || !IsOpenJobState(job->state())) {
      outcome.note = "reminder for " + work_order_id + ", which crew " + change.crew_id +
                     " does not hold; ignored";
      return outcome;
    }
    next = *job;
    const auto& reminded = next.application().reminded();
    if (std::find(reminded.begin(), reminded.end(), "crew") == reminded.end()) {
      next.mutable_application()->add_reminded("crew");
    }
  } else if (change.kind == DispatchChange::Kind::kAssign) {
    if (job != nullptr && job->state() == v1::WORK_ORDER_STATE_CANCELLED) {
      outcome.note = "work order " + work_order_id + " is already CANCELLED; " +
                     std::string(change.label) + " ignored";
      return outcome;
    }
    const auto crew = crews.find(change.crew_id);
    if (crew == crews.end()) {
      return core::NotFound("crew " + change.crew_id + " is not on repair-crew's roster");
    }
    next = AssignedRecord(change, job, crew->second, limits, refusal);
  } else {
    if (job != nullptr) {
      next = *job;
    } else {
      // Never seen: remember the cancellation so a late assignment does not revive the job.
      next = change.work_order;
      next.set_crew_id(change.crew_id);
    }
    next.set_state(v1::WORK_ORDER_STATE_CANCELLED);
  }

  outcome.crews = Requeue(crews, next);
  const bool job_changed = job == nullptr || !SameRecord(*job, next);
  outcome.changed = job_changed || !outcome.crews.empty();
  if (!outcome.changed) {
    // Nothing to write: for a refusal, the same refusal is already recorded (a redelivery), and
    // its JobDeclined was saved with it then.
    std::string already = "cancelled";
    if (refusal) {
      already = "refused by crew " + next.crew_id() + " (" + *refusal + ")";
    } else if (change.kind == DispatchChange::Kind::kAssign) {
      already = "held by crew " + next.crew_id();
    } else if (change.kind == DispatchChange::Kind::kRemind) {
      already = "reminded to crew " + next.crew_id();
    }
    outcome.note = "work order " + work_order_id + " already " + already;
  } else if (refusal) {
    outcome.refusal = Refusal(next, std::move(*refusal));
  }
  outcome.job = std::move(next);
  return outcome;
}

}  // namespace gridcare::repair_crew
