#include "quality.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "count_tests.h"
#include "hour_index.h"

namespace gridcare::bench::analytics {
namespace {

using gridcare::analytics::DayOf;
using gridcare::analytics::FirstHourOfDay;
using gridcare::analytics::HourIndexOf;
using gridcare::analytics::StartOfHour;

/// The hours [first, last] a window of time touches (last inclusive).
struct HourSpan {
  int64_t first = 0;
  int64_t last = 0;
  bool Overlaps(int64_t start, int64_t end_exclusive) const {
    return start <= last && end_exclusive > first;
  }
};

HourSpan SpanOf(core::TimePoint start, core::TimePoint end) {
  return {HourIndexOf(start), HourIndexOf(end - std::chrono::milliseconds(1))};
}

std::string LabelOf(const synth::History& history, const synth::SurgeTruth& s) {
  const auto hour = HourIndexOf(s.spec.start);
  const auto minute =
      std::chrono::floor<std::chrono::minutes>(s.spec.start - StartOfHour(hour)).count();
  const auto date =
      std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{DayOf(hour)}}};
  char text[160];
  std::snprintf(text, sizeof text, "%-16s %s %04d-%02u-%02u %02d:%02lld %gx %-6s %4.1fh",
                history.categories[static_cast<size_t>(s.category)].name.c_str(),
                history.districts[static_cast<size_t>(s.district)].id.c_str(),
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), gridcare::analytics::HourOfDay(hour),
                static_cast<long long>(minute), s.spec.multiplier,
                s.spec.shape == synth::SurgeShape::kRamp ? "ramp" : "sudden", s.spec.hours);
  return text;
}

}  // namespace

std::vector<Series> BucketSeries(const synth::History& history,
                                 std::vector<std::vector<char>>& excluded_by_district) {
  const int64_t first_hour = HourIndexOf(history.start);
  const auto hours = static_cast<size_t>(HourIndexOf(history.end) - first_hour);
  const size_t districts = history.districts.size();
  excluded_by_district.assign(districts, std::vector<char>(hours, 0));
  const auto exclude_days = [&](size_t d, int64_t from_hour, int64_t to_hour) {
    const int64_t from = FirstHourOfDay(DayOf(from_hour)) - first_hour;
    const int64_t to = FirstHourOfDay(DayOf(to_hour) + 1) - first_hour;
    for (int64_t h = std::max<int64_t>(from, 0); h < std::min(to, static_cast<int64_t>(hours));
         ++h) {
      excluded_by_district[d][static_cast<size_t>(h)] = 1;
    }
  };
  for (const auto& holiday : history.holidays) {
    const HourSpan span = SpanOf(holiday.start, holiday.end);
    for (size_t d = 0; d < districts; ++d) exclude_days(d, span.first, span.last);
  }
  for (const auto& storm : history.storms) {
    const HourSpan span = SpanOf(storm.spec.start, storm.end);
    exclude_days(static_cast<size_t>(storm.district), span.first, span.last);
  }
  std::vector<std::vector<int32_t>> counts(history.categories.size() * districts,
                                           std::vector<int32_t>(hours, 0));
  for (const auto& contact : history.contacts) {
    const size_t s =
        static_cast<size_t>(contact.category) * districts + static_cast<size_t>(contact.district);
    ++counts[s][static_cast<size_t>(HourIndexOf(contact.received_at) - first_hour)];
  }
  std::vector<Series> series;
  for (size_t c = 0; c < history.categories.size(); ++c) {
    for (size_t d = 0; d < districts; ++d) {
      const double rate = history.categories[c].hourly_rate * history.districts[d].weight;
      series.push_back({static_cast<int32_t>(c), static_cast<int32_t>(d), rate,
                        SeriesHistory(first_hour, std::move(counts[c * districts + d]),
                                      &excluded_by_district[d])});
    }
  }
  return series;
}

void Score(const synth::History& history, const std::vector<Series>& series,
           const std::vector<RaisedFinding>& findings, RunResult& result) {
  const size_t districts = history.districts.size();
  std::vector<std::vector<HourSpan>> surge_spans(series.size());
  for (const auto& s : history.surges) {
    const size_t index =
        static_cast<size_t>(s.category) * districts + static_cast<size_t>(s.district);
    surge_spans[index].push_back(SpanOf(s.spec.start, s.end));
  }
  std::vector<std::vector<HourSpan>> storm_spans(districts);
  for (const auto& s : history.storms) {
    storm_spans[static_cast<size_t>(s.district)].push_back(SpanOf(s.spec.start, s.end));
  }
  std::vector<RaisedFinding> sorted = findings;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.series != b.series ? a.series < b.series : a.hour < b.hour;
  });
  result.findings = static_cast<int64_t>(sorted.size());
  std::vector<int64_t> last_false(series.size(), INT64_MIN / 2);
  for (const auto& raised : sorted) {
    const auto& f = raised.finding;
    const auto overlaps = [&](const std::vector<HourSpan>& spans) {
      return std::any_of(spans.begin(), spans.end(), [&](const HourSpan& span) {
        return span.Overlaps(f.window_start_hour, f.window_end_hour);
      });
    };
    const auto district = static_cast<size_t>(series[raised.series].district);
    if (overlaps(surge_spans[raised.series]) || overlaps(storm_spans[district])) {
      ++result.explained_findings;
      continue;
    }
    if (raised.hour - last_false[raised.series] >= 24) result.false_warnings.push_back(raised);
    last_false[raised.series] = raised.hour;
  }
  for (const auto& s : history.surges) {
    SurgeOutcome outcome;
    const size_t index =
        static_cast<size_t>(s.category) * districts + static_cast<size_t>(s.district);
    outcome.multiplier = s.spec.multiplier;
    outcome.ramp = s.spec.shape == synth::SurgeShape::kRamp;
    outcome.series_rate = series[index].rate;
    outcome.label = LabelOf(history, s);
    const HourSpan span = SpanOf(s.spec.start, s.end);
    for (const auto& raised : sorted) {
      if (raised.series != index || raised.hour < span.first || raised.hour > span.last) continue;
      outcome.detected = true;
      outcome.first_method = raised.finding.method;
      outcome.delay_hours = std::chrono::duration<double, std::ratio<3600>>(
                                StartOfHour(raised.hour + 1) - s.spec.start)
                                .count();
      break;
    }
    result.surges.push_back(outcome);
  }
}

namespace {

std::vector<double> Normalized(const std::vector<double>& profile) {
  double sum = 0;
  for (const double v : profile) sum += v;
  std::vector<double> out(profile);
  for (double& v : out) v = v * static_cast<double>(profile.size()) / sum;
  return out;
}

}  // namespace

void OracleDelays(const synth::HistorySpec& spec, const synth::History& history,
                  const std::vector<Series>& series, RunResult& result) {
  const size_t districts = history.districts.size();
  const std::vector<double> weekly = Normalized(spec.weekly);
  const int64_t first_hour = HourIndexOf(history.start);
  for (size_t i = 0; i < history.surges.size(); ++i) {
    const auto& s = history.surges[i];
    const auto& category = spec.categories[static_cast<size_t>(s.category)];
    const std::vector<double> daily =
        Normalized(category.daily.empty() ? spec.daily : category.daily);
    const double base =
        category.hourly_rate * spec.districts[static_cast<size_t>(s.district)].weight;
    const auto& one =
        series[static_cast<size_t>(s.category) * districts + static_cast<size_t>(s.district)];
    const HourSpan span = SpanOf(s.spec.start, s.end);
    double observed = 0;
    double expected = 0;
    double delay = std::numeric_limits<double>::infinity();
    for (int64_t hour = span.first; hour <= span.last; ++hour) {
      const int64_t offset = hour - first_hour;
      observed += static_cast<double>(one.history.Count(hour));
      expected += base * daily[static_cast<size_t>(offset % 24)] *
                  weekly[static_cast<size_t>((offset / 24) % 7)];
      if (gridcare::analytics::PoissonUpperTail(std::llround(observed), expected) < kOracleAlpha) {
        delay =
            std::chrono::duration<double, std::ratio<3600>>(StartOfHour(hour + 1) - s.spec.start)
                .count();
        break;
      }
    }
    result.surges[i].oracle_delay_hours = delay;
  }
}

}  // namespace gridcare::bench::analytics
