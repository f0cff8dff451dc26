#include "alarm_book.h"

#include <optional>

#include "gridcare/kafka/cloud_events.h"

namespace gridcare::dispatch {
namespace {

std::string FiredKey(std::string_view incident_id, v1::ServiceClock::Kind kind) {
  return std::string(incident_id) + "/" + std::string(ClockKindName(kind));
}

}  // namespace

AlarmBook::AlarmBook(ClockAlarmSettings settings, DispatchMetrics* metrics)
    : settings_(std::move(settings)), metrics_(metrics) {}

void AlarmBook::Recover(std::map<std::string, std::set<int>> fired) { fired_ = std::move(fired); }

void AlarmBook::Schedule(DispatchPass& pass, const std::string& incident_id,
                         const v1::Incident* incident) const {
  if (incident == nullptr) {
    pass.batch.timers[incident_id] = std::nullopt;
    return;
  }
  std::optional<core::TimePoint> next;
  for (const auto& clock : incident->clocks()) {
    const auto key = FiredKey(incident_id, clock.kind());
    const auto fired = fired_.count(key) ? fired_.at(key) : std::set<int>{};
    if (auto at = NextAlarmAt(clock, fired, settings_); at && (!next || *at < *next)) next = at;
  }
  pass.batch.timers[incident_id] =
      next ? std::optional<int64_t>(core::ToUnixMillis(*next)) : std::nullopt;
}

void AlarmBook::Stop(DispatchPass& pass, const std::string& incident_id) const {
  pass.batch.timers[incident_id] = std::nullopt;
}

void AlarmBook::Forget(DispatchPass& pass, const std::string& incident_id) {
  pass.batch.timers[incident_id] = std::nullopt;
  for (auto kind : {v1::ServiceClock::KIND_ARRIVAL, v1::ServiceClock::KIND_RESTORATION}) {
    const auto key = FiredKey(incident_id, kind);
    if (fired_.erase(key)) pass.batch.fired[key] = {};
  }
}

int AlarmBook::Raise(DispatchPass& pass, const v1::Incident& incident, core::TimePoint now) {
  const std::string& incident_id = incident.incident_id();
  int raised = 0;
  for (const auto& clock : incident.clocks()) {
    const auto key = FiredKey(incident_id, clock.kind());
    auto& fired = fired_[key];
    for (const auto& alarm : AlarmsDue(incident_id, clock, now, fired, settings_)) {
      v1::DispatchEvent event;
      *event.mutable_clock_alarm() =
          ToClockAlarm(alarm, clock, incident_id, incident.work_order_id());
      // The alarm's stable id makes its event id stable: a retried tick raises it once.
      pass.Emit(incident_id, "gridcare.service_clock.alarm_raised.v1", incident_id, event,
                kafka::DeriveEventId("dispatch-alarm", alarm.id));
      fired.insert(alarm.step);
      pass.batch.fired[key] = fired;
      ++raised;
      if (metrics_) metrics_->Action(alarm.overdue ? "overdue_alarm" : "reminder_alarm");
    }
  }
  Schedule(pass, incident_id, &incident);
  return raised;
}

int AlarmBook::RaiseClock(DispatchPass& pass, const std::string& owner_id,
                          const v1::ServiceClock& clock, const std::string& event_key,
                          const std::string& work_order_id, core::TimePoint now) {
  const auto key = FiredKey(owner_id, clock.kind());
  auto& fired = fired_[key];
  int raised = 0;
  for (const auto& alarm : AlarmsDue(owner_id, clock, now, fired, settings_)) {
    v1::DispatchEvent event;
    *event.mutable_clock_alarm() = ToClockAlarm(alarm, clock, "", work_order_id);
    pass.Emit(event_key, "gridcare.service_clock.alarm_raised.v1", work_order_id, event,
              kafka::DeriveEventId("dispatch-alarm", alarm.id));
    fired.insert(alarm.step);
    pass.batch.fired[key] = fired;
    ++raised;
    if (metrics_) metrics_->Action(alarm.overdue ? "overdue_alarm" : "reminder_alarm");
  }
  if (fired.empty()) fired_.erase(key);
  return raised;
}

void AlarmBook::ForgetClock(DispatchPass& pass, const std::string& owner_id,
                            v1::ServiceClock::Kind kind) {
  const auto key = FiredKey(owner_id, kind);
  if (fired_.erase(key)) pass.batch.fired[key] = {};
}

std::set<int> AlarmBook::FiredSteps(std::string_view incident_id,
                                    v1::ServiceClock::Kind kind) const {
  const auto it = fired_.find(FiredKey(incident_id, kind));
  return it == fired_.end() ? std::set<int>{} : it->second;
}

}  // namespace gridcare::dispatch
