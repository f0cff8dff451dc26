#include "notification_events.h"

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"

namespace gridcare::notification {
namespace {

v1::Channel ProtoChannel(const std::string& channel) {
  if (channel == "sms") return v1::CHANNEL_SMS;
  if (channel == "wechat") return v1::CHANNEL_WECHAT;
  if (channel == "app_push") return v1::CHANNEL_MOBILE_APP;
  return v1::CHANNEL_UNSPECIFIED;  // voice and staff channels have no intake channel
}

// ce_subject: the ticket, incident, case or planned outage the notice is about.
std::string SubjectOf(const v1::NotificationEvent& event) {
  switch (event.event_case()) {
    case v1::NotificationEvent::kQueued:
      return event.queued().subject_id();
    case v1::NotificationEvent::kSent:
      return event.sent().subject_id();
    case v1::NotificationEvent::kDelivered:
      return event.delivered().subject_id();
    case v1::NotificationEvent::kFailed:
      return event.failed().subject_id();
    case v1::NotificationEvent::kSuppressed:
      return event.suppressed().subject_id();
    default:
      return "";
  }
}

}  // namespace

std::string CurrentChannel(const v1::StoredNotification& n) {
  if (n.channel_index() < 0 || n.channel_index() >= n.channels_size()) return "";
  return n.channels(n.channel_index());
}

std::string NotificationEventType(const v1::NotificationEvent& event) {
  switch (event.event_case()) {
    case v1::NotificationEvent::kQueued:
      return "gridcare.notification.queued.v1";
    case v1::NotificationEvent::kSent:
      return "gridcare.notification.sent.v1";
    case v1::NotificationEvent::kDelivered:
      return "gridcare.notification.delivered.v1";
    case v1::NotificationEvent::kFailed:
      return "gridcare.notification.failed.v1";
    case v1::NotificationEvent::kSuppressed:
      return "gridcare.notification.suppressed.v1";
    default:
      return "gridcare.notification.unknown.v1";
  }
}

kafka::OutgoingRecord NotificationRecord(const v1::NotificationEvent& event,
                                         const std::string& notification_id,
                                         const std::string& recipient_id, const std::string& step,
                                         core::TimePoint now, const std::string& traceparent) {
  kafka::EventMetadata metadata{
      kafka::DeriveEventId(notification_id, step),
      NotificationEventType(event),
      "/gridcare/notification",
      SubjectOf(event),
      now,
      traceparent.empty() ? kafka::NewTraceparent() : kafka::ChildTraceparent(traceparent)};
  return kafka::MakeRecord(std::string(kafka::kNotificationTopic), recipient_id, metadata, event);
}

v1::NotificationEvent QueuedEvent(const v1::StoredNotification& n) {
  v1::NotificationEvent event;
  auto* queued = event.mutable_queued();
  queued->set_notification_id(n.notification_id());
  queued->set_recipient_kind(n.recipient_kind());
  queued->set_recipient_id(n.recipient_id());
  queued->set_template_id(n.template_id());
  queued->set_subject_id(n.subject_id());
  queued->set_channel(CurrentChannel(n));
  *queued->mutable_due_at() = n.due_at();
  queued->set_proactive(n.proactive());
  queued->set_tenant_id(n.tenant_id());
  return event;
}

v1::NotificationEvent SentEvent(const v1::StoredNotification& n) {
  v1::NotificationEvent event;
  auto* sent = event.mutable_sent();
  sent->set_notification_id(n.notification_id());
  sent->set_recipient_kind(n.recipient_kind());
  sent->set_recipient_id(n.recipient_id());
  sent->set_channel(ProtoChannel(CurrentChannel(n)));
  sent->set_channel_name(CurrentChannel(n));
  sent->set_language(n.language());
  sent->set_template_id(n.template_id());
  sent->set_subject_id(n.subject_id());
  sent->set_provider_message_id(n.provider_message_id());
  *sent->mutable_sent_at() = n.sent_at();
  sent->set_proactive(n.proactive());
  sent->set_masked_address(n.masked_address());
  sent->set_tenant_id(n.tenant_id());
  return event;
}

v1::NotificationEvent DeliveredEvent(const v1::StoredNotification& n) {
  v1::NotificationEvent event;
  auto* delivered = event.mutable_delivered();
  delivered->set_notification_id(n.notification_id());
  delivered->set_recipient_kind(n.recipient_kind());
  delivered->set_recipient_id(n.recipient_id());
  delivered->set_channel(CurrentChannel(n));
  delivered->set_template_id(n.template_id());
  delivered->set_subject_id(n.subject_id());
  delivered->set_provider_message_id(n.provider_message_id());
  *delivered->mutable_delivered_at() = n.delivered_at();
  return event;
}

v1::NotificationEvent FailedEvent(const v1::StoredNotification& n, const std::string& channel,
                                  const std::string& reason, bool final) {
  v1::NotificationEvent event;
  auto* failed = event.mutable_failed();
  failed->set_notification_id(n.notification_id());
  failed->set_recipient_kind(n.recipient_kind());
  failed->set_recipient_id(n.recipient_id());
  failed->set_channel(ProtoChannel(channel));
  failed->set_template_id(n.template_id());
  failed->set_subject_id(n.subject_id());
  failed->set_reason(channel + ": " + reason);
  failed->set_attempts(n.attempts());
  failed->set_final(final);
  return event;
}

v1::NotificationEvent SuppressedEvent(const v1::NotificationSuppressed& suppressed) {
  v1::NotificationEvent event;
  *event.mutable_suppressed() = suppressed;
  return event;
}

}  // namespace gridcare::notification
