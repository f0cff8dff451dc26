#pragma once
// A RedisClient for a test's own redis-server (RedisServer in servers.h): short timeouts, so a
// broken server fails the test quickly instead of hanging it.

#include <chrono>
#include <memory>
#include <stdexcept>
#include <utility>

#include "gridcare/redis/client.h"
#include "gridcare/testing/servers.h"

namespace gridcare::testing {

inline redis::RedisSettings RedisSettingsFor(const RedisServer& server) {
  redis::RedisSettings settings;
  settings.host = server.host();
  settings.port = server.port();
  settings.connect_timeout = std::chrono::milliseconds(500);
  settings.command_timeout = std::chrono::milliseconds(2000);
  settings.pool_size = 4;
  return settings;
}

/// Throws when the client cannot be created (a test setup failure, not a test result).
inline std::unique_ptr<redis::RedisClient> MakeRedisClient(const redis::RedisSettings& settings) {
  auto client = redis::RedisClient::Create(settings);
  if (!client.ok()) throw std::runtime_error(client.error().ToString());
  return std::move(client).value();
}

inline std::unique_ptr<redis::RedisClient> MakeRedisClient(const RedisServer& server) {
  return MakeRedisClient(RedisSettingsFor(server));
}

}  // namespace gridcare::testing
