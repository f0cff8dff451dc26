// The synthetic utility's roster (2,000 customers, seed 42) covers every feeder for low-voltage
// faults by day and by night, every day of the week.
#include <catch2/catch.hpp>
#include <chrono>

#include "assignment.h"
#include "dispatch_test_util.h"
#include "gridcare/synth/utility.h"

using namespace gridcare;
using namespace gridcare::dispatch;
using namespace gridcare::dispatch::testing;

namespace {

std::vector<CrewState> RosterAt(const synth::Utility& utility, core::TimePoint now) {
  std::vector<CrewState> crews;
  for (const auto& crew : utility.crews()) {
    crews.push_back(CrewStateFromProto(crew));
    crews.back().position_at = now;  // at the depot, reporting
  }
  return crews;
}

}  // namespace

TEST_CASE("every feeder of the 2,000-customer fixture has a low-voltage crew at 10:00 and 02:00") {
  synth::UtilitySpec spec;
  spec.seed = 42;
  spec.customers = 2'000;
  auto utility = synth::Utility::Create(spec);
  REQUIRE(utility.ok());
  const auto& feeders = utility->network().feeders();
  REQUIRE_FALSE(feeders.empty());
  REQUIRE_FALSE(utility->crews().empty());

  int checked = 0;
  for (int day = 1; day <= 7; ++day) {  // Monday 1 June .. Sunday 7 June 2026
    for (int hour : {10, 2}) {
      const core::TimePoint now = Local(2026, 6, day, hour);
      const std::vector<CrewState> crews = RosterAt(*utility, now);
      for (const auto& feeder : feeders) {
        Job job;
        job.work_order_id = "WO-" + feeder.id;
        job.required_skill = v1::CREW_SKILL_LOW_VOLTAGE;
        job.feeder_id = feeder.id;
        job.location = {feeder.location.latitude, feeder.location.longitude};
        job.area_class = feeder.area_class;
        const Ranking ranking = RankCrews(job, crews, now, {});
        INFO(feeder.id << " on 2026-06-0" << day << " at " << hour << ":00");
        REQUIRE_FALSE(ranking.candidates.empty());
        for (const auto& candidate : ranking.candidates) {
          CHECK(candidate.eta < std::chrono::hours{2});
        }
        ++checked;
      }
    }
  }
  CHECK(checked == static_cast<int>(feeders.size()) * 14);
}

TEST_CASE("the fixture's crews take a job only inside their depot's territory") {
  synth::UtilitySpec spec;
  spec.seed = 42;
  auto utility = synth::Utility::Create(spec);
  REQUIRE(utility.ok());
  const core::TimePoint now = Local(2026, 6, 3, 10);
  const std::vector<CrewState> crews = RosterAt(*utility, now);
  for (const auto& depot : utility->roster().depots) {
    for (const auto& feeder_id : depot.feeder_ids) {
      Job job;
      job.work_order_id = "WO-1";
      job.required_skill = v1::CREW_SKILL_LOW_VOLTAGE;
      job.feeder_id = feeder_id;
      const auto* feeder = utility->network().FindFeeder(feeder_id);
      REQUIRE(feeder != nullptr);
      job.location = {feeder->location.latitude, feeder->location.longitude};
      job.area_class = feeder->area_class;
      for (const auto& candidate : RankCrews(job, crews, now, {}).candidates) {
        CHECK(candidate.crew_id.rfind("CREW-" + depot.id.substr(6) + "-", 0) == 0);
      }
    }
  }
}
