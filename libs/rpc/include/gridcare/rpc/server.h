#pragma once

#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gridcare/core/error.h"

// Forward declarations keep grpcpp/server.h out of every file that includes this one.
namespace grpc {
class Server;
class Service;
}  // namespace grpc

namespace gridcare::rpc {

class ServerMetrics;

struct GrpcServerSettings {
  /// "host:port"; port 0 picks a free port (see GrpcServer::port()).
  std::string listen_address = "0.0.0.0:50051";
  /// Largest message accepted and sent, in bytes (gRPC's default is 4 MiB).
  int max_message_bytes = 4 * 1024 * 1024;
};

/// A gRPC server with what every GridCare service needs: the grpc.health.v1.Health service (SERVING
/// while up, NOT_SERVING from the start of Shutdown), server reflection (grpcurl, grpc_cli), and
/// grpc_server_{started,handled}_total / grpc_server_handling_seconds in the given registry.
///
/// Thread-safe. Shutdown() may be called from any thread, including a core::ShutdownSignal
/// callback, while another thread is blocked in Wait(); never call it from inside an RPC handler
/// (it waits for handlers to return).
class GrpcServer {
 public:
  /// `registry` may be null (no metrics); otherwise it is kept alive by the server.
  GrpcServer(GrpcServerSettings settings, std::shared_ptr<prometheus::Registry> registry);
  /// Shuts down immediately (no grace) if still running and waits for the server to stop.
  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  /// Registers a service; call before Start(). Not owned: it must outlive this object.
  void AddService(grpc::Service* service);

  /// Binds and starts serving. Fails with kInvalidArgument for a malformed address and kUnavailable
  /// when the server cannot start (port taken, host not local). May be called once.
  core::Status Start();

  /// The bound port once Start() succeeded (the real one when 0 was asked for), else 0.
  int port() const { return port_.load(); }

  /// Marks every service NOT_SERVING, then stops accepting calls and lets calls in flight finish
  /// for up to `grace` before cancelling them. Idempotent; returns when the server has stopped.
  void Shutdown(std::chrono::milliseconds grace);

  /// Blocks until the server has shut down. Returns at once if it never started.
  void Wait();

 private:
  void SetServing(bool serving);  // requires mutex_

  const GrpcServerSettings settings_;
  const std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<ServerMetrics> metrics_;
  std::atomic<int> port_{0};

  std::mutex mutex_;  // guards everything below; held for the whole of Start and Shutdown
  std::vector<grpc::Service*> services_;
  std::shared_ptr<std::vector<std::string>> service_names_;  // filled when the server starts
  bool started_ = false;
  bool shut_down_ = false;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace gridcare::rpc
