// The batch decorators under RequestBatcher: which calls reach the real directory and store, and
// when held writes and events go out.
#include "request_batch.h"

#include <catch2/catch.hpp>

#include "intake_fixture.h"

namespace gridcare::intake {
namespace {

using testing::MakeCustomer;
using testing::StartTime;

// Counts what reaches the directory underneath.
class CountingDirectory final : public ProfileDirectory {
 public:
  explicit CountingDirectory(ProfileDirectory& inner) : inner_(inner) {}
  core::Result<Identification> Identify(const v1::CustomerReference& reference) override {
    ++identify_calls;
    return inner_.Identify(reference);
  }
  core::Result<std::map<std::string, v1::Customer>> GetCustomers(
      const std::vector<std::string>& ids) override {
    ++batch_calls;
    if (batch_failure) return *batch_failure;
    return inner_.GetCustomers(ids);
  }
  int identify_calls = 0;
  int batch_calls = 0;
  std::optional<core::Error> batch_failure;

 private:
  ProfileDirectory& inner_;
};

// Counts what reaches the store underneath.
class CountingStore final : public TicketStore {
 public:
  explicit CountingStore(TicketStore& inner) : inner_(inner) {}
  core::Result<v1::IntakeRequestRecord> Reserve(const std::string& id, const std::string& fp,
                                                core::TimePoint now) override {
    ++reserve_calls;
    return inner_.Reserve(id, fp, now);
  }
  core::Status Complete(const v1::IntakeRequestRecord& record) override {
    return inner_.Complete(record);
  }
  core::Result<std::optional<v1::Ticket>> GetTicket(const std::string& id) override {
    return inner_.GetTicket(id);
  }
  core::Status SaveTicket(const v1::Ticket& ticket) override { return inner_.SaveTicket(ticket); }
  core::Result<std::vector<v1::Ticket>> OpenTickets(const std::string& customer) override {
    ++open_calls;
    return inner_.OpenTickets(customer);
  }
  core::Result<ContactCounts> AddContact(const std::string& ticket, const std::string& request,
                                         bool urging) override {
    return inner_.AddContact(ticket, request, urging);
  }
  core::Status AppendTimeline(const std::string& ticket, const std::string& entry_id,
                              const v1::TimelineEntry& entry) override {
    return inner_.AppendTimeline(ticket, entry_id, entry);
  }
  core::Result<std::vector<v1::TimelineEntry>> Timeline(const std::string& ticket) override {
    return inner_.Timeline(ticket);
  }
  core::Result<std::optional<std::string>> TicketOfRequest(const std::string& request) override {
    return inner_.TicketOfRequest(request);
  }
  core::Status SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                           const v1::TimelineEntry& entry,
                           const v1::IntakeRequestRecord& record) override {
    return inner_.SaveOutcome(ticket, entry_id, entry, record);
  }
  core::Status SaveOutcomes(const std::vector<RequestOutcome>& outcomes) override {
    ++save_calls;
    saved += outcomes.size();
    return TicketStore::SaveOutcomes(outcomes);
  }
  int reserve_calls = 0;
  int open_calls = 0;
  int save_calls = 0;
  size_t saved = 0;

 private:
  TicketStore& inner_;
};

v1::CustomerReference ById(const std::string& id) {
  v1::CustomerReference reference;
  reference.set_customer_id(id);
  return reference;
}

RequestOutcome OpenedFor(const v1::IntakeRequestRecord& record, const std::string& customer) {
  RequestOutcome outcome;
  outcome.ticket.set_ticket_id(record.ticket_id());
  outcome.ticket.set_customer_id(customer);
  outcome.ticket.set_state(v1::TICKET_STATE_OPEN);
  outcome.entry_id = "evt-" + record.request_id();
  outcome.record = record;
  outcome.record.set_completed(true);
  return outcome;
}

}  // namespace

TEST_CASE("customer-id lookups of a batch come from one call", "[batch][profiles]") {
  FakeProfileDirectory fake;
  fake.Add(MakeCustomer("3100000001"));
  fake.Add(MakeCustomer("3100000002"));
  CountingDirectory counting(fake);
  BatchedProfileDirectory profiles(counting);

  profiles.Prefetch({"3100000001", "3100000002", "3199999999"});
  CHECK(counting.batch_calls == 1);
  CHECK(profiles.FoundIds() == std::vector<std::string>{"3100000001", "3100000002"});
  auto first = profiles.Identify(ById("3100000001"));
  REQUIRE(first.ok());
  CHECK(first->status == Identification::Status::kIdentified);
  CHECK(first->customer.customer_id() == "3100000001");
  auto unknown = profiles.Identify(ById("3199999999"));
  REQUIRE(unknown.ok());
  CHECK(unknown->status == Identification::Status::kUnknown);
  CHECK(counting.identify_calls == 0);

  // Anything the batch did not ask for goes to the directory.
  v1::CustomerReference by_phone;
  by_phone.set_phone("13800000000");
  REQUIRE(profiles.Identify(by_phone).ok());
  CHECK(counting.identify_calls == 1);

  SECTION("an outage fails the batch's lookups, to be retried") {
    counting.batch_failure = core::Unavailable("profile service down");
    profiles.Prefetch({"3100000001"});
    auto failed = profiles.Identify(ById("3100000001"));
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().Retryable());
  }
  SECTION("a refused batch only means asking one by one") {
    counting.batch_failure = core::InvalidArgument("customer_ids[0]: not an id");
    profiles.Prefetch({"3100000002"});
    auto found = profiles.Identify(ById("3100000002"));
    REQUIRE(found.ok());
    CHECK(found->status == Identification::Status::kIdentified);
    CHECK(counting.identify_calls == 2);
  }
}

TEST_CASE("a batch's outcomes are held and written together, before any read that needs them",
          "[batch][store]") {
  InMemoryTicketStore memory;
  CountingStore counting(memory);
  BatchedTicketStore store(counting);
  const auto now = StartTime();

  store.Begin({{"REQ-1", "fp-1"}, {"REQ-2", "fp-2"}}, {"C-1", "C-2"}, now);
  const int reserves_after_prefetch = counting.reserve_calls;
  auto first = store.Reserve("REQ-1", "fp-1", now);
  REQUIRE(first.ok());
  auto second = store.Reserve("REQ-2", "fp-2", now);
  REQUIRE(second.ok());
  CHECK(second->ticket_id() != first->ticket_id());
  CHECK(counting.reserve_calls == reserves_after_prefetch);  // both from the prefetch

  store.SetRequestIndex(0);
  REQUIRE(store
              .SaveOutcome(OpenedFor(*first, "C-1").ticket, "evt-1", {},
                           OpenedFor(*first, "C-1").record)
              .ok());
  CHECK(counting.save_calls == 0);  // held

  // C-2 is untouched: its prefetched (empty) open tickets still hold, and nothing is written.
  const int open_reads = counting.open_calls;
  auto others = store.OpenTickets("C-2");
  REQUIRE(others.ok());
  CHECK(others->empty());
  CHECK(counting.open_calls == open_reads);
  CHECK(counting.save_calls == 0);

  // C-1 changed in this batch: the held write goes first, then the read sees it.
  auto mine = store.OpenTickets("C-1");
  REQUIRE(mine.ok());
  REQUIRE(mine->size() == 1);
  CHECK(mine->front().ticket_id() == first->ticket_id());
  CHECK(counting.save_calls == 1);

  // The same request id again in the batch reads the completed record, after the held writes.
  auto again = store.Reserve("REQ-1", "fp-1", now);
  REQUIRE(again.ok());
  CHECK(again->completed());

  store.SetRequestIndex(1);
  REQUIRE(store
              .SaveOutcome(OpenedFor(*second, "C-2").ticket, "evt-2", {},
                           OpenedFor(*second, "C-2").record)
              .ok());
  REQUIRE(store.Flush().ok());
  CHECK(counting.save_calls == 2);
  CHECK(counting.saved == 2);
  CHECK_FALSE(store.first_failed_request());
}

TEST_CASE("a failed write of held outcomes names the first request it held, and stops the batch",
          "[batch][store]") {
  InMemoryTicketStore memory;
  BatchedTicketStore store(memory);
  const auto now = StartTime();
  store.Begin({{"REQ-1", "fp-1"}, {"REQ-2", "fp-2"}}, {}, now);
  for (size_t i = 0; i < 2; ++i) {
    const std::string id = "REQ-" + std::to_string(i + 1);
    auto record = store.Reserve(id, "fp-" + std::to_string(i + 1), now);
    REQUIRE(record.ok());
    store.SetRequestIndex(i);
    const auto outcome = OpenedFor(*record, "C-" + std::to_string(i + 1));
    REQUIRE(store.SaveOutcome(outcome.ticket, outcome.entry_id, {}, outcome.record).ok());
  }
  memory.FailNextOutcomes(1);
  auto flushed = store.Flush();
  REQUIRE_FALSE(flushed.ok());
  CHECK(flushed.error().Retryable());
  CHECK(store.first_failed_request() == std::optional<size_t>(0));
  CHECK_FALSE(store.OpenTickets("C-9").ok());  // refused until the next batch

  store.Begin({}, {}, now);
  CHECK(store.OpenTickets("C-9").ok());
}

TEST_CASE("held events go out only for the requests that are done", "[batch][publisher]") {
  kafka::RecordingPublisher recording;
  HeldPublisher publisher(recording);
  publisher.Begin();
  for (size_t i = 0; i < 3; ++i) {
    publisher.SetRequestIndex(i);
    kafka::OutgoingRecord record;
    record.topic = "t";
    record.key = "k" + std::to_string(i);
    REQUIRE(publisher.Publish(record).ok());
  }
  CHECK(recording.records().empty());
  CHECK_FALSE(publisher.Release(2));
  const auto records = recording.records();
  REQUIRE(records.size() == 2);
  CHECK(records[0].key == "k0");
  CHECK(records[1].key == "k1");
  CHECK_FALSE(publisher.Release(3));  // the third was dropped with the batch
  CHECK(recording.records().size() == 2);
}

}  // namespace gridcare::intake
