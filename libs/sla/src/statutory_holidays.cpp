#include "gridcare/sla/statutory_holidays.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <numbers>

namespace gridcare::sla {
namespace {

namespace chr = std::chrono;

constexpr double kUnixEpochJulianDay = 2440587.5;
constexpr double kJ2000 = 2451545.0;
constexpr double kSecondsPerDay = 86400.0;
constexpr double kMeanSolarMotion = 0.98564736;  // degrees per day
constexpr double kQingmingLongitude = 15.0;

double Radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

double Normalize(double degrees) {
  const double wrapped = std::fmod(degrees, 360.0);
  return wrapped < 0 ? wrapped + 360.0 : wrapped;
}

double JulianDay(core::TimePoint t) {
  const double seconds = chr::duration<double>(t.time_since_epoch()).count();
  return kUnixEpochJulianDay + seconds / kSecondsPerDay;
}

core::TimePoint FromJulianDay(double jd) {
  const double seconds = (jd - kUnixEpochJulianDay) * kSecondsPerDay;
  return core::TimePoint{chr::duration_cast<core::Duration>(chr::duration<double>(seconds))};
}

// TT - UT in seconds (Espenak & Meeus polynomials, 2005-2150; a minute off changes nothing here).
double DeltaTSeconds(double year) {
  if (year < 2050) {
    const double t = year - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  const double u = (year - 1820) / 100;
  return -20 + 32 * u * u - 0.5628 * (2150 - year);
}

// Apparent longitude for a Julian Ephemeris Day.
double ApparentLongitudeAt(double jde) {
  const double t = (jde - kJ2000) / 36525.0;
  const double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
  const double m = Radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t);
  const double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * std::sin(m) +
                   (0.019993 - 0.000101 * t) * std::sin(2 * m) + 0.000289 * std::sin(3 * m);
  const double omega = Radians(125.04 - 1934.136 * t);
  return Normalize(l0 + c - 0.00569 - 0.00478 * std::sin(omega));
}

// Meeus, "Astronomical Algorithms", ch. 49: JDE of the new moon of lunation k (k = 0 near
// 2000-01-06), with the periodic and planetary terms.
double NewMoonJde(double k) {
  const double t = k / 1236.85;
  const double e = 1 - 0.002516 * t - 0.0000074 * t * t;
  const double m = Radians(2.5534 + 29.10535670 * k - 0.0000014 * t * t - 0.00000011 * t * t * t);
  const double mp = Radians(201.5643 + 385.81693528 * k + 0.0107582 * t * t +
                            0.00001238 * t * t * t - 0.000000058 * t * t * t * t);
  const double f = Radians(160.7108 + 390.67050284 * k - 0.0016118 * t * t -
                           0.00000227 * t * t * t + 0.000000011 * t * t * t * t);
  const double om = Radians(124.7746 - 1.56375588 * k + 0.0020672 * t * t + 0.00000215 * t * t * t);
  double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t * t - 0.000000150 * t * t * t +
               0.00000000073 * t * t * t * t;
  jde += -0.40720 * std::sin(mp) + 0.17241 * e * std::sin(m) + 0.01608 * std::sin(2 * mp) +
         0.01039 * std::sin(2 * f) + 0.00739 * e * std::sin(mp - m) -
         0.00514 * e * std::sin(mp + m) + 0.00208 * e * e * std::sin(2 * m) -
         0.00111 * std::sin(mp - 2 * f) - 0.00057 * std::sin(mp + 2 * f) +
         0.00056 * e * std::sin(2 * mp + m) - 0.00042 * std::sin(3 * mp) +
         0.00042 * e * std::sin(m + 2 * f) + 0.00038 * e * std::sin(m - 2 * f) -
         0.00024 * e * std::sin(2 * mp - m) - 0.00017 * std::sin(om) -
         0.00007 * std::sin(mp + 2 * m) + 0.00004 * std::sin(2 * mp - 2 * f) +
         0.00004 * std::sin(3 * m) + 0.00003 * std::sin(mp + m - 2 * f) +
         0.00003 * std::sin(2 * mp + 2 * f) - 0.00003 * std::sin(mp + m + 2 * f) +
         0.00003 * std::sin(mp - m + 2 * f) - 0.00002 * std::sin(mp - m - 2 * f) -
         0.00002 * std::sin(3 * mp + m) + 0.00002 * std::sin(4 * mp);
  static constexpr double kPlanetary[14][3] = {
      {299.77, 0.107408, 0.000325},  {251.88, 0.016321, 0.000165}, {251.83, 26.651886, 0.000164},
      {349.42, 36.412478, 0.000126}, {84.66, 18.206239, 0.000110}, {141.74, 53.303771, 0.000062},
      {207.14, 2.453732, 0.000060},  {154.84, 7.306860, 0.000056}, {34.52, 27.261239, 0.000047},
      {207.19, 0.121824, 0.000042},  {291.34, 1.844379, 0.000040}, {161.72, 24.198154, 0.000037},
      {239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023}};
  for (size_t i = 0; i < std::size(kPlanetary); ++i) {
    const double extra = i == 0 ? -0.009173 * t * t : 0.0;  // A1 has a T^2 term
    jde += kPlanetary[i][2] * std::sin(Radians(kPlanetary[i][0] + kPlanetary[i][1] * k + extra));
  }
  return jde;
}

void Add(std::vector<StatutoryHoliday>& out, LocalDate date, std::string_view en,
         std::string_view zh) {
  const bool taken = std::any_of(out.begin(), out.end(),
                                 [&](const StatutoryHoliday& h) { return h.date == date; });
  if (!taken) out.push_back({date, en, zh});
}

}  // namespace

HolidayRegulation RegulationFor(int year) {
  if (year >= 2025) return HolidayRegulation::k2025;
  if (year >= 2014) return HolidayRegulation::k2014;
  if (year >= 2008) return HolidayRegulation::k2008;
  return HolidayRegulation::kNone;
}

std::string_view RegulationName(HolidayRegulation regulation) {
  switch (regulation) {
    case HolidayRegulation::k2025:
      return "全国年节及纪念日放假办法, as amended by State Council Decree No. 795 (2024-11-10), "
             "in force from 2025-01-01 (13 days)";
    case HolidayRegulation::k2014:
      return "全国年节及纪念日放假办法, as amended by State Council Decree No. 644 (2013-12-11), "
             "in force 2014-2024 (11 days)";
    case HolidayRegulation::k2008:
      return "全国年节及纪念日放假办法, as amended by State Council Decree No. 513 (2007-12-14), "
             "in force 2008-2013 (11 days)";
    default:
      return "no regulation version modelled";
  }
}

core::Result<std::vector<StatutoryHoliday>> StatutoryHolidaysOf(int year,
                                                                const LunarFestivals& lunar,
                                                                LocalDate qingming) {
  const HolidayRegulation regulation = RegulationFor(year);
  if (regulation == HolidayRegulation::kNone) {
    return core::InvalidArgument("statutory holidays: no regulation version modelled for " +
                                 std::to_string(year) + " (2008 onwards only)");
  }
  std::vector<StatutoryHoliday> days;
  Add(days, {year, 1, 1}, "New Year's Day", "元旦");
  const bool eve = regulation != HolidayRegulation::k2014;
  const int last_day = regulation == HolidayRegulation::k2008 ? 1 : 2;  // lunar 1/2 or 1/3
  if (eve) Add(days, AddDays(lunar.new_year, -1), "Spring Festival", "春节");
  for (int i = 0; i <= last_day; ++i) {
    Add(days, AddDays(lunar.new_year, i), "Spring Festival", "春节");
  }
  Add(days, qingming, "Qingming", "清明节");
  Add(days, {year, 5, 1}, "Labour Day", "劳动节");
  if (regulation == HolidayRegulation::k2025) Add(days, {year, 5, 2}, "Labour Day", "劳动节");
  Add(days, lunar.dragon_boat, "Dragon Boat Festival", "端午节");
  for (int day = 1; day <= 3; ++day) Add(days, {year, 10, day}, "National Day", "国庆节");
  Add(days, lunar.mid_autumn, "Mid-Autumn Festival", "中秋节");
  std::sort(days.begin(), days.end(),
            [](const StatutoryHoliday& a, const StatutoryHoliday& b) { return a.date < b.date; });
  return days;
}

double ApparentSolarLongitude(core::TimePoint t) {
  const double jd = JulianDay(t);
  const double year = 2000.0 + (jd - kJ2000) / 365.25;
  return ApparentLongitudeAt(jd + DeltaTSeconds(year) / kSecondsPerDay);
}

core::TimePoint NewMoonNear(core::TimePoint t) {
  const double jd = JulianDay(t);
  const double k = std::round((jd - 2451550.09766) / 29.530588861);
  const double jde = NewMoonJde(k);
  const double year = 2000.0 + (jde - kJ2000) / 365.25;
  return FromJulianDay(jde - DeltaTSeconds(year) / kSecondsPerDay);
}

LocalDate LunarMonthStartNear(LocalDate approximate, int offset_minutes) {
  const chr::sys_days day{chr::year{approximate.year} /
                          chr::month{static_cast<unsigned>(approximate.month)} /
                          chr::day{static_cast<unsigned>(approximate.day)}};
  const core::TimePoint noon_local =
      core::TimePoint{chr::duration_cast<core::Duration>(day.time_since_epoch())} + chr::hours{12} -
      chr::minutes{offset_minutes};
  const auto local = NewMoonNear(noon_local) + chr::minutes{offset_minutes};
  const chr::year_month_day ymd{chr::floor<chr::days>(local)};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

core::TimePoint QingmingInstant(int year) {
  // Start from 5 April 00:00 UTC and step by the remaining longitude (Newton on a nearly linear
  // function; converges to well under a second in a few steps).
  const chr::sys_days start{chr::year{year} / chr::April / 5};
  double jd =
      JulianDay(core::TimePoint{chr::duration_cast<core::Duration>(start.time_since_epoch())});
  for (int i = 0; i < 8; ++i) {
    const double longitude = ApparentSolarLongitude(FromJulianDay(jd));
    double diff = kQingmingLongitude - longitude;
    if (diff > 180) diff -= 360;
    if (diff < -180) diff += 360;
    jd += diff / kMeanSolarMotion;
    if (std::abs(diff) < 1e-7) break;
  }
  return FromJulianDay(jd);
}

LocalDate QingmingDate(int year, int offset_minutes) {
  const auto local = QingmingInstant(year) + chr::minutes{offset_minutes};
  const chr::year_month_day ymd{chr::floor<chr::days>(local)};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

}  // namespace gridcare::sla
