#include "gridcare/redis/settings.h"

#include <catch2/catch.hpp>

#include "gridcare/redis/client.h"

namespace gridcare::redis {
namespace {

TEST_CASE("ParseAddress accepts host:port, names and bracketed IPv6", "[redis][settings]") {
  auto plain = ParseAddress("127.0.0.1:6379");
  REQUIRE(plain.ok());
  CHECK(plain->host == "127.0.0.1");
  CHECK(plain->port == 6379);

  auto named = ParseAddress("redis.gridcare.svc:6380");
  REQUIRE(named.ok());
  CHECK(named->host == "redis.gridcare.svc");
  CHECK(named->port == 6380);

  auto ipv6 = ParseAddress("[::1]:65535");
  REQUIRE(ipv6.ok());
  CHECK(ipv6->host == "::1");
  CHECK(ipv6->port == 65535);
}

TEST_CASE("ParseAddress rejects malformed input with a message showing the expected form",
          "[redis][settings]") {
  for (const char* bad :
       {"", "localhost", ":6379", "host:", "host:abc", "host:0", "host:65536", "host:6379x",
        "host:-1", "::1:6379", "[::1]6379", "[::1", "[]:6379", "host: 6379"}) {
    INFO("address '" << bad << "'");
    auto parsed = ParseAddress(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_FALSE(parsed.error().Retryable());
    CHECK_THAT(parsed.error().message, Catch::Contains("expected host:port"));
  }
}

TEST_CASE("ValidateSettings names the field to fix", "[redis][settings]") {
  CHECK(ValidateSettings(RedisSettings{}).ok());

  RedisSettings no_pool;
  no_pool.pool_size = 0;
  auto status = ValidateSettings(no_pool);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(status.error().message, Catch::Contains("pool_size"));

  RedisSettings bad_port;
  bad_port.port = 0;
  CHECK_THAT(ValidateSettings(bad_port).error().message, Catch::Contains("port"));

  RedisSettings no_host;
  no_host.host.clear();
  CHECK_THAT(ValidateSettings(no_host).error().message, Catch::Contains("host"));

  RedisSettings zero_timeout;
  zero_timeout.command_timeout = std::chrono::milliseconds(0);
  CHECK_THAT(ValidateSettings(zero_timeout).error().message, Catch::Contains("command_timeout"));

  RedisSettings negative_db;
  negative_db.db = -1;
  CHECK_THAT(ValidateSettings(negative_db).error().message, Catch::Contains("db"));
}

TEST_CASE("RedisClient::Create fails fast on bad settings without touching the network",
          "[redis][settings]") {
  RedisSettings settings;
  settings.pool_size = 0;
  auto client = RedisClient::Create(settings);
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().kind == core::ErrorKind::kInvalidArgument);

  // Valid settings for a port nobody listens on still create a client: connecting is lazy.
  settings.pool_size = 2;
  settings.port = 1;
  CHECK(RedisClient::Create(settings).ok());
}

TEST_CASE("Describe never shows the password", "[redis][settings]") {
  RedisSettings settings;
  settings.host = "10.0.0.7";
  settings.port = 6380;
  settings.db = 2;
  settings.password = "s3cr3t-pass";
  const std::string text = settings.Describe();
  CHECK_THAT(text, Catch::Contains("10.0.0.7:6380"));
  CHECK_THAT(text, Catch::Contains("db=2"));
  CHECK_THAT(text, Catch::Contains("auth=yes"));
  CHECK_THAT(text, !Catch::Contains("s3cr3t"));
}

TEST_CASE("IsConnectionStateCommand spots commands that would poison a pooled connection",
          "[redis][settings]") {
  for (const char* name : {"select", "SELECT", "Multi", "exec", "WATCH", "subscribe", "MONITOR",
                           "auth", "quit", "reset"}) {
    INFO(name);
    CHECK(IsConnectionStateCommand(name));
  }
  for (const char* name : {"GET", "set", "SELECTX", "EXECUTE", "", "EVAL", "HSET"}) {
    INFO(name);
    CHECK_FALSE(IsConnectionStateCommand(name));
  }
}

}  // namespace
}  // namespace gridcare::redis
