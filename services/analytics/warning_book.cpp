#include "warning_book.h"

#include <google/protobuf/util/time_util.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>

#include "gridcare/labels/labels.h"
#include "hour_index.h"

namespace gridcare::analytics {
namespace {

using google::protobuf::util::TimeUtil;
using State = v1::WarningStatus;

google::protobuf::Timestamp Stamp(core::TimePoint t) {
  return TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(t));
}
core::TimePoint Time(const google::protobuf::Timestamp& t) {
  return core::FromUnixMillis(TimeUtil::TimestampToMilliseconds(t));
}

std::string Fixed(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

/// "complaint/billing" → its request type for the contract (RequestType), when it names one.
v1::RequestType TypeOfSeries(const std::string& series) {
  const std::string type = series.substr(0, series.find('/'));
  for (int value = v1::RequestType_MIN; value <= v1::RequestType_MAX; ++value) {
    if (!v1::RequestType_IsValid(value)) continue;
    const auto candidate = static_cast<v1::RequestType>(value);
    if (labels::EnumLabel(v1::RequestType_Name(candidate), "REQUEST_TYPE_") == type) {
      return candidate;
    }
  }
  return v1::REQUEST_TYPE_UNSPECIFIED;
}

v1::LocalizedText Summary(const std::string& series, const std::string& area,
                          const SurgeFinding& finding, v1::RequestType type) {
  const auto type_label = labels::RequestTypeLabel(type);
  const std::string matter =
      series.find('/') == std::string::npos ? "" : series.substr(series.find('/') + 1);
  const std::string observed = Fixed(finding.observed, 0);
  const std::string expected = Fixed(finding.expected, 1);
  const std::string ratio = Fixed(finding.score, 1);
  const char* window_zh = finding.method == "hour"  ? "本小时"
                          : finding.method == "day" ? "今日"
                                                    : "近几小时";
  const char* window_en = finding.method == "hour"  ? "this hour"
                          : finding.method == "day" ? "today so far"
                                                    : "over recent hours";
  std::string zh = area + window_zh + "收到" + type_label.zh_cn() +
                   (matter.empty() ? "" : "（" + matter + "）") + observed + "件，往常同期约" +
                   expected + "件（" + ratio + "倍），请核查原因并组织处置。";
  std::string en = area + ": " + observed + " " + type_label.en() + " requests" +
                   (matter.empty() ? "" : " about " + matter) + " " + window_en +
                   ", against about " + expected + " usually (" + ratio +
                   "x). Find the cause and coordinate a response.";
  return labels::Text(std::move(zh), std::move(en));
}

}  // namespace

std::string WarningBook::AlertId(const std::string& series, const std::string& area,
                                 int64_t window_start_hour) {
  // RW-<local yyyymmddhh of the window>-<16 hex digits of the series and area>.
  const auto start = StartOfHour(window_start_hour);
  const int64_t local_seconds = core::ToUnixMillis(start) / 1000 + kLocalOffsetSeconds;
  const std::time_t local = static_cast<std::time_t>(local_seconds);
  std::tm tm{};
  gmtime_r(&local, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour);
  // FNV-1a: stable across builds and platforms (std::hash is not).
  uint64_t hash = 1469598103934665603ULL;
  for (char c : series + "|" + area) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return std::string("RW-") + stamp + "-" + hex;
}

v1::RiskWarningRaised WarningBook::Raise(const std::string& series, const std::string& area,
                                         const SurgeFinding& finding,
                                         const WarningEvidence& evidence,
                                         core::TimePoint now) const {
  v1::RiskWarningRaised raised;
  raised.set_alert_id(AlertId(series, area, finding.window_start_hour));
  raised.set_kind(v1::ALERT_KIND_SURGE);
  raised.set_severity(finding.score >= settings_.critical_ratio ? v1::ALERT_SEVERITY_CRITICAL
                                                                : v1::ALERT_SEVERITY_WARNING);
  const auto type = TypeOfSeries(series);
  raised.set_category(type);
  raised.set_area(area);
  if (!evidence.top_keywords.empty()) raised.set_keyword(evidence.top_keywords.front());
  raised.set_observed(finding.observed);
  raised.set_expected(finding.expected);
  raised.set_score(finding.score);
  *raised.mutable_window_start() = Stamp(StartOfHour(finding.window_start_hour));
  *raised.mutable_window_end() = Stamp(StartOfHour(finding.window_end_hour));
  raised.set_responsible_role(settings_.responsible_role);
  *raised.mutable_summary() = Summary(series, area, finding, type);
  raised.set_method(finding.method);
  raised.set_p_value(finding.p_value);
  raised.set_baseline_weeks(finding.baseline_weeks);
  for (const auto& keyword : evidence.top_keywords) raised.add_top_keywords(keyword);
  for (const auto& example : evidence.examples) *raised.add_examples() = example;
  raised.set_series(series);
  *raised.mutable_raised_at() = Stamp(now);
  *raised.mutable_acknowledge_by() = Stamp(now + settings_.acknowledge_within);
  return raised;
}

std::optional<v1::StoredWarning> WarningBook::Apply(const std::optional<v1::StoredWarning>& current,
                                                    const v1::AlertEvent& event) {
  if (event.has_raised()) {
    if (current) return current;  // raised once: a replayed raise changes nothing
    v1::StoredWarning stored;
    *stored.mutable_raised() = event.raised();
    stored.mutable_status()->set_alert_id(event.raised().alert_id());
    stored.mutable_status()->set_state(State::STATE_RAISED);
    return stored;
  }
  if (!current) return std::nullopt;
  v1::StoredWarning next = *current;
  auto& status = *next.mutable_status();
  switch (event.event_case()) {
    case v1::AlertEvent::kAcknowledged:
      if (status.state() == State::STATE_RAISED) status.set_state(State::STATE_ACKNOWLEDGED);
      if (status.acknowledged_by().empty()) {
        status.set_acknowledged_by(event.acknowledged().by().id());
      }
      break;
    case v1::AlertEvent::kClosed:
      if (status.state() == State::STATE_RAISED || status.state() == State::STATE_ACKNOWLEDGED) {
        status.set_state(State::STATE_CLOSED);
        status.set_measure(event.closed().measure());
        *status.mutable_remonitor_until() = event.closed().remonitor_until();
        if (status.acknowledged_by().empty()) status.set_acknowledged_by(event.closed().by().id());
      }
      break;
    case v1::AlertEvent::kEscalated:
      status.set_escalation_level(std::max(status.escalation_level(), event.escalated().level()));
      break;
    case v1::AlertEvent::kRemonitored:
    case v1::AlertEvent::kCleared:
      status.set_state(State::STATE_DONE);
      break;
    default:
      break;
  }
  return next;
}

bool WarningBook::IsOpen(const v1::StoredWarning& warning) {
  const auto state = warning.status().state();
  return state == State::STATE_RAISED || state == State::STATE_ACKNOWLEDGED;
}

bool WarningBook::IsActive(const v1::StoredWarning& warning) {
  return IsOpen(warning) || warning.status().state() == State::STATE_CLOSED;
}

core::Result<std::optional<v1::AlertEvent>> WarningBook::Acknowledge(
    const v1::StoredWarning& warning, const v1::Actor& by, core::TimePoint now) const {
  if (by.id().empty()) return core::InvalidArgument("by.id: who acknowledges is required");
  const auto state = warning.status().state();
  if (state == State::STATE_CLOSED || state == State::STATE_DONE) {
    return core::FailedPrecondition("warning " + warning.status().alert_id() +
                                    " is already closed");
  }
  if (state == State::STATE_ACKNOWLEDGED) return std::optional<v1::AlertEvent>();
  v1::AlertEvent event;
  auto& ack = *event.mutable_acknowledged();
  ack.set_alert_id(warning.status().alert_id());
  *ack.mutable_by() = by;
  *ack.mutable_at() = Stamp(now);
  return std::optional<v1::AlertEvent>(std::move(event));
}

core::Result<std::optional<v1::AlertEvent>> WarningBook::Close(const v1::StoredWarning& warning,
                                                               const v1::Actor& by,
                                                               const std::string& measure,
                                                               core::TimePoint now) const {
  if (by.id().empty()) return core::InvalidArgument("by.id: who closes is required");
  if (measure.find_first_not_of(" \t\r\n") == std::string::npos) {
    return core::InvalidArgument("measure: say what was done (it is kept with the warning)");
  }
  constexpr size_t kMaxMeasure = 2000;
  if (measure.size() > kMaxMeasure) {
    return core::InvalidArgument("measure: at most " + std::to_string(kMaxMeasure) + " bytes");
  }
  if (!IsOpen(warning)) return std::optional<v1::AlertEvent>();
  v1::AlertEvent event;
  auto& closed = *event.mutable_closed();
  closed.set_alert_id(warning.status().alert_id());
  *closed.mutable_by() = by;
  closed.set_measure(measure);
  *closed.mutable_at() = Stamp(now);
  *closed.mutable_remonitor_until() = Stamp(now + settings_.remonitor_for);
  return std::optional<v1::AlertEvent>(std::move(event));
}

std::optional<v1::AlertEvent> WarningBook::Escalation(const v1::StoredWarning& warning,
                                                      core::TimePoint now) const {
  if (warning.status().state() != State::STATE_RAISED || !warning.raised().has_acknowledge_by()) {
    return std::nullopt;
  }
  const auto deadline = Time(warning.raised().acknowledge_by());
  if (now < deadline) return std::nullopt;
  // Level n is due at the deadline + (n - 1) × escalate_every.
  const auto overdue = now - deadline;
  const int due_level =
      1 + static_cast<int>(overdue / std::chrono::duration_cast<core::Duration>(std::max(
                                         settings_.escalate_every, std::chrono::minutes(1))));
  const int level = warning.status().escalation_level() + 1;
  if (level > due_level) return std::nullopt;
  v1::AlertEvent event;
  auto& escalated = *event.mutable_escalated();
  escalated.set_alert_id(warning.status().alert_id());
  escalated.set_level(level);
  const auto& roles = settings_.escalation_roles;
  escalated.set_escalated_to(roles.empty() ? settings_.responsible_role
                                           : roles[std::min<size_t>(level - 1, roles.size() - 1)]);
  *escalated.mutable_at() = Stamp(now);
  return event;
}

std::optional<v1::AlertEvent> WarningBook::Remonitor(const v1::StoredWarning& warning,
                                                     core::TimePoint now,
                                                     const std::optional<std::string>& recurrence) {
  if (warning.status().state() != State::STATE_CLOSED) return std::nullopt;
  const bool window_over =
      !warning.status().has_remonitor_until() || now >= Time(warning.status().remonitor_until());
  if (!recurrence && !window_over) return std::nullopt;
  v1::AlertEvent event;
  auto& verdict = *event.mutable_remonitored();
  verdict.set_alert_id(warning.status().alert_id());
  verdict.set_recurred(recurrence.has_value());
  if (recurrence) verdict.set_new_alert_id(*recurrence);
  *verdict.mutable_at() = Stamp(now);
  return event;
}

}  // namespace gridcare::analytics
