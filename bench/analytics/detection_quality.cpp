// gridcare-detection-quality: how well the surge detector (services/analytics/surge_detector.h)
// finds injected surges in a generated request history, and how often it warns about nothing.
//
// For each seed: generates --weeks of contacts (libs/synth history.h: 12 categories × --districts
// districts, daily and weekly seasonality, day-to-day wobble, holidays, storms and --surges
// injected surges of 2..6× their series' usual rate, half sudden and half ramping up), buckets
// them into hourly counts per category × district, runs SurgeDetector at the end of every hour
// after the first --baseline-weeks weeks, and scores the findings against the ground truth
// (quality.h): recall per surge size and overall, false warnings per week per 100 series, median
// detection delay. Then the same over all seeds together, against the goals of issue 15
// (recall >= 0.9, <= 1 false warning per week per 100 series, median delay <= 1 h at 3×).
// Beside each delay it prints an oracle's (quality.h): a Poisson test that knows the true usual
// rate, as a yardstick of what the data allow.
//
//   build/bin/gridcare-detection-quality                  # seeds 1, 2, 3
//   build/bin/gridcare-detection-quality --seed 101 --seeds 3 --list
//
// Exit status: 0 after printing (whether or not the goals are met), 2 on bad options.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "gridcare/synth/history.h"
#include "hour_index.h"
#include "quality.h"
#include "surge_detector.h"

namespace gridcare::bench::analytics {
namespace {

using gridcare::analytics::SurgeDetector;
using gridcare::analytics::SurgeSettings;
using SteadyClock = std::chrono::steady_clock;

struct Options {
  uint64_t seed = 1;
  int seeds = 3;
  int weeks = 8;
  int baseline_weeks = 4;
  int districts = 20;
  int surges = 60;
  int storms = 4;
  int holidays = 2;
  double min_series_rate = 0.5;
  double volume = 1;
  double day_noise = 0.1;
  bool list = false;
  std::string trace;  // "category/district": print that series hour by hour around its surges
  SurgeSettings settings;
};

synth::History MakeHistory(const Options& options, uint64_t seed, synth::HistorySpec& spec) {
  spec = synth::DefaultHistorySpec({.seed = seed,
                                    .weeks = options.weeks,
                                    .districts = options.districts,
                                    .volume = options.volume});
  spec.day_noise = options.day_noise;
  synth::AddRandomEvents(spec, {.surges = options.surges,
                                .first_surge_week = options.baseline_weeks,
                                .min_series_rate = options.min_series_rate,
                                .storms = options.storms,
                                .holidays = options.holidays});
  auto history = synth::GenerateHistory(spec);
  if (!history) {
    std::fprintf(stderr, "gridcare-detection-quality: %s\n", history.error().ToString().c_str());
    std::exit(2);
  }
  return std::move(history).value();
}

/// One test alone: the settings with the other two unable to fire.
SurgeSettings OnlyMethod(SurgeSettings s, const std::string& method) {
  constexpr double kOff = std::numeric_limits<double>::min();
  if (method != "hour") s.hour_alpha = kOff;
  if (method != "day") s.day_alpha = kOff;
  if (method != "cusum") s.cusum_alpha = kOff;
  return s;
}

void Trace(const Options& options, const synth::History& history,
           const std::vector<Series>& series) {
  for (const auto& surge : history.surges) {
    const auto& category = history.categories[static_cast<size_t>(surge.category)].name;
    const auto& district = history.districts[static_cast<size_t>(surge.district)].id;
    if (category + "/" + district != options.trace) continue;
    const auto& one = series[static_cast<size_t>(surge.category) * history.districts.size() +
                             static_cast<size_t>(surge.district)];
    const int64_t from = gridcare::analytics::HourIndexOf(surge.spec.start) - 24;
    const int64_t to = gridcare::analytics::HourIndexOf(surge.end) + 24;
    std::printf(
        "  trace %s (usual %.2f/h): %gx surge for %.1f h from hour +0. Columns: hour "
        "relative to the surge's start hour, local hour, count | the same hour 1..%d weeks "
        "back | each test alone with alpha 1 (observed/expected p; * = a finding at the "
        "configured alpha)\n",
        options.trace.c_str(), one.rate, surge.spec.multiplier, surge.spec.hours,
        options.settings.baseline_weeks);
    for (int64_t hour = from; hour <= to; ++hour) {
      std::printf("  %+4lld h%02d %3lld |", static_cast<long long>(hour - from - 24),
                  gridcare::analytics::HourOfDay(hour),
                  static_cast<long long>(one.history.Count(hour)));
      for (int w = 1; w <= options.settings.baseline_weeks; ++w) {
        std::printf(" %2lld", static_cast<long long>(one.history.Count(hour - int64_t{168} * w)));
      }
      for (const char* method : {"hour", "day", "cusum"}) {
        const SurgeDetector only(OnlyMethod(options.settings, method));
        SurgeSettings loose = OnlyMethod(options.settings, method);
        if (std::string(method) == "hour") loose.hour_alpha = 1;
        if (std::string(method) == "day") loose.day_alpha = 1;
        if (std::string(method) == "cusum") loose.cusum_alpha = 1;
        const auto finding = SurgeDetector(loose).Evaluate(one.history, hour);
        if (finding) {
          std::printf(" | %s %.0f/%.1f p=%.1e%s", method, finding->observed, finding->expected,
                      finding->p_value, only.Evaluate(one.history, hour) ? " *" : "");
        } else {
          std::printf(" | %s -", method);
        }
      }
      std::printf("\n");
    }
  }
}

RunResult RunSeed(const Options& options, uint64_t seed) {
  const auto started = SteadyClock::now();
  synth::HistorySpec spec;
  const synth::History history = MakeHistory(options, seed, spec);
  std::vector<std::vector<char>> excluded;
  const std::vector<Series> series = BucketSeries(history, excluded);
  if (!options.trace.empty()) Trace(options, history, series);
  const SurgeDetector detector(options.settings);
  const int64_t first = gridcare::analytics::HourIndexOf(history.start);
  RunResult result;
  result.seed = seed;
  result.series = series.size();
  result.evaluated_weeks = options.weeks - options.baseline_weeks;
  std::vector<RaisedFinding> findings;
  for (int week = options.baseline_weeks; week < options.weeks; ++week) {
    for (size_t s = 0; s < series.size(); ++s) {
      for (int64_t hour = first + int64_t{week} * 168; hour < first + int64_t{week + 1} * 168;
           ++hour) {
        ++result.evaluations;
        if (auto finding = detector.Evaluate(series[s].history, hour)) {
          findings.push_back({s, hour, std::move(*finding)});
        }
      }
    }
    std::printf("  seed %" PRIu64
                " week %d/%d: %zu series evaluated, %zu findings so far, %.1f s\n",
                seed, week + 1, options.weeks, series.size(), findings.size(),
                std::chrono::duration<double>(SteadyClock::now() - started).count());
    std::fflush(stdout);
  }
  Score(history, series, findings, result);
  OracleDelays(spec, history, series, result);
  result.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  if (options.list) {
    for (const auto& s : result.surges) {
      std::printf("    surge %s  %-28s oracle %.2f h\n", s.label.c_str(),
                  s.detected ? ("found after " + std::to_string(s.delay_hours).substr(0, 4) +
                                " h by " + s.first_method)
                                   .c_str()
                             : "MISSED",
                  s.oracle_delay_hours);
    }
    for (const auto& f : result.false_warnings) {
      const auto& one = series[f.series];
      std::printf("    false warning %s %s: %s\n",
                  history.categories[static_cast<size_t>(one.category)].name.c_str(),
                  history.districts[static_cast<size_t>(one.district)].id.c_str(),
                  gridcare::analytics::Describe(f.finding).c_str());
    }
  }
  return result;
}

struct Tally {
  int found = 0;
  int total = 0;
  void Add(bool detected) {
    ++total;
    if (detected) ++found;
  }
  double Rate() const { return total > 0 ? static_cast<double>(found) / total : 0; }
  std::string Text() const {
    char text[48];
    std::snprintf(text, sizeof text, "%.2f (%d/%d)", Rate(), found, total);
    return text;
  }
};

/// Median delay over the surges of one size (and shape: 0 sudden, 1 ramp, -1 both), a miss
/// counting as infinitely late.
double MedianDelay(const std::vector<RunResult>& runs, double multiplier, int shape, Tally& tally,
                   bool oracle = false) {
  std::vector<double> delays;
  for (const auto& run : runs) {
    for (const auto& s : run.surges) {
      if (s.multiplier != multiplier || (shape >= 0 && s.ramp != (shape == 1))) continue;
      tally.Add(s.detected);
      if (oracle) {
        delays.push_back(s.oracle_delay_hours);
      } else {
        delays.push_back(s.detected ? s.delay_hours : std::numeric_limits<double>::infinity());
      }
    }
  }
  if (delays.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(delays.begin(), delays.end());
  const size_t n = delays.size();
  return n % 2 == 1 ? delays[n / 2] : (delays[n / 2 - 1] + delays[n / 2]) / 2;
}

void PrintDelayByRate(const std::vector<RunResult>& runs, double multiplier);

struct Figures {
  double recall = 0;
  double false_rate = 0;
  double delay_3x = 0;
};

Figures Report(const std::vector<RunResult>& runs, const char* title) {
  std::map<double, Tally> by_size;
  std::map<double, Tally> oracle_by_size;
  Tally all;
  Tally sudden;
  Tally ramp;
  std::map<std::string, Tally> by_rate;
  size_t false_warnings = 0;
  double series_weeks = 0;
  int64_t findings = 0;
  int64_t explained = 0;
  for (const auto& run : runs) {
    for (const auto& s : run.surges) {
      by_size[s.multiplier].Add(s.detected);
      oracle_by_size[s.multiplier].Add(std::isfinite(s.oracle_delay_hours));
      all.Add(s.detected);
      (s.ramp ? ramp : sudden).Add(s.detected);
      by_rate[s.series_rate < 1 ? "< 1/h" : s.series_rate < 3 ? "1-3/h" : ">= 3/h"].Add(s.detected);
    }
    false_warnings += run.false_warnings.size();
    series_weeks += static_cast<double>(run.series) * run.evaluated_weeks;
    findings += run.findings;
    explained += run.explained_findings;
  }
  std::printf("\n== %s\n", title);
  std::printf("recall by size:");
  for (const auto& [size, tally] : by_size) std::printf("  %gx %s", size, tally.Text().c_str());
  std::printf("\noracle recall by size (kOracleAlpha, true rates):");
  for (const auto& [size, tally] : oracle_by_size) {
    std::printf("  %gx %s", size, tally.Text().c_str());
  }
  std::printf("\nrecall: all %s, sudden %s, ramp %s\n", all.Text().c_str(), sudden.Text().c_str(),
              ramp.Text().c_str());
  std::printf("recall by the series' usual rate:");
  for (const auto& [band, tally] : by_rate) {
    std::printf("  %s %s", band.c_str(), tally.Text().c_str());
  }
  Figures figures;
  figures.recall = all.Rate();
  figures.false_rate =
      series_weeks > 0 ? static_cast<double>(false_warnings) * 100 / series_weeks : 0;
  std::printf(
      "\nfalse warnings: %zu over %.0f series-weeks = %.2f per week per 100 series "
      "(findings %" PRId64 ", explained by a surge or storm %" PRId64 ")\n",
      false_warnings, series_weeks, figures.false_rate, findings, explained);
  for (const auto& [size, tally] : by_size) {
    Tally both;
    Tally sudden_found;
    Tally ramp_found;
    const double median = MedianDelay(runs, size, -1, both);
    const double sudden_median = MedianDelay(runs, size, 0, sudden_found);
    const double ramp_median = MedianDelay(runs, size, 1, ramp_found);
    Tally ignored;
    const double oracle = MedianDelay(runs, size, 0, ignored, true);
    if (size == 3) figures.delay_3x = sudden_median;
    std::printf(
        "median delay %gx: sudden %.2f h (%d/%d found; oracle %.2f h), ramp %.2f h "
        "(%d/%d), all %.2f h\n",
        size, sudden_median, sudden_found.found, sudden_found.total, oracle, ramp_median,
        ramp_found.found, ramp_found.total, median);
  }
  PrintDelayByRate(runs, 3);
  return figures;
}

/// Median delay of the sudden surges of one size by their series' usual rate.
void PrintDelayByRate(const std::vector<RunResult>& runs, double multiplier) {
  std::map<std::string, std::vector<double>> bands;
  for (const auto& run : runs) {
    for (const auto& s : run.surges) {
      if (s.multiplier != multiplier || s.ramp) continue;
      const char* band = s.series_rate < 1 ? "< 1/h" : s.series_rate < 3 ? "1-3/h" : ">= 3/h";
      bands[band].push_back(s.detected ? s.delay_hours : std::numeric_limits<double>::infinity());
    }
  }
  std::printf("median delay of sudden %gx surges by the series' usual rate:", multiplier);
  for (auto& [band, delays] : bands) {
    std::sort(delays.begin(), delays.end());
    const size_t n = delays.size();
    const double median = n % 2 == 1 ? delays[n / 2] : (delays[n / 2 - 1] + delays[n / 2]) / 2;
    std::printf("  %s %.2f h (%zu)", band.c_str(), median, n);
  }
  std::printf("\n");
}

void PrintSettings(const SurgeSettings& s) {
  std::printf(
      "settings: baseline_weeks %d, min_baseline_weeks %d, min_count %d, hour_alpha %g, "
      "day_alpha %g, cusum_alpha %g, dispersion %g, min_expected %g, cusum_k %g, cusum_h %g, "
      "cusum_hours %d, min_ratio %g\n",
      s.baseline_weeks, s.min_baseline_weeks, s.min_count, s.hour_alpha, s.day_alpha, s.cusum_alpha,
      s.dispersion, s.min_expected, s.cusum_k, s.cusum_h, s.cusum_hours, s.min_ratio);
}

void AddOptions(CLI::App& app, Options& o) {
  app.add_option("--seed", o.seed, "First seed")->capture_default_str();
  app.add_option("--seeds", o.seeds, "Seeds to run: --seed, --seed + 1, ...")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--weeks", o.weeks, "Weeks of history")
      ->capture_default_str()
      ->check(CLI::Range(2, 104));
  app.add_option("--baseline-weeks", o.baseline_weeks,
                 "Weeks before the first evaluated hour (no surges there)")
      ->capture_default_str()
      ->check(CLI::Range(1, 103));
  app.add_option("--districts", o.districts, "Districts (series = 12 categories x districts)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--surges", o.surges, "Injected surges per seed (2..6x, half sudden, half ramp)")
      ->capture_default_str();
  app.add_option("--storms", o.storms, "Storms per seed")->capture_default_str();
  app.add_option("--holidays", o.holidays, "Holidays per seed")->capture_default_str();
  app.add_option("--min-series-rate", o.min_series_rate,
                 "Only series with at least this many contacts an hour (weekly mean) get surges")
      ->capture_default_str();
  app.add_option("--volume", o.volume, "Scale of every series' rate")->capture_default_str();
  app.add_option("--day-noise", o.day_noise, "Day-to-day wobble of every series (sd)")
      ->capture_default_str();
  app.add_flag("--list", o.list, "List every surge (found or missed) and every false warning");
  app.add_option("--trace", o.trace,
                 "CATEGORY/DISTRICT (e.g. billing/DIST-007): print that series hour by hour, with "
                 "what each test says, from a day before its surge to a day after");
  SurgeSettings& s = o.settings;
  app.add_option("--hour-alpha", s.hour_alpha, "SurgeSettings.hour_alpha")->capture_default_str();
  app.add_option("--day-alpha", s.day_alpha, "SurgeSettings.day_alpha")->capture_default_str();
  app.add_option("--cusum-alpha", s.cusum_alpha, "SurgeSettings.cusum_alpha")
      ->capture_default_str();
  app.add_option("--dispersion", s.dispersion, "SurgeSettings.dispersion")->capture_default_str();
  app.add_option("--min-expected", s.min_expected, "SurgeSettings.min_expected")
      ->capture_default_str();
  app.add_option("--min-count", s.min_count, "SurgeSettings.min_count")->capture_default_str();
  app.add_option("--min-ratio", s.min_ratio, "SurgeSettings.min_ratio")->capture_default_str();
  app.add_option("--cusum-k", s.cusum_k, "SurgeSettings.cusum_k")->capture_default_str();
  app.add_option("--cusum-h", s.cusum_h, "SurgeSettings.cusum_h")->capture_default_str();
  app.add_option("--cusum-hours", s.cusum_hours, "SurgeSettings.cusum_hours")
      ->capture_default_str();
}

}  // namespace
}  // namespace gridcare::bench::analytics

int main(int argc, char** argv) {
  using namespace gridcare::bench::analytics;
  Options options;
  CLI::App app{
      "gridcare-detection-quality: recall, false warnings per week per 100 series and detection "
      "delay of the surge detector on generated request histories with injected surges (issue "
      "15). Defaults: 8 weeks (4 baseline, 4 evaluated), 12 categories x 20 districts = 240 "
      "series, 60 surges of 2..6x per seed, seeds 1..3. Detector options default to "
      "SurgeSettings{}."};
  AddOptions(app, options);
  CLI11_PARSE(app, argc, argv);
  if (options.baseline_weeks >= options.weeks) {
    std::fprintf(stderr, "gridcare-detection-quality: --baseline-weeks must be < --weeks\n");
    return 2;
  }
  if (auto status = gridcare::analytics::ValidateSurgeSettings(options.settings); !status) {
    std::fprintf(stderr, "gridcare-detection-quality: %s\n", status.error().message.c_str());
    return 2;
  }
  PrintSettings(options.settings);
  std::vector<RunResult> runs;
  for (int i = 0; i < options.seeds; ++i) {
    const uint64_t seed = options.seed + static_cast<uint64_t>(i);
    runs.push_back(RunSeed(options, seed));
    const std::string title = "seed " + std::to_string(seed) + ": " +
                              std::to_string(runs.back().series) + " series, " +
                              std::to_string(runs.back().surges.size()) + " surges, " +
                              std::to_string(runs.back().evaluated_weeks) + " weeks evaluated";
    Report({runs.back()}, title.c_str());
  }
  if (runs.size() > 1) {
    const Figures all = Report(runs, ("all " + std::to_string(runs.size()) + " seeds").c_str());
    std::printf(
        "\ngoals (all seeds): recall %.2f %s 0.9; false warnings %.2f %s 1 per week per "
        "100 series; median delay of sudden 3x surges %.2f h %s 1 h\n",
        all.recall, all.recall >= 0.9 ? ">=" : "< (MISSED)", all.false_rate,
        all.false_rate <= 1 ? "<=" : "> (MISSED)", all.delay_3x,
        all.delay_3x <= 1 ? "<=" : "> (MISSED)");
  }
  return 0;
}
