#include "application_plan.h"

#include <algorithm>
#include <cmath>

#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

using Clock = v1::ServiceClock;
using Clocks = google::protobuf::RepeatedPtrField<v1::ServiceClock>;

v1::LocalizedText Text(std::string zh_cn, std::string en) {
  v1::LocalizedText text;
  text.set_zh_cn(std::move(zh_cn));
  text.set_en(std::move(en));
  return text;
}

bool IsCompletionClock(const Clock& clock) {
  return clock.kind() == Clock::KIND_APPLICATION_COMPLETION ||
         clock.kind() == Clock::KIND_METER_DISPUTE_RESULT;
}

bool TimesStage(const Clock& clock, v1::ApplicationStage stage) {
  if (stage == v1::APPLICATION_STAGE_WORK_DONE) return IsCompletionClock(clock);
  return clock.kind() == Clock::KIND_APPLICATION_STAGE && clock.stage() == StageName(stage);
}

Clock* MutableClockOfStage(Clocks* clocks, v1::ApplicationStage stage) {
  for (auto& clock : *clocks) {
    if (TimesStage(clock, stage)) return &clock;
  }
  return nullptr;
}

core::Status CheckRange(std::string_view field, int64_t value, int64_t low, int64_t high) {
  if (value < low || value > high) {
    return core::InvalidArgument(std::string(field) + " must be in " + std::to_string(low) + ".." +
                                 std::to_string(high));
  }
  return {};
}

}  // namespace

core::Status Validate(const ApplicationSettings& s) {
  using std::chrono::minutes;
  const std::vector<std::tuple<std::string_view, int64_t, int64_t, int64_t>> ranges = {
      {"documents_checked_working_days", s.documents_checked_working_days, 1, 30},
      {"site_surveyed_working_days", s.site_surveyed_working_days, 1, 30},
      {"survey_duration_minutes", s.survey_duration.count(), 15, 480},
      {"installation_duration_minutes", s.installation_duration.count(), 15, 480},
      {"meter_check_duration_minutes", s.meter_check_duration.count(), 15, 480},
      {"booking_notice_minutes", s.booking_notice.count(), 0, 48 * 60},
      {"reminder_before_minutes", s.reminder_before.count(), 0, 72 * 60},
      {"rebook_lead_minutes", s.rebook_lead.count(), 0, 24 * 60},
  };
  for (const auto& [field, value, low, high] : ranges) {
    if (auto status = CheckRange(field, value, low, high); !status) return status;
  }
  return Validate(s.slots);
}

bool NeedsFieldWork(v1::ServiceApplicationKind kind) {
  return WorkOrderKindFor(kind) != v1::WORK_ORDER_KIND_UNSPECIFIED;
}

v1::WorkOrderKind WorkOrderKindFor(v1::ServiceApplicationKind kind) {
  switch (kind) {
    case v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION:
      return v1::WORK_ORDER_KIND_NEW_CONNECTION;
    case v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE:
      return v1::WORK_ORDER_KIND_CAPACITY_CHANGE;
    case v1::SERVICE_APPLICATION_KIND_METER_CHECK:
      return v1::WORK_ORDER_KIND_METER_CHECK;
    case v1::SERVICE_APPLICATION_KIND_METER_RELOCATION:
      return v1::WORK_ORDER_KIND_METER_RELOCATION;
    default:
      return v1::WORK_ORDER_KIND_UNSPECIFIED;
  }
}

bool IsAppointmentWork(const v1::WorkOrder& order) { return order.has_application(); }

std::vector<v1::VisitKind> VisitsFor(v1::ServiceApplicationKind kind) {
  if (!NeedsFieldWork(kind)) return {};
  if (kind == v1::SERVICE_APPLICATION_KIND_METER_CHECK) return {v1::VISIT_KIND_METER_CHECK};
  return {v1::VISIT_KIND_SITE_SURVEY, v1::VISIT_KIND_INSTALLATION};
}

std::optional<v1::VisitKind> NextVisit(v1::ServiceApplicationKind kind, v1::VisitKind done) {
  const auto visits = VisitsFor(kind);
  const auto it = std::find(visits.begin(), visits.end(), done);
  if (it == visits.end() || it + 1 == visits.end()) return std::nullopt;
  return *(it + 1);
}

std::vector<v1::ApplicationStage> StagesFor(v1::ServiceApplicationKind kind) {
  if (!NeedsFieldWork(kind)) return {};
  if (kind == v1::SERVICE_APPLICATION_KIND_METER_CHECK) {
    return {v1::APPLICATION_STAGE_ACCEPTED, v1::APPLICATION_STAGE_WORK_DONE,
            v1::APPLICATION_STAGE_CLOSED};
  }
  return {v1::APPLICATION_STAGE_ACCEPTED, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED,
          v1::APPLICATION_STAGE_SITE_SURVEYED, v1::APPLICATION_STAGE_WORK_DONE,
          v1::APPLICATION_STAGE_CLOSED};
}

v1::ApplicationStage StageAfter(v1::VisitKind visit) {
  return visit == v1::VISIT_KIND_SITE_SURVEY ? v1::APPLICATION_STAGE_SITE_SURVEYED
                                             : v1::APPLICATION_STAGE_WORK_DONE;
}

std::chrono::minutes VisitDuration(v1::VisitKind visit, const ApplicationSettings& settings) {
  switch (visit) {
    case v1::VISIT_KIND_SITE_SURVEY:
      return settings.survey_duration;
    case v1::VISIT_KIND_METER_CHECK:
      return settings.meter_check_duration;
    default:
      return settings.installation_duration;
  }
}

std::string_view StageName(v1::ApplicationStage stage) {
  switch (stage) {
    case v1::APPLICATION_STAGE_ACCEPTED:
      return "accepted";
    case v1::APPLICATION_STAGE_DOCUMENTS_CHECKED:
      return "documents_checked";
    case v1::APPLICATION_STAGE_SITE_SURVEYED:
      return "site_surveyed";
    case v1::APPLICATION_STAGE_WORK_DONE:
      return "work_done";
    case v1::APPLICATION_STAGE_CLOSED:
      return "closed";
    default:
      return "unspecified";
  }
}

std::string_view VisitName(v1::VisitKind visit) {
  switch (visit) {
    case v1::VISIT_KIND_SITE_SURVEY:
      return "site_survey";
    case v1::VISIT_KIND_INSTALLATION:
      return "installation";
    case v1::VISIT_KIND_METER_CHECK:
      return "meter_check";
    default:
      return "unspecified";
  }
}

v1::LocalizedText StageDescription(v1::ServiceApplicationKind kind, v1::ApplicationStage stage) {
  switch (stage) {
    case v1::APPLICATION_STAGE_ACCEPTED:
      return Text("您的申请已受理，我们正在为您预约上门时间",
                  "Your application is accepted; we are booking a visit");
    case v1::APPLICATION_STAGE_DOCUMENTS_CHECKED:
      return Text("申请资料审核通过", "Your documents are checked and complete");
    case v1::APPLICATION_STAGE_SITE_SURVEYED:
      return Text("现场勘查已完成", "The site survey is done");
    case v1::APPLICATION_STAGE_WORK_DONE:
      switch (kind) {
        case v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION:
          return Text("电表已安装，已为您接电",
                      "Your meter is installed and the supply is connected");
        case v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE:
          return Text("容量变更已完成", "Your capacity change is done");
        case v1::SERVICE_APPLICATION_KIND_METER_RELOCATION:
          return Text("电表已移装完成", "Your meter has been moved");
        default:
          return Text("电表校验已完成，结果已记录",
                      "Your meter check is done and its result recorded");
      }
    case v1::APPLICATION_STAGE_CLOSED:
      return Text("申请已办结", "Your application is complete and closed");
    default:
      return Text("申请处理中", "Your application is in progress");
  }
}

v1::LocalizedText VisitDescription(v1::ServiceApplicationKind kind, v1::VisitKind visit) {
  switch (visit) {
    case v1::VISIT_KIND_SITE_SURVEY:
      return Text("现场勘查", "site survey");
    case v1::VISIT_KIND_METER_CHECK:
      return Text("电表现场校验", "meter check");
    default:
      switch (kind) {
        case v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE:
          return Text("增减容施工", "capacity change work");
        case v1::SERVICE_APPLICATION_KIND_METER_RELOCATION:
          return Text("电表移装", "meter relocation");
        default:
          return Text("装表接电", "meter installation and connection");
      }
  }
}

std::vector<v1::ServiceClock> ApplicationClocks(v1::ServiceApplicationKind kind,
                                                core::TimePoint accepted_at,
                                                const v1::ServiceClock* completion,
                                                int completion_days,
                                                const ApplicationSettings& settings,
                                                const sla::WorkingCalendar& calendar) {
  std::vector<v1::ServiceClock> clocks;
  if (completion != nullptr) {
    clocks.push_back(*completion);
  } else {
    const auto clock_kind = kind == v1::SERVICE_APPLICATION_KIND_METER_CHECK
                                ? Clock::KIND_METER_DISPUTE_RESULT
                                : Clock::KIND_APPLICATION_COMPLETION;
    clocks.push_back(sla::WorkingDayClock(clock_kind, accepted_at, completion_days, calendar));
  }
  const auto stages = StagesFor(kind);
  const auto add_stage = [&](v1::ApplicationStage stage, int days) {
    if (std::find(stages.begin(), stages.end(), stage) == stages.end()) return;
    auto clock = sla::WorkingDayClock(Clock::KIND_APPLICATION_STAGE, accepted_at, days, calendar);
    clock.set_stage(std::string(StageName(stage)));
    clocks.push_back(std::move(clock));
  };
  add_stage(v1::APPLICATION_STAGE_DOCUMENTS_CHECKED, settings.documents_checked_working_days);
  add_stage(v1::APPLICATION_STAGE_SITE_SURVEYED, settings.site_surveyed_working_days);
  return clocks;
}

const v1::ServiceClock* ClockOfStage(const Clocks& clocks, v1::ApplicationStage stage) {
  for (const auto& clock : clocks) {
    if (TimesStage(clock, stage)) return &clock;
  }
  return nullptr;
}

std::optional<core::TimePoint> VisitDeadline(const Clocks& clocks, v1::VisitKind visit) {
  const auto* clock = ClockOfStage(clocks, StageAfter(visit));
  if (clock == nullptr || !clock->has_due_at()) return std::nullopt;
  return sla::FromTimestamp(clock->due_at());
}

bool HasReached(const v1::Application& application, v1::ApplicationStage stage) {
  return std::any_of(application.stages().begin(), application.stages().end(),
                     [stage](const v1::StageRecord& r) { return r.stage() == stage; });
}

bool ReachStage(v1::Application& application, Clocks* clocks, v1::ApplicationStage stage,
                core::TimePoint at, const std::string& work_order_id, bool with_skipped) {
  if (HasReached(application, stage)) return false;
  const auto stages = StagesFor(application.kind());
  const auto position = std::find(stages.begin(), stages.end(), stage);
  if (position == stages.end()) return false;
  // Earlier stages the kind has and the application skipped are reached with it (documents
  // checked on site during the survey, a survey folded into the installation visit).
  for (auto it = with_skipped ? stages.begin() : position; it != position + 1; ++it) {
    if (HasReached(application, *it)) continue;
    auto* record = application.add_stages();
    record->set_stage(*it);
    *record->mutable_reached_at() = sla::ToTimestamp(at);
    record->set_work_order_id(work_order_id);
    if (auto* clock = MutableClockOfStage(clocks, *it); clock != nullptr && !clock->has_met_at()) {
      *clock->mutable_met_at() = sla::ToTimestamp(at);
    }
    if (*it > application.stage()) application.set_stage(*it);
  }
  return true;
}

core::Status StopClocks(v1::Application& application, v1::ClockStop stop) {
  if (stop.reason().empty()) return core::InvalidArgument("reason is required");
  if (stop.missing_documents().empty()) {
    return core::InvalidArgument("missing_documents must name what the customer is to bring");
  }
  if (application.has_clock_stop()) {
    return core::FailedPrecondition("the clocks are already stopped: " +
                                    application.clock_stop().reason());
  }
  if (HasReached(application, v1::APPLICATION_STAGE_WORK_DONE)) {
    return core::FailedPrecondition("the work is done; nothing left to stop");
  }
  *application.mutable_clock_stop() = std::move(stop);
  return {};
}

int ResumeClocks(v1::Application& application, Clocks* clocks, core::TimePoint resumed_at,
                 const sla::WorkingCalendar& calendar) {
  if (!application.has_clock_stop()) return 0;
  const auto stopped_at = sla::FromTimestamp(application.clock_stop().stopped_at());
  const double elapsed = calendar.WorkingDaysBetween(stopped_at, resumed_at);
  const int days = elapsed <= 0 ? 0 : static_cast<int>(std::ceil(elapsed - 1e-9));
  application.clear_clock_stop();
  if (days == 0) return 0;
  for (auto& clock : *clocks) {
    if (!clock.working_days() || clock.has_met_at() || !clock.has_due_at()) continue;
    const auto due = calendar.AddWorkingDays(sla::FromTimestamp(clock.due_at()), days);
    *clock.mutable_due_at() = sla::ToTimestamp(due);
    clock.set_limit_working_days(clock.limit_working_days() + days);
    clock.set_provisional(clock.provisional() || calendar.IsProvisionalBetween(
                                                     sla::FromTimestamp(clock.starts_at()), due));
  }
  return days;
}

std::optional<std::string> RebookReason(const v1::WorkOrder& visit, const CrewSituation& crew,
                                        core::TimePoint now, const ApplicationSettings& settings) {
  if (!IsAppointmentWork(visit) || !visit.has_appointment_start()) return std::nullopt;
  if (visit.state() != v1::WORK_ORDER_STATE_ASSIGNED &&
      visit.state() != v1::WORK_ORDER_STATE_ACCEPTED) {
    return std::nullopt;
  }
  if (!crew.on_roster) return "crew " + visit.crew_id() + " left the roster";
  if (!crew.reachable) return "crew " + visit.crew_id() + " stopped reporting";
  const auto start = sla::FromTimestamp(visit.appointment_start());
  if (crew.on_fault_work && start - now < settings.rebook_lead) {
    return "crew " + visit.crew_id() + " taken by fault repair";
  }
  return std::nullopt;
}

std::vector<std::string> RemindersDue(const v1::WorkOrder& visit, core::TimePoint now,
                                      const ApplicationSettings& settings) {
  if (!IsAppointmentWork(visit) || !visit.has_appointment_start()) return {};
  if (settings.reminder_before.count() == 0) return {};
  if (visit.state() != v1::WORK_ORDER_STATE_ASSIGNED &&
      visit.state() != v1::WORK_ORDER_STATE_ACCEPTED) {
    return {};
  }
  const auto start = sla::FromTimestamp(visit.appointment_start());
  if (now < start - settings.reminder_before || now >= start) return {};
  std::vector<std::string> due;
  for (const std::string audience : {"crew", "customer"}) {
    const auto& sent = visit.application().reminded();
    if (std::find(sent.begin(), sent.end(), audience) == sent.end()) due.push_back(audience);
  }
  return due;
}

std::optional<Booking> BookingOf(const v1::WorkOrder& order) {
  if (!IsAppointmentWork(order) || order.crew_id().empty() || !order.has_appointment_start() ||
      !order.has_appointment_end()) {
    return std::nullopt;
  }
  Booking booking;
  booking.crew_id = order.crew_id();
  booking.work_order_id = order.work_order_id();
  booking.kind = Booking::Kind::kAppointment;
  booking.start = sla::FromTimestamp(order.appointment_start());
  booking.end = sla::FromTimestamp(order.appointment_end());
  booking.location = {order.location().latitude(), order.location().longitude()};
  booking.area_class = order.area_class();
  return booking;
}

}  // namespace gridcare::dispatch
