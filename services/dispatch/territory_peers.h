#pragma once

// How a dispatch instance reaches the owner of a territory it does not own. The console's actions
// (assign by hand, register a planned outage, move a booked visit, record a document check)
// change a territory's state, so they run on the one
// instance that owns it; any instance's console forwards them there. docs/services/dispatch.md,
// "Scaling out by territory".

#include <cstdint>

#include "gridcare/core/error.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

/// Thread-safe.
class TerritoryPeers {
 public:
  virtual ~TerritoryPeers() = default;

  /// Records that this instance owns `partition` now (its state is loaded), so that the others
  /// forward that territory's actions here.
  virtual core::Status Claim(int32_t partition) = 0;

  /// Runs the action on the instance that owns `partition`; that instance runs it only if it still
  /// owns the territory, and never forwards it again. UNAVAILABLE when no owner can be reached or
  /// the territory is moving (retry), otherwise the owner's answer.
  virtual core::Result<v1::WorkOrder> AssignByHand(int32_t partition,
                                                   const v1::AssignWorkOrderRequest& request) = 0;
  virtual core::Result<v1::PlannedOutage> RegisterPlannedOutage(
      int32_t partition, const v1::PlannedOutage& outage) = 0;
  /// Appointment work (appointment_desk.h): a dispatcher's move and a clerk's document check.
  virtual core::Result<v1::WorkOrder> MoveAppointment(
      int32_t partition, const v1::MoveAppointmentRequest& request) = 0;
  virtual core::Result<v1::WorkOrder> RecordDocumentCheck(
      int32_t partition, const v1::RecordDocumentCheckRequest& request) = 0;
};

}  // namespace gridcare::dispatch
