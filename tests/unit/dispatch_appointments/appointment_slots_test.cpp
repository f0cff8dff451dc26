// FindSlots (services/dispatch/appointment_slots.h): when a metering crew can do a booked visit.
// Times are local (UTC+8) in the week of Monday 2026-12-07; the crews work Monday to Friday
// 08:30-17:30.

#include "appointment_slots.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace gridcare::dispatch {
namespace {

using namespace std::chrono;

const LatLon kSite{23.13, 113.32};
constexpr double kKmPerDegree = 111.195;

/// Local time `hour`:`minute` on day `day` of the week (0 = Monday 2026-12-07).
core::TimePoint Local(int day, int hour, int minute = 0) {
  return sys_days{2026y / 12 / 7} + days(day) + hours(hour) + minutes(minute) - hours(8);
}

/// A point `km` north of the site.
LatLon North(double km) { return {kSite.latitude + km / kKmPerDegree, kSite.longitude}; }

CrewState Crew(const std::string& id, LatLon position = kSite,
               std::vector<v1::CrewSkill> skills = {v1::CREW_SKILL_METERING}) {
  CrewState crew;
  crew.crew_id = id;
  crew.skills = std::move(skills);
  crew.shifts = {ShiftWindow{0b0011111, 8 * 60 + 30, 17 * 60 + 30}};
  crew.position = position;
  return crew;
}

AppointmentRequest Request(core::TimePoint window_start, core::TimePoint window_end) {
  AppointmentRequest request;
  request.work_order_id = "WO-NC-1";
  request.location = kSite;
  request.area_class = v1::AREA_CLASS_URBAN;
  request.duration = minutes(60);
  request.not_before = Local(0, 7);
  request.window_start = window_start;
  request.window_end = window_end;
  return request;
}

Booking Booked(const std::string& crew, core::TimePoint start, core::TimePoint end,
               LatLon where = kSite, Booking::Kind kind = Booking::Kind::kAppointment) {
  return Booking{crew,
                 "WO-" + crew + "-" + std::to_string(start.time_since_epoch().count()),
                 kind,
                 start,
                 end,
                 where,
                 v1::AREA_CLASS_URBAN};
}

std::vector<core::TimePoint> Starts(const SlotSearch& search) {
  std::vector<core::TimePoint> starts;
  for (const auto& offer : search.offers) starts.push_back(offer.start);
  return starts;
}

SlotSearch Find(const AppointmentRequest& request, const std::vector<CrewState>& crews,
                const std::vector<Booking>& bookings = {}, SlotSettings settings = {}) {
  auto search = FindSlots(request, crews, bookings, settings);
  REQUIRE(search.ok());
  return *search;
}

TEST_CASE("the earliest grid slots inside the preferred window are offered") {
  const auto search = Find(Request(Local(0, 9), Local(0, 12)), {Crew("M1")});
  CHECK_FALSE(search.reproposed);
  CHECK(Starts(search) == std::vector{Local(0, 9), Local(0, 9, 30), Local(0, 10)});
  for (const auto& offer : search.offers) {
    CHECK(offer.crew_id == "M1");
    CHECK(offer.end == offer.start + minutes(60));
    CHECK(offer.in_preferred_window);
    CHECK(offer.travel == seconds(0));
  }
}

TEST_CASE("a visit ending after the window is not in it") {
  const auto search = Find(Request(Local(0, 9), Local(0, 10, 30)), {Crew("M1")});
  CHECK(Starts(search) == std::vector{Local(0, 9), Local(0, 9, 30)});
}

TEST_CASE("crews without the skill or unreachable are never booked") {
  auto unreachable = Crew("M2");
  unreachable.availability = v1::CREW_AVAILABILITY_UNREACHABLE;
  const auto none = Find(Request(Local(0, 9), Local(0, 12)),
                         {Crew("R1", kSite, {v1::CREW_SKILL_LOW_VOLTAGE}), unreachable});
  CHECK(none.offers.empty());
  CHECK(none.reproposed);
  auto off_shift = Crew("M3");  // off shift now, but its shifts are in the future
  off_shift.availability = v1::CREW_AVAILABILITY_OFF_SHIFT;
  CHECK(Find(Request(Local(0, 9), Local(0, 12)), {off_shift}).offers.size() == 3);
}

TEST_CASE("the whole trip from the crew's position and the visit fit inside the shift") {
  // 11 km away in town: about 26 minutes' drive, so 08:30 would mean leaving at 08:04.
  const auto search = Find(Request(Local(0, 8), Local(0, 18)), {Crew("M1", North(11))});
  CHECK(Starts(search) == std::vector{Local(0, 9), Local(0, 9, 30), Local(0, 10)});
  CHECK(search.offers.front().travel > minutes(25));
  CHECK(search.offers.front().travel < minutes(28));
  // The last visit of the day ends by 17:30.
  auto late = Request(Local(0, 16), Local(0, 18));
  late.not_before = Local(0, 16);
  const auto end_of_day = Find(late, {Crew("M1")});
  CHECK(Starts(end_of_day) == std::vector{Local(0, 16), Local(0, 16, 30)});
}

TEST_CASE("bookings block their time and the travel to and from them") {
  const LatLon away = North(10);  // 24 minutes' drive
  const std::vector<Booking> bookings = {Booked("M1", Local(0, 9), Local(0, 10), away),
                                         Booked("M1", Local(0, 12), Local(0, 13), away)};
  const auto search = Find(Request(Local(0, 8), Local(0, 18)), {Crew("M1")}, bookings);
  // 08:30 overlaps 09:00; 10:00 leaves no time to drive; 11:00 cannot reach 12:00 in time;
  // 13:00 again leaves no time to drive from the 12:00 visit.
  CHECK(Starts(search) == std::vector{Local(0, 10, 30), Local(0, 13, 30), Local(0, 14)});
  CHECK(search.offers.front().travel > minutes(23));
}

TEST_CASE("a share of every day's shift is kept free of appointments for faults") {
  const auto request = Request(Local(0, 8), Local(1, 18));
  // 330 of the day's 540 shift minutes booked: 60 more passes 70 % (378 minutes).
  const std::vector<Booking> morning = {Booked("M1", Local(0, 8, 30), Local(0, 14))};
  const auto next_day = Find(request, {Crew("M1")}, morning);
  CHECK(Starts(next_day) == std::vector{Local(1, 8, 30), Local(1, 9), Local(1, 9, 30)});
  SlotSettings small_reserve;
  small_reserve.fault_reserve = 0.1;
  CHECK(Find(request, {Crew("M1")}, morning, small_reserve).offers.front().start == Local(0, 14));
  // Fault work blocks its time but does not use up the appointments' share.
  const std::vector<Booking> fault = {
      Booked("M1", Local(0, 8, 30), Local(0, 14), kSite, Booking::Kind::kFault)};
  CHECK(Find(request, {Crew("M1")}, fault).offers.front().start == Local(0, 14));
}

TEST_CASE("no slot in the preferred window re-proposes the earliest ones") {
  // Saturday: nobody works.
  const auto search = Find(Request(Local(5, 9), Local(5, 12)), {Crew("M1")});
  CHECK(search.reproposed);
  CHECK(Starts(search) == std::vector{Local(0, 8, 30), Local(0, 9), Local(0, 9, 30)});
  for (const auto& offer : search.offers) CHECK_FALSE(offer.in_preferred_window);
}

TEST_CASE("offers that end after the stage deadline are marked late") {
  auto request = Request(Local(0, 8), Local(0, 18));
  request.deadline = Local(0, 10);
  const auto search = Find(request, {Crew("M1")});
  REQUIRE(search.offers.size() == 3);
  CHECK(search.offers[0].meets_deadline);
  CHECK(search.offers[1].meets_deadline);  // ends at 10:00 exactly
  CHECK_FALSE(search.offers[2].meets_deadline);
}

TEST_CASE("the crew with the least travel gets a slot whatever the input order") {
  const std::vector<CrewState> crews = {Crew("A", North(5)), Crew("B")};
  const std::vector<CrewState> reversed = {crews[1], crews[0]};
  for (const auto& order : {crews, reversed}) {
    const auto search = Find(Request(Local(0, 9), Local(0, 12)), order);
    for (const auto& offer : search.offers) CHECK(offer.crew_id == "B");
  }
  // Equal travel: fewer appointment minutes that day, then the crew id.
  const std::vector<CrewState> twins = {Crew("A"), Crew("B")};
  CHECK(Find(Request(Local(0, 9), Local(0, 12)), twins).offers.front().crew_id == "A");
  const std::vector<Booking> busy_a = {Booked("A", Local(0, 15), Local(0, 16))};
  CHECK(Find(Request(Local(0, 9), Local(0, 12)), twins, busy_a).offers.front().crew_id == "B");
}

TEST_CASE("re-booking a work order ignores its own booking") {
  auto request = Request(Local(0, 9), Local(0, 12));
  std::vector<Booking> bookings = {Booked("M1", Local(0, 9), Local(0, 10))};
  CHECK(Find(request, {Crew("M1")}, bookings).offers.front().start == Local(0, 10));
  bookings.front().work_order_id = request.work_order_id;
  CHECK(Find(request, {Crew("M1")}, bookings).offers.front().start == Local(0, 9));
}

TEST_CASE("bad requests and settings are refused") {
  auto backwards = Request(Local(0, 12), Local(0, 9));
  CHECK(FindSlots(backwards, {Crew("M1")}, {}, {}).error().kind ==
        core::ErrorKind::kInvalidArgument);
  auto no_time = Request(Local(0, 9), Local(0, 12));
  no_time.duration = minutes(0);
  CHECK_FALSE(FindSlots(no_time, {Crew("M1")}, {}, {}).ok());
  SlotSettings settings;
  settings.granularity = minutes(1);
  CHECK_FALSE(Validate(settings).ok());
  settings = {};
  settings.fault_reserve = 1.0;
  CHECK_FALSE(Validate(settings).ok());
  settings = {};
  settings.max_offers = 0;
  CHECK_FALSE(Validate(settings).ok());
  CHECK(Validate(SlotSettings{}).ok());
}

}  // namespace
}  // namespace gridcare::dispatch
