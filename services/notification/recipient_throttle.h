#pragma once

// Per-recipient throttling (issue 14): no more than N messages per window to one recipient about
// one subject (an incident, a case). A sliding window over the send times the service stores
// per (recipient, subject). Pure: the state is a small value the caller loads and saves.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "message_class.h"

namespace gridcare::notification {

struct ThrottleSettings {
  int max_messages = 3;                           // per window; at least 1
  core::Duration window = std::chrono::hours(1);  // sliding
};

/// The send times recorded for one (recipient, subject), oldest first. Admit keeps only the
/// times still inside the window and at most max_messages of them, so the value stays small.
/// A value type: copy, compare, store.
class ThrottleState {
 public:
  ThrottleState() = default;
  /// Any order; kept sorted.
  explicit ThrottleState(std::vector<core::TimePoint> sent);

  const std::vector<core::TimePoint>& sent() const { return sent_; }
  bool operator==(const ThrottleState&) const = default;

  /// Unix milliseconds, comma-separated, oldest first ("" when empty): for a Redis value.
  /// Sub-millisecond parts are dropped.
  std::string Encode() const;
  /// The inverse of Encode: INVALID_ARGUMENT "throttle state: ..." for anything else.
  static core::Result<ThrottleState> Decode(std::string_view text);

 private:
  std::vector<core::TimePoint> sent_;
};

struct ThrottleDecision {
  bool allowed = true;
  /// !allowed only: the first moment a message would be allowed (the oldest counted send leaves
  /// the window).
  core::TimePoint throttled_until{};
  /// What to store: the counted sends, plus `now` when a non-safety message was allowed.
  ThrottleState state;
};

/// Whether one more message of `message_class` may go at `now`. A send at t counts while
/// now < t + window (at exactly t + window it no longer does). Safety messages are always
/// allowed and are not recorded, so a burst of warnings never holds back the notices after it.
/// Only the newest max_messages counted sends matter, and only they are kept; so if max_messages
/// is raised, sends dropped from states stored before no longer count. Pure and thread-safe.
ThrottleDecision Admit(const ThrottleState& state, MessageClass message_class, core::TimePoint now,
                       const ThrottleSettings& settings);

}  // namespace gridcare::notification
