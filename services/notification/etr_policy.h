#pragma once

// Estimated-restoration-time (ETR) updates (issue 14): customers of an outage hear a new estimate
// only when it moves by more than a margin, and at most a few times per outage. Pure.

#include <chrono>
#include <optional>
#include <string_view>

#include "gridcare/core/clock.h"

namespace gridcare::notification {

struct EtrSettings {
  /// A new estimate is announced only when it differs from the last announced one by more than
  /// this (earlier or later).
  core::Duration margin = std::chrono::minutes(30);
  /// At most this many estimates (the first included) are announced per outage; 0 = none.
  int max_announcements = 3;
};

enum class EtrSkipReason {
  kUnchanged,    // the same estimate as the last one announced
  kBelowMargin,  // moved, but by no more than the margin
  kCapReached,   // a real move, but the outage has had its share of announcements
};

/// "unchanged", "below_margin", "cap_reached".
std::string_view EtrSkipReasonName(EtrSkipReason reason);

struct EtrDecision {
  bool announce = false;
  /// announce only: this is the outage's first announced estimate.
  bool first = false;
  /// !announce only.
  std::optional<EtrSkipReason> skip_reason;
};

/// Whether `new_etr` is announced, given the last estimate announced for the outage (none before
/// the first) and how many were announced so far. Checked in this order, so that a cap_reached
/// count means an announcement that was really withheld: unchanged, below_margin (|new − last|
/// ≤ margin), cap_reached (announced_count ≥ max_announcements). With no last estimate the only
/// possible skip is cap_reached. The caller records an announcement (last = new_etr, count + 1)
/// once it has been fanned out. Pure and thread-safe.
EtrDecision DecideEtrAnnouncement(std::optional<core::TimePoint> last_announced,
                                  int announced_count, core::TimePoint new_etr,
                                  const EtrSettings& settings);

}  // namespace gridcare::notification
