// RedisDispatchStore on a real redis-server: the DispatchStore contract (the same checks as the
// in-memory store), the archive and outbox keys with their expiries, and corrupt data reported
// as an internal error.
#include "redis_dispatch_store.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "dispatch_store_contract.h"
#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/servers.h"

namespace gridcare::dispatch {
namespace {

using namespace test;

TEST_CASE("the Redis dispatch store keeps the store contract", "[dispatch_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDispatchStore store(*client);
  SECTION("empty at first") { StartsEmpty(store); }
  SECTION("journal order") { JournalKeepsOrder(store); }
  SECTION("documents upserted and closed") { DocumentsUpsertAndClose(store); }
  SECTION("declined and fired sets") { DeclinedAndFiredSets(store); }
  SECTION("timers due in order") { TimersDueInOrder(store); }
  SECTION("outbox and pending") { OutboxAndPending(store); }
  SECTION("several inputs at once") { CommitAllAndOutboxes(store); }
}

TEST_CASE("a fenced Redis dispatch store writes only while its instance's claim stands",
          "[dispatch_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDispatchStore store(*client, "dispatch:t3:");
  store.FenceOn([] { return std::string("10.0.0.1:50051"); });
  DispatchBatch opened;
  opened.incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_OPEN);
  opened.outbox_id = "evt-1";

  // Not claimed yet: UNAVAILABLE (retryable), nothing written.
  const auto unclaimed = store.Commit(opened);
  REQUIRE_FALSE(unclaimed.ok());
  CHECK(unclaimed.error().kind == core::ErrorKind::kUnavailable);
  CHECK(store.Load()->incidents.empty());

  REQUIRE(client->Set("dispatch:t3:owner", "10.0.0.1:50051").ok());
  REQUIRE(store.Commit(opened).ok());
  CHECK(store.Load()->incidents.size() == 1);

  // Another instance claimed the territory (this one has not heard from Kafka yet).
  REQUIRE(client->Set("dispatch:t3:owner", "10.0.0.2:50051").ok());
  DispatchBatch more;
  more.incidents["INC-2"] = IncidentDoc("INC-2", v1::INCIDENT_STATE_OPEN);
  more.outbox_id = "evt-2";
  const auto fenced = store.Commit(more);
  REQUIRE_FALSE(fenced.ok());
  CHECK(fenced.error().kind == core::ErrorKind::kUnavailable);
  CHECK_THAT(fenced.error().message, Catch::Contains("10.0.0.2:50051"));
  CHECK(store.Load()->incidents.size() == 1);
  CHECK_FALSE(store.Outbox("evt-2")->has_value());
}

TEST_CASE("the Redis dispatch store archives closed incidents and work orders with an expiry",
          "[dispatch_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDispatchStore store(*client, "dispatch:", std::chrono::hours(1), std::chrono::hours(2));
  DispatchBatch opened;
  opened.incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_ON_SITE);
  opened.work_orders["WO-1"] = OrderDoc("WO-1", v1::WORK_ORDER_STATE_ON_SITE);
  opened.outbox_id = "evt-1";
  opened.records = {RecordDoc("INC-1", "id-1")};
  CommitOrFail(store, opened);
  {
    auto ttl = client->Command({"PTTL", "dispatch:outbox:evt-1"});
    REQUIRE(ttl.ok());
    CHECK(ttl->integer() > 0);
    CHECK(ttl->integer() <= 3'600'000);
  }
  CHECK_FALSE(client->Exists("dispatch:archive:incident:INC-1").value());

  DispatchBatch closed;
  closed.closed_incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_RESTORED);
  closed.closed_work_orders["WO-1"] = OrderDoc("WO-1", v1::WORK_ORDER_STATE_COMPLETED);
  CommitOrFail(store, closed);
  const auto snapshot = LoadOrFail(store);
  CHECK(snapshot.incidents.empty());
  CHECK(snapshot.work_orders.empty());

  auto incident_bytes = client->Get("dispatch:archive:incident:INC-1");
  REQUIRE(incident_bytes.ok());
  REQUIRE(incident_bytes->has_value());
  v1::Incident incident;
  REQUIRE(incident.ParseFromString(**incident_bytes));
  CHECK(incident.state() == v1::INCIDENT_STATE_RESTORED);
  auto order_bytes = client->Get("dispatch:archive:work_order:WO-1");
  REQUIRE(order_bytes.ok());
  REQUIRE(order_bytes->has_value());
  v1::WorkOrder order;
  REQUIRE(order.ParseFromString(**order_bytes));
  CHECK(order.state() == v1::WORK_ORDER_STATE_COMPLETED);
  for (const char* key : {"dispatch:archive:incident:INC-1", "dispatch:archive:work_order:WO-1"}) {
    auto ttl = client->Command({"PTTL", key});
    REQUIRE(ttl.ok());
    CHECK(ttl->integer() > 3'600'000);
    CHECK(ttl->integer() <= 7'200'000);
  }
}

TEST_CASE("the Redis dispatch store writes nothing for an empty batch",
          "[dispatch_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDispatchStore store(*client);
  CommitOrFail(store, DispatchBatch{});
  auto size = client->Command({"DBSIZE"});
  REQUIRE(size.ok());
  CHECK(size->integer() == 0);
}

TEST_CASE("corrupt dispatch state in Redis is reported, not silently dropped",
          "[dispatch_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDispatchStore store(*client);
  SECTION("an incident record") {
    REQUIRE(client->HSet("dispatch:incidents", {{"INC-1", std::string("\xff\xff\xff", 3)}}).ok());
    auto loaded = store.Load();
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().kind == core::ErrorKind::kInternal);
    CHECK_THAT(loaded.error().message, Catch::Contains("INC-1"));
  }
  SECTION("a journal entry") {
    REQUIRE(client->Command({"RPUSH", "dispatch:journal", std::string("\xff\xff\xff", 3)}).ok());
    auto loaded = store.Load();
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().kind == core::ErrorKind::kInternal);
  }
  SECTION("an outbox") {
    REQUIRE(client->Set("dispatch:outbox:evt-1", std::string("\xff\xff\xff", 3)).ok());
    auto outbox = store.Outbox("evt-1");
    REQUIRE_FALSE(outbox.ok());
    CHECK(outbox.error().kind == core::ErrorKind::kInternal);
  }
}

TEST_CASE("the Redis dispatch store fails retryably while Redis is down and works once it is back",
          "[dispatch_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDispatchStore store(*client);
  DispatchBatch batch;
  batch.journal.push_back(CallEntry("t1"));
  CommitOrFail(store, batch);
  server.Stop();
  auto failed = store.Commit(batch);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  auto load = store.Load();
  REQUIRE_FALSE(load.ok());
  CHECK(load.error().Retryable());
  server.Restart();
  REQUIRE(
      gridcare::testing::WaitUntil([&] { return client->Ping().ok(); }, std::chrono::seconds(5)));
  CHECK(LoadOrFail(store).journal.size() == 1);  // the failed commit wrote nothing
}

}  // namespace
}  // namespace gridcare::dispatch
