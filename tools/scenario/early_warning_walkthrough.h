#pragma once

#include <map>
#include <string>

#include "gridcare/synth/utility.h"

namespace gridcare::scenario {

/// Section 10 of the scenario: early warning and the KPIs. Four weeks of history are submitted
/// through intake (a few billing questions an hour in two districts, dated by the channel's
/// receipt time, which analytics counts by); then thirty customers of one district ask about a
/// sudden high bill within minutes. Analytics' next early-warning round raises a risk-warning
/// order (风险预警调度令) for that district with its evidence; the scenario acknowledges it and
/// closes it with a measure as the supervisor would, and prints today's KPIs of everything the
/// scenario did. Returns false (after printing why) when something did not behave; skipped when
/// analytics is not running.
bool RunEarlyWarningWalkthrough(const std::map<std::string, std::string>& endpoints,
                                const synth::Utility& utility);

}  // namespace gridcare::scenario
