#pragma once

// Which incident a complaint may concern: dispatch's incidents by transformer area and feeder,
// kept from gridcare.dispatch.v1 (open ones, and restored ones for a while: "the power went off
// again" and "the repair was slow" come after restoration), and each incident's network context
// for the desk (incident_context.h: dispatch's view plus the crews' reports from
// gridcare.crew.v1). The port; RedisIncidentIndex is the adapter, the in-memory fake is in
// tests/support/complaint.

#include <optional>
#include <string>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/crew.pb.h"
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

  /// Remembers which incident a repair work order belongs to (ignored without an incident id).
  virtual core::Status RecordWorkOrder(const v1::WorkOrder& work_order) = 0;
  /// Applies a crew's report (ApplyCrewEvent) to the context of its work order's incident.
  /// Returns false when the work order belongs to no incident known here (not a repair order, or
  /// forgotten): nothing to show on a desk.
  virtual core::Result<bool> RecordCrewEvent(const v1::CrewEvent& event, core::TimePoint at) = 0;
  /// The incident's network context; nullopt when never seen or forgotten.
  virtual core::Result<std::optional<v1::IncidentContext>> Context(
      const std::string& incident_id) = 0;
};

/// The desk's question (gRPC GetIncidentContext, GET /api/incidents/<id>): INVALID_ARGUMENT
/// without an id, NOT_FOUND when the index does not hold it.
inline core::Result<v1::IncidentContext> LookUpIncidentContext(IncidentIndex& index,
                                                               const std::string& incident_id) {
  if (incident_id.empty()) return core::InvalidArgument("incident_id is required");
  auto context = index.Context(incident_id);
  if (!context) return context.error();
  if (!context->has_value()) {
    return core::NotFound("incident " + incident_id + " is not known here (or was forgotten)");
  }
  return std::move(**context);
}

}  // namespace gridcare::complaint
