#include "console_view.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

bool HasOverdueClock(const v1::Incident& incident, core::TimePoint now) {
  return std::any_of(
      incident.clocks().begin(), incident.clocks().end(), [&](const v1::ServiceClock& c) {
        return sla::StateOf(c, now, std::chrono::minutes(0)) == sla::ClockState::kOverdue;
      });
}

/// The console's status word for a crew holding `jobs`.
std::string CrewStatus(const v1::Crew& crew, const std::vector<const v1::WorkOrder*>& jobs) {
  if (crew.availability() == v1::CREW_AVAILABILITY_UNREACHABLE) return "unreachable";
  if (crew.availability() == v1::CREW_AVAILABILITY_OFF_SHIFT) return "off_shift";
  int most_advanced = 0;
  for (const auto* order : jobs) {
    const int rank = order->state() == v1::WORK_ORDER_STATE_ON_SITE    ? 3
                     : order->state() == v1::WORK_ORDER_STATE_EN_ROUTE ? 2
                                                                       : 1;
    most_advanced = std::max(most_advanced, rank);
  }
  switch (most_advanced) {
    case 3:
      return "on_site";
    case 2:
      return "en_route";
    case 1:
      return "assigned";
    default:
      return "available";
  }
}

}  // namespace

bool IncidentBefore(const v1::Incident& a, const v1::Incident& b) {
  if (a.priority() != b.priority()) return a.priority() > b.priority();
  return a.opened_at().seconds() < b.opened_at().seconds();
}

bool WorkOrderBefore(const v1::WorkOrder& a, const v1::WorkOrder& b) {
  if (a.priority() != b.priority()) return a.priority() > b.priority();
  return a.created_at().seconds() < b.created_at().seconds();
}

std::vector<v1::CrewStatusView> MergeCrewViews(
    const std::vector<std::vector<v1::CrewStatusView>>& per_territory) {
  // Busier statuses win: a crew's jobs live in the territories of their work orders.
  const auto rank = [](std::string_view status) {
    if (status == "on_site") return 3;
    if (status == "en_route") return 2;
    if (status == "assigned") return 1;
    return 0;
  };
  std::map<std::string, v1::CrewStatusView> merged;
  for (const auto& views : per_territory) {
    for (const auto& view : views) {
      auto [it, fresh] = merged.try_emplace(view.crew_id(), view);
      if (fresh) continue;
      v1::CrewStatusView& into = it->second;
      for (const auto& id : view.work_order_ids()) into.add_work_order_ids(id);
      if (rank(view.status()) > rank(into.status())) into.set_status(view.status());
    }
  }
  std::vector<v1::CrewStatusView> out;
  out.reserve(merged.size());
  for (auto& [id, view] : merged) out.push_back(std::move(view));
  return out;
}

ConsoleView::ConsoleView(const IncidentBook& incidents, const WorkOrderBook& work_orders,
                         const CrewRoster& crews)
    : incidents_(incidents), work_orders_(work_orders), crews_(crews) {}

std::vector<v1::Incident> SelectOpenIncidents(const std::map<std::string, v1::Incident>& incidents,
                                              const v1::ListOpenIncidentsRequest& request,
                                              core::TimePoint now) {
  std::vector<v1::Incident> out;
  for (const auto& [id, incident] : incidents) {
    if (incident.state() == v1::INCIDENT_STATE_MERGED) continue;
    if (!request.feeder_id().empty() && incident.supply().feeder_id() != request.feeder_id()) {
      continue;
    }
    if (request.overdue_only() && !HasOverdueClock(incident, now)) continue;
    out.push_back(incident);
  }
  std::stable_sort(out.begin(), out.end(), IncidentBefore);
  return out;
}

std::vector<v1::WorkOrder> SelectWorkOrders(const std::map<std::string, v1::WorkOrder>& open,
                                            const v1::ListWorkOrdersRequest& request) {
  std::set<int> states(request.states().begin(), request.states().end());
  std::vector<v1::WorkOrder> out;
  for (const auto& [id, order] : open) {
    if (!states.empty() && !states.count(order.state())) continue;
    const bool appointment = order.has_application();
    if (request.work() == v1::ListWorkOrdersRequest::WORK_REPAIR && appointment) continue;
    if (request.work() == v1::ListWorkOrdersRequest::WORK_APPOINTMENT && !appointment) continue;
    out.push_back(order);
  }
  std::stable_sort(out.begin(), out.end(), WorkOrderBefore);
  return out;
}

std::vector<v1::CrewStatusView> CrewViews(const std::map<std::string, v1::Crew>& crews,
                                          const std::map<std::string, v1::WorkOrder>& open) {
  std::map<std::string, std::vector<const v1::WorkOrder*>> jobs;
  for (const auto& [id, order] : open) {
    if (HeldByCrew(order.state())) jobs[order.crew_id()].push_back(&order);
  }
  std::vector<v1::CrewStatusView> out;
  for (const auto& [id, crew] : crews) {
    v1::CrewStatusView view;
    view.set_crew_id(id);
    view.set_name(crew.name());
    *view.mutable_position() = crew.position();
    if (crew.has_position_at()) *view.mutable_last_report_at() = crew.position_at();
    for (const auto* order : jobs[id]) view.add_work_order_ids(order->work_order_id());
    view.set_status(CrewStatus(crew, jobs[id]));
    out.push_back(std::move(view));
  }
  return out;
}

std::vector<v1::Incident> ConsoleView::OpenIncidents(const v1::ListOpenIncidentsRequest& request,
                                                     core::TimePoint now) const {
  return SelectOpenIncidents(incidents_.incidents(), request, now);
}

std::vector<v1::WorkOrder> ConsoleView::WorkOrders(const v1::ListWorkOrdersRequest& request) const {
  return SelectWorkOrders(work_orders_.open(), request);
}

std::vector<v1::CrewStatusView> ConsoleView::Crews() const {
  return CrewViews(crews_.crews(), work_orders_.open());
}

std::optional<v1::Incident> ConsoleView::Incident(std::string_view incident_id) const {
  const v1::Incident* incident = incidents_.Find(std::string(incident_id));
  if (incident == nullptr) return std::nullopt;
  return incidents_.WithTickets(*incident, 0, std::numeric_limits<size_t>::max());
}

ConsoleView::OpenCounts ConsoleView::Counts() const {
  OpenCounts counts;
  for (const auto& [id, incident] : incidents_.incidents()) {
    if (incident.state() != v1::INCIDENT_STATE_MERGED) ++counts.incidents;
  }
  for (const auto& [id, order] : work_orders_.open()) {
    if (order.state() == v1::WORK_ORDER_STATE_QUEUED) ++counts.queued_work_orders;
  }
  counts.work_orders = static_cast<int>(work_orders_.open().size());
  return counts;
}

}  // namespace gridcare::dispatch
