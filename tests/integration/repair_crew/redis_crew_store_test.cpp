// RedisCrewStore on its own real redis-server: the CrewStore contract (the same checks as the
// in-memory store, tests/support/repair_crew/crew_store_contract.h), with the crews' job sets
// read from the Redis sets "crew:jobs:<id>".
#include "redis_crew_store.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "crew_store_contract.h"
#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/servers.h"

namespace gridcare::repair_crew {
namespace {

using namespace test;

TEST_CASE("the Redis crew store keeps the store contract", "[crew_store][integration]") {
  gridcare::testing::RedisServer server;
  auto client = gridcare::testing::MakeRedisClient(server);
  RedisCrewStore store(*client);
  const JobSetReader job_set = [&](const std::string& crew_id) {
    auto members = client->SMembers(CrewJobsKey(crew_id));
    REQUIRE(members.ok());
    return std::set<std::string>(members->begin(), members->end());
  };
  SECTION("seeding keeps live state") { SeedingKeepsLiveState(store); }
  SECTION("reads in the order asked") { ReadsInTheOrderAsked(store); }
  SECTION("a commit writes together") { CommitWritesTogether(store, job_set); }
  SECTION("a stale commit writes nothing") { StaleCommitWritesNothing(store, job_set); }
  SECTION("the outbox is read, counted and emptied") { OutboxReadCountedAndEmptied(store); }
}

}  // namespace
}  // namespace gridcare::repair_crew
