#pragma once

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include <map>
#include <string>
#include <vector>

namespace gridcare::metrics::test {

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

inline size_t SeriesCount(const std::vector<prometheus::MetricFamily>& families,
                          const std::string& name) {
  for (const auto& family : families) {
    if (family.name == name) return family.metric.size();
  }
  return 0;
}

}  // namespace gridcare::metrics::test
