// RedisTicketStore on a real redis-server: the reservation script (a new request takes the day's
// next number, a known one gets its record back), SaveOutcome's one transaction (ticket,
// open-ticket index, timeline step and completed record, all visible together), and the batched
// forms a poll batch uses (ReserveMany, OpenTicketsOf, SaveOutcomes); first, the TicketStore
// contract (the same checks as the in-memory store, tests/support/intake/ticket_store_contract.h).
#include "redis_ticket_store.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/servers.h"
#include "ticket_store_contract.h"

namespace gridcare::intake {
namespace {

using namespace std::chrono_literals;

TEST_CASE("the Redis ticket store keeps the store contract", "[ticket_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisTicketStore store(*client);
  SECTION("one reservation per request") { test::ReservesOncePerRequest(store); }
  SECTION("a completed request answers again") { test::CompletedRequestAnswersAgain(store); }
  SECTION("open tickets follow the state") { test::OpenTicketsFollowState(store); }
  SECTION("contacts count once per request") { test::ContactsCountOncePerRequest(store); }
  SECTION("timeline once per entry, in time order") {
    test::TimelineOncePerEntryInTimeOrder(store);
  }
  SECTION("an outcome is visible whole") { test::OutcomeVisibleWhole(store); }
  SECTION("batched forms") { test::BatchedFormsAnswerAsSingleOnes(store); }
}

// 2026-11-24 10:00 in China (UTC+8).
core::TimePoint Morning() { return core::FromUnixMillis(1'795'485'600'000); }

v1::IntakeRequestRecord ReserveOrFail(TicketStore& store, const std::string& request_id,
                                      core::TimePoint now) {
  auto record = store.Reserve(request_id, "fingerprint-" + request_id, now);
  if (!record.ok()) FAIL("Reserve failed: " << record.error().ToString());
  return std::move(record).value();
}

v1::Ticket OpenTicketFor(const v1::IntakeRequestRecord& record, const std::string& customer_id) {
  v1::Ticket ticket;
  ticket.set_ticket_id(record.ticket_id());
  ticket.set_request_id(record.request_id());
  ticket.set_customer_id(customer_id);
  ticket.set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  ticket.set_state(v1::TICKET_STATE_OPEN);
  return ticket;
}

v1::TimelineEntry Step(v1::TicketState state) {
  v1::TimelineEntry entry;
  entry.set_event_type("ticket_opened");
  entry.set_state(state);
  return entry;
}

TEST_CASE("a new request takes the day's next ticket number and a known one keeps its record",
          "[ticket_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisTicketStore store(*client);

  const auto first = ReserveOrFail(store, "REQ-1", Morning());
  CHECK(first.ticket_id() == "GC-20261124-000001");
  CHECK(first.fingerprint() == "fingerprint-REQ-1");
  CHECK_FALSE(first.completed());
  CHECK(ReserveOrFail(store, "REQ-2", Morning() + 1min).ticket_id() == "GC-20261124-000002");

  // A redelivery gets the same reservation and does not use up a number.
  const auto again = ReserveOrFail(store, "REQ-1", Morning() + 2min);
  CHECK(again.ticket_id() == first.ticket_id());
  CHECK(ReserveOrFail(store, "REQ-3", Morning() + 3min).ticket_id() == "GC-20261124-000003");

  // The next local day counts from 1 again.
  CHECK(ReserveOrFail(store, "REQ-4", Morning() + 24h).ticket_id() == "GC-20261125-000001");
}

TEST_CASE("a request's outcome is written in one transaction and read back whole",
          "[ticket_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisTicketStore store(*client);

  auto record = ReserveOrFail(store, "REQ-OUT", Morning());
  const auto ticket = OpenTicketFor(record, "C-0001");
  record.set_completed(true);
  record.mutable_response()->set_ticket_id(ticket.ticket_id());
  auto* recorded = record.add_events();
  recorded->set_event_id("evt-1");
  recorded->set_ce_type("gridcare.intake.ticket_opened");
  recorded->set_key(ticket.ticket_id());
  REQUIRE(store.SaveOutcome(ticket, "evt-1", Step(v1::TICKET_STATE_OPEN), record).ok());

  auto stored = store.GetTicket(ticket.ticket_id());
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->customer_id() == "C-0001");
  auto open = store.OpenTickets("C-0001");
  REQUIRE(open.ok());
  REQUIRE(open->size() == 1);
  CHECK(open->front().ticket_id() == ticket.ticket_id());
  auto timeline = store.Timeline(ticket.ticket_id());
  REQUIRE(timeline.ok());
  CHECK(timeline->size() == 1);
  auto by_request = store.TicketOfRequest("REQ-OUT");
  REQUIRE(by_request.ok());
  CHECK(by_request->value_or("") == ticket.ticket_id());

  // The reservation now answers with the completed record and the events to re-publish.
  const auto replay = ReserveOrFail(store, "REQ-OUT", Morning() + 1min);
  CHECK(replay.completed());
  REQUIRE(replay.events_size() == 1);
  CHECK(replay.events(0).event_id() == "evt-1");
  auto ttl = client->Command({"PTTL", "intake:req:REQ-OUT"});
  REQUIRE(ttl.ok());
  CHECK(ttl->integer() > 0);

  // Writing the same step again changes nothing; closing the ticket leaves the open set.
  auto closed = ticket;
  closed.set_state(v1::TICKET_STATE_CLOSED);
  REQUIRE(store.SaveOutcome(closed, "evt-1", Step(v1::TICKET_STATE_CLOSED), record).ok());
  open = store.OpenTickets("C-0001");
  REQUIRE(open.ok());
  CHECK(open->empty());
  timeline = store.Timeline(ticket.ticket_id());
  REQUIRE(timeline.ok());
  CHECK(timeline->size() == 1);
}

TEST_CASE("a store whose Redis is gone reports a retryable error", "[ticket_store][integration]") {
  auto server = std::make_unique<gridcare::testing::RedisServer>();
  auto client = gridcare::testing::MakeRedisClient(*server);
  RedisTicketStore store(*client);
  auto record = ReserveOrFail(store, "REQ-GONE", Morning());
  server.reset();
  auto saved = store.SaveOutcome(OpenTicketFor(record, "C-0002"), "evt-2",
                                 Step(v1::TICKET_STATE_OPEN), record);
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().Retryable());
  auto reserved = store.Reserve("REQ-OTHER", "fingerprint", Morning());
  REQUIRE_FALSE(reserved.ok());
  CHECK(reserved.error().Retryable());
}

TEST_CASE("a batch reserves, reads open tickets and writes outcomes in a few round trips",
          "[ticket_store][integration][batch]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisTicketStore store(*client);
  const auto known = ReserveOrFail(store, "REQ-KNOWN", Morning());  // number 1

  auto reserved = store.ReserveMany(
      {{"REQ-A", "fp-A"}, {"REQ-KNOWN", "fp-other"}, {"REQ-B", "fp-B"}}, Morning() + 1min);
  REQUIRE(reserved.ok());
  REQUIRE(reserved->size() == 3);
  CHECK((*reserved)[0].ticket_id() == "GC-20261124-000002");
  CHECK((*reserved)[0].fingerprint() == "fp-A");
  CHECK((*reserved)[1].ticket_id() == known.ticket_id());  // its own record, not a new number
  CHECK((*reserved)[1].fingerprint() == known.fingerprint());
  CHECK((*reserved)[2].ticket_id() == "GC-20261124-000003");
  // The reservations are stored: one more request takes the next number.
  CHECK(ReserveOrFail(store, "REQ-C", Morning() + 2min).ticket_id() == "GC-20261124-000004");
  CHECK(ReserveOrFail(store, "REQ-A", Morning() + 2min).ticket_id() == "GC-20261124-000002");

  std::vector<RequestOutcome> outcomes;
  for (size_t i : {0, 2}) {
    auto record = (*reserved)[i];
    record.set_completed(true);
    outcomes.push_back({OpenTicketFor(record, "C-" + record.request_id()),
                        "evt-" + record.request_id(), Step(v1::TICKET_STATE_OPEN), record});
  }
  REQUIRE(store.SaveOutcomes(outcomes).ok());

  auto open = store.OpenTicketsOf({"C-REQ-A", "C-REQ-B", "C-NOBODY"});
  REQUIRE(open.ok());
  REQUIRE(open->size() == 3);
  REQUIRE(open->at("C-REQ-A").size() == 1);
  CHECK(open->at("C-REQ-A").front().ticket_id() == "GC-20261124-000002");
  REQUIRE(open->at("C-REQ-B").size() == 1);
  CHECK(open->at("C-REQ-B").front().ticket_id() == "GC-20261124-000003");
  CHECK(open->at("C-NOBODY").empty());
  const auto replay = ReserveOrFail(store, "REQ-B", Morning() + 3min);
  CHECK(replay.completed());
  auto timeline = store.Timeline("GC-20261124-000003");
  REQUIRE(timeline.ok());
  CHECK(timeline->size() == 1);
}

}  // namespace
}  // namespace gridcare::intake
