#pragma once

// The repair-crew service's composition root: main.cpp declares the options and calls BuildApp;
// tests build the same object graph with it.

#include <chrono>
#include <cstdint>
#include <memory>

#include "acked_publisher.h"
#include "crew_core.h"
#include "crew_grpc_service.h"
#include "crew_metrics.h"
#include "dispatch_handler.h"
#include "gridcare/service/kit.h"
#include "redis_crew_store.h"

namespace gridcare::repair_crew {

extern const service::ServiceSpec kSpec;

/// repair-crew's own settings (main.cpp declares them as options).
struct Settings {
  int64_t roster_seed = 42;
  int64_t roster_customers = 2000;
  CrewCoreSettings core;
  /// The dispatch consumer's settings: max_jobs_per_crew (checked by BuildApp).
  DispatchHandlerSettings dispatch;
  std::chrono::milliseconds relay_interval{2000};
  std::chrono::seconds fleet_metrics_interval{15};
  std::chrono::seconds finished_job_retention{std::chrono::hours(24 * 7)};
  std::chrono::seconds seed_patience{60};
};

/// repair-crew's objects; registered with the kit, alive until the kit has stopped.
class App {
 public:
  App(service::Kit& kit, const Settings& settings, const std::vector<v1::Crew>& initial);
  /// Writes the roster's new crews to Redis (crews already stored keep their live state), trying
  /// for up to `patience` because Redis may come up after us.
  core::Status SeedRoster(const std::vector<v1::Crew>& initial, std::chrono::seconds patience,
                          const core::ShutdownSignal& shutdown);

 private:
  RedisCrewStore store_;
  CrewMetrics metrics_;
  KafkaAckedPublisher publisher_;
  CrewCore core_;
  CrewGrpcService grpc_service_;
  DispatchHandler dispatch_;
};

/// Builds the roster from the synthetic utility, seeds it, builds the App and registers it with
/// `kit` (after kit.Init).
core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings);

}  // namespace gridcare::repair_crew
