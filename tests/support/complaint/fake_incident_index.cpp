#include "fake_incident_index.h"

#include "gridcare/sla/clocks.h"

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
