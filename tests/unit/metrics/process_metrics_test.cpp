#include "gridcare/metrics/process_metrics.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "gridcare/testing/metric_lookup.h"

namespace gridcare::metrics {
namespace {

using gridcare::testing::FindSeries;

TEST_CASE("RegisterBuildInfo exposes the service and version at 1") {
  prometheus::Registry registry;
  RegisterBuildInfo(registry, "intake", "0.1.0");
  const auto families = registry.Collect();
  const auto* info =
      FindSeries(families, "gridcare_build_info", {{"service", "intake"}, {"version", "0.1.0"}});
  REQUIRE(info != nullptr);
  CHECK(info->gauge.value == 1);
}

TEST_CASE("ProcessCollector reads this process from /proc") {
  const auto families = ProcessCollector().Collect();
  const auto* rss = FindSeries(families, "process_resident_memory_bytes", {});
  const auto* fds = FindSeries(families, "process_open_fds", {});
  const auto* start = FindSeries(families, "process_start_time_seconds", {});
  const auto* cpu = FindSeries(families, "process_cpu_seconds_total", {});
  REQUIRE(rss != nullptr);
  REQUIRE(fds != nullptr);
  REQUIRE(start != nullptr);
  REQUIRE(cpu != nullptr);
  CHECK(rss->gauge.value > 1024 * 1024);
  CHECK(fds->gauge.value >= 3);  // stdin, stdout, stderr
  CHECK(cpu->counter.value >= 0);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  // Started within the last hour and not in the future (with a little clock-tick slack).
  CHECK(start->gauge.value <= now + 1);
  CHECK(start->gauge.value > now - 3600);
}

}  // namespace
}  // namespace gridcare::metrics
