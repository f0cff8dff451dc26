#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "delivery_store.h"

namespace gridcare::notification {

/// DeliveryStore in memory, for unit tests and in-process benchmarks, keeping the same contract
/// as RedisDeliveryStore (delivery_store_contract.h): records created once per id, the queue
/// ordered by due time (Unix ms) then id, claims that move a record's due time to the lease's end.
/// Time comes only from the arguments: records and memos never expire here (ExpireRecord plays a
/// record's expiry). Failure injection: FailNext. Thread-safe.
class FakeDeliveryStore final : public DeliveryStore {
 public:
  core::Result<std::vector<bool>> Enqueue(
      const std::vector<v1::StoredNotification>& records) override;
  core::Result<std::vector<v1::StoredNotification>> ClaimDue(core::TimePoint now, int limit,
                                                             core::Duration lease) override;
  core::Status Save(const v1::StoredNotification& record,
                    std::optional<core::TimePoint> next_due) override;
  core::Result<std::optional<v1::StoredNotification>> Get(
      const std::string& notification_id) override;
  core::Result<std::optional<std::string>> GetMemo(const std::string& key) override;
  core::Status PutMemo(const std::string& key, const std::string& value,
                       core::Duration ttl) override;
  core::Result<int64_t> QueuedCount() override;

  /// The next `count` calls (of any method above) fail with UNAVAILABLE and change nothing.
  void FailNext(int count);
  /// Drops the record but leaves its id queued, as when its Redis key expires: the next ClaimDue
  /// that reaches the id takes it out of the queue.
  void ExpireRecord(const std::string& notification_id);
  /// The queue: notification id → due time (Unix ms).
  std::map<std::string, int64_t> queue() const;
  /// Records stored (queued or not).
  size_t size() const;
  /// The TTL `key` was last put with; nullopt for an unknown memo.
  std::optional<core::Duration> memo_ttl(const std::string& key) const;

 private:
  /// Whether this call must fail (counts the injected failure down). Needs mutex_.
  bool Failing();
  /// Queues `id` at `due_ms`, or moves it there. Needs mutex_.
  void Queue(const std::string& id, int64_t due_ms);
  /// Takes `id` out of the queue. Needs mutex_.
  void Dequeue(const std::string& id);

  struct Memo {
    std::string value;
    core::Duration ttl{};
  };

  mutable std::mutex mutex_;
  std::map<std::string, v1::StoredNotification, std::less<>> records_;
  std::map<std::string, int64_t, std::less<>> due_;
  /// (due ms, id), the order claims take: as a Redis sorted set orders by score, then member.
  std::set<std::pair<int64_t, std::string>> order_;
  std::map<std::string, Memo, std::less<>> memos_;
  int failing_ = 0;
};

}  // namespace gridcare::notification
