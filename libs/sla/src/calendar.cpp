#include "gridcare/sla/calendar.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace gridcare::sla {
namespace {

namespace chr = std::chrono;
using Days = chr::days;

constexpr int kMaxOffsetMinutes = 14 * 60;  // UTC-14 .. UTC+14 covers every real zone
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2200;

int32_t DayNumberOf(LocalDate date) {
  const chr::year_month_day ymd{chr::year{date.year}, chr::month{static_cast<unsigned>(date.month)},
                                chr::day{static_cast<unsigned>(date.day)}};
  return static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count());
}

LocalDate DateOfDayNumber(int32_t day) {
  const chr::year_month_day ymd{chr::sys_days{Days{day}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

bool IsWeekend(int32_t day) {
  const chr::weekday wd{chr::sys_days{Days{day}}};
  return wd == chr::Saturday || wd == chr::Sunday;
}

bool IsValidDate(LocalDate date) {
  if (date.year < kMinYear || date.year > kMaxYear || date.month < 1 || date.month > 12 ||
      date.day < 1 || date.day > 31) {
    return false;
  }
  return chr::year_month_day{chr::year{date.year}, chr::month{static_cast<unsigned>(date.month)},
                             chr::day{static_cast<unsigned>(date.day)}}
      .ok();
}

// Strict "YYYY-MM-DD".
bool ParseDate(std::string_view text, LocalDate& out) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  auto number = [&](size_t pos, size_t len, int& value) {
    value = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      value = value * 10 + (text[i] - '0');
    }
    return true;
  };
  return number(0, 4, out.year) && number(5, 2, out.month) && number(8, 2, out.day);
}

core::Error BadEntry(std::string_view list, size_t index, const nlohmann::json& entry,
                     std::string_view why) {
  return core::InvalidArgument("working calendar: " + std::string(list) + "[" +
                               std::to_string(index) + "] " + entry.dump() + ": " +
                               std::string(why));
}

// Parses one list of dates into sorted day numbers, or names the bad entry.
core::Result<std::vector<int32_t>> ParseDateList(const nlohmann::json& root, std::string_view key,
                                                 bool weekends_only) {
  std::vector<int32_t> days;
  const auto it = root.find(key);
  if (it == root.end()) return days;
  if (!it->is_array()) {
    return core::InvalidArgument("working calendar: \"" + std::string(key) +
                                 "\" must be an array of \"YYYY-MM-DD\" strings");
  }
  std::set<int32_t> seen;
  for (size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& entry = (*it)[i];
    if (!entry.is_string()) return BadEntry(key, i, entry, "not a \"YYYY-MM-DD\" string");
    LocalDate date{};
    if (!ParseDate(entry.get_ref<const std::string&>(), date)) {
      return BadEntry(key, i, entry, "not in the form YYYY-MM-DD");
    }
    if (!IsValidDate(date)) {
      return BadEntry(key, i, entry,
                      "not a valid date (years " + std::to_string(kMinYear) + ".." +
                          std::to_string(kMaxYear) + ")");
    }
    const int32_t day = DayNumberOf(date);
    if (!seen.insert(day).second) return BadEntry(key, i, entry, "listed twice");
    if (weekends_only && !IsWeekend(day)) {
      return BadEntry(key, i, entry,
                      "is a weekday; only a Saturday or Sunday can be a working weekend");
    }
    days.push_back(day);
  }
  std::sort(days.begin(), days.end());
  return days;
}

}  // namespace

std::string FormatLocalDate(LocalDate date) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

WorkingCalendar::WorkingCalendar() = default;

WorkingCalendar::WorkingCalendar(int offset_minutes, std::vector<int32_t> holidays,
                                 std::vector<int32_t> working_weekends)
    : offset_minutes_(offset_minutes),
      holidays_(std::move(holidays)),
      working_weekends_(std::move(working_weekends)) {}

core::Result<WorkingCalendar> WorkingCalendar::FromJson(std::string_view json) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::parse_error& e) {
    return core::InvalidArgument(std::string("working calendar: not valid JSON: ") + e.what());
  }
  if (!root.is_object()) return core::InvalidArgument("working calendar: must be a JSON object");
  for (const auto& [key, value] : root.items()) {
    if (key != "time_zone_offset_minutes" && key != "holidays" && key != "working_weekends" &&
        key != "name" && key != "note") {
      return core::InvalidArgument("working calendar: unknown key \"" + key +
                                   "\" (expected time_zone_offset_minutes, holidays, "
                                   "working_weekends, name, note)");
    }
    if ((key == "name" || key == "note") && !value.is_string()) {
      return core::InvalidArgument("working calendar: \"" + key + "\" must be a string");
    }
  }

  int offset = 480;
  if (const auto it = root.find("time_zone_offset_minutes"); it != root.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < -kMaxOffsetMinutes ||
        it->get<int64_t>() > kMaxOffsetMinutes) {
      return core::InvalidArgument("working calendar: time_zone_offset_minutes " + it->dump() +
                                   ": must be an integer in [-840, 840] (China: 480)");
    }
    offset = static_cast<int>(it->get<int64_t>());
  }

  auto holidays = ParseDateList(root, "holidays", /*weekends_only=*/false);
  if (!holidays) return holidays.error();
  auto working_weekends = ParseDateList(root, "working_weekends", /*weekends_only=*/true);
  if (!working_weekends) return working_weekends.error();

  for (const int32_t day : *working_weekends) {
    if (std::binary_search(holidays->begin(), holidays->end(), day)) {
      return core::InvalidArgument("working calendar: " + FormatLocalDate(DateOfDayNumber(day)) +
                                   " is listed both in holidays and in working_weekends");
    }
  }
  return WorkingCalendar(offset, std::move(holidays).value(), std::move(working_weekends).value());
}

WorkingCalendar WorkingCalendar::WeekdaysOnly(int time_zone_offset_minutes) {
  return WorkingCalendar(
      std::clamp(time_zone_offset_minutes, -kMaxOffsetMinutes, kMaxOffsetMinutes), {}, {});
}

bool WorkingCalendar::IsWorkingDayNumber(int32_t day) const {
  if (IsWeekend(day)) {
    return std::binary_search(working_weekends_.begin(), working_weekends_.end(), day);
  }
  return !std::binary_search(holidays_.begin(), holidays_.end(), day);
}

bool WorkingCalendar::IsWorkingDay(LocalDate date) const {
  if (!IsValidDate(date)) return false;
  return IsWorkingDayNumber(DayNumberOf(date));
}

int32_t WorkingCalendar::LocalDayNumber(core::TimePoint t) const {
  const auto local = t + chr::minutes{offset_minutes_};
  return static_cast<int32_t>(chr::floor<Days>(local).time_since_epoch().count());
}

LocalDate WorkingCalendar::LocalDateOf(core::TimePoint t) const {
  return DateOfDayNumber(LocalDayNumber(t));
}

core::TimePoint WorkingCalendar::AddWorkingDays(core::TimePoint start, int days) const {
  const chr::minutes offset{offset_minutes_};
  const auto local = start + offset;  // local wall time, expressed on the system clock's scale
  const auto local_midnight = chr::floor<Days>(local);
  int32_t day = static_cast<int32_t>(local_midnight.time_since_epoch().count());
  core::Duration time_of_day = local - local_midnight;

  if (!IsWorkingDayNumber(day)) {  // effective start: 00:00 of the next working day
    do {
      ++day;
    } while (!IsWorkingDayNumber(day));
    time_of_day = core::Duration::zero();
  }
  const int clamped = std::clamp(days, -kMaxWorkingDays, kMaxWorkingDays);
  const int step = clamped < 0 ? -1 : 1;
  for (int remaining = clamped < 0 ? -clamped : clamped; remaining > 0;) {
    day += step;
    if (IsWorkingDayNumber(day)) --remaining;
  }
  const core::TimePoint local_result =
      core::TimePoint{chr::duration_cast<core::Duration>(Days{day})} + time_of_day;
  return local_result - offset;
}

double WorkingCalendar::WorkingDaysBetween(core::TimePoint from, core::TimePoint to) const {
  if (to < from) return -WorkingDaysBetween(to, from);
  const chr::minutes offset{offset_minutes_};
  const core::TimePoint local_from = from + offset;
  const core::TimePoint local_to = to + offset;
  const int32_t first = LocalDayNumber(from);
  const int32_t last = LocalDayNumber(to);
  core::Duration total = core::Duration::zero();
  for (int32_t day = first; day <= last; ++day) {
    if (!IsWorkingDayNumber(day)) continue;
    const core::TimePoint day_start{chr::duration_cast<core::Duration>(Days{day})};
    const core::TimePoint day_end{chr::duration_cast<core::Duration>(Days{day + 1})};
    const core::TimePoint begin = std::max(local_from, day_start);
    const core::TimePoint end = std::min(local_to, day_end);
    if (end > begin) total += end - begin;
  }
  return chr::duration<double, Days::period>(total).count();
}

}  // namespace gridcare::sla
