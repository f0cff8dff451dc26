// UrgingRules::FromJson and PriorityRules::FromJson: defaults, every field, and named errors.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "gridcare/core/error.h"
#include "priority_rules.h"
#include "urging_rules.h"

using gridcare::core::ErrorKind;
using gridcare::intake::PriorityRules;
using gridcare::intake::UrgingRules;

namespace {

struct ErrorRow {
  const char* json;
  const char* message_part;  // the error names the key or the problem
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("UrgingRules::FromJson: empty object keeps the defaults", "[json][urging]") {
  const auto rules = UrgingRules::FromJson("{}");
  REQUIRE(rules.ok());
  CHECK(rules->same_matter_window == std::chrono::hours(72));
  CHECK(rules->escalate_at_urgings == 2);
  CHECK(rules->repeat_counts_as_urging);
  const auto spaced = UrgingRules::FromJson("  \n { }\t ");
  CHECK(spaced.ok());
}

TEST_CASE("UrgingRules::FromJson: every field", "[json][urging]") {
  const auto rules = UrgingRules::FromJson(
      R"({"same_matter_window_hours": 48, "escalate_at_urgings": 3,
          "repeat_counts_as_urging": false})");
  REQUIRE(rules.ok());
  CHECK(rules->same_matter_window == std::chrono::hours(48));
  CHECK(rules->escalate_at_urgings == 3);
  CHECK_FALSE(rules->repeat_counts_as_urging);

  SECTION("each field alone leaves the others at their defaults") {
    const auto window = UrgingRules::FromJson(R"({"same_matter_window_hours": 24})");
    REQUIRE(window.ok());
    CHECK(window->same_matter_window == std::chrono::hours(24));
    CHECK(window->escalate_at_urgings == 2);
    const auto escalate = UrgingRules::FromJson(R"({"escalate_at_urgings": 5})");
    REQUIRE(escalate.ok());
    CHECK(escalate->escalate_at_urgings == 5);
    CHECK(escalate->same_matter_window == std::chrono::hours(72));
  }
  SECTION("range edges") {
    CHECK(UrgingRules::FromJson(R"({"same_matter_window_hours": 0})").ok());
    CHECK(UrgingRules::FromJson(R"({"same_matter_window_hours": 8760})").ok());
    CHECK(UrgingRules::FromJson(R"({"escalate_at_urgings": 0})").ok());
    CHECK(UrgingRules::FromJson(R"({"escalate_at_urgings": 1000})").ok());
  }
}

TEST_CASE("UrgingRules::FromJson: errors name the key", "[json][urging][errors]") {
  const ErrorRow rows[] = {
      {"", "not valid JSON"},
      {"{", "not valid JSON"},
      {R"({"escalate_at_urgings": 2,})", "not valid JSON"},
      {R"({} {})", "not valid JSON"},
      {"[]", "expected a JSON object, got array"},
      {"72", "expected a JSON object, got number"},
      {R"("x")", "expected a JSON object, got string"},
      {"null", "expected a JSON object, got null"},
      {R"({"same_matter_window": 72})", "unknown key \"same_matter_window\""},
      {R"({"Escalate_At_Urgings": 2})", "unknown key \"Escalate_At_Urgings\""},
      {R"({"escalate_at_urgings": 2, "escalate_at_urgings": 3})",
       "key \"escalate_at_urgings\" given more than once"},
      {R"({"same_matter_window_hours": "72h"})",
       "\"same_matter_window_hours\" must be an integer in 0..8760, got \"72h\""},
      {R"({"same_matter_window_hours": 72.5})",
       "\"same_matter_window_hours\" must be an integer in 0..8760, got 72.5"},
      {R"({"same_matter_window_hours": 72.0})", "\"same_matter_window_hours\" must be an integer"},
      {R"({"same_matter_window_hours": -1})",
       "\"same_matter_window_hours\" must be an integer in 0..8760, got -1"},
      {R"({"same_matter_window_hours": 8761})",
       "\"same_matter_window_hours\" must be an integer in 0..8760, got 8761"},
      {R"({"same_matter_window_hours": 18446744073709551615})",
       "\"same_matter_window_hours\" must be an integer in 0..8760"},
      {R"({"same_matter_window_hours": null})", "\"same_matter_window_hours\" must be an integer"},
      {R"({"escalate_at_urgings": true})",
       "\"escalate_at_urgings\" must be an integer in 0..1000, got true"},
      {R"({"escalate_at_urgings": [2]})", "\"escalate_at_urgings\" must be an integer"},
      {R"({"escalate_at_urgings": 1001})", "\"escalate_at_urgings\" must be an integer in 0..1000"},
      {R"({"escalate_at_urgings": -2})", "\"escalate_at_urgings\" must be an integer in 0..1000"},
      {R"({"repeat_counts_as_urging": 1})",
       "\"repeat_counts_as_urging\" must be true or false, got 1"},
      {R"({"repeat_counts_as_urging": "true"})",
       "\"repeat_counts_as_urging\" must be true or false, got \"true\""},
      {R"({"repeat_counts_as_urging": null})", "\"repeat_counts_as_urging\" must be true or false"},
  };
  for (const ErrorRow& row : rows) {
    INFO(row.json);
    const auto rules = UrgingRules::FromJson(row.json);
    REQUIRE_FALSE(rules.ok());
    CHECK(rules.error().kind == ErrorKind::kInvalidArgument);
    INFO(rules.error().message);
    CHECK(rules.error().message.rfind("urging rules: ", 0) == 0);
    CHECK(Contains(rules.error().message, row.message_part));
  }
  // The unknown-key error lists the known keys.
  const auto unknown = UrgingRules::FromJson(R"({"x": 1})");
  REQUIRE_FALSE(unknown.ok());
  CHECK(Contains(unknown.error().message,
                 "known: same_matter_window_hours, escalate_at_urgings, repeat_counts_as_urging"));
}

TEST_CASE("PriorityRules::FromJson: empty object keeps the defaults", "[json][priority]") {
  const auto rules = PriorityRules::FromJson("{}");
  REQUIRE(rules.ok());
  CHECK(rules->urgings_for_high == 1);
  CHECK(rules->urgings_for_urgent == 3);
  CHECK(rules->incident_size_for_high == 50);
  CHECK(rules->incident_size_for_urgent == 500);
}

TEST_CASE("PriorityRules::FromJson: every field", "[json][priority]") {
  const auto rules = PriorityRules::FromJson(
      R"({"urgings_for_high": 2, "urgings_for_urgent": 4, "incident_size_for_high": 100,
          "incident_size_for_urgent": 9000000000})");
  REQUIRE(rules.ok());
  CHECK(rules->urgings_for_high == 2);
  CHECK(rules->urgings_for_urgent == 4);
  CHECK(rules->incident_size_for_high == 100);
  CHECK(rules->incident_size_for_urgent == 9'000'000'000);

  SECTION("equal steps are allowed") {
    const auto equal =
        PriorityRules::FromJson(R"({"urgings_for_high": 3, "urgings_for_urgent": 3})");
    CHECK(equal.ok());
  }
  SECTION("0 turns a step off, and then the order check does not apply") {
    const auto off = PriorityRules::FromJson(
        R"({"urgings_for_high": 0, "urgings_for_urgent": 0, "incident_size_for_high": 0,
            "incident_size_for_urgent": 0})");
    REQUIRE(off.ok());
    CHECK(off->urgings_for_high == 0);
    CHECK(PriorityRules::FromJson(R"({"urgings_for_high": 5, "urgings_for_urgent": 0})").ok());
    CHECK(PriorityRules::FromJson(R"({"incident_size_for_urgent": 0})").ok());
    CHECK(
        PriorityRules::FromJson(R"({"incident_size_for_high": 0, "incident_size_for_urgent": 10})")
            .ok());
  }
  SECTION("the largest incident size") {
    CHECK(PriorityRules::FromJson(R"({"incident_size_for_high": 9223372036854775807,
                                      "incident_size_for_urgent": 9223372036854775807})")
              .ok());
  }
}

TEST_CASE("PriorityRules::FromJson: errors name the key", "[json][priority][errors]") {
  const ErrorRow rows[] = {
      {"", "not valid JSON"},
      {"{\"urgings_for_high\": }", "not valid JSON"},
      {"[1, 3]", "expected a JSON object, got array"},
      {"true", "expected a JSON object, got boolean"},
      {R"({"urgings_for_medium": 2})", "unknown key \"urgings_for_medium\""},
      {R"({"urgings_for_high": 1, "urgings_for_high": 1})",
       "key \"urgings_for_high\" given more than once"},
      {R"({"urgings_for_high": "1"})",
       "\"urgings_for_high\" must be an integer in 0..1000, got \"1\""},
      {R"({"urgings_for_high": -1})", "\"urgings_for_high\" must be an integer in 0..1000, got -1"},
      {R"({"urgings_for_urgent": 1.5})",
       "\"urgings_for_urgent\" must be an integer in 0..1000, got 1.5"},
      {R"({"urgings_for_urgent": 1001})", "\"urgings_for_urgent\" must be an integer in 0..1000"},
      {R"({"incident_size_for_high": -50})",
       "\"incident_size_for_high\" must be an integer in 0..9223372036854775807, got -50"},
      {R"({"incident_size_for_urgent": 9223372036854775808})",
       "\"incident_size_for_urgent\" must be an integer in 0..9223372036854775807"},
      {R"({"incident_size_for_urgent": {"n": 1}})",
       "\"incident_size_for_urgent\" must be an integer"},
      {R"({"urgings_for_high": 3, "urgings_for_urgent": 2})",
       "\"urgings_for_urgent\" (2) must not be below \"urgings_for_high\" (3)"},
      {R"({"urgings_for_high": 4})",
       "\"urgings_for_urgent\" (3) must not be below \"urgings_for_high\" (4)"},
      {R"({"incident_size_for_urgent": 10})",
       "\"incident_size_for_urgent\" (10) must not be below \"incident_size_for_high\" (50)"},
  };
  for (const ErrorRow& row : rows) {
    INFO(row.json);
    const auto rules = PriorityRules::FromJson(row.json);
    REQUIRE_FALSE(rules.ok());
    CHECK(rules.error().kind == ErrorKind::kInvalidArgument);
    INFO(rules.error().message);
    CHECK(rules.error().message.rfind("priority rules: ", 0) == 0);
    CHECK(Contains(rules.error().message, row.message_part));
  }
}

TEST_CASE("duplicate keys are only an error at the same level", "[json][errors]") {
  // Nested objects are not valid values here, but their keys do not collide with the outer ones.
  const auto rules =
      UrgingRules::FromJson(R"({"escalate_at_urgings": {"escalate_at_urgings": 1}})");
  REQUIRE_FALSE(rules.ok());
  CHECK(Contains(rules.error().message, "\"escalate_at_urgings\" must be an integer"));
}
