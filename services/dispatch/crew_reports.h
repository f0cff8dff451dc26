#pragma once

#include <optional>
#include <string>
#include <utility>

// A crew's report on a job it holds (gridcare.crew.v1): accepted, declined, en route, on site,
// completed. Each is judged against the work order's current state, so a report from a crew that
// no longer holds the job, or of a step already taken, changes nothing. One function per report.

#include "alarm_book.h"
#include "crew_assigner.h"
#include "dispatch_metrics.h"
#include "dispatch_pass.h"
#include "dispatch_settings.h"
#include "gridcare/v1/crew.pb.h"
#include "incident_book.h"
#include "work_order_book.h"

namespace gridcare::dispatch {

/// The crew and work order a job report (accepted, declined, en route, on site, completed) names;
/// nullopt for the other crew events (position, availability).
std::optional<std::pair<std::string, std::string>> JobReportOf(const v1::CrewEvent& event);

/// Not thread-safe: the Dispatcher's lock guards it. The parts and `metrics` (may be null) must
/// outlive it.
class CrewReports {
 public:
  CrewReports(WorkOrderBook& work_orders, IncidentBook& incidents, AlarmBook& alarms,
              CrewAssigner& assigner, const DispatchSettings& settings,
              DispatchMetrics* metrics = nullptr);

  /// Applies a job report (other crew events are counted as ignored) to the order and its
  /// incident, writing the changes and events into `pass`.
  void Apply(DispatchPass& pass, const v1::CrewEvent& event);

 private:
  void OnJobAccepted(DispatchPass& pass, v1::WorkOrder& order);
  void OnJobDeclined(DispatchPass& pass, v1::WorkOrder& order, const v1::JobDeclined& report);
  void OnEnRoute(DispatchPass& pass, v1::WorkOrder& order, v1::Incident* incident,
                 const v1::EnRoute& report);
  void OnOnSite(DispatchPass& pass, v1::WorkOrder& order, v1::Incident* incident,
                const v1::OnSite& report);
  void OnJobCompleted(DispatchPass& pass, const v1::WorkOrder& order, v1::Incident* incident,
                      const v1::JobCompleted& report);

  WorkOrderBook& work_orders_;
  IncidentBook& incidents_;
  AlarmBook& alarms_;
  CrewAssigner& assigner_;
  sla::ServiceStandards standards_;
  std::chrono::minutes default_repair_time_;
  DispatchMetrics* metrics_;
};

}  // namespace gridcare::dispatch
