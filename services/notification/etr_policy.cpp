#include "etr_policy.h"

namespace gridcare::notification {
namespace {

EtrDecision Skip(EtrSkipReason reason) { return {false, false, reason}; }

}  // namespace

std::string_view EtrSkipReasonName(EtrSkipReason reason) {
  switch (reason) {
    case EtrSkipReason::kUnchanged:
      return "unchanged";
    case EtrSkipReason::kBelowMargin:
      return "below_margin";
    case EtrSkipReason::kCapReached:
      return "cap_reached";
  }
  return "unknown";
}

EtrDecision DecideEtrAnnouncement(std::optional<core::TimePoint> last_announced,
                                  int announced_count, core::TimePoint new_etr,
                                  const EtrSettings& settings) {
  if (last_announced) {
    if (new_etr == *last_announced) return Skip(EtrSkipReason::kUnchanged);
    const core::Duration moved =
        new_etr > *last_announced ? new_etr - *last_announced : *last_announced - new_etr;
    if (moved <= settings.margin) return Skip(EtrSkipReason::kBelowMargin);
  }
  if (announced_count >= settings.max_announcements) return Skip(EtrSkipReason::kCapReached);
  return {true, !last_announced.has_value(), std::nullopt};
}

}  // namespace gridcare::notification
