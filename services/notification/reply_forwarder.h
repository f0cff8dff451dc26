#pragma once

// Passes customers' replies to notices on to intake (logic over ports): finds the notice the
// reply answers in the DeliveryStore, turns it into a request (reply_requests.h) and publishes it
// on gridcare.requests.v1, flushed before the provider is answered — so a reply acknowledged is
// durable, and one not acknowledged is posted again by the provider (the request id makes the
// repeat harmless). Replies to staff notices are counted and dropped.

#include <chrono>
#include <string>

#include "delivery_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/publisher.h"
#include "message_gateway.h"
#include "notification_metrics.h"

namespace gridcare::notification {

/// Thread-safe (the store and publisher are).
class ReplyForwarder {
 public:
  /// Every reference must outlive the forwarder; `metrics` may be null.
  ReplyForwarder(DeliveryStore& store, kafka::EventPublisher& publisher, const core::Clock& clock,
                 NotificationMetrics* metrics = nullptr,
                 std::chrono::milliseconds flush_timeout = std::chrono::seconds(10));

  /// NOT_FOUND for a notice not known (or expired), INVALID_ARGUMENT for a reply that makes no
  /// valid request, UNAVAILABLE (retryable) when the store or the broker is down.
  core::Status OnReply(const std::string& provider, const InboundReply& reply);

 private:
  DeliveryStore& store_;
  kafka::EventPublisher& publisher_;
  const core::Clock& clock_;
  NotificationMetrics* metrics_;
  std::chrono::milliseconds flush_timeout_;
};

}  // namespace gridcare::notification
