// KpiLedger on dispatch, complaint and notification events, plus the naming helpers (FieldName,
// FieldsOf, SeriesName) and the local day and hour of an instant.

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analytics_test_support.h"
#include "gridcare/sla/calendar.h"
#include "kpi_ledger.h"

namespace gridcare::analytics {
namespace {

using namespace testing;
using std::chrono::milliseconds;
using std::chrono::minutes;

const KpiLedger& Ledger() {
  static const sla::WorkingCalendar calendar = sla::WorkingCalendar::WeekdaysOnly();
  static const KpiLedger ledger(calendar);
  return ledger;
}

Dimensions AreaClassOnly(const std::string& area_class) {
  Dimensions dims;
  dims.area_class = area_class;
  return dims;
}

TicketMemo MemoIn(const std::string& district, core::TimePoint opened) {
  TicketMemo memo;
  memo.opened_ms = Ms(opened);
  memo.dims.district = district;
  memo.dims.type = "fault_repair";
  memo.series = "fault_repair";
  return memo;
}

/// Three known calls: two in 天河区 (Sunday night and Monday morning), one without a district.
TicketMemos KnownCalls() {
  return {{"T-1", MemoIn("天河区", Local(2026, 7, 5, 23, 50))},
          {"T-2", MemoIn("天河区", Local(2026, 7, 6, 0, 10))},
          {"T-3", MemoIn("", Local(2026, 7, 6, 0, 20))},
          {"T-4", MemoIn("天河区", Local(2026, 7, 6, 0, 30))}};
}

v1::Incident Incident(const std::string& id, const std::vector<std::string>& tickets) {
  v1::Incident incident;
  incident.set_incident_id(id);
  incident.set_area_class(v1::AREA_CLASS_RURAL);
  for (const auto& ticket : tickets) incident.add_ticket_ids(ticket);
  *incident.mutable_opened_at() = Stamp(Local(2026, 7, 6, 0, 15));
  return incident;
}

v1::DispatchEvent IncidentOpened(const v1::Incident& incident) {
  v1::DispatchEvent event;
  *event.mutable_incident_opened()->mutable_incident() = incident;
  return event;
}

// --- Dispatch: outages and incidents ---

TEST_CASE("TicketsNamed gives an incident's calls or the attached ticket") {
  CHECK(KpiLedger::TicketsNamed(IncidentOpened(Incident("INC-1", {"T-1", "T-2"}))) ==
        std::vector<std::string>{"T-1", "T-2"});
  v1::DispatchEvent rolled;
  *rolled.mutable_incident_rolled_up()->mutable_incident() = Incident("INC-F", {"T-3"});
  CHECK(KpiLedger::TicketsNamed(rolled) == std::vector<std::string>{"T-3"});
  v1::DispatchEvent attached;
  attached.mutable_ticket_attached()->set_ticket_id("T-4");
  CHECK(KpiLedger::TicketsNamed(attached) == std::vector<std::string>{"T-4"});
  v1::DispatchEvent restored;
  *restored.mutable_incident_restored()->mutable_incident() = Incident("INC-1", {"T-1"});
  CHECK(KpiLedger::TicketsNamed(restored).empty());
  CHECK(KpiLedger::TicketsNamed(v1::DispatchEvent()).empty());
}

TEST_CASE("An incident opened counts an incident and marks its calls' districts and days") {
  const Effects effects = Ledger().Dispatch(
      IncidentOpened(Incident("INC-1", {"T-1", "T-2", "T-3", "T-9"})), KnownCalls());
  REQUIRE(effects.counters.size() == 1);
  CHECK(effects.counters[0] ==
        CounterIncrement{kMondayDay, metric::kIncidents, 1, AreaClassOnly("rural")});
  // The outage day is each call's own local day; unknown calls (T-9) are skipped.
  CHECK(effects.outage_days == std::vector<std::string>{"unknown|" + std::to_string(kMondayDay),
                                                        "天河区|" + std::to_string(kSundayDay),
                                                        "天河区|" + std::to_string(kMondayDay)});
  const std::vector<std::pair<std::string, std::string>> open = {{"INC-1", "unknown"},
                                                                 {"INC-1", "天河区"}};
  CHECK(effects.open_incidents == open);
  CHECK(effects.closed_incidents.empty());
  CHECK_FALSE(effects.unmatched);
}

TEST_CASE("Outage days and open incidents are listed once each") {
  const Effects effects =
      Ledger().Dispatch(IncidentOpened(Incident("INC-1", {"T-2", "T-4", "T-2"})), KnownCalls());
  CHECK(effects.outage_days == std::vector<std::string>{"天河区|" + std::to_string(kMondayDay)});
  CHECK(effects.open_incidents.size() == 1);
}

TEST_CASE("An incident with no known call is counted and marks nothing") {
  v1::Incident incident = Incident("INC-2", {"T-9"});
  incident.set_area_class(v1::AREA_CLASS_UNSPECIFIED);
  const Effects effects = Ledger().Dispatch(IncidentOpened(incident), KnownCalls());
  REQUIRE(effects.counters.size() == 1);
  CHECK(effects.counters[0].dims == Dimensions{});
  CHECK(effects.outage_days.empty());
  CHECK(effects.open_incidents.empty());
}

TEST_CASE("A roll-up marks the feeder incident's calls and closes the merged incidents") {
  v1::DispatchEvent event;
  auto& rolled = *event.mutable_incident_rolled_up();
  *rolled.mutable_incident() = Incident("INC-F", {"T-1", "T-4"});
  rolled.add_merged_incident_ids("INC-1");
  rolled.add_merged_incident_ids("INC-2");
  const Effects effects = Ledger().Dispatch(event, KnownCalls());
  CHECK(effects.counters.empty());  // the feeder incident was counted when it opened
  CHECK(effects.outage_days == std::vector<std::string>{"天河区|" + std::to_string(kSundayDay),
                                                        "天河区|" + std::to_string(kMondayDay)});
  const std::vector<std::pair<std::string, std::string>> open = {{"INC-F", "天河区"}};
  CHECK(effects.open_incidents == open);
  CHECK(effects.closed_incidents == std::vector<std::string>{"INC-1", "INC-2"});
}

TEST_CASE("A ticket attached to an incident marks its district and day") {
  v1::DispatchEvent event;
  event.mutable_ticket_attached()->set_ticket_id("T-2");
  event.mutable_ticket_attached()->set_incident_id("INC-1");
  const Effects effects = Ledger().Dispatch(event, KnownCalls());
  CHECK(effects.counters.empty());
  CHECK(effects.outage_days == std::vector<std::string>{"天河区|" + std::to_string(kMondayDay)});
  const std::vector<std::pair<std::string, std::string>> open = {{"INC-1", "天河区"}};
  CHECK(effects.open_incidents == open);
}

TEST_CASE("A ticket attached to a planned outage only or unknown marks nothing") {
  v1::DispatchEvent planned;
  planned.mutable_ticket_attached()->set_ticket_id("T-2");
  planned.mutable_ticket_attached()->set_planned_outage_id("PO-1");
  CHECK(Ledger().Dispatch(planned, KnownCalls()).empty());
  v1::DispatchEvent unknown;
  unknown.mutable_ticket_attached()->set_ticket_id("T-9");
  unknown.mutable_ticket_attached()->set_incident_id("INC-1");
  const Effects effects = Ledger().Dispatch(unknown, KnownCalls());
  CHECK(effects.empty());
}

TEST_CASE("An incident cancelled or merged is no longer open and other updates change nothing") {
  for (const auto state : {v1::INCIDENT_STATE_CANCELLED, v1::INCIDENT_STATE_MERGED}) {
    v1::DispatchEvent event;
    *event.mutable_incident_updated()->mutable_incident() = Incident("INC-1", {"T-1"});
    event.mutable_incident_updated()->mutable_incident()->set_state(state);
    const Effects effects = Ledger().Dispatch(event, KnownCalls());
    CHECK(effects.closed_incidents == std::vector<std::string>{"INC-1"});
    CHECK(effects.counters.empty());
    CHECK(effects.outage_days.empty());
  }
  for (const auto state : {v1::INCIDENT_STATE_ON_SITE, v1::INCIDENT_STATE_ASSIGNED}) {
    v1::DispatchEvent event;
    *event.mutable_incident_updated()->mutable_incident() = Incident("INC-1", {"T-1"});
    event.mutable_incident_updated()->mutable_incident()->set_state(state);
    CHECK(Ledger().Dispatch(event, KnownCalls()).empty());
  }
}

// --- Dispatch: restoration and arrival ---

v1::ServiceClock Arrival(core::TimePoint starts, core::TimePoint due,
                         std::optional<core::TimePoint> met) {
  v1::ServiceClock clock;
  clock.set_kind(v1::ServiceClock::KIND_ARRIVAL);
  *clock.mutable_starts_at() = Stamp(starts);
  *clock.mutable_due_at() = Stamp(due);
  if (met) *clock.mutable_met_at() = Stamp(*met);
  return clock;
}

v1::DispatchEvent Restored(const v1::Incident& incident) {
  v1::DispatchEvent event;
  *event.mutable_incident_restored()->mutable_incident() = incident;
  return event;
}

/// Opened Monday 00:15, crew due 01:00 (45 minutes), restored 02:45.
v1::Incident RestoredIncident(std::optional<core::TimePoint> arrived) {
  v1::Incident incident = Incident("INC-1", {"T-2"});
  const core::TimePoint start = Local(2026, 7, 6, 0, 15);
  *incident.add_clocks() = Arrival(start, start + minutes(45), arrived);
  v1::ServiceClock restoration;
  restoration.set_kind(v1::ServiceClock::KIND_RESTORATION);
  *restoration.mutable_starts_at() = Stamp(start);
  *restoration.mutable_met_at() = Stamp(Local(2026, 7, 6, 2, 45));
  *incident.add_clocks() = restoration;
  *incident.mutable_restored_at() = Stamp(Local(2026, 7, 6, 2, 45));
  return incident;
}

TEST_CASE("A restoration with the crew on site within the limit") {
  const Effects effects =
      Ledger().Dispatch(Restored(RestoredIncident(Local(2026, 7, 6, 0, 55))), KnownCalls());
  CHECK(MetricsOf(effects) == std::vector<std::string>{metric::kArrivals, metric::kArrivalSeconds,
                                                       metric::kArrivalsWithinLimit,
                                                       metric::kRestorations,
                                                       metric::kRestorationSeconds});
  for (const auto& increment : effects.counters) {
    CHECK(increment.day == kMondayDay);
    CHECK(increment.dims == AreaClassOnly("rural"));
  }
  CHECK(Delta(effects, metric::kArrivals) == 1);
  CHECK(Delta(effects, metric::kArrivalSeconds) == 40 * 60);
  CHECK(Delta(effects, metric::kArrivalsWithinLimit) == 1);
  CHECK(Delta(effects, metric::kRestorations) == 1);
  CHECK(Delta(effects, metric::kRestorationSeconds) == 150 * 60);
  CHECK(effects.closed_incidents == std::vector<std::string>{"INC-1"});
}

TEST_CASE("A crew on site exactly at the limit is within it and later is not") {
  Effects effects =
      Ledger().Dispatch(Restored(RestoredIncident(Local(2026, 7, 6, 1, 0))), KnownCalls());
  CHECK(Delta(effects, metric::kArrivalsWithinLimit) == 1);
  effects = Ledger().Dispatch(Restored(RestoredIncident(Local(2026, 7, 6, 1, 0) + milliseconds(1))),
                              KnownCalls());
  CHECK(Delta(effects, metric::kArrivals) == 1);
  CHECK(Delta(effects, metric::kArrivalsWithinLimit) == 0);
  CHECK(Delta(effects, metric::kArrivalSeconds) == 45 * 60);  // whole seconds, rounded down
  effects = Ledger().Dispatch(Restored(RestoredIncident(Local(2026, 7, 6, 2, 0))), KnownCalls());
  CHECK(Delta(effects, metric::kArrivalsWithinLimit) == 0);
  CHECK(Delta(effects, metric::kArrivalSeconds) == 105 * 60);
}

TEST_CASE("An arrival clock without a deadline is within the limit") {
  v1::Incident incident = RestoredIncident(Local(2026, 7, 6, 3, 0));
  incident.mutable_clocks(0)->clear_due_at();
  const Effects effects = Ledger().Dispatch(Restored(incident), KnownCalls());
  CHECK(Delta(effects, metric::kArrivals) == 1);
  CHECK(Delta(effects, metric::kArrivalsWithinLimit) == 1);
}

TEST_CASE("An arrival never met is no arrival and a restoration clock is no arrival") {
  const Effects effects = Ledger().Dispatch(Restored(RestoredIncident(std::nullopt)), KnownCalls());
  CHECK(IncrementsOf(effects, metric::kArrivals).empty());
  CHECK(IncrementsOf(effects, metric::kArrivalSeconds).empty());
  CHECK(IncrementsOf(effects, metric::kArrivalsWithinLimit).empty());
  CHECK(Delta(effects, metric::kRestorations) == 1);
}

TEST_CASE("An on-site time before the clock's start counts zero seconds") {
  const Effects effects =
      Ledger().Dispatch(Restored(RestoredIncident(Local(2026, 7, 6, 0, 5))), KnownCalls());
  CHECK(Delta(effects, metric::kArrivals) == 1);
  CHECK(Delta(effects, metric::kArrivalSeconds) == 0);
}

TEST_CASE("A restoration is dated by its own local day") {
  v1::Incident incident = RestoredIncident(Local(2026, 7, 6, 0, 55));
  *incident.mutable_restored_at() = Stamp(Local(2026, 7, 7, 0, 0));
  const Effects effects = Ledger().Dispatch(Restored(incident), KnownCalls());
  for (const auto& increment : effects.counters) CHECK(increment.day == kMondayDay + 1);
  CHECK(Delta(effects, metric::kRestorationSeconds) == (23 * 60 + 45) * 60);
}

TEST_CASE("A restoration without its time only closes the incident") {
  v1::Incident incident = RestoredIncident(Local(2026, 7, 6, 0, 55));
  incident.clear_restored_at();
  const Effects effects = Ledger().Dispatch(Restored(incident), KnownCalls());
  CHECK(effects.counters.empty());
  CHECK(effects.closed_incidents == std::vector<std::string>{"INC-1"});
}

TEST_CASE("A restoration without the opening time counts arrivals and no restoration") {
  v1::Incident incident = RestoredIncident(Local(2026, 7, 6, 0, 55));
  incident.clear_opened_at();
  const Effects effects = Ledger().Dispatch(Restored(incident), KnownCalls());
  CHECK(Delta(effects, metric::kArrivals) == 1);
  CHECK(IncrementsOf(effects, metric::kRestorations).empty());
  CHECK(IncrementsOf(effects, metric::kRestorationSeconds).empty());
}

// --- Dispatch: clock alarms ---

v1::DispatchEvent Alarm(bool overdue, int step, bool with_due) {
  v1::DispatchEvent event;
  auto& alarm = *event.mutable_clock_alarm();
  alarm.set_incident_id("INC-1");
  alarm.set_overdue(overdue);
  alarm.set_ladder_step(step);
  alarm.mutable_clock()->set_kind(v1::ServiceClock::KIND_ARRIVAL);
  if (with_due) *alarm.mutable_clock()->mutable_due_at() = Stamp(Local(2026, 7, 5, 23, 59));
  return event;
}

TEST_CASE("An overdue clock is counted once at the first rung on its deadline's day") {
  const Effects effects = Ledger().Dispatch(Alarm(true, 1, true), {});
  REQUIRE(effects.counters.size() == 1);
  CHECK(effects.counters[0] == CounterIncrement{kSundayDay, metric::kOverdue, 1, {}});
  CHECK(Ledger().Dispatch(Alarm(true, 2, true), {}).empty());
  CHECK(Ledger().Dispatch(Alarm(true, 3, true), {}).empty());
  CHECK(Ledger().Dispatch(Alarm(false, 0, true), {}).empty());
  CHECK(Ledger().Dispatch(Alarm(false, 1, true), {}).empty());
  CHECK(Ledger().Dispatch(Alarm(true, 1, false), {}).empty());
}

TEST_CASE("Work-order events change no figure") {
  v1::DispatchEvent created;
  created.mutable_work_order_created()->mutable_work_order()->set_work_order_id("WO-1");
  CHECK(Ledger().Dispatch(created, KnownCalls()).empty());
  v1::DispatchEvent queued;
  queued.mutable_work_order_queued()->set_reason("no crew");
  CHECK(Ledger().Dispatch(queued, KnownCalls()).empty());
  CHECK(Ledger().Dispatch(v1::DispatchEvent(), KnownCalls()).empty());
}

// --- Complaint ---

v1::ComplaintCase Case(v1::RequestType type) {
  v1::ComplaintCase c;
  c.set_case_id("CC-1");
  c.set_request_type(type);
  c.set_district("海珠|区");
  c.set_unit_id("unit-haizhu");
  c.set_department_id("dept-billing");
  *c.mutable_opened_at() = Stamp(Local(2026, 7, 3, 16));
  *c.mutable_closed_at() = Stamp(Local(2026, 7, 6, 9));
  return c;
}

const Dimensions kCaseDims{"海珠/区", "", "complaint", "", "unit-haizhu", "dept-billing"};

TEST_CASE("A complaint case opened counts a complaint with its district unit and department") {
  v1::ComplaintEvent event;
  *event.mutable_case_opened()->mutable_complaint_case() = Case(v1::REQUEST_TYPE_COMPLAINT);
  const Effects effects = Ledger().Complaint(event);
  REQUIRE(effects.counters.size() == 1);
  CHECK(effects.counters[0] == CounterIncrement{kFridayDay, metric::kComplaints, 1, kCaseDims});
  CHECK(FieldsOf(effects.counters[0]) ==
        std::vector<std::string>{"complaints", "complaints|district=海珠/区",
                                 "complaints|type=complaint", "complaints|unit=unit-haizhu",
                                 "complaints|department=dept-billing"});
}

TEST_CASE("A case opened for another request type is no complaint") {
  for (const auto type : {v1::REQUEST_TYPE_OPINION, v1::REQUEST_TYPE_FAULT_REPAIR,
                          v1::REQUEST_TYPE_REPORT, v1::REQUEST_TYPE_UNSPECIFIED}) {
    v1::ComplaintEvent event;
    *event.mutable_case_opened()->mutable_complaint_case() = Case(type);
    CHECK(Ledger().Complaint(event).empty());
  }
}

TEST_CASE("A case closed is counted on its closing day whatever its type") {
  for (const auto type : {v1::REQUEST_TYPE_COMPLAINT, v1::REQUEST_TYPE_FAULT_REPAIR}) {
    v1::ComplaintEvent event;
    *event.mutable_case_closed()->mutable_complaint_case() = Case(type);
    const Effects effects = Ledger().Complaint(event);
    REQUIRE(effects.counters.size() == 1);
    Dimensions dims = kCaseDims;
    dims.type = type == v1::REQUEST_TYPE_COMPLAINT ? "complaint" : "fault_repair";
    CHECK(effects.counters[0] == CounterIncrement{kMondayDay, metric::kCasesClosed, 1, dims});
  }
}

TEST_CASE("A case reopened is counted on its day in the total only") {
  v1::ComplaintEvent event;
  event.mutable_case_reopened()->set_case_id("CC-1");
  *event.mutable_case_reopened()->mutable_at() = Stamp(Local(2026, 7, 4, 8));
  const Effects effects = Ledger().Complaint(event);
  REQUIRE(effects.counters.size() == 1);
  CHECK(effects.counters[0] == CounterIncrement{kSaturdayDay, metric::kReopened, 1, {}});
}

v1::ComplaintEvent Visit(v1::Satisfaction satisfaction, bool satisfied, int score,
                         bool unreachable = false) {
  v1::ComplaintEvent event;
  auto& visit = *event.mutable_return_visit_recorded();
  visit.set_case_id("CC-1");
  visit.set_satisfaction(satisfaction);
  visit.set_satisfied(satisfied);
  visit.set_satisfaction_score(score);
  visit.set_unreachable(unreachable);
  *visit.mutable_visited_at() = Stamp(Local(2026, 7, 6, 15));
  return event;
}

TEST_CASE("A satisfied return visit counts a visit a satisfied one and its score") {
  const Effects effects = Ledger().Complaint(Visit(v1::SATISFACTION_SATISFIED, true, 5));
  CHECK(MetricsOf(effects) == std::vector<std::string>{metric::kReturnVisits, metric::kSatisfied,
                                                       metric::kScoredVisits, metric::kScoreSum});
  for (const auto& increment : effects.counters) {
    CHECK(increment.day == kMondayDay);
    CHECK(increment.dims == Dimensions{});
  }
  CHECK(Delta(effects, metric::kScoreSum) == 5);
}

TEST_CASE("Basically satisfied counts as satisfied and dissatisfied does not") {
  Effects effects = Ledger().Complaint(Visit(v1::SATISFACTION_BASICALLY_SATISFIED, false, 4));
  CHECK(Delta(effects, metric::kSatisfied) == 1);
  CHECK(Delta(effects, metric::kScoreSum) == 4);
  effects = Ledger().Complaint(Visit(v1::SATISFACTION_DISSATISFIED, true, 2));
  CHECK(Delta(effects, metric::kReturnVisits) == 1);
  CHECK(Delta(effects, metric::kSatisfied) == 0);
  CHECK(Delta(effects, metric::kScoredVisits) == 1);
  CHECK(Delta(effects, metric::kScoreSum) == 2);
}

TEST_CASE("Without a satisfaction grade the satisfied flag decides") {
  CHECK(Delta(Ledger().Complaint(Visit(v1::SATISFACTION_UNSPECIFIED, true, 0)),
              metric::kSatisfied) == 1);
  CHECK(Delta(Ledger().Complaint(Visit(v1::SATISFACTION_UNSPECIFIED, false, 0)),
              metric::kSatisfied) == 0);
}

TEST_CASE("Scores outside 1 to 5 are not scored") {
  for (const int score : {0, -1, 6}) {
    const Effects effects = Ledger().Complaint(Visit(v1::SATISFACTION_SATISFIED, true, score));
    CHECK(Delta(effects, metric::kReturnVisits) == 1);
    CHECK(IncrementsOf(effects, metric::kScoredVisits).empty());
    CHECK(IncrementsOf(effects, metric::kScoreSum).empty());
  }
  CHECK(Delta(Ledger().Complaint(Visit(v1::SATISFACTION_SATISFIED, true, 1)),
              metric::kScoredVisits) == 1);
}

TEST_CASE("An unreachable customer is no return visit") {
  CHECK(Ledger().Complaint(Visit(v1::SATISFACTION_SATISFIED, true, 5, true)).empty());
  CHECK(Ledger().Complaint(Visit(v1::SATISFACTION_UNSPECIFIED, false, 0, true)).empty());
}

TEST_CASE("Other complaint events change no figure") {
  v1::ComplaintEvent routed;
  routed.mutable_case_routed()->set_case_id("CC-1");
  CHECK(Ledger().Complaint(routed).empty());
  CHECK(Ledger().Complaint(v1::ComplaintEvent()).empty());
}

// --- Notification ---

TEST_CASE("Notifications sent and delivered are counted on their own days") {
  v1::NotificationEvent sent;
  *sent.mutable_sent()->mutable_sent_at() = Stamp(Local(2026, 7, 5, 23, 59, 59));
  Effects effects = Ledger().Notification(sent);
  REQUIRE(effects.counters.size() == 1);
  CHECK(effects.counters[0] == CounterIncrement{kSundayDay, metric::kNotificationsSent, 1, {}});
  v1::NotificationEvent delivered;
  *delivered.mutable_delivered()->mutable_delivered_at() = Stamp(Local(2026, 7, 6, 0, 0, 1));
  effects = Ledger().Notification(delivered);
  REQUIRE(effects.counters.size() == 1);
  CHECK(effects.counters[0] ==
        CounterIncrement{kMondayDay, metric::kNotificationsDelivered, 1, {}});
}

TEST_CASE("Failed suppressed and queued notifications change no figure") {
  v1::NotificationEvent failed;
  failed.mutable_failed();
  CHECK(Ledger().Notification(failed).empty());
  v1::NotificationEvent suppressed;
  suppressed.mutable_suppressed();
  CHECK(Ledger().Notification(suppressed).empty());
  v1::NotificationEvent queued;
  queued.mutable_queued();
  CHECK(Ledger().Notification(queued).empty());
}

// --- Names, days and hours ---

TEST_CASE("FieldName is the metric alone or the metric with one dimension value") {
  CHECK(FieldName("tickets") == "tickets");
  CHECK(FieldName("tickets", "district", "天河区") == "tickets|district=天河区");
  CHECK(FieldName("tickets", "channel", "") == "tickets|channel=");
  CHECK(FieldName("tickets", "", "ignored") == "tickets");
}

TEST_CASE("FieldsOf gives the total and one field per known dimension in a fixed order") {
  CounterIncrement increment{1, "resolved", 1, {}};
  CHECK(FieldsOf(increment) == std::vector<std::string>{"resolved"});
  increment.dims = Dimensions{"d", "c", "t", "a", "u", "p"};
  CHECK(FieldsOf(increment) == std::vector<std::string>{"resolved", "resolved|district=d",
                                                        "resolved|channel=c", "resolved|type=t",
                                                        "resolved|area_class=a", "resolved|unit=u",
                                                        "resolved|department=p"});
  increment.dims = Dimensions{};
  increment.dims.department = "p";
  CHECK(FieldsOf(increment) == std::vector<std::string>{"resolved", "resolved|department=p"});
}

TEST_CASE("The dimension names are the ones FieldsOf writes") {
  CounterIncrement increment{1, "m", 1, Dimensions{"1", "2", "3", "4", "5", "6"}};
  const auto fields = FieldsOf(increment);
  REQUIRE(fields.size() == kDimensionNames.size() + 1);
  for (size_t i = 0; i < kDimensionNames.size(); ++i) {
    CHECK(fields[i + 1] == FieldName("m", kDimensionNames[i], std::to_string(i + 1)));
  }
}

TEST_CASE("SeriesName is the type label and the matter when there is one") {
  CHECK(SeriesName(v1::REQUEST_TYPE_COMPLAINT, "billing") == "complaint/billing");
  CHECK(SeriesName(v1::REQUEST_TYPE_COMPLAINT, "") == "complaint");
  CHECK(SeriesName(v1::REQUEST_TYPE_SERVICE_APPLICATION, "") == "service_application");
  CHECK(SeriesName(v1::REQUEST_TYPE_UNSPECIFIED, "x") == "unspecified/x");
  CHECK(SeriesName(v1::REQUEST_TYPE_FAULT_REPAIR, "a|b||c") == "fault_repair/a/b//c");
}

TEST_CASE("LocalDay and LocalHour turn at local midnight UTC+8") {
  const int64_t midnight = Ms(Local(2026, 7, 6, 0));
  CHECK(KpiLedger::LocalDay(midnight) == kMondayDay);
  CHECK(KpiLedger::LocalDay(midnight - 1) == kSundayDay);
  CHECK(KpiLedger::LocalHour(midnight) == kMondayMidnightHour);
  CHECK(KpiLedger::LocalHour(midnight - 1) == kMondayMidnightHour - 1);
  // 16:00 UTC is local midnight.
  CHECK(KpiLedger::LocalDay(Ms(Local(2026, 7, 6, 7, 59))) == kMondayDay);
  CHECK(KpiLedger::LocalDay(Ms(Local(2026, 7, 6, 23, 59, 59)) + 999) == kMondayDay);
  CHECK(KpiLedger::LocalDay(Ms(Local(2026, 7, 7, 0))) == kMondayDay + 1);
  // The epoch: 1970-01-01 00:00 UTC is 08:00 local on day 0; local midnight is day 0 hour 0.
  CHECK(KpiLedger::LocalDay(0) == 0);
  CHECK(KpiLedger::LocalHour(0) == 8);
  CHECK(KpiLedger::LocalDay(-8 * 3600 * 1000) == 0);
  CHECK(KpiLedger::LocalDay(-8 * 3600 * 1000 - 1) == -1);
}

}  // namespace
}  // namespace gridcare::analytics
