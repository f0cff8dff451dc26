#pragma once

// analytics' own metrics beside the kit's consumer, gRPC and periodic-task metrics. Labels come
// from fixed lists and exist at 0 from the start; never an id, an area or a keyword.
//
//   gridcare_analytics_events_total{topic,outcome}     applied / duplicate (applied before)
//   gridcare_analytics_unmatched_total{topic}          events naming a ticket analytics never saw
//   gridcare_analytics_kpi{kpi,window}                 the KPIs of today and of the last 7 days
//                                                      (window "today" / "7d"), refreshed
//                                                      periodically from the stored figures
//   gridcare_analytics_series                          category × area series watched
//   gridcare_analytics_surge_findings_total{method}    hour / day / cusum findings that raised
//                                                      a warning
//   gridcare_analytics_surges_explained_total          fault surges left alone: an incident is
//                                                      open in the area
//   gridcare_analytics_warnings{state}                 raised / acknowledged / closed (watched)
//   gridcare_analytics_warnings_raised_total{kind,severity}
//   gridcare_analytics_warning_escalations_total       unacknowledged warnings escalated
//   gridcare_analytics_warning_unacknowledged_oldest_seconds   age of the oldest warning nobody
//                                                      acknowledged (0: none)
//   gridcare_analytics_keyword_hotspots                bursting terms the latest warning named

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string>
#include <string_view>
#include <vector>

namespace gridcare::analytics {

/// The KPI gauge names (label kpi), in the order KpiGauges gives them.
const std::vector<std::string>& KpiGaugeNames();

/// Thread-safe (prometheus-cpp metrics are).
class AnalyticsMetrics {
 public:
  /// `registry` must outlive this object.
  explicit AnalyticsMetrics(prometheus::Registry& registry);

  void Event(std::string_view topic, bool applied);
  void Unmatched(std::string_view topic);
  void SetKpi(std::string_view kpi, std::string_view window, double value);
  void SetSeries(double count);
  void SurgeFinding(std::string_view method);
  void SurgeExplained();
  void SetWarnings(double raised, double acknowledged, double closed);
  void WarningRaised(std::string_view kind, std::string_view severity);
  void WarningEscalated();
  void SetOldestUnacknowledged(double seconds);
  void SetKeywordHotspots(double count);

 private:
  prometheus::Family<prometheus::Counter>* events_;
  prometheus::Family<prometheus::Counter>* unmatched_;
  prometheus::Family<prometheus::Gauge>* kpi_;
  prometheus::Gauge* series_;
  prometheus::Family<prometheus::Counter>* findings_;
  prometheus::Counter* explained_;
  prometheus::Family<prometheus::Gauge>* warnings_;
  prometheus::Family<prometheus::Counter>* raised_;
  prometheus::Counter* escalations_;
  prometheus::Gauge* oldest_unacknowledged_;
  prometheus::Gauge* hotspots_;
};

}  // namespace gridcare::analytics
