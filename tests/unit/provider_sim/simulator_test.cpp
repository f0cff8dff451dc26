// The Simulator on a FakeClock: the order of its checks, de-duplication, counters, fault
// settings, and the delivery-report schedule with retries and loss.
#include "simulator.h"

#include <catch2/catch.hpp>
#include <string>

namespace gridcare::provider_sim {
namespace {

using Kind = SubmitOutcome::Kind;
using std::chrono::milliseconds;

const core::TimePoint kStart = core::FromUnixMillis(1'800'000'000'000);
constexpr char kAuth[] = "Bearer t0ken";

std::string Body(std::string_view id, std::string_view to = "13812345678",
                 std::string_view callback = "") {
  std::string body = R"({"client_message_id":")" + std::string(id) + R"(","to":")" +
                     std::string(to) + R"(","text":"停电通知")";
  if (!callback.empty()) body += R"(,"callback_url":")" + std::string(callback) + "\"";
  return body + "}";
}

struct Fixture {
  explicit Fixture(SimulatorSettings settings = {})
      : simulator(WithToken(std::move(settings)), clock) {}
  static SimulatorSettings WithToken(SimulatorSettings settings) {
    if (settings.token.empty()) settings.token = "t0ken";
    return settings;
  }
  SubmitOutcome Post(std::string_view provider, const std::string& body) {
    return simulator.Submit(provider, kAuth, body);
  }
  ProviderStats Stats(const std::string& provider) const {
    return simulator.GetStats().providers.at(provider);
  }

  core::FakeClock clock{kStart};
  Simulator simulator;
};

TEST_CASE("a new message is accepted recorded and numbered", "[provider_sim][simulator]") {
  Fixture f;
  const auto outcome = f.Post("sms", Body("n-1"));
  CHECK(outcome.kind == Kind::kAccepted);
  CHECK(outcome.provider_message_id == "sms-1");
  CHECK(outcome.accepted_at == kStart);
  CHECK(outcome.latency == milliseconds(0));
  const auto messages = f.simulator.Messages(0, "", 10);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].to == "13812345678");
  CHECK(messages[0].text == "停电通知");
  CHECK(messages[0].accepted_at == kStart);
  CHECK(messages[0].outcome == DeliveryStatus::kDelivered);
  CHECK(messages[0].report == ReportState::kNone);
  CHECK(f.simulator.NextReportDue() == std::nullopt);
}

TEST_CASE("a repeated client id gets the first answer and is not recorded again",
          "[provider_sim][simulator]") {
  Fixture f;
  f.Post("sms", Body("n-1"));
  f.clock.Advance(milliseconds(500));
  const auto repeat = f.Post("sms", Body("n-1", "13900000000"));
  CHECK(repeat.kind == Kind::kDuplicate);
  CHECK(repeat.provider_message_id == "sms-1");
  CHECK(repeat.accepted_at == kStart);
  CHECK(f.Post("wechat", Body("n-1")).kind == Kind::kAccepted);
  CHECK(f.simulator.Messages(0, "", 10).size() == 2);
  const auto stats = f.Stats("sms");
  CHECK(stats.received == 2);
  CHECK(stats.accepted == 1);
  CHECK(stats.duplicates == 1);
}

TEST_CASE("a missing or wrong token is refused before the body is looked at",
          "[provider_sim][simulator]") {
  Fixture f;
  CHECK(f.simulator.Submit("sms", "", Body("n-1")).kind == Kind::kUnauthorized);
  CHECK(f.simulator.Submit("sms", "Bearer wrong", "not json").kind == Kind::kUnauthorized);
  CHECK(f.simulator.Submit("sms", "Bearer t0ken", "not json").kind == Kind::kBadRequest);
  const auto stats = f.Stats("sms");
  CHECK(stats.received == 3);
  CHECK(stats.unauthorized == 2);
  CHECK(stats.bad_request == 1);
  CHECK(stats.accepted == 0);
}

TEST_CASE("a bad body is refused with the reason", "[provider_sim][simulator]") {
  Fixture f;
  const auto outcome = f.Post("sms", R"({"client_message_id":"a","to":"","text":"t"})");
  CHECK(outcome.kind == Kind::kBadRequest);
  CHECK(outcome.error == "message body: \"to\" is empty");
  CHECK(f.simulator.Messages(0, "", 10).empty());
}

TEST_CASE("the rate limit refuses beyond the burst until tokens return",
          "[provider_sim][simulator]") {
  Fixture f;
  FaultSettings faults;
  faults.rate_limit_per_second = 10;
  faults.burst = 2;
  f.simulator.SetFaults("push", faults);
  CHECK(f.Post("push", Body("a")).kind == Kind::kAccepted);
  CHECK(f.Post("push", Body("a")).kind == Kind::kDuplicate);
  const auto refused = f.Post("push", Body("b"));
  CHECK(refused.kind == Kind::kRateLimited);
  CHECK(refused.retry_after == milliseconds(100));
  CHECK(f.Post("sms", Body("b")).kind == Kind::kAccepted);  // other providers are not limited
  f.clock.Advance(milliseconds(100));
  CHECK(f.Post("push", Body("b")).kind == Kind::kAccepted);
  const auto stats = f.Stats("push");
  CHECK(stats.received == 4);
  CHECK(stats.rejected_rate_limited == 1);
  CHECK(stats.accepted == 2);
  CHECK(stats.duplicates == 1);
}

TEST_CASE("injected failures hit every k-th request and record nothing",
          "[provider_sim][simulator]") {
  Fixture f;
  FaultSettings faults;
  faults.fail_ratio = 0.5;
  faults.fail_status = 502;
  f.simulator.SetFaults("wechat", faults);
  CHECK(f.Post("wechat", Body("a")).kind == Kind::kAccepted);
  const auto failed = f.Post("wechat", Body("b"));
  CHECK(failed.kind == Kind::kFailed);
  CHECK(failed.fail_status == 502);
  CHECK(f.Post("wechat", Body("b")).kind == Kind::kAccepted);
  CHECK(f.Post("wechat", Body("a")).kind == Kind::kFailed);  // repeats fail like any request
  CHECK(f.Post("wechat", Body("a")).kind == Kind::kDuplicate);
  CHECK(f.simulator.Messages(0, "wechat", 10).size() == 2);
  CHECK(f.Stats("wechat").failed_injected == 2);
  // New settings start the count afresh.
  f.simulator.SetFaults("wechat", faults);
  CHECK(f.Post("wechat", Body("c")).kind == Kind::kAccepted);
  CHECK(f.Post("wechat", Body("d")).kind == Kind::kFailed);
}

TEST_CASE("latency applies to every answer but 401", "[provider_sim][simulator]") {
  Fixture f;
  FaultSettings faults;
  faults.latency = milliseconds(150);
  faults.fail_ratio = 0.5;
  f.simulator.SetFaults("voice", faults);
  CHECK(f.Post("voice", Body("a")).latency == milliseconds(150));
  CHECK(f.Post("voice", Body("b")).latency == milliseconds(150));  // the failed one
  CHECK(f.Post("voice", "{}").latency == milliseconds(150));
  CHECK(f.simulator.Submit("voice", "", Body("a")).latency == milliseconds(0));
}

TEST_CASE("faults of a provider not seen yet are the configured defaults",
          "[provider_sim][simulator]") {
  SimulatorSettings settings;
  settings.config.defaults.report_delay = milliseconds(20);
  settings.config.providers["sms"].fail_ratio = 1;
  Fixture f(settings);
  CHECK(f.simulator.Faults("email").report_delay == milliseconds(20));
  CHECK(f.simulator.Faults("sms").fail_ratio == 1);
  CHECK(f.Post("sms", Body("a")).kind == Kind::kFailed);
  CHECK(f.simulator.default_faults().report_delay == milliseconds(20));
  // Configured providers show in the stats before their first request.
  CHECK(f.simulator.GetStats().providers.count("sms") == 1);
  CHECK(f.simulator.GetStats().providers.count("email") == 0);
}

TEST_CASE("a report is due after the provider's delay with the decided status",
          "[provider_sim][simulator]") {
  SimulatorSettings settings;
  settings.config.defaults.undeliverable_prefixes = {"+86170"};
  Fixture f(settings);
  const std::string callback = "http://127.0.0.1:9/reports";
  f.Post("sms", Body("a", "+86 170 0000 0000", callback));
  f.clock.Advance(milliseconds(50));
  f.Post("sms", Body("b", "13812345678", callback));
  f.Post("sms", Body("c"));  // no callback: no report
  CHECK(f.simulator.NextReportDue() == kStart + milliseconds(200));
  CHECK(f.simulator.Messages(0, "", 10)[0].report == ReportState::kPending);
  CHECK(f.simulator.Messages(0, "", 10)[2].report == ReportState::kNone);
  f.clock.Advance(milliseconds(149));
  CHECK(f.simulator.TakeDueReports(10).empty());
  f.clock.Advance(milliseconds(1));
  auto due = f.simulator.TakeDueReports(10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].provider_message_id == "sms-1");
  CHECK(due[0].client_message_id == "a");
  CHECK(due[0].callback_url == callback);
  CHECK(due[0].status == DeliveryStatus::kUndeliverable);
  CHECK(due[0].attempts == 1);
  f.simulator.ReportSent(due[0]);
  const auto first = f.simulator.Messages(0, "", 1)[0];
  CHECK(first.outcome == DeliveryStatus::kUndeliverable);
  CHECK(first.report == ReportState::kSent);
  CHECK(first.report_attempts == 1);
  CHECK(f.Stats("sms").reports_sent == 1);
  f.clock.Advance(milliseconds(50));
  due = f.simulator.TakeDueReports(10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].status == DeliveryStatus::kDelivered);
  CHECK(f.simulator.GetStats().reports_pending == 0);
}

TEST_CASE("a failed report is retried with doubling waits and then lost",
          "[provider_sim][simulator]") {
  SimulatorSettings settings;
  settings.report_attempts = 3;
  settings.config.defaults.report_delay = milliseconds(0);
  Fixture f(settings);
  f.Post("sms", Body("a", "1", "http://127.0.0.1:9/r"));
  auto due = f.simulator.TakeDueReports(10);
  REQUIRE(due.size() == 1);
  CHECK_FALSE(f.simulator.ReportFailed(due[0]));
  CHECK(f.simulator.NextReportDue() == kStart + milliseconds(100));
  CHECK(f.simulator.Messages(0, "", 1)[0].report == ReportState::kPending);
  CHECK(f.simulator.Messages(0, "", 1)[0].report_attempts == 1);
  f.clock.Advance(milliseconds(100));
  due = f.simulator.TakeDueReports(10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].attempts == 2);
  CHECK_FALSE(f.simulator.ReportFailed(due[0]));
  CHECK(f.simulator.NextReportDue() == kStart + milliseconds(300));
  f.clock.Advance(milliseconds(200));
  due = f.simulator.TakeDueReports(10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].attempts == 3);
  CHECK(f.simulator.ReportFailed(due[0]));
  CHECK(f.simulator.NextReportDue() == std::nullopt);
  CHECK(f.simulator.Messages(0, "", 1)[0].report == ReportState::kLost);
  CHECK(f.simulator.Messages(0, "", 1)[0].report_attempts == 3);
  CHECK(f.Stats("sms").reports_lost == 1);
  CHECK(f.Stats("sms").reports_sent == 0);
}

TEST_CASE("clearing drops messages and waiting reports but keeps counters",
          "[provider_sim][simulator]") {
  Fixture f;
  f.Post("sms", Body("a", "1", "http://127.0.0.1:9/r"));
  f.Post("sms", Body("b"));
  CHECK(f.simulator.ClearMessages() == 2);
  CHECK(f.simulator.Messages(0, "", 10).empty());
  CHECK(f.simulator.NextReportDue() == std::nullopt);
  CHECK(f.Post("sms", Body("a")).kind == Kind::kAccepted);
  CHECK(f.Stats("sms").accepted == 3);
  const auto stats = f.simulator.GetStats();
  CHECK(stats.messages_kept == 1);
  CHECK(stats.last_seq == 3);
  f.simulator.ResetStats();
  CHECK(f.Stats("sms").accepted == 0);
  CHECK(f.Stats("sms").received == 0);
}

TEST_CASE("a report whose message was dropped still counts when sent",
          "[provider_sim][simulator]") {
  SimulatorSettings settings;
  settings.record_limit = 1;
  settings.config.defaults.report_delay = milliseconds(0);
  Fixture f(settings);
  f.Post("sms", Body("a", "1", "http://127.0.0.1:9/r"));
  f.Post("sms", Body("b"));
  const auto due = f.simulator.TakeDueReports(10);
  REQUIRE(due.size() == 1);
  f.simulator.ReportSent(due[0]);
  const auto stats = f.simulator.GetStats();
  CHECK(stats.providers.at("sms").reports_sent == 1);
  CHECK(stats.messages_kept == 1);
  CHECK(stats.messages_dropped == 1);
}

TEST_CASE("a reply goes to the answered message's callback at once and leaves its report alone",
          "[provider_sim][simulator]") {
  Fixture f;
  const std::string callback = "http://127.0.0.1:9/callbacks/sms";
  f.Post("sms", Body("n-1", "13812345678", callback));
  f.clock.Advance(milliseconds(300));
  auto report = f.simulator.TakeDueReports(10);
  REQUIRE(report.size() == 1);
  f.simulator.ReportSent(report[0]);

  auto reply = f.simulator.Reply("sms", "sms-1", "还是没电");
  REQUIRE(reply.ok());
  CHECK(*reply == "sms-r1");
  CHECK(f.simulator.NextReportDue() == f.clock.Now());
  auto due = f.simulator.TakeDueReports(10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].reply_id == "sms-r1");
  CHECK(due[0].reply_from == "13812345678");
  CHECK(due[0].reply_text == "还是没电");
  CHECK(due[0].client_message_id == "n-1");
  CHECK(due[0].callback_url == callback);
  CHECK_FALSE(f.simulator.ReportFailed(due[0]));  // retried like a report
  f.clock.Advance(milliseconds(100));
  due = f.simulator.TakeDueReports(10);
  REQUIRE(due.size() == 1);
  f.simulator.ReportSent(due[0]);
  CHECK(f.Stats("sms").replies_sent == 1);
  CHECK(f.Stats("sms").reports_sent == 1);
  const auto message = f.simulator.Messages(0, "", 1)[0];
  CHECK(message.report == ReportState::kSent);
  CHECK(message.report_attempts == 1);
  CHECK(*f.simulator.Reply("sms", "sms-1", "again") == "sms-r2");
}

TEST_CASE("a reply needs a kept message of that provider with a callback and a short text",
          "[provider_sim][simulator]") {
  Fixture f;
  f.Post("sms", Body("n-1", "13812345678", "http://127.0.0.1:9/r"));
  f.Post("sms", Body("n-2"));
  using core::ErrorKind;
  CHECK(f.simulator.Reply("sms", "sms-9", "x").error().kind == ErrorKind::kNotFound);
  CHECK(f.simulator.Reply("wechat", "sms-1", "x").error().kind == ErrorKind::kNotFound);
  CHECK(f.simulator.Reply("sms", "sms-x", "x").error().kind == ErrorKind::kNotFound);
  CHECK(f.simulator.Reply("sms", "", "x").error().kind == ErrorKind::kNotFound);
  CHECK(f.simulator.Reply("sms", "sms-2", "x").error().kind == ErrorKind::kFailedPrecondition);
  CHECK(f.simulator.Reply("sms", "sms-1", "").error().kind == ErrorKind::kInvalidArgument);
  CHECK(f.simulator.Reply("sms", "sms-1", std::string(1025, 'a')).error().kind ==
        ErrorKind::kInvalidArgument);
  CHECK(f.simulator.Reply("sms", "sms-1", std::string(1024, 'a')).ok());
}

}  // namespace
}  // namespace gridcare::provider_sim
