#include "surge_detector.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <vector>

#include "count_tests.h"
#include "hour_index.h"

namespace gridcare::analytics {
namespace {

/// Counts and exclusions of the hours [first, last] now (week 0) and 1..weeks weeks before, read
/// from the history once per evaluation and shared by the three tests.
class Slots {
 public:
  Slots(const HourlyHistory& history, int64_t first, int64_t last, int weeks)
      : first_(first), length_(last - first + 1), weeks_(weeks) {
    const auto size = static_cast<size_t>(length_ * (weeks + 1));
    counts_.resize(size);
    excluded_.resize(size);
    for (int w = 0; w <= weeks; ++w) {
      for (int64_t i = 0; i < length_; ++i) {
        const int64_t hour = first + i - w * kHoursPerWeek;
        const size_t at = Index(w, first + i);
        excluded_[at] = history.Excluded(hour) ? 1 : 0;
        counts_[at] = history.Count(hour);
      }
    }
  }

  int weeks() const { return weeks_; }
  int64_t count(int week, int64_t hour) const { return counts_[Index(week, hour)]; }
  bool excluded(int week, int64_t hour) const { return excluded_[Index(week, hour)] != 0; }

 private:
  size_t Index(int week, int64_t hour) const {
    return static_cast<size_t>(week * length_ + (hour - first_));
  }

  int64_t first_;
  int64_t length_;
  int weeks_;
  std::vector<int64_t> counts_;
  std::vector<char> excluded_;
};

/// What the present window is compared with: the sum of its counts in each usable past week.
struct Baseline {
  double sum = 0;  ///< over the usable weeks
  int weeks = 0;   ///< usable weeks
};

/// The same hours in each past week in which none of them is excluded.
Baseline BaselineOf(const Slots& slots, const std::vector<int64_t>& hours) {
  Baseline baseline;
  for (int w = 1; w <= slots.weeks(); ++w) {
    double sum = 0;
    bool usable = true;
    for (const int64_t hour : hours) {
      if (slots.excluded(w, hour)) {
        usable = false;
        break;
      }
      sum += static_cast<double>(slots.count(w, hour));
    }
    if (usable) {
      baseline.sum += sum;
      ++baseline.weeks;
    }
  }
  return baseline;
}

/// Expected count of a window of `hours` hours from its baseline (floored at min_expected/hour).
double ExpectedOf(const Baseline& baseline, size_t hours, const SurgeSettings& settings) {
  return std::max(baseline.sum / baseline.weeks,
                  settings.min_expected * static_cast<double>(hours));
}

/// Relative variance of the comparison: counts spread around their mean (dispersion), and the
/// mean itself is estimated from `weeks` weeks holding `sum` contacts in all (for Poisson counts
/// the estimate's relative variance is 1/sum; +1 keeps an empty baseline finite).
double DispersionOf(double sum, int weeks, const SurgeSettings& settings) {
  return settings.dispersion * (1.0 + 1.0 / weeks) + 1.0 / (sum + 1.0);
}

/// The finding for one window, or nullopt when it is not unusual enough.
std::optional<SurgeFinding> Judge(const char* method, double observed, double expected,
                                  double dispersion, double alpha, int weeks, int64_t start,
                                  int64_t end, const SurgeSettings& settings) {
  if (observed < settings.min_count || observed < settings.min_ratio * expected)
    return std::nullopt;
  const double p = NegativeBinomialUpperTail(std::llround(observed), expected, dispersion);
  if (!(p < alpha)) return std::nullopt;
  return SurgeFinding{method, observed, expected, observed / expected, p, start, end, weeks};
}

std::optional<SurgeFinding> HourTest(const Slots& slots, int64_t hour,
                                     const SurgeSettings& settings) {
  const Baseline baseline = BaselineOf(slots, {hour});
  if (baseline.weeks < settings.min_baseline_weeks) return std::nullopt;
  return Judge("hour", static_cast<double>(slots.count(0, hour)), ExpectedOf(baseline, 1, settings),
               DispersionOf(baseline.sum, baseline.weeks, settings), settings.hour_alpha,
               baseline.weeks, hour, hour + 1, settings);
}

/// From local midnight to the end of `hour`, leaving out excluded hours of today. A one-hour
/// window is the hour test's, so the day test starts with the second hour of the day.
std::optional<SurgeFinding> DayTest(const Slots& slots, int64_t hour,
                                    const SurgeSettings& settings) {
  const int64_t start = FirstHourOfDay(DayOf(hour));
  std::vector<int64_t> hours;
  double observed = 0;
  for (int64_t h = start; h <= hour; ++h) {
    if (slots.excluded(0, h)) continue;
    hours.push_back(h);
    observed += static_cast<double>(slots.count(0, h));
  }
  if (hours.size() < 2) return std::nullopt;
  const Baseline baseline = BaselineOf(slots, hours);
  if (baseline.weeks < settings.min_baseline_weeks) return std::nullopt;
  return Judge("day", observed, ExpectedOf(baseline, hours.size(), settings),
               DispersionOf(baseline.sum, baseline.weeks, settings), settings.day_alpha,
               baseline.weeks, start, hour + 1, settings);
}

/// CUSUM over the last cusum_hours hours; when it ends above cusum_h, the run of hours that
/// built it up is tested as one window.
std::optional<SurgeFinding> CusumTest(const Slots& slots, int64_t hour,
                                      const SurgeSettings& settings) {
  const int64_t first = hour - settings.cusum_hours + 1;
  const auto length = static_cast<size_t>(settings.cusum_hours);
  std::vector<double> residuals(length, std::numeric_limits<double>::quiet_NaN());
  std::vector<Baseline> baselines(length);
  for (size_t i = 0; i < length; ++i) {
    const int64_t h = first + static_cast<int64_t>(i);
    if (slots.excluded(0, h)) continue;
    baselines[i] = BaselineOf(slots, {h});
    if (baselines[i].weeks < settings.min_baseline_weeks) continue;
    residuals[i] = StandardizedResidual(
        static_cast<double>(slots.count(0, h)), ExpectedOf(baselines[i], 1, settings),
        DispersionOf(baselines[i].sum, baselines[i].weeks, settings));
  }
  const CusumResult cusum = OneSidedCusum(residuals, settings.cusum_k);
  // A run of one hour is the hour test's to judge; the CUSUM is for build-ups.
  if (!(cusum.statistic > settings.cusum_h) || length - cusum.run_start < 2) return std::nullopt;
  double observed = 0;
  double expected = 0;
  double baseline_sum = 0;
  int weeks = settings.baseline_weeks;
  for (size_t i = cusum.run_start; i < length; ++i) {
    const int64_t h = first + static_cast<int64_t>(i);
    observed += static_cast<double>(slots.count(0, h));
    expected += ExpectedOf(baselines[i], 1, settings);
    baseline_sum += baselines[i].sum / baselines[i].weeks;
    weeks = std::min(weeks, baselines[i].weeks);
  }
  // The window's baseline holds about `weeks` × (mean per week) contacts.
  return Judge("cusum", observed, expected, DispersionOf(baseline_sum * weeks, weeks, settings),
               settings.cusum_alpha, weeks, first + static_cast<int64_t>(cusum.run_start), hour + 1,
               settings);
}

std::string LocalTime(int64_t hour) {
  using namespace std::chrono;
  const year_month_day date{sys_days{days{DayOf(hour)}}};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:00", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                HourOfDay(hour));
  return text;
}

/// "2026-07-08 10:00–11:00" within a day (an end at midnight is 24:00), else both in full.
std::string LocalWindow(int64_t start, int64_t end) {
  const std::string from = LocalTime(start);
  if (DayOf(end) == DayOf(start)) return from + "–" + LocalTime(end).substr(11);
  if (end == FirstHourOfDay(DayOf(start) + 1)) return from + "–24:00";
  return from + "–" + LocalTime(end);
}

}  // namespace

core::Status ValidateSurgeSettings(const SurgeSettings& s) {
  const auto bad = [](const std::string& what) {
    return core::Status(core::InvalidArgument("surge settings: " + what));
  };
  if (s.baseline_weeks < 1 || s.baseline_weeks > 52) return bad("baseline_weeks must be 1..52");
  if (s.min_baseline_weeks < 1 || s.min_baseline_weeks > s.baseline_weeks) {
    return bad("min_baseline_weeks must be 1..baseline_weeks");
  }
  if (s.min_count < 1) return bad("min_count must be >= 1");
  for (const auto& [name, alpha] :
       {std::pair{"hour_alpha", s.hour_alpha}, std::pair{"day_alpha", s.day_alpha},
        std::pair{"cusum_alpha", s.cusum_alpha}}) {
    if (!(alpha > 0 && alpha <= 1)) return bad(std::string(name) + " must be in (0, 1]");
  }
  if (!(s.dispersion >= 0 && s.dispersion <= 10)) return bad("dispersion must be 0..10");
  if (!(s.min_expected > 0)) return bad("min_expected must be > 0");
  if (!(s.cusum_k >= 0)) return bad("cusum_k must be >= 0");
  if (!(s.cusum_h > 0)) return bad("cusum_h must be > 0");
  if (s.cusum_hours < 1 || s.cusum_hours > 24 * 14) return bad("cusum_hours must be 1..336");
  if (!(s.min_ratio >= 1)) return bad("min_ratio must be >= 1");
  return {};
}

std::string Describe(const SurgeFinding& f) {
  const char* what = f.method == "hour"  ? "same hour"
                     : f.method == "day" ? "same part of the day"
                                         : "same hours";
  char text[256];
  std::snprintf(text, sizeof text,
                "%s %s: %.0f contacts against %.1f expected (%s of %d past weeks), %.1f×, p = %.2g",
                f.method.c_str(), LocalWindow(f.window_start_hour, f.window_end_hour).c_str(),
                f.observed, f.expected, what, f.baseline_weeks, f.score, f.p_value);
  return text;
}

SurgeDetector::SurgeDetector(SurgeSettings settings) : settings_(settings) {
  if (auto status = ValidateSurgeSettings(settings_); !status) {
    throw std::invalid_argument(status.error().message);
  }
}

std::optional<SurgeFinding> SurgeDetector::Evaluate(const HourlyHistory& history,
                                                    int64_t hour) const {
  const int64_t first = std::min(FirstHourOfDay(DayOf(hour)), hour - settings_.cusum_hours + 1);
  const Slots slots(history, first, hour, settings_.baseline_weeks);
  std::optional<SurgeFinding> best;
  for (auto finding : {HourTest(slots, hour, settings_), DayTest(slots, hour, settings_),
                       CusumTest(slots, hour, settings_)}) {
    if (finding && (!best || finding->p_value < best->p_value)) best = std::move(finding);
  }
  return best;
}

}  // namespace gridcare::analytics
