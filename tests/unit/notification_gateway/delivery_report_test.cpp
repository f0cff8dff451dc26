#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "message_gateway.h"

namespace gridcare::notification {
namespace {

TEST_CASE("A delivered report is read into every field") {
  auto report = ParseDeliveryReport(
      R"({"provider_message_id":"sms-17","client_message_id":"n-0001","status":"delivered",)"
      R"("reason":"ok","reported_at":"2026-11-24T01:53:10.323Z"})");
  REQUIRE(report.ok());
  CHECK(report->provider_message_id == "sms-17");
  CHECK(report->notification_id == "n-0001");
  CHECK(report->delivered);
  CHECK(report->reason == "ok");
  CHECK(core::ToUnixMillis(report->reported_at) == 1795485190323);
  CHECK(core::FormatRfc3339(report->reported_at) == "2026-11-24T01:53:10.323Z");
}

TEST_CASE("An undeliverable report with an offset time and no reason is read") {
  auto report =
      ParseDeliveryReport(R"({"reported_at":"2026-11-24T09:53:10+08:00","status":"undeliverable",)"
                          R"("client_message_id":"n-2","provider_message_id":"wechat-3"})");
  REQUIRE(report.ok());
  CHECK_FALSE(report->delivered);
  CHECK(report->reason.empty());
  CHECK(report->notification_id == "n-2");
  CHECK(report->provider_message_id == "wechat-3");
  CHECK(core::FormatRfc3339(report->reported_at) == "2026-11-24T01:53:10.000Z");
}

TEST_CASE("Keys a provider adds to a report are ignored") {
  auto report = ParseDeliveryReport(
      R"({"provider_message_id":"p-1","client_message_id":"n-1","status":"delivered",)"
      R"("reason":"recipient_unreachable","reported_at":"2026-01-01T00:00:00Z","cost":0.05})");
  REQUIRE(report.ok());
  CHECK(report->reason == "recipient_unreachable");
  CHECK(report->delivered);
}

struct BadReport {
  std::string body;
  std::string message;  // after "delivery report: "
};

const std::string kGoodTail = R"("reason":"ok","reported_at":"2026-11-24T01:53:10.323Z"})";

std::vector<BadReport> BadReports() {
  const std::string ids = R"({"provider_message_id":"sms-1","client_message_id":"n-1",)";
  const std::string long_status(100, 'x');
  return {
      {"[]", "expected a JSON object, got array"},
      {R"("delivered")", "expected a JSON object, got string"},
      {R"({"client_message_id":"n-1","status":"delivered",)" + kGoodTail,
       "\"provider_message_id\" is missing"},
      {R"({"provider_message_id":"","client_message_id":"n-1","status":"delivered",)" + kGoodTail,
       "\"provider_message_id\" must be a non-empty string, got \"\""},
      {R"({"provider_message_id":17,"client_message_id":"n-1","status":"delivered",)" + kGoodTail,
       "\"provider_message_id\" must be a non-empty string, got 17"},
      {R"({"provider_message_id":"sms-1","status":"delivered",)" + kGoodTail,
       "\"client_message_id\" is missing"},
      {R"({"provider_message_id":"sms-1","client_message_id":null,"status":"delivered",)" +
           kGoodTail,
       "\"client_message_id\" must be a non-empty string, got null"},
      {R"({"provider_message_id":"sms-1","client_message_id":"","status":"delivered",)" + kGoodTail,
       "\"client_message_id\" must be a non-empty string, got \"\""},
      {ids + kGoodTail, "\"status\" is missing"},
      {ids + R"("status":true,)" + kGoodTail, "\"status\" must be a non-empty string, got true"},
      {ids + R"("status":"",)" + kGoodTail, "\"status\" must be a non-empty string, got \"\""},
      {ids + R"("status":"Delivered",)" + kGoodTail,
       "\"status\" must be \"delivered\" or \"undeliverable\", got \"Delivered\""},
      {ids + R"("status":"lost",)" + kGoodTail,
       "\"status\" must be \"delivered\" or \"undeliverable\", got \"lost\""},
      {ids + R"("status":")" + long_status + "\"," + kGoodTail,
       "\"status\" must be \"delivered\" or \"undeliverable\", got \"" + std::string(63, 'x') +
           "…"},
      {ids + R"("status":"delivered","reason":7,"reported_at":"2026-11-24T01:53:10Z"})",
       "\"reason\" must be a string, got 7"},
      {ids + R"("status":"delivered","reason":"ok"})", "\"reported_at\" is missing"},
      {ids + R"("status":"delivered","reported_at":1795485190})",
       "\"reported_at\" must be a non-empty string, got 1795485190"},
      {ids + R"("status":"delivered","reported_at":"yesterday"})",
       "\"reported_at\" must be an RFC 3339 time, got \"yesterday\""},
      {ids + R"("status":"delivered","reported_at":"2026-11-24 01:53:10"})",
       "\"reported_at\" must be an RFC 3339 time, got \"2026-11-24 01:53:10\""},
      {ids + R"("status":"delivered","reported_at":"2026-13-24T01:53:10Z"})",
       "\"reported_at\" must be an RFC 3339 time, got \"2026-13-24T01:53:10Z\""},
      {ids + R"("status":"delivered","status":"undeliverable",)" + kGoodTail,
       "key \"status\" given more than once"},
  };
}

TEST_CASE("Every malformed report names the field in its message") {
  for (const BadReport& bad : BadReports()) {
    INFO(bad.body);
    auto report = ParseDeliveryReport(bad.body);
    REQUIRE_FALSE(report.ok());
    CHECK(report.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK(report.error().message == "delivery report: " + bad.message);
  }
}

TEST_CASE("A report that is not JSON is invalid") {
  for (const std::string body : {"", "{", "status=delivered"}) {
    INFO(body);
    auto report = ParseDeliveryReport(body);
    REQUIRE_FALSE(report.ok());
    CHECK(report.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK(report.error().message.rfind("delivery report: not valid JSON: ", 0) == 0);
  }
}

}  // namespace
}  // namespace gridcare::notification
