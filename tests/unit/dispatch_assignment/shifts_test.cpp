// OnShift: day, night (crossing midnight), 24-hour, weekday masks, Sunday, the local offset.
// NextShiftStart: the next start within a lead time, across midnight and weekday masks.
#include <catch2/catch.hpp>
#include <chrono>

#include "assignment.h"
#include "dispatch_test_util.h"

using namespace gridcare;
using namespace gridcare::dispatch;
using namespace gridcare::dispatch::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::chrono::minutes kChina{480};

bool On(const std::vector<ShiftWindow>& shifts, core::TimePoint t) {
  return OnShift(shifts, t, kChina);
}

}  // namespace

TEST_CASE("the test calendar: 2026-06-01 is a Monday") {
  const auto day = std::chrono::floor<std::chrono::days>(Monday(12) + 8h);
  CHECK(std::chrono::weekday{day} == std::chrono::Monday);
  const auto sunday = std::chrono::floor<std::chrono::days>(Local(2026, 6, 7, 12) + 8h);
  CHECK(std::chrono::weekday{sunday} == std::chrono::Sunday);
}

TEST_CASE("a day shift covers its start minute but not its end minute, to the second") {
  const std::vector<ShiftWindow> day = {{kEveryDay, 8 * 60, 20 * 60}};
  CHECK_FALSE(On(day, Monday(7, 59, 59)));
  CHECK(On(day, Monday(8)));
  CHECK(On(day, Monday(8, 0, 1)));
  CHECK(On(day, Monday(19, 59, 59)));
  CHECK_FALSE(On(day, Monday(20)));
  CHECK_FALSE(On(day, Monday(2)));
  CHECK_FALSE(On(day, Monday(23, 59, 59)));
}

TEST_CASE("a night shift runs past midnight into the next day") {
  const std::vector<ShiftWindow> night = {{kEveryDay, 20 * 60, 8 * 60}};
  CHECK_FALSE(On(night, Monday(19, 59, 59)));
  CHECK(On(night, Monday(20)));
  CHECK(On(night, Monday(23, 59, 59)));
  CHECK(On(night, Monday(0)));
  CHECK(On(night, Monday(2)));
  CHECK(On(night, Monday(7, 59, 59)));
  CHECK_FALSE(On(night, Monday(8)));
  CHECK_FALSE(On(night, Monday(12)));
}

TEST_CASE("a night shift belongs to the day it starts on") {
  const std::vector<ShiftWindow> monday_night = {{kMondayOnly, 20 * 60, 8 * 60}};
  CHECK_FALSE(On(monday_night, Monday(2)));  // Sunday night's shift: not in the mask
  CHECK(On(monday_night, Monday(20)));
  CHECK(On(monday_night, Monday(22)));
  CHECK(On(monday_night, Local(2026, 6, 2, 0)));  // Tuesday 00:00
  CHECK(On(monday_night, Local(2026, 6, 2, 2)));
  CHECK(On(monday_night, Local(2026, 6, 2, 7, 59, 59)));
  CHECK_FALSE(On(monday_night, Local(2026, 6, 2, 8)));
  CHECK_FALSE(On(monday_night, Local(2026, 6, 2, 22)));  // Tuesday night: not in the mask
}

TEST_CASE("a Sunday night shift ends on Monday morning") {
  const std::vector<ShiftWindow> sunday_night = {{kSundayOnly, 20 * 60, 8 * 60}};
  CHECK(On(sunday_night, Local(2026, 6, 7, 23)));
  CHECK(On(sunday_night, Local(2026, 6, 8, 1)));  // Monday 01:00
  CHECK_FALSE(On(sunday_night, Local(2026, 6, 8, 8)));
  CHECK_FALSE(On(sunday_night, Local(2026, 6, 6, 23)));  // Saturday
  CHECK(On(sunday_night, Monday(1)));  // Monday 1 June belongs to Sunday 31 May's shift
}

TEST_CASE("weekday masks: office hours on weekdays, Sunday only") {
  const std::vector<ShiftWindow> office = {{kWeekdays, 8 * 60 + 30, 17 * 60 + 30}};
  CHECK(On(office, Monday(10)));
  CHECK(On(office, Local(2026, 6, 5, 10)));        // Friday
  CHECK_FALSE(On(office, Local(2026, 6, 6, 10)));  // Saturday
  CHECK_FALSE(On(office, Local(2026, 6, 7, 10)));  // Sunday
  CHECK_FALSE(On(office, Monday(8, 29, 59)));
  CHECK(On(office, Monday(8, 30)));
  CHECK(On(office, Monday(17, 29, 59)));
  CHECK_FALSE(On(office, Monday(17, 30)));

  const std::vector<ShiftWindow> sunday = {{kSundayOnly, 8 * 60, 20 * 60}};
  CHECK(On(sunday, Local(2026, 6, 7, 10)));
  CHECK_FALSE(On(sunday, Local(2026, 6, 8, 10)));
  CHECK_FALSE(On(sunday, Local(2026, 6, 6, 10)));

  // The synthetic roster's standby pattern: Mon/Wed/Fri/Sun round the clock.
  const std::vector<ShiftWindow> standby = {{0x55, 8 * 60, 20 * 60}, {0x55, 20 * 60, 8 * 60}};
  CHECK(On(standby, Monday(10)));
  CHECK(On(standby, Local(2026, 6, 2, 7, 59)));  // Tuesday morning: Monday's night
  CHECK_FALSE(On(standby, Local(2026, 6, 2, 8)));
  CHECK_FALSE(On(standby, Local(2026, 6, 2, 22)));
  CHECK(On(standby, Local(2026, 6, 3, 8)));  // Wednesday
}

TEST_CASE("start == end is a 24-hour shift from its start") {
  const std::vector<ShiftWindow> full = {{kMondayOnly, 8 * 60, 8 * 60}};
  CHECK_FALSE(On(full, Monday(7, 59, 59)));
  CHECK(On(full, Monday(8)));
  CHECK(On(full, Local(2026, 6, 2, 7, 59, 59)));
  CHECK_FALSE(On(full, Local(2026, 6, 2, 8)));
  const std::vector<ShiftWindow> midnight = {{kEveryDay, 0, 24 * 60}};
  CHECK(On(midnight, Monday(0)));
  CHECK(On(midnight, Monday(23, 59, 59)));
}

TEST_CASE("no shifts, empty masks and out-of-range minutes never apply") {
  CHECK_FALSE(On({}, Monday(10)));
  CHECK_FALSE(On({{0, 0, 24 * 60}}, Monday(10)));
  CHECK_FALSE(On({{kEveryDay, -60, 20 * 60}}, Monday(10)));
  CHECK_FALSE(On({{kEveryDay, 8 * 60, 24 * 60 + 1}}, Monday(10)));
}

TEST_CASE("shifts are read in the configured local time") {
  const std::vector<ShiftWindow> day = {{kEveryDay, 8 * 60, 20 * 60}};
  const core::TimePoint utc_six_pm = Monday(2);  // Sunday 18:00 UTC
  CHECK(OnShift(day, utc_six_pm, std::chrono::minutes{0}));
  CHECK_FALSE(OnShift(day, utc_six_pm, kChina));
  // Before 1970 the weekday still comes out right (floor division).
  const std::vector<ShiftWindow> wednesday = {{0x04, 0, 24 * 60}};
  CHECK(OnShift(wednesday, Local(1969, 12, 31, 12), kChina));
  CHECK_FALSE(OnShift(wednesday, Local(1969, 12, 30, 12), kChina));
}

TEST_CASE("the next shift start within a lead time") {
  const auto next = [](const std::vector<ShiftWindow>& shifts, core::TimePoint t,
                       std::chrono::minutes within) {
    return NextShiftStart(shifts, t, within, kChina);
  };
  const std::vector<ShiftWindow> night = {{kEveryDay, 20 * 60, 8 * 60}};
  // 19:28: the night shift starts in 32 minutes.
  CHECK(next(night, Monday(19, 28), 60min) == Monday(20));
  CHECK(next(night, Monday(19), 60min) == Monday(20));  // exactly the lead: included
  CHECK_FALSE(next(night, Monday(18, 59, 59), 60min));
  CHECK_FALSE(next(night, Monday(19, 28), 0min));
  // A start is strictly after t: at 20:00 the shift has started, the next one is tomorrow.
  CHECK_FALSE(next(night, Monday(20), 60min));
  CHECK(next(night, Monday(20), 24h) == Local(2026, 6, 2, 20));
  // Sub-second instants compare as they are.
  CHECK(next(night, Monday(19, 59, 59) + 500ms, 1min) == Monday(20));

  // Across midnight: Sunday 23:30 to Monday's 00:15 shift; the weekday mask decides.
  const std::vector<ShiftWindow> early = {{kMondayOnly, 15, 8 * 60}};
  CHECK(next(early, Local(2026, 6, 7, 23, 30), 60min) == Local(2026, 6, 8, 0, 15));
  CHECK_FALSE(next(early, Monday(23, 30), 60min));  // Tuesday's is not in the mask

  // The earliest of several shifts; invalid ones never start.
  const std::vector<ShiftWindow> several = {
      {kEveryDay, 8 * 60 + 30, 17 * 60}, {kEveryDay, 8 * 60, 20 * 60}, {kEveryDay, -5, 60}};
  CHECK(next(several, Monday(7, 45), 60min) == Monday(8));
  CHECK(next(several, Monday(8, 10), 60min) == Monday(8, 30));
  CHECK_FALSE(next({}, Monday(7, 45), 24h));

  // In UTC the same shift starts eight hours later.
  CHECK(NextShiftStart(night, Monday(19, 28) + 8h, 60min, std::chrono::minutes{0}) ==
        Monday(20) + 8h);
}
