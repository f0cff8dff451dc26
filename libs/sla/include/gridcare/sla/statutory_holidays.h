#pragma once

#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/sla/calendar.h"

namespace gridcare::sla {

/// Versions of 《全国年节及纪念日放假办法》 (the national public holiday regulation) modelled:
///  - k2008: as amended by State Council Decree No. 513 (2007-12-14), in force 2008-2013.
///    11 days: New Year's Day; Spring Festival eve, lunar 1/1, 1/2; Qingming; 1 May; Dragon Boat;
///    Mid-Autumn; 1-3 October.
///  - k2014: as amended by Decree No. 644 (2013-12-11), in force 2014-2024. 11 days: as k2008 but
///    the Spring Festival is lunar 1/1-1/3 (no eve).
///  - k2025: as amended by Decree No. 795 (2024-11-10), in force from 2025-01-01. 13 days: New
///    Year's Day; Spring Festival eve and lunar 1/1-1/3; Qingming; 1-2 May; Dragon Boat;
///    Mid-Autumn; 1-3 October.
/// Years before 2008 are not modelled (kNone).
enum class HolidayRegulation { kNone, k2008, k2014, k2025 };

/// The version in force for `year`.
HolidayRegulation RegulationFor(int year);
/// Human-readable name of a version, for coverage sources, logs and docs.
std::string_view RegulationName(HolidayRegulation regulation);

/// Gregorian dates (China time) of the lunar festivals of the lunar year that begins in a
/// Gregorian year: lunar 1/1 (Spring Festival), 5/5 (Dragon Boat), 8/15 (Mid-Autumn).
struct LunarFestivals {
  LocalDate new_year;
  LocalDate dragon_boat;
  LocalDate mid_autumn;
};

/// One statutory holiday day and the festival it belongs to ("Spring Festival", ...).
struct StatutoryHoliday {
  LocalDate date;
  std::string_view festival_en;
  std::string_view festival_zh;
  bool operator==(const StatutoryHoliday&) const = default;
};

/// The statutory holiday days of `year` under RegulationFor(year), in date order, from the lunar
/// festivals and the Qingming date. Spring Festival eve is the day before lunar 1/1 (whichever
/// length the 12th month has). A day two festivals share (Mid-Autumn on 1 October) appears once,
/// under the first. No 调休: those come only from the notice. INVALID_ARGUMENT before 2008.
core::Result<std::vector<StatutoryHoliday>> StatutoryHolidaysOf(int year,
                                                                const LunarFestivals& lunar,
                                                                LocalDate qingming);

/// The Sun's apparent geocentric ecliptic longitude at `t`, degrees in [0, 360) (Meeus,
/// "Astronomical Algorithms" ch. 25, low accuracy: ~0.01 degree, i.e. ~15 minutes of time).
double ApparentSolarLongitude(core::TimePoint t);

/// The new moon (conjunction) nearest to `t` (Meeus ch. 49: accurate to well under a minute).
core::TimePoint NewMoonNear(core::TimePoint t);

/// The first day of the lunar month whose start is near `approximate` (within a few days): the
/// local date (China: UTC+8) of the nearest new moon. Used to correct ICU, whose lunar months can
/// start a day off when the new moon is within minutes of midnight in China (2027-02-06 23:56).
LocalDate LunarMonthStartNear(LocalDate approximate, int offset_minutes = 480);

/// The instant of the Qingming solar term of `year` (apparent solar longitude 15 degrees).
core::TimePoint QingmingInstant(int year);

/// The Qingming day: the local date (China: UTC+8) of QingmingInstant. 2026 -> 2026-04-05.
LocalDate QingmingDate(int year, int offset_minutes = 480);

}  // namespace gridcare::sla
