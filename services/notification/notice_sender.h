#pragma once

// Sends what is due and follows it to its delivery report (logic over ports): claims due notices
// from the DeliveryStore for a lease, sends them through the MessageGateway (each channel paced by
// its provider), and for each answer: accepted → SENT; retryable → queued again after the
// backoff (or the provider's Retry-After); permanent or out of attempts → the next channel of
// the plan, or FAILED when none is left. A delivery report marks the notice DELIVERED, or tries
// the next channel when the provider could not deliver it. Events are published and flushed
// before the record is saved: a crash between the two sends the notice again with the same
// client_message_id (the provider answers "duplicate", nothing reaches the customer twice) and
// republishes the same ce_ids.

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "delivery_policy_config.h"
#include "delivery_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/publisher.h"
#include "message_gateway.h"
#include "notification_metrics.h"

namespace gridcare::notification {

struct SenderSettings {
  int batch = 500;                                   ///< notices claimed per round
  core::Duration lease = std::chrono::seconds(120);  ///< a crashed sender's claims return
  std::chrono::milliseconds flush_timeout{10'000};
  /// How long a delivery report for a notice still being sent waits for the send to be recorded
  /// before it is refused as retryable (the provider posts it again).
  std::chrono::milliseconds report_wait{3'000};
};

/// Thread-safe: SendDue may run on several send loops at once (their claims never overlap);
/// OnReport on the callback server's threads.
class NoticeSender {
 public:
  /// Every reference must outlive the sender; `metrics` may be null.
  NoticeSender(DeliveryStore& store, MessageGateway& gateway, kafka::EventPublisher& publisher,
               const core::Clock& clock, const DeliveryPolicy& policy, SenderSettings settings,
               NotificationMetrics* metrics = nullptr);

  /// One round: claims up to `batch` due notices and sends them. Returns how many were claimed
  /// (0 when nothing was due).
  core::Result<int> SendDue();

  /// Applies a provider's delivery report. NOT_FOUND for an unknown notification. A report for a
  /// notice whose send is still being recorded waits for it (report_wait at most, then
  /// UNAVAILABLE: post it again), so an acknowledged report is always applied durably. A report
  /// for a notice still queued (sent by a process that stopped before recording it) records it
  /// sent and reported.
  core::Status OnReport(const DeliveryReport& report);

 private:
  /// A report for a notice in flight, and the answer its callback waits for.
  struct EarlyReport {
    DeliveryReport report;
    std::promise<core::Status> applied;
  };
  struct Step {
    v1::StoredNotification record;
    std::optional<core::TimePoint> next_due;
    std::vector<kafka::OutgoingRecord> events;
  };
  Step AfterSend(v1::StoredNotification record, const SendResult& result, core::TimePoint now);
  /// Moves to the next channel (queued now) or FAILED/`final_state`; appends the events.
  void GiveUpChannel(Step& step, const std::string& reason, v1::NotificationState final_state,
                     core::TimePoint now);
  Step AfterReport(v1::StoredNotification record, const DeliveryReport& report,
                   core::TimePoint now);
  core::Status Commit(const std::vector<Step>& steps);
  /// Reports that arrived while their notices were being sent, applied to the records of
  /// `saved` (this round's, as just saved) in one Commit; each waiting callback gets the
  /// outcome (a failure is answered 503: the provider posts the report again).
  void ApplyEarlyReports(const std::vector<Step>& saved,
                         const std::vector<std::shared_ptr<EarlyReport>>& early);
  /// Whether `report` moves `record`: it is SENT and the report is about its current attempt.
  static bool Applies(const v1::StoredNotification& record, const DeliveryReport& report);
  /// Whether `record` was withdrawn after it was created (a planned outage moved or cancelled, a
  /// return visit made); `cache` keeps this round's look-ups.
  core::Result<bool> Withdrawn(const v1::StoredNotification& record,
                               std::map<std::string, int64_t>& cache);

  DeliveryStore& store_;
  MessageGateway& gateway_;
  kafka::EventPublisher& publisher_;
  const core::Clock& clock_;
  const DeliveryPolicy& policy_;
  SenderSettings settings_;
  NotificationMetrics* metrics_;

  /// Marks a round's notices in flight for its lifetime (see its members).
  class InFlight;

  std::mutex in_flight_mutex_;
  std::set<std::string> in_flight_;  // being sent, not yet saved
  std::map<std::string, std::vector<std::shared_ptr<EarlyReport>>> early_reports_;
};

}  // namespace gridcare::notification
