// Statutory holidays derived by law (ICU's Chinese calendar + the Qingming solar term) against the
// State Council notices of years we can check.
#include "gridcare/sla/statutory_holidays.h"

#include <catch2/catch.hpp>
#include <map>
#include <vector>

#include "gridcare/sla/chinese_calendar.h"
#include "sla_test_util.h"

using namespace gridcare;
using namespace gridcare::sla;
using namespace gridcare::sla::testing;

namespace {

struct Period {
  LocalDate first;
  LocalDate last;
};

// Every day off (holiday periods, weekends inside them included) of a State Council notice.
struct Notice {
  int year;
  LocalDate spring_festival;  // lunar 1/1
  LocalDate qingming;
  LocalDate dragon_boat;
  LocalDate mid_autumn;
  std::vector<Period> periods;
};

// Transcribed from 国务院办公厅关于20xx年部分节假日安排的通知 (2021-2025) and the 2013 notice.
const std::vector<Notice>& Notices() {
  static const std::vector<Notice> notices = {
      {2013,
       {2013, 2, 10},
       {2013, 4, 4},
       {2013, 6, 12},
       {2013, 9, 19},
       {{{2013, 1, 1}, {2013, 1, 3}},
        {{2013, 2, 9}, {2013, 2, 15}},
        {{2013, 4, 4}, {2013, 4, 6}},
        {{2013, 4, 29}, {2013, 5, 1}},
        {{2013, 6, 10}, {2013, 6, 12}},
        {{2013, 9, 19}, {2013, 9, 21}},
        {{2013, 10, 1}, {2013, 10, 7}}}},
      {2021,
       {2021, 2, 12},
       {2021, 4, 4},
       {2021, 6, 14},
       {2021, 9, 21},
       {{{2021, 1, 1}, {2021, 1, 3}},
        {{2021, 2, 11}, {2021, 2, 17}},
        {{2021, 4, 3}, {2021, 4, 5}},
        {{2021, 5, 1}, {2021, 5, 5}},
        {{2021, 6, 12}, {2021, 6, 14}},
        {{2021, 9, 19}, {2021, 9, 21}},
        {{2021, 10, 1}, {2021, 10, 7}}}},
      {2022,
       {2022, 2, 1},
       {2022, 4, 5},
       {2022, 6, 3},
       {2022, 9, 10},
       {{{2022, 1, 1}, {2022, 1, 3}},
        {{2022, 1, 31}, {2022, 2, 6}},
        {{2022, 4, 3}, {2022, 4, 5}},
        {{2022, 4, 30}, {2022, 5, 4}},
        {{2022, 6, 3}, {2022, 6, 5}},
        {{2022, 9, 10}, {2022, 9, 12}},
        {{2022, 10, 1}, {2022, 10, 7}}}},
      {2023,
       {2023, 1, 22},
       {2023, 4, 5},
       {2023, 6, 22},
       {2023, 9, 29},
       {{{2023, 1, 1}, {2023, 1, 2}},
        {{2023, 1, 21}, {2023, 1, 27}},
        {{2023, 4, 5}, {2023, 4, 5}},
        {{2023, 4, 29}, {2023, 5, 3}},
        {{2023, 6, 22}, {2023, 6, 24}},
        {{2023, 9, 29}, {2023, 10, 6}}}},
      {2024,
       {2024, 2, 10},
       {2024, 4, 4},
       {2024, 6, 10},
       {2024, 9, 17},
       {{{2024, 1, 1}, {2024, 1, 1}},
        {{2024, 2, 10}, {2024, 2, 17}},
        {{2024, 4, 4}, {2024, 4, 6}},
        {{2024, 5, 1}, {2024, 5, 5}},
        {{2024, 6, 8}, {2024, 6, 10}},
        {{2024, 9, 15}, {2024, 9, 17}},
        {{2024, 10, 1}, {2024, 10, 7}}}},
      {2025,
       {2025, 1, 29},
       {2025, 4, 4},
       {2025, 5, 31},
       {2025, 10, 6},
       {{{2025, 1, 1}, {2025, 1, 1}},
        {{2025, 1, 28}, {2025, 2, 4}},
        {{2025, 4, 4}, {2025, 4, 6}},
        {{2025, 5, 1}, {2025, 5, 5}},
        {{2025, 5, 31}, {2025, 6, 2}},
        {{2025, 10, 1}, {2025, 10, 8}}}},
  };
  return notices;
}

bool InPeriods(LocalDate date, const std::vector<Period>& periods) {
  for (const auto& period : periods) {
    if (period.first <= date && date <= period.last) return true;
  }
  return false;
}

std::vector<LocalDate> Dates(const std::vector<StatutoryHoliday>& holidays) {
  std::vector<LocalDate> dates;
  for (const auto& holiday : holidays) dates.push_back(holiday.date);
  return dates;
}

}  // namespace

TEST_CASE("ICU's Chinese calendar gives the festival days the notices name") {
  for (const auto& notice : Notices()) {
    INFO(notice.year);
    auto lunar = LunarFestivalsOf(notice.year);
    REQUIRE(lunar.ok());
    CHECK(FormatLocalDate(lunar->new_year) == FormatLocalDate(notice.spring_festival));
    CHECK(FormatLocalDate(lunar->dragon_boat) == FormatLocalDate(notice.dragon_boat));
    CHECK(FormatLocalDate(lunar->mid_autumn) == FormatLocalDate(notice.mid_autumn));
    CHECK(FormatLocalDate(QingmingDate(notice.year)) == FormatLocalDate(notice.qingming));
  }
}

TEST_CASE("derived statutory days lie inside the holiday periods of each checked notice") {
  for (const auto& notice : Notices()) {
    INFO(notice.year);
    auto derived = DeriveStatutoryHolidays(notice.year);
    REQUIRE(derived.ok());
    for (const auto& holiday : *derived) {
      INFO(FormatLocalDate(holiday.date) << " " << holiday.festival_en);
      CHECK(InPeriods(holiday.date, notice.periods));
    }
  }
}

TEST_CASE("each regulation version gives its number of days and its Spring Festival days") {
  // 2013: Decree 513 (eve, 1/1, 1/2); 2021: Decree 644 (1/1-1/3); 2025: Decree 795 (eve + 1/1-1/3).
  auto y2013 = DeriveStatutoryHolidays(2013);
  auto y2021 = DeriveStatutoryHolidays(2021);
  auto y2025 = DeriveStatutoryHolidays(2025);
  REQUIRE(y2013.ok());
  REQUIRE(y2021.ok());
  REQUIRE(y2025.ok());
  CHECK(y2013->size() == 11);
  CHECK(y2021->size() == 11);
  CHECK(y2025->size() == 13);
  auto spring = [](const std::vector<StatutoryHoliday>& days) {
    std::vector<std::string> out;
    for (const auto& d : days) {
      if (d.festival_en == "Spring Festival") out.push_back(FormatLocalDate(d.date));
    }
    return out;
  };
  CHECK(spring(*y2013) == std::vector<std::string>{"2013-02-09", "2013-02-10", "2013-02-11"});
  CHECK(spring(*y2021) == std::vector<std::string>{"2021-02-12", "2021-02-13", "2021-02-14"});
  CHECK(spring(*y2025) ==
        std::vector<std::string>{"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"});
  const auto dates2025 = Dates(*y2025);
  CHECK(std::count(dates2025.begin(), dates2025.end(), LocalDate{2025, 5, 2}) == 1);
  CHECK(RegulationFor(2007) == HolidayRegulation::kNone);
  CHECK_FALSE(DeriveStatutoryHolidays(2007).ok());
}

TEST_CASE("derived 2026 holidays are the statutory days of the official 2026 notice") {
  auto derived = DeriveStatutoryHolidays(2026);
  REQUIRE(derived.ok());
  std::vector<std::string> days;
  for (const auto& holiday : *derived) days.push_back(FormatLocalDate(holiday.date));
  // 13 days: New Year; eve (02-16) and lunar 1/1-1/3 (02-17..19); Qingming 04-05; 05-01, 05-02;
  // Dragon Boat 06-19; Mid-Autumn 09-25; 10-01..03. The notice's other days off are 调休.
  CHECK(days == std::vector<std::string>{"2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18",
                                         "2026-02-19", "2026-04-05", "2026-05-01", "2026-05-02",
                                         "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-02",
                                         "2026-10-03"});
  const WorkingCalendar official = Cn2026();
  for (const auto& holiday : *derived) {
    // Every statutory day is a day off in the official calendar (derived ⊆ official holidays).
    INFO(FormatLocalDate(holiday.date));
    CHECK_FALSE(official.IsWorkingDay(holiday.date));
  }
}

TEST_CASE("Spring Festival eve is the day before lunar 1/1") {
  // Whatever the length of the 12th lunar month (29 or 30 days), the eve is the day before 1/1.
  // 2027 and 2030: the new moon is minutes from midnight in China (2027-02-06 23:56,
  // 2030-02-03 00:07); ICU alone puts lunar 1/1 a day off, the new-moon correction does not.
  const std::map<int, std::pair<std::string, std::string>> expected = {
      {2025, {"2025-01-28", "2025-01-29"}},
      {2026, {"2026-02-16", "2026-02-17"}},
      {2027, {"2027-02-05", "2027-02-06"}},
      {2030, {"2030-02-02", "2030-02-03"}},
      {2031, {"2031-01-22", "2031-01-23"}}};
  for (const auto& [year, days] : expected) {
    INFO(year);
    auto derived = DeriveStatutoryHolidays(year);
    REQUIRE(derived.ok());
    CHECK(FormatLocalDate((*derived)[1].date) == days.first);
    CHECK(FormatLocalDate((*derived)[2].date) == days.second);
  }
}

TEST_CASE("Qingming is 4 or 5 April from 2000 to 2040 and follows the known table") {
  // 寿星 formula for the 21st century: day = floor(Y * 0.2422 + 4.81) - floor(Y / 4), Y = year -
  // 2000.
  for (int year = 2000; year <= 2099; ++year) {
    const int y = year - 2000;
    const int formula = static_cast<int>(y * 0.2422 + 4.81) - y / 4;
    const LocalDate computed = QingmingDate(year);
    INFO(year << ": computed " << FormatLocalDate(computed) << ", formula April " << formula);
    CHECK(computed.month == 4);
    CHECK(computed.day == formula);
    if (year <= 2040) CHECK((computed.day == 4 || computed.day == 5));
  }
  CHECK(FormatLocalDate(QingmingDate(2026)) == "2026-04-05");
  CHECK(FormatLocalDate(QingmingDate(2027)) == "2027-04-05");
}

TEST_CASE("new moons are placed to the minute") {
  // 2027-02-06 15:56 UTC (23:56 in China): the Spring Festival of 2027 is 6 February.
  const auto moon = NewMoonNear(Utc(2027, 2, 5));
  CHECK(std::chrono::abs(moon - Utc(2027, 2, 6, 15, 56)) < std::chrono::minutes(2));
  CHECK(FormatLocalDate(LunarMonthStartNear({2027, 2, 7})) == "2027-02-06");
  CHECK(FormatLocalDate(LunarMonthStartNear({2030, 2, 2})) == "2030-02-03");
}

TEST_CASE("the Qingming instant is where the Sun's apparent longitude is 15 degrees") {
  const auto instant = QingmingInstant(2026);
  CHECK(ApparentSolarLongitude(instant) == Approx(15.0).margin(1e-6));
  CHECK(ApparentSolarLongitude(instant - std::chrono::hours(24)) < 15.0);
}
