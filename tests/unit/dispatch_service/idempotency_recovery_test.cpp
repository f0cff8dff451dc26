// Dispatcher: redelivered inputs republish the same records and change nothing, failed commits
// are retryable and recovered from the store, and a restarted dispatcher rebuilds the same state.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

bool SameRecords(const std::vector<kafka::OutgoingRecord>& a,
                 const std::vector<kafka::OutgoingRecord>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].topic != b[i].topic || a[i].key != b[i].key || a[i].value != b[i].value ||
        a[i].headers != b[i].headers) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> Serialized(const std::vector<v1::Incident>& incidents) {
  std::vector<std::string> out;
  for (const auto& i : incidents) out.push_back(i.SerializeAsString());
  return out;
}

std::vector<std::string> Serialized(const std::vector<v1::WorkOrder>& orders) {
  std::vector<std::string> out;
  for (const auto& o : orders) out.push_back(o.SerializeAsString());
  return out;
}

TEST_CASE("a redelivered ticket republishes the identical records and changes nothing",
          "[dispatcher][idempotency]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  h.CallNow("t2", "c2");
  const size_t earlier = h.publisher.records().size();
  h.Call(FaultTicket("t3", "c3", "F1", "T1", h.Now()), "evt-3");
  const auto first = h.publisher.records();
  const std::vector<kafka::OutgoingRecord> first_t3(
      first.begin() + static_cast<std::ptrdiff_t>(earlier), first.end());
  REQUIRE(first_t3.size() > 3);
  const auto before = h.Snapshot();
  const int commits = h.store.commits;
  const auto open_before = Serialized(h.Open());
  const auto orders_before = Serialized(h.Orders());

  h.clock.Advance(5min);  // a redelivery later still says exactly the same
  h.Call(FaultTicket("t3", "c3", "F1", "T1", T0()), "evt-3");
  const auto all = h.publisher.records();
  const std::vector<kafka::OutgoingRecord> again(
      all.begin() + static_cast<std::ptrdiff_t>(first.size()), all.end());
  CHECK(SameRecords(again, first_t3));
  CHECK(Decode(again).front().ce_id == Decode(first_t3).front().ce_id);
  CHECK(h.store.commits == commits);
  const auto after = h.Snapshot();
  CHECK(after.journal.size() == before.journal.size());
  CHECK(after.incidents.size() == before.incidents.size());
  CHECK(Serialized(h.Open()) == open_before);
  CHECK(Serialized(h.Orders()) == orders_before);
}

TEST_CASE("the same ticket under another event id is a duplicate that publishes nothing",
          "[dispatcher][idempotency]") {
  Harness h;
  h.CallNow("t1", "c1");
  (void)h.Take();
  const int commits = h.store.commits;
  h.Call(FaultTicket("t1", "c1", "F1", "T1", h.Now()), "evt-other");
  CHECK(h.Take().empty());
  CHECK(h.store.commits == commits);
  CHECK(h.OrderIds() == Strs{"WO-S-t1"});
}

TEST_CASE("a lone last gasp redelivered is still held once", "[dispatcher][idempotency]") {
  Harness h;
  h.Call(LastGaspTicket("lg1", "c1", "F1", "T1", h.Now()), "evt-lg1");
  h.Call(LastGaspTicket("lg1", "c1", "F1", "T1", h.Now()), "evt-lg1");
  CHECK(h.Snapshot().journal.size() == 1);
  h.Call(LastGaspTicket("lg2", "c2", "F1", "T1", h.Now()));
  CHECK(h.Take().empty());  // two distinct meters, below the threshold
}

// [single-path] (this and the next): count injected failures commit by commit; the batch path's
// own failures are in batch_path_test.cpp.
TEST_CASE("a failed commit is retryable and the retried ticket then applies exactly once",
          "[dispatcher][idempotency][recovery][single-path]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  h.CallNow("t2", "c2");
  (void)h.Take();
  const int loads = h.store.loads;

  h.memory.FailNextCommits(1);
  const auto failed = h.Handle(FaultTicket("t3", "c3", "F1", "T1", h.Now()), "evt-3");
  CHECK(failed.disposition == Disposition::kRetry);
  CHECK(h.Take().empty());  // nothing is published before the state is durable
  CHECK(h.Snapshot().journal.size() == 2);

  h.Call(FaultTicket("t3", "c3", "F1", "T1", h.Now()), "evt-3");
  CHECK(h.store.loads == loads + 1);  // the dispatcher rebuilt its state from the store first
  const auto events = h.Take();
  CHECK(Count(events, ce::kIncidentOpened) == 1);
  CHECK(Count(events, ce::kWorkOrderCancelled) == 2);
  const auto incident = *h.d().Incident("INC-T-t3");
  CHECK(incident.call_count() == 3);
  CHECK(Strings(incident.ticket_ids()) == Strs{"t1", "t2", "t3"});
  CHECK(h.OpenIds() == Strs{"INC-T-t3"});
  CHECK(h.OrderIds() == Strs{"WO-T-t3"});
  const auto snapshot = h.Snapshot();
  CHECK(snapshot.journal.size() == 3);
  CHECK(snapshot.work_orders.size() == 1);
  CHECK(snapshot.work_orders.count("WO-T-t3"));

  // The state agrees with what a fresh dispatcher rebuilds.
  const auto open = Serialized(h.Open());
  h.Restart();
  CHECK(Serialized(h.Open()) == open);
}

TEST_CASE("a failed commit of an isolated call leaves no phantom incident once recovered",
          "[dispatcher][idempotency][recovery][single-path]") {
  Harness h;
  h.memory.FailNextCommits(1);
  CHECK(h.Handle(FaultTicket("t1", "c1", "F1", "T1", h.Now())).disposition == Disposition::kRetry);
  // Another input first: it recovers, and t1 is not there.
  h.CallNow("t2", "c2", "F2", "T9");
  CHECK(h.OpenIds() == Strs{"INC-S-t2"});
  h.CallNow("t1", "c1");
  CHECK(h.OpenIds().size() == 2);
  CHECK(h.Snapshot().journal.size() == 2);
}

TEST_CASE("a failed commit of a crew report is retryable and the retry applies it",
          "[dispatcher][idempotency][recovery]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  (void)h.Take();
  h.memory.FailNextCommits(1);
  const auto failed = h.Crew(OnSite("CREW-A", "WO-S-t1"), "crew-evt-1");
  CHECK(failed.disposition == Disposition::kRetry);
  CHECK(h.Take().empty());
  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "crew-evt-1");
  CHECK(Count(h.Take(), ce::kIncidentUpdated) == 1);
  CHECK(h.Order("WO-S-t1")->state() == v1::WORK_ORDER_STATE_ON_SITE);
  CHECK(h.Snapshot().work_orders.at("WO-S-t1").state() == v1::WORK_ORDER_STATE_ON_SITE);
}

TEST_CASE("a redelivered crew report republishes the same records and changes nothing",
          "[dispatcher][idempotency]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  (void)h.Take();
  h.CrewDone(EnRoute("CREW-A", "WO-S-t1", h.Now() + 10min), "crew-evt-1");
  const auto first = h.publisher.records();
  const int commits = h.store.commits;
  h.clock.Advance(1min);
  h.CrewDone(EnRoute("CREW-A", "WO-S-t1", h.Now() + 10min), "crew-evt-1");
  const auto all = h.publisher.records();
  REQUIRE(all.size() == first.size() + 1);
  CHECK(SameRecords({all.back()}, {first.back()}));
  CHECK(h.store.commits == commits);
}

TEST_CASE("a restarted dispatcher rebuilds the same incidents, work orders and correlation",
          "[dispatcher][recovery]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 2, h.Now())});
  h.CallNow("t1", "c1", "F1", "T1");
  h.CallNow("t2", "c2", "F1", "T1");
  h.CallNow("t3", "c3", "F1", "T1");   // transformer incident INC-T-t3
  h.CallNow("t5", "c5", "F1", "T2");   // single-customer, still pending on T2
  h.CallNow("s1", "cs1", "F2", "T9");  // another feeder
  const std::string t5_crew = h.Order("WO-S-t5")->crew_id();
  h.CrewDone(Declined(t5_crew, "WO-S-t5"), "crew-decline-1");
  REQUIRE(h.Snapshot().declined.count("WO-S-t5"));
  CHECK(h.Snapshot().declined.at("WO-S-t5") == std::set<std::string>{t5_crew});
  const auto open = Serialized(h.Open());
  const auto orders = Serialized(h.Orders());
  const auto tickets = Strings(h.d().Incident("INC-T-t3")->ticket_ids());
  const auto crews = h.d().Crews();

  h.Restart();
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 2, h.Now())});
  CHECK(h.d().recovered());
  CHECK(Serialized(h.Open()) == open);
  CHECK(Serialized(h.Orders()) == orders);
  CHECK(Strings(h.d().Incident("INC-T-t3")->ticket_ids()) == tickets);
  CHECK(h.d().Crews().size() == crews.size());
  (void)h.Take();

  // A call after the restart joins the incident opened before it.
  h.CallNow("t4", "c4", "F1", "T1");
  auto events = h.Take();
  REQUIRE(Types(events) == Strs{std::string(ce::kTicketAttached)});
  CHECK(events[0].event.ticket_attached().incident_id() == "INC-T-t3");

  // The pending calls of T2 were rebuilt: two more customers make a transformer incident.
  h.CallNow("t6", "c6", "F1", "T2");
  h.CallNow("t7", "c7", "F1", "T2");
  events = h.Take();
  // T1 and T2 both have transformer incidents now: the feeder rolls up.
  const auto rolled = One(events, ce::kIncidentRolledUp);
  CHECK(AsSet(Strings(rolled.event.incident_rolled_up().incident().ticket_ids())) ==
        std::set<std::string>{"t1", "t2", "t3", "t4", "t5", "t6", "t7"});

  // WO-S-t5 was cancelled by the merge: its list of decliners goes with it.
  CHECK(h.Snapshot().declined.empty());
}

TEST_CASE("a ticket redelivered after a restart republishes the records of its first handling",
          "[dispatcher][idempotency][recovery]") {
  Harness h;
  h.CallNow("t1", "c1");
  const auto first = h.publisher.records();
  h.Restart();
  h.clock.Advance(1h);
  h.CallNow("t1", "c1");
  const auto all = h.publisher.records();
  const std::vector<kafka::OutgoingRecord> again(
      all.begin() + static_cast<std::ptrdiff_t>(first.size()), all.end());
  CHECK(SameRecords(again, first));
}

TEST_CASE("calls that reach dispatch late correlate the same way after a restart",
          "[dispatcher][recovery]") {
  Harness h;
  h.CallNow("t1", "c1");  // T0: a single-customer incident, pending on T1
  h.clock.Set(T0() + 20min);
  h.Tick();  // a tick in between (it used to prune T1's pending calls by wall-clock time)
  // Two calls opened at T0+10m and T0+11m reach dispatch only now (an intake backlog).
  h.Call(FaultTicket("t2", "c2", "F1", "T1", T0() + 10min));
  h.Call(FaultTicket("t3", "c3", "F1", "T1", T0() + 11min));
  const auto open = Serialized(h.Open());
  h.Restart();
  CHECK(Serialized(h.Open()) == open);
  (void)h.Take();
  // A fourth caller: whatever the live dispatcher would have decided, the restarted one must not
  // attach it to an incident that has no work order.
  h.CallNow("t4", "c4");
  const auto events = h.Take();
  for (const auto& attached : OfType(events, ce::kTicketAttached)) {
    const auto incident = h.d().Incident(attached.event.ticket_attached().incident_id());
    REQUIRE(incident.has_value());
    CHECK_FALSE(incident->work_order_id().empty());
  }
  CHECK(h.Orders().size() == h.Open().size());
}

TEST_CASE("a tick before the roster is loaded leaves the crews' jobs with them",
          "[dispatcher][recovery]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  h.CrewDone(Accepted("CREW-A", "WO-S-t1"), "crew-1");
  (void)h.Take();
  h.Restart();  // the repair-crew service has not answered yet: no roster
  h.clock.Advance(2s);
  h.Tick();
  const auto events = h.Take();
  CHECK(Count(events, ce::kWorkOrderQueued) == 0);
  CHECK(Count(events, ce::kWorkOrderReassigned) == 0);
  REQUIRE(h.Order("WO-S-t1"));
  CHECK(h.Order("WO-S-t1")->state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(h.Order("WO-S-t1")->crew_id() == "CREW-A");
}

TEST_CASE("a quiet tick with a job still waiting for a crew writes nothing",
          "[dispatcher][idempotency]") {
  Harness h;
  h.CallNow("t1", "c1");
  (void)h.Take();
  const int commits = h.store.commits;
  h.clock.Advance(1s);
  CHECK(h.Tick() == 0);
  h.clock.Advance(1s);
  CHECK(h.Tick() == 0);
  CHECK(h.store.commits == commits);
  CHECK(h.Take().empty());
}

TEST_CASE("events of a console action whose delivery failed are republished by the next tick",
          "[dispatcher][idempotency]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-B", 2, h.Now())});
  h.CallNow("t1", "c1");
  (void)h.Take();
  h.publisher.FailNextFlushes(1);
  v1::AssignWorkOrderRequest request;
  request.set_work_order_id("WO-S-t1");
  request.set_crew_id("CREW-B");
  request.set_dispatcher_id("D-7");
  auto result = h.d().AssignByHand(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().Retryable());
  const auto sent = h.Take();
  REQUIRE_FALSE(sent.empty());
  auto pending = h.memory.PendingOutboxes();
  REQUIRE(pending.ok());
  CHECK(pending->size() == 1);

  const int published = h.Tick();
  CHECK(published == static_cast<int>(sent.size()));
  const auto again = h.Take();
  REQUIRE(again.size() == sent.size());
  for (size_t i = 0; i < sent.size(); ++i) CHECK(again[i].ce_id == sent[i].ce_id);
  CHECK(h.memory.PendingOutboxes()->empty());
  // The assignment itself was durable.
  CHECK(h.Order("WO-S-t1")->crew_id() == "CREW-B");
  CHECK(h.Snapshot().work_orders.at("WO-S-t1").crew_id() == "CREW-B");
}

}  // namespace
}  // namespace gridcare::dispatch
