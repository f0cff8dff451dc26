#include "gridcare/redis/client.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "gridcare/redis/errors.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/servers.h"
#include "test_helpers.h"

namespace gridcare::redis {
namespace {

using std::chrono::milliseconds;
using test::MakeClient;

TEST_CASE("Ping and the generic Command", "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  REQUIRE(client->Ping().ok());

  auto incremented = client->Command({"HINCRBY", "counters", "calls", "5"});
  REQUIRE(incremented.ok());
  CHECK(incremented->integer() == 5);

  auto listed = client->Command({"rpush", "queue", "a", "b"});
  REQUIRE(listed.ok());
  auto range = client->Command({"LRANGE", "queue", "0", "-1"});
  REQUIRE(range.ok());
  CHECK(*range == Reply::FromArray({Reply::FromString("a"), Reply::FromString("b")}));

  auto empty = client->Command({});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().kind == core::ErrorKind::kInvalidArgument);

  auto select = client->Command({"select", "2"});
  REQUIRE_FALSE(select.ok());
  CHECK(select.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(select.error().message, Catch::Contains("SELECT"));
}

TEST_CASE("String commands: Get, Set, SetNx, Del, Exists, IncrBy, Expire", "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  auto missing = client->Get("ticket:1");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());

  REQUIRE(client->Set("ticket:1", "open").ok());
  CHECK(client->Get("ticket:1").value() == "open");
  REQUIRE(client->Set("ticket:1", "closed").ok());
  CHECK(client->Get("ticket:1").value() == "closed");
  CHECK(client->Exists("ticket:1").value());
  CHECK_FALSE(client->Exists("ticket:2").value());

  SECTION("Set with a TTL expires") {
    REQUIRE(client->Set("short", "v", milliseconds(50)).ok());
    CHECK(client->Command({"PTTL", "short"})->integer() > 0);
    CHECK(testing::WaitUntil([&] { return !client->Exists("short").value(); },
                             std::chrono::seconds(3)));
    CHECK(client->Set("short", "v", milliseconds(0)).error().kind ==
          core::ErrorKind::kInvalidArgument);
  }

  SECTION("SetNx: the first writer wins and the key carries the TTL") {
    auto first = client->SetNx("idem:evt-1", "worker-a", milliseconds(60'000));
    REQUIRE(first.ok());
    CHECK(*first);
    auto second = client->SetNx("idem:evt-1", "worker-b", milliseconds(60'000));
    REQUIRE(second.ok());
    CHECK_FALSE(*second);
    CHECK(client->Get("idem:evt-1").value() == "worker-a");
    const int64_t ttl = client->Command({"PTTL", "idem:evt-1"})->integer();
    CHECK(ttl > 50'000);
    CHECK(ttl <= 60'000);
  }

  SECTION("Del reports whether the key existed") {
    CHECK(client->Del("ticket:1").value());
    CHECK_FALSE(client->Del("ticket:1").value());
    CHECK_FALSE(client->Get("ticket:1")->has_value());
  }

  SECTION("IncrBy counts from zero and accepts negative deltas") {
    CHECK(client->IncrBy("seq", 1).value() == 1);
    CHECK(client->IncrBy("seq", 41).value() == 42);
    CHECK(client->IncrBy("seq", -2).value() == 40);
    const auto not_a_number = client->IncrBy("ticket:1", 1);
    REQUIRE_FALSE(not_a_number.ok());
    CHECK(not_a_number.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_FALSE(not_a_number.error().Retryable());
  }

  SECTION("Expire sets a TTL on existing keys only") {
    CHECK(client->Expire("ticket:1", milliseconds(30'000)).value());
    CHECK(client->Command({"PTTL", "ticket:1"})->integer() > 0);
    CHECK_FALSE(client->Expire("nope", milliseconds(30'000)).value());
    CHECK(client->Expire("ticket:1", milliseconds(-1)).error().kind ==
          core::ErrorKind::kInvalidArgument);
    CHECK(client->Exists("ticket:1").value());
  }
}

TEST_CASE("Hash commands: HSet, HGet, HGetAll, HMGet", "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  CHECK(client->HSet("customer:42", {{"name", "王芳"}, {"meter", "M-001"}}).value() == 2);
  CHECK(client->HSet("customer:42", {{"meter", "M-002"}, {"tier", "gold"}}).value() == 1);
  CHECK(client->HSet("customer:42", {}).value() == 0);

  CHECK(client->HGet("customer:42", "meter").value() == "M-002");
  CHECK_FALSE(client->HGet("customer:42", "email")->has_value());
  CHECK_FALSE(client->HGet("customer:404", "meter")->has_value());

  const FieldMap all = client->HGetAll("customer:42").value();
  CHECK(all == FieldMap{{"name", "王芳"}, {"meter", "M-002"}, {"tier", "gold"}});
  CHECK(client->HGetAll("customer:404")->empty());

  const auto values = client->HMGet("customer:42", {"tier", "email", "name"}).value();
  REQUIRE(values.size() == 3);
  CHECK(values[0] == "gold");
  CHECK_FALSE(values[1].has_value());
  CHECK(values[2] == "王芳");
  CHECK(client->HMGet("customer:42", {})->empty());
}

TEST_CASE("Set commands: SAdd, SRem, SMembers, SCard", "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  CHECK(client->SAdd("incident:7:tickets", {"t1", "t2", "t3"}).value() == 3);
  CHECK(client->SAdd("incident:7:tickets", {"t3", "t4"}).value() == 1);
  CHECK(client->SCard("incident:7:tickets").value() == 4);
  CHECK(client->SRem("incident:7:tickets", {"t1", "missing"}).value() == 1);
  CHECK(client->SAdd("incident:7:tickets", {}).value() == 0);

  auto members = client->SMembers("incident:7:tickets").value();
  std::sort(members.begin(), members.end());
  CHECK(members == std::vector<std::string>{"t2", "t3", "t4"});
  CHECK(client->SMembers("incident:8:tickets")->empty());
  CHECK(client->SCard("incident:8:tickets").value() == 0);
}

TEST_CASE("Sorted-set commands: ZAdd, ZRem, ZRangeByScore, ZCard", "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  const std::vector<ScoredMember> due = {
      {1700000000123.0, "esc:a"}, {1700000000456.0, "esc:b"}, {-2.5, "esc:c"}, {0.1, "esc:d"}};
  CHECK(client->ZAdd("escalations", due).value() == 4);
  CHECK(client->ZAdd("escalations", {{5.0, "esc:d"}}).value() == 0);  // update, not new
  CHECK(client->ZCard("escalations").value() == 4);

  const auto low = client->ZRangeByScore("escalations", -10, 10).value();
  CHECK(low == std::vector<ScoredMember>{{-2.5, "esc:c"}, {5.0, "esc:d"}});

  const double inf = std::numeric_limits<double>::infinity();
  const auto all = client->ZRangeByScore("escalations", -inf, inf).value();
  REQUIRE(all.size() == 4);
  CHECK(all[2] == ScoredMember{1700000000123.0, "esc:a"});
  CHECK(all[3].member == "esc:b");

  const auto page = client->ZRangeByScore("escalations", -inf, inf, RangeLimit{1, 2}).value();
  CHECK(page == std::vector<ScoredMember>{{5.0, "esc:d"}, {1700000000123.0, "esc:a"}});

  CHECK(client->ZRem("escalations", {"esc:c", "missing"}).value() == 1);
  CHECK(client->ZCard("escalations").value() == 3);
  CHECK(client->ZRangeByScore("nothing", -inf, inf)->empty());

  const double nan = std::nan("");
  CHECK(client->ZAdd("escalations", {{nan, "x"}}).error().kind ==
        core::ErrorKind::kInvalidArgument);
  CHECK(client->ZRangeByScore("escalations", nan, 1).error().kind ==
        core::ErrorKind::kInvalidArgument);
}

TEST_CASE("Eval runs a script with keys and arguments", "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  // The idempotent "apply once" shape: mark and effect together, or neither.
  const char* kApplyOnce = R"(
    if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then
      return redis.call('INCRBY', KEYS[2], ARGV[1])
    end
    return false)";
  auto first = client->Eval(kApplyOnce, {"done:evt-9", "balance"}, {"7", "60000"});
  REQUIRE(first.ok());
  CHECK(*first == Reply::FromInteger(7));
  auto replay = client->Eval(kApplyOnce, {"done:evt-9", "balance"}, {"7", "60000"});
  REQUIRE(replay.ok());
  CHECK(replay->is_nil());
  CHECK(client->Get("balance").value() == "7");

  auto echoed = client->Eval("return {KEYS[1], ARGV[1], 3}", {"k"}, {"v"});
  REQUIRE(echoed.ok());
  CHECK(*echoed ==
        Reply::FromArray({Reply::FromString("k"), Reply::FromString("v"), Reply::FromInteger(3)}));

  auto failing = client->Eval("return redis.error_reply('ERR custom failure')", {}, {});
  REQUIRE_FALSE(failing.ok());
  CHECK(failing.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(failing.error().message, Catch::Contains("EVAL"));
}

TEST_CASE("Keys, values and fields are binary-safe (NUL bytes, CRLF, UTF-8 Chinese)",
          "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  const std::string key("bin\0key", 7);
  const std::string value("a\0b\r\n\0\xff\x01", 8);
  const std::string chinese = "国家电网 95598 客户服务：停电报修";

  REQUIRE(client->Set(key, value).ok());
  const auto read = client->Get(key).value();
  REQUIRE(read.has_value());
  CHECK(read->size() == 8);
  CHECK(*read == value);
  CHECK_FALSE(client->Exists("bin").value());  // the key was not cut at the NUL

  REQUIRE(client->Set(chinese, chinese).ok());
  CHECK(client->Get(chinese).value() == chinese);

  const std::string field("f\0", 2);
  CHECK(client->HSet("h", {{field, value}, {"名字", chinese}}).value() == 2);
  CHECK(client->HGet("h", field).value() == value);
  CHECK(client->HGetAll("h").value() == FieldMap{{field, value}, {"名字", chinese}});

  CHECK(client->SAdd("s", {value, chinese}).value() == 2);
  auto members = client->SMembers("s").value();
  std::sort(members.begin(), members.end());
  auto expected = std::vector<std::string>{value, chinese};
  std::sort(expected.begin(), expected.end());
  CHECK(members == expected);

  auto generic = client->Command({"APPEND", key, std::string("\0", 1)});
  REQUIRE(generic.ok());
  CHECK(generic->integer() == 9);

  auto pipelined = client->Pipeline({{"SET", "p", value}, {"GET", "p"}});
  REQUIRE(pipelined.ok());
  CHECK((*pipelined)[1] == Reply::FromString(value));
}

TEST_CASE("Pipeline writes 10,000 keys in chunks and keeps per-command errors",
          "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  constexpr int kCount = 10'000;
  std::vector<std::vector<std::string>> sets;
  sets.reserve(kCount);
  for (int i = 0; i < kCount; ++i) {
    sets.push_back({"SET", "profile:" + std::to_string(i), "value-" + std::to_string(i)});
  }
  const auto started = std::chrono::steady_clock::now();
  auto written = client->Pipeline(sets);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(written.ok());
  REQUIRE(written->size() == kCount);
  CHECK(std::all_of(written->begin(), written->end(), [](const Reply& r) { return r.IsOk(); }));
  CHECK(elapsed < std::chrono::seconds(5));

  CHECK(client->Command({"DBSIZE"})->integer() == kCount);

  std::vector<std::vector<std::string>> gets;
  gets.reserve(kCount);
  for (int i = 0; i < kCount; ++i) gets.push_back({"GET", "profile:" + std::to_string(i)});
  auto read = client->Pipeline(gets);
  REQUIRE(read.ok());
  REQUIRE(read->size() == kCount);
  for (int i = 0; i < kCount; ++i) {
    if ((*read)[i].str() != "value-" + std::to_string(i)) {
      FAIL("profile:" << i << " read back wrong");
    }
  }

  // A rejected command is one kError element; the commands around it still ran.
  auto mixed = client->Pipeline({{"SET", "a", "1"}, {"INCR", "profile:0"}, {"SET", "b", "2"}});
  REQUIRE(mixed.ok());
  REQUIRE(mixed->size() == 3);
  CHECK((*mixed)[0].IsOk());
  REQUIRE((*mixed)[1].is_error());
  CHECK(ErrorFromReply((*mixed)[1], "INCR").kind == core::ErrorKind::kInvalidArgument);
  CHECK((*mixed)[2].IsOk());
  CHECK(client->Get("b").value() == "2");

  CHECK(client->Pipeline({})->empty());
  CHECK(client->Pipeline({{"GET", "a"}, {}}).error().kind == core::ErrorKind::kInvalidArgument);
  CHECK(client->Pipeline({{"MULTI"}}).error().kind == core::ErrorKind::kInvalidArgument);

  // The connection is still in step after all of that.
  CHECK(client->Get("a").value() == "1");
}

TEST_CASE("Transaction applies a batch atomically and returns EXEC's replies",
          "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);

  SECTION("effect and processed-mark together") {
    auto result = client->Transaction({{"HSET", "ticket:5", "status", "closed"},
                                       {"SET", "processed:evt-5", "1", "PX", "60000"},
                                       {"INCR", "closed_count"}});
    REQUIRE(result.ok());
    REQUIRE(result->size() == 3);
    CHECK((*result)[0] == Reply::FromInteger(1));
    CHECK((*result)[1].IsOk());
    CHECK((*result)[2] == Reply::FromInteger(1));
    CHECK(client->HGet("ticket:5", "status").value() == "closed");
    CHECK(client->Exists("processed:evt-5").value());
  }

  SECTION("a command rejected while queueing aborts everything") {
    auto result = client->Transaction({{"SET", "x", "1"}, {"HSET", "y"}, {"SET", "z", "1"}});
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_THAT(result.error().message, Catch::Contains("HSET"));
    CHECK_FALSE(client->Exists("x").value());
    CHECK_FALSE(client->Exists("z").value());
    CHECK(client->Ping().ok());  // the pooled connection is not left inside MULTI
  }

  SECTION("a runtime error shows as an element; Redis does not roll back") {
    REQUIRE(client->Set("text", "abc").ok());
    auto result = client->Transaction({{"SET", "x", "1"}, {"INCR", "text"}, {"SET", "z", "1"}});
    REQUIRE(result.ok());
    REQUIRE(result->size() == 3);
    CHECK((*result)[0].IsOk());
    CHECK((*result)[1].is_error());
    CHECK((*result)[2].IsOk());
  }

  SECTION("readers never see half a transaction") {
    std::atomic<bool> stop{false};
    std::atomic<int> torn{0};
    std::atomic<int> reads{0};
    std::thread reader([&] {
      while (!stop.load()) {
        auto both = client->Command({"MGET", "left", "right"});
        if (!both.ok()) continue;
        if (both->elements()[0] != both->elements()[1]) ++torn;
        ++reads;
      }
    });
    for (int i = 0; i < 500; ++i) {
      auto result = client->Transaction({{"INCR", "left"}, {"INCR", "right"}});
      REQUIRE(result.ok());
    }
    stop = true;
    reader.join();
    CHECK(torn.load() == 0);
    CHECK(reads.load() > 0);
    CHECK(client->Get("left").value() == "500");
  }

  CHECK(client->Transaction({})->empty());
  CHECK(client->Transaction({{"WATCH", "x"}}).error().kind == core::ErrorKind::kInvalidArgument);
}

TEST_CASE("FencedTransaction runs only while the fence key names the holder",
          "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);
  const RedisClient::Fence mine{"t3:owner", "10.0.0.1:50051"};

  // Nobody claimed the key yet, then someone else did: nothing applied, FAILED_PRECONDITION.
  auto unclaimed = client->FencedTransaction(mine, {{"INCR", "applied"}});
  REQUIRE_FALSE(unclaimed.ok());
  CHECK(unclaimed.error().kind == core::ErrorKind::kFailedPrecondition);
  CHECK_THAT(unclaimed.error().message, Catch::Contains("no one"));
  REQUIRE(client->Set("t3:owner", "10.0.0.2:50051").ok());
  auto other = client->FencedTransaction(mine, {{"INCR", "applied"}});
  REQUIRE_FALSE(other.ok());
  CHECK_THAT(other.error().message, Catch::Contains("10.0.0.2:50051"));
  CHECK_FALSE(client->Exists("applied").value());
  CHECK(client->Ping().ok());  // the connection went back to the pool unwatched

  REQUIRE(client->Set("t3:owner", mine.holder).ok());
  auto applied = client->FencedTransaction(mine, {{"INCR", "applied"}, {"INCR", "applied"}});
  REQUIRE(applied.ok());
  CHECK((*applied)[1] == Reply::FromInteger(2));

  // While another thread moves the claim back and forth, a transaction either applies with the
  // claim standing or is refused and applies nothing: the counter equals the successes.
  std::atomic<bool> stop{false};
  std::thread mover([&] {
    for (int i = 0; !stop.load(); ++i) {
      (void)client->Set("t3:owner", i % 2 == 0 ? "10.0.0.2:50051" : mine.holder);
    }
  });
  int successes = 0;
  int refusals = 0;
  for (int i = 0; i < 2000; ++i) {
    auto result = client->FencedTransaction(mine, {{"INCR", "raced"}});
    if (result.ok()) {
      ++successes;
    } else {
      REQUIRE(result.error().kind == core::ErrorKind::kFailedPrecondition);
      ++refusals;
    }
  }
  stop = true;
  mover.join();
  CHECK(successes > 0);
  CHECK(refusals > 0);
  CHECK(client->Get("raced").value().value_or("0") == std::to_string(successes));
}

TEST_CASE("Eight threads share one client", "[redis][integration]") {
  testing::RedisServer server;
  auto client = MakeClient(server);  // pool_size 4: threads also contend for connections

  constexpr int kThreads = 8;
  constexpr int kIterations = 300;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string own = "thread:" + std::to_string(t);
      for (int i = 0; i < kIterations; ++i) {
        const std::string value = own + ":" + std::to_string(i);
        if (!client->IncrBy("shared", 1).ok()) ++failures;
        if (!client->Set(own, value).ok()) ++failures;
        auto read = client->Get(own);
        if (!read.ok() || *read != value) ++failures;
        if (i % 50 == 0) {
          auto batch = client->Pipeline(
              {{"HSET", own + ":h", "i", std::to_string(i)}, {"HGET", own + ":h", "i"}});
          if (!batch.ok() || (*batch)[1].str() != std::to_string(i)) ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures.load() == 0);
  CHECK(client->Get("shared").value() == std::to_string(kThreads * kIterations));
  // Never more connections than the pool allows.
  auto clients = client->Command({"INFO", "clients"});
  REQUIRE(clients.ok());
  const auto at = clients->str().find("connected_clients:");
  REQUIRE(at != std::string::npos);
  const int connected = std::stoi(clients->str().substr(at + 18));
  CHECK(connected >= 1);
  CHECK(connected <= 4);
}

}  // namespace
}  // namespace gridcare::redis
