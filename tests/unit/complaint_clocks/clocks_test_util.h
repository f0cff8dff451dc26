#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#include "gridcare/config/files.h"
#include "gridcare/core/clock.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/clocks.h"
#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint::testing {

/// An instant given as China local time (UTC+8).
inline core::TimePoint At(int year, int month, int day, int hour = 0, int minute = 0) {
  using namespace std::chrono;
  const sys_days date{year_month_day{std::chrono::year{year},
                                     std::chrono::month{static_cast<unsigned>(month)},
                                     std::chrono::day{static_cast<unsigned>(day)}}};
  return core::TimePoint{duration_cast<core::Duration>(date.time_since_epoch())} + hours{hour} +
         minutes{minute} - minutes{480};
}

/// Readable form for failure messages: local minute.
inline std::string Show(core::TimePoint t) { return sla::FormatLocalMinute(t); }

/// The shipped China 2026 calendar (libs/sla/config/calendar-cn-2026.json).
inline const sla::WorkingCalendar& Cn2026() {
  static const sla::WorkingCalendar calendar = [] {
    auto text = config::ReadTextFile(std::string(GRIDCARE_SOURCE_DIR) +
                                     "/libs/sla/config/calendar-cn-2026.json");
    if (!text) throw std::runtime_error(text.error().ToString());
    auto parsed = sla::WorkingCalendar::FromJson(*text);
    if (!parsed) throw std::runtime_error(parsed.error().ToString());
    return *parsed;
  }();
  return calendar;
}

inline core::TimePoint Due(const v1::ServiceClock& clock) {
  return sla::FromTimestamp(clock.due_at());
}

/// A clock from `start` to `due`.
inline v1::ServiceClock MakeClock(v1::ServiceClock::Kind kind, core::TimePoint start,
                                  core::TimePoint due, bool working_days) {
  v1::ServiceClock clock;
  clock.set_kind(kind);
  *clock.mutable_starts_at() = sla::ToTimestamp(start);
  *clock.mutable_due_at() = sla::ToTimestamp(due);
  clock.set_working_days(working_days);
  return clock;
}

}  // namespace gridcare::complaint::testing
