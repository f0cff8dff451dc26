#include "case_clocks.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "gridcare/core/text.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {
namespace {

namespace chr = std::chrono;
using Clock = v1::ServiceClock;
using Days = chr::duration<int64_t, std::ratio<86400>>;

constexpr std::string_view kHandlerRole = "handler";
// AddWorkingTime walks at most this many local days (~270 years): a bound, never reached by a
// calendar that has working days.
constexpr int kMaxWalkDays = 100'000;

// 00:00 local of `date` in a zone `offset_minutes` east of UTC.
core::TimePoint StartOfLocalDay(sla::LocalDate date, int offset_minutes) {
  const chr::sys_days day{chr::year_month_day{chr::year{date.year},
                                              chr::month{static_cast<unsigned>(date.month)},
                                              chr::day{static_cast<unsigned>(date.day)}}};
  return core::TimePoint{chr::duration_cast<core::Duration>(day.time_since_epoch())} -
         chr::minutes{offset_minutes};
}

// `t` moved forward by `working` of working time (each working day counts 24 h, midnight to
// midnight local; weekends and holidays count nothing). Time on a non-working day does not count,
// so a `t` on a holiday starts at 00:00 of the next working day; when the time runs out exactly at
// the end of a working day the result is 00:00 of the next working day, as AddWorkingDays reports
// such deadlines. A zero or negative `working` returns `t`.
core::TimePoint AddWorkingTime(const sla::WorkingCalendar& calendar, core::TimePoint t,
                               core::Duration working) {
  if (working <= core::Duration::zero()) return t;
  const int offset = calendar.time_zone_offset_minutes();
  sla::LocalDate day = calendar.LocalDateOf(t);
  core::TimePoint position = t;
  for (int walked = 0; walked < kMaxWalkDays; ++walked) {
    const sla::LocalDate next = sla::AddDays(day, 1);
    const core::TimePoint day_end = StartOfLocalDay(next, offset);
    if (calendar.IsWorkingDay(day)) {
      if (working < day_end - position) return position + working;
      working -= day_end - position;
    }
    day = next;
    position = day_end;
  }
  return position;
}

// The working time inside [from, to) (WorkingDaysBetween in days, back to a duration).
core::Duration WorkingTimeBetween(const sla::WorkingCalendar& calendar, core::TimePoint from,
                                  core::TimePoint to) {
  const chr::duration<double, Days::period> days(calendar.WorkingDaysBetween(from, to));
  return chr::round<core::Duration>(days);
}

// "contact", "reply"; other kinds by their enum name ("consultation_reply").
std::string KindName(Clock::Kind kind) {
  switch (kind) {
    case Clock::KIND_COMPLAINT_CONTACT:
      return "contact";
    case Clock::KIND_COMPLAINT_REPLY:
      return "reply";
    default: {
      std::string name = Clock::Kind_Name(kind);
      if (name.empty()) return "kind" + std::to_string(static_cast<int>(kind));
      if (name.rfind("KIND_", 0) == 0) name.erase(0, 5);
      return core::AsciiLower(name);
    }
  }
}

// "/o<n>" for a reopened case, so its new clocks alarm anew.
std::string ReopenSuffix(const v1::ComplaintCase& c) {
  return c.reopen_count() > 0 ? "/o" + std::to_string(c.reopen_count()) : "";
}

// `percent` of the way from `start` to `due` (integer arithmetic, no overflow for long spans).
core::TimePoint PercentPoint(core::TimePoint start, core::TimePoint due, int percent) {
  const core::Duration span = due - start;
  return start + span / 100 * percent + span % 100 * percent / 100;
}

// Whether the case raises alarms at all: not closed, not waiting for its return visit or closing
// (the reply clock is met from REPLIED on), not paused.
bool RaisesAlarms(const v1::ComplaintCase& c) {
  switch (c.state()) {
    case v1::CASE_STATE_CLOSED:
    case v1::CASE_STATE_REPLIED:
    case v1::CASE_STATE_RETURN_VISITED:
      return false;
    default:
      return !IsPaused(c);
  }
}

// Reminders at each percent of the clock's span, then the rungs after its deadline (rung 1 only
// when `first_rung_only`).
void AddAlarms(const v1::ServiceClock& clock, const std::string& prefix, const std::string& suffix,
               const std::string& department, bool first_rung_only, const ComplaintPolicy& policy,
               std::vector<CaseAlarm>& out) {
  const core::TimePoint start = sla::FromTimestamp(clock.starts_at());
  const core::TimePoint due = sla::FromTimestamp(clock.due_at());
  if (due > start) {
    for (const int percent : policy.reminder_percents) {
      CaseAlarm alarm;
      alarm.alarm_id = prefix + "/r" + std::to_string(percent) + suffix;
      alarm.clock = clock;
      alarm.percent_elapsed = percent;
      alarm.role = kHandlerRole;
      alarm.part_department_id = department;
      alarm.at = PercentPoint(start, due, percent);
      out.push_back(std::move(alarm));
    }
  }
  for (const LadderRung& rung : policy.ladder) {
    if (first_rung_only && rung.level != 1) continue;
    CaseAlarm alarm;
    alarm.alarm_id = prefix + "/l" + std::to_string(rung.level) + suffix;
    alarm.clock = clock;
    alarm.overdue = true;
    alarm.level = rung.level;
    alarm.role = rung.role;
    alarm.part_department_id = department;
    alarm.at = due + rung.after_breach;
    out.push_back(std::move(alarm));
  }
}

// A coordination part as the clock its alarms carry: the reply feeding on it, due at the part's
// sub-deadline, running from when it was requested. Parts stored before requested_at existed
// take the policy's default sub-deadline (coordination_working_days × 24 h) before due_at, never
// before the case opened.
v1::ServiceClock PartClock(const v1::ComplaintCase& c, const v1::CoordinationPart& part,
                           const ComplaintPolicy& policy) {
  const core::TimePoint due = sla::FromTimestamp(part.due_at());
  core::TimePoint start = due - chr::hours(24) * policy.coordination_working_days;
  if (c.has_opened_at()) start = std::max(start, sla::FromTimestamp(c.opened_at()));
  if (part.has_requested_at()) start = sla::FromTimestamp(part.requested_at());
  start = std::min(start, due);
  v1::ServiceClock clock;
  clock.set_kind(Clock::KIND_COMPLAINT_REPLY);
  *clock.mutable_starts_at() = sla::ToTimestamp(start);
  *clock.mutable_due_at() = part.due_at();
  clock.set_working_days(true);
  clock.set_limit_working_days(policy.coordination_working_days);
  return clock;
}

// Every alarm the case has (fired or not), earliest first; none when it raises no alarms.
std::vector<CaseAlarm> AllAlarms(const v1::ComplaintCase& c, const ComplaintPolicy& policy) {
  std::vector<CaseAlarm> alarms;
  if (!RaisesAlarms(c)) return alarms;
  const std::string suffix = ReopenSuffix(c);
  for (const v1::ServiceClock& clock : c.clocks()) {
    if (clock.has_met_at() || !clock.has_due_at()) continue;
    AddAlarms(clock, c.case_id() + "/" + KindName(clock.kind()), suffix, "", false, policy, alarms);
  }
  for (const v1::CoordinationPart& part : c.parts()) {
    if (part.has_answered_at() || !part.has_due_at()) continue;
    AddAlarms(PartClock(c, part, policy), c.case_id() + "/part/" + part.department_id(), suffix,
              part.department_id(), true, policy, alarms);
  }
  std::stable_sort(alarms.begin(), alarms.end(),
                   [](const CaseAlarm& a, const CaseAlarm& b) { return a.at < b.at; });
  // Two open clocks of one kind (a reopen that kept an old clock open) share ids: the earliest
  // alarm of an id stands for it, so an id is never raised twice in one tick.
  std::unordered_set<std::string> seen;
  alarms.erase(std::remove_if(
                   alarms.begin(), alarms.end(),
                   [&seen](const CaseAlarm& alarm) { return !seen.insert(alarm.alarm_id).second; }),
               alarms.end());
  return alarms;
}

}  // namespace

std::vector<v1::ServiceClock> CaseClocks(v1::RequestType type, v1::CaseOrigin origin, bool senior,
                                         core::TimePoint at, const sla::ServiceStandards& standards,
                                         const ComplaintPolicy& policy,
                                         const sla::WorkingCalendar& calendar) {
  if (origin == v1::CASE_ORIGIN_FAULT_RETURN_VISIT) return {};
  int reply_days = 0;
  switch (type) {
    case v1::REQUEST_TYPE_CONSULTATION: {
      // A consultation intake could not answer at once: one reply clock in clock hours
      // (consultation_reply_hours, design.md §5), no contact clock.
      sla::TicketFacts facts;
      facts.type = v1::REQUEST_TYPE_CONSULTATION;
      return sla::ClocksFor(facts, at, standards, calendar);
    }
    case v1::REQUEST_TYPE_COMPLAINT:
      reply_days = standards.complaint_reply_working_days;
      break;
    case v1::REQUEST_TYPE_REPORT:
      reply_days = standards.report_reply_working_days;
      break;
    case v1::REQUEST_TYPE_OPINION:
    case v1::REQUEST_TYPE_SUGGESTION:
      reply_days = standards.opinion_reply_working_days;
      break;
    default:  // praise, and types that are not cases: no clocks
      return {};
  }
  // A complaint's clocks (contact, then reply) under the limits this case gets.
  sla::ServiceStandards limits = standards;
  limits.complaint_reply_working_days = reply_days;
  if (senior) {
    limits.complaint_contact = std::min(standards.complaint_contact, policy.senior_contact);
    limits.complaint_reply_working_days = std::min(reply_days, policy.senior_reply_working_days);
  }
  sla::TicketFacts facts;
  facts.type = v1::REQUEST_TYPE_COMPLAINT;
  return sla::ClocksFor(facts, at, limits, calendar);
}

bool IsPaused(const v1::ComplaintCase& c) {
  return !c.pauses().empty() && !c.pauses().rbegin()->has_resumed_at();
}

int ShiftClocksForPause(v1::ComplaintCase& c, core::TimePoint paused_at, core::TimePoint resumed_at,
                        const sla::WorkingCalendar& calendar) {
  if (resumed_at <= paused_at) return 0;
  const core::Duration wall = resumed_at - paused_at;
  const core::Duration working = WorkingTimeBetween(calendar, paused_at, resumed_at);
  int moved = 0;
  for (v1::ServiceClock& clock : *c.mutable_clocks()) {
    if (clock.has_met_at() || !clock.has_due_at()) continue;
    const core::TimePoint due = sla::FromTimestamp(clock.due_at());
    if (paused_at > due) continue;  // already breached: a pause never hides it
    const core::TimePoint moved_due =
        clock.working_days() ? AddWorkingTime(calendar, due, working) : due + wall;
    if (moved_due == due) continue;
    *clock.mutable_due_at() = sla::ToTimestamp(moved_due);
    if (clock.working_days() && calendar.IsProvisionalBetween(due, moved_due)) {
      clock.set_provisional(true);
    }
    ++moved;
  }
  return moved;
}

std::vector<CaseAlarm> DueAlarms(const v1::ComplaintCase& c, const std::vector<std::string>& fired,
                                 core::TimePoint now, const ComplaintPolicy& policy) {
  const std::unordered_set<std::string> done(fired.begin(), fired.end());
  std::vector<CaseAlarm> due;
  for (CaseAlarm& alarm : AllAlarms(c, policy)) {
    if (alarm.at > now) break;  // earliest first: the rest are later
    if (done.count(alarm.alarm_id) == 0) due.push_back(std::move(alarm));
  }
  return due;
}

std::optional<core::TimePoint> NextAlarmAt(const v1::ComplaintCase& c,
                                           const std::vector<std::string>& fired,
                                           const ComplaintPolicy& policy) {
  const std::unordered_set<std::string> done(fired.begin(), fired.end());
  for (const CaseAlarm& alarm : AllAlarms(c, policy)) {
    if (done.count(alarm.alarm_id) == 0) return alarm.at;
  }
  return std::nullopt;
}

std::optional<core::TimePoint> FirstDue(const v1::ComplaintCase& c) {
  if (c.state() == v1::CASE_STATE_CLOSED) return std::nullopt;
  std::optional<core::TimePoint> first;
  const auto consider = [&first](const google::protobuf::Timestamp& due_at) {
    const core::TimePoint due = sla::FromTimestamp(due_at);
    if (!first || due < *first) first = due;
  };
  for (const v1::ServiceClock& clock : c.clocks()) {
    if (!clock.has_met_at() && clock.has_due_at()) consider(clock.due_at());
  }
  for (const v1::CoordinationPart& part : c.parts()) {
    if (!part.has_answered_at() && part.has_due_at()) consider(part.due_at());
  }
  return first;
}

}  // namespace gridcare::complaint
