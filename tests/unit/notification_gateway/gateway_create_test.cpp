#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "delivery_policy_config.h"
#include "gridcare/testing/process.h"
#include "http_message_gateway.h"

namespace gridcare::notification {
namespace {

using C = DeliveryChannel;
using gridcare::testing::TempDir;

GatewaySettings Settings() {
  GatewaySettings settings;
  settings.default_base_url = "http://127.0.0.1:8095/providers";
  settings.default_token = config::Secret("default-token");
  settings.callback_base_url = "http://127.0.0.1:8096/callbacks";
  return settings;
}

std::string WriteFile(const TempDir& dir, const std::string& name, const std::string& content) {
  const auto path = dir.path() / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

void RequireError(const core::Result<std::unique_ptr<HttpMessageGateway>>& gateway,
                  core::ErrorKind kind, const std::string& message) {
  REQUIRE_FALSE(gateway.ok());
  CHECK(gateway.error().kind == kind);
  CHECK(gateway.error().message == message);
}

TEST_CASE("With the defaults every channel posts under the default base URL") {
  auto gateway = HttpMessageGateway::Create(DeliveryPolicy{}, Settings());
  REQUIRE(gateway.ok());
  CHECK((*gateway)->MessagesUrl(C::kSms) ==
        "http://127.0.0.1:8095/providers/sms-gateway/v1/messages");
  CHECK((*gateway)->MessagesUrl(C::kStaffMessenger) ==
        "http://127.0.0.1:8095/providers/work-messenger-webhook/v1/messages");
  CHECK((*gateway)->MessagesUrl(C::kEmail) ==
        "http://127.0.0.1:8095/providers/smtp-relay/v1/messages");
}

TEST_CASE("An empty batch is answered at once with no results") {
  auto gateway = HttpMessageGateway::Create(DeliveryPolicy{}, Settings());
  REQUIRE(gateway.ok());
  CHECK((*gateway)->SendAll({}).empty());
}

TEST_CASE("A provider url and a token file with a trailing newline are accepted") {
  TempDir dir;
  DeliveryPolicy policy;
  policy.providers[static_cast<size_t>(C::kSms)].url = "https://sms.example.com:8443/api";
  policy.providers[static_cast<size_t>(C::kSms)].token_file =
      WriteFile(dir, "sms-token", "s3cret\n");
  GatewaySettings settings = Settings();
  settings.callback_base_url.clear();  // no delivery reports: allowed
  auto gateway = HttpMessageGateway::Create(policy, settings);
  REQUIRE(gateway.ok());
  CHECK((*gateway)->MessagesUrl(C::kSms) == "https://sms.example.com:8443/api/v1/messages");
}

TEST_CASE("max_in_flight outside 1 to 10000 is refused") {
  for (const int bad : {0, -1, 10001}) {
    GatewaySettings settings = Settings();
    settings.max_in_flight = bad;
    RequireError(HttpMessageGateway::Create(DeliveryPolicy{}, settings),
                 core::ErrorKind::kInvalidArgument,
                 "max_in_flight must be in 1..10000, got " + std::to_string(bad));
  }
  for (const int good : {1, 10000}) {
    GatewaySettings settings = Settings();
    settings.max_in_flight = good;
    CHECK(HttpMessageGateway::Create(DeliveryPolicy{}, settings).ok());
  }
}

TEST_CASE("A provider without a url needs the default base URL") {
  GatewaySettings settings = Settings();
  settings.default_base_url.clear();
  RequireError(HttpMessageGateway::Create(DeliveryPolicy{}, settings),
               core::ErrorKind::kInvalidArgument,
               "provider sms-gateway (channel sms): no \"url\" in the delivery policy and no "
               "default base URL");
}

TEST_CASE("Base URLs libcurl refuses or that are not http are refused") {
  struct Case {
    std::string base;
    std::string message;
  };
  const std::string who = "provider sms-gateway (channel sms): the URL ";
  const std::vector<Case> cases = {
      {"127.0.0.1:8095/providers",
       who + "is not a URL libcurl accepts: \"127.0.0.1:8095/providers/sms-gateway/\""},
      {"ftp://127.0.0.1/providers",
       who + "must be an http:// or https:// URL, got \"ftp://127.0.0.1/providers/sms-gateway/\""},
      {"http://user:pw@127.0.0.1:8095/providers",
       who + "must not hold credentials (use a token file)"},
      {"http://127.0.0.1:8095/providers?key=1",
       who + "must have no query or fragment, got \"http://127.0.0.1:8095/providers?key=1/"
             "sms-gateway/\""},
  };
  for (const Case& bad : cases) {
    INFO(bad.base);
    GatewaySettings settings = Settings();
    settings.default_base_url = bad.base;
    RequireError(HttpMessageGateway::Create(DeliveryPolicy{}, settings),
                 core::ErrorKind::kInvalidArgument, bad.message);
  }
}

TEST_CASE("A bad callback base URL is refused") {
  GatewaySettings settings = Settings();
  settings.callback_base_url = "callbacks";
  RequireError(HttpMessageGateway::Create(DeliveryPolicy{}, settings),
               core::ErrorKind::kInvalidArgument,
               "the callback base URL is not a URL libcurl accepts: \"callbacks\"");
  settings.callback_base_url = "https://u:p@notification:8096/callbacks";
  RequireError(HttpMessageGateway::Create(DeliveryPolicy{}, settings),
               core::ErrorKind::kInvalidArgument,
               "the callback base URL must not hold credentials (use a token file)");
}

TEST_CASE("A provider with no token file needs the default token") {
  GatewaySettings settings = Settings();
  settings.default_token = config::Secret();
  RequireError(HttpMessageGateway::Create(DeliveryPolicy{}, settings),
               core::ErrorKind::kInvalidArgument,
               "provider sms-gateway (channel sms): no \"token_file\" and no default token");
  settings.default_token = config::Secret("two\nlines");
  RequireError(HttpMessageGateway::Create(DeliveryPolicy{}, settings),
               core::ErrorKind::kInvalidArgument, "the default token holds a control character");
}

TEST_CASE("A token file that cannot be read is not found and named") {
  TempDir dir;
  const std::string missing = (dir.path() / "absent").string();
  DeliveryPolicy policy;
  policy.providers[static_cast<size_t>(C::kWeChat)].token_file = missing;
  RequireError(
      HttpMessageGateway::Create(policy, Settings()), core::ErrorKind::kNotFound,
      "provider wechat-official-account (channel wechat): cannot read token file " + missing);
}

TEST_CASE("An empty token file or one with a control character is refused") {
  TempDir dir;
  DeliveryPolicy policy;
  auto& voice = policy.providers[static_cast<size_t>(C::kVoiceCall)];
  voice.token_file = WriteFile(dir, "empty", "\n");
  RequireError(
      HttpMessageGateway::Create(policy, Settings()), core::ErrorKind::kInvalidArgument,
      "provider voice-gateway (channel voice_call): token file " + voice.token_file + " is empty");
  voice.token_file = WriteFile(dir, "two-lines", "abc\ndef\n");
  RequireError(HttpMessageGateway::Create(policy, Settings()), core::ErrorKind::kInvalidArgument,
               "provider voice-gateway (channel voice_call): token file " + voice.token_file +
                   " holds a control character");
}

TEST_CASE("Refusals never quote a token") {
  TempDir dir;
  DeliveryPolicy policy;
  auto& email = policy.providers[static_cast<size_t>(C::kEmail)];
  email.token_file = WriteFile(dir, "token", "hunter2\x01");
  auto gateway = HttpMessageGateway::Create(policy, Settings());
  REQUIRE_FALSE(gateway.ok());
  CHECK(gateway.error().message.find("hunter2") == std::string::npos);
}

}  // namespace
}  // namespace gridcare::notification
