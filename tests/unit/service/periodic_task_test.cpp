// PeriodicTask: the kit's primitive for work a service repeats (ticks, refreshes, relays). Rounds
// run until Stop(); failures and exceptions are counted, never fatal. Intervals are a few
// milliseconds and every wait is bounded.
#include "gridcare/service/periodic_task.h"

#include <prometheus/text_serializer.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace gridcare::service {
namespace {

using namespace std::chrono_literals;

// The value of the series `name{...task="<task>"}` in the registry's exposition.
double Sample(prometheus::Registry& registry, const std::string& name, const std::string& task) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "task" && label.value == task) {
          if (family.type == prometheus::MetricType::Counter) return metric.counter.value;
          if (family.type == prometheus::MetricType::Gauge) return metric.gauge.value;
          if (family.type == prometheus::MetricType::Histogram) {
            return static_cast<double>(metric.histogram.sample_count);
          }
        }
      }
    }
  }
  return -1;
}

template <typename Condition>
bool Eventually(Condition condition) {
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < give_up) {
    if (condition()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return condition();
}

}  // namespace

TEST_CASE("a periodic task runs every interval until stopped, and counts its rounds") {
  prometheus::Registry registry;
  std::atomic<int> rounds{0};
  PeriodicTask task({"tick", 2ms,
                     [&] {
                       ++rounds;
                       return core::Status::Ok();
                     }},
                    registry, "dispatch");
  CHECK(Sample(registry, "gridcare_periodic_task_runs_total", "tick") == 0);
  task.Start();
  REQUIRE(Eventually([&] { return rounds.load() >= 3; }));
  task.Stop();
  const int stopped_at = rounds.load();
  std::this_thread::sleep_for(10ms);
  CHECK(rounds.load() == stopped_at);
  CHECK(Sample(registry, "gridcare_periodic_task_runs_total", "tick") == stopped_at);
  CHECK(Sample(registry, "gridcare_periodic_task_failures_total", "tick") == 0);
  CHECK(Sample(registry, "gridcare_periodic_task_duration_seconds", "tick") == stopped_at);
  CHECK(Sample(registry, "gridcare_periodic_task_last_success_timestamp_seconds", "tick") > 0);
}

TEST_CASE("a failing or throwing round is counted and the next round still runs") {
  prometheus::Registry registry;
  std::atomic<int> rounds{0};
  PeriodicTask task({"refresh", 1ms,
                     [&]() -> core::Status {
                       const int round = ++rounds;
                       if (round == 1) return core::Unavailable("crew service down");
                       if (round == 2) throw std::runtime_error("boom");
                       return core::Status::Ok();
                     }},
                    registry, "dispatch");
  task.Start();
  REQUIRE(Eventually([&] { return rounds.load() >= 3; }));
  task.Stop();
  CHECK(Sample(registry, "gridcare_periodic_task_failures_total", "refresh") == 2);
  CHECK(Sample(registry, "gridcare_periodic_task_runs_total", "refresh") == rounds.load());
}

TEST_CASE("run_at_start runs the first round at once, and Stop ends a long wait at once") {
  prometheus::Registry registry;
  std::atomic<int> rounds{0};
  PeriodicTask task({"fleet", std::chrono::hours(1),
                     [&] {
                       ++rounds;
                       return core::Status::Ok();
                     },
                     /*run_at_start=*/true},
                    registry, "repair-crew");
  task.Start();
  REQUIRE(Eventually([&] { return rounds.load() == 1; }));
  const auto before = std::chrono::steady_clock::now();
  task.Stop();
  CHECK(std::chrono::steady_clock::now() - before < 2s);
  CHECK(rounds.load() == 1);
  task.Stop();  // twice is harmless
}

}  // namespace gridcare::service
