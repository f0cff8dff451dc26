#include "crew_assigner.h"

#include <algorithm>
#include <map>

#include "application_plan.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

bool ArrivesLate(const Job& job, const Candidate& crew) {
  return job.arrival_due && crew.arrival_at > *job.arrival_due;
}

/// Who chose: "dispatcher <id>" or "(unnamed)" for the event's ranking reasons.
std::string DispatcherName(const v1::AssignWorkOrderRequest& request) {
  return request.dispatcher_id().empty() ? std::string("(unnamed)") : request.dispatcher_id();
}

}  // namespace

CrewAssigner::CrewAssigner(WorkOrderBook& work_orders, IncidentBook& incidents,
                           const CrewRoster& crews, const DispatchSettings& settings,
                           DispatchMetrics* metrics)
    : work_orders_(work_orders),
      incidents_(incidents),
      crews_(crews),
      settings_(settings.assignment),
      default_repair_time_(settings.default_repair_time),
      metrics_(metrics) {}

// ---- what the rules see ----------------------------------------------------------------------

std::vector<CrewState> CrewAssigner::CrewStates() const {
  std::map<std::string, int> jobs;
  std::map<std::string, std::vector<std::string>> declined_by_crew;
  for (const auto& [id, order] : work_orders_.open()) {
    // A booked visit takes the crew's time only when it is under way (its slot is planned
    // around the crew's other bookings, appointment_slots.h).
    const bool under_way = order.state() == v1::WORK_ORDER_STATE_EN_ROUTE ||
                           order.state() == v1::WORK_ORDER_STATE_ON_SITE;
    if (HeldByCrew(order.state()) && (!IsAppointmentWork(order) || under_way)) {
      ++jobs[order.crew_id()];
    }
  }
  for (const auto& [order, crews] : work_orders_.declined()) {
    for (const auto& crew : crews) declined_by_crew[crew].push_back(order);
  }
  std::vector<CrewState> states;
  states.reserve(crews_.crews().size());
  for (const auto& [id, crew] : crews_.crews()) {
    CrewState state = CrewStateFromProto(crew);
    const auto held = jobs.find(id);
    state.current_jobs = held == jobs.end() ? 0 : held->second;
    // Jobs in the crew's queue as repair-crew last reported it that are not open here: another
    // territory's (a crew serves several), or finished since. Counting them keeps territories from
    // overloading a shared crew (repair-crew would refuse the assignment).
    for (const auto& queued : crew.work_order_ids()) {
      if (work_orders_.Find(queued) == nullptr) ++state.current_jobs;
    }
    if (auto it = declined_by_crew.find(id); it != declined_by_crew.end()) {
      state.declined_work_order_ids = it->second;
    }
    states.push_back(std::move(state));
  }
  return states;
}

Job CrewAssigner::JobOf(const v1::WorkOrder& order) const {
  Job job = JobFromWorkOrder(order, incidents_.Find(order.incident_id()));
  if (job.location.latitude == 0 && job.location.longitude == 0) {
    // No geo point (an unidentified caller who gave only an address): distances to (0, 0) would
    // rule every crew out. Measure from the middle of the crews' depots instead; the dispatcher
    // sees the address.
    if (auto centre = crews_.DepotCentre()) job.location = *centre;
  }
  return job;
}

// ---- assignment --------------------------------------------------------------------------------

std::string CrewAssigner::CreateWorkOrder(DispatchPass& pass, v1::Incident& incident) {
  std::string id =
      work_orders_.Create(pass, incident, incidents_.FirstTicketOf(incident.incident_id()));
  incident.set_work_order_id(id);
  incidents_.Record(pass, incident);
  pass.to_assign.push_back(id);
  return id;
}

void CrewAssigner::AssignQueued(DispatchPass& pass,
                                const std::vector<std::string>& work_order_ids) {
  std::vector<Job> jobs;
  for (const auto& id : work_order_ids) {
    const v1::WorkOrder* order = work_orders_.Find(id);
    if (order == nullptr || order->state() != v1::WORK_ORDER_STATE_QUEUED) continue;
    jobs.push_back(JobOf(*order));
  }
  if (jobs.empty()) return;
  const auto plan = AssignJobs(jobs, CrewStates(), pass.Now(), settings_);
  for (const auto& assignment : plan.assignments) {
    GiveToCrew(pass, *work_orders_.Find(assignment.work_order_id), assignment.crew,
               assignment.arrival_at_risk, "", "");
  }
  for (const auto& queued : plan.queued) {
    Queue(pass, *work_orders_.Find(queued.work_order_id), "", queued.reason,
          queued.arrival_at_risk);
  }
}

void CrewAssigner::ReassignDeclined(DispatchPass& pass, v1::WorkOrder& order,
                                    const std::string& crew_id, const std::string& reason) {
  const Job job = JobOf(order);
  CrewState current;
  for (const auto& state : CrewStates()) {
    if (state.crew_id == crew_id) current = state;
  }
  current.crew_id = crew_id;
  current.declined_work_order_ids.push_back(order.work_order_id());
  auto replacement = PickReplacement(job, current, ReassignmentReason::kDeclined, CrewStates(),
                                     pass.Now(), settings_);
  if (replacement) {
    GiveToCrew(pass, order, *replacement, ArrivesLate(job, *replacement), crew_id,
               std::string(ReassignmentReasonName(ReassignmentReason::kDeclined)));
  } else {
    Queue(pass, order, crew_id, "declined: " + reason + "; no other crew fits", true);
  }
}

void CrewAssigner::Reassess(DispatchPass& pass) {
  if (crews_.empty()) return;
  const auto now = pass.Now();
  std::vector<std::string> held;
  for (const auto& [id, order] : work_orders_.open()) {
    if (IsAppointmentWork(order)) continue;  // booked visits: the appointment desk's business
    if (order.state() == v1::WORK_ORDER_STATE_ASSIGNED ||
        order.state() == v1::WORK_ORDER_STATE_ACCEPTED ||
        order.state() == v1::WORK_ORDER_STATE_EN_ROUTE) {
      held.push_back(id);
    }
  }
  // Crew states are built once, and again only after a job moved (their job counts changed):
  // rebuilding them per held job made each tick quadratic in the size of a storm.
  std::vector<CrewState> states = CrewStates();
  for (const auto& id : held) {
    v1::WorkOrder& order = *work_orders_.Find(id);
    const Job job = JobOf(order);
    auto current = std::find_if(states.begin(), states.end(),
                                [&](const CrewState& s) { return s.crew_id == order.crew_id(); });
    ReassignmentReason reason = ReassignmentReason::kStoppedReporting;  // vanished from roster
    if (current != states.end()) reason = ShouldReassign(job, *current, now, settings_);
    if (reason == ReassignmentReason::kNone) continue;
    // A dispatcher's own choice stands (they may know the crew's shift or route better) unless
    // the crew has gone silent.
    if (!order.assigned_by().empty() && reason != ReassignmentReason::kStoppedReporting) continue;
    CrewState gone;
    gone.crew_id = order.crew_id();
    const CrewState& from = current != states.end() ? *current : gone;
    auto replacement = PickReplacement(job, from, reason, states, now, settings_);
    const std::string why(ReassignmentReasonName(reason));
    if (replacement) {
      GiveToCrew(pass, order, *replacement, ArrivesLate(job, *replacement), order.crew_id(), why);
      states = CrewStates();
    } else if (reason != ReassignmentReason::kCannotMakeDeadline) {
      Queue(pass, order, order.crew_id(), why + "; no other crew fits", true);
      states = CrewStates();
    }
  }
}

void CrewAssigner::AssignByHand(DispatchPass& pass, v1::WorkOrder& order, const v1::Crew& crew,
                                const v1::AssignWorkOrderRequest& request) {
  const Job job = JobOf(order);
  const Candidate chosen = ChosenByHand(job, order, crew, request, pass.Now());
  const std::string previous = HeldByCrew(order.state()) ? order.crew_id() : "";
  std::string reason = "by dispatcher";
  if (!request.dispatcher_id().empty()) reason += " " + request.dispatcher_id();
  if (!request.reason().empty()) reason += ": " + request.reason();
  GiveToCrew(pass, order, chosen, ArrivesLate(job, chosen), previous, reason);
  order.set_assigned_by(request.dispatcher_id().empty() ? "dispatcher" : request.dispatcher_id());
  work_orders_.Record(pass, order);
}

Candidate CrewAssigner::ChosenByHand(const Job& job, const v1::WorkOrder& order,
                                     const v1::Crew& crew,
                                     const v1::AssignWorkOrderRequest& request,
                                     core::TimePoint now) const {
  Candidate chosen;
  chosen.crew_id = crew.crew_id();
  bool qualifies = false;
  for (const auto& candidate : RankCrews(job, CrewStates(), now, settings_).candidates) {
    if (candidate.crew_id == crew.crew_id()) {
      chosen = candidate;
      qualifies = true;
    }
  }
  if (!qualifies) {
    // A dispatcher may overrule the rules (e.g. a crew without the skill on the list but with
    // a trainee who has it); say so on the event.
    const auto& position = crew.position();
    const double km = HaversineKm({position.latitude(), position.longitude()},
                                  {order.location().latitude(), order.location().longitude()});
    chosen.distance_km = km;
    chosen.eta = TravelTime(km, order.area_class(), settings_);
    chosen.arrival_at = now + chosen.eta;
    chosen.reasons.push_back("chosen by dispatcher outside the ranking rules");
  }
  chosen.reasons.push_back("assigned by dispatcher " + DispatcherName(request));
  return chosen;
}

// ---- the events --------------------------------------------------------------------------------

void CrewAssigner::GiveToCrew(DispatchPass& pass, v1::WorkOrder& order, const Candidate& crew,
                              bool at_risk, const std::string& previous_crew_arg,
                              const std::string& reason) {
  // A copy: callers may pass order.crew_id() itself, which set_crew_id below overwrites.
  const std::string previous_crew = previous_crew_arg;
  order.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  order.set_crew_id(crew.crew_id);
  order.clear_assigned_by();  // AssignByHand sets it again after this
  if (!previous_crew.empty()) order.set_reassignment_count(order.reassignment_count() + 1);
  work_orders_.Record(pass, order);
  v1::DispatchEvent event;
  if (previous_crew.empty()) {
    auto* assigned = event.mutable_work_order_assigned();
    *assigned->mutable_work_order() = order;
    assigned->set_crew_id(crew.crew_id);
    assigned->set_estimated_travel_minutes(static_cast<double>(crew.eta.count()) / 60.0);
    for (const auto& why : crew.reasons) assigned->add_ranking_reasons(why);
    if (at_risk) assigned->add_ranking_reasons("arrival deadline at risk: best crew available");
    pass.Emit(EventKey(order), "gridcare.work_order.assigned.v1", order.work_order_id(), event);
    if (metrics_) metrics_->Action("assigned");
  } else {
    auto* reassigned = event.mutable_work_order_reassigned();
    *reassigned->mutable_work_order() = order;
    reassigned->set_previous_crew_id(previous_crew);
    reassigned->set_crew_id(crew.crew_id);
    reassigned->set_reason(reason);
    pass.Emit(EventKey(order), "gridcare.work_order.reassigned.v1", order.work_order_id(), event);
    if (metrics_) metrics_->Action("reassigned");
  }
  if (v1::Incident* incident = incidents_.Find(order.incident_id())) {
    incident->set_crew_id(crew.crew_id);
    incident->set_state(v1::INCIDENT_STATE_ASSIGNED);
    *incident->mutable_estimated_restoration_at() =
        sla::ToTimestamp(crew.arrival_at + default_repair_time_);
    incidents_.Record(pass, *incident);
    incidents_.EmitIncidentUpdated(
        pass, *incident, previous_crew.empty() ? change::kCrewAssigned : change::kCrewReassigned);
  }
}

void CrewAssigner::Queue(DispatchPass& pass, v1::WorkOrder& order,
                         const std::string& previous_crew_arg, const std::string& reason,
                         bool at_risk) {
  // A copy: callers may pass order.crew_id() itself, which clear_crew_id below clears.
  const std::string previous_crew = previous_crew_arg;
  const bool was_queued = order.state() == v1::WORK_ORDER_STATE_QUEUED && order.crew_id().empty();
  const bool created_now = std::find(pass.to_assign.begin(), pass.to_assign.end(),
                                     order.work_order_id()) != pass.to_assign.end();
  // Already waiting and said so (in an earlier pass, or earlier in this one): nothing changes,
  // nothing to write or publish. Only an order created by this input is announced here.
  if (was_queued && !created_now) return;
  order.set_state(v1::WORK_ORDER_STATE_QUEUED);
  order.clear_crew_id();
  work_orders_.Record(pass, order);
  v1::DispatchEvent event;
  auto* queued = event.mutable_work_order_queued();
  *queued->mutable_work_order() = order;
  queued->set_reason(previous_crew.empty() ? reason : "crew " + previous_crew + " " + reason);
  queued->set_arrival_at_risk(at_risk);
  pass.Emit(EventKey(order), "gridcare.work_order.queued.v1", order.work_order_id(), event);
  if (metrics_) metrics_->Action(at_risk ? "queued_at_risk" : "queued");
  if (v1::Incident* incident = incidents_.Find(order.incident_id());
      incident != nullptr && !incident->crew_id().empty()) {
    incident->clear_crew_id();
    incident->set_state(v1::INCIDENT_STATE_OPEN);
    incidents_.Record(pass, *incident);
    incidents_.EmitIncidentUpdated(pass, *incident, change::kWaitingForCrew);
  }
}

}  // namespace gridcare::dispatch
