#pragma once

// Storm plans: who calls in, and when, when weather trips part of a synthetic utility. The same
// seed gives the same plan, so the end-to-end test, the run command's scenario and the storm
// benchmark can all name their callers and check the outcome.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/synth/utility.h"

namespace gridcare::synth {

/// One fault call: a customer (index into the utility) reporting at `after` from the storm's
/// start.
struct StormCall {
  int64_t customer_index = 0;
  std::chrono::milliseconds after{0};
};

/// A tripped feeder: callers from several of its transformer areas, plus unrelated single calls
/// from customers elsewhere (each on a feeder of its own, far from the storm).
struct FeederStormPlan {
  std::string feeder_id;
  std::vector<std::string> transformer_ids;  ///< the feeder's areas that call in
  std::vector<StormCall> feeder_calls;       ///< in time order
  std::vector<StormCall> single_calls;       ///< one per other feeder, in time order
};

struct FeederStormSpec {
  uint64_t seed = 1;
  int transformer_areas = 4;      ///< of the tripped feeder that call in (the feeder needs them)
  int calls_per_transformer = 8;  ///< distinct customers per area (capped by the area's size)
  int single_calls = 3;           ///< unrelated calls on other feeders
  std::chrono::milliseconds duration{std::chrono::minutes(3)};  ///< calls spread over this
};

/// Picks the feeder (with at least `transformer_areas` areas of at least
/// `calls_per_transformer` customers each) and the callers. INVALID_ARGUMENT for non-positive
/// counts; NOT_FOUND when no feeder is big enough.
core::Result<FeederStormPlan> PlanFeederStorm(const Utility& utility, const FeederStormSpec& spec);

struct WideStormSpec {
  uint64_t seed = 1;
  int64_t calls = 100'000;        ///< distinct customers calling
  int transformer_areas = 2'000;  ///< areas hit (capped by the network)
  std::chrono::milliseconds duration{std::chrono::minutes(10)};
};

/// A province-wide storm for benchmarks: `calls` distinct customers spread over
/// `transformer_areas` areas (chosen across all feeders), call times uniform over `duration`,
/// returned in time order. Areas get calls in proportion to their size, never more than their
/// customers. INVALID_ARGUMENT when the areas hold fewer customers than `calls`.
core::Result<std::vector<StormCall>> PlanWideStorm(const Utility& utility,
                                                   const WideStormSpec& spec);

}  // namespace gridcare::synth
