#pragma once

#include <chrono>
#include <string>

#include "gridcare/kafka/idempotency.h"
#include "gridcare/redis/client.h"

namespace gridcare::service {

/// IdempotencyGuard over Redis: one key "<service>:processed:<event id>" per applied event, kept
/// for `retention` (longer than any redelivery or replay window). Survives restarts, shared by all
/// replicas of a consumer group. Thread-safe; `redis` must outlive it.
class RedisIdempotencyGuard final : public kafka::IdempotencyGuard {
 public:
  RedisIdempotencyGuard(redis::RedisClient& redis, std::string service,
                        std::chrono::milliseconds retention = std::chrono::hours(24 * 7));
  core::Result<bool> Seen(std::string_view event_id) override;
  core::Status Remember(const std::vector<std::string>& event_ids) override;

  std::chrono::milliseconds retention() const { return retention_; }

 private:
  std::string KeyFor(std::string_view event_id) const;

  redis::RedisClient& redis_;
  std::string prefix_;
  std::chrono::milliseconds retention_;
};

}  // namespace gridcare::service
