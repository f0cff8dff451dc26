#include "gridcare/metrics/stage_metrics.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "gridcare/metrics/buckets.h"
#include "gridcare/testing/metric_lookup.h"

namespace gridcare::metrics {
namespace {

using gridcare::testing::CounterValue;
using gridcare::testing::FindSeries;
using gridcare::testing::SeriesCount;

TEST_CASE("PreInitialise creates the per-topic series at zero") {
  prometheus::Registry registry;
  StageMetrics metrics(registry, "dispatch");
  metrics.PreInitialise({"gridcare.outage.reported.v1"}, {"gridcare.crew.assigned.v1"});

  const auto families = registry.Collect();
  const std::map<std::string, std::string> in{{"service", "dispatch"},
                                              {"topic", "gridcare.outage.reported.v1"}};
  const std::map<std::string, std::string> out{{"service", "dispatch"},
                                               {"topic", "gridcare.crew.assigned.v1"}};
  for (const char* name : {"gridcare_events_consumed_total", "gridcare_events_duplicate_total"}) {
    INFO(name);
    const auto* series = FindSeries(families, name, in);
    REQUIRE(series != nullptr);
    CHECK(series->counter.value == 0);
  }
  for (const char* name :
       {"gridcare_events_published_total", "gridcare_events_publish_failed_total"}) {
    INFO(name);
    const auto* series = FindSeries(families, name, out);
    REQUIRE(series != nullptr);
    CHECK(series->counter.value == 0);
  }
  const auto* processing = FindSeries(families, "gridcare_event_processing_seconds", in);
  REQUIRE(processing != nullptr);
  CHECK(processing->histogram.sample_count == 0);
  // 13 bounds from 1 ms to 10 s, plus +Inf.
  CHECK(processing->histogram.bucket.size() == LatencyBucketsSeconds().size() + 1);
  CHECK(processing->histogram.bucket.front().upper_bound == Approx(0.001));
  const auto* last = FindSeries(families, "gridcare_event_last_processed_timestamp_seconds", in);
  REQUIRE(last != nullptr);
  CHECK(last->gauge.value == 0);

  // A consumed topic gets no published series and vice versa.
  CHECK(FindSeries(families, "gridcare_events_published_total", in) == nullptr);
  CHECK(FindSeries(families, "gridcare_events_consumed_total", out) == nullptr);
  // Reasons and partitions are unknown until they happen.
  CHECK(SeriesCount(families, "gridcare_events_failed_total") == 0);
  CHECK(SeriesCount(families, "gridcare_consumer_lag_messages") == 0);
}

TEST_CASE("StageMetrics counts per topic, reason and partition") {
  prometheus::Registry registry;
  StageMetrics metrics(registry, "intake");
  metrics.PreInitialise({"a"}, {"b"});
  const std::map<std::string, std::string> a{{"service", "intake"}, {"topic", "a"}};
  const std::map<std::string, std::string> b{{"service", "intake"}, {"topic", "b"}};

  for (int i = 0; i < 3; ++i) metrics.Consumed("a");
  metrics.Duplicate("a");
  metrics.Published("b");
  metrics.Published("b");
  metrics.PublishFailed("b");
  metrics.Failed("a", "redis_unavailable");
  metrics.Failed("a", "redis_unavailable");
  metrics.Failed("a", "bad_payload");
  metrics.DeadLettered("a", "bad_payload");
  metrics.SetLag("a", 0, 42);
  metrics.SetLag("a", 3, 7);
  metrics.SetLag("a", 0, 40);
  metrics.ObserveProcessing("a", 0.004);
  metrics.ObserveProcessing("a", 3.0);

  CHECK(CounterValue(registry, "gridcare_events_consumed_total", a) == 3);
  CHECK(CounterValue(registry, "gridcare_events_duplicate_total", a) == 1);
  CHECK(CounterValue(registry, "gridcare_events_published_total", b) == 2);
  CHECK(CounterValue(registry, "gridcare_events_publish_failed_total", b) == 1);
  auto with = [](std::map<std::string, std::string> labels, std::string key, std::string value) {
    labels[key] = value;
    return labels;
  };
  CHECK(CounterValue(registry, "gridcare_events_failed_total",
                     with(a, "reason", "redis_unavailable")) == 2);
  CHECK(CounterValue(registry, "gridcare_events_failed_total", with(a, "reason", "bad_payload")) ==
        1);
  CHECK(CounterValue(registry, "gridcare_events_dead_lettered_total",
                     with(a, "reason", "bad_payload")) == 1);

  const auto families = registry.Collect();
  const auto* lag0 =
      FindSeries(families, "gridcare_consumer_lag_messages", with(a, "partition", "0"));
  const auto* lag3 =
      FindSeries(families, "gridcare_consumer_lag_messages", with(a, "partition", "3"));
  REQUIRE(lag0 != nullptr);
  REQUIRE(lag3 != nullptr);
  CHECK(lag0->gauge.value == 40);
  CHECK(lag3->gauge.value == 7);

  const auto* processing = FindSeries(families, "gridcare_event_processing_seconds", a);
  REQUIRE(processing != nullptr);
  CHECK(processing->histogram.sample_count == 2);
  CHECK(processing->histogram.sample_sum == Approx(3.004));
  // Cumulative buckets: 4 ms lands in le=0.005, 3 s in le=5.
  for (const auto& bucket : processing->histogram.bucket) {
    if (bucket.upper_bound == Approx(0.0025)) CHECK(bucket.cumulative_count == 0);
    if (bucket.upper_bound == Approx(0.005)) CHECK(bucket.cumulative_count == 1);
    if (bucket.upper_bound == Approx(2.5)) CHECK(bucket.cumulative_count == 1);
    if (bucket.upper_bound == Approx(5.0)) CHECK(bucket.cumulative_count == 2);
  }
  const auto* last = FindSeries(families, "gridcare_event_last_processed_timestamp_seconds", a);
  REQUIRE(last != nullptr);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(last->gauge.value == Approx(now).margin(60));
}

TEST_CASE("StageMetrics is safe to use from many threads") {
  prometheus::Registry registry;
  StageMetrics metrics(registry, "notify");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.Consumed("shared");
        metrics.Failed("shared", t % 2 == 0 ? "even" : "odd");
        metrics.ObserveProcessing("t" + std::to_string(t), 0.001);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(CounterValue(registry, "gridcare_events_consumed_total",
                     {{"service", "notify"}, {"topic", "shared"}}) == kThreads * kPerThread);
  CHECK(CounterValue(registry, "gridcare_events_failed_total",
                     {{"service", "notify"}, {"topic", "shared"}, {"reason", "odd"}}) ==
        kThreads / 2 * kPerThread);
  CHECK(SeriesCount(registry.Collect(), "gridcare_event_processing_seconds") == kThreads);
}

TEST_CASE("Two StageMetrics on one registry share the families") {
  // Services run one StageMetrics each, but tests and tools may build several on one registry.
  prometheus::Registry registry;
  StageMetrics first(registry, "intake");
  StageMetrics second(registry, "dispatch");
  first.Consumed("t");
  second.Consumed("t");
  second.Consumed("t");
  CHECK(CounterValue(registry, "gridcare_events_consumed_total",
                     {{"service", "intake"}, {"topic", "t"}}) == 1);
  CHECK(CounterValue(registry, "gridcare_events_consumed_total",
                     {{"service", "dispatch"}, {"topic", "t"}}) == 2);
}

}  // namespace
}  // namespace gridcare::metrics
