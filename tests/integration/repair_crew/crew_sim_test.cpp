// gridcare-crew-sim against the real repair-crew binary (real redis-server and devbroker): one
// assigned job played to restoration in bounded time, and a clean stop on SIGTERM.
#include <catch2/catch.hpp>
#include <thread>

#include "crew_stack.h"

namespace gridcare::repair_crew::testing {
namespace {

CrewStack& TheStack() {
  static CrewStack stack;
  return stack;
}

std::unique_ptr<ChildProcess> RunSimulator(CrewStack& stack, std::vector<std::string> extra,
                                           const std::string& log_name) {
  std::vector<std::string> args = {"--crew-service", stack.address(), "--seed", "7"};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::make_unique<ChildProcess>(gridcare::testing::ProgramPath("gridcare-crew-sim"), args,
                                        stack.dir.path() / log_name);
}

}  // namespace

TEST_CASE("the simulator plays an assigned job to restoration through CrewService") {
  auto& stack = TheStack();
  const std::string crew = stack.crew(0);
  const std::string idle = stack.crew(1);
  // A job about 3 km north of the crew's depot.
  v1::GeoPoint site = stack.GetCrew(crew).depot_location();
  site.set_latitude(site.latitude() + 0.027);
  stack.Assign("WO-SIM-1", crew, &site);
  REQUIRE(WaitUntil([&] { return stack.Holds(crew, "WO-SIM-1"); }, 30s));

  // x600: ~7 simulated minutes of driving is 0.7 s, at most 90 minutes of repair is 9 s.
  auto simulator =
      RunSimulator(stack, {"--time-scale", "600", "--duration", "20", "--crews", crew + "," + idle},
                   "crew-sim.log");
  REQUIRE(WaitUntil([&] { return !simulator->Running(); }, 60s));
  const int status = simulator->Stop();
  const std::string log = simulator->ReadLog();
  INFO(log);
  CHECK(status == 0);
  CHECK_THAT(log, Catch::Contains("playing 2 crews"));
  CHECK_THAT(log, Catch::Contains(crew + " accepted WO-SIM-1; en route, ETA"));
  CHECK_THAT(log, Catch::Contains(crew + " on site at WO-SIM-1"));
  CHECK_THAT(log, Catch::Contains(crew + " restored WO-SIM-1: "));
  CHECK_THAT(log, Catch::Contains("summary: 2 crews"));
  CHECK_THAT(log, Catch::Contains("restored 1"));

  const std::vector<std::string> expected = {
      "gridcare.crew.job_accepted.v1", "gridcare.crew.travel_started.v1",
      "gridcare.crew.arrived_on_site.v1", "gridcare.crew.job_completed.v1"};
  REQUIRE(WaitUntil([&] { return stack.CrewEventTypes("WO-SIM-1") == expected; }, 20s));
  v1::CrewEvent completed;
  REQUIRE(completed.ParseFromString(stack.CrewEvents("WO-SIM-1").back().value));
  CHECK(completed.job_completed().restored());
  CHECK_FALSE(completed.job_completed().cause_code().empty());
  CHECK_FALSE(completed.job_completed().cause().zh_cn().empty());

  const auto record = stack.GetCrew(crew);
  CHECK(record.work_order_ids_size() == 0);
  CHECK(record.availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  CHECK(record.position().latitude() == Approx(site.latitude()));
  // Both crews kept reporting where they are: the driving one along the way, the idle one every
  // few seconds.
  CHECK(stack.CrewEvents(crew).size() >= 4);
  CHECK(stack.CrewEvents(idle).size() >= 3);
}

TEST_CASE("the simulator stops cleanly on SIGTERM and prints its summary") {
  auto& stack = TheStack();
  auto simulator = RunSimulator(stack, {"--duration", "0", "--quiet"}, "crew-sim-sigterm.log");
  std::this_thread::sleep_for(3s);
  REQUIRE(simulator->Running());
  CHECK(simulator->Stop(std::chrono::seconds(15)) == 0);
  const std::string log = simulator->ReadLog();
  INFO(log);
  CHECK_THAT(log, Catch::Contains("summary: 15 crews"));
  CHECK_THAT(log, !Catch::Contains("playing "));  // --quiet: only the summary
  CHECK_THAT(log, !Catch::Contains("] CREW-"));
}

TEST_CASE("the simulator says what is wrong when it cannot start") {
  auto& stack = TheStack();
  gridcare::testing::ChildProcess no_target(gridcare::testing::ProgramPath("gridcare-crew-sim"),
                                            {"--duration", "1"}, stack.dir.path() / "none.log");
  REQUIRE(WaitUntil([&] { return !no_target.Running(); }, 10s));
  CHECK(no_target.Stop() == 2);
  CHECK_THAT(no_target.ReadLog(), Catch::Contains("--crew-service"));
  gridcare::testing::ChildProcess bad_flag(gridcare::testing::ProgramPath("gridcare-crew-sim"),
                                           {"--time-scale", "-3"}, stack.dir.path() / "bad.log");
  REQUIRE(WaitUntil([&] { return !bad_flag.Running(); }, 10s));
  CHECK(bad_flag.Stop() != 0);
}

}  // namespace gridcare::repair_crew::testing
