#include "gridcare/service/redis_idempotency_guard.h"

namespace gridcare::service {

RedisIdempotencyGuard::RedisIdempotencyGuard(redis::RedisClient& redis, std::string service,
                                             std::chrono::milliseconds retention)
    : redis_(redis), prefix_(std::move(service) + ":processed:"), retention_(retention) {}

std::string RedisIdempotencyGuard::KeyFor(std::string_view event_id) const {
  return prefix_ + std::string(event_id);
}

core::Result<bool> RedisIdempotencyGuard::Seen(std::string_view event_id) {
  return redis_.Exists(KeyFor(event_id));
}

core::Status RedisIdempotencyGuard::Remember(const std::vector<std::string>& event_ids) {
  if (event_ids.empty()) return {};
  std::vector<std::vector<std::string>> commands;
  commands.reserve(event_ids.size());
  const std::string ttl = std::to_string(retention_.count());
  for (const auto& id : event_ids) commands.push_back({"SET", KeyFor(id), "1", "PX", ttl});
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.error();
  return {};
}

}  // namespace gridcare::service
