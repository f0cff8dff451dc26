#pragma once

#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>

#include "gridcare/core/error.h"

namespace gridcare::metrics {

/// The one HTTP endpoint of a process, on the metrics port:
///   GET /metrics  Prometheus text format (0.0.4) of the registry plus the process_* series;
///   GET /healthz  200 while the process runs (liveness);
///   GET /readyz   200 when every readiness check passes, else 503 with
///                 {"ready":false,"failing":["<name>",...]} (readiness).
///
/// Why not prometheus-cpp's Exposer: it can only serve collectables with 200, so it cannot answer
/// 503 for readiness, and Kafka-only workers have no gRPC port to carry a health service. This is
/// built on cpp-httplib instead, kept out of this header (pimpl) because httplib.h is heavy to
/// compile.
///
/// Thread-safe. Requests are served on a small pool of the server's own threads, so readiness
/// checks must be quick, thread-safe and must not block on the caller's locks for long.
class MetricsServer {
 public:
  /// `listen_address` is "host:port", e.g. "0.0.0.0:9464" or "127.0.0.1:0" (port 0 picks a free
  /// port; see port()). IPv6 hosts go in brackets: "[::1]:9464". Nothing is bound until Start().
  MetricsServer(std::string listen_address, std::shared_ptr<prometheus::Registry> registry);
  /// Stops the server if it is still running.
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// Binds and starts serving in the background. Fails with kInvalidArgument for a malformed
  /// address and kUnavailable when the address cannot be bound (port taken, host not local).
  /// May be called once.
  core::Status Start();
  /// The bound port once Start() succeeded (the real one when 0 was asked for), else 0.
  int port() const;
  /// Adds a named readiness check, evaluated on every /readyz request; a check that throws counts
  /// as failing. May be called before or after Start().
  void AddReadinessCheck(std::string name, std::function<bool()> check);
  /// Stops accepting, finishes requests in flight and joins the server thread. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gridcare::metrics
