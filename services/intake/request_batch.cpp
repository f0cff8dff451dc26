#include "request_batch.h"

#include <algorithm>

namespace gridcare::intake {

// --- BatchedProfileDirectory ---

void BatchedProfileDirectory::Prefetch(const std::vector<std::string>& customer_ids) {
  asked_.clear();
  found_.clear();
  unavailable_.reset();
  if (customer_ids.empty()) return;
  auto found = inner_.GetCustomers(customer_ids);
  if (!found && !found.error().Retryable()) return;  // e.g. an id the service refuses
  asked_.insert(customer_ids.begin(), customer_ids.end());
  if (!found) {
    unavailable_ = found.error();
    return;
  }
  found_ = std::move(found).value();
}

std::vector<std::string> BatchedProfileDirectory::FoundIds() const {
  std::vector<std::string> ids;
  ids.reserve(found_.size());
  for (const auto& [id, customer] : found_) ids.push_back(id);
  return ids;
}

core::Result<Identification> BatchedProfileDirectory::Identify(
    const v1::CustomerReference& reference) {
  if (reference.identity_case() != v1::CustomerReference::kCustomerId ||
      !asked_.contains(reference.customer_id())) {
    return inner_.Identify(reference);
  }
  if (unavailable_) return *unavailable_;
  Identification identification;
  if (auto it = found_.find(reference.customer_id()); it != found_.end()) {
    identification.status = Identification::Status::kIdentified;
    identification.customer = it->second;
  }
  return identification;
}

// --- BatchedTicketStore ---

void BatchedTicketStore::Begin(const std::vector<ReserveRequest>& requests,
                               const std::vector<std::string>& customers, core::TimePoint now) {
  request_index_ = 0;
  reservations_.clear();
  open_.clear();
  changed_customers_.clear();
  held_.clear();
  held_requests_.clear();
  failure_.reset();
  first_failed_request_.reset();
  if (!requests.empty()) {
    if (auto records = inner_.ReserveMany(requests, now); records) {
      for (auto& record : *records) {
        std::string id = record.request_id();
        reservations_.emplace(std::move(id), std::move(record));
      }
    }
  }
  if (!customers.empty()) {
    if (auto open = inner_.OpenTicketsOf(customers); open) open_ = std::move(open).value();
  }
}

core::Status BatchedTicketStore::Usable() const {
  if (failure_) return *failure_;
  return {};
}

core::Status BatchedTicketStore::Flush() {
  if (auto usable = Usable(); !usable) return usable;
  if (held_.empty()) return {};
  if (auto saved = inner_.SaveOutcomes(held_); !saved) {
    failure_ = saved.error();
    first_failed_request_ = held_requests_.front();
    return saved;
  }
  held_.clear();
  held_requests_.clear();
  return {};
}

core::Result<v1::IntakeRequestRecord> BatchedTicketStore::Reserve(const std::string& request_id,
                                                                  const std::string& fingerprint,
                                                                  core::TimePoint now) {
  if (auto usable = Usable(); !usable) return usable.error();
  // A prefetched reservation serves the first request with its id; a repeat of the id in the
  // same batch must see what the first one left, so it reads after the held writes.
  if (auto it = reservations_.find(request_id); it != reservations_.end()) {
    v1::IntakeRequestRecord record = std::move(it->second);
    reservations_.erase(it);
    return record;
  }
  if (auto flushed = Flush(); !flushed) return flushed.error();
  return inner_.Reserve(request_id, fingerprint, now);
}

core::Result<std::vector<v1::Ticket>> BatchedTicketStore::OpenTickets(
    const std::string& customer_id) {
  if (auto usable = Usable(); !usable) return usable.error();
  if (!changed_customers_.contains(customer_id)) {
    if (auto it = open_.find(customer_id); it != open_.end()) return it->second;
  }
  if (auto flushed = Flush(); !flushed) return flushed.error();
  return inner_.OpenTickets(customer_id);
}

core::Result<ContactCounts> BatchedTicketStore::AddContact(const std::string& ticket_id,
                                                           const std::string& request_id,
                                                           bool urging) {
  // Contacts are sets of request ids, apart from the held ticket writes: no need to flush.
  if (auto usable = Usable(); !usable) return usable.error();
  return inner_.AddContact(ticket_id, request_id, urging);
}

core::Status BatchedTicketStore::SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                                             const v1::TimelineEntry& entry,
                                             const v1::IntakeRequestRecord& record) {
  if (auto usable = Usable(); !usable) return usable;
  held_.push_back({ticket, entry_id, entry, record});
  held_requests_.push_back(request_index_);
  if (!ticket.customer_id().empty()) changed_customers_.insert(ticket.customer_id());
  return {};
}

// Everything else is rare on the batch path (rejections, tracking): it goes to the inner store
// after the held writes, so it sees them and keeps their order.

core::Status BatchedTicketStore::Complete(const v1::IntakeRequestRecord& record) {
  if (auto flushed = Flush(); !flushed) return flushed;
  return inner_.Complete(record);
}

core::Result<std::optional<v1::Ticket>> BatchedTicketStore::GetTicket(
    const std::string& ticket_id) {
  if (auto flushed = Flush(); !flushed) return flushed.error();
  return inner_.GetTicket(ticket_id);
}

core::Status BatchedTicketStore::SaveTicket(const v1::Ticket& ticket) {
  if (auto flushed = Flush(); !flushed) return flushed;
  if (!ticket.customer_id().empty()) changed_customers_.insert(ticket.customer_id());
  return inner_.SaveTicket(ticket);
}

core::Status BatchedTicketStore::AppendTimeline(const std::string& ticket_id,
                                                const std::string& entry_id,
                                                const v1::TimelineEntry& entry) {
  if (auto flushed = Flush(); !flushed) return flushed;
  return inner_.AppendTimeline(ticket_id, entry_id, entry);
}

core::Result<std::vector<v1::TimelineEntry>> BatchedTicketStore::Timeline(
    const std::string& ticket_id) {
  if (auto flushed = Flush(); !flushed) return flushed.error();
  return inner_.Timeline(ticket_id);
}

core::Result<std::optional<std::string>> BatchedTicketStore::TicketOfRequest(
    const std::string& request_id) {
  if (auto flushed = Flush(); !flushed) return flushed.error();
  return inner_.TicketOfRequest(request_id);
}

// --- HeldPublisher ---

core::Status HeldPublisher::Publish(kafka::OutgoingRecord record) {
  held_.emplace_back(request_index_, std::move(record));
  return {};
}

std::optional<size_t> HeldPublisher::Release(size_t end) {
  std::optional<size_t> first_unqueued;
  for (auto& [request, record] : held_) {
    if (request >= end) break;
    if (first_unqueued && request >= *first_unqueued) break;
    if (!inner_.Publish(std::move(record))) first_unqueued = request;
  }
  held_.clear();
  return first_unqueued;
}

// --- RequestBatcher ---

RequestBatcher::RequestBatcher(ProfileDirectory& profiles, TicketStore& store,
                               kafka::EventPublisher& publisher, const Classifier& classifier,
                               const KnowledgeBase& knowledge, sla::CalendarView calendar,
                               IntakeRules rules, const core::Clock& clock)
    : profiles_(profiles),
      store_(store),
      publisher_(publisher),
      limits_(rules.limits),
      clock_(clock),
      core_(profiles_, store_, publisher_, classifier, knowledge, std::move(calendar),
            std::move(rules), clock) {}

RequestBatcher::Outcome RequestBatcher::Submit(
    const std::vector<const v1::ServiceRequest*>& requests) {
  // What the batch will read: a reservation for each acceptable request id, and each customer
  // named by id with that customer's open tickets. Rejected requests reserve nothing.
  std::vector<ReserveRequest> reservations;
  std::vector<std::string> customer_ids;
  std::set<std::string> seen_requests;
  std::set<std::string> seen_customers;
  for (const auto* request : requests) {
    if (ValidateRequest(*request, limits_)) continue;
    if (seen_requests.insert(request->request_id()).second) {
      reservations.push_back({request->request_id(), RequestFingerprint(*request)});
    }
    if (request->customer().identity_case() == v1::CustomerReference::kCustomerId &&
        seen_customers.insert(request->customer().customer_id()).second) {
      customer_ids.push_back(request->customer().customer_id());
    }
  }
  profiles_.Prefetch(customer_ids);
  store_.Begin(reservations, profiles_.FoundIds(), clock_.Now());
  publisher_.Begin();

  Outcome outcome;
  outcome.done = requests.size();
  for (size_t i = 0; i < requests.size(); ++i) {
    store_.SetRequestIndex(i);
    publisher_.SetRequestIndex(i);
    auto result = core_.Submit(*requests[i]);
    if (!result) {
      outcome.done = i;
      outcome.error = result.error();
      break;
    }
    outcome.results.push_back(std::move(result).value());
  }
  if (auto flushed = store_.Flush(); !flushed && !outcome.error) outcome.error = flushed.error();
  if (auto failed = store_.first_failed_request(); failed && *failed < outcome.done) {
    outcome.done = *failed;
  }
  if (auto unqueued = publisher_.Release(outcome.done)) {
    outcome.done = *unqueued;
    outcome.error = core::Error{core::ErrorKind::kResourceExhausted,
                                "the producer's queue is full; events not queued"};
  }
  if (outcome.done == requests.size()) outcome.error.reset();
  outcome.results.resize(std::min(outcome.results.size(), outcome.done));
  return outcome;
}

}  // namespace gridcare::intake
