#include "grpc_operator_api.h"

#include "gridcare/rpc/status.h"

namespace gridcare::ops {
namespace {

// "<service> <Call> at <target>: <KIND>: <message>".
core::Error CallError(const std::string& service, const char* call, const std::string& target,
                      const grpc::Status& status) {
  core::Error error = rpc::FromGrpcStatus(status);
  error.message = service + " " + call + " at " + target + ": " + error.message;
  return error;
}

}  // namespace

GrpcOperatorApi::GrpcOperatorApi(std::map<std::string, std::string> targets,
                                 std::chrono::milliseconds timeout)
    : targets_(std::move(targets)), timeout_(timeout) {}

core::Result<std::shared_ptr<grpc::Channel>> GrpcOperatorApi::Channel(const std::string& service) {
  if (auto it = channels_.find(service); it != channels_.end()) return it->second;
  auto target = targets_.find(service);
  if (target == targets_.end() || target->second.empty()) {
    return core::FailedPrecondition("no gRPC target for the " + service + " service");
  }
  auto channel = rpc::MakeChannel(target->second);
  channels_[service] = channel;
  return channel;
}

core::Result<v1::TrackResponse> GrpcOperatorApi::Track(const std::string& ticket_id) {
  auto channel = Channel("intake");
  if (!channel) return channel.error();
  grpc::ClientContext context;
  rpc::SetDeadline(context, timeout_);
  v1::TrackRequest request;
  request.set_ticket_id(ticket_id);
  v1::TrackResponse response;
  auto status = v1::IntakeService::NewStub(*channel)->Track(&context, request, &response);
  if (!status.ok()) return CallError("intake", "Track", targets_["intake"], status);
  return response;
}

core::Result<std::vector<v1::Incident>> GrpcOperatorApi::OpenIncidents(
    const v1::ListOpenIncidentsRequest& request) {
  auto channel = Channel("dispatch");
  if (!channel) return channel.error();
  grpc::ClientContext context;
  rpc::SetDeadline(context, timeout_);
  v1::ListOpenIncidentsResponse response;
  auto status = v1::DispatchConsoleService::NewStub(*channel)->ListOpenIncidents(&context, request,
                                                                                 &response);
  if (!status.ok()) return CallError("dispatch", "ListOpenIncidents", targets_["dispatch"], status);
  return std::vector<v1::Incident>(response.incidents().begin(), response.incidents().end());
}

core::Result<std::vector<v1::WorkOrder>> GrpcOperatorApi::OpenWorkOrders() {
  auto channel = Channel("dispatch");
  if (!channel) return channel.error();
  grpc::ClientContext context;
  rpc::SetDeadline(context, timeout_);
  v1::ListWorkOrdersRequest request;  // no states: every open state
  v1::ListWorkOrdersResponse response;
  auto status =
      v1::DispatchConsoleService::NewStub(*channel)->ListWorkOrders(&context, request, &response);
  if (!status.ok()) return CallError("dispatch", "ListWorkOrders", targets_["dispatch"], status);
  return std::vector<v1::WorkOrder>(response.work_orders().begin(), response.work_orders().end());
}

core::Result<v1::ListCasesResponse> GrpcOperatorApi::ListCases(
    const v1::ListCasesRequest& request) {
  auto channel = Channel("complaint");
  if (!channel) return channel.error();
  grpc::ClientContext context;
  rpc::SetDeadline(context, timeout_);
  v1::ListCasesResponse response;
  auto status = v1::ComplaintService::NewStub(*channel)->ListCases(&context, request, &response);
  if (!status.ok()) return CallError("complaint", "ListCases", targets_["complaint"], status);
  return response;
}

}  // namespace gridcare::ops
