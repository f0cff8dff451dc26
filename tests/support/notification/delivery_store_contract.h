#pragma once

// What every DeliveryStore must do, written once and run against FakeDeliveryStore (unit
// tests/unit/notification_store) and RedisDeliveryStore on a real redis-server
// (tests/integration/notification_store). Each function starts from an empty store and checks
// one scenario through the port alone. Times are Unix milliseconds from kT0.

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "delivery_store.h"
#include "gridcare/v1/notification.pb.h"

namespace gridcare::notification::test {

using Ids = std::vector<std::string>;
using Bools = std::vector<bool>;
using std::chrono::milliseconds;
using std::chrono::seconds;

inline const core::TimePoint kT0 = core::FromUnixMillis(1'793'000'000'000);

inline core::TimePoint At(int64_t offset_ms) { return kT0 + milliseconds(offset_ms); }

/// A record with every kind of field set (UTF-8 text, a map, timestamps), due at kT0 + due_ms.
inline v1::StoredNotification NotificationDoc(const std::string& id, int64_t due_ms = 0) {
  v1::StoredNotification record;
  record.set_notification_id(id);
  record.set_recipient_kind(v1::RECIPIENT_KIND_CUSTOMER);
  record.set_recipient_id("C-" + id);
  record.set_template_id("outage.known_cause");
  record.set_subject_id("INC-7");
  record.set_language(v1::LANGUAGE_ZH_CN);
  record.set_text("您所在区域因线路故障停电，预计18:30恢复供电。");
  record.add_channels("sms");
  record.add_channels("wechat");
  (*record.mutable_addresses())["sms"] = "13800138000";
  (*record.mutable_addresses())["wechat"] = "wx-" + id;
  record.set_state(v1::NOTIFICATION_STATE_QUEUED);
  record.set_message_class("outage");
  record.set_proactive(true);
  record.set_source_event_id("evt-42");
  *record.mutable_created_at() =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(kT0));
  *record.mutable_due_at() =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(At(due_ms)));
  record.set_tenant_id("gd");
  record.set_masked_address("138****8000");
  return record;
}

inline bool Same(const v1::StoredNotification& a, const v1::StoredNotification& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

inline Ids IdsOf(const std::vector<v1::StoredNotification>& records) {
  Ids ids;
  for (const auto& record : records) ids.push_back(record.notification_id());
  return ids;
}

inline Bools EnqueueOrFail(DeliveryStore& store,
                           const std::vector<v1::StoredNotification>& records) {
  auto created = store.Enqueue(records);
  INFO((created.ok() ? std::string() : created.error().ToString()));
  REQUIRE(created.ok());
  return std::move(created).value();
}

inline std::vector<v1::StoredNotification> ClaimOrFail(DeliveryStore& store, int64_t now_ms,
                                                       int limit,
                                                       milliseconds lease = seconds(60)) {
  auto claimed = store.ClaimDue(At(now_ms), limit, lease);
  INFO((claimed.ok() ? std::string() : claimed.error().ToString()));
  REQUIRE(claimed.ok());
  return std::move(claimed).value();
}

inline Ids Claim(DeliveryStore& store, int64_t now_ms, int limit,
                 milliseconds lease = seconds(60)) {
  return IdsOf(ClaimOrFail(store, now_ms, limit, lease));
}

inline void SaveOrFail(DeliveryStore& store, const v1::StoredNotification& record,
                       std::optional<int64_t> next_due_ms) {
  std::optional<core::TimePoint> next_due;
  if (next_due_ms) next_due = At(*next_due_ms);
  auto saved = store.Save(record, next_due);
  INFO((saved.ok() ? std::string() : saved.error().ToString()));
  REQUIRE(saved.ok());
}

inline std::optional<v1::StoredNotification> GetOrFail(DeliveryStore& store,
                                                       const std::string& id) {
  auto found = store.Get(id);
  INFO((found.ok() ? std::string() : found.error().ToString()));
  REQUIRE(found.ok());
  return std::move(found).value();
}

inline int64_t Queued(DeliveryStore& store) {
  auto count = store.QueuedCount();
  REQUIRE(count.ok());
  return *count;
}

inline std::optional<std::string> MemoOrFail(DeliveryStore& store, const std::string& key) {
  auto memo = store.GetMemo(key);
  REQUIRE(memo.ok());
  return std::move(memo).value();
}

/// `count` records "n-00000", "n-00001", … all due at kT0.
inline std::vector<v1::StoredNotification> Batch(int count, const std::string& prefix = "n-") {
  std::vector<v1::StoredNotification> records;
  records.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    std::string number = std::to_string(i);
    number.insert(0, 5 - std::min<size_t>(number.size(), 5), '0');
    records.push_back(NotificationDoc(prefix + number));
  }
  return records;
}

inline void StartsEmpty(DeliveryStore& store) {
  CHECK(Queued(store) == 0);
  CHECK_FALSE(GetOrFail(store, "n-1").has_value());
  CHECK_FALSE(MemoOrFail(store, "etr:INC-7").has_value());
  CHECK(Claim(store, 1'000'000, 10).empty());
  CHECK(EnqueueOrFail(store, {}).empty());
  CHECK(Queued(store) == 0);
}

/// New records are stored and queued; an id already stored, in whatever state, is left as it is.
inline void EnqueuesEachIdOnce(DeliveryStore& store) {
  const auto a = NotificationDoc("n-a");
  const auto b = NotificationDoc("n-b", 10);
  CHECK(EnqueueOrFail(store, {a, b}) == Bools{true, true});
  REQUIRE(GetOrFail(store, "n-a").has_value());
  CHECK(Same(*GetOrFail(store, "n-a"), a));
  CHECK(Same(*GetOrFail(store, "n-b"), b));
  CHECK(Queued(store) == 2);

  auto changed = NotificationDoc("n-a", 5);
  changed.set_text("changed");
  const auto c = NotificationDoc("n-c");
  CHECK(EnqueueOrFail(store, {changed, c, NotificationDoc("n-c", 99)}) ==
        Bools{false, true, false});
  CHECK(Same(*GetOrFail(store, "n-a"), a));
  CHECK(Same(*GetOrFail(store, "n-c"), c));
  CHECK(Queued(store) == 3);

  auto sent = b;
  sent.set_state(v1::NOTIFICATION_STATE_SENT);
  sent.set_provider_message_id("pm-1");
  SaveOrFail(store, sent, std::nullopt);
  CHECK(EnqueueOrFail(store, {b}) == Bools{false});
  CHECK(Same(*GetOrFail(store, "n-b"), sent));
  CHECK(Queued(store) == 2);
  CHECK(Claim(store, 1000, 10) == Ids{"n-a", "n-c"});
}

/// A batch with a record without an id is refused whole.
inline void RefusesRecordsWithoutId(DeliveryStore& store) {
  auto refused = store.Enqueue({NotificationDoc("n-a"), NotificationDoc("")});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_FALSE(GetOrFail(store, "n-a").has_value());
  CHECK(Queued(store) == 0);
  auto saved = store.Save(NotificationDoc(""), At(0));
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().kind == core::ErrorKind::kInvalidArgument);
}

/// Earliest due first, then by id; due exactly at `now` counts; later ones wait.
inline void ClaimsByDueThenId(DeliveryStore& store) {
  EnqueueOrFail(store, {NotificationDoc("n-b", 3000), NotificationDoc("n-c", 1000),
                        NotificationDoc("n-a", 2000), NotificationDoc("n-0", 2000),
                        NotificationDoc("n-late", 5001), NotificationDoc("n-now", 5000)});
  const auto claimed = ClaimOrFail(store, 5000, 10);
  CHECK(IdsOf(claimed) == Ids{"n-c", "n-0", "n-a", "n-b", "n-now"});
  REQUIRE(claimed.size() == 5);
  CHECK(Same(claimed[0], NotificationDoc("n-c", 1000)));
  CHECK(Claim(store, 5000, 10).empty());
  CHECK(Claim(store, 5001, 10) == Ids{"n-late"});
}

/// At most `limit` per claim, the rest in later claims; a non-positive limit claims nothing.
inline void ClaimsUpToLimit(DeliveryStore& store) {
  EnqueueOrFail(store,
                {NotificationDoc("n-1", 1), NotificationDoc("n-2", 2), NotificationDoc("n-3", 3),
                 NotificationDoc("n-4", 4), NotificationDoc("n-5", 5)});
  CHECK(Claim(store, 100, 0).empty());
  CHECK(Claim(store, 100, -1).empty());
  CHECK(Claim(store, 100, 2) == Ids{"n-1", "n-2"});
  CHECK(Claim(store, 100, 2) == Ids{"n-3", "n-4"});
  CHECK(Claim(store, 100, 10) == Ids{"n-5"});
  CHECK(Claim(store, 100, 10).empty());
  auto negative = store.ClaimDue(At(100), 10, milliseconds(-1));
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.error().kind == core::ErrorKind::kInvalidArgument);
}

/// A claimed record stays queued but hidden until its lease ends, then is due again.
inline void LeaseHidesUntilItEnds(DeliveryStore& store) {
  EnqueueOrFail(store, {NotificationDoc("n-a", 0), NotificationDoc("n-b", 500)});
  CHECK(Claim(store, 1000, 10, seconds(30)) == Ids{"n-a", "n-b"});
  CHECK(Queued(store) == 2);
  CHECK(Claim(store, 1000 + 29'999, 10).empty());
  CHECK(Claim(store, 1000 + 30'000, 1, seconds(30)) == Ids{"n-a"});
  CHECK(Claim(store, 1000 + 30'000, 10, seconds(30)) == Ids{"n-b"});
  CHECK(Claim(store, 1000 + 59'999, 10).empty());
  // A zero lease hides nothing.
  CHECK(Claim(store, 1000 + 60'000, 10, milliseconds(0)) == Ids{"n-a", "n-b"});
  CHECK(Claim(store, 1000 + 60'000, 10) == Ids{"n-a", "n-b"});
  CHECK(Queued(store) == 2);
}

/// Save replaces the record and queues it at next_due, earlier or later than its lease's end.
inline void SaveWithNextDueRequeues(DeliveryStore& store) {
  EnqueueOrFail(store, {NotificationDoc("n-a"), NotificationDoc("n-b")});
  CHECK(Claim(store, 0, 10, seconds(60)) == Ids{"n-a", "n-b"});
  auto retry = NotificationDoc("n-a");
  retry.set_attempts(1);
  retry.set_reason("provider 503");
  SaveOrFail(store, retry, 5000);
  auto later = NotificationDoc("n-b");
  later.set_channel_index(1);
  SaveOrFail(store, later, 90'000);
  CHECK(Queued(store) == 2);
  CHECK(Claim(store, 4999, 10).empty());
  const auto claimed = ClaimOrFail(store, 5000, 10);
  REQUIRE(IdsOf(claimed) == Ids{"n-a"});
  CHECK(Same(claimed[0], retry));
  CHECK(Claim(store, 60'000, 10).empty());
  // n-a's claim at 5000 leases it until 65000.
  CHECK(Claim(store, 90'000, 10) == Ids{"n-a", "n-b"});
  CHECK(Same(*GetOrFail(store, "n-b"), later));
}

/// SaveAll is Save for each record, in order: replaced records, queued or dequeued.
inline void SaveAllSavesEach(DeliveryStore& store) {
  EnqueueOrFail(store, {NotificationDoc("n-a"), NotificationDoc("n-b"), NotificationDoc("n-c")});
  CHECK(Claim(store, 0, 10, seconds(60)) == Ids{"n-a", "n-b", "n-c"});
  auto sent = NotificationDoc("n-a");
  sent.set_state(v1::NOTIFICATION_STATE_SENT);
  auto retry = NotificationDoc("n-b");
  retry.set_attempts(1);
  auto next_channel = NotificationDoc("n-c");
  next_channel.set_channel_index(1);
  const std::vector<RecordSave> saves = {
      {&sent, std::nullopt}, {&retry, At(5000)}, {&next_channel, At(1000)}};
  REQUIRE(store.SaveAll(saves).ok());
  CHECK(Queued(store) == 2);
  CHECK(Claim(store, 5000, 10) == Ids{"n-c", "n-b"});
  CHECK(Same(*GetOrFail(store, "n-a"), sent));
  CHECK(Same(*GetOrFail(store, "n-b"), retry));
  CHECK(Same(*GetOrFail(store, "n-c"), next_channel));
  CHECK(store.SaveAll({}).ok());
}

/// Save with nullopt takes the record out of the queue for good; Get still finds it, and a later
/// Save with a due time queues it again.
inline void SaveWithoutNextDueDequeues(DeliveryStore& store) {
  EnqueueOrFail(store, {NotificationDoc("n-a"), NotificationDoc("n-b")});
  CHECK(Claim(store, 0, 1) == Ids{"n-a"});
  auto sent = NotificationDoc("n-a");
  sent.set_state(v1::NOTIFICATION_STATE_SENT);
  sent.set_provider_message_id("pm-9");
  SaveOrFail(store, sent, std::nullopt);
  CHECK(Queued(store) == 1);
  CHECK(Claim(store, 10'000'000, 10) == Ids{"n-b"});
  REQUIRE(GetOrFail(store, "n-a").has_value());
  CHECK(Same(*GetOrFail(store, "n-a"), sent));
  SaveOrFail(store, sent, std::nullopt);  // again: still nothing queued
  CHECK(Queued(store) == 1);
  auto undeliverable = sent;
  undeliverable.set_channel_index(1);
  SaveOrFail(store, undeliverable, 20'000'000);
  CHECK(Queued(store) == 2);
  // n-b's lease ended at 10'060'000.
  CHECK(Claim(store, 20'000'000, 10) == Ids{"n-b", "n-a"});
}

/// Memos: unknown is nullopt, Put overwrites, keys are independent, bytes are kept exactly; a
/// memo needs a positive TTL.
inline void MemosPutGetOverwrite(DeliveryStore& store) {
  CHECK_FALSE(MemoOrFail(store, "etr:INC-7").has_value());
  REQUIRE(store.PutMemo("etr:INC-7", "1793000000000", std::chrono::hours(48)).ok());
  CHECK(MemoOrFail(store, "etr:INC-7") == std::optional<std::string>("1793000000000"));
  REQUIRE(store.PutMemo("etr:INC-7", "1793000600000", std::chrono::hours(48)).ok());
  CHECK(MemoOrFail(store, "etr:INC-7") == std::optional<std::string>("1793000600000"));
  const std::string bytes("\x00\xff|停电", sizeof("\x00\xff|停电") - 1);
  REQUIRE(store.PutMemo("sent:C-1|INC-7", bytes, seconds(1)).ok());
  CHECK(MemoOrFail(store, "sent:C-1|INC-7") == std::optional<std::string>(bytes));
  CHECK(MemoOrFail(store, "etr:INC-7") == std::optional<std::string>("1793000600000"));
  CHECK_FALSE(MemoOrFail(store, "etr:INC-8").has_value());
  for (const auto ttl : {milliseconds(0), milliseconds(-5)}) {
    auto refused = store.PutMemo("etr:INC-7", "x", ttl);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == core::ErrorKind::kInvalidArgument);
  }
  CHECK(MemoOrFail(store, "etr:INC-7") == std::optional<std::string>("1793000600000"));
  CHECK(Queued(store) == 0);
}

/// QueuedCount counts due, not yet due and claimed records, not dequeued ones.
inline void CountsQueued(DeliveryStore& store) {
  EnqueueOrFail(store, {NotificationDoc("n-due", 0), NotificationDoc("n-claimed", 0),
                        NotificationDoc("n-future", 1'000'000), NotificationDoc("n-done", 0)});
  CHECK(Queued(store) == 4);
  CHECK(Claim(store, 0, 2) == Ids{"n-claimed", "n-done"});
  CHECK(Queued(store) == 4);
  SaveOrFail(store, NotificationDoc("n-done"), std::nullopt);
  CHECK(Queued(store) == 3);
}

/// 2,000 records in one call, claimed in batches of 500 in due-then-id order, each exactly once;
/// enqueueing the whole batch again (a restarted fan-out) creates nothing and does not bring
/// claimed records back before their lease ends.
inline void EnqueuesLargeBatchOnce(DeliveryStore& store) {
  const auto batch = Batch(2000);
  const Bools created = EnqueueOrFail(store, batch);
  CHECK(created == Bools(2000, true));
  CHECK(Queued(store) == 2000);
  Ids claimed;
  for (int round = 0; round < 4; ++round) {
    const Ids ids = Claim(store, 0, 500);
    CHECK(ids.size() == 500);
    claimed.insert(claimed.end(), ids.begin(), ids.end());
  }
  CHECK(Claim(store, 0, 500).empty());
  CHECK(claimed == IdsOf(batch));
  const Bools again = EnqueueOrFail(store, batch);
  CHECK(again == Bools(2000, false));
  CHECK(Queued(store) == 2000);
  CHECK(Claim(store, 59'999, 500).empty());
  CHECK(Claim(store, 60'000, 2000).size() == 2000);
  REQUIRE(GetOrFail(store, "n-01999").has_value());
  CHECK(Same(*GetOrFail(store, "n-01999"), batch.back()));
}

/// Claims running at the same time never hand out the same record.
inline void ConcurrentClaimsNeverShareARecord(DeliveryStore& store) {
  EnqueueOrFail(store, Batch(400));
  constexpr int kThreads = 4;
  std::vector<Ids> taken(kThreads);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, &taken, &failures, t] {
      for (int round = 0; round < 400; ++round) {  // bounded: a broken lease must not hang
        auto claimed = store.ClaimDue(At(0), 7, seconds(60));
        if (!claimed.ok()) {
          ++failures[static_cast<size_t>(t)];
          return;
        }
        if (claimed->empty()) return;
        for (const auto& record : *claimed) {
          taken[static_cast<size_t>(t)].push_back(record.notification_id());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == std::vector<int>(kThreads, 0));
  Ids all;
  for (const auto& ids : taken) all.insert(all.end(), ids.begin(), ids.end());
  std::sort(all.begin(), all.end());
  CHECK(all == IdsOf(Batch(400)));
}

}  // namespace gridcare::notification::test
