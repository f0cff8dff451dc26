#pragma once

// gridcare-synth history --publish: the generated requests published on gridcare.requests.v1 as a
// channel adapter would publish them, so the history goes through the real platform (intake
// classifies and answers them; analytics counts them by the channel's receipt time).

#include <chrono>
#include <cstdint>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/synth/history.h"

namespace gridcare::synth_tool {

/// Publishes every request of `history` (synth::ToServiceRequest) keyed by customer id, else
/// request id, with CloudEvents headers (ce_id = request id: a repeated run is de-duplicated by
/// intake), received_at moved by `shift`. Prints progress on stderr every tenth. Returns how many
/// were published; UNAVAILABLE when the broker does not take them.
core::Result<int64_t> PublishHistory(const synth::History& history, uint64_t seed,
                                     const synth::Utility* utility, const std::string& bootstrap,
                                     std::chrono::milliseconds shift);

/// The whole number of weeks that moves the history's end to within the week before `now`
/// (weekdays and hours of the day stay as generated); zero when it already ends after that.
std::chrono::milliseconds ShiftToNow(const synth::History& history,
                                     std::chrono::system_clock::time_point now);

}  // namespace gridcare::synth_tool
