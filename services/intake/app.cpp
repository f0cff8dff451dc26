#include "app.h"

#include "gridcare/config/install_paths.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "gridcare/service/config_file.h"

namespace gridcare::intake {

const service::ServiceSpec kSpec{
    "intake",
    "GridCare intake service: one front door for every channel. Validates, de-duplicates, "
    "identifies (profile service), classifies, answers consultations from the knowledge base, "
    "attaches urgings and repeats to open tickets, sets priority and service-time clocks, and "
    "publishes the intake events; serves IntakeService (Submit, Track) over gRPC.",
    {.kafka = true, .redis = true, .grpc_server = true, .profile_client = true}};

Settings::Settings()
    : classifier_path(config::InstalledConfigPath("intake/classifier.json")),
      knowledge_path(config::InstalledConfigPath("intake/knowledge_base.json")),
      calendar_path(config::InstalledConfigPath("sla/calendar-cn-2026.json")),
      standards_path(config::InstalledConfigPath("sla/service-standards.json")) {}

core::Result<Configuration> LoadConfiguration(const Settings& settings) {
  using service::LoadConfigFile;
  using service::LoadOptionalConfigFile;
  auto classifier =
      LoadConfigFile("classifier-rules", settings.classifier_path,
                     [](std::string_view json) { return Classifier::FromJson(json); });
  if (!classifier) return classifier.error();
  auto knowledge =
      LoadConfigFile("knowledge-base", settings.knowledge_path,
                     [](std::string_view json) { return KnowledgeBase::FromJson(json); });
  if (!knowledge) return knowledge.error();
  auto calendar = LoadWorkingCalendar(settings.calendar_path);
  if (!calendar) {
    return service::ConfigFileError("working-calendar", settings.calendar_path, calendar.error());
  }
  auto standards =
      LoadConfigFile("service-standards", settings.standards_path, sla::ServiceStandards::FromJson);
  if (!standards) return standards.error();
  auto urging = LoadOptionalConfigFile("urging-rules", settings.urging_path, UrgingRules{},
                                       UrgingRules::FromJson);
  if (!urging) return urging.error();
  auto priority = LoadOptionalConfigFile("priority-rules", settings.priority_path, PriorityRules{},
                                         PriorityRules::FromJson);
  if (!priority) return priority.error();
  IntakeRules rules;
  rules.standards = *standards;
  rules.urging = *urging;
  rules.priority = *priority;
  return Configuration{std::move(*classifier), std::move(*knowledge), std::move(*calendar),
                       std::move(rules)};
}

App::App(service::Kit& kit, const Settings& settings, Configuration configuration)
    : configuration_(std::move(configuration)),
      calendar_(configuration_.calendar),
      profiles_(rpc::MakeChannel(kit.settings().profile_service_target), settings.profile_deadline),
      store_(kit.redis()),
      calendar_reloader_({settings.calendar_path, settings.calendar_poll}, calendar_, store_,
                         kit.producer(), kit.registry(), kit.clock()),
      core_(profiles_, store_, kit.producer(), configuration_.classifier, configuration_.knowledge,
            calendar_, configuration_.rules, kit.clock()),
      metrics_(kit.registry()),
      grpc_service_(core_, kit.producer(), &metrics_),
      timeline_(store_, kit.producer(), kit.clock()) {
  kit.AddGrpcService(&grpc_service_);
  // Official notices loaded without a restart: file changes and SIGHUP (docs/operations.md).
  kit.AddPeriodic({"calendar-reload", settings.calendar_poll,
                   [this] {
                     calendar_reloader_.Poll();
                     return core::Status::Ok();
                   },
                   /*run_at_start=*/true});
  for (int i = 0; i < settings.consumers; ++i) {
    batchers_.push_back(std::make_unique<RequestBatcher>(
        profiles_, store_, kit.producer(), configuration_.classifier, configuration_.knowledge,
        calendar_, configuration_.rules, kit.clock()));
    handlers_.push_back(
        std::make_unique<IntakeMessageHandler>(*batchers_.back(), timeline_, &metrics_));
    // No generic idempotency guard: requests are de-duplicated by request id (IntakeCore reserves
    // each one) and timeline steps by the downstream event id, so the guard would only add two
    // Redis round trips per message.
    kit.AddConsumer({std::string(kafka::kRequestsTopic), std::string(kafka::kDispatchTopic),
                     std::string(kafka::kComplaintTopic), std::string(kafka::kNotificationTopic)},
                    *handlers_.back(), /*deduplicate=*/false,
                    [batch = settings.request_batch](kafka::ConsumerSettings& consumer) {
                      consumer.max_handler_batch = static_cast<size_t>(batch);
                    });
  }
}

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings) {
  auto configuration = LoadConfiguration(settings);
  if (!configuration) return configuration.error();
  return std::make_unique<App>(kit, settings, std::move(*configuration));
}

}  // namespace gridcare::intake
