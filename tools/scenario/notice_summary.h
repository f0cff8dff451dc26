#pragma once

// The storm chapter's notices: what the notification service sent through the providers (read
// from the provider simulator's control API, GRIDCARE_PROVIDER_SIM_URL): how many customers of
// the outage were told, how many of them had called, a sample in zh-CN and in en, and the
// delivery reports.

#include <map>
#include <set>
#include <string>

namespace gridcare::scenario {

/// Waits (up to `wait_seconds`) until the outage notices about `incident_ids` stop growing, then
/// prints the summary. `caller_phones` are the numbers that called. Returns false (after
/// printing why) when no notice about the outage was sent at all.
bool PrintNoticeSummary(const std::map<std::string, std::string>& endpoints,
                        const std::set<std::string>& caller_phones, int wait_seconds = 60);

}  // namespace gridcare::scenario
