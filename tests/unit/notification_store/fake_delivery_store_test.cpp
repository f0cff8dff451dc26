// The fake keeps the DeliveryStore contract (delivery_store_contract.h, also run against Redis in
// tests/integration/notification_store), and its test hooks work.
#include "fake_delivery_store.h"

#include <catch2/catch.hpp>

#include "delivery_store_contract.h"

namespace gridcare::notification {
namespace {

using namespace test;

TEST_CASE("the fake delivery store keeps the store contract", "[notification_store]") {
  FakeDeliveryStore store;
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

TEST_CASE("the fake delivery store fails as told and changes nothing then",
          "[notification_store]") {
  FakeDeliveryStore store;
  EnqueueOrFail(store, {NotificationDoc("n-a")});
  store.FailNext(7);
  const auto unavailable = core::ErrorKind::kUnavailable;
  CHECK(store.Enqueue({NotificationDoc("n-b")}).error().kind == unavailable);
  CHECK(store.ClaimDue(At(0), 10, seconds(60)).error().kind == unavailable);
  CHECK(store.Save(NotificationDoc("n-c"), At(0)).error().kind == unavailable);
  CHECK(store.Get("n-a").error().kind == unavailable);
  CHECK(store.PutMemo("k", "v", seconds(1)).error().kind == unavailable);
  CHECK(store.GetMemo("k").error().kind == unavailable);
  CHECK(store.QueuedCount().error().kind == unavailable);
  CHECK(store.size() == 1);
  CHECK(store.queue() == std::map<std::string, int64_t>{{"n-a", core::ToUnixMillis(kT0)}});
  CHECK_FALSE(store.memo_ttl("k").has_value());
  CHECK(Claim(store, 0, 10) == Ids{"n-a"});
  CHECK(EnqueueOrFail(store, {NotificationDoc("n-b")}) == Bools{true});
}

TEST_CASE("the fake delivery store refuses bad arguments before failing as told",
          "[notification_store]") {
  FakeDeliveryStore store;
  store.FailNext(1);
  CHECK(store.Enqueue({NotificationDoc("")}).error().kind == core::ErrorKind::kInvalidArgument);
  CHECK(store.QueuedCount().error().kind == core::ErrorKind::kUnavailable);
  CHECK(Queued(store) == 0);
}

TEST_CASE("the fake delivery store drops a queued id whose record expired",
          "[notification_store]") {
  FakeDeliveryStore store;
  EnqueueOrFail(store, {NotificationDoc("n-a", 0), NotificationDoc("n-b", 1)});
  store.ExpireRecord("n-a");
  CHECK(Queued(store) == 2);
  CHECK_FALSE(GetOrFail(store, "n-a").has_value());
  CHECK(Claim(store, 10, 10) == Ids{"n-b"});
  CHECK(Queued(store) == 1);
  CHECK(store.queue() == std::map<std::string, int64_t>{{"n-b", core::ToUnixMillis(At(60'010))}});
  CHECK(EnqueueOrFail(store, {NotificationDoc("n-a", 5)}) == Bools{true});
  CHECK(Claim(store, 10, 10) == Ids{"n-a"});
}

TEST_CASE("the fake delivery store keeps the TTL each memo was put with", "[notification_store]") {
  FakeDeliveryStore store;
  REQUIRE(store.PutMemo("etr:INC-7", "a", std::chrono::hours(48)).ok());
  REQUIRE(store.PutMemo("etr:INC-7", "b", std::chrono::hours(2)).ok());
  CHECK(store.memo_ttl("etr:INC-7") == core::Duration(std::chrono::hours(2)));
  CHECK_FALSE(store.memo_ttl("etr:INC-8").has_value());
}

}  // namespace
}  // namespace gridcare::notification
