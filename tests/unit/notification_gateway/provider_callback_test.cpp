// ParseProviderCallback: a body without "type" (or "report") is a delivery report; "reply" is a
// customer's reply; errors name the field and never quote who answered or what they wrote.
#include <catch2/catch.hpp>
#include <string>

#include "gridcare/core/clock.h"
#include "message_gateway.h"

namespace gridcare::notification {
namespace {

constexpr char kReply[] = R"({"type":"reply","reply_id":"sms-r1","provider_message_id":"sms-17",)"
                          R"("client_message_id":"n-0001","from":"13812345678","text":"还是没电",)"
                          R"("received_at":"2026-11-24T02:10:00.000Z"})";

std::string Without(std::string body, const std::string& key_and_value) {
  const auto at = body.find(key_and_value);
  REQUIRE(at != std::string::npos);
  body.erase(at, key_and_value.size());
  return body;
}

TEST_CASE("A reply is read into every field") {
  auto callback = ParseProviderCallback(kReply);
  REQUIRE(callback.ok());
  REQUIRE(std::holds_alternative<InboundReply>(*callback));
  const auto& reply = std::get<InboundReply>(*callback);
  CHECK(reply.reply_id == "sms-r1");
  CHECK(reply.provider_message_id == "sms-17");
  CHECK(reply.notification_id == "n-0001");
  CHECK(reply.from == "13812345678");
  CHECK(reply.text == "还是没电");
  CHECK(core::FormatRfc3339(reply.received_at) == "2026-11-24T02:10:00.000Z");
}

TEST_CASE("A callback without a type or of type report is a delivery report") {
  const std::string report =
      R"("provider_message_id":"sms-17","client_message_id":"n-1","status":"delivered",)"
      R"("reported_at":"2026-11-24T01:53:10.323Z"})";
  for (const std::string& body : {"{" + report, R"({"type":"report",)" + report}) {
    auto callback = ParseProviderCallback(body);
    REQUIRE(callback.ok());
    REQUIRE(std::holds_alternative<DeliveryReport>(*callback));
    CHECK(std::get<DeliveryReport>(*callback).notification_id == "n-1");
  }
}

TEST_CASE("A bad reply names the field and never quotes the sender or the text") {
  struct Case {
    std::string body;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {Without(kReply, R"("reply_id":"sms-r1",)"), R"("reply_id" is missing)"},
      {Without(kReply, R"("from":"13812345678",)"), R"("from" is missing)"},
      {Without(kReply, R"("text":"还是没电",)"), R"("text" is missing)"},
      {Without(kReply, R"("client_message_id":"n-0001",)"), R"("client_message_id" is missing)"},
      {std::string(kReply).replace(std::string(kReply).find("\"13812345678\""), 13, "12"),
       R"("from" must be a non-empty string)"},
      {std::string(kReply).replace(std::string(kReply).find("sms-r1"), 6, "sms r1"),
       R"("reply_id" must be 1-64 printable ASCII characters)"},
      {std::string(kReply).replace(std::string(kReply).find("2026-11-24T02"), 13, "yesterday"),
       R"("received_at" must be an RFC 3339 time)"},
      {std::string(kReply).replace(std::string(kReply).find(R"("reply")"), 7, R"("mo")"),
       R"("type" must be "report" or "reply", got "mo")"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    auto callback = ParseProviderCallback(c.body);
    REQUIRE_FALSE(callback.ok());
    CHECK(callback.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_THAT(callback.error().message, Catch::Contains(c.expected));
    CHECK_THAT(callback.error().message, !Catch::Contains("13812345678"));
    CHECK_THAT(callback.error().message, !Catch::Contains("还是没电"));
  }
  auto long_text = ParseProviderCallback(std::string(kReply).replace(
      std::string(kReply).find("还是没电"), 12, std::string(4001, 'a')));
  REQUIRE_FALSE(long_text.ok());
  CHECK_THAT(long_text.error().message, Catch::Contains("at most 4000 bytes"));
}

}  // namespace
}  // namespace gridcare::notification
