// The notification integration stack: tests/support's ServiceStack (redis-server, devbroker, the
// seed-42 utility of 2,000 customers bulk-loaded into the profile store, the real profile
// binary), the real gridcare-provider-sim serving every provider, the real notification binary
// pointed at both, and a reader of gridcare.notification.v1 and its dead letters.
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/testing/provider_sim_client.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/notification.pb.h"
#include "service_stack.h"

namespace gridcare::notification::testing {

using gridcare::testing::ChildProcess;
using gridcare::testing::LoopbackAddress;
using Json = nlohmann::json;

/// The providers of the shipped delivery policy, as the simulator sees them (one per customer
/// channel; the provider-base-url puts each at /providers/<name>/).
inline constexpr const char* kSmsProvider = "sms-gateway";
inline const std::vector<std::string> kCustomerProviders = {
    "sms-gateway", "wechat-official-account", "app-push", "voice-gateway"};

/// The shipped delivery policy with two test changes, written to `file`:
///  - quiet_hours.imminent_window_minutes 1440: an outage notice whose restoration is expected
///    within a day goes at once even in the recipient's quiet hours, so the start and ETR notices
///    (estimates 2 and 3 hours ahead) never wait, whatever the time of day the test runs;
///  - retries after 200 ms doubling to at most 1 s, 30 attempts: a provider failing half its
///    requests is retried within seconds, not minutes, and no notice runs out of attempts.
inline void WriteTestPolicy(const std::filesystem::path& file) {
  std::ifstream in(std::string(GRIDCARE_SOURCE_DIR) +
                   "/services/notification/config/delivery-policy.json");
  Json policy = Json::parse(in);
  policy["quiet_hours"]["imminent_window_minutes"] = 1440;
  policy["retry"]["base_milliseconds"] = 200;
  policy["retry"]["cap_seconds"] = 1;
  policy["retry"]["max_attempts"] = 30;
  std::ofstream(file) << policy.dump(2);
}

struct NotificationStackOptions {
  /// Extra notification flags (sender pacing, the lease).
  std::vector<std::string> notification_args;
};

class NotificationStack {
 public:
  /// The simulator posts delivery reports 50 ms after acceptance, so notices become DELIVERED
  /// within the test. notification cannot report the port of its callback endpoint, and the
  /// providers must know it before it starts (the callback URL): a probed port, kept across
  /// restarts.
  explicit NotificationStack(NotificationStackOptions options = {})
      : sim({.token = "notification-it-token",
             .config = R"({"defaults": {"report_delay_ms": 50}})",
             // Reports retried for ~100 s (100 ms doubling), as real providers keep trying: a
             // notification restarted meanwhile still gets them.
             .extra_args = {"--report-attempts", "11"}}),
        console_port(gridcare::testing::FreeLoopbackPort()),
        options_(std::move(options)) {
    WriteTestPolicy(base.dir.path() / "delivery-policy.json");
    events = std::make_unique<gridcare::testing::TopicReader>(
        base.broker.bootstrap_servers(),
        std::vector<std::string>{std::string(kafka::kNotificationTopic),
                                 kafka::DeadLetterTopic("notification")});
    StartNotification();
  }

  /// Starts notification (again: same Redis, same consumer group, same callback port) and waits
  /// for its "ready" line.
  void StartNotification() {
    ++starts_;
    std::vector<std::string> args = {
        "--profile-service-target", LoopbackAddress(base.profile_port),
        "--console-listen-address", LoopbackAddress(console_port),
        "--provider-base-url",      sim.base_url() + "/",
        "--provider-token-file",    sim.token_file().string(),
        "--delivery-policy",        (base.dir.path() / "delivery-policy.json").string(),
        "--send-interval",          "100ms"};
    args.insert(args.end(), options_.notification_args.begin(), options_.notification_args.end());
    notification =
        base.Start("notification", args,
                   {.grpc = false, .log_name = "notification-" + std::to_string(starts_) + ".log"});
    gridcare::testing::WaitForServiceReady(*notification);
  }

  void PublishDispatch(const std::string& ce_id, const std::string& type,
                       const v1::DispatchEvent& event, const std::string& incident_id) const {
    base.Publish(
        std::string(kafka::kDispatchTopic), incident_id,
        {ce_id, type, "/gridcare/dispatch", incident_id, std::chrono::system_clock::now(), ""},
        event);
  }

  void PublishIntake(const std::string& ce_id, const v1::IntakeEvent& event,
                     const std::string& ticket_id) const {
    base.Publish(std::string(kafka::kIntakeTopic), ticket_id,
                 {ce_id, "gridcare.ticket.opened.v1", "/gridcare/intake", ticket_id,
                  std::chrono::system_clock::now(), ""},
                 event);
  }

  /// Every event on gridcare.notification.v1 so far, decoded.
  std::vector<v1::NotificationEvent> Events() const {
    std::vector<v1::NotificationEvent> decoded;
    for (const auto& m : events->Matching([](const kafka::ConsumedMessage& m) {
           return m.topic == kafka::kNotificationTopic;
         })) {
      v1::NotificationEvent event;
      if (!event.ParseFromString(m.value))
        throw std::runtime_error("undecodable notification event");
      decoded.push_back(std::move(event));
    }
    return decoded;
  }

  size_t DeadLetters() const {
    return events
        ->Matching(
            [](const kafka::ConsumedMessage& m) { return m.topic != kafka::kNotificationTopic; })
        .size();
  }

  /// GET `path` from notification's own endpoint; null when it does not answer 200.
  Json Api(const std::string& path) const {
    httplib::Client client("127.0.0.1", console_port);
    client.set_connection_timeout(std::chrono::seconds(2));
    client.set_read_timeout(std::chrono::seconds(5));
    auto reply = client.Get(path);
    if (!reply || reply->status != 200) return nullptr;
    return Json::parse(reply->body);
  }
  /// The stored notice (GET /api/notifications/<id>: no addresses); null when unknown.
  Json Notice(const std::string& notification_id) const {
    return Api("/api/notifications/" + notification_id);
  }

  /// The last lines of notification's log, for failure messages (logs hold no phone numbers).
  std::string NotificationLog() const {
    const std::string log = notification->ReadLog();
    return log.size() > 4000 ? log.substr(log.size() - 4000) : log;
  }

  gridcare::testing::ServiceStack base;
  gridcare::testing::ProviderSim sim;
  int console_port;
  std::unique_ptr<ChildProcess> notification;
  std::unique_ptr<gridcare::testing::TopicReader> events;

 private:
  NotificationStackOptions options_;
  int starts_ = 0;
};

}  // namespace gridcare::notification::testing
