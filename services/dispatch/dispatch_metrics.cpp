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
      routed_(prometheus::BuildCounter()
                  .Name("gridcare_dispatch_routed_total")
                  .Help("Records routed to territories (one_territory, all_territories, "
                        "not_dispatch) and crew reports left to another territory's owner")
                  .Register(registry)),
      forwarded_(prometheus::BuildCounter()
                     .Name("gridcare_dispatch_console_forwarded_total")
                     .Help("Console actions forwarded to the dispatch instance that owns their "
                           "territory, by outcome (OK or the error code)")
                     .Register(registry)),
      open_(prometheus::BuildGauge()
                .Name("gridcare_dispatch_open")
                .Help("Open incidents, work orders and queued work orders of the territories this "
                      "instance owns")
                .Register(registry)),
      territories_(prometheus::BuildGauge()
                       .Name("gridcare_dispatch_territories_owned")
                       .Help("Territory partitions this dispatch instance owns")
                       .Register(registry)
                       .Add({})) {
  for (const char* outcome :
       {"one_territory", "all_territories", "not_dispatch", "other_territory"}) {
    Series(routed_, "outcome", outcome);
  }
  Series(forwarded_, "outcome", "OK");
  // Every series at 0 from the start, so rates and alerts see the first increment.
  for (const char* action :
       {"work_order_created", "assigned", "reassigned", "assigned_by_dispatcher", "queued",
        "queued_at_risk", "cancelled", "merged", "completed", "restored", "reminder_alarm",
        "overdue_alarm"}) {
    Series(actions_, "action", action);
  }
  for (const char* reason :
       {"ticket_not_open", "redelivered_ticket", "duplicate_ticket", "report_from_crew_without_job",
        "closed_or_unknown_work_order", "unknown_crew", "unknown_crew_event"}) {
    Series(ignored_, "reason", reason);
  }
  for (const char* decision : {"attach-to-incident", "attach-to-planned-outage", "open-incident",
                               "roll-up", "single-customer-work-order", "hold"}) {
    Series(decisions_, "decision", decision);  // at 0 before the first storm
  }
  for (const char* kind : {"incidents", "work_orders", "queued_work_orders"}) SetOpen(kind, 0);
}

prometheus::Counter& DispatchMetrics::Series(prometheus::Family<prometheus::Counter>& family,
                                             std::string_view label, std::string_view value) {
  std::string key = family.GetName() + '\n' + std::string(label) + '\n' + std::string(value);
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

void DispatchMetrics::Routed(std::string_view outcome) {
  Series(routed_, "outcome", outcome).Increment();
}

void DispatchMetrics::Forwarded(std::string_view outcome) {
  Series(forwarded_, "outcome", outcome).Increment();
}

void DispatchMetrics::SetOpen(std::string_view kind, double value, int32_t territory) {
  std::lock_guard lock(mutex_);
  auto it = gauges_.find(kind);
  if (it == gauges_.end()) {
    it = gauges_.emplace(std::string(kind), &open_.Add({{"kind", std::string(kind)}})).first;
  }
  auto& per_territory = open_values_[std::string(kind)];
  per_territory[territory] = value;
  double sum = 0;
  for (const auto& [owner, count] : per_territory) sum += count;
  it->second->Set(sum);
}

void DispatchMetrics::ForgetTerritory(int32_t territory) {
  std::lock_guard lock(mutex_);
  for (auto& [kind, per_territory] : open_values_) {
    per_territory.erase(territory);
    double sum = 0;
    for (const auto& [owner, count] : per_territory) sum += count;
    if (auto it = gauges_.find(kind); it != gauges_.end()) it->second->Set(sum);
  }
}

void DispatchMetrics::SetTerritoriesOwned(size_t count) {
  territories_.Set(static_cast<double>(count));
}

}  // namespace gridcare::dispatch
