#pragma once

// Shared helpers for the analytics core tests: local (UTC+8) instants, protobuf timestamps and
// lookups in a ledger's Effects.

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "kpi_ledger.h"

namespace gridcare::analytics::testing {

/// A local (China Standard Time, UTC+8) instant from calendar fields.
inline core::TimePoint Local(int y, unsigned mo, unsigned d, int h, int mi = 0, int s = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} - hours{8};
}

inline int64_t Ms(core::TimePoint t) { return core::ToUnixMillis(t); }

inline google::protobuf::Timestamp Stamp(core::TimePoint t) {
  return google::protobuf::util::TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(t));
}

inline core::TimePoint TimeOf(const google::protobuf::Timestamp& t) {
  return core::FromUnixMillis(google::protobuf::util::TimeUtil::TimestampToMilliseconds(t));
}

// The week the tests live in: 2026-07-03 is a Friday, 2026-07-06 a Monday (local day 20640).
inline constexpr int32_t kMondayDay = 20640;
inline constexpr int32_t kFridayDay = kMondayDay - 3;
inline constexpr int32_t kSaturdayDay = kMondayDay - 2;
inline constexpr int32_t kSundayDay = kMondayDay - 1;
inline constexpr int64_t kMondayMidnightHour = int64_t{kMondayDay} * 24;

/// The increments of `metric` in `effects`, in order.
inline std::vector<CounterIncrement> IncrementsOf(const Effects& effects, std::string_view metric) {
  std::vector<CounterIncrement> found;
  for (const auto& increment : effects.counters) {
    if (increment.metric == metric) found.push_back(increment);
  }
  return found;
}

/// The total added to `metric` by `effects` (0 when absent).
inline int64_t Delta(const Effects& effects, std::string_view metric) {
  int64_t sum = 0;
  for (const auto& increment : effects.counters) {
    if (increment.metric == metric) sum += increment.delta;
  }
  return sum;
}

/// The metrics `effects` adds to, in order.
inline std::vector<std::string> MetricsOf(const Effects& effects) {
  std::vector<std::string> names;
  for (const auto& increment : effects.counters) names.push_back(increment.metric);
  return names;
}

}  // namespace gridcare::analytics::testing
