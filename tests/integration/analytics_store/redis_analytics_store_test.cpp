// RedisAnalyticsStore on a real redis-server: each event's effects applied once with its id (a
// repeated batch changes nothing; a batch holding one applied event applies the others, one by
// one), the ids kept in one set per day with the marker retention plus a day, and a batch's
// writes summed before they run (the same figures as applying the events one at a time).
#include "redis_analytics_store.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/servers.h"

namespace gridcare::analytics {
namespace {

constexpr int32_t kDay = 20'794;
constexpr int64_t kHour = 20'794LL * 24 + 9;

/// A ticket opened in `district`: two counters, a series hour, its text and its memo.
EventEffects Opened(const std::string& id, const std::string& ticket, const std::string& district,
                    int64_t hour = kHour) {
  EventEffects event;
  event.event_id = id;
  Dimensions dims;
  dims.district = district;
  dims.type = "fault_repair";
  event.effects.counters.push_back({kDay, metric::kContacts, 1, dims});
  event.effects.counters.push_back({kDay, metric::kTickets, 1, dims});
  event.effects.series.push_back({"fault_repair", district, hour});
  event.effects.texts.push_back({"fault_repair", district, kDay, ticket, "变压器冒烟 transformer"});
  TicketMemo memo;
  memo.opened_ms = 1'000;
  memo.dims = dims;
  memo.series = "fault_repair";
  event.effects.tickets.emplace(ticket, memo);
  return event;
}

int64_t Field(redis::RedisClient& client, const std::string& key, const std::string& field) {
  auto reply = client.Command({"HGET", key, field});
  REQUIRE(reply.ok());
  return reply->is_string() ? std::stoll(reply->str()) : 0;
}

std::string Today() {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  return std::to_string(seconds / 86'400);
}

TEST_CASE("a batch is applied once with its ids and a repeated batch changes nothing",
          "[analytics_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisAnalyticsStore store(*client, {.prefix = "p"});
  const std::vector<EventEffects> batch = {Opened("e1", "T-1", "天河区"),
                                           Opened("e2", "T-2", "天河区")};
  auto first = store.Apply(batch);
  REQUIRE(first.ok());
  CHECK(*first == 2);
  auto again = store.Apply(batch);
  REQUIRE(again.ok());
  CHECK(*again == 0);
  const std::string day_key = "p:kpi:" + std::to_string(kDay);
  CHECK(Field(*client, day_key, "tickets") == 2);
  CHECK(Field(*client, day_key, "tickets|district=天河区") == 2);
  CHECK(Field(*client, day_key, "contacts|type=fault_repair") == 2);
  auto applied = store.Applied({"e1", "e3", "e2"});
  REQUIRE(applied.ok());
  CHECK(*applied == std::vector<bool>{true, false, true});
  auto memos = store.Tickets({"T-1", "T-9"});
  REQUIRE(memos.ok());
  CHECK(memos->size() == 1);
  CHECK(memos->at("T-1").dims.district == "天河区");
}

TEST_CASE("a batch holding an applied event applies only the others", "[analytics_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisAnalyticsStore store(*client, {.prefix = "p"});
  REQUIRE(store.Apply({Opened("e1", "T-1", "越秀区")}).ok());
  auto mixed = store.Apply({Opened("e1", "T-1", "越秀区"), Opened("e2", "T-2", "越秀区"),
                            Opened("e3", "T-3", "海珠区")});
  REQUIRE(mixed.ok());
  CHECK(*mixed == 2);
  const std::string day_key = "p:kpi:" + std::to_string(kDay);
  CHECK(Field(*client, day_key, "tickets") == 3);
  CHECK(Field(*client, day_key, "tickets|district=越秀区") == 2);
  CHECK(Field(*client, day_key, "tickets|district=海珠区") == 1);
  CHECK(Field(*client, "p:h:fault_repair|越秀区", std::to_string(kHour)) == 2);
}

TEST_CASE("applied ids are kept in one set per day for the retention plus a day",
          "[analytics_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisAnalyticsStore store(*client, {.prefix = "p", .marker_retention = std::chrono::hours(48)});
  REQUIRE(store.Apply({Opened("e1", "T-1", "天河区"), Opened("e2", "T-2", "天河区")}).ok());
  const std::string key = "p:done:" + Today();
  auto members = client->Command({"SCARD", key});
  REQUIRE(members.ok());
  CHECK(members->integer() == 2);
  auto ttl = client->Command({"PTTL", key});
  REQUIRE(ttl.ok());
  CHECK(ttl->integer() > 71 * 3'600'000LL);
  CHECK(ttl->integer() <= 72 * 3'600'000LL);
  // An id in an older day's set (applied yesterday) is still applied.
  const std::string yesterday = "p:done:" + std::to_string(std::stoll(Today()) - 1);
  REQUIRE(client->Command({"SADD", yesterday, "e-old"}).ok());
  auto applied = store.Applied({"e-old", "e1", "e-new"});
  REQUIRE(applied.ok());
  CHECK(*applied == std::vector<bool>{true, true, false});
  auto repeated = store.Apply({Opened("e-old", "T-9", "天河区")});
  REQUIRE(repeated.ok());
  CHECK(*repeated == 0);
}

TEST_CASE("a batch's writes are summed to what one-by-one application gives", "[analytics_store]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisAnalyticsStore merged(*client, {.prefix = "merged"});
  RedisAnalyticsStore single(*client, {.prefix = "single"});
  std::vector<EventEffects> batch;
  for (int i = 0; i < 60; ++i) {
    batch.push_back(Opened("e" + std::to_string(i), "T-" + std::to_string(i),
                           i % 3 == 0 ? "海珠区" : "天河区", kHour - (i % 4)));
  }
  REQUIRE(merged.Apply(batch).ok());
  for (const auto& event : batch) REQUIRE(single.Apply({event}).ok());
  for (const std::string prefix : {"merged", "single"}) {
    INFO(prefix);
    const std::string day_key = prefix + ":kpi:" + std::to_string(kDay);
    CHECK(Field(*client, day_key, "tickets") == 60);
    CHECK(Field(*client, day_key, "tickets|district=海珠区") == 20);
    CHECK(Field(*client, prefix + ":h:fault_repair|天河区", std::to_string(kHour - 1)) == 10);
    CHECK(Field(*client, prefix + ":meta", "since") == kHour - 3);
    const std::string terms = prefix + ":terms:天河区:" + std::to_string(kDay);
    CHECK(Field(*client, terms, "") == 40);
    CHECK(Field(*client, terms, "冒烟") == 40);
    CHECK(Field(*client, terms, "transformer") == 40);
  }
  auto merged_examples = merged.Examples("天河区", kDay);
  auto single_examples = single.Examples("天河区", kDay);
  REQUIRE(merged_examples.ok());
  REQUIRE(single_examples.ok());
  REQUIRE(merged_examples->size() == 40);
  CHECK(merged_examples->front().ticket_id == "T-59");  // the newest first
  REQUIRE(single_examples->size() == merged_examples->size());
  for (size_t i = 0; i < merged_examples->size(); ++i) {
    CHECK(merged_examples->at(i).ticket_id == single_examples->at(i).ticket_id);
  }
}

}  // namespace
}  // namespace gridcare::analytics
