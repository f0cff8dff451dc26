// gridcare topics ensure against the devbroker (librdkafka's mock cluster): the catalogue is read
// from real metadata and found ready; a missing topic is reported, not created, because the mock
// cluster has no Admin API (it names no controller, so CreateTopics waits for one until the
// timeout): the command must then fail within its timeout, naming the topic. Creating topics on a
// real Kafka is not verified on this machine (docs/operations.md says so).
#include "gridcare/kafka/topics.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "gridcare/testing/run_program.h"
#include "gridcare/testing/servers.h"

using gridcare::testing::ProgramResult;

namespace {

ProgramResult Topics(const gridcare::testing::DevBroker& broker, std::vector<std::string> args) {
  args.insert(args.begin(), {"topics", "ensure"});
  args.insert(args.end(), {"--endpoints-file", "/dev/null", "--kafka-bootstrap-servers",
                           broker.bootstrap_servers(), "--timeout", "3s"});
  return gridcare::testing::RunProgram(gridcare::testing::ProgramPath("gridcare"), args);
}

}  // namespace

TEST_CASE("topics ensure finds every catalogue topic ready on the devbroker") {
  gridcare::testing::DevBroker broker;
  const auto run = Topics(broker, {"--json"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto json = nlohmann::json::parse(run.out);
  REQUIRE(json["topics"].size() == gridcare::kafka::AllTopics().size());
  for (const auto& row : json["topics"]) {
    CHECK(row["action"] == "none");
    CHECK(row["result"] == "ready");
  }
}

TEST_CASE("topics ensure plans a missing topic and fails within its timeout naming it") {
  gridcare::testing::DevBroker broker;
  const auto dry = Topics(
      broker, {"gridcare.requests.v1:24:72", "gridcare.extra.v1:3:24", "--dry-run", "--json"});
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  const auto rows = nlohmann::json::parse(dry.out)["topics"];
  CHECK(rows[0]["partitions"] == "12 -> 24");
  CHECK(rows[0]["result"] == "would add partitions");
  CHECK(rows[1]["result"] == "would create");

  const auto real = Topics(broker, {"gridcare.extra.v1:3:24"});
  CHECK(real.exit_code == 1);
  CHECK_THAT(real.err, Catch::Contains("topic gridcare.extra.v1:"));
  CHECK_THAT(real.err, Catch::Contains("1 of 1 topic(s) could not be made ready"));
}
