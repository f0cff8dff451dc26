#pragma once
// The ICU adapter (target gridcare::sla_icu): lunar festival dates from ICU's Chinese calendar and
// the statutory holidays derived from them. Deterministic and offline (ICU's astronomical
// computation, no data files beyond libicu's own).

#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/statutory_holidays.h"

namespace gridcare::sla {

/// Lunar 1/1, 5/5 and 8/15 of the lunar year beginning in Gregorian `year` (China time), via
/// icu::Calendar for "@calendar=chinese". INTERNAL when ICU fails. Thread-safe.
core::Result<LunarFestivals> LunarFestivalsOf(int year);

/// StatutoryHolidaysOf(year, LunarFestivalsOf(year), QingmingDate(year)).
core::Result<std::vector<StatutoryHoliday>> DeriveStatutoryHolidays(int year);

/// A HolidayDeriver for WorkingCalendar::Combine (dates of DeriveStatutoryHolidays).
HolidayDeriver StatutoryHolidayDeriver();

/// The coverage source written on derived years.
std::string DerivedCoverageSource();

/// First and last year Combine derives by default (the regulation versions modelled start 2008).
inline constexpr int kFirstDerivedYear = 2008;
inline constexpr int kLastDerivedYear = 2100;

/// The calendar services run with: `files` plus derived provisional years
/// [kFirstDerivedYear, kLastDerivedYear] that no file covers.
core::Result<WorkingCalendar> CombineWithStatutoryHolidays(
    const std::vector<WorkingCalendar>& files);

}  // namespace gridcare::sla
