#include "gridcare/synth/roster.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "fixtures.h"

using namespace gridcare::synth;
using gridcare::synth::testing::Fixture2k;
using gridcare::synth::testing::Make;
using gridcare::synth::testing::SpecFor;

namespace {

void CheckRoster(const Utility& utility) {
  const auto& net = utility.network();
  const auto& roster = utility.roster();
  std::set<std::string> covered;
  std::set<std::string> crew_ids;
  for (const auto& depot : roster.depots) {
    std::set<int> depot_skills;
    CHECK(depot.crews.size() >= 5);
    for (auto c = depot.crews.begin; c < depot.crews.end; ++c) {
      const auto& crew = roster.crews[static_cast<size_t>(c)];
      CHECK(crew_ids.insert(crew.crew_id()).second);
      CHECK(crew.depot_id() == depot.id);
      CHECK(crew.name().ends_with("班"));
      CHECK((crew.members() >= 3 && crew.members() <= 6));
      CHECK(crew.skills_size() >= 2);
      CHECK(crew.shifts_size() >= 1);
      for (const auto& shift : crew.shifts()) {
        CHECK((shift.weekday_mask() > 0 && shift.weekday_mask() < 128));
        CHECK((shift.start_minute_of_day() >= 0 && shift.start_minute_of_day() < 1440));
        CHECK((shift.end_minute_of_day() >= 0 && shift.end_minute_of_day() < 1440));
      }
      CHECK(crew.position().latitude() == crew.depot_location().latitude());
      // Near every substation it serves.
      for (const auto s : net.districts()[static_cast<size_t>(depot.district)].substations) {
        CHECK(DistanceKm({crew.depot_location().latitude(), crew.depot_location().longitude()},
                         net.substations()[static_cast<size_t>(s)].location) < 75);
      }
      for (const int skill : crew.skills()) depot_skills.insert(skill);
      for (const auto& feeder_id : crew.territory_feeder_ids()) {
        REQUIRE(net.FindFeeder(feeder_id) != nullptr);
        covered.insert(feeder_id);
      }
    }
    // Any job in a depot's territory finds a crew with the skill.
    CHECK(depot_skills.size() == 6);
  }
  CHECK(covered.size() == net.feeders().size());
}

}  // namespace

TEST_CASE("the 2,000-customer roster covers every feeder and every skill") {
  const auto& utility = Fixture2k();
  CHECK(utility.crews().size() >= 10);
  CheckRoster(utility);
  // Around the clock: each depot has a day and a night crew.
  for (const auto& depot : utility.roster().depots) {
    bool day = false, night = false;
    for (auto c = depot.crews.begin; c < depot.crews.end; ++c) {
      for (const auto& shift : utility.crews()[static_cast<size_t>(c)].shifts()) {
        day |= shift.start_minute_of_day() <= 12 * 60 && shift.end_minute_of_day() > 12 * 60;
        night |= shift.end_minute_of_day() < shift.start_minute_of_day();
      }
    }
    CHECK(day);
    CHECK(night);
  }
}

TEST_CASE("a larger roster follows the workload: more areas per crew in remote districts") {
  const auto utility = Make(SpecFor(300'000));
  CheckRoster(utility);
  std::map<int, double> areas, crews;
  for (const auto& depot : utility.roster().depots) {
    crews[depot.area_class] += static_cast<double>(depot.crews.size());
  }
  for (const auto& area : utility.network().transformers()) areas[area.area_class] += 1;
  const auto per_crew = [&](int c) { return areas[c] / crews[c]; };
  CHECK(per_crew(gridcare::v1::AREA_CLASS_URBAN) < per_crew(gridcare::v1::AREA_CLASS_REMOTE));
  CHECK(per_crew(gridcare::v1::AREA_CLASS_URBAN) == Approx(9).margin(3));
  // Depots serve 1-3 substations each.
  for (const auto& district : utility.network().districts()) {
    CHECK((!district.substations.empty() && district.substations.size() <= 4));
  }
}
