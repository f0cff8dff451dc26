// The crew simulator's pure parts: distances, movement, speeds, time scale, and the seeded choices.
#include "sim_plan.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "crew_fixture.h"

namespace gridcare::crew_sim {
namespace {

using repair_crew::testing::Point;
using namespace std::chrono_literals;

}  // namespace

TEST_CASE("distances are great-circle kilometres") {
  CHECK(DistanceKm(Point(23, 113), Point(23, 113)) == 0);
  // One degree of latitude is about 111.2 km anywhere.
  CHECK(DistanceKm(Point(23, 113), Point(24, 113)) == Approx(111.19).epsilon(0.001));
  // One degree of longitude shrinks with the cosine of the latitude.
  CHECK(DistanceKm(Point(23, 113), Point(23, 114)) ==
        Approx(111.19 * std::cos(23.0 * M_PI / 180)).epsilon(0.002));
  CHECK(DistanceKm(Point(23.13, 113.26), Point(23.15, 113.30)) ==
        Approx(DistanceKm(Point(23.15, 113.30), Point(23.13, 113.26))));
  // Antipodes: half the circumference, no NaN from rounding.
  CHECK(DistanceKm(Point(0, 0), Point(0, 180)) == Approx(M_PI * 6371.0088));
}

TEST_CASE("a crew moves in a straight line and stops at the job") {
  const auto a = Point(23.0, 113.0);
  const auto b = Point(23.2, 113.4);
  CHECK(Along(a, b, 0).latitude() == 23.0);
  CHECK(Along(a, b, 1).longitude() == 113.4);
  CHECK(Along(a, b, 0.5).latitude() == Approx(23.1));
  CHECK(Along(a, b, 0.5).longitude() == Approx(113.2));
  CHECK(Along(a, b, -3).latitude() == 23.0);
  CHECK(Along(a, b, 7).latitude() == 23.2);
  CHECK(Along(a, b, std::nan("")).latitude() == 23.2);  // never a NaN position
}

TEST_CASE("speeds by area class are dispatch's: urban 25, rural 40, remote 30 km/h") {
  CHECK(SpeedKmh(v1::AREA_CLASS_URBAN) == 25);
  CHECK(SpeedKmh(v1::AREA_CLASS_RURAL) == 40);
  CHECK(SpeedKmh(v1::AREA_CLASS_REMOTE) == 30);
  CHECK(SpeedKmh(v1::AREA_CLASS_UNSPECIFIED) == 25);
  CHECK(SpeedKmh(static_cast<v1::AreaClass>(9)) == 25);
}

TEST_CASE("a trip takes distance over speed, at least a minute") {
  const auto from = Point(23.0, 113.0);
  const auto to = Point(23.0 + 10.0 / 111.19, 113.0);  // 10 km north
  const Trip urban = PlanTrip(from, to, v1::AREA_CLASS_URBAN);
  CHECK(urban.distance_km == Approx(10).epsilon(0.001));
  CHECK(urban.duration.count() == Approx(24 * 60).margin(2));  // 10 km at 25 km/h
  CHECK(PlanTrip(from, to, v1::AREA_CLASS_RURAL).duration.count() == Approx(15 * 60).margin(2));
  CHECK(PlanTrip(from, to, v1::AREA_CLASS_REMOTE).duration.count() == Approx(20 * 60).margin(2));
  CHECK(PlanTrip(from, from, v1::AREA_CLASS_URBAN).duration == 60s);

  CHECK(urban.PositionAfter(0s).latitude() == from.latitude());
  CHECK(urban.PositionAfter(std::chrono::duration<double>(12 * 60)).latitude() ==
        Approx((from.latitude() + to.latitude()) / 2));
  CHECK(urban.PositionAfter(std::chrono::hours(5)).latitude() == to.latitude());
}

TEST_CASE("the time scale converts both ways") {
  const TimeScale scale(60);
  CHECK(scale.ToReal(std::chrono::minutes(12)) == 12s);
  CHECK(scale.ToReal(std::chrono::seconds(1)) == std::chrono::milliseconds(17));
  CHECK(scale.ToSimulated(std::chrono::duration<double>(2)).count() == Approx(120));
  const TimeScale fast(600);
  CHECK(fast.ToReal(std::chrono::minutes(90)) == 9s);
}

TEST_CASE("choices are deterministic per seed and ids, and differ across them") {
  CHECK(Mix(1, "CREW-001-01", "WO-1") == Mix(1, "CREW-001-01", "WO-1"));
  CHECK(Mix(1, "CREW-001-01", "WO-1") != Mix(2, "CREW-001-01", "WO-1"));
  CHECK(Mix(1, "CREW-001-01", "WO-1") != Mix(1, "CREW-001-0", "1WO-1"));  // no concatenation clash
  CHECK(RepairTime(7, "WO-1") == RepairTime(7, "WO-1"));
  CHECK(CauseFor(7, "WO-1").code == CauseFor(7, "WO-1").code);
  for (int i = 0; i < 1000; ++i) {
    const double u = Uniform01(Mix(3, "x", std::to_string(i)));
    REQUIRE(u >= 0);
    REQUIRE(u < 1);
  }
}

TEST_CASE("the decline rate holds over many jobs, 0 never and 1 always") {
  int declined = 0;
  constexpr int kJobs = 20'000;
  for (int i = 0; i < kJobs; ++i) {
    const std::string id = "WO-" + std::to_string(i);
    if (Declines(42, "CREW-001-01", id, 0.3)) ++declined;
    REQUIRE_FALSE(Declines(42, "CREW-001-01", id, 0));
    REQUIRE(Declines(42, "CREW-001-01", id, 1));
  }
  CHECK(declined == Approx(0.3 * kJobs).epsilon(0.05));
  CHECK_FALSE(DeclineReason(1, "WO-1").empty());
}

TEST_CASE("repairs take 20 to 90 minutes, spread over the range") {
  std::set<int> seen;
  for (int i = 0; i < 5'000; ++i) {
    const auto minutes = RepairTime(9, "WO-" + std::to_string(i)).count();
    REQUIRE(minutes >= 20);
    REQUIRE(minutes <= 90);
    seen.insert(static_cast<int>(minutes));
  }
  CHECK(seen.size() == 71);  // every minute from 20 to 90 turns up
}

TEST_CASE("causes come from the service's table, common ones most often") {
  std::map<std::string_view, int> counts;
  for (int i = 0; i < 20'000; ++i) ++counts[CauseFor(5, "WO-" + std::to_string(i)).code];
  CHECK(counts.size() == repair_crew::CauseCodes().size());
  for (const auto& [code, count] : counts) CHECK(repair_crew::FindCause(code) != nullptr);
  CHECK(counts["FUSE_BLOWN"] > counts["TREE_CONTACT"]);
  CHECK(counts["TREE_CONTACT"] > counts["METER_FAULT"]);
  CHECK(counts["UNKNOWN"] < counts["METER_FAULT"]);
  CHECK(counts["FUSE_BLOWN"] == Approx(20'000 * 20.0 / 100).epsilon(0.1));
}

}  // namespace gridcare::crew_sim

// ---- booked visits of service applications -----------------------------------------------------

namespace gridcare::crew_sim {
namespace {

v1::WorkOrder Job(const std::string& id, v1::WorkOrderState state = v1::WORK_ORDER_STATE_ASSIGNED) {
  v1::WorkOrder job;
  job.set_work_order_id(id);
  job.set_state(state);
  return job;
}

v1::WorkOrder Visit(const std::string& id, int64_t start_seconds, v1::VisitKind visit) {
  v1::WorkOrder job = Job(id);
  job.mutable_application()->set_ticket_id("GC-" + id);
  job.mutable_application()->set_visit(visit);
  job.mutable_appointment_start()->set_seconds(start_seconds);
  return job;
}

}  // namespace

TEST_CASE("fault repair comes first and a booked visit waits for its time") {
  const auto now = core::FromUnixMillis(int64_t{1'800'000'000} * 1000);
  v1::ListCrewJobsResponse jobs;
  *jobs.add_work_orders() = Visit("V1", 1'800'003'600, v1::VISIT_KIND_SITE_SURVEY);  // in 1 h
  CHECK(NextJobIndex(jobs, now, 30min, false) == -1);
  CHECK(NextJobIndex(jobs, now, 30min, true) == 0);
  CHECK(NextJobIndex(jobs, now + 31min, 30min, false) == 0);
  *jobs.add_work_orders() = Job("F1");
  CHECK(NextJobIndex(jobs, now, 30min, true) == 1);  // the fault before the visit
  CHECK(NextJobIndex(jobs, now + 2h, 30min, false) == 1);
  // A visit under way (after a restart) is carried on first.
  jobs.mutable_work_orders(0)->set_state(v1::WORK_ORDER_STATE_EN_ROUTE);
  CHECK(NextJobIndex(jobs, now, 30min, false) == 0);
  CHECK(NextJobIndex(v1::ListCrewJobsResponse(), now, 30min, true) == -1);
}

TEST_CASE("a visit ends with its result and a seeded share of absent customers") {
  const auto survey = VisitResult(1, Visit("S", 0, v1::VISIT_KIND_SITE_SURVEY), 0);
  CHECK(survey.documents_verified());
  CHECK(survey.meter_number().empty());
  const auto installed = VisitResult(1, Visit("I", 0, v1::VISIT_KIND_INSTALLATION), 0);
  CHECK(installed.meter_number().size() == 12);
  CHECK(installed.meter_number().rfind("M-", 0) == 0);
  CHECK(installed.readings_size() == 1);
  CHECK(installed.meter_number() ==
        VisitResult(1, Visit("I", 0, v1::VISIT_KIND_INSTALLATION), 0).meter_number());
  const auto checked = VisitResult(1, Visit("C", 0, v1::VISIT_KIND_METER_CHECK), 0);
  CHECK(checked.verdict() != v1::METER_CHECK_VERDICT_UNSPECIFIED);
  int absent = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto result =
        VisitResult(7, Visit("V" + std::to_string(i), 0, v1::VISIT_KIND_SITE_SURVEY), 0.2);
    if (result.customer_absent()) {
      ++absent;
      CHECK_FALSE(result.documents_verified());
    }
  }
  CHECK(absent > 150);
  CHECK(absent < 250);
  CHECK_FALSE(VisitResult(7, Visit("X", 0, v1::VISIT_KIND_SITE_SURVEY), 1.0).documents_verified());
}

}  // namespace gridcare::crew_sim
