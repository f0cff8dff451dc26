#include "redis_delivery_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <utility>

#include "gridcare/redis/errors.h"

namespace gridcare::notification {
namespace {

using google::protobuf::util::TimeUtil;

// KEYS[1] is the due set, KEYS[1 + i] record i's key; ARGV[1] the records' TTL in ms, then per
// record (id, due ms, serialized record). Creates each record whose key is absent and queues it;
// returns, per record, 1 when created and 0 when it was already stored (left untouched).
constexpr std::string_view kEnqueueScript = R"lua(
local created = {}
for i = 2, #KEYS do
  local a = 2 + (i - 2) * 3
  if redis.call('SET', KEYS[i], ARGV[a + 2], 'NX', 'PX', ARGV[1]) then
    redis.call('ZADD', KEYS[1], ARGV[a + 1], ARGV[a])
    created[i - 1] = 1
  else
    created[i - 1] = 0
  end
end
return created
)lua";

// KEYS[1] is the due set; ARGV: now (ms), limit, lease end (ms), the record key prefix. Claims up
// to `limit` members due at or before now, earliest first, by moving them to the lease end, and
// returns their records in that order; a member whose record is gone is removed, not returned.
constexpr std::string_view kClaimScript = R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local records = {}
for _, id in ipairs(ids) do
  local record = redis.call('GET', ARGV[4] .. id)
  if record then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    records[#records + 1] = id
    records[#records + 1] = record
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return records
)lua";

constexpr std::string_view kRecordPrefix = "notification:n:";
constexpr std::string_view kMemoPrefix = "notification:memo:";

int64_t DueMillis(const v1::StoredNotification& record) {
  return TimeUtil::TimestampToMilliseconds(record.due_at());
}

core::Result<v1::StoredNotification> Parse(std::string_view id, const std::string& bytes) {
  v1::StoredNotification record;
  if (!record.ParseFromString(bytes)) {
    return core::Internal("corrupt notification record '" + std::string(id) + "' in Redis");
  }
  return record;
}

core::Status CheckIds(const std::vector<v1::StoredNotification>& records) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].notification_id().empty()) {
      return core::InvalidArgument("notification record " + std::to_string(i) +
                                   " of the batch has no notification_id");
    }
  }
  return {};
}

}  // namespace

RedisDeliveryStore::RedisDeliveryStore(redis::RedisClient& redis,
                                       std::chrono::milliseconds record_ttl, size_t enqueue_chunk)
    : redis_(redis), record_ttl_(record_ttl), enqueue_chunk_(std::max<size_t>(enqueue_chunk, 1)) {}

std::string RedisDeliveryStore::RecordKey(std::string_view notification_id) {
  return std::string(kRecordPrefix) + std::string(notification_id);
}

std::string RedisDeliveryStore::MemoKey(std::string_view key) {
  return std::string(kMemoPrefix) + std::string(key);
}

core::Result<std::vector<bool>> RedisDeliveryStore::Enqueue(
    const std::vector<v1::StoredNotification>& records) {
  if (auto valid = CheckIds(records); !valid.ok()) return valid.error();
  std::vector<bool> created;
  created.reserve(records.size());
  for (size_t begin = 0; begin < records.size(); begin += enqueue_chunk_) {
    const size_t end = std::min(records.size(), begin + enqueue_chunk_);
    auto chunk = EnqueueChunk(records, begin, end);
    if (!chunk) return chunk.error();
    created.insert(created.end(), chunk->begin(), chunk->end());
  }
  return created;
}

core::Result<std::vector<bool>> RedisDeliveryStore::EnqueueChunk(
    const std::vector<v1::StoredNotification>& records, size_t begin, size_t end) {
  std::vector<std::string> keys;
  std::vector<std::string> args;
  keys.reserve(end - begin + 1);
  args.reserve((end - begin) * 3 + 1);
  keys.emplace_back(kDueKey);
  args.push_back(std::to_string(record_ttl_.count()));
  for (size_t i = begin; i < end; ++i) {
    const auto& record = records[i];
    keys.push_back(RecordKey(record.notification_id()));
    args.push_back(record.notification_id());
    args.push_back(std::to_string(DueMillis(record)));
    args.push_back(record.SerializeAsString());
  }
  auto reply = redis_.Eval(kEnqueueScript, keys, args);
  if (!reply) return reply.error();
  const auto& elements = reply->elements();
  if (!reply->is_array() || elements.size() != end - begin) {
    return core::Internal("notification enqueue script answered " +
                          std::string(redis::ReplyTypeName(reply->type())) + " of " +
                          std::to_string(elements.size()) + " for " + std::to_string(end - begin) +
                          " records");
  }
  std::vector<bool> created;
  created.reserve(elements.size());
  for (const auto& element : elements) created.push_back(element.integer() == 1);
  return created;
}

core::Result<std::vector<v1::StoredNotification>> RedisDeliveryStore::ClaimDue(
    core::TimePoint now, int limit, core::Duration lease) {
  if (lease < core::Duration::zero()) {
    return core::InvalidArgument("a claim's lease must not be negative");
  }
  std::vector<v1::StoredNotification> claimed;
  if (limit <= 0) return claimed;
  const int64_t now_ms = core::ToUnixMillis(now);
  const int64_t lease_end_ms = now_ms + std::chrono::ceil<std::chrono::milliseconds>(lease).count();
  auto reply = redis_.Eval(kClaimScript, {std::string(kDueKey)},
                           {std::to_string(now_ms), std::to_string(limit),
                            std::to_string(lease_end_ms), std::string(kRecordPrefix)});
  if (!reply) return reply.error();
  const auto& elements = reply->elements();
  if (elements.size() % 2 != 0) {
    return core::Internal("notification claim script answered an odd number of elements");
  }
  claimed.reserve(elements.size() / 2);
  for (size_t i = 0; i < elements.size(); i += 2) {
    auto record = Parse(elements[i].str(), elements[i + 1].str());
    if (!record) return record.error();
    claimed.push_back(std::move(*record));
  }
  return claimed;
}

core::Status RedisDeliveryStore::Save(const v1::StoredNotification& record,
                                      std::optional<core::TimePoint> next_due) {
  return SaveAll({{&record, next_due}});
}

core::Status RedisDeliveryStore::SaveAll(const std::vector<RecordSave>& saves) {
  for (const RecordSave& save : saves) {
    if (save.record == nullptr || save.record->notification_id().empty()) {
      return core::InvalidArgument("a notification record to save needs its id");
    }
  }
  const std::string ttl = std::to_string(record_ttl_.count());
  for (size_t begin = 0; begin < saves.size(); begin += enqueue_chunk_) {
    const size_t end = std::min(saves.size(), begin + enqueue_chunk_);
    std::vector<std::vector<std::string>> commands;
    commands.reserve((end - begin) * 2);
    for (size_t i = begin; i < end; ++i) {
      const v1::StoredNotification& record = *saves[i].record;
      const std::string& id = record.notification_id();
      commands.push_back({"SET", RecordKey(id), record.SerializeAsString(), "PX", ttl});
      if (saves[i].next_due) {
        commands.push_back({"ZADD", std::string(kDueKey),
                            std::to_string(core::ToUnixMillis(*saves[i].next_due)), id});
      } else {
        commands.push_back({"ZREM", std::string(kDueKey), id});
      }
    }
    auto replies = redis_.Transaction(commands);
    if (!replies) return replies.error();
    for (const auto& reply : *replies) {
      if (reply.is_error()) return redis::ErrorFromReply(reply, "notification save");
    }
  }
  return {};
}

core::Result<std::optional<v1::StoredNotification>> RedisDeliveryStore::Get(
    const std::string& notification_id) {
  auto bytes = redis_.Get(RecordKey(notification_id));
  if (!bytes) return bytes.error();
  if (!bytes->has_value()) return std::optional<v1::StoredNotification>{};
  auto record = Parse(notification_id, **bytes);
  if (!record) return record.error();
  return std::optional<v1::StoredNotification>(std::move(*record));
}

core::Result<std::optional<std::string>> RedisDeliveryStore::GetMemo(const std::string& key) {
  return redis_.Get(MemoKey(key));
}

core::Status RedisDeliveryStore::PutMemo(const std::string& key, const std::string& value,
                                         core::Duration ttl) {
  if (ttl <= core::Duration::zero()) return core::InvalidArgument("a memo's TTL must be positive");
  return redis_.Set(MemoKey(key), value, std::chrono::ceil<std::chrono::milliseconds>(ttl));
}

core::Result<int64_t> RedisDeliveryStore::QueuedCount() { return redis_.ZCard(kDueKey); }

}  // namespace gridcare::notification
