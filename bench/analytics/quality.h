#pragma once

// Detection quality of the surge detector (services/analytics/surge_detector.h) on a generated
// request history (libs/synth history.h): the series, the replay of the detector over the
// evaluated weeks, and the scoring against the injected ground truth.
//
// Scoring rules (docs/services/analytics.md, "Detection quality"):
//  - a finding *detects* a surge when it is in the surge's series and was raised at the end of an
//    hour inside the surge's window (from the hour it starts in to the hour it ends in); recall is
//    the share of surges with at least one;
//  - a finding is *explained* when its window (the hours it compared) overlaps an injected surge
//    of its series, or a storm of its district; every other finding is a *false warning*, and the
//    false warnings of one series count once per run of findings less than 24 h apart;
//  - delay = end of the first detecting hour − the surge's start, in hours (a surge starting at
//    10:20 found at the end of 10:00-11:00 has a delay of 0.67 h); median over all surges of a
//    size, a missed surge counting as infinitely late.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gridcare/synth/history.h"
#include "surge_detector.h"

namespace gridcare::bench::analytics {

/// Hourly counts of one category × district series, and what its baselines must leave out.
class SeriesHistory final : public gridcare::analytics::HourlyHistory {
 public:
  SeriesHistory(int64_t first_hour, std::vector<int32_t> counts, const std::vector<char>* excluded)
      : first_hour_(first_hour), counts_(std::move(counts)), excluded_(excluded) {}

  int64_t Count(int64_t hour) const override {
    const int64_t i = hour - first_hour_;
    return i >= 0 && i < static_cast<int64_t>(counts_.size()) ? counts_[static_cast<size_t>(i)] : 0;
  }
  /// Before the history began (no data), holidays, and days of a storm in the district.
  bool Excluded(int64_t hour) const override {
    const int64_t i = hour - first_hour_;
    if (i < 0 || i >= static_cast<int64_t>(counts_.size())) return true;
    return (*excluded_)[static_cast<size_t>(i)] != 0;
  }

 private:
  int64_t first_hour_;
  std::vector<int32_t> counts_;
  const std::vector<char>* excluded_;  // per hour of the history, shared by a district's series
};

struct Series {
  int32_t category = 0;
  int32_t district = 0;
  double rate = 0;  ///< usual contacts per hour (weekly mean)
  SeriesHistory history;
};

struct RaisedFinding {
  size_t series = 0;
  int64_t hour = 0;  ///< evaluated at the end of this hour
  gridcare::analytics::SurgeFinding finding;
};

struct SurgeOutcome {
  double multiplier = 0;
  bool ramp = false;
  double series_rate = 0;
  bool detected = false;
  double delay_hours = 0;  ///< when detected
  std::string first_method;
  /// The same delay for an oracle that knows the series' true usual rate (no baseline estimate,
  /// no day wobble) and tests the counts since the surge began with a Poisson tail at
  /// kOracleAlpha: what the data allow, as a yardstick for the detector. Infinite when never.
  double oracle_delay_hours = 0;
  std::string label;  ///< "billing DIST-007 2026-03-30 10:20 3x sudden 24h"
};

struct RunResult {
  uint64_t seed = 0;
  size_t series = 0;
  int evaluated_weeks = 0;
  int64_t evaluations = 0;
  int64_t findings = 0;
  int64_t explained_findings = 0;
  std::vector<SurgeOutcome> surges;
  std::vector<RaisedFinding> false_warnings;  ///< the first finding of each counted run
  double seconds = 0;
};

/// The series of `history` (one per category × district, in that order), bucketed by local hour.
std::vector<Series> BucketSeries(const synth::History& history,
                                 std::vector<std::vector<char>>& excluded_by_district);

inline constexpr double kOracleAlpha = 1e-5;

/// Fills SurgeOutcome::oracle_delay_hours of result.surges (after Score).
void OracleDelays(const synth::HistorySpec& spec, const synth::History& history,
                  const std::vector<Series>& series, RunResult& result);

/// Scores the findings raised over the evaluated hours against the history's ground truth.
void Score(const synth::History& history, const std::vector<Series>& series,
           const std::vector<RaisedFinding>& findings, RunResult& result);

}  // namespace gridcare::bench::analytics
