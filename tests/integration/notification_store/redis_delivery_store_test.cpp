// RedisDeliveryStore on a real redis-server: the port contract (the same checks as the fake),
// with the default and with tiny Enqueue chunks, its keys and their expiries, queue entries
// whose record vanished or does not parse, and retryable failures while Redis is down.
#include "redis_delivery_store.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "delivery_store_contract.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/servers.h"

namespace gridcare::notification {
namespace {

using namespace test;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

int64_t Pttl(redis::RedisClient& client, const std::string& key) {
  auto ttl = client.Command({"PTTL", key});
  REQUIRE(ttl.ok());
  return ttl->integer();
}

std::optional<std::string> Score(redis::RedisClient& client, const std::string& id) {
  auto score = client.Command({"ZSCORE", std::string(RedisDeliveryStore::kDueKey), id});
  REQUIRE(score.ok());
  return score->AsOptionalString();
}

std::string Ms(int64_t offset_ms) { return std::to_string(core::ToUnixMillis(At(offset_ms))); }

TEST_CASE("the Redis delivery store keeps the store contract", "[notification_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDeliveryStore store(*client);
  SECTION("empty at first") { StartsEmpty(store); }
  SECTION("each id once") { EnqueuesEachIdOnce(store); }
  SECTION("records without id") { RefusesRecordsWithoutId(store); }
  SECTION("due then id") { ClaimsByDueThenId(store); }
  SECTION("limit") { ClaimsUpToLimit(store); }
  SECTION("lease") { LeaseHidesUntilItEnds(store); }
  SECTION("save requeues") { SaveWithNextDueRequeues(store); }
  SECTION("save all saves each") { SaveAllSavesEach(store); }
  SECTION("save dequeues") { SaveWithoutNextDueDequeues(store); }
  SECTION("memos") { MemosPutGetOverwrite(store); }
  SECTION("queued count") { CountsQueued(store); }
  SECTION("large batch once") { EnqueuesLargeBatchOnce(store); }
  SECTION("concurrent claims") { ConcurrentClaimsNeverShareARecord(store); }
}

TEST_CASE("the Redis delivery store keeps the contract when a batch spans many chunks",
          "[notification_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDeliveryStore store(*client, RedisDeliveryStore::kDefaultRecordTtl, 3);
  SECTION("each id once") { EnqueuesEachIdOnce(store); }
  SECTION("records without id") { RefusesRecordsWithoutId(store); }
  SECTION("large batch once") { EnqueuesLargeBatchOnce(store); }
}

TEST_CASE("records live in their documented keys for 30 days after their last save",
          "[notification_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDeliveryStore store(*client);
  const auto a = NotificationDoc("n-a", 1500);
  EnqueueOrFail(store, {a});
  const std::string key = "notification:n:n-a";
  CHECK(RedisDeliveryStore::RecordKey("n-a") == key);
  auto bytes = client->Get(key);
  REQUIRE(bytes.ok());
  REQUIRE(bytes->has_value());
  v1::StoredNotification stored;  // map fields have no fixed byte order: compare the parsed record
  REQUIRE(stored.ParseFromString(**bytes));
  CHECK(Same(stored, a));
  CHECK(Score(*client, "n-a") == std::optional<std::string>(Ms(1500)));
  const int64_t ttl = Pttl(*client, key);
  CHECK(ttl > 30 * kDayMs - 60'000);
  CHECK(ttl <= 30 * kDayMs);

  REQUIRE(client->Expire(key, std::chrono::milliseconds(5000)).ok());
  EnqueueOrFail(store, {a});  // an existing record: its expiry is left as it is
  CHECK(Pttl(*client, key) <= 5000);
  CHECK(Claim(store, 2000, 10) == Ids{"n-a"});
  CHECK(Score(*client, "n-a") == std::optional<std::string>(Ms(62'000)));
  CHECK(Pttl(*client, key) <= 5000);  // a claim does not write the record
  SaveOrFail(store, a, 7000);
  CHECK(Pttl(*client, key) > 30 * kDayMs - 60'000);
  CHECK(Score(*client, "n-a") == std::optional<std::string>(Ms(7000)));
  SaveOrFail(store, a, std::nullopt);
  CHECK_FALSE(Score(*client, "n-a").has_value());

  REQUIRE(store.PutMemo("etr:INC-7", "v", std::chrono::hours(2)).ok());
  CHECK(RedisDeliveryStore::MemoKey("etr:INC-7") == "notification:memo:etr:INC-7");
  const int64_t memo_ttl = Pttl(*client, "notification:memo:etr:INC-7");
  CHECK(memo_ttl > 7'200'000 - 60'000);
  CHECK(memo_ttl <= 7'200'000);
}

TEST_CASE("a queued id whose record vanished is dropped from the queue and not claimed",
          "[notification_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDeliveryStore store(*client);
  EnqueueOrFail(store,
                {NotificationDoc("n-a", 0), NotificationDoc("n-b", 1), NotificationDoc("n-c", 2)});
  REQUIRE(client->Del("notification:n:n-b").ok());
  CHECK(Queued(store) == 3);
  CHECK(Claim(store, 10, 10) == Ids{"n-a", "n-c"});
  CHECK(Queued(store) == 2);
  CHECK_FALSE(Score(*client, "n-b").has_value());
  CHECK(EnqueueOrFail(store, {NotificationDoc("n-b", 3)}) == Bools{true});
  CHECK(Claim(store, 10, 10) == Ids{"n-b"});
}

TEST_CASE("a corrupt record is reported as an internal error naming it", "[notification_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDeliveryStore store(*client);
  EnqueueOrFail(store, {NotificationDoc("n-bad", 0), NotificationDoc("n-ok", 1)});
  REQUIRE(client->Set("notification:n:n-bad", std::string("\xff\xff\xff", 3)).ok());
  auto got = store.Get("n-bad");
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().kind == core::ErrorKind::kInternal);
  CHECK_THAT(got.error().message, Catch::Contains("n-bad"));
  auto claimed = store.ClaimDue(At(10), 10, std::chrono::seconds(60));
  REQUIRE_FALSE(claimed.ok());
  CHECK(claimed.error().kind == core::ErrorKind::kInternal);
  CHECK_THAT(claimed.error().message, Catch::Contains("n-bad"));
  // The batch's claims hold: its records come back when the lease ends, the others meanwhile.
  EnqueueOrFail(store, {NotificationDoc("n-next", 100)});
  CHECK(Claim(store, 100, 10) == Ids{"n-next"});
  CHECK(Queued(store) == 3);
}

TEST_CASE(
    "the Redis delivery store fails retryably while Redis is down and keeps its queue and "
    "leases over a restart",
    "[notification_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisDeliveryStore store(*client);
  EnqueueOrFail(store, Batch(10));
  CHECK(Claim(store, 0, 4) == Ids{"n-00000", "n-00001", "n-00002", "n-00003"});
  server.Stop();
  auto enqueued = store.Enqueue({NotificationDoc("n-x")});
  REQUIRE_FALSE(enqueued.ok());
  CHECK(enqueued.error().Retryable());
  auto claimed = store.ClaimDue(At(0), 10, std::chrono::seconds(60));
  REQUIRE_FALSE(claimed.ok());
  CHECK(claimed.error().Retryable());
  CHECK(store.Save(NotificationDoc("n-00000"), std::nullopt).error().Retryable());
  CHECK(store.Get("n-00000").error().Retryable());
  CHECK(store.GetMemo("k").error().Retryable());
  CHECK(store.PutMemo("k", "v", std::chrono::seconds(5)).error().Retryable());
  CHECK(store.QueuedCount().error().Retryable());
  server.Restart();
  REQUIRE(
      gridcare::testing::WaitUntil([&] { return client->Ping().ok(); }, std::chrono::seconds(5)));
  CHECK(Queued(store) == 10);
  CHECK_FALSE(GetOrFail(store, "n-x").has_value());
  CHECK(Claim(store, 0, 10) ==
        Ids{"n-00004", "n-00005", "n-00006", "n-00007", "n-00008", "n-00009"});
  CHECK(Claim(store, 60'000, 10) == Ids{"n-00000", "n-00001", "n-00002", "n-00003", "n-00004",
                                        "n-00005", "n-00006", "n-00007", "n-00008", "n-00009"});
}

}  // namespace
}  // namespace gridcare::notification
