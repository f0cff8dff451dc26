#include "app.h"

#include "gridcare/config/install_paths.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/service/config_file.h"
#include "gridcare/service/working_calendar_files.h"

namespace gridcare::complaint {

const service::ServiceSpec kSpec{
    "complaint",
    "GridCare complaint service: complaint, report, opinion, suggestion and praise cases (and "
    "consultations intake could not answer). Routes each case to its owning department from "
    "intake's tickets, keeps the contact and reply clocks in working days with reminders and the "
    "supervision ladder (督办), coordinates departments, records the reply with its root cause and "
    "the return visit (回访), reopens on dissatisfaction; serves the department desk "
    "(ComplaintService over gRPC) and publishes every step on gridcare.complaint.v1.",
    {.kafka = true, .redis = true, .grpc_server = true}};

Settings::Settings()
    : departments_path(config::InstalledConfigPath("complaint/departments.json")),
      routing_path(config::InstalledConfigPath("complaint/routing-rules.json")),
      policy_path(config::InstalledConfigPath("complaint/complaint-policy.json")),
      standards_path(config::InstalledConfigPath("sla/service-standards.json")),
      calendar_path(config::InstalledConfigPath("sla/calendar-cn-2026.json")) {}

core::Result<std::unique_ptr<Configuration>> LoadConfiguration(const Settings& settings) {
  using service::LoadConfigFile;
  auto directory =
      LoadConfigFile("departments", settings.departments_path, DepartmentDirectory::FromJson);
  if (!directory) return directory.error();
  auto policy = LoadConfigFile("complaint-policy", settings.policy_path, ComplaintPolicy::FromJson);
  if (!policy) return policy.error();
  auto standards =
      LoadConfigFile("service-standards", settings.standards_path, sla::ServiceStandards::FromJson);
  if (!standards) return standards.error();
  auto calendar = service::LoadWorkingCalendar(settings.calendar_path);
  if (!calendar) {
    return service::ConfigFileError("working-calendar", settings.calendar_path, calendar.error());
  }
  // The router keeps a pointer to the directory: both live in one Configuration on the heap.
  auto configuration = std::unique_ptr<Configuration>(new Configuration{
      std::move(*directory), std::nullopt, std::move(*policy), *standards, std::move(*calendar)});
  auto router = LoadConfigFile("routing-rules", settings.routing_path, [&](std::string_view json) {
    return CaseRouter::FromJson(json, configuration->directory);
  });
  if (!router) return router.error();
  configuration->router.emplace(std::move(*router));
  return configuration;
}

App::App(service::Kit& kit, const Settings& settings, std::unique_ptr<Configuration> configuration)
    : configuration_(std::move(configuration)),
      clock_(kit.clock(), settings.clock_speed),
      store_(kit.redis()),
      incidents_(kit.redis()),
      metrics_(kit.registry(),
               [this] {
                 std::vector<std::string> ids;
                 for (const auto& d : configuration_->directory.departments()) ids.push_back(d.id);
                 return ids;
               }()),
      rules_({&configuration_->policy, &configuration_->directory, &*configuration_->router,
              &configuration_->standards, settings.clock_speed != 1.0}),
      desk_(store_, kit.producer(), clock_, configuration_->calendar, rules_, &metrics_),
      grpc_service_(desk_, rules_),
      intake_handler_(desk_, incidents_),
      dispatch_handler_(incidents_) {
  kit.stage_metrics().PreInitialise(
      {std::string(kafka::kIntakeTopic), std::string(kafka::kDispatchTopic)},
      {std::string(kafka::kComplaintTopic)});
  router_.On<v1::IntakeEvent>(
      kafka::kIntakeTopic, [this](const v1::IntakeEvent& event, const kafka::ConsumedMessage& m) {
        return intake_handler_.Apply(event, m);
      });
  router_.On<v1::DispatchEvent>(kafka::kDispatchTopic, [this](const v1::DispatchEvent& event,
                                                              const kafka::ConsumedMessage& m) {
    return dispatch_handler_.Apply(event, m);
  });
  // Handlers are idempotent by themselves (case ids from ticket ids, applied-input memory).
  kit.AddConsumer(router_, {.deduplicate = false});
  kit.AddGrpcService(&grpc_service_);
  kit.AddPeriodic({"case-clocks", settings.tick_interval, [this]() -> core::Status {
                     auto ticked = desk_.TickDue();
                     if (!ticked) return ticked.error();
                     return core::Status::Ok();
                   }});
  kit.AddPeriodic({"event-relay", settings.relay_interval, [this]() -> core::Status {
                     auto relayed = desk_.RelayPending();
                     if (!relayed) return relayed.error();
                     if (*relayed > 0)
                       logging::Info("relayed saved case events", {{"outboxes", *relayed}});
                     return core::Status::Ok();
                   }});
  kit.AddPeriodic({"open-case-gauges", settings.gauges_interval,
                   [this]() -> core::Status {
                     UpdateGauges();
                     return core::Status::Ok();
                   },
                   /*run_at_start=*/true});
  if (settings.clock_speed != 1.0) {
    logging::Warn("case clocks run faster than real time (--clock-speed): demonstrations only",
                  {{"speed", settings.clock_speed}});
  }
}

void App::UpdateGauges() {
  for (const auto& department : configuration_->directory.departments()) {
    auto page = store_.OpenCases(department.id, 0, 0);
    if (page) metrics_.SetOpenCases(department.id, page->total);
  }
}

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings) {
  if (!(settings.clock_speed >= 1.0 && settings.clock_speed <= 100000.0)) {
    return core::InvalidArgument("--clock-speed must be 1..100000");
  }
  auto configuration = LoadConfiguration(settings);
  if (!configuration) return configuration.error();
  return std::make_unique<App>(kit, settings, std::move(*configuration));
}

}  // namespace gridcare::complaint
