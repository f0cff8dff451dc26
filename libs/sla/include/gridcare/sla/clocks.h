#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/standards.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/profile.pb.h"

namespace gridcare::sla {

/// What the clocks of a new ticket depend on.
struct TicketFacts {
  v1::RequestType type = v1::REQUEST_TYPE_UNSPECIFIED;
  v1::ServiceApplicationKind application_kind = v1::SERVICE_APPLICATION_KIND_UNSPECIFIED;
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  v1::AccountType account_type = v1::ACCOUNT_TYPE_UNSPECIFIED;
};

/// The clocks a new ticket gets. Every clock has starts_at = opened_at, a due_at, working_days
/// set for working-day clocks, and no met_at. Working-day deadlines follow
/// WorkingCalendar::Deadline (a ticket opened on a holiday starts counting on the next working
/// day, at 00:00); they carry limit_working_days and are `provisional` when they count days of a
/// year the official notice does not cover.
///  - FAULT_REPAIR: ARRIVAL, wall time by area class (unspecified area -> urban, the strictest).
///    Restoration clocks start at arrival and are made by dispatch with RestorationClock.
///  - COMPLAINT: COMPLAINT_CONTACT (wall time, 24 h) then COMPLAINT_REPLY (5 working days).
///  - REPORT: one KIND_COMPLAINT_REPLY clock, report_reply_working_days (9);
///    OPINION / SUGGESTION: the same with opinion_reply_working_days (5).
///  - CONSULTATION: CONSULTATION_REPLY, wall time (for consultations not answered at once).
///  - SERVICE_APPLICATION by kind: NEW_CONNECTION -> APPLICATION_COMPLETION, residential 5 /
///    commercial, industrial, agricultural 6 working days (unspecified account type ->
///    residential, the strictest); METER_CHECK -> METER_DISPUTE_RESULT; every other kind,
///    including unspecified -> APPLICATION_COMPLETION, other_application_working_days.
///  - PRAISE, URGING (a contact on an existing ticket), UNSPECIFIED and unknown types: none.
std::vector<v1::ServiceClock> ClocksFor(const TicketFacts& facts, core::TimePoint opened_at,
                                        const ServiceStandards& standards,
                                        const WorkingCalendar& calendar);

/// A clock of `kind` counting `days` working days from `start` (WorkingCalendar::Deadline): due_at,
/// provisional and limit_working_days set, working_days true.
v1::ServiceClock WorkingDayClock(v1::ServiceClock::Kind kind, core::TimePoint start, int days,
                                 const WorkingCalendar& calendar);

/// After a calendar change: recomputes a working-day clock that is not met from its starts_at and
/// limit_working_days under `calendar` (sets due_at and provisional). A clock written without
/// limit_working_days gets it back from `previous`, the calendar its due_at was computed with
/// (WorkingDaysBetween inverts AddWorkingDays). Returns whether due_at or provisional changed;
/// wall-time and met clocks are left alone (false).
bool RecomputeWorkingDayClock(v1::ServiceClock& clock, const WorkingCalendar& calendar,
                              const WorkingCalendar& previous);

/// Some clock that is not met is provisional.
bool HasProvisionalClock(const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks);
/// Some clock counts working days.
bool HasWorkingDayClock(const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks);

/// "urban", "rural" or "remote" for messages that explain an arrival clock (unspecified and
/// unknown -> "urban", as the clocks treat them).
std::string_view AreaClassLabel(v1::AreaClass area);

/// How long a crew may take to arrive at a fault, by area class: the standards' arrival_urban,
/// arrival_rural or arrival_remote (unspecified and unknown -> urban, the strictest). The
/// ARRIVAL clock's limit, for callers that build or explain that clock themselves.
std::chrono::minutes ArrivalLimit(v1::AreaClass area, const ServiceStandards& standards);

/// RESTORATION clock (wall time) from the crew's arrival, by area class (unspecified -> urban).
v1::ServiceClock RestorationClock(v1::AreaClass area, core::TimePoint arrived_at,
                                  const ServiceStandards& standards);

/// Where a clock stands at `now`:
///  - kMet once met_at is set (whether on time or late: compare met_at with due_at for that);
///  - otherwise kOverdue when now > due_at; kDueSoon when due_at - warning <= now <= due_at;
///    kOnTime before that. A negative warning counts as zero. A clock without due_at is kOnTime.
enum class ClockState { kOnTime, kDueSoon, kOverdue, kMet };
ClockState StateOf(const v1::ServiceClock& clock, core::TimePoint now,
                   std::chrono::minutes warning);

/// Conversions between core::TimePoint and google.protobuf.Timestamp (nanosecond precision).
google::protobuf::Timestamp ToTimestamp(core::TimePoint t);
core::TimePoint FromTimestamp(const google::protobuf::Timestamp& ts);

}  // namespace gridcare::sla
