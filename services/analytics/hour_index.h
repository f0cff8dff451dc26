#pragma once

// Hour indexes: the time axis of surge detection (issue 15). Counts are kept per local hour
// (China Standard Time, UTC+8, no daylight saving), so "the same hour of the same weekday in past
// weeks" is a fixed distance of 168 indexes back, and a day is 24 consecutive indexes from local
// midnight. Header-only and constexpr; pure.
//
//   hour         = floor((unix_seconds + 8 × 3600) / 3600)
//   day          = floor(hour / 24)
//   hour of week = (hour + 72) mod 168     (Monday 00:00 local = 0; 1970-01-01 was a Thursday)

#include <chrono>
#include <cstdint>

#include "gridcare/core/clock.h"

namespace gridcare::analytics {

/// Local time is UTC+8 all year (China has no daylight saving).
inline constexpr int64_t kLocalOffsetSeconds = int64_t{8} * 3600;
inline constexpr int64_t kHoursPerDay = 24;
inline constexpr int64_t kHoursPerWeek = 168;

/// floor(a / b) for b > 0, also for negative a (times before 1970).
constexpr int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// a mod b in [0, b) for b > 0.
constexpr int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

/// The local hour `t` falls in. A time exactly on the hour belongs to the hour it starts.
constexpr int64_t HourIndexOf(core::TimePoint t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  return FloorDiv(seconds + kLocalOffsetSeconds, 3600);
}

/// The first instant of local hour `hour` (inverse of HourIndexOf on hour starts).
constexpr core::TimePoint StartOfHour(int64_t hour) {
  return core::TimePoint(std::chrono::duration_cast<core::Duration>(
      std::chrono::seconds(hour * 3600 - kLocalOffsetSeconds)));
}

/// The local day (days since 1970-01-01 local) hour `hour` belongs to.
constexpr int64_t DayOf(int64_t hour) { return FloorDiv(hour, kHoursPerDay); }

/// The first hour (local midnight) of local day `day`.
constexpr int64_t FirstHourOfDay(int64_t day) { return day * kHoursPerDay; }

/// 0..23: the local clock hour.
constexpr int HourOfDay(int64_t hour) { return static_cast<int>(FloorMod(hour, kHoursPerDay)); }

/// 0..167: hours since the last Monday 00:00 local.
constexpr int HourOfWeek(int64_t hour) {
  return static_cast<int>(FloorMod(hour + 72, kHoursPerWeek));
}

/// 0 = Monday .. 6 = Sunday, local.
constexpr int DayOfWeek(int64_t hour) { return HourOfWeek(hour) / static_cast<int>(kHoursPerDay); }

}  // namespace gridcare::analytics
