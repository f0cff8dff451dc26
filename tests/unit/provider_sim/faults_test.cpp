// Fault settings from the control API and the --config file, undeliverable recipients, the
// default burst, and the failure picker's evenly spaced choice.
#include "faults.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace gridcare::provider_sim {
namespace {

using std::chrono::milliseconds;

std::string FaultsError(std::string_view body) {
  auto parsed = ParseFaults(body, FaultSettings{});
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message;
}

TEST_CASE("a faults body sets every field it names", "[provider_sim][faults]") {
  auto parsed = ParseFaults(
      R"({"fail_ratio":0.5,"fail_status":500,"latency_ms":100,"rate_limit_per_second":200,)"
      R"("burst":50,"undeliverable_prefixes":["+86 170"],"undeliverable_suffixes":["@bounce.cn"],)"
      R"("report_delay_ms":0})",
      FaultSettings{});
  REQUIRE(parsed.ok());
  CHECK(parsed->fail_ratio == 0.5);
  CHECK(parsed->fail_status == 500);
  CHECK(parsed->latency == milliseconds(100));
  CHECK(parsed->rate_limit_per_second == 200);
  CHECK(parsed->burst == 50);
  CHECK(parsed->undeliverable_prefixes == std::vector<std::string>{"+86170"});
  CHECK(parsed->undeliverable_suffixes == std::vector<std::string>{"@bounce.cn"});
  CHECK(parsed->report_delay == milliseconds(0));
}

TEST_CASE("keys a faults body leaves out keep the base values", "[provider_sim][faults]") {
  FaultSettings base;
  base.report_delay = milliseconds(50);
  base.fail_status = 502;
  auto parsed = ParseFaults(R"({"fail_ratio":1})", base);
  REQUIRE(parsed.ok());
  CHECK(parsed->fail_ratio == 1);
  CHECK(parsed->fail_status == 502);
  CHECK(parsed->report_delay == milliseconds(50));
  auto empty = ParseFaults("", base);
  REQUIRE(empty.ok());
  CHECK(empty->fail_ratio == 0);
  CHECK(empty->report_delay == milliseconds(50));
}

TEST_CASE("a bad faults body names the field and the allowed range", "[provider_sim][faults]") {
  CHECK(FaultsError(R"({"fail_ratio":1.5})") ==
        "faults: \"fail_ratio\" must be a number in 0..1, got 1.5");
  CHECK(FaultsError(R"({"fail_status":404})") ==
        "faults: \"fail_status\" must be an integer in 500..599, got 404");
  CHECK(FaultsError(R"({"latency_ms":60001})") ==
        "faults: \"latency_ms\" must be an integer in 0..60000, got 60001");
  CHECK(FaultsError(R"({"latency_ms":"100ms"})") ==
        "faults: \"latency_ms\" must be an integer in 0..60000, got \"100ms\"");
  CHECK(FaultsError(R"({"rate_limit_per_second":-1})") ==
        "faults: \"rate_limit_per_second\" must be a number in 0..1e+09, got -1");
  CHECK(FaultsError(R"({"burst":1.5})") ==
        "faults: \"burst\" must be an integer in 0..1000000000, got 1.5");
  CHECK(FaultsError(R"({"report_delay_ms":3600001})") ==
        "faults: \"report_delay_ms\" must be an integer in 0..3600000, got 3600001");
  CHECK(FaultsError(R"({"undeliverable_prefixes":"+86 170"})") ==
        "faults: \"undeliverable_prefixes\" must be an array of at most 100 strings");
  CHECK(FaultsError(R"({"undeliverable_suffixes":[1]})") ==
        "faults: \"undeliverable_suffixes[0]\" must be a string, got 1");
  CHECK(FaultsError(R"({"undeliverable_prefixes":[" - "]})") ==
        "faults: \"undeliverable_prefixes[0]\" is empty");
  CHECK(FaultsError(R"({"fail_rate":0.5})") ==
        "faults: unknown key \"fail_rate\" (known: fail_ratio, fail_status, latency_ms, "
        "rate_limit_per_second, burst, undeliverable_prefixes, undeliverable_suffixes, "
        "report_delay_ms)");
  CHECK(FaultsError("[]") == "faults: expected a JSON object, got array");
}

TEST_CASE("undeliverable recipients match prefixes and suffixes without spaces and dashes",
          "[provider_sim][faults]") {
  FaultSettings faults;
  CHECK_FALSE(faults.IsUndeliverable("+8617012345678"));
  faults.undeliverable_prefixes = {"+86170"};
  faults.undeliverable_suffixes = {"@bounce.example", "0000"};
  CHECK(faults.IsUndeliverable("+8617012345678"));
  CHECK(faults.IsUndeliverable("+86 170 1234 5678"));
  CHECK(faults.IsUndeliverable("+86-170-1234-5678"));
  CHECK_FALSE(faults.IsUndeliverable("17012345678"));
  CHECK_FALSE(faults.IsUndeliverable("+8613812345678"));
  CHECK(faults.IsUndeliverable("someone@bounce.example"));
  CHECK(faults.IsUndeliverable("138 1234 0000"));
  CHECK_FALSE(faults.IsUndeliverable("someone@example.com"));
  CHECK_FALSE(faults.IsUndeliverable(""));
}

TEST_CASE("the burst defaults to one second of the rate and at least one",
          "[provider_sim][faults]") {
  FaultSettings faults;
  CHECK(faults.EffectiveBurst() == 1);
  faults.rate_limit_per_second = 200;
  CHECK(faults.EffectiveBurst() == 200);
  faults.rate_limit_per_second = 0.5;
  CHECK(faults.EffectiveBurst() == 1);
  faults.rate_limit_per_second = 2.5;
  CHECK(faults.EffectiveBurst() == 3);
  faults.burst = 7;
  CHECK(faults.EffectiveBurst() == 7);
}

std::vector<int> Failing(double ratio, int requests) {
  FailurePicker picker(ratio);
  std::vector<int> failed;
  for (int n = 1; n <= requests; ++n) {
    if (picker.Next()) failed.push_back(n);
  }
  return failed;
}

TEST_CASE("the failure picker fails evenly spaced requests", "[provider_sim][faults]") {
  CHECK(Failing(0, 10).empty());
  CHECK(Failing(1, 5) == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(Failing(0.5, 8) == std::vector<int>{2, 4, 6, 8});
  CHECK(Failing(0.25, 12) == std::vector<int>{4, 8, 12});
  CHECK(Failing(0.3, 10) == std::vector<int>{4, 7, 10});
  CHECK(Failing(0.75, 4) == std::vector<int>{2, 3, 4});
  for (const double ratio : {0.1, 0.3, 0.333, 0.7, 0.999999}) {
    INFO(ratio);
    CHECK(Failing(ratio, 1000).size() == static_cast<std::size_t>(1000 * ratio));
  }
}

TEST_CASE("the config file gives defaults and per-provider faults over them",
          "[provider_sim][faults]") {
  auto config =
      ParseSimConfig(R"({"defaults":{"report_delay_ms":20},)"
                     R"("providers":{"sms":{"fail_ratio":0.1},"wechat":{"report_delay_ms":5}}})");
  REQUIRE(config.ok());
  CHECK(config->defaults.report_delay == milliseconds(20));
  REQUIRE(config->providers.size() == 2);
  CHECK(config->providers.at("sms").fail_ratio == 0.1);
  CHECK(config->providers.at("sms").report_delay == milliseconds(20));
  CHECK(config->providers.at("wechat").report_delay == milliseconds(5));
  auto empty = ParseSimConfig("{}");
  REQUIRE(empty.ok());
  CHECK(empty->providers.empty());
  CHECK(empty->defaults.report_delay == milliseconds(200));
}

TEST_CASE("a bad config file names the provider and field", "[provider_sim][faults]") {
  const auto error = [](std::string_view text) {
    auto config = ParseSimConfig(text);
    REQUIRE_FALSE(config.ok());
    return config.error().message;
  };
  CHECK(error(R"({"providers":{"sms":{"fail_ratio":2}}})") ==
        "provider simulator config: \"providers.sms.fail_ratio\" must be a number in 0..1, got 2");
  CHECK(error(R"({"providers":{"sms":{"latency":5}}})") ==
        "provider simulator config: providers.sms: unknown key \"latency\" (known: fail_ratio, "
        "fail_status, latency_ms, rate_limit_per_second, burst, undeliverable_prefixes, "
        "undeliverable_suffixes, report_delay_ms)");
  CHECK(error(R"({"providers":{"a/b":{}}})") ==
        "provider simulator config: provider name \"a/b\" must be 1..64 of A-Z a-z 0-9 _ . -");
  CHECK(error(R"({"providers":[]})") ==
        "provider simulator config: \"providers\" must be an object of provider name to faults, "
        "got array");
  CHECK(
      error(R"({"defaults":{"burst":-1}})") ==
      "provider simulator config: \"defaults.burst\" must be an integer in 0..1000000000, got -1");
  CHECK(error(R"({"provider":{}})") ==
        "provider simulator config: unknown key \"provider\" (known: defaults, providers)");
  CHECK(error(R"({"defaults":1})") ==
        "provider simulator config: \"defaults\" must be an object, got number");
}

}  // namespace
}  // namespace gridcare::provider_sim
