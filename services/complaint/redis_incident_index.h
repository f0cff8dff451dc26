#pragma once

#include <chrono>
#include <mutex>

#include "gridcare/redis/client.h"
#include "incident_index.h"

namespace gridcare::complaint {

/// IncidentIndex in Redis: `complaint:incident:t:<transformer>` and `complaint:incident:f:<feeder>`
/// hold the latest incident as "opened ms|incident id|substation|feeder|transformer", expiring
/// `memory` after the last update. One script per Record: an update of the incident held replaces
/// it, another incident only when it was opened no earlier. The network context of incident X is
/// `complaint:incident:ctx:X` (an IncidentContext), and `complaint:incident:wo:<work order>` names
/// the incident of a repair order; both expire `memory` after their last update. A context is
/// read, changed (incident_context.h) and written back under this object's lock: one writer per
/// process, as the service runs one active instance (docs/services/complaint.md).
class RedisIncidentIndex final : public IncidentIndex {
 public:
  explicit RedisIncidentIndex(redis::RedisClient& redis,
                              std::chrono::hours memory = std::chrono::hours(24 * 7));
  core::Status Record(const v1::Incident& incident) override;
  core::Result<std::optional<LinkedIncident>> Find(const v1::SupplyPoint& customer) override;
  core::Status RecordWorkOrder(const v1::WorkOrder& work_order) override;
  core::Result<bool> RecordCrewEvent(const v1::CrewEvent& event, core::TimePoint at) override;
  core::Result<std::optional<v1::IncidentContext>> Context(const std::string& incident_id) override;

 private:
  redis::RedisClient& redis_;
  std::chrono::hours memory_;
  std::mutex context_mutex_;  // guards the read-change-write of a context
  core::Status SaveContext(const v1::IncidentContext& context);
};

}  // namespace gridcare::complaint
