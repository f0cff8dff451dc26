#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace gridcare::dispatch {

/// Dispatch's own series, beside the kit's per-topic stage metrics:
///  gridcare_dispatch_decisions_total{decision}    correlation outcomes per fault ticket
///  gridcare_dispatch_actions_total{action}        assignments, reassignments, queueing, alarms …
///  gridcare_dispatch_ignored_total{reason}        inputs that changed nothing, and why
///  gridcare_dispatch_routed_total{outcome}        records routed to territories
///  gridcare_dispatch_open{kind}                   open incidents / work orders / queued orders
///                                                 of the territories this instance owns
///  gridcare_dispatch_territories_owned            territory partitions this instance owns
///  gridcare_dispatch_console_forwarded_total{outcome}  console actions sent to the owner of
///                                                 their territory: OK or the error code
/// Thread-safe.
class DispatchMetrics {
 public:
  explicit DispatchMetrics(prometheus::Registry& registry);
  void Decision(std::string_view decision);
  void Action(std::string_view action);
  void Ignored(std::string_view reason);
  void Routed(std::string_view outcome);
  /// One territory's open count of `kind`; the gauge shows the sum over the territories owned
  /// (-1: an unpartitioned dispatcher, as in tests).
  void SetOpen(std::string_view kind, double value, int32_t territory = -1);
  /// The territory moved away: its counts leave the sums.
  void ForgetTerritory(int32_t territory);
  void SetTerritoriesOwned(size_t count);
  /// A console action forwarded to its territory's owner: "OK" or the error's code name.
  void Forwarded(std::string_view outcome);

 private:
  prometheus::Counter& Series(prometheus::Family<prometheus::Counter>& family,
                              std::string_view label, std::string_view value);

  prometheus::Family<prometheus::Counter>& decisions_;
  prometheus::Family<prometheus::Counter>& actions_;
  prometheus::Family<prometheus::Counter>& ignored_;
  prometheus::Family<prometheus::Counter>& routed_;
  prometheus::Family<prometheus::Counter>& forwarded_;
  prometheus::Family<prometheus::Gauge>& open_;
  prometheus::Gauge& territories_;
  std::mutex mutex_;
  std::map<std::string, prometheus::Counter*, std::less<>> cache_;
  std::map<std::string, prometheus::Gauge*, std::less<>> gauges_;
  std::map<std::string, std::map<int32_t, double>> open_values_;  // kind → territory → count
};

}  // namespace gridcare::dispatch
