// A Dispatcher over RedisDispatchStore on a real redis-server: a whole working state (incidents,
// a merged transformer outage, a planned outage, a declined job, a crew on site, fired alarms,
// timers) survives a redis-server restart (AOF) and a dispatcher restart, and work goes on
// from it.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dispatch_store_contract.h"
#include "dispatcher_fixture.h"
#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/servers.h"
#include "redis_dispatch_store.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

struct RedisHarness {
  gridcare::testing::RedisServer server;
  std::unique_ptr<redis::RedisClient> client = gridcare::testing::MakeRedisClient(server);
  RedisDispatchStore store{*client};
  core::FakeClock clock{T0()};
  kafka::RecordingPublisher publisher;
  FakeTopologyDirectory topology;
  std::unique_ptr<Dispatcher> dispatcher;
  size_t cursor = 0;

  RedisHarness() {
    for (const char* t : {"T1", "T2", "T3", "T4", "T9"}) topology.SetTransformer(t, 100);
    topology.SetFeeder("F1", 1000, 10);
    topology.SetFeeder("F2", 1000, 10);
    StartDispatcher();
  }

  void StartDispatcher() {
    dispatcher =
        std::make_unique<Dispatcher>(store, publisher, topology, clock, DispatchSettings{});
    auto recovered = dispatcher->Recover();
    INFO((recovered.ok() ? std::string() : recovered.error().ToString()));
    REQUIRE(recovered.ok());
  }

  void Roster() {
    dispatcher->UpdateRoster({MakeCrew("CREW-A", 1, clock.Now()),
                              MakeCrew("CREW-B", 3, clock.Now()),
                              MakeCrew("CREW-C", 5, clock.Now())});
  }

  void Call(const std::string& ticket, const std::string& customer, const std::string& feeder,
            const std::string& transformer) {
    const auto result =
        dispatcher->OnTicketOpened(FaultTicket(ticket, customer, feeder, transformer, clock.Now()),
                                   "evt-" + ticket, kTraceparent);
    INFO(result.reason << ": " << result.detail);
    REQUIRE(result.disposition == Disposition::kDone);
  }

  void Crew(const v1::CrewEvent& event, const std::string& id) {
    const auto result = dispatcher->OnCrewEvent(event, id, kTraceparent);
    INFO(result.reason << ": " << result.detail);
    REQUIRE(result.disposition == Disposition::kDone);
  }

  int Tick() {
    auto published = dispatcher->Tick();
    INFO((published.ok() ? std::string() : published.error().ToString()));
    REQUIRE(published.ok());
    return *published;
  }

  std::vector<Published> Take() {
    const auto all = publisher.records();
    std::vector<kafka::OutgoingRecord> fresh(all.begin() + static_cast<std::ptrdiff_t>(cursor),
                                             all.end());
    cursor = all.size();
    return Decode(fresh);
  }

  std::vector<std::string> OpenState() {
    std::vector<std::string> out;
    for (const auto& i : dispatcher->OpenIncidents({})) out.push_back(i.SerializeAsString());
    return out;
  }

  std::vector<std::string> OrderState() {
    std::vector<std::string> out;
    for (const auto& o : dispatcher->WorkOrders({})) out.push_back(o.SerializeAsString());
    return out;
  }

  std::string CrewOf(const std::string& order) {
    for (const auto& o : dispatcher->WorkOrders({})) {
      if (o.work_order_id() == order) return o.crew_id();
    }
    return {};
  }

  void RestartRedis() {
    server.Restart();
    REQUIRE(
        gridcare::testing::WaitUntil([&] { return client->Ping().ok(); }, std::chrono::seconds(5)));
  }
};

TEST_CASE("a dispatcher over Redis comes back with the same state after redis-server restarts",
          "[dispatch_store][integration][recovery]") {
  RedisHarness h;
  h.Roster();
  // A transformer outage on T1 (absorbing two single-customer incidents), a lone call on T2, a
  // call on F2, and a planned outage on T4 that a caller runs into.
  h.Call("t1", "c1", "F1", "T1");
  h.Call("t2", "c2", "F1", "T1");
  h.Call("t3", "c3", "F1", "T1");
  h.Call("t5", "c5", "F1", "T2");
  h.Call("s1", "cs1", "F2", "T9");
  v1::PlannedOutage outage;
  outage.mutable_scope()->set_feeder_id("F1");
  outage.mutable_scope()->set_transformer_id("T4");
  *outage.mutable_starts_at() = sla::ToTimestamp(T0() - 1h);
  *outage.mutable_ends_at() = sla::ToTimestamp(T0() + 4h);
  outage.mutable_reason()->set_zh_cn("台区改造");
  auto registered = h.dispatcher->RegisterPlannedOutage(outage);
  REQUIRE(registered.ok());
  h.Call("p1", "cp1", "F1", "T4");
  // The crew of the F2 job declines it; the transformer crew arrives.
  const std::string s1_crew = h.CrewOf("WO-S-s1");
  REQUIRE_FALSE(s1_crew.empty());
  h.Crew(Declined(s1_crew, "WO-S-s1"), "crew-1");
  const std::string t3_crew = h.CrewOf("WO-T-t3");
  REQUIRE_FALSE(t3_crew.empty());
  h.clock.Set(T0() + 10min);
  h.Crew(OnSite(t3_crew, "WO-T-t3", T0() + 2h), "crew-2");
  // A call on T3 shortly before the restart stays pending there.
  h.clock.Set(T0() + 30min);
  h.Roster();
  h.Call("u1", "cu1", "F1", "T3");
  // Reminders of the two waiting single-customer jobs of T0.
  h.clock.Set(T0() + 35min);
  h.Roster();
  h.Tick();
  CHECK(Count(h.Take(), ce::kClockAlarm) == 2);

  const auto open = h.OpenState();
  const auto orders = h.OrderState();
  REQUIRE(open.size() == 4);
  REQUIRE(orders.size() == 4);
  const auto before = LoadOrFail(h.store);
  const auto timers = Due(h.store, Ms(T0() + 24h), 100);
  CHECK(timers.size() == 4);

  h.RestartRedis();
  const auto after = LoadOrFail(h.store);
  CHECK(after.journal.size() == before.journal.size());
  CHECK(after.incidents.size() == before.incidents.size());
  CHECK(after.work_orders.size() == before.work_orders.size());
  CHECK(after.planned_outages.size() == 1);
  CHECK(after.declined == before.declined);
  CHECK(after.declined.at("WO-S-s1") == std::set<std::string>{s1_crew});
  CHECK(after.fired == before.fired);
  CHECK(Due(h.store, Ms(T0() + 24h), 100) == timers);

  h.StartDispatcher();  // the dispatch process restarts too
  h.Roster();
  CHECK(h.OpenState() == open);
  CHECK(h.OrderState() == orders);
  CHECK(Strings(h.dispatcher->Incident("INC-T-t3")->ticket_ids()) == Strs{"t1", "t2", "t3"});

  // Alarms already raised are not raised again.
  h.Tick();
  CHECK(Count(h.Take(), ce::kClockAlarm) == 0);

  // A redelivered ticket republishes its first records.
  const auto first_t3 = [&] {
    std::vector<Published> out;
    for (const auto& p : Decode(h.publisher.records())) {
      if (p.key == "INC-T-t3" && p.ce_type == ce::kIncidentOpened) out.push_back(p);
    }
    return out;
  }();
  REQUIRE(first_t3.size() == 1);
  h.Call("t3", "c3", "F1", "T1");
  const auto again = OfType(h.Take(), ce::kIncidentOpened);
  REQUIRE(again.size() == 1);
  CHECK(again[0].ce_id == first_t3[0].ce_id);

  // New calls join what was known before the restart.
  h.Call("t4", "c4", "F1", "T1");
  h.Call("p2", "cp2", "F1", "T4");
  auto events = h.Take();
  REQUIRE(Types(events) == Strs(2, std::string(ce::kTicketAttached)));
  CHECK(events[0].event.ticket_attached().incident_id() == "INC-T-t3");
  CHECK(events[1].event.ticket_attached().planned_outage_id() == registered->planned_outage_id());
  // The call on T3 is still pending: two more customers there make a transformer incident,
  // and with T1's the feeder rolls up.
  h.Call("u2", "cu2", "F1", "T3");
  h.Call("u3", "cu3", "F1", "T3");
  CHECK(Count(h.Take(), ce::kIncidentRolledUp) == 1);

  // The restored feeder outage is archived in Redis and survives another restart as closed.
  const std::string feeder_crew = h.CrewOf("WO-F-u3");
  REQUIRE_FALSE(feeder_crew.empty());
  h.Crew(OnSite(feeder_crew, "WO-F-u3"), "crew-3");
  h.Crew(Completed(feeder_crew, "WO-F-u3", true), "crew-4");
  const auto restored = One(h.Take(), ce::kIncidentRestored);
  CHECK(AsSet(Strings(restored.event.incident_restored().ticket_ids())) ==
        std::set<std::string>{"t1", "t2", "t3", "t4", "u1", "u2", "u3"});
  CHECK(h.client->Exists("dispatch:archive:incident:INC-F-u3").value());
  CHECK(h.client->Exists("dispatch:archive:incident:INC-T-t3").value());
  const auto remaining = h.OpenState();
  h.RestartRedis();
  h.StartDispatcher();
  CHECK(h.OpenState() == remaining);
  CHECK_FALSE(h.dispatcher->Incident("INC-T-t3").has_value());
  h.Roster();
  h.Call("t8", "c1", "F1", "T1");
  CHECK(One(h.Take(), ce::kIncidentOpened).key == "INC-S-t8");
}

TEST_CASE("a dispatcher input while Redis is down is retryable and applies once Redis is back",
          "[dispatch_store][integration][recovery]") {
  RedisHarness h;
  h.Roster();
  h.Call("t1", "c1", "F1", "T1");
  (void)h.Take();
  h.server.Stop();
  const auto failed = h.dispatcher->OnTicketOpened(
      FaultTicket("t2", "c2", "F1", "T1", h.clock.Now()), "evt-t2", kTraceparent);
  CHECK(failed.disposition == Disposition::kRetry);
  auto tick = h.dispatcher->Tick();
  REQUIRE_FALSE(tick.ok());
  CHECK(tick.error().Retryable());
  CHECK(h.Take().empty());
  h.RestartRedis();
  h.Call("t2", "c2", "F1", "T1");
  CHECK(Count(h.Take(), ce::kIncidentOpened) == 1);
  CHECK(LoadOrFail(h.store).journal.size() == 2);
}

}  // namespace
}  // namespace gridcare::dispatch
