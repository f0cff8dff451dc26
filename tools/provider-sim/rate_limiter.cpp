#include "rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace gridcare::provider_sim {

TokenBucket::TokenBucket(double rate_per_second, double burst, core::TimePoint now)
    : rate_(rate_per_second), burst_(std::max(1.0, burst)), tokens_(burst_), last_(now) {}

TokenBucket::Decision TokenBucket::Take(core::TimePoint now) {
  if (rate_ <= 0) return {};
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    last_ = now;
  }
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return {};
  }
  const double wait_ms = std::ceil((1.0 - tokens_) / rate_ * 1000.0);
  return {false, std::chrono::milliseconds(std::max<int64_t>(1, static_cast<int64_t>(wait_ms)))};
}

}  // namespace gridcare::provider_sim
