#pragma once

#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/v1/crew.pb.h"

namespace gridcare::repair_crew {

/// The crews as they start their first day: the roster's crews (synth::Utility, from
/// --roster-seed and --roster-customers) standing at their depot at `now`, AVAILABLE, with empty
/// queues. Written to Redis only for crews not stored yet, so a restart keeps live state.
std::vector<v1::Crew> InitialCrews(const std::vector<v1::Crew>& roster, core::TimePoint now);

/// The crews' ids, in roster order.
std::vector<std::string> CrewIds(const std::vector<v1::Crew>& crews);

}  // namespace gridcare::repair_crew
