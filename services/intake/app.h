#pragma once

// The intake service's composition root: main.cpp declares the options and calls BuildApp; tests
// build the same object graph with it.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "calendar_reload.h"
#include "classifier.h"
#include "gridcare/service/kit.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/live_calendar.h"
#include "grpc_profile_directory.h"
#include "intake_core.h"
#include "intake_grpc_service.h"
#include "knowledge_base.h"
#include "redis_ticket_store.h"
#include "request_batch.h"
#include "request_handler.h"
#include "timeline_handler.h"

namespace gridcare::intake {

extern const service::ServiceSpec kSpec;

/// Intake's own settings (main.cpp declares them as options). Configuration files default to the
/// installed copies (config::InstalledConfigPath).
struct Settings {
  Settings();
  std::string classifier_path;
  std::string knowledge_path;
  std::string calendar_path;  // files and directories, comma-separated (calendar_reload.h)
  std::chrono::milliseconds calendar_poll{std::chrono::seconds(10)};
  std::string standards_path;
  std::string urging_path;    // empty: built-in defaults
  std::string priority_path;  // empty: built-in defaults
  std::chrono::milliseconds profile_deadline{1000};
  int consumers = 4;
  int request_batch = 50;
};

/// What intake's configuration files hold, loaded and checked.
struct Configuration {
  Classifier classifier;
  KnowledgeBase knowledge;
  sla::WorkingCalendar calendar;
  IntakeRules rules;
};

/// Loads every configuration file the settings name. INVALID_ARGUMENT naming the flag and the file
/// when one cannot be read or is wrong.
core::Result<Configuration> LoadConfiguration(const Settings& settings);

/// Intake's objects; registered with the kit, alive until the kit has stopped.
class App {
 public:
  App(service::Kit& kit, const Settings& settings, Configuration configuration);

 private:
  Configuration configuration_;
  sla::LiveCalendar calendar_;  // configuration_.calendar until a reload replaces it
  GrpcProfileDirectory profiles_;
  RedisTicketStore store_;
  CalendarReloader calendar_reloader_;
  IntakeCore core_;
  IntakeMetrics metrics_;
  IntakeGrpcService grpc_service_;
  TimelineHandler timeline_;
  // Each consumer loop decides its batches through its own RequestBatcher (they hold per-batch
  // state); the stores, clients and rules underneath are shared.
  std::vector<std::unique_ptr<RequestBatcher>> batchers_;
  std::vector<std::unique_ptr<IntakeMessageHandler>> handlers_;
};

/// Loads the configuration, builds the App and registers it with `kit` (after kit.Init).
core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings);

}  // namespace gridcare::intake
