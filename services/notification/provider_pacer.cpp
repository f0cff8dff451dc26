#include "provider_pacer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace gridcare::notification {
namespace {

core::Duration IntervalOf(double rate_per_second) {
  const double rate = rate_per_second > 0.0 ? rate_per_second : 1e-9;
  const double nanos = std::clamp(std::round(1e9 / rate), 1.0, 1e18);
  return std::chrono::duration_cast<core::Duration>(
      std::chrono::nanoseconds(static_cast<int64_t>(nanos)));
}

}  // namespace

ProviderPacer::ProviderPacer(const PacerSettings& settings)
    : interval_(IntervalOf(settings.rate_per_second)),
      tolerance_(interval_ * (std::max(settings.burst, 1) - 1)),
      burst_(std::max(settings.burst, 1)) {}

ProviderPacer::Grant ProviderPacer::TryAcquire(core::TimePoint now) {
  const core::TimePoint arrival = theoretical_arrival_ ? std::max(*theoretical_arrival_, now) : now;
  if (arrival - now > tolerance_) return {false, arrival - tolerance_};
  theoretical_arrival_ = arrival + interval_;
  return {true, {}};
}

std::optional<core::TimePoint> ProviderPacer::Acquire(int n, core::TimePoint now) {
  if (n < 1 || n > burst_) return std::nullopt;
  const core::TimePoint arrival = theoretical_arrival_ ? std::max(*theoretical_arrival_, now) : now;
  // The n-th token of the reservation is the one that must fit within the tolerance.
  const core::TimePoint last = arrival + interval_ * (n - 1);
  theoretical_arrival_ = last + interval_;
  return std::max(now, last - tolerance_);
}

int ProviderPacer::Available(core::TimePoint now) const {
  if (!theoretical_arrival_ || *theoretical_arrival_ <= now) return burst_;
  const core::Duration ahead = *theoretical_arrival_ - now;  // > 0
  if (ahead > tolerance_ + interval_) return 0;
  // Tokens = floor((tolerance + interval − ahead) / interval).
  return static_cast<int>((tolerance_ + interval_ - ahead) / interval_);
}

}  // namespace gridcare::notification
