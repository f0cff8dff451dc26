#pragma once

// What the dispatch console (gRPC DispatchConsoleService and the web console) reads and does. One
// Dispatcher implements it for the territories it owns; TerritoryShards implements it over every
// territory this instance owns.

#include <optional>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

/// Thread-safe.
class DispatchConsole {
 public:
  virtual ~DispatchConsole() = default;

  /// Open incidents (merged ones left out), urgent first, then oldest.
  virtual std::vector<v1::Incident> OpenIncidents(
      const v1::ListOpenIncidentsRequest& request) const = 0;
  virtual std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const = 0;
  virtual std::vector<v1::CrewStatusView> Crews() const = 0;
  /// An open incident with its tickets, or nullopt.
  virtual std::optional<v1::Incident> Incident(std::string_view incident_id) const = 0;

  /// Gives a work order to a crew by hand; publishes and waits for delivery. NOT_FOUND for an
  /// unknown work order or crew, FAILED_PRECONDITION for a closed order or a crew on site,
  /// INVALID_ARGUMENT for missing ids.
  virtual core::Result<v1::WorkOrder> AssignByHand(const v1::AssignWorkOrderRequest& request) = 0;
  /// INVALID_ARGUMENT naming the field for a bad scope or window. An empty id gets one.
  virtual core::Result<v1::PlannedOutage> RegisterPlannedOutage(v1::PlannedOutage outage) = 0;
  /// Appointment work: a dispatcher moves a booked visit; a clerk records a document check.
  /// Errors as DispatchConsoleService says (dispatch.proto).
  virtual core::Result<v1::WorkOrder> MoveAppointment(
      const v1::MoveAppointmentRequest& request) = 0;
  virtual core::Result<v1::WorkOrder> RecordDocumentCheck(
      const v1::RecordDocumentCheckRequest& request) = 0;
};

}  // namespace gridcare::dispatch
