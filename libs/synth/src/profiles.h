#pragma once

// How each area class looks: its share of customers, transformer sizes, feeder lengths, where on
// the map it lies, and how crews and customers are spread. One table so the sizing rules read
// in one place.

#include <array>

#include "gridcare/v1/common.pb.h"

namespace gridcare::synth::internal {

struct ClassProfile {
  v1::AreaClass area_class;
  int share_per_mille;                 // of all customers
  int area_min, area_max;              // customers per transformer area at full scale
  int per_feeder_min, per_feeder_max;  // transformer areas per feeder at full scale
  double inner_km, outer_km;           // ring around the centre
  double reach_min_km, reach_max_km;   // how far a substation's feeders reach
  double customer_spread_km;           // customers within this of their transformer
  double district_span_km;             // substations farther apart get separate depots
  double areas_per_crew;
  int min_capacity_kva;
  // Account type mix, per mille: residential, commercial, industrial, agricultural.
  std::array<int, 4> account_mix;
};

inline constexpr int kFeedersMin = 8;
inline constexpr int kFeedersMax = 16;

inline constexpr std::array<ClassProfile, 3> kProfiles = {{
    {v1::AREA_CLASS_URBAN,
     620,
     200,
     500,
     8,
     16,
     0.0,
     15.0,
     1.2,
     4.0,
     0.25,
     12.0,
     9.0,
     200,
     {884, 90, 22, 4}},
    {v1::AREA_CLASS_RURAL,
     300,
     50,
     150,
     12,
     24,
     15.0,
     60.0,
     3.0,
     10.0,
     0.7,
     40.0,
     14.0,
     100,
     {870, 60, 20, 50}},
    {v1::AREA_CLASS_REMOTE,
     80,
     10,
     50,
     10,
     20,
     60.0,
     150.0,
     5.0,
     18.0,
     1.2,
     70.0,
     22.0,
     30,
     {860, 40, 10, 90}},
}};

inline const ClassProfile& ProfileOf(v1::AreaClass area_class) {
  switch (area_class) {
    case v1::AREA_CLASS_RURAL:
      return kProfiles[1];
    case v1::AREA_CLASS_REMOTE:
      return kProfiles[2];
    default:
      return kProfiles[0];
  }
}

// Customers a substation has at full scale: mean area size x mean areas per feeder x mean feeders.
inline double FullScaleSubstationCustomers(const ClassProfile& p) {
  return (p.area_min + p.area_max) / 2.0 * ((p.per_feeder_min + p.per_feeder_max) / 2.0) *
         ((kFeedersMin + kFeedersMax) / 2.0);
}

}  // namespace gridcare::synth::internal
