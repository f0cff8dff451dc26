#pragma once

// Channel choice (issue 14): the ordered channels to try for one message, and the next one after
// a permanent failure. Pure.

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "gridcare/v1/common.pb.h"
#include "message_class.h"

namespace gridcare::notification {

/// The channels notification sends on. Voice call is ours alone: v1::Channel (intake channels)
/// has no value for it and is not renumbered.
enum class DeliveryChannel { kSms, kWeChat, kAppPush, kVoiceCall, kStaffMessenger, kEmail };

inline constexpr std::array<DeliveryChannel, 6> kAllDeliveryChannels = {
    DeliveryChannel::kSms,       DeliveryChannel::kWeChat,         DeliveryChannel::kAppPush,
    DeliveryChannel::kVoiceCall, DeliveryChannel::kStaffMessenger, DeliveryChannel::kEmail};

/// "sms", "wechat", "app_push", "voice_call", "staff_messenger", "email".
std::string_view DeliveryChannelName(DeliveryChannel channel);
/// The channel named exactly `name`, nullopt otherwise.
std::optional<DeliveryChannel> ParseDeliveryChannel(std::string_view name);
/// Staff channels (staff_messenger, email) reach staff only; the others reach customers only.
bool IsStaffChannel(DeliveryChannel channel);

/// The customer's preferred channel from the profile: CHANNEL_SMS → sms, CHANNEL_WECHAT →
/// wechat, CHANNEL_MOBILE_APP → app_push; any other value (unspecified, hotline, web, hall…)
/// names no channel we send on, and the configured order applies. A voice call is never chosen
/// by preference alone (it is the life-support channel).
std::optional<DeliveryChannel> FromPreferredChannel(v1::Channel preferred);

/// What one recipient can receive, as the caller found it (profile, bindings, staff directory).
struct RecipientReach {
  bool staff = false;  // a staff member: staff channels only
  v1::Channel preferred_channel = v1::CHANNEL_UNSPECIFIED;
  bool life_support = false;         // CUSTOMER_TAG_LIFE_SUPPORT
  bool has_phone = false;            // sms and voice_call
  bool has_app = false;              // app_push
  bool has_wechat = false;           // wechat (an official-account binding)
  bool has_staff_messenger = false;  // staff_messenger (a webhook or user id)
  bool has_email = false;            // email
};

struct ChannelPlanSettings {
  /// Customer channels in the order tried after the preferred one; customer channels only.
  std::vector<DeliveryChannel> default_order = {DeliveryChannel::kSms, DeliveryChannel::kWeChat,
                                                DeliveryChannel::kAppPush};
  /// Staff channels in the order tried; staff channels only.
  std::vector<DeliveryChannel> staff_order = {DeliveryChannel::kStaffMessenger,
                                              DeliveryChannel::kEmail};
};

/// The channels to try, in order, each at most once; empty when the recipient has none reachable.
/// Customers: voice_call first for a life-support customer with a phone when the message is of
/// class safety or outage; then the preferred channel; then default_order. Staff channels never
/// appear. Staff: staff_order. Every channel must be reachable (RecipientReach). Pure.
std::vector<DeliveryChannel> PlanChannels(MessageClass message_class, const RecipientReach& reach,
                                          const ChannelPlanSettings& settings);

/// The channel to try after `failed` failed permanently: the first one after it in `plan` that
/// does not also appear before it (those were tried already), so no channel is tried twice even
/// in a hand-made plan; nullopt when the plan is exhausted or `failed` is not in it.
std::optional<DeliveryChannel> NextChannel(std::span<const DeliveryChannel> plan,
                                           DeliveryChannel failed);

}  // namespace gridcare::notification
