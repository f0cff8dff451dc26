// The provider API's pure parts: the message body, callback URLs, bearer tokens, provider names
// and the delivery-report body.
#include "provider_api.h"

#include <catch2/catch.hpp>
#include <string>

namespace gridcare::provider_sim {
namespace {

std::string ErrorOf(std::string_view body) {
  auto parsed = ParseMessageRequest(body);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == core::ErrorKind::kInvalidArgument);
  return parsed.error().message;
}

TEST_CASE("a full message body is read field by field", "[provider_sim][api]") {
  auto parsed = ParseMessageRequest(
      R"({"client_message_id":"n-1","to":"+86 138 1234 5678","text":"您好，停电通知",)"
      R"("template_id":"outage.started","language":"zh-CN",)"
      R"("callback_url":"http://127.0.0.1:8080/reports"})");
  REQUIRE(parsed.ok());
  CHECK(parsed->client_message_id == "n-1");
  CHECK(parsed->to == "+86 138 1234 5678");
  CHECK(parsed->text == "您好，停电通知");
  CHECK(parsed->template_id == "outage.started");
  CHECK(parsed->language == "zh-CN");
  CHECK(parsed->callback_url == "http://127.0.0.1:8080/reports");
}

TEST_CASE("optional fields may be left out or null", "[provider_sim][api]") {
  auto parsed = ParseMessageRequest(
      R"({"client_message_id":"n-2","to":"openid-x","text":"hi","template_id":null,"language":"en"})");
  REQUIRE(parsed.ok());
  CHECK(parsed->template_id.empty());
  CHECK(parsed->language == "en");
  CHECK(parsed->callback_url.empty());
}

TEST_CASE("a bad message body names the field and never quotes the recipient or text",
          "[provider_sim][api]") {
  CHECK(ErrorOf(R"({"to":"13812345678","text":"t"})") ==
        "message body: \"client_message_id\" is missing");
  CHECK(ErrorOf(R"({"client_message_id":"a","text":"t"})") == "message body: \"to\" is missing");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":"","text":"t"})") ==
        "message body: \"to\" is empty");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":13812345678,"text":"t"})") ==
        "message body: \"to\" must be a string, got number");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":"13812345678"})") ==
        "message body: \"text\" is missing");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":"13812345678","text":""})") ==
        "message body: \"text\" is empty");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":"1","text":"t","language":"fr"})") ==
        "message body: \"language\" must be \"zh-CN\" or \"en\", got \"fr\"");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":"1","text":"t","lang":"en"})") ==
        "message body: unknown key \"lang\" (known: client_message_id, to, text, template_id, "
        "language, callback_url)");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":"1","to":"2","text":"t"})") ==
        "message body: key \"to\" given more than once");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":"1","text":"t","callback_url":"https://x/r"})") ==
        "message body: \"callback_url\" must start with http:// (https is not supported)");
  CHECK(ErrorOf(R"(["a"])") == "message body: expected a JSON object, got array");
  CHECK(ErrorOf("").starts_with("message body: not valid JSON: "));
  CHECK(
      ErrorOf(R"({"client_message_id":")" + std::string(129, 'x') + R"(","to":"1","text":"t"})") ==
      "message body: \"client_message_id\" is longer than 128 bytes");
  CHECK(ErrorOf(R"({"client_message_id":"a","to":"1","text":")" + std::string(8193, 'x') +
                R"("})") == "message body: \"text\" is longer than 8192 bytes");
}

TEST_CASE("callback URLs are http with a host and an optional port and path",
          "[provider_sim][api]") {
  auto full = ParseCallbackUrl("http://127.0.0.1:9000/notify/reports?x=1");
  REQUIRE(full.ok());
  CHECK(full->host == "127.0.0.1");
  CHECK(full->port == 9000);
  CHECK(full->path == "/notify/reports?x=1");
  CHECK(full->Authority() == "127.0.0.1:9000");
  auto bare = ParseCallbackUrl("http://notification");
  REQUIRE(bare.ok());
  CHECK(bare->host == "notification");
  CHECK(bare->port == 80);
  CHECK(bare->path == "/");
  auto v6 = ParseCallbackUrl("http://[::1]:81/r");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 81);
  auto v6_no_port = ParseCallbackUrl("http://[::1]/r");
  REQUIRE(v6_no_port.ok());
  CHECK(v6_no_port->port == 80);
  CHECK(ParseCallbackUrl("ftp://x/r").error().message ==
        "must start with http:// (https is not supported)");
  CHECK(ParseCallbackUrl("http:///r").error().message == "has no host");
  CHECK(ParseCallbackUrl("http://h:0/r").error().message == "has an invalid port");
  CHECK(ParseCallbackUrl("http://h:99999/r").error().message == "has an invalid port");
  CHECK(ParseCallbackUrl("http://::1/r").error().message == "has an IPv6 host without brackets");
}

TEST_CASE("the bearer token must match when one is configured", "[provider_sim][api]") {
  CHECK(BearerMatches("Bearer s3cret", "s3cret"));
  CHECK(BearerMatches("bearer s3cret", "s3cret"));
  CHECK(BearerMatches("BEARER  s3cret ", "s3cret"));
  CHECK_FALSE(BearerMatches("Bearer s3cre", "s3cret"));
  CHECK_FALSE(BearerMatches("Bearer s3cretx", "s3cret"));
  CHECK_FALSE(BearerMatches("Bearer S3cret", "s3cret"));
  CHECK_FALSE(BearerMatches("Basic czNjcmV0", "s3cret"));
  CHECK_FALSE(BearerMatches("", "s3cret"));
}

TEST_CASE("without a configured token any non-empty bearer token passes", "[provider_sim][api]") {
  CHECK(BearerMatches("Bearer anything", ""));
  CHECK_FALSE(BearerMatches("Bearer ", ""));
  CHECK_FALSE(BearerMatches("Bearer    ", ""));
  CHECK_FALSE(BearerMatches("Bearer", ""));
  CHECK_FALSE(BearerMatches("Token abc", ""));
  CHECK_FALSE(BearerMatches("", ""));
}

TEST_CASE("provider names are short words of letters digits and _ . -", "[provider_sim][api]") {
  CHECK(IsValidProviderName("sms"));
  CHECK(IsValidProviderName("wechat_tpl-2.cn"));
  CHECK(IsValidProviderName(std::string(64, 'a')));
  CHECK_FALSE(IsValidProviderName(std::string(65, 'a')));
  CHECK_FALSE(IsValidProviderName(""));
  CHECK_FALSE(IsValidProviderName("a/b"));
  CHECK_FALSE(IsValidProviderName("短信"));
  CHECK_FALSE(IsValidProviderName("a b"));
}

TEST_CASE("a delivery report body carries both ids the status a reason and the time",
          "[provider_sim][api]") {
  const auto at = core::FromUnixMillis(1'800'000'000'123);
  CHECK(DeliveryReportJson("sms-7", "n-1", DeliveryStatus::kDelivered, at) ==
        R"({"client_message_id":"n-1","provider_message_id":"sms-7","reason":"ok",)"
        R"("reported_at":"2027-01-15T08:00:00.123Z","status":"delivered"})");
  CHECK(DeliveryReportJson("sms-8", "n-2", DeliveryStatus::kUndeliverable, at) ==
        R"({"client_message_id":"n-2","provider_message_id":"sms-8",)"
        R"("reason":"recipient_unreachable","reported_at":"2027-01-15T08:00:00.123Z",)"
        R"("status":"undeliverable"})");
}

TEST_CASE("a reply body names itself a reply and carries both ids the sender and the text",
          "[provider_sim][api]") {
  const auto at = core::FromUnixMillis(1'800'000'000'123);
  CHECK(ReplyJson("sms-r1", "sms-7", "n-1", "13812345678", "还是没电", at) ==
        R"({"client_message_id":"n-1","from":"13812345678","provider_message_id":"sms-7",)"
        R"("received_at":"2027-01-15T08:00:00.123Z","reply_id":"sms-r1","text":"还是没电",)"
        R"("type":"reply"})");
}

}  // namespace
}  // namespace gridcare::provider_sim
