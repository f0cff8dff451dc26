// History specs: validation, the pieces of randomness the generator shares, and random events
// (storms, holidays, surges) added to a spec.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <string>

#include "gridcare/synth/history.h"
#include "history_internal.h"
#include "random.h"

namespace gridcare::synth {
namespace internal {

double Exp(double x) {
  if (x < -745) return 0;
  if (x > 709) return std::numeric_limits<double>::infinity();
  // x = k ln2 + r with |r| <= ln2 / 2; ln2 split so that k × kLn2Hi is exact (fdlibm's constants).
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kInvLn2 = 1.44269504088896338700e+00;
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double sum = 1.0;  // Horner form of 1 + r + r²/2! + ... + r^18/18!
  for (int n = 18; n >= 1; --n) sum = 1.0 + r / n * sum;
  return std::ldexp(sum, static_cast<int>(k));
}

int64_t Poisson(Rng& rng, double mean) {
  int64_t count = 0;
  while (mean > 0) {
    const double piece = std::min(mean, 16.0);
    mean -= piece;
    const double limit = Exp(-piece);
    double product = rng.Unit();
    while (product > limit) {
      ++count;
      product *= rng.Unit();
    }
  }
  return count;
}

v1::Channel PickChannel(uint64_t bits) {
  static constexpr std::array<int, 5> kCumulative = {45, 55, 75, 95, 100};
  static constexpr std::array<v1::Channel, 5> kChannels = {
      v1::CHANNEL_HOTLINE_AGENT, v1::CHANNEL_HOTLINE_IVR, v1::CHANNEL_MOBILE_APP,
      v1::CHANNEL_WECHAT, v1::CHANNEL_WEB};
  return kChannels[PickWeighted(bits, kCumulative)];
}

std::string Dress(std::string_view phrase, bool english, uint64_t bits) {
  static constexpr std::array<const char*, 4> kZhBefore = {"", "", "你好，", "您好，"};
  static constexpr std::array<const char*, 6> kZhAfter = {
      "", "", "。", "，请尽快处理。", "，麻烦回个电话。", "，谢谢。"};
  static constexpr std::array<const char*, 4> kEnBefore = {"", "", "Hello, ", "Hi, "};
  static constexpr std::array<const char*, 5> kEnAfter = {"", ".", ". Please help.",
                                                          ". Please call me back.", ". Thanks."};
  const uint64_t before = bits % 4;
  const uint64_t after = (bits >> 8) % (english ? kEnAfter.size() : kZhAfter.size());
  std::string text = english ? kEnBefore[before] : kZhBefore[before];
  std::string body(phrase);
  // "Hello, the power ..." rather than "Hello, The power ...".
  if (english && !text.empty() && !body.empty() && body[0] >= 'A' && body[0] <= 'Z' &&
      !(body.size() > 1 && body[1] == ' ' && body[0] == 'I')) {
    body[0] = static_cast<char>(body[0] - 'A' + 'a');
  }
  text += body;
  text += english ? kEnAfter[after] : kZhAfter[after];
  return text;
}

}  // namespace internal

namespace {

using internal::HashKey;
using internal::Rng;

constexpr uint64_t kStreamEvents = 0x4849'5354'0010ULL;

int64_t UnixSeconds(core::TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

core::Status Invalid(const std::string& message) {
  return core::InvalidArgument("history spec: " + message);
}

core::Status CheckProfile(const char* field, const std::vector<double>& values, size_t size) {
  if (values.size() != size) {
    return Invalid(std::string(field) + " needs " + std::to_string(size) + " values");
  }
  double sum = 0;
  for (const double v : values) {
    if (!(v >= 0)) return Invalid(std::string(field) + " values must be >= 0");
    sum += v;
  }
  if (!(sum > 0)) return Invalid(std::string(field) + " must not be all 0");
  return {};
}

core::Status CheckShares(const HistorySpec& spec) {
  if (!(spec.day_noise >= 0 && spec.day_noise <= 1)) return Invalid("day_noise must be 0..1");
  if (!(spec.english_share >= 0 && spec.english_share <= 1)) {
    return Invalid("english_share must be 0..1");
  }
  if (!(spec.burst_phrase_share >= 0 && spec.burst_phrase_share <= 1)) {
    return Invalid("burst_phrase_share must be 0..1");
  }
  return {};
}

core::Status CheckSeries(const HistorySpec& spec) {
  if (spec.districts.empty()) return Invalid("districts must not be empty");
  if (spec.categories.empty()) return Invalid("categories must not be empty");
  std::set<std::string> ids;
  for (const auto& district : spec.districts) {
    if (district.id.empty() || !ids.insert(district.id).second) {
      return Invalid("district ids must be unique and not empty: '" + district.id + "'");
    }
    if (!(district.weight >= 0)) return Invalid("district " + district.id + ": weight < 0");
  }
  std::set<std::string> names;
  for (const auto& category : spec.categories) {
    if (category.name.empty() || !names.insert(category.name).second) {
      return Invalid("category names must be unique and not empty: '" + category.name + "'");
    }
    if (!(category.hourly_rate >= 0)) {
      return Invalid("category " + category.name + ": hourly_rate < 0");
    }
    if (category.phrases.empty()) return Invalid("category " + category.name + ": no phrases");
    if (!category.daily.empty()) {
      if (auto s = CheckProfile("category daily", category.daily, 24); !s) return s;
    }
  }
  return {};
}

bool KnownCategory(const HistorySpec& spec, const std::string& name, size_t* bursts) {
  for (const auto& category : spec.categories) {
    if (category.name == name) {
      *bursts = category.burst_phrases.size();
      return true;
    }
  }
  return false;
}

bool KnownDistrict(const HistorySpec& spec, const std::string& id) {
  return std::any_of(spec.districts.begin(), spec.districts.end(),
                     [&](const HistoryDistrict& d) { return d.id == id; });
}

core::Status CheckEvents(const HistorySpec& spec) {
  const int64_t begin = UnixSeconds(spec.start);
  const int64_t end = begin + int64_t{spec.weeks} * 7 * 86'400;
  const auto inside = [&](core::TimePoint t) {
    return UnixSeconds(t) >= begin && UnixSeconds(t) < end;
  };
  for (const auto& holiday : spec.holidays) {
    if (holiday.day < 0 || holiday.day >= spec.weeks * 7 || !(holiday.factor >= 0)) {
      return Invalid("holiday " + holiday.name + ": day outside the history or factor < 0");
    }
  }
  for (const auto& storm : spec.storms) {
    if (!KnownDistrict(spec, storm.district_id)) {
      return Invalid("storm: unknown district " + storm.district_id);
    }
    if (!inside(storm.start) || !(storm.hours > 0) || !(storm.peak_rate >= 0)) {
      return Invalid("storm " + storm.incident_id +
                     ": start outside the history, hours <= 0 or "
                     "peak_rate < 0");
    }
  }
  for (const auto& surge : spec.surges) {
    size_t bursts = 0;
    if (!KnownCategory(spec, surge.category, &bursts)) {
      return Invalid("surge: unknown category " + surge.category);
    }
    if (!KnownDistrict(spec, surge.district_id)) {
      return Invalid("surge: unknown district " + surge.district_id);
    }
    if (!inside(surge.start) || !(surge.hours > 0) || !(surge.multiplier >= 1) ||
        !(surge.ramp_hours >= 0 && surge.ramp_hours <= surge.hours) ||
        (surge.topic >= 0 && static_cast<size_t>(surge.topic) >= std::max<size_t>(bursts, 1))) {
      return Invalid("surge " + surge.category + "/" + surge.district_id +
                     ": start outside the history, hours <= 0, multiplier < 1, ramp_hours "
                     "outside 0..hours or topic out of range");
    }
  }
  return {};
}

}  // namespace

core::Status ValidateHistorySpec(const HistorySpec& spec) {
  if (spec.weeks < 1 || spec.weeks > 104) return Invalid("weeks must be 1..104");
  const auto since_epoch = spec.start.time_since_epoch();
  const int64_t local = UnixSeconds(spec.start) + int64_t{8} * 3600;
  if (since_epoch != std::chrono::floor<std::chrono::seconds>(since_epoch) || local % 3600 != 0 ||
      ((local / 3600) % 168 + 168 + 72) % 168 != 0) {
    return Invalid("start must be a Monday 00:00 local time (UTC+8)");
  }
  if (auto s = CheckSeries(spec); !s) return s;
  if (auto s = CheckProfile("daily", spec.daily, 24); !s) return s;
  if (auto s = CheckProfile("weekly", spec.weekly, 7); !s) return s;
  if (auto s = CheckShares(spec); !s) return s;
  return CheckEvents(spec);
}

namespace {

/// A start hour of the day drawn in proportion to `daily` (surges start when people call).
int PickHourOfDay(Rng& rng, const std::vector<double>& daily) {
  double total = 0;
  for (const double v : daily) total += v;
  double point = rng.Unit() * total;
  for (size_t h = 0; h < daily.size(); ++h) {
    point -= daily[h];
    if (point < 0) return static_cast<int>(h);
  }
  return static_cast<int>(daily.size()) - 1;
}

/// Whether [from, to) (unix seconds) touches a holiday or, in `district`, a storm ±24 h.
bool Clashes(const HistorySpec& spec, const std::string& district, int64_t from, int64_t to) {
  const int64_t begin = UnixSeconds(spec.start);
  for (const auto& holiday : spec.holidays) {
    const int64_t day = begin + int64_t{holiday.day} * 86'400;
    if (from < day + 86'400 && to > day) return true;
  }
  for (const auto& storm : spec.storms) {
    if (storm.district_id != district) continue;
    const int64_t start = UnixSeconds(storm.start) - 86'400;
    const int64_t end =
        UnixSeconds(storm.start) + static_cast<int64_t>(storm.hours * 3600) + 86'400;
    if (from < end && to > start) return true;
  }
  return false;
}

void AddHolidays(HistorySpec& spec, const RandomEventOptions& options, Rng& rng) {
  for (int h = 0; h < options.holidays; ++h) {
    const int week = (h + 1) * spec.weeks / (options.holidays + 1);
    const int day = week * 7 + static_cast<int>(rng.Below(5));
    if (day >= spec.weeks * 7) continue;
    spec.holidays.push_back({day, 0.5, "holiday-" + std::to_string(h + 1)});
  }
}

void AddStorms(HistorySpec& spec, const RandomEventOptions& options, Rng& rng) {
  double fault_rate = 0;
  for (const auto& category : spec.categories) {
    if (category.name == "fault_repair") fault_rate = category.hourly_rate;
  }
  const int days = spec.weeks * 7;
  for (int s = 0; s < options.storms && days > 2; ++s) {
    const HistoryDistrict& district = spec.districts[rng.Below(spec.districts.size())];
    HistoryStorm storm;
    storm.district_id = district.id;
    const int64_t day = rng.Between(1, days - 2);
    const int64_t minute = rng.Between(int64_t{13} * 60, int64_t{20} * 60);
    storm.start = spec.start + std::chrono::hours(24 * day) + std::chrono::minutes(minute);
    storm.hours = rng.Uniform(4, 10);
    storm.peak_rate =
        rng.Uniform(8, 15) * std::max(fault_rate, 1.0) * std::max(district.weight, 0.2);
    char id[32];
    std::snprintf(id, sizeof id, "INC-STORM-%02d", s + 1);
    storm.incident_id = id;
    spec.storms.push_back(storm);
  }
}

/// Tries to place surge `index` in series (category, district); false when no start fits.
bool PlaceSurge(HistorySpec& spec, const RandomEventOptions& options, size_t category,
                size_t district, int index, Rng& rng) {
  const HistoryCategory& c = spec.categories[category];
  const std::vector<double>& daily = c.daily.empty() ? spec.daily : c.daily;
  const int64_t begin = UnixSeconds(spec.start);
  const int64_t history_end = begin + int64_t{spec.weeks} * 7 * 86'400;
  const int first_day = std::clamp(options.first_surge_week, 0, spec.weeks - 1) * 7;
  for (int attempt = 0; attempt < 200; ++attempt) {
    HistorySurge surge;
    surge.category = c.name;
    surge.district_id = spec.districts[district].id;
    surge.hours = rng.Uniform(options.min_hours, options.max_hours);
    const int64_t day = rng.Between(first_day, spec.weeks * 7 - 1);
    const int64_t minute = int64_t{PickHourOfDay(rng, daily)} * 60 + rng.Between(0, 59);
    const int64_t from = begin + day * 86'400 + minute * 60;
    const auto to = from + static_cast<int64_t>(surge.hours * 3600);
    if (to > history_end || Clashes(spec, surge.district_id, from, to)) continue;
    surge.start = spec.start + std::chrono::seconds(from - begin);
    surge.multiplier = options.multipliers[static_cast<size_t>(index) % options.multipliers.size()];
    const bool ramp = (static_cast<size_t>(index) / options.multipliers.size()) % 2 == 1;
    surge.shape = ramp ? SurgeShape::kRamp : SurgeShape::kSudden;
    if (ramp) {
      surge.ramp_hours =
          std::min(rng.Uniform(options.min_ramp_hours, options.max_ramp_hours), surge.hours / 2);
    }
    spec.surges.push_back(surge);
    return true;
  }
  return false;
}

}  // namespace

void AddRandomEvents(HistorySpec& spec, const RandomEventOptions& options) {
  if (spec.districts.empty() || spec.categories.empty() || spec.weeks < 1) return;
  Rng rng(HashKey(spec.seed, kStreamEvents));
  AddHolidays(spec, options, rng);
  AddStorms(spec, options, rng);
  if (options.multipliers.empty()) return;
  // Series in a seeded order; each gets at most one surge.
  std::vector<std::pair<size_t, size_t>> series;
  for (size_t c = 0; c < spec.categories.size(); ++c) {
    for (size_t d = 0; d < spec.districts.size(); ++d) {
      if (spec.categories[c].hourly_rate * spec.districts[d].weight >= options.min_series_rate) {
        series.emplace_back(c, d);
      }
    }
  }
  for (size_t i = 0; i + 1 < series.size(); ++i) {
    std::swap(series[i], series[i + rng.Below(series.size() - i)]);
  }
  int placed = 0;
  for (const auto& [category, district] : series) {
    if (placed >= options.surges) break;
    if (PlaceSurge(spec, options, category, district, placed, rng)) ++placed;
  }
}

}  // namespace gridcare::synth
