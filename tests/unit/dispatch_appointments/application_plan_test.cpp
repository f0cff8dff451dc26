// The stages and clocks of service applications by appointment
// (services/dispatch/application_plan.h): which kinds need field work, their visits and stages,
// stage clocks in working days over holidays and 调休 weekends, reaching stages (idempotent,
// skipped stages), stopping and restarting the clocks for missing documents, re-booking and
// reminders. Times are Beijing time (UTC+8).

#include "application_plan.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

using namespace std::chrono;
using Clocks = google::protobuf::RepeatedPtrField<v1::ServiceClock>;

/// Local time `hour`:`minute` on `date` (Beijing).
core::TimePoint Local(year_month_day date, int hour, int minute = 0) {
  return sys_days{date} + hours(hour) + minutes(minute) - hours(8);
}

/// 2027-01-01 (Friday) a holiday; Sunday 2027-01-03 a working day (调休), as a notice would say.
sla::WorkingCalendar NewYearCalendar() {
  auto calendar = sla::WorkingCalendar::FromJson(
      R"({"name": "test-2027", "holidays": ["2027-01-01"], "working_weekends": ["2027-01-03"]})");
  REQUIRE(calendar.ok());
  return std::move(calendar).value();
}

Clocks ClocksOf(const std::vector<v1::ServiceClock>& clocks) {
  Clocks out;
  for (const auto& clock : clocks) *out.Add() = clock;
  return out;
}

v1::Application NewConnection() {
  v1::Application application;
  application.set_ticket_id("GC-1");
  application.set_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  return application;
}

core::TimePoint Due(const v1::ServiceClock* clock) {
  REQUIRE(clock != nullptr);
  return sla::FromTimestamp(clock->due_at());
}

TEST_CASE("applications with field work and their visits and stages by kind", "[applications]") {
  using K = v1::ServiceApplicationKind;
  CHECK(NeedsFieldWork(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION));
  CHECK(NeedsFieldWork(v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE));
  CHECK(NeedsFieldWork(v1::SERVICE_APPLICATION_KIND_METER_CHECK));
  CHECK(NeedsFieldWork(v1::SERVICE_APPLICATION_KIND_METER_RELOCATION));
  CHECK_FALSE(NeedsFieldWork(v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER));
  CHECK_FALSE(NeedsFieldWork(v1::SERVICE_APPLICATION_KIND_UNSPECIFIED));
  CHECK_FALSE(NeedsFieldWork(static_cast<K>(99)));
  CHECK(WorkOrderKindFor(v1::SERVICE_APPLICATION_KIND_METER_RELOCATION) ==
        v1::WORK_ORDER_KIND_METER_RELOCATION);
  CHECK(WorkOrderKindFor(v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER) ==
        v1::WORK_ORDER_KIND_UNSPECIFIED);

  CHECK(VisitsFor(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION) ==
        std::vector<v1::VisitKind>{v1::VISIT_KIND_SITE_SURVEY, v1::VISIT_KIND_INSTALLATION});
  CHECK(VisitsFor(v1::SERVICE_APPLICATION_KIND_METER_CHECK) ==
        std::vector<v1::VisitKind>{v1::VISIT_KIND_METER_CHECK});
  CHECK(VisitsFor(v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER).empty());
  CHECK(NextVisit(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::VISIT_KIND_SITE_SURVEY) ==
        v1::VISIT_KIND_INSTALLATION);
  CHECK_FALSE(NextVisit(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::VISIT_KIND_INSTALLATION));
  CHECK_FALSE(NextVisit(v1::SERVICE_APPLICATION_KIND_METER_CHECK, v1::VISIT_KIND_METER_CHECK));

  CHECK(StagesFor(v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE).size() == 5);
  CHECK(StagesFor(v1::SERVICE_APPLICATION_KIND_METER_CHECK) ==
        std::vector<v1::ApplicationStage>{v1::APPLICATION_STAGE_ACCEPTED,
                                          v1::APPLICATION_STAGE_WORK_DONE,
                                          v1::APPLICATION_STAGE_CLOSED});
  CHECK(StageAfter(v1::VISIT_KIND_SITE_SURVEY) == v1::APPLICATION_STAGE_SITE_SURVEYED);
  CHECK(StageAfter(v1::VISIT_KIND_INSTALLATION) == v1::APPLICATION_STAGE_WORK_DONE);
  CHECK(StageAfter(v1::VISIT_KIND_METER_CHECK) == v1::APPLICATION_STAGE_WORK_DONE);

  ApplicationSettings settings;
  CHECK(VisitDuration(v1::VISIT_KIND_SITE_SURVEY, settings) == minutes(60));
  CHECK(VisitDuration(v1::VISIT_KIND_INSTALLATION, settings) == minutes(90));
  CHECK(VisitDuration(v1::VISIT_KIND_METER_CHECK, settings) == minutes(60));
  CHECK(StageName(v1::APPLICATION_STAGE_DOCUMENTS_CHECKED) == "documents_checked");
  CHECK(VisitName(v1::VISIT_KIND_METER_CHECK) == "meter_check");
}

TEST_CASE("every stage and visit reads in Chinese and English", "[applications]") {
  for (auto kind :
       {v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE,
        v1::SERVICE_APPLICATION_KIND_METER_CHECK, v1::SERVICE_APPLICATION_KIND_METER_RELOCATION}) {
    for (auto stage : StagesFor(kind)) {
      const auto text = StageDescription(kind, stage);
      CHECK_FALSE(text.zh_cn().empty());
      CHECK_FALSE(text.en().empty());
    }
    for (auto visit : VisitsFor(kind)) {
      const auto text = VisitDescription(kind, visit);
      CHECK_FALSE(text.zh_cn().empty());
      CHECK_FALSE(text.en().empty());
    }
  }
  CHECK(
      StageDescription(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::APPLICATION_STAGE_WORK_DONE)
          .zh_cn() == "电表已安装，已为您接电");
}

TEST_CASE("stage clocks count working days over a holiday and a 调休 Sunday", "[applications]") {
  const auto calendar = NewYearCalendar();
  ApplicationSettings settings;
  // Thursday 2026-12-31 10:00. Friday is the New Year holiday, Sunday 3 January is worked.
  const auto accepted = Local(2026y / 12 / 31, 10);
  const auto clocks = ClocksOf(ApplicationClocks(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION,
                                                 accepted, nullptr, 5, settings, calendar));
  REQUIRE(clocks.size() == 3);
  // Documents: 1 working day -> Sunday 3 January (worked) 10:00.
  CHECK(Due(ClockOfStage(clocks, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED)) ==
        Local(2027y / 1 / 3, 10));
  // Survey: 2 working days -> Monday 4 January 10:00.
  CHECK(Due(ClockOfStage(clocks, v1::APPLICATION_STAGE_SITE_SURVEYED)) == Local(2027y / 1 / 4, 10));
  // The whole process: 5 working days -> Thursday 7 January 10:00.
  const auto* completion = ClockOfStage(clocks, v1::APPLICATION_STAGE_WORK_DONE);
  REQUIRE(completion != nullptr);
  CHECK(completion->kind() == v1::ServiceClock::KIND_APPLICATION_COMPLETION);
  CHECK(Due(completion) == Local(2027y / 1 / 7, 10));
  CHECK(ClockOfStage(clocks, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED)->stage() ==
        "documents_checked");
  CHECK(ClockOfStage(clocks, v1::APPLICATION_STAGE_SITE_SURVEYED)->working_days());
  CHECK(ClockOfStage(clocks, v1::APPLICATION_STAGE_SITE_SURVEYED)->limit_working_days() == 2);
  CHECK(ClockOfStage(clocks, v1::APPLICATION_STAGE_CLOSED) == nullptr);
  CHECK(VisitDeadline(clocks, v1::VISIT_KIND_SITE_SURVEY) == Local(2027y / 1 / 4, 10));
  CHECK(VisitDeadline(clocks, v1::VISIT_KIND_INSTALLATION) == Local(2027y / 1 / 7, 10));
}

TEST_CASE("the ticket's completion clock is taken as it is and a meter check has no stage clock",
          "[applications]") {
  const auto calendar = NewYearCalendar();
  const auto accepted = Local(2026y / 12 / 28, 9);
  v1::ServiceClock ticket_clock =
      sla::WorkingDayClock(v1::ServiceClock::KIND_METER_DISPUTE_RESULT, accepted, 5, calendar);
  const auto clocks = ClocksOf(ApplicationClocks(v1::SERVICE_APPLICATION_KIND_METER_CHECK, accepted,
                                                 &ticket_clock, 99, {}, calendar));
  REQUIRE(clocks.size() == 1);
  CHECK(clocks[0].SerializeAsString() == ticket_clock.SerializeAsString());
  // Monday 28 Dec + 5 working days: Tue, Wed, Thu, (New Year's Day, Saturday), Sunday 3 Jan
  // (worked), Monday 4 Jan.
  CHECK(Due(ClockOfStage(clocks, v1::APPLICATION_STAGE_WORK_DONE)) == Local(2027y / 1 / 4, 9));
  CHECK(VisitDeadline(clocks, v1::VISIT_KIND_METER_CHECK) == Local(2027y / 1 / 4, 9));
}

TEST_CASE("reaching a stage meets its clock once and fills the stages skipped before it",
          "[applications]") {
  const auto calendar = NewYearCalendar();
  const auto accepted = Local(2027y / 1 / 4, 9);
  auto clocks = ClocksOf(ApplicationClocks(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, accepted,
                                           nullptr, 5, {}, calendar));
  auto application = NewConnection();
  CHECK(ReachStage(application, &clocks, v1::APPLICATION_STAGE_ACCEPTED, accepted, "WO-1"));
  CHECK_FALSE(ReachStage(application, &clocks, v1::APPLICATION_STAGE_ACCEPTED, accepted, "WO-1"));
  CHECK(application.stage() == v1::APPLICATION_STAGE_ACCEPTED);

  // The survey, documents checked on site: both stages, both clocks met at the survey's end.
  const auto surveyed = accepted + hours(26);
  CHECK(ReachStage(application, &clocks, v1::APPLICATION_STAGE_SITE_SURVEYED, surveyed, "WO-1"));
  REQUIRE(application.stages_size() == 3);
  CHECK(application.stages(1).stage() == v1::APPLICATION_STAGE_DOCUMENTS_CHECKED);
  CHECK(application.stages(2).stage() == v1::APPLICATION_STAGE_SITE_SURVEYED);
  CHECK(application.stage() == v1::APPLICATION_STAGE_SITE_SURVEYED);
  const auto* documents = ClockOfStage(clocks, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED);
  CHECK(sla::FromTimestamp(documents->met_at()) == surveyed);
  CHECK_FALSE(ClockOfStage(clocks, v1::APPLICATION_STAGE_WORK_DONE)->has_met_at());
  // Again, later: nothing moves.
  CHECK_FALSE(ReachStage(application, &clocks, v1::APPLICATION_STAGE_SITE_SURVEYED,
                         surveyed + hours(1), "WO-2"));
  CHECK(sla::FromTimestamp(documents->met_at()) == surveyed);

  // Without the skipped stages: the survey alone (documents still missing).
  auto other = NewConnection();
  auto other_clocks = clocks;
  for (auto& clock : other_clocks) clock.clear_met_at();
  CHECK(ReachStage(other, &other_clocks, v1::APPLICATION_STAGE_SITE_SURVEYED, surveyed, "WO-1",
                   false));
  REQUIRE(other.stages_size() == 1);
  CHECK_FALSE(HasReached(other, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED));
  CHECK_FALSE(ClockOfStage(other_clocks, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED)->has_met_at());

  // A stage the kind does not have changes nothing.
  v1::Application check;
  check.set_kind(v1::SERVICE_APPLICATION_KIND_METER_CHECK);
  CHECK_FALSE(ReachStage(check, &clocks, v1::APPLICATION_STAGE_SITE_SURVEYED, surveyed, ""));
  CHECK(check.stages().empty());
}

TEST_CASE("missing documents stop the clocks and the stop moves every open deadline",
          "[applications]") {
  const auto calendar = NewYearCalendar();
  const auto accepted = Local(2026y / 12 / 30, 10);  // Wednesday
  auto clocks = ClocksOf(ApplicationClocks(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, accepted,
                                           nullptr, 5, {}, calendar));
  auto application = NewConnection();
  ReachStage(application, &clocks, v1::APPLICATION_STAGE_ACCEPTED, accepted, "");
  const auto completion_before = Due(ClockOfStage(clocks, v1::APPLICATION_STAGE_WORK_DONE));
  CHECK(completion_before == Local(2027y / 1 / 6, 10));

  v1::ClockStop stop;
  stop.set_recorded_by("clerk-7");
  *stop.mutable_stopped_at() = sla::ToTimestamp(Local(2026y / 12 / 31, 9));
  SECTION("a stop needs a reason and what the customer is to bring") {
    CHECK(StopClocks(application, stop).error().kind == core::ErrorKind::kInvalidArgument);
    stop.set_reason("property certificate missing");
    CHECK(StopClocks(application, stop).error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_FALSE(application.has_clock_stop());
  }
  stop.set_reason("property certificate missing");
  stop.add_missing_documents()->set_zh_cn("房屋产权证明");
  REQUIRE(StopClocks(application, stop).ok());
  CHECK(StopClocks(application, stop).error().kind == core::ErrorKind::kFailedPrecondition);

  SECTION("documents brought on Monday: Thursday, (holiday), (Saturday), Sunday worked, Monday") {
    // From Thursday 31 Dec 09:00 to Monday 4 Jan 11:00: Thursday 0.625 + Sunday 1 + Monday
    // 0.458 working days -> 3 (a started working day counts whole).
    const int days = ResumeClocks(application, &clocks, Local(2027y / 1 / 4, 11), calendar);
    CHECK(days == 3);
    CHECK_FALSE(application.has_clock_stop());
    const auto* completion = ClockOfStage(clocks, v1::APPLICATION_STAGE_WORK_DONE);
    CHECK(Due(completion) == calendar.AddWorkingDays(completion_before, 3));
    CHECK(Due(completion) == Local(2027y / 1 / 11, 10));
    CHECK(completion->limit_working_days() == 8);
    // Again: not stopped, nothing moves.
    CHECK(ResumeClocks(application, &clocks, Local(2027y / 1 / 5, 11), calendar) == 0);
    CHECK(Due(completion) == Local(2027y / 1 / 11, 10));
  }
  SECTION("a met clock does not move") {
    auto* documents = const_cast<v1::ServiceClock*>(
        ClockOfStage(clocks, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED));
    *documents->mutable_met_at() = sla::ToTimestamp(accepted);
    const auto due = Due(documents);
    ResumeClocks(application, &clocks, Local(2027y / 1 / 4, 11), calendar);
    CHECK(Due(documents) == due);
  }
  SECTION("a stop over the holiday and the weekend only counts nothing") {
    application.mutable_clock_stop()->mutable_stopped_at()->CopyFrom(
        sla::ToTimestamp(Local(2027y / 1 / 1, 9)));  // the holiday
    CHECK(ResumeClocks(application, &clocks, Local(2027y / 1 / 2, 18), calendar) == 0);
    CHECK(Due(ClockOfStage(clocks, v1::APPLICATION_STAGE_WORK_DONE)) == completion_before);
  }
  SECTION("nothing to stop once the work is done") {
    auto done = NewConnection();
    ReachStage(done, &clocks, v1::APPLICATION_STAGE_WORK_DONE, accepted, "");
    CHECK(StopClocks(done, stop).error().kind == core::ErrorKind::kFailedPrecondition);
  }
}

v1::WorkOrder BookedVisit(core::TimePoint start, v1::WorkOrderState state) {
  v1::WorkOrder order;
  order.set_work_order_id("WO-A-GC-1-1");
  order.set_state(state);
  order.set_crew_id("CREW-M");
  *order.mutable_appointment_start() = sla::ToTimestamp(start);
  *order.mutable_appointment_end() = sla::ToTimestamp(start + hours(1));
  order.mutable_location()->set_latitude(23.1);
  order.mutable_location()->set_longitude(113.3);
  *order.mutable_application() = NewConnection();
  return order;
}

TEST_CASE("a booked visit is booked again when fault repair takes its crew", "[applications]") {
  ApplicationSettings settings;  // rebook_lead 2 h
  const auto start = Local(2027y / 1 / 5, 10);
  const auto order = BookedVisit(start, v1::WORK_ORDER_STATE_ASSIGNED);
  CrewSituation crew;
  CHECK_FALSE(RebookReason(order, crew, start - hours(1), settings));
  crew.on_fault_work = true;
  CHECK_FALSE(RebookReason(order, crew, start - hours(3), settings));  // it may still make it
  CHECK_FALSE(RebookReason(order, crew, start - hours(2), settings));  // the lead itself: not yet
  CHECK(RebookReason(order, crew, start - hours(2) + minutes(1), settings) ==
        std::string("crew CREW-M taken by fault repair"));
  CHECK(RebookReason(order, crew, start + minutes(5), settings));  // late already
  CHECK(RebookReason(BookedVisit(start, v1::WORK_ORDER_STATE_ACCEPTED), crew, start, settings));
  // Under way: the visit stays.
  CHECK_FALSE(
      RebookReason(BookedVisit(start, v1::WORK_ORDER_STATE_EN_ROUTE), crew, start, settings));
  CHECK_FALSE(
      RebookReason(BookedVisit(start, v1::WORK_ORDER_STATE_ON_SITE), crew, start, settings));
  // A crew gone silent or off the roster loses its visits whenever they are.
  CHECK(RebookReason(order, {.on_roster = true, .reachable = false}, start - hours(30), settings) ==
        std::string("crew CREW-M stopped reporting"));
  CHECK(RebookReason(order, {.on_roster = false}, start - hours(30), settings) ==
        std::string("crew CREW-M left the roster"));
  // Repair work is not booked: never re-booked here.
  v1::WorkOrder repair = order;
  repair.clear_application();
  CHECK_FALSE(RebookReason(repair, {.on_roster = false}, start, settings));
}

TEST_CASE("crew and customer are reminded once in the day before a visit", "[applications]") {
  ApplicationSettings settings;  // reminder_before 24 h
  const auto start = Local(2027y / 1 / 5, 10);
  auto order = BookedVisit(start, v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(RemindersDue(order, start - hours(25), settings).empty());
  CHECK(RemindersDue(order, start - hours(24), settings) ==
        std::vector<std::string>{"crew", "customer"});
  order.mutable_application()->add_reminded("crew");
  CHECK(RemindersDue(order, start - hours(2), settings) == std::vector<std::string>{"customer"});
  order.mutable_application()->add_reminded("customer");
  CHECK(RemindersDue(order, start - hours(2), settings).empty());
  CHECK(RemindersDue(BookedVisit(start, v1::WORK_ORDER_STATE_ASSIGNED), start, settings).empty());
  CHECK(RemindersDue(BookedVisit(start, v1::WORK_ORDER_STATE_EN_ROUTE), start - hours(1), settings)
            .empty());
  settings.reminder_before = minutes(0);
  CHECK(RemindersDue(BookedVisit(start, v1::WORK_ORDER_STATE_ASSIGNED), start - hours(1), settings)
            .empty());
}

TEST_CASE("a booked visit is a booking for the slot finder and settings are range checked",
          "[applications]") {
  const auto start = Local(2027y / 1 / 5, 10);
  const auto booking = BookingOf(BookedVisit(start, v1::WORK_ORDER_STATE_ASSIGNED));
  REQUIRE(booking);
  CHECK(booking->crew_id == "CREW-M");
  CHECK(booking->start == start);
  CHECK(booking->end == start + hours(1));
  CHECK(booking->kind == Booking::Kind::kAppointment);
  auto unbooked = BookedVisit(start, v1::WORK_ORDER_STATE_QUEUED);
  unbooked.clear_crew_id();
  CHECK_FALSE(BookingOf(unbooked));

  ApplicationSettings settings;
  CHECK(Validate(settings).ok());
  settings.documents_checked_working_days = 0;
  CHECK_THAT(Validate(settings).error().message, Catch::Contains("documents_checked_working_days"));
  settings = {};
  settings.rebook_lead = hours(25);
  CHECK_THAT(Validate(settings).error().message, Catch::Contains("rebook_lead_minutes"));
  settings = {};
  settings.slots.max_offers = 0;
  CHECK_FALSE(Validate(settings).ok());
}

}  // namespace
}  // namespace gridcare::dispatch
