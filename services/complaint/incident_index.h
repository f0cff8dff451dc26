#pragma once

// Which incident a complaint may concern: dispatch's incidents by transformer area and feeder,
// kept from gridcare.dispatch.v1 (open ones, and restored ones for a while: "the power went off
// again" and "the repair was slow" come after restoration). The port; RedisIncidentIndex is the
// adapter, the in-memory fake is in tests/support/complaint.

#include <optional>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::complaint {

struct LinkedIncident {
  std::string incident_id;
  v1::SupplyPoint supply_point;
};

/// Thread-safe.
class IncidentIndex {
 public:
  virtual ~IncidentIndex() = default;
  /// Remembers `incident` under its transformer and feeder (a newer incident replaces an older).
  virtual core::Status Record(const v1::Incident& incident) = 0;
  /// The incident on the customer's transformer area, else on their feeder, else nullopt.
  virtual core::Result<std::optional<LinkedIncident>> Find(const v1::SupplyPoint& customer) = 0;
};

}  // namespace gridcare::complaint
