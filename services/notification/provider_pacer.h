#pragma once

// Per-provider rate limits (issue 14): a token bucket per provider, so a 50,000-customer fan-out
// is paced at what the gateway accepts instead of being rejected. Pure: the caller passes the
// time, and waits (a timer, a delayed queue) until the moment it is given; nothing here sleeps.

#include <optional>

#include "gridcare/core/clock.h"

namespace gridcare::notification {

struct PacerSettings {
  double rate_per_second = 50.0;  // tokens added per second; > 0
  int burst = 50;                 // bucket size: sends allowed at once after a quiet spell; ≥ 1
};

/// A token bucket, kept as the generic cell rate algorithm: one integer "theoretical arrival
/// time" instead of a fractional token count, so times are exact to the nanosecond. One token is
/// added every 1 s / rate (rounded to a nanosecond); the bucket holds at most `burst`, and starts
/// full. One object per provider (per replica: with R replicas, configure rate / R). Not
/// thread-safe: one owner, or a lock around it.
class ProviderPacer {
 public:
  explicit ProviderPacer(const PacerSettings& settings);

  struct Grant {
    bool granted = false;
    /// !granted only: the first moment TryAcquire would succeed (nothing else taken meanwhile).
    core::TimePoint available_at{};
  };

  /// Takes one token if there is one at `now`; otherwise takes nothing and says when.
  Grant TryAcquire(core::TimePoint now);

  /// Reserves `n` tokens (1..burst) for a send of n messages, and returns when they may go: now
  /// when the bucket holds n, otherwise the moment the n-th accumulates. Reservations queue up:
  /// calling Acquire(1, t) 50,000 times gives each message of a fan-out its slot, burst of them
  /// at t and then one every 1 s / rate. nullopt (nothing reserved) when n is outside 1..burst.
  std::optional<core::TimePoint> Acquire(int n, core::TimePoint now);

  /// Whole tokens in the bucket at `now` (0..burst), net of reservations.
  int Available(core::TimePoint now) const;

  /// The time between two tokens.
  core::Duration interval() const { return interval_; }

 private:
  core::Duration interval_;   // 1 s / rate
  core::Duration tolerance_;  // interval × (burst − 1): how far ahead of time a send may go
  int burst_;
  /// When the bucket will be full again if nothing more is taken; never in use before the first
  /// call (the bucket starts full).
  std::optional<core::TimePoint> theoretical_arrival_;
};

}  // namespace gridcare::notification
