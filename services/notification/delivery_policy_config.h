#pragma once

// The delivery policy of the notification service (issue 14), read from delivery-policy.json:
// the settings of quiet hours, ETR updates, per-recipient throttling, retries, channel order and
// the provider behind each channel with its rate limit. Every key is optional; one left out keeps
// the default below (which config/delivery-policy.json repeats). See
// config/README-delivery-policy.md.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "channel_plan.h"
#include "etr_policy.h"
#include "gridcare/core/error.h"
#include "provider_pacer.h"
#include "quiet_hours.h"
#include "recipient_throttle.h"
#include "retry_schedule.h"

namespace gridcare::notification {

/// The provider that delivers one channel, and the rate it accepts.
struct ProviderSettings {
  std::string provider;  // a name the service maps to a client ("sms-gateway"); never a secret
  PacerSettings pacing;
};

struct DeliveryPolicy {
  QuietHoursSettings quiet_hours;
  EtrSettings etr;
  ThrottleSettings throttle;
  RetrySettings retry;
  ChannelPlanSettings channels;
  /// Indexed by DeliveryChannel; see provider().
  std::array<ProviderSettings, kAllDeliveryChannels.size()> providers = DefaultProviders();

  const ProviderSettings& provider(DeliveryChannel channel) const {
    return providers[static_cast<size_t>(channel)];
  }

  /// The defaults: sms "sms-gateway" 100/s burst 200, wechat "wechat-official-account" 50/s
  /// burst 100, app_push "app-push" 200/s burst 400, voice_call "voice-gateway" 5/s burst 10,
  /// staff_messenger "work-messenger-webhook" 0.33/s burst 20 (a group robot takes 20 a minute),
  /// email "smtp-relay" 10/s burst 20.
  static std::array<ProviderSettings, kAllDeliveryChannels.size()> DefaultProviders();

  /// Parses delivery-policy.json. INVALID_ARGUMENT "delivery-policy.json: <message>" naming the
  /// path of the offending key: unknown keys, wrong types, values out of range, unknown or
  /// misplaced channel names, a channel listed twice, a retry cap shorter than its base.
  static core::Result<DeliveryPolicy> FromJson(std::string_view json);
};

/// Reads and parses the file at `path` (NOT_FOUND naming it when it cannot be read).
core::Result<DeliveryPolicy> LoadDeliveryPolicy(const std::string& path);

}  // namespace gridcare::notification
