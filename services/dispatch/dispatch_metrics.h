#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace gridcare::dispatch {

/// Dispatch's own series, beside the kit's per-topic stage metrics:
///  gridcare_dispatch_decisions_total{decision}    correlation outcomes per fault ticket
///  gridcare_dispatch_actions_total{action}        assignments, reassignments, queueing, alarms …
///  gridcare_dispatch_ignored_total{reason}        inputs that changed nothing, and why
///  gridcare_dispatch_open{kind}                   open incidents / work orders / queued orders
/// Thread-safe.
class DispatchMetrics {
 public:
  explicit DispatchMetrics(prometheus::Registry& registry);
  void Decision(std::string_view decision);
  void Action(std::string_view action);
  void Ignored(std::string_view reason);
  void SetOpen(std::string_view kind, double value);

 private:
  prometheus::Counter& Series(prometheus::Family<prometheus::Counter>& family,
                              std::string_view label, std::string_view value);

  prometheus::Family<prometheus::Counter>& decisions_;
  prometheus::Family<prometheus::Counter>& actions_;
  prometheus::Family<prometheus::Counter>& ignored_;
  prometheus::Family<prometheus::Gauge>& open_;
  std::mutex mutex_;
  std::map<std::string, prometheus::Counter*, std::less<>> cache_;
  std::map<std::string, prometheus::Gauge*, std::less<>> gauges_;
};

}  // namespace gridcare::dispatch
