#include "dispatch_clocks.h"

#include <algorithm>

#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

using std::chrono::minutes;

constexpr int kMaxOverdueSteps = 100;

core::Status ValidatePolicy(const AlarmPolicy& policy, const std::string& name) {
  if (policy.reminder_before < minutes{0}) {
    return core::InvalidArgument(name + ".reminder_before must be >= 0");
  }
  if (policy.reminder_before > minutes{0} && policy.reminder_role.empty()) {
    return core::InvalidArgument(name + ".reminder_role must not be empty");
  }
  for (size_t i = 0; i < policy.ladder.size(); ++i) {
    const auto& step = policy.ladder[i];
    const std::string rung = name + ".ladder[" + std::to_string(i) + "]";
    if (step.after_due < minutes{0}) return core::InvalidArgument(rung + ".after_due must be >= 0");
    if (i > 0 && step.after_due <= policy.ladder[i - 1].after_due) {
      return core::InvalidArgument(rung + ".after_due must be after the previous rung");
    }
    if (step.role.empty()) return core::InvalidArgument(rung + ".role must not be empty");
  }
  if (policy.repeat_every < minutes{0}) {
    return core::InvalidArgument(name + ".repeat_every must be >= 0");
  }
  if (policy.max_overdue_steps < static_cast<int>(policy.ladder.size()) ||
      policy.max_overdue_steps > kMaxOverdueSteps) {
    return core::InvalidArgument(name +
                                 ".max_overdue_steps must be between the ladder's length and " +
                                 std::to_string(kMaxOverdueSteps));
  }
  return core::Status::Ok();
}

int OverdueSteps(const AlarmPolicy& policy) {
  const int rungs = static_cast<int>(policy.ladder.size());
  if (rungs == 0) return 0;
  return policy.repeat_every > minutes{0} ? std::max(rungs, policy.max_overdue_steps)
                                          : std::min(rungs, policy.max_overdue_steps);
}

}  // namespace

const AlarmPolicy* ClockAlarmSettings::For(v1::ServiceClock::Kind kind) const {
  switch (kind) {
    case v1::ServiceClock::KIND_ARRIVAL:
      return &arrival;
    case v1::ServiceClock::KIND_RESTORATION:
      return &restoration;
    case v1::ServiceClock::KIND_APPLICATION_STAGE:
    case v1::ServiceClock::KIND_APPLICATION_COMPLETION:
    case v1::ServiceClock::KIND_METER_DISPUTE_RESULT:
      return &application;
    default:
      return nullptr;
  }
}

core::Status Validate(const ClockAlarmSettings& settings) {
  if (auto status = ValidatePolicy(settings.arrival, "arrival"); !status.ok()) return status;
  if (auto status = ValidatePolicy(settings.restoration, "restoration"); !status.ok()) {
    return status;
  }
  return ValidatePolicy(settings.application, "application");
}

std::string_view ClockKindName(v1::ServiceClock::Kind kind) {
  switch (kind) {
    case v1::ServiceClock::KIND_ARRIVAL:
      return "arrival";
    case v1::ServiceClock::KIND_RESTORATION:
      return "restoration";
    case v1::ServiceClock::KIND_COMPLAINT_CONTACT:
      return "complaint_contact";
    case v1::ServiceClock::KIND_COMPLAINT_REPLY:
      return "complaint_reply";
    case v1::ServiceClock::KIND_APPLICATION_COMPLETION:
      return "application_completion";
    case v1::ServiceClock::KIND_APPLICATION_STAGE:
      return "application_stage";
    case v1::ServiceClock::KIND_METER_DISPUTE_RESULT:
      return "meter_dispute_result";
    case v1::ServiceClock::KIND_CONSULTATION_REPLY:
      return "consultation_reply";
    default:
      return "unspecified";
  }
}

std::string AlarmId(std::string_view owner_id, v1::ServiceClock::Kind kind, int step) {
  std::string id(owner_id);
  id += '/';
  id += ClockKindName(kind);
  id += '/';
  id += std::to_string(step);
  return id;
}

std::vector<Alarm> AlarmSchedule(std::string_view owner_id, const v1::ServiceClock& clock,
                                 const ClockAlarmSettings& settings) {
  std::vector<Alarm> schedule;
  const AlarmPolicy* policy = settings.For(clock.kind());
  if (policy == nullptr || !clock.has_due_at()) return schedule;
  const core::TimePoint due = sla::FromTimestamp(clock.due_at());
  const auto add = [&](int step, core::TimePoint fire_at, const std::string& role) {
    schedule.push_back(
        {AlarmId(owner_id, clock.kind(), step), clock.kind(), step, step > 0, fire_at, due, role});
  };
  if (policy->reminder_before > minutes{0}) {
    core::TimePoint fire_at = due - policy->reminder_before;
    if (clock.has_starts_at()) fire_at = std::max(fire_at, sla::FromTimestamp(clock.starts_at()));
    add(0, fire_at, policy->reminder_role);
  }
  const int rungs = static_cast<int>(policy->ladder.size());
  const int steps = OverdueSteps(*policy);
  for (int step = 1; step <= steps; ++step) {
    if (step <= rungs) {
      const auto& rung = policy->ladder[static_cast<size_t>(step - 1)];
      add(step, due + rung.after_due, rung.role);
    } else {
      const auto& last = policy->ladder.back();
      add(step, due + last.after_due + policy->repeat_every * (step - rungs), last.role);
    }
  }
  return schedule;
}

std::vector<Alarm> AlarmsDue(std::string_view owner_id, const v1::ServiceClock& clock,
                             core::TimePoint now, const std::set<int>& already_fired_steps,
                             const ClockAlarmSettings& settings) {
  std::vector<Alarm> due;
  if (clock.has_met_at()) return due;
  bool overdue_due = false;
  for (auto& alarm : AlarmSchedule(owner_id, clock, settings)) {
    if (alarm.fire_at > now) continue;
    if (alarm.overdue) overdue_due = true;
    if (already_fired_steps.count(alarm.step) == 0) due.push_back(std::move(alarm));
  }
  if (overdue_due) {
    std::erase_if(due, [](const Alarm& alarm) { return !alarm.overdue; });
  }
  return due;
}

std::optional<core::TimePoint> NextAlarmAt(const v1::ServiceClock& clock,
                                           const std::set<int>& already_fired_steps,
                                           const ClockAlarmSettings& settings) {
  if (clock.has_met_at()) return std::nullopt;
  const bool ladder_started = std::any_of(already_fired_steps.begin(), already_fired_steps.end(),
                                          [](int step) { return step > 0; });
  std::optional<core::TimePoint> next;
  for (const auto& alarm : AlarmSchedule("", clock, settings)) {
    if (already_fired_steps.count(alarm.step) != 0) continue;
    if (!alarm.overdue && ladder_started) continue;
    if (!next || alarm.fire_at < *next) next = alarm.fire_at;
  }
  return next;
}

v1::ClockAlarm ToClockAlarm(const Alarm& alarm, const v1::ServiceClock& clock,
                            std::string_view incident_id, std::string_view work_order_id) {
  v1::ClockAlarm event;
  event.set_incident_id(std::string(incident_id));
  event.set_work_order_id(std::string(work_order_id));
  *event.mutable_clock() = clock;
  event.set_overdue(alarm.overdue);
  event.set_ladder_step(alarm.step);
  event.set_escalated_to(alarm.role);
  return event;
}

v1::ServiceClock* FindClock(google::protobuf::RepeatedPtrField<v1::ServiceClock>* clocks,
                            v1::ServiceClock::Kind kind) {
  for (auto& clock : *clocks) {
    if (clock.kind() == kind) return &clock;
  }
  return nullptr;
}

const v1::ServiceClock* FindClock(
    const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks,
    v1::ServiceClock::Kind kind) {
  for (const auto& clock : clocks) {
    if (clock.kind() == kind) return &clock;
  }
  return nullptr;
}

bool MarkArrived(google::protobuf::RepeatedPtrField<v1::ServiceClock>* clocks, v1::AreaClass area,
                 core::TimePoint arrived_at, const sla::ServiceStandards& standards) {
  bool changed = false;
  if (auto* arrival = FindClock(clocks, v1::ServiceClock::KIND_ARRIVAL);
      arrival != nullptr && !arrival->has_met_at()) {
    *arrival->mutable_met_at() = sla::ToTimestamp(arrived_at);
    changed = true;
  }
  if (FindClock(clocks, v1::ServiceClock::KIND_RESTORATION) == nullptr) {
    *clocks->Add() = sla::RestorationClock(area, arrived_at, standards);
    changed = true;
  }
  return changed;
}

bool MarkRestored(google::protobuf::RepeatedPtrField<v1::ServiceClock>* clocks,
                  core::TimePoint restored_at) {
  bool changed = false;
  for (auto& clock : *clocks) {
    const bool ours = clock.kind() == v1::ServiceClock::KIND_ARRIVAL ||
                      clock.kind() == v1::ServiceClock::KIND_RESTORATION;
    if (ours && !clock.has_met_at()) {
      *clock.mutable_met_at() = sla::ToTimestamp(restored_at);
      changed = true;
    }
  }
  return changed;
}

}  // namespace gridcare::dispatch
