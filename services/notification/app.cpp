#include "app.h"

#include "gridcare/config/files.h"
#include "gridcare/config/install_paths.h"
#include "gridcare/config/values.h"
#include "gridcare/core/host_port.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/rpc/client.h"
#include "gridcare/service/config_file.h"

namespace gridcare::notification {

const service::ServiceSpec kSpec{
    "notification",
    "GridCare notification service: tells customers and staff what is happening. Turns intake's "
    "tickets, dispatch's incidents (every customer of the affected transformer areas or feeder, "
    "from the profile) and planned outages, complaint's case steps and analytics' risk warnings "
    "into notices rendered from zh-CN / en templates; keeps quiet hours, the per-recipient "
    "throttle and ETR margins; sends through the providers (SMS, WeChat, app push, voice, work "
    "messenger, e-mail) with pacing, retries and channel fallback; receives delivery reports; "
    "publishes every step on gridcare.notification.v1.",
    {.kafka = true, .redis = true, .profile_client = true}};

Settings::Settings()
    : templates_path(config::InstalledConfigPath("notification/templates.json")),
      triggers_path(config::InstalledConfigPath("notification/triggers.json")),
      policy_path(config::InstalledConfigPath("notification/delivery-policy.json")),
      staff_path(config::InstalledConfigPath("notification/staff-contacts.json")) {}

core::Result<std::unique_ptr<Configuration>> LoadConfiguration(const Settings& settings) {
  using service::LoadConfigFile;
  auto templates = LoadConfigFile("templates", settings.templates_path, TemplateCatalogue::Parse);
  if (!templates) return templates.error();
  auto policy = LoadConfigFile("delivery-policy", settings.policy_path, DeliveryPolicy::FromJson);
  if (!policy) return policy.error();
  auto staff = LoadConfigFile("staff-contacts", settings.staff_path, StaffDirectory::FromJson);
  if (!staff) return staff.error();
  auto configuration = std::make_unique<Configuration>(
      Configuration{std::move(*templates), std::move(*policy), std::move(*staff), std::nullopt});
  auto triggers = LoadConfigFile("triggers", settings.triggers_path, [&](std::string_view json) {
    return TriggerRules::FromJson(json, configuration->templates);
  });
  if (!triggers) return triggers.error();
  configuration->triggers.emplace(std::move(*triggers));
  return configuration;
}

App::App(service::Kit& kit, const Settings& settings, std::unique_ptr<Configuration> configuration,
         std::unique_ptr<MessageGateway> gateway)
    : configuration_(std::move(configuration)),
      store_(kit.redis()),
      customers_(rpc::MakeChannel(kit.settings().profile_service_target), settings.profile_deadline,
                 settings.profile_stream_deadline),
      metrics_(kit.registry()),
      planner_(configuration_->templates, configuration_->policy),
      gateway_(std::move(gateway)),
      fan_out_(store_, customers_, configuration_->staff, planner_, kit.producer(), kit.clock(),
               configuration_->policy.throttle, &metrics_),
      sender_(store_, *gateway_, kit.producer(), kit.clock(), configuration_->policy,
              {.batch = settings.send_batch, .lease = settings.send_lease}, &metrics_),
      replies_(store_, kit.producer(), kit.clock(), &metrics_),
      http_(sender_, replies_, store_),
      handler_(*configuration_->triggers, fan_out_, store_, kit.clock()) {
  kit.stage_metrics().PreInitialise(
      {std::string(kafka::kRequestsTopic), std::string(kafka::kIntakeTopic),
       std::string(kafka::kDispatchTopic), std::string(kafka::kComplaintTopic),
       std::string(kafka::kAlertTopic)},
      {std::string(kafka::kNotificationTopic)});
  router_.On<v1::RequestEvent>(kafka::kRequestsTopic,
                               [this](const v1::RequestEvent& e, const kafka::ConsumedMessage& m) {
                                 return handler_.Request(e, m);
                               });
  router_.On<v1::IntakeEvent>(kafka::kIntakeTopic,
                              [this](const v1::IntakeEvent& e, const kafka::ConsumedMessage& m) {
                                return handler_.Intake(e, m);
                              });
  router_.On<v1::DispatchEvent>(
      kafka::kDispatchTopic, [this](const v1::DispatchEvent& e, const kafka::ConsumedMessage& m) {
        return handler_.Dispatch(e, m);
      });
  router_.On<v1::ComplaintEvent>(
      kafka::kComplaintTopic, [this](const v1::ComplaintEvent& e, const kafka::ConsumedMessage& m) {
        return handler_.Complaint(e, m);
      });
  router_.On<v1::AlertEvent>(kafka::kAlertTopic,
                             [this](const v1::AlertEvent& e, const kafka::ConsumedMessage& m) {
                               return handler_.Alert(e, m);
                             });
  // Handlers are idempotent by themselves (notification ids).
  kit.AddConsumer(router_, {.deduplicate = false});
  kit.AddServer({"notification callbacks",
                 [this, address = settings.http_address] { return http_.Start(address); },
                 [this] { http_.Stop(); }});
  // Each loop claims its own notices (ClaimDue is atomic), so while one flushes and saves a
  // round, another's requests are in flight (the gateway sends one batch at a time).
  for (int worker = 1; worker <= settings.send_workers; ++worker) {
    kit.AddPeriodic({worker == 1 ? "send-due" : "send-due-" + std::to_string(worker),
                     settings.send_interval, [this]() -> core::Status {
                       // Drain what is due (bounded: a backlog is sent over the following runs).
                       for (int round = 0; round < 20; ++round) {
                         auto sent = sender_.SendDue();
                         if (!sent) return sent.error();
                         if (*sent == 0) break;
                       }
                       return core::Status::Ok();
                     }});
  }
  kit.AddPeriodic({"queue-gauge", std::chrono::seconds(5),
                   [this]() -> core::Status {
                     auto queued = store_.QueuedCount();
                     if (!queued) return queued.error();
                     metrics_.SetQueueDepth(*queued);
                     return core::Status::Ok();
                   },
                   /*run_at_start=*/true});
}

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings) {
  if (settings.send_lease <= std::chrono::milliseconds::zero()) {
    return core::InvalidArgument("--send-lease must be positive");
  }
  auto configuration = LoadConfiguration(settings);
  if (!configuration) return configuration.error();
  std::string callback_base = settings.callback_base_url;
  if (callback_base.empty()) {
    auto address = core::ParseHostPort(settings.http_address);
    if (!address)
      return core::InvalidArgument("--console-listen-address: " + address.error().message);
    if (address->port == 0) {
      return core::InvalidArgument(
          "--console-listen-address has port 0: give a fixed port or --callback-base-url, so "
          "providers know where to send delivery reports");
    }
    callback_base = "http://" + settings.http_address + "/callbacks";
  }
  std::string token;
  if (!settings.provider_token_file.empty()) {
    auto text = config::ReadTextFile(settings.provider_token_file);
    if (!text) return core::NotFound("--provider-token-file: " + text.error().message);
    token = *text;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  }
  auto gateway = HttpMessageGateway::Create((*configuration)->policy,
                                            {.default_base_url = settings.provider_base_url,
                                             .default_token = config::Secret(token),
                                             .callback_base_url = callback_base,
                                             .max_in_flight = settings.max_in_flight});
  if (!gateway) return gateway.error();
  return std::make_unique<App>(kit, settings, std::move(*configuration), std::move(*gateway));
}

}  // namespace gridcare::notification
