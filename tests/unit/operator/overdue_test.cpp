#include "overdue.h"

#include <catch2/catch.hpp>

#include "gridcare/sla/clocks.h"

namespace ops = gridcare::ops;
namespace v1 = gridcare::v1;
using namespace std::chrono_literals;

namespace {

const auto kNow = gridcare::core::FromUnixMillis(1'800'000'000'000);

v1::ServiceClock Clock(v1::ServiceClock::Kind kind, std::chrono::seconds due_from_now,
                       bool met = false) {
  v1::ServiceClock clock;
  clock.set_kind(kind);
  *clock.mutable_due_at() = gridcare::sla::ToTimestamp(kNow + due_from_now);
  if (met) *clock.mutable_met_at() = gridcare::sla::ToTimestamp(kNow - 1h);
  return clock;
}

v1::Incident Incident(const std::string& id, std::vector<v1::ServiceClock> clocks) {
  v1::Incident incident;
  incident.set_incident_id(id);
  incident.set_state(v1::INCIDENT_STATE_ASSIGNED);
  incident.set_crew_id("CREW-1");
  for (auto& clock : clocks) *incident.add_clocks() = clock;
  return incident;
}

}  // namespace

TEST_CASE("overdue rows are the open clocks due before the horizon most late first") {
  std::vector<v1::Incident> incidents = {
      Incident("INC-A", {Clock(v1::ServiceClock::KIND_ARRIVAL, -10min),
                         Clock(v1::ServiceClock::KIND_RESTORATION, 5h)}),
      Incident("INC-B", {Clock(v1::ServiceClock::KIND_ARRIVAL, -2h, /*met=*/true)}),
  };
  v1::WorkOrder own;  // an order of a listed incident: its clocks are the incident's
  own.set_work_order_id("WO-1");
  own.set_incident_id("INC-A");
  *own.add_clocks() = Clock(v1::ServiceClock::KIND_ARRIVAL, -10min);
  v1::WorkOrder connection;
  connection.set_work_order_id("WO-2");
  connection.set_state(v1::WORK_ORDER_STATE_QUEUED);
  *connection.add_clocks() = Clock(v1::ServiceClock::KIND_APPLICATION_COMPLETION, 20min);
  v1::ComplaintCase late_case;
  late_case.set_case_id("CASE-1");
  late_case.set_state(v1::CASE_STATE_ROUTED);
  late_case.set_department_id("mkt-wl");
  *late_case.add_clocks() = Clock(v1::ServiceClock::KIND_COMPLAINT_CONTACT, -3h);
  v1::ComplaintCase closed = late_case;
  closed.set_case_id("CASE-2");
  closed.set_state(v1::CASE_STATE_CLOSED);

  const auto rows =
      ops::OverdueRows(incidents, {own, connection}, {late_case, closed}, kNow, 30min);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].id == "CASE-1");
  CHECK(rows[0].clock == "complaint_contact");
  CHECK(rows[0].late == 3h);
  CHECK(rows[0].owner == "mkt-wl");
  CHECK(rows[1].id == "INC-A");
  CHECK(rows[1].clock == "arrival");
  CHECK(rows[1].owner == "CREW-1");
  CHECK(rows[2].id == "WO-2");
  CHECK(rows[2].late == -20min);

  const auto table = ops::OverdueTable(rows).RenderText();
  CHECK(table.find("3h00m late") != std::string::npos);
  CHECK(table.find("due in 20m") != std::string::npos);
  const auto json = ops::OverdueJson(rows);
  CHECK(json[0]["seconds_late"] == 10800);
  CHECK(json[0]["overdue"] == true);
  CHECK(json[2]["overdue"] == false);
}

TEST_CASE("paging through cases stops once the last case is due after the horizon") {
  v1::ComplaintCase soon;
  *soon.add_clocks() = Clock(v1::ServiceClock::KIND_COMPLAINT_REPLY, 10min);
  v1::ComplaintCase later;
  *later.add_clocks() = Clock(v1::ServiceClock::KIND_COMPLAINT_REPLY, 3h);
  CHECK(ops::MoreCasesMayBeDue({later, soon}, kNow, 30min));
  CHECK_FALSE(ops::MoreCasesMayBeDue({soon, later}, kNow, 30min));
  CHECK_FALSE(ops::MoreCasesMayBeDue({}, kNow, 30min));
}
