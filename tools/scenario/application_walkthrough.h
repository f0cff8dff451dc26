#pragma once

#include <map>
#include <string>

#include "gridcare/synth/utility.h"

namespace gridcare::scenario {

/// Section 11 of the scenario: a new connection by appointment. A customer applies through the
/// online hall with a preferred window for tomorrow morning; dispatch books the site survey with
/// a metering crew, the crew simulator (GRIDCARE_CREW_SIM_VISITS_EARLY: visits as soon as the
/// crew is free) surveys, dispatch books the installation, the crew installs the meter and
/// connects the supply, and the application closes. Prints the ticket's Track timeline as it
/// grows. Returns false (after printing why) when the application does not close in time.
bool RunApplicationWalkthrough(const std::map<std::string, std::string>& endpoints,
                               const synth::Utility& utility);

}  // namespace gridcare::scenario
