// gridcare topics ensure: parsing topic specs, planning against a cluster's topics, how a topic is
// created, and the sub-command on a fake cluster (create, widen, keep, dry run, failures, JSON).
#include "topics.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_harness.h"
#include "gridcare/kafka/topics.h"

namespace ops = gridcare::ops;
namespace kafka = gridcare::kafka;
using gridcare::core::ErrorKind;

namespace {

// The harness with a Kafka address, which the sub-command requires (the fake cluster ignores it).
struct TopicsCli : ops::testing::CliHarness {
  TopicsCli() { env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092"; }
};

}  // namespace

TEST_CASE("a topic spec is NAME:PARTITIONS:RETENTION_HOURS") {
  const auto topic = ops::ParseWantedTopic("gridcare.requests.v1:12:72");
  REQUIRE(topic.ok());
  CHECK(*topic == ops::WantedTopic{"gridcare.requests.v1", 12, 72});
  CHECK(ops::ParseWantedTopic("a_b-C.9:1:1").ok());
  CHECK(ops::ParseWantedTopic(std::string(249, 'x') + ":1:1").ok());
}

TEST_CASE("a bad topic spec says what is wrong") {
  const auto problem = [](const std::string& text) {
    const auto topic = ops::ParseWantedTopic(text);
    REQUIRE_FALSE(topic.ok());
    CHECK(topic.error().kind == ErrorKind::kInvalidArgument);
    return topic.error().message;
  };
  CHECK_THAT(problem("gridcare.requests.v1"), Catch::Contains("NAME:PARTITIONS:RETENTION_HOURS"));
  CHECK_THAT(problem("a:1"), Catch::Contains("NAME:PARTITIONS:RETENTION_HOURS"));
  CHECK_THAT(problem("a:1:2:3"), Catch::Contains("NAME:PARTITIONS:RETENTION_HOURS"));
  CHECK_THAT(problem(":1:2"), Catch::Contains("empty"));
  CHECK_THAT(problem("..:1:2"), Catch::Contains("'.' or '..'"));
  CHECK_THAT(problem("a b:1:2"), Catch::Contains("only letters"));
  CHECK_THAT(problem("告警:1:2"), Catch::Contains("only letters"));
  CHECK_THAT(problem(std::string(250, 'x') + ":1:1"), Catch::Contains("249"));
  CHECK_THAT(problem("a:0:2"), Catch::Contains("partitions"));
  CHECK_THAT(problem("a:10001:2"), Catch::Contains("partitions"));
  CHECK_THAT(problem("a:x:2"), Catch::Contains("partitions"));
  CHECK_THAT(problem("a:-1:2"), Catch::Contains("partitions"));
  CHECK_THAT(problem("a:1:0"), Catch::Contains("retention"));
  CHECK_THAT(problem("a:1:87601"), Catch::Contains("retention"));
  CHECK_THAT(problem("a:1:"), Catch::Contains("retention"));
  CHECK_THAT(problem("a:1:2h"), Catch::Contains("retention"));
}

TEST_CASE("the catalogue is every topic of libs/kafka with its partitions and retention") {
  const auto topics = ops::CatalogueTopics();
  const auto all = kafka::AllTopics();
  REQUIRE(topics.size() == all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    CHECK(topics[i] == ops::WantedTopic{all[i].name, all[i].partitions, all[i].retention_hours});
  }
  CHECK(std::any_of(topics.begin(), topics.end(), [](const ops::WantedTopic& t) {
    return t.name == kafka::DeadLetterTopic("dispatch");
  }));
}

TEST_CASE("the plan creates absent topics and raises but never lowers partitions") {
  const std::vector<ops::WantedTopic> wanted = {
      {"absent", 3, 24}, {"fewer", 6, 24}, {"same", 6, 24}, {"more", 2, 24}};
  const auto plan = ops::PlanTopics(wanted, {{"fewer", 4}, {"same", 6}, {"more", 9}, {"other", 1}});
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 4);
  CHECK((*plan)[0].action == ops::TopicAction::kCreate);
  CHECK((*plan)[0].existing_partitions == 0);
  CHECK((*plan)[1].action == ops::TopicAction::kAddPartitions);
  CHECK((*plan)[1].existing_partitions == 4);
  CHECK((*plan)[2].action == ops::TopicAction::kNone);
  CHECK((*plan)[3].action == ops::TopicAction::kKeepMore);
  CHECK((*plan)[3].existing_partitions == 9);
  CHECK(ops::TopicActionName(ops::TopicAction::kAddPartitions) == "add partitions");
}

TEST_CASE("a topic given twice is refused") {
  const auto plan = ops::PlanTopics({{"a", 1, 1}, {"a", 2, 1}}, {});
  REQUIRE_FALSE(plan.ok());
  CHECK_THAT(plan.error().message, Catch::Contains("twice"));
}

TEST_CASE("a new topic deletes after its retention and takes replicas and min.insync.replicas") {
  const auto created = ops::ToNewTopic({"t", 12, 72}, 3, 2);
  CHECK(created.name == "t");
  CHECK(created.partitions == 12);
  CHECK(created.replication_factor == 3);
  CHECK(created.config == std::map<std::string, std::string>{{"cleanup.policy", "delete"},
                                                             {"retention.ms", "259200000"},
                                                             {"min.insync.replicas", "2"}});
  const auto defaults = ops::ToNewTopic({"t", 1, 87'600}, -1, 0);
  CHECK(defaults.replication_factor == -1);
  CHECK_FALSE(defaults.config.contains("min.insync.replicas"));
  CHECK(defaults.config.at("retention.ms") == "315360000000");
}

TEST_CASE("topics ensure creates the whole catalogue on an empty cluster and is safe to rerun") {
  TopicsCli cli;
  const auto first = cli({"topics", "ensure", "--replicas", "3", "--min-insync-replicas", "2"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(cli.edges.admin.created.size() == kafka::AllTopics().size());
  CHECK(cli.edges.admin.created.front().replication_factor == 3);
  CHECK(cli.edges.admin.created.front().config.at("min.insync.replicas") == "2");
  CHECK_THAT(first.out, Catch::Contains("gridcare.dlq.analytics.v1"));
  CHECK_THAT(first.out, Catch::Contains("created"));

  const auto second = cli({"topics", "ensure", "--json"});
  REQUIRE(second.exit_code == 0);
  CHECK(cli.edges.admin.created.size() == kafka::AllTopics().size());  // nothing created again
  const auto json = nlohmann::json::parse(second.out);
  CHECK(json["failed"] == 0);
  CHECK(json["dry_run"] == false);
  for (const auto& row : json["topics"]) {
    CHECK(row["action"] == "none");
    CHECK(row["result"] == "ready");
  }
}

TEST_CASE("topics ensure widens a topic with fewer partitions and keeps one with more") {
  TopicsCli cli;
  cli.edges.admin.topics = {{"narrow", 3}, {"wide", 24}};
  const auto run = cli({"topics", "ensure", "narrow:12:72", "wide:12:72", "--json"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(cli.edges.admin.widened == std::vector<std::pair<std::string, int32_t>>{{"narrow", 12}});
  CHECK(cli.edges.admin.created.empty());
  const auto rows = nlohmann::json::parse(run.out)["topics"];
  CHECK(rows[0]["partitions"] == "3 -> 12");
  CHECK(rows[0]["result"] == "partitions added");
  CHECK(rows[1]["partitions"] == "24");
  CHECK(rows[1]["action"] == "keep more");
}

TEST_CASE("topics ensure --dry-run changes nothing") {
  TopicsCli cli;
  cli.edges.admin.topics = {{"narrow", 3}};
  const auto run = cli({"topics", "ensure", "narrow:12:72", "new:1:1", "--dry-run"});
  REQUIRE(run.exit_code == 0);
  CHECK(cli.edges.admin.created.empty());
  CHECK(cli.edges.admin.widened.empty());
  CHECK_THAT(run.out, Catch::Contains("would add partitions"));
  CHECK_THAT(run.out, Catch::Contains("would create"));
}

TEST_CASE("topics ensure goes on past a failing topic and exits 1 naming it") {
  TopicsCli cli;
  cli.edges.admin.fail_create["first"] = gridcare::core::FailedPrecondition(
      "CreateTopics first: Broker: Unsupported version (the brokers do not offer this Admin API "
      "call)");
  const auto run = cli({"topics", "ensure", "first:1:1", "second:1:1"});
  CHECK(run.exit_code == 1);
  CHECK(cli.edges.admin.topics.contains("second"));
  CHECK_THAT(run.err, Catch::Contains("topic first: FAILED_PRECONDITION"));
  CHECK_THAT(run.err, Catch::Contains("1 of 2 topic(s) could not be made ready"));
  CHECK_THAT(run.out, Catch::Contains("FAILED"));
}

TEST_CASE("topics ensure treats a topic created meanwhile as ready") {
  TopicsCli cli;
  cli.edges.admin.fail_create["raced"] = {ErrorKind::kAlreadyExists, "topic raced exists"};
  const auto run = cli({"topics", "ensure", "raced:1:1"});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("already exists"));
}

TEST_CASE("topics ensure fails clearly when the cluster cannot be read or a spec is bad") {
  TopicsCli cli;
  CHECK(cli({"topics", "ensure", "a:1"}).exit_code == 2);
  CHECK(cli({"topics", "ensure", "a:1:1", "a:2:1"}).exit_code == 2);
  CHECK(cli({"topics", "ensure", "--replicas", "0x"}).exit_code == 2);
  cli.edges.admin.fail_list =
      gridcare::core::Unavailable("Kafka metadata: Local: Broker transport failure");
  const auto run = cli({"topics", "ensure"});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("cannot list the cluster's topics: UNAVAILABLE"));
  CHECK(cli.edges.admin.created.empty());
}
