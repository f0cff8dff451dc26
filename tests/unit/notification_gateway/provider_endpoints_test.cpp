#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "delivery_policy_config.h"
#include "gridcare/core/clock.h"
#include "http_message_gateway.h"

namespace gridcare::notification {
namespace {

using C = DeliveryChannel;
using std::chrono::milliseconds;

ProviderSettings Named(std::string name, std::string url = "") {
  ProviderSettings settings;
  settings.provider = std::move(name);
  settings.url = std::move(url);
  return settings;
}

TEST_CASE("A provider without a url lives under the default base URL") {
  const auto sms = Named("sms-gateway");
  CHECK(ProviderBaseUrl(sms, "http://127.0.0.1:8095/providers") ==
        "http://127.0.0.1:8095/providers/sms-gateway/");
  CHECK(ProviderBaseUrl(sms, "http://127.0.0.1:8095/providers/") ==
        "http://127.0.0.1:8095/providers/sms-gateway/");
  CHECK(ProviderBaseUrl(sms, "http://127.0.0.1:8095/providers///") ==
        "http://127.0.0.1:8095/providers/sms-gateway/");
  CHECK(ProviderBaseUrl(sms, "http://gw") == "http://gw/sms-gateway/");
}

TEST_CASE("A provider's own url wins and ends in exactly one slash") {
  CHECK(ProviderBaseUrl(Named("sms", "https://sms.example.com/api"), "http://127.0.0.1:8095") ==
        "https://sms.example.com/api/");
  CHECK(ProviderBaseUrl(Named("sms", "https://sms.example.com/api/"), "") ==
        "https://sms.example.com/api/");
  CHECK(ProviderBaseUrl(Named("sms", "http://10.0.0.5:8095/providers/sms-gateway//"), "") ==
        "http://10.0.0.5:8095/providers/sms-gateway/");
}

TEST_CASE("Without a url and a default base URL there is no base URL") {
  CHECK(ProviderBaseUrl(Named("sms-gateway"), "").empty());
  CHECK(ProviderBaseUrl(Named("sms-gateway"), "/").empty());
}

TEST_CASE("The callback URL is the callback base followed by the provider name") {
  CHECK(ProviderCallbackUrl("http://127.0.0.1:8096/callbacks", "sms-gateway") ==
        "http://127.0.0.1:8096/callbacks/sms-gateway");
  CHECK(ProviderCallbackUrl("http://127.0.0.1:8096/callbacks/", "sms-gateway") ==
        "http://127.0.0.1:8096/callbacks/sms-gateway");
  CHECK(ProviderCallbackUrl("http://notification:8096", "app-push") ==
        "http://notification:8096/app-push");
  CHECK(ProviderCallbackUrl("", "sms-gateway").empty());
}

TEST_CASE("Provider names are 1 to 64 of letters digits underscore dot and hyphen") {
  CHECK(IsValidProviderName("sms-gateway"));
  CHECK(IsValidProviderName("a"));
  CHECK(IsValidProviderName("Az09_.-"));
  CHECK(IsValidProviderName(std::string(64, 'x')));
  CHECK_FALSE(IsValidProviderName(""));
  CHECK_FALSE(IsValidProviderName(std::string(65, 'x')));
  CHECK_FALSE(IsValidProviderName("sms gateway"));
  CHECK_FALSE(IsValidProviderName("sms/gateway"));
  CHECK_FALSE(IsValidProviderName("短信"));
  CHECK_FALSE(IsValidProviderName("sms?x=1"));
}

TEST_CASE("Delivery-seconds Retry-After values are read as they are") {
  const core::TimePoint now = core::FromUnixMillis(1'800'000'000'000);
  CHECK(ParseRetryAfter("0", now) == std::optional<int64_t>(0));
  CHECK(ParseRetryAfter("1", now) == std::optional<int64_t>(1));
  CHECK(ParseRetryAfter("120", now) == std::optional<int64_t>(120));
  CHECK(ParseRetryAfter("  7 \t", now) == std::optional<int64_t>(7));
  CHECK(ParseRetryAfter("9223372036854775807", now) == std::optional<int64_t>(9223372036854775807));
}

TEST_CASE("An HTTP-date Retry-After becomes the seconds from now and never less than 0") {
  // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480 s after the epoch.
  const core::TimePoint now = core::FromUnixMillis(int64_t{1445412480} * 1000 - 90'000);
  CHECK(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now) == std::optional<int64_t>(90));
  CHECK(ParseRetryAfter("Wednesday, 21-Oct-15 07:28:00 GMT", now) == std::optional<int64_t>(90));
  CHECK(ParseRetryAfter("Wed Oct 21 07:28:00 2015", now) == std::optional<int64_t>(90));
  const core::TimePoint later = core::FromUnixMillis(int64_t{1445412480} * 1000 + 5'000);
  CHECK(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", later) == std::optional<int64_t>(0));
}

TEST_CASE("Retry-After values that are neither seconds nor a date are ignored") {
  const core::TimePoint now = core::FromUnixMillis(1'800'000'000'000);
  for (const char* value :
       {"", "   ", "-1", "+5", "1.5", "5s", "soon", "Mon", "99999999999999999999", "1 2"}) {
    INFO(value);
    CHECK_FALSE(ParseRetryAfter(value, now).has_value());
  }
}

TEST_CASE("The provider keys of delivery-policy.json give the provider's endpoint") {
  auto policy = DeliveryPolicy::FromJson(R"({"providers": {
      "sms": {"provider": "aliyun-sms", "url": "https://sms.example.com/v2",
              "token_file": "/run/secrets/sms", "timeout_ms": 1500},
      "wechat": {"provider": "wx"}}})");
  REQUIRE(policy.ok());
  const std::string base = "http://127.0.0.1:8095/providers";
  CHECK(ProviderBaseUrl(policy->provider(C::kSms), base) == "https://sms.example.com/v2/");
  CHECK(policy->provider(C::kSms).token_file == "/run/secrets/sms");
  CHECK(policy->provider(C::kSms).timeout == milliseconds(1500));
  CHECK(ProviderBaseUrl(policy->provider(C::kWeChat), base) ==
        "http://127.0.0.1:8095/providers/wx/");
  CHECK(policy->provider(C::kWeChat).token_file.empty());
  CHECK(policy->provider(C::kWeChat).timeout == milliseconds(5000));
  CHECK(ProviderBaseUrl(policy->provider(C::kEmail), base) ==
        "http://127.0.0.1:8095/providers/smtp-relay/");
}

}  // namespace
}  // namespace gridcare::notification
