#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"

namespace gridcare::sla {

/// A calendar date in the working calendar's local zone (proleptic Gregorian).
struct LocalDate {
  int year;
  int month;
  int day;
  auto operator<=>(const LocalDate&) const = default;
};

/// "YYYY-MM-DD", e.g. "2026-10-01" (for messages and logs).
std::string FormatLocalDate(LocalDate date);

/// "YYYY-MM-DD HH:MM" of an instant at a fixed UTC offset (China: 480), for people.
std::string FormatLocalMinute(core::TimePoint t, int offset_minutes = 480);

/// The date `days` days after `date` (negative: before).
LocalDate AddDays(LocalDate date, int days);

/// A strict "YYYY-MM-DD" that names a real date (years 1900..2200), nullopt otherwise.
std::optional<LocalDate> ParseLocalDate(std::string_view text);

/// How a calendar knows a year's holidays.
///  - kOfficial: transcribed from the State Council notice (holidays and 调休 are final);
///  - kProvisional: the statutory days derived from the holiday regulation (no 调休), or a file
///    that declares itself provisional; the notice may still move days;
///  - kNone: nothing known; days count Monday to Friday.
enum class CoverageStatus { kNone, kProvisional, kOfficial };

/// "official", "provisional" or "none".
std::string_view CoverageStatusName(CoverageStatus status);

/// What a calendar says about one year, and where it comes from.
struct YearCoverage {
  int year = 0;
  CoverageStatus status = CoverageStatus::kNone;
  std::string source;  // e.g. the notice's title and date, or the regulation version derived from
  bool operator==(const YearCoverage&) const = default;
};

/// A deadline and whether it relies on days the official notice does not cover yet.
struct WorkingDeadline {
  core::TimePoint due;
  /// Some local day between the start and the deadline lies in a year that is not officially
  /// covered: the deadline may move when that year's notice is loaded.
  bool provisional = false;
};

/// The statutory holidays of one year by law (the ICU adapter in statutory_holidays.h provides
/// one); an error when the year cannot be derived.
using HolidayDeriver = std::function<core::Result<std::vector<LocalDate>>(int year)>;

/// Which local days are working days, and deadline arithmetic in working days.
///
/// Model: every working day contributes 24 hours of "working time" (local midnight to midnight);
/// non-working days (weekends, public holidays) contribute none. The zone is a fixed UTC offset
/// (China: UTC+8 all year, no DST).
///
/// AddWorkingDays(start, n) convention (SGCC practice: "a request received on a holiday starts
/// counting on the next working day"):
///  1. The effective start is `start` itself if its local date is a working day; otherwise it is
///     00:00 local of the next working day.
///  2. The deadline is the effective start's local time-of-day on the n-th working day after the
///     effective start's date. So a deadline that falls at a midnight between working days is
///     00:00 of the next working day (i.e. "end of the n-th working day"; no working time passes
///     in between, so a reply on the intervening weekend is on time).
///  3. n == 0 returns the effective start. Negative n counts backwards by the same rule (the
///     n-th preceding working day), so AddWorkingDays(AddWorkingDays(t, n), -n) is the effective
///     start of t. |n| is clamped to kMaxWorkingDays.
/// Consequently WorkingDaysBetween(start, AddWorkingDays(start, n)) == n for n >= 0.
///
/// Holidays and working weekends outside the listed dates are not known: a date not listed is a
/// working day iff it is Monday to Friday. Coverage says, per year, whether the listed dates are
/// official, provisional (derived from the law) or absent; Deadline() reports a deadline that
/// relies on a year that is not official. Combine() builds the calendar a service runs with:
/// the official files plus derived provisional years for every year they do not cover.
///
/// Immutable after construction; safe to share between threads. Cheap to copy (sorted vectors).
class WorkingCalendar {
 public:
  /// Largest |days| AddWorkingDays honours (~38 years); larger values are clamped.
  static constexpr int kMaxWorkingDays = 10'000;

  /// Weekdays only, UTC+8 (same as WeekdaysOnly()).
  WorkingCalendar();

  /// JSON: {"time_zone_offset_minutes": 480, "holidays": ["2026-10-01", ...],
  ///        "working_weekends": ["2026-09-27", ...], "name": "...", "note": "...",
  ///        "coverage": [{"year": 2026, "status": "official", "source": "..."}]}
  /// All keys are optional (offset defaults to 480); other keys are rejected. Dates are strictly
  /// "YYYY-MM-DD". Holidays may fall on weekends (a holiday period lists all its days); working
  /// weekends must be a Saturday or Sunday. Without "coverage" no year is covered (every deadline
  /// is provisional); with it, every listed date must lie in a covered year.
  /// INVALID_ARGUMENT naming the bad entry: malformed JSON, unknown key, bad or impossible date,
  /// a date listed twice, a date both holiday and working weekend, a "working weekend" that is a
  /// weekday, an offset outside [-840, 840] minutes, a bad or repeated coverage entry, a date
  /// outside the covered years.
  static core::Result<WorkingCalendar> FromJson(std::string_view json);

  /// The calendar a service runs with: every file (each must declare its coverage; the years of
  /// two files must not overlap; the offsets must agree), plus, for every year in
  /// [first_derived_year, last_derived_year] no file covers, the statutory holidays `derive`
  /// gives, as a provisional year without 调休. `derive` may be empty (no derived years).
  /// INVALID_ARGUMENT naming the file on a conflict; a derivation error as it comes.
  static core::Result<WorkingCalendar> Combine(const std::vector<WorkingCalendar>& files,
                                               const HolidayDeriver& derive, int first_derived_year,
                                               int last_derived_year,
                                               const std::string& derived_source);

  /// Monday to Friday are working days; no holidays. The offset is clamped to [-840, 840].
  static WorkingCalendar WeekdaysOnly(int time_zone_offset_minutes = 480);

  /// This calendar with a unit's own days on top (a regional holiday such as Guangxi's 三月三, a
  /// local make-up Saturday): `holidays` become days off (a working weekend of this calendar
  /// listed there is off too), `working_weekends` (Saturdays or Sundays only) become working
  /// days. Coverage and offset stay; the name gains "+<name>"; the version changes with the days.
  /// INVALID_ARGUMENT naming the date: a working weekend that is a weekday, a date in both lists.
  core::Result<WorkingCalendar> WithLocalDays(const std::vector<LocalDate>& holidays,
                                              const std::vector<LocalDate>& working_weekends,
                                              const std::string& name) const;

  /// Mon-Fri unless a listed holiday; Sat/Sun only if a listed working weekend (调休).
  bool IsWorkingDay(LocalDate date) const;

  /// The local date of an instant in the calendar's zone (China: UTC+8, so 23:30 UTC is the next
  /// local day).
  LocalDate LocalDateOf(core::TimePoint t) const;

  /// Deadline `days` working days after `start` (see the class comment for the exact convention).
  core::TimePoint AddWorkingDays(core::TimePoint start, int days) const;

  /// AddWorkingDays, and whether the days between start and deadline are all officially covered.
  WorkingDeadline Deadline(core::TimePoint start, int days) const;

  /// Whether any local day between the two instants (either order) lies in a year that is not
  /// officially covered.
  bool IsProvisionalBetween(core::TimePoint a, core::TimePoint b) const;

  /// The coverage of `year` (kNone when not covered).
  CoverageStatus CoverageOf(int year) const;
  /// Every covered year, ascending.
  const std::vector<YearCoverage>& coverage() const { return coverage_; }

  /// Days from `today` to the first day after the official coverage that contains it (0 when
  /// `today` itself is not officially covered). 2026 official, today 2026-12-01 -> 31.
  int OfficialCoverageDaysLeft(LocalDate today) const;
  /// The last officially covered year, or 0 when none.
  int LastOfficialYear() const;

  /// The file's "name" (Combine: the files' names joined by "+").
  const std::string& name() const { return name_; }
  /// A short digest of what decides deadlines (offset, dates, coverage): equal calendars have
  /// equal versions, so every replica derives the same event ids from it.
  const std::string& version() const { return version_; }

  /// Working time elapsed between two instants, in days (fractional): the part of [from, to) that
  /// lies on working days, divided by 24 h. Negative when to < from. Time on non-working days
  /// does not count, so a request opened on Saturday and closed on Monday 12:00 took 0.5.
  double WorkingDaysBetween(core::TimePoint from, core::TimePoint to) const;

  int time_zone_offset_minutes() const { return offset_minutes_; }

 private:
  WorkingCalendar(int offset_minutes, std::vector<int32_t> holidays,
                  std::vector<int32_t> working_weekends, std::vector<YearCoverage> coverage = {},
                  std::string name = "");

  // Days are counted since 1970-01-01 (local).
  bool IsWorkingDayNumber(int32_t day) const;
  int32_t LocalDayNumber(core::TimePoint t) const;

  int offset_minutes_ = 480;
  std::vector<int32_t> holidays_;          // sorted, unique
  std::vector<int32_t> working_weekends_;  // sorted, unique
  std::vector<YearCoverage> coverage_;     // sorted by year, unique
  std::string name_;
  std::string version_;
};

}  // namespace gridcare::sla
