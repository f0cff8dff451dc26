#include "gridcare/sla/calendar.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <climits>
#include <string>

#include "sla_test_util.h"

using namespace gridcare;
using namespace gridcare::sla;
using namespace gridcare::sla::testing;
using namespace std::chrono_literals;

namespace {

// The message of a failed FromJson, or "" when it succeeded.
std::string CalendarError(const std::string& json) {
  auto result = WorkingCalendar::FromJson(json);
  if (result.ok()) return "";
  CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
  return result.error().message;
}

}  // namespace

TEST_CASE("weekdays are working days and weekends are not") {
  const WorkingCalendar calendar = WorkingCalendar::WeekdaysOnly();
  // 2026-03-02 is a Monday.
  for (int day = 2; day <= 6; ++day) CHECK(calendar.IsWorkingDay({2026, 3, day}));
  CHECK_FALSE(calendar.IsWorkingDay({2026, 3, 7}));
  CHECK_FALSE(calendar.IsWorkingDay({2026, 3, 8}));
  // Without a holiday list, National Day is an ordinary Thursday.
  CHECK(calendar.IsWorkingDay({2026, 10, 1}));
  // Impossible dates are never working days.
  CHECK_FALSE(calendar.IsWorkingDay({2026, 2, 30}));
  CHECK_FALSE(calendar.IsWorkingDay({2026, 13, 1}));
  CHECK(calendar.time_zone_offset_minutes() == 480);
  CHECK(WorkingCalendar().time_zone_offset_minutes() == 480);
  CHECK(WorkingCalendar::WeekdaysOnly(-300).time_zone_offset_minutes() == -300);
}

TEST_CASE("2026 holidays are off and adjusted working weekends are on") {
  const WorkingCalendar calendar = Cn2026();
  SECTION("holidays on weekdays are off") {
    for (const LocalDate date : {LocalDate{2026, 1, 1},
                                 {2026, 1, 2},
                                 {2026, 2, 16},
                                 {2026, 2, 17},
                                 {2026, 2, 20},
                                 {2026, 2, 23},
                                 {2026, 4, 6},
                                 {2026, 5, 1},
                                 {2026, 5, 4},
                                 {2026, 5, 5},
                                 {2026, 6, 19},
                                 {2026, 9, 25},
                                 {2026, 10, 1},
                                 {2026, 10, 5},
                                 {2026, 10, 7}}) {
      INFO(FormatLocalDate(date));
      CHECK_FALSE(calendar.IsWorkingDay(date));
    }
  }
  SECTION("weekends inside holiday periods stay off") {
    CHECK_FALSE(calendar.IsWorkingDay({2026, 1, 3}));
    CHECK_FALSE(calendar.IsWorkingDay({2026, 2, 15}));
    CHECK_FALSE(calendar.IsWorkingDay({2026, 10, 3}));
    CHECK_FALSE(calendar.IsWorkingDay({2026, 10, 4}));
  }
  SECTION("adjusted working weekends (调休) are on") {
    for (const LocalDate date : {LocalDate{2026, 1, 4},
                                 {2026, 2, 14},
                                 {2026, 2, 28},
                                 {2026, 5, 9},
                                 {2026, 9, 20},
                                 {2026, 10, 10}}) {
      INFO(FormatLocalDate(date));
      CHECK(calendar.IsWorkingDay(date));
    }
  }
  SECTION("ordinary days around them are unchanged") {
    CHECK(calendar.IsWorkingDay({2026, 2, 13}));         // Friday before Spring Festival
    CHECK(calendar.IsWorkingDay({2026, 2, 24}));         // first day back
    CHECK(calendar.IsWorkingDay({2026, 9, 30}));         // Wednesday before National Day
    CHECK(calendar.IsWorkingDay({2026, 10, 8}));         // first day back
    CHECK_FALSE(calendar.IsWorkingDay({2026, 10, 11}));  // Sunday after the working Saturday
    CHECK_FALSE(calendar.IsWorkingDay({2026, 3, 7}));    // ordinary Saturday
    CHECK_FALSE(calendar.IsWorkingDay({2026, 9, 19}));   // Saturday before the working Sunday
  }
  SECTION("the year has 248 working days (261 weekdays - 19 weekday holidays + 6)") {
    int working = 0;
    for (auto day = std::chrono::sys_days{2026y / 1 / 1};
         day <= std::chrono::sys_days{2026y / 12 / 31}; day += std::chrono::days{1}) {
      const std::chrono::year_month_day ymd{day};
      if (calendar.IsWorkingDay({static_cast<int>(ymd.year()),
                                 static_cast<int>(static_cast<unsigned>(ymd.month())),
                                 static_cast<int>(static_cast<unsigned>(ymd.day()))})) {
        ++working;
      }
    }
    CHECK(working == 248);
  }
  SECTION("years not listed fall back to Monday to Friday") {
    CHECK(calendar.IsWorkingDay({2027, 1, 1}));  // a Friday: unknown holiday, see README
    CHECK(calendar.IsWorkingDay({2025, 12, 31}));
    CHECK_FALSE(calendar.IsWorkingDay({2027, 1, 2}));
  }
}

TEST_CASE("local dates follow the calendar's UTC offset") {
  const WorkingCalendar china = WorkingCalendar::WeekdaysOnly();
  CHECK(china.LocalDateOf(Utc(2026, 9, 30, 15, 59)) == LocalDate{2026, 9, 30});
  CHECK(china.LocalDateOf(Utc(2026, 9, 30, 16, 0)) == LocalDate{2026, 10, 1});
  CHECK(china.LocalDateOf(Utc(2026, 9, 30, 23, 30)) == LocalDate{2026, 10, 1});
  CHECK(china.LocalDateOf(Utc(2025, 12, 31, 23, 30)) == LocalDate{2026, 1, 1});
  CHECK(china.LocalDateOf(Utc(2026, 1, 1, 0, 0) - 1ns) == LocalDate{2026, 1, 1});
  CHECK(china.LocalDateOf(At(2026, 1, 1, 0, 0) - 1ns) == LocalDate{2025, 12, 31});
  CHECK(china.LocalDateOf(Utc(1970, 1, 1) - 9h) == LocalDate{1969, 12, 31});
  const WorkingCalendar utc = WorkingCalendar::WeekdaysOnly(0);
  CHECK(utc.LocalDateOf(Utc(2026, 9, 30, 23, 30)) == LocalDate{2026, 9, 30});
  const WorkingCalendar west = WorkingCalendar::WeekdaysOnly(-300);  // UTC-5
  CHECK(west.LocalDateOf(Utc(2026, 10, 1, 4, 59)) == LocalDate{2026, 9, 30});
  CHECK(west.LocalDateOf(Utc(2026, 10, 1, 5, 0)) == LocalDate{2026, 10, 1});
}

TEST_CASE("a date formats as YYYY-MM-DD") {
  CHECK(FormatLocalDate({2026, 1, 4}) == "2026-01-04");
  CHECK(FormatLocalDate({2026, 12, 31}) == "2026-12-31");
}

TEST_CASE("working days are added on ordinary weeks") {
  const WorkingCalendar calendar = WorkingCalendar::WeekdaysOnly();
  // 2026-03-02 is a Monday.
  CHECK(calendar.AddWorkingDays(At(2026, 3, 2, 10), 1) == At(2026, 3, 3, 10));
  CHECK(calendar.AddWorkingDays(At(2026, 3, 2, 10), 4) == At(2026, 3, 6, 10));
  CHECK(calendar.AddWorkingDays(At(2026, 3, 2, 10), 5) == At(2026, 3, 9, 10));
  CHECK(calendar.AddWorkingDays(At(2026, 3, 6, 10), 1) == At(2026, 3, 9, 10));  // Fri -> Mon
  CHECK(calendar.AddWorkingDays(At(2026, 3, 6, 10), 5) == At(2026, 3, 13, 10));
  CHECK(calendar.AddWorkingDays(At(2026, 3, 2, 10), 10) == At(2026, 3, 16, 10));
  // Sub-minute precision is kept.
  CHECK(calendar.AddWorkingDays(At(2026, 3, 2, 10) + 1234567ns, 1) ==
        At(2026, 3, 3, 10) + 1234567ns);
}

TEST_CASE("a complaint before National Day is due after it, counting the working Saturday") {
  const WorkingCalendar calendar = Cn2026();
  // Received Wednesday 2026-09-30 16:00 local. Working days after it: Oct 8 (Thu), 9 (Fri),
  // 10 (working Saturday), 12 (Mon), 13 (Tue).
  const core::TimePoint received = At(2026, 9, 30, 16);
  CHECK(Show(calendar.AddWorkingDays(received, 1)) == Show(At(2026, 10, 8, 16)));
  CHECK(Show(calendar.AddWorkingDays(received, 3)) == Show(At(2026, 10, 10, 16)));
  CHECK(Show(calendar.AddWorkingDays(received, 5)) == Show(At(2026, 10, 13, 16)));
  CHECK(Show(calendar.AddWorkingDays(received, 5)) == "2026-10-13T08:00:00.000Z");
  // The working Sunday before the holiday counts too: Friday 09-18 + 1 -> Sunday 09-20.
  CHECK(calendar.AddWorkingDays(At(2026, 9, 18, 9), 1) == At(2026, 9, 20, 9));
  // Thursday 09-24 + 1 skips Mid-Autumn (Fri 09-25 .. Sun 09-27) -> Monday 09-28.
  CHECK(calendar.AddWorkingDays(At(2026, 9, 24, 9), 1) == At(2026, 9, 28, 9));
}

TEST_CASE("working days are added across the other 2026 holidays") {
  const WorkingCalendar calendar = Cn2026();
  SECTION("Spring Festival, with working Saturdays on both sides") {
    CHECK(calendar.AddWorkingDays(At(2026, 2, 13, 9), 1) == At(2026, 2, 14, 9));
    CHECK(calendar.AddWorkingDays(At(2026, 2, 13, 9), 2) == At(2026, 2, 24, 9));
    CHECK(calendar.AddWorkingDays(At(2026, 2, 13, 9), 5) == At(2026, 2, 27, 9));
    CHECK(calendar.AddWorkingDays(At(2026, 2, 13, 9), 6) == At(2026, 2, 28, 9));
    CHECK(calendar.AddWorkingDays(At(2026, 2, 13, 9), 7) == At(2026, 3, 2, 9));
  }
  SECTION("Labour Day, with the working Saturday after it") {
    CHECK(calendar.AddWorkingDays(At(2026, 4, 30, 10), 1) == At(2026, 5, 6, 10));
    CHECK(calendar.AddWorkingDays(At(2026, 4, 30, 10), 3) == At(2026, 5, 8, 10));
    CHECK(calendar.AddWorkingDays(At(2026, 4, 30, 10), 4) == At(2026, 5, 9, 10));
    CHECK(calendar.AddWorkingDays(At(2026, 4, 30, 10), 5) == At(2026, 5, 11, 10));
  }
  SECTION("Qingming and Dragon Boat") {
    CHECK(calendar.AddWorkingDays(At(2026, 4, 3, 17), 1) == At(2026, 4, 7, 17));
    CHECK(calendar.AddWorkingDays(At(2026, 6, 18, 17), 1) == At(2026, 6, 22, 17));
  }
}

TEST_CASE("a start on a non-working day counts from 00:00 of the next working day") {
  const WorkingCalendar calendar = Cn2026();
  SECTION("ordinary weekend") {
    // Saturday 2026-03-07 09:00: counting starts Monday 03-09 00:00; five working days are
    // Mon..Fri, so the deadline is the end of Friday, i.e. Monday 03-16 00:00.
    CHECK(calendar.AddWorkingDays(At(2026, 3, 7, 9), 0) == At(2026, 3, 9));
    CHECK(calendar.AddWorkingDays(At(2026, 3, 7, 9), 1) == At(2026, 3, 10));
    CHECK(calendar.AddWorkingDays(At(2026, 3, 7, 9), 5) == At(2026, 3, 16));
    CHECK(calendar.AddWorkingDays(At(2026, 3, 8, 23, 59), 5) == At(2026, 3, 16));
  }
  SECTION("inside a long holiday") {
    // Saturday 2026-10-03 (holiday): starts Thu 10-08 00:00; days 10-08, 09, 10(Sat), 12, 13.
    CHECK(calendar.AddWorkingDays(At(2026, 10, 3, 14), 0) == At(2026, 10, 8));
    CHECK(calendar.AddWorkingDays(At(2026, 10, 3, 14), 1) == At(2026, 10, 9));
    CHECK(calendar.AddWorkingDays(At(2026, 10, 3, 14), 2) == At(2026, 10, 10));
    CHECK(calendar.AddWorkingDays(At(2026, 10, 3, 14), 3) == At(2026, 10, 12));
    CHECK(calendar.AddWorkingDays(At(2026, 10, 3, 14), 5) == At(2026, 10, 14));
    // The first day of a holiday at 00:00 behaves the same.
    CHECK(calendar.AddWorkingDays(At(2026, 10, 1), 5) == At(2026, 10, 14));
  }
  SECTION("a deadline ending a Friday is the next working day's 00:00, not Saturday's") {
    // Starts Sunday 03-01 -> Monday 03-02 00:00; 5 days = Mon..Fri -> Monday 03-09 00:00.
    CHECK(calendar.AddWorkingDays(At(2026, 3, 1, 12), 5) == At(2026, 3, 9));
  }
}

TEST_CASE("late evening, midnight and zero-day starts") {
  const WorkingCalendar calendar = Cn2026();
  CHECK(calendar.AddWorkingDays(At(2026, 3, 6, 23, 59), 1) == At(2026, 3, 9, 23, 59));
  CHECK(calendar.AddWorkingDays(At(2026, 9, 30, 23, 59), 1) == At(2026, 10, 8, 23, 59));
  // Midnight at the start of a working day is on that working day.
  CHECK(calendar.AddWorkingDays(At(2026, 3, 2), 1) == At(2026, 3, 3));
  CHECK(calendar.AddWorkingDays(At(2026, 3, 6), 1) == At(2026, 3, 9));
  // Zero days: a working-day start is returned unchanged.
  CHECK(calendar.AddWorkingDays(At(2026, 3, 4, 15, 30), 0) == At(2026, 3, 4, 15, 30));
  CHECK(calendar.AddWorkingDays(At(2026, 10, 10, 8), 0) == At(2026, 10, 10, 8));  // working Sat
}

TEST_CASE("the UTC date is not the local date") {
  const WorkingCalendar calendar = Cn2026();
  // 2026-09-30T23:30Z is 10-01 07:30 local: a holiday, so counting starts Thu 10-08 00:00 local.
  CHECK(Show(calendar.AddWorkingDays(Utc(2026, 9, 30, 23, 30), 1)) == "2026-10-08T16:00:00.000Z");
  CHECK(calendar.AddWorkingDays(Utc(2026, 9, 30, 23, 30), 1) == At(2026, 10, 9));
  // 2026-09-30T15:30Z is 09-30 23:30 local: a working Wednesday.
  CHECK(calendar.AddWorkingDays(Utc(2026, 9, 30, 15, 30), 1) == At(2026, 10, 8, 23, 30));
  // Friday 2026-03-06T20:00Z is already Saturday 04:00 local.
  CHECK(calendar.AddWorkingDays(Utc(2026, 3, 6, 20), 1) == At(2026, 3, 10));
  // A UTC calendar would see a Friday evening instead.
  CHECK(WorkingCalendar::WeekdaysOnly(0).AddWorkingDays(Utc(2026, 3, 6, 20), 1) ==
        Utc(2026, 3, 9, 20));
}

TEST_CASE("working days are added across year boundaries") {
  const WorkingCalendar calendar = Cn2026();
  // Wednesday 2025-12-31: Jan 1-3 are off, Sunday Jan 4 is a working day.
  CHECK(calendar.AddWorkingDays(At(2025, 12, 31, 10), 1) == At(2026, 1, 4, 10));
  CHECK(calendar.AddWorkingDays(At(2025, 12, 31, 10), 2) == At(2026, 1, 5, 10));
  CHECK(WorkingCalendar::WeekdaysOnly().AddWorkingDays(At(2025, 12, 31, 10), 1) ==
        At(2026, 1, 1, 10));
  // Thursday 2026-12-31: 2027 is not listed, so Friday 2027-01-01 counts as a working day.
  CHECK(calendar.AddWorkingDays(At(2026, 12, 31, 10), 1) == At(2027, 1, 1, 10));
  CHECK(calendar.AddWorkingDays(At(2026, 12, 31, 10), 2) == At(2027, 1, 4, 10));
  // Backwards over New Year.
  CHECK(calendar.AddWorkingDays(At(2026, 1, 5, 10), -2) == At(2025, 12, 31, 10));
}

TEST_CASE("negative working days count backwards by the same rule") {
  const WorkingCalendar calendar = Cn2026();
  CHECK(calendar.AddWorkingDays(At(2026, 3, 3, 10), -1) == At(2026, 3, 2, 10));
  CHECK(calendar.AddWorkingDays(At(2026, 3, 9, 10), -1) == At(2026, 3, 6, 10));  // Mon -> Fri
  CHECK(calendar.AddWorkingDays(At(2026, 10, 13, 16), -5) == At(2026, 9, 30, 16));
  CHECK(calendar.AddWorkingDays(At(2026, 10, 8, 9), -1) == At(2026, 9, 30, 9));
  CHECK(calendar.AddWorkingDays(At(2026, 10, 8, 9), -2) == At(2026, 9, 29, 9));
  // "One working day before a deadline": due Monday 03-16 00:00 (end of Friday) -> Friday 00:00.
  CHECK(calendar.AddWorkingDays(At(2026, 3, 16), -1) == At(2026, 3, 13));
  // A non-working start still moves to the next working day first.
  CHECK(calendar.AddWorkingDays(At(2026, 3, 7, 9), -1) == At(2026, 3, 6));
}

TEST_CASE("huge day counts are clamped instead of running away") {
  const WorkingCalendar calendar = WorkingCalendar::WeekdaysOnly();
  const core::TimePoint start = At(2026, 3, 2, 10);
  const int max = WorkingCalendar::kMaxWorkingDays;
  CHECK(calendar.AddWorkingDays(start, INT_MAX) == calendar.AddWorkingDays(start, max));
  CHECK(calendar.AddWorkingDays(start, INT_MIN) == calendar.AddWorkingDays(start, -max));
  // 10,000 working days = 2,000 weeks.
  CHECK(calendar.AddWorkingDays(start, max) == start + std::chrono::weeks{2000});
  CHECK(calendar.AddWorkingDays(start, -max) == start - std::chrono::weeks{2000});
}

TEST_CASE("AddWorkingDays agrees with WorkingDaysBetween for every hour of 2026") {
  const WorkingCalendar calendar = Cn2026();
  int checked = 0;
  for (core::TimePoint start = At(2025, 12, 25, 0, 17); start < At(2027, 1, 5);
       start += std::chrono::minutes{61}) {
    const bool working_start = calendar.IsWorkingDay(calendar.LocalDateOf(start));
    const core::TimePoint effective = calendar.AddWorkingDays(start, 0);
    if (working_start) {
      REQUIRE(effective == start);
    } else {
      REQUIRE(effective > start);
      REQUIRE(calendar.IsWorkingDay(calendar.LocalDateOf(effective)));
      REQUIRE(calendar.WorkingDaysBetween(start, effective) == 0.0);
    }
    for (int days = 1; days <= 7; ++days) {
      const core::TimePoint due = calendar.AddWorkingDays(start, days);
      INFO(Show(start) << " + " << days << " -> " << Show(due));
      REQUIRE(due > start);
      REQUIRE(calendar.IsWorkingDay(calendar.LocalDateOf(due)));
      REQUIRE(calendar.WorkingDaysBetween(start, due) == Approx(days).margin(1e-9));
      REQUIRE(calendar.AddWorkingDays(due, -days) == effective);
      // Monotonic in the number of days.
      REQUIRE(due > calendar.AddWorkingDays(start, days - 1));
      ++checked;
    }
  }
  CHECK(checked > 7 * 8000);
}

TEST_CASE("working days between two instants") {
  const WorkingCalendar calendar = Cn2026();
  SECTION("ordinary week") {
    CHECK(calendar.WorkingDaysBetween(At(2026, 3, 2, 10), At(2026, 3, 3, 10)) == Approx(1.0));
    CHECK(calendar.WorkingDaysBetween(At(2026, 3, 2, 10), At(2026, 3, 2, 16)) == Approx(0.25));
    CHECK(calendar.WorkingDaysBetween(At(2026, 3, 6, 12), At(2026, 3, 9, 12)) == Approx(1.0));
    CHECK(calendar.WorkingDaysBetween(At(2026, 3, 2), At(2026, 3, 9)) == Approx(5.0));
    CHECK(calendar.WorkingDaysBetween(At(2026, 3, 2, 10), At(2026, 3, 2, 10)) == 0.0);
  }
  SECTION("time on weekends and holidays does not count") {
    CHECK(calendar.WorkingDaysBetween(At(2026, 3, 7, 9), At(2026, 3, 9, 12)) == Approx(0.5));
    CHECK(calendar.WorkingDaysBetween(At(2026, 3, 7), At(2026, 3, 9)) == 0.0);
    CHECK(calendar.WorkingDaysBetween(At(2026, 10, 1), At(2026, 10, 8)) == 0.0);
    CHECK(calendar.WorkingDaysBetween(At(2026, 10, 1, 8), At(2026, 10, 8, 12)) == Approx(0.5));
    CHECK(calendar.WorkingDaysBetween(At(2026, 9, 30, 16), At(2026, 10, 13, 16)) == Approx(5.0));
    CHECK(calendar.WorkingDaysBetween(At(2026, 9, 30, 16), At(2026, 10, 8, 4)) == Approx(0.5));
    // The working Saturday counts.
    CHECK(calendar.WorkingDaysBetween(At(2026, 10, 10), At(2026, 10, 12)) == Approx(1.0));
  }
  SECTION("reversed order is negative") {
    CHECK(calendar.WorkingDaysBetween(At(2026, 3, 3, 10), At(2026, 3, 2, 10)) == Approx(-1.0));
  }
  SECTION("a whole year and a year boundary") {
    CHECK(calendar.WorkingDaysBetween(At(2026, 1, 1), At(2027, 1, 1)) == Approx(248.0));
    CHECK(calendar.WorkingDaysBetween(At(2025, 12, 31, 12), At(2026, 1, 4, 12)) == Approx(1.0));
  }
  SECTION("days are local days") {
    // 2026-10-07T16:00Z is 10-08 00:00 local; 12 hours later is the middle of Thursday 10-08.
    CHECK(calendar.WorkingDaysBetween(Utc(2026, 10, 7, 16), Utc(2026, 10, 8, 4)) == Approx(0.5));
    CHECK(calendar.WorkingDaysBetween(Utc(2026, 10, 7, 4), Utc(2026, 10, 7, 16)) == 0.0);
  }
}

TEST_CASE("a calendar parses from JSON") {
  SECTION("full form") {
    auto calendar = WorkingCalendar::FromJson(kCn2026);
    REQUIRE(calendar.ok());
    CHECK(calendar->time_zone_offset_minutes() == 480);
  }
  SECTION("every key is optional") {
    auto calendar = WorkingCalendar::FromJson("{}");
    REQUIRE(calendar.ok());
    CHECK(calendar->time_zone_offset_minutes() == 480);
    CHECK(calendar->IsWorkingDay({2026, 10, 1}));
    CHECK_FALSE(calendar->IsWorkingDay({2026, 10, 10}));
  }
  SECTION("name, note, other offsets, unsorted lists") {
    auto calendar = WorkingCalendar::FromJson(R"({"name": "test", "note": "n",
      "time_zone_offset_minutes": 0,
      "holidays": ["2026-12-25", "2026-01-01"], "working_weekends": []})");
    REQUIRE(calendar.ok());
    CHECK(calendar->time_zone_offset_minutes() == 0);
    CHECK_FALSE(calendar->IsWorkingDay({2026, 12, 25}));
    CHECK_FALSE(calendar->IsWorkingDay({2026, 1, 1}));
    CHECK(calendar->IsWorkingDay({2026, 12, 24}));
  }
}

TEST_CASE("calendar JSON errors name the bad entry") {
  using Catch::Matchers::Contains;
  CHECK_THAT(CalendarError("{"), Contains("not valid JSON"));
  CHECK_THAT(CalendarError("[]"), Contains("must be a JSON object"));
  CHECK_THAT(CalendarError(R"({"holiday": []})"), Contains("unknown key \"holiday\""));
  CHECK_THAT(CalendarError(R"({"holidays": "2026-10-01"})"),
             Contains("\"holidays\" must be an array"));
  CHECK_THAT(CalendarError(R"({"holidays": ["2026-10-01", 20261002]})"),
             Contains("holidays[1] 20261002") && Contains("string"));
  CHECK_THAT(CalendarError(R"({"holidays": ["2026-10-01", "2026-02-30"]})"),
             Contains("holidays[1] \"2026-02-30\": not a valid date"));
  CHECK_THAT(CalendarError(R"({"holidays": ["2026-2-3"]})"),
             Contains("holidays[0] \"2026-2-3\": not in the form YYYY-MM-DD"));
  CHECK_THAT(CalendarError(R"({"holidays": ["2026/10/01"]})"),
             Contains("holidays[0] \"2026/10/01\""));
  CHECK_THAT(CalendarError(R"({"holidays": ["2026-10-01T00:00"]})"),
             Contains("holidays[0] \"2026-10-01T00:00\""));
  CHECK_THAT(CalendarError(R"({"holidays": ["2026-13-01"]})"),
             Contains("holidays[0] \"2026-13-01\""));
  CHECK_THAT(CalendarError(R"({"holidays": ["0000-01-01"]})"),
             Contains("holidays[0] \"0000-01-01\""));
  CHECK_THAT(CalendarError(R"({"holidays": ["2026-10-01", "2026-10-02", "2026-10-01"]})"),
             Contains("holidays[2] \"2026-10-01\": listed twice"));
  CHECK_THAT(CalendarError(R"({"working_weekends": ["2026-10-10", "2026-10-09"]})"),
             Contains("working_weekends[1] \"2026-10-09\": is a weekday"));
  CHECK_THAT(CalendarError(R"({"working_weekends": ["2026-10-10", "2026-10-10"]})"),
             Contains("working_weekends[1] \"2026-10-10\": listed twice"));
  CHECK_THAT(CalendarError(R"({"working_weekends": [null]})"),
             Contains("working_weekends[0] null"));
  CHECK_THAT(CalendarError(R"({"holidays": ["2026-10-03"], "working_weekends": ["2026-10-03"]})"),
             Contains("2026-10-03 is listed both in holidays and in working_weekends"));
  CHECK_THAT(CalendarError(R"({"time_zone_offset_minutes": 900})"),
             Contains("time_zone_offset_minutes 900"));
  CHECK_THAT(CalendarError(R"({"time_zone_offset_minutes": "+08:00"})"),
             Contains("time_zone_offset_minutes \"+08:00\""));
  CHECK_THAT(CalendarError(R"({"time_zone_offset_minutes": 480.5})"),
             Contains("time_zone_offset_minutes 480.5"));
  CHECK_THAT(CalendarError(R"({"note": 3})"), Contains("\"note\" must be a string"));
  CHECK(CalendarError(R"({"time_zone_offset_minutes": -840})").empty());
  CHECK(CalendarError(R"({"time_zone_offset_minutes": 840})").empty());
}

TEST_CASE("local days go on top of a calendar") {
  const WorkingCalendar company = Cn2026();
  // 2026-09-20 (Sunday) is a 调休 working weekend of the company; 2026-11-03 a Tuesday.
  REQUIRE(company.IsWorkingDay({2026, 9, 20}));
  auto local = company.WithLocalDays({{2026, 11, 3}, {2026, 9, 20}}, {{2026, 11, 7}}, "guangxi");
  REQUIRE(local.ok());
  CHECK_FALSE(local->IsWorkingDay({2026, 11, 3}));  // a local holiday
  CHECK_FALSE(local->IsWorkingDay({2026, 9, 20}));  // a local holiday wins over 调休
  CHECK(local->IsWorkingDay({2026, 11, 7}));        // a local make-up Saturday
  CHECK_FALSE(local->IsWorkingDay({2026, 10, 1}));  // the company's holidays stay
  CHECK(local->IsWorkingDay({2026, 11, 4}));
  CHECK(local->name() == (company.name().empty() ? "guangxi" : company.name() + "+guangxi"));
  CHECK(local->version() != company.version());
  CHECK(local->CoverageOf(2026) == company.CoverageOf(2026));
  CHECK(local->time_zone_offset_minutes() == company.time_zone_offset_minutes());
  // Nothing local: the same days, so the same version.
  auto same = company.WithLocalDays({}, {}, "none");
  REQUIRE(same.ok());
  CHECK(same->version() == company.version());

  auto weekday = company.WithLocalDays({}, {{2026, 11, 4}}, "x");
  REQUIRE_FALSE(weekday.ok());
  CHECK(weekday.error().message == "local working weekend 2026-11-04 is not a Saturday or Sunday");
  auto both = company.WithLocalDays({{2026, 11, 7}}, {{2026, 11, 7}}, "x");
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().message == "2026-11-07 is both a local holiday and a local working weekend");
  auto impossible = company.WithLocalDays({{2026, 2, 30}}, {}, "x");
  REQUIRE_FALSE(impossible.ok());
  CHECK(impossible.error().message == "local holiday 2026-02-30 is not a date");
}

TEST_CASE("ParseLocalDate reads strict real dates only") {
  CHECK(ParseLocalDate("2027-02-28") == LocalDate{2027, 2, 28});
  CHECK_FALSE(ParseLocalDate("2027-02-29").has_value());
  CHECK_FALSE(ParseLocalDate("2027-2-28").has_value());
  CHECK_FALSE(ParseLocalDate("").has_value());
  CHECK_FALSE(ParseLocalDate("1899-12-31").has_value());
}
