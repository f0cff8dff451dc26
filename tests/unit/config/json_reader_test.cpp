// The strict JSON reader every configuration loader uses.
#include "gridcare/config/json_reader.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>

namespace gridcare::config {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using nlohmann::json;

const JsonReader kReader("test settings");

template <typename Outcome>  // core::Result<T> or core::Status
std::string ErrorOf(const Outcome& result) {
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(result.error().message, StartsWith("test settings: "));
  return result.error().message;
}

TEST_CASE("Parse reads JSON and refuses a key given twice at the same level") {
  auto parsed = kReader.Parse(R"({"a": 1, "b": {"a": 2}})");
  REQUIRE(parsed.ok());
  CHECK(parsed->at("b").at("a") == 2);
  CHECK_THAT(ErrorOf(kReader.Parse(R"({"a": 1, "a": 2})")),
             Contains("key \"a\" given more than once"));
  CHECK_THAT(ErrorOf(kReader.Parse(R"({"b": {"x": 1, "x": 1}})")),
             Contains("key \"x\" given more than once"));
  CHECK_THAT(ErrorOf(kReader.Parse("{")), Contains("not valid JSON"));
  CHECK_THAT(ErrorOf(kReader.Parse("")), Contains("not valid JSON"));
  CHECK(kReader.Parse("[1, 2]").ok());
}

TEST_CASE("ParseObject wants an object at the top level") {
  CHECK(kReader.ParseObject("{}").ok());
  CHECK_THAT(ErrorOf(kReader.ParseObject("[]")), Contains("expected a JSON object, got array"));
  CHECK_THAT(ErrorOf(kReader.ParseObject("7")), Contains("expected a JSON object, got number"));
  CHECK_THAT(ErrorOf(kReader.ParseObject("null")), Contains("expected a JSON object, got null"));
}

TEST_CASE("RejectUnknownKeys names the key, the path and the known keys") {
  constexpr std::string_view kKnown[] = {"alpha", "beta"};
  CHECK(kReader.RejectUnknownKeys(json{{"alpha", 1}, {"beta", 2}}, kKnown).ok());
  CHECK(kReader.RejectUnknownKeys(json::object(), kKnown).ok());
  CHECK_THAT(ErrorOf(kReader.RejectUnknownKeys(json{{"Alpha", 1}}, kKnown)),
             Contains("unknown key \"Alpha\" (known: alpha, beta)"));
  CHECK_THAT(ErrorOf(kReader.RejectUnknownKeys(json{{"gamma", 1}}, kKnown, "rules[2]")),
             Contains("test settings: rules[2]: unknown key \"gamma\""));
}

TEST_CASE("Integer accepts integers in range only, and says what it got") {
  CHECK(kReader.Integer(json(5), "n", 1, 10).value() == 5);
  CHECK(kReader.Integer(json(1), "n", 1, 10).value() == 1);
  CHECK(kReader.Integer(json(10), "n", 1, 10).value() == 10);
  CHECK(kReader.Integer(json(-3), "n", -5, 0).value() == -3);
  const int64_t max = std::numeric_limits<int64_t>::max();
  CHECK(kReader.Integer(json::parse("9223372036854775807"), "n", 0, max).value() == max);
  CHECK_THAT(ErrorOf(kReader.Integer(json(0), "a.n", 1, 10)),
             Contains("\"a.n\" must be an integer in 1..10, got 0"));
  CHECK_THAT(ErrorOf(kReader.Integer(json(11), "n", 1, 10)), Contains("got 11"));
  CHECK_THAT(ErrorOf(kReader.Integer(json(2.5), "n", 1, 10)), Contains("got 2.5"));
  CHECK_THAT(ErrorOf(kReader.Integer(json(2.0), "n", 1, 10)), Contains("must be an integer"));
  CHECK_THAT(ErrorOf(kReader.Integer(json("2"), "n", 1, 10)), Contains("got \"2\""));
  CHECK_THAT(ErrorOf(kReader.Integer(json(true), "n", 1, 10)), Contains("got true"));
  CHECK_THAT(ErrorOf(kReader.Integer(json(nullptr), "n", 1, 10)), Contains("got null"));
  CHECK_THAT(ErrorOf(kReader.Integer(json::parse("18446744073709551615"), "n", 0, max)),
             Contains("must be an integer in 0..9223372036854775807"));
  CHECK_THAT(ErrorOf(kReader.Integer(json::parse("9223372036854775808"), "n", 0, max)),
             Contains("must be an integer"));
}

TEST_CASE("IntegerIn is the same check without a message") {
  CHECK(JsonReader::IntegerIn(json(3), 1, 3) == 3);
  CHECK_FALSE(JsonReader::IntegerIn(json(4), 1, 3));
  CHECK_FALSE(JsonReader::IntegerIn(json(0), 1, 3));
  CHECK_FALSE(JsonReader::IntegerIn(json(3), -5, -1));
  CHECK_FALSE(JsonReader::IntegerIn(json(3.0), 1, 3));
}

TEST_CASE("Number, Bool and String") {
  CHECK(kReader.Number(json(0.25), "share", 0, 1).value() == 0.25);
  CHECK(kReader.Number(json(1), "share", 0, 1).value() == 1.0);
  CHECK_THAT(ErrorOf(kReader.Number(json(1.01), "share", 0, 1)),
             Contains("\"share\" must be a number in 0..1, got 1.01"));
  CHECK_THAT(ErrorOf(kReader.Number(json("0.2"), "share", 0, 1)), Contains("got \"0.2\""));
  CHECK(kReader.Bool(json(true), "on").value());
  CHECK_THAT(ErrorOf(kReader.Bool(json(1), "on")), Contains("\"on\" must be true or false, got 1"));
  CHECK(kReader.String(json("x"), "name").value() == "x");
  CHECK_THAT(ErrorOf(kReader.String(json(1), "name")),
             Contains("\"name\" must be a string, got 1"));
}

TEST_CASE("Error prefixes a loader's own message") {
  CHECK(kReader.Error("\"b\" (2) must not be below \"a\" (3)").message ==
        "test settings: \"b\" (2) must not be below \"a\" (3)");
  CHECK(kReader.what() == "test settings");
}

}  // namespace
}  // namespace gridcare::config
