#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <chrono>
#include <memory>
#include <string>

#include "gridcare/core/error.h"

namespace gridcare::rpc {

struct ChannelSettings {
  /// Largest message accepted from the server (gRPC's default is 4 MiB).
  int max_receive_message_bytes = 4 * 1024 * 1024;
  /// Ping interval while calls are in flight, to notice a dead peer behind a silent network
  /// drop. Must not be below the server's permitted ping interval (GrpcServer allows 10 s).
  std::chrono::milliseconds keepalive_time{30'000};
  std::chrono::milliseconds keepalive_timeout{10'000};
};

/// A channel to `target` ("host:port" or any gRPC target URI) with plaintext credentials (TLS is
/// terminated by the mesh in clusters and absent locally). Connects lazily; share one channel per
/// target across the process. Thread-safe.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const ChannelSettings& settings = ChannelSettings());

/// Sets the call's deadline to now + `timeout`. Every outgoing call needs one: without it a call
/// to a stuck server waits forever.
void SetDeadline(grpc::ClientContext& context, std::chrono::milliseconds timeout);

/// Connects if needed and waits up to `timeout` for the channel to become READY; true when it did.
bool WaitForReady(const std::shared_ptr<grpc::Channel>& channel, std::chrono::milliseconds timeout);

}  // namespace gridcare::rpc

namespace gridcare::rpc {

/// The serving status a grpc.health.v1.Health/Check call reports.
enum class HealthStatus { kUnknown, kServing, kNotServing, kServiceUnknown };

/// Calls grpc.health.v1.Health/Check for `service` ("" = the whole server) with a deadline, the
/// way Kubernetes probes and grpc_health_probe do. Debian ships no generated stub for health.proto,
/// so this uses a generic call and encodes the two tiny messages by hand (field 1 of each).
/// UNAVAILABLE / DEADLINE_EXCEEDED errors when the server cannot be reached in time.
core::Result<HealthStatus> CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                                       const std::string& service,
                                       std::chrono::milliseconds timeout);

const char* HealthStatusName(HealthStatus status);

}  // namespace gridcare::rpc
