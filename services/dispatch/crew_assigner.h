#pragma once

// Who does the job: applies the assignment rules (assignment.h) to the open work orders. Gives
// queued orders to the best crews, reassigns a job when its crew declines, goes off shift, falls
// silent or cannot make the deadline, and carries out a dispatcher's choice from the console.
// Publishes WorkOrderAssigned / WorkOrderReassigned / WorkOrderQueued and the IncidentUpdated
// that goes with each (crew assigned, crew reassigned, waiting for crew).

#include <string>
#include <vector>

#include "assignment.h"
#include "crew_roster.h"
#include "dispatch_metrics.h"
#include "dispatch_pass.h"
#include "dispatch_settings.h"
#include "incident_book.h"
#include "work_order_book.h"

namespace gridcare::dispatch {

/// Not thread-safe: the Dispatcher's lock guards it. The books, the roster and `metrics` (may be
/// null) must outlive it.
class CrewAssigner {
 public:
  CrewAssigner(WorkOrderBook& work_orders, IncidentBook& incidents, const CrewRoster& crews,
               const DispatchSettings& settings, DispatchMetrics* metrics = nullptr);

  /// Plans the QUEUED orders among `work_order_ids` together (AssignJobs): each gets a crew or
  /// stays queued with the reason. An order already announced as queued is not announced again.
  void AssignQueued(DispatchPass& pass, const std::vector<std::string>& work_order_ids);
  /// `crew_id` declined `order` (its decline already recorded): the next best crew gets it, or
  /// it is queued at risk with `reason`.
  void ReassignDeclined(DispatchPass& pass, v1::WorkOrder& order, const std::string& crew_id,
                        const std::string& reason);
  /// The tick's review of held jobs (assigned, accepted, en route): a job whose crew went off
  /// shift, silent (or off the roster) or cannot make the deadline moves to a better crew or is
  /// queued. A dispatcher's own choice stands unless its crew went silent. Nothing while the
  /// roster is empty (after a restart, before the repair-crew service answered).
  void Reassess(DispatchPass& pass);
  /// A dispatcher gives `order` to `crew`, also outside the ranking rules (the event says so).
  void AssignByHand(DispatchPass& pass, v1::WorkOrder& order, const v1::Crew& crew,
                    const v1::AssignWorkOrderRequest& request);

  /// Every crew on the roster with the jobs it holds and the orders it declined.
  std::vector<CrewState> CrewStates() const;
  /// The job of `order`; without a geo point it is placed in the middle of the crews' depots, so
  /// it still goes to a qualified crew by workload and shift.
  Job JobOf(const v1::WorkOrder& order) const;

 private:
  void GiveToCrew(DispatchPass& pass, v1::WorkOrder& order, const Candidate& crew, bool at_risk,
                  const std::string& previous_crew, const std::string& reason);
  void Queue(DispatchPass& pass, v1::WorkOrder& order, const std::string& previous_crew,
             const std::string& reason, bool at_risk);
  /// The candidate entry of `crew` for `order`: from the ranking when it qualifies, else made up
  /// from its distance, and marked as the dispatcher's choice.
  Candidate ChosenByHand(const Job& job, const v1::WorkOrder& order, const v1::Crew& crew,
                         const v1::AssignWorkOrderRequest& request, core::TimePoint now) const;

  WorkOrderBook& work_orders_;
  IncidentBook& incidents_;
  const CrewRoster& crews_;
  AssignmentSettings settings_;
  std::chrono::minutes default_repair_time_;
  DispatchMetrics* metrics_;
};

}  // namespace gridcare::dispatch
