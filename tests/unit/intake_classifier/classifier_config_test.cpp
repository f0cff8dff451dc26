// Classifier::FromJson / FromFile: every malformed rule file is refused with INVALID_ARGUMENT
// naming the rule and the field; the shipped file loads and keeps its naming convention.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "classifier.h"

namespace intake = gridcare::intake;
using Catch::Matchers::Contains;
using gridcare::core::ErrorKind;
using intake::Classifier;

namespace {

const std::string kShippedPath =
    std::string(GRIDCARE_SOURCE_DIR) + "/services/intake/config/classifier.json";

// A one-rule file whose rule has `fields` (a JSON object body without braces) added to a valid
// base.
std::string OneRule(const std::string& fields) {
  return R"({"rules": [{"id": "fault.zh.ok", "type": "FAULT_REPAIR", "language": "zh", "phrases": ["停电"]},
                       {"id": "bad.rule", )" +
         fields + "}]}";
}

std::string ErrorOf(const std::string& json) {
  auto result = Classifier::FromJson(json);
  if (result.ok()) return "(accepted)";
  CHECK(result.error().kind == ErrorKind::kInvalidArgument);
  return result.error().message;
}

}  // namespace

TEST_CASE("a minimal rule file loads, with defaults for weight and priority") {
  auto classifier = Classifier::FromJson(
      R"({"rules": [{"id": "a", "type": "PRAISE", "language": "any", "phrases": ["表扬"]}]})");
  REQUIRE(classifier.ok());
  CHECK(classifier->rule_count() == 1);
  const auto c = classifier->Classify("表扬", gridcare::v1::LANGUAGE_ZH_CN);
  CHECK(c.type() == gridcare::v1::REQUEST_TYPE_PRAISE);
  CHECK(c.confidence() == Approx(1.0 - std::exp(-0.5)));  // weight 1 by default
}

TEST_CASE("file-level errors are named") {
  CHECK_THAT(ErrorOf("{not json"), Contains("not valid JSON"));
  CHECK_THAT(ErrorOf("[]"), Contains("top level must be an object"));
  CHECK_THAT(ErrorOf("{}"), Contains("\"rules\" must be a non-empty array"));
  CHECK_THAT(ErrorOf(R"({"rules": []})"), Contains("\"rules\" must be a non-empty array"));
  CHECK_THAT(ErrorOf(R"({"rules": [], "rulez": 1})"),
             Contains("unknown top-level field \"rulez\""));
  CHECK_THAT(
      ErrorOf(
          R"({"scoring": {"evidence_scale": 0}, "rules": [{"id": "a", "type": "PRAISE", "language": "any", "phrases": ["x"]}]})"),
      Contains("scoring.evidence_scale"));
  CHECK_THAT(
      ErrorOf(
          R"({"scoring": {"override_damping": 2}, "rules": [{"id": "a", "type": "PRAISE", "language": "any", "phrases": ["x"]}]})"),
      Contains("scoring.override_damping"));
  CHECK_THAT(
      ErrorOf(
          R"({"scoring": {"gap": 2}, "rules": [{"id": "a", "type": "PRAISE", "language": "any", "phrases": ["x"]}]})"),
      Contains("scoring: unknown field \"gap\""));
}

TEST_CASE("rule errors name the rule, its position and the field") {
  CHECK_THAT(
      ErrorOf(OneRule(
          R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "category": "Bad Cat")")),
      Contains(
          "rule \"bad.rule\" (rules[1]): \"category\" must be 1-64 characters of [a-z0-9._-]"));
  CHECK_THAT(
      ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "category": 3)")),
      Contains("\"category\" must be"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "FAULT", "language": "zh", "phrases": ["x"])")),
             Contains("rule \"bad.rule\" (rules[1]): unknown type \"FAULT\""));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "UNSPECIFIED", "language": "zh", "phrases": ["x"])")),
             Contains("rule \"bad.rule\" (rules[1]): unknown type"));
  CHECK_THAT(ErrorOf(OneRule(R"("language": "zh", "phrases": ["x"])")),
             Contains("rule \"bad.rule\" (rules[1]): \"type\""));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "fr", "phrases": ["x"])")),
             Contains("rule \"bad.rule\" (rules[1]): \"language\" must be zh, en or any"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh")")),
             Contains("rule \"bad.rule\" (rules[1]): \"phrases\" is missing"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": [])")),
             Contains("phrases: must not be empty"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": "表扬")")),
             Contains("phrases: must be an array"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["表扬", 3])")),
             Contains("phrases[1]: must be a string"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["！！"])")),
             Contains("empty after normalisation"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["表扬*"])")),
             Contains("phrases[0] \"表扬*\""));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "en", "phrases": ["* praise"])")),
             Contains("cannot start or end"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "en", "phrases": ["pr*aise"])")),
             Contains("alone or at the end of a word"));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "en", "phrases": ["ok*"])")),
             Contains("at least 3 letters"));
  CHECK_THAT(
      ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "weight": 0)")),
      Contains("\"weight\" must be a number in (0, 10]"));
  CHECK_THAT(
      ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "weight": "3")")),
      Contains("\"weight\""));
  CHECK_THAT(
      ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "priority": 1.5)")),
      Contains("\"priority\" must be an integer 0..9"));
  CHECK_THAT(
      ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "with": ["y"])")),
      Contains("with[0]: must be an array"));
  CHECK_THAT(
      ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "with": [[]])")),
      Contains("with[0]: must not be empty"));
  CHECK_THAT(
      ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "unless": "y")")),
      Contains("unless: must be an array"));
  CHECK_THAT(
      ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "phrase": ["y"])")),
      Contains("unknown field \"phrase\""));
  CHECK_THAT(ErrorOf(OneRule(R"("type": "PRAISE", "language": "zh", "phrases": ["x"], "note": 1)")),
             Contains("\"note\" must be a string"));
}

TEST_CASE("application kinds are checked and belong to service applications only") {
  CHECK_THAT(
      ErrorOf(OneRule(
          R"("type": "SERVICE_APPLICATION", "application_kind": "NEW", "language": "zh", "phrases": ["x"])")),
      Contains("unknown application_kind \"NEW\""));
  CHECK_THAT(
      ErrorOf(OneRule(
          R"("type": "COMPLAINT", "application_kind": "METER_CHECK", "language": "zh", "phrases": ["x"])")),
      Contains("application_kind is only for type SERVICE_APPLICATION"));
  CHECK(
      ErrorOf(OneRule(
          R"("type": "SERVICE_APPLICATION", "application_kind": "SERVICE_APPLICATION_KIND_METER_CHECK", "language": "zh", "phrases": ["x"])")) ==
      "(accepted)");
}

TEST_CASE("rule ids are required, well-formed and unique") {
  CHECK_THAT(ErrorOf(R"({"rules": [{"type": "PRAISE", "language": "zh", "phrases": ["x"]}]})"),
             Contains("rules[0]: \"id\""));
  CHECK_THAT(
      ErrorOf(
          R"({"rules": [{"id": "Has Space", "type": "PRAISE", "language": "zh", "phrases": ["x"]}]})"),
      Contains("rules[0]: \"id\""));
  CHECK_THAT(
      ErrorOf(R"({"rules": [{"id": "a", "type": "PRAISE", "language": "zh", "phrases": ["x"]},
                                   {"id": "a", "type": "OPINION", "language": "zh", "phrases": ["y"]}]})"),
      Contains("rule \"a\" (rules[1]): duplicate id"));
  CHECK_THAT(ErrorOf(R"({"rules": ["a"]})"), Contains("rules[0]: must be an object"));
}

TEST_CASE("settings outside 0..1 are refused") {
  const std::string json =
      R"({"rules": [{"id": "a", "type": "PRAISE", "language": "zh", "phrases": ["x"]}]})";
  CHECK_FALSE(Classifier::FromJson(json, {.min_confidence = 1.5}).ok());
  CHECK_FALSE(Classifier::FromJson(json, {.min_confidence = 0.5, .min_margin = -0.1}).ok());
}

TEST_CASE("FromFile: a missing file is NOT_FOUND, errors carry the path") {
  auto missing = Classifier::FromFile("/nonexistent/classifier.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::kNotFound);
  CHECK_THAT(missing.error().message, Contains("/nonexistent/classifier.json"));

  // A private temporary file (the process id keeps parallel runs apart), removed again.
  const std::string unique =
      (std::filesystem::temp_directory_path() /
       ("gridcare-classifier-bad-rules-" + std::to_string(::getpid()) + ".json"))
          .string();
  {
    std::ofstream out(unique);
    out << R"({"rules": [{"id": "x.y", "type": "NOPE", "language": "zh", "phrases": ["x"]}]})";
  }
  auto bad = Classifier::FromFile(unique);
  std::remove(unique.c_str());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::kInvalidArgument);
  CHECK_THAT(bad.error().message, Contains(unique) && Contains("rule \"x.y\""));
}

TEST_CASE("the shipped rules load and follow the <type>.<language>.<name> id convention") {
  auto classifier = Classifier::FromFile(kShippedPath);
  REQUIRE(classifier.ok());
  CHECK(classifier->rule_count() >= 80);

  std::ifstream in(kShippedPath);
  const auto json = nlohmann::json::parse(in);
  const std::map<std::string, std::string> prefix = {
      {"FAULT_REPAIR", "fault"},   {"COMPLAINT", "complaint"},       {"REPORT", "report"},
      {"OPINION", "opinion"},      {"SUGGESTION", "suggestion"},     {"PRAISE", "praise"},
      {"CONSULTATION", "consult"}, {"SERVICE_APPLICATION", "apply"}, {"URGING", "urging"}};
  std::set<std::string> types_seen;
  for (const auto& rule : json.at("rules")) {
    const std::string id = rule.at("id");
    const std::string type = rule.at("type");
    const std::string language = rule.at("language");
    INFO(id);
    REQUIRE(prefix.count(type) == 1);
    CHECK(id.rfind(prefix.at(type) + "." + language + ".", 0) == 0);
    types_seen.insert(type);
  }
  CHECK(types_seen.size() == prefix.size());  // every request type has rules
}
