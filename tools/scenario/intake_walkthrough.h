#pragma once

#include <map>
#include <string>

#include "gridcare/synth/utility.h"

namespace gridcare::scenario {

/// Section 7 of the scenario: a realistic mix of customer contacts from several channels through
/// intake (gRPC for interactive channels, gridcare.requests.v1 for asynchronous adapters), printing
/// what became of each. Returns false (after printing why) when something did not behave.
bool RunIntakeWalkthrough(const std::map<std::string, std::string>& endpoints,
                          const synth::Utility& utility);

}  // namespace gridcare::scenario
