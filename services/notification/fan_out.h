#pragma once

// Turns the intents of one input event into stored, queued notices (logic over ports): resolves
// each audience to recipients — the customer from the profile, an unidentified caller's number,
// a staff member from the staff directory, or every customer of the affected transformer areas or
// feeder, streamed from the profile, one notice per phone number across accounts — plans each
// (recipient_planner.h) and stores the notices in batches (DeliveryStore::Enqueue, which creates
// each notification id once: a redelivered event or a fan-out restarted half-way queues nothing
// twice). Publishes queued and suppressed events; durable when Notify returns OK (the consumer
// flushes the producer before it commits the offset).
//
// The per-recipient throttle (N notices an hour about one subject) is kept per (recipient,
// subject) for notices to one recipient; a fan-out keeps one state per (subject, template class)
// for its whole audience, as every member of it receives the same sequence of notices (see
// docs/services/notification.md).

#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "customer_directory.h"
#include "delivery_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/publisher.h"
#include "notification_metrics.h"
#include "recipient_planner.h"
#include "staff_directory.h"
#include "trigger_rules.h"

namespace gridcare::notification {

/// Memo keys the Kafka edge writes and the fan-out reads: ticket id → "c:<customer id>" or
/// "r:<request id>" (from intake's ticket_opened); request id → the number an unidentified
/// caller can be reached on (from gridcare.requests.v1; personal data, never logged).
std::string TicketMemoKey(const std::string& ticket_id);
std::string RequesterMemoKey(const std::string& request_id);
/// The memo key of a withdrawal of (subject, template) ("" template: every template); its value
/// is the Unix ms it was withdrawn at: notices created before then are not sent (NoticeSender).
std::string WithdrawalMemoKey(const std::string& subject_id, const std::string& template_id);

/// Thread-safe if its ports are.
class FanOut {
 public:
  /// Every reference must outlive this object; `metrics` may be null.
  FanOut(DeliveryStore& store, CustomerDirectory& customers, const StaffDirectory& staff,
         const RecipientPlanner& planner, kafka::EventPublisher& publisher,
         const core::Clock& clock, const ThrottleSettings& throttle,
         NotificationMetrics* metrics = nullptr);

  /// Plans and stores every intent of the event `source_event_id`. Errors are retryable store,
  /// profile or publisher errors, or a template that cannot be written (a configuration fault).
  core::Status Notify(const std::vector<NotificationIntent>& intents,
                      const std::string& source_event_id, const std::string& traceparent);

  /// Notices stored by this process (tests, the scenario's summary).
  int64_t queued_total() const { return queued_total_; }

 private:
  class Batch;
  struct SupplyIntent;
  static NoticeRequest RequestFor(const NotificationIntent& intent,
                                  const std::string& source_event_id);
  core::Status NotifyOne(const NotificationIntent& intent, const std::string& source_event_id,
                         const std::string& traceparent);
  /// Consecutive intents to one supply area, planned in one pass over the profile stream.
  core::Status NotifySupply(std::span<const NotificationIntent> group,
                            const std::string& source_event_id, const std::string& traceparent);
  core::Status PlanForCustomer(SupplyIntent& one, const v1::Customer& customer, core::TimePoint now,
                               Batch& batch);
  /// One recipient from the profile, the ticket and requester memos or the staff directory;
  /// nullopt when unknown.
  core::Result<std::optional<Recipient>> Resolve(const Recipients& recipients);
  /// The intent's values plus the recipient's own ({address}, {area}; {staff_name}).
  PlaceholderValues WithRecipientValues(const NotificationIntent& intent,
                                        const Recipient& recipient,
                                        const v1::Customer* customer = nullptr) const;

  DeliveryStore& store_;
  CustomerDirectory& customers_;
  const StaffDirectory& staff_;
  const RecipientPlanner& planner_;
  kafka::EventPublisher& publisher_;
  const core::Clock& clock_;
  const ThrottleSettings& throttle_;
  NotificationMetrics* metrics_;
  std::atomic<int64_t> queued_total_{0};
};

}  // namespace gridcare::notification
