#pragma once

// The analytics service's composition root: main.cpp declares the options and calls Start, which
// runs the service (BuildApp + Kit::Run) or, with --rebuild, the one-shot rebuild (rebuild.h).
// Tests build the same object graph with BuildApp.

#include <chrono>
#include <memory>
#include <string>

#include "analytics_grpc_service.h"
#include "analytics_handler.h"
#include "analytics_metrics.h"
#include "customer_counter.h"
#include "gridcare/kafka/topic_router.h"
#include "gridcare/service/kit.h"
#include "kpi_ledger.h"
#include "redis_analytics_store.h"
#include "surge_detector.h"
#include "surge_monitor.h"
#include "warning_book.h"

namespace gridcare::analytics {

extern const service::ServiceSpec kSpec;

/// analytics' own settings (main.cpp declares them as options).
struct Settings {
  Settings();
  std::string calendar_path;  ///< working calendar files (handling time, holidays)
  std::string store_prefix = "analytics";
  std::chrono::milliseconds detect_interval{60'000};
  std::chrono::milliseconds gauges_interval{15'000};
  int handler_batch = 500;
  // Surge detection (surge_detector.h SurgeSettings).
  int baseline_weeks = 4;
  int min_count = 5;
  double min_ratio = 1.5;
  double dispersion = 0.01;
  // Risk-warning orders (warning_book.h WarningSettings).
  std::chrono::milliseconds acknowledge_within{30 * 60'000};
  std::chrono::milliseconds escalate_every{30 * 60'000};
  std::chrono::milliseconds remonitor_for{72 * 3'600'000};
  std::string responsible_role = "service-dispatch-centre";
  std::chrono::milliseconds profile_deadline{3000};
  // --rebuild.
  bool rebuild = false;
  std::string rebuild_prefix = "analytics-rebuild";
  std::chrono::milliseconds rebuild_timeout{30 * 60'000};
};

struct Configuration {
  std::unique_ptr<sla::WorkingCalendar> calendar;
  SurgeSettings surge;
  WarningSettings warnings;
};

/// The settings checked and the calendar loaded. INVALID_ARGUMENT / NOT_FOUND naming the flag.
core::Result<Configuration> LoadConfiguration(const Settings& settings);

class App {
 public:
  App(service::Kit& kit, const Settings& settings, Configuration configuration);

  SurgeMonitor& monitor() { return monitor_; }

 private:
  core::Status RefreshGauges();

  Configuration configuration_;
  AnalyticsMetrics metrics_;
  RedisAnalyticsStore store_;
  KpiLedger ledger_;
  SurgeDetector detector_;
  WarningBook book_;
  GrpcCustomerCounter customers_;
  SurgeMonitor monitor_;
  AnalyticsGrpcService grpc_;
  AnalyticsEventHandler handler_;
  kafka::TopicRouter router_{"analytics"};
  const core::Clock& clock_;
};

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings);

/// Runs the service until SIGTERM, or the rebuild with --rebuild. Returns the exit code: 0, 2 for
/// bad settings, 1 when a dependency fails; with --rebuild 3 when the rebuilt figures differ.
int Start(service::Kit& kit, const Settings& settings);

}  // namespace gridcare::analytics
