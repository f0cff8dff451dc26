// Clock ticks: each reminder and each rung of the supervision ladder raised exactly once over a
// case's timeline (ticked often, or only when the durable timer says), the supervision level
// following the rungs, who must act at each step, coordination parts' sub-deadlines naming the
// department holding the reply up, and the durable timer's next fire time.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "rules_fixture.h"

namespace gridcare::complaint {
namespace {

using namespace test;

struct Raised {
  std::string id;
  core::TimePoint tick;
  v1::CaseDeadlineAlarm alarm;
  int level_after;
};

const std::string kCase = "CC-GC-20261102-000001";

/// The shipped policy's schedule for a complaint opened Mon 2026-11-02 10:00 (never contacted).
const std::vector<std::pair<std::string, core::TimePoint>>& Schedule() {
  static const std::vector<std::pair<std::string, core::TimePoint>> kSchedule = {
      {kCase + "/contact/r50", At(2026, 11, 2, 22)},
      {kCase + "/contact/r80", At(2026, 11, 3, 5, 12)},
      {kCase + "/contact/l1", At(2026, 11, 3, 10)},
      {kCase + "/contact/l2", At(2026, 11, 4, 10)},
      {kCase + "/reply/r50", At(2026, 11, 5, 22)},
      {kCase + "/contact/l3", At(2026, 11, 6, 10)},
      {kCase + "/reply/r80", At(2026, 11, 8, 0, 24)},
      {kCase + "/reply/l1", At(2026, 11, 9, 10)},
      {kCase + "/reply/l2", At(2026, 11, 10, 10)},
      {kCase + "/reply/l3", At(2026, 11, 12, 10)},
  };
  return kSchedule;
}

/// Ticks `stored` every `step` from T0 to `until`, keeping the stored case between ticks.
std::vector<Raised> Simulate(const Rules& rules, v1::StoredCase& stored, core::Duration step,
                             core::TimePoint until) {
  std::vector<Raised> raised;
  for (core::TimePoint now = T0(); now <= until; now += step) {
    auto change = rules->Tick(stored, now);
    if (!change.changed) {
      CHECK(change.events.empty());
      continue;
    }
    stored = change.stored;
    for (const auto& out : change.events) {
      raised.push_back({out.event_id, now, out.event.deadline_alarm(),
                        stored.complaint_case().supervision_level()});
    }
  }
  return raised;
}

TEST_CASE("each reminder and each ladder rung is raised exactly once over the timeline",
          "[rules][tick]") {
  const Rules rules;
  auto stored = Opened(rules);
  const auto raised = Simulate(rules, stored, std::chrono::minutes(7), At(2026, 11, 14));
  REQUIRE(raised.size() == Schedule().size());
  for (size_t i = 0; i < raised.size(); ++i) {
    INFO(raised[i].id);
    CHECK(raised[i].id == Schedule()[i].first);
    CHECK(raised[i].alarm.alarm_id() == Schedule()[i].first);
    CHECK(Show(sla::FromTimestamp(raised[i].alarm.at())) == Show(Schedule()[i].second));
    // Raised at the first tick at or after its time.
    CHECK(raised[i].tick >= Schedule()[i].second);
    CHECK(raised[i].tick < Schedule()[i].second + std::chrono::minutes(7));
    CHECK(raised[i].alarm.case_id() == kCase);
    CHECK(raised[i].alarm.department_id() == "marketing");
    CHECK(raised[i].alarm.coordination_department_id().empty());
  }
  CHECK(stored.fired_alarms_size() == 10);
  CHECK_FALSE(rules->NextTimer(stored).has_value());
  // The supervision level follows the rungs and never goes down.
  const std::map<std::string, int> level_after = {
      {kCase + "/contact/r50", 0}, {kCase + "/contact/r80", 0}, {kCase + "/contact/l1", 1},
      {kCase + "/contact/l2", 2},  {kCase + "/reply/r50", 2},   {kCase + "/contact/l3", 3},
      {kCase + "/reply/r80", 3},   {kCase + "/reply/l1", 3},    {kCase + "/reply/l2", 3},
      {kCase + "/reply/l3", 3}};
  for (const auto& r : raised) CHECK(r.level_after == level_after.at(r.id));
}

TEST_CASE("reminders and rungs carry the clock, the role and who must act", "[rules][tick]") {
  const Rules rules;
  auto stored = Opened(rules);
  const auto raised = Simulate(rules, stored, std::chrono::hours(1), At(2026, 11, 7));
  REQUIRE(raised.size() == 6);
  const auto& r50 = raised[0].alarm;
  CHECK_FALSE(r50.overdue());
  CHECK(r50.percent_elapsed() == 50);
  CHECK(r50.supervision_level() == 0);
  CHECK(r50.escalated_to() == "handler");
  CHECK(r50.clock().kind() == v1::ServiceClock::KIND_COMPLAINT_CONTACT);
  // No handler yet: the department's unit must act.
  CHECK(r50.must_act().kind() == v1::Actor::KIND_DEPARTMENT);
  CHECK(r50.must_act().id() == "marketing");
  CHECK(r50.must_act().display_name() == "营销部 文乐供电所 / Marketing, Wenle supply office");
  const auto& l1 = raised[2].alarm;
  CHECK(l1.overdue());
  CHECK(l1.supervision_level() == 1);
  CHECK(l1.escalated_to() == "department-head");
  CHECK(l1.must_act().kind() == v1::Actor::KIND_SUPERVISOR);
  CHECK(l1.must_act().id() == "mkt-head");
  CHECK_THAT(l1.must_act().display_name(), Catch::Contains("部门负责人 / Department head"));
  const auto& l2 = raised[3].alarm;
  CHECK(l2.supervision_level() == 2);
  CHECK(l2.must_act().id() == "service-dispatch-centre");
  CHECK(l2.must_act().display_name() == "供电服务指挥中心 / Service dispatch centre");
  const auto& l3 = raised[5].alarm;
  CHECK(l3.supervision_level() == 3);
  CHECK(l3.escalated_to() == "company-leadership");
  CHECK(l3.must_act().id() == "company-leadership");
  // Timeline steps in both languages.
  const auto& timeline = stored.complaint_case().timeline();
  const auto& reminder_step = timeline[2];  // after opened and routed
  CHECK(reminder_step.event_type() == "gridcare.complaint_case.deadline_alarm_raised.v1");
  CHECK(reminder_step.description().zh_cn() == "时限已过50%，请及时处理");
  CHECK(reminder_step.description().en() == "50% of the time used: reminder");
  CHECK(timeline[4].description().zh_cn() == "已超期，升级至第1级督办");
  CHECK(timeline[4].description().en() == "Overdue: supervision level 1");
  SECTION("a handler on the case is named for reminders") {
    auto taken = Ok(rules->Take(Opened(rules), TakeReq("mkt-wl-02"), T0() + 1h)).stored;
    const auto tick = rules->Tick(taken, At(2026, 11, 2, 22));
    REQUIRE(tick.events.size() == 1);
    CHECK(tick.events[0].event.deadline_alarm().must_act().id() == "mkt-wl-02");
    CHECK(tick.events[0].event.deadline_alarm().must_act().display_name() == "黄志强");
  }
}

TEST_CASE("ticking only when the durable timer fires raises the same alarms", "[rules][tick]") {
  const Rules rules;
  auto stored = Opened(rules);
  std::vector<std::string> ids;
  std::vector<core::TimePoint> ticks;
  for (int guard = 0; guard < 50; ++guard) {
    const auto next = rules->NextTimer(stored);
    if (!next) break;
    ticks.push_back(*next);
    const auto change = rules->Tick(stored, *next);
    REQUIRE(change.changed);
    stored = change.stored;
    for (const auto& out : change.events) ids.push_back(out.event_id);
  }
  REQUIRE(ids.size() == Schedule().size());
  for (size_t i = 0; i < ids.size(); ++i) {
    CHECK(ids[i] == Schedule()[i].first);
    CHECK(Show(ticks[i]) == Show(Schedule()[i].second));
  }
}

TEST_CASE("a late tick raises every missed alarm at once, earliest first", "[rules][tick]") {
  const Rules rules;
  const auto change = rules->Tick(Opened(rules), At(2026, 11, 4, 12));
  std::vector<std::string> ids;
  for (const auto& out : change.events) ids.push_back(out.event_id);
  CHECK(ids == std::vector<std::string>{kCase + "/contact/r50", kCase + "/contact/r80",
                                        kCase + "/contact/l1", kCase + "/contact/l2"});
  CHECK(change.stored.complaint_case().supervision_level() == 2);
  // Ticks do not enter the applied-input memory; the fired alarms remember them.
  CHECK(change.stored.applied_size() == 1);
  CHECK(change.stored.fired_alarms_size() == 4);
  CHECK(change.stored.version() == 2);
  const auto again = rules->Tick(change.stored, At(2026, 11, 4, 12));
  CHECK_FALSE(again.changed);
  CHECK(again.events.empty());
  CHECK(again.stored.SerializeAsString() == change.stored.SerializeAsString());
}

TEST_CASE("met clocks, replied and closed cases raise nothing", "[rules][tick]") {
  const Rules rules;
  // Contacted before the contact deadline: only the reply clock's alarms.
  auto contacted = Contacted(rules);
  auto change = rules->Tick(contacted, At(2026, 11, 6, 0));
  REQUIRE(change.events.size() == 1);
  CHECK(change.events[0].event_id == kCase + "/reply/r50");
  CHECK(rules->Tick(Replied(rules), At(2026, 11, 20)).events.empty());
  CHECK_FALSE(rules->NextTimer(Replied(rules)).has_value());
  // A manual escalation is not lowered by a later rung of a lower level.
  auto escalated =
      Ok(rules->Escalate(Opened(rules), EscalateReq("mkt-wl-02", "e1"), T0() + 1h)).stored;
  escalated = Ok(rules->Escalate(escalated, EscalateReq("mkt-wl-02", "e2"), T0() + 2h)).stored;
  change = rules->Tick(escalated, At(2026, 11, 3, 10));
  CHECK(change.events.size() == 3);
  CHECK(change.stored.complaint_case().supervision_level() == 2);
}

TEST_CASE("a coordination part's sub-deadline names the department holding the reply up",
          "[rules][tick][coordination]") {
  const Rules rules;
  // Parts asked Mon 12:00 for 2 working days: due Wed 12:00; reminders Tue 12:00 and Wed 02:24.
  auto stored =
      Ok(rules->RequestCoordination(Contacted(rules), CoordinateReq("mkt-wl-02", {"metering"}),
                                    T0() + 2h, Calendar()))
          .stored;
  const auto change = rules->Tick(stored, At(2026, 11, 4, 12));
  std::vector<std::string> ids;
  for (const auto& out : change.events) ids.push_back(out.event_id);
  CHECK(ids == std::vector<std::string>{kCase + "/part/metering/r50", kCase + "/part/metering/r80",
                                        kCase + "/part/metering/l1"});
  const auto& reminder = change.events[0].event.deadline_alarm();
  CHECK(reminder.coordination_department_id() == "metering");
  CHECK(reminder.department_id() == "metering");
  CHECK(reminder.must_act().id() == "metering");  // the metering centre's queue, not the lead
  CHECK(reminder.must_act().display_name() == "计量中心 / Metering centre");
  const auto& rung = change.events[2].event.deadline_alarm();
  CHECK(rung.overdue());
  CHECK(rung.must_act().id() == "met-head");
  // Only the first rung for a part; none once it is answered.
  CHECK(rules->Tick(change.stored, At(2026, 11, 8)).events.size() == 1);  // reply/r50
  const auto answered = Ok(
      rules->AnswerCoordination(stored, AnswerReq("met-01", "metering", "a1"), At(2026, 11, 3, 9)));
  const auto after = rules->Tick(answered.stored, At(2026, 11, 4, 12));
  CHECK(after.events.empty());
}

TEST_CASE("a policy with other reminders and rungs drives the alarms", "[rules][tick]") {
  const auto rules = Rules::FromJson(R"({
    "reminder_percents": [25],
    "ladder": [{"level": 1, "role": "department-head", "after_breach_hours": 2},
               {"level": 2, "role": "company-leadership", "after_breach_hours": 4}]
  })");
  auto stored = Opened(rules);
  const auto change = rules->Tick(stored, At(2026, 11, 3, 14));
  std::vector<std::string> ids;
  for (const auto& out : change.events) ids.push_back(out.event_id);
  // Contact [Mon 10:00, Tue 10:00]: r25 Mon 16:00, l1 Tue 12:00, l2 Tue 14:00; reply r25 is
  // Wed 04:00.
  CHECK(ids == std::vector<std::string>{kCase + "/contact/r25", kCase + "/contact/l1",
                                        kCase + "/contact/l2"});
  CHECK(change.stored.complaint_case().supervision_level() == 2);
  CHECK(Show(sla::FromTimestamp(change.events[1].event.deadline_alarm().at())) ==
        Show(At(2026, 11, 3, 12)));
}

}  // namespace
}  // namespace gridcare::complaint
