#pragma once

// The dispatch service's composition root: main.cpp declares the options and calls BuildApp; tests
// build the same object graph with it.

#include <chrono>
#include <memory>
#include <string>

#include "console_grpc_service.h"
#include "console_http.h"
#include "dispatch_metrics.h"
#include "dispatcher.h"
#include "event_handlers.h"
#include "gridcare/kafka/topic_router.h"
#include "gridcare/service/kit.h"
#include "grpc_crew_directory.h"
#include "grpc_topology_directory.h"
#include "redis_dispatch_store.h"

namespace gridcare::dispatch {

extern const service::ServiceSpec kSpec;

/// Dispatch's own settings (main.cpp declares them as options). The service standards default to
/// the installed copy (config::InstalledConfigPath).
struct Settings {
  Settings();
  std::string correlation_path;  // empty: built-in correlation thresholds
  std::string standards_path;
  std::string crew_target;
  std::string console_address = "127.0.0.1:8088";
  std::chrono::milliseconds profile_deadline{1000};
  std::chrono::milliseconds crew_deadline{3000};
  std::chrono::milliseconds tick_interval{2000};
  std::chrono::milliseconds roster_refresh{15'000};
  int ticket_batch = 500;  // intake tickets decided together (OnTicketsOpened); 1: one at a time
};

/// Loads the files the settings name into DispatchSettings. INVALID_ARGUMENT naming the flag and
/// the file when one cannot be read or is wrong.
core::Result<DispatchSettings> LoadDispatchSettings(const Settings& settings);

/// Dispatch's objects; registered with the kit, alive until the kit has stopped.
class App {
 public:
  App(service::Kit& kit, const Settings& settings, const DispatchSettings& dispatch);
  /// Loads the state from Redis and the roster (a missing roster only queues jobs until it comes).
  core::Status Start();

 private:
  GrpcTopologyDirectory topology_;
  GrpcCrewDirectory crews_;
  RedisDispatchStore store_;
  DispatchMetrics metrics_;
  Dispatcher dispatcher_;
  ConsoleGrpcService console_grpc_;
  ConsoleHttpServer console_http_;
  IntakeEventHandler intake_handler_;
  CrewEventHandler crew_handler_;
  kafka::TopicRouter router_{"dispatch"};
};

/// Loads the settings' files, builds the App, recovers its state and registers it with `kit`
/// (after kit.Init).
core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings);

}  // namespace gridcare::dispatch
