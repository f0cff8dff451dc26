// Coverage: which years a calendar knows officially, provisional deadlines across the year
// boundary, and what loading next year's official file changes.
#include <catch2/catch.hpp>

#include "gridcare/sla/chinese_calendar.h"
#include "gridcare/sla/clocks.h"
#include "gridcare/sla/live_calendar.h"
#include "sla_test_util.h"

using namespace gridcare;
using namespace gridcare::sla;
using namespace gridcare::sla::testing;

namespace {

WorkingCalendar Load(const std::string& path) {
  auto calendar = WorkingCalendar::FromJson(ReadTextFile(path));
  INFO(path << ": " << (calendar.ok() ? "" : calendar.error().ToString()));
  REQUIRE(calendar.ok());
  return *calendar;
}

WorkingCalendar Shipped2026() {
  return Load(std::string(GRIDCARE_SLA_CONFIG_DIR) + "/calendar-cn-2026.json");
}

// tests/data/calendar-cn-2027-FIXTURE.json: a made-up "official" 2027 file (NOT the real notice).
WorkingCalendar Fixture2027() {
  return Load(std::string(GRIDCARE_TEST_DATA_DIR) + "/calendar-cn-2027-FIXTURE.json");
}

WorkingCalendar Set(const std::vector<WorkingCalendar>& files) {
  auto combined = CombineWithStatutoryHolidays(files);
  INFO((combined.ok() ? "" : combined.error().ToString()));
  REQUIRE(combined.ok());
  return *combined;
}

}  // namespace

TEST_CASE("the shipped 2026 file declares 2026 official and nothing else") {
  const WorkingCalendar shipped = Shipped2026();
  REQUIRE(shipped.coverage().size() == 1);
  CHECK(shipped.coverage()[0].year == 2026);
  CHECK(shipped.coverage()[0].status == CoverageStatus::kOfficial);
  CHECK_THAT(shipped.coverage()[0].source, Catch::Contains("2026"));
  CHECK(shipped.CoverageOf(2027) == CoverageStatus::kNone);
  CHECK(shipped.LastOfficialYear() == 2026);
}

TEST_CASE("coverage entries are checked and name the bad entry") {
  auto parse = [](const std::string& coverage, const std::string& holidays = "[]") {
    return WorkingCalendar::FromJson(R"({"coverage": )" + coverage + R"(, "holidays": )" +
                                     holidays + "}");
  };
  CHECK(parse(R"([{"year": 2027, "status": "official", "source": "x"}])").ok());
  CHECK(parse(R"([{"year": 2027, "status": "provisional"}])").ok());
  const auto bad_status = parse(R"([{"year": 2027, "status": "final"}])");
  REQUIRE_FALSE(bad_status.ok());
  CHECK_THAT(bad_status.error().message, Catch::Contains("coverage[0]"));
  CHECK_FALSE(parse(R"([{"status": "official"}])").ok());
  CHECK_FALSE(parse(R"([{"year": 2027, "status": "official", "extra": 1}])").ok());
  CHECK_FALSE(
      parse(R"([{"year": 2027, "status": "official"}, {"year": 2027, "status": "official"}])")
          .ok());
  const auto outside = parse(R"([{"year": 2027, "status": "official"}])", R"(["2028-01-01"])");
  REQUIRE_FALSE(outside.ok());
  CHECK_THAT(outside.error().message, Catch::Contains("2028-01-01"));
}

TEST_CASE("a calendar without coverage counts every deadline as provisional") {
  const WorkingCalendar legacy = Cn2026();  // the 2026 dates without a coverage declaration
  CHECK(legacy.Deadline(At(2026, 3, 2, 10), 5).provisional);
  const WorkingCalendar shipped = Shipped2026();
  const WorkingDeadline inside = shipped.Deadline(At(2026, 3, 2, 10), 5);
  CHECK_FALSE(inside.provisional);
  CHECK(inside.due == legacy.AddWorkingDays(At(2026, 3, 2, 10), 5));
}

TEST_CASE("a deadline crossing 2027-01-01 is provisional and skips New Year's Day") {
  const WorkingCalendar calendar = Set({Shipped2026()});
  CHECK(calendar.CoverageOf(2026) == CoverageStatus::kOfficial);
  CHECK(calendar.CoverageOf(2027) == CoverageStatus::kProvisional);
  CHECK_FALSE(calendar.IsWorkingDay({2027, 1, 1}));
  // Complaint on Mon 2026-12-28 10:00, 5 working days: 29, 30, 31, (1 Jan off), 4, 5 January.
  const WorkingDeadline deadline = calendar.Deadline(At(2026, 12, 28, 10), 5);
  CHECK(Show(deadline.due) == Show(At(2027, 1, 5, 10)));
  CHECK(deadline.provisional);
  // Before the turn of the year nothing is provisional.
  CHECK_FALSE(calendar.Deadline(At(2026, 12, 1, 10), 5).provisional);
  // The plain Monday-to-Friday fallback would have said 4 January.
  CHECK(Show(Shipped2026().AddWorkingDays(At(2026, 12, 28, 10), 5)) == Show(At(2027, 1, 4, 10)));
}

TEST_CASE("loading the official 2027 file makes the deadline final and moves it where it says") {
  const WorkingCalendar before = Set({Shipped2026()});
  const WorkingCalendar after = Set({Shipped2026(), Fixture2027()});
  CHECK(after.CoverageOf(2027) == CoverageStatus::kOfficial);
  CHECK(after.version() != before.version());
  CHECK(after.name() == "cn-2026+cn-2027-FIXTURE");
  // The fixture gives 1-4 January off (the derived calendar only 1 January).
  const WorkingDeadline deadline = after.Deadline(At(2026, 12, 28, 10), 5);
  CHECK(Show(deadline.due) == Show(At(2027, 1, 6, 10)));
  CHECK_FALSE(deadline.provisional);
  // Its adjusted working Saturday counts (调休 exist only in official files).
  CHECK(after.IsWorkingDay({2027, 2, 20}));
  CHECK_FALSE(before.IsWorkingDay({2027, 2, 20}));
}

TEST_CASE("the fixture's holidays include every derived 2027 statutory day") {
  const WorkingCalendar fixture = Fixture2027();
  auto derived = DeriveStatutoryHolidays(2027);
  REQUIRE(derived.ok());
  for (const auto& holiday : *derived) {
    INFO(FormatLocalDate(holiday.date));
    CHECK_FALSE(fixture.IsWorkingDay(holiday.date));
  }
}

TEST_CASE("files in a set declare coverage and do not overlap") {
  auto no_coverage = WorkingCalendar::FromJson(R"({"name": "bare", "holidays": ["2027-01-01"]})");
  REQUIRE(no_coverage.ok());
  auto missing = CombineWithStatutoryHolidays({Shipped2026(), *no_coverage});
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("bare"));
  auto twice = CombineWithStatutoryHolidays({Shipped2026(), Shipped2026()});
  REQUIRE_FALSE(twice.ok());
  CHECK_THAT(twice.error().message, Catch::Contains("2026"));
}

TEST_CASE("days of official coverage left count to the first uncovered day") {
  const WorkingCalendar one = Set({Shipped2026()});
  CHECK(one.OfficialCoverageDaysLeft({2026, 12, 1}) == 31);
  CHECK(one.OfficialCoverageDaysLeft({2026, 12, 31}) == 1);
  CHECK(one.OfficialCoverageDaysLeft({2027, 1, 1}) == 0);
  CHECK(one.OfficialCoverageDaysLeft({2026, 1, 1}) == 365);
  const WorkingCalendar two = Set({Shipped2026(), Fixture2027()});
  CHECK(two.OfficialCoverageDaysLeft({2026, 12, 1}) == 31 + 365);
  CHECK(two.LastOfficialYear() == 2027);
}

TEST_CASE("a combined calendar's version depends only on its content") {
  CHECK(Set({Shipped2026()}).version() == Set({Shipped2026()}).version());
  CHECK(Set({Shipped2026()}).version().size() == 16);
}

TEST_CASE("ClocksFor marks working-day clocks provisional across uncovered days") {
  const WorkingCalendar calendar = Set({Shipped2026()});
  TicketFacts facts;
  facts.type = v1::REQUEST_TYPE_COMPLAINT;
  const auto clocks = ClocksFor(facts, At(2026, 12, 28, 10), ServiceStandards{}, calendar);
  REQUIRE(clocks.size() == 2);
  CHECK_FALSE(clocks[0].provisional());  // 24 h contact clock: wall time
  CHECK(clocks[1].provisional());
  CHECK(clocks[1].limit_working_days() == 5);
  CHECK(HasProvisionalClock(
      google::protobuf::RepeatedPtrField<v1::ServiceClock>(clocks.begin(), clocks.end())));
}

TEST_CASE("recomputing a provisional clock under the official file moves and finalises it") {
  const WorkingCalendar before = Set({Shipped2026()});
  const WorkingCalendar after = Set({Shipped2026(), Fixture2027()});
  TicketFacts facts;
  facts.type = v1::REQUEST_TYPE_COMPLAINT;
  auto clocks = ClocksFor(facts, At(2026, 12, 28, 10), ServiceStandards{}, before);
  v1::ServiceClock reply = clocks[1];
  CHECK(RecomputeWorkingDayClock(reply, after, before));
  CHECK(Show(FromTimestamp(reply.due_at())) == Show(At(2027, 1, 6, 10)));
  CHECK_FALSE(reply.provisional());
  CHECK_FALSE(RecomputeWorkingDayClock(reply, after, before));  // once
  // A clock stored before limit_working_days existed recovers the limit from the old calendar.
  v1::ServiceClock legacy = clocks[1];
  legacy.clear_limit_working_days();
  CHECK(RecomputeWorkingDayClock(legacy, after, before));
  CHECK(legacy.limit_working_days() == 5);
  CHECK(Show(FromTimestamp(legacy.due_at())) == Show(At(2027, 1, 6, 10)));
  // Wall-time and met clocks stay.
  v1::ServiceClock contact = clocks[0];
  CHECK_FALSE(RecomputeWorkingDayClock(contact, after, before));
}

TEST_CASE("a live calendar hands out snapshots and swaps atomically") {
  LiveCalendar live(Set({Shipped2026()}));
  const CalendarView view(live);
  const auto old_snapshot = view.Current();
  const auto replaced = live.Replace(Set({Shipped2026(), Fixture2027()}));
  CHECK(replaced == old_snapshot);
  CHECK(view.Current()->CoverageOf(2027) == CoverageStatus::kOfficial);
  CHECK(old_snapshot->CoverageOf(2027) == CoverageStatus::kProvisional);
  const CalendarView fixed(Cn2026());
  CHECK(fixed.Current()->IsWorkingDay({2026, 10, 10}));
}

TEST_CASE("local minutes format for people") {
  CHECK(FormatLocalMinute(At(2027, 1, 6, 10, 5)) == "2027-01-06 10:05");
  CHECK(FormatLocalMinute(Utc(2026, 12, 31, 16, 0)) == "2027-01-01 00:00");
}
