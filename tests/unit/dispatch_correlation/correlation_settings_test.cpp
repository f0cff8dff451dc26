// CorrelationSettings: defaults and FromJson.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "correlation.h"

using gridcare::core::ErrorKind;
using gridcare::dispatch::CorrelationSettings;

TEST_CASE("correlation settings have the documented defaults", "[correlation][settings]") {
  const CorrelationSettings settings;
  CHECK(settings.window == std::chrono::minutes(15));
  CHECK(settings.min_calls_for_transformer == 3);
  CHECK(settings.min_share_for_transformer == Approx(0.2));
  CHECK(settings.min_calls_for_share == 2);
  CHECK(settings.min_transformers_for_feeder == 2);
  CHECK(settings.min_share_for_feeder == Approx(0.5));
  CHECK_FALSE(settings.last_gasp_work_order);

  auto empty = CorrelationSettings::FromJson("{}");
  REQUIRE(empty.ok());
  CHECK(empty->window == settings.window);
  CHECK(empty->min_calls_for_transformer == settings.min_calls_for_transformer);
}

TEST_CASE("correlation settings read every key", "[correlation][settings]") {
  auto settings = CorrelationSettings::FromJson(R"({
    "window_minutes": 20, "min_calls_for_transformer": 5, "min_share_for_transformer": 0.25,
    "min_calls_for_share": 3, "min_transformers_for_feeder": 4, "min_share_for_feeder": 0,
    "last_gasp_work_order": true})");
  REQUIRE(settings.ok());
  CHECK(settings->window == std::chrono::minutes(20));
  CHECK(settings->min_calls_for_transformer == 5);
  CHECK(settings->min_share_for_transformer == Approx(0.25));
  CHECK(settings->min_calls_for_share == 3);
  CHECK(settings->min_transformers_for_feeder == 4);
  CHECK(settings->min_share_for_feeder == 0.0);
  CHECK(settings->last_gasp_work_order);

  auto whole = CorrelationSettings::FromJson(R"({"min_share_for_transformer": 1})");
  REQUIRE(whole.ok());
  CHECK(whole->min_share_for_transformer == 1.0);
}

TEST_CASE("correlation settings reject bad input and name the key", "[correlation][settings]") {
  struct Case {
    const char* json;
    const char* mentions;
  };
  const Case cases[] = {
      {R"({"window": 15})", "unknown key \"window\""},
      {R"({"window_minutes": 0})", "\"window_minutes\" must be an integer in 1..1440"},
      {R"({"window_minutes": 1441})", "window_minutes"},
      {R"({"window_minutes": 2.5})", "window_minutes"},
      {R"({"window_minutes": "15"})", "window_minutes"},
      {R"({"min_calls_for_transformer": 0})", "min_calls_for_transformer"},
      {R"({"min_calls_for_transformer": -3})", "min_calls_for_transformer"},
      {R"({"min_calls_for_transformer": 18446744073709551615})", "min_calls_for_transformer"},
      {R"({"min_share_for_transformer": 1.01})", "\"min_share_for_transformer\" must be a number"},
      {R"({"min_share_for_transformer": -0.1})", "min_share_for_transformer"},
      {R"({"min_share_for_transformer": "0.2"})", "min_share_for_transformer"},
      {R"({"min_calls_for_share": 0})", "min_calls_for_share"},
      {R"({"min_transformers_for_feeder": 1})",
       "\"min_transformers_for_feeder\" must be an integer in 2.."},
      {R"({"min_share_for_feeder": 2})", "min_share_for_feeder"},
      {R"({"last_gasp_work_order": 1})", "\"last_gasp_work_order\" must be true or false"},
      {R"({"window_minutes": 10, "window_minutes": 20})", "given more than once"},
      {R"([1, 2])", "expected a JSON object"},
      {R"({"window_minutes": )", "not valid JSON"},
  };
  for (const Case& c : cases) {
    INFO(c.json);
    auto settings = CorrelationSettings::FromJson(c.json);
    REQUIRE_FALSE(settings.ok());
    CHECK(settings.error().kind == ErrorKind::kInvalidArgument);
    CHECK_THAT(settings.error().message, Catch::Contains("correlation settings: "));
    CHECK_THAT(settings.error().message, Catch::Contains(c.mentions));
  }
}
