// Dispatcher::Tick and the service clocks: reminders and the overdue ladder raised once each from
// durable timers, arrival alarms replaced by restoration alarms once the crew is on site, merged
// and restored incidents silent, a failed tick retried with the same alarm ids.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "dispatch_clocks.h"
#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

struct Raised {
  std::string incident_id;
  v1::ServiceClock::Kind kind;
  int step;
  bool overdue;
  std::string role;
};

std::vector<Raised> Alarms(const std::vector<Published>& events) {
  std::vector<Raised> out;
  for (const auto& e : OfType(events, ce::kClockAlarm)) {
    const auto& alarm = e.event.clock_alarm();
    out.push_back({alarm.incident_id(), alarm.clock().kind(), alarm.ladder_step(), alarm.overdue(),
                   alarm.escalated_to()});
  }
  return out;
}

std::vector<int> Steps(const std::vector<Published>& events) {
  std::vector<int> out;
  for (const auto& a : Alarms(events)) out.push_back(a.step);
  return out;
}

TEST_CASE("the arrival clock raises its reminder and each overdue step once, at its time",
          "[dispatcher][clocks]") {
  Harness h;
  h.CallNow("t1", "c1");  // no crew: the job waits and the clock runs
  (void)h.Take();
  REQUIRE(h.memory.timers().count("INC-S-t1"));
  CHECK(h.memory.timers().at("INC-S-t1") == Ms(T0() + 35min));

  h.clock.Set(T0() + 35min - 1s);
  h.Tick();
  CHECK(Alarms(h.Take()).empty());

  h.clock.Set(T0() + 35min);
  h.Tick();
  {
    const auto events = h.Take();
    const auto alarm = One(events, ce::kClockAlarm);
    CHECK(alarm.key == "INC-S-t1");
    CHECK(alarm.ce_subject == "INC-S-t1");
    CHECK(alarm.ce_id == kafka::DeriveEventId("dispatch-alarm", "INC-S-t1/arrival/0"));
    const auto& raised = alarm.event.clock_alarm();
    CHECK(raised.incident_id() == "INC-S-t1");
    CHECK(raised.work_order_id() == "WO-S-t1");
    CHECK(raised.clock().kind() == v1::ServiceClock::KIND_ARRIVAL);
    CHECK(FromTs(raised.clock().due_at()) == T0() + 45min);
    CHECK(raised.ladder_step() == 0);
    CHECK_FALSE(raised.overdue());
    CHECK(raised.escalated_to() == "dispatcher");
  }
  CHECK(h.memory.timers().at("INC-S-t1") == Ms(T0() + 45min));
  CHECK(h.Snapshot().fired.at("INC-S-t1/arrival") == std::set<int>{0});

  // The same moment again raises nothing.
  h.Tick();
  CHECK(h.Take().empty());

  h.clock.Set(T0() + 45min);
  h.Tick();
  {
    const auto alarms = Alarms(h.Take());
    REQUIRE(alarms.size() == 1);
    CHECK(alarms[0].step == 1);
    CHECK(alarms[0].overdue);
    CHECK(alarms[0].role == "dispatcher");
  }
  h.clock.Set(T0() + 45min + 30min);
  h.Tick();
  {
    const auto alarms = Alarms(h.Take());
    REQUIRE(alarms.size() == 1);
    CHECK(alarms[0].step == 2);
    CHECK(alarms[0].role == "dispatch-supervisor");
  }
  // Three hours after the deadline: every missed rung at once.
  h.clock.Set(T0() + 45min + 3h);
  h.Tick();
  {
    const auto alarms = Alarms(h.Take());
    REQUIRE(alarms.size() == 3);
    CHECK(alarms[0].step == 3);
    CHECK(alarms[0].role == "county-manager");
    CHECK(alarms[2].step == 5);
  }
  h.clock.Set(T0() + 45min + 4h);
  h.Tick();
  CHECK(Steps(h.Take()) == std::vector<int>{6});
  // The ladder is exhausted: no timer is left.
  CHECK(h.memory.timers().count("INC-S-t1") == 0);
  h.clock.Advance(5h);
  h.Tick();
  CHECK(h.Take().empty());
}

TEST_CASE("catching up after a pause raises the overdue step but not the stale reminder",
          "[dispatcher][clocks]") {
  Harness h;
  h.CallNow("t1", "c1");
  (void)h.Take();
  h.clock.Set(T0() + 50min);
  h.Tick();
  CHECK(Steps(h.Take()) == std::vector<int>{1});
  h.Tick();
  CHECK(h.Take().empty());
}

TEST_CASE("alarms already raised stay raised across a restart", "[dispatcher][clocks][recovery]") {
  Harness h;
  h.CallNow("t1", "c1");
  h.clock.Set(T0() + 35min);
  h.Tick();
  CHECK(Steps(h.Take()) == std::vector<int>{0});
  h.Restart();
  h.Tick();
  CHECK(h.Take().empty());
  h.clock.Set(T0() + 45min);
  h.Tick();
  CHECK(Steps(h.Take()) == std::vector<int>{1});
}

TEST_CASE("once the crew is on site the arrival alarms stop and the restoration alarms follow",
          "[dispatcher][clocks]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  h.clock.Set(T0() + 20min);
  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "a-1");
  (void)h.Take();
  const auto arrived = T0() + 20min;
  CHECK(h.memory.timers().at("INC-S-t1") == Ms(arrived + 3h - 30min));

  h.clock.Set(T0() + 50min);  // past the arrival deadline: met, so silent
  h.Tick();
  CHECK(h.Take().empty());

  h.clock.Set(arrived + 3h - 30min);
  h.Tick();
  {
    const auto alarms = Alarms(h.Take());
    REQUIRE(alarms.size() == 1);
    CHECK(alarms[0].kind == v1::ServiceClock::KIND_RESTORATION);
    CHECK(alarms[0].step == 0);
    CHECK_FALSE(alarms[0].overdue);
  }
  h.clock.Set(arrived + 3h);
  h.Tick();
  {
    const auto alarms = Alarms(h.Take());
    REQUIRE(alarms.size() == 1);
    CHECK(alarms[0].kind == v1::ServiceClock::KIND_RESTORATION);
    CHECK(alarms[0].step == 1);
    CHECK(alarms[0].overdue);
  }
  CHECK(h.Snapshot().fired.at("INC-S-t1/restoration") == std::set<int>{0, 1});

  // Restored: the timer and the fired steps go.
  h.CrewDone(Completed("CREW-A", "WO-S-t1", true), "a-2");
  (void)h.Take();
  CHECK(h.memory.timers().empty());
  CHECK(h.Snapshot().fired.empty());
  h.clock.Advance(2h);
  h.Tick();
  CHECK(h.Take().empty());
}

TEST_CASE("a merged single-customer incident raises no alarms but its transformer incident does",
          "[dispatcher][clocks]") {
  Harness h;
  h.CallNow("t1", "c1");
  h.clock.Set(T0() + 5min);
  h.CallNow("t2", "c2");
  h.clock.Set(T0() + 10min);
  h.CallNow("t3", "c3");
  (void)h.Take();
  CHECK(h.memory.timers().count("INC-S-t1") == 0);
  CHECK(h.memory.timers().count("INC-S-t2") == 0);
  REQUIRE(h.memory.timers().count("INC-T-t3"));

  h.clock.Set(T0() + 35min);  // INC-S-t1's reminder time
  h.Tick();
  for (const auto& alarm : Alarms(h.Take())) CHECK(alarm.incident_id == "INC-T-t3");
  h.clock.Set(T0() + 2h);
  h.Tick();
  for (const auto& alarm : Alarms(h.Take())) CHECK(alarm.incident_id == "INC-T-t3");
}

TEST_CASE("an incident that absorbs earlier calls keeps the arrival deadline of its first call",
          "[dispatcher][clocks]") {
  Harness h;
  h.CallNow("t1", "c1", "F1", "T1");  // T0: promised a crew by T0+45m
  h.clock.Set(T0() + 10min);
  h.CallNow("t2", "c2", "F1", "T1");
  h.CallNow("t3", "c3", "F1", "T1");
  const auto incident = h.d().Incident("INC-T-t3");  // a copy: FindClock points into it
  REQUIRE(incident);
  const auto* arrival = FindClock(incident->clocks(), v1::ServiceClock::KIND_ARRIVAL);
  REQUIRE(arrival != nullptr);
  CHECK(FromTs(arrival->starts_at()) == T0());
  CHECK(FromTs(arrival->due_at()) == T0() + 45min);
  CHECK(FromTs(h.Order("WO-T-t3")->clocks(0).due_at()) == T0() + 45min);
  CHECK(h.memory.timers().at("INC-T-t3") == Ms(T0() + 35min));

  // A second transformer area a little later: the feeder incident keeps T0 as well.
  h.clock.Set(T0() + 12min);
  h.CallNow("t4", "c4", "F1", "T2");
  h.CallNow("t5", "c5", "F1", "T2");
  h.CallNow("t6", "c6", "F1", "T2");
  const auto feeder_incident = h.d().Incident("INC-F-t6");
  REQUIRE(feeder_incident);
  const auto* feeder = FindClock(feeder_incident->clocks(), v1::ServiceClock::KIND_ARRIVAL);
  REQUIRE(feeder != nullptr);
  CHECK(FromTs(feeder->due_at()) == T0() + 45min);
  CHECK(FromTs(h.Order("WO-F-t6")->clocks(0).due_at()) == T0() + 45min);

  h.clock.Set(T0() + 45min);
  h.Tick();
  const auto alarms = Alarms(h.Take());
  REQUIRE(alarms.size() == 1);
  CHECK(alarms[0].incident_id == "INC-F-t6");
  CHECK(alarms[0].step == 1);
}

TEST_CASE("a tick whose commit fails raises its alarms on the retry, once, with the same ids",
          "[dispatcher][clocks][idempotency]") {
  Harness h;
  h.CallNow("t1", "c1");
  (void)h.Take();
  h.clock.Set(T0() + 35min);
  h.memory.FailNextCommits(1);
  auto failed = h.d().Tick();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  CHECK(h.Take().empty());
  h.clock.Advance(2s);
  h.Tick();
  const auto events = h.Take();
  const auto alarm = One(events, ce::kClockAlarm);
  CHECK(alarm.ce_id == kafka::DeriveEventId("dispatch-alarm", "INC-S-t1/arrival/0"));
  h.Tick();
  CHECK(h.Take().empty());
}

TEST_CASE("one tick handles at most timers_per_tick due timers and the next tick the rest",
          "[dispatcher][clocks]") {
  DispatchSettings settings;
  settings.timers_per_tick = 1;
  Harness h(settings);
  h.CallNow("t1", "c1", "F1", "T1");
  h.clock.Advance(1min);
  h.CallNow("t2", "c2", "F2", "T9");
  (void)h.Take();
  h.clock.Set(T0() + 40min);
  h.Tick();
  auto first = Alarms(h.Take());
  REQUIRE(first.size() == 1);
  CHECK(first[0].incident_id == "INC-S-t1");  // the earliest timer first
  h.Tick();
  auto second = Alarms(h.Take());
  REQUIRE(second.size() == 1);
  CHECK(second[0].incident_id == "INC-S-t2");
}

}  // namespace
}  // namespace gridcare::dispatch
