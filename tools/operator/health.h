#pragma once

// `gridcare health`: one row per service from its /healthz, /readyz and gRPC health answers.
// Pure: no I/O. Thread-safe.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/rpc/client.h"
#include "table.h"

namespace gridcare::ops {

/// An HTTP answer (status and body).
struct HttpAnswer {
  int status = 0;
  std::string body;
};

/// What was asked of one service; a probe not made (no address configured) is nullopt.
struct HealthAnswers {
  std::string service;
  std::string metrics_address;  // "" when not configured
  std::string grpc_target;      // "" when not configured
  std::optional<core::Result<HttpAnswer>> healthz;
  std::optional<core::Result<HttpAnswer>> readyz;
  std::optional<core::Result<rpc::HealthStatus>> grpc;
};

struct HealthRow {
  std::string service;
  std::string live;   // "yes", "no", "-" (not probed)
  std::string ready;  // "yes", "no", "-"
  std::string grpc;   // "serving", "not_serving", "unreachable", "-", …
  std::string detail;
  bool ok = false;  // ready, and serving when it has gRPC
};

/// The row for one service. Not ok when /readyz is not 2xx, the metrics address does not answer,
/// or gRPC health is not SERVING. The detail names what failed: "/readyz failing: redis,
/// kafka-consumer-0" (from the readiness body), "metrics 127.0.0.1:9464: connection refused",
/// "gRPC: UNAVAILABLE: …".
HealthRow ToHealthRow(const HealthAnswers& answers);

Table HealthTable(const std::vector<HealthRow>& rows);
nlohmann::json HealthJson(const std::vector<HealthRow>& rows);

}  // namespace gridcare::ops
