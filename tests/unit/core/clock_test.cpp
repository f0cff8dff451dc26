#include "gridcare/core/clock.h"

#include <catch2/catch.hpp>

using namespace gridcare::core;
using namespace std::chrono_literals;

TEST_CASE("the fake clock moves only when told") {
  FakeClock clock(FromUnixMillis(1'000));
  CHECK(ToUnixMillis(clock.Now()) == 1'000);
  clock.Advance(90min);
  CHECK(ToUnixMillis(clock.Now()) == 1'000 + 90 * 60 * 1000);
  clock.Set(FromUnixMillis(5));
  CHECK(ToUnixMillis(clock.Now()) == 5);
}

TEST_CASE("RFC 3339 formatting is UTC with milliseconds") {
  CHECK(FormatRfc3339(FromUnixMillis(0)) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatRfc3339(FromUnixMillis(1'795'485'190'123)) == "2026-11-24T01:53:10.123Z");
  CHECK(FormatRfc3339(FromUnixMillis(-1)) == "1969-12-31T23:59:59.999Z");
  // 2028 is a leap year.
  CHECK(FormatRfc3339(FromUnixMillis(1'835'395'200'000)) == "2028-02-29T00:00:00.000Z");
}

TEST_CASE("the system clock is close to now") {
  SystemClock clock;
  const auto drift = clock.Now() - std::chrono::system_clock::now();
  CHECK(std::chrono::abs(drift) < 1s);
}
