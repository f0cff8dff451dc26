#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace gridcare::core {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;

/// Source of wall-clock time. Domain logic (SLA clocks, escalation, windows) takes a Clock so tests
/// can drive time without sleeping. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(Duration(now_.load())); }
  void Set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
  void Advance(Duration d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<Duration::rep> now_;
};

/// A clock that runs `speed` times faster than `base` from `origin` (demonstrations and tests: a
/// 24-hour limit passes in seconds): Now() = origin + (base.Now() - origin) × speed. With the same
/// origin, a restarted process continues the same timeline; without one the origin is the moment
/// the clock is made. speed 1 = `base`. Thread-safe.
class ScaledClock final : public Clock {
 public:
  ScaledClock(const Clock& base, double speed) : ScaledClock(base, speed, base.Now()) {}
  ScaledClock(const Clock& base, double speed, TimePoint origin)
      : base_(base), speed_(speed), origin_(origin) {}
  TimePoint Now() const override {
    const auto elapsed = base_.Now() - origin_;
    return origin_ + std::chrono::duration_cast<Duration>(elapsed * speed_);
  }

 private:
  const Clock& base_;
  double speed_;
  TimePoint origin_;
};

/// Milliseconds since the Unix epoch, the unit our protobuf timestamps use on the wire.
int64_t ToUnixMillis(TimePoint t);
TimePoint FromUnixMillis(int64_t millis);

/// RFC 3339 in UTC with millisecond precision, e.g. "2026-11-24T01:53:10.123Z" (CloudEvents
/// ce_time).
std::string FormatRfc3339(TimePoint t);

}  // namespace gridcare::core
