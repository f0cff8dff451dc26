#include "work_order_book.h"

#include <charconv>

#include "dispatch_clocks.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

v1::CrewSkill SkillFor(v1::IncidentLevel level) {
  switch (level) {
    case v1::INCIDENT_LEVEL_FEEDER:
    case v1::INCIDENT_LEVEL_SUBSTATION:
      return v1::CREW_SKILL_MEDIUM_VOLTAGE;
    case v1::INCIDENT_LEVEL_TRANSFORMER:
      return v1::CREW_SKILL_TRANSFORMER;
    default:
      return v1::CREW_SKILL_LOW_VOLTAGE;
  }
}

std::string WorkOrderIdFor(std::string_view incident_id, int sequence) {
  // "INC-T-GC-…" → "WO-T-GC-…"; a follow-up order after an unfinished repair gets "-2", "-3" …
  std::string id =
      "WO-" + std::string(incident_id.starts_with("INC-") ? incident_id.substr(4) : incident_id);
  if (sequence > 1) id += "-" + std::to_string(sequence);
  return id;
}

/// The sequence number after the incident's previous order (closed by now, and so no longer
/// open: reusing its id would make the archive delete the new order); 1 for the first.
int NextSequence(const v1::Incident& incident) {
  const std::string& previous = incident.work_order_id();
  if (previous.empty()) return 1;
  const std::string first = WorkOrderIdFor(incident.incident_id(), 1);
  if (previous == first) return 2;
  if (previous.starts_with(first + "-")) {
    const std::string_view tail = std::string_view(previous).substr(first.size() + 1);
    int n = 0;
    if (std::from_chars(tail.data(), tail.data() + tail.size(), n).ec == std::errc{} && n > 1) {
      return n + 1;
    }
  }
  return 1;
}

}  // namespace

bool IsOpenWorkOrder(v1::WorkOrderState state) {
  return state != v1::WORK_ORDER_STATE_COMPLETED && state != v1::WORK_ORDER_STATE_CANCELLED &&
         state != v1::WORK_ORDER_STATE_UNSPECIFIED;
}

bool HeldByCrew(v1::WorkOrderState state) {
  return state == v1::WORK_ORDER_STATE_ASSIGNED || state == v1::WORK_ORDER_STATE_ACCEPTED ||
         state == v1::WORK_ORDER_STATE_EN_ROUTE || state == v1::WORK_ORDER_STATE_ON_SITE;
}

const std::string& EventKey(const v1::WorkOrder& order) {
  if (!order.incident_id().empty()) return order.incident_id();
  if (order.has_application() && !order.application().ticket_id().empty()) {
    return order.application().ticket_id();
  }
  return order.work_order_id();
}

WorkOrderBook::WorkOrderBook(DispatchMetrics* metrics) : metrics_(metrics) {}

void WorkOrderBook::Recover(std::map<std::string, v1::WorkOrder> work_orders,
                            std::map<std::string, std::set<std::string>> declined) {
  work_orders_ = std::move(work_orders);
  declined_ = std::move(declined);
}

v1::WorkOrder* WorkOrderBook::Find(const std::string& work_order_id) {
  auto it = work_orders_.find(work_order_id);
  return it == work_orders_.end() ? nullptr : &it->second;
}

const v1::WorkOrder* WorkOrderBook::Find(const std::string& work_order_id) const {
  auto it = work_orders_.find(work_order_id);
  return it == work_orders_.end() ? nullptr : &it->second;
}

std::vector<std::string> WorkOrderBook::IdsIn(v1::WorkOrderState state) const {
  std::vector<std::string> ids;
  for (const auto& [id, order] : work_orders_) {
    if (order.state() == state) ids.push_back(id);
  }
  return ids;
}

std::string WorkOrderBook::Create(DispatchPass& pass, const v1::Incident& incident,
                                  const std::string& first_ticket_id) {
  int sequence = NextSequence(incident);
  std::string id = WorkOrderIdFor(incident.incident_id(), sequence);
  while (work_orders_.count(id)) id = WorkOrderIdFor(incident.incident_id(), ++sequence);
  v1::WorkOrder order;
  order.set_work_order_id(id);
  order.set_kind(v1::WORK_ORDER_KIND_REPAIR);
  order.set_state(v1::WORK_ORDER_STATE_QUEUED);
  order.set_incident_id(incident.incident_id());
  if (incident.level() == v1::INCIDENT_LEVEL_SINGLE_CUSTOMER && !first_ticket_id.empty()) {
    order.set_ticket_id(first_ticket_id);
  }
  order.set_required_skill(SkillFor(incident.level()));
  order.set_priority(incident.priority());
  *order.mutable_location() = incident.location();
  order.set_area_class(incident.area_class());
  *order.mutable_clocks() = incident.clocks();
  *order.mutable_created_at() = sla::ToTimestamp(pass.Now());
  order.set_tenant_id(incident.tenant_id());
  work_orders_[id] = order;
  Record(pass, order);
  v1::DispatchEvent event;
  *event.mutable_work_order_created()->mutable_work_order() = order;
  pass.Emit(incident.incident_id(), "gridcare.work_order.created.v1", id, event);
  if (metrics_) metrics_->Action("work_order_created");
  return id;
}

v1::WorkOrder& WorkOrderBook::Add(DispatchPass& pass, v1::WorkOrder order) {
  const std::string id = order.work_order_id();
  auto& kept = work_orders_[id] = std::move(order);
  Record(pass, kept);
  v1::DispatchEvent event;
  *event.mutable_work_order_created()->mutable_work_order() = kept;
  pass.Emit(EventKey(kept), "gridcare.work_order.created.v1", id, event);
  if (metrics_) metrics_->Action("work_order_created");
  return kept;
}

v1::WorkOrder WorkOrderBook::Close(DispatchPass& pass, const std::string& work_order_id,
                                   v1::WorkOrderState state) {
  auto it = work_orders_.find(work_order_id);
  v1::WorkOrder done = it->second;
  done.set_state(state);
  work_orders_.erase(it);
  Record(pass, done);
  if (metrics_)
    metrics_->Action(state == v1::WORK_ORDER_STATE_COMPLETED ? "completed" : "cancelled");
  return done;
}

void WorkOrderBook::Record(DispatchPass& pass, const v1::WorkOrder& order) {
  if (IsOpenWorkOrder(order.state())) {
    pass.batch.work_orders[order.work_order_id()] = order;
  } else {
    pass.batch.work_orders.erase(order.work_order_id());
    pass.batch.closed_work_orders[order.work_order_id()] = order;
    if (declined_.erase(order.work_order_id())) pass.batch.declined[order.work_order_id()] = {};
  }
}

void WorkOrderBook::Cancel(DispatchPass& pass, const std::string& work_order_id,
                           const std::string& reason) {
  auto it = work_orders_.find(work_order_id);
  if (it == work_orders_.end() || !IsOpenWorkOrder(it->second.state())) return;
  v1::WorkOrder order = it->second;
  const std::string crew = HeldByCrew(order.state()) ? order.crew_id() : "";
  order.set_state(v1::WORK_ORDER_STATE_CANCELLED);
  work_orders_.erase(it);
  Record(pass, order);
  v1::DispatchEvent event;
  auto* cancelled = event.mutable_work_order_cancelled();
  *cancelled->mutable_work_order() = order;
  cancelled->set_crew_id(crew);
  cancelled->set_reason(reason);
  pass.Emit(EventKey(order), "gridcare.work_order.cancelled.v1", work_order_id, event);
  if (metrics_) metrics_->Action("cancelled");
}

void WorkOrderBook::AddDecline(DispatchPass& pass, const std::string& work_order_id,
                               const std::string& crew_id) {
  auto& crews = declined_[work_order_id];
  crews.insert(crew_id);
  pass.batch.declined[work_order_id] = crews;
}

v1::WorkOrder WorkOrderBook::Complete(DispatchPass& pass, const std::string& work_order_id,
                                      core::TimePoint now) {
  auto it = work_orders_.find(work_order_id);
  v1::WorkOrder done = it->second;
  done.set_state(v1::WORK_ORDER_STATE_COMPLETED);
  MarkRestored(done.mutable_clocks(), now);
  work_orders_.erase(it);
  Record(pass, done);
  if (metrics_) metrics_->Action("completed");
  return done;
}

}  // namespace gridcare::dispatch
