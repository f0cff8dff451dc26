// dispatch: from "my power is out" to a crew on site. Correlates fault tickets (calls and smart-
// meter last gasps) into incidents on the supply topology, assigns repair crews, keeps the arrival
// and restoration clocks with their reminder and overdue alarms, follows the crews' reports to
// restoration, and serves the dispatch console over gRPC and HTTP.
#include "console/console_assets.h"
#include "console_grpc_service.h"
#include "console_http.h"
#include "dispatcher.h"
#include "event_handlers.h"
#include "gridcare/config/files.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/rpc/client.h"
#include "gridcare/service/kit.h"
#include "grpc_crew_directory.h"
#include "grpc_topology_directory.h"
#include "redis_dispatch_store.h"

namespace {

using gridcare::config::ReadTextFile;
using gridcare::config::SourceTreePath;

/// Routes both consumed topics to their handler, so one consumer loop keeps them in one group.
class TopicRouter final : public gridcare::kafka::MessageHandler {
 public:
  TopicRouter(gridcare::kafka::MessageHandler& intake, gridcare::kafka::MessageHandler& crew)
      : intake_(intake), crew_(crew) {}
  gridcare::kafka::HandleResult Handle(const gridcare::kafka::ConsumedMessage& message) override {
    if (message.topic == gridcare::kafka::kIntakeTopic) return intake_.Handle(message);
    if (message.topic == gridcare::kafka::kCrewTopic) return crew_.Handle(message);
    return gridcare::kafka::HandleResult::DeadLetter("unexpected_topic",
                                                     "dispatch does not consume " + message.topic);
  }

 private:
  gridcare::kafka::MessageHandler& intake_;
  gridcare::kafka::MessageHandler& crew_;
};

}  // namespace

int main(int argc, char** argv) {
  namespace dispatch = gridcare::dispatch;
  gridcare::service::Kit kit(
      {"dispatch",
       "GridCare dispatch service: correlates fault tickets and smart-meter last gasps into "
       "transformer and feeder incidents, honours planned outages, assigns repair crews, keeps "
       "the arrival and restoration clocks (reminders, overdue ladder), follows crew reports to "
       "restoration and serves the dispatch console (DispatchConsoleService over gRPC and a web "
       "console over HTTP). Runs as a single instance: correlation needs every call of a feeder.",
       {.kafka = true, .redis = true, .grpc_server = true, .profile_client = true}});
  std::string correlation_path;
  std::string standards_path = SourceTreePath("libs/sla/config/service-standards.json");
  std::string crew_target;
  std::string console_address = "127.0.0.1:8088";
  std::chrono::milliseconds profile_deadline{1000};
  std::chrono::milliseconds crew_deadline{3000};
  std::chrono::milliseconds tick_interval{2000};
  std::chrono::milliseconds roster_refresh{15'000};
  kit.options().Add("correlation-rules", correlation_path,
                    "Correlation thresholds (JSON, see docs/services/dispatch-correlation.md); "
                    "empty = defaults");
  kit.options().Add("service-standards", standards_path, "Service-time standards (JSON)");
  kit.options()
      .Add("crew-service-target", crew_target, "gRPC target of the repair-crew service (roster)")
      .HostPort()
      .Required();
  kit.options()
      .Add("console-listen-address", console_address,
           "Where the web console (HTTP) listens; port 0 picks a free one")
      .HostPort(true);
  kit.options().Add("profile-deadline", profile_deadline, "Deadline of each profile lookup");
  kit.options().Add("crew-deadline", crew_deadline, "Deadline of each roster request");
  kit.options().Add("tick-interval", tick_interval,
                    "How often clocks, queued jobs and crew reassignment are checked");
  kit.options().Add("roster-refresh", roster_refresh,
                    "How often the roster is fetched from the repair-crew service");
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;

  auto fail = [](const std::string& what, const gridcare::core::Error& error) {
    gridcare::logging::Error("cannot load " + what + "; fix the file or its flag",
                             {{"error", error.ToString()}});
    return 2;
  };
  dispatch::DispatchSettings settings;
  auto standards_text = ReadTextFile(standards_path);
  if (!standards_text) return fail("--service-standards", standards_text.error());
  auto standards = gridcare::sla::ServiceStandards::FromJson(*standards_text);
  if (!standards) return fail("--service-standards", standards.error());
  settings.standards = *standards;
  if (!correlation_path.empty()) {
    auto text = ReadTextFile(correlation_path);
    if (!text) return fail("--correlation-rules", text.error());
    auto rules = dispatch::CorrelationSettings::FromJson(*text);
    if (!rules) return fail("--correlation-rules", rules.error());
    settings.correlation = *rules;
  }

  dispatch::GrpcTopologyDirectory topology(
      gridcare::rpc::MakeChannel(kit.settings().profile_service_target), profile_deadline);
  dispatch::GrpcCrewDirectory crews(gridcare::rpc::MakeChannel(crew_target), crew_deadline);
  dispatch::RedisDispatchStore store(kit.redis());
  dispatch::DispatchMetrics metrics(kit.registry());
  dispatch::Dispatcher dispatcher(store, kit.producer(), topology, kit.clock(), settings, &metrics);
  if (auto status = dispatcher.Recover(); !status) {
    gridcare::logging::Error("cannot load the dispatch state from Redis",
                             {{"error", status.error().ToString()}});
    return 1;
  }
  if (auto roster = crews.ListCrews()) {
    dispatcher.UpdateRoster(*roster);
    gridcare::logging::Info("roster loaded", {{"crews", std::to_string(roster->size())}});
  } else {
    gridcare::logging::Warn("roster not available yet; jobs queue until it is",
                            {{"error", roster.error().ToString()}});
  }

  dispatch::ConsoleGrpcService console_grpc(dispatcher);
  kit.AddGrpcService(&console_grpc);
  dispatch::ConsoleHttpServer console_http(
      dispatcher, kit.clock(),
      [](std::string_view path) -> std::optional<dispatch::StaticAsset> {
        const auto* asset = dispatch::FindConsoleAsset(path);
        if (!asset) return std::nullopt;
        return dispatch::StaticAsset{asset->content_type, asset->body};
      });
  if (auto status = console_http.Start(console_address); !status) {
    gridcare::logging::Error("cannot start the web console", {{"error", status.error().ToString()}});
    return 1;
  }

  dispatch::IntakeEventHandler intake_handler(dispatcher);
  dispatch::CrewEventHandler crew_handler(dispatcher);
  TopicRouter router(intake_handler, crew_handler);
  // No generic idempotency guard: every input's outbox, keyed by its event id, already makes a
  // redelivery republish the same events and change nothing.
  kit.AddConsumer({std::string(gridcare::kafka::kIntakeTopic),
                   std::string(gridcare::kafka::kCrewTopic)},
                  router, /*deduplicate=*/false);
  kit.AddReadinessCheck("dispatch_state", [&dispatcher] { return dispatcher.recovered(); });
  kit.AddWorker("dispatch-tick", [&](gridcare::core::ShutdownSignal& stopping) {
    while (!stopping.WaitFor(tick_interval)) {
      if (auto published = dispatcher.Tick(); !published) {
        gridcare::logging::Warn("dispatch tick failed; retrying next tick",
                                {{"error", published.error().ToString()}});
      }
    }
  });
  kit.AddWorker("roster-refresh", [&](gridcare::core::ShutdownSignal& stopping) {
    while (!stopping.WaitFor(roster_refresh)) {
      if (auto roster = crews.ListCrews()) {
        dispatcher.UpdateRoster(*roster);
      } else {
        gridcare::logging::Warn("cannot refresh the roster from the repair-crew service",
                                {{"error", roster.error().ToString()}});
      }
    }
  });
  const int exit_code = kit.Run();
  console_http.Stop();
  return exit_code;
}
