// The HTTP answers of the provider and control APIs, in process through ProviderHttp::Handle:
// statuses, bodies and headers as README.md defines them.
#include "provider_http.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace gridcare::provider_sim {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;

const core::TimePoint kStart = core::FromUnixMillis(1'800'000'000'000);  // 2027-01-15T08:00:00Z

struct Fixture {
  Fixture() : simulator(Settings(), clock), http(simulator, {}) {}
  static SimulatorSettings Settings() {
    SimulatorSettings settings;
    settings.token = "t0ken";
    return settings;
  }
  web::HttpReply Call(std::string method, std::string path, std::string body = {},
                      std::multimap<std::string, std::string> query = {}) {
    web::HttpRequest request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.body = std::move(body);
    request.query = std::move(query);
    request.headers = {{"Authorization", "Bearer t0ken"}};
    return http.Handle(std::move(request));
  }
  web::HttpReply Send(std::string_view provider, std::string_view id) {
    return Call("POST", "/providers/" + std::string(provider) + "/v1/messages",
                R"({"client_message_id":")" + std::string(id) +
                    R"(","to":"13812345678","text":"停电通知","language":"zh-CN"})");
  }

  core::FakeClock clock{kStart};
  Simulator simulator;
  ProviderHttp http;
};

TEST_CASE("a new message answers 202 and its repeat 200 with the same id", "[provider_sim][http]") {
  Fixture f;
  const auto accepted = f.Send("sms", "n-1");
  CHECK(accepted.status == 202);
  CHECK(accepted.content_type == "application/json; charset=utf-8");
  CHECK(accepted.body ==
        R"({"accepted_at":"2027-01-15T08:00:00.000Z","provider_message_id":"sms-1"})");
  f.clock.Advance(milliseconds(10));
  const auto repeat = f.Send("sms", "n-1");
  CHECK(repeat.status == 200);
  CHECK(repeat.body == accepted.body);
}

TEST_CASE("no token answers 401 with a Bearer challenge", "[provider_sim][http]") {
  Fixture f;
  web::HttpRequest request;
  request.method = "POST";
  request.path = "/providers/sms/v1/messages";
  request.body = R"({"client_message_id":"a","to":"1","text":"t"})";
  const auto reply = f.http.Handle(request);
  CHECK(reply.status == 401);
  CHECK(reply.Header("WWW-Authenticate") == "Bearer");
  CHECK(reply.body ==
        R"({"error":{"code":"UNAUTHENTICATED","message":"missing or wrong bearer token"}})");
}

TEST_CASE("a bad body answers 400 naming the field", "[provider_sim][http]") {
  Fixture f;
  const auto reply = f.Call("POST", "/providers/sms/v1/messages", R"({"client_message_id":"a"})");
  CHECK(reply.status == 400);
  CHECK(reply.body ==
        R"({"error":{"code":"INVALID_ARGUMENT","message":"message body: \"to\" is missing"}})");
}

TEST_CASE("over the rate limit answers 429 with Retry-After in whole seconds",
          "[provider_sim][http]") {
  Fixture f;
  const auto put =
      f.Call("PUT", "/control/providers/push/faults", R"({"rate_limit_per_second":0.4,"burst":1})");
  REQUIRE(put.status == 200);
  CHECK(f.Send("push", "a").status == 202);
  const auto refused = f.Send("push", "b");
  CHECK(refused.status == 429);
  CHECK(refused.Header("Retry-After") == "3");
  CHECK(refused.body == R"({"error":{"code":"RESOURCE_EXHAUSTED","message":"rate limit exceeded"},)"
                        R"("retry_after_ms":2500})");
}

TEST_CASE("an injected failure answers the configured 5xx", "[provider_sim][http]") {
  Fixture f;
  REQUIRE(f.Call("PUT", "/control/providers/wechat/faults", R"({"fail_ratio":1,"fail_status":500})")
              .status == 200);
  const auto reply = f.Send("wechat", "a");
  CHECK(reply.status == 500);
  CHECK(reply.body == R"({"error":{"code":"UNAVAILABLE","message":"injected failure"}})");
}

TEST_CASE("faults are shown after PUT and refused with 400 when malformed",
          "[provider_sim][http]") {
  Fixture f;
  const char* shown =
      R"({"burst":0,"fail_ratio":0.0,"fail_status":503,"latency_ms":0,)"
      R"("rate_limit_per_second":0.0,"report_delay_ms":200,"undeliverable_prefixes":[],)"
      R"("undeliverable_suffixes":[]})";
  CHECK(f.Call("GET", "/control/providers/email/faults").body == shown);
  const auto put = f.Call("PUT", "/control/providers/email/faults",
                          R"({"latency_ms":5,"undeliverable_suffixes":["@bounce.example"]})");
  CHECK(put.status == 200);
  CHECK(put.body ==
        R"({"burst":0,"fail_ratio":0.0,"fail_status":503,"latency_ms":5,)"
        R"("rate_limit_per_second":0.0,"report_delay_ms":200,"undeliverable_prefixes":[],)"
        R"("undeliverable_suffixes":["@bounce.example"]})");
  CHECK(f.Call("GET", "/control/providers/email/faults").body == put.body);
  const auto bad = f.Call("PUT", "/control/providers/email/faults", R"({"fail_status":200})");
  CHECK(bad.status == 400);
  CHECK(bad.body ==
        R"({"error":{"code":"INVALID_ARGUMENT","message":"faults: \"fail_status\" must be an )"
        R"(integer in 500..599, got 200"}})");
  CHECK(f.Call("GET", "/control/providers/email/faults").body == put.body);
}

TEST_CASE("recorded messages are listed in order with paging and a provider filter",
          "[provider_sim][http]") {
  Fixture f;
  f.Send("sms", "a");
  f.Send("push", "b");
  f.Send("sms", "c");
  const auto all = Json::parse(f.Call("GET", "/control/messages").body);
  REQUIRE(all["messages"].size() == 3);
  CHECK(all["next_after"] == 3);
  CHECK(all["messages"][0] == Json::parse(R"({"seq":1,"provider":"sms",
      "provider_message_id":"sms-1","client_message_id":"a","to":"13812345678",
      "text":"停电通知","template_id":"","language":"zh-CN",
      "accepted_at":"2027-01-15T08:00:00.000Z","delivery_status":"delivered",
      "report":"none","report_attempts":0})"));
  const auto page = Json::parse(
      f.Call("GET", "/control/messages", "", {{"provider", "sms"}, {"after", "1"}, {"limit", "5"}})
          .body);
  REQUIRE(page["messages"].size() == 1);
  CHECK(page["messages"][0]["seq"] == 3);
  CHECK(page["next_after"] == 3);
  const auto empty = Json::parse(f.Call("GET", "/control/messages", "", {{"after", "3"}}).body);
  CHECK(empty["messages"].empty());
  CHECK(empty["next_after"] == 3);
  CHECK(f.Call("GET", "/control/messages", "", {{"limit", "10001"}}).status == 400);
  CHECK(f.Call("GET", "/control/messages", "", {{"after", "-1"}}).status == 400);
  CHECK(f.Call("GET", "/control/messages", "", {{"after", "2x"}}).status == 400);
}

TEST_CASE("stats count per provider and DELETE clears messages then counters",
          "[provider_sim][http]") {
  Fixture f;
  f.Send("sms", "a");
  f.Send("sms", "a");
  f.Call("POST", "/providers/sms/v1/messages", "{}");
  CHECK(Json::parse(f.Call("GET", "/control/stats").body) == Json::parse(R"({
      "providers":{"sms":{"received":3,"accepted":1,"duplicates":1,"unauthorized":0,
        "bad_request":1,"rejected_rate_limited":0,"failed_injected":0,"reports_sent":0,
        "reports_lost":0,"replies_sent":0,"replies_lost":0}},
      "messages_kept":1,"messages_dropped":0,"last_seq":1,"reports_pending":0})"));
  const auto cleared = f.Call("DELETE", "/control/messages");
  CHECK(cleared.status == 200);
  CHECK(cleared.body == R"({"messages_cleared":1})");
  CHECK(Json::parse(f.Call("GET", "/control/messages").body)["messages"].empty());
  CHECK(f.Call("DELETE", "/control/stats").status == 200);
  CHECK(Json::parse(f.Call("GET", "/control/stats").body)["providers"]["sms"]["received"] == 0);
}

TEST_CASE("health answers and unknown paths or bad provider names are 404",
          "[provider_sim][http]") {
  Fixture f;
  CHECK(f.Call("GET", "/healthz").body == R"({"status":"ok"})");
  CHECK(f.Call("GET", "/readyz").status == 200);
  CHECK(f.Call("POST", "/providers/a b/v1/messages").status == 404);
  CHECK(f.Call("POST", "/providers/sms/v2/messages").status == 404);
  CHECK(f.Call("GET", "/providers/sms/v1/messages").status == 405);
  CHECK(f.Call("POST", "/control/stats").status == 405);
}

TEST_CASE("a reply is scheduled by the control API and refused with the reason",
          "[provider_sim][http]") {
  Fixture f;
  f.Call("POST", "/providers/sms/v1/messages",
         R"({"client_message_id":"n-1","to":"13812345678","text":"停电通知",)"
         R"("callback_url":"http://127.0.0.1:9/callbacks/sms"})");
  f.Send("sms", "n-2");  // no callback_url
  const auto ok = f.Call("POST", "/control/providers/sms/replies",
                         R"({"provider_message_id":"sms-1","text":"还是没电"})");
  CHECK(ok.status == 202);
  CHECK(ok.body == R"({"reply_id":"sms-r1"})");
  CHECK(f.Call("POST", "/control/providers/sms/replies",
               R"({"provider_message_id":"sms-7","text":"x"})")
            .status == 404);
  CHECK(f.Call("POST", "/control/providers/sms/replies",
               R"({"provider_message_id":"sms-2","text":"x"})")
            .status == 412);
  CHECK(f.Call("POST", "/control/providers/sms/replies", R"({"provider_message_id":"sms-1"})")
            .status == 400);
  CHECK(f.Call("POST", "/control/providers/sms/replies", R"({"text":"x","extra":1})").status ==
        400);
  CHECK(f.Call("POST", "/control/providers/sms/replies", "not json").status == 400);
  const Json stats = Json::parse(f.Call("GET", "/control/stats").body);
  CHECK(stats["providers"]["sms"]["replies_sent"] == 0);
  CHECK(stats["reports_pending"] == 2);  // n-1's report and the reply
}

}  // namespace
}  // namespace gridcare::provider_sim
