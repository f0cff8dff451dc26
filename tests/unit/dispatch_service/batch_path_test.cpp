// Dispatcher::OnTicketsOpened, the batch path the consumer loop uses: a storm decided in poll
// batches must equal the same storm decided one ticket at a time (every published record, byte
// for byte, and the stored state), whatever the batch size; redeliveries and the batch's own
// failures behave as on the single path. (The whole dispatcher suite also runs through the batch
// path: CTest registers it a second time with GRIDCARE_TEST_TICKET_BATCH=1.)
#include <catch2/catch.hpp>

#include "dispatcher_fixture.h"

namespace gridcare::dispatch::test {
namespace {

/// A storm over two feeders: transformer areas that roll up, single calls, a life-support
/// customer, a last gasp, a closed ticket and a non-fault ticket (both ignored), a repeated call.
std::vector<v1::Ticket> Storm(core::TimePoint start) {
  std::vector<v1::Ticket> tickets;
  const char* transformers[] = {"T1", "T2", "T3", "T4"};
  for (int i = 0; i < 48; ++i) {
    const std::string feeder = i % 5 == 4 ? "F2" : "F1";
    const std::string transformer = feeder == "F2" ? "T9" : transformers[i % 4];
    auto ticket = FaultTicket("GC-" + std::to_string(100 + i), "C" + std::to_string(i), feeder,
                              transformer, start + std::chrono::seconds(20 * i), (i % 7) * 0.3);
    if (i == 11) ticket.add_customer_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
    if (i == 17) ticket = LastGaspTicket(ticket.ticket_id(), "C17", "F1", "T2", start + 340s);
    if (i == 23) ticket.set_state(v1::TICKET_STATE_RESOLVED);
    if (i == 29) ticket.set_type(v1::REQUEST_TYPE_CONSULTATION);
    if (i == 31) ticket.set_customer_id("C3");  // the same customer calls again
    tickets.push_back(std::move(ticket));
  }
  return tickets;
}

void Crews(Harness& h) {
  h.Roster({MakeCrew("A", 0.2, h.Now()), MakeCrew("B", 1.0, h.Now()), MakeCrew("C", 3.0, h.Now()),
            MakeCrew("D", 6.0, h.Now())});
}

/// Offers `tickets` in batches of `size` as the consumer loop does: the rest of a batch again
/// after a prefix, and one ticket through OnTicketOpened when a batch decided nothing.
void FeedInBatches(Harness& h, const std::vector<v1::Ticket>& tickets, size_t size,
                   std::vector<kafka::HandleResult>& results) {
  std::vector<std::string> ids;
  for (const auto& ticket : tickets) ids.push_back("evt-" + ticket.ticket_id());
  size_t next = 0;
  while (next < tickets.size()) {
    std::vector<TicketInput> inputs;
    for (size_t i = next; i < std::min(tickets.size(), next + size); ++i) {
      inputs.push_back({&tickets[i], ids[i], kTraceparent});
    }
    auto decided = h.d().OnTicketsOpened(inputs);
    if (decided.empty()) {
      decided.push_back(h.d().OnTicketOpened(tickets[next], ids[next], kTraceparent));
    }
    results.insert(results.end(), decided.begin(), decided.end());
    next += decided.size();
  }
}

// Each record as text: topic, key, headers and the value as protobuf text (readable in a diff).
// A traceparent keeps its trace id only: every record gets a new random span id.
std::vector<std::string> Serialized(const std::vector<kafka::OutgoingRecord>& records) {
  std::vector<std::string> out;
  for (const auto& record : records) {
    std::string text = record.topic + " | " + record.key;
    for (const auto& [name, value] : record.headers) {
      text += " | " + name + "=" + (name == "traceparent" ? value.substr(0, 35) : value);
    }
    v1::DispatchEvent event;
    text += " | " + (event.ParseFromString(record.value) ? event.ShortDebugString()
                                                         : std::string("<not a DispatchEvent>"));
    out.push_back(std::move(text));
  }
  return out;
}

/// The first record where `actual` and `expected` differ, for the failure message.
std::string FirstDifference(const std::vector<std::string>& actual,
                            const std::vector<std::string>& expected) {
  for (size_t i = 0; i < std::min(actual.size(), expected.size()); ++i) {
    if (actual[i] != expected[i]) {
      return "record " + std::to_string(i) + "\n got:      " + actual[i] +
             "\n expected: " + expected[i];
    }
  }
  return actual.size() == expected.size()
             ? std::string("none")
             : "sizes " + std::to_string(actual.size()) + " and " + std::to_string(expected.size());
}

template <typename Map>
std::map<std::string, std::string> Bytes(const Map& documents) {
  std::map<std::string, std::string> out;
  for (const auto& [id, document] : documents) out[id] = document.SerializeAsString();
  return out;
}

void RequireSameState(Harness& single, Harness& batched) {
  const auto a = single.Snapshot();
  const auto b = batched.Snapshot();
  REQUIRE(a.journal.size() == b.journal.size());
  for (size_t i = 0; i < a.journal.size(); ++i) {
    CHECK(a.journal[i].SerializeAsString() == b.journal[i].SerializeAsString());
  }
  CHECK(Bytes(a.incidents) == Bytes(b.incidents));
  CHECK(Bytes(a.work_orders) == Bytes(b.work_orders));
  CHECK(a.declined == b.declined);
  CHECK(a.fired == b.fired);
  CHECK(single.memory.timers() == batched.memory.timers());
}

}  // namespace

TEST_CASE("a storm decided in batches equals the storm decided one ticket at a time") {
  const size_t size = GENERATE(1, 2, 7, 48, 500);
  Harness single;
  Harness batched;
  Crews(single);
  Crews(batched);
  const auto tickets = Storm(single.Now());
  for (const auto& ticket : tickets) single.Handle(ticket);

  std::vector<kafka::HandleResult> results;
  FeedInBatches(batched, tickets, size, results);
  REQUIRE(results.size() == tickets.size());
  for (const auto& result : results) CHECK(result.disposition == Disposition::kDone);

  INFO("batch size " << size);
  const auto expected = Serialized(single.publisher.records());
  REQUIRE(expected.size() > 48);  // incidents, roll-ups, work orders, assignments
  const auto actual = Serialized(batched.publisher.records());
  INFO(FirstDifference(actual, expected));
  CHECK(actual == expected);
  RequireSameState(single, batched);
  if (size == 500) {
    CHECK(batched.store.commits == 1);  // one transaction for the whole poll batch
    CHECK(batched.store.outbox_lookups == 1);
  }
}

TEST_CASE("merged state equals the batches applied one after another") {
  Harness h;
  h.store.keep_batches = true;
  Crews(h);
  for (const auto& ticket : Storm(h.Now())) h.Handle(ticket);
  h.clock.Advance(2h);  // clocks fire, timers move
  h.Tick();
  REQUIRE(h.store.kept_batches.size() > 40);

  InMemoryDispatchStore sequential;
  for (const auto& batch : h.store.kept_batches) REQUIRE(sequential.Commit(batch).ok());
  InMemoryDispatchStore merged;
  REQUIRE(merged.Commit(MergeState(h.store.kept_batches)).ok());
  const auto a = *sequential.Load();
  const auto b = *merged.Load();
  REQUIRE(a.journal.size() == b.journal.size());
  CHECK(Bytes(a.incidents) == Bytes(b.incidents));
  CHECK(Bytes(a.work_orders) == Bytes(b.work_orders));
  CHECK(a.declined == b.declined);
  CHECK(a.fired == b.fired);
  CHECK(sequential.timers() == merged.timers());
  CHECK(Bytes(sequential.archived_incidents()) == Bytes(merged.archived_incidents()));
}

TEST_CASE("merged state keeps the last operation on each document") {
  v1::Incident open;
  open.set_incident_id("INC-1");
  v1::Incident closed = open;
  closed.set_state(v1::INCIDENT_STATE_RESTORED);
  std::vector<DispatchBatch> batches(3);
  batches[0].incidents["INC-1"] = open;
  batches[0].timers["INC-1"] = 10;
  batches[0].fired["INC-1/arrival"] = {1};
  batches[1].closed_incidents["INC-1"] = closed;
  batches[1].timers["INC-1"] = std::nullopt;
  batches[2].incidents["INC-2"] = open;
  batches[2].closed_incidents["INC-2"] = closed;  // upserted and closed by one input: closed
  batches[2].fired["INC-1/arrival"] = {};
  const auto merged = MergeState(batches);
  CHECK(merged.incidents.empty());
  CHECK(merged.closed_incidents.size() == 2);
  CHECK(merged.timers.at("INC-1") == std::nullopt);
  CHECK(merged.fired.at("INC-1/arrival").empty());
  CHECK(merged.outbox_id.empty());

  std::vector<DispatchBatch> reopened(2);
  reopened[0].closed_incidents["INC-1"] = closed;
  reopened[1].incidents["INC-1"] = open;
  const auto again = MergeState(reopened);
  CHECK(again.incidents.contains("INC-1"));
  CHECK(again.closed_incidents.empty());
}

TEST_CASE("a redelivered batch republishes the same records and changes nothing") {
  Harness h;
  Crews(h);
  const auto tickets = Storm(h.Now());
  std::vector<kafka::HandleResult> results;
  FeedInBatches(h, tickets, 16, results);
  const auto first = Serialized(h.publisher.records());
  const auto state = h.Snapshot();
  h.publisher.Clear();

  h.Restart();  // a new process that finds every input's outbox
  Crews(h);
  results.clear();
  FeedInBatches(h, tickets, 16, results);
  CHECK(results.size() == tickets.size());
  CHECK(Serialized(h.publisher.records()) == first);
  CHECK(h.Snapshot().journal.size() == state.journal.size());
  CHECK(Bytes(h.Snapshot().incidents) == Bytes(state.incidents));
}

TEST_CASE("an event id twice in one batch ends the batch before its second copy") {
  Harness h;
  const auto ticket = FaultTicket("GC-1", "C1", "F1", "T1", h.Now());
  const auto other = FaultTicket("GC-2", "C2", "F1", "T1", h.Now());
  const std::vector<TicketInput> inputs = {
      {&ticket, "evt-1", kTraceparent}, {&other, "evt-2", kTraceparent}, {&ticket, "evt-1", ""}};
  const auto results = h.d().OnTicketsOpened(inputs);
  REQUIRE(results.size() == 2);
  const auto again = h.d().OnTicketsOpened(std::span<const TicketInput>(&inputs[2], 1));
  REQUIRE(again.size() == 1);  // found as a redelivery: its events are published again
  CHECK(again.front().disposition == Disposition::kDone);
  CHECK(h.Snapshot().journal.size() == 2);
}

TEST_CASE("a batch whose commit fails decides nothing and the tickets are decided again") {
  Harness h;
  Crews(h);
  const auto tickets = Storm(h.Now());
  h.memory.FailNextCommits(1);
  std::vector<TicketInput> inputs;
  std::vector<std::string> ids;
  ids.reserve(tickets.size());
  for (const auto& ticket : tickets) ids.push_back("evt-" + ticket.ticket_id());
  for (size_t i = 0; i < tickets.size(); ++i) inputs.push_back({&tickets[i], ids[i], kTraceparent});
  CHECK(h.d().OnTicketsOpened(inputs).empty());
  CHECK(h.publisher.records().empty());
  CHECK(h.Snapshot().journal.empty());

  // As the loop does next: the same records again, decided from the reloaded store.
  Harness reference;
  Crews(reference);
  for (const auto& ticket : tickets) reference.Handle(ticket);
  const auto decided = h.d().OnTicketsOpened(inputs);
  CHECK(decided.size() == tickets.size());
  CHECK(Serialized(h.publisher.records()) == Serialized(reference.publisher.records()));
}

TEST_CASE(
    "a redelivery that cannot be republished ends the batch after committing what it decided") {
  // Publishes nothing while `failing`; otherwise records like RecordingPublisher.
  struct FlakyPublisher final : kafka::EventPublisher {
    kafka::RecordingPublisher inner;
    bool failing = false;
    core::Status Publish(kafka::OutgoingRecord record) override {
      if (failing) return core::Unavailable("broker down (test)");
      return inner.Publish(std::move(record));
    }
    core::Status Flush(std::chrono::milliseconds timeout) override { return inner.Flush(timeout); }
  };
  Harness h;
  const auto old_ticket = FaultTicket("GC-1", "C1", "F1", "T1", h.Now());
  h.Call(old_ticket, "evt-1");  // handled before: its outbox is in the store
  FlakyPublisher publisher;
  Dispatcher dispatcher(h.store, publisher, h.topology, h.clock, h.settings);
  REQUIRE(dispatcher.Recover().ok());

  const auto new_ticket = FaultTicket("GC-2", "C2", "F2", "T9", h.Now());
  const std::vector<TicketInput> inputs = {{&new_ticket, "evt-2", kTraceparent},
                                           {&old_ticket, "evt-1", kTraceparent}};
  publisher.failing = true;
  CHECK(dispatcher.OnTicketsOpened(inputs).empty());  // GC-2's events could not go out either
  REQUIRE(h.Snapshot().journal.size() == 2);          // but GC-2 is stored with its outbox
  publisher.failing = false;
  // The loop then takes each record alone: both are redeliveries now, published again.
  CHECK(dispatcher.OnTicketOpened(new_ticket, "evt-2", kTraceparent).disposition ==
        Disposition::kDone);
  CHECK(dispatcher.OnTicketOpened(old_ticket, "evt-1", kTraceparent).disposition ==
        Disposition::kDone);
  CHECK(Count(Decode(publisher.inner.records()), ce::kIncidentOpened) == 2);
  CHECK(h.Snapshot().journal.size() == 2);
}

TEST_CASE("a batch stops before a ticket whose supply cannot be looked up") {
  Harness h;
  const auto first = FaultTicket("GC-1", "C1", "F1", "T1", h.Now());
  const auto second = FaultTicket("GC-2", "C2", "F1", "T1", h.Now());
  const std::vector<TicketInput> inputs = {{&first, "evt-1", kTraceparent},
                                           {&second, "evt-2", kTraceparent}};
  REQUIRE(h.d().OnTicketsOpened(std::span<const TicketInput>(inputs.data(), 1)).size() == 1);
  h.topology.FailNext(1);
  // The first is a redelivery (no lookup); the second's lookup fails: the prefix is the first.
  const auto partial = h.d().OnTicketsOpened(inputs);
  REQUIRE(partial.size() == 1);
  CHECK(h.Snapshot().journal.size() == 1);
  const auto rest = h.d().OnTicketsOpened(std::span<const TicketInput>(inputs.data() + 1, 1));
  REQUIRE(rest.size() == 1);
  CHECK(rest.front().disposition == Disposition::kDone);
  CHECK(h.Snapshot().journal.size() == 2);
}

}  // namespace gridcare::dispatch::test
