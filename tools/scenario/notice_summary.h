#pragma once

// The storm chapter's notices: what the notification service sent through the providers (read
// from the provider simulator's control API, GRIDCARE_PROVIDER_SIM_URL): how many customers of
// the outage were told, how many of them had called, a sample in zh-CN and in en, and the
// delivery reports.

#include <map>
#include <set>
#include <string>

#include "gridcare/v1/intake.grpc.pb.h"

namespace gridcare::scenario {

/// Waits (up to `wait_seconds`) until the outage notices about `incident_ids` stop growing, then
/// prints the summary. `caller_phones` are the numbers that called. Returns false (after
/// printing why) when no notice about the outage was sent at all.
bool PrintNoticeSummary(const std::map<std::string, std::string>& endpoints,
                        const std::set<std::string>& caller_phones, int wait_seconds = 60);

/// A customer who did not call answers the restoration notice ("still no power"): the provider
/// simulator posts the reply to notification, which passes it to intake as a request on the
/// same incident. Prints the reply and the ticket intake opened (read with Track by the reply's
/// request id). Returns false (after printing why) when no ticket appears within 60 s.
bool ShowReplyToRestoration(const std::map<std::string, std::string>& endpoints,
                            const std::set<std::string>& caller_phones,
                            v1::IntakeService::Stub& intake);

}  // namespace gridcare::scenario
