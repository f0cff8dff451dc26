#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "assignment.h"
#include "gridcare/core/clock.h"

namespace gridcare::dispatch::testing {

/// An instant given as China local time (UTC+8).
inline core::TimePoint Local(int year, int month, int day, int hour = 0, int minute = 0,
                             int second = 0) {
  using namespace std::chrono;
  const sys_days date{year_month_day{std::chrono::year{year},
                                     std::chrono::month{static_cast<unsigned>(month)},
                                     std::chrono::day{static_cast<unsigned>(day)}}};
  return core::TimePoint{duration_cast<core::Duration>(date.time_since_epoch())} + hours{hour} +
         minutes{minute} + seconds{second} - hours{8};
}

/// 2026-06-01 is a Monday; 2026-06-07 the Sunday after it.
inline core::TimePoint Monday(int hour = 0, int minute = 0, int second = 0) {
  return Local(2026, 6, 1, hour, minute, second);
}

inline constexpr int kEveryDay = 0x7F;
inline constexpr int kWeekdays = 0x1F;
inline constexpr int kMondayOnly = 0x01;
inline constexpr int kSundayOnly = 0x40;

/// Guangzhou, Tianhe: the test's job site.
inline constexpr LatLon kSite{23.1291, 113.2644};

/// A point `km` north of `from` (1 degree of latitude = 111.195 km on our sphere).
inline LatLon North(const LatLon& from, double km) {
  return {from.latitude + km / 111.19508, from.longitude};
}

/// A fresh, available all-skills crew on a round-the-clock shift, `km` north of the site.
inline CrewState Crew(std::string id, double km, core::TimePoint seen_at) {
  CrewState crew;
  crew.crew_id = std::move(id);
  crew.skills = {v1::CREW_SKILL_LOW_VOLTAGE, v1::CREW_SKILL_MEDIUM_VOLTAGE,
                 v1::CREW_SKILL_TRANSFORMER};
  crew.shifts = {{kEveryDay, 8 * 60, 20 * 60}, {kEveryDay, 20 * 60, 8 * 60}};
  crew.availability = v1::CREW_AVAILABILITY_AVAILABLE;
  crew.position = North(kSite, km);
  crew.position_at = seen_at;
  return crew;
}

/// An urban low-voltage job at the site on feeder FDR-0001-01.
inline Job UrbanJob(std::string id, std::optional<core::TimePoint> arrival_due = std::nullopt) {
  Job job;
  job.work_order_id = std::move(id);
  job.required_skill = v1::CREW_SKILL_LOW_VOLTAGE;
  job.feeder_id = "FDR-0001-01";
  job.location = kSite;
  job.area_class = v1::AREA_CLASS_URBAN;
  job.priority = v1::PRIORITY_NORMAL;
  job.arrival_due = arrival_due;
  return job;
}

}  // namespace gridcare::dispatch::testing
