#pragma once

// The events of gridcare.notification.v1, built from a stored notification (pure): keyed by
// recipient id, CloudEvents headers, ids derived from the notification id and the step, so a
// step re-done after a crash publishes the same ce_id again and consumers de-duplicate.

#include <string>

#include "gridcare/core/clock.h"
#include "gridcare/kafka/message.h"
#include "gridcare/v1/notification.pb.h"

namespace gridcare::notification {

/// "gridcare.notification.queued.v1", "….sent.v1", "….delivered.v1", "….failed.v1",
/// "….suppressed.v1".
std::string NotificationEventType(const v1::NotificationEvent& event);

/// The record of `event` about `recipient_id`, ce_id derived from (`notification_id`, `step`).
kafka::OutgoingRecord NotificationRecord(const v1::NotificationEvent& event,
                                         const std::string& notification_id,
                                         const std::string& recipient_id, const std::string& step,
                                         core::TimePoint now, const std::string& traceparent);

v1::NotificationEvent QueuedEvent(const v1::StoredNotification& n);
v1::NotificationEvent SentEvent(const v1::StoredNotification& n);
v1::NotificationEvent DeliveredEvent(const v1::StoredNotification& n);
/// `channel` is the channel given up; `final` when none is left.
v1::NotificationEvent FailedEvent(const v1::StoredNotification& n, const std::string& channel,
                                  const std::string& reason, bool final);
v1::NotificationEvent SuppressedEvent(const v1::NotificationSuppressed& suppressed);

/// The current channel's name ("" when the plan is exhausted).
std::string CurrentChannel(const v1::StoredNotification& n);

}  // namespace gridcare::notification
