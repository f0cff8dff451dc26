#include "assignment_rules.h"

#include <algorithm>

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

}  // namespace

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
                                                  const std::map<std::string, v1::Crew>& crews) {
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
  if (change.kind == DispatchChange::Kind::kAssign) {
    if (job != nullptr && job->state() == v1::WORK_ORDER_STATE_CANCELLED) {
      outcome.note = "work order " + work_order_id + " is already CANCELLED; " +
                     std::string(change.label) + " ignored";
      return outcome;
    }
    if (!crews.contains(change.crew_id)) {
      return core::NotFound("crew " + change.crew_id + " is not on repair-crew's roster");
    }
    if (job != nullptr && job->crew_id() == change.crew_id && IsOpenJobState(job->state())) {
      next = *job;  // the crew already holds it: keep its progress (a redelivery, or a repeat)
    } else {
      next = change.work_order;
      next.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
      next.set_crew_id(change.crew_id);
    }
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
    outcome.note = "work order " + work_order_id + " already " +
                   (change.kind == DispatchChange::Kind::kAssign ? "held by crew " + next.crew_id()
                                                                 : std::string("cancelled"));
  }
  outcome.job = std::move(next);
  return outcome;
}

}  // namespace gridcare::repair_crew
