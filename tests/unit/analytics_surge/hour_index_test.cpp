#include "hour_index.h"

#include <catch2/catch.hpp>
#include <chrono>

namespace gridcare::analytics {
namespace {

using namespace std::chrono;

/// A UTC time point from calendar fields.
core::TimePoint Utc(int y, unsigned mo, unsigned d, int h, int mi = 0, int s = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

// 2026-07-06 is a Monday; 00:00 there (UTC+8) is 2026-07-05 16:00 UTC, hour 495360.
constexpr int64_t kMondayMidnight = 495360;

TEST_CASE("The hour index counts local hours since the local epoch") {
  CHECK(HourIndexOf(Utc(2026, 7, 5, 16)) == kMondayMidnight);
  CHECK(HourIndexOf(Utc(2026, 7, 5, 16, 59, 59)) == kMondayMidnight);
  CHECK(HourIndexOf(Utc(2026, 7, 5, 17)) == kMondayMidnight + 1);
  CHECK(HourIndexOf(Utc(2026, 7, 5, 15, 59, 59)) == kMondayMidnight - 1);
  // Sub-second parts never move a time into the next hour.
  CHECK(HourIndexOf(Utc(2026, 7, 5, 16, 59, 59) + milliseconds(999)) == kMondayMidnight);
  // 1970-01-01 00:00 local is 1969-12-31 16:00 UTC.
  CHECK(HourIndexOf(Utc(1969, 12, 31, 16)) == 0);
  CHECK(HourIndexOf(Utc(1970, 1, 1, 0)) == 8);
  CHECK(HourIndexOf(Utc(1969, 12, 31, 15, 30)) == -1);
}

TEST_CASE("StartOfHour is the first instant of the hour and inverts HourIndexOf") {
  CHECK(StartOfHour(kMondayMidnight) == Utc(2026, 7, 5, 16));
  CHECK(StartOfHour(0) == Utc(1969, 12, 31, 16));
  CHECK(StartOfHour(-1) == Utc(1969, 12, 31, 15));
  for (int64_t hour : {int64_t{-100}, int64_t{-1}, int64_t{0}, int64_t{7}, kMondayMidnight + 13}) {
    CHECK(HourIndexOf(StartOfHour(hour)) == hour);
    CHECK(HourIndexOf(StartOfHour(hour + 1) - nanoseconds(1)) == hour);
  }
}

TEST_CASE("Days begin at local midnight") {
  CHECK(DayOf(kMondayMidnight) == DayOf(kMondayMidnight + 23));
  CHECK(DayOf(kMondayMidnight) + 1 == DayOf(kMondayMidnight + 24));
  CHECK(DayOf(kMondayMidnight - 1) + 1 == DayOf(kMondayMidnight));
  CHECK(FirstHourOfDay(DayOf(kMondayMidnight + 17)) == kMondayMidnight);
  CHECK(HourOfDay(kMondayMidnight + 17) == 17);
  CHECK(DayOf(-1) == -1);
  CHECK(HourOfDay(-1) == 23);
  // 2026-07-06 local is day 20640 after 1970-01-01.
  CHECK(DayOf(kMondayMidnight) == 20640);
}

TEST_CASE("The hour of the week starts on Monday 00:00 local") {
  CHECK(HourOfWeek(kMondayMidnight) == 0);
  CHECK(HourOfWeek(kMondayMidnight - 1) == 167);
  CHECK(HourOfWeek(kMondayMidnight + 24 * 6 + 23) == 167);
  CHECK(HourOfWeek(kMondayMidnight + 168) == 0);
  CHECK(HourOfWeek(kMondayMidnight + 10 - 168 * 4) == 10);
  // 1970-01-01 (hour 0) was a Thursday; 1969-12-29 a Monday.
  CHECK(HourOfWeek(0) == 72);
  CHECK(DayOfWeek(0) == 3);
  CHECK(HourOfWeek(-72) == 0);
  CHECK(DayOfWeek(kMondayMidnight + 24 * 2 + 5) == 2);
  static_assert(HourOfWeek(96) == 0);
  static_assert(FloorDiv(-1, 24) == -1 && FloorMod(-1, 24) == 23 && FloorDiv(-24, 24) == -1);
}

}  // namespace
}  // namespace gridcare::analytics
