#include "analytics_metrics.h"

#include "gridcare/kafka/topics.h"

namespace gridcare::analytics {
namespace {

prometheus::Family<prometheus::Counter>* Counters(prometheus::Registry& registry,
                                                  const std::string& name,
                                                  const std::string& help) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}
prometheus::Family<prometheus::Gauge>* Gauges(prometheus::Registry& registry,
                                              const std::string& name, const std::string& help) {
  return &prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

}  // namespace

const std::vector<std::string>& KpiGaugeNames() {
  static const std::vector<std::string> names = {
      "contacts",
      "tickets",
      "timely_resolution_ratio",
      "mean_handling_working_days",
      "arrival_within_limit_ratio",
      "mean_arrival_minutes",
      "mean_restoration_minutes",
      "first_contact_resolution_ratio",
      "complaints",
      "complaints_per_10k_customers",
      "satisfied_ratio",
      "mean_satisfaction",
      "reopen_ratio",
      "urging_ratio",
      "notification_delivery_ratio",
      "overdue",
  };
  return names;
}

AnalyticsMetrics::AnalyticsMetrics(prometheus::Registry& registry)
    : events_(Counters(registry, "gridcare_analytics_events_total",
                       "Events read by topic and outcome: applied, or duplicate (applied before)")),
      unmatched_(Counters(registry, "gridcare_analytics_unmatched_total",
                          "Events naming a ticket analytics never saw opened")),
      kpi_(Gauges(registry, "gridcare_analytics_kpi",
                  "KPIs of today and of the last 7 days (window), from the stored figures")),
      series_(&Gauges(registry, "gridcare_analytics_series",
                      "Category x area series surge detection watches")
                   ->Add({})),
      findings_(Counters(registry, "gridcare_analytics_surge_findings_total",
                         "Surges that raised a risk warning, by test (hour, day, cusum)")),
      explained_(&Counters(registry, "gridcare_analytics_surges_explained_total",
                           "Fault-repair surges not warned of: an incident is open in the area")
                      ->Add({})),
      warnings_(Gauges(registry, "gridcare_analytics_warnings",
                       "Risk warnings by state: raised, acknowledged, closed (re-monitoring)")),
      raised_(Counters(registry, "gridcare_analytics_warnings_raised_total",
                       "Risk warnings raised by kind and severity")),
      escalations_(&Counters(registry, "gridcare_analytics_warning_escalations_total",
                             "Unacknowledged risk warnings escalated a rung")
                        ->Add({})),
      oldest_unacknowledged_(
          &Gauges(registry, "gridcare_analytics_warning_unacknowledged_oldest_seconds",
                  "Age of the oldest risk warning nobody acknowledged; 0 when none")
               ->Add({})),
      hotspots_(&Gauges(registry, "gridcare_analytics_keyword_hotspots",
                        "Bursting terms named by the latest risk warning raised")
                     ->Add({})) {
  for (auto topic : {kafka::kIntakeTopic, kafka::kDispatchTopic, kafka::kComplaintTopic,
                     kafka::kNotificationTopic, kafka::kAlertTopic}) {
    for (const char* outcome : {"applied", "duplicate"}) {
      events_->Add({{"topic", std::string(topic)}, {"outcome", outcome}});
    }
    unmatched_->Add({{"topic", std::string(topic)}});
  }
  for (const auto& kpi : KpiGaugeNames()) {
    for (const char* window : {"today", "7d"}) kpi_->Add({{"kpi", kpi}, {"window", window}});
  }
  for (const char* method : {"hour", "day", "cusum"}) findings_->Add({{"method", method}});
  for (const char* state : {"raised", "acknowledged", "closed"}) warnings_->Add({{"state", state}});
  for (const char* severity : {"warning", "critical"}) {
    raised_->Add({{"kind", "surge"}, {"severity", severity}});
  }
}

void AnalyticsMetrics::Event(std::string_view topic, bool applied) {
  events_->Add({{"topic", std::string(topic)}, {"outcome", applied ? "applied" : "duplicate"}})
      .Increment();
}
void AnalyticsMetrics::Unmatched(std::string_view topic) {
  unmatched_->Add({{"topic", std::string(topic)}}).Increment();
}
void AnalyticsMetrics::SetKpi(std::string_view kpi, std::string_view window, double value) {
  kpi_->Add({{"kpi", std::string(kpi)}, {"window", std::string(window)}}).Set(value);
}
void AnalyticsMetrics::SetSeries(double count) { series_->Set(count); }
void AnalyticsMetrics::SurgeFinding(std::string_view method) {
  findings_->Add({{"method", std::string(method)}}).Increment();
}
void AnalyticsMetrics::SurgeExplained() { explained_->Increment(); }
void AnalyticsMetrics::SetWarnings(double raised, double acknowledged, double closed) {
  warnings_->Add({{"state", "raised"}}).Set(raised);
  warnings_->Add({{"state", "acknowledged"}}).Set(acknowledged);
  warnings_->Add({{"state", "closed"}}).Set(closed);
}
void AnalyticsMetrics::WarningRaised(std::string_view kind, std::string_view severity) {
  raised_->Add({{"kind", std::string(kind)}, {"severity", std::string(severity)}}).Increment();
}
void AnalyticsMetrics::WarningEscalated() { escalations_->Increment(); }
void AnalyticsMetrics::SetOldestUnacknowledged(double seconds) {
  oldest_unacknowledged_->Set(seconds);
}
void AnalyticsMetrics::SetKeywordHotspots(double count) { hotspots_->Set(count); }

}  // namespace gridcare::analytics
