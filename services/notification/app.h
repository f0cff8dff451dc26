#pragma once

// The notification service's composition root: main.cpp declares the options and calls
// BuildApp; tests build the same object graph with it.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "delivery_policy_config.h"
#include "event_handlers.h"
#include "fan_out.h"
#include "gridcare/kafka/topic_router.h"
#include "gridcare/service/kit.h"
#include "grpc_customer_directory.h"
#include "http_message_gateway.h"
#include "notice_sender.h"
#include "notification_http.h"
#include "notification_metrics.h"
#include "recipient_planner.h"
#include "redis_delivery_store.h"
#include "staff_directory.h"
#include "template_catalogue.h"
#include "trigger_rules.h"

namespace gridcare::notification {

extern const service::ServiceSpec kSpec;

/// notification's own settings (main.cpp declares them as options). Config files default to the
/// installed copies (config::InstalledConfigPath).
struct Settings {
  Settings();
  std::string templates_path;
  std::string triggers_path;
  std::string policy_path;
  std::string staff_path;
  /// Providers without their own "url" in the policy: <base><provider name>/.
  std::string provider_base_url = "http://127.0.0.1:8095/providers/";
  /// The bearer token of providers without their own "token_file" (a file: never the token).
  std::string provider_token_file;
  /// Where the HTTP endpoint (delivery-report callbacks, the notices API) listens.
  std::string http_address = "127.0.0.1:8096";
  /// The callback base URL given to providers; empty: http://<http address>/callbacks.
  std::string callback_base_url;
  std::chrono::milliseconds send_interval{25};
  int send_batch = 500;
  /// Send loops running at once: while one records its round (flush, saves), another sends.
  int send_workers = 6;
  int max_in_flight = 64;
  /// How long a round's claimed notices stay claimed (SenderSettings::lease): after a crash they
  /// are sent again this long after they were claimed. Longer than a round of sending takes.
  std::chrono::milliseconds send_lease{120'000};
  std::chrono::milliseconds profile_deadline{3000};
  std::chrono::milliseconds profile_stream_deadline{120'000};
};

/// What the settings' files hold.
struct Configuration {
  TemplateCatalogue templates;
  DeliveryPolicy policy;
  StaffDirectory staff;
  std::optional<TriggerRules> triggers;  ///< checked against the templates
};

/// Loads the files the settings name. INVALID_ARGUMENT or NOT_FOUND naming the flag and file.
core::Result<std::unique_ptr<Configuration>> LoadConfiguration(const Settings& settings);

class App {
 public:
  App(service::Kit& kit, const Settings& settings, std::unique_ptr<Configuration> configuration,
      std::unique_ptr<MessageGateway> gateway);

 private:
  std::unique_ptr<Configuration> configuration_;
  RedisDeliveryStore store_;
  GrpcCustomerDirectory customers_;
  NotificationMetrics metrics_;
  RecipientPlanner planner_;
  std::unique_ptr<MessageGateway> gateway_;
  FanOut fan_out_;
  NoticeSender sender_;
  ReplyForwarder replies_;
  NotificationHttpServer http_;
  NotificationEventHandler handler_;
  kafka::TopicRouter router_{"notification"};
};

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings);

}  // namespace gridcare::notification
