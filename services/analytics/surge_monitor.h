#pragma once

// SurgeMonitor: the early-warning round analytics runs every minute (the "detect" periodic task).
// For every category × area series it asks the SurgeDetector about the current hour against the
// same slots of past weeks (holidays and the area's known outage days left out); a fault-repair
// surge in an area with an open incident is explained, not warned of. A finding on a series with
// no warning in progress raises one, with the area's bursting keywords and masked example
// tickets as evidence. The round also escalates warnings nobody acknowledged and re-monitors
// closed ones (a recurrence raises a new warning, a quiet window ends the old one).
//
// Everything it decides is published on gridcare.alert.v1 with ids derived from the decision
// (alert id + step), and the state changes only when analytics' own consumer applies those
// events: a round repeated after a crash or on another replica publishes the same events, which
// the consumer applies once.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "analytics_metrics.h"
#include "analytics_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/sla/calendar.h"
#include "keyword_bursts.h"
#include "surge_detector.h"
#include "warning_book.h"

namespace gridcare::analytics {

struct MonitorSettings {
  /// Past windows (same weekday, previous weeks) a day's terms are compared with.
  int keyword_baseline_weeks = 4;
  KeywordSettings keywords;
  /// Example tickets a warning shows.
  size_t examples = 3;
};

/// What one round did (for logs and tests).
struct RoundSummary {
  int series = 0;
  int findings = 0;
  int raised = 0;
  int explained = 0;
  int escalated = 0;
  int remonitored = 0;
};

class SurgeMonitor {
 public:
  /// Every reference must outlive the monitor; `metrics` may be null.
  SurgeMonitor(AnalyticsStore& store, const SurgeDetector& detector, const WarningBook& book,
               const sla::WorkingCalendar& calendar, kafka::EventPublisher& publisher,
               const core::Clock& clock, MonitorSettings settings, AnalyticsMetrics* metrics);

  /// One round at the clock's now. UNAVAILABLE when the store or the publisher fails (the next
  /// round tries again; nothing is half-done that a repeat would not complete).
  core::Result<RoundSummary> RunOnce();

  /// Publishes a warning step (from the gRPC service: acknowledge, close).
  core::Status Publish(const v1::AlertEvent& event, const std::string& step);

 private:
  core::Result<std::map<SeriesId, v1::StoredWarning>> ActiveWarnings(RoundSummary& summary,
                                                                     core::TimePoint now);
  /// `outage_days`: the series' area's known outage days (read once per round).
  core::Result<std::optional<SurgeFinding>> Evaluate(const SeriesId& series, int64_t hour,
                                                     int64_t since, std::set<int32_t> outage_days);
  core::Result<WarningEvidence> Evidence(const SeriesId& series, int64_t hour);
  core::Status Raise(const SeriesId& series, const SurgeFinding& finding, core::TimePoint now,
                     const std::optional<v1::StoredWarning>& recurrence_of);

  AnalyticsStore& store_;
  const SurgeDetector& detector_;
  const WarningBook& book_;
  const sla::WorkingCalendar& calendar_;
  kafka::EventPublisher& publisher_;
  const core::Clock& clock_;
  MonitorSettings settings_;
  AnalyticsMetrics* metrics_;
  std::mutex mutex_;  // one round at a time
  /// Alerts this process raised whose `raised` event its consumer may not have applied yet.
  std::set<std::string> raised_recently_;
};

}  // namespace gridcare::analytics
