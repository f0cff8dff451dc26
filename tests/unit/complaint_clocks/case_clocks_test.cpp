// CaseClocks: the clocks a new or reopened case gets, by type, senior handling and origin, under
// the shipped 2026 calendar (National Day holiday, the working Saturday 2026-10-10).
#include "case_clocks.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "clocks_test_util.h"

namespace gridcare::complaint {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using Clock = v1::ServiceClock;

std::vector<Clock> ClocksOf(v1::RequestType type, core::TimePoint at, bool senior = false,
                            const sla::ServiceStandards& standards = {},
                            const ComplaintPolicy& policy = {},
                            v1::CaseOrigin origin = v1::CASE_ORIGIN_TICKET) {
  return CaseClocks(type, origin, senior, at, standards, policy, Cn2026());
}

// The contact clock: wall time from `opened`.
void CheckContact(const Clock& clock, core::TimePoint opened, core::TimePoint due) {
  CHECK(clock.kind() == Clock::KIND_COMPLAINT_CONTACT);
  CHECK_FALSE(clock.working_days());
  CHECK(sla::FromTimestamp(clock.starts_at()) == opened);
  CHECK_FALSE(clock.has_met_at());
  INFO("contact due " << Show(Due(clock)));
  CHECK(Due(clock) == due);
}

// The reply clock: `days` working days from `opened`.
void CheckReply(const Clock& clock, core::TimePoint opened, int days, core::TimePoint due) {
  CHECK(clock.kind() == Clock::KIND_COMPLAINT_REPLY);
  CHECK(clock.working_days());
  CHECK(clock.limit_working_days() == days);
  CHECK_FALSE(clock.provisional());  // 2026 is officially covered
  CHECK(sla::FromTimestamp(clock.starts_at()) == opened);
  CHECK_FALSE(clock.has_met_at());
  INFO("reply due " << Show(Due(clock)));
  CHECK(Due(clock) == due);
}

}  // namespace

TEST_CASE("a complaint gets a 24 h contact clock and a 5 working-day reply across National Day") {
  // Wed 2026-09-30 16:00: Oct 1-7 are holidays, Sat Oct 10 is a working day (调休).
  const core::TimePoint opened = At(2026, 9, 30, 16);
  const auto clocks = ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened);
  REQUIRE(clocks.size() == 2);
  CheckContact(clocks[0], opened, At(2026, 10, 1, 16));    // wall time: the holiday counts
  CheckReply(clocks[1], opened, 5, At(2026, 10, 13, 16));  // Oct 8, 9, 10 (Sat), 12, 13
}

TEST_CASE("reports, opinions and suggestions reply within their working-day limits") {
  sla::ServiceStandards standards;
  standards.report_reply_working_days = 9;
  standards.opinion_reply_working_days = 9;
  const core::TimePoint opened = At(2026, 9, 30, 16);
  for (const auto type :
       {v1::REQUEST_TYPE_REPORT, v1::REQUEST_TYPE_OPINION, v1::REQUEST_TYPE_SUGGESTION}) {
    CAPTURE(type);
    const auto clocks = ClocksOf(type, opened, false, standards);
    REQUIRE(clocks.size() == 2);
    CheckContact(clocks[0], opened, At(2026, 10, 1, 16));
    // Oct 8, 9, 10, 12, 13, 14, 15, 16, 19 (Sat 17 and Sun 18 off).
    CheckReply(clocks[1], opened, 9, At(2026, 10, 19, 16));
  }
}

TEST_CASE("a consultation that intake could not answer gets the consultation reply clock") {
  sla::ServiceStandards standards;
  standards.complaint_reply_working_days = 2;
  standards.report_reply_working_days = 9;
  standards.complaint_contact = 8h;
  standards.consultation_reply = 4h;  // the same clock as the ticket's: clock hours, no contact
  const core::TimePoint opened = At(2026, 10, 9, 10);  // Fri
  const auto clocks = ClocksOf(v1::REQUEST_TYPE_CONSULTATION, opened, false, standards);
  REQUIRE(clocks.size() == 1);
  CHECK(clocks[0].kind() == Clock::KIND_CONSULTATION_REPLY);
  CHECK_FALSE(clocks[0].working_days());
  CHECK(sla::FromTimestamp(clocks[0].due_at()) == At(2026, 10, 9, 14));
}

TEST_CASE("the working Saturday 2026-10-10 counts for a complaint opened on Friday") {
  const core::TimePoint opened = At(2026, 10, 9, 10);
  const auto clocks = ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened);
  REQUIRE(clocks.size() == 2);
  CheckContact(clocks[0], opened, At(2026, 10, 10, 10));
  CheckReply(clocks[1], opened, 5, At(2026, 10, 15, 10));  // Oct 10, 12, 13, 14, 15
}

TEST_CASE("a complaint opened on a holiday starts counting working days on the next working day") {
  const core::TimePoint opened = At(2026, 10, 3, 10);  // Sat, inside National Day
  const auto clocks = ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened);
  REQUIRE(clocks.size() == 2);
  CheckContact(clocks[0], opened, At(2026, 10, 4, 10));  // 24 clock hours, holiday or not
  // From Thu Oct 8 00:00: Oct 8, 9, 10, 12, 13 -> the end of Oct 13.
  CheckReply(clocks[1], opened, 5, At(2026, 10, 14, 0));
}

TEST_CASE("senior handling shortens the contact and reply limits") {
  const core::TimePoint opened = At(2026, 9, 30, 16);
  const auto clocks = ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened, true);
  REQUIRE(clocks.size() == 2);
  CheckContact(clocks[0], opened, At(2026, 10, 1, 4));     // 12 h
  CheckReply(clocks[1], opened, 3, At(2026, 10, 10, 16));  // Oct 8, 9, 10 (Sat)

  sla::ServiceStandards report_standards;
  report_standards.report_reply_working_days = 9;
  const auto report = ClocksOf(v1::REQUEST_TYPE_REPORT, opened, true, report_standards);
  REQUIRE(report.size() == 2);
  CheckReply(report[1], opened, 3, At(2026, 10, 10, 16));
}

TEST_CASE("senior handling never lengthens a limit") {
  sla::ServiceStandards standards;
  standards.complaint_contact = 6h;
  standards.complaint_reply_working_days = 2;
  ComplaintPolicy policy;                              // senior: 12 h, 3 working days
  const core::TimePoint opened = At(2026, 11, 2, 10);  // Mon
  const auto clocks = ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened, true, standards, policy);
  REQUIRE(clocks.size() == 2);
  CheckContact(clocks[0], opened, At(2026, 11, 2, 16));
  CheckReply(clocks[1], opened, 2, At(2026, 11, 4, 10));

  policy.senior_contact = 2h;
  policy.senior_reply_working_days = 1;
  const auto shorter = ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened, true, standards, policy);
  REQUIRE(shorter.size() == 2);
  CheckContact(shorter[0], opened, At(2026, 11, 2, 12));
  CheckReply(shorter[1], opened, 1, At(2026, 11, 3, 10));
  // Not senior: the policy's senior limits do not apply.
  const auto normal = ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened, false, standards, policy);
  REQUIRE(normal.size() == 2);
  CheckContact(normal[0], opened, At(2026, 11, 2, 16));
  CheckReply(normal[1], opened, 2, At(2026, 11, 4, 10));
}

TEST_CASE("praise, fault return visits and types that are not cases get no clocks") {
  const core::TimePoint opened = At(2026, 11, 2, 10);
  CHECK(ClocksOf(v1::REQUEST_TYPE_PRAISE, opened).empty());
  CHECK(ClocksOf(v1::REQUEST_TYPE_PRAISE, opened, true).empty());
  CHECK(ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened, false, {}, {},
                 v1::CASE_ORIGIN_FAULT_RETURN_VISIT)
            .empty());
  CHECK(ClocksOf(v1::REQUEST_TYPE_FAULT_REPAIR, opened, false, {}, {},
                 v1::CASE_ORIGIN_FAULT_RETURN_VISIT)
            .empty());
  CHECK(ClocksOf(v1::REQUEST_TYPE_FAULT_REPAIR, opened).empty());
  CHECK(ClocksOf(v1::REQUEST_TYPE_URGING, opened).empty());
  CHECK(ClocksOf(v1::REQUEST_TYPE_UNSPECIFIED, opened).empty());
  // An unspecified origin is a ticket's case.
  CHECK(ClocksOf(v1::REQUEST_TYPE_COMPLAINT, opened, false, {}, {}, v1::CASE_ORIGIN_UNSPECIFIED)
            .size() == 2);
}

TEST_CASE("a reopened case's clocks start at the reopen") {
  const core::TimePoint reopened = At(2026, 12, 31, 20);  // Thu; Jan 1-3 2027 not in the file
  const auto clocks = ClocksOf(v1::REQUEST_TYPE_COMPLAINT, reopened);
  REQUIRE(clocks.size() == 2);
  CheckContact(clocks[0], reopened, At(2027, 1, 1, 20));
  // Jan 1 2027 is a Friday and counts as a working day in a file that covers only 2026: the
  // deadline is provisional.
  CHECK(clocks[1].provisional());
  CHECK(Due(clocks[1]) == At(2027, 1, 7, 20));  // Jan 1, 4, 5, 6, 7
}

}  // namespace gridcare::complaint
