#pragma once

#include <cstdint>
#include <string>

#include "gridcare/core/error.h"

namespace gridcare::synth {

/// A point on the map, WGS-84 degrees. Plain value so specs and network tables stay aggregates;
/// convert with ToProto() where a gridcare.v1.GeoPoint is needed.
struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};

/// What to generate. Everything the generator produces is a pure function of this struct: the same
/// spec gives byte-identical networks, rosters and customers on every run and machine.
struct UtilitySpec {
  uint64_t seed = 1;
  int64_t customers = 2'000;           ///< 1 .. kMaxCustomers
  double important_rate = 0.005;       ///< share of all accounts tagged IMPORTANT (businesses)
  double life_support_rate = 0.001;    ///< share of all accounts tagged LIFE_SUPPORT (residential)
  double sensitive_rate = 0.002;       ///< share of all accounts tagged SENSITIVE
  double shared_phone_rate = 0.02;     ///< approx. share of accounts whose primary phone is shared
  std::string tenant_id;               ///< copied into every Customer and Crew; empty = default
  GeoPoint centre{23.1291, 113.2644};  ///< city core; a southern-China provincial capital
};

inline constexpr int64_t kMaxCustomers = 20'000'000;

/// INVALID_ARGUMENT naming the first offending field, e.g. customers out of range, a rate outside
/// 0..1, a centre that is not on the globe or too close to a pole for the flat map we draw on.
core::Status ValidateSpec(const UtilitySpec& spec);

}  // namespace gridcare::synth
