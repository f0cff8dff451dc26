#pragma once

// WarningBook: the life of a risk-warning order (风险预警调度令), pure. Seed 003's loop is monitor
// → analyse → coordinate → re-monitor: a surge becomes a warning addressed to the responsible
// supervisor (raised), who must acknowledge it (acknowledged) and close it with the measure taken
// (closed); the series is then watched for a re-monitoring window and the warning ends quiet
// (remonitored, recurred = false) or a new warning is raised (recurred = true). A warning nobody
// acknowledges climbs the escalation ladder (escalated) until someone does.
//
// Every step is an AlertEvent on gridcare.alert.v1; the state is what those events say (Apply),
// so replaying the topic rebuilds it. Decisions (Acknowledge, Close, Escalation, Remonitor) only
// return the event to publish; they never change a state themselves.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/alert.pb.h"
#include "surge_detector.h"

namespace gridcare::analytics {

struct WarningSettings {
  /// How long the supervisor has to acknowledge a warning before it is escalated.
  std::chrono::minutes acknowledge_within{30};
  /// Unacknowledged: every further this-long the next rung is told.
  std::chrono::minutes escalate_every{30};
  /// Roles told, rung by rung (the last repeats).
  std::vector<std::string> escalation_roles = {"service-dispatch-centre-head",
                                               "customer-service-director"};
  /// After a warning is closed, its series is watched this long.
  std::chrono::hours remonitor_for{72};
  /// Who is responsible by default (notification's staff directory names the people).
  std::string responsible_role = "service-dispatch-centre";
  /// A finding this strong (observed / expected) is CRITICAL, else WARNING.
  double critical_ratio = 5.0;
};

/// The evidence a surge warning carries besides the finding itself.
struct WarningEvidence {
  std::vector<std::string> top_keywords;
  std::vector<v1::ExampleTicket> examples;
};

class WarningBook {
 public:
  explicit WarningBook(WarningSettings settings) : settings_(std::move(settings)) {}

  const WarningSettings& settings() const { return settings_; }

  /// The alert id of a surge of `series` in `area` found in the window starting
  /// `window_start_hour`: the same finding always gets the same id (a replay raises nothing twice).
  static std::string AlertId(const std::string& series, const std::string& area,
                             int64_t window_start_hour);

  /// The warning for a finding.
  v1::RiskWarningRaised Raise(const std::string& series, const std::string& area,
                              const SurgeFinding& finding, const WarningEvidence& evidence,
                              core::TimePoint now) const;

  /// The state after `event` (from nothing for `raised`). `current` is the state before; nullopt
  /// for an alert not seen yet (an event other than raised for it is ignored: nullopt).
  static std::optional<v1::StoredWarning> Apply(const std::optional<v1::StoredWarning>& current,
                                                const v1::AlertEvent& event);

  /// Whether a warning still needs someone (raised or acknowledged, not closed).
  static bool IsOpen(const v1::StoredWarning& warning);
  /// Whether a warning's series is still watched (open, or closed and re-monitoring).
  static bool IsActive(const v1::StoredWarning& warning);

  /// The acknowledgement to publish; nullopt when already acknowledged (idempotent).
  /// FAILED_PRECONDITION once closed; INVALID_ARGUMENT without who.
  core::Result<std::optional<v1::AlertEvent>> Acknowledge(const v1::StoredWarning& warning,
                                                          const v1::Actor& by,
                                                          core::TimePoint now) const;

  /// The closing to publish; nullopt when already closed. INVALID_ARGUMENT without a measure or
  /// who. Closing without acknowledging first acknowledges it implicitly (the measure is proof).
  core::Result<std::optional<v1::AlertEvent>> Close(const v1::StoredWarning& warning,
                                                    const v1::Actor& by, const std::string& measure,
                                                    core::TimePoint now) const;

  /// The escalation due at `now` for an unacknowledged warning; nullopt when none is due.
  std::optional<v1::AlertEvent> Escalation(const v1::StoredWarning& warning,
                                           core::TimePoint now) const;

  /// Re-monitoring a closed warning at `now`: the series surged again (`recurrence` is the new
  /// warning's id) or the window ended quiet; nullopt while watching goes on.
  static std::optional<v1::AlertEvent> Remonitor(const v1::StoredWarning& warning,
                                                 core::TimePoint now,
                                                 const std::optional<std::string>& recurrence);

 private:
  WarningSettings settings_;
};

}  // namespace gridcare::analytics
