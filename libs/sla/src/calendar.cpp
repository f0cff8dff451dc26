#include "gridcare/sla/calendar.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "calendar_days.h"

namespace gridcare::sla {
namespace {

namespace chr = std::chrono;
using Days = chr::days;

constexpr int kMaxOffsetMinutes = 14 * 60;  // UTC-14 .. UTC+14 covers every real zone
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2200;

using detail::DateOfDayNumber;
using detail::DayNumberOf;
using detail::YearOfDayNumber;

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

}  // namespace

std::optional<LocalDate> ParseLocalDate(std::string_view text) {
  LocalDate date{};
  if (!ParseDate(text, date) || !IsValidDate(date)) return std::nullopt;
  return date;
}

namespace {

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

core::Result<CoverageStatus> ParseStatus(const nlohmann::json& value, size_t index) {
  if (value.is_string()) {
    if (value == "official") return CoverageStatus::kOfficial;
    if (value == "provisional") return CoverageStatus::kProvisional;
  }
  return BadEntry("coverage", index, value, "status must be \"official\" or \"provisional\"");
}

// "coverage": [{"year": 2026, "status": "official", "source": "..."}], sorted by year.
core::Result<std::vector<YearCoverage>> ParseCoverage(const nlohmann::json& root) {
  std::vector<YearCoverage> coverage;
  const auto it = root.find("coverage");
  if (it == root.end()) return coverage;
  if (!it->is_array())
    return core::InvalidArgument("working calendar: \"coverage\" must be an array");
  for (size_t i = 0; i < it->size(); ++i) {
    const nlohmann::json& entry = (*it)[i];
    if (!entry.is_object()) return BadEntry("coverage", i, entry, "must be an object");
    for (const auto& [key, value] : entry.items()) {
      if (key != "year" && key != "status" && key != "source") {
        return BadEntry("coverage", i, entry,
                        "unknown key \"" + key + "\" (expected year, status, source)");
      }
    }
    const auto year = entry.find("year");
    if (year == entry.end() || !year->is_number_integer() || year->get<int64_t>() < kMinYear ||
        year->get<int64_t>() > kMaxYear) {
      return BadEntry("coverage", i, entry, "needs an integer \"year\" in 1900..2200");
    }
    const auto status_it = entry.find("status");
    if (status_it == entry.end()) return BadEntry("coverage", i, entry, "needs a \"status\"");
    auto status = ParseStatus(*status_it, i);
    if (!status) return status.error();
    const auto source = entry.find("source");
    if (source != entry.end() && !source->is_string()) {
      return BadEntry("coverage", i, entry, "\"source\" must be a string");
    }
    YearCoverage year_coverage{static_cast<int>(year->get<int64_t>()), *status,
                               source == entry.end() ? "" : source->get<std::string>()};
    for (const auto& seen : coverage) {
      if (seen.year == year_coverage.year)
        return BadEntry("coverage", i, entry, "year listed twice");
    }
    coverage.push_back(std::move(year_coverage));
  }
  std::sort(coverage.begin(), coverage.end(),
            [](const YearCoverage& a, const YearCoverage& b) { return a.year < b.year; });
  return coverage;
}

// Every listed date must lie in a covered year (when the file declares coverage at all).
core::Status CheckDatesCovered(const std::vector<YearCoverage>& coverage,
                               const std::vector<int32_t>& days, std::string_view list) {
  if (coverage.empty()) return {};
  for (const int32_t day : days) {
    const int year = YearOfDayNumber(day);
    const bool covered = std::any_of(coverage.begin(), coverage.end(),
                                     [year](const YearCoverage& c) { return c.year == year; });
    if (!covered) {
      return core::InvalidArgument("working calendar: " + std::string(list) + " date " +
                                   FormatLocalDate(DateOfDayNumber(day)) +
                                   " lies in a year \"coverage\" does not list");
    }
  }
  return {};
}

// FNV-1a, 64 bit: a stable digest (std::hash is not stable across builds).
void Mix(uint64_t& hash, int64_t value) {
  for (int i = 0; i < 8; ++i) {
    hash ^= static_cast<uint64_t>(value >> (8 * i)) & 0xffU;
    hash *= 1099511628211ULL;
  }
}

}  // namespace

std::string_view CoverageStatusName(CoverageStatus status) {
  switch (status) {
    case CoverageStatus::kOfficial:
      return "official";
    case CoverageStatus::kProvisional:
      return "provisional";
    default:
      return "none";
  }
}

LocalDate AddDays(LocalDate date, int days) { return DateOfDayNumber(DayNumberOf(date) + days); }

std::string FormatLocalMinute(core::TimePoint t, int offset_minutes) {
  const auto local = t + chr::minutes{offset_minutes};
  const auto midnight = chr::floor<Days>(local);
  const chr::hh_mm_ss<chr::minutes> time{chr::floor<chr::minutes>(local - midnight)};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, " %02d:%02d", static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()));
  return FormatLocalDate(
             DateOfDayNumber(static_cast<int32_t>(midnight.time_since_epoch().count()))) +
         buffer;
}

std::string FormatLocalDate(LocalDate date) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

WorkingCalendar::WorkingCalendar() = default;

WorkingCalendar::WorkingCalendar(int offset_minutes, std::vector<int32_t> holidays,
                                 std::vector<int32_t> working_weekends,
                                 std::vector<YearCoverage> coverage, std::string name)
    : offset_minutes_(offset_minutes),
      holidays_(std::move(holidays)),
      working_weekends_(std::move(working_weekends)),
      coverage_(std::move(coverage)),
      name_(std::move(name)) {
  uint64_t hash = 14695981039346656037ULL;
  Mix(hash, offset_minutes_);
  for (const int32_t day : holidays_) Mix(hash, day);
  Mix(hash, -1);
  for (const int32_t day : working_weekends_) Mix(hash, day);
  Mix(hash, -2);
  for (const auto& year : coverage_) Mix(hash, year.year * 4 + static_cast<int>(year.status));
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  version_ = buffer;
}

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
        key != "name" && key != "note" && key != "coverage") {
      return core::InvalidArgument("working calendar: unknown key \"" + key +
                                   "\" (expected time_zone_offset_minutes, holidays, "
                                   "working_weekends, coverage, name, note)");
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
  auto coverage = ParseCoverage(root);
  if (!coverage) return coverage.error();
  if (auto covered = CheckDatesCovered(*coverage, *holidays, "holidays"); !covered) {
    return covered.error();
  }
  if (auto covered = CheckDatesCovered(*coverage, *working_weekends, "working_weekends");
      !covered) {
    return covered.error();
  }
  const auto name = root.find("name");
  return WorkingCalendar(offset, std::move(holidays).value(), std::move(working_weekends).value(),
                         std::move(coverage).value(),
                         name == root.end() ? "" : name->get<std::string>());
}

WorkingCalendar WorkingCalendar::WeekdaysOnly(int time_zone_offset_minutes) {
  return WorkingCalendar(
      std::clamp(time_zone_offset_minutes, -kMaxOffsetMinutes, kMaxOffsetMinutes), {}, {});
}

core::Result<WorkingCalendar> WorkingCalendar::WithLocalDays(
    const std::vector<LocalDate>& holidays, const std::vector<LocalDate>& working_weekends,
    const std::string& name) const {
  std::set<int32_t> off;
  for (const LocalDate& date : holidays) {
    if (!IsValidDate(date)) {
      return core::InvalidArgument("local holiday " + FormatLocalDate(date) + " is not a date");
    }
    off.insert(DayNumberOf(date));
  }
  std::set<int32_t> on;
  for (const LocalDate& date : working_weekends) {
    const int32_t day = IsValidDate(date) ? DayNumberOf(date) : 0;
    if (!IsValidDate(date) || !IsWeekend(day)) {
      return core::InvalidArgument("local working weekend " + FormatLocalDate(date) +
                                   " is not a Saturday or Sunday");
    }
    if (off.contains(day)) {
      return core::InvalidArgument(FormatLocalDate(date) +
                                   " is both a local holiday and a local working weekend");
    }
    on.insert(day);
  }
  std::set<int32_t> all_off(holidays_.begin(), holidays_.end());
  all_off.insert(off.begin(), off.end());
  std::set<int32_t> all_on;
  for (const int32_t day : working_weekends_) {
    if (!off.contains(day)) all_on.insert(day);
  }
  all_on.insert(on.begin(), on.end());
  return WorkingCalendar(offset_minutes_, std::vector<int32_t>(all_off.begin(), all_off.end()),
                         std::vector<int32_t>(all_on.begin(), all_on.end()), coverage_,
                         name_.empty() ? name : name_ + "+" + name);
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

WorkingDeadline WorkingCalendar::Deadline(core::TimePoint start, int days) const {
  const core::TimePoint due = AddWorkingDays(start, days);
  return {due, IsProvisionalBetween(start, due)};
}

bool WorkingCalendar::IsProvisionalBetween(core::TimePoint a, core::TimePoint b) const {
  const int first = YearOfDayNumber(LocalDayNumber(std::min(a, b)));
  const int last = YearOfDayNumber(LocalDayNumber(std::max(a, b)));
  for (int year = first; year <= last; ++year) {
    if (CoverageOf(year) != CoverageStatus::kOfficial) return true;
  }
  return false;
}

CoverageStatus WorkingCalendar::CoverageOf(int year) const {
  const auto it = std::lower_bound(coverage_.begin(), coverage_.end(), year,
                                   [](const YearCoverage& c, int y) { return c.year < y; });
  return it != coverage_.end() && it->year == year ? it->status : CoverageStatus::kNone;
}

int WorkingCalendar::OfficialCoverageDaysLeft(LocalDate today) const {
  if (!IsValidDate(today) || CoverageOf(today.year) != CoverageStatus::kOfficial) return 0;
  int last = today.year;
  while (CoverageOf(last + 1) == CoverageStatus::kOfficial) ++last;
  return DayNumberOf({last + 1, 1, 1}) - DayNumberOf(today);
}

int WorkingCalendar::LastOfficialYear() const {
  for (auto it = coverage_.rbegin(); it != coverage_.rend(); ++it) {
    if (it->status == CoverageStatus::kOfficial) return it->year;
  }
  return 0;
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
