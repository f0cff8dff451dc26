#pragma once

// The delivery policy of the notification service (issue 14), read from delivery-policy.json:
// the settings of quiet hours, ETR updates, per-recipient throttling, retries, channel order and
// the provider behind each channel with its rate limit. Every key is optional; one left out keeps
// the default below (which config/delivery-policy.json repeats). See
// config/README-delivery-policy.md.

#include <array>
#include <chrono>
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

/// The provider that delivers one channel, where it is, how to authenticate, and the rate it
/// accepts.
struct ProviderSettings {
  /// The provider's name ("sms-gateway"): 1..64 of A-Z a-z 0-9 _ . - (it becomes a URL path
  /// segment); never a secret.
  std::string provider;
  PacerSettings pacing;
  /// The provider's base URL ("http://10.0.0.5:8095/providers/sms-gateway/"); empty: derived from
  /// the service's default base URL and the name (ProviderBaseUrl).
  std::string url;
  /// A file holding the bearer token (credentials by reference: the token itself is never in the
  /// policy); empty: the service-wide default token.
  std::string token_file;
  /// The longest a call may take, connecting included.
  std::chrono::milliseconds timeout{5000};
};

/// Where `provider`'s API is: its `url` when set, else `default_base_url` + "/" + the provider's
/// name; either way ending in exactly one "/", so "v1/messages" can be appended. E.g. url ""
/// with default "http://127.0.0.1:8095/providers" → "http://127.0.0.1:8095/providers/sms-gateway/".
/// Empty when neither is set. Pure.
std::string ProviderBaseUrl(const ProviderSettings& provider, std::string_view default_base_url);

/// Provider names: 1..64 of A-Z a-z 0-9 _ . - (tools/provider-sim/README.md).
bool IsValidProviderName(std::string_view name);

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
  /// email "smtp-relay" 10/s burst 20; every one without a url or token file (derived and the
  /// default token) and with a 5 s timeout.
  static std::array<ProviderSettings, kAllDeliveryChannels.size()> DefaultProviders();

  /// Parses delivery-policy.json. INVALID_ARGUMENT "delivery-policy.json: <message>" naming the
  /// path of the offending key: unknown keys, wrong types, values out of range, unknown or
  /// misplaced channel names, a channel listed twice, a retry cap shorter than its base.
  static core::Result<DeliveryPolicy> FromJson(std::string_view json);
};

/// Reads and parses the file at `path` (NOT_FOUND naming it when it cannot be read).
core::Result<DeliveryPolicy> LoadDeliveryPolicy(const std::string& path);

}  // namespace gridcare::notification
