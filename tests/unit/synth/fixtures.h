#pragma once

#include <catch2/catch.hpp>

#include "gridcare/synth/utility.h"

namespace gridcare::synth::testing {

inline UtilitySpec SpecFor(int64_t customers, uint64_t seed = 42) {
  UtilitySpec spec;
  spec.seed = seed;
  spec.customers = customers;
  spec.tenant_id = "test";
  return spec;
}

inline Utility Make(const UtilitySpec& spec) {
  auto utility = Utility::Create(spec);
  REQUIRE(utility.ok());
  return std::move(utility).value();
}

// The 2,000-customer utility most tests share (built once per process).
inline const Utility& Fixture2k() {
  static const Utility utility = Make(SpecFor(2'000));
  return utility;
}

}  // namespace gridcare::synth::testing
