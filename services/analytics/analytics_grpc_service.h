#pragma once

// AnalyticsService over gRPC: KPI reports for any period (one dimension at a time), the warnings
// in progress, and the supervisor's steps on a warning (acknowledge, close with the measure).
// Steps are published on gridcare.alert.v1 (SurgeMonitor::Publish) and the answer is the state
// they lead to; the stored state follows when analytics' consumer applies them.

#include "analytics_store.h"
#include "customer_counter.h"
#include "gridcare/core/clock.h"
#include "gridcare/v1/alert.grpc.pb.h"
#include "surge_monitor.h"
#include "warning_book.h"

namespace gridcare::analytics {

class AnalyticsGrpcService final : public v1::AnalyticsService::Service {
 public:
  /// Every reference must outlive the service. Thread-safe.
  AnalyticsGrpcService(AnalyticsStore& store, CustomerCounter& customers, const WarningBook& book,
                       SurgeMonitor& monitor, const core::Clock& clock)
      : store_(store), customers_(customers), book_(book), monitor_(monitor), clock_(clock) {}

  grpc::Status GetKpiReport(grpc::ServerContext* context, const v1::KpiReportRequest* request,
                            v1::KpiReport* response) override;
  grpc::Status ListActiveAlerts(grpc::ServerContext* context,
                                const v1::ListActiveAlertsRequest* request,
                                v1::ListActiveAlertsResponse* response) override;
  grpc::Status AcknowledgeWarning(grpc::ServerContext* context,
                                  const v1::AcknowledgeWarningRequest* request,
                                  v1::WarningStatus* response) override;
  grpc::Status CloseWarning(grpc::ServerContext* context, const v1::CloseWarningRequest* request,
                            v1::WarningStatus* response) override;

 private:
  core::Result<v1::StoredWarning> Load(const std::string& alert_id);
  /// Publishes `event` (when there is one) and answers with the state it leads to.
  grpc::Status Step(const v1::StoredWarning& warning,
                    const core::Result<std::optional<v1::AlertEvent>>& event,
                    const std::string& step, v1::WarningStatus* response);

  AnalyticsStore& store_;
  CustomerCounter& customers_;
  const WarningBook& book_;
  SurgeMonitor& monitor_;
  const core::Clock& clock_;
};

}  // namespace gridcare::analytics
