#pragma once

// A case's clocks and their alarms, pure:
//  - the clocks a new (or reopened) case gets: contact within 24 clock hours, reply within the
//    working-day limit of its type (sla::ClocksFor), shorter for senior handling;
//  - pauses: while paused no alarm fires; on resume every clock that was not yet breached when
//    the pause began moves by the time the pause took (wall time for wall clocks, working time for
//    working-day clocks), a clock already breached before the pause stays breached;
//  - alarms: reminders before each deadline (policy.reminder_percents of the clock's span), then
//    the supervision-ladder rungs after it; coordination parts' sub-deadlines raise the same.
// Each alarm has a stable id, so a store that keeps the fired ids raises each exactly once.

#include <optional>
#include <string>
#include <vector>

#include "complaint_policy.h"
#include "gridcare/core/clock.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/standards.h"
#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint {

/// The clocks of a case opened (or reopened) at `at`: COMPLAINT_CONTACT (wall time, standards'
/// complaint_contact, or policy.senior_contact when senior) and COMPLAINT_REPLY (working days:
/// complaint_reply_working_days for complaints, report_reply_working_days for reports,
/// opinion_reply_working_days for opinion and suggestion; senior → policy.senior_reply_working_days
/// when shorter). An unanswered consultation gets one CONSULTATION_REPLY clock in clock hours.
/// CASE_ORIGIN_FAULT_RETURN_VISIT cases and praise get no clocks.
std::vector<v1::ServiceClock> CaseClocks(v1::RequestType type, v1::CaseOrigin origin, bool senior,
                                         core::TimePoint at, const sla::ServiceStandards& standards,
                                         const ComplaintPolicy& policy,
                                         const sla::WorkingCalendar& calendar);

/// Whether the case is paused now (its last pause has no resumed_at).
bool IsPaused(const v1::ComplaintCase& c);

/// Moves the due_at of every clock of `c` that is not met and was not overdue at `paused_at` by
/// the pause [paused_at, resumed_at): wall clocks by the elapsed time, working-day clocks by the
/// working time inside it (calendar.WorkingDaysBetween). Returns how many clocks moved.
int ShiftClocksForPause(v1::ComplaintCase& c, core::TimePoint paused_at, core::TimePoint resumed_at,
                        const sla::WorkingCalendar& calendar);

/// One alarm a case has reached.
struct CaseAlarm {
  std::string alarm_id;  ///< "<case>/<clock kind>/r<percent>" reminders,
                         ///< "<case>/<clock kind>/l<level>" rungs; parts add "/<dept>";
                         ///< reopened cases add "/o<reopen_count>" so new clocks alarm anew
  v1::ServiceClock clock;
  bool overdue = false;
  int percent_elapsed = 0;         ///< reminders
  int level = 0;                   ///< rungs
  std::string role;                ///< rungs: policy role; reminders: "handler"
  std::string part_department_id;  ///< a coordination part's sub-deadline
  core::TimePoint at;              ///< when it became due
};

/// Every alarm of `c` due at or before `now` whose id is not in `fired`, earliest first. Met
/// clocks, answered parts, closed cases and paused cases raise nothing.
std::vector<CaseAlarm> DueAlarms(const v1::ComplaintCase& c, const std::vector<std::string>& fired,
                                 core::TimePoint now, const ComplaintPolicy& policy);

/// When the next alarm not in `fired` becomes due (after `now` or the earliest overdue one), or
/// nullopt when none is left (closed, paused, every clock met). A durable timer holds it.
std::optional<core::TimePoint> NextAlarmAt(const v1::ComplaintCase& c,
                                           const std::vector<std::string>& fired,
                                           const ComplaintPolicy& policy);

/// The clock that runs out first among the case's open clocks and parts (for the desk's order),
/// or nullopt.
std::optional<core::TimePoint> FirstDue(const v1::ComplaintCase& c);

}  // namespace gridcare::complaint
