// The crew side of a job's life: every command in every state, ownership, repeats, the queue and
// availability.
#include "job_rules.h"

#include <catch2/catch.hpp>
#include <optional>

#include "crew_fixture.h"

namespace gridcare::repair_crew {
namespace {

using testing::MakeCrew;
using testing::MakeJob;
using namespace std::chrono_literals;

constexpr JobAction kAllActions[] = {JobAction::kAccept, JobAction::kDecline,
                                     JobAction::kStartTravel, JobAction::kArriveOnSite,
                                     JobAction::kComplete};
constexpr v1::WorkOrderState kAllStates[] = {
    v1::WORK_ORDER_STATE_UNSPECIFIED, v1::WORK_ORDER_STATE_QUEUED,   v1::WORK_ORDER_STATE_ASSIGNED,
    v1::WORK_ORDER_STATE_ACCEPTED,    v1::WORK_ORDER_STATE_EN_ROUTE, v1::WORK_ORDER_STATE_ON_SITE,
    v1::WORK_ORDER_STATE_COMPLETED,   v1::WORK_ORDER_STATE_CANCELLED};

enum class Expect { kMove, kRepeat, kWrongState };

// The state machine written out independently of job_rules.cpp, as the issue states it.
Expect Expected(JobAction action, v1::WorkOrderState state) {
  using S = v1::WorkOrderState;
  switch (action) {
    case JobAction::kAccept:
      if (state == S::WORK_ORDER_STATE_ASSIGNED) return Expect::kMove;
      if (state == S::WORK_ORDER_STATE_ACCEPTED) return Expect::kRepeat;
      break;
    case JobAction::kDecline:
      if (state == S::WORK_ORDER_STATE_ASSIGNED || state == S::WORK_ORDER_STATE_ACCEPTED) {
        return Expect::kMove;
      }
      if (state == S::WORK_ORDER_STATE_QUEUED) return Expect::kRepeat;
      break;
    case JobAction::kStartTravel:
      if (state == S::WORK_ORDER_STATE_ACCEPTED) return Expect::kMove;
      if (state == S::WORK_ORDER_STATE_EN_ROUTE) return Expect::kRepeat;
      break;
    case JobAction::kArriveOnSite:
      if (state == S::WORK_ORDER_STATE_EN_ROUTE) return Expect::kMove;
      if (state == S::WORK_ORDER_STATE_ON_SITE) return Expect::kRepeat;
      break;
    case JobAction::kComplete:
      if (state == S::WORK_ORDER_STATE_ON_SITE) return Expect::kMove;
      if (state == S::WORK_ORDER_STATE_COMPLETED) return Expect::kRepeat;
      break;
  }
  return Expect::kWrongState;
}

v1::WorkOrderState ExpectedTarget(JobAction action) {
  switch (action) {
    case JobAction::kAccept:
      return v1::WORK_ORDER_STATE_ACCEPTED;
    case JobAction::kDecline:
      return v1::WORK_ORDER_STATE_QUEUED;
    case JobAction::kStartTravel:
      return v1::WORK_ORDER_STATE_EN_ROUTE;
    case JobAction::kArriveOnSite:
      return v1::WORK_ORDER_STATE_ON_SITE;
    case JobAction::kComplete:
      return v1::WORK_ORDER_STATE_COMPLETED;
  }
  return v1::WORK_ORDER_STATE_UNSPECIFIED;
}

}  // namespace

TEST_CASE("every command in every job state: move, repeat or FAILED_PRECONDITION") {
  const v1::Crew crew = MakeCrew("CREW-A");
  for (const auto action : kAllActions) {
    for (const auto state : kAllStates) {
      const v1::WorkOrder job = MakeJob("WO-1", "CREW-A", state);
      INFO(JobActionName(action) << " in " << StateName(state));
      auto decision = DecideJobAction("CREW-A", &crew, "WO-1", &job, action);
      switch (Expected(action, state)) {
        case Expect::kMove:
          REQUIRE(decision.ok());
          CHECK_FALSE(decision->repeat);
          CHECK(decision->new_state == ExpectedTarget(action));
          CHECK(decision->leaves_queue ==
                (action == JobAction::kDecline || action == JobAction::kComplete));
          break;
        case Expect::kRepeat:
          REQUIRE(decision.ok());
          CHECK(decision->repeat);
          CHECK(decision->new_state == ExpectedTarget(action));
          break;
        case Expect::kWrongState:
          REQUIRE_FALSE(decision.ok());
          CHECK(decision.error().kind == core::ErrorKind::kFailedPrecondition);
          // The message says where the job is, so the app can show it.
          CHECK_THAT(decision.error().message, Catch::Contains("WO-1 is " + StateName(state)));
          break;
      }
    }
  }
}

TEST_CASE("a crew may only act on its own jobs") {
  const v1::Crew crew = MakeCrew("CREW-B");
  for (const auto action : kAllActions) {
    for (const auto state : kAllStates) {
      const v1::WorkOrder job = MakeJob("WO-7", "CREW-A", state);
      auto decision = DecideJobAction("CREW-B", &crew, "WO-7", &job, action);
      REQUIRE_FALSE(decision.ok());
      CHECK(decision.error().kind == core::ErrorKind::kPermissionDenied);
      CHECK_THAT(decision.error().message, Catch::Contains("WO-7"));
      CHECK_THAT(decision.error().message, Catch::Contains("CREW-B"));
    }
  }
  // A job held by nobody (a cancellation tombstone of a queued order) is nobody's to act on.
  const v1::WorkOrder orphan = MakeJob("WO-8", "", v1::WORK_ORDER_STATE_CANCELLED);
  auto decision = DecideJobAction("CREW-B", &crew, "WO-8", &orphan, JobAction::kAccept);
  REQUIRE_FALSE(decision.ok());
  CHECK(decision.error().kind == core::ErrorKind::kPermissionDenied);
}

TEST_CASE("unknown crews and jobs are NOT_FOUND, the crew first") {
  const v1::Crew crew = MakeCrew("CREW-A");
  const v1::WorkOrder job = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_ASSIGNED);
  auto no_crew = DecideJobAction("CREW-X", nullptr, "WO-1", &job, JobAction::kAccept);
  REQUIRE_FALSE(no_crew.ok());
  CHECK(no_crew.error().kind == core::ErrorKind::kNotFound);
  CHECK_THAT(no_crew.error().message, Catch::Contains("CREW-X"));
  auto no_job = DecideJobAction("CREW-A", &crew, "WO-404", nullptr, JobAction::kAccept);
  REQUIRE_FALSE(no_job.ok());
  CHECK(no_job.error().kind == core::ErrorKind::kNotFound);
  CHECK_THAT(no_job.error().message, Catch::Contains("WO-404"));
  auto neither = DecideJobAction("CREW-X", nullptr, "WO-404", nullptr, JobAction::kComplete);
  REQUIRE_FALSE(neither.ok());
  CHECK_THAT(neither.error().message, Catch::Contains("CREW-X"));
}

TEST_CASE("a declined job says so when its crew acts on it again") {
  const v1::Crew crew = MakeCrew("CREW-A");
  const v1::WorkOrder job = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_QUEUED);
  auto decision = DecideJobAction("CREW-A", &crew, "WO-1", &job, JobAction::kAccept);
  REQUIRE_FALSE(decision.ok());
  CHECK_THAT(decision.error().message, Catch::Contains("declined"));
  CHECK_THAT(decision.error().message, Catch::Contains("accept needs ASSIGNED"));
}

TEST_CASE("applying a decision moves the job, meets clocks and frees the crew") {
  const auto now = testing::StartTime();
  v1::Crew crew = MakeCrew("CREW-A");
  crew.add_work_order_ids("WO-1");
  crew.add_work_order_ids("WO-2");
  crew.set_availability(v1::CREW_AVAILABILITY_BUSY);
  v1::WorkOrder job = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_EN_ROUTE);

  auto arrive = DecideJobAction("CREW-A", &crew, "WO-1", &job, JobAction::kArriveOnSite);
  REQUIRE(arrive.ok());
  ApplyJobDecision(*arrive, now, false, crew, job);
  CHECK(job.state() == v1::WORK_ORDER_STATE_ON_SITE);
  REQUIRE(job.clocks(0).has_met_at());
  CHECK(job.clocks(0).met_at().seconds() == core::ToUnixMillis(now) / 1000);
  CHECK_FALSE(job.clocks(1).has_met_at());
  CHECK(crew.work_order_ids_size() == 2);

  // Completing without restoring supply leaves the restoration clock running.
  v1::WorkOrder unrestored = job;
  v1::Crew crew_copy = crew;
  auto complete = DecideJobAction("CREW-A", &crew, "WO-1", &job, JobAction::kComplete);
  REQUIRE(complete.ok());
  ApplyJobDecision(*complete, now + 30min, false, crew_copy, unrestored);
  CHECK_FALSE(unrestored.clocks(1).has_met_at());

  ApplyJobDecision(*complete, now + 30min, true, crew, job);
  CHECK(job.state() == v1::WORK_ORDER_STATE_COMPLETED);
  CHECK(job.clocks(1).has_met_at());
  CHECK(job.clocks(0).met_at().seconds() == core::ToUnixMillis(now) / 1000);  // kept
  REQUIRE(crew.work_order_ids_size() == 1);
  CHECK(crew.work_order_ids(0) == "WO-2");
  CHECK(crew.availability() == v1::CREW_AVAILABILITY_BUSY);  // still holds WO-2

  v1::WorkOrder second = MakeJob("WO-2", "CREW-A", v1::WORK_ORDER_STATE_ACCEPTED);
  auto decline = DecideJobAction("CREW-A", &crew, "WO-2", &second, JobAction::kDecline);
  REQUIRE(decline.ok());
  ApplyJobDecision(*decline, now, false, crew, second);
  CHECK(second.state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(second.crew_id() == "CREW-A");
  CHECK(crew.work_order_ids_size() == 0);
  CHECK(crew.availability() == v1::CREW_AVAILABILITY_AVAILABLE);

  // A repeat changes nothing at all.
  const std::string before = second.SerializeAsString();
  ApplyJobDecision(JobDecision{.repeat = true, .new_state = v1::WORK_ORDER_STATE_QUEUED}, now,
                   false, crew, second);
  CHECK(second.SerializeAsString() == before);
}

TEST_CASE("the queue holds each job once, in arrival order") {
  v1::Crew crew = MakeCrew("CREW-A");
  CHECK(AddToQueue(crew, "WO-1"));
  CHECK(AddToQueue(crew, "WO-2"));
  CHECK_FALSE(AddToQueue(crew, "WO-1"));
  REQUIRE(crew.work_order_ids_size() == 2);
  CHECK(crew.work_order_ids(0) == "WO-1");
  CHECK(InQueue(crew, "WO-2"));
  CHECK(RemoveFromQueue(crew, "WO-1"));
  CHECK_FALSE(RemoveFromQueue(crew, "WO-1"));
  CHECK_FALSE(InQueue(crew, "WO-1"));
  CHECK(crew.work_order_ids_size() == 1);
}

TEST_CASE("availability follows the queue but never overrides off shift or unreachable") {
  struct Case {
    v1::CrewAvailability before;
    bool holds_jobs;
    v1::CrewAvailability after;
  };
  const Case cases[] = {
      {v1::CREW_AVAILABILITY_AVAILABLE, true, v1::CREW_AVAILABILITY_BUSY},
      {v1::CREW_AVAILABILITY_AVAILABLE, false, v1::CREW_AVAILABILITY_AVAILABLE},
      {v1::CREW_AVAILABILITY_UNSPECIFIED, true, v1::CREW_AVAILABILITY_BUSY},
      {v1::CREW_AVAILABILITY_UNSPECIFIED, false, v1::CREW_AVAILABILITY_AVAILABLE},
      {v1::CREW_AVAILABILITY_BUSY, true, v1::CREW_AVAILABILITY_BUSY},
      {v1::CREW_AVAILABILITY_BUSY, false, v1::CREW_AVAILABILITY_AVAILABLE},
      {v1::CREW_AVAILABILITY_OFF_SHIFT, true, v1::CREW_AVAILABILITY_OFF_SHIFT},
      {v1::CREW_AVAILABILITY_OFF_SHIFT, false, v1::CREW_AVAILABILITY_OFF_SHIFT},
      {v1::CREW_AVAILABILITY_UNREACHABLE, true, v1::CREW_AVAILABILITY_UNREACHABLE},
      {v1::CREW_AVAILABILITY_UNREACHABLE, false, v1::CREW_AVAILABILITY_UNREACHABLE},
      {static_cast<v1::CrewAvailability>(42), false, static_cast<v1::CrewAvailability>(42)},
  };
  for (const auto& c : cases) {
    v1::Crew crew = MakeCrew("CREW-A", c.before);
    if (c.holds_jobs) crew.add_work_order_ids("WO-1");
    SettleAvailability(crew);
    INFO(AvailabilityName(c.before) << (c.holds_jobs ? " with" : " without") << " jobs");
    CHECK(crew.availability() == c.after);
  }
}

TEST_CASE("crews set their own availability within the queue rule") {
  v1::Crew idle = MakeCrew("CREW-A");
  v1::Crew working = MakeCrew("CREW-B", v1::CREW_AVAILABILITY_BUSY);
  working.add_work_order_ids("WO-1");

  SECTION("off shift is allowed any time, jobs or not") {
    for (const v1::Crew* crew : {&idle, &working}) {
      auto decision = DecideAvailability(*crew, v1::CREW_AVAILABILITY_OFF_SHIFT);
      REQUIRE(decision.ok());
      CHECK_FALSE(decision->repeat);
      CHECK(decision->availability == v1::CREW_AVAILABILITY_OFF_SHIFT);
    }
  }
  SECTION("busy needs a job") {
    auto without = DecideAvailability(idle, v1::CREW_AVAILABILITY_BUSY);
    REQUIRE_FALSE(without.ok());
    CHECK(without.error().kind == core::ErrorKind::kFailedPrecondition);
    CHECK_THAT(without.error().message, Catch::Contains("CREW-A"));
    auto with = DecideAvailability(working, v1::CREW_AVAILABILITY_BUSY);
    REQUIRE(with.ok());
    CHECK(with->repeat);
  }
  SECTION("available with jobs is recorded as busy; back from off shift too") {
    v1::Crew off = working;
    off.set_availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
    auto back = DecideAvailability(off, v1::CREW_AVAILABILITY_AVAILABLE);
    REQUIRE(back.ok());
    CHECK_FALSE(back->repeat);
    CHECK(back->availability == v1::CREW_AVAILABILITY_BUSY);
    auto same = DecideAvailability(working, v1::CREW_AVAILABILITY_AVAILABLE);
    REQUIRE(same.ok());
    CHECK(same->repeat);  // already BUSY, which is what AVAILABLE means with jobs
  }
  SECTION("the same availability again is a repeat") {
    auto again = DecideAvailability(idle, v1::CREW_AVAILABILITY_AVAILABLE);
    REQUIRE(again.ok());
    CHECK(again->repeat);
  }
}

TEST_CASE("names for messages and labels") {
  CHECK(StateName(v1::WORK_ORDER_STATE_EN_ROUTE) == "EN_ROUTE");
  CHECK(StateName(static_cast<v1::WorkOrderState>(99)) == "UNKNOWN");
  CHECK(AvailabilityName(v1::CREW_AVAILABILITY_OFF_SHIFT) == "OFF_SHIFT");
  CHECK(JobActionName(JobAction::kArriveOnSite) == "arrive_on_site");
  CHECK(IsOpenJobState(v1::WORK_ORDER_STATE_ON_SITE));
  CHECK_FALSE(IsOpenJobState(v1::WORK_ORDER_STATE_QUEUED));
  CHECK(IsTerminalJobState(v1::WORK_ORDER_STATE_CANCELLED));
  CHECK_FALSE(IsTerminalJobState(v1::WORK_ORDER_STATE_QUEUED));
}

}  // namespace gridcare::repair_crew
