#include "job_rules.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

namespace gridcare::repair_crew {
namespace {

using google::protobuf::util::TimeUtil;

// The states each action may start from.
bool StartsFrom(JobAction action, v1::WorkOrderState state) {
  switch (action) {
    case JobAction::kAccept:
      return state == v1::WORK_ORDER_STATE_ASSIGNED;
    case JobAction::kDecline:
      return state == v1::WORK_ORDER_STATE_ASSIGNED || state == v1::WORK_ORDER_STATE_ACCEPTED;
    case JobAction::kStartTravel:
      return state == v1::WORK_ORDER_STATE_ACCEPTED;
    case JobAction::kArriveOnSite:
      return state == v1::WORK_ORDER_STATE_EN_ROUTE;
    case JobAction::kComplete:
      return state == v1::WORK_ORDER_STATE_ON_SITE;
  }
  return false;
}

std::string_view RequiredStates(JobAction action) {
  switch (action) {
    case JobAction::kAccept:
      return "ASSIGNED";
    case JobAction::kDecline:
      return "ASSIGNED or ACCEPTED";
    case JobAction::kStartTravel:
      return "ACCEPTED";
    case JobAction::kArriveOnSite:
      return "EN_ROUTE";
    case JobAction::kComplete:
      return "ON_SITE";
  }
  return "?";
}

void MeetClocks(v1::WorkOrder& job, v1::ServiceClock::Kind kind, core::TimePoint now) {
  for (auto& clock : *job.mutable_clocks()) {
    if (clock.kind() == kind && !clock.has_met_at()) {
      *clock.mutable_met_at() = TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(now));
    }
  }
}

std::string StripPrefix(const std::string& name, std::string_view prefix) {
  if (name.rfind(prefix, 0) == 0) return name.substr(prefix.size());
  return name.empty() ? "UNKNOWN" : name;
}

}  // namespace

std::string_view JobActionName(JobAction action) {
  switch (action) {
    case JobAction::kAccept:
      return "accept";
    case JobAction::kDecline:
      return "decline";
    case JobAction::kStartTravel:
      return "start_travel";
    case JobAction::kArriveOnSite:
      return "arrive_on_site";
    case JobAction::kComplete:
      return "complete";
  }
  return "unknown";
}

v1::WorkOrderState TargetState(JobAction action) {
  switch (action) {
    case JobAction::kAccept:
      return v1::WORK_ORDER_STATE_ACCEPTED;
    case JobAction::kDecline:
      return v1::WORK_ORDER_STATE_QUEUED;
    case JobAction::kStartTravel:
      return v1::WORK_ORDER_STATE_EN_ROUTE;
    case JobAction::kArriveOnSite:
      return v1::WORK_ORDER_STATE_ON_SITE;
    case JobAction::kComplete:
      return v1::WORK_ORDER_STATE_COMPLETED;
  }
  return v1::WORK_ORDER_STATE_UNSPECIFIED;
}

std::string StateName(v1::WorkOrderState state) {
  return StripPrefix(v1::WorkOrderState_Name(state), "WORK_ORDER_STATE_");
}

std::string AvailabilityName(v1::CrewAvailability availability) {
  return StripPrefix(v1::CrewAvailability_Name(availability), "CREW_AVAILABILITY_");
}

bool IsOpenJobState(v1::WorkOrderState state) {
  return state == v1::WORK_ORDER_STATE_ASSIGNED || state == v1::WORK_ORDER_STATE_ACCEPTED ||
         state == v1::WORK_ORDER_STATE_EN_ROUTE || state == v1::WORK_ORDER_STATE_ON_SITE;
}

bool IsTerminalJobState(v1::WorkOrderState state) {
  return state == v1::WORK_ORDER_STATE_COMPLETED || state == v1::WORK_ORDER_STATE_CANCELLED;
}

core::Result<JobDecision> DecideJobAction(std::string_view crew_id, const v1::Crew* crew,
                                          std::string_view work_order_id, const v1::WorkOrder* job,
                                          JobAction action) {
  if (crew == nullptr) {
    return core::NotFound("crew " + std::string(crew_id) + " is not on the roster");
  }
  if (job == nullptr) {
    return core::NotFound("work order " + std::string(work_order_id) +
                          " is not known to repair-crew (never assigned to a crew)");
  }
  if (job->crew_id() != crew_id) {
    return core::Error{core::ErrorKind::kPermissionDenied,
                       "work order " + std::string(work_order_id) + " is not assigned to crew " +
                           std::string(crew_id) + "; a crew may only act on its own jobs"};
  }
  const v1::WorkOrderState target = TargetState(action);
  if (job->state() == target) {
    return JobDecision{.repeat = true, .new_state = target, .leaves_queue = false};
  }
  if (!StartsFrom(action, job->state())) {
    std::string message =
        "work order " + std::string(work_order_id) + " is " + StateName(job->state());
    if (job->state() == v1::WORK_ORDER_STATE_QUEUED) {
      message += " (declined; waiting for dispatch to reassign it)";
    }
    return core::FailedPrecondition(message + "; " + std::string(JobActionName(action)) +
                                    " needs " + std::string(RequiredStates(action)));
  }
  return JobDecision{
      .repeat = false,
      .new_state = target,
      .leaves_queue = action == JobAction::kDecline || action == JobAction::kComplete};
}

void ApplyJobDecision(const JobDecision& decision, core::TimePoint now, bool restored,
                      v1::Crew& crew, v1::WorkOrder& job) {
  if (decision.repeat) return;
  job.set_state(decision.new_state);
  if (decision.new_state == v1::WORK_ORDER_STATE_ON_SITE) {
    MeetClocks(job, v1::ServiceClock::KIND_ARRIVAL, now);
  }
  if (decision.new_state == v1::WORK_ORDER_STATE_COMPLETED && restored) {
    MeetClocks(job, v1::ServiceClock::KIND_RESTORATION, now);
  }
  if (decision.leaves_queue) {
    RemoveFromQueue(crew, job.work_order_id());
    SettleAvailability(crew);
  }
}

bool InQueue(const v1::Crew& crew, std::string_view work_order_id) {
  const auto& ids = crew.work_order_ids();
  return std::find(ids.begin(), ids.end(), work_order_id) != ids.end();
}

bool AddToQueue(v1::Crew& crew, std::string_view work_order_id) {
  if (InQueue(crew, work_order_id)) return false;
  crew.add_work_order_ids(std::string(work_order_id));
  return true;
}

bool RemoveFromQueue(v1::Crew& crew, std::string_view work_order_id) {
  auto* ids = crew.mutable_work_order_ids();
  const auto before = ids->size();
  ids->erase(std::remove(ids->begin(), ids->end(), work_order_id), ids->end());
  return ids->size() != before;
}

void SettleAvailability(v1::Crew& crew) {
  const bool holds_jobs = crew.work_order_ids_size() > 0;
  switch (crew.availability()) {
    case v1::CREW_AVAILABILITY_AVAILABLE:
    case v1::CREW_AVAILABILITY_UNSPECIFIED:
      crew.set_availability(holds_jobs ? v1::CREW_AVAILABILITY_BUSY
                                       : v1::CREW_AVAILABILITY_AVAILABLE);
      break;
    case v1::CREW_AVAILABILITY_BUSY:
      if (!holds_jobs) crew.set_availability(v1::CREW_AVAILABILITY_AVAILABLE);
      break;
    default:  // OFF_SHIFT, UNREACHABLE, values from a newer contract: not ours to change
      break;
  }
}

core::Result<AvailabilityDecision> DecideAvailability(const v1::Crew& crew,
                                                      v1::CrewAvailability requested) {
  const int open_jobs = crew.work_order_ids_size();
  v1::CrewAvailability recorded = requested;
  if (requested == v1::CREW_AVAILABILITY_BUSY && open_jobs == 0) {
    return core::FailedPrecondition("crew " + crew.crew_id() +
                                    " holds no job; BUSY needs one (report AVAILABLE or "
                                    "OFF_SHIFT)");
  }
  if (requested == v1::CREW_AVAILABILITY_AVAILABLE && open_jobs > 0) {
    recorded = v1::CREW_AVAILABILITY_BUSY;
  }
  return AvailabilityDecision{.repeat = crew.availability() == recorded, .availability = recorded};
}

}  // namespace gridcare::repair_crew
