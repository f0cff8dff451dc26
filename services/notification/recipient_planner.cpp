#include "recipient_planner.h"

#include <algorithm>
#include <array>
#include <utility>

#include "gridcare/logging/privacy.h"
#include "gridcare/sla/clocks.h"
#include "notification_id.h"
#include "quiet_hours.h"

namespace gridcare::notification {
namespace {

bool HasTag(const v1::Customer& customer, v1::CustomerTag tag) {
  return std::any_of(customer.tags().begin(), customer.tags().end(),
                     [tag](int t) { return t == tag; });
}

std::string Masked(DeliveryChannel channel, const std::string& address) {
  switch (channel) {
    case DeliveryChannel::kSms:
    case DeliveryChannel::kVoiceCall:
      return logging::MaskPhone(address);
    default:
      return address.size() <= 4
                 ? std::string(address.size(), '*')
                 : address.substr(0, 2) + "****" + address.substr(address.size() - 2);
  }
}

v1::NotificationSuppressed Suppressed(const std::string& id, const NoticeRequest& request,
                                      const Recipient& recipient, std::string reason) {
  v1::NotificationSuppressed suppressed;
  suppressed.set_notification_id(id);
  suppressed.set_recipient_id(recipient.id);
  suppressed.set_template_id(request.template_id);
  suppressed.set_subject_id(request.subject_id);
  suppressed.set_reason(std::move(reason));
  return suppressed;
}

}  // namespace

int UtcOffsetForZone(std::string_view iana_zone) {
  struct Zone {
    std::string_view name;
    int offset;
  };
  static constexpr std::array<Zone, 12> kZones = {{{"Asia/Shanghai", 480},
                                                   {"Asia/Chongqing", 480},
                                                   {"Asia/Harbin", 480},
                                                   {"Asia/Urumqi", 360},
                                                   {"Asia/Kashgar", 360},
                                                   {"Asia/Hong_Kong", 480},
                                                   {"Asia/Macau", 480},
                                                   {"Asia/Taipei", 480},
                                                   {"Asia/Singapore", 480},
                                                   {"Asia/Tokyo", 540},
                                                   {"UTC", 0},
                                                   {"Etc/UTC", 0}}};
  for (const Zone& zone : kZones) {
    if (zone.name == iana_zone) return zone.offset;
  }
  return 480;
}

Recipient CustomerRecipient(const v1::Customer& customer) {
  Recipient recipient;
  recipient.kind = v1::RECIPIENT_KIND_CUSTOMER;
  recipient.id = customer.customer_id();
  recipient.language = customer.preferred_language();
  recipient.utc_offset_minutes = UtcOffsetForZone(customer.quiet_hours().time_zone());
  recipient.quiet_hours = QuietHoursWindow::FromProto(customer.quiet_hours());
  recipient.postal_address = customer.address().full_text();
  const auto& address = customer.address();
  recipient.locality = !address.street().empty()     ? address.district() + address.street()
                       : !address.district().empty() ? address.district()
                                                     : address.city();
  recipient.tenant_id = customer.tenant_id();
  RecipientReach& reach = recipient.reach;
  reach.preferred_channel = customer.preferred_channel();
  reach.life_support = HasTag(customer, v1::CUSTOMER_TAG_LIFE_SUPPORT);
  if (!customer.phones().empty() && !customer.phones(0).empty()) {
    reach.has_phone = true;
    recipient.addresses[DeliveryChannel::kSms] = customer.phones(0);
    recipient.addresses[DeliveryChannel::kVoiceCall] = customer.phones(0);
  }
  if (customer.preferred_channel() == v1::CHANNEL_WECHAT) {
    reach.has_wechat = true;
    recipient.addresses[DeliveryChannel::kWeChat] = customer.customer_id();
  }
  if (customer.preferred_channel() == v1::CHANNEL_MOBILE_APP) {
    reach.has_app = true;
    recipient.addresses[DeliveryChannel::kAppPush] = customer.customer_id();
  }
  return recipient;
}

Recipient CallerRecipient(const std::string& phone) {
  Recipient recipient;
  recipient.kind = v1::RECIPIENT_KIND_CUSTOMER;
  // Never the number itself: a stable id derived from it.
  recipient.id = "caller-" + NotificationId("caller", phone, "").substr(2, 16);
  recipient.reach.has_phone = !phone.empty();
  if (!phone.empty()) recipient.addresses[DeliveryChannel::kSms] = phone;
  return recipient;
}

core::Result<NoticePlan> RecipientPlanner::Plan(const NoticeRequest& request,
                                                const Recipient& recipient,
                                                const ThrottleState& throttle,
                                                core::TimePoint now) const {
  NoticePlan plan;
  plan.notification_id = NotificationId(request.source_event_id, recipient.id, request.template_id);
  const auto message_class = templates_.ClassOf(request.template_id);
  if (!message_class) {
    return core::NotFound("template \"" + request.template_id + "\" is not in the catalogue");
  }
  // The caller's values as they are (a fan-out plans thousands: no copy) unless the recipient's
  // address must be added.
  static const PlaceholderValues kNone;
  const PlaceholderValues* given = request.values != nullptr ? request.values : &kNone;
  PlaceholderValues with_address;
  if (!recipient.postal_address.empty() && given->Find("address") == nullptr) {
    with_address = *given;
    with_address.SetAddress("address", recipient.postal_address);
    given = &with_address;
  }
  const PlaceholderValues& values = *given;
  const core::TimePoint due_from = std::max(now, request.not_before.value_or(now));
  auto rendered = templates_.Render(request.template_id, recipient.language, values,
                                    {due_from, recipient.utc_offset_minutes});
  if (!rendered) return rendered.error();

  const auto channels = PlanChannels(*message_class, recipient.reach, policy_.channels);
  if (channels.empty()) {
    plan.suppressed = Suppressed(plan.notification_id, request, recipient, "no_channel");
    return plan;
  }
  const auto quiet = Decide(*message_class, recipient.quiet_hours, recipient.utc_offset_minutes,
                            recipient.reach.life_support, request.restoration_expected_at, due_from,
                            policy_.quiet_hours);
  if (quiet.verdict == QuietHoursVerdict::kDrop) {
    plan.suppressed = Suppressed(plan.notification_id, request, recipient, "quiet_hours");
    return plan;
  }
  const auto admitted = Admit(throttle, *message_class, due_from, policy_.throttle);
  if (!admitted.allowed) {
    plan.suppressed = Suppressed(plan.notification_id, request, recipient, "throttled");
    *plan.suppressed->mutable_deferred_until() = sla::ToTimestamp(admitted.throttled_until);
    return plan;
  }
  plan.throttle = admitted.state;

  v1::StoredNotification record;
  record.set_notification_id(plan.notification_id);
  record.set_recipient_kind(recipient.kind);
  record.set_recipient_id(recipient.id);
  record.set_template_id(request.template_id);
  record.set_subject_id(request.subject_id);
  record.set_language(rendered->language);
  record.set_text(rendered->text);
  for (const DeliveryChannel channel : channels) {
    record.add_channels(std::string(DeliveryChannelName(channel)));
    const auto address = recipient.addresses.find(channel);
    if (address != recipient.addresses.end()) {
      (*record.mutable_addresses())[std::string(DeliveryChannelName(channel))] = address->second;
    }
  }
  const auto first = recipient.addresses.find(channels.front());
  if (first != recipient.addresses.end()) {
    record.set_masked_address(Masked(channels.front(), first->second));
  }
  record.set_state(v1::NOTIFICATION_STATE_QUEUED);
  record.set_message_class(std::string(MessageClassName(*message_class)));
  record.set_proactive(request.proactive);
  record.set_source_event_id(request.source_event_id);
  *record.mutable_created_at() = sla::ToTimestamp(now);
  const core::TimePoint due =
      quiet.verdict == QuietHoursVerdict::kHold ? quiet.hold_until : due_from;
  *record.mutable_due_at() = sla::ToTimestamp(due);
  if (quiet.verdict == QuietHoursVerdict::kHold) record.set_reason("held_for_quiet_hours");
  if (request.restoration_expected_at) {
    *record.mutable_restoration_expected_at() = sla::ToTimestamp(*request.restoration_expected_at);
  }
  record.set_tenant_id(recipient.tenant_id);
  plan.record = std::move(record);
  return plan;
}

std::string MaskedAddressFor(DeliveryChannel channel, const std::string& address) {
  return Masked(channel, address);
}

}  // namespace gridcare::notification
