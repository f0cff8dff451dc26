#pragma once

// The dispatch service's settings: the rules' thresholds (correlation, assignment, alarms), the
// service standards, and the few limits of the service around them.

#include <chrono>
#include <cstdint>

#include "application_plan.h"
#include "assignment.h"
#include "correlation.h"
#include "dispatch_clocks.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/standards.h"

namespace gridcare::dispatch {

struct DispatchSettings {
  CorrelationSettings correlation;
  AssignmentSettings assignment;
  ClockAlarmSettings alarms;
  sla::ServiceStandards standards;
  /// Service applications by appointment (appointment_desk.h) and the working-day calendar
  /// (holidays, 调休) their stage clocks count in; loaded at start-up (--working-calendar).
  ApplicationSettings applications;
  sla::WorkingCalendar calendar;
  /// First estimate of the restoration time once a crew is assigned: its arrival plus this.
  /// Replaced by the crew's own estimate when it is on site.
  std::chrono::minutes default_repair_time{90};
  /// Events that list tickets (opened, rolled up, updated, restored) carry at most this many ids
  /// each; larger incidents are announced in several events, so no record nears Kafka's size cap.
  int max_ticket_ids_per_event = 5000;
  std::chrono::milliseconds flush_timeout{10'000};
  /// How many due timers one tick handles (the rest wait for the next tick).
  int64_t timers_per_tick = 1000;
  /// The territory partition this dispatcher owns (its open-work gauges are summed per
  /// territory); -1: not partitioned (unit tests).
  int32_t territory_partition = -1;
};

}  // namespace gridcare::dispatch
