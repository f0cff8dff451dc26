// The crew simulator's players and scheduler against the real CrewCore (in memory, no gRPC), with
// time driven by the test.
#include "crew_player.h"

#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "crew_fixture.h"
#include "dispatch_handler.h"
#include "gridcare/testing/process.h"
#include "simulation.h"

namespace gridcare::crew_sim {
namespace {

using repair_crew::JobAction;
using repair_crew::testing::Assigned;
using repair_crew::testing::CoreFixture;
using repair_crew::testing::Reassigned;
namespace testing = repair_crew::testing;
using namespace std::chrono_literals;

// CrewApi straight onto CrewCore. Can fail the next call before it reaches the core, or apply it
// and then "lose the answer" (the app cannot tell which happened).
class CoreApi final : public CrewApi {
 public:
  explicit CoreApi(repair_crew::CrewCore& core) : core_(core) {}

  core::Result<v1::ListCrewsResponse> ListCrews(const v1::ListCrewsRequest& request) override {
    return core_.ListCrews(request);
  }
  core::Result<v1::ListCrewJobsResponse> ListJobs(const std::string& crew_id) override {
    std::lock_guard lock(mutex_);
    ++list_jobs_calls_;
    v1::ListCrewJobsRequest request;
    request.set_crew_id(crew_id);
    return core_.ListJobs(request);
  }
  core::Result<v1::WorkOrder> Act(JobAction action, const v1::CrewJobRequest& request) override {
    if (auto failure = Inject(/*before=*/true)) return *failure;
    auto response = core_.Act(action, request, CoreFixture::Call());
    if (auto failure = Inject(/*before=*/false)) return *failure;
    if (!response) return response.error();
    return response->work_order();
  }
  core::Result<v1::WorkOrder> Complete(const v1::JobCompleted& report) override {
    v1::CompleteJobRequest request;
    *request.mutable_report() = report;
    auto response = core_.Complete(request, CoreFixture::Call());
    if (!response) return response.error();
    return response->work_order();
  }
  core::Status ReportLocation(const v1::LocationReported& report) override {
    v1::ReportLocationRequest request;
    *request.mutable_report() = report;
    auto response = core_.ReportLocation(request, CoreFixture::Call());
    if (!response) return response.error();
    return {};
  }

  void FailNextActBeforeIt() { fail_before_ = true; }
  void LoseNextActAnswer() { fail_after_ = true; }
  int list_jobs_calls() {
    std::lock_guard lock(mutex_);
    return list_jobs_calls_;
  }

 private:
  std::optional<core::Error> Inject(bool before) {
    std::lock_guard lock(mutex_);
    bool& flag = before ? fail_before_ : fail_after_;
    if (!flag) return std::nullopt;
    flag = false;
    return core::Unavailable("connection reset");
  }

  repair_crew::CrewCore& core_;
  std::mutex mutex_;
  bool fail_before_ = false;
  bool fail_after_ = false;
  int list_jobs_calls_ = 0;
};

class RecordingNarrator final : public Narrator {
 public:
  void Say(std::string_view crew_id, const std::string& text) override {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::string(crew_id) + " " + text);
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  bool Has(const std::string& part) {
    for (const auto& line : lines()) {
      if (line.find(part) != std::string::npos) return true;
    }
    return false;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

struct PlayerFixture : CoreFixture {
  CoreApi api{*core};
  RecordingNarrator narrator;
  SimStats stats;
  PlayerSettings settings;
  repair_crew::DispatchHandler dispatch{store, clock, nullptr};
  Steady t0 = std::chrono::steady_clock::now();

  void Dispatch(const v1::DispatchEvent& event) {
    kafka::ConsumedMessage message;
    message.topic = std::string(kafka::kDispatchTopic);
    message.value = event.SerializeAsString();
    REQUIRE(dispatch.Handle(message).disposition == kafka::HandleResult::Disposition::kDone);
  }

  CrewPlayer Player(const std::string& crew_id) {
    return CrewPlayer(crew_id, Crew(crew_id).position(), settings, api, narrator, stats);
  }

  std::vector<std::string> Types() {
    std::vector<std::string> types;
    for (const auto& record : publisher.records()) {
      const auto type = Header(record, "ce_type");
      if (type != "gridcare.crew.location_reported.v1") types.push_back(type);
    }
    return types;
  }

  /// Steps until the player wants to run later than `until`, like the scheduler would.
  Steady RunUntil(CrewPlayer& player, Steady from, Steady until) {
    Steady now = from;
    for (int i = 0; i < 10'000 && now <= until; ++i) {
      const Steady next = player.Step(now, clock.Now());
      now = std::max(next, now);
      if (next <= now) now += 1ms;
    }
    return now;
  }
};

}  // namespace

TEST_CASE("a crew plays a job from assignment to restoration") {
  PlayerFixture f;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  CrewPlayer player = f.Player("CREW-A");

  // First step: look at the queue, accept, start driving.
  Steady next = player.Step(f.t0, f.clock.Now());
  CHECK(f.Types() == std::vector<std::string>{"gridcare.crew.job_accepted.v1",
                                              "gridcare.crew.travel_started.v1"});
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_EN_ROUTE);
  CHECK(f.narrator.Has("CREW-A accepted WO-1; en route, ETA "));
  CHECK(next == f.t0);
  // 4.6 km urban at 25 km/h is 11 simulated minutes, 11 real seconds at x60. The ETA sent is the
  // wall-clock time of arrival, compressed.
  const auto en_route = CoreFixture::EventOf(f.publisher.records()[1]).en_route();
  CHECK(en_route.estimated_arrival_at().seconds() ==
        Approx(core::ToUnixMillis(f.clock.Now() + 11s) / 1000).margin(1));

  // Driving: position reports roughly every simulated minute (one real second at x60).
  Steady now = f.RunUntil(player, f.t0, f.t0 + 5s);
  CHECK_FALSE(player.Idle());
  const auto midway = f.Crew("CREW-A").position();
  CHECK(midway.latitude() > 23.13);
  CHECK(midway.latitude() < 23.15);
  CHECK(f.stats.location_reports.load() >= 4);
  CHECK(f.stats.location_reports.load() <= 7);

  // Arrival, then 20-90 simulated minutes of repair, then done.
  now = f.RunUntil(player, now, f.t0 + 2min);
  CHECK(f.Types() == std::vector<std::string>{
                         "gridcare.crew.job_accepted.v1", "gridcare.crew.travel_started.v1",
                         "gridcare.crew.arrived_on_site.v1", "gridcare.crew.job_completed.v1"});
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_COMPLETED);
  CHECK(f.Crew("CREW-A").position().latitude() == Approx(23.15));
  CHECK(f.Crew("CREW-A").availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  v1::JobCompleted completed;
  for (const auto& record : f.publisher.records()) {
    if (CoreFixture::EventOf(record).has_job_completed()) {
      completed = CoreFixture::EventOf(record).job_completed();
    }
  }
  CHECK(completed.restored());
  CHECK(completed.cause_code() == CauseFor(f.settings.seed, "WO-1").code);
  CHECK(completed.fix_code() == CauseFor(f.settings.seed, "WO-1").typical_fix);
  CHECK_FALSE(completed.cause().zh_cn().empty());  // the service filled the text
  CHECK(f.stats.accepted.load() == 1);
  CHECK(f.stats.arrived.load() == 1);
  CHECK(f.stats.completed.load() == 1);
  CHECK(f.stats.errors.load() == 0);
  CHECK(f.narrator.Has("CREW-A on site at WO-1 after 4."));
  CHECK(f.narrator.Has("CREW-A restored WO-1: " +
                       std::string(CauseFor(f.settings.seed, "WO-1").code)));
  CHECK(player.Idle());
}

TEST_CASE("at decline rate 1 every job is declined with a reason") {
  PlayerFixture f;
  f.settings.decline_rate = 1;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  CrewPlayer player = f.Player("CREW-A");
  player.Step(f.t0, f.clock.Now());
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_QUEUED);
  REQUIRE(f.Types() == std::vector<std::string>{"gridcare.crew.job_declined.v1"});
  CHECK_FALSE(CoreFixture::EventOf(f.publisher.records()[0]).job_declined().reason().empty());
  CHECK(f.stats.declined.load() == 1);
  CHECK(f.narrator.Has("CREW-A declined WO-1 ("));
  CHECK(player.Idle());
}

TEST_CASE("a job taken away mid-way is dropped, and the crew carries on") {
  PlayerFixture f;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  CrewPlayer player = f.Player("CREW-A");
  player.Step(f.t0, f.clock.Now());
  REQUIRE(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_EN_ROUTE);
  f.Dispatch(Reassigned("WO-1", "CREW-A", "CREW-B"));  // e.g. by a dispatcher
  f.RunUntil(player, f.t0, f.t0 + 30s);
  CHECK(f.stats.lost.load() == 1);
  CHECK(f.narrator.Has("CREW-A drops WO-1 (arrive on site: PERMISSION_DENIED)"));
  CHECK(player.Idle());
  CHECK(f.Job("WO-1").crew_id() == "CREW-B");
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ASSIGNED);
}

TEST_CASE("a busy crew answers a new job at once and works it after the current one") {
  PlayerFixture f;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  CrewPlayer player = f.Player("CREW-A");
  player.Step(f.t0, f.clock.Now());
  REQUIRE(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_EN_ROUTE);
  f.Dispatch(Assigned("WO-2", "CREW-A"));
  CHECK_FALSE(player.OfferQueue(std::vector<std::string>{"WO-1"}));  // nothing new
  CHECK(player.OfferQueue(f.Crew("CREW-A").work_order_ids()));
  player.Step(f.t0 + 1s, f.clock.Now());
  CHECK(f.Job("WO-2").state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(f.narrator.Has("CREW-A accepted WO-2; queued behind WO-1"));
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_EN_ROUTE);  // still driving to the first

  f.RunUntil(player, f.t0 + 1s, f.t0 + 5min);
  CHECK(f.Types() == std::vector<std::string>{
                         "gridcare.crew.job_accepted.v1", "gridcare.crew.travel_started.v1",
                         "gridcare.crew.job_accepted.v1", "gridcare.crew.arrived_on_site.v1",
                         "gridcare.crew.job_completed.v1", "gridcare.crew.travel_started.v1",
                         "gridcare.crew.arrived_on_site.v1", "gridcare.crew.job_completed.v1"});
  CHECK(f.Job("WO-2").state() == v1::WORK_ORDER_STATE_COMPLETED);
  CHECK(f.stats.accepted.load() == 2);
  CHECK(f.stats.completed.load() == 2);
}

TEST_CASE("a crew told its queue changed drops a job that left it without waiting to arrive") {
  PlayerFixture f;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  CrewPlayer player = f.Player("CREW-A");
  player.Step(f.t0, f.clock.Now());
  f.Dispatch(testing::Cancelled("WO-1", "CREW-A"));
  player.HintJobs();
  player.Step(f.t0 + 1s, f.clock.Now());
  CHECK(player.Idle());
  CHECK(f.stats.lost.load() == 1);
  CHECK(f.narrator.Has("CREW-A drops WO-1 (no longer in its queue)"));
}

TEST_CASE("the roster poll tells a driving crew that its job left the queue") {
  PlayerFixture f;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  CrewPlayer player = f.Player("CREW-A");
  CHECK(player.OfferQueue(std::vector<std::string>{"WO-1"}));  // new to an idle crew
  player.Step(f.t0, f.clock.Now());
  REQUIRE(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_EN_ROUTE);
  CHECK_FALSE(player.OfferQueue(std::vector<std::string>{"WO-1"}));  // still its job
  f.Dispatch(testing::Cancelled("WO-1", "CREW-A"));
  CHECK(player.OfferQueue(std::vector<std::string>{}));  // the queue no longer holds it
  player.Step(f.t0 + 1s, f.clock.Now());
  CHECK(player.Idle());
  CHECK(f.narrator.Has("CREW-A drops WO-1 (no longer in its queue)"));
  CHECK_FALSE(player.OfferQueue(std::vector<std::string>{}));  // idle with nothing: no news
}

TEST_CASE("after a failed call the crew re-reads its queue and continues where the job is") {
  PlayerFixture f;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  CrewPlayer player = f.Player("CREW-A");

  SECTION("the call never reached the service") {
    f.api.FailNextActBeforeIt();
    const Steady retry = player.Step(f.t0, f.clock.Now());
    CHECK(retry == f.t0 + f.settings.retry_after);
    CHECK(f.stats.errors.load() == 1);
    CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ASSIGNED);
    player.Step(retry, f.clock.Now());
  }
  SECTION("the service accepted but the answer was lost") {
    f.api.LoseNextActAnswer();
    const Steady retry = player.Step(f.t0, f.clock.Now());
    CHECK(f.stats.errors.load() == 1);
    CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ACCEPTED);
    player.Step(retry, f.clock.Now());  // ListJobs says ACCEPTED: start driving
  }
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_EN_ROUTE);
  CHECK(f.Types() == std::vector<std::string>{"gridcare.crew.job_accepted.v1",
                                              "gridcare.crew.travel_started.v1"});
  CHECK(f.stats.lost.load() == 0);
}

TEST_CASE("a crew picks up a job already under way (the simulator was restarted)") {
  PlayerFixture f;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  f.Dispatch(Assigned("WO-2", "CREW-B"));
  auto request = CoreFixture::JobRequest("CREW-A", "WO-1");
  REQUIRE(f.core->Act(JobAction::kAccept, request, CoreFixture::Call()).ok());
  REQUIRE(f.core->Act(JobAction::kStartTravel, request, CoreFixture::Call()).ok());
  request = CoreFixture::JobRequest("CREW-B", "WO-2");
  REQUIRE(f.core->Act(JobAction::kAccept, request, CoreFixture::Call()).ok());
  REQUIRE(f.core->Act(JobAction::kStartTravel, request, CoreFixture::Call()).ok());
  REQUIRE(f.core->Act(JobAction::kArriveOnSite, request, CoreFixture::Call()).ok());
  f.publisher.Clear();

  CrewPlayer driving = f.Player("CREW-A");
  CrewPlayer repairing = f.Player("CREW-B");
  f.RunUntil(driving, f.t0, f.t0 + 3min);
  f.RunUntil(repairing, f.t0, f.t0 + 3min);
  CHECK(f.narrator.Has("CREW-A resumes driving to WO-1"));
  CHECK(f.narrator.Has("CREW-B resumes repairing WO-2"));
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_COMPLETED);
  CHECK(f.Job("WO-2").state() == v1::WORK_ORDER_STATE_COMPLETED);
  CHECK(f.stats.completed.load() == 2);
  CHECK(f.stats.errors.load() == 0);
}

TEST_CASE(
    "an idle crew reports its position every few real seconds and lists jobs only when told") {
  PlayerFixture f;
  CrewPlayer player = f.Player("CREW-C");
  Steady next = player.Step(f.t0, f.clock.Now());
  CHECK(f.api.list_jobs_calls() == 1);  // the first look
  CHECK(f.stats.location_reports.load() == 1);
  CHECK(next == f.t0 + f.settings.idle_report_every);
  CHECK(player.Step(f.t0 + 1s, f.clock.Now()) == next);  // early wake: nothing due
  for (int i = 1; i <= 5; ++i) next = player.Step(next, f.clock.Now());
  CHECK(f.stats.location_reports.load() == 6);
  CHECK(f.api.list_jobs_calls() == 1);
  player.HintJobs();
  player.Step(next, f.clock.Now());
  CHECK(f.api.list_jobs_calls() == 2);
  const auto types = f.publisher.records();
  CHECK(CoreFixture::EventOf(types.back()).location_reported().speed_kmh() == 0);
}

TEST_CASE("the simulation plays several crews at once on a small pool") {
  PlayerFixture f;
  f.Dispatch(Assigned("WO-1", "CREW-A"));
  f.Dispatch(Assigned("WO-2", "CREW-B"));
  SimSettings settings;
  settings.player.time_scale = 20'000;  // a 90-minute repair is 0.27 s
  settings.threads = 2;
  settings.poll_every = 50ms;
  Simulation simulation(f.api, settings, f.narrator);
  REQUIRE(simulation.Start().ok());
  CHECK(simulation.crew_count() == 3);
  // A job given while the simulation runs is found by the roster poll.
  f.Dispatch(Assigned("WO-3", "CREW-C"));
  const bool done =
      gridcare::testing::WaitUntil([&] { return simulation.stats().completed.load() == 3; }, 20s);
  simulation.Stop();
  REQUIRE(done);
  for (const char* id : {"WO-1", "WO-2", "WO-3"}) {
    CHECK(f.Job(id).state() == v1::WORK_ORDER_STATE_COMPLETED);
  }
  CHECK(simulation.stats().errors.load() == 0);
  simulation.Stop();  // idempotent
}

TEST_CASE("the simulation plays only the crews it is given and names the unknown ones") {
  PlayerFixture f;
  SimSettings settings;
  settings.crews = {"CREW-B", "CREW-NOPE"};
  Simulation simulation(f.api, settings, f.narrator);
  REQUIRE(simulation.Start().ok());
  CHECK(simulation.crew_count() == 1);
  CHECK(simulation.missing_crews() == std::vector<std::string>{"CREW-NOPE"});
  simulation.Stop();
}

}  // namespace gridcare::crew_sim
