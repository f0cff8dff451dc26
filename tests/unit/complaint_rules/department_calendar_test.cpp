// Department working calendars (services/complaint/calendar_book.h): a department's own days on
// top of the company calendar, read from the directory's "local_calendar", decide the reply clock
// of the cases it owns and the deadline of a coordination part it owes; every other department
// keeps the company calendar. Errors name the department and the date.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "calendar_book.h"
#include "rules_fixture.h"

namespace gridcare::complaint {
namespace {

using namespace test;
using namespace std::chrono_literals;
using nlohmann::json;

// The shipped directory with local days for one department.
DepartmentDirectory DirectoryWith(const std::string& department, const json& local_calendar) {
  json document = json::parse(ReadSource("services/complaint/config/departments.json"));
  for (auto& entry : document["departments"]) {
    if (entry["id"] == department) entry["local_calendar"] = local_calendar;
  }
  return OrThrow(DepartmentDirectory::FromJson(document.dump()));
}

std::string DirectoryError(const json& local_calendar) {
  json document = json::parse(ReadSource("services/complaint/config/departments.json"));
  document["departments"][0]["local_calendar"] = local_calendar;
  auto loaded = DepartmentDirectory::FromJson(document.dump());
  REQUIRE_FALSE(loaded.ok());
  return loaded.error().message;
}

CalendarBook BookWith(const std::string& department, const json& local_calendar) {
  return OrThrow(CalendarBook::Build(Calendar(), DirectoryWith(department, local_calendar)));
}

}  // namespace

TEST_CASE("a department's local holidays move the reply deadline of the cases it owns",
          "[rules][calendar]") {
  const Rules rules;
  // 文乐区's disputed bill goes to marketing; marketing's office is closed Tue and Wed.
  const CalendarBook book = BookWith(
      "marketing", {{"note", "regional holidays"}, {"holidays", {"2026-11-03", "2026-11-04"}}});
  auto company =
      rules->Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), Facts(), "e1", T0(), Calendar());
  auto local = rules->Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), Facts(), "e1", T0(), book);
  REQUIRE(company.has_value());
  REQUIRE(local.has_value());
  const auto& c = local->stored.complaint_case();
  REQUIRE(c.department_id() == "marketing");
  // 5 working days from Mon 2 Nov 10:00: Mon 9 Nov in the company calendar, Wed 11 Nov here.
  CHECK(Show(DueOf(company->stored.complaint_case(), v1::ServiceClock::KIND_COMPLAINT_REPLY)) ==
        Show(At(2026, 11, 9, 10)));
  CHECK(Show(DueOf(c, v1::ServiceClock::KIND_COMPLAINT_REPLY)) == Show(At(2026, 11, 11, 10)));
  // The contact clock is 24 clock hours: no calendar moves it.
  CHECK(DueOf(c, v1::ServiceClock::KIND_COMPLAINT_CONTACT) ==
        DueOf(company->stored.complaint_case(), v1::ServiceClock::KIND_COMPLAINT_CONTACT));
}

TEST_CASE("other departments keep the company calendar", "[rules][calendar]") {
  const Rules rules;
  const CalendarBook book = BookWith("metering", {{"holidays", {"2026-11-03", "2026-11-04"}}});
  auto opened = rules->Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), Facts(), "e1", T0(), book);
  REQUIRE(opened.has_value());
  CHECK(Show(DueOf(opened->stored.complaint_case(), v1::ServiceClock::KIND_COMPLAINT_REPLY)) ==
        Show(At(2026, 11, 9, 10)));
  CHECK(&book.For("marketing") == &book.company());
  CHECK(&book.For("") == &book.company());
  CHECK(&book.For("no-such-department") == &book.company());
  CHECK(&book.For("metering") != &book.company());
  CHECK(book.For("metering").version() != book.company().version());
}

TEST_CASE("a coordination part is due in the contributing department's calendar",
          "[rules][calendar]") {
  const Rules rules;
  const CalendarBook book = BookWith("metering", {{"holidays", {"2026-11-03"}}});
  auto stored = Contacted(rules);
  auto change = Ok(rules->RequestCoordination(
      stored, CoordinateReq("mkt-wl-02", {"metering", "operations"}), T0() + 3h, book));
  const auto& c = change.stored.complaint_case();
  REQUIRE(c.parts_size() == 2);
  // 2 working days from Mon 13:00: metering is off on Tuesday → Thu 13:00; operations Wed 13:00.
  CHECK(Show(sla::FromTimestamp(c.parts(0).due_at())) == Show(At(2026, 11, 5, 13)));
  CHECK(Show(sla::FromTimestamp(c.parts(1).due_at())) == Show(At(2026, 11, 4, 13)));
}

TEST_CASE("a local make-up Saturday is a working day for that department only",
          "[rules][calendar]") {
  const CalendarBook book = BookWith("construction", {{"working_weekends", {"2026-11-07"}}});
  CHECK(book.For("construction").IsWorkingDay({2026, 11, 7}));
  CHECK_FALSE(book.company().IsWorkingDay({2026, 11, 7}));
  CHECK_FALSE(book.For("marketing").IsWorkingDay({2026, 11, 7}));
}

TEST_CASE("local calendar errors name the department and the date", "[rules][calendar]") {
  CHECK(DirectoryError({{"holidays", {"2026-13-01"}}}) ==
        "department directory: departments[0] (\"marketing\"): local_calendar.holidays: "
        "\"2026-13-01\" is not a date YYYY-MM-DD");
  CHECK(DirectoryError({{"days_off", {"2026-11-03"}}}) ==
        "department directory: departments[0] (\"marketing\"): local_calendar: unknown key "
        "\"days_off\" (known: note, holidays, working_weekends)");
  CHECK(DirectoryError("closed on Tuesdays") ==
        "department directory: departments[0] (\"marketing\"): local_calendar must be an object");
  auto weekday = CalendarBook::Build(
      Calendar(), DirectoryWith("metering", {{"working_weekends", {"2026-11-04"}}}));
  REQUIRE_FALSE(weekday.ok());
  CHECK(weekday.error().message ==
        "department \"metering\" local_calendar: local working weekend 2026-11-04 is not a "
        "Saturday or Sunday");
  auto both = CalendarBook::Build(
      Calendar(), DirectoryWith("metering", {{"holidays", {"2026-11-07"}},
                                             {"working_weekends", {"2026-11-07"}}}));
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().message ==
        "department \"metering\" local_calendar: 2026-11-07 is both a local holiday and a local "
        "working weekend");
}

}  // namespace gridcare::complaint
