#pragma once
// Deciding a poll batch of requests at once. IntakeCore decides one request at a time and, alone,
// makes several Redis round trips and a profile call for each. RequestBatcher runs the same
// IntakeCore over three decorators that turn that I/O into a few round trips per batch:
//  - BatchedProfileDirectory answers customer-id lookups from one GetCustomers call;
//  - BatchedTicketStore answers reservations and open tickets from pipelined prefetches and holds
//    the outcome writes, then writes them together in one MULTI/EXEC (at the end of the batch,
//    or sooner when a read must see them);
//  - HeldPublisher keeps the batch's events until their writes are durable.
// The decisions are IntakeCore's, unchanged: a request sees every earlier request of its batch.
// Not thread-safe: one RequestBatcher per consumer loop.

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "intake_core.h"

namespace gridcare::intake {

class BatchedProfileDirectory final : public ProfileDirectory {
 public:
  explicit BatchedProfileDirectory(ProfileDirectory& inner) : inner_(inner) {}
  /// Forgets the previous batch and fetches these customers (ids distinct). If the profile service
  /// is unavailable, lookups of these ids fail the same way (and are retried with the batch);
  /// any other failure only means that each lookup asks on its own.
  void Prefetch(const std::vector<std::string>& customer_ids);
  /// The ids Prefetch found.
  std::vector<std::string> FoundIds() const;

  core::Result<Identification> Identify(const v1::CustomerReference& reference) override;
  core::Result<std::map<std::string, v1::Customer>> GetCustomers(
      const std::vector<std::string>& customer_ids) override {
    return inner_.GetCustomers(customer_ids);
  }

 private:
  ProfileDirectory& inner_;
  std::set<std::string> asked_;  // ids the prefetch answered for, found or not
  std::map<std::string, v1::Customer> found_;
  std::optional<core::Error> unavailable_;  // the prefetch's retryable failure
};

class BatchedTicketStore final : public TicketStore {
 public:
  explicit BatchedTicketStore(TicketStore& inner) : inner_(inner) {}

  /// Starts a batch: forgets the previous one, then reserves these requests (ids distinct) and
  /// reads these customers' open tickets. A failed prefetch is not an error: the reads then go
  /// to the inner store.
  void Begin(const std::vector<ReserveRequest>& requests, const std::vector<std::string>& customers,
             core::TimePoint now);
  /// The request of the batch that the following calls are made for.
  void SetRequestIndex(size_t index) { request_index_ = index; }
  /// Writes the held outcomes. After a failed write every call fails until the next Begin.
  core::Status Flush();
  /// The first request whose held writes failed (nullopt: none).
  std::optional<size_t> first_failed_request() const { return first_failed_request_; }

  core::Result<v1::IntakeRequestRecord> Reserve(const std::string& request_id,
                                                const std::string& fingerprint,
                                                core::TimePoint now) override;
  core::Status Complete(const v1::IntakeRequestRecord& record) override;
  core::Result<std::optional<v1::Ticket>> GetTicket(const std::string& ticket_id) override;
  core::Status SaveTicket(const v1::Ticket& ticket) override;
  core::Result<std::vector<v1::Ticket>> OpenTickets(const std::string& customer_id) override;
  core::Result<ContactCounts> AddContact(const std::string& ticket_id,
                                         const std::string& request_id, bool urging) override;
  core::Status AppendTimeline(const std::string& ticket_id, const std::string& entry_id,
                              const v1::TimelineEntry& entry) override;
  core::Result<std::vector<v1::TimelineEntry>> Timeline(const std::string& ticket_id) override;
  core::Result<std::optional<std::string>> TicketOfRequest(const std::string& request_id) override;
  /// Held until Flush.
  core::Status SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                           const v1::TimelineEntry& entry,
                           const v1::IntakeRequestRecord& record) override;

 private:
  /// OK, or the failure of an earlier write of this batch.
  core::Status Usable() const;

  TicketStore& inner_;
  size_t request_index_ = 0;
  std::map<std::string, v1::IntakeRequestRecord> reservations_;  // unused prefetched ones
  std::map<std::string, std::vector<v1::Ticket>> open_;          // prefetched open tickets
  std::set<std::string> changed_customers_;  // written this batch: prefetched reads are stale
  std::vector<RequestOutcome> held_;
  std::vector<size_t> held_requests_;  // the request of each held outcome
  std::optional<core::Error> failure_;
  std::optional<size_t> first_failed_request_;
};

class HeldPublisher final : public kafka::EventPublisher {
 public:
  explicit HeldPublisher(kafka::EventPublisher& inner) : inner_(inner) {}
  /// Starts a batch (drops anything still held).
  void Begin() { held_.clear(); }
  void SetRequestIndex(size_t index) { request_index_ = index; }
  /// Held until Release.
  core::Status Publish(kafka::OutgoingRecord record) override;
  core::Status Flush(std::chrono::milliseconds timeout) override { return inner_.Flush(timeout); }
  /// Publishes, in order, the held events of the requests before `end` and drops the rest.
  /// Returns the first request whose events could not all be queued (nullopt: none).
  std::optional<size_t> Release(size_t end);

 private:
  kafka::EventPublisher& inner_;
  size_t request_index_ = 0;
  std::vector<std::pair<size_t, kafka::OutgoingRecord>> held_;
};

class RequestBatcher {
 public:
  RequestBatcher(ProfileDirectory& profiles, TicketStore& store, kafka::EventPublisher& publisher,
                 const Classifier& classifier, const KnowledgeBase& knowledge,
                 sla::CalendarView calendar, IntakeRules rules, const core::Clock& clock);

  struct Outcome {
    /// How many requests, from the first, are done: their writes durable, their events queued.
    size_t done = 0;
    /// Why the request at `done` is not (set when done < the batch's size). Every request from
    /// there on must be submitted again; what they left behind is idempotent.
    std::optional<core::Error> error;
    /// The outcomes of the requests that are done, in order.
    std::vector<SubmitResult> results;
  };
  /// Decides `requests` in order, as IntakeCore::Submit would one after the other.
  Outcome Submit(const std::vector<const v1::ServiceRequest*>& requests);

 private:
  BatchedProfileDirectory profiles_;
  BatchedTicketStore store_;
  HeldPublisher publisher_;
  ValidationLimits limits_;
  const core::Clock& clock_;
  IntakeCore core_;
};

}  // namespace gridcare::intake
