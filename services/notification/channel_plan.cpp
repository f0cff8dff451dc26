#include "channel_plan.h"

#include <algorithm>

namespace gridcare::notification {
namespace {

bool Reachable(DeliveryChannel channel, const RecipientReach& reach) {
  switch (channel) {
    case DeliveryChannel::kSms:
    case DeliveryChannel::kVoiceCall:
      return !reach.staff && reach.has_phone;
    case DeliveryChannel::kWeChat:
      return !reach.staff && reach.has_wechat;
    case DeliveryChannel::kAppPush:
      return !reach.staff && reach.has_app;
    case DeliveryChannel::kStaffMessenger:
      return reach.staff && reach.has_staff_messenger;
    case DeliveryChannel::kEmail:
      return reach.staff && reach.has_email;
  }
  return false;
}

void AddIfNew(std::vector<DeliveryChannel>& plan, DeliveryChannel channel,
              const RecipientReach& reach) {
  if (!Reachable(channel, reach)) return;
  if (std::find(plan.begin(), plan.end(), channel) != plan.end()) return;
  plan.push_back(channel);
}

}  // namespace

std::string_view DeliveryChannelName(DeliveryChannel channel) {
  switch (channel) {
    case DeliveryChannel::kSms:
      return "sms";
    case DeliveryChannel::kWeChat:
      return "wechat";
    case DeliveryChannel::kAppPush:
      return "app_push";
    case DeliveryChannel::kVoiceCall:
      return "voice_call";
    case DeliveryChannel::kStaffMessenger:
      return "staff_messenger";
    case DeliveryChannel::kEmail:
      return "email";
  }
  return "unknown";
}

std::optional<DeliveryChannel> ParseDeliveryChannel(std::string_view name) {
  for (const DeliveryChannel channel : kAllDeliveryChannels) {
    if (DeliveryChannelName(channel) == name) return channel;
  }
  return std::nullopt;
}

bool IsStaffChannel(DeliveryChannel channel) {
  return channel == DeliveryChannel::kStaffMessenger || channel == DeliveryChannel::kEmail;
}

std::optional<DeliveryChannel> FromPreferredChannel(v1::Channel preferred) {
  switch (preferred) {
    case v1::CHANNEL_SMS:
      return DeliveryChannel::kSms;
    case v1::CHANNEL_WECHAT:
      return DeliveryChannel::kWeChat;
    case v1::CHANNEL_MOBILE_APP:
      return DeliveryChannel::kAppPush;
    default:
      return std::nullopt;
  }
}

std::vector<DeliveryChannel> PlanChannels(MessageClass message_class, const RecipientReach& reach,
                                          const ChannelPlanSettings& settings) {
  std::vector<DeliveryChannel> plan;
  if (reach.staff) {
    for (const DeliveryChannel channel : settings.staff_order) AddIfNew(plan, channel, reach);
    return plan;
  }
  const bool urgent =
      message_class == MessageClass::kSafety || message_class == MessageClass::kOutage;
  if (reach.life_support && urgent) AddIfNew(plan, DeliveryChannel::kVoiceCall, reach);
  if (const auto preferred = FromPreferredChannel(reach.preferred_channel)) {
    AddIfNew(plan, *preferred, reach);
  }
  for (const DeliveryChannel channel : settings.default_order) AddIfNew(plan, channel, reach);
  return plan;
}

std::optional<DeliveryChannel> NextChannel(std::span<const DeliveryChannel> plan,
                                           DeliveryChannel failed) {
  const auto failed_at = std::find(plan.begin(), plan.end(), failed);
  if (failed_at == plan.end()) return std::nullopt;
  // Everything up to `failed` has been tried: skip any of those listed again.
  for (auto it = failed_at + 1; it != plan.end(); ++it) {
    if (std::find(plan.begin(), failed_at + 1, *it) == failed_at + 1) return *it;
  }
  return std::nullopt;
}

}  // namespace gridcare::notification
