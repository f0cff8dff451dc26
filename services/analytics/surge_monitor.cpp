#include "surge_monitor.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/labels/labels.h"
#include "gridcare/logging/log.h"
#include "hour_index.h"

namespace gridcare::analytics {
namespace {

using google::protobuf::util::TimeUtil;

/// Hourly counts loaded for one evaluation, with the hours the baseline must leave out.
class LoadedHistory final : public HourlyHistory {
 public:
  LoadedHistory(int64_t first_hour, std::vector<int64_t> counts, int64_t since,
                std::set<int32_t> excluded_days)
      : first_hour_(first_hour),
        counts_(std::move(counts)),
        since_(since),
        excluded_days_(std::move(excluded_days)) {}

  int64_t Count(int64_t hour) const override {
    const int64_t index = hour - first_hour_;
    if (index < 0 || index >= static_cast<int64_t>(counts_.size())) return 0;
    return counts_[static_cast<size_t>(index)];
  }
  bool Excluded(int64_t hour) const override {
    return hour < since_ || hour < first_hour_ ||
           excluded_days_.count(static_cast<int32_t>(DayOf(hour))) > 0;
  }

 private:
  int64_t first_hour_;
  std::vector<int64_t> counts_;
  int64_t since_;
  std::set<int32_t> excluded_days_;
};

bool IsFaultSeries(const std::string& series) {
  return series == "fault_repair" || series.starts_with("fault_repair/");
}

std::string TypeName(const v1::AlertEvent& event) {
  switch (event.event_case()) {
    case v1::AlertEvent::kRaised:
      return "gridcare.risk_warning.raised.v1";
    case v1::AlertEvent::kCleared:
      return "gridcare.risk_warning.cleared.v1";
    case v1::AlertEvent::kAcknowledged:
      return "gridcare.risk_warning.acknowledged.v1";
    case v1::AlertEvent::kClosed:
      return "gridcare.risk_warning.closed.v1";
    case v1::AlertEvent::kEscalated:
      return "gridcare.risk_warning.escalated.v1";
    case v1::AlertEvent::kRemonitored:
      return "gridcare.risk_warning.remonitored.v1";
    default:
      return "gridcare.risk_warning.unknown.v1";
  }
}

}  // namespace

SurgeMonitor::SurgeMonitor(AnalyticsStore& store, const SurgeDetector& detector,
                           const WarningBook& book, const sla::WorkingCalendar& calendar,
                           kafka::EventPublisher& publisher, const core::Clock& clock,
                           MonitorSettings settings, AnalyticsMetrics* metrics)
    : store_(store),
      detector_(detector),
      book_(book),
      calendar_(calendar),
      publisher_(publisher),
      clock_(clock),
      settings_(std::move(settings)),
      metrics_(metrics) {}

core::Status SurgeMonitor::Publish(const v1::AlertEvent& event, const std::string& step) {
  std::string alert_id;
  if (event.has_raised()) alert_id = event.raised().alert_id();
  if (event.has_acknowledged()) alert_id = event.acknowledged().alert_id();
  if (event.has_closed()) alert_id = event.closed().alert_id();
  if (event.has_escalated()) alert_id = event.escalated().alert_id();
  if (event.has_remonitored()) alert_id = event.remonitored().alert_id();
  if (event.has_cleared()) alert_id = event.cleared().alert_id();
  kafka::EventMetadata metadata;
  metadata.id = kafka::DeriveEventId(alert_id, step);
  metadata.type = TypeName(event);
  metadata.source = "/gridcare/analytics";
  metadata.subject = alert_id;
  metadata.time = clock_.Now();
  metadata.traceparent = kafka::NewTraceparent();
  return publisher_.Publish(
      kafka::MakeRecord(std::string(kafka::kAlertTopic), alert_id, metadata, event));
}

core::Result<std::map<SeriesId, v1::StoredWarning>> SurgeMonitor::ActiveWarnings(
    RoundSummary& summary, core::TimePoint now) {
  auto stored = store_.Warnings();
  if (!stored) return stored.error();
  std::map<SeriesId, v1::StoredWarning> active;
  double raised = 0;
  double acknowledged = 0;
  double closed = 0;
  double oldest = 0;
  for (const auto& bytes : *stored) {
    v1::StoredWarning warning;
    if (!warning.ParseFromString(bytes) || !WarningBook::IsActive(warning)) continue;
    raised_recently_.erase(warning.status().alert_id());  // the consumer has it now
    const auto state = warning.status().state();
    if (state == v1::WarningStatus::STATE_RAISED) {
      raised += 1;
      const auto age = now - core::FromUnixMillis(
                                 TimeUtil::TimestampToMilliseconds(warning.raised().raised_at()));
      oldest = std::max(oldest, std::chrono::duration<double>(age).count());
      if (auto escalation = book_.Escalation(warning, now)) {
        const int level = escalation->escalated().level();
        if (auto status = Publish(*escalation, "escalated/" + std::to_string(level)); !status) {
          return status.error();
        }
        ++summary.escalated;
        if (metrics_ != nullptr) metrics_->WarningEscalated();
      }
    } else if (state == v1::WarningStatus::STATE_ACKNOWLEDGED) {
      acknowledged += 1;
    } else {
      closed += 1;
    }
    active[{warning.raised().series(), warning.raised().area()}] = std::move(warning);
  }
  if (metrics_ != nullptr) {
    metrics_->SetWarnings(raised, acknowledged, closed);
    metrics_->SetOldestUnacknowledged(oldest);
  }
  return active;
}

core::Result<std::optional<SurgeFinding>> SurgeMonitor::Evaluate(const SeriesId& series,
                                                                 int64_t hour, int64_t since,
                                                                 std::set<int32_t> outage_days) {
  const auto& s = detector_.settings();
  const int64_t first_hour =
      hour - static_cast<int64_t>(s.baseline_weeks + 1) * kHoursPerWeek - s.cusum_hours;
  auto counts = store_.SeriesCounts(series, first_hour, hour);
  if (!counts) return counts.error();
  std::set<int32_t> excluded = std::move(outage_days);
  // Holidays: weekdays the calendar does not work (a holiday on a weekend is not told apart from
  // an ordinary weekend, whose baseline is the same weekday anyway).
  for (int64_t day = DayOf(first_hour); day <= DayOf(hour); ++day) {
    const auto date = calendar_.LocalDateOf(StartOfHour(FirstHourOfDay(day) + 12));
    const bool weekday = DayOfWeek(FirstHourOfDay(day)) < 5;  // 0 = Monday
    if (weekday && !calendar_.IsWorkingDay(date)) excluded.insert(static_cast<int32_t>(day));
  }
  // Today's outage is explained by the incident check, not by leaving the present out.
  excluded.erase(static_cast<int32_t>(DayOf(hour)));
  LoadedHistory history(first_hour, std::move(*counts), since, std::move(excluded));
  return detector_.Evaluate(history, hour);
}

core::Result<WarningEvidence> SurgeMonitor::Evidence(const SeriesId& series, int64_t hour) {
  const auto today = static_cast<int32_t>(DayOf(hour));
  auto current = store_.Terms(series.area, today);
  if (!current) return current.error();
  std::map<std::string, int64_t> baseline;
  int64_t baseline_total = 0;
  int windows = 0;
  for (int week = 1; week <= settings_.keyword_baseline_weeks; ++week) {
    auto past = store_.Terms(series.area, today - 7 * week);
    if (!past) return past.error();
    if (past->second == 0) continue;
    ++windows;
    baseline_total += past->second;
    for (const auto& [term, count] : past->first) baseline[term] += count;
  }
  WarningEvidence evidence;
  const auto bursts = FindBursts(current->first, baseline, windows, current->second, baseline_total,
                                 settings_.keywords);
  for (const auto& burst : bursts) evidence.top_keywords.push_back(burst.term);
  auto examples = store_.Examples(series.area, today);
  if (!examples) return examples.error();
  const std::string term = evidence.top_keywords.empty() ? "" : evidence.top_keywords.front();
  auto picked = term.empty() ? std::vector<ExampleTicket>()
                             : PickExamples(*examples, term, settings_.examples);
  for (size_t i = 0; picked.size() < settings_.examples && i < examples->size(); ++i) {
    const auto& candidate = (*examples)[i];
    const bool taken = std::any_of(picked.begin(), picked.end(), [&](const ExampleTicket& e) {
      return e.ticket_id == candidate.ticket_id;
    });
    if (!taken) picked.push_back({candidate.ticket_id, MaskedExcerpt(candidate.text)});
  }
  for (const auto& example : picked) {
    v1::ExampleTicket out;
    out.set_ticket_id(example.ticket_id);
    out.set_masked_text(example.text);
    evidence.examples.push_back(std::move(out));
  }
  return evidence;
}

core::Status SurgeMonitor::Raise(const SeriesId& series, const SurgeFinding& finding,
                                 core::TimePoint now,
                                 const std::optional<v1::StoredWarning>& recurrence_of) {
  auto evidence = Evidence(series, finding.window_end_hour - 1);
  if (!evidence) return evidence.error();
  v1::AlertEvent event;
  *event.mutable_raised() = book_.Raise(series.series, series.area, finding, *evidence, now);
  const std::string alert_id = event.raised().alert_id();
  if (auto status = Publish(event, "raised"); !status) return status;
  raised_recently_.insert(alert_id);
  if (metrics_ != nullptr) {
    metrics_->SurgeFinding(finding.method);
    metrics_->WarningRaised(
        "surge", event.raised().severity() == v1::ALERT_SEVERITY_CRITICAL ? "critical" : "warning");
    metrics_->SetKeywordHotspots(static_cast<double>(evidence->top_keywords.size()));
  }
  logging::Info("risk warning raised", {{"alert_id", alert_id},
                                        {"series", series.series},
                                        {"method", finding.method},
                                        {"observed", finding.observed},
                                        {"expected", finding.expected}});
  if (recurrence_of) {
    if (auto verdict = WarningBook::Remonitor(*recurrence_of, now, alert_id)) {
      return Publish(*verdict, "remonitored");
    }
  }
  return {};
}

core::Result<RoundSummary> SurgeMonitor::RunOnce() {
  std::lock_guard lock(mutex_);
  RoundSummary summary;
  const core::TimePoint now = clock_.Now();
  const int64_t hour = HourIndexOf(now);
  auto active = ActiveWarnings(summary, now);
  if (!active) return active.error();
  auto since = store_.HistorySince();
  if (!since) return since.error();
  if (!*since) return summary;  // nothing counted yet
  auto series_list = store_.Series();
  if (!series_list) return series_list.error();
  auto outage_days = store_.OutageDays();  // once per round, not once per series
  if (!outage_days) return outage_days.error();
  summary.series = static_cast<int>(series_list->size());
  if (metrics_ != nullptr) metrics_->SetSeries(summary.series);
  for (const auto& series : *series_list) {
    const auto found = active->find(series);
    const bool watching = found != active->end();
    const bool closed =
        watching && found->second.status().state() == v1::WarningStatus::STATE_CLOSED;
    if (watching && !closed) continue;  // a warning in progress: someone is on it
    const auto outages = outage_days->find(series.area);
    auto finding = Evaluate(series, hour, **since,
                            outages == outage_days->end() ? std::set<int32_t>() : outages->second);
    if (!finding) return finding.error();
    if (!*finding) {
      if (closed) {
        if (auto verdict = WarningBook::Remonitor(found->second, now, std::nullopt)) {
          if (auto status = Publish(*verdict, "remonitored"); !status) return status.error();
          ++summary.remonitored;
        }
      }
      continue;
    }
    ++summary.findings;
    const std::string alert_id =
        WarningBook::AlertId(series.series, series.area, (*finding)->window_start_hour);
    if (raised_recently_.count(alert_id) > 0) continue;
    if (closed && found->second.status().alert_id() == alert_id) continue;  // the same surge
    if (IsFaultSeries(series.series)) {
      auto open = store_.OpenIncidents(series.area);
      if (!open) return open.error();
      if (*open > 0) {
        ++summary.explained;
        if (metrics_ != nullptr) metrics_->SurgeExplained();
        continue;
      }
    }
    std::optional<v1::StoredWarning> recurrence_of;
    if (closed) recurrence_of = found->second;
    if (auto status = Raise(series, **finding, now, recurrence_of); !status) return status.error();
    ++summary.raised;
    if (closed) ++summary.remonitored;
  }
  return summary;
}

}  // namespace gridcare::analytics
