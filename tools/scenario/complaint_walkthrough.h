#pragma once

#include <map>
#include <string>

#include "gridcare/synth/utility.h"

namespace gridcare::scenario {

/// Section 9 of the scenario: a disputed bill through the complaint service's closed loop. A
/// customer of the utility's first district complains through intake; the case is routed to that
/// district's marketing office; under the stack's sped-up case clock (--clock-speed) the contact
/// clock's reminders, its breach and the supervision step follow; the handler contacts and
/// replies, a dissatisfied return visit reopens the case one level up, a second reply and a
/// satisfied visit close it. Prints the desk's address. Returns false (after printing why) when
/// something did not behave.
bool RunComplaintWalkthrough(const std::map<std::string, std::string>& endpoints,
                             const synth::Utility& utility);

}  // namespace gridcare::scenario
