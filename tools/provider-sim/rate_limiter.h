#pragma once

// A token bucket: `rate` tokens a second up to `burst`, starting full. Time comes in as
// arguments; pure, not thread-safe (the Simulator holds its lock around it).

#include <chrono>

#include "gridcare/core/clock.h"

namespace gridcare::provider_sim {

class TokenBucket {
 public:
  /// `rate_per_second` 0 means no limit (every Take succeeds). `burst` is at least 1.
  TokenBucket(double rate_per_second, double burst, core::TimePoint now);

  struct Decision {
    bool allowed = true;
    /// When refused: how long until a token is there (at least 1 ms).
    std::chrono::milliseconds retry_after{0};
  };

  /// Takes one token if there is one. A clock that steps back refills nothing.
  Decision Take(core::TimePoint now);

 private:
  double rate_;
  double burst_;
  double tokens_;
  core::TimePoint last_;
};

}  // namespace gridcare::provider_sim
