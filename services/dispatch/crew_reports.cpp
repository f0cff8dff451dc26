#include "crew_reports.h"

#include <optional>
#include <string>
#include <utility>

#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

/// How far a crew has got with a job; a report of a step already taken changes nothing.
int Progress(v1::WorkOrderState state) {
  switch (state) {
    case v1::WORK_ORDER_STATE_ASSIGNED:
      return 1;
    case v1::WORK_ORDER_STATE_ACCEPTED:
      return 2;
    case v1::WORK_ORDER_STATE_EN_ROUTE:
      return 3;
    case v1::WORK_ORDER_STATE_ON_SITE:
      return 4;
    default:
      return 0;
  }
}

}  // namespace

std::optional<std::pair<std::string, std::string>> JobReportOf(const v1::CrewEvent& event) {
  switch (event.event_case()) {
    case v1::CrewEvent::kJobAccepted:
      return std::pair{event.job_accepted().crew_id(), event.job_accepted().work_order_id()};
    case v1::CrewEvent::kJobDeclined:
      return std::pair{event.job_declined().crew_id(), event.job_declined().work_order_id()};
    case v1::CrewEvent::kEnRoute:
      return std::pair{event.en_route().crew_id(), event.en_route().work_order_id()};
    case v1::CrewEvent::kOnSite:
      return std::pair{event.on_site().crew_id(), event.on_site().work_order_id()};
    case v1::CrewEvent::kJobCompleted:
      return std::pair{event.job_completed().crew_id(), event.job_completed().work_order_id()};
    default:
      return std::nullopt;
  }
}

CrewReports::CrewReports(WorkOrderBook& work_orders, IncidentBook& incidents, AlarmBook& alarms,
                         CrewAssigner& assigner, const DispatchSettings& settings,
                         DispatchMetrics* metrics)
    : work_orders_(work_orders),
      incidents_(incidents),
      alarms_(alarms),
      assigner_(assigner),
      standards_(settings.standards),
      default_repair_time_(settings.default_repair_time),
      metrics_(metrics) {}

void CrewReports::Apply(DispatchPass& pass, const v1::CrewEvent& event) {
  const auto report = JobReportOf(event);
  if (!report) {
    if (metrics_) metrics_->Ignored("unknown_crew_event");
    return;
  }
  const auto& [crew_id, work_order_id] = *report;
  v1::WorkOrder* order = work_orders_.Find(work_order_id);
  if (order == nullptr) {
    if (metrics_) metrics_->Ignored("closed_or_unknown_work_order");
    return;
  }
  if (order->crew_id() != crew_id || !HeldByCrew(order->state())) {
    // The job moved to another crew (or was cancelled) before this report: judge by state.
    if (metrics_) metrics_->Ignored("report_from_crew_without_job");
    return;
  }
  v1::Incident* incident = incidents_.Find(order->incident_id());
  switch (event.event_case()) {
    case v1::CrewEvent::kJobAccepted:
      OnJobAccepted(pass, *order);
      break;
    case v1::CrewEvent::kJobDeclined:
      OnJobDeclined(pass, *order, event.job_declined());
      break;
    case v1::CrewEvent::kEnRoute:
      OnEnRoute(pass, *order, incident, event.en_route());
      break;
    case v1::CrewEvent::kOnSite:
      OnOnSite(pass, *order, incident, event.on_site());
      break;
    case v1::CrewEvent::kJobCompleted:
      OnJobCompleted(pass, *order, incident, event.job_completed());
      break;
    default:
      break;
  }
}

void CrewReports::OnJobAccepted(DispatchPass& pass, v1::WorkOrder& order) {
  if (Progress(order.state()) >= 2) return;
  order.set_state(v1::WORK_ORDER_STATE_ACCEPTED);
  work_orders_.Record(pass, order);
}

void CrewReports::OnJobDeclined(DispatchPass& pass, v1::WorkOrder& order,
                                const v1::JobDeclined& report) {
  if (Progress(order.state()) >= 3) return;
  work_orders_.AddDecline(pass, order.work_order_id(), report.crew_id());
  assigner_.ReassignDeclined(pass, order, report.crew_id(), report.reason());
}

void CrewReports::OnEnRoute(DispatchPass& pass, v1::WorkOrder& order, v1::Incident* incident,
                            const v1::EnRoute& report) {
  if (Progress(order.state()) >= 3) return;
  order.set_state(v1::WORK_ORDER_STATE_EN_ROUTE);
  work_orders_.Record(pass, order);
  if (incident == nullptr) return;
  incident->set_state(v1::INCIDENT_STATE_EN_ROUTE);
  if (report.has_estimated_arrival_at()) {
    *incident->mutable_estimated_restoration_at() =
        sla::ToTimestamp(sla::FromTimestamp(report.estimated_arrival_at()) + default_repair_time_);
  }
  incidents_.Record(pass, *incident);
  incidents_.EmitIncidentUpdated(pass, *incident, change::kCrewEnRoute);
}

void CrewReports::OnOnSite(DispatchPass& pass, v1::WorkOrder& order, v1::Incident* incident,
                           const v1::OnSite& report) {
  if (Progress(order.state()) >= 4) return;
  const auto now = pass.Now();
  order.set_state(v1::WORK_ORDER_STATE_ON_SITE);
  MarkArrived(order.mutable_clocks(), order.area_class(), now, standards_);
  work_orders_.Record(pass, order);
  if (incident == nullptr) return;
  incident->set_state(v1::INCIDENT_STATE_ON_SITE);
  MarkArrived(incident->mutable_clocks(), incident->area_class(), now, standards_);
  if (report.has_estimated_restoration_at()) {
    *incident->mutable_estimated_restoration_at() = report.estimated_restoration_at();
  }
  incidents_.Record(pass, *incident);
  alarms_.Schedule(pass, incident->incident_id(), incident);
  incidents_.EmitIncidentUpdated(pass, *incident, change::kCrewOnSite);
}

void CrewReports::OnJobCompleted(DispatchPass& pass, const v1::WorkOrder& order,
                                 v1::Incident* incident, const v1::JobCompleted& report) {
  // `order` is gone after this: the completed copy is what remains.
  const std::string work_order_id = order.work_order_id();
  const v1::WorkOrder done = work_orders_.Complete(pass, work_order_id, pass.Now());
  if (incident == nullptr) return;
  if (report.restored()) {
    incidents_.Restore(pass, done.incident_id(), report);
    return;
  }
  // Repair not finished (e.g. needs a cable crew): a follow-up order for the same outage.
  incident->set_state(v1::INCIDENT_STATE_OPEN);
  incident->clear_crew_id();
  incidents_.Record(pass, *incident);
  incidents_.EmitIncidentUpdated(pass, *incident, change::kRepairNotFinished);
  assigner_.CreateWorkOrder(pass, *incident);
  assigner_.AssignQueued(pass, pass.to_assign);
}

}  // namespace gridcare::dispatch
