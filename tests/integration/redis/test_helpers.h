#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <utility>

#include "gridcare/redis/client.h"
#include "gridcare/testing/servers.h"

namespace gridcare::redis::test {

inline RedisSettings SettingsFor(const testing::RedisServer& server) {
  RedisSettings settings;
  settings.host = server.host();
  settings.port = server.port();
  settings.connect_timeout = std::chrono::milliseconds(500);
  settings.command_timeout = std::chrono::milliseconds(2000);
  settings.pool_size = 4;
  return settings;
}

inline std::unique_ptr<RedisClient> MakeClient(const RedisSettings& settings) {
  auto client = RedisClient::Create(settings);
  if (!client.ok()) throw std::runtime_error(client.error().ToString());
  return std::move(client).value();
}

inline std::unique_ptr<RedisClient> MakeClient(const testing::RedisServer& server) {
  return MakeClient(SettingsFor(server));
}

}  // namespace gridcare::redis::test
