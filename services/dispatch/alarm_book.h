#pragma once

// The clock alarms of the open incidents: per incident, the steps of its ARRIVAL and
// RESTORATION clocks already raised, and its durable timer (the time of its next alarm, a Redis
// sorted set through DispatchStore). The rules (which reminder and overdue-ladder step is due
// when) are in dispatch_clocks.h; this keeps their state and raises the ClockAlarm events.

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "dispatch_clocks.h"
#include "dispatch_metrics.h"
#include "dispatch_pass.h"
#include "gridcare/core/clock.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

/// Not thread-safe: the Dispatcher's lock guards it. `metrics` may be null and must outlive it.
class AlarmBook {
 public:
  explicit AlarmBook(ClockAlarmSettings settings, DispatchMetrics* metrics = nullptr);

  /// Takes the fired steps loaded from the store (key "<incident id>/<clock kind>").
  void Recover(std::map<std::string, std::set<int>> fired);

  /// Sets the incident's timer to its next alarm, or drops the timer when no alarm is left or
  /// `incident` is null (the incident is gone).
  void Schedule(DispatchPass& pass, const std::string& incident_id,
                const v1::Incident* incident) const;
  /// Drops the incident's timer and keeps its fired steps (a merged incident: its parent's
  /// clocks take over).
  void Stop(DispatchPass& pass, const std::string& incident_id) const;
  /// Drops the timer and the fired steps of a closed incident.
  void Forget(DispatchPass& pass, const std::string& incident_id);

  /// Raises every alarm of `incident`'s clocks due at `now` that was not raised before (one
  /// ClockAlarm event each, its id derived from the stable alarm id so a retried tick raises it
  /// once), then reschedules the incident's timer. Returns how many alarms it raised.
  int Raise(DispatchPass& pass, const v1::Incident& incident, core::TimePoint now);

  /// The same for clocks that belong to no incident (a service application's, `owner_id` its
  /// application key, e.g. "APP-GC-…/documents_checked" per stage clock): raises the due alarms
  /// of `clock` naming `work_order_id`, keyed "<owner_id>/<clock kind>". No timer: the caller
  /// looks at its few open clocks every tick. Returns how many alarms it raised.
  int RaiseClock(DispatchPass& pass, const std::string& owner_id, const v1::ServiceClock& clock,
                 const std::string& event_key, const std::string& work_order_id,
                 core::TimePoint now);
  /// Drops the fired steps of an owner's clock of `kind` (its application closed).
  void ForgetClock(DispatchPass& pass, const std::string& owner_id, v1::ServiceClock::Kind kind);

  /// The steps of the `kind` clock of `incident_id` raised so far.
  std::set<int> FiredSteps(std::string_view incident_id, v1::ServiceClock::Kind kind) const;

 private:
  ClockAlarmSettings settings_;
  DispatchMetrics* metrics_;
  std::map<std::string, std::set<int>> fired_;  // "<incident>/<kind>" → steps
};

}  // namespace gridcare::dispatch
