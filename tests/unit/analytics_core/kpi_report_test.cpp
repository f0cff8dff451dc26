// kpi_report: the query of a period (whole local days, one dimension), the fields it needs and
// the KPI report with every formula of kpi_report.h, including zero denominators.

#include "kpi_report.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analytics_metrics.h"
#include "analytics_test_support.h"
#include "gridcare/sla/calendar.h"
#include "kpi_ledger.h"

namespace gridcare::analytics {
namespace {

using namespace testing;
using std::chrono::hours;
using std::chrono::milliseconds;

/// Long after every period below: nothing is partial.
const core::TimePoint kLater = Local(2026, 9, 1, 12);

v1::KpiReportRequest Period(std::optional<core::TimePoint> from,
                            std::optional<core::TimePoint> to) {
  v1::KpiReportRequest request;
  if (from) *request.mutable_from() = Stamp(*from);
  if (to) *request.mutable_to() = Stamp(*to);
  return request;
}

KpiQuery QueryOk(const v1::KpiReportRequest& request, core::TimePoint now, int max_days = 400) {
  auto query = QueryOf(request, now, max_days);
  INFO((query ? std::string() : query.error().ToString()));
  REQUIRE(query.ok());
  return *query;
}

core::Error QueryError(const v1::KpiReportRequest& request, core::TimePoint now,
                       int max_days = 400) {
  auto query = QueryOf(request, now, max_days);
  REQUIRE_FALSE(query.ok());
  return query.error();
}

// --- QueryOf ---

TEST_CASE("A query covers the whole local days its period touches") {
  const KpiQuery query = QueryOk(Period(Local(2026, 7, 6, 10), Local(2026, 7, 8, 15)), kLater);
  CHECK(query.first_day == kMondayDay);
  CHECK(query.last_day == kMondayDay + 2);
  CHECK(query.dimension.empty());
  CHECK(query.value.empty());
  CHECK_FALSE(query.partial);
}

TEST_CASE("The end of a query is exclusive") {
  KpiQuery query = QueryOk(Period(Local(2026, 7, 6, 0), Local(2026, 7, 8, 0)), kLater);
  CHECK(query.first_day == kMondayDay);
  CHECK(query.last_day == kMondayDay + 1);
  query = QueryOk(Period(Local(2026, 7, 6, 0), Local(2026, 7, 8, 0) + milliseconds(1)), kLater);
  CHECK(query.last_day == kMondayDay + 2);
  // A start one millisecond before midnight takes in the day before.
  query = QueryOk(Period(Local(2026, 7, 6, 0) - milliseconds(1), Local(2026, 7, 7, 0)), kLater);
  CHECK(query.first_day == kSundayDay);
  CHECK(query.last_day == kMondayDay);
}

TEST_CASE("A query without an end runs up to now and is partial") {
  const core::TimePoint now = Local(2026, 7, 6, 15);
  const KpiQuery query = QueryOk(Period(Local(2026, 7, 4, 10), std::nullopt), now);
  CHECK(query.first_day == kSaturdayDay);
  CHECK(query.last_day == kMondayDay);
  CHECK(query.partial);
}

TEST_CASE("A query without a start covers the day of its end") {
  KpiQuery query = QueryOk(Period(std::nullopt, Local(2026, 7, 7, 15)), kLater);
  CHECK(query.first_day == kMondayDay + 1);
  CHECK(query.last_day == kMondayDay + 1);
  // An end at midnight is exclusive: the day before it.
  query = QueryOk(Period(std::nullopt, Local(2026, 7, 7, 0)), kLater);
  CHECK(query.first_day == kMondayDay);
  CHECK(query.last_day == kMondayDay);
}

TEST_CASE("A query with neither start nor end is today so far") {
  const KpiQuery query = QueryOk(Period(std::nullopt, std::nullopt), Local(2026, 7, 6, 9));
  CHECK(query.first_day == kMondayDay);
  CHECK(query.last_day == kMondayDay);
  CHECK(query.partial);
}

TEST_CASE("A query is partial when it reaches today or beyond") {
  const core::TimePoint now = Local(2026, 7, 6, 9);
  CHECK_FALSE(QueryOk(Period(Local(2026, 7, 1, 0), Local(2026, 7, 6, 0)), now).partial);
  CHECK(QueryOk(Period(Local(2026, 7, 1, 0), Local(2026, 7, 6, 0) + milliseconds(1)), now).partial);
  CHECK(QueryOk(Period(Local(2026, 7, 10, 0), Local(2026, 7, 11, 0)), now).partial);
}

TEST_CASE("An end not after the start is rejected") {
  const core::TimePoint t = Local(2026, 7, 6, 10);
  core::Error error = QueryError(Period(t, t - milliseconds(1)), kLater);
  CHECK(error.kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(error.message, Catch::Contains("to"));
  error = QueryError(Period(t, t), kLater);
  CHECK(error.kind == core::ErrorKind::kInvalidArgument);
  // A start after now with no end: now is the end.
  error = QueryError(Period(Local(2026, 7, 7, 0), std::nullopt), t);
  CHECK(error.kind == core::ErrorKind::kInvalidArgument);
}

TEST_CASE("A period over the maximum number of days is rejected") {
  const core::TimePoint from = Local(2026, 7, 6, 0);
  CHECK(QueryOk(Period(from, from + hours(24 * 7)), kLater, 7).last_day == kMondayDay + 6);
  core::Error error = QueryError(Period(from, from + hours(24 * 7) + milliseconds(1)), kLater, 7);
  CHECK(error.kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(error.message, Catch::Contains("7 days"));
  // The default is 400 days.
  const core::TimePoint start = Local(2025, 1, 1, 0);
  CHECK(QueryOk(Period(start, start + hours(24 * 400)), kLater).first_day + 399 ==
        QueryOk(Period(start, start + hours(24 * 400)), kLater).last_day);
  error = QueryError(Period(start, start + hours(24 * 400) + milliseconds(1)), kLater);
  CHECK_THAT(error.message, Catch::Contains("400 days"));
  // Days touched count, not hours: 23:00 to 01:00 two days later is three days.
  CHECK(QueryOf(Period(Local(2026, 7, 6, 23), Local(2026, 7, 8, 1)), kLater, 2).error().kind ==
        core::ErrorKind::kInvalidArgument);
}

TEST_CASE("Each filter is one dimension with its label") {
  const auto period = Period(Local(2026, 7, 6, 0), Local(2026, 7, 7, 0));
  auto request = period;
  request.set_area("天河区");
  KpiQuery query = QueryOk(request, kLater);
  CHECK(query.dimension == "district");
  CHECK(query.value == "天河区");
  request = period;
  request.set_channel(v1::CHANNEL_WECHAT);
  query = QueryOk(request, kLater);
  CHECK(query.dimension == "channel");
  CHECK(query.value == "wechat");
  request = period;
  request.set_request_type(v1::REQUEST_TYPE_COMPLAINT);
  query = QueryOk(request, kLater);
  CHECK(query.dimension == "type");
  CHECK(query.value == "complaint");
  request = period;
  request.set_area_class(v1::AREA_CLASS_REMOTE);
  query = QueryOk(request, kLater);
  CHECK(query.dimension == "area_class");
  CHECK(query.value == "remote");
  request = period;
  request.set_unit_id("unit-haizhu");
  query = QueryOk(request, kLater);
  CHECK(query.dimension == "unit");
  CHECK(query.value == "unit-haizhu");
  request = period;
  request.set_department_id("dept-billing");
  query = QueryOk(request, kLater);
  CHECK(query.dimension == "department");
  CHECK(query.value == "dept-billing");
}

TEST_CASE("Two dimensions are rejected naming both") {
  auto request = Period(Local(2026, 7, 6, 0), Local(2026, 7, 7, 0));
  request.set_area("天河区");
  request.set_channel(v1::CHANNEL_WECHAT);
  core::Error error = QueryError(request, kLater);
  CHECK(error.kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(error.message, Catch::Contains("district") && Catch::Contains("channel"));
  CHECK_THAT(error.message, !Catch::Contains("area_class"));
  // All six at once: every one named, even with a bad period.
  request.set_request_type(v1::REQUEST_TYPE_COMPLAINT);
  request.set_area_class(v1::AREA_CLASS_URBAN);
  request.set_unit_id("u");
  request.set_department_id("d");
  *request.mutable_to() = request.from();
  error = QueryError(request, kLater);
  CHECK(error.kind == core::ErrorKind::kInvalidArgument);
  for (const auto name : kDimensionNames) {
    CHECK_THAT(error.message, Catch::Contains(std::string(name)));
  }
}

TEST_CASE("A district is queried the way the ledger stores it") {
  // The ledger keeps a district with '|' as '/' (kpi_ledger.cpp DistrictOf), so the figures of
  // "甲|乙区" are under "tickets|district=甲/乙区"; the query must ask for the same field.
  auto request = Period(Local(2026, 7, 6, 0), Local(2026, 7, 7, 0));
  request.set_area("甲|乙区");
  const KpiQuery query = QueryOk(request, kLater);
  CounterIncrement stored{kMondayDay, metric::kTickets, 1, {}};
  stored.dims.district = "甲/乙区";
  const auto fields = FieldsFor(query);
  CHECK(std::find(fields.begin(), fields.end(), FieldsOf(stored)[1]) != fields.end());
}

// --- FieldsFor ---

const std::vector<std::string> kAllMetrics = {metric::kContacts,
                                              metric::kTickets,
                                              metric::kResolved,
                                              metric::kResolvedTimely,
                                              metric::kHandlingMilliDays,
                                              metric::kFirstContactResolved,
                                              metric::kUrgings,
                                              metric::kIncidents,
                                              metric::kArrivals,
                                              metric::kArrivalsWithinLimit,
                                              metric::kArrivalSeconds,
                                              metric::kRestorations,
                                              metric::kRestorationSeconds,
                                              metric::kOverdue,
                                              metric::kComplaints,
                                              metric::kCasesClosed,
                                              metric::kReopened,
                                              metric::kReturnVisits,
                                              metric::kSatisfied,
                                              metric::kScoredVisits,
                                              metric::kScoreSum,
                                              metric::kNotificationsSent,
                                              metric::kNotificationsDelivered};

TEST_CASE("The whole tenant needs every metric's total and tickets by type and channel") {
  const auto fields = FieldsFor(KpiQuery{kMondayDay, kMondayDay, "", "", false});
  const std::set<std::string> set(fields.begin(), fields.end());
  CHECK(set.size() == fields.size());
  for (const auto& name : kAllMetrics) CHECK(set.count(name) == 1);
  CHECK(set.count("tickets|type=fault_repair") == 1);
  CHECK(set.count("tickets|type=urging") == 1);
  CHECK(set.count("tickets|channel=hotline_agent") == 1);
  CHECK(set.count("tickets|channel=meter_head_end") == 1);
  CHECK(set.count("tickets|type=unspecified") == 0);
  CHECK(set.count("tickets|channel=unspecified") == 0);
  // 23 totals, 9 request types and 10 channels.
  CHECK(fields.size() == kAllMetrics.size() + 9 + 10);
}

TEST_CASE("A filtered query needs every metric under its dimension value only") {
  const auto fields = FieldsFor(KpiQuery{kMondayDay, kMondayDay, "district", "天河区", false});
  REQUIRE(fields.size() == kAllMetrics.size());
  const std::set<std::string> set(fields.begin(), fields.end());
  for (const auto& name : kAllMetrics) CHECK(set.count(name + "|district=天河区") == 1);
}

// --- BuildReport ---

std::map<std::string, int64_t> Sums(const std::string& dimension = "",
                                    const std::string& value = "") {
  const std::map<std::string, int64_t> totals = {{metric::kTickets, 200},
                                                 {metric::kContacts, 260},
                                                 {metric::kResolved, 150},
                                                 {metric::kResolvedTimely, 120},
                                                 {metric::kHandlingMilliDays, 300'000},
                                                 {metric::kFirstContactResolved, 90},
                                                 {metric::kUrgings, 30},
                                                 {metric::kIncidents, 7},
                                                 {metric::kArrivals, 8},
                                                 {metric::kArrivalsWithinLimit, 6},
                                                 {metric::kArrivalSeconds, 8 * 40 * 60},
                                                 {metric::kRestorations, 4},
                                                 {metric::kRestorationSeconds, 4 * 90 * 60},
                                                 {metric::kOverdue, 3},
                                                 {metric::kComplaints, 5},
                                                 {metric::kCasesClosed, 10},
                                                 {metric::kReopened, 2},
                                                 {metric::kReturnVisits, 20},
                                                 {metric::kSatisfied, 17},
                                                 {metric::kScoredVisits, 16},
                                                 {metric::kScoreSum, 72},
                                                 {metric::kNotificationsSent, 50},
                                                 {metric::kNotificationsDelivered, 45}};
  std::map<std::string, int64_t> sums;
  for (const auto& [name, sum] : totals) sums[FieldName(name, dimension, value)] = sum;
  return sums;
}

TEST_CASE("The report gives every count and ratio of the formulas") {
  const KpiQuery query{kMondayDay, kMondayDay + 6, "", "", false};
  const v1::KpiReport r = BuildReport(query, Sums(), 25'000);
  CHECK(r.tickets_opened() == 200);
  CHECK(r.contacts() == 260);
  CHECK(r.resolved() == 150);
  CHECK(r.resolved_timely() == 120);
  CHECK(r.timely_resolution_ratio() == Approx(0.8));
  CHECK(r.mean_handling_working_days() == Approx(2.0));
  CHECK(r.first_contact_resolved() == 90);
  CHECK(r.first_contact_resolution_ratio() == Approx(0.6));
  CHECK(r.incidents_opened() == 7);
  CHECK(r.arrivals() == 8);
  CHECK(r.arrivals_within_limit() == 6);
  CHECK(r.arrival_within_limit_ratio() == Approx(0.75));
  CHECK(r.mean_arrival_minutes() == Approx(40.0));
  CHECK(r.restorations() == 4);
  CHECK(r.mean_restoration_minutes() == Approx(90.0));
  CHECK(r.overdue_count() == 3);
  CHECK(r.complaints() == 5);
  CHECK(r.customers() == 25'000);
  CHECK(r.complaints_per_10k_customers() == Approx(2.0));
  CHECK(r.return_visits() == 20);
  CHECK(r.satisfied_ratio() == Approx(0.85));
  CHECK(r.mean_satisfaction() == Approx(4.5));
  CHECK(r.cases_closed() == 10);
  CHECK(r.reopened() == 2);
  CHECK(r.reopen_ratio() == Approx(0.2));
  CHECK(r.urgings() == 30);
  CHECK(r.urging_ratio() == Approx(0.15));
  CHECK(r.notifications_sent() == 50);
  CHECK(r.notifications_delivered() == 45);
  CHECK(r.notification_delivery_ratio() == Approx(0.9));
}

TEST_CASE("The report covers local midnight to local midnight and says whether it is partial") {
  v1::KpiReport r = BuildReport(KpiQuery{kMondayDay, kMondayDay + 6, "", "", false}, {}, 0);
  CHECK(TimeOf(r.from()) == Local(2026, 7, 6, 0));
  CHECK(TimeOf(r.to()) == Local(2026, 7, 13, 0));
  CHECK_FALSE(r.partial());
  r = BuildReport(KpiQuery{kSundayDay, kSundayDay, "", "", true}, {}, 0);
  CHECK(TimeOf(r.from()) == Local(2026, 7, 5, 0));
  CHECK(TimeOf(r.to()) == Local(2026, 7, 6, 0));
  CHECK(r.partial());
}

TEST_CASE("Every ratio is 0 when its denominator is 0") {
  // Numerators without denominators: still 0, never a division by zero.
  std::map<std::string, int64_t> sums = {{metric::kResolvedTimely, 3},
                                         {metric::kHandlingMilliDays, 5000},
                                         {metric::kFirstContactResolved, 2},
                                         {metric::kArrivalsWithinLimit, 1},
                                         {metric::kArrivalSeconds, 600},
                                         {metric::kRestorationSeconds, 600},
                                         {metric::kComplaints, 4},
                                         {metric::kSatisfied, 1},
                                         {metric::kScoreSum, 9},
                                         {metric::kReopened, 1},
                                         {metric::kUrgings, 2},
                                         {metric::kNotificationsDelivered, 1}};
  const v1::KpiReport r = BuildReport(KpiQuery{kMondayDay, kMondayDay, "", "", false}, sums, 0);
  CHECK(r.timely_resolution_ratio() == 0.0);
  CHECK(r.mean_handling_working_days() == 0.0);
  CHECK(r.first_contact_resolution_ratio() == 0.0);
  CHECK(r.arrival_within_limit_ratio() == 0.0);
  CHECK(r.mean_arrival_minutes() == 0.0);
  CHECK(r.mean_restoration_minutes() == 0.0);
  CHECK(r.complaints_per_10k_customers() == 0.0);
  CHECK(r.satisfied_ratio() == 0.0);
  CHECK(r.mean_satisfaction() == 0.0);
  CHECK(r.reopen_ratio() == 0.0);
  CHECK(r.urging_ratio() == 0.0);
  CHECK(r.notification_delivery_ratio() == 0.0);
  // The counts behind them are still given.
  CHECK(r.resolved_timely() == 3);
  CHECK(r.complaints() == 4);
  CHECK(r.urgings() == 2);
}

TEST_CASE("An empty period is all zeros") {
  const v1::KpiReport r = BuildReport(KpiQuery{kMondayDay, kMondayDay, "", "", false}, {}, 100);
  for (const auto& [name, value] : KpiValues(r)) {
    INFO(name);
    CHECK(value == 0.0);
  }
  CHECK(r.customers() == 100);
  CHECK(r.tickets_by_type().empty());
  CHECK(r.tickets_by_channel().empty());
}

TEST_CASE("Mean satisfaction divides by scored visits not by all visits") {
  const std::map<std::string, int64_t> sums = {
      {metric::kReturnVisits, 10}, {metric::kScoredVisits, 4}, {metric::kScoreSum, 14}};
  const v1::KpiReport r = BuildReport(KpiQuery{kMondayDay, kMondayDay, "", "", false}, sums, 0);
  CHECK(r.mean_satisfaction() == Approx(3.5));
}

TEST_CASE("Tickets by type and channel are given without a filter and only when nonzero") {
  auto sums = Sums();
  sums["tickets|type=fault_repair"] = 120;
  sums["tickets|type=complaint"] = 80;
  sums["tickets|type=praise"] = 0;
  sums["tickets|type=no_such_type"] = 9;
  sums["tickets|channel=wechat"] = 150;
  sums["tickets|channel=meter_head_end"] = 50;
  sums["tickets|district=天河区"] = 77;
  const v1::KpiReport r = BuildReport(KpiQuery{kMondayDay, kMondayDay, "", "", false}, sums, 0);
  const std::map<std::string, int64_t> by_type(r.tickets_by_type().begin(),
                                               r.tickets_by_type().end());
  const std::map<std::string, int64_t> by_channel(r.tickets_by_channel().begin(),
                                                  r.tickets_by_channel().end());
  CHECK(by_type == std::map<std::string, int64_t>{{"complaint", 80}, {"fault_repair", 120}});
  CHECK(by_channel == std::map<std::string, int64_t>{{"meter_head_end", 50}, {"wechat", 150}});
  CHECK(r.tickets_opened() == 200);
}

TEST_CASE("A district filter reads the district's fields and gives no breakdown") {
  auto sums = Sums();  // the whole tenant…
  for (const auto& [field, sum] : Sums("district", "天河区")) sums[field] = sum / 2;  // …and 天河区
  sums["tickets|type=fault_repair"] = 120;
  sums["tickets|channel=wechat"] = 150;
  const KpiQuery query{kMondayDay, kMondayDay, "district", "天河区", false};
  const v1::KpiReport r = BuildReport(query, sums, 12'500);
  CHECK(r.tickets_opened() == 100);
  CHECK(r.contacts() == 130);
  CHECK(r.resolved() == 75);
  CHECK(r.resolved_timely() == 60);
  CHECK(r.timely_resolution_ratio() == Approx(0.8));
  CHECK(r.mean_handling_working_days() == Approx(2.0));
  CHECK(r.complaints() == 2);
  CHECK(r.complaints_per_10k_customers() == Approx(1.6));
  CHECK(r.notifications_sent() == 25);
  CHECK(r.tickets_by_type().empty());
  CHECK(r.tickets_by_channel().empty());
}

TEST_CASE("A filter on another dimension reads that dimension's fields") {
  auto sums = Sums();
  sums["tickets|channel=wechat"] = 11;
  sums["urgings|channel=wechat"] = 2;
  const v1::KpiReport r =
      BuildReport(KpiQuery{kMondayDay, kMondayDay, "channel", "wechat", false}, sums, 0);
  CHECK(r.tickets_opened() == 11);
  CHECK(r.urgings() == 2);
  CHECK(r.contacts() == 0);
  CHECK(r.urging_ratio() == Approx(2.0 / 11.0));
  CHECK(r.tickets_by_channel().empty());
}

TEST_CASE("The report of a ledger's effects adds up whole days") {
  // Every counter is summed by field: a ticket opened and resolved on time with one contact.
  const sla::WorkingCalendar calendar = sla::WorkingCalendar::WeekdaysOnly();
  const KpiLedger ledger(calendar);
  v1::IntakeEvent opened;
  auto& ticket = *opened.mutable_ticket_opened()->mutable_ticket();
  ticket.set_ticket_id("GC-1");
  ticket.set_type(v1::REQUEST_TYPE_COMPLAINT);
  ticket.set_channel(v1::CHANNEL_WEB);
  ticket.mutable_location()->set_district("越秀区");
  *ticket.mutable_opened_at() = Stamp(Local(2026, 7, 6, 9));
  const Effects first = ledger.Intake(opened, {});
  v1::IntakeEvent resolved;
  resolved.mutable_ticket_state_changed()->set_ticket_id("GC-1");
  resolved.mutable_ticket_state_changed()->set_state(v1::TICKET_STATE_RESOLVED);
  *resolved.mutable_ticket_state_changed()->mutable_changed_at() = Stamp(Local(2026, 7, 7, 9));
  const Effects second = ledger.Intake(resolved, first.tickets);
  std::map<std::string, int64_t> sums;
  for (const Effects* effects : {&first, &second}) {
    for (const auto& increment : effects->counters) {
      for (const auto& field : FieldsOf(increment)) sums[field] += increment.delta;
    }
  }
  const v1::KpiReport all =
      BuildReport(QueryOk(Period(Local(2026, 7, 6, 0), Local(2026, 7, 8, 0)), kLater), sums, 0);
  CHECK(all.tickets_opened() == 1);
  CHECK(all.resolved() == 1);
  CHECK(all.timely_resolution_ratio() == Approx(1.0));
  CHECK(all.mean_handling_working_days() == Approx(1.0));
  CHECK(all.first_contact_resolution_ratio() == Approx(1.0));
  CHECK(all.tickets_by_type().at("complaint") == 1);
  CHECK(all.tickets_by_channel().at("web") == 1);
  auto request = Period(Local(2026, 7, 6, 0), Local(2026, 7, 8, 0));
  request.set_area("越秀区");
  const v1::KpiReport district = BuildReport(QueryOk(request, kLater), sums, 0);
  CHECK(district.tickets_opened() == 1);
  CHECK(district.resolved() == 1);
}

// --- KpiValues ---

TEST_CASE("KpiValues names are exactly the KPI gauge names") {
  const auto values = KpiValues(v1::KpiReport());
  std::set<std::string> names;
  for (const auto& [name, value] : values) names.insert(name);
  const auto& gauges = KpiGaugeNames();
  const std::set<std::string> gauge_names(gauges.begin(), gauges.end());
  CHECK(gauge_names.size() == gauges.size());
  CHECK(names == gauge_names);
}

TEST_CASE("KpiValues are the report's KPIs") {
  const v1::KpiReport r =
      BuildReport(KpiQuery{kMondayDay, kMondayDay + 6, "", "", false}, Sums(), 25'000);
  const auto values = KpiValues(r);
  CHECK(values.at("contacts") == 260.0);
  CHECK(values.at("tickets") == 200.0);
  CHECK(values.at("timely_resolution_ratio") == Approx(0.8));
  CHECK(values.at("mean_handling_working_days") == Approx(2.0));
  CHECK(values.at("arrival_within_limit_ratio") == Approx(0.75));
  CHECK(values.at("mean_arrival_minutes") == Approx(40.0));
  CHECK(values.at("mean_restoration_minutes") == Approx(90.0));
  CHECK(values.at("first_contact_resolution_ratio") == Approx(0.6));
  CHECK(values.at("complaints") == 5.0);
  CHECK(values.at("complaints_per_10k_customers") == Approx(2.0));
  CHECK(values.at("satisfied_ratio") == Approx(0.85));
  CHECK(values.at("mean_satisfaction") == Approx(4.5));
  CHECK(values.at("reopen_ratio") == Approx(0.2));
  CHECK(values.at("urging_ratio") == Approx(0.15));
  CHECK(values.at("notification_delivery_ratio") == Approx(0.9));
  CHECK(values.at("overdue") == 3.0);
}

}  // namespace
}  // namespace gridcare::analytics
