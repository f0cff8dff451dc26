#include "delivery_policy_config.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace gridcare::notification {
namespace {

using C = DeliveryChannel;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const std::string kShipped =
    std::string(GRIDCARE_SOURCE_DIR) + "/services/notification/config/delivery-policy.json";

void RequireSameProviders(const DeliveryPolicy& a, const DeliveryPolicy& b) {
  for (const C channel : kAllDeliveryChannels) {
    INFO(DeliveryChannelName(channel));
    CHECK(a.provider(channel).provider == b.provider(channel).provider);
    CHECK(a.provider(channel).pacing.rate_per_second == b.provider(channel).pacing.rate_per_second);
    CHECK(a.provider(channel).pacing.burst == b.provider(channel).pacing.burst);
    CHECK(a.provider(channel).url == b.provider(channel).url);
    CHECK(a.provider(channel).token_file == b.provider(channel).token_file);
    CHECK(a.provider(channel).timeout == b.provider(channel).timeout);
  }
}

void RequireSame(const DeliveryPolicy& a, const DeliveryPolicy& b) {
  CHECK(a.quiet_hours.imminent_window == b.quiet_hours.imminent_window);
  CHECK(a.etr.margin == b.etr.margin);
  CHECK(a.etr.max_announcements == b.etr.max_announcements);
  CHECK(a.throttle.max_messages == b.throttle.max_messages);
  CHECK(a.throttle.window == b.throttle.window);
  CHECK(a.retry.base == b.retry.base);
  CHECK(a.retry.factor == b.retry.factor);
  CHECK(a.retry.cap == b.retry.cap);
  CHECK(a.retry.max_attempts == b.retry.max_attempts);
  CHECK(a.retry.jitter == b.retry.jitter);
  CHECK(a.retry.retry_after_cap == b.retry.retry_after_cap);
  CHECK(a.channels.default_order == b.channels.default_order);
  CHECK(a.channels.staff_order == b.channels.staff_order);
  RequireSameProviders(a, b);
}

TEST_CASE("The defaults are the documented values") {
  const DeliveryPolicy policy;
  CHECK(policy.quiet_hours.imminent_window == minutes(30));
  CHECK(policy.etr.margin == minutes(30));
  CHECK(policy.etr.max_announcements == 3);
  CHECK(policy.throttle.max_messages == 3);
  CHECK(policy.throttle.window == minutes(60));
  CHECK(policy.retry.base == seconds(2));
  CHECK(policy.retry.factor == 2.0);
  CHECK(policy.retry.cap == minutes(5));
  CHECK(policy.retry.max_attempts == 8);
  CHECK(policy.retry.jitter == 0.2);
  CHECK(policy.retry.retry_after_cap == minutes(10));
  CHECK(policy.channels.default_order == std::vector<C>{C::kSms, C::kWeChat, C::kAppPush});
  CHECK(policy.channels.staff_order == std::vector<C>{C::kStaffMessenger, C::kEmail});
  CHECK(policy.provider(C::kSms).provider == "sms-gateway");
  CHECK(policy.provider(C::kSms).pacing.rate_per_second == 100.0);
  CHECK(policy.provider(C::kSms).pacing.burst == 200);
  CHECK(policy.provider(C::kWeChat).provider == "wechat-official-account");
  CHECK(policy.provider(C::kAppPush).provider == "app-push");
  CHECK(policy.provider(C::kVoiceCall).provider == "voice-gateway");
  CHECK(policy.provider(C::kVoiceCall).pacing.rate_per_second == 5.0);
  CHECK(policy.provider(C::kStaffMessenger).provider == "work-messenger-webhook");
  CHECK(policy.provider(C::kStaffMessenger).pacing.rate_per_second == 0.33);
  CHECK(policy.provider(C::kStaffMessenger).pacing.burst == 20);
  CHECK(policy.provider(C::kEmail).provider == "smtp-relay");
  for (const C channel : kAllDeliveryChannels) {
    INFO(DeliveryChannelName(channel));
    CHECK(policy.provider(channel).url.empty());
    CHECK(policy.provider(channel).token_file.empty());
    CHECK(policy.provider(channel).timeout == milliseconds(5000));
  }
}

TEST_CASE("The shipped delivery policy loads and repeats the defaults but the throttle") {
  auto policy = LoadDeliveryPolicy(kShipped);
  REQUIRE(policy.ok());
  // Shipped: 6 an hour, so one outage's whole sequence (started, up to three new estimates,
  // crew on site, restored) gets through.
  DeliveryPolicy expected;
  expected.throttle.max_messages = 6;
  RequireSame(*policy, expected);
}

TEST_CASE("An empty object keeps every default") {
  auto policy = DeliveryPolicy::FromJson("{}");
  REQUIRE(policy.ok());
  RequireSame(*policy, DeliveryPolicy{});
}

TEST_CASE("Every key is read into its setting") {
  auto policy = DeliveryPolicy::FromJson(R"({
    "quiet_hours": {"imminent_window_minutes": 45},
    "etr": {"margin_minutes": 20, "max_announcements": 5},
    "throttle": {"max_messages": 2, "window_minutes": 30},
    "retry": {"base_milliseconds": 500, "factor": 1.5, "cap_seconds": 60, "max_attempts": 4,
              "jitter": 0.1, "retry_after_cap_seconds": 120},
    "channels": {"default_order": ["app_push", "voice_call", "sms"], "staff_order": ["email"]},
    "providers": {"sms": {"provider": "aliyun-sms", "rate_per_second": 40.5, "burst": 80,
                          "url": "https://sms.example.com:8443/api/", "token_file": "/run/sms",
                          "timeout_ms": 2500}}
  })");
  REQUIRE(policy.ok());
  CHECK(policy->quiet_hours.imminent_window == minutes(45));
  CHECK(policy->etr.margin == minutes(20));
  CHECK(policy->etr.max_announcements == 5);
  CHECK(policy->throttle.max_messages == 2);
  CHECK(policy->throttle.window == minutes(30));
  CHECK(policy->retry.base == milliseconds(500));
  CHECK(policy->retry.factor == 1.5);
  CHECK(policy->retry.cap == seconds(60));
  CHECK(policy->retry.max_attempts == 4);
  CHECK(policy->retry.jitter == 0.1);
  CHECK(policy->retry.retry_after_cap == seconds(120));
  CHECK(policy->channels.default_order == std::vector<C>{C::kAppPush, C::kVoiceCall, C::kSms});
  CHECK(policy->channels.staff_order == std::vector<C>{C::kEmail});
  CHECK(policy->provider(C::kSms).provider == "aliyun-sms");
  CHECK(policy->provider(C::kSms).pacing.rate_per_second == 40.5);
  CHECK(policy->provider(C::kSms).pacing.burst == 80);
  CHECK(policy->provider(C::kSms).url == "https://sms.example.com:8443/api/");
  CHECK(policy->provider(C::kSms).token_file == "/run/sms");
  CHECK(policy->provider(C::kSms).timeout == milliseconds(2500));
  // Channels not given keep their defaults.
  const DeliveryPolicy defaults;
  CHECK(policy->provider(C::kWeChat).provider == defaults.provider(C::kWeChat).provider);
  CHECK(policy->provider(C::kEmail).pacing.burst == defaults.provider(C::kEmail).pacing.burst);
  CHECK(policy->provider(C::kWeChat).url.empty());
  CHECK(policy->provider(C::kWeChat).timeout == milliseconds(5000));
}

TEST_CASE("Keys left out of a section or a provider keep their defaults") {
  auto policy = DeliveryPolicy::FromJson(
      R"({"etr": {"max_announcements": 1}, "retry": {"jitter": 0},
          "providers": {"voice_call": {"burst": 3}}})");
  REQUIRE(policy.ok());
  CHECK(policy->etr.margin == minutes(30));
  CHECK(policy->etr.max_announcements == 1);
  CHECK(policy->retry.jitter == 0.0);
  CHECK(policy->retry.base == seconds(2));
  CHECK(policy->provider(C::kVoiceCall).provider == "voice-gateway");
  CHECK(policy->provider(C::kVoiceCall).pacing.rate_per_second == 5.0);
  CHECK(policy->provider(C::kVoiceCall).pacing.burst == 3);
  CHECK(policy->provider(C::kVoiceCall).url.empty());
  CHECK(policy->provider(C::kVoiceCall).token_file.empty());
  CHECK(policy->provider(C::kVoiceCall).timeout == milliseconds(5000));
}

TEST_CASE("Range limits are accepted at both ends") {
  CHECK(DeliveryPolicy::FromJson(R"({"quiet_hours": {"imminent_window_minutes": 0}})").ok());
  CHECK(DeliveryPolicy::FromJson(R"({"quiet_hours": {"imminent_window_minutes": 1440}})").ok());
  CHECK(DeliveryPolicy::FromJson(R"({"etr": {"max_announcements": 0}})").ok());
  CHECK(DeliveryPolicy::FromJson(R"({"retry": {"base_milliseconds": 300000}})").ok());
  CHECK(DeliveryPolicy::FromJson(R"({"retry": {"factor": 1, "jitter": 0.5}})").ok());
  CHECK(DeliveryPolicy::FromJson(R"({"retry": {"retry_after_cap_seconds": 0}})").ok());
  CHECK(DeliveryPolicy::FromJson(
            R"({"providers": {"email": {"rate_per_second": 0.001, "burst": 100000}}})")
            .ok());
  CHECK(DeliveryPolicy::FromJson(R"({"providers": {"sms": {"timeout_ms": 1}}})").ok());
  CHECK(DeliveryPolicy::FromJson(R"({"providers": {"sms": {"timeout_ms": 300000}}})").ok());
  const std::string longest_name(64, 'a');
  CHECK(
      DeliveryPolicy::FromJson(R"({"providers": {"sms": {"provider": ")" + longest_name + R"("}}})")
          .ok());
  CHECK(DeliveryPolicy::FromJson(R"({"providers": {"sms": {"provider": "Az09_.-"}}})").ok());
  CHECK(DeliveryPolicy::FromJson(R"({"providers": {"sms": {"url": "http://h"}}})").ok());
}

struct BadCase {
  const char* json;
  const char* message;  // after "delivery-policy.json: "
};

const std::vector<BadCase> kBadCases = {
    {R"([])", "expected a JSON object, got array"},
    {R"({"etr": {}, "etr": {}})", "key \"etr\" given more than once"},
    {R"({"quiet": {}})",
     "unknown key \"quiet\" (known: quiet_hours, etr, throttle, retry, channels, providers)"},
    // Sections must be objects with known keys.
    {R"({"quiet_hours": 30})", "\"quiet_hours\" must be an object, got 30"},
    {R"({"etr": []})", "\"etr\" must be an object, got []"},
    {R"({"throttle": null})", "\"throttle\" must be an object, got null"},
    {R"({"retry": 3})", "\"retry\" must be an object, got 3"},
    {R"({"channels": "sms"})", "\"channels\" must be an object, got \"sms\""},
    {R"({"providers": true})", "\"providers\" must be an object, got true"},
    {R"({"quiet_hours": {"window": 1}})",
     "quiet_hours: unknown key \"window\" (known: imminent_window_minutes)"},
    {R"({"etr": {"margin": 30}})",
     "etr: unknown key \"margin\" (known: margin_minutes, max_announcements)"},
    {R"({"throttle": {"per_hour": 3}})",
     "throttle: unknown key \"per_hour\" (known: max_messages, window_minutes)"},
    {R"({"retry": {"base_seconds": 2}})",
     "retry: unknown key \"base_seconds\" (known: base_milliseconds, factor, cap_seconds, "
     "max_attempts, jitter, retry_after_cap_seconds)"},
    {R"({"channels": {"order": []}})",
     "channels: unknown key \"order\" (known: default_order, staff_order)"},
    // Values.
    {R"({"quiet_hours": {"imminent_window_minutes": -1}})",
     "\"quiet_hours.imminent_window_minutes\" must be an integer in 0..1440, got -1"},
    {R"({"quiet_hours": {"imminent_window_minutes": 1441}})",
     "\"quiet_hours.imminent_window_minutes\" must be an integer in 0..1440, got 1441"},
    {R"({"etr": {"margin_minutes": "30"}})",
     "\"etr.margin_minutes\" must be an integer in 0..1440, got \"30\""},
    {R"({"etr": {"max_announcements": 101}})",
     "\"etr.max_announcements\" must be an integer in 0..100, got 101"},
    {R"({"throttle": {"max_messages": 0}})",
     "\"throttle.max_messages\" must be an integer in 1..1000, got 0"},
    {R"({"throttle": {"window_minutes": 2.5}})",
     "\"throttle.window_minutes\" must be an integer in 1..1440, got 2.5"},
    {R"({"retry": {"base_milliseconds": 0}})",
     "\"retry.base_milliseconds\" must be an integer in 1..3600000, got 0"},
    {R"({"retry": {"factor": 0.5}})", "\"retry.factor\" must be a number in 1..10, got 0.5"},
    {R"({"retry": {"factor": "2"}})", "\"retry.factor\" must be a number in 1..10, got \"2\""},
    {R"({"retry": {"cap_seconds": 0}})",
     "\"retry.cap_seconds\" must be an integer in 1..86400, got 0"},
    {R"({"retry": {"max_attempts": 0}})",
     "\"retry.max_attempts\" must be an integer in 1..100, got 0"},
    {R"({"retry": {"jitter": 0.6}})", "\"retry.jitter\" must be a number in 0..0.5, got 0.6"},
    {R"({"retry": {"retry_after_cap_seconds": -1}})",
     "\"retry.retry_after_cap_seconds\" must be an integer in 0..86400, got -1"},
    {R"({"retry": {"cap_seconds": 1}})",
     "\"retry.cap_seconds\" (1 s) must not be shorter than \"retry.base_milliseconds\" (2000 ms)"},
    {R"({"retry": {"base_milliseconds": 400000}})",
     "\"retry.cap_seconds\" (300 s) must not be shorter than \"retry.base_milliseconds\" "
     "(400000 ms)"},
    // Channel orders.
    {R"({"channels": {"default_order": []}})",
     "\"channels.default_order\" must be a non-empty array of channel names, got []"},
    {R"({"channels": {"default_order": "sms"}})",
     "\"channels.default_order\" must be a non-empty array of channel names, got \"sms\""},
    {R"({"channels": {"default_order": ["sms", "fax"]}})",
     "\"channels.default_order[1]\" must be one of sms, wechat, app_push, voice_call, got \"fax\""},
    {R"({"channels": {"default_order": ["sms", 3]}})",
     "\"channels.default_order[1]\" must be one of sms, wechat, app_push, voice_call, got 3"},
    {R"({"channels": {"default_order": ["email"]}})",
     "\"channels.default_order[0]\" must be one of sms, wechat, app_push, voice_call, got "
     "\"email\""},
    {R"({"channels": {"default_order": ["sms", "wechat", "sms"]}})",
     "\"channels.default_order[2]\": \"sms\" is listed twice"},
    {R"({"channels": {"staff_order": []}})",
     "\"channels.staff_order\" must be a non-empty array of channel names, got []"},
    {R"({"channels": {"staff_order": ["sms"]}})",
     "\"channels.staff_order[0]\" must be one of staff_messenger, email, got \"sms\""},
    {R"({"channels": {"staff_order": ["email", "email"]}})",
     "\"channels.staff_order[1]\": \"email\" is listed twice"},
    // Providers.
    {R"({"providers": {"fax": {}}})",
     "providers: unknown key \"fax\" (known: sms, wechat, app_push, voice_call, staff_messenger, "
     "email)"},
    {R"({"providers": {"sms": "sms-gateway"}})",
     "\"providers.sms\" must be an object, got \"sms-gateway\""},
    {R"({"providers": {"sms": {"name": "x"}}})",
     "providers.sms: unknown key \"name\" (known: provider, rate_per_second, burst, url, "
     "token_file, timeout_ms)"},
    {R"({"providers": {"sms": {"provider": ""}}})",
     "\"providers.sms.provider\" must be a non-empty string, got \"\""},
    {R"({"providers": {"wechat": {"provider": 5}}})",
     "\"providers.wechat.provider\" must be a non-empty string, got 5"},
    {R"({"providers": {"app_push": {"rate_per_second": 0}}})",
     "\"providers.app_push.rate_per_second\" must be a number in 0.001..100000, got 0"},
    {R"({"providers": {"voice_call": {"rate_per_second": "fast"}}})",
     "\"providers.voice_call.rate_per_second\" must be a number in 0.001..100000, got \"fast\""},
    {R"({"providers": {"staff_messenger": {"burst": 0}}})",
     "\"providers.staff_messenger.burst\" must be an integer in 1..100000, got 0"},
    {R"({"providers": {"email": {"burst": 1.5}}})",
     "\"providers.email.burst\" must be an integer in 1..100000, got 1.5"},
    {R"({"providers": {"sms": {"provider": "sms gateway"}}})",
     "\"providers.sms.provider\" must be 1..64 of A-Z a-z 0-9 _ . -, got \"sms gateway\""},
    {R"({"providers": {"sms": {"provider": "a/b"}}})",
     "\"providers.sms.provider\" must be 1..64 of A-Z a-z 0-9 _ . -, got \"a/b\""},
    {R"({"providers": {"sms": {"provider": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}})",
     "\"providers.sms.provider\" must be 1..64 of A-Z a-z 0-9 _ . -, got "
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""},
    {R"({"providers": {"sms": {"url": ""}}})",
     "\"providers.sms.url\" must be a non-empty string, got \"\""},
    {R"({"providers": {"sms": {"url": 8095}}})",
     "\"providers.sms.url\" must be a non-empty string, got 8095"},
    {R"({"providers": {"sms": {"url": "ftp://h/"}}})",
     "\"providers.sms.url\" must be an http:// or https:// URL with a host and no query, got "
     "\"ftp://h/\""},
    {R"({"providers": {"sms": {"url": "127.0.0.1:8095"}}})",
     "\"providers.sms.url\" must be an http:// or https:// URL with a host and no query, got "
     "\"127.0.0.1:8095\""},
    {R"({"providers": {"sms": {"url": "http://"}}})",
     "\"providers.sms.url\" must be an http:// or https:// URL with a host and no query, got "
     "\"http://\""},
    {R"({"providers": {"sms": {"url": "https:///path"}}})",
     "\"providers.sms.url\" must be an http:// or https:// URL with a host and no query, got "
     "\"https:///path\""},
    {R"({"providers": {"sms": {"url": "http://h/a b"}}})",
     "\"providers.sms.url\" must be an http:// or https:// URL with a host and no query, got "
     "\"http://h/a b\""},
    {R"({"providers": {"sms": {"url": "http://h/?key=1"}}})",
     "\"providers.sms.url\" must be an http:// or https:// URL with a host and no query, got "
     "\"http://h/?key=1\""},
    {R"({"providers": {"sms": {"url": "http://h/#top"}}})",
     "\"providers.sms.url\" must be an http:// or https:// URL with a host and no query, got "
     "\"http://h/#top\""},
    {R"({"providers": {"sms": {"token_file": ""}}})",
     "\"providers.sms.token_file\" must be a non-empty string, got \"\""},
    {R"({"providers": {"sms": {"token_file": ["/run/a"]}}})",
     "\"providers.sms.token_file\" must be a non-empty string, got [\"/run/a\"]"},
    {R"({"providers": {"sms": {"timeout_ms": 0}}})",
     "\"providers.sms.timeout_ms\" must be an integer in 1..300000, got 0"},
    {R"({"providers": {"sms": {"timeout_ms": 300001}}})",
     "\"providers.sms.timeout_ms\" must be an integer in 1..300000, got 300001"},
    {R"({"providers": {"sms": {"timeout_ms": "5s"}}})",
     "\"providers.sms.timeout_ms\" must be an integer in 1..300000, got \"5s\""},
};

TEST_CASE("Every configuration error names its path in the message") {
  for (const BadCase& bad : kBadCases) {
    INFO(bad.json);
    auto policy = DeliveryPolicy::FromJson(bad.json);
    REQUIRE_FALSE(policy.ok());
    CHECK(policy.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK(policy.error().message == std::string("delivery-policy.json: ") + bad.message);
  }
}

TEST_CASE("Text that is not JSON is rejected as such") {
  auto policy = DeliveryPolicy::FromJson("{\"etr\": ");
  REQUIRE_FALSE(policy.ok());
  CHECK(policy.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK(policy.error().message.rfind("delivery-policy.json: not valid JSON: ", 0) == 0);
}

TEST_CASE("A missing file is not found") {
  auto policy = LoadDeliveryPolicy(kShipped + ".missing");
  REQUIRE_FALSE(policy.ok());
  CHECK(policy.error().kind == core::ErrorKind::kNotFound);
}

}  // namespace
}  // namespace gridcare::notification
