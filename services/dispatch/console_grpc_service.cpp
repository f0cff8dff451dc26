#include "console_grpc_service.h"

#include "gridcare/rpc/status.h"
#include "grpc_territory_peers.h"

namespace gridcare::dispatch {

DispatchConsole& ConsoleGrpcService::For(const grpc::ServerContext* context) {
  if (context != nullptr &&
      context->client_metadata().contains(GrpcTerritoryPeers::kForwardedByMetadata)) {
    return owned_only_;
  }
  return dispatcher_;
}

grpc::Status ConsoleGrpcService::ListOpenIncidents(grpc::ServerContext*,
                                                   const v1::ListOpenIncidentsRequest* request,
                                                   v1::ListOpenIncidentsResponse* response) {
  for (auto& incident : dispatcher_.OpenIncidents(*request)) {
    *response->add_incidents() = std::move(incident);
  }
  return grpc::Status::OK;
}

grpc::Status ConsoleGrpcService::ListWorkOrders(grpc::ServerContext*,
                                                const v1::ListWorkOrdersRequest* request,
                                                v1::ListWorkOrdersResponse* response) {
  for (auto& order : dispatcher_.WorkOrders(*request))
    *response->add_work_orders() = std::move(order);
  return grpc::Status::OK;
}

grpc::Status ConsoleGrpcService::ListCrews(grpc::ServerContext*,
                                           const v1::ListCrewsForConsoleRequest*,
                                           v1::ListCrewsForConsoleResponse* response) {
  for (auto& crew : dispatcher_.Crews()) *response->add_crews() = std::move(crew);
  return grpc::Status::OK;
}

grpc::Status ConsoleGrpcService::AssignWorkOrder(grpc::ServerContext* context,
                                                 const v1::AssignWorkOrderRequest* request,
                                                 v1::AssignWorkOrderResponse* response) {
  auto order = For(context).AssignByHand(*request);
  if (!order) return rpc::ToGrpcStatus(order.error());
  *response->mutable_work_order() = std::move(*order);
  return grpc::Status::OK;
}

grpc::Status ConsoleGrpcService::RegisterPlannedOutage(
    grpc::ServerContext* context, const v1::RegisterPlannedOutageRequest* request,
    v1::RegisterPlannedOutageResponse* response) {
  auto outage = For(context).RegisterPlannedOutage(request->planned_outage());
  if (!outage) return rpc::ToGrpcStatus(outage.error());
  *response->mutable_planned_outage() = std::move(*outage);
  return grpc::Status::OK;
}

grpc::Status ConsoleGrpcService::MoveAppointment(grpc::ServerContext* context,
                                                 const v1::MoveAppointmentRequest* request,
                                                 v1::MoveAppointmentResponse* response) {
  auto order = For(context).MoveAppointment(*request);
  if (!order) return rpc::ToGrpcStatus(order.error());
  *response->mutable_work_order() = std::move(*order);
  return grpc::Status::OK;
}

grpc::Status ConsoleGrpcService::RecordDocumentCheck(grpc::ServerContext* context,
                                                     const v1::RecordDocumentCheckRequest* request,
                                                     v1::RecordDocumentCheckResponse* response) {
  auto order = For(context).RecordDocumentCheck(*request);
  if (!order) return rpc::ToGrpcStatus(order.error());
  *response->mutable_work_order() = std::move(*order);
  return grpc::Status::OK;
}

}  // namespace gridcare::dispatch
