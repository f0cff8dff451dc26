// WorkingCalendar::Combine: official files plus provisional years derived from the law.
#include <algorithm>
#include <map>
#include <utility>

#include "calendar_days.h"
#include "gridcare/sla/calendar.h"

namespace gridcare::sla {
namespace {

std::string FileLabel(const WorkingCalendar& file, size_t index) {
  return file.name().empty() ? "calendar file #" + std::to_string(index + 1)
                             : "calendar \"" + file.name() + "\"";
}

}  // namespace

core::Result<WorkingCalendar> WorkingCalendar::Combine(const std::vector<WorkingCalendar>& files,
                                                       const HolidayDeriver& derive,
                                                       int first_derived_year,
                                                       int last_derived_year,
                                                       const std::string& derived_source) {
  int offset = files.empty() ? 480 : files.front().offset_minutes_;
  std::map<int, std::pair<YearCoverage, size_t>> years;  // year -> coverage, file index
  std::vector<int32_t> holidays;
  std::vector<int32_t> working_weekends;
  std::string name;
  for (size_t i = 0; i < files.size(); ++i) {
    const WorkingCalendar& file = files[i];
    if (file.coverage_.empty()) {
      return core::InvalidArgument(FileLabel(file, i) +
                                   " declares no \"coverage\": add the years it covers and "
                                   "whether each is official or provisional");
    }
    if (file.offset_minutes_ != offset) {
      return core::InvalidArgument(FileLabel(file, i) + " has time_zone_offset_minutes " +
                                   std::to_string(file.offset_minutes_) + ", another file " +
                                   std::to_string(offset));
    }
    for (const auto& year : file.coverage_) {
      const auto [it, fresh] = years.emplace(year.year, std::make_pair(year, i));
      if (!fresh) {
        return core::InvalidArgument(
            FileLabel(file, i) + " and " + FileLabel(files[it->second.second], it->second.second) +
            " both cover " + std::to_string(year.year) + ": keep one file per year");
      }
    }
    holidays.insert(holidays.end(), file.holidays_.begin(), file.holidays_.end());
    working_weekends.insert(working_weekends.end(), file.working_weekends_.begin(),
                            file.working_weekends_.end());
    name += (name.empty() ? "" : "+") + file.name_;
  }
  if (derive) {
    for (int year = first_derived_year; year <= last_derived_year; ++year) {
      if (years.count(year) != 0) continue;
      auto derived = derive(year);
      if (!derived) return derived.error();
      for (const LocalDate date : *derived) {
        if (date.year == year) holidays.push_back(detail::DayNumberOf(date));
      }
      years.emplace(year, std::make_pair(
                              YearCoverage{year, CoverageStatus::kProvisional, derived_source}, 0));
    }
  }
  std::sort(holidays.begin(), holidays.end());
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
  std::sort(working_weekends.begin(), working_weekends.end());
  std::vector<YearCoverage> coverage;
  coverage.reserve(years.size());
  for (auto& [year, entry] : years) coverage.push_back(std::move(entry.first));
  return WorkingCalendar(offset, std::move(holidays), std::move(working_weekends),
                         std::move(coverage), std::move(name));
}

}  // namespace gridcare::sla
