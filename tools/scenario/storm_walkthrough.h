#pragma once

#include <map>
#include <string>

#include "gridcare/synth/utility.h"

namespace gridcare::scenario {

/// Section 8 of the scenario: a storm trips a feeder while a few unrelated customers lose power
/// too. Prints the console's address, sends the calls through intake, then follows live what
/// dispatch and the crews (gridcare-crew-sim in the stack) make of them until every ticket is
/// restored. Returns false (after printing why) when something did not behave.
bool RunStormWalkthrough(const std::map<std::string, std::string>& endpoints,
                         const synth::Utility& utility);

}  // namespace gridcare::scenario
