#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::intake {

struct ContactCounts {
  int contact_count = 1;  // including the contact that opened the ticket
  int urging_count = 0;
};

struct ReserveRequest {
  std::string request_id;
  std::string fingerprint;
};

/// What a decided request leaves behind (see TicketStore::SaveOutcome).
struct RequestOutcome {
  v1::Ticket ticket;
  std::string entry_id;
  v1::TimelineEntry entry;
  v1::IntakeRequestRecord record;
};

/// Intake's records: request idempotency, tickets, open tickets per customer, contacts and
/// timelines (the port; RedisTicketStore in redis_ticket_store.h is the adapter, the in-memory
/// fake is in tests/support/intake). Every write is idempotent (keyed by request, ticket or event
/// id), so replaying a request or an event changes nothing. Implementations are thread-safe.
class TicketStore {
 public:
  virtual ~TicketStore() = default;
  /// The record for `request_id`: the existing one, or a new reservation with a fresh ticket id
  /// ("GC-<local date>-<6-digit sequence>") that no other request can take.
  virtual core::Result<v1::IntakeRequestRecord> Reserve(const std::string& request_id,
                                                        const std::string& fingerprint,
                                                        core::TimePoint now) = 0;
  virtual core::Status Complete(const v1::IntakeRequestRecord& record) = 0;
  virtual core::Result<std::optional<v1::Ticket>> GetTicket(const std::string& ticket_id) = 0;
  /// Writes the ticket and keeps the customer's open-ticket set in line with its state.
  virtual core::Status SaveTicket(const v1::Ticket& ticket) = 0;
  virtual core::Result<std::vector<v1::Ticket>> OpenTickets(const std::string& customer_id) = 0;
  /// Records a further contact (idempotent per request id) and returns the ticket's counts.
  virtual core::Result<ContactCounts> AddContact(const std::string& ticket_id,
                                                 const std::string& request_id, bool urging) = 0;
  /// Adds a timeline step once per `entry_id` (an event id).
  virtual core::Status AppendTimeline(const std::string& ticket_id, const std::string& entry_id,
                                      const v1::TimelineEntry& entry) = 0;
  /// The timeline in time order.
  virtual core::Result<std::vector<v1::TimelineEntry>> Timeline(const std::string& ticket_id) = 0;
  virtual core::Result<std::optional<std::string>> TicketOfRequest(
      const std::string& request_id) = 0;
  /// Ids of open tickets with a provisional clock (an index kept by every ticket write), for
  /// recomputing them when a working calendar is loaded. May hold a few stale ids (a ticket that
  /// is no longer open or provisional): callers check the ticket. The base version says the store
  /// cannot list them (FAILED_PRECONDITION).
  virtual core::Result<std::vector<std::string>> ProvisionalTickets();
  /// What a decided request leaves behind, written together: the ticket (and its open-ticket
  /// index), the ticket's timeline step `entry_id`, and the completed request record. The base
  /// version writes them one after the other; the Redis store in one MULTI/EXEC round trip.
  virtual core::Status SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                                   const v1::TimelineEntry& entry,
                                   const v1::IntakeRequestRecord& record);

  // Batched forms for a poll batch (see BatchedTicketStore). The base versions make one call per
  // item; the Redis store pipelines them.

  /// Reserve for each request (ids distinct), in order.
  virtual core::Result<std::vector<v1::IntakeRequestRecord>> ReserveMany(
      const std::vector<ReserveRequest>& requests, core::TimePoint now);
  /// OpenTickets for each customer (ids distinct), by customer id.
  virtual core::Result<std::map<std::string, std::vector<v1::Ticket>>> OpenTicketsOf(
      const std::vector<std::string>& customer_ids);
  /// SaveOutcome for each, in order. The Redis store writes them all in one MULTI/EXEC.
  virtual core::Status SaveOutcomes(const std::vector<RequestOutcome>& outcomes);
};

/// "GC-20261124-000123": the ticket number a customer can quote, from the local (UTC+8) date.
std::string FormatTicketId(core::TimePoint now, int64_t sequence);

/// True while the customer is still waiting on the ticket.
bool IsOpenState(v1::TicketState state);

/// Puts timeline entries in time order (stable), as TicketStore::Timeline returns them.
void SortTimeline(std::vector<v1::TimelineEntry>& entries);

}  // namespace gridcare::intake
