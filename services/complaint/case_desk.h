#pragma once

// The complaint service's application core: applies CaseRules to stored cases — for intake's
// ticket events, the desk's actions and the durable timers — and makes each result durable
// (CaseStore::Commit: case, timer, desk listing and outbox in one batch) before its events are
// published. One input at a time per case (striped locks); any number of cases at once.

#include <array>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "calendar_book.h"
#include "case_rules.h"
#include "case_store.h"
#include "complaint_metrics.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint {

class CaseDesk {
 public:
  /// Every reference must outlive the desk. `metrics` may be null.
  CaseDesk(CaseStore& store, kafka::EventPublisher& publisher, const core::Clock& clock,
           const CalendarBook& calendars, const CaseRules& rules,
           ComplaintMetrics* metrics = nullptr);

  // --- Kafka inputs: effects are durable when these return OK; the consumer loop flushes the
  // published events before it commits the offset. A redelivered input republishes its outbox.
  core::Status OnTicketOpened(const v1::Ticket& ticket, const OpenFacts& facts,
                              std::string_view event_id, std::string_view traceparent);
  core::Status OnContactAdded(const v1::ContactAdded& contact, std::string_view event_id,
                              std::string_view traceparent);
  core::Status OnTicketStateChanged(const v1::TicketStateChanged& changed,
                                    std::string_view event_id, std::string_view traceparent);

  // --- The desk (gRPC) ---------------------------------------------------------------------
  core::Result<v1::ComplaintCase> Get(std::string_view case_id);
  core::Result<v1::ListCasesResponse> List(const v1::ListCasesRequest& request);
  /// Applies a desk action (its request id: the outbox's id) to `case_id`: `action` gets the stored
  /// case and now. The events are published and flushed before it returns (so the caller's OK means
  /// they are out); when the flush fails the change stands and the relay publishes them later.
  using Action =
      std::function<core::Result<CaseChange>(v1::StoredCase, core::TimePoint, const CalendarBook&)>;
  core::Result<v1::ComplaintCase> Act(std::string_view case_id, std::string_view request_id,
                                      std::string_view action_name, const Action& action);

  // --- Periodic work -----------------------------------------------------------------------
  /// Raises the alarms of every case whose timer is due (at most `limit` cases). Returns how many
  /// cases it ticked.
  core::Result<int> TickDue(int64_t limit = 500);
  /// Publishes outboxes still pending (a desk call or a tick whose flush failed, a crash).
  core::Result<int> RelayPending(int64_t limit = 200);

  const core::Clock& clock() const { return clock_; }

 private:
  std::mutex& LockFor(std::string_view case_id);
  /// Commits `change` for input `input_id` and publishes its events. `pending`: not a Kafka input
  /// (flushed here, then forgotten); with `deferred` the flush is the caller's, who gets the
  /// outbox id to forget after it (FlushAndForget).
  core::Status Commit(const CaseChange& change, const std::string& previous_department,
                      const std::string& input_id, std::string_view traceparent, bool pending,
                      std::vector<std::string>* deferred = nullptr);
  /// One flush for many pending outboxes, then forgets them; on failure the relay has them.
  void FlushAndForget(const std::vector<std::string>& outbox_ids);
  /// Republishes the outbox of `input_id` on `case_id` (a redelivery after a crash).
  core::Status Republish(std::string_view case_id, const std::string& input_id);
  core::Status Publish(const std::vector<kafka::OutgoingRecord>& records);

  CaseStore& store_;
  kafka::EventPublisher& publisher_;
  const core::Clock& clock_;
  CalendarBook calendars_;
  const CaseRules& rules_;
  ComplaintMetrics* metrics_;
  std::array<std::mutex, 64> locks_;
};

/// The outbox id of input `input_id` on `case_id`.
std::string OutboxIdFor(std::string_view case_id, std::string_view input_id);

}  // namespace gridcare::complaint
