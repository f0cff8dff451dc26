#pragma once

// The profile service's composition root: main.cpp declares the options and calls BuildApp; tests
// build the same object graph with it.

#include <memory>

#include "gridcare/service/kit.h"
#include "history_handler.h"
#include "history_rules.h"
#include "profile_grpc_service.h"
#include "redis_profile_store.h"

namespace gridcare::profile {

extern const service::ServiceSpec kSpec;

/// The profile service's own settings (main.cpp declares them as options).
struct Settings {
  HistoryRules rules;
  int complaint_window_days = 30;
};

/// The profile service's objects; registered with the kit, alive until the kit has stopped.
class App {
 public:
  App(service::Kit& kit, const Settings& settings);

 private:
  RedisProfileStore store_;
  ProfileGrpcService grpc_service_;
  HistoryHandler history_;
};

/// Builds the App and registers its gRPC service and consumer with `kit` (after kit.Init).
core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings);

}  // namespace gridcare::profile
