#pragma once

#include <string>
#include <vector>

#include "gridcare/synth/network.h"
#include "gridcare/synth/spec.h"
#include "gridcare/v1/crew.pb.h"

namespace gridcare::synth {

/// A repair depot (抢修驻点): one per district, i.e. per 1-3 neighbouring substations, placed
/// near the substation closest to the district centre.
struct Depot {
  std::string id;    ///< "DEPOT-001"
  std::string name;  ///< "天河供电服务站"
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  GeoPoint location;
  int32_t district = 0;                 ///< index into Network::districts()
  std::vector<std::string> feeder_ids;  ///< the territory of every crew of the depot
  IndexRange crews;                     ///< into Roster::crews
};

/// Depots and crews. Every depot has at least five crews covering all six skills around the clock
/// (a day and a night repair crew, metering, cable, live-line); beyond that roughly one crew per
/// 9 (urban), 14 (rural) or 22 (remote) transformer areas.
struct Roster {
  std::vector<Depot> depots;
  std::vector<v1::Crew> crews;  ///< "CREW-001-01", ordered by depot; availability AVAILABLE
};

Roster BuildRoster(const UtilitySpec& spec, const Network& network);

}  // namespace gridcare::synth
