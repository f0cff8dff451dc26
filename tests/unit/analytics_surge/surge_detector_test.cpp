#include "surge_detector.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "count_tests.h"
#include "hour_index.h"

namespace gridcare::analytics {
namespace {

/// Monday 2026-07-06 00:00 local.
constexpr int64_t kMonday = 495360;
/// Wednesday 2026-07-08 10:00-11:00 local: the hour most tests evaluate.
constexpr int64_t kHour = kMonday + 2 * 24 + 10;
constexpr int64_t kWeek = kHoursPerWeek;
constexpr double kOff = std::numeric_limits<double>::min();  // an alpha nothing reaches

/// A series given by a rule for every hour plus overrides, exclusions and a first hour.
class FakeHistory final : public HourlyHistory {
 public:
  explicit FakeHistory(std::function<int64_t(int64_t)> base) : base_(std::move(base)) {}
  static FakeHistory Flat(int64_t per_hour) {
    return FakeHistory([per_hour](int64_t) { return per_hour; });
  }

  int64_t Count(int64_t hour) const override {
    const auto it = counts_.find(hour);
    return it != counts_.end() ? it->second : base_(hour);
  }
  bool Excluded(int64_t hour) const override { return hour < begins_ || excluded_.count(hour) > 0; }

  void Set(int64_t hour, int64_t count) { counts_[hour] = count; }
  void SetRange(int64_t from, int64_t to, int64_t count) {
    for (int64_t h = from; h < to; ++h) Set(h, count);
  }
  void Exclude(int64_t hour) { excluded_.insert(hour); }
  void ExcludeRange(int64_t from, int64_t to) {
    for (int64_t h = from; h < to; ++h) Exclude(h);
  }
  void BeginAt(int64_t hour) { begins_ = hour; }

 private:
  std::function<int64_t(int64_t)> base_;
  std::map<int64_t, int64_t> counts_;
  std::set<int64_t> excluded_;
  int64_t begins_ = std::numeric_limits<int64_t>::min();
};

/// Fixed settings for these tests, so retuning the defaults never changes what they check.
SurgeSettings TestSettings() {
  SurgeSettings s;
  s.baseline_weeks = 4;
  s.min_baseline_weeks = 2;
  s.min_count = 5;
  s.hour_alpha = 1e-5;
  s.day_alpha = 1e-5;
  s.cusum_alpha = 1e-4;
  s.dispersion = 0.02;
  s.min_expected = 0.2;
  s.cusum_k = 1.0;
  s.cusum_h = 6.0;
  s.cusum_hours = 48;
  s.min_ratio = 1.5;
  return s;
}

/// TestSettings with only one method able to fire.
SurgeSettings Only(const std::string& method) {
  SurgeSettings s = TestSettings();
  if (method != "hour") s.hour_alpha = kOff;
  if (method != "day") s.day_alpha = kOff;
  if (method != "cusum") s.cusum_alpha = kOff;
  return s;
}

std::optional<SurgeFinding> Evaluate(const HourlyHistory& history, int64_t hour,
                                     const SurgeSettings& settings = TestSettings()) {
  return SurgeDetector(settings).Evaluate(history, hour);
}

/// The relative variance the detector uses for a baseline of `sum` contacts over `weeks` weeks.
double ExpectedDispersion(double sum, int weeks, double dispersion = 0.02) {
  return dispersion * (1.0 + 1.0 / weeks) + 1.0 / (sum + 1.0);
}

TEST_CASE("A series at its usual level gives no finding in any hour of a week") {
  const auto history = FakeHistory::Flat(4);
  for (int64_t hour = kMonday; hour < kMonday + kWeek; ++hour) {
    INFO("hour of week " << HourOfWeek(hour));
    CHECK_FALSE(Evaluate(history, hour).has_value());
  }
}

TEST_CASE("A sudden busy hour is an hour finding that says what it compared") {
  auto history = FakeHistory::Flat(4);
  history.Set(kHour, 20);
  const auto finding = Evaluate(history, kHour);
  REQUIRE(finding.has_value());
  CHECK(finding->method == "hour");
  CHECK(finding->observed == 20);
  CHECK(finding->expected == Approx(4));
  CHECK(finding->score == Approx(5));
  CHECK(finding->window_start_hour == kHour);
  CHECK(finding->window_end_hour == kHour + 1);
  CHECK(finding->baseline_weeks == 4);
  CHECK(finding->p_value ==
        Approx(NegativeBinomialUpperTail(20, 4, ExpectedDispersion(16, 4))).epsilon(1e-12));
  CHECK(finding->p_value < 1e-5);
  // The hour before and after are ordinary.
  CHECK_FALSE(Evaluate(history, kHour - 1).has_value());
}

TEST_CASE("The baseline is the same hour of the same weekday in past weeks") {
  // Wednesdays 10:00-11:00 are always busy (a weekly bill reminder, say).
  const FakeHistory history(
      [](int64_t hour) -> int64_t { return HourOfWeek(hour) == HourOfWeek(kHour) ? 20 : 4; });
  CHECK_FALSE(Evaluate(history, kHour).has_value());
  // The same 20 on a Thursday at 10:00 is a surge.
  FakeHistory thursday = history;
  thursday.Set(kHour + 24, 20);
  const auto finding = Evaluate(thursday, kHour + 24);
  REQUIRE(finding.has_value());
  CHECK(finding->method == "hour");
  CHECK(finding->expected == Approx(4));
}

TEST_CASE("Excluded weeks are left out of the baseline") {
  auto history = FakeHistory::Flat(4);
  history.Set(kHour - kWeek, 60);  // a storm a week ago, same hour
  history.Set(kHour, 20);
  // Counted, the storm makes 20 look ordinary (expected (60 + 4 + 4 + 4) / 4 = 18).
  CHECK_FALSE(Evaluate(history, kHour, Only("hour")).has_value());
  // Left out, the baseline is the three other weeks.
  history.Exclude(kHour - kWeek);
  const auto finding = Evaluate(history, kHour, Only("hour"));
  REQUIRE(finding.has_value());
  CHECK(finding->baseline_weeks == 3);
  CHECK(finding->expected == Approx(4));
}

TEST_CASE("Too few usable weeks give no finding however busy the hour") {
  auto history = FakeHistory::Flat(4);
  history.Set(kHour, 50);
  history.Exclude(kHour - kWeek);
  history.Exclude(kHour - 2 * kWeek);
  REQUIRE(Evaluate(history, kHour).has_value());  // two weeks left: enough
  CHECK(Evaluate(history, kHour)->baseline_weeks == 2);
  history.Exclude(kHour - 3 * kWeek);
  CHECK_FALSE(Evaluate(history, kHour).has_value());
}

TEST_CASE("Hours before the history begins are not weeks of silence") {
  auto history = FakeHistory::Flat(4);
  history.Set(kHour, 50);
  history.BeginAt(kHour - kWeek);  // one week of data
  CHECK_FALSE(Evaluate(history, kHour).has_value());
  history.BeginAt(kHour - 2 * kWeek - 10);  // two weeks and a bit
  const auto finding = Evaluate(history, kHour);
  REQUIRE(finding.has_value());
  CHECK(finding->baseline_weeks == 2);
}

TEST_CASE("Fewer contacts than min_count are never a finding") {
  auto history = FakeHistory::Flat(0);
  SurgeSettings generous = TestSettings();
  generous.hour_alpha = generous.day_alpha = generous.cusum_alpha = 0.5;
  history.Set(kHour, 4);
  CHECK_FALSE(Evaluate(history, kHour, generous).has_value());
  history.Set(kHour, 5);
  const auto finding = Evaluate(history, kHour, generous);
  REQUIRE(finding.has_value());
  CHECK(finding->observed == 5);
}

TEST_CASE("A slot empty in every past week needs more than min_count to warn") {
  auto history = FakeHistory::Flat(0);
  // The baseline of 0 is an estimate from 0 contacts: five is not yet unusual enough.
  history.Set(kHour, 5);
  CHECK_FALSE(Evaluate(history, kHour).has_value());
  history.Set(kHour, 9);
  const auto finding = Evaluate(history, kHour);
  REQUIRE(finding.has_value());
  CHECK(finding->method == "hour");
  CHECK(finding->expected == Approx(0.2));  // min_expected
  CHECK(finding->score == Approx(45));
}

TEST_CASE("A significant but small rise in a busy series is not a surge") {
  auto history = FakeHistory::Flat(1000);
  history.Set(kHour, 1300);
  SurgeSettings settings = Only("hour");
  settings.dispersion = 0;
  CHECK_FALSE(Evaluate(history, kHour, settings).has_value());  // 1.3 < min_ratio 1.5
  settings.min_ratio = 1.2;
  const auto finding = Evaluate(history, kHour, settings);
  REQUIRE(finding.has_value());
  CHECK(finding->score == Approx(1.3));
  CHECK(finding->p_value < 1e-12);
}

TEST_CASE("Dispersion 0 tests against the Poisson widened only by the baseline estimate") {
  auto history = FakeHistory::Flat(4);
  history.Set(kHour, 20);
  SurgeSettings settings = Only("hour");
  settings.dispersion = 0;
  const auto poisson = Evaluate(history, kHour, settings);
  REQUIRE(poisson.has_value());
  CHECK(poisson->p_value == Approx(NegativeBinomialUpperTail(20, 4, 1.0 / 17.0)).epsilon(1e-12));
  settings.dispersion = 0.3;  // counts wobble a lot: the same hour is no longer a finding
  CHECK_FALSE(Evaluate(history, kHour, settings).has_value());
}

TEST_CASE("A day running high hour after hour is a day finding from local midnight") {
  auto history = FakeHistory::Flat(4);
  const int64_t midnight = FirstHourOfDay(DayOf(kHour));
  history.SetRange(midnight, kHour + 1, 9);  // 2.25 × every hour, no single hour unusual
  for (int64_t hour = midnight; hour <= kHour; ++hour) {
    CHECK_FALSE(Evaluate(history, hour, Only("hour")).has_value());
  }
  const auto day = Evaluate(history, kHour, Only("day"));
  REQUIRE(day.has_value());
  CHECK(day->method == "day");
  CHECK(day->window_start_hour == midnight);
  CHECK(day->window_end_hour == kHour + 1);
  CHECK(day->observed == 9 * 11);
  CHECK(day->expected == Approx(4 * 11));
  CHECK(day->baseline_weeks == 4);
  const auto any = Evaluate(history, kHour);
  REQUIRE(any.has_value());
  CHECK(any->method == "day");
}

TEST_CASE("The day test starts again at local midnight") {
  auto history = FakeHistory::Flat(4);
  const int64_t today = FirstHourOfDay(DayOf(kHour));
  history.SetRange(today - 24, today, 9);  // yesterday ran high all day
  const auto yesterday = Evaluate(history, today - 1, Only("day"));
  REQUIRE(yesterday.has_value());
  CHECK(yesterday->window_start_hour == today - 24);
  CHECK(yesterday->window_end_hour == today);
  for (int64_t hour = today; hour < today + 24; ++hour) {
    CHECK_FALSE(Evaluate(history, hour, Only("day")).has_value());
  }
}

TEST_CASE("The first hour of a day is left to the hour test") {
  auto history = FakeHistory::Flat(4);
  const int64_t today = FirstHourOfDay(DayOf(kHour));
  history.Set(today, 40);
  CHECK_FALSE(Evaluate(history, today, Only("day")).has_value());
  REQUIRE(Evaluate(history, today, Only("hour")).has_value());
  // From the second hour on, the day so far includes it.
  const auto day = Evaluate(history, today + 1, Only("day"));
  REQUIRE(day.has_value());
  CHECK(day->observed == 44);
}

TEST_CASE("A slow build-up across midnight is a CUSUM finding over the hours that built it") {
  auto history = FakeHistory::Flat(4);
  const int64_t today = FirstHourOfDay(DayOf(kHour));
  const int64_t started = today - 4;  // 20:00 yesterday
  history.SetRange(started, today + 24, 8);
  std::optional<SurgeFinding> first;
  int64_t when = 0;
  for (int64_t hour = started; hour < today + 24 && !first; ++hour) {
    first = Evaluate(history, hour);
    when = hour;
  }
  REQUIRE(first.has_value());
  CHECK(first->method == "cusum");
  CHECK(first->window_start_hour == started);
  CHECK(first->window_end_hour == when + 1);
  CHECK(when > today);  // it took some hours, and crossed midnight
  CHECK(first->observed == 8 * (when + 1 - started));
  CHECK(first->expected == Approx(4 * (when + 1 - started)));
  CHECK(first->p_value < 1e-4);
  // Neither the hour nor the day so far was unusual enough by then.
  CHECK_FALSE(Evaluate(history, when, Only("hour")).has_value());
  CHECK_FALSE(Evaluate(history, when, Only("day")).has_value());
}

TEST_CASE("A CUSUM run of one hour is left to the hour test") {
  auto history = FakeHistory::Flat(4);
  history.Set(kHour, 30);
  CHECK_FALSE(Evaluate(history, kHour, Only("cusum")).has_value());
  history.Set(kHour - 1, 30);  // two busy hours are a run
  const auto finding = Evaluate(history, kHour, Only("cusum"));
  REQUIRE(finding.has_value());
  CHECK(finding->window_start_hour == kHour - 1);
  CHECK(finding->observed == 60);
}

TEST_CASE("The CUSUM looks back only cusum_hours") {
  auto history = FakeHistory::Flat(4);
  history.SetRange(kHour - 30, kHour - 20, 24);  // a burst 20-30 hours ago, then ordinary
  SurgeSettings settings = Only("cusum");
  settings.cusum_k = 0;  // remember the burst for as long as the window reaches
  REQUIRE(Evaluate(history, kHour, settings).has_value());
  settings.cusum_hours = 20;
  CHECK_FALSE(Evaluate(history, kHour, settings).has_value());
}

TEST_CASE("An excluded outage earlier today does not keep the day and CUSUM tests up") {
  auto history = FakeHistory::Flat(4);
  const int64_t today = FirstHourOfDay(DayOf(kHour));
  history.SetRange(today + 6, today + 9, 60);  // storm calls 06:00-09:00
  // Unexplained, the storm carries into later hours.
  REQUIRE(Evaluate(history, today + 11, Only("day")).has_value());
  REQUIRE(Evaluate(history, today + 11, Only("cusum")).has_value());
  // With the outage known, those hours are left out and 11:00 is ordinary.
  history.ExcludeRange(today + 6, today + 9);
  CHECK_FALSE(Evaluate(history, today + 11).has_value());
  // The storm hour itself is still tested: whether it is explained is the caller's call.
  const auto storm = Evaluate(history, today + 7);
  REQUIRE(storm.has_value());
  CHECK(storm->method == "hour");
}

TEST_CASE("When several tests fire the smallest p-value wins") {
  auto history = FakeHistory::Flat(4);
  const int64_t today = FirstHourOfDay(DayOf(kHour));
  history.SetRange(today, kHour, 9);
  history.Set(kHour, 30);
  const auto hour = Evaluate(history, kHour, Only("hour"));
  const auto day = Evaluate(history, kHour, Only("day"));
  const auto cusum = Evaluate(history, kHour, Only("cusum"));
  REQUIRE(hour.has_value());
  REQUIRE(day.has_value());
  REQUIRE(cusum.has_value());
  const auto best = Evaluate(history, kHour);
  REQUIRE(best.has_value());
  CHECK(best->p_value == std::min({hour->p_value, day->p_value, cusum->p_value}));
}

/// A busy, irregular series: pseudo-random counts from the hour alone.
FakeHistory Irregular() {
  return FakeHistory([](int64_t hour) -> int64_t {
    auto x = static_cast<uint64_t>(hour) * 0x9E3779B97F4A7C15ULL;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 32;
    const int64_t level = HourOfDay(hour) >= 8 && HourOfDay(hour) < 20 ? 6 : 1;
    return level + static_cast<int64_t>(x % 5) + (x % 97 == 0 ? 25 : 0);
  });
}

TEST_CASE("Evaluation is deterministic and independent of order") {
  const FakeHistory history = Irregular();
  const SurgeDetector detector(TestSettings());
  std::vector<std::optional<SurgeFinding>> forward;
  for (int64_t hour = kMonday; hour < kMonday + 2 * kWeek; ++hour) {
    forward.push_back(detector.Evaluate(history, hour));
  }
  int findings = 0;
  const SurgeDetector again(TestSettings());
  for (int64_t i = static_cast<int64_t>(forward.size()) - 1; i >= 0; --i) {
    const auto replay = again.Evaluate(history, kMonday + i);
    const auto& original = forward[static_cast<size_t>(i)];
    REQUIRE(replay.has_value() == original.has_value());
    if (!replay) continue;
    ++findings;
    CHECK(replay->method == original->method);
    CHECK(replay->observed == original->observed);
    CHECK(replay->expected == original->expected);
    CHECK(replay->p_value == original->p_value);
    CHECK(replay->window_start_hour == original->window_start_hour);
    CHECK(replay->window_end_hour == original->window_end_hour);
    CHECK(replay->baseline_weeks == original->baseline_weeks);
  }
  CHECK(findings > 0);  // the 25-contact spikes are found
}

TEST_CASE("Describe says what was compared with what in local time") {
  auto history = FakeHistory::Flat(4);
  history.Set(kHour, 20);
  const auto finding = Evaluate(history, kHour);
  REQUIRE(finding.has_value());
  const std::string text = Describe(*finding);
  INFO(text);
  CHECK(text.find("hour 2026-07-08 10:00–11:00") == 0);
  CHECK(text.find("20 contacts against 4.0 expected") != std::string::npos);
  CHECK(text.find("same hour of 4 past weeks") != std::string::npos);
  CHECK(text.find("5.0×") != std::string::npos);
  SurgeFinding late = *finding;
  late.window_start_hour = kHour - 6;
  late.window_end_hour = FirstHourOfDay(DayOf(kHour) + 1);
  CHECK(Describe(late).find("04:00–24:00") != std::string::npos);
  late.window_start_hour = kHour - 24;
  late.method = "cusum";
  CHECK(Describe(late).find("cusum 2026-07-07 10:00–2026-07-09 00:00") == 0);
}

TEST_CASE("Settings out of range are rejected naming the field") {
  CHECK(ValidateSurgeSettings(SurgeSettings{}));
  CHECK(ValidateSurgeSettings(TestSettings()));
  const std::vector<std::pair<std::function<void(SurgeSettings&)>, std::string>> cases = {
      {[](SurgeSettings& s) { s.baseline_weeks = 0; }, "baseline_weeks"},
      {[](SurgeSettings& s) { s.min_baseline_weeks = 5; }, "min_baseline_weeks"},
      {[](SurgeSettings& s) { s.min_count = 0; }, "min_count"},
      {[](SurgeSettings& s) { s.hour_alpha = 0; }, "hour_alpha"},
      {[](SurgeSettings& s) { s.day_alpha = 1.5; }, "day_alpha"},
      {[](SurgeSettings& s) { s.cusum_alpha = -1; }, "cusum_alpha"},
      {[](SurgeSettings& s) { s.dispersion = -0.1; }, "dispersion"},
      {[](SurgeSettings& s) { s.min_expected = 0; }, "min_expected"},
      {[](SurgeSettings& s) { s.cusum_k = -1; }, "cusum_k"},
      {[](SurgeSettings& s) { s.cusum_h = 0; }, "cusum_h"},
      {[](SurgeSettings& s) { s.cusum_hours = 0; }, "cusum_hours"},
      {[](SurgeSettings& s) { s.min_ratio = 0.9; }, "min_ratio"},
  };
  for (const auto& [change, field] : cases) {
    SurgeSettings s = TestSettings();
    change(s);
    const auto status = ValidateSurgeSettings(s);
    REQUIRE_FALSE(status);
    CHECK(status.error().message.find(field) != std::string::npos);
    CHECK_THROWS_AS(SurgeDetector(s), std::invalid_argument);
  }
}

}  // namespace
}  // namespace gridcare::analytics
