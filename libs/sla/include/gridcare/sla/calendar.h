#pragma once

#include <compare>
#include <cstdint>
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
/// working day iff it is Monday to Friday. Load next year's calendar before the year turns.
///
/// Immutable after construction; safe to share between threads. Cheap to copy (two sorted vectors).
class WorkingCalendar {
 public:
  /// Largest |days| AddWorkingDays honours (~38 years); larger values are clamped.
  static constexpr int kMaxWorkingDays = 10'000;

  /// Weekdays only, UTC+8 (same as WeekdaysOnly()).
  WorkingCalendar();

  /// JSON: {"time_zone_offset_minutes": 480, "holidays": ["2026-10-01", ...],
  ///        "working_weekends": ["2026-09-27", ...], "name": "...", "note": "..."}
  /// All keys are optional (offset defaults to 480); other keys are rejected. Dates are strictly
  /// "YYYY-MM-DD". Holidays may fall on weekends (a holiday period lists all its days); working
  /// weekends must be a Saturday or Sunday.
  /// INVALID_ARGUMENT naming the bad entry: malformed JSON, unknown key, bad or impossible date,
  /// a date listed twice, a date both holiday and working weekend, a "working weekend" that is a
  /// weekday, an offset outside [-840, 840] minutes.
  static core::Result<WorkingCalendar> FromJson(std::string_view json);

  /// Monday to Friday are working days; no holidays. The offset is clamped to [-840, 840].
  static WorkingCalendar WeekdaysOnly(int time_zone_offset_minutes = 480);

  /// Mon-Fri unless a listed holiday; Sat/Sun only if a listed working weekend (调休).
  bool IsWorkingDay(LocalDate date) const;

  /// The local date of an instant in the calendar's zone (China: UTC+8, so 23:30 UTC is the next
  /// local day).
  LocalDate LocalDateOf(core::TimePoint t) const;

  /// Deadline `days` working days after `start` (see the class comment for the exact convention).
  core::TimePoint AddWorkingDays(core::TimePoint start, int days) const;

  /// Working time elapsed between two instants, in days (fractional): the part of [from, to) that
  /// lies on working days, divided by 24 h. Negative when to < from. Time on non-working days
  /// does not count, so a request opened on Saturday and closed on Monday 12:00 took 0.5.
  double WorkingDaysBetween(core::TimePoint from, core::TimePoint to) const;

  int time_zone_offset_minutes() const { return offset_minutes_; }

 private:
  WorkingCalendar(int offset_minutes, std::vector<int32_t> holidays,
                  std::vector<int32_t> working_weekends);

  // Days are counted since 1970-01-01 (local).
  bool IsWorkingDayNumber(int32_t day) const;
  int32_t LocalDayNumber(core::TimePoint t) const;

  int offset_minutes_ = 480;
  std::vector<int32_t> holidays_;          // sorted, unique
  std::vector<int32_t> working_weekends_;  // sorted, unique
};

}  // namespace gridcare::sla
