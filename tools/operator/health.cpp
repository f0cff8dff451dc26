#include "health.h"

namespace gridcare::ops {
namespace {

bool Success(const core::Result<HttpAnswer>& answer) {
  return answer.ok() && answer->status >= 200 && answer->status < 300;
}

// The failing checks from a /readyz body such as {"ready":false,"failing":["redis"]}.
std::string FailingChecks(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("failing") || !json["failing"].is_array()) return "";
  std::string out;
  for (const auto& name : json["failing"]) {
    if (!name.is_string()) continue;
    out += (out.empty() ? "" : ", ") + name.get<std::string>();
  }
  return out;
}

void AddDetail(std::string& detail, const std::string& part) {
  if (!part.empty()) detail += (detail.empty() ? "" : "; ") + part;
}

std::string GrpcWord(rpc::HealthStatus status) {
  switch (status) {
    case rpc::HealthStatus::kServing:
      return "serving";
    case rpc::HealthStatus::kNotServing:
      return "not_serving";
    case rpc::HealthStatus::kServiceUnknown:
      return "service_unknown";
    case rpc::HealthStatus::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace

HealthRow ToHealthRow(const HealthAnswers& answers) {
  HealthRow row{answers.service, "-", "-", "-", "", true};
  const std::string metrics = "metrics " + answers.metrics_address;
  if (answers.healthz) {
    row.live = Success(*answers.healthz) ? "yes" : "no";
    if (!answers.healthz->ok()) {
      AddDetail(row.detail, metrics + ": " + answers.healthz->error().message);
    } else if (!Success(*answers.healthz)) {
      AddDetail(row.detail, "/healthz answered " + std::to_string((*answers.healthz)->status));
    }
  }
  if (answers.readyz) {
    row.ready = Success(*answers.readyz) ? "yes" : "no";
    row.ok = Success(*answers.readyz);
    if (answers.readyz->ok() && !row.ok) {
      const std::string failing = FailingChecks((*answers.readyz)->body);
      AddDetail(row.detail, failing.empty()
                                ? "/readyz answered " + std::to_string((*answers.readyz)->status)
                                : "/readyz failing: " + failing);
    } else if (!answers.readyz->ok() && (!answers.healthz || answers.healthz->ok())) {
      AddDetail(row.detail, metrics + ": " + answers.readyz->error().message);
    }
  }
  if (answers.grpc) {
    if (answers.grpc->ok()) {
      row.grpc = GrpcWord(**answers.grpc);
      if (**answers.grpc != rpc::HealthStatus::kServing) {
        row.ok = false;
        AddDetail(row.detail, "gRPC " + answers.grpc_target + ": " + row.grpc);
      }
    } else {
      row.grpc = "unreachable";
      row.ok = false;
      AddDetail(row.detail,
                "gRPC " + answers.grpc_target + ": " + answers.grpc->error().ToString());
    }
  }
  if (!answers.healthz && !answers.readyz && !answers.grpc) {
    row.ok = false;
    row.detail = "no address configured";
  }
  return row;
}

Table HealthTable(const std::vector<HealthRow>& rows) {
  Table table({{"service", "SERVICE", 16},
               {"live", "LIVE", 4},
               {"ready", "READY", 5},
               {"grpc", "GRPC", 15},
               {"detail", "DETAIL", 100}});
  for (const auto& row : rows) {
    table.AddRow({row.service, row.live, row.ready, row.grpc, TextOrNull(row.detail)});
  }
  return table;
}

nlohmann::json HealthJson(const std::vector<HealthRow>& rows) {
  auto out = nlohmann::json::array();
  for (const auto& row : rows) {
    out.push_back({{"service", row.service},
                   {"live", row.live},
                   {"ready", row.ready},
                   {"grpc", row.grpc},
                   {"ok", row.ok},
                   {"detail", row.detail}});
  }
  return out;
}

}  // namespace gridcare::ops
