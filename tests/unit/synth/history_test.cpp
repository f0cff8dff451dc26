#include "gridcare/synth/history.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "fixtures.h"

using namespace gridcare::synth;
using gridcare::synth::testing::Fixture2k;
using std::chrono::hours;

namespace {

constexpr int64_t kLocalOffset = 8 * 3600;

/// Local hour of day and days since the history's start.
int HourOfDay(gridcare::core::TimePoint t) {
  const auto s = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  return static_cast<int>(((s + kLocalOffset) / 3600) % 24);
}
int64_t DayIndex(const History& h, gridcare::core::TimePoint t) {
  return std::chrono::floor<std::chrono::hours>(t - h.start).count() / 24;
}

HistorySpec Small(uint64_t seed = 5, int weeks = 2) {
  DefaultHistoryOptions options;
  options.seed = seed;
  options.weeks = weeks;
  options.districts = 3;
  return DefaultHistorySpec(options);
}

History Generate(const HistorySpec& spec) {
  auto history = GenerateHistory(spec);
  REQUIRE(history.ok());
  return std::move(history).value();
}

int CategoryIndex(const HistorySpec& spec, const std::string& name) {
  for (size_t i = 0; i < spec.categories.size(); ++i) {
    if (spec.categories[i].name == name) return static_cast<int>(i);
  }
  FAIL("no category " << name);
  return -1;
}

uint64_t Fingerprint(const History& history) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  const auto mix = [&hash](const std::string& bytes) {
    for (const unsigned char c : bytes) hash = (hash ^ c) * 0x100000001B3ULL;
  };
  for (const auto& c : history.contacts) {
    mix(std::to_string(c.received_at.time_since_epoch().count()) + "|" +
        std::to_string(c.category) + "|" + std::to_string(c.district) + "|" +
        std::to_string(c.channel) + "|" + std::to_string(c.language) + "|" + c.text + "|" +
        std::to_string(c.customer_index) + "|" + std::to_string(c.surge) + "|" +
        std::to_string(c.storm));
  }
  return hash;
}

/// Within four standard deviations of a Poisson count (plus 1 for tiny means).
bool NearPoisson(double observed, double mean) {
  return std::fabs(observed - mean) <= 4 * std::sqrt(mean) + 1;
}

}  // namespace

TEST_CASE("the default spec has twelve categories over its districts and validates", "[history]") {
  const auto spec = DefaultHistorySpec({.seed = 3, .weeks = 8, .districts = 20});
  CHECK(spec.categories.size() == 12);
  CHECK(spec.districts.size() == 20);
  CHECK(ValidateHistorySpec(spec));
  std::set<std::string> ids;
  for (const auto& d : spec.districts) {
    CHECK(ids.insert(d.id).second);
    CHECK(d.weight >= 0.5);
    CHECK(d.weight <= 2.0);
    CHECK(d.customers.empty());
  }
  CHECK(spec.districts[0].id == "DIST-001");
  for (const auto& c : spec.categories) {
    CHECK_FALSE(c.phrases.empty());
    CHECK_FALSE(c.burst_phrases.empty());
    for (const auto& p : c.phrases) {
      CHECK_FALSE(p.zh.empty());
      CHECK_FALSE(p.en.empty());
    }
  }
  CHECK(spec.categories[CategoryIndex(spec, "billing")].type ==
        gridcare::v1::REQUEST_TYPE_COMPLAINT);
}

TEST_CASE("the same spec gives the same history and another seed another", "[history]") {
  auto spec = Small();
  AddRandomEvents(spec, {.surges = 4, .first_surge_week = 1, .storms = 1, .holidays = 1});
  const auto a = Generate(spec);
  const auto b = Generate(spec);
  REQUIRE(a.contacts.size() == b.contacts.size());
  CHECK(Fingerprint(a) == Fingerprint(b));
  auto other_spec = Small(6);
  AddRandomEvents(other_spec, {.surges = 4, .first_surge_week = 1, .storms = 1, .holidays = 1});
  CHECK(Fingerprint(Generate(other_spec)) != Fingerprint(a));
}

TEST_CASE("history output is pinned across machines and compilers", "[history]") {
  // If this fails after an intended change to the generator, update the constant and say so; if
  // it fails on another machine or compiler, determinism is broken.
  auto spec = Small(11, 1);
  AddRandomEvents(spec, {.surges = 2, .first_surge_week = 0, .storms = 1, .holidays = 1});
  const auto history = Generate(spec);
  CHECK(history.contacts.size() == 12'774);
  CHECK(Fingerprint(history) == 0x2709286ceb911b3aULL);
}

TEST_CASE("contacts are in time order inside the history with text channel and language",
          "[history]") {
  const auto history = Generate(Small());
  REQUIRE(history.contacts.size() > 1000);
  CHECK(history.end - history.start == hours(24 * 14));
  int64_t english = 0;
  for (size_t i = 0; i < history.contacts.size(); ++i) {
    const auto& c = history.contacts[i];
    if (i > 0) CHECK(history.contacts[i - 1].received_at <= c.received_at);
    CHECK(c.received_at >= history.start);
    CHECK(c.received_at < history.end);
    CHECK_FALSE(c.text.empty());
    CHECK(c.channel != gridcare::v1::CHANNEL_UNSPECIFIED);
    CHECK(c.type == history.categories[static_cast<size_t>(c.category)].type);
    CHECK(c.customer_index == -1);
    CHECK(c.surge == -1);
    CHECK(c.storm == -1);
    if (c.language == gridcare::v1::LANGUAGE_EN) ++english;
  }
  const double share = static_cast<double>(english) / static_cast<double>(history.contacts.size());
  CHECK(share == Approx(0.1).margin(0.02));
}

TEST_CASE("volume follows the rates with daily and weekly seasonality", "[history]") {
  auto spec = Small(9, 4);
  spec.day_noise = 0;
  const auto history = Generate(spec);
  // Expected total: every category's rate × district weights × 24 × 7 × 4 (profiles average 1).
  double weights = 0;
  for (const auto& d : spec.districts) weights += d.weight;
  double rate = 0;
  for (const auto& c : spec.categories) rate += c.hourly_rate;
  const double expected = rate * weights * 24 * 7 * 4;
  CHECK(NearPoisson(static_cast<double>(history.contacts.size()), expected));
  std::map<int, int64_t> by_hour;
  std::map<int64_t, int64_t> by_weekday;
  for (const auto& c : history.contacts) {
    ++by_hour[HourOfDay(c.received_at)];
    ++by_weekday[DayIndex(history, c.received_at) % 7];
  }
  CHECK(by_hour[10] > 5 * by_hour[3]);
  CHECK(by_hour[19] > by_hour[2]);
  CHECK(by_weekday[0] > by_weekday[6] * 1.2);  // Mondays busier than Sundays
}

TEST_CASE("the day wobble adds variance but keeps the mean", "[history]") {
  auto quiet = Small(21, 4);
  quiet.day_noise = 0;
  auto wobbly = quiet;
  wobbly.day_noise = 0.3;
  const auto a = Generate(quiet);
  const auto b = Generate(wobbly);
  const auto ratio =
      static_cast<double>(b.contacts.size()) / static_cast<double>(a.contacts.size());
  CHECK(ratio == Approx(1.0).margin(0.06));
  // Daily totals of one busy series spread more with the wobble.
  const auto spread = [](const History& h) {
    std::map<int64_t, double> days;
    for (const auto& c : h.contacts) {
      if (c.category == 0 && c.district == 0) days[DayIndex(h, c.received_at)] += 1;
    }
    double mean = 0;
    for (const auto& [day, n] : days) mean += n;
    mean /= static_cast<double>(days.size());
    double var = 0;
    for (const auto& [day, n] : days) var += (n - mean) * (n - mean);
    return var / static_cast<double>(days.size()) / mean;  // index of dispersion
  };
  CHECK(spread(b) > 2 * spread(a));
}

TEST_CASE("a holiday has the holiday share of an ordinary day's volume", "[history]") {
  auto spec = Small(13, 2);
  spec.day_noise = 0;
  spec.holidays.push_back({9, 0.5, "test holiday"});  // Wednesday of week 2
  const auto history = Generate(spec);
  REQUIRE(history.holidays.size() == 1);
  CHECK(history.holidays[0].start == history.start + hours(24 * 9));
  CHECK(history.holidays[0].end == history.start + hours(24 * 10));
  std::map<int64_t, double> days;
  for (const auto& c : history.contacts) days[DayIndex(history, c.received_at)] += 1;
  CHECK(days[9] / days[2] == Approx(0.5).margin(0.08));  // the same weekday a week before
}

TEST_CASE("a sudden surge adds its multiple of the usual rate inside its window", "[history]") {
  auto spec = Small(17, 2);
  const int billing = CategoryIndex(spec, "billing");
  HistorySurge surge;
  surge.category = "billing";
  surge.district_id = spec.districts[1].id;
  surge.start = spec.start + hours(24 * 9 + 9) + std::chrono::minutes(20);
  surge.hours = 10;
  surge.multiplier = 4;
  surge.topic = 1;
  spec.surges.push_back(surge);
  const auto history = Generate(spec);
  REQUIRE(history.surges.size() == 1);
  const auto& truth = history.surges[0];
  CHECK(truth.category == billing);
  CHECK(truth.district == 1);
  CHECK(truth.end == surge.start + hours(10));
  CHECK(truth.topic_zh == spec.categories[billing].burst_phrases[1].zh);
  int64_t extra = 0;
  int64_t on_topic = 0;
  for (const auto& c : history.contacts) {
    if (c.surge != 0) continue;
    ++extra;
    CHECK(c.category == billing);
    CHECK(c.district == 1);
    CHECK(c.received_at >= surge.start);
    CHECK(c.received_at < truth.end);
    if (c.text.find(truth.topic_zh) != std::string::npos ||
        c.text.find(truth.topic_en.substr(1)) != std::string::npos) {
      ++on_topic;
    }
  }
  CHECK(extra == truth.extra_contacts);
  // Usual contacts of the series in the same window, from the week before, estimate the rate.
  int64_t usual = 0;
  for (const auto& c : history.contacts) {
    if (c.category == billing && c.district == 1 && c.surge < 0 &&
        c.received_at >= surge.start - hours(168) && c.received_at < truth.end - hours(168)) {
      ++usual;
    }
  }
  CHECK(static_cast<double>(extra) == Approx(3.0 * static_cast<double>(usual)).epsilon(0.35));
  CHECK(static_cast<double>(on_topic) / static_cast<double>(extra) == Approx(0.7).margin(0.12));
}

TEST_CASE("a ramp surge starts small and grows", "[history]") {
  auto spec = Small(19, 2);
  spec.categories[CategoryIndex(spec, "payment")].hourly_rate = 20;  // many contacts, low noise
  HistorySurge surge;
  surge.category = "payment";
  surge.district_id = spec.districts[0].id;
  surge.start = spec.start + hours(24 * 8 + 8);
  surge.hours = 16;
  surge.multiplier = 5;
  surge.shape = SurgeShape::kRamp;
  surge.ramp_hours = 8;
  spec.surges.push_back(surge);
  const auto history = Generate(spec);
  int64_t first_two = 0;
  int64_t hours_six_to_eight = 0;
  for (const auto& c : history.contacts) {
    if (c.surge != 0) continue;
    const auto in = std::chrono::floor<std::chrono::hours>(c.received_at - surge.start).count();
    if (in < 2) ++first_two;
    if (in >= 6 && in < 8) ++hours_six_to_eight;
  }
  CHECK(hours_six_to_eight > 3 * first_two);
}

TEST_CASE("a storm adds fault calls and outage questions in its district", "[history]") {
  auto spec = Small(23, 2);
  HistoryStorm storm;
  storm.district_id = spec.districts[2].id;
  storm.start = spec.start + hours(24 * 3 + 15);
  storm.hours = 5;
  storm.peak_rate = 100;
  storm.incident_id = "INC-T-1";
  spec.storms.push_back(storm);
  const auto history = Generate(spec);
  REQUIRE(history.storms.size() == 1);
  const int fault = CategoryIndex(spec, "fault_repair");
  const int outage = CategoryIndex(spec, "outage_info");
  std::map<int, int64_t> by_category;
  for (const auto& c : history.contacts) {
    if (c.storm != 0) continue;
    ++by_category[c.category];
    CHECK(c.district == 2);
    CHECK(c.received_at >= storm.start);
    CHECK(c.received_at < history.storms[0].end);
  }
  CHECK(by_category.size() == 2);
  // Peak for an hour, then linearly down to 0 over 4 hours: 100 + 100 × 4 / 2 = 300 fault calls.
  CHECK(NearPoisson(static_cast<double>(by_category[fault]), 300));
  CHECK(NearPoisson(static_cast<double>(by_category[outage]), 120));
  CHECK(by_category[fault] + by_category[outage] == history.storms[0].extra_contacts);
}

TEST_CASE("random events give distinct series after the baseline weeks without clashes",
          "[history]") {
  auto spec = DefaultHistorySpec({.seed = 31, .weeks = 8, .districts = 20});
  AddRandomEvents(spec, {.surges = 30, .min_series_rate = 0.5});
  REQUIRE(ValidateHistorySpec(spec));
  CHECK(spec.surges.size() == 30);
  CHECK(spec.storms.size() == 4);
  CHECK(spec.holidays.size() == 2);
  std::set<std::pair<std::string, std::string>> series;
  std::map<double, std::map<SurgeShape, int>> sizes;
  const auto baseline_end = spec.start + hours(24 * 7 * 4);
  for (const auto& surge : spec.surges) {
    CHECK(series.insert({surge.category, surge.district_id}).second);
    CHECK(surge.start >= baseline_end);
    CHECK(surge.start + std::chrono::duration_cast<gridcare::core::Duration>(
                            std::chrono::duration<double, std::ratio<3600>>(surge.hours)) <=
          spec.start + hours(24 * 7 * 8));
    CHECK(surge.hours >= 12);
    CHECK(surge.hours <= 48);
    ++sizes[surge.multiplier][surge.shape];
    if (surge.shape == SurgeShape::kRamp) {
      CHECK(surge.ramp_hours >= 4);
      CHECK(surge.ramp_hours <= surge.hours / 2);
    }
    for (const auto& holiday : spec.holidays) {
      const auto day = spec.start + hours(24 * holiday.day);
      CHECK((surge.start >= day + hours(24) ||
             surge.start + hours(static_cast<int64_t>(surge.hours) + 1) <= day));
    }
    double rate = 0;
    for (const auto& c : spec.categories) {
      if (c.name == surge.category) rate = c.hourly_rate;
    }
    for (const auto& d : spec.districts) {
      if (d.id == surge.district_id) CHECK(rate * d.weight >= 0.5);
    }
  }
  // 2, 3, 4, 5, 6 × six each, half sudden and half ramp.
  REQUIRE(sizes.size() == 5);
  for (const auto& [multiplier, shapes] : sizes) {
    CHECK(shapes.at(SurgeShape::kSudden) == 3);
    CHECK(shapes.at(SurgeShape::kRamp) == 3);
  }
}

TEST_CASE("history specs that cannot be generated are rejected naming the field", "[history]") {
  const auto rejects = [](HistorySpec spec, const std::string& field) {
    const auto status = ValidateHistorySpec(spec);
    REQUIRE_FALSE(status);
    CHECK(status.error().message.find(field) != std::string::npos);
    CHECK_FALSE(GenerateHistory(spec).ok());
  };
  auto spec = Small();
  auto bad = spec;
  bad.weeks = 0;
  rejects(bad, "weeks");
  bad = spec;
  bad.start += hours(24);  // a Tuesday
  rejects(bad, "Monday");
  bad = spec;
  bad.start += hours(1);
  rejects(bad, "Monday");
  bad = spec;
  bad.districts.clear();
  rejects(bad, "districts");
  bad = spec;
  bad.categories[0].phrases.clear();
  rejects(bad, "phrases");
  bad = spec;
  bad.daily.pop_back();
  rejects(bad, "daily");
  bad = spec;
  bad.weekly.assign(7, 0);
  rejects(bad, "weekly");
  bad = spec;
  bad.english_share = 2;
  rejects(bad, "english_share");
  bad = spec;
  bad.surges.push_back(
      {.category = "nonsense", .district_id = spec.districts[0].id, .start = spec.start});
  rejects(bad, "unknown category");
  bad = spec;
  bad.surges.push_back({.category = "billing",
                        .district_id = spec.districts[0].id,
                        .start = spec.start + hours(24 * 7 * 3)});
  rejects(bad, "start outside");
  bad = spec;
  bad.storms.push_back({.district_id = "DIST-999", .start = spec.start});
  rejects(bad, "unknown district");
  bad = spec;
  bad.holidays.push_back({.day = 14});
  rejects(bad, "holiday");
}

TEST_CASE("with a utility, callers are customers of the contact's district", "[history]") {
  const auto& utility = Fixture2k();
  const auto spec = DefaultHistorySpec({.seed = 2, .weeks = 1}, &utility);
  const auto& network = utility.network();
  REQUIRE(spec.districts.size() == network.districts().size());
  const auto history = Generate(spec);
  REQUIRE_FALSE(history.contacts.empty());
  for (size_t i = 0; i < history.contacts.size(); i += 97) {
    const auto& contact = history.contacts[i];
    REQUIRE(contact.customer_index >= 0);
    const auto& area = network.TransformerOf(contact.customer_index);
    const auto& substation = network.substations()[static_cast<size_t>(area.substation)];
    CHECK(network.districts()[static_cast<size_t>(substation.district)].id ==
          history.districts[static_cast<size_t>(contact.district)].id);
    const auto request = ToServiceRequest(history, i, 2, &utility);
    CHECK(request.customer().customer_id() == utility.CustomerId(contact.customer_index));
  }
}

TEST_CASE("a contact becomes the ServiceRequest a channel would publish", "[history]") {
  const auto history = Generate(Small(29, 1));
  const size_t index = history.contacts.size() / 2;
  const auto& contact = history.contacts[index];
  const auto request = ToServiceRequest(history, index, 29, nullptr);
  char id[32];
  std::snprintf(id, sizeof id, "hist-29-%08zu", index);
  CHECK(request.request_id() == id);
  CHECK(request.channel() == contact.channel);
  CHECK(request.text() == contact.text);
  CHECK(request.language() == contact.language);
  CHECK(request.received_at().seconds() * 1'000'000'000 + request.received_at().nanos() ==
        std::chrono::duration_cast<std::chrono::nanoseconds>(contact.received_at.time_since_epoch())
            .count());
  CHECK_FALSE(request.has_customer());
  CHECK(request.explicit_type() == gridcare::v1::REQUEST_TYPE_UNSPECIFIED);
}
