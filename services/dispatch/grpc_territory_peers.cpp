#include "grpc_territory_peers.h"

#include "gridcare/rpc/client.h"
#include "gridcare/rpc/status.h"

namespace gridcare::dispatch {

std::string PeerAddress(const std::string& advertise_host, const std::string& grpc_listen_address,
                        const std::string& machine_name, int port) {
  std::string host = advertise_host;
  if (host.empty()) host = grpc_listen_address.substr(0, grpc_listen_address.rfind(':'));
  if (host.empty() || host == "0.0.0.0" || host == "[::]" || host == "::") host = machine_name;
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

GrpcTerritoryPeers::GrpcTerritoryPeers(redis::RedisClient& redis,
                                       std::function<std::string()> self_address,
                                       std::chrono::milliseconds deadline)
    : redis_(redis), self_address_(std::move(self_address)), deadline_(deadline) {}

const std::string& GrpcTerritoryPeers::self_address() const {
  std::call_once(self_once_, [this] { self_ = self_address_(); });
  return self_;
}

std::string GrpcTerritoryPeers::OwnerKey(int32_t partition) {
  return "dispatch:t" + std::to_string(partition) + ":owner";
}

core::Status GrpcTerritoryPeers::Claim(int32_t partition) {
  auto reply = redis_.Command({"SET", OwnerKey(partition), self_address()});
  if (!reply) return reply.error();
  return core::Status::Ok();
}

core::Result<v1::DispatchConsoleService::Stub*> GrpcTerritoryPeers::Owner(int32_t partition) {
  auto reply = redis_.Command({"GET", OwnerKey(partition)});
  if (!reply) return reply.error();
  const auto address = reply->AsOptionalString();
  const std::string territory = "territory partition " + std::to_string(partition);
  if (!address || address->empty()) {
    return core::Unavailable("no dispatch instance has claimed " + territory + " yet: retry");
  }
  if (*address == self_address()) {
    return core::Unavailable(territory + " is moving between dispatch instances: retry");
  }
  std::lock_guard lock(mutex_);
  auto& stub = stubs_[*address];
  if (!stub) stub = v1::DispatchConsoleService::NewStub(rpc::MakeChannel(*address));
  return stub.get();
}

void GrpcTerritoryPeers::Prepare(grpc::ClientContext& context) const {
  rpc::SetDeadline(context, deadline_);
  context.AddMetadata(kForwardedByMetadata, self_address());
}

core::Result<v1::WorkOrder> GrpcTerritoryPeers::AssignByHand(
    int32_t partition, const v1::AssignWorkOrderRequest& request) {
  auto owner = Owner(partition);
  if (!owner) return owner.error();
  grpc::ClientContext context;
  Prepare(context);
  v1::AssignWorkOrderResponse response;
  const auto status = (*owner)->AssignWorkOrder(&context, request, &response);
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return std::move(*response.mutable_work_order());
}

core::Result<v1::PlannedOutage> GrpcTerritoryPeers::RegisterPlannedOutage(
    int32_t partition, const v1::PlannedOutage& outage) {
  auto owner = Owner(partition);
  if (!owner) return owner.error();
  grpc::ClientContext context;
  Prepare(context);
  v1::RegisterPlannedOutageRequest request;
  *request.mutable_planned_outage() = outage;
  v1::RegisterPlannedOutageResponse response;
  const auto status = (*owner)->RegisterPlannedOutage(&context, request, &response);
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return std::move(*response.mutable_planned_outage());
}

core::Result<v1::WorkOrder> GrpcTerritoryPeers::MoveAppointment(
    int32_t partition, const v1::MoveAppointmentRequest& request) {
  auto owner = Owner(partition);
  if (!owner) return owner.error();
  grpc::ClientContext context;
  Prepare(context);
  v1::MoveAppointmentResponse response;
  const auto status = (*owner)->MoveAppointment(&context, request, &response);
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return std::move(*response.mutable_work_order());
}

core::Result<v1::WorkOrder> GrpcTerritoryPeers::RecordDocumentCheck(
    int32_t partition, const v1::RecordDocumentCheckRequest& request) {
  auto owner = Owner(partition);
  if (!owner) return owner.error();
  grpc::ClientContext context;
  Prepare(context);
  v1::RecordDocumentCheckResponse response;
  const auto status = (*owner)->RecordDocumentCheck(&context, request, &response);
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return std::move(*response.mutable_work_order());
}

}  // namespace gridcare::dispatch
