#include "gridcare/synth/storm.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "fixtures.h"

using namespace gridcare::synth;
using gridcare::synth::testing::Fixture2k;
using gridcare::synth::testing::Make;
using gridcare::synth::testing::SpecFor;
using namespace std::chrono_literals;

TEST_CASE(
    "a feeder storm calls from the chosen areas of one feeder, in time order, distinct callers",
    "[storm]") {
  const auto& utility = Fixture2k();
  FeederStormSpec spec;
  spec.seed = 7;
  spec.transformer_areas = 3;
  spec.calls_per_transformer = 8;
  spec.single_calls = 3;
  spec.duration = 3s;
  const auto plan = PlanFeederStorm(utility, spec);
  REQUIRE(plan.ok());
  const auto& network = utility.network();
  REQUIRE(plan->transformer_ids.size() == 3);
  REQUIRE(plan->feeder_calls.size() == 24);
  std::set<int64_t> callers;
  std::map<std::string, int> per_area;
  for (size_t i = 0; i < plan->feeder_calls.size(); ++i) {
    const auto& call = plan->feeder_calls[i];
    const auto& area = network.TransformerOf(call.customer_index);
    CHECK(area.feeder_id == plan->feeder_id);
    ++per_area[area.id];
    CHECK(callers.insert(call.customer_index).second);
    CHECK(call.after >= 0ms);
    CHECK(call.after <= spec.duration);
    if (i > 0) CHECK(plan->feeder_calls[i - 1].after <= call.after);
  }
  CHECK(per_area.size() == 3);
  for (const auto& [area, calls] : per_area) CHECK(calls == 8);
  REQUIRE(plan->single_calls.size() == 3);
  std::set<std::string> single_feeders;
  for (const auto& call : plan->single_calls) {
    const auto& area = network.TransformerOf(call.customer_index);
    CHECK(area.feeder_id != plan->feeder_id);
    CHECK(single_feeders.insert(area.feeder_id).second);
  }
}

TEST_CASE("the same seed plans the same storm, another seed another", "[storm]") {
  const auto& utility = Fixture2k();
  FeederStormSpec spec;
  spec.seed = 11;
  const auto a = PlanFeederStorm(utility, spec);
  const auto b = PlanFeederStorm(utility, spec);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->feeder_id == b->feeder_id);
  REQUIRE(a->feeder_calls.size() == b->feeder_calls.size());
  for (size_t i = 0; i < a->feeder_calls.size(); ++i) {
    CHECK(a->feeder_calls[i].customer_index == b->feeder_calls[i].customer_index);
    CHECK(a->feeder_calls[i].after == b->feeder_calls[i].after);
  }
  bool differs = false;
  for (uint64_t seed = 12; seed < 20 && !differs; ++seed) {
    spec.seed = seed;
    const auto other = PlanFeederStorm(utility, spec);
    REQUIRE(other.ok());
    differs = other->feeder_calls.front().customer_index != a->feeder_calls.front().customer_index;
  }
  CHECK(differs);
}

TEST_CASE("impossible feeder storms are refused with a reason", "[storm]") {
  const auto& utility = Fixture2k();
  FeederStormSpec spec;
  spec.transformer_areas = 0;
  CHECK(PlanFeederStorm(utility, spec).error().kind == gridcare::core::ErrorKind::kInvalidArgument);
  spec.transformer_areas = 500;  // no feeder of the fixture has that many areas
  const auto none = PlanFeederStorm(utility, spec);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().kind == gridcare::core::ErrorKind::kNotFound);
}

TEST_CASE("a wide storm spreads distinct callers over the requested areas in proportion to size",
          "[storm]") {
  const auto utility = Make(SpecFor(50'000));
  WideStormSpec spec;
  spec.seed = 3;
  spec.calls = 5'000;
  spec.transformer_areas = 100;
  spec.duration = 10min;
  const auto calls = PlanWideStorm(utility, spec);
  REQUIRE(calls.ok());
  REQUIRE(calls->size() == 5'000);
  std::set<int64_t> callers;
  std::map<int32_t, int64_t> per_area;
  for (size_t i = 0; i < calls->size(); ++i) {
    const auto& call = (*calls)[i];
    CHECK(callers.insert(call.customer_index).second);
    ++per_area[utility.network().TransformerIndexOf(call.customer_index)];
    if (i > 0) CHECK((*calls)[i - 1].after <= call.after);
    CHECK(call.after < spec.duration);
  }
  CHECK(per_area.size() == 100);
  for (const auto& [area, count] : per_area) {
    CHECK(count <= utility.network().transformers()[area].customers.size());
  }
  spec.calls = 10'000'000;  // more than the areas' customers
  CHECK(PlanWideStorm(utility, spec).error().kind == gridcare::core::ErrorKind::kInvalidArgument);
}
