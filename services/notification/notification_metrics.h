#pragma once

// notification's own metrics beside the kit's consumer, gRPC and periodic-task metrics. Label
// values come from fixed lists and exist at 0 from the start; no ids as labels.
//
//   gridcare_notification_queued_total{class}                 notices stored and queued
//   gridcare_notification_suppressed_total{reason}            quiet_hours / throttled /
//                                                             no_channel / unknown_recipient
//   gridcare_notification_sent_total{channel}                 accepted by a provider
//   gridcare_notification_delivered_total{channel}            reported delivered
//   gridcare_notification_failed_total{channel,final}         a channel given up (final: no
//                                                             channel left)
//   gridcare_notification_retries_total{channel}              retryable provider answers
//   gridcare_notification_queue_depth                         queued notices (due or not)
//   gridcare_notification_fanout_recipients_total              recipients an incident reached
//   gridcare_notification_replies_total{outcome}              customers' replies: forwarded /
//                                                             ignored / unknown_notice / invalid

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <string_view>

namespace gridcare::notification {

/// Thread-safe (prometheus-cpp metrics are).
class NotificationMetrics {
 public:
  /// `registry` must outlive this object.
  explicit NotificationMetrics(prometheus::Registry& registry);
  void Queued(std::string_view message_class);
  void Suppressed(std::string_view reason);
  void Sent(std::string_view channel);
  void Delivered(std::string_view channel);
  void Failed(std::string_view channel, bool final);
  void Retried(std::string_view channel);
  void FanOutRecipients(int64_t count);
  void SetQueueDepth(int64_t depth);
  void Reply(std::string_view outcome);

 private:
  prometheus::Family<prometheus::Counter>* queued_;
  prometheus::Family<prometheus::Counter>* suppressed_;
  prometheus::Family<prometheus::Counter>* sent_;
  prometheus::Family<prometheus::Counter>* delivered_;
  prometheus::Family<prometheus::Counter>* failed_;
  prometheus::Family<prometheus::Counter>* retries_;
  prometheus::Family<prometheus::Counter>* replies_;
  prometheus::Counter* fanout_;
  prometheus::Gauge* depth_;
};

}  // namespace gridcare::notification
