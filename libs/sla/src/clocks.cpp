#include "gridcare/sla/clocks.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cmath>

namespace gridcare::sla {
namespace {

using google::protobuf::util::TimeUtil;

v1::ServiceClock WallClock(v1::ServiceClock::Kind kind, core::TimePoint start,
                           core::Duration limit) {
  v1::ServiceClock clock;
  clock.set_kind(kind);
  *clock.mutable_starts_at() = ToTimestamp(start);
  *clock.mutable_due_at() = ToTimestamp(start + limit);
  clock.set_working_days(false);
  return clock;
}

std::chrono::minutes RestorationLimit(v1::AreaClass area, const ServiceStandards& standards) {
  switch (area) {
    case v1::AREA_CLASS_RURAL:
      return standards.restoration_rural;
    case v1::AREA_CLASS_REMOTE:
      return standards.restoration_remote;
    default:  // urban, and unspecified: the strictest
      return standards.restoration_urban;
  }
}

int NewConnectionDays(v1::AccountType account, const ServiceStandards& standards) {
  switch (account) {
    case v1::ACCOUNT_TYPE_COMMERCIAL:
    case v1::ACCOUNT_TYPE_INDUSTRIAL:
    case v1::ACCOUNT_TYPE_AGRICULTURAL:
      return standards.new_connection_non_residential_working_days;
    default:  // residential, and unspecified: the strictest
      return standards.new_connection_residential_working_days;
  }
}

}  // namespace

v1::ServiceClock WorkingDayClock(v1::ServiceClock::Kind kind, core::TimePoint start, int days,
                                 const WorkingCalendar& calendar) {
  v1::ServiceClock clock;
  clock.set_kind(kind);
  *clock.mutable_starts_at() = ToTimestamp(start);
  const WorkingDeadline deadline = calendar.Deadline(start, days);
  *clock.mutable_due_at() = ToTimestamp(deadline.due);
  clock.set_working_days(true);
  clock.set_provisional(deadline.provisional);
  clock.set_limit_working_days(days);
  return clock;
}

std::chrono::minutes ArrivalLimit(v1::AreaClass area, const ServiceStandards& standards) {
  switch (area) {
    case v1::AREA_CLASS_RURAL:
      return standards.arrival_rural;
    case v1::AREA_CLASS_REMOTE:
      return standards.arrival_remote;
    default:  // urban, and unspecified: the strictest
      return standards.arrival_urban;
  }
}

std::string_view AreaClassLabel(v1::AreaClass area) {
  switch (area) {
    case v1::AREA_CLASS_RURAL:
      return "rural";
    case v1::AREA_CLASS_REMOTE:
      return "remote";
    default:
      return "urban";
  }
}

google::protobuf::Timestamp ToTimestamp(core::TimePoint t) {
  return TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

core::TimePoint FromTimestamp(const google::protobuf::Timestamp& ts) {
  return core::TimePoint{std::chrono::duration_cast<core::Duration>(
      std::chrono::nanoseconds{TimeUtil::TimestampToNanoseconds(ts)})};
}

std::vector<v1::ServiceClock> ClocksFor(const TicketFacts& facts, core::TimePoint opened_at,
                                        const ServiceStandards& standards,
                                        const WorkingCalendar& calendar) {
  using Clock = v1::ServiceClock;
  std::vector<Clock> clocks;
  switch (facts.type) {
    case v1::REQUEST_TYPE_FAULT_REPAIR:
      clocks.push_back(
          WallClock(Clock::KIND_ARRIVAL, opened_at, ArrivalLimit(facts.area_class, standards)));
      break;
    case v1::REQUEST_TYPE_COMPLAINT:
      clocks.push_back(
          WallClock(Clock::KIND_COMPLAINT_CONTACT, opened_at, standards.complaint_contact));
      clocks.push_back(WorkingDayClock(Clock::KIND_COMPLAINT_REPLY, opened_at,
                                       standards.complaint_reply_working_days, calendar));
      break;
    case v1::REQUEST_TYPE_REPORT:
      clocks.push_back(WorkingDayClock(Clock::KIND_COMPLAINT_REPLY, opened_at,
                                       standards.report_reply_working_days, calendar));
      break;
    case v1::REQUEST_TYPE_OPINION:
    case v1::REQUEST_TYPE_SUGGESTION:
      clocks.push_back(WorkingDayClock(Clock::KIND_COMPLAINT_REPLY, opened_at,
                                       standards.opinion_reply_working_days, calendar));
      break;
    case v1::REQUEST_TYPE_CONSULTATION:
      clocks.push_back(
          WallClock(Clock::KIND_CONSULTATION_REPLY, opened_at, standards.consultation_reply));
      break;
    case v1::REQUEST_TYPE_SERVICE_APPLICATION:
      switch (facts.application_kind) {
        case v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION:
          clocks.push_back(WorkingDayClock(Clock::KIND_APPLICATION_COMPLETION, opened_at,
                                           NewConnectionDays(facts.account_type, standards),
                                           calendar));
          break;
        case v1::SERVICE_APPLICATION_KIND_METER_CHECK:
          clocks.push_back(WorkingDayClock(Clock::KIND_METER_DISPUTE_RESULT, opened_at,
                                           standards.meter_dispute_working_days, calendar));
          break;
        default:
          clocks.push_back(WorkingDayClock(Clock::KIND_APPLICATION_COMPLETION, opened_at,
                                           standards.other_application_working_days, calendar));
          break;
      }
      break;
    default:  // praise, urging, unspecified and values this build does not know: no clock
      break;
  }
  return clocks;
}

v1::ServiceClock RestorationClock(v1::AreaClass area, core::TimePoint arrived_at,
                                  const ServiceStandards& standards) {
  return WallClock(v1::ServiceClock::KIND_RESTORATION, arrived_at,
                   RestorationLimit(area, standards));
}

bool RecomputeWorkingDayClock(v1::ServiceClock& clock, const WorkingCalendar& calendar,
                              const WorkingCalendar& previous) {
  if (!clock.working_days() || clock.has_met_at() || !clock.has_starts_at()) return false;
  const core::TimePoint start = FromTimestamp(clock.starts_at());
  int days = clock.limit_working_days();
  if (days <= 0) {  // written before the limit was kept: recover it from the old calendar
    days = static_cast<int>(
        std::lround(previous.WorkingDaysBetween(start, FromTimestamp(clock.due_at()))));
  }
  const WorkingDeadline deadline = calendar.Deadline(start, days);
  const auto due = ToTimestamp(deadline.due);
  const bool changed = due.seconds() != clock.due_at().seconds() ||
                       due.nanos() != clock.due_at().nanos() ||
                       deadline.provisional != clock.provisional();
  *clock.mutable_due_at() = due;
  clock.set_provisional(deadline.provisional);
  clock.set_limit_working_days(days);
  return changed;
}

bool HasProvisionalClock(const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks) {
  return std::any_of(clocks.begin(), clocks.end(), [](const v1::ServiceClock& clock) {
    return clock.provisional() && !clock.has_met_at();
  });
}

bool HasWorkingDayClock(const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks) {
  return std::any_of(clocks.begin(), clocks.end(),
                     [](const v1::ServiceClock& clock) { return clock.working_days(); });
}

ClockState StateOf(const v1::ServiceClock& clock, core::TimePoint now,
                   std::chrono::minutes warning) {
  if (clock.has_met_at()) return ClockState::kMet;
  if (!clock.has_due_at()) return ClockState::kOnTime;
  const core::TimePoint due = FromTimestamp(clock.due_at());
  if (now > due) return ClockState::kOverdue;
  if (now >= due - std::max(warning, std::chrono::minutes::zero())) return ClockState::kDueSoon;
  return ClockState::kOnTime;
}

}  // namespace gridcare::sla
