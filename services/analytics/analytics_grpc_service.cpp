#include "analytics_grpc_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "gridcare/rpc/status.h"
#include "kpi_report.h"

namespace gridcare::analytics {
namespace {

grpc::Status Invalid(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

constexpr size_t kMaxAlertId = 128;

}  // namespace

grpc::Status AnalyticsGrpcService::GetKpiReport(grpc::ServerContext*,
                                                const v1::KpiReportRequest* request,
                                                v1::KpiReport* response) {
  auto query = QueryOf(*request, clock_.Now());
  if (!query) return rpc::ToGrpcStatus(query.error());
  auto sums = store_.SumDays(query->first_day, query->last_day, FieldsFor(*query));
  if (!sums) return rpc::ToGrpcStatus(sums.error());
  auto customers = customers_.Count(query->dimension == "district" ? query->value : "");
  if (!customers) return rpc::ToGrpcStatus(customers.error());
  *response = BuildReport(*query, *sums, *customers);
  return grpc::Status::OK;
}

grpc::Status AnalyticsGrpcService::ListActiveAlerts(grpc::ServerContext*,
                                                    const v1::ListActiveAlertsRequest*,
                                                    v1::ListActiveAlertsResponse* response) {
  auto stored = store_.Warnings();
  if (!stored) return rpc::ToGrpcStatus(stored.error());
  std::vector<v1::StoredWarning> active;
  for (const auto& bytes : *stored) {
    v1::StoredWarning warning;
    if (warning.ParseFromString(bytes) && WarningBook::IsActive(warning)) {
      active.push_back(std::move(warning));
    }
  }
  // Newest first.
  std::sort(active.begin(), active.end(), [](const auto& a, const auto& b) {
    return a.raised().raised_at().seconds() > b.raised().raised_at().seconds();
  });
  for (auto& warning : active) {
    *response->add_alerts() = warning.raised();
    *response->add_statuses() = warning.status();
  }
  return grpc::Status::OK;
}

core::Result<v1::StoredWarning> AnalyticsGrpcService::Load(const std::string& alert_id) {
  if (alert_id.empty() || alert_id.size() > kMaxAlertId) {
    return core::InvalidArgument("alert_id: 1.." + std::to_string(kMaxAlertId) + " bytes");
  }
  auto stored = store_.Warning(alert_id);
  if (!stored) return stored.error();
  v1::StoredWarning warning;
  if (!*stored || !warning.ParseFromString(**stored)) {
    return core::NotFound("no risk warning " + alert_id);
  }
  return warning;
}

grpc::Status AnalyticsGrpcService::Step(const v1::StoredWarning& warning,
                                        const core::Result<std::optional<v1::AlertEvent>>& event,
                                        const std::string& step, v1::WarningStatus* response) {
  if (!event) return rpc::ToGrpcStatus(event.error());
  v1::StoredWarning next = warning;
  if (*event) {
    if (auto status = monitor_.Publish(**event, step); !status) {
      return rpc::ToGrpcStatus(status.error());
    }
    if (auto applied = WarningBook::Apply(warning, **event)) next = std::move(*applied);
  }
  *response = next.status();
  return grpc::Status::OK;
}

grpc::Status AnalyticsGrpcService::AcknowledgeWarning(grpc::ServerContext*,
                                                      const v1::AcknowledgeWarningRequest* request,
                                                      v1::WarningStatus* response) {
  auto warning = Load(request->alert_id());
  if (!warning) return rpc::ToGrpcStatus(warning.error());
  return Step(*warning, book_.Acknowledge(*warning, request->by(), clock_.Now()), "acknowledged",
              response);
}

grpc::Status AnalyticsGrpcService::CloseWarning(grpc::ServerContext*,
                                                const v1::CloseWarningRequest* request,
                                                v1::WarningStatus* response) {
  if (request->measure().empty()) return Invalid("measure: say what was done");
  auto warning = Load(request->alert_id());
  if (!warning) return rpc::ToGrpcStatus(warning.error());
  return Step(*warning, book_.Close(*warning, request->by(), request->measure(), clock_.Now()),
              "closed", response);
}

}  // namespace gridcare::analytics
