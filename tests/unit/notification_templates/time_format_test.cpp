#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "placeholders.h"

namespace gridcare::notification {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::year;

constexpr auto kZh = v1::LANGUAGE_ZH_CN;
constexpr auto kEn = v1::LANGUAGE_EN;

// 2026-12-06 06:30 UTC.
const core::TimePoint kNow = sys_days{year{2026} / 12 / 6} + 6h + 30min;

TEST_CASE("A time is shown with its date and minute in the recipient's language") {
  const TimeContext china{kNow, 480};
  CHECK(FormatLocalTime(kNow, kZh, china) == "12月6日 14:30");
  CHECK(FormatLocalTime(kNow, kEn, china) == "6 Dec 14:30");
  CHECK(FormatLocalTime(kNow, v1::LANGUAGE_UNSPECIFIED, china) == "12月6日 14:30");
  CHECK(FormatLocalTime(kNow + 59s + 999ms, kEn, china) == "6 Dec 14:30");
  CHECK(FormatLocalTime(kNow - 1s, kEn, china) == "6 Dec 14:29");
  CHECK(FormatLocalTime(kNow - 6h - 30min, kZh, china) == "12月6日 08:00");
}

TEST_CASE("A time past local midnight shows the next day") {
  const TimeContext china{kNow, 480};
  const core::TimePoint late = sys_days{year{2026} / 12 / 6} + 15h + 59min;  // 23:59 in China
  CHECK(FormatLocalTime(late, kZh, china) == "12月6日 23:59");
  CHECK(FormatLocalTime(late + 1min, kZh, china) == "12月7日 00:00");
  CHECK(FormatLocalTime(late + 1min, kEn, china) == "7 Dec 00:00");
  CHECK(FormatLocalTime(late + 1min, kEn, {kNow, 0}) == "6 Dec 16:00");
}

TEST_CASE("The UTC offset moves the local day both ways") {
  const core::TimePoint t = sys_days{year{2026} / 3 / 1} + 3h;  // 03:00 UTC
  CHECK(FormatLocalTime(t, kEn, {kNow, 0}) == "1 Mar 03:00");
  CHECK(FormatLocalTime(t, kEn, {kNow, -300}) == "28 Feb 22:00");
  CHECK(FormatLocalTime(t, kZh, {kNow, -300}) == "2月28日 22:00");
  CHECK(FormatLocalTime(t, kEn, {kNow, 330}) == "1 Mar 08:30");
  CHECK(FormatLocalTime(t, kEn, {kNow, 345}) == "1 Mar 08:45");
  CHECK(FormatLocalTime(t, kEn, {kNow, 840}) == "1 Mar 17:00");
  CHECK(FormatLocalTime(t, kEn, {kNow, -840}) == "28 Feb 13:00");
  const core::TimePoint leap = sys_days{year{2028} / 3 / 1} + 3h;
  CHECK(FormatLocalTime(leap, kEn, {leap, -300}) == "29 Feb 22:00");
}

TEST_CASE("The year is shown only when it is not the local year of now") {
  const core::TimePoint now = sys_days{year{2026} / 12 / 28} + 2h;
  const core::TimePoint next_year = sys_days{year{2027} / 1 / 3} + 1h;  // 09:00 in China
  CHECK(FormatLocalTime(next_year, kZh, {now, 480}) == "2027年1月3日 09:00");
  CHECK(FormatLocalTime(next_year, kEn, {now, 480}) == "3 Jan 2027 09:00");
  const core::TimePoint last_year = sys_days{year{2025} / 12 / 31} + 12h;
  CHECK(FormatLocalTime(last_year, kZh, {now, 480}) == "2025年12月31日 20:00");
  CHECK(FormatLocalTime(last_year, kEn, {now, 480}) == "31 Dec 2025 20:00");
}

TEST_CASE("The year of now is judged in local time") {
  // 2026-12-31 20:00 UTC is already 2027-01-01 04:00 in China.
  const core::TimePoint now = sys_days{year{2026} / 12 / 31} + 20h;
  const core::TimePoint t = sys_days{year{2027} / 1 / 1} + 2h;
  CHECK(FormatLocalTime(t, kZh, {now, 480}) == "1月1日 10:00");
  CHECK(FormatLocalTime(t, kEn, {now, 0}) == "1 Jan 2027 02:00");
  CHECK(FormatLocalTime(now, kEn, {t, 0}) == "31 Dec 2026 20:00");
  CHECK(FormatLocalTime(now, kEn, {t, 480}) == "1 Jan 04:00");
}

TEST_CASE("Times before 1970 are floored to the minute and day correctly") {
  const core::TimePoint t = sys_days{year{1970} / 1 / 1} - 30s;  // 1969-12-31 23:59:30 UTC
  CHECK(FormatLocalTime(t, kEn, {kNow, 0}) == "31 Dec 1969 23:59");
  CHECK(FormatLocalTime(t, kZh, {kNow, 480}) == "1970年1月1日 07:59");
}

TEST_CASE("Every month has its English abbreviation") {
  const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned m = 1; m <= 12; ++m) {
    const core::TimePoint t = sys_days{year{2026} / std::chrono::month{m} / 15} + 1h;
    CHECK(FormatLocalTime(t, kEn, {kNow, 0}) == "15 " + std::string(months[m - 1]) + " 01:00");
    CHECK(FormatLocalTime(t, kZh, {kNow, 0}) == std::to_string(m) + "月15日 01:00");
  }
}

}  // namespace
}  // namespace gridcare::notification
