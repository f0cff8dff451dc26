#include "channel_plan.h"

#include <catch2/catch.hpp>
#include <set>
#include <vector>

namespace gridcare::notification {
namespace {

using C = DeliveryChannel;
using Plan = std::vector<DeliveryChannel>;

const ChannelPlanSettings kDefaults;  // sms, wechat, app_push; staff_messenger, email

RecipientReach Customer(bool phone = true, bool app = true, bool wechat = true) {
  RecipientReach reach;
  reach.has_phone = phone;
  reach.has_app = app;
  reach.has_wechat = wechat;
  return reach;
}

RecipientReach Staff(bool messenger = true, bool email = true) {
  RecipientReach reach;
  reach.staff = true;
  reach.has_staff_messenger = messenger;
  reach.has_email = email;
  return reach;
}

TEST_CASE("Channel names round-trip and unknown names are rejected") {
  const std::vector<std::string_view> names = {"sms",        "wechat",          "app_push",
                                               "voice_call", "staff_messenger", "email"};
  for (size_t i = 0; i < kAllDeliveryChannels.size(); ++i) {
    CHECK(DeliveryChannelName(kAllDeliveryChannels[i]) == names[i]);
    CHECK(ParseDeliveryChannel(names[i]) == kAllDeliveryChannels[i]);
  }
  CHECK_FALSE(ParseDeliveryChannel("SMS").has_value());
  CHECK_FALSE(ParseDeliveryChannel("push").has_value());
  CHECK_FALSE(ParseDeliveryChannel("").has_value());
}

TEST_CASE("Only staff messenger and email are staff channels") {
  for (const C c : kAllDeliveryChannels) {
    CHECK(IsStaffChannel(c) == (c == C::kStaffMessenger || c == C::kEmail));
  }
}

TEST_CASE("Only sms wechat and mobile app preferences name a delivery channel") {
  for (int value = v1::Channel_MIN; value <= v1::Channel_MAX; ++value) {
    if (!v1::Channel_IsValid(value)) continue;
    const auto channel = static_cast<v1::Channel>(value);
    INFO(v1::Channel_Name(channel));
    switch (channel) {
      case v1::CHANNEL_SMS:
        CHECK(FromPreferredChannel(channel) == C::kSms);
        break;
      case v1::CHANNEL_WECHAT:
        CHECK(FromPreferredChannel(channel) == C::kWeChat);
        break;
      case v1::CHANNEL_MOBILE_APP:
        CHECK(FromPreferredChannel(channel) == C::kAppPush);
        break;
      default:
        CHECK_FALSE(FromPreferredChannel(channel).has_value());
    }
  }
}

TEST_CASE("A customer without a preference gets the default order") {
  CHECK(PlanChannels(MessageClass::kOutage, Customer(), kDefaults) ==
        Plan{C::kSms, C::kWeChat, C::kAppPush});
  auto hotline = Customer();
  hotline.preferred_channel = v1::CHANNEL_HOTLINE_AGENT;
  CHECK(PlanChannels(MessageClass::kService, hotline, kDefaults) ==
        Plan{C::kSms, C::kWeChat, C::kAppPush});
}

TEST_CASE("A customer's preferred channel comes first and is not repeated") {
  auto reach = Customer();
  reach.preferred_channel = v1::CHANNEL_WECHAT;
  CHECK(PlanChannels(MessageClass::kService, reach, kDefaults) ==
        Plan{C::kWeChat, C::kSms, C::kAppPush});
  reach.preferred_channel = v1::CHANNEL_MOBILE_APP;
  CHECK(PlanChannels(MessageClass::kMarketing, reach, kDefaults) ==
        Plan{C::kAppPush, C::kSms, C::kWeChat});
}

TEST_CASE("An unreachable preferred channel is left out") {
  auto reach = Customer(true, false, true);
  reach.preferred_channel = v1::CHANNEL_MOBILE_APP;
  CHECK(PlanChannels(MessageClass::kService, reach, kDefaults) == Plan{C::kSms, C::kWeChat});
}

TEST_CASE("Channels the customer cannot receive are left out") {
  CHECK(PlanChannels(MessageClass::kOutage, Customer(false, true, true), kDefaults) ==
        Plan{C::kWeChat, C::kAppPush});
  CHECK(PlanChannels(MessageClass::kOutage, Customer(true, false, false), kDefaults) ==
        Plan{C::kSms});
  CHECK(PlanChannels(MessageClass::kOutage, Customer(false, false, false), kDefaults).empty());
}

TEST_CASE("A life-support customer is called first about safety and outages") {
  auto reach = Customer();
  reach.life_support = true;
  for (const MessageClass c : {MessageClass::kSafety, MessageClass::kOutage}) {
    CHECK(PlanChannels(c, reach, kDefaults) ==
          Plan{C::kVoiceCall, C::kSms, C::kWeChat, C::kAppPush});
  }
  reach.preferred_channel = v1::CHANNEL_WECHAT;
  CHECK(PlanChannels(MessageClass::kOutage, reach, kDefaults) ==
        Plan{C::kVoiceCall, C::kWeChat, C::kSms, C::kAppPush});
}

TEST_CASE("A life-support customer is not called about service or marketing messages") {
  auto reach = Customer();
  reach.life_support = true;
  for (const MessageClass c : {MessageClass::kService, MessageClass::kMarketing}) {
    CHECK(PlanChannels(c, reach, kDefaults) == Plan{C::kSms, C::kWeChat, C::kAppPush});
  }
}

TEST_CASE("A life-support customer without a phone cannot be called") {
  auto reach = Customer(false, true, true);
  reach.life_support = true;
  CHECK(PlanChannels(MessageClass::kSafety, reach, kDefaults) == Plan{C::kWeChat, C::kAppPush});
}

TEST_CASE("A customer who is not life-support is never called unless the order says so") {
  CHECK(PlanChannels(MessageClass::kSafety, Customer(), kDefaults) ==
        Plan{C::kSms, C::kWeChat, C::kAppPush});
  const ChannelPlanSettings with_voice{{C::kAppPush, C::kVoiceCall}, kDefaults.staff_order};
  CHECK(PlanChannels(MessageClass::kService, Customer(), with_voice) ==
        Plan{C::kAppPush, C::kVoiceCall});
}

TEST_CASE("Staff channels in a customer order and customer channels in a staff order are skipped") {
  const ChannelPlanSettings mixed{{C::kEmail, C::kSms, C::kStaffMessenger},
                                  {C::kSms, C::kEmail, C::kWeChat}};
  auto customer = Customer();
  customer.has_email = true;
  customer.has_staff_messenger = true;
  CHECK(PlanChannels(MessageClass::kService, customer, mixed) == Plan{C::kSms});
  auto staff = Staff();
  staff.has_phone = true;
  staff.has_wechat = true;
  CHECK(PlanChannels(MessageClass::kStaff, staff, mixed) == Plan{C::kEmail});
}

TEST_CASE("Staff get the messenger then email whatever they can otherwise receive") {
  auto staff = Staff();
  staff.has_phone = true;
  staff.life_support = true;
  staff.preferred_channel = v1::CHANNEL_SMS;
  CHECK(PlanChannels(MessageClass::kStaff, staff, kDefaults) ==
        Plan{C::kStaffMessenger, C::kEmail});
  CHECK(PlanChannels(MessageClass::kSafety, staff, kDefaults) ==
        Plan{C::kStaffMessenger, C::kEmail});
  CHECK(PlanChannels(MessageClass::kStaff, Staff(false, true), kDefaults) == Plan{C::kEmail});
  CHECK(PlanChannels(MessageClass::kStaff, Staff(true, false), kDefaults) ==
        Plan{C::kStaffMessenger});
  CHECK(PlanChannels(MessageClass::kStaff, Staff(false, false), kDefaults).empty());
}

TEST_CASE("Falling back walks the plan once and ends empty") {
  const Plan plan = {C::kVoiceCall, C::kSms, C::kWeChat, C::kAppPush};
  CHECK(NextChannel(plan, C::kVoiceCall) == C::kSms);
  CHECK(NextChannel(plan, C::kSms) == C::kWeChat);
  CHECK(NextChannel(plan, C::kWeChat) == C::kAppPush);
  CHECK_FALSE(NextChannel(plan, C::kAppPush).has_value());
}

TEST_CASE("Falling back from a channel not in the plan or from an empty plan gives nothing") {
  CHECK_FALSE(NextChannel(Plan{C::kSms, C::kWeChat}, C::kEmail).has_value());
  CHECK_FALSE(NextChannel(Plan{}, C::kSms).has_value());
  CHECK_FALSE(NextChannel(Plan{C::kSms}, C::kSms).has_value());
}

TEST_CASE("Falling back in a hand-made plan never returns a channel already tried") {
  const Plan plan = {C::kSms, C::kWeChat, C::kSms, C::kAppPush, C::kWeChat};
  CHECK(NextChannel(plan, C::kSms) == C::kWeChat);
  CHECK(NextChannel(plan, C::kWeChat) == C::kAppPush);
  CHECK_FALSE(NextChannel(plan, C::kAppPush).has_value());
}

TEST_CASE("Every plan is reachable and free of repeats and falling back visits it exactly") {
  const std::vector<v1::Channel> preferences = {v1::CHANNEL_UNSPECIFIED, v1::CHANNEL_SMS,
                                                v1::CHANNEL_WECHAT, v1::CHANNEL_MOBILE_APP,
                                                v1::CHANNEL_WEB};
  const std::vector<ChannelPlanSettings> orders = {
      kDefaults, {{C::kAppPush, C::kVoiceCall, C::kWeChat, C::kSms}, {C::kEmail}}};
  int plans = 0;
  for (int bits = 0; bits < 256; ++bits) {
    RecipientReach reach;
    reach.staff = bits & 1;
    reach.life_support = bits & 2;
    reach.has_phone = bits & 4;
    reach.has_app = bits & 8;
    reach.has_wechat = bits & 16;
    reach.has_staff_messenger = bits & 32;
    reach.has_email = bits & 64;
    for (const auto preferred : preferences) {
      reach.preferred_channel = preferred;
      for (const auto& settings : orders) {
        for (const MessageClass c :
             {MessageClass::kSafety, MessageClass::kOutage, MessageClass::kService,
              MessageClass::kMarketing, MessageClass::kStaff}) {
          const Plan plan = PlanChannels(c, reach, settings);
          ++plans;
          INFO("bits " << bits << " class " << MessageClassName(c));
          REQUIRE(std::set<C>(plan.begin(), plan.end()).size() == plan.size());
          for (const C channel : plan) REQUIRE(IsStaffChannel(channel) == reach.staff);
          if (plan.empty()) continue;
          Plan walked = {plan.front()};
          while (auto next = NextChannel(plan, walked.back())) walked.push_back(*next);
          REQUIRE(walked == plan);
        }
      }
    }
  }
  CHECK(plans == 256 * 5 * 2 * 5);
}

}  // namespace
}  // namespace gridcare::notification
