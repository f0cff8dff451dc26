// RedisCaseStore and RedisIncidentIndex on a real redis-server: the port contracts (the same
// checks as the fakes), the keys' expiries (closed cases, outboxes, incidents), corrupt data
// reported as an internal error, and retryable failures while Redis is down.
#include "redis_case_store.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "case_store_contract.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/servers.h"
#include "incident_index_contract.h"
#include "redis_incident_index.h"

namespace gridcare::complaint {
namespace {

using namespace test;

int64_t Pttl(redis::RedisClient& client, const std::string& key) {
  auto ttl = client.Command({"PTTL", key});
  REQUIRE(ttl.ok());
  return ttl->integer();
}

TEST_CASE("the Redis case store keeps the store contract", "[complaint_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisCaseStore store(*client);
  SECTION("empty at first") { StartsEmpty(store); }
  SECTION("cases round-trip") { CasesRoundTrip(store); }
  SECTION("timers due in order") { TimersDueInOrder(store); }
  SECTION("open cases by first due") { OpenCasesListedByFirstDue(store); }
  SECTION("outbox and pending") { OutboxAndPending(store); }
}

TEST_CASE("closed cases and outboxes expire, a reopened case does not",
          "[complaint_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisCaseStore store(*client, std::chrono::hours(1), std::chrono::hours(2));
  auto open = CommitOf(CaseDoc("CC-1", "marketing"), 1000, 1000);
  open.outbox_id = "CC-1|evt-1";
  open.records = {RecordDoc("CC-1", "id-1")};
  CommitOrFail(store, open);
  CHECK(Pttl(*client, "complaint:case:CC-1") == -1);
  const int64_t outbox_ttl = Pttl(*client, "complaint:outbox:CC-1|evt-1");
  CHECK(outbox_ttl > 0);
  CHECK(outbox_ttl <= 3'600'000);

  auto closed = CommitOf(CaseDoc("CC-1", "marketing", v1::CASE_STATE_CLOSED), std::nullopt);
  closed.previous_department_id = "marketing";
  CommitOrFail(store, closed);
  const int64_t closed_ttl = Pttl(*client, "complaint:case:CC-1");
  CHECK(closed_ttl > 3'600'000);
  CHECK(closed_ttl <= 7'200'000);
  CHECK(Due(store, 1'000'000, 10).empty());

  auto reopened = CommitOf(CaseDoc("CC-1", "marketing", v1::CASE_STATE_REOPENED), 5000, 5000);
  reopened.previous_department_id = "marketing";
  CommitOrFail(store, reopened);
  CHECK(Pttl(*client, "complaint:case:CC-1") == -1);
  CHECK(Open(store, "marketing", 0, 10).ids == Strs{"CC-1"});
}

TEST_CASE("corrupt complaint data in Redis is reported, not silently dropped",
          "[complaint_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisCaseStore store(*client);
  REQUIRE(client->Set("complaint:case:CC-BAD", std::string("\xff\xff\xff", 3)).ok());
  auto loaded = store.Load("CC-BAD");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == core::ErrorKind::kInternal);
  CHECK_THAT(loaded.error().message, Catch::Contains("CC-BAD"));
  auto many = store.LoadMany({"CC-BAD"});
  REQUIRE_FALSE(many.ok());
  CHECK(many.error().kind == core::ErrorKind::kInternal);
  REQUIRE(client->Set("complaint:outbox:CC-BAD|evt", std::string("\xff\xff\xff", 3)).ok());
  auto outbox = store.Outbox("CC-BAD|evt");
  REQUIRE_FALSE(outbox.ok());
  CHECK(outbox.error().kind == core::ErrorKind::kInternal);
}

TEST_CASE(
    "the Redis case store fails retryably while Redis is down and keeps its state over a "
    "restart",
    "[complaint_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisCaseStore store(*client);
  CommitOrFail(store, CommitOf(CaseDoc("CC-1", "marketing"), 1000, 1000));
  server.Stop();
  auto failed = store.Commit(CommitOf(CaseDoc("CC-2", "marketing"), 1000, 1000));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  auto load = store.Load("CC-1");
  REQUIRE_FALSE(load.ok());
  CHECK(load.error().Retryable());
  CHECK(store.DueTimers(2000, 10).error().Retryable());
  CHECK(store.OpenCases("marketing", 0, 10).error().Retryable());
  server.Restart();
  REQUIRE(
      gridcare::testing::WaitUntil([&] { return client->Ping().ok(); }, std::chrono::seconds(5)));
  CHECK(LoadOrFail(store, "CC-1").has_value());
  CHECK_FALSE(LoadOrFail(store, "CC-2").has_value());
  CHECK(Due(store, 2000, 10) == Strs{"CC-1"});
  CHECK(Open(store, "marketing", 0, 10).ids == Strs{"CC-1"});
}

TEST_CASE("the Redis incident index keeps the index contract", "[complaint_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisIncidentIndex index(*client, std::chrono::hours(2));
  SECTION("transformer, then feeder") { FindsByTransformerThenFeeder(index); }
  SECTION("the newer incident wins") { NewerIncidentWins(index); }
  SECTION("the network context") { KeepsNetworkContext(index); }
  SECTION("entries expire after the index's memory") {
    RecordOrFail(index, IncidentDoc("INC-1", "F1", "T1", 1000));
    for (const char* key : {"complaint:incident:t:T1", "complaint:incident:f:F1"}) {
      const int64_t ttl = Pttl(*client, key);
      CHECK(ttl > 3'600'000);
      CHECK(ttl <= 7'200'000);
    }
  }
  SECTION("down: retryable") {
    server.Stop();
    auto recorded = index.Record(IncidentDoc("INC-1", "F1", "T1", 1000));
    REQUIRE_FALSE(recorded.ok());
    CHECK(recorded.error().Retryable());
    auto found = index.Find(Customer("F1", "T1"));
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().Retryable());
  }
}

}  // namespace
}  // namespace gridcare::complaint
