#pragma once

#include <chrono>

#include "gridcare/core/clock.h"

namespace gridcare::notification::testing {

/// A UTC time point from calendar fields.
inline core::TimePoint Utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

}  // namespace gridcare::notification::testing
