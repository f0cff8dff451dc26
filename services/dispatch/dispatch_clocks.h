#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/sla/standards.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

// Dispatch's service clocks (ARRIVAL and RESTORATION): the alarms they raise and when.
// Pure logic: the service keeps, per clock, the steps already fired and a timer at NextAlarmAt
// in a durable store (a Redis sorted set scored by time), so a restart loses no alarm and an
// alarm's stable id lets the store and consumers de-duplicate. docs/services/dispatch-assignment.md
// explains the rules.
//
// Steps of one clock: step 0 is the reminder `reminder_before` the deadline; steps 1, 2, ... are
// the supervision ladder after it. An alarm is due at its fire time itself (now >= fire_at).

/// One rung of the supervision ladder: who is told, how long after the deadline.
struct EscalationStep {
  std::chrono::minutes after_due{0};
  std::string role;  ///< ClockAlarm.escalated_to, e.g. "dispatch-supervisor"
};

/// The alarms of one clock kind.
struct AlarmPolicy {
  /// Step 0 fires this long before due_at (not before the clock started); zero: no reminder.
  std::chrono::minutes reminder_before{10};
  std::string reminder_role = "dispatcher";
  /// Steps 1..ladder.size(), after_due strictly ascending. Beyond it, when repeat_every > 0,
  /// the last rung repeats every repeat_every (same role) up to max_overdue_steps in all.
  std::vector<EscalationStep> ladder = {{std::chrono::minutes{0}, "dispatcher"},
                                        {std::chrono::minutes{30}, "dispatch-supervisor"},
                                        {std::chrono::minutes{60}, "county-manager"}};
  std::chrono::minutes repeat_every{60};
  int max_overdue_steps = 6;
};

/// Policies per clock kind. Complaint clocks raise no alarms here (complaint has its own).
struct ClockAlarmSettings {
  AlarmPolicy arrival;  ///< reminder 10 min before
  AlarmPolicy restoration = [] {
    AlarmPolicy policy;
    policy.reminder_before = std::chrono::minutes{30};
    return policy;
  }();

  /// Service applications by appointment (APPLICATION_STAGE, APPLICATION_COMPLETION,
  /// METER_DISPUTE_RESULT): a reminder a day ahead, then the ladder a working day's breach deep.
  AlarmPolicy application = [] {
    AlarmPolicy policy;
    policy.reminder_before = std::chrono::hours{24};
    policy.ladder = {{std::chrono::minutes{0}, "dispatcher"},
                     {std::chrono::hours{8}, "dispatch-supervisor"},
                     {std::chrono::hours{24}, "county-manager"}};
    policy.repeat_every = std::chrono::hours{24};
    policy.max_overdue_steps = 6;
    return policy;
  }();

  /// The policy of `kind`; nullptr for the complaint and consultation kinds.
  const AlarmPolicy* For(v1::ServiceClock::Kind kind) const;
};

/// INVALID_ARGUMENT naming the field: a negative duration, a ladder not strictly ascending or
/// with an empty role, max_overdue_steps below the ladder's length (or above 100).
core::Status Validate(const ClockAlarmSettings& settings);

/// A reminder or overdue alarm of one clock.
struct Alarm {
  /// "<owner>/<kind>/<step>", e.g. "WO-000123/arrival/2": the same for the same clock and step
  /// whenever it is computed.
  std::string id;
  v1::ServiceClock::Kind kind = v1::ServiceClock::KIND_UNSPECIFIED;
  int step = 0;          ///< 0 reminder, 1.. ladder
  bool overdue = false;  ///< step > 0
  core::TimePoint fire_at;
  core::TimePoint due_at;
  std::string role;
};

/// "arrival", "restoration", ... (lower case of the kind without KIND_); "unspecified".
std::string_view ClockKindName(v1::ServiceClock::Kind kind);

/// The stable id of `step` of the `kind` clock of `owner_id` (incident or work order id).
std::string AlarmId(std::string_view owner_id, v1::ServiceClock::Kind kind, int step);

/// Every step of `clock` with its fire time, in step order (reminder first when it has one).
/// Empty for a clock without due_at or of a kind without a policy. Ignores met_at.
std::vector<Alarm> AlarmSchedule(std::string_view owner_id, const v1::ServiceClock& clock,
                                 const ClockAlarmSettings& settings);

/// The alarms to raise at `now`: each step not in `already_fired_steps` whose fire time has
/// come, in step order. Nothing for a met clock. A reminder whose time came but that was never
/// fired is dropped once an overdue step is due (it is stale; catching up after a restart raises
/// the ladder steps only). After a long outage several ladder steps are returned together: every
/// role is still told.
std::vector<Alarm> AlarmsDue(std::string_view owner_id, const v1::ServiceClock& clock,
                             core::TimePoint now, const std::set<int>& already_fired_steps,
                             const ClockAlarmSettings& settings);

/// When to wake up for this clock next: the earliest fire time among the steps not yet fired
/// (the reminder no longer counts once any ladder step fired). nullopt when the clock is met,
/// has no due_at or no policy, or every step fired. May lie in the past: then fire at once.
std::optional<core::TimePoint> NextAlarmAt(const v1::ServiceClock& clock,
                                           const std::set<int>& already_fired_steps,
                                           const ClockAlarmSettings& settings);

/// The event for `alarm` of `clock` (owner: an incident and/or a work order).
v1::ClockAlarm ToClockAlarm(const Alarm& alarm, const v1::ServiceClock& clock,
                            std::string_view incident_id, std::string_view work_order_id);

/// The first clock of `kind` in `clocks`; nullptr when there is none.
v1::ServiceClock* FindClock(google::protobuf::RepeatedPtrField<v1::ServiceClock>* clocks,
                            v1::ServiceClock::Kind kind);
const v1::ServiceClock* FindClock(
    const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks,
    v1::ServiceClock::Kind kind);

/// The crew arrived: meets the ARRIVAL clock (when it has one and is not met yet) and starts the
/// RESTORATION clock from `arrived_at` (sla::RestorationClock, by `area`) unless there is one.
/// Idempotent: a repeated arrival changes nothing. Returns whether `clocks` changed.
bool MarkArrived(google::protobuf::RepeatedPtrField<v1::ServiceClock>* clocks, v1::AreaClass area,
                 core::TimePoint arrived_at, const sla::ServiceStandards& standards);

/// Supply restored: meets every ARRIVAL and RESTORATION clock not met yet (a fault cleared by
/// remote switching before anyone arrived raises no more alarms). Returns whether `clocks`
/// changed.
bool MarkRestored(google::protobuf::RepeatedPtrField<v1::ServiceClock>* clocks,
                  core::TimePoint restored_at);

}  // namespace gridcare::dispatch
