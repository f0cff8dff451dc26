#pragma once

// Quiet hours (issue 14): whether a message goes now, waits for the end of the recipient's quiet
// hours, or is not sent at all. Pure: time comes in as arguments, the recipient's time zone as a
// UTC offset the caller resolved from the profile's IANA name.

#include <chrono>
#include <optional>
#include <string_view>

#include "gridcare/core/clock.h"
#include "gridcare/v1/profile.pb.h"
#include "message_class.h"

namespace gridcare::notification {

/// The recipient's quiet hours as local minutes of the day, [start, end): a message at local
/// 22:00:00 with start 22:00 is inside, one at 07:00:00 with end 07:00 is outside. end < start
/// crosses midnight (22:00–07:00); start == end means no quiet hours.
struct QuietHoursWindow {
  int start_minute_of_day = 0;  // 0..1439
  int end_minute_of_day = 0;    // 0..1439

  bool empty() const { return start_minute_of_day == end_minute_of_day; }
  /// Whether local minute-of-day `minute` (0..1439) lies in [start, end).
  bool Contains(int minute) const;
  /// From the profile (an absent window reads as 0/0, i.e. none). Values outside 0..1439, which
  /// the profile service rejects on upsert, are clamped into range.
  static QuietHoursWindow FromProto(const v1::QuietHours& proto);
};

struct QuietHoursSettings {
  /// An outage notice goes out during quiet hours when restoration is expected within this long.
  core::Duration imminent_window = std::chrono::minutes(30);
};

enum class QuietHoursVerdict { kSendNow, kHold, kDrop };

/// Why: for logs and metric labels.
enum class QuietHoursReason {
  kNoQuietHours,         // the recipient has none (start == end)
  kOutsideQuietHours,    // now is outside the window
  kClassBypasses,        // safety and staff messages ignore quiet hours
  kLifeSupport,          // outage notice to a life-support recipient
  kRestorationImminent,  // outage notice, restoration expected within the imminent window
  kHeldToEnd,            // outage or service notice held to the end of quiet hours
  kMarketingSuppressed,  // marketing-like message inside quiet hours: never sent
};

/// "no_quiet_hours", "outside_quiet_hours", "class_bypasses", "life_support",
/// "restoration_imminent", "held_to_end", "marketing_suppressed".
std::string_view QuietHoursReasonName(QuietHoursReason reason);
std::string_view QuietHoursVerdictName(QuietHoursVerdict verdict);  // "send_now", "hold", "drop"

struct QuietHoursDecision {
  QuietHoursVerdict verdict = QuietHoursVerdict::kSendNow;
  QuietHoursReason reason = QuietHoursReason::kNoQuietHours;
  /// kHold only: the end of the quiet hours now is in (whole local minute, as a UTC time point).
  core::TimePoint hold_until{};
};

/// The decision for one message of class `message_class` at `now`, for a recipient whose local
/// time is UTC + `utc_offset_minutes`:
///   - safety and staff: send now, always;
///   - no quiet hours, or now outside them: send now;
///   - inside quiet hours: outage notices go now to a life-support recipient or when
///     `restoration_expected_at` lies in [now, now + imminent_window] (an estimate already passed
///     says nothing about when supply returns, so it does not count); otherwise outage and
///     service notices are held until the window's end; marketing is dropped.
/// Pure and thread-safe.
QuietHoursDecision Decide(MessageClass message_class, const QuietHoursWindow& window,
                          int utc_offset_minutes, bool life_support_recipient,
                          std::optional<core::TimePoint> restoration_expected_at,
                          core::TimePoint now, const QuietHoursSettings& settings);

}  // namespace gridcare::notification
