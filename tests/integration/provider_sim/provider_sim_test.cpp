// gridcare-provider-sim as a child process on 127.0.0.1 (port 0, read from its "ready" line),
// spoken to with an HTTP client as the notification service will: every answer of the provider
// API, the control API, and delivery reports arriving at a small callback server of the test.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "gridcare/testing/process.h"
#include "gridcare/testing/provider_sim_client.h"
#include "gridcare/testing/servers.h"

namespace {

using gridcare::testing::ChildProcess;
using gridcare::testing::ProgramPath;
using gridcare::testing::TempDir;
using gridcare::testing::WaitUntil;
using Json = nlohmann::json;
using std::chrono::milliseconds;

constexpr char kToken[] = "sim-token-42";

// The simulator (tests/support's ProviderSim: token file, --config, the control API) plus the
// provider API calls these tests make.
class Sim : public gridcare::testing::ProviderSim {
 public:
  explicit Sim(const std::string& config = "", std::vector<std::string> extra = {})
      : ProviderSim({.token = kToken, .config = config, .extra_args = std::move(extra)}) {}

  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port());
    client.set_connection_timeout(std::chrono::seconds(2));
    client.set_read_timeout(std::chrono::seconds(5));
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);  // else each request waits ~40 ms for a delayed ACK
    return client;
  }

  // POSTs one message with the right token; the callback_url only when given.
  httplib::Result Send(httplib::Client& client, const std::string& provider, const std::string& id,
                       const std::string& to = "13812345678", const std::string& callback = "") {
    Json body = {{"client_message_id", id},
                 {"to", to},
                 {"text", "您的工单已受理"},
                 {"template_id", "ticket.opened"},
                 {"language", "zh-CN"}};
    if (!callback.empty()) body["callback_url"] = callback;
    return client.Post("/providers/" + provider + "/v1/messages",
                       {{"Authorization", std::string("Bearer ") + kToken}}, body.dump(),
                       "application/json");
  }
};

// Delivery reports are posted to /reports of a CallbackRecorder; their bodies, parsed.
std::vector<Json> Bodies(const gridcare::testing::CallbackRecorder& callback) {
  std::vector<Json> bodies;
  for (const auto& call : callback.Calls()) {
    if (call.path == "/reports") bodies.push_back(Json::parse(call.body));
  }
  return bodies;
}

TEST_CASE("the simulator accepts a message and answers its repeat with the same id",
          "[provider_sim][integration]") {
  Sim sim;
  auto client = sim.Client();
  auto first = sim.Send(client, "sms", "n-1");
  REQUIRE(first);
  CHECK(first->status == 202);
  const auto accepted = Json::parse(first->body);
  CHECK(accepted["provider_message_id"] == "sms-1");
  CHECK(accepted["accepted_at"].get<std::string>().size() == 24);
  auto repeat = sim.Send(client, "sms", "n-1");
  REQUIRE(repeat);
  CHECK(repeat->status == 200);
  CHECK(Json::parse(repeat->body) == accepted);
  auto other = sim.Send(client, "wechat", "n-1", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
  REQUIRE(other);
  CHECK(other->status == 202);
  CHECK(Json::parse(other->body)["provider_message_id"] == "wechat-2");

  const auto listed = sim.GetJson("/control/messages?provider=sms");
  REQUIRE(listed["messages"].size() == 1);
  CHECK(listed["messages"][0]["to"] == "13812345678");
  CHECK(listed["messages"][0]["text"] == "您的工单已受理");
  CHECK(listed["messages"][0]["template_id"] == "ticket.opened");
  CHECK(listed["messages"][0]["report"] == "none");
  const auto stats = sim.GetJson("/control/stats");
  CHECK(stats["providers"]["sms"]["received"] == 2);
  CHECK(stats["providers"]["sms"]["accepted"] == 1);
  CHECK(stats["providers"]["sms"]["duplicates"] == 1);
  CHECK(stats["providers"]["wechat"]["accepted"] == 1);
  // The log holds neither the recipient nor the text.
  const std::string log = sim.process().ReadLog();
  CHECK(log.find("13812345678") == std::string::npos);
  CHECK(log.find("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o") == std::string::npos);
  CHECK(log.find("您的工单已受理") == std::string::npos);
}

TEST_CASE("a missing or wrong token is 401 and a bad body 400", "[provider_sim][integration]") {
  Sim sim;
  auto client = sim.Client();
  const std::string body = R"({"client_message_id":"a","to":"1","text":"t"})";
  auto none = client.Post("/providers/sms/v1/messages", body, "application/json");
  REQUIRE(none);
  CHECK(none->status == 401);
  CHECK(none->get_header_value("WWW-Authenticate") == "Bearer");
  auto wrong = client.Post("/providers/sms/v1/messages", {{"Authorization", "Bearer nope"}}, body,
                           "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  auto bad = client.Post("/providers/sms/v1/messages",
                         {{"Authorization", std::string("Bearer ") + kToken}},
                         R"({"client_message_id":"a","to":"","text":"t"})", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(Json::parse(bad->body)["error"]["message"] == "message body: \"to\" is empty");
  const auto stats = sim.GetJson("/control/stats")["providers"]["sms"];
  CHECK(stats["received"] == 3);
  CHECK(stats["unauthorized"] == 2);
  CHECK(stats["bad_request"] == 1);
  CHECK(sim.GetJson("/control/messages")["messages"].empty());
}

TEST_CASE("the rate limit answers 429 with Retry-After and failures the injected status",
          "[provider_sim][integration]") {
  Sim sim;
  auto client = sim.Client();
  sim.PutFaults("push", R"({"rate_limit_per_second":0.5,"burst":2})");
  CHECK(sim.Send(client, "push", "a")->status == 202);
  CHECK(sim.Send(client, "push", "b")->status == 202);
  auto limited = sim.Send(client, "push", "c");
  REQUIRE(limited);
  CHECK(limited->status == 429);
  // 2 s minus the moment since the first request: 1 or 2 whole seconds.
  const std::string retry_after = limited->get_header_value("Retry-After");
  CHECK((retry_after == "2" || retry_after == "1"));

  sim.PutFaults("wechat", R"({"fail_ratio":0.5,"fail_status":503})");
  std::vector<int> statuses;
  for (const char* id : {"a", "b", "c", "d"})
    statuses.push_back(sim.Send(client, "wechat", id)->status);
  CHECK(statuses == std::vector<int>{202, 503, 202, 503});
  const auto stats = sim.GetJson("/control/stats")["providers"];
  CHECK(stats["push"]["rejected_rate_limited"] == 1);
  CHECK(stats["wechat"]["failed_injected"] == 2);
  CHECK(stats["wechat"]["accepted"] == 2);
}

TEST_CASE("latency_ms delays the answer", "[provider_sim][integration]") {
  Sim sim;
  auto client = sim.Client();
  sim.PutFaults("voice", R"({"latency_ms":300})");
  const auto started = std::chrono::steady_clock::now();
  auto reply = sim.Send(client, "voice", "a");
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(reply);
  CHECK(reply->status == 202);
  CHECK(took >= milliseconds(300));
  CHECK(took < milliseconds(3000));
}

TEST_CASE("delivery reports reach the callback with the decided status",
          "[provider_sim][integration]") {
  gridcare::testing::CallbackRecorder callback;
  Sim sim(R"({"defaults":{"report_delay_ms":50},)"
          R"("providers":{"sms":{"undeliverable_prefixes":["+86 170"]}}})");
  auto client = sim.Client();
  CHECK(sim.Send(client, "sms", "ok-1", "+86 138 1234 5678", callback.url("/reports"))->status ==
        202);
  CHECK(sim.Send(client, "sms", "bad-1", "+8617000001111", callback.url("/reports"))->status ==
        202);
  CHECK(sim.Send(client, "sms", "quiet-1")->status == 202);  // no callback_url
  REQUIRE(WaitUntil([&] { return Bodies(callback).size() >= 2; }, std::chrono::seconds(10)));
  REQUIRE(WaitUntil(
      [&] { return sim.GetJson("/control/stats")["providers"]["sms"]["reports_sent"] == 2; }));
  auto bodies = Bodies(callback);
  REQUIRE(bodies.size() == 2);
  if (bodies[0]["client_message_id"] != "ok-1") std::swap(bodies[0], bodies[1]);
  CHECK(bodies[0]["provider_message_id"] == "sms-1");
  CHECK(bodies[0]["status"] == "delivered");
  CHECK(bodies[0]["reason"] == "ok");
  CHECK(bodies[0]["reported_at"].get<std::string>().size() == 24);
  CHECK(bodies[1]["provider_message_id"] == "sms-2");
  CHECK(bodies[1]["client_message_id"] == "bad-1");
  CHECK(bodies[1]["status"] == "undeliverable");
  CHECK(bodies[1]["reason"] == "recipient_unreachable");
  const auto messages = sim.GetJson("/control/messages")["messages"];
  REQUIRE(messages.size() == 3);
  CHECK(messages[0]["report"] == "sent");
  CHECK(messages[1]["report"] == "sent");
  CHECK(messages[1]["delivery_status"] == "undeliverable");
  CHECK(messages[2]["report"] == "none");
  CHECK(sim.GetJson("/control/stats")["reports_pending"] == 0);
}

TEST_CASE("a refused report is retried and then counted lost", "[provider_sim][integration]") {
  gridcare::testing::CallbackRecorder callback(500);
  Sim sim(R"({"defaults":{"report_delay_ms":0}})", {"--report-attempts", "3"});
  auto client = sim.Client();
  CHECK(sim.Send(client, "sms", "a", "13812345678", callback.url("/reports"))->status == 202);
  REQUIRE(WaitUntil(
      [&] { return sim.GetJson("/control/stats")["providers"]["sms"]["reports_lost"] == 1; }));
  CHECK(Bodies(callback).size() == 3);
  const auto message = sim.GetJson("/control/messages")["messages"][0];
  CHECK(message["report"] == "lost");
  CHECK(message["report_attempts"] == 3);
  CHECK(sim.GetJson("/control/stats")["providers"]["sms"]["reports_sent"] == 0);
}

TEST_CASE("DELETE clears recorded messages so an id is accepted again",
          "[provider_sim][integration]") {
  Sim sim;
  auto client = sim.Client();
  CHECK(sim.Send(client, "sms", "a")->status == 202);
  auto cleared = client.Delete("/control/messages");
  REQUIRE(cleared);
  CHECK(cleared->status == 200);
  CHECK(sim.GetJson("/control/messages")["messages"].empty());
  auto again = sim.Send(client, "sms", "a");
  REQUIRE(again);
  CHECK(again->status == 202);
  CHECK(Json::parse(again->body)["provider_message_id"] == "sms-2");
}

TEST_CASE("64 kept-alive connections at once are all served", "[provider_sim][integration]") {
  Sim sim;
  constexpr int kConnections = 64;
  constexpr int kEach = 20;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      auto client = sim.Client();
      for (int i = 0; i < kEach; ++i) {
        auto reply = sim.Send(client, "push", std::to_string(c) + "-" + std::to_string(i));
        if (reply && reply->status == 202) ++accepted;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(accepted == kConnections * kEach);
  const auto stats = sim.GetJson("/control/stats");
  CHECK(stats["providers"]["push"]["accepted"] == kConnections * kEach);
  CHECK(stats["last_seq"] == kConnections * kEach);
}

TEST_CASE("the simulator stops on SIGTERM with status 0", "[provider_sim][integration]") {
  Sim sim;
  auto client = sim.Client();
  CHECK(client.Get("/healthz")->status == 200);
  CHECK(sim.process().Stop() == 0);
  const std::string log = sim.process().ReadLog();
  CHECK(log.find("\"msg\":\"shutting down\"") != std::string::npos);
  CHECK(log.find("\"msg\":\"stopped\"") != std::string::npos);
}

TEST_CASE("a bad config file stops start-up with status 2 naming the field",
          "[provider_sim][integration]") {
  TempDir dir;
  const auto config_file = dir.path() / "bad.json";
  std::ofstream(config_file) << R"({"providers":{"sms":{"fail_ratio":3}}})";
  ChildProcess process(ProgramPath("gridcare-provider-sim"),
                       {"--listen-address", "127.0.0.1:0", "--config", config_file.string()},
                       dir.path() / "provider-sim.log");
  REQUIRE(WaitUntil([&] { return !process.Running(); }));
  CHECK(process.Stop() == 2);
  CHECK(process.ReadLog().find("\"providers.sms.fail_ratio\" must be a number in 0..1, got 3") !=
        std::string::npos);
}

}  // namespace
