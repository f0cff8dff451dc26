#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gridcare/redis/client.h"
#include "gridcare/v1/dispatch.grpc.pb.h"
#include "territory_peers.h"

namespace gridcare::dispatch {

/// The address the other instances forward to: `advertise_host`, else the host of
/// `grpc_listen_address`, else (it listens on every interface) `machine_name`; an IPv6 address in
/// brackets; then ":" and `port`.
std::string PeerAddress(const std::string& advertise_host, const std::string& grpc_listen_address,
                        const std::string& machine_name, int port);

/// TerritoryPeers over Redis and gRPC. An owner claims a territory by writing the address where
/// its DispatchConsoleService answers to `dispatch:t<N>:owner`; an action for that territory is
/// sent there with the metadata kForwardedByMetadata, which tells the owner to run it only in a
/// territory it owns (ConsoleGrpcService) — a forwarded call is never forwarded again.
class GrpcTerritoryPeers final : public TerritoryPeers {
 public:
  /// gRPC metadata on a forwarded call: the forwarding instance's address.
  static constexpr const char* kForwardedByMetadata = "gridcare-forwarded-by";

  /// `self_address`: this instance's console gRPC address ("host:port"), asked for once, at the
  /// first use (a claim, a forward or a fenced commit: the gRPC server runs by then, so its port
  /// is known); every commit's fence compares with it, so it is not recomputed. `deadline`: of each
  /// forwarded call.
  GrpcTerritoryPeers(redis::RedisClient& redis, std::function<std::string()> self_address,
                     std::chrono::milliseconds deadline);

  core::Status Claim(int32_t partition) override;
  core::Result<v1::WorkOrder> AssignByHand(int32_t partition,
                                           const v1::AssignWorkOrderRequest& request) override;
  core::Result<v1::PlannedOutage> RegisterPlannedOutage(int32_t partition,
                                                        const v1::PlannedOutage& outage) override;
  core::Result<v1::WorkOrder> MoveAppointment(int32_t partition,
                                              const v1::MoveAppointmentRequest& request) override;
  core::Result<v1::WorkOrder> RecordDocumentCheck(
      int32_t partition, const v1::RecordDocumentCheckRequest& request) override;

  /// This instance's address, as its claims write it.
  const std::string& self_address() const;

  /// The Redis key naming the owner of `partition`.
  static std::string OwnerKey(int32_t partition);

 private:
  /// The owner's console stub, or UNAVAILABLE (no owner claimed yet, or the claim is this
  /// instance's own although it does not own the territory any more: it is moving).
  core::Result<v1::DispatchConsoleService::Stub*> Owner(int32_t partition);
  void Prepare(grpc::ClientContext& context) const;

  redis::RedisClient& redis_;
  std::function<std::string()> self_address_;
  mutable std::once_flag self_once_;
  mutable std::string self_;  // self_address_(), once asked
  std::chrono::milliseconds deadline_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<v1::DispatchConsoleService::Stub>> stubs_;  // by address
};

}  // namespace gridcare::dispatch
