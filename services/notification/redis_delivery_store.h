#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "delivery_store.h"
#include "gridcare/redis/client.h"

namespace gridcare::notification {

/// DeliveryStore in one standalone Redis (the scripts touch keys they build from ids, so not on a
/// Redis Cluster). Keys:
///   - `notification:n:<notification id>`: the serialized v1::StoredNotification, expiring
///     `record_ttl` (30 days) after it was last enqueued or saved;
///   - `notification:due`: sorted set, notification id → due time (Unix ms). A claim moves the
///     score to now + lease, so a record whose lease ends without a Save is due again; Save moves
///     it to the next due time or removes it;
///   - `notification:memo:<key>`: a memo's value, expiring with PX.
///
/// Enqueue runs one Lua script per chunk of `enqueue_chunk` records (SET NX PX + ZADD for each
/// new record): one round trip per chunk. A batch larger than a chunk is not atomic as a whole:
/// when a later chunk fails the earlier ones stay stored, and retrying the whole batch is
/// harmless (they answer false). ClaimDue is one Lua script (ZRANGEBYSCORE LIMIT, then for each
/// id GET and ZADD now + lease); an id whose record has expired or vanished is removed from the
/// queue and not returned. A record that does not parse fails the claim with kInternal naming it
/// (the batch's other claims come back when their lease ends). Save is one MULTI/EXEC (SET PX and
/// ZADD or ZREM); SaveAll one MULTI/EXEC per `enqueue_chunk` records.
///
/// Thread-safe (RedisClient is; the store holds no state of its own).
class RedisDeliveryStore final : public DeliveryStore {
 public:
  static constexpr std::chrono::hours kDefaultRecordTtl{24 * 30};
  static constexpr size_t kDefaultEnqueueChunk = 500;

  /// `redis` must outlive the store. `enqueue_chunk` must be positive.
  explicit RedisDeliveryStore(redis::RedisClient& redis,
                              std::chrono::milliseconds record_ttl = kDefaultRecordTtl,
                              size_t enqueue_chunk = kDefaultEnqueueChunk);

  core::Result<std::vector<bool>> Enqueue(
      const std::vector<v1::StoredNotification>& records) override;
  core::Result<std::vector<v1::StoredNotification>> ClaimDue(core::TimePoint now, int limit,
                                                             core::Duration lease) override;
  core::Status Save(const v1::StoredNotification& record,
                    std::optional<core::TimePoint> next_due) override;
  core::Status SaveAll(const std::vector<RecordSave>& saves) override;
  core::Result<std::optional<v1::StoredNotification>> Get(
      const std::string& notification_id) override;
  core::Result<std::optional<std::string>> GetMemo(const std::string& key) override;
  core::Status PutMemo(const std::string& key, const std::string& value,
                       core::Duration ttl) override;
  core::Result<int64_t> QueuedCount() override;

  /// The keys above, for tests and operators.
  static std::string RecordKey(std::string_view notification_id);
  static std::string MemoKey(std::string_view key);
  static constexpr std::string_view kDueKey = "notification:due";

 private:
  core::Result<std::vector<bool>> EnqueueChunk(const std::vector<v1::StoredNotification>& records,
                                               size_t begin, size_t end);

  redis::RedisClient& redis_;
  std::chrono::milliseconds record_ttl_;
  size_t enqueue_chunk_;
};

}  // namespace gridcare::notification
