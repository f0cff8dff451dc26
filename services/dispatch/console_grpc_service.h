#pragma once

#include "dispatch_console.h"
#include "gridcare/v1/dispatch.grpc.pb.h"

namespace gridcare::dispatch {

/// DispatchConsoleService: the dispatcher's read models and console actions over gRPC. A call
/// another dispatch instance forwarded (metadata GrpcTerritoryPeers::kForwardedByMetadata) goes to
/// `owned_only`, which acts only in this instance's own territories.
class ConsoleGrpcService final : public v1::DispatchConsoleService::Service {
 public:
  explicit ConsoleGrpcService(DispatchConsole& dispatcher)
      : dispatcher_(dispatcher), owned_only_(dispatcher) {}
  ConsoleGrpcService(DispatchConsole& dispatcher, DispatchConsole& owned_only)
      : dispatcher_(dispatcher), owned_only_(owned_only) {}

  grpc::Status ListOpenIncidents(grpc::ServerContext* context,
                                 const v1::ListOpenIncidentsRequest* request,
                                 v1::ListOpenIncidentsResponse* response) override;
  grpc::Status ListWorkOrders(grpc::ServerContext* context,
                              const v1::ListWorkOrdersRequest* request,
                              v1::ListWorkOrdersResponse* response) override;
  grpc::Status ListCrews(grpc::ServerContext* context,
                         const v1::ListCrewsForConsoleRequest* request,
                         v1::ListCrewsForConsoleResponse* response) override;
  grpc::Status AssignWorkOrder(grpc::ServerContext* context,
                               const v1::AssignWorkOrderRequest* request,
                               v1::AssignWorkOrderResponse* response) override;
  grpc::Status RegisterPlannedOutage(grpc::ServerContext* context,
                                     const v1::RegisterPlannedOutageRequest* request,
                                     v1::RegisterPlannedOutageResponse* response) override;
  grpc::Status MoveAppointment(grpc::ServerContext* context,
                               const v1::MoveAppointmentRequest* request,
                               v1::MoveAppointmentResponse* response) override;
  grpc::Status RecordDocumentCheck(grpc::ServerContext* context,
                                   const v1::RecordDocumentCheckRequest* request,
                                   v1::RecordDocumentCheckResponse* response) override;

 private:
  DispatchConsole& For(const grpc::ServerContext* context);

  DispatchConsole& dispatcher_;
  DispatchConsole& owned_only_;
};

}  // namespace gridcare::dispatch
