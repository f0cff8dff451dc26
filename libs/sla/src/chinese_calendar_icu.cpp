// The only file of libs/sla that talks to ICU.
#include <unicode/calendar.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>

#include <chrono>
#include <cmath>
#include <memory>

#include "gridcare/sla/chinese_calendar.h"

namespace gridcare::sla {
namespace {

namespace chr = std::chrono;

constexpr double kMillisPerDay = 86'400'000.0;

core::Error IcuError(const char* what, UErrorCode status) {
  return core::Internal(std::string("ICU Chinese calendar: ") + what + ": " + u_errorName(status));
}

LocalDate DateOfUtcMillis(UDate millis) {
  const auto day = static_cast<int32_t>(std::floor(millis / kMillisPerDay));
  const chr::year_month_day ymd{chr::sys_days{chr::days{day}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

UDate NoonUtcMillis(int year, unsigned month, unsigned day) {
  const chr::sys_days date{chr::year{year} / chr::month{month} / chr::day{day}};
  return static_cast<UDate>(date.time_since_epoch().count()) * kMillisPerDay + kMillisPerDay / 2;
}

// ICU's own Gregorian date of a lunar date. The calendar's zone is UTC and the time noon, so the
// civil date is the one ICU computed for China.
core::Result<LocalDate> IcuGregorianOf(icu::Calendar& calendar, int32_t era, int32_t lunar_year,
                                       int month, int day) {
  UErrorCode status = U_ZERO_ERROR;
  calendar.clear();
  calendar.set(UCAL_ERA, era);
  calendar.set(UCAL_YEAR, lunar_year);
  calendar.set(UCAL_MONTH, month - 1);
  calendar.set(UCAL_IS_LEAP_MONTH, 0);
  calendar.set(UCAL_DATE, day);
  calendar.set(UCAL_HOUR_OF_DAY, 12);
  const UDate millis = calendar.getTime(status);
  if (U_FAILURE(status)) return IcuError("cannot resolve a lunar date", status);
  return DateOfUtcMillis(millis);
}

// The Gregorian date of lunar month/day (non-leap month) of the lunar year `era`/`lunar_year`.
// ICU decides which month is which (leap months); the month's first day comes from the precise
// new moon (LunarMonthStartNear), because ICU's lunar model can be minutes off and start a month
// a day late or early when the new moon is close to midnight in China (2027, 2030).
core::Result<LocalDate> GregorianOf(icu::Calendar& calendar, int32_t era, int32_t lunar_year,
                                    int month, int day) {
  auto first = IcuGregorianOf(calendar, era, lunar_year, month, 1);
  if (!first) return first.error();
  return AddDays(LunarMonthStartNear(*first), day - 1);
}

}  // namespace

core::Result<LunarFestivals> LunarFestivalsOf(int year) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> calendar(icu::Calendar::createInstance(
      icu::TimeZone::createTimeZone("Etc/UTC"), icu::Locale("zh_CN@calendar=chinese"), status));
  if (U_FAILURE(status) || !calendar) return IcuError("cannot create", status);
  if (std::string(calendar->getType()) != "chinese") {
    return core::Internal(std::string("ICU returned a \"") + calendar->getType() +
                          "\" calendar for @calendar=chinese");
  }
  // 1 June lies in the lunar year that began in the same Gregorian year (lunar 1/1 falls
  // between 21 January and 20 February).
  calendar->setTime(NoonUtcMillis(year, 6, 1), status);
  const int32_t era = calendar->get(UCAL_ERA, status);
  const int32_t lunar_year = calendar->get(UCAL_YEAR, status);
  if (U_FAILURE(status)) return IcuError("cannot read the lunar year", status);
  auto new_year = GregorianOf(*calendar, era, lunar_year, 1, 1);
  if (!new_year) return new_year.error();
  auto dragon_boat = GregorianOf(*calendar, era, lunar_year, 5, 5);
  if (!dragon_boat) return dragon_boat.error();
  auto mid_autumn = GregorianOf(*calendar, era, lunar_year, 8, 15);
  if (!mid_autumn) return mid_autumn.error();
  if (new_year->year != year) {
    return core::Internal("ICU Chinese calendar: lunar new year of " + std::to_string(year) +
                          " resolved to " + FormatLocalDate(*new_year));
  }
  return LunarFestivals{*new_year, *dragon_boat, *mid_autumn};
}

core::Result<std::vector<StatutoryHoliday>> DeriveStatutoryHolidays(int year) {
  auto lunar = LunarFestivalsOf(year);
  if (!lunar) return lunar.error();
  return StatutoryHolidaysOf(year, *lunar, QingmingDate(year));
}

HolidayDeriver StatutoryHolidayDeriver() {
  return [](int year) -> core::Result<std::vector<LocalDate>> {
    auto holidays = DeriveStatutoryHolidays(year);
    if (!holidays) return holidays.error();
    std::vector<LocalDate> dates;
    dates.reserve(holidays->size());
    for (const auto& holiday : *holidays) dates.push_back(holiday.date);
    return dates;
  };
}

std::string DerivedCoverageSource() {
  return "derived from the statutory holidays of the regulation in force that year (see "
         "libs/sla/README.md; from 2025: " +
         std::string(RegulationName(HolidayRegulation::k2025)) +
         "); no adjusted working weekends until the State Council notice is loaded";
}

core::Result<WorkingCalendar> CombineWithStatutoryHolidays(
    const std::vector<WorkingCalendar>& files) {
  return WorkingCalendar::Combine(files, StatutoryHolidayDeriver(), kFirstDerivedYear,
                                  kLastDerivedYear, DerivedCoverageSource());
}

}  // namespace gridcare::sla
