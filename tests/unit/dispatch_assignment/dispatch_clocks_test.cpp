// Reminders and the supervision ladder of arrival and restoration clocks; the restoration clock.
#include "dispatch_clocks.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "dispatch_test_util.h"
#include "gridcare/sla/clocks.h"

using namespace gridcare;
using namespace gridcare::dispatch;
using namespace gridcare::dispatch::testing;
using namespace std::chrono_literals;
using Kind = v1::ServiceClock;

namespace {

const core::TimePoint kOpened = Monday(10);
const core::TimePoint kDue = kOpened + 45min;

v1::ServiceClock Clock(Kind::Kind kind, core::TimePoint starts, core::TimePoint due) {
  v1::ServiceClock clock;
  clock.set_kind(kind);
  *clock.mutable_starts_at() = sla::ToTimestamp(starts);
  *clock.mutable_due_at() = sla::ToTimestamp(due);
  return clock;
}

v1::ServiceClock Arrival() { return Clock(Kind::KIND_ARRIVAL, kOpened, kDue); }

std::vector<int> Steps(const std::vector<Alarm>& alarms) {
  std::vector<int> steps;
  for (const auto& alarm : alarms) steps.push_back(alarm.step);
  return steps;
}

std::set<int> Below(int step) {
  std::set<int> fired;
  for (int s = 0; s < step; ++s) fired.insert(s);
  return fired;
}

}  // namespace

TEST_CASE(
    "the default arrival schedule: reminder 10 min before, ladder at +0, +30, +60, then hourly") {
  const std::vector<Alarm> schedule = AlarmSchedule("WO-1", Arrival(), ClockAlarmSettings{});
  struct Row {
    int step;
    core::TimePoint fire_at;
    const char* role;
  };
  const std::vector<Row> expected = {
      {0, kDue - 10min, "dispatcher"},          {1, kDue, "dispatcher"},
      {2, kDue + 30min, "dispatch-supervisor"}, {3, kDue + 60min, "county-manager"},
      {4, kDue + 120min, "county-manager"},     {5, kDue + 180min, "county-manager"},
      {6, kDue + 240min, "county-manager"},
  };
  REQUIRE(schedule.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("step " << expected[i].step);
    CHECK(schedule[i].step == expected[i].step);
    CHECK(schedule[i].fire_at == expected[i].fire_at);
    CHECK(schedule[i].role == expected[i].role);
    CHECK(schedule[i].overdue == (expected[i].step > 0));
    CHECK(schedule[i].due_at == kDue);
    CHECK(schedule[i].kind == Kind::KIND_ARRIVAL);
  }
}

TEST_CASE("the restoration schedule reminds 30 min before") {
  const core::TimePoint arrived = kOpened + 40min;
  const v1::ServiceClock clock = Clock(Kind::KIND_RESTORATION, arrived, arrived + 3h);
  const std::vector<Alarm> schedule = AlarmSchedule("INC-1", clock, ClockAlarmSettings{});
  REQUIRE(schedule.size() == 7);
  CHECK(schedule[0].fire_at == arrived + 2h + 30min);
  CHECK(schedule[0].id == "INC-1/restoration/0");
  CHECK(schedule[1].fire_at == arrived + 3h);
}

TEST_CASE("every step fires at its boundary: not a second before, at it and after it") {
  const ClockAlarmSettings settings;
  for (auto kind : {Kind::KIND_ARRIVAL, Kind::KIND_RESTORATION}) {
    const v1::ServiceClock clock = Clock(kind, kOpened, kOpened + 3h);
    for (const Alarm& alarm : AlarmSchedule("WO-1", clock, settings)) {
      INFO(alarm.id);
      const std::set<int> earlier = Below(alarm.step);
      CHECK(AlarmsDue("WO-1", clock, alarm.fire_at - 1s, earlier, settings).empty());
      for (core::TimePoint now : {alarm.fire_at, alarm.fire_at + 1s}) {
        const std::vector<Alarm> due = AlarmsDue("WO-1", clock, now, earlier, settings);
        REQUIRE(due.size() == 1);
        CHECK(due[0].step == alarm.step);
        CHECK(due[0].id == alarm.id);
      }
      CHECK(NextAlarmAt(clock, earlier, settings) == alarm.fire_at);
    }
    CHECK_FALSE(NextAlarmAt(clock, Below(7), settings).has_value());
    CHECK(AlarmsDue("WO-1", clock, kOpened + 3h + 48h, Below(7), settings).empty());
  }
}

TEST_CASE("the deadline step agrees with sla::StateOf about the reminder window") {
  const v1::ServiceClock clock = Arrival();
  CHECK(sla::StateOf(clock, kDue - 10min - 1s, 10min) == sla::ClockState::kOnTime);
  CHECK(sla::StateOf(clock, kDue - 10min, 10min) == sla::ClockState::kDueSoon);
  CHECK(Steps(AlarmsDue("WO-1", clock, kDue - 10min, {}, {})) == std::vector<int>{0});
  CHECK(sla::StateOf(clock, kDue + 1s, 10min) == sla::ClockState::kOverdue);
  CHECK(Steps(AlarmsDue("WO-1", clock, kDue + 1s, {0}, {})) == std::vector<int>{1});
}

TEST_CASE("a met clock fires nothing and schedules nothing") {
  v1::ServiceClock clock = Arrival();
  *clock.mutable_met_at() = sla::ToTimestamp(kDue - 20min);
  CHECK(AlarmsDue("WO-1", clock, kDue + 5h, {}, {}).empty());
  CHECK_FALSE(NextAlarmAt(clock, {}, {}).has_value());
  // Met late: still nothing more.
  *clock.mutable_met_at() = sla::ToTimestamp(kDue + 40min);
  CHECK(AlarmsDue("WO-1", clock, kDue + 5h, {0, 1, 2}, {}).empty());
  CHECK_FALSE(NextAlarmAt(clock, {0, 1, 2}, {}).has_value());
}

TEST_CASE("clocks without a deadline or of other kinds raise no alarms here") {
  v1::ServiceClock no_due = Arrival();
  no_due.clear_due_at();
  CHECK(AlarmSchedule("WO-1", no_due, {}).empty());
  CHECK(AlarmsDue("WO-1", no_due, kDue + 1h, {}, {}).empty());
  CHECK_FALSE(NextAlarmAt(no_due, {}, {}).has_value());
  for (auto kind : {Kind::KIND_UNSPECIFIED, Kind::KIND_COMPLAINT_CONTACT,
                    Kind::KIND_COMPLAINT_REPLY, Kind::KIND_CONSULTATION_REPLY}) {
    const v1::ServiceClock clock = Clock(kind, kOpened, kDue);
    CHECK(AlarmsDue("T-1", clock, kDue + 1h, {}, {}).empty());
    CHECK_FALSE(NextAlarmAt(clock, {}, {}).has_value());
    CHECK(ClockAlarmSettings{}.For(kind) == nullptr);
  }
}

TEST_CASE("service application clocks share one policy: a day's reminder and a slower ladder") {
  const ClockAlarmSettings settings;
  for (auto kind : {Kind::KIND_APPLICATION_STAGE, Kind::KIND_APPLICATION_COMPLETION,
                    Kind::KIND_METER_DISPUTE_RESULT}) {
    CHECK(settings.For(kind) == &settings.application);
  }
  CHECK(Validate(settings).ok());
  const auto due = kOpened + 120h;
  const v1::ServiceClock clock = Clock(Kind::KIND_APPLICATION_STAGE, kOpened, due);
  const auto schedule = AlarmSchedule("APP-GC-1/documents_checked", clock, settings);
  REQUIRE(schedule.size() >= 4);
  CHECK(schedule[0].fire_at == due - 24h);
  CHECK(schedule[1].fire_at == due);
  CHECK(schedule[1].role == "dispatcher");
  CHECK(schedule[2].fire_at == due + 8h);
  CHECK(schedule[2].role == "dispatch-supervisor");
  CHECK(schedule[3].fire_at == due + 24h);
  CHECK(schedule[3].role == "county-manager");
  ClockAlarmSettings broken;
  broken.application.ladder = {{std::chrono::hours{8}, "a"}, {std::chrono::hours{1}, "b"}};
  CHECK_FALSE(Validate(broken).ok());
}

TEST_CASE("fired steps are not raised again") {
  const v1::ServiceClock clock = Arrival();
  CHECK(Steps(AlarmsDue("WO-1", clock, kDue + 31min, {0, 1}, {})) == std::vector<int>{2});
  CHECK(AlarmsDue("WO-1", clock, kDue + 31min, {0, 1, 2}, {}).empty());
  CHECK(NextAlarmAt(clock, {0, 1, 2}, {}) == kDue + 60min);
}

TEST_CASE("catching up after a restart raises the missed ladder steps, not the stale reminder") {
  const v1::ServiceClock clock = Arrival();
  CHECK(NextAlarmAt(clock, {}, {}) == kDue - 10min);  // in the past at kDue + 65min: fire now
  const std::vector<Alarm> due = AlarmsDue("WO-1", clock, kDue + 65min, {}, {});
  CHECK(Steps(due) == std::vector<int>{1, 2, 3});
  CHECK(due[2].role == "county-manager");
  // Once a ladder step fired the reminder no longer counts.
  CHECK(NextAlarmAt(clock, {1, 2, 3}, {}) == kDue + 120min);
  CHECK(NextAlarmAt(clock, {1}, {}) == kDue + 30min);
  // Before the deadline a late reminder still goes out.
  CHECK(Steps(AlarmsDue("WO-1", clock, kDue - 1s, {}, {})) == std::vector<int>{0});
}

TEST_CASE("a timer loop driven by NextAlarmAt raises every step once, in order") {
  const v1::ServiceClock clock = Arrival();
  std::set<int> fired;
  std::vector<int> raised;
  std::vector<core::TimePoint> times;
  while (auto next = NextAlarmAt(clock, fired, {})) {
    for (const Alarm& alarm : AlarmsDue("WO-1", clock, *next, fired, {})) {
      raised.push_back(alarm.step);
      times.push_back(*next);
      fired.insert(alarm.step);
    }
    REQUIRE(raised.size() < 20);
  }
  CHECK(raised == std::vector<int>{0, 1, 2, 3, 4, 5, 6});
  CHECK(times.front() == kDue - 10min);
  CHECK(times.back() == kDue + 4h);
}

TEST_CASE("alarm ids are stable and distinct") {
  CHECK(AlarmId("WO-1", Kind::KIND_ARRIVAL, 2) == "WO-1/arrival/2");
  CHECK(AlarmId("INC-7", Kind::KIND_RESTORATION, 0) == "INC-7/restoration/0");
  const v1::ServiceClock clock = Arrival();
  const auto first = AlarmSchedule("WO-1", clock, {});
  const auto again = AlarmsDue("WO-1", clock, kDue + 5h, {}, {});
  std::set<std::string> ids;
  for (const auto& alarm : first) ids.insert(alarm.id);
  CHECK(ids.size() == first.size());
  for (const auto& alarm : again) CHECK(ids.count(alarm.id) == 1);
  // A restoration clock of the same owner never collides with the arrival clock.
  const auto restoration =
      AlarmSchedule("WO-1", Clock(Kind::KIND_RESTORATION, kDue, kDue + 3h), {});
  for (const auto& alarm : restoration) CHECK(ids.count(alarm.id) == 0);
  CHECK(ClockKindName(Kind::KIND_METER_DISPUTE_RESULT) == "meter_dispute_result");
}

TEST_CASE("configurable ladders") {
  ClockAlarmSettings settings;
  settings.arrival.reminder_before = 0min;  // no reminder
  settings.arrival.ladder = {{5min, "dispatcher"}, {20min, "duty-chief"}};
  settings.arrival.repeat_every = 0min;  // no repeats
  settings.arrival.max_overdue_steps = 2;
  REQUIRE(Validate(settings).ok());
  const auto schedule = AlarmSchedule("WO-1", Arrival(), settings);
  REQUIRE(schedule.size() == 2);
  CHECK(schedule[0].step == 1);
  CHECK(schedule[0].fire_at == kDue + 5min);
  CHECK(schedule[1].role == "duty-chief");
  CHECK(AlarmsDue("WO-1", Arrival(), kDue + 4min, {}, settings).empty());

  settings.arrival.repeat_every = 15min;
  settings.arrival.max_overdue_steps = 4;
  const auto repeated = AlarmSchedule("WO-1", Arrival(), settings);
  REQUIRE(repeated.size() == 4);
  CHECK(repeated[3].fire_at == kDue + 50min);
  CHECK(repeated[3].role == "duty-chief");

  settings.arrival.ladder.clear();  // only a reminder
  settings.arrival.reminder_before = 5min;
  settings.arrival.max_overdue_steps = 0;
  REQUIRE(Validate(settings).ok());
  CHECK(Steps(AlarmSchedule("WO-1", Arrival(), settings)) == std::vector<int>{0});
  // With no ladder a missed reminder still goes out late.
  CHECK(Steps(AlarmsDue("WO-1", Arrival(), kDue + 1h, {}, settings)) == std::vector<int>{0});
}

TEST_CASE("a reminder window longer than the clock fires when the clock starts") {
  ClockAlarmSettings settings;
  settings.arrival.reminder_before = 60min;
  const auto schedule = AlarmSchedule("WO-1", Arrival(), settings);
  CHECK(schedule[0].fire_at == kOpened);
  v1::ServiceClock no_start = Arrival();
  no_start.clear_starts_at();
  CHECK(AlarmSchedule("WO-1", no_start, settings)[0].fire_at == kDue - 60min);
}

TEST_CASE("alarm settings validate") {
  CHECK(Validate(ClockAlarmSettings{}).ok());
  const auto error = [](auto change) {
    ClockAlarmSettings settings;
    change(settings);
    const core::Status status = Validate(settings);
    return status.ok() ? std::string() : status.error().message;
  };
  CHECK(error([](auto& s) { s.arrival.reminder_before = -1min; }).find("arrival.reminder_before") !=
        std::string::npos);
  CHECK(error([](auto& s) {
          s.restoration.ladder[1].after_due = 0min;
        }).find("restoration.ladder[1]") != std::string::npos);
  CHECK(error([](auto& s) { s.arrival.ladder[0].after_due = -5min; }).find("ladder[0]") !=
        std::string::npos);
  CHECK(error([](auto& s) { s.arrival.ladder[2].role.clear(); }).find("role") != std::string::npos);
  CHECK(error([](auto& s) { s.arrival.reminder_role.clear(); }).find("reminder_role") !=
        std::string::npos);
  CHECK(error([](auto& s) { s.arrival.repeat_every = -1min; }).find("repeat_every") !=
        std::string::npos);
  CHECK(error([](auto& s) { s.arrival.max_overdue_steps = 2; }).find("max_overdue_steps") !=
        std::string::npos);
  CHECK(error([](auto& s) { s.arrival.max_overdue_steps = 101; }).find("max_overdue_steps") !=
        std::string::npos);
}

TEST_CASE("the ClockAlarm event") {
  const v1::ServiceClock clock = Arrival();
  const auto due = AlarmsDue("INC-1", clock, kDue + 30min, {0, 1}, {});
  REQUIRE(due.size() == 1);
  const v1::ClockAlarm event = ToClockAlarm(due[0], clock, "INC-1", "WO-1");
  CHECK(event.incident_id() == "INC-1");
  CHECK(event.work_order_id() == "WO-1");
  CHECK(event.clock().kind() == Kind::KIND_ARRIVAL);
  CHECK(event.overdue());
  CHECK(event.ladder_step() == 2);
  CHECK(event.escalated_to() == "dispatch-supervisor");
  const v1::ClockAlarm reminder =
      ToClockAlarm(AlarmsDue("INC-1", clock, kDue - 5min, {}, {})[0], clock, "INC-1", "");
  CHECK_FALSE(reminder.overdue());
  CHECK(reminder.ladder_step() == 0);
  CHECK(reminder.escalated_to() == "dispatcher");
}

TEST_CASE("arrival meets the arrival clock and starts restoration, restoration meets both") {
  google::protobuf::RepeatedPtrField<v1::ServiceClock> clocks;
  *clocks.Add() = Arrival();
  const sla::ServiceStandards standards;
  const core::TimePoint arrived = kOpened + 30min;
  CHECK(MarkArrived(&clocks, v1::AREA_CLASS_URBAN, arrived, standards));
  REQUIRE(clocks.size() == 2);
  const v1::ServiceClock* arrival = FindClock(clocks, Kind::KIND_ARRIVAL);
  REQUIRE(arrival != nullptr);
  CHECK(sla::FromTimestamp(arrival->met_at()) == arrived);
  const v1::ServiceClock* restoration = FindClock(clocks, Kind::KIND_RESTORATION);
  REQUIRE(restoration != nullptr);
  CHECK(sla::FromTimestamp(restoration->starts_at()) == arrived);
  CHECK(sla::FromTimestamp(restoration->due_at()) == arrived + 3h);
  CHECK_FALSE(restoration->has_met_at());
  // Idempotent: a redelivered arrival changes nothing.
  CHECK_FALSE(MarkArrived(&clocks, v1::AREA_CLASS_URBAN, arrived + 5min, standards));
  CHECK(clocks.size() == 2);
  CHECK(sla::FromTimestamp(FindClock(clocks, Kind::KIND_ARRIVAL)->met_at()) == arrived);
  // The arrival clock is done; the restoration clock now raises alarms.
  CHECK(AlarmsDue("WO-1", *FindClock(clocks, Kind::KIND_ARRIVAL), kDue + 1h, {}, {}).empty());
  CHECK(Steps(AlarmsDue("WO-1", *restoration, arrived + 2h + 30min, {}, {})) ==
        std::vector<int>{0});

  CHECK(MarkRestored(&clocks, arrived + 2h));
  CHECK(sla::FromTimestamp(FindClock(clocks, Kind::KIND_RESTORATION)->met_at()) == arrived + 2h);
  CHECK_FALSE(MarkRestored(&clocks, arrived + 3h));
  CHECK(
      AlarmsDue("WO-1", *FindClock(clocks, Kind::KIND_RESTORATION), arrived + 5h, {}, {}).empty());
}

TEST_CASE("rural and remote restoration clocks, and restoration without an arrival report") {
  const sla::ServiceStandards standards;
  google::protobuf::RepeatedPtrField<v1::ServiceClock> rural;
  CHECK(MarkArrived(&rural, v1::AREA_CLASS_RURAL, kOpened, standards));  // no arrival clock
  REQUIRE(rural.size() == 1);
  CHECK(sla::FromTimestamp(rural[0].due_at()) == kOpened + 4h);
  google::protobuf::RepeatedPtrField<v1::ServiceClock> remote;
  CHECK(MarkArrived(&remote, v1::AREA_CLASS_REMOTE, kOpened, standards));
  CHECK(sla::FromTimestamp(remote[0].due_at()) == kOpened + 4h);

  // Restored by remote switching before any crew arrived: the arrival clock stops too.
  google::protobuf::RepeatedPtrField<v1::ServiceClock> clocks;
  *clocks.Add() = Arrival();
  *clocks.Add() = Clock(Kind::KIND_COMPLAINT_CONTACT, kOpened, kOpened + 24h);
  CHECK(MarkRestored(&clocks, kOpened + 20min));
  CHECK(clocks[0].has_met_at());
  CHECK_FALSE(clocks[1].has_met_at());  // not dispatch's clock
  CHECK(FindClock(clocks, Kind::KIND_RESTORATION) == nullptr);
  v1::ServiceClock* mutable_arrival = FindClock(&clocks, Kind::KIND_ARRIVAL);
  REQUIRE(mutable_arrival != nullptr);
  CHECK(mutable_arrival == &clocks[0]);
}
