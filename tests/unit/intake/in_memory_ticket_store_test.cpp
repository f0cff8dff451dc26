// InMemoryTicketStore keeps the TicketStore contract (ticket_store_contract.h, also run against
// Redis) and its test hook works: a failing outcome is retryable and writes nothing.
#include "in_memory_ticket_store.h"

#include <catch2/catch.hpp>

#include "ticket_store_contract.h"

namespace gridcare::intake {
namespace {

using namespace test;

TEST_CASE("the in-memory ticket store keeps the store contract", "[ticket_store]") {
  InMemoryTicketStore store;
  SECTION("one reservation per request") { ReservesOncePerRequest(store); }
  SECTION("a completed request answers again") { CompletedRequestAnswersAgain(store); }
  SECTION("open tickets follow the state") { OpenTicketsFollowState(store); }
  SECTION("contacts count once per request") { ContactsCountOncePerRequest(store); }
  SECTION("timeline once per entry, in time order") { TimelineOncePerEntryInTimeOrder(store); }
  SECTION("an outcome is visible whole") { OutcomeVisibleWhole(store); }
  SECTION("batched forms") { BatchedFormsAnswerAsSingleOnes(store); }
}

TEST_CASE("a failing in-memory outcome is retryable and writes nothing", "[ticket_store]") {
  InMemoryTicketStore store;
  const auto reserved = ReserveOrFail(store, "REQ-F", "fp-F");
  const auto ticket = TicketDoc(reserved.ticket_id(), "C-F", v1::TICKET_STATE_OPEN);
  const auto step = StepAt(v1::TICKET_STATE_OPEN, "opened", std::chrono::minutes(0));
  const auto record = Completed(reserved, "evt-F");
  store.FailNextOutcomes(1);
  auto failed = store.SaveOutcome(ticket, "evt-F", step, record);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  CHECK_FALSE(store.GetTicket(ticket.ticket_id())->has_value());
  CHECK(OpenIds(store, "C-F").empty());
  CHECK(TimelineOrFail(store, ticket.ticket_id()).empty());
  CHECK_FALSE(ReserveOrFail(store, "REQ-F", "fp-F").completed());

  REQUIRE(store.SaveOutcome(ticket, "evt-F", step, record).ok());
  CHECK(ReserveOrFail(store, "REQ-F", "fp-F").completed());
}

}  // namespace
}  // namespace gridcare::intake
