#pragma once

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "gridcare/core/clock.h"
#include "gridcare/sla/calendar.h"

namespace gridcare::sla::testing {

/// An instant given as wall time at a fixed UTC offset (default China, UTC+8).
inline core::TimePoint At(int year, int month, int day, int hour = 0, int minute = 0,
                          int offset_minutes = 480) {
  using namespace std::chrono;
  const sys_days date{year_month_day{std::chrono::year{year},
                                     std::chrono::month{static_cast<unsigned>(month)},
                                     std::chrono::day{static_cast<unsigned>(day)}}};
  return core::TimePoint{duration_cast<core::Duration>(date.time_since_epoch())} + hours{hour} +
         minutes{minute} - minutes{offset_minutes};
}

/// UTC wall time.
inline core::TimePoint Utc(int year, int month, int day, int hour = 0, int minute = 0) {
  return At(year, month, day, hour, minute, 0);
}

/// The whole of a file; throws (failing the test) naming the path when it cannot be read.
inline std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  if (!in.good()) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Readable form for failure messages: RFC 3339 UTC.
inline std::string Show(core::TimePoint t) { return core::FormatRfc3339(t); }

/// China's 2026 calendar as announced by the State Council (a copy of the shipped config file, so
/// the algorithm tests do not depend on later edits to it).
inline constexpr const char* kCn2026 = R"({
  "time_zone_offset_minutes": 480,
  "holidays": [
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
    "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05",
    "2026-10-06", "2026-10-07"
  ],
  "working_weekends": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
                       "2026-10-10"]
})";

inline WorkingCalendar Cn2026() {
  auto calendar = WorkingCalendar::FromJson(kCn2026);
  if (!calendar) throw std::runtime_error(calendar.error().ToString());
  return *calendar;
}

}  // namespace gridcare::sla::testing
