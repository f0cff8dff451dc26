#include "gridcare/config/values.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace gridcare::config {
namespace {

using std::chrono::milliseconds;

TEST_CASE("ParseDuration accepts ms, s, m, h and sums of them") {
  struct Case {
    const char* text;
    int64_t millis;
  };
  const std::vector<Case> cases = {
      {"0", 0},          {"0s", 0},
      {"0ms", 0},        {"1ms", 1},
      {"250ms", 250},    {"5s", 5000},
      {"2m", 120000},    {"1h", 3600000},
      {"1m30s", 90000},  {"1h1m1s1ms", 3661001},
      {"90s", 90000},    {"48h", 172800000},
      {"1s500ms", 1500}, {"007s", 7000},
  };
  for (const auto& row : cases) {
    INFO(row.text);
    const auto parsed = ParseDuration(row.text);
    REQUIRE(parsed.ok());
    CHECK(parsed->count() == row.millis);
  }
}

TEST_CASE("ParseDuration refuses anything else and says what it expects") {
  for (const char* text :
       {"", "5", "500", "5x", "ms", "s5", "-5s", "+5s", "1.5s", "5 s", " 5s", "5s ", "5S", "5sec",
        "1d", "5s5", "99999999999999999999s", "9999999999999h", "1h-1m"}) {
    INFO(text);
    const auto parsed = ParseDuration(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == core::ErrorKind::kInvalidArgument);
  }
  CHECK_THAT(ParseDuration("30").error().message, Catch::Contains("unit (ms, s, m or h)"));
  CHECK_THAT(ParseDuration("3d").error().message, Catch::Contains("unknown unit \"d\""));
  CHECK_THAT(ParseDuration("9999999999999h").error().message, Catch::Contains("too long"));
}

TEST_CASE("FormatDuration prints the shortest exact form and round-trips") {
  struct Case {
    int64_t millis;
    const char* text;
  };
  const std::vector<Case> cases = {
      {0, "0s"},     {1, "1ms"},       {250, "250ms"},  {1000, "1s"},           {1500, "1s500ms"},
      {60000, "1m"}, {90000, "1m30s"}, {3600000, "1h"}, {3661001, "1h1m1s1ms"}, {172800000, "48h"},
  };
  for (const auto& row : cases) {
    INFO(row.text);
    CHECK(FormatDuration(milliseconds(row.millis)) == row.text);
    const auto back = ParseDuration(row.text);
    REQUIRE(back.ok());
    CHECK(back->count() == row.millis);
  }
  CHECK(FormatDuration(milliseconds(-1500)) == "-1s500ms");
}

TEST_CASE("ParseEndpoint accepts host names, IPv4 and bracketed IPv6") {
  struct Case {
    const char* text;
    const char* host;
    int port;
    bool allow_zero;
    const char* round_trip;
  };
  const std::vector<Case> cases = {
      {"127.0.0.1:9092", "127.0.0.1", 9092, false, "127.0.0.1:9092"},
      {"localhost:1", "localhost", 1, false, "localhost:1"},
      {"redis.gridcare.svc.cluster.local:6379", "redis.gridcare.svc.cluster.local", 6379, false,
       "redis.gridcare.svc.cluster.local:6379"},
      {"kafka-0_x:65535", "kafka-0_x", 65535, false, "kafka-0_x:65535"},
      {"[::1]:50051", "::1", 50051, false, "[::1]:50051"},
      {"[::]:0", "::", 0, true, "[::]:0"},
      {"0.0.0.0:0", "0.0.0.0", 0, true, "0.0.0.0:0"},
      {"[2001:db8::1]:80", "2001:db8::1", 80, false, "[2001:db8::1]:80"},
  };
  for (const auto& row : cases) {
    INFO(row.text);
    const auto parsed = ParseEndpoint(row.text, row.allow_zero);
    REQUIRE(parsed.ok());
    CHECK(parsed->host == row.host);
    CHECK(parsed->port == row.port);
    CHECK(parsed->ToString() == row.round_trip);
  }
}

TEST_CASE("ParseEndpoint refuses malformed addresses with a reason") {
  struct Case {
    const char* text;
    bool allow_zero;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"", false, "port is missing"},
      {"localhost", false, "port is missing"},
      {":80", false, "host is missing"},
      {"host:", false, "port in 1..65535"},
      {"host:0", false, "port in 1..65535"},
      {"host:65536", false, "port in 1..65535"},
      {"host:99999", true, "port in 0..65535"},
      {"host:-1", false, "port in 1..65535"},
      {"host:+80", false, "port in 1..65535"},
      {"host:80x", false, "port in 1..65535"},
      {"host:123456", false, "port in 1..65535"},
      {"::1:80", false, "IPv6 host in brackets"},
      {"[::1:80", false, "both brackets"},
      {"[]:80", false, "both brackets"},
      {"[zz::1]:80", false, "IPv6 host is malformed"},
      {"ho st:80", false, "letters, digits"},
      {"http://host:80", false, "IPv6 host in brackets"},
      {"主机:80", false, "letters, digits"},
  };
  for (const auto& row : cases) {
    INFO(row.text);
    const auto parsed = ParseEndpoint(row.text, row.allow_zero);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message,
               Catch::StartsWith("expected HOST:PORT") && Catch::Contains(row.reason));
  }
}

TEST_CASE("Secret never shows its value except through Reveal") {
  const Secret unset;
  const Secret set("hunter2");
  CHECK(unset.empty());
  CHECK(unset.Redacted().empty());
  CHECK_FALSE(set.empty());
  CHECK(set.Redacted() == "***");
  CHECK(set.Reveal() == "hunter2");
}

}  // namespace
}  // namespace gridcare::config
