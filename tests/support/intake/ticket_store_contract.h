#pragma once

// What every TicketStore must do, written once and run against InMemoryTicketStore (unit tests,
// tests/unit/intake) and RedisTicketStore on a real redis-server (tests/integration/intake): each
// function starts from an empty store and checks one behaviour intake relies on: one reservation
// (and one ticket number) per request, a completed request answering again, the open-ticket
// index following a ticket's state, contacts and timeline steps counted once, a request's outcome
// visible whole, and the batched forms a poll batch uses.

#include <google/protobuf/util/time_util.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/v1/intake.pb.h"
#include "ticket_store.h"

namespace gridcare::intake::test {

/// 2026-11-24 10:00 in China (UTC+8).
inline core::TimePoint ContractMorning() { return core::FromUnixMillis(1'795'485'600'000); }

inline v1::IntakeRequestRecord ReserveOrFail(TicketStore& store, const std::string& request_id,
                                             const std::string& fingerprint,
                                             core::TimePoint now = ContractMorning()) {
  auto record = store.Reserve(request_id, fingerprint, now);
  INFO((record.ok() ? std::string() : record.error().ToString()));
  REQUIRE(record.ok());
  return std::move(record).value();
}

inline v1::Ticket TicketDoc(const std::string& ticket_id, const std::string& customer_id,
                            v1::TicketState state) {
  v1::Ticket ticket;
  ticket.set_ticket_id(ticket_id);
  ticket.set_request_id("REQ-" + ticket_id);
  ticket.set_customer_id(customer_id);
  ticket.set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  ticket.set_state(state);
  return ticket;
}

inline v1::TimelineEntry StepAt(v1::TicketState state, const std::string& event_type,
                                std::chrono::minutes after_morning) {
  v1::TimelineEntry entry;
  entry.set_event_type(event_type);
  entry.set_state(state);
  *entry.mutable_at() = google::protobuf::util::TimeUtil::MillisecondsToTimestamp(
      core::ToUnixMillis(ContractMorning() + after_morning));
  return entry;
}

/// The record a decided request stores: completed, answering with its ticket and one event.
inline v1::IntakeRequestRecord Completed(v1::IntakeRequestRecord record,
                                         const std::string& event_id) {
  record.set_completed(true);
  record.mutable_response()->set_ticket_id(record.ticket_id());
  auto* event = record.add_events();
  event->set_event_id(event_id);
  event->set_ce_type("gridcare.ticket.opened.v1");
  event->set_key(record.ticket_id());
  return record;
}

inline std::set<std::string> OpenIds(TicketStore& store, const std::string& customer_id) {
  auto open = store.OpenTickets(customer_id);
  INFO((open.ok() ? std::string() : open.error().ToString()));
  REQUIRE(open.ok());
  std::set<std::string> ids;
  for (const auto& ticket : *open) ids.insert(ticket.ticket_id());
  return ids;
}

inline std::vector<v1::TimelineEntry> TimelineOrFail(TicketStore& store,
                                                     const std::string& ticket_id) {
  auto timeline = store.Timeline(ticket_id);
  INFO((timeline.ok() ? std::string() : timeline.error().ToString()));
  REQUIRE(timeline.ok());
  return std::move(timeline).value();
}

inline std::optional<std::string> TicketOfRequestOrFail(TicketStore& store,
                                                        const std::string& request_id) {
  auto ticket = store.TicketOfRequest(request_id);
  INFO((ticket.ok() ? std::string() : ticket.error().ToString()));
  REQUIRE(ticket.ok());
  return *ticket;
}

/// A new request takes the day's next ticket number; a known one gets its own record back (its
/// first fingerprint, its number), however often it is reserved again.
inline void ReservesOncePerRequest(TicketStore& store) {
  const auto first = ReserveOrFail(store, "REQ-1", "fp-1");
  CHECK(first.request_id() == "REQ-1");
  CHECK(first.fingerprint() == "fp-1");
  CHECK(first.ticket_id() == "GC-20261124-000001");
  CHECK_FALSE(first.completed());
  const auto second =
      ReserveOrFail(store, "REQ-2", "fp-2", ContractMorning() + std::chrono::minutes(1));
  CHECK(second.ticket_id() == "GC-20261124-000002");

  const auto again =
      ReserveOrFail(store, "REQ-1", "fp-other", ContractMorning() + std::chrono::minutes(2));
  CHECK(again.ticket_id() == first.ticket_id());
  CHECK(again.fingerprint() == "fp-1");
  CHECK_FALSE(again.completed());
  // The redelivery used up no number.
  CHECK(ReserveOrFail(store, "REQ-3", "fp-3").ticket_id() == "GC-20261124-000003");
}

/// Once completed, a request's reservation answers with the completed record (its response and
/// the events to republish), and the request leads to its ticket.
inline void CompletedRequestAnswersAgain(TicketStore& store) {
  CHECK_FALSE(TicketOfRequestOrFail(store, "REQ-NONE").has_value());
  const auto reserved = ReserveOrFail(store, "REQ-C", "fp-C");
  CHECK(TicketOfRequestOrFail(store, "REQ-C") == reserved.ticket_id());

  const auto completed = Completed(reserved, "evt-C");
  REQUIRE(store.Complete(completed).ok());
  const auto replay =
      ReserveOrFail(store, "REQ-C", "fp-C", ContractMorning() + std::chrono::minutes(5));
  CHECK(replay.completed());
  CHECK(replay.ticket_id() == reserved.ticket_id());
  CHECK(replay.response().ticket_id() == reserved.ticket_id());
  REQUIRE(replay.events_size() == 1);
  CHECK(replay.events(0).event_id() == "evt-C");
  CHECK(TicketOfRequestOrFail(store, "REQ-C") == reserved.ticket_id());

  // A request answered with another ticket (a further contact) leads to that ticket.
  auto merged = Completed(ReserveOrFail(store, "REQ-M", "fp-M"), "evt-M");
  merged.mutable_response()->set_ticket_id(reserved.ticket_id());
  REQUIRE(store.Complete(merged).ok());
  CHECK(TicketOfRequestOrFail(store, "REQ-M") == reserved.ticket_id());
}

/// Tickets are read back as written; a customer's open tickets are those OPEN or IN_PROGRESS,
/// and a ticket leaves them when it is closed.
inline void OpenTicketsFollowState(TicketStore& store) {
  auto unknown = store.GetTicket("GC-NONE");
  REQUIRE(unknown.ok());
  CHECK_FALSE(unknown->has_value());
  CHECK(OpenIds(store, "C-NOBODY").empty());

  REQUIRE(store.SaveTicket(TicketDoc("T-1", "C-1", v1::TICKET_STATE_OPEN)).ok());
  REQUIRE(store.SaveTicket(TicketDoc("T-2", "C-1", v1::TICKET_STATE_IN_PROGRESS)).ok());
  REQUIRE(store.SaveTicket(TicketDoc("T-3", "C-2", v1::TICKET_STATE_OPEN)).ok());
  CHECK(OpenIds(store, "C-1") == std::set<std::string>{"T-1", "T-2"});
  CHECK(OpenIds(store, "C-2") == std::set<std::string>{"T-3"});
  auto open = store.OpenTickets("C-1");
  REQUIRE(open.ok());
  for (const auto& ticket : *open) CHECK(ticket.customer_id() == "C-1");

  REQUIRE(store.SaveTicket(TicketDoc("T-1", "C-1", v1::TICKET_STATE_CLOSED)).ok());
  CHECK(OpenIds(store, "C-1") == std::set<std::string>{"T-2"});
  auto closed = store.GetTicket("T-1");
  REQUIRE(closed.ok());
  REQUIRE(closed->has_value());
  CHECK((*closed)->state() == v1::TICKET_STATE_CLOSED);
  CHECK((*closed)->request_id() == "REQ-T-1");

  // A ticket of no known customer is stored, in nobody's open set.
  REQUIRE(store.SaveTicket(TicketDoc("T-4", "", v1::TICKET_STATE_OPEN)).ok());
  auto anonymous = store.GetTicket("T-4");
  REQUIRE(anonymous.ok());
  CHECK(anonymous->has_value());
  CHECK(OpenIds(store, "").empty());
}

/// Further contacts count once per request id (an urging also counts as a contact), and the
/// opening contact is included.
inline void ContactsCountOncePerRequest(TicketStore& store) {
  auto counted = [&](const std::string& ticket, const std::string& request, bool urging) {
    auto counts = store.AddContact(ticket, request, urging);
    INFO((counts.ok() ? std::string() : counts.error().ToString()));
    REQUIRE(counts.ok());
    return std::pair(counts->contact_count, counts->urging_count);
  };
  CHECK(counted("T-1", "REQ-A", false) == std::pair(2, 0));
  CHECK(counted("T-1", "REQ-A", false) == std::pair(2, 0));
  CHECK(counted("T-1", "REQ-B", true) == std::pair(3, 1));
  CHECK(counted("T-1", "REQ-B", true) == std::pair(3, 1));
  CHECK(counted("T-1", "REQ-C", true) == std::pair(4, 2));
  CHECK(counted("T-2", "REQ-A", true) == std::pair(2, 1));
}

/// A timeline keeps one step per entry id (writing it again replaces it) in time order.
inline void TimelineOncePerEntryInTimeOrder(TicketStore& store) {
  CHECK(TimelineOrFail(store, "T-NONE").empty());
  using std::chrono::minutes;
  REQUIRE(
      store.AppendTimeline("T-1", "evt-3", StepAt(v1::TICKET_STATE_CLOSED, "closed", minutes(30)))
          .ok());
  REQUIRE(store.AppendTimeline("T-1", "evt-1", StepAt(v1::TICKET_STATE_OPEN, "opened", minutes(0)))
              .ok());
  REQUIRE(store
              .AppendTimeline("T-1", "evt-2",
                              StepAt(v1::TICKET_STATE_IN_PROGRESS, "assigned", minutes(10)))
              .ok());
  REQUIRE(store
              .AppendTimeline("T-1", "evt-2",
                              StepAt(v1::TICKET_STATE_IN_PROGRESS, "assigned", minutes(10)))
              .ok());
  REQUIRE(store.AppendTimeline("T-2", "evt-1", StepAt(v1::TICKET_STATE_OPEN, "opened", minutes(1)))
              .ok());
  const auto timeline = TimelineOrFail(store, "T-1");
  REQUIRE(timeline.size() == 3);
  CHECK(timeline[0].event_type() == "opened");
  CHECK(timeline[1].event_type() == "assigned");
  CHECK(timeline[2].event_type() == "closed");
  CHECK(timeline[2].state() == v1::TICKET_STATE_CLOSED);
  CHECK(TimelineOrFail(store, "T-2").size() == 1);
}

/// SaveOutcome leaves the ticket, its open-ticket entry, its timeline step and the completed
/// request record, all readable; saving it again changes nothing, and a closing outcome takes the
/// ticket out of the open set.
inline void OutcomeVisibleWhole(TicketStore& store) {
  const auto reserved = ReserveOrFail(store, "REQ-OUT", "fp-OUT");
  const auto ticket = TicketDoc(reserved.ticket_id(), "C-OUT", v1::TICKET_STATE_OPEN);
  const auto record = Completed(reserved, "evt-OUT");
  const auto step = StepAt(v1::TICKET_STATE_OPEN, "opened", std::chrono::minutes(0));
  REQUIRE(store.SaveOutcome(ticket, "evt-OUT", step, record).ok());

  auto stored = store.GetTicket(ticket.ticket_id());
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->customer_id() == "C-OUT");
  CHECK(OpenIds(store, "C-OUT") == std::set<std::string>{ticket.ticket_id()});
  CHECK(TimelineOrFail(store, ticket.ticket_id()).size() == 1);
  CHECK(TicketOfRequestOrFail(store, "REQ-OUT") == ticket.ticket_id());
  const auto replay = ReserveOrFail(store, "REQ-OUT", "fp-OUT");
  CHECK(replay.completed());
  REQUIRE(replay.events_size() == 1);
  CHECK(replay.events(0).event_id() == "evt-OUT");

  REQUIRE(store.SaveOutcome(ticket, "evt-OUT", step, record).ok());
  CHECK(TimelineOrFail(store, ticket.ticket_id()).size() == 1);
  CHECK(OpenIds(store, "C-OUT").size() == 1);

  auto closed = ticket;
  closed.set_state(v1::TICKET_STATE_CLOSED);
  REQUIRE(store
              .SaveOutcome(closed, "evt-CLOSE",
                           StepAt(v1::TICKET_STATE_CLOSED, "closed", std::chrono::minutes(9)),
                           record)
              .ok());
  CHECK(OpenIds(store, "C-OUT").empty());
  const auto timeline = TimelineOrFail(store, ticket.ticket_id());
  REQUIRE(timeline.size() == 2);
  CHECK(timeline.back().state() == v1::TICKET_STATE_CLOSED);
}

/// The batched forms answer as their one-at-a-time forms: reservations in order (a known request
/// keeps its record), every customer asked for present in the open tickets (empty when none), and
/// every outcome written.
inline void BatchedFormsAnswerAsSingleOnes(TicketStore& store) {
  const auto known = ReserveOrFail(store, "REQ-KNOWN", "fp-KNOWN");
  auto reserved =
      store.ReserveMany({{"REQ-A", "fp-A"}, {"REQ-KNOWN", "fp-other"}, {"REQ-B", "fp-B"}},
                        ContractMorning() + std::chrono::minutes(1));
  INFO((reserved.ok() ? std::string() : reserved.error().ToString()));
  REQUIRE(reserved.ok());
  REQUIRE(reserved->size() == 3);
  CHECK((*reserved)[0].request_id() == "REQ-A");
  CHECK((*reserved)[0].fingerprint() == "fp-A");
  CHECK((*reserved)[1].ticket_id() == known.ticket_id());
  CHECK((*reserved)[1].fingerprint() == "fp-KNOWN");
  CHECK((*reserved)[2].request_id() == "REQ-B");
  const std::set<std::string> numbers = {known.ticket_id(), (*reserved)[0].ticket_id(),
                                         (*reserved)[2].ticket_id()};
  CHECK(numbers.size() == 3);
  CHECK(ReserveOrFail(store, "REQ-A", "fp-A").ticket_id() == (*reserved)[0].ticket_id());

  std::vector<RequestOutcome> outcomes;
  for (size_t i : {0, 2}) {
    const auto& record = (*reserved)[i];
    outcomes.push_back(
        {TicketDoc(record.ticket_id(), "C-" + record.request_id(), v1::TICKET_STATE_OPEN),
         "evt-" + record.request_id(),
         StepAt(v1::TICKET_STATE_OPEN, "opened", std::chrono::minutes(1)),
         Completed(record, "evt-" + record.request_id())});
  }
  REQUIRE(store.SaveOutcomes(outcomes).ok());
  REQUIRE(store.SaveOutcomes({}).ok());

  auto open = store.OpenTicketsOf({"C-REQ-A", "C-REQ-B", "C-NOBODY"});
  INFO((open.ok() ? std::string() : open.error().ToString()));
  REQUIRE(open.ok());
  REQUIRE(open->size() == 3);
  REQUIRE(open->at("C-REQ-A").size() == 1);
  CHECK(open->at("C-REQ-A").front().ticket_id() == (*reserved)[0].ticket_id());
  REQUIRE(open->at("C-REQ-B").size() == 1);
  CHECK(open->at("C-REQ-B").front().ticket_id() == (*reserved)[2].ticket_id());
  CHECK(open->at("C-NOBODY").empty());
  CHECK(ReserveOrFail(store, "REQ-B", "fp-B").completed());
  CHECK(TimelineOrFail(store, (*reserved)[2].ticket_id()).size() == 1);
}

}  // namespace gridcare::intake::test
