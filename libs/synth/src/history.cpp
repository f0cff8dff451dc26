#include "gridcare/synth/history.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include "gridcare/synth/utility.h"
#include "history_internal.h"
#include "random.h"

namespace gridcare::synth {
namespace {

using internal::HashKey;
using internal::Rng;
using std::chrono::duration_cast;
using std::chrono::seconds;

// Random streams of the history generator (disjoint from random.h's, which count from 1).
constexpr uint64_t kStreamSeries = 0x4849'5354'0001ULL;
constexpr uint64_t kStreamWobble = 0x4849'5354'0002ULL;
constexpr uint64_t kStreamSurge = 0x4849'5354'0003ULL;
constexpr uint64_t kStreamStorm = 0x4849'5354'0004ULL;

constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kStepSeconds = 300;  // surges and storms are drawn in 5-minute steps

int64_t UnixSeconds(core::TimePoint t) {
  return std::chrono::floor<seconds>(t.time_since_epoch()).count();
}

/// Whole milliseconds, as timestamps travel on the wire.
core::TimePoint FromSeconds(double unix_seconds) {
  const auto millis = static_cast<int64_t>(std::floor(unix_seconds * 1000.0));
  return core::TimePoint(duration_cast<core::Duration>(std::chrono::milliseconds(millis)));
}

/// Normalizes `profile` to mean 1.
std::vector<double> Normalized(const std::vector<double>& profile) {
  double sum = 0;
  for (const double v : profile) sum += v;
  std::vector<double> out(profile);
  for (double& v : out) v = v * static_cast<double>(profile.size()) / sum;
  return out;
}

/// The rate model of one generated history: everything GenerateHistory needs per series and hour.
class RateModel {
 public:
  explicit RateModel(const HistorySpec& spec)
      : spec_(spec),
        weekly_(Normalized(spec.weekly)),
        start_seconds_(UnixSeconds(spec.start)),
        holiday_factor_(static_cast<size_t>(spec.weeks) * 7, 1.0) {
    for (const auto& category : spec.categories) {
      daily_.push_back(Normalized(category.daily.empty() ? spec.daily : category.daily));
    }
    for (const auto& holiday : spec.holidays) {
      holiday_factor_[static_cast<size_t>(holiday.day)] = holiday.factor;
    }
  }

  int64_t hours() const { return int64_t{spec_.weeks} * 168; }
  int64_t start_seconds() const { return start_seconds_; }

  /// Expected contacts per hour of series (c, d) in hour `hour` after the start.
  double Rate(size_t c, size_t d, int64_t hour) const {
    const auto day = static_cast<size_t>(hour / 24);
    return spec_.categories[c].hourly_rate * spec_.districts[d].weight *
           daily_[c][static_cast<size_t>(hour % 24)] * weekly_[day % 7] * holiday_factor_[day] *
           Wobble(c, d, day);
  }
  /// The rate at an instant (its hour's rate), 0 outside the history.
  double RateAt(size_t c, size_t d, double unix_seconds) const {
    const auto hour =
        static_cast<int64_t>(std::floor((unix_seconds - static_cast<double>(start_seconds_)) /
                                        static_cast<double>(kSecondsPerHour)));
    if (hour < 0 || hour >= hours()) return 0;
    return Rate(c, d, hour);
  }

 private:
  /// Mean-1 day-to-day wobble of one series: 1 + day_noise × (an Irwin-Hall normal, sd 1).
  double Wobble(size_t c, size_t d, size_t day) const {
    if (spec_.day_noise <= 0) return 1;
    Rng rng(HashKey(spec_.seed, kStreamWobble, c * 65'536 + d, day));
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += rng.Unit();
    return std::max(0.05, 1.0 + spec_.day_noise * (sum - 6.0));
  }

  const HistorySpec& spec_;
  std::vector<std::vector<double>> daily_;
  std::vector<double> weekly_;
  int64_t start_seconds_;
  std::vector<double> holiday_factor_;
};

/// Fills in what every contact has: channel, language, text, caller.
class ContactMaker {
 public:
  explicit ContactMaker(const HistorySpec& spec) : spec_(spec) {}

  HistoryContact Make(Rng& rng, double unix_seconds, size_t c, size_t d,
                      const Phrase* topic) const {
    const HistoryCategory& category = spec_.categories[c];
    HistoryContact contact;
    contact.received_at = FromSeconds(unix_seconds);
    contact.category = static_cast<int32_t>(c);
    contact.district = static_cast<int32_t>(d);
    contact.type = category.type;
    contact.channel = internal::PickChannel(rng.Next());
    const bool english = rng.Chance(spec_.english_share);
    contact.language = english ? v1::LANGUAGE_EN : v1::LANGUAGE_ZH_CN;
    const Phrase& phrase =
        topic != nullptr ? *topic : category.phrases[rng.Below(category.phrases.size())];
    contact.text = internal::Dress(english ? phrase.en : phrase.zh, english, rng.Next());
    contact.customer_index = PickCustomer(rng, spec_.districts[d]);
    return contact;
  }

 private:
  static int64_t PickCustomer(Rng& rng, const HistoryDistrict& district) {
    int64_t total = 0;
    for (const auto& range : district.customers) total += std::max<int64_t>(range.size(), 0);
    if (total == 0) return -1;
    auto pick = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(total)));
    for (const auto& range : district.customers) {
      if (range.empty()) continue;
      if (pick < range.size()) return range.begin + pick;
      pick -= range.size();
    }
    return -1;
  }

  const HistorySpec& spec_;
};

/// Ordinary contacts of series (c, d): Poisson per hour, uniform times within the hour.
void GenerateSeries(const RateModel& model, const ContactMaker& maker, uint64_t seed, size_t c,
                    size_t d, std::vector<HistoryContact>& out) {
  Rng rng(HashKey(seed, kStreamSeries, c, d));
  const auto start = static_cast<double>(model.start_seconds());
  for (int64_t hour = 0; hour < model.hours(); ++hour) {
    const int64_t n = internal::Poisson(rng, model.Rate(c, d, hour));
    for (int64_t i = 0; i < n; ++i) {
      const double at =
          start + static_cast<double>(hour * kSecondsPerHour) + rng.Unit() * kSecondsPerHour;
      out.push_back(maker.Make(rng, at, c, d, nullptr));
    }
  }
}

/// Extra contacts over [from, to) (unix seconds) at `extra_rate(t)` per hour, drawn in 5-minute
/// steps; `make` builds each at its time. Returns how many were added.
int64_t AddExtra(Rng& rng, double from, double to, const std::function<double(double)>& extra_rate,
                 const std::function<HistoryContact(Rng&, double)>& make,
                 std::vector<HistoryContact>& out) {
  int64_t added = 0;
  for (double step = from; step < to; step += kStepSeconds) {
    const double end = std::min(step + kStepSeconds, to);
    const double rate = std::max(0.0, extra_rate((step + end) / 2));
    const int64_t n = internal::Poisson(rng, rate * (end - step) / kSecondsPerHour);
    for (int64_t i = 0; i < n; ++i) {
      out.push_back(make(rng, step + rng.Unit() * (end - step)));
      ++added;
    }
  }
  return added;
}

int32_t IndexOfCategory(const HistorySpec& spec, const std::string& name) {
  for (size_t i = 0; i < spec.categories.size(); ++i) {
    if (spec.categories[i].name == name) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t IndexOfDistrict(const HistorySpec& spec, const std::string& id) {
  for (size_t i = 0; i < spec.districts.size(); ++i) {
    if (spec.districts[i].id == id) return static_cast<int32_t>(i);
  }
  return -1;
}

/// The surge's multiplier `hours_in` hours after its start.
double MultiplierAt(const HistorySurge& surge, double hours_in) {
  if (surge.shape == SurgeShape::kRamp && surge.ramp_hours > 0 && hours_in < surge.ramp_hours) {
    return 1.0 + (surge.multiplier - 1.0) * hours_in / surge.ramp_hours;
  }
  return surge.multiplier;
}

SurgeTruth GenerateSurge(const HistorySpec& spec, const RateModel& model, const ContactMaker& maker,
                         size_t index, std::vector<HistoryContact>& out) {
  const HistorySurge& surge = spec.surges[index];
  SurgeTruth truth;
  truth.spec = surge;
  truth.category = IndexOfCategory(spec, surge.category);
  truth.district = IndexOfDistrict(spec, surge.district_id);
  const auto c = static_cast<size_t>(truth.category);
  const auto d = static_cast<size_t>(truth.district);
  const HistoryCategory& category = spec.categories[c];
  Rng rng(HashKey(spec.seed, kStreamSurge, index));
  const Phrase* topic = nullptr;
  if (!category.burst_phrases.empty()) {
    const size_t pick = surge.topic >= 0 ? static_cast<size_t>(surge.topic)
                                         : rng.Below(category.burst_phrases.size());
    topic = &category.burst_phrases[pick % category.burst_phrases.size()];
    truth.topic_zh = topic->zh;
    truth.topic_en = topic->en;
  }
  const auto from = static_cast<double>(UnixSeconds(surge.start));
  const double to = from + surge.hours * kSecondsPerHour;
  truth.end = FromSeconds(to);
  truth.extra_contacts = AddExtra(
      rng, from, to,
      [&](double t) {
        return model.RateAt(c, d, t) * (MultiplierAt(surge, (t - from) / kSecondsPerHour) - 1.0);
      },
      [&](Rng& r, double t) {
        const bool on_topic = topic != nullptr && r.Chance(spec.burst_phrase_share);
        HistoryContact contact = maker.Make(r, t, c, d, on_topic ? topic : nullptr);
        contact.surge = static_cast<int32_t>(index);
        return contact;
      },
      out);
  return truth;
}

/// Storm calls: fault repair at the peak rate for the first hour, then falling linearly to 0 at
/// the end; outage-information questions at 40 % of that.
StormTruth GenerateStorm(const HistorySpec& spec, const ContactMaker& maker, size_t index,
                         std::vector<HistoryContact>& out) {
  const HistoryStorm& storm = spec.storms[index];
  StormTruth truth;
  truth.spec = storm;
  truth.district = IndexOfDistrict(spec, storm.district_id);
  const auto d = static_cast<size_t>(truth.district);
  const auto from = static_cast<double>(UnixSeconds(storm.start));
  const double to = from + storm.hours * kSecondsPerHour;
  truth.end = FromSeconds(to);
  const auto shape = [&](double t) {
    const double u = (t - from) / kSecondsPerHour;
    if (u < 1 || storm.hours <= 1) return storm.peak_rate;
    return storm.peak_rate * (1.0 - (u - 1.0) / (storm.hours - 1.0));
  };
  Rng rng(HashKey(spec.seed, kStreamStorm, index));
  const struct {
    const char* category;
    double share;
  } kinds[] = {{"fault_repair", 1.0}, {"outage_info", 0.4}};
  for (const auto& kind : kinds) {
    const int32_t c = IndexOfCategory(spec, kind.category);
    if (c < 0) continue;
    const double share = kind.share;
    truth.extra_contacts += AddExtra(
        rng, from, to, [&](double t) { return shape(t) * share; },
        [&](Rng& r, double t) {
          HistoryContact contact = maker.Make(r, t, static_cast<size_t>(c), d, nullptr);
          contact.storm = static_cast<int32_t>(index);
          return contact;
        },
        out);
  }
  return truth;
}

}  // namespace

core::Result<History> GenerateHistory(const HistorySpec& spec) {
  if (auto status = ValidateHistorySpec(spec); !status) return status.error();
  const RateModel model(spec);
  const ContactMaker maker(spec);
  History history;
  history.start = spec.start;
  history.end = spec.start + std::chrono::hours(model.hours());
  history.categories = spec.categories;
  history.districts = spec.districts;
  for (size_t c = 0; c < spec.categories.size(); ++c) {
    for (size_t d = 0; d < spec.districts.size(); ++d) {
      GenerateSeries(model, maker, spec.seed, c, d, history.contacts);
    }
  }
  for (size_t i = 0; i < spec.surges.size(); ++i) {
    history.surges.push_back(GenerateSurge(spec, model, maker, i, history.contacts));
  }
  for (size_t i = 0; i < spec.storms.size(); ++i) {
    history.storms.push_back(GenerateStorm(spec, maker, i, history.contacts));
  }
  for (const auto& holiday : spec.holidays) {
    const core::TimePoint day = spec.start + std::chrono::hours(24 * holiday.day);
    history.holidays.push_back({holiday, day, day + std::chrono::hours(24)});
  }
  std::stable_sort(history.contacts.begin(), history.contacts.end(),
                   [](const HistoryContact& a, const HistoryContact& b) {
                     return a.received_at < b.received_at;
                   });
  return history;
}

v1::ServiceRequest ToServiceRequest(const History& history, size_t index, uint64_t seed,
                                    const Utility* utility) {
  const HistoryContact& contact = history.contacts.at(index);
  v1::ServiceRequest request;
  char id[64];
  std::snprintf(id, sizeof id, "hist-%llu-%08zu", static_cast<unsigned long long>(seed), index);
  request.set_request_id(id);
  request.set_channel(contact.channel);
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(contact.received_at.time_since_epoch())
          .count();
  request.mutable_received_at()->set_seconds(nanos / 1'000'000'000);
  request.mutable_received_at()->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  request.set_text(contact.text);
  request.set_language(contact.language);
  if (utility != nullptr && contact.customer_index >= 0 &&
      contact.customer_index < utility->customer_count()) {
    request.mutable_customer()->set_customer_id(utility->CustomerId(contact.customer_index));
  }
  return request;
}

}  // namespace gridcare::synth
