#pragma once

// Surge early warning (issue 15): is this hour, this day so far, or the last few hours of one
// request category in one area unusually busy compared with the same slots of past weeks?
//
// Three simple tests, each of which says what it compared with what:
//  - "hour":  the count of the hour just ended against the same hour of the week in each of the
//             past `baseline_weeks` weeks (sudden surges);
//  - "day":   the count from local midnight to the end of that hour against the same partial day
//             of those weeks (a day running high, hour after hour);
//  - "cusum": a one-sided CUSUM of the standardized hourly residuals over the last `cusum_hours`
//             hours; when it crosses cusum_h, the run of hours that built it up is tested as one
//             window (slow build-ups, also across midnight).
// Every test is an upper-tail negative-binomial test (Poisson when dispersion is 0) of the
// observed count against the baseline mean, with a variance that also covers the baseline being
// an estimate from a few weeks; a finding also needs min_count contacts and observed/expected >=
// min_ratio, so one or two contacts in a quiet slot never warn. Weeks whose slot is excluded
// (holidays, days with a known outage in the area) are left out of the baseline, and with fewer
// than min_baseline_weeks usable weeks there is no finding.
//
// The defaults were chosen by measurement (bench/analytics, gridcare-detection-quality): see
// docs/services/analytics.md and each field below.

#include <cstdint>
#include <optional>
#include <string>

#include "gridcare/core/error.h"

namespace gridcare::analytics {

/// How sensitive the detector is. Validate with ValidateSurgeSettings (the detector's constructor
/// throws std::invalid_argument with the same message).
struct SurgeSettings {
  /// Past weeks compared with (the same hour of the week, the same partial day). Four weeks are
  /// a month of history: recent enough to follow a trend, and what the measurement had.
  int baseline_weeks = 4;
  /// Fewer usable (not excluded) weeks than this: no finding; there is nothing to compare with.
  int min_baseline_weeks = 2;
  /// A finding needs at least this many contacts in its window, whatever the probabilities say:
  /// three complaints where one is usual is not yet a surge anyone can act on. (Measured: 3..8
  /// change nothing on the benchmark; the probabilities already demand more.)
  int min_count = 5;
  /// Largest upper-tail probability that makes the hour test a finding. Each test is tried 168
  /// times a week on every series; at 1e-5 per test the three together gave 0.35-0.5 false
  /// warnings per week per 100 series (goal <= 1); 3e-5 doubled that and found nothing sooner.
  double hour_alpha = 1e-5;
  /// The same for the day-so-far test (tried every hour, windows overlap).
  double day_alpha = 1e-5;
  /// The same for the window a CUSUM run picked out. The window is chosen after looking at the
  /// data, so its p-value is optimistic: 1e-4 gave 2.6 false warnings per week per 100 series.
  double cusum_alpha = 1e-5;
  /// Extra-Poisson variation of counts (var = mu + dispersion × mu²): the day-to-day wobble the
  /// same weekday does not explain, i.e. the squared coefficient of variation of a series' daily
  /// totals beyond Poisson — 0.01 for ±10 %, 0.04 for ±20 %. Set it from your data: too small and
  /// false warnings multiply (±20 % wobble at 0.01: 3.4 per week per 100 series), too large and
  /// small surges go unseen. 0 = pure Poisson.
  double dispersion = 0.01;
  /// Floor for the expected count per hour, so a slot that was empty in every past week does not
  /// make a single contact look infinitely unusual (0.1 doubled the false warnings).
  double min_expected = 0.2;
  /// CUSUM reference value, in standard deviations per hour: hours less than this much above
  /// expectation do not build the sum up (0.5..1.5 measured alike; 1 is the textbook choice for
  /// a shift of two standard deviations).
  double cusum_k = 1.0;
  /// CUSUM decision threshold (standard deviations accumulated above cusum_k). The run's window
  /// must then also pass cusum_alpha, which is what decides; 2..10 measured alike.
  double cusum_h = 6.0;
  /// Hours the CUSUM looks back over (recomputed from the history at every evaluation).
  int cusum_hours = 48;
  /// A finding needs observed >= min_ratio × expected: a rise too small to matter to anyone is
  /// not a surge, however significant in a busy series.
  double min_ratio = 1.5;
};

/// INVALID_ARGUMENT naming the first field out of range.
core::Status ValidateSurgeSettings(const SurgeSettings& settings);

/// Hourly contact counts of one series (one request category in one area), by hour index
/// (hour_index.h). Implementations are read-only views the caller fills (a ring of counts, the
/// replayed log, a test table).
class HourlyHistory {
 public:
  virtual ~HourlyHistory() = default;
  /// Contacts received in local hour `hour`. 0 for hours with no contacts.
  virtual int64_t Count(int64_t hour) const = 0;
  /// Hours of holidays or of days with a known outage in the area: left out of baselines (and of
  /// the day-so-far and CUSUM windows of the present, where they are explained). Hours before the
  /// history begins must be excluded too, or they count as weeks with no contacts.
  virtual bool Excluded(int64_t hour) const = 0;
};

/// Why a series was flagged: what was compared with what.
struct SurgeFinding {
  std::string method;   ///< "hour", "day" or "cusum"
  double observed = 0;  ///< contacts in the window (excluded hours of the window left out)
  double expected = 0;  ///< mean of the same window over the usable baseline weeks
  double score = 0;     ///< observed / expected
  double p_value = 1;   ///< upper-tail probability of `observed` under the baseline
  int64_t window_start_hour = 0;
  int64_t window_end_hour = 0;  ///< exclusive
  int baseline_weeks = 0;       ///< weeks actually used (fewest over the window's hours)
};

/// One line for people: "hour 2026-07-01 10:00–11:00: 14 contacts against 4.2 expected (same
/// hours of 3 past weeks), 3.3×, p = 2.1e-06". Times are local (UTC+8).
std::string Describe(const SurgeFinding& finding);

/// Evaluates series; holds only its settings. Thread-safe (const, no shared state).
class SurgeDetector {
 public:
  /// std::invalid_argument when ValidateSurgeSettings fails (misconfiguration fails fast).
  explicit SurgeDetector(SurgeSettings settings);

  const SurgeSettings& settings() const { return settings_; }

  /// Evaluates one category × area series at the end of `hour` (that hour is complete).
  /// Stateless: everything (including the CUSUM over the last cusum_hours) is recomputed from
  /// `history`, so a replay of the log reaches the same findings. nullopt: nothing unusual.
  /// When several tests fire, the finding is the one with the smallest p-value (ties: hour, day,
  /// cusum). The hour itself is tested even if excluded (a surge on a holiday is still one);
  /// whether a fault surge is explained by an open incident is the caller's decision.
  std::optional<SurgeFinding> Evaluate(const HourlyHistory& history, int64_t hour) const;

 private:
  SurgeSettings settings_;
};

}  // namespace gridcare::analytics
