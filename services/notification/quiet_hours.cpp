#include "quiet_hours.h"

#include <algorithm>

namespace gridcare::notification {
namespace {

using std::chrono::minutes;

constexpr int kMinutesPerDay = 24 * 60;

/// The local minute (since the epoch, floored) of `now` at UTC + offset.
int64_t LocalEpochMinute(core::TimePoint now, int utc_offset_minutes) {
  const auto local =
      std::chrono::floor<minutes>(now.time_since_epoch()) + minutes(utc_offset_minutes);
  return local.count();
}

int64_t FloorMod(int64_t value, int64_t divisor) {
  const int64_t rest = value % divisor;
  return rest < 0 ? rest + divisor : rest;
}

/// The first local end-of-window minute after `local_minute`, back in UTC.
core::TimePoint EndOfWindow(const QuietHoursWindow& window, int64_t local_minute,
                            int utc_offset_minutes) {
  const int64_t minute_of_day = FloorMod(local_minute, kMinutesPerDay);
  int64_t end = local_minute - minute_of_day + window.end_minute_of_day;
  if (end <= local_minute) end += kMinutesPerDay;
  return core::TimePoint(
      std::chrono::duration_cast<core::Duration>(minutes(end - utc_offset_minutes)));
}

QuietHoursDecision SendNow(QuietHoursReason reason) {
  return {QuietHoursVerdict::kSendNow, reason, {}};
}

}  // namespace

bool QuietHoursWindow::Contains(int minute) const {
  if (empty()) return false;
  if (start_minute_of_day < end_minute_of_day) {
    return minute >= start_minute_of_day && minute < end_minute_of_day;
  }
  return minute >= start_minute_of_day || minute < end_minute_of_day;
}

QuietHoursWindow QuietHoursWindow::FromProto(const v1::QuietHours& proto) {
  return {std::clamp(proto.start_minute_of_day(), 0, kMinutesPerDay - 1),
          std::clamp(proto.end_minute_of_day(), 0, kMinutesPerDay - 1)};
}

std::string_view QuietHoursReasonName(QuietHoursReason reason) {
  switch (reason) {
    case QuietHoursReason::kNoQuietHours:
      return "no_quiet_hours";
    case QuietHoursReason::kOutsideQuietHours:
      return "outside_quiet_hours";
    case QuietHoursReason::kClassBypasses:
      return "class_bypasses";
    case QuietHoursReason::kLifeSupport:
      return "life_support";
    case QuietHoursReason::kRestorationImminent:
      return "restoration_imminent";
    case QuietHoursReason::kHeldToEnd:
      return "held_to_end";
    case QuietHoursReason::kMarketingSuppressed:
      return "marketing_suppressed";
  }
  return "unknown";
}

std::string_view QuietHoursVerdictName(QuietHoursVerdict verdict) {
  switch (verdict) {
    case QuietHoursVerdict::kSendNow:
      return "send_now";
    case QuietHoursVerdict::kHold:
      return "hold";
    case QuietHoursVerdict::kDrop:
      return "drop";
  }
  return "unknown";
}

QuietHoursDecision Decide(MessageClass message_class, const QuietHoursWindow& window,
                          int utc_offset_minutes, bool life_support_recipient,
                          std::optional<core::TimePoint> restoration_expected_at,
                          core::TimePoint now, const QuietHoursSettings& settings) {
  if (message_class == MessageClass::kSafety || message_class == MessageClass::kStaff) {
    return SendNow(QuietHoursReason::kClassBypasses);
  }
  if (window.empty()) return SendNow(QuietHoursReason::kNoQuietHours);
  const int64_t local_minute = LocalEpochMinute(now, utc_offset_minutes);
  if (!window.Contains(static_cast<int>(FloorMod(local_minute, kMinutesPerDay)))) {
    return SendNow(QuietHoursReason::kOutsideQuietHours);
  }
  if (message_class == MessageClass::kMarketing) {
    return {QuietHoursVerdict::kDrop, QuietHoursReason::kMarketingSuppressed, {}};
  }
  if (message_class == MessageClass::kOutage) {
    if (life_support_recipient) return SendNow(QuietHoursReason::kLifeSupport);
    if (restoration_expected_at && *restoration_expected_at >= now &&
        *restoration_expected_at - now <= settings.imminent_window) {
      return SendNow(QuietHoursReason::kRestorationImminent);
    }
  }
  return {QuietHoursVerdict::kHold, QuietHoursReason::kHeldToEnd,
          EndOfWindow(window, local_minute, utc_offset_minutes)};
}

}  // namespace gridcare::notification
