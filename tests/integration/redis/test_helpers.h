#pragma once

#include "gridcare/testing/redis_client.h"

namespace gridcare::redis::test {

using gridcare::testing::MakeRedisClient;
inline RedisSettings SettingsFor(const testing::RedisServer& server) {
  return gridcare::testing::RedisSettingsFor(server);
}
inline std::unique_ptr<RedisClient> MakeClient(const RedisSettings& settings) {
  return MakeRedisClient(settings);
}
inline std::unique_ptr<RedisClient> MakeClient(const testing::RedisServer& server) {
  return MakeRedisClient(server);
}

}  // namespace gridcare::redis::test
