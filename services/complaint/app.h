#pragma once

// The complaint service's composition root: main.cpp declares the options and calls BuildApp;
// tests build the same object graph with it.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "case_desk.h"
#include "case_router.h"
#include "case_rules.h"
#include "complaint_grpc_service.h"
#include "complaint_metrics.h"
#include "complaint_policy.h"
#include "department_directory.h"
#include "desk_http.h"
#include "event_handlers.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/topic_router.h"
#include "gridcare/service/kit.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/standards.h"
#include "redis_case_store.h"
#include "redis_incident_index.h"

namespace gridcare::complaint {

extern const service::ServiceSpec kSpec;

/// complaint's own settings (main.cpp declares them as options). Config files default to the
/// installed copies (config::InstalledConfigPath).
struct Settings {
  Settings();
  std::string departments_path;
  std::string routing_path;
  std::string policy_path;
  std::string standards_path;
  std::string calendar_path;  // files and directories, comma-separated
  std::chrono::milliseconds tick_interval{1000};
  std::chrono::milliseconds relay_interval{2000};
  std::chrono::seconds gauges_interval{15};
  /// > 1 runs the case clocks faster than real time (demonstrations only).
  double clock_speed = 1.0;
  /// RFC 3339; empty: the moment the service starts (see core::ScaledClock).
  std::string clock_origin;
  /// Where the department desk (web page and JSON API over HTTP) listens; port 0 picks one.
  std::string desk_address = "127.0.0.1:8090";
};

/// What the settings' files hold.
struct Configuration {
  DepartmentDirectory directory;
  std::optional<CaseRouter> router;  ///< set right after the directory it points into
  ComplaintPolicy policy;
  sla::ServiceStandards standards;
  sla::WorkingCalendar calendar;          ///< the company's
  std::optional<CalendarBook> calendars;  ///< the company's with each department's local days
};

/// Loads the files the settings name. INVALID_ARGUMENT or NOT_FOUND naming the flag and the file.
core::Result<std::unique_ptr<Configuration>> LoadConfiguration(const Settings& settings);

/// complaint's objects; registered with the kit, alive until the kit has stopped.
class App {
 public:
  App(service::Kit& kit, const Settings& settings, std::unique_ptr<Configuration> configuration,
      core::TimePoint clock_origin);

 private:
  void UpdateGauges();

  std::unique_ptr<Configuration> configuration_;
  core::ScaledClock clock_;
  RedisCaseStore store_;
  RedisIncidentIndex incidents_;
  ComplaintMetrics metrics_;
  CaseRules rules_;
  CaseDesk desk_;
  ComplaintGrpcService grpc_service_;
  DeskHttpServer desk_http_;
  IntakeEventHandler intake_handler_;
  DispatchEventHandler dispatch_handler_;
  CrewEventHandler crew_handler_;
  kafka::TopicRouter router_{"complaint"};
};

/// Loads the settings' files, builds the App and registers it with `kit` (after kit.Init).
core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings);

}  // namespace gridcare::complaint
