#include "gridcare/synth/storm.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "random.h"

namespace gridcare::synth {
namespace {

/// `count` distinct indices from [range.begin, range.end), by a partial Fisher-Yates shuffle.
std::vector<int64_t> Sample(IndexRange range, int64_t count, internal::Rng& rng) {
  std::vector<int64_t> all(static_cast<size_t>(range.size()));
  std::iota(all.begin(), all.end(), range.begin);
  count = std::min<int64_t>(count, range.size());
  for (int64_t i = 0; i < count; ++i) {
    const auto j = i + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(range.size() - i)));
    std::swap(all[i], all[j]);
  }
  all.resize(static_cast<size_t>(count));
  return all;
}

std::chrono::milliseconds At(std::chrono::milliseconds duration, internal::Rng& rng) {
  return std::chrono::milliseconds(
      static_cast<int64_t>(rng.Unit() * static_cast<double>(duration.count())));
}

void SortByTime(std::vector<StormCall>& calls) {
  std::stable_sort(calls.begin(), calls.end(),
                   [](const StormCall& a, const StormCall& b) { return a.after < b.after; });
}

}  // namespace

core::Result<FeederStormPlan> PlanFeederStorm(const Utility& utility, const FeederStormSpec& spec) {
  if (spec.transformer_areas < 1 || spec.calls_per_transformer < 1 || spec.single_calls < 0 ||
      spec.duration.count() < 0) {
    return core::InvalidArgument(
        "storm needs transformer_areas >= 1, calls_per_transformer >= 1, single_calls >= 0");
  }
  const Network& network = utility.network();
  internal::Rng rng(internal::SplitMix64(spec.seed ^ 0x5354524F4D000001ULL));
  // Feeders whose areas are big enough, in a seeded order.
  std::vector<int32_t> eligible;
  for (size_t f = 0; f < network.feeders().size(); ++f) {
    const Feeder& feeder = network.feeders()[f];
    int big_enough = 0;
    for (int64_t t = feeder.transformers.begin; t < feeder.transformers.end; ++t) {
      if (network.transformers()[t].customers.size() >= spec.calls_per_transformer) ++big_enough;
    }
    if (big_enough >= spec.transformer_areas) eligible.push_back(static_cast<int32_t>(f));
  }
  if (eligible.empty()) {
    return core::NotFound("no feeder has " + std::to_string(spec.transformer_areas) +
                          " transformer areas of " + std::to_string(spec.calls_per_transformer) +
                          " customers");
  }
  const int32_t tripped = eligible[rng.Below(eligible.size())];
  const Feeder& feeder = network.feeders()[tripped];
  FeederStormPlan plan;
  plan.feeder_id = feeder.id;
  std::vector<int64_t> areas;
  for (int64_t t = feeder.transformers.begin; t < feeder.transformers.end; ++t) {
    if (network.transformers()[t].customers.size() >= spec.calls_per_transformer)
      areas.push_back(t);
  }
  const auto chosen = Sample({0, static_cast<int64_t>(areas.size())}, spec.transformer_areas, rng);
  for (const int64_t pick : chosen) {
    const TransformerArea& area = network.transformers()[areas[pick]];
    plan.transformer_ids.push_back(area.id);
    for (const int64_t customer : Sample(area.customers, spec.calls_per_transformer, rng)) {
      plan.feeder_calls.push_back({customer, At(spec.duration, rng)});
    }
  }
  SortByTime(plan.feeder_calls);
  // Single calls: one customer each on other feeders, preferring other substations.
  std::vector<int32_t> others;
  for (size_t f = 0; f < network.feeders().size(); ++f) {
    if (static_cast<int32_t>(f) != tripped && !network.feeders()[f].customers.empty()) {
      others.push_back(static_cast<int32_t>(f));
    }
  }
  std::stable_partition(others.begin(), others.end(), [&](int32_t f) {
    return network.feeders()[f].substation != feeder.substation;
  });
  const auto far_count = std::count_if(others.begin(), others.end(), [&](int32_t f) {
    return network.feeders()[f].substation != feeder.substation;
  });
  const int64_t pool =
      far_count >= spec.single_calls ? far_count : static_cast<int64_t>(others.size());
  for (const int64_t pick : Sample({0, pool}, spec.single_calls, rng)) {
    const Feeder& other = network.feeders()[others[pick]];
    const auto customer =
        other.customers.begin +
        static_cast<int64_t>(rng.Below(static_cast<uint64_t>(other.customers.size())));
    plan.single_calls.push_back({customer, At(spec.duration, rng)});
  }
  SortByTime(plan.single_calls);
  return plan;
}

core::Result<std::vector<StormCall>> PlanWideStorm(const Utility& utility,
                                                   const WideStormSpec& spec) {
  if (spec.calls < 1 || spec.transformer_areas < 1) {
    return core::InvalidArgument("storm needs calls >= 1 and transformer_areas >= 1");
  }
  const Network& network = utility.network();
  internal::Rng rng(internal::SplitMix64(spec.seed ^ 0x5354524F4D000002ULL));
  const auto total = static_cast<int64_t>(network.transformers().size());
  const auto picked = Sample({0, total}, std::min<int64_t>(spec.transformer_areas, total), rng);
  int64_t customers = 0;
  for (const int64_t t : picked) customers += network.transformers()[t].customers.size();
  if (customers < spec.calls) {
    return core::InvalidArgument("the " + std::to_string(picked.size()) + " areas hold only " +
                                 std::to_string(customers) + " customers, fewer than " +
                                 std::to_string(spec.calls) + " calls");
  }
  std::vector<StormCall> calls;
  calls.reserve(static_cast<size_t>(spec.calls));
  // Largest-remainder apportionment of the calls over the areas by size.
  std::vector<int64_t> quota(picked.size());
  std::vector<std::pair<double, size_t>> remainders;
  int64_t assigned = 0;
  for (size_t i = 0; i < picked.size(); ++i) {
    const double exact = static_cast<double>(spec.calls) *
                         static_cast<double>(network.transformers()[picked[i]].customers.size()) /
                         static_cast<double>(customers);
    quota[i] = static_cast<int64_t>(exact);
    assigned += quota[i];
    remainders.emplace_back(exact - static_cast<double>(quota[i]), i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; assigned < spec.calls && k < remainders.size(); ++k) {
    const size_t i = remainders[k].second;
    if (quota[i] < network.transformers()[picked[i]].customers.size()) {
      ++quota[i];
      ++assigned;
    }
  }
  for (size_t i = 0; i < picked.size(); ++i) {
    for (const int64_t customer :
         Sample(network.transformers()[picked[i]].customers, quota[i], rng)) {
      calls.push_back({customer, At(spec.duration, rng)});
    }
  }
  SortByTime(calls);
  return calls;
}

}  // namespace gridcare::synth
