#include "fake_incident_index.h"

#include "gridcare/sla/clocks.h"
#include "incident_context.h"

namespace gridcare::complaint {

void FakeIncidentIndex::Put(std::map<std::string, Entry>& index, const std::string& key,
                            const Entry& entry) {
  if (key.empty()) return;
  const auto found = index.find(key);
  if (found != index.end() && found->second.linked.incident_id != entry.linked.incident_id &&
      found->second.opened_ms > entry.opened_ms) {
    return;  // a newer incident is on this device already
  }
  index[key] = entry;
}

core::Status FakeIncidentIndex::Record(const v1::Incident& incident) {
  std::lock_guard lock(mutex_);
  if (failing_records_ > 0) {
    --failing_records_;
    return core::Unavailable("incident index unavailable (test)");
  }
  ++records_;
  if (incident.incident_id().empty()) return {};
  Entry entry;
  entry.linked.incident_id = incident.incident_id();
  entry.linked.supply_point.set_substation_id(incident.supply().substation_id());
  entry.linked.supply_point.set_feeder_id(incident.supply().feeder_id());
  entry.linked.supply_point.set_transformer_id(incident.supply().transformer_id());
  entry.opened_ms =
      incident.has_opened_at() ? core::ToUnixMillis(sla::FromTimestamp(incident.opened_at())) : 0;
  Put(by_transformer_, incident.supply().transformer_id(), entry);
  Put(by_feeder_, incident.supply().feeder_id(), entry);
  ApplyIncident(contexts_[incident.incident_id()], incident);
  if (!incident.work_order_id().empty()) {
    work_orders_[incident.work_order_id()] = incident.incident_id();
  }
  return {};
}

core::Result<std::optional<LinkedIncident>> FakeIncidentIndex::Find(
    const v1::SupplyPoint& customer) {
  std::lock_guard lock(mutex_);
  if (failing_finds_ > 0) {
    --failing_finds_;
    return core::Unavailable("incident index unavailable (test)");
  }
  if (!customer.transformer_id().empty()) {
    const auto found = by_transformer_.find(customer.transformer_id());
    if (found != by_transformer_.end()) return std::optional(found->second.linked);
  }
  if (!customer.feeder_id().empty()) {
    const auto found = by_feeder_.find(customer.feeder_id());
    if (found != by_feeder_.end()) return std::optional(found->second.linked);
  }
  return std::optional<LinkedIncident>{};
}

core::Status FakeIncidentIndex::RecordWorkOrder(const v1::WorkOrder& work_order) {
  std::lock_guard lock(mutex_);
  if (!work_order.incident_id().empty() && !work_order.work_order_id().empty()) {
    work_orders_[work_order.work_order_id()] = work_order.incident_id();
  }
  return {};
}

core::Result<bool> FakeIncidentIndex::RecordCrewEvent(const v1::CrewEvent& event,
                                                      core::TimePoint at) {
  std::lock_guard lock(mutex_);
  const auto work_order = CrewEventWorkOrder(event);
  if (!work_order) return false;
  const auto incident = work_orders_.find(*work_order);
  if (incident == work_orders_.end()) return false;
  const auto context = contexts_.find(incident->second);
  if (context == contexts_.end()) return false;
  ApplyCrewEvent(context->second, event, at);
  return true;
}

core::Result<std::optional<v1::IncidentContext>> FakeIncidentIndex::Context(
    const std::string& incident_id) {
  std::lock_guard lock(mutex_);
  const auto found = contexts_.find(incident_id);
  if (found == contexts_.end()) return std::optional<v1::IncidentContext>{};
  return std::optional(found->second);
}

void FakeIncidentIndex::FailNextRecords(int count) {
  std::lock_guard lock(mutex_);
  failing_records_ = count;
}

void FakeIncidentIndex::FailNextFinds(int count) {
  std::lock_guard lock(mutex_);
  failing_finds_ = count;
}

int FakeIncidentIndex::records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

}  // namespace gridcare::complaint
