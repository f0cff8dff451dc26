#pragma once

// Reading series back from a prometheus-cpp registry in tests (header-only).
#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <map>
#include <string>
#include <vector>

namespace gridcare::testing {

// The series of family `name` whose labels are exactly `labels`, or nullptr.
inline const prometheus::ClientMetric* FindSeries(
    const std::vector<prometheus::MetricFamily>& families, const std::string& name,
    const std::map<std::string, std::string>& labels) {
  for (const auto& family : families) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> actual;
      for (const auto& label : metric.label) actual[label.name] = label.value;
      if (actual == labels) return &metric;
    }
  }
  return nullptr;
}

/// The value of a counter series whose labels are exactly `labels`, or -1 when it does not exist.
inline double CounterValue(prometheus::Registry& registry, const std::string& name,
                           const std::map<std::string, std::string>& labels) {
  const auto families = registry.Collect();
  const auto* series = FindSeries(families, name, labels);
  return series == nullptr ? -1 : series->counter.value;
}

inline size_t SeriesCount(const std::vector<prometheus::MetricFamily>& families,
                          const std::string& name) {
  for (const auto& family : families) {
    if (family.name == name) return family.metric.size();
  }
  return 0;
}

}  // namespace gridcare::testing
