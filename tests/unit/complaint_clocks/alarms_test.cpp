// Alarms: reminders and the supervision ladder over a simulated timeline (each exactly once), the
// durable timer's NextAlarmAt sequence, paused, closed and replied cases, coordination parts,
// reopened ids and FirstDue.
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "case_clocks.h"
#include "clocks_test_util.h"

namespace gridcare::complaint {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using Clock = v1::ServiceClock;

// Opened Mon 2026-11-02 10:00 (no holiday near):
//   contact [Nov 2 10:00, Nov 3 10:00]: r50 Nov 2 22:00, r80 Nov 3 05:12, l1 Nov 3 10:00,
//           l2 Nov 4 10:00, l3 Nov 6 10:00;
//   reply   [Nov 2 10:00, Nov 9 10:00] (168 h): r50 Nov 5 22:00, r80 Nov 8 00:24,
//           l1 Nov 9 10:00, l2 Nov 10 10:00, l3 Nov 12 10:00.
v1::ComplaintCase Case() {
  const core::TimePoint opened = At(2026, 11, 2, 10);
  v1::ComplaintCase c;
  c.set_case_id("CC-GC-1");
  c.set_state(v1::CASE_STATE_ROUTED);
  *c.mutable_opened_at() = sla::ToTimestamp(opened);
  for (auto& clock : CaseClocks(v1::REQUEST_TYPE_COMPLAINT, v1::CASE_ORIGIN_TICKET, false, opened,
                                {}, {}, Cn2026())) {
    *c.add_clocks() = std::move(clock);
  }
  return c;
}

struct Expected {
  std::string id;
  core::TimePoint at;
};

const std::vector<Expected>& Schedule() {
  static const std::vector<Expected> kSchedule = {
      {"CC-GC-1/contact/r50", At(2026, 11, 2, 22)},
      {"CC-GC-1/contact/r80", At(2026, 11, 3, 5, 12)},
      {"CC-GC-1/contact/l1", At(2026, 11, 3, 10)},
      {"CC-GC-1/contact/l2", At(2026, 11, 4, 10)},
      {"CC-GC-1/reply/r50", At(2026, 11, 5, 22)},
      {"CC-GC-1/contact/l3", At(2026, 11, 6, 10)},
      {"CC-GC-1/reply/r80", At(2026, 11, 8, 0, 24)},
      {"CC-GC-1/reply/l1", At(2026, 11, 9, 10)},
      {"CC-GC-1/reply/l2", At(2026, 11, 10, 10)},
      {"CC-GC-1/reply/l3", At(2026, 11, 12, 10)},
  };
  return kSchedule;
}

std::vector<std::string> Ids(const std::vector<CaseAlarm>& alarms) {
  std::vector<std::string> ids;
  for (const CaseAlarm& alarm : alarms) ids.push_back(alarm.alarm_id);
  return ids;
}

// Advances a clock in `step`s from `from` to `to`, raising what DueAlarms returns and recording it
// as fired; returns each alarm with the tick that raised it.
struct Raised {
  CaseAlarm alarm;
  core::TimePoint tick;
};
std::vector<Raised> Simulate(const v1::ComplaintCase& c, core::TimePoint from, core::TimePoint to,
                             core::Duration step, std::vector<std::string>& fired,
                             const ComplaintPolicy& policy = {}) {
  std::vector<Raised> raised;
  for (core::TimePoint now = from; now <= to; now += step) {
    for (CaseAlarm& alarm : DueAlarms(c, fired, now, policy)) {
      fired.push_back(alarm.alarm_id);
      raised.push_back({std::move(alarm), now});
    }
  }
  return raised;
}

}  // namespace

TEST_CASE("every reminder and each ladder level fires exactly once over a timeline") {
  const v1::ComplaintCase c = Case();
  std::vector<std::string> fired;
  const auto raised = Simulate(c, At(2026, 11, 2, 10), At(2026, 11, 20, 10), 1h, fired);
  REQUIRE(raised.size() == Schedule().size());
  for (size_t i = 0; i < raised.size(); ++i) {
    const CaseAlarm& alarm = raised[i].alarm;
    const Expected& expected = Schedule()[i];
    INFO(alarm.alarm_id << " at " << Show(alarm.at) << ", raised at " << Show(raised[i].tick));
    CHECK(alarm.alarm_id == expected.id);
    CHECK(alarm.at == expected.at);
    CHECK(raised[i].tick >= alarm.at);
    CHECK(raised[i].tick - alarm.at < 1h);  // on the first tick after it became due
    CHECK(alarm.part_department_id.empty());
    const bool reminder = alarm.level == 0;
    CHECK(alarm.overdue == !reminder);
    CHECK(alarm.role == (reminder           ? "handler"
                         : alarm.level == 1 ? "department-head"
                         : alarm.level == 2 ? "service-dispatch-centre"
                                            : "company-leadership"));
    CHECK(alarm.clock.kind() == (alarm.alarm_id.find("/contact/") != std::string::npos
                                     ? Clock::KIND_COMPLAINT_CONTACT
                                     : Clock::KIND_COMPLAINT_REPLY));
  }
  CHECK(raised[1].alarm.percent_elapsed == 80);
  CHECK(raised[1].alarm.level == 0);
  CHECK(raised[3].alarm.level == 2);
  CHECK(raised[3].alarm.percent_elapsed == 0);
  // Nothing is left, however late.
  CHECK(DueAlarms(c, fired, At(2027, 6, 1), {}).empty());
  CHECK_FALSE(NextAlarmAt(c, fired, {}).has_value());
}

TEST_CASE("a late tick raises every passed reminder and rung once, earliest first") {
  const v1::ComplaintCase c = Case();
  const auto due = DueAlarms(c, {}, At(2026, 11, 4, 12), {});
  CHECK(Ids(due) == std::vector<std::string>{"CC-GC-1/contact/r50", "CC-GC-1/contact/r80",
                                             "CC-GC-1/contact/l1", "CC-GC-1/contact/l2"});
  REQUIRE(due.size() == 4);
  CHECK(due[0].percent_elapsed == 50);
  CHECK(due[0].role == "handler");
  CHECK_FALSE(due[0].overdue);
  CHECK(due[2].level == 1);
  CHECK(due[2].overdue);
  CHECK(due[2].at == At(2026, 11, 3, 10));
  // Skips what fired; due "at or before now".
  CHECK(Ids(DueAlarms(c, {"CC-GC-1/contact/r80", "CC-GC-1/contact/l1"}, At(2026, 11, 4, 10), {})) ==
        std::vector<std::string>{"CC-GC-1/contact/r50", "CC-GC-1/contact/l2"});
  CHECK(DueAlarms(c, {}, At(2026, 11, 2, 21, 59), {}).empty());
}

TEST_CASE("NextAlarmAt walks the durable timer through every alarm time") {
  const v1::ComplaintCase c = Case();
  std::vector<std::string> fired;
  std::vector<core::TimePoint> timers;
  while (const auto next = NextAlarmAt(c, fired, {})) {
    REQUIRE(timers.size() < 20);
    timers.push_back(*next);
    for (const CaseAlarm& alarm : DueAlarms(c, fired, *next, {})) fired.push_back(alarm.alarm_id);
  }
  std::vector<core::TimePoint> expected;
  for (const Expected& e : Schedule()) expected.push_back(e.at);
  CHECK(timers == expected);
  CHECK(fired.size() == 10);

  // With an overdue alarm not yet raised, the next time is that one (in the past).
  CHECK(NextAlarmAt(c, {"CC-GC-1/contact/r50"}, {}) == At(2026, 11, 3, 5, 12));
}

TEST_CASE("met clocks raise nothing") {
  v1::ComplaintCase c = Case();
  *c.mutable_clocks(0)->mutable_met_at() = sla::ToTimestamp(At(2026, 11, 2, 15));
  c.set_state(v1::CASE_STATE_CONTACTED);
  CHECK(Ids(DueAlarms(c, {}, At(2026, 11, 9, 12), {})) ==
        std::vector<std::string>{"CC-GC-1/reply/r50", "CC-GC-1/reply/r80", "CC-GC-1/reply/l1"});
  *c.mutable_clocks(1)->mutable_met_at() = sla::ToTimestamp(At(2026, 11, 9, 12));
  CHECK(DueAlarms(c, {}, At(2026, 11, 20), {}).empty());
  CHECK_FALSE(NextAlarmAt(c, {}, {}).has_value());
}

TEST_CASE("closed, replied and return-visited cases raise nothing") {
  for (const auto state :
       {v1::CASE_STATE_CLOSED, v1::CASE_STATE_REPLIED, v1::CASE_STATE_RETURN_VISITED}) {
    CAPTURE(state);
    v1::ComplaintCase c = Case();
    c.set_state(state);
    CHECK(DueAlarms(c, {}, At(2026, 11, 20), {}).empty());
    CHECK_FALSE(NextAlarmAt(c, {}, {}).has_value());
  }
  v1::ComplaintCase reopened = Case();
  reopened.set_state(v1::CASE_STATE_REOPENED);
  CHECK(DueAlarms(reopened, {}, At(2026, 11, 20), {}).size() == 10);
}

TEST_CASE("a paused case raises nothing until resumed, then alarms at the moved deadlines") {
  v1::ComplaintCase c = Case();
  std::vector<std::string> fired;
  Simulate(c, At(2026, 11, 2, 10), At(2026, 11, 2, 23), 1h, fired);
  CHECK(fired == std::vector<std::string>{"CC-GC-1/contact/r50"});

  auto* pause = c.add_pauses();
  pause->set_reason(v1::PAUSE_REASON_CUSTOMER_UNREACHABLE);
  *pause->mutable_paused_at() = sla::ToTimestamp(At(2026, 11, 3, 0));
  CHECK(DueAlarms(c, fired, At(2026, 11, 20), {}).empty());
  CHECK_FALSE(NextAlarmAt(c, fired, {}).has_value());
  CHECK(Simulate(c, At(2026, 11, 3, 0), At(2026, 11, 4, 0), 1h, fired).empty());

  // Resumed after 24 h: the contact deadline (Nov 3 10:00, during the pause) moves to Nov 4 10:00.
  *pause->mutable_resumed_at() = sla::ToTimestamp(At(2026, 11, 4, 0));
  CHECK(ShiftClocksForPause(c, At(2026, 11, 3, 0), At(2026, 11, 4, 0), Cn2026()) == 2);
  // r50 already fired; r80 is now at 80% of [Nov 2 10:00, Nov 4 10:00] = Nov 4 00:24.
  CHECK(DueAlarms(c, fired, At(2026, 11, 4, 0), {}).empty());
  CHECK(NextAlarmAt(c, fired, {}) == At(2026, 11, 4, 0, 24));
  const auto due = DueAlarms(c, fired, At(2026, 11, 4, 0, 24), {});
  CHECK(Ids(due) == std::vector<std::string>{"CC-GC-1/contact/r80"});
  fired.push_back("CC-GC-1/contact/r80");
  CHECK(NextAlarmAt(c, fired, {}) == At(2026, 11, 4, 10));  // contact l1
}

TEST_CASE("coordination parts raise reminders and rung 1 until answered") {
  v1::ComplaintCase c = Case();
  *c.mutable_clocks(0)->mutable_met_at() = sla::ToTimestamp(At(2026, 11, 2, 12));
  c.set_state(v1::CASE_STATE_CONTACTED);
  // Requested Tue Nov 3 10:00 with the default 2 working days: due Thu Nov 5 10:00.
  auto* part = c.add_parts();
  part->set_department_id("marketing");
  *part->mutable_due_at() = sla::ToTimestamp(At(2026, 11, 5, 10));
  auto* answered = c.add_parts();
  answered->set_department_id("metering");
  *answered->mutable_due_at() = sla::ToTimestamp(At(2026, 11, 5, 10));
  *answered->mutable_answered_at() = sla::ToTimestamp(At(2026, 11, 4, 9));

  std::vector<std::string> fired;
  const auto raised = Simulate(c, At(2026, 11, 2, 10), At(2026, 11, 20), 30min, fired);
  std::vector<std::string> ids;
  for (const Raised& r : raised) ids.push_back(r.alarm.alarm_id);
  CHECK(ids == std::vector<std::string>{"CC-GC-1/part/marketing/r50",  // Nov 4 10:00
                                        "CC-GC-1/part/marketing/r80",  // Nov 5 00:24
                                        "CC-GC-1/part/marketing/l1",   // Nov 5 10:00
                                        "CC-GC-1/reply/r50", "CC-GC-1/reply/r80",
                                        "CC-GC-1/reply/l1", "CC-GC-1/reply/l2",
                                        "CC-GC-1/reply/l3"});
  REQUIRE(raised.size() == 8);
  CHECK(raised[0].alarm.at == At(2026, 11, 4, 10));
  CHECK(raised[0].alarm.part_department_id == "marketing");
  CHECK(raised[0].alarm.role == "handler");
  CHECK(raised[0].alarm.percent_elapsed == 50);
  CHECK(raised[1].alarm.at == At(2026, 11, 5, 0, 24));
  CHECK(raised[2].alarm.at == At(2026, 11, 5, 10));
  CHECK(raised[2].alarm.level == 1);
  CHECK(raised[2].alarm.overdue);
  CHECK(raised[2].alarm.role == "department-head");
  CHECK(raised[2].alarm.part_department_id == "marketing");
  CHECK(Due(raised[2].alarm.clock) == At(2026, 11, 5, 10));
  CHECK(raised[3].alarm.part_department_id.empty());

  // Once answered, the part raises nothing more.
  part->mutable_answered_at()->CopyFrom(sla::ToTimestamp(At(2026, 11, 4, 12)));
  CHECK(Ids(DueAlarms(c, {"CC-GC-1/part/marketing/r50"}, At(2026, 11, 5, 12), {})).empty());
}

TEST_CASE("a part's reminders never start before the case opened") {
  v1::ComplaintCase c = Case();  // opened Nov 2 10:00
  c.clear_clocks();
  auto* part = c.add_parts();
  part->set_department_id("ops");
  *part->mutable_due_at() = sla::ToTimestamp(At(2026, 11, 3, 10));  // 24 h after opening
  const auto due = DueAlarms(c, {}, At(2026, 11, 3, 10), {});
  REQUIRE(due.size() == 3);
  CHECK(due[0].at == At(2026, 11, 2, 22));  // 50% of [Nov 2 10:00, Nov 3 10:00]
  CHECK(due[1].at == At(2026, 11, 3, 5, 12));
  CHECK(due[2].alarm_id == "CC-GC-1/part/ops/l1");
}

TEST_CASE("a reopened case's alarms carry the reopen count") {
  v1::ComplaintCase c = Case();
  c.set_state(v1::CASE_STATE_REOPENED);
  c.set_reopen_count(2);
  // The first round's ids do not silence the new clocks.
  std::vector<std::string> fired;
  for (const Expected& e : Schedule()) fired.push_back(e.id);
  const auto due = DueAlarms(c, fired, At(2026, 11, 3, 10), {});
  CHECK(Ids(due) == std::vector<std::string>{"CC-GC-1/contact/r50/o2", "CC-GC-1/contact/r80/o2",
                                             "CC-GC-1/contact/l1/o2"});
  auto* part = c.add_parts();
  part->set_department_id("marketing");
  *part->mutable_due_at() = sla::ToTimestamp(At(2026, 11, 5, 10));
  CHECK(DueAlarms(c, {}, At(2026, 11, 5, 10), {}).back().alarm_id ==
        "CC-GC-1/part/marketing/l1/o2");
}

TEST_CASE("two open clocks of one kind raise each alarm id once") {
  v1::ComplaintCase c = Case();
  v1::ServiceClock later = c.clocks(0);
  *later.mutable_due_at() = sla::ToTimestamp(At(2026, 11, 4, 10));
  *c.add_clocks() = later;
  const auto due = DueAlarms(c, {}, At(2026, 11, 4, 10), {});
  CHECK(Ids(due) == std::vector<std::string>{"CC-GC-1/contact/r50", "CC-GC-1/contact/r80",
                                             "CC-GC-1/contact/l1", "CC-GC-1/contact/l2"});
  REQUIRE(due.size() == 4);
  CHECK(due[2].at == At(2026, 11, 3, 10));  // the earlier clock's
}

TEST_CASE("the policy's reminder percents and ladder decide the alarms") {
  const v1::ComplaintCase c = Case();
  ComplaintPolicy policy;
  policy.reminder_percents = {25};
  policy.ladder = {{1, "head", 2h}, {2, "centre", 2h}};
  CHECK(
      Ids(DueAlarms(c, {}, At(2026, 11, 3, 12), policy)) ==
      std::vector<std::string>{"CC-GC-1/contact/r25", "CC-GC-1/contact/l1", "CC-GC-1/contact/l2"});
  policy.reminder_percents.clear();
  CHECK(NextAlarmAt(c, {}, policy) == At(2026, 11, 3, 12));
}

TEST_CASE("clocks of other kinds are named after their kind") {
  v1::ComplaintCase c;
  c.set_case_id("CC-2");
  *c.add_clocks() =
      MakeClock(Clock::KIND_CONSULTATION_REPLY, At(2026, 11, 2, 10), At(2026, 11, 3, 10), false);
  CHECK(Ids(DueAlarms(c, {}, At(2026, 11, 2, 22), {})) ==
        std::vector<std::string>{"CC-2/consultation_reply/r50"});
}

TEST_CASE("FirstDue is the earliest open deadline among clocks and parts") {
  v1::ComplaintCase c = Case();
  CHECK(FirstDue(c) == At(2026, 11, 3, 10));
  *c.mutable_clocks(0)->mutable_met_at() = sla::ToTimestamp(At(2026, 11, 2, 12));
  CHECK(FirstDue(c) == At(2026, 11, 9, 10));
  auto* part = c.add_parts();
  part->set_department_id("marketing");
  *part->mutable_due_at() = sla::ToTimestamp(At(2026, 11, 5, 10));
  CHECK(FirstDue(c) == At(2026, 11, 5, 10));
  *part->mutable_answered_at() = sla::ToTimestamp(At(2026, 11, 4, 10));
  CHECK(FirstDue(c) == At(2026, 11, 9, 10));
  // Paused cases keep their place on the desk.
  c.add_pauses()->mutable_paused_at()->CopyFrom(sla::ToTimestamp(At(2026, 11, 4, 12)));
  CHECK(FirstDue(c) == At(2026, 11, 9, 10));
  *c.mutable_clocks(1)->mutable_met_at() = sla::ToTimestamp(At(2026, 11, 6, 10));
  CHECK_FALSE(FirstDue(c).has_value());

  v1::ComplaintCase closed = Case();
  closed.set_state(v1::CASE_STATE_CLOSED);
  CHECK_FALSE(FirstDue(closed).has_value());
  CHECK_FALSE(FirstDue(v1::ComplaintCase{}).has_value());
}

}  // namespace gridcare::complaint
