// Appointment work through the Dispatcher (services/dispatch/appointment_desk.h): a service
// application with field work is accepted and its visits booked with a metering crew, followed
// through the crew's reports to supply connected and closed; re-booked when fault repair takes
// the crew or the customer is absent; reminders, clock alarms, the clerk's document check, the
// dispatcher's move; idempotent on redelivery and across a restart.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "appointment_desk.h"
#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

namespace ce_app {
constexpr std::string_view kBooked = "gridcare.appointment.booked.v1";
constexpr std::string_view kReminder = "gridcare.appointment.reminder.v1";
constexpr std::string_view kStage = "gridcare.application.stage_reached.v1";
constexpr std::string_view kClockChanged = "gridcare.application.clock_changed.v1";
}  // namespace ce_app

const std::string kVisit1 = "WO-A-GC-A1-1";
const std::string kVisit2 = "WO-A-GC-A1-2";

/// A new-connection application GC-A1 opened now, `north_km` north of the reference point, with
/// the preferred window [from, to) when given.
v1::Ticket Application(
    core::TimePoint opened_at, std::optional<core::TimePoint> from = {},
    std::optional<core::TimePoint> to = {},
    v1::ServiceApplicationKind kind = v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION,
    const std::string& ticket_id = "GC-A1") {
  v1::Ticket ticket = FaultTicket(ticket_id, "C-NEW", "F1", "T1", opened_at);
  ticket.set_type(v1::REQUEST_TYPE_SERVICE_APPLICATION);
  ticket.set_application_kind(kind);
  if (from && to) {
    *ticket.mutable_preferred_appointment_start() = sla::ToTimestamp(*from);
    *ticket.mutable_preferred_appointment_end() = sla::ToTimestamp(*to);
  }
  return ticket;
}

v1::Crew MeteringCrew(const std::string& id, double north_km, core::TimePoint now) {
  return MakeCrew(id, north_km, now, {v1::CREW_SKILL_METERING, v1::CREW_SKILL_LOW_VOLTAGE});
}

/// A metering crew 1 km north working Monday to Friday 08:30-17:30.
v1::Crew DayCrew(const std::string& id, core::TimePoint now) {
  auto crew = MeteringCrew(id, 1, now);
  crew.mutable_shifts(0)->set_weekday_mask(0b0011111);
  crew.mutable_shifts(0)->set_start_minute_of_day(8 * 60 + 30);
  crew.mutable_shifts(0)->set_end_minute_of_day(17 * 60 + 30);
  return crew;
}

v1::CrewEvent VisitDone(const std::string& crew, const std::string& order,
                        const v1::AppointmentResult& result) {
  v1::CrewEvent event;
  auto* done = event.mutable_job_completed();
  done->set_crew_id(crew);
  done->set_work_order_id(order);
  *done->mutable_appointment() = result;
  return event;
}

/// The crew goes through its visit (accepted, en route, on site) and finishes it with `result`.
void DoVisit(Harness& h, const std::string& crew, const std::string& order,
             const v1::AppointmentResult& result) {
  h.CrewDone(Accepted(crew, order), order + "-accepted");
  h.CrewDone(EnRoute(crew, order), order + "-en-route");
  h.CrewDone(OnSite(crew, order), order + "-on-site");
  h.CrewDone(VisitDone(crew, order, result), order + "-done");
}

std::vector<v1::ApplicationStage> Stages(const std::vector<Published>& events) {
  std::vector<v1::ApplicationStage> stages;
  for (const auto& e : OfType(events, ce_app::kStage)) {
    stages.push_back(e.event.application_stage_reached().stage());
  }
  return stages;
}

TEST_CASE("a new connection is accepted and its survey booked in the preferred window",
          "[dispatcher][appointments]") {
  Harness h;
  h.Roster({MeteringCrew("CREW-M", 1, h.Now()), MakeCrew("CREW-F", 0, h.Now())});
  // T0 is Monday 16:00 in Beijing; the customer prefers Tuesday 09:00-12:00.
  const auto from = h.Now() + 17h;
  h.Call(Application(h.Now(), from, from + 3h));
  const auto events = h.Take();
  CHECK(Types(events) == Strs{std::string(ce::kWorkOrderCreated), std::string(ce_app::kStage),
                              std::string(ce::kWorkOrderAssigned), std::string(ce_app::kBooked)});
  for (const auto& e : events) CHECK(e.key == "GC-A1");  // one application, one partition order
  CHECK(Stages(events) == std::vector<v1::ApplicationStage>{v1::APPLICATION_STAGE_ACCEPTED});
  const auto booked = One(events, ce_app::kBooked).event.appointment_booked();
  CHECK_FALSE(booked.rebooked());
  const auto& order = booked.work_order();
  CHECK(order.work_order_id() == kVisit1);
  CHECK(order.kind() == v1::WORK_ORDER_KIND_NEW_CONNECTION);
  CHECK(order.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(order.crew_id() == "CREW-M");  // the only crew with the metering skill
  CHECK(order.required_skill() == v1::CREW_SKILL_METERING);
  CHECK(FromTs(order.appointment_start()) == from);
  CHECK(FromTs(order.appointment_end()) == from + 1h);
  CHECK(order.application().visit() == v1::VISIT_KIND_SITE_SURVEY);
  CHECK(order.application().booking_count() == 1);
  CHECK(order.application().preferred_window_met());
  CHECK_FALSE(order.application().after_deadline());
  CHECK(order.clocks_size() == 3);  // completion, documents checked, site surveyed

  v1::ListWorkOrdersRequest appointments;
  appointments.set_work(v1::ListWorkOrdersRequest::WORK_APPOINTMENT);
  CHECK(h.d().WorkOrders(appointments).size() == 1);
  v1::ListWorkOrdersRequest repairs;
  repairs.set_work(v1::ListWorkOrdersRequest::WORK_REPAIR);
  CHECK(h.d().WorkOrders(repairs).empty());
}

TEST_CASE("a new connection goes from application to supply connected and closed",
          "[dispatcher][appointments]") {
  Harness h;
  h.Roster({MeteringCrew("CREW-M", 1, h.Now())});
  h.Call(Application(h.Now()));
  (void)h.Take();

  v1::AppointmentResult survey;
  survey.set_documents_verified(true);
  DoVisit(h, "CREW-M", kVisit1, survey);
  auto events = h.Take();
  CHECK(Stages(events) == std::vector<v1::ApplicationStage>{v1::APPLICATION_STAGE_DOCUMENTS_CHECKED,
                                                            v1::APPLICATION_STAGE_SITE_SURVEYED});
  CHECK_FALSE(h.Order(kVisit1));
  const auto next = One(events, ce_app::kBooked).event.appointment_booked();
  CHECK_FALSE(next.rebooked());
  CHECK(next.work_order().work_order_id() == kVisit2);
  CHECK(next.work_order().application().visit() == v1::VISIT_KIND_INSTALLATION);
  CHECK(next.work_order().application().visit_number() == 2);
  CHECK(FromTs(next.work_order().appointment_end()) -
            FromTs(next.work_order().appointment_start()) ==
        90min);

  v1::AppointmentResult installed;
  installed.set_meter_number("M-4403-778812");
  auto* reading = installed.add_readings();
  reading->set_name("voltage_l1_v");
  reading->set_value(229.5);
  DoVisit(h, "CREW-M", kVisit2, installed);
  events = h.Take();
  CHECK(Stages(events) == std::vector<v1::ApplicationStage>{v1::APPLICATION_STAGE_WORK_DONE,
                                                            v1::APPLICATION_STAGE_CLOSED});
  const auto closed = OfType(events, ce_app::kStage).back().event.application_stage_reached();
  CHECK(closed.description().en() == "Your application is complete and closed");
  const auto& application = closed.work_order().application();
  CHECK(application.meter_number() == "M-4403-778812");
  CHECK(application.stage() == v1::APPLICATION_STAGE_CLOSED);
  CHECK(application.stages_size() == 5);
  for (const auto& clock : closed.work_order().clocks()) CHECK(clock.has_met_at());
  CHECK(h.Orders().empty());
  CHECK(Count(events, ce_app::kBooked) == 0);
}

TEST_CASE("a storm takes the metering crew and the visit is booked again once",
          "[dispatcher][appointments]") {
  Harness h;
  h.Roster({MeteringCrew("CREW-M", 1, h.Now()),
            MakeCrew("CREW-N", 6, h.Now(), {v1::CREW_SKILL_METERING})});
  const auto from = h.Now() + 17h;
  h.Call(Application(h.Now(), from, from + 3h));
  REQUIRE(h.Order(kVisit1)->crew_id() == "CREW-M");
  (void)h.Take();

  // A fault next to CREW-M: it is the only crew with the low-voltage skill.
  h.clock.Advance(15h + 5min);  // Tuesday 07:05; the crews have kept reporting their positions
  h.Roster({MeteringCrew("CREW-M", 1, h.Now()),
            MakeCrew("CREW-N", 6, h.Now(), {v1::CREW_SKILL_METERING})});
  h.CallNow("F-1", "c1", "F1", "T1", 1);
  REQUIRE(h.Order("WO-S-F-1"));
  REQUIRE(h.Order("WO-S-F-1")->crew_id() == "CREW-M");
  (void)h.Take();

  h.Tick();  // under two hours before the visit, its crew on a fault: booked again with CREW-N
  auto events = h.Take();
  const auto booked = One(events, ce_app::kBooked).event.appointment_booked();
  CHECK(booked.rebooked());
  CHECK(booked.reason() == "crew CREW-M taken by fault repair");
  CHECK(booked.work_order().crew_id() == "CREW-N");
  CHECK(booked.work_order().application().booking_count() == 2);
  CHECK(FromTs(booked.work_order().appointment_start()) >= h.Now() + 2h);  // the crew's notice
  const auto moved = One(events, ce::kWorkOrderReassigned).event.work_order_reassigned();
  CHECK(moved.previous_crew_id() == "CREW-M");
  CHECK(moved.crew_id() == "CREW-N");
  // The fault job itself stays with CREW-M.
  CHECK(h.Order("WO-S-F-1")->crew_id() == "CREW-M");

  h.clock.Advance(1min);
  h.Tick();
  h.clock.Advance(1min);
  h.Tick();
  CHECK(Count(h.Take(), ce_app::kBooked) == 0);  // the customer is told once
}

TEST_CASE("fault work another territory gave the crew also re-books its visit",
          "[dispatcher][appointments]") {
  Harness h;
  h.Roster({MeteringCrew("CREW-M", 1, h.Now()), MeteringCrew("CREW-N", 4, h.Now())});
  h.Call(Application(h.Now(), h.Now() + 3h, h.Now() + 6h));
  REQUIRE(h.Order(kVisit1)->crew_id() == "CREW-M");
  (void)h.Take();
  h.clock.Advance(2h);
  // The roster refresh shows CREW-M holding a fault job this dispatcher does not own.
  auto busy = MeteringCrew("CREW-M", 1, h.Now());
  busy.add_work_order_ids("WO-S-ELSEWHERE");
  busy.add_work_order_ids(kVisit1);
  h.Roster({busy, MeteringCrew("CREW-N", 4, h.Now())});
  h.Tick();
  const auto booked = One(h.Take(), ce_app::kBooked).event.appointment_booked();
  CHECK(booked.reason() == "crew CREW-M taken by fault repair");
  CHECK(booked.work_order().crew_id() == "CREW-N");
}

TEST_CASE("a customer who is not there gets the visit booked again", "[dispatcher][appointments]") {
  Harness h;
  h.Roster({MeteringCrew("CREW-M", 1, h.Now())});
  h.Call(Application(h.Now()));
  (void)h.Take();
  v1::AppointmentResult absent;
  absent.set_customer_absent(true);
  DoVisit(h, "CREW-M", kVisit1, absent);
  const auto events = h.Take();
  CHECK(Stages(events).empty());
  const auto booked = One(events, ce_app::kBooked).event.appointment_booked();
  CHECK(booked.rebooked());
  CHECK(booked.reason() == "customer absent");
  CHECK(booked.work_order().work_order_id() == kVisit2);
  CHECK(booked.work_order().application().visit() == v1::VISIT_KIND_SITE_SURVEY);
  CHECK(booked.work_order().application().absent_count() == 1);
  CHECK_FALSE(h.Order(kVisit1));
}

TEST_CASE("crew and customer are reminded once before the visit and late stages raise alarms",
          "[dispatcher][appointments]") {
  Harness h;
  h.Roster({MeteringCrew("CREW-M", 1, h.Now())});
  h.Call(Application(h.Now(), h.Now() + 41h, h.Now() + 44h));  // Wednesday 09:00-12:00
  const auto start = FromTs(h.Order(kVisit1)->appointment_start());
  (void)h.Take();
  h.CrewDone(Accepted("CREW-M", kVisit1), "acc");
  h.clock.Advance(start - 24h - h.Now());
  h.Tick();
  auto events = h.Take();
  std::vector<std::string> audiences;
  for (const auto& e : OfType(events, ce_app::kReminder)) {
    audiences.push_back(e.event.appointment_reminder().audience());
    CHECK(e.key == "GC-A1");
  }
  CHECK(audiences == Strs{"crew", "customer"});
  // Tuesday 17:00: the documents were due a working day after acceptance (Tuesday 16:00).
  h.clock.Advance(8h);
  h.Tick();
  events = h.Take();
  CHECK(Count(events, ce_app::kReminder) == 0);

  std::vector<std::string> late;
  for (const auto& e : OfType(events, ce::kClockAlarm)) {
    const auto& alarm = e.event.clock_alarm();
    CHECK(alarm.work_order_id() == kVisit1);
    if (alarm.overdue()) late.push_back(alarm.clock().stage());
  }
  CHECK(std::count(late.begin(), late.end(), "documents_checked") >= 1);
  h.Tick();
  for (const auto& e : OfType(h.Take(), ce::kClockAlarm)) {
    CHECK(e.event.clock_alarm().clock().stage() != "documents_checked");  // raised once per step
  }
}

TEST_CASE("missing documents stop the clocks and the clerk's check starts them again",
          "[dispatcher][appointments]") {
  Harness h;
  h.Roster({MeteringCrew("CREW-M", 1, h.Now())});
  h.Call(Application(h.Now()));
  const auto due_before = FromTs(h.Order(kVisit1)->clocks(0).due_at());
  (void)h.Take();

  v1::RecordDocumentCheckRequest check;
  check.set_ticket_id("GC-NONE");
  CHECK(h.d().RecordDocumentCheck(check).error().kind == core::ErrorKind::kNotFound);
  check.set_ticket_id("GC-A1");
  check.set_reason("property certificate missing");
  CHECK(h.d().RecordDocumentCheck(check).error().kind == core::ErrorKind::kInvalidArgument);
  auto* missing = check.add_missing_documents();
  missing->set_zh_cn("房屋产权证明");
  missing->set_en("proof of property ownership");
  check.set_clerk_id("clerk-7");
  REQUIRE(h.d().RecordDocumentCheck(check).ok());
  auto events = h.Take();
  const auto stopped = One(events, ce_app::kClockChanged).event.application_clock_changed();
  CHECK(stopped.stopped());
  CHECK(stopped.stop().missing_documents(0).zh_cn() == "房屋产权证明");
  CHECK(stopped.stop().recorded_by() == "clerk-7");

  // The customer brings them two working days later (Wednesday 16:00).
  h.clock.Advance(48h);
  v1::RecordDocumentCheckRequest complete;
  complete.set_ticket_id("GC-A1");
  complete.set_complete(true);
  const auto resumed = h.d().RecordDocumentCheck(complete);
  REQUIRE(resumed.ok());
  events = h.Take();
  const auto changed = One(events, ce_app::kClockChanged).event.application_clock_changed();
  CHECK_FALSE(changed.stopped());
  CHECK(changed.stopped_working_days() == 2);
  CHECK(Stages(events) ==
        std::vector<v1::ApplicationStage>{v1::APPLICATION_STAGE_DOCUMENTS_CHECKED});
  CHECK(FromTs(resumed->clocks(0).due_at()) == h.settings.calendar.AddWorkingDays(due_before, 2));
  // Checked again: nothing new.
  REQUIRE(h.d().RecordDocumentCheck(complete).ok());
  CHECK(Count(h.Take(), ce_app::kStage) == 0);
}

TEST_CASE("a dispatcher moves a booked visit within the crew's shift",
          "[dispatcher][appointments]") {
  Harness h;
  const auto day_crew = DayCrew("CREW-D", h.Now());
  h.Roster({day_crew});
  h.Call(Application(h.Now()));
  REQUIRE(h.Order(kVisit1)->crew_id() == "CREW-D");
  (void)h.Take();

  v1::MoveAppointmentRequest move;
  move.set_work_order_id(kVisit1);
  move.set_dispatcher_id("d-01");
  move.set_reason("customer asked by phone");
  *move.mutable_start() = sla::ToTimestamp(h.Now() + 30h);  // Tuesday 22:00: off shift
  CHECK(h.d().MoveAppointment(move).error().kind == core::ErrorKind::kInvalidArgument);
  *move.mutable_start() = sla::ToTimestamp(h.Now() - 1h);
  CHECK(h.d().MoveAppointment(move).error().kind == core::ErrorKind::kInvalidArgument);
  const auto thursday = h.Now() + 66h;  // Thursday 10:00
  *move.mutable_start() = sla::ToTimestamp(thursday);
  const auto moved = h.d().MoveAppointment(move);
  REQUIRE(moved.ok());
  CHECK(FromTs(moved->appointment_start()) == thursday);
  const auto booked = One(h.Take(), ce_app::kBooked).event.appointment_booked();
  CHECK(booked.rebooked());
  CHECK(booked.reason() == "moved by dispatcher d-01: customer asked by phone");

  h.CallNow("F-1", "c1");
  (void)h.Take();
  move.set_work_order_id("WO-S-F-1");
  CHECK(h.d().MoveAppointment(move).error().kind == core::ErrorKind::kFailedPrecondition);
  move.set_work_order_id("WO-NONE");
  CHECK(h.d().MoveAppointment(move).error().kind == core::ErrorKind::kNotFound);
}

TEST_CASE("application inputs are handled once across redelivery and a restart",
          "[dispatcher][appointments]") {
  Harness h;
  const auto day_crew = DayCrew("CREW-D", h.Now());
  h.Roster({day_crew});
  const auto ticket = Application(h.Now());
  h.Call(ticket, "evt-1");
  const auto first = h.Take();
  h.Call(ticket, "evt-1");  // redelivered: the same events again
  const auto again = h.Take();
  REQUIRE(again.size() == first.size());
  for (size_t i = 0; i < first.size(); ++i) CHECK(again[i].ce_id == first[i].ce_id);
  h.Call(ticket, "evt-2");  // the same ticket announced twice: still one application
  CHECK(Count(h.Take(), ce_app::kBooked) == 0);
  CHECK(h.OrderIds() == Strs{kVisit1});

  h.CrewDone(Accepted("CREW-D", kVisit1), "acc-1");
  h.CrewDone(Accepted("CREW-D", kVisit1), "acc-2");  // a repeated report changes nothing
  CHECK(h.Take().empty());

  // Restart; the crew is off shift tonight: fault reassessment leaves the booked visit alone.
  h.Restart();
  h.Roster({day_crew});
  h.clock.Advance(3h);  // Monday 19:00
  h.Tick();
  CHECK(Count(h.Take(), ce::kWorkOrderReassigned) == 0);
  REQUIRE(h.Order(kVisit1));
  CHECK(h.Order(kVisit1)->state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(h.Order(kVisit1)->crew_id() == "CREW-D");

  // An account transfer needs no field work: not dispatch's business.
  h.Call(Application(h.Now(), {}, {}, v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER, "GC-T1"));
  CHECK(h.Take().empty());
}

}  // namespace
}  // namespace gridcare::dispatch
