// CaseDesk: intake's tickets become stored, listed cases whose events go out with CloudEvents
// headers; redeliveries republish the outbox; desk actions publish and flush; failed flushes are
// relayed; timers raise each alarm once across ticks and restarts; the desk's list filters, pages
// and orders; store failures are retryable and publish nothing.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "desk_fixture.h"

namespace gridcare::complaint {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

const std::string kCase = "CC-GC-20261102-000001";

TEST_CASE(
    "an opened ticket becomes a stored case, listed under its department, its events "
    "published",
    "[desk][open]") {
  Harness h;
  h.clock.Set(T0() + 1min);
  REQUIRE(h.Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT)).ok());
  const auto stored = h.Stored(kCase);
  CHECK(stored.complaint_case().department_id() == "marketing");
  CHECK(stored.complaint_case().state() == v1::CASE_STATE_ROUTED);
  auto page = h.store.OpenCases("marketing", 0, 10);
  REQUIRE(page.ok());
  CHECK(page->ids == Strs{kCase});
  CHECK(h.store.OpenCases("", 0, 10)->ids == Strs{kCase});
  // The timer holds the contact clock's 50% reminder (Mon 22:00).
  CHECK(h.store.timers() ==
        std::map<std::string, int64_t>{{kCase, core::ToUnixMillis(At(2026, 11, 2, 22))}});
  CHECK(h.store.pending().empty());  // a Kafka input: the consumer loop flushes

  const auto published = h.Drain();
  REQUIRE(published.size() == 2);
  CHECK(Types(published) ==
        Strs{"gridcare.complaint_case.opened.v1", "gridcare.complaint_case.routed.v1"});
  for (size_t i = 0; i < published.size(); ++i) {
    const auto& p = published[i];
    CHECK(p.record.topic == kafka::kComplaintTopic);
    CHECK(p.record.key == kCase);
    CHECK(p.meta.subject == kCase);
    CHECK(p.meta.source == "/gridcare/complaint");
    CHECK(p.meta.time == T0() + 1min);
    CHECK(p.meta.id == kafka::DeriveEventId(kCase + "|evt-1#" + std::to_string(i), "complaint"));
    // The trace continues intake's.
    CHECK_THAT(p.meta.traceparent, Catch::Contains("4bf92f3577b34da6a3ce929d0e0e4736"));
    CHECK(kafka::FindHeader(p.record.headers, "content-type") == "application/protobuf");
  }
  CHECK(published[0].event.case_opened().complaint_case().case_id() == kCase);
  CHECK(published[1].event.case_routed().department_id() == "marketing");
}

TEST_CASE("a redelivered ticket republishes the same events and opens no second case",
          "[desk][open][idempotency]") {
  Harness h;
  REQUIRE(h.Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT)).ok());
  const auto first = h.Drain();
  const auto before = h.Stored(kCase);
  h.clock.Advance(std::chrono::hours(3));
  REQUIRE(h.Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT)).ok());
  const auto again = h.Drain();
  CHECK(CeIds(again) == CeIds(first));
  CHECK(again[0].record.value == first[0].record.value);
  CHECK(h.store.size() == 1);
  CHECK(h.store.commits() == 1);
  CHECK(h.Stored(kCase).SerializeAsString() == before.SerializeAsString());
  // The same ticket under another event id (intake republished it): still one case, nothing new.
  REQUIRE(h.Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), "evt-other").ok());
  CHECK(h.Drain().empty());
  CHECK(h.store.commits() == 1);
}

TEST_CASE("tickets of other types are ignored", "[desk][open]") {
  Harness h;
  REQUIRE(h.Open(MakeTicket(v1::REQUEST_TYPE_FAULT_REPAIR)).ok());
  CHECK(h.store.size() == 0);
  CHECK(h.Drain().empty());
}

TEST_CASE("contacts are counted on the case's ticket, once", "[desk][contact_added]") {
  Harness h;
  h.OpenCase("GC-20261102-000001");
  (void)h.Drain();
  v1::ContactAdded urging;
  urging.set_ticket_id("GC-20261102-000001");
  urging.set_urging(true);
  urging.set_escalated(true);
  REQUIRE(h.desk->OnContactAdded(urging, "evt-u1", kTraceparent).ok());
  CHECK(h.Stored(kCase).complaint_case().urging_count() == 1);
  CHECK(h.Stored(kCase).complaint_case().supervision_level() == 1);
  const auto first = h.Drain();
  CHECK(Types(first) == Strs{"gridcare.complaint_case.escalated.v1"});
  REQUIRE(h.desk->OnContactAdded(urging, "evt-u1", kTraceparent).ok());
  CHECK(CeIds(h.Drain()) == CeIds(first));
  CHECK(h.Stored(kCase).complaint_case().urging_count() == 1);
  CHECK(h.store.commits() == 2);
  // A contact on a ticket that is not a case's.
  urging.set_ticket_id("GC-OTHER");
  REQUIRE(h.desk->OnContactAdded(urging, "evt-u2", kTraceparent).ok());
  CHECK(h.store.size() == 1);
  CHECK(h.Drain().empty());
}

TEST_CASE("a restored fault ticket sampled for a visit becomes a case in the pool",
          "[desk][fault_visit]") {
  Harness h(Rules::FromJson(R"({"fault_visit_share": 1})"));
  v1::TicketStateChanged restored;
  restored.set_ticket_id("GC-F-1");
  restored.set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  restored.set_state(v1::TICKET_STATE_RESOLVED);
  REQUIRE(h.desk->OnTicketStateChanged(restored, "evt-r", kTraceparent).ok());
  CHECK(h.Stored("CC-GC-F-1").complaint_case().state() == v1::CASE_STATE_REPLIED);
  // Listed in the pool after every case with a clock; no timer.
  CHECK(h.store.OpenCases("service-dispatch-centre", 0, 10)->ids == Strs{"CC-GC-F-1"});
  CHECK(h.store.timers().empty());
  const auto first = h.Drain();
  CHECK(Types(first) == Strs{"gridcare.complaint_case.opened.v1"});
  REQUIRE(h.desk->OnTicketStateChanged(restored, "evt-r", kTraceparent).ok());
  CHECK(CeIds(h.Drain()) == CeIds(first));
  CHECK(h.store.commits() == 1);
  restored.set_type(v1::REQUEST_TYPE_COMPLAINT);
  restored.set_ticket_id("GC-C-1");
  REQUIRE(h.desk->OnTicketStateChanged(restored, "evt-s", kTraceparent).ok());
  CHECK(h.store.size() == 1);
}

TEST_CASE("a desk action publishes and flushes its events and forgets the pending outbox",
          "[desk][act]") {
  Harness h;
  h.OpenCase("GC-20261102-000001");
  (void)h.Drain();
  h.clock.Set(T0() + 1h);
  const auto taken = h.Take(kCase, "mkt-wl-02", "req-1");
  REQUIRE(taken.ok());
  CHECK(taken->handler_id() == "mkt-wl-02");
  CHECK(h.Stored(kCase).complaint_case().handler_id() == "mkt-wl-02");
  const auto published = h.Drain();
  REQUIRE(published.size() == 1);
  CHECK(published[0].meta.type == "gridcare.complaint_case.assigned.v1");
  CHECK(published[0].meta.id == kafka::DeriveEventId(kCase + "|desk:req-1#0", "complaint"));
  CHECK(published[0].record.key == kCase);
  CHECK(h.store.pending().empty());
  auto outbox = h.store.Outbox(OutboxIdFor(kCase, "desk:req-1"));
  REQUIRE(outbox.ok());
  CHECK(outbox->has_value());
  // The same request again: the case as it is, nothing published.
  const auto again = h.Take(kCase, "mkt-wl-02", "req-1");
  REQUIRE(again.ok());
  CHECK(again->handler_id() == "mkt-wl-02");
  CHECK(h.Drain().empty());
  CHECK(h.store.commits() == 2);
}

TEST_CASE("desk action errors: unknown case, rejected action, store failure", "[desk][act]") {
  Harness h;
  h.OpenCase("GC-20261102-000001");
  (void)h.Drain();
  auto missing = h.Take("CC-nope", "mkt-wl-02", "req-1");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == core::ErrorKind::kNotFound);
  CHECK_THAT(missing.error().message, Catch::Contains("CC-nope"));
  auto denied = h.Take(kCase, "ops-wl-02", "req-1");
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().kind == core::ErrorKind::kPermissionDenied);
  h.store.FailNextCommits(1);
  auto failed = h.Take(kCase, "mkt-wl-02", "req-2");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().kind == core::ErrorKind::kUnavailable);
  CHECK(failed.error().Retryable());
  CHECK(h.Drain().empty());
  CHECK(h.Stored(kCase).complaint_case().handler_id().empty());
  // The client retries the same request: applied now.
  REQUIRE(h.Take(kCase, "mkt-wl-02", "req-2").ok());
  CHECK(h.Drain().size() == 1);
  h.store.FailNextLoads(1);
  auto unreadable = h.Take(kCase, "mkt-wl-02", "req-3");
  REQUIRE_FALSE(unreadable.ok());
  CHECK(unreadable.error().Retryable());
}

TEST_CASE("a failed flush leaves the outbox pending, the relay publishes it later",
          "[desk][act][relay]") {
  Harness h;
  h.OpenCase("GC-20261102-000001");
  (void)h.Drain();
  h.publisher->FailNextFlushes(1);
  const auto taken = h.Take(kCase, "mkt-wl-02", "req-1");
  REQUIRE(taken.ok());  // the change stands
  const auto first = h.Drain();
  REQUIRE(first.size() == 1);
  CHECK(h.store.pending() == std::set<std::string>{OutboxIdFor(kCase, "desk:req-1")});
  auto relayed = h.desk->RelayPending();
  REQUIRE(relayed.ok());
  CHECK(*relayed == 1);
  CHECK(CeIds(h.Drain()) == CeIds(first));
  CHECK(h.store.pending().empty());
  relayed = h.desk->RelayPending();
  REQUIRE(relayed.ok());
  CHECK(*relayed == 0);
  CHECK(h.Drain().empty());
  SECTION("a relay whose flush fails keeps the outbox pending") {
    h.publisher->FailNextFlushes(2);
    REQUIRE(h.Contact(kCase, "mkt-wl-02", "req-2").ok());
    (void)h.Drain();
    CHECK_FALSE(h.desk->RelayPending().ok());
    CHECK(h.store.pending().size() == 1);
    CHECK(*h.desk->RelayPending() == 1);
    CHECK(h.store.pending().empty());
  }
}

TEST_CASE("timers raise each alarm once across ticks and a restart", "[desk][tick]") {
  Harness h;
  h.OpenCase("GC-20261102-000001");
  (void)h.Drain();
  auto ticked = h.desk->TickDue();
  REQUIRE(ticked.ok());
  CHECK(*ticked == 0);  // nothing due at T0
  h.clock.Set(At(2026, 11, 3, 10));
  ticked = h.desk->TickDue();
  REQUIRE(ticked.ok());
  CHECK(*ticked == 1);
  auto raised = h.Drain();
  CHECK(Types(raised) == Strs(3, "gridcare.complaint_case.deadline_alarm_raised.v1"));
  std::set<std::string> ids;
  for (const auto& p : raised) {
    ids.insert(p.meta.id);
    CHECK(p.meta.id ==
          kafka::DeriveEventId(kCase + "|" + p.event.deadline_alarm().alarm_id(), "complaint"));
  }
  CHECK(h.store.pending().empty());
  CHECK(h.Stored(kCase).complaint_case().supervision_level() == 1);
  // The timer moved to the next alarm (contact l2, Wed 10:00): ticking again raises nothing.
  CHECK(h.store.timers().at(kCase) == core::ToUnixMillis(At(2026, 11, 4, 10)));
  CHECK(*h.desk->TickDue() == 0);
  CHECK(h.Drain().empty());

  // A restart: a new desk over the same store.
  h.Restart();
  CHECK(*h.desk->TickDue() == 0);
  CHECK(h.Drain().empty());
  h.clock.Set(At(2026, 11, 14));
  CHECK(*h.desk->TickDue() == 1);
  raised = h.Drain();
  CHECK(raised.size() == 7);
  for (const auto& p : raised) CHECK(ids.insert(p.meta.id).second);
  CHECK(h.Stored(kCase).complaint_case().supervision_level() == 3);
  CHECK(h.store.timers().empty());
  h.Restart();
  CHECK(*h.desk->TickDue() == 0);
  CHECK(h.Drain().empty());
}

TEST_CASE("a tick whose flush failed is relayed, not raised again", "[desk][tick][relay]") {
  Harness h;
  h.OpenCase("GC-20261102-000001");
  (void)h.Drain();
  h.clock.Set(At(2026, 11, 2, 22));
  h.publisher->FailNextFlushes(1);
  CHECK(*h.desk->TickDue() == 1);
  const auto first = h.Drain();
  REQUIRE(first.size() == 1);
  CHECK(h.store.pending().size() == 1);
  h.Restart();  // crashed before the relay ran
  CHECK(*h.desk->TickDue() == 0);
  CHECK(*h.desk->RelayPending() == 1);
  CHECK(CeIds(h.Drain()) == CeIds(first));
}

TEST_CASE("one tick round flushes once for every case it raised alarms on", "[desk][tick]") {
  Harness h;
  for (const char* id : {"GC-1", "GC-2", "GC-3"}) h.OpenCase(id);
  (void)h.Drain();
  h.clock.Set(At(2026, 11, 2, 22));
  h.publisher->FailNextFlushes(1);
  CHECK(*h.desk->TickDue() == 3);
  CHECK(h.Drain().size() == 3);
  // The one flush failed: all three outboxes wait for the relay.
  CHECK(h.store.pending().size() == 3);
  CHECK(*h.desk->RelayPending() == 3);
  CHECK(h.store.pending().empty());
  h.clock.Set(At(2026, 11, 3, 6));
  CHECK(*h.desk->TickDue() == 3);
  CHECK(h.store.pending().empty());
}

TEST_CASE("a store failure on a Kafka input is retryable and publishes nothing",
          "[desk][open][failure]") {
  Harness h;
  h.store.FailNextCommits(1);
  const auto status = h.Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT));
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().Retryable());
  CHECK(h.Drain().empty());
  CHECK(h.store.size() == 0);
  h.store.FailNextLoads(1);
  REQUIRE_FALSE(h.Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT)).ok());
  // The redelivery succeeds.
  REQUIRE(h.Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT)).ok());
  CHECK(h.Drain().size() == 2);
  CHECK(h.store.size() == 1);
}

// --- The desk's list ---------------------------------------------------------------------------

struct ListHarness : Harness {
  ListHarness() {
    // Marketing: A opened at T0, B one hour earlier (due first), C senior (12 h contact clock);
    // operations: D. E is marketing's too but taken by mkt-wl-02 and contacted (reply clock only).
    clock.Set(T0());
    OpenAt("GC-A", T0());
    OpenAt("GC-B", T0() - 1h);
    auto senior = MakeTicket(v1::REQUEST_TYPE_COMPLAINT, "电费太高", "GC-C");
    senior.add_customer_tags(v1::CUSTOMER_TAG_SENSITIVE);
    REQUIRE(Open(senior, "evt-GC-C").ok());
    OpenAt("GC-D", T0(), "又停电了");
    OpenAt("GC-E", T0());
    REQUIRE(Contact("CC-GC-E", "mkt-wl-02", "req-e").ok());
    (void)Drain();
  }
  void OpenAt(const std::string& id, core::TimePoint opened, const std::string& text = "电费太高") {
    auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT, text, id);
    *ticket.mutable_opened_at() = sla::ToTimestamp(opened);
    REQUIRE(Open(ticket, "evt-" + id).ok());
  }
  Strs Ids(const v1::ListCasesRequest& request) {
    auto response = desk->List(request);
    INFO((response.ok() ? std::string() : response.error().ToString()));
    REQUIRE(response.ok());
    Strs ids;
    for (const auto& c : response->cases()) ids.push_back(c.case_id());
    return ids;
  }
};

v1::ListCasesRequest ListOf(const std::string& department, int page_size = 0) {
  v1::ListCasesRequest request;
  request.set_department_id(department);
  request.set_page_size(page_size);
  return request;
}

TEST_CASE("the desk lists a department's open cases by the clock that runs out first",
          "[desk][list]") {
  ListHarness h;
  // C's contact clock ends Mon 22:00, B's Tue 09:00, A's Tue 10:00; E's reply clock Nov 9.
  CHECK(h.Ids(ListOf("marketing")) == Strs{"CC-GC-C", "CC-GC-B", "CC-GC-A", "CC-GC-E"});
  CHECK(h.Ids(ListOf("operations")) == Strs{"CC-GC-D"});
  CHECK(h.Ids(ListOf("")) == Strs{"CC-GC-C", "CC-GC-B", "CC-GC-A", "CC-GC-D", "CC-GC-E"});
  auto response = h.desk->List(ListOf("marketing"));
  REQUIRE(response.ok());
  CHECK(response->total() == 4);
  CHECK(response->next_page_token().empty());
  for (const auto& c : response->cases()) {
    CHECK(c.text().empty());  // lists never carry the customer's words
    CHECK(c.clocks_size() == 2);
  }
  // GetCase does.
  auto got = h.desk->Get("CC-GC-A");
  REQUIRE(got.ok());
  CHECK(got->text() == "电费太高");
  CHECK(h.desk->Get("CC-nope").error().kind == core::ErrorKind::kNotFound);
}

TEST_CASE("the desk's list pages with tokens", "[desk][list]") {
  ListHarness h;
  auto request = ListOf("marketing", 3);
  auto first = h.desk->List(request);
  REQUIRE(first.ok());
  CHECK(first->cases_size() == 3);
  CHECK(first->total() == 4);
  REQUIRE(first->next_page_token() == "3");
  request.set_page_token(first->next_page_token());
  CHECK(h.Ids(request) == Strs{"CC-GC-E"});
  CHECK(h.desk->List(request)->next_page_token().empty());
  SECTION("filtered lists page over the matching cases") {
    auto filtered = ListOf("marketing", 2);
    filtered.add_states(v1::CASE_STATE_ROUTED);
    auto page = h.desk->List(filtered);
    REQUIRE(page.ok());
    CHECK(page->total() == 3);
    CHECK(h.Ids(filtered) == Strs{"CC-GC-C", "CC-GC-B"});
    REQUIRE(page->next_page_token() == "2");
    filtered.set_page_token("2");
    CHECK(h.Ids(filtered) == Strs{"CC-GC-A"});
    CHECK(h.desk->List(filtered)->next_page_token().empty());
  }
  SECTION("bad requests") {
    auto bad = ListOf("marketing", 501);
    CHECK(h.desk->List(bad).error().kind == core::ErrorKind::kInvalidArgument);
    bad = ListOf("marketing", -1);
    CHECK(h.desk->List(bad).error().kind == core::ErrorKind::kInvalidArgument);
    bad = ListOf("marketing");
    bad.set_page_token("abc");
    auto error = h.desk->List(bad).error();
    CHECK(error.kind == core::ErrorKind::kInvalidArgument);
    CHECK_THAT(error.message, Catch::Contains("page_token"));
  }
}

TEST_CASE("the desk's list filters by state, handler and overdue", "[desk][list]") {
  ListHarness h;
  auto request = ListOf("marketing");
  request.add_states(v1::CASE_STATE_CONTACTED);
  CHECK(h.Ids(request) == Strs{"CC-GC-E"});
  request = ListOf("marketing");
  request.set_handler_id("mkt-wl-01");  // the senior handler of C
  CHECK(h.Ids(request) == Strs{"CC-GC-C"});
  request = ListOf("");
  request.set_overdue_only(true);
  CHECK(h.Ids(request).empty());
  h.clock.Set(At(2026, 11, 3, 9, 30));
  CHECK(h.Ids(request) == Strs{"CC-GC-C", "CC-GC-B"});
  CHECK(h.desk->List(request)->total() == 2);
  h.clock.Set(At(2026, 11, 10));
  CHECK(h.Ids(request) == Strs{"CC-GC-C", "CC-GC-B", "CC-GC-A", "CC-GC-D", "CC-GC-E"});
}

TEST_CASE("a case that leaves a department leaves its list", "[desk][list]") {
  ListHarness h;
  REQUIRE(h.Return("CC-GC-A", "mkt-wl-02", "req-ret").ok());
  CHECK(h.Ids(ListOf("marketing")) == Strs{"CC-GC-C", "CC-GC-B", "CC-GC-E"});
  CHECK(h.Ids(ListOf("service-dispatch-centre")) == Strs{"CC-GC-A"});
}

}  // namespace
}  // namespace gridcare::complaint
