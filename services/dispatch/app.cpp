#include "app.h"

#include "console/console_assets.h"
#include "gridcare/config/install_paths.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/rpc/client.h"
#include "gridcare/service/config_file.h"

namespace gridcare::dispatch {
const service::ServiceSpec kSpec{
    "dispatch",
    "GridCare dispatch service: correlates fault tickets and smart-meter last gasps into "
    "transformer and feeder incidents, honours planned outages, assigns repair crews, keeps "
    "the arrival and restoration clocks (reminders, overdue ladder), follows crew reports to "
    "restoration and serves the dispatch console (DispatchConsoleService over gRPC and a web "
    "console over HTTP). Runs as a single instance: correlation needs every call of a feeder.",
    {.kafka = true, .redis = true, .grpc_server = true, .profile_client = true}};

Settings::Settings() : standards_path(config::InstalledConfigPath("sla/service-standards.json")) {}

core::Result<DispatchSettings> LoadDispatchSettings(const Settings& settings) {
  DispatchSettings loaded;
  auto standards = service::LoadConfigFile("service-standards", settings.standards_path,
                                           sla::ServiceStandards::FromJson);
  if (!standards) return standards.error();
  loaded.standards = *standards;
  auto correlation =
      service::LoadOptionalConfigFile("correlation-rules", settings.correlation_path,
                                      CorrelationSettings{}, CorrelationSettings::FromJson);
  if (!correlation) return correlation.error();
  loaded.correlation = *correlation;
  return loaded;
}

App::App(service::Kit& kit, const Settings& settings, const DispatchSettings& dispatch)
    : topology_(rpc::MakeChannel(kit.settings().profile_service_target), settings.profile_deadline),
      crews_(rpc::MakeChannel(settings.crew_target), settings.crew_deadline),
      store_(kit.redis()),
      metrics_(kit.registry()),
      dispatcher_(store_, kit.producer(), topology_, kit.clock(), dispatch, &metrics_),
      console_grpc_(dispatcher_),
      console_http_(dispatcher_, kit.clock(), web::LookupIn(FindConsoleAsset)),
      intake_handler_(dispatcher_),
      crew_handler_(dispatcher_) {
  kit.AddGrpcService(&console_grpc_);
  kit.AddServer(
      {"web console",
       [this, address = settings.console_address] { return console_http_.Start(address); },
       [this] { console_http_.Stop(); }});
  router_.Route(kafka::kIntakeTopic, intake_handler_).Route(kafka::kCrewTopic, crew_handler_);
  // No generic idempotency guard: every input's outbox, keyed by its event id, already makes a
  // redelivery republish the same events and change nothing.
  kit.AddConsumer(router_, {.deduplicate = false,
                            .max_handler_batch = static_cast<size_t>(settings.ticket_batch)});
  kit.AddReadinessCheck("dispatch_state", [this] { return dispatcher_.recovered(); });
  kit.AddPeriodic({"dispatch-tick", settings.tick_interval, [this]() -> core::Status {
                     auto published = dispatcher_.Tick();
                     if (!published) return published.error();
                     return core::Status::Ok();
                   }});
  kit.AddPeriodic({"roster-refresh", settings.roster_refresh, [this]() -> core::Status {
                     auto roster = crews_.ListCrews();
                     if (!roster) return roster.error();
                     dispatcher_.UpdateRoster(*roster);
                     return core::Status::Ok();
                   }});
}

core::Status App::Start() {
  if (auto status = dispatcher_.Recover(); !status) {
    return core::Unavailable("cannot load the dispatch state from Redis: " +
                             status.error().ToString());
  }
  if (auto roster = crews_.ListCrews()) {
    dispatcher_.UpdateRoster(*roster);
    logging::Info("roster loaded", {{"crews", std::to_string(roster->size())}});
  } else {
    logging::Warn("roster not available yet; jobs queue until it is",
                  {{"error", roster.error().ToString()}});
  }
  return core::Status::Ok();
}

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings) {
  auto dispatch = LoadDispatchSettings(settings);
  if (!dispatch) return dispatch.error();
  auto app = std::make_unique<App>(kit, settings, *dispatch);
  if (auto started = app->Start(); !started) return started.error();
  return app;
}

}  // namespace gridcare::dispatch
