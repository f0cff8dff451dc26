#include "dispatch_metrics.h"

namespace gridcare::dispatch {

DispatchMetrics::DispatchMetrics(prometheus::Registry& registry)
    : decisions_(prometheus::BuildCounter()
                     .Name("gridcare_dispatch_decisions_total")
                     .Help("Correlation outcomes of fault tickets, by decision")
                     .Register(registry)),
      actions_(
          prometheus::BuildCounter()
              .Name("gridcare_dispatch_actions_total")
              .Help("Dispatch actions: assigned, reassigned, queued, cancelled, restored, alarm")
              .Register(registry)),
      ignored_(
          prometheus::BuildCounter()
              .Name("gridcare_dispatch_ignored_total")
              .Help("Inputs that changed nothing, by reason (stale crew report, not a fault …)")
              .Register(registry)),
      open_(prometheus::BuildGauge()
                .Name("gridcare_dispatch_open")
                .Help("Open incidents, work orders and queued work orders")
                .Register(registry)) {
  for (const char* decision : {"attach-to-incident", "attach-to-planned-outage", "open-incident",
                               "roll-up", "single-customer-work-order", "hold"}) {
    Series(decisions_, "decision", decision);  // at 0 before the first storm
  }
  for (const char* kind : {"incidents", "work_orders", "queued_work_orders"}) SetOpen(kind, 0);
}

prometheus::Counter& DispatchMetrics::Series(prometheus::Family<prometheus::Counter>& family,
                                             std::string_view label, std::string_view value) {
  std::string key = std::string(label) + '\n' + std::string(value);
  std::lock_guard lock(mutex_);
  if (auto it = cache_.find(key); it != cache_.end()) return *it->second;
  auto& series = family.Add({{std::string(label), std::string(value)}});
  cache_.emplace(std::move(key), &series);
  return series;
}

void DispatchMetrics::Decision(std::string_view decision) {
  Series(decisions_, "decision", decision).Increment();
}

void DispatchMetrics::Action(std::string_view action) {
  Series(actions_, "action", action).Increment();
}

void DispatchMetrics::Ignored(std::string_view reason) {
  Series(ignored_, "reason", reason).Increment();
}

void DispatchMetrics::SetOpen(std::string_view kind, double value) {
  std::lock_guard lock(mutex_);
  auto it = gauges_.find(kind);
  if (it == gauges_.end()) {
    it = gauges_.emplace(std::string(kind), &open_.Add({{"kind", std::string(kind)}})).first;
  }
  it->second->Set(value);
}

}  // namespace gridcare::dispatch
