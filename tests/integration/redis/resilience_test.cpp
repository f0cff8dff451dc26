#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "gridcare/redis/client.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/servers.h"
#include "test_helpers.h"

namespace gridcare::redis {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using test::MakeClient;
using test::SettingsFor;

TEST_CASE("A stopped server gives retryable kUnavailable, quickly", "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);
  REQUIRE(client->Set("k", "v").ok());

  server.Stop();
  const auto started = steady_clock::now();
  auto first = client->Get("k");
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().kind == core::ErrorKind::kUnavailable);
  CHECK(first.error().Retryable());
  CHECK_THAT(first.error().message, Catch::Contains("GET"));
  CHECK_THAT(first.error().message, Catch::Contains(server.address()));

  // While Redis stays down, callers fail fast instead of each waiting out a connect.
  for (int i = 0; i < 20; ++i) {
    auto again = client->Set("k", "v2");
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().kind == core::ErrorKind::kUnavailable);
  }
  CHECK(steady_clock::now() - started < std::chrono::seconds(2));

  // Never-reachable endpoint: same classification.
  RedisSettings nowhere = SettingsFor(server);
  nowhere.port = testing::FreeLoopbackPort();
  auto lonely = MakeClient(nowhere);
  auto refused = lonely->Ping();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == core::ErrorKind::kUnavailable);
  CHECK(refused.error().Retryable());
}

TEST_CASE("After a Redis restart the client heals by itself and AOF kept the keys",
          "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);
  REQUIRE(client->Set("ticket:1", "open").ok());
  REQUIRE(client->HSet("customer:1", {{"name", "李雷"}}).ok());
  REQUIRE(client->Pipeline({{"SET", "a", "1"}, {"SET", "b", "2"}}).ok());

  SECTION("idle pooled connections to the old server are noticed before use") {
    server.Restart();
    // No failed call first: the dead connections are dropped when they are borrowed.
    auto read = client->Get("ticket:1");
    REQUIRE(read.ok());
    CHECK(*read == "open");
    CHECK(client->HGet("customer:1", "name").value() == "李雷");
    CHECK(client->Get("b").value() == "2");
  }

  SECTION("calls fail while Redis is down and succeed again once it is back") {
    server.Stop();
    auto down = client->Get("ticket:1");
    REQUIRE_FALSE(down.ok());
    CHECK(down.error().Retryable());
    server.Restart();
    // The reconnect backoff is capped at one second.
    CHECK(testing::WaitUntil([&] { return client->Ping().ok(); }, std::chrono::seconds(3)));
    CHECK(client->Get("ticket:1").value() == "open");
    CHECK(client->Get("a").value() == "1");
  }
}

TEST_CASE("A slow command gives retryable kDeadlineExceeded and the client recovers",
          "[redis][integration]") {
  testing::RedisServer server;
  RedisSettings settings = SettingsFor(server);
  settings.command_timeout = milliseconds(200);
  auto client = MakeClient(settings);
  REQUIRE(client->Set("k", "v").ok());

  SECTION("the server is healthy but the reply is late (BLPOP)") {
    const auto started = steady_clock::now();
    auto blocked = client->Command({"BLPOP", "empty-list", "2"});
    const auto elapsed = steady_clock::now() - started;
    REQUIRE_FALSE(blocked.ok());
    CHECK(blocked.error().kind == core::ErrorKind::kDeadlineExceeded);
    CHECK(blocked.error().Retryable());
    CHECK_THAT(blocked.error().message, Catch::Contains("BLPOP"));
    CHECK(elapsed >= milliseconds(150));
    CHECK(elapsed < milliseconds(1500));
    // The timed-out connection was dropped, so its late reply can never reach another caller.
    for (int i = 0; i < 8; ++i) CHECK(client->Get("k").value() == "v");
  }

  SECTION("the server itself is busy (a one-second Lua loop; DEBUG SLEEP is disabled in Redis 7)") {
    const char* kSpin = R"(
      local start = redis.call('TIME')
      while true do
        local now = redis.call('TIME')
        if (now[1] - start[1]) * 1000000 + (now[2] - start[2]) > 1000000 then break end
      end
      return 1)";
    auto busy = client->Eval(kSpin, {}, {});
    REQUIRE_FALSE(busy.ok());
    CHECK(busy.error().kind == core::ErrorKind::kDeadlineExceeded);
    CHECK(busy.error().Retryable());
    CHECK(testing::WaitUntil([&] { return client->Get("k").ok(); }, std::chrono::seconds(5)));
    CHECK(client->Get("k").value() == "v");
  }
}

TEST_CASE("WRONGTYPE is not retryable and the message holds no key or value",
          "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);
  REQUIRE(client->Set("phone:13800138000", "张三").ok());

  auto wrong = client->HGet("phone:13800138000", "name");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().kind == core::ErrorKind::kInternal);
  CHECK_FALSE(wrong.error().Retryable());
  CHECK_THAT(wrong.error().message, Catch::Contains("HGET"));
  CHECK_THAT(wrong.error().message, Catch::Contains("WRONGTYPE"));
  CHECK_THAT(wrong.error().message, !Catch::Contains("13800138000"));
  CHECK_THAT(wrong.error().message, !Catch::Contains("张三"));

  auto unknown = client->Command({"NOSUCHCOMMAND", "13800138000"});
  REQUIRE_FALSE(unknown.ok());
  CHECK_FALSE(unknown.error().Retryable());
  CHECK_THAT(unknown.error().message, !Catch::Contains("13800138000"));

  CHECK(client->Get("phone:13800138000").value() == "张三");  // connection still fine
}

TEST_CASE("AUTH and SELECT run on every new connection", "[redis][integration]") {
  testing::RedisServer server;
  {
    auto admin = MakeClient(server);
    REQUIRE(admin->Command({"CONFIG", "SET", "requirepass", "correct-horse"}).ok());
  }

  RedisSettings settings = SettingsFor(server);
  auto anonymous = MakeClient(settings);
  auto denied = anonymous->Ping();
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().kind == core::ErrorKind::kPermissionDenied);
  CHECK_FALSE(denied.error().Retryable());

  settings.password = "wrong-battery";
  auto wrong = MakeClient(settings)->Ping();
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().kind == core::ErrorKind::kPermissionDenied);
  CHECK_THAT(wrong.error().message, !Catch::Contains("wrong-battery"));

  settings.password = "correct-horse";
  settings.db = 3;
  auto db3 = MakeClient(settings);
  REQUIRE(db3->Set("where", "db3").ok());
  settings.db = 0;
  auto db0 = MakeClient(settings);
  CHECK_FALSE(db0->Get("where")->has_value());
  CHECK(db3->Get("where").value() == "db3");
}

TEST_CASE("When every connection stays busy a caller gets kResourceExhausted",
          "[redis][integration]") {
  testing::RedisServer server;
  RedisSettings settings = SettingsFor(server);
  settings.pool_size = 1;
  settings.pool_wait_timeout = milliseconds(100);
  settings.command_timeout = milliseconds(3000);
  auto client = MakeClient(settings);
  REQUIRE(client->Ping().ok());

  std::atomic<bool> started{false};
  std::thread holder([&] {
    started = true;
    (void)client->Command({"BLPOP", "empty-list", "1"});
  });
  while (!started.load()) std::this_thread::yield();
  std::this_thread::sleep_for(milliseconds(200));
  auto starved = client->Ping();
  holder.join();
  REQUIRE_FALSE(starved.ok());
  CHECK(starved.error().kind == core::ErrorKind::kResourceExhausted);
  CHECK(starved.error().Retryable());
  CHECK(client->Ping().ok());
}

}  // namespace
}  // namespace gridcare::redis

namespace gridcare::redis {
namespace {

TEST_CASE("A server closing the connection mid-write is an error, not a SIGPIPE",
          "[redis][integration]") {
  testing::RedisServer server;
  auto client = test::MakeClient(server);
  // Redis answers a bulk longer than proto-max-bulk-len with a protocol error and closes the
  // connection while we are still writing the value.
  REQUIRE(client->Command({"CONFIG", "SET", "proto-max-bulk-len", "1mb"}).ok());
  const std::string big(32 << 20, 'x');
  auto rejected = client->Set("big", big);
  REQUIRE_FALSE(rejected.ok());
  INFO(rejected.error().ToString());
  CHECK(rejected.error().Retryable());
  CHECK_THAT(rejected.error().message, Catch::Contains("SET"));
  CHECK(client->Set("small", "ok").ok());
  CHECK(client->Get("small").value() == "ok");
}

}  // namespace
}  // namespace gridcare::redis
