#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <string>
#include <vector>

namespace gridcare::metrics {

/// Sets `gridcare_build_info{service,version}` to 1, so dashboards can join on the running version.
/// Call once at start-up; calling again with the same labels is harmless.
void RegisterBuildInfo(prometheus::Registry& registry, const std::string& service,
                       const std::string& version);

/// The conventional `process_*` series (CPU seconds, resident and virtual memory, open and maximum
/// file descriptors, threads, start time), read from /proc on every Collect() so they need no
/// background thread. MetricsServer serves it next to its registry. Linux only; thread-safe.
class ProcessCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace gridcare::metrics
