#pragma once

#include <chrono>

#include "gridcare/redis/client.h"
#include "incident_index.h"

namespace gridcare::complaint {

/// IncidentIndex in Redis: `complaint:incident:t:<transformer>` and `complaint:incident:f:<feeder>`
/// hold the latest incident as "opened ms|incident id|substation|feeder|transformer", expiring
/// `memory` after the last update. One script per Record: an update of the incident held replaces
/// it, another incident only when it was opened no earlier.
class RedisIncidentIndex final : public IncidentIndex {
 public:
  explicit RedisIncidentIndex(redis::RedisClient& redis,
                              std::chrono::hours memory = std::chrono::hours(24 * 7));
  core::Status Record(const v1::Incident& incident) override;
  core::Result<std::optional<LinkedIncident>> Find(const v1::SupplyPoint& customer) override;

 private:
  redis::RedisClient& redis_;
  std::chrono::hours memory_;
};

}  // namespace gridcare::complaint
