// HttpMessageGateway against gridcare-provider-sim as a child process on 127.0.0.1 (port 0, read
// from its "ready" line): what each provider answer becomes in a SendResult, pacing and the
// in-flight limit (lower bounds on time only), and what the simulator recorded and reported to a
// callback server of the test.
#include "http_message_gateway.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "delivery_policy_config.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/provider_sim_client.h"
#include "gridcare/testing/servers.h"
#include "message_gateway.h"
#include "retry_schedule.h"

namespace gridcare::notification {
namespace {

using gridcare::testing::TempDir;
using gridcare::testing::WaitUntil;
using Json = nlohmann::json;
using C = DeliveryChannel;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr char kToken[] = "gateway-token-7";

// The simulator (tests/support's ProviderSim) with a token file, delivery reports at once
// (report_delay_ms 0).
class Sim : public gridcare::testing::ProviderSim {
 public:
  Sim() : ProviderSim({.token = kToken, .config = R"({"defaults": {"report_delay_ms": 0}})"}) {}
};

ProviderSettings& Provider(DeliveryPolicy& policy, C channel) {
  return policy.providers[static_cast<size_t>(channel)];
}

// Every channel's provider named after the channel ("sms", "wechat" …) and not paced in effect.
DeliveryPolicy FastPolicy() {
  DeliveryPolicy policy;
  for (const C channel : kAllDeliveryChannels) {
    auto& provider = Provider(policy, channel);
    provider.provider = std::string(DeliveryChannelName(channel));
    provider.pacing = {100000.0, 100000};
  }
  return policy;
}

GatewaySettings SettingsFor(const Sim& sim, const std::string& callback_base_url = "",
                            int max_in_flight = 64) {
  GatewaySettings settings;
  settings.default_base_url = sim.base_url();
  settings.default_token = config::Secret(kToken);
  settings.callback_base_url = callback_base_url;
  settings.max_in_flight = max_in_flight;
  return settings;
}

std::unique_ptr<HttpMessageGateway> MakeGateway(const DeliveryPolicy& policy,
                                                const GatewaySettings& settings) {
  auto gateway = HttpMessageGateway::Create(policy, settings);
  if (!gateway.ok()) FAIL(gateway.error().ToString());
  return std::move(*gateway);
}

OutgoingMessage Message(const std::string& id, C channel) {
  OutgoingMessage message;
  message.notification_id = id;
  message.channel = channel;
  message.to = "+86 138 0000 " + id.substr(id.size() - 4);
  message.text = "您的工单已受理 " + id;
  message.template_id = "ticket.opened";
  message.language = "zh-CN";
  return message;
}

std::vector<OutgoingMessage> Batch(const std::string& prefix, C channel, int count) {
  std::vector<OutgoingMessage> messages;
  for (int i = 0; i < count; ++i) {
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%04d", i);
    messages.push_back(Message(prefix + suffix, channel));
  }
  return messages;
}

bool Accepted(const SendResult& result) {
  return result.outcome.http_status == 202 && result.outcome.transport == TransportError::kNone &&
         !result.provider_message_id.empty() && result.error_message.empty();
}

double SecondsSince(steady_clock::time_point start) {
  return std::chrono::duration<double>(steady_clock::now() - start).count();
}

TEST_CASE("Five hundred messages over two channels are all accepted and reported back",
          "[notification_gateway][integration]") {
  gridcare::testing::CallbackRecorder callbacks(
      204);  // declared first, stopped last: the simulator's report connections
  Sim sim;   // close first, so the server's stop need not wait them out
  auto gateway = MakeGateway(FastPolicy(), SettingsFor(sim, callbacks.url("/callbacks")));
  std::vector<OutgoingMessage> messages;
  for (int i = 0; i < 250; ++i) {
    const std::string n = std::to_string(1000 + i);
    messages.push_back(Message("s-" + n, C::kSms));
    messages.push_back(Message("w-" + n, C::kWeChat));
  }
  messages[1].template_id.clear();  // optional keys are left out, not sent empty
  messages[1].language.clear();

  const auto results = gateway->SendAll(messages);
  REQUIRE(results.size() == messages.size());
  std::set<std::string> provider_ids;
  for (size_t i = 0; i < results.size(); ++i) {
    INFO(messages[i].notification_id << ": " << results[i].error_message);
    CHECK(results[i].notification_id == messages[i].notification_id);
    CHECK(Accepted(results[i]));
    const std::string prefix = messages[i].channel == C::kSms ? "sms-" : "wechat-";
    CHECK(results[i].provider_message_id.rfind(prefix, 0) == 0);
    provider_ids.insert(results[i].provider_message_id);
  }
  CHECK(provider_ids.size() == messages.size());

  // What the simulator recorded: each text, recipient, template and language as sent.
  auto sms = sim.Recorded("sms");
  auto wechat = sim.Recorded("wechat");
  REQUIRE(sms.size() == 250);
  REQUIRE(wechat.size() == 250);
  for (size_t i = 0; i < messages.size(); ++i) {
    const OutgoingMessage& sent = messages[i];
    INFO(sent.notification_id);
    const Json& kept = (sent.channel == C::kSms ? sms : wechat)[sent.notification_id];
    CHECK(kept["provider_message_id"] == results[i].provider_message_id);
    CHECK(kept["text"] == sent.text);
    CHECK(kept["to"] == sent.to);
    CHECK(kept["template_id"] == sent.template_id);
    CHECK(kept["language"] == sent.language);
    CHECK(kept["report"] != "none");  // it was given a callback_url
  }

  // The callback_url: every report reached /callbacks/<provider> and parses. Reports are sent at
  // least once (a post that timed out under load is posted again), so wait for every
  // notification's report, not for a number of calls.
  auto reported = [&] {
    std::set<std::string> ids;
    for (const auto& received : callbacks.Calls()) {
      if (auto report = ParseDeliveryReport(received.body); report.ok()) {
        ids.insert(report->notification_id);
      }
    }
    return ids.size();
  };
  REQUIRE(WaitUntil([&] { return reported() >= messages.size(); }, std::chrono::seconds(30)));
  std::map<std::string, std::string> provider_of_report;
  for (const auto& received : callbacks.Calls()) {
    REQUIRE(received.path.rfind("/callbacks/", 0) == 0);
    const std::string provider = received.path.substr(std::string("/callbacks/").size());
    auto report = ParseDeliveryReport(received.body);
    REQUIRE(report.ok());
    CHECK(report->delivered);
    CHECK(report->reason == "ok");
    CHECK(report->provider_message_id.rfind(provider + "-", 0) == 0);
    provider_of_report[report->notification_id] = provider;
  }
  REQUIRE(provider_of_report.size() == messages.size());
  for (const OutgoingMessage& sent : messages) {
    CHECK(provider_of_report[sent.notification_id] == (sent.channel == C::kSms ? "sms" : "wechat"));
  }
}

TEST_CASE("Repeats of accepted messages are answered 200 with the same provider ids",
          "[notification_gateway][integration]") {
  Sim sim;
  auto gateway = MakeGateway(FastPolicy(), SettingsFor(sim));
  const auto messages = Batch("dup-", C::kAppPush, 20);
  const auto first = gateway->SendAll(messages);
  const auto again = gateway->SendAll(messages);
  REQUIRE(again.size() == 20);
  for (size_t i = 0; i < messages.size(); ++i) {
    INFO(messages[i].notification_id);
    CHECK(Accepted(first[i]));
    CHECK(again[i].outcome.http_status == 200);
    CHECK(again[i].provider_message_id == first[i].provider_message_id);
    CHECK(Classify(again[i].outcome).kind == OutcomeKind::kSuccess);
  }
  const Json stats = sim.Stats("app_push");
  CHECK(stats["accepted"] == 20);
  CHECK(stats["duplicates"] == 20);
}

TEST_CASE("Injected 503s on half the requests come back as retryable failures",
          "[notification_gateway][integration]") {
  Sim sim;
  sim.PutFaults("sms", R"({"fail_ratio": 0.5})");
  auto gateway = MakeGateway(FastPolicy(), SettingsFor(sim));
  const auto results = gateway->SendAll(Batch("f-", C::kSms, 100));
  int failed = 0;
  int accepted = 0;
  for (const SendResult& result : results) {
    INFO(result.notification_id);
    if (result.outcome.http_status == 503) {
      ++failed;
      CHECK(result.error_message == "injected failure");
      CHECK(result.provider_message_id.empty());
      CHECK_FALSE(result.outcome.retry_after_seconds.has_value());
      CHECK(Classify(result.outcome).kind == OutcomeKind::kRetryable);
    } else {
      CHECK(Accepted(result));
      ++accepted;
    }
  }
  CHECK(failed == 50);
  CHECK(accepted == 50);
  CHECK(sim.Stats("sms")["failed_injected"] == 50);
}

TEST_CASE("A rate-limited provider answers 429 and its Retry-After is read",
          "[notification_gateway][integration]") {
  Sim sim;
  // One token every 1000 s after a burst of 2: the rejected wait just under 1000 s.
  sim.PutFaults("voice_call", R"({"rate_limit_per_second": 0.001, "burst": 2})");
  auto gateway = MakeGateway(FastPolicy(), SettingsFor(sim));
  const auto results = gateway->SendAll(Batch("r-", C::kVoiceCall, 5));
  int limited = 0;
  for (const SendResult& result : results) {
    INFO(result.notification_id);
    if (result.outcome.http_status != 429) {
      CHECK(Accepted(result));
      continue;
    }
    ++limited;
    REQUIRE(result.outcome.retry_after_seconds.has_value());
    // 1000 unless the simulator took over a second; the exact value is unit-tested.
    CHECK(*result.outcome.retry_after_seconds <= 1000);
    CHECK(*result.outcome.retry_after_seconds >= 990);
    const auto kind = Classify(result.outcome);
    CHECK(kind.kind == OutcomeKind::kRetryable);
    CHECK(kind.retry_after == std::chrono::seconds(*result.outcome.retry_after_seconds));
    CHECK_FALSE(result.error_message.empty());
  }
  CHECK(limited == 3);
}

TEST_CASE("A wrong token is answered 401 while the other channels go through",
          "[notification_gateway][integration]") {
  Sim sim;
  TempDir dir;
  const auto wrong = dir.path() / "wrong-token";
  std::ofstream(wrong) << "not-the-token\n";
  DeliveryPolicy policy = FastPolicy();
  Provider(policy, C::kEmail).token_file = wrong.string();
  auto gateway = MakeGateway(policy, SettingsFor(sim));
  const auto results =
      gateway->SendAll({Message("t-0001", C::kEmail), Message("t-0002", C::kStaffMessenger)});
  REQUIRE(results.size() == 2);
  CHECK(results[0].outcome.http_status == 401);
  CHECK(Classify(results[0].outcome).kind == OutcomeKind::kPermanent);
  CHECK_FALSE(results[0].error_message.empty());
  CHECK(results[0].error_message.find("not-the-token") == std::string::npos);
  CHECK(Accepted(results[1]));
  CHECK(sim.Stats("email")["unauthorized"] == 1);
}

TEST_CASE("A provider nobody listens for is a connection failure",
          "[notification_gateway][integration]") {
  Sim sim;
  DeliveryPolicy policy = FastPolicy();
  Provider(policy, C::kSms).url =
      "http://127.0.0.1:" + std::to_string(gridcare::testing::FreeLoopbackPort()) +
      "/providers/sms/";
  auto gateway = MakeGateway(policy, SettingsFor(sim));
  const auto results =
      gateway->SendAll({Message("u-0001", C::kSms), Message("u-0002", C::kWeChat)});
  REQUIRE(results.size() == 2);
  CHECK_FALSE(results[0].outcome.http_status.has_value());
  CHECK(results[0].outcome.transport == TransportError::kConnectionFailed);
  CHECK(Classify(results[0].outcome).kind == OutcomeKind::kRetryable);
  CHECK_FALSE(results[0].error_message.empty());
  CHECK(Accepted(results[1]));
}

TEST_CASE("A provider slower than the timeout is a timeout",
          "[notification_gateway][integration]") {
  Sim sim;
  sim.PutFaults("sms", R"({"latency_ms": 5000})");
  DeliveryPolicy policy = FastPolicy();
  Provider(policy, C::kSms).timeout = milliseconds(300);
  auto gateway = MakeGateway(policy, SettingsFor(sim));
  const auto results = gateway->SendAll(Batch("slow-", C::kSms, 3));
  for (const SendResult& result : results) {
    INFO(result.notification_id);
    CHECK_FALSE(result.outcome.http_status.has_value());
    CHECK(result.outcome.transport == TransportError::kTimeout);
    CHECK(Classify(result.outcome).kind == OutcomeKind::kRetryable);
    CHECK_FALSE(result.error_message.empty());
  }
  // The provider decided before it answered: a retry would be a duplicate, not a second message.
  CHECK(sim.Recorded("sms").size() == 3);
}

TEST_CASE("Pacing at 100 per second with a burst of 10 spreads 200 messages over 1.9 seconds",
          "[notification_gateway][integration]") {
  Sim sim;
  DeliveryPolicy policy = FastPolicy();
  Provider(policy, C::kSms).pacing = {100.0, 10};
  auto gateway = MakeGateway(policy, SettingsFor(sim));
  const auto start = steady_clock::now();
  const auto results = gateway->SendAll(Batch("p-", C::kSms, 200));
  // 10 at once, then one every 10 ms: the last starts 1.9 s in. A lower bound only.
  CHECK(SecondsSince(start) >= 1.8);
  for (const SendResult& result : results) CHECK(Accepted(result));
}

TEST_CASE("No more than max_in_flight calls are in flight at once",
          "[notification_gateway][integration]") {
  Sim sim;
  sim.PutFaults("app_push", R"({"latency_ms": 200})");
  auto gateway = MakeGateway(FastPolicy(), SettingsFor(sim, "", /*max_in_flight=*/4));
  const auto start = steady_clock::now();
  const auto results = gateway->SendAll(Batch("m-", C::kAppPush, 12));
  // Each of 4 calls at a time waits 200 ms: 12 take at least 3 rounds. A lower bound only.
  CHECK(SecondsSince(start) >= 0.6);
  for (const SendResult& result : results) CHECK(Accepted(result));
}

TEST_CASE("Callers on two threads each get the answers to their own messages",
          "[notification_gateway][integration]") {
  Sim sim;
  auto gateway = MakeGateway(FastPolicy(), SettingsFor(sim));
  std::vector<SendResult> left;
  std::vector<SendResult> right;
  std::thread other([&] { right = gateway->SendAll(Batch("b-", C::kWeChat, 50)); });
  left = gateway->SendAll(Batch("a-", C::kSms, 50));
  other.join();
  REQUIRE(left.size() == 50);
  REQUIRE(right.size() == 50);
  for (size_t i = 0; i < 50; ++i) {
    CHECK(left[i].notification_id == "a-" + std::string(i < 10 ? "000" : "00") + std::to_string(i));
    CHECK(right[i].notification_id ==
          "b-" + std::string(i < 10 ? "000" : "00") + std::to_string(i));
    CHECK(Accepted(left[i]));
    CHECK(Accepted(right[i]));
    CHECK(left[i].provider_message_id.rfind("sms-", 0) == 0);
    CHECK(right[i].provider_message_id.rfind("wechat-", 0) == 0);
  }
  CHECK(sim.Stats("sms")["accepted"] == 50);
  CHECK(sim.Stats("wechat")["accepted"] == 50);
  gateway.reset();  // closes the kept-alive connections, so the simulator need not wait them out
  CHECK(sim.process().Stop() == 0);
}

}  // namespace
}  // namespace gridcare::notification
