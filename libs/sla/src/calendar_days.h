#pragma once
// Day-number arithmetic shared by the calendar sources (internal to libs/sla).

#include <chrono>
#include <cstdint>

#include "gridcare/sla/calendar.h"

namespace gridcare::sla::detail {

/// Days since 1970-01-01 of a valid date.
inline int32_t DayNumberOf(LocalDate date) {
  namespace chr = std::chrono;
  const chr::year_month_day ymd{chr::year{date.year}, chr::month{static_cast<unsigned>(date.month)},
                                chr::day{static_cast<unsigned>(date.day)}};
  return static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count());
}

inline LocalDate DateOfDayNumber(int32_t day) {
  namespace chr = std::chrono;
  const chr::year_month_day ymd{chr::sys_days{chr::days{day}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

/// The local year of a day number.
inline int YearOfDayNumber(int32_t day) { return DateOfDayNumber(day).year; }

}  // namespace gridcare::sla::detail
