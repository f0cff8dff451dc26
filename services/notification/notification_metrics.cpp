#include "notification_metrics.h"

#include <array>
#include <string>

#include "channel_plan.h"
#include "message_class.h"

namespace gridcare::notification {
namespace {

constexpr std::array<std::string_view, 6> kReasons = {
    "quiet_hours", "throttled", "no_channel", "withdrawn", "unwritable", "unknown_recipient"};

template <typename T>
prometheus::Family<T>* Family(prometheus::Registry& registry, const std::string& name,
                              const std::string& help) {
  if constexpr (std::is_same_v<T, prometheus::Counter>) {
    return &prometheus::BuildCounter().Name(name).Help(help).Register(registry);
  } else {
    return &prometheus::BuildGauge().Name(name).Help(help).Register(registry);
  }
}

}  // namespace

NotificationMetrics::NotificationMetrics(prometheus::Registry& registry)
    : queued_(Family<prometheus::Counter>(registry, "gridcare_notification_queued_total",
                                          "Notices stored and queued, by message class")),
      suppressed_(Family<prometheus::Counter>(registry, "gridcare_notification_suppressed_total",
                                              "Notices not sent on purpose, by reason")),
      sent_(Family<prometheus::Counter>(registry, "gridcare_notification_sent_total",
                                        "Notices a provider accepted, by channel")),
      delivered_(Family<prometheus::Counter>(registry, "gridcare_notification_delivered_total",
                                             "Notices reported delivered, by channel")),
      failed_(Family<prometheus::Counter>(
          registry, "gridcare_notification_failed_total",
          "Channels given up (final=true: no channel left), by channel")),
      retries_(Family<prometheus::Counter>(registry, "gridcare_notification_retries_total",
                                           "Retryable provider answers, by channel")),
      replies_(Family<prometheus::Counter>(
          registry, "gridcare_notification_replies_total",
          "Customers' replies to notices, by outcome (forwarded to intake, ignored, "
          "unknown_notice, invalid)")),
      fanout_(&Family<prometheus::Counter>(registry,
                                           "gridcare_notification_fanout_recipients_total",
                                           "Recipients reached by incident and planned-outage "
                                           "fan-outs")
                   ->Add({})),
      depth_(&Family<prometheus::Gauge>(registry, "gridcare_notification_queue_depth",
                                        "Notices queued (due or not)")
                  ->Add({})) {
  for (const MessageClass c : {MessageClass::kSafety, MessageClass::kOutage, MessageClass::kService,
                               MessageClass::kMarketing, MessageClass::kStaff}) {
    queued_->Add({{"class", std::string(MessageClassName(c))}});
  }
  for (const auto reason : kReasons) suppressed_->Add({{"reason", std::string(reason)}});
  for (const char* outcome : {"forwarded", "ignored", "unknown_notice", "invalid"}) {
    replies_->Add({{"outcome", outcome}});
  }
  for (const DeliveryChannel channel : kAllDeliveryChannels) {
    const std::string name(DeliveryChannelName(channel));
    sent_->Add({{"channel", name}});
    delivered_->Add({{"channel", name}});
    failed_->Add({{"channel", name}, {"final", "true"}});
    failed_->Add({{"channel", name}, {"final", "false"}});
    retries_->Add({{"channel", name}});
  }
}

void NotificationMetrics::Queued(std::string_view message_class) {
  queued_->Add({{"class", std::string(message_class)}}).Increment();
}
void NotificationMetrics::Suppressed(std::string_view reason) {
  suppressed_->Add({{"reason", std::string(reason)}}).Increment();
}
void NotificationMetrics::Sent(std::string_view channel) {
  sent_->Add({{"channel", std::string(channel)}}).Increment();
}
void NotificationMetrics::Delivered(std::string_view channel) {
  delivered_->Add({{"channel", std::string(channel)}}).Increment();
}
void NotificationMetrics::Failed(std::string_view channel, bool final) {
  failed_->Add({{"channel", std::string(channel)}, {"final", final ? "true" : "false"}})
      .Increment();
}
void NotificationMetrics::Retried(std::string_view channel) {
  retries_->Add({{"channel", std::string(channel)}}).Increment();
}
void NotificationMetrics::FanOutRecipients(int64_t count) {
  fanout_->Increment(static_cast<double>(count));
}
void NotificationMetrics::SetQueueDepth(int64_t depth) { depth_->Set(static_cast<double>(depth)); }

void NotificationMetrics::Reply(std::string_view outcome) {
  replies_->Add({{"outcome", std::string(outcome)}}).Increment();
}

}  // namespace gridcare::notification
