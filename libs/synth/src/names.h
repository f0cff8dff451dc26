#pragma once

// Name-part lists and the builders that combine them into fictional but plausible Chinese names
// of places, people and businesses.

#include <string>
#include <string_view>
#include <unordered_set>

#include "random.h"

namespace gridcare::synth::internal {

inline constexpr const char* kProvinceName = "南岭省";
inline constexpr const char* kCapitalName = "榕州市";

// A two-character place stem ("石岭"), not in `used`; falls back to three characters once the
// two-character combinations run short. Adds the result to `used`.
std::string UniquePlaceStem(Rng& rng, std::unordered_set<std::string>& used);
std::string PlaceStem(Rng& rng);

// Street name: stem + 路/街/大道/东路...
std::string StreetName(Rng& rng);

// People and organisations. `bits` are uniform random bits.
std::string_view Surname(uint64_t bits);
void AppendGivenName(Rng& rng, std::string& out);
void AppendShopName(Rng& rng, std::string& out);
void AppendCompanyName(Rng& rng, std::string& out);
void AppendFarmName(Rng& rng, std::string& out);
// Hospitals, water works, schools: who gets the IMPORTANT tag. `place` is a district stem.
void AppendInstitutionName(Rng& rng, const std::string& place, std::string& out);

// Chinese numeral for 1..99 ("一", "十二", "二十"), for crew names like 抢修二班.
std::string ChineseNumeral(int n);

}  // namespace gridcare::synth::internal
