#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <utility>

#include "gridcare/redis/client.h"
#include "gridcare/testing/servers.h"

namespace gridcare::dispatch::test {

inline std::unique_ptr<redis::RedisClient> ClientFor(const gridcare::testing::RedisServer& server) {
  redis::RedisSettings settings;
  settings.host = server.host();
  settings.port = server.port();
  settings.connect_timeout = std::chrono::milliseconds(500);
  settings.command_timeout = std::chrono::milliseconds(2000);
  settings.pool_size = 2;
  auto client = redis::RedisClient::Create(settings);
  if (!client.ok()) throw std::runtime_error(client.error().ToString());
  return std::move(client).value();
}

}  // namespace gridcare::dispatch::test
