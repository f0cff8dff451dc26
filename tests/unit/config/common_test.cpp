#include "gridcare/config/common.h"

#include <catch2/catch.hpp>
#include <string>

#include "test_env.h"

namespace gridcare::config {
namespace {

using testing::Harness;

TEST_CASE("AddCommon always adds the log level and metrics address") {
  Harness h("analytics");
  CommonSettings settings;
  AddCommon(h.options, settings, {});
  REQUIRE(h.Parse({}) == std::nullopt);
  CHECK(settings.service_name == "analytics");
  CHECK(settings.log_level == "info");
  CHECK(settings.metrics_listen_address == "127.0.0.1:9464");
  const std::string help = h.options.Help();
  CHECK_THAT(help, Catch::Contains("--log-level debug|info|warn|error") &&
                       Catch::Contains("GRIDCARE_LOG_LEVEL; default: info") &&
                       Catch::Contains("GRIDCARE_METRICS_LISTEN_ADDRESS; default: 127.0.0.1:9464"));
  for (const char* absent : {"--kafka", "--redis", "--grpc", "--profile"}) {
    CHECK_THAT(help, !Catch::Contains(absent));
  }
}

TEST_CASE("AddCommon adds only the groups asked for") {
  struct Case {
    CommonGroups groups;
    std::vector<std::string> present;
    std::vector<std::string> absent;
  };
  const std::vector<Case> cases = {
      {{.kafka = true},
       {"--kafka-bootstrap-servers", "--kafka-client-id", "--kafka-consumer-group"},
       {"--redis-address", "--grpc-listen-address", "--profile-service-target"}},
      {{.redis = true},
       {"--redis-address", "--redis-password-file", "GRIDCARE_REDIS_PASSWORD"},
       {"--kafka-bootstrap-servers", "--grpc-listen-address"}},
      {{.grpc_server = true}, {"--grpc-listen-address"}, {"--kafka-client-id", "--redis-address"}},
      {{.profile_client = true},
       {"--profile-service-target"},
       {"--grpc-listen-address", "--kafka-client-id"}},
  };
  for (const auto& row : cases) {
    Harness h;
    CommonSettings settings;
    AddCommon(h.options, settings, row.groups);
    const std::string help = h.options.Help();
    for (const auto& flag : row.present) CHECK_THAT(help, Catch::Contains(flag));
    for (const auto& flag : row.absent) CHECK_THAT(help, !Catch::Contains(flag));
  }
}

TEST_CASE("AddCommon makes connection addresses required unless the program gave a default") {
  Harness h("dispatch");
  CommonSettings settings;
  AddCommon(h.options, settings,
            {.kafka = true, .redis = true, .grpc_server = true, .profile_client = true});
  CHECK(h.Parse({}) == 2);
  CHECK(h.err.str() ==
        "dispatch: --kafka-bootstrap-servers is required (set the flag or "
        "GRIDCARE_KAFKA_BOOTSTRAP_SERVERS, e.g. 127.0.0.1:9092)\n"
        "dispatch: --redis-address is required (set the flag or GRIDCARE_REDIS_ADDRESS, e.g. "
        "127.0.0.1:6379)\n"
        "dispatch: --grpc-listen-address is required (set the flag or "
        "GRIDCARE_GRPC_LISTEN_ADDRESS, e.g. 0.0.0.0:50051)\n"
        "dispatch: --profile-service-target is required (set the flag or "
        "GRIDCARE_PROFILE_SERVICE_TARGET, e.g. 127.0.0.1:50051)\n");
}

TEST_CASE("AddCommon: pre-filled fields become defaults") {
  Harness h("intake");
  CommonSettings settings;
  settings.grpc_listen_address = "127.0.0.1:50061";
  settings.redis_address = "127.0.0.1:6379";
  AddCommon(h.options, settings, {.kafka = true, .redis = true, .grpc_server = true});
  h.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092";
  REQUIRE(h.Parse({"--log-level", "debug"}) == std::nullopt);
  CHECK(settings.grpc_listen_address == "127.0.0.1:50061");
  CHECK(settings.redis_address == "127.0.0.1:6379");
  CHECK(settings.kafka_client_id == "intake");
  CHECK(settings.kafka_consumer_group == "intake");
  CHECK(settings.log_level == "debug");
  CHECK(settings.redis_password.empty());
  CHECK_THAT(h.options.Help(), Catch::Contains("GRIDCARE_GRPC_LISTEN_ADDRESS; default: "
                                               "127.0.0.1:50061"));
}

TEST_CASE("AddCommon: a full configuration from the environment, described for the log") {
  Harness h("intake");
  CommonSettings settings;
  AddCommon(h.options, settings,
            {.kafka = true, .redis = true, .grpc_server = true, .profile_client = true});
  h.env = {
      {"GRIDCARE_LOG_LEVEL", "warn"},
      {"GRIDCARE_METRICS_LISTEN_ADDRESS", "0.0.0.0:9464"},
      {"GRIDCARE_KAFKA_BOOTSTRAP_SERVERS", "k0:9092,k1:9092"},
      {"GRIDCARE_KAFKA_CONSUMER_GROUP", "intake-blue"},
      {"GRIDCARE_REDIS_ADDRESS", "redis:6379"},
      {"GRIDCARE_REDIS_PASSWORD", "hunter2"},
      {"GRIDCARE_GRPC_LISTEN_ADDRESS", "[::]:50051"},
      {"GRIDCARE_PROFILE_SERVICE_TARGET", "dns:///profile:50051"},
  };
  REQUIRE(h.Parse({"--kafka-client-id", "intake-0"}) == std::nullopt);
  CHECK(settings.redis_password.Reveal() == "hunter2");
  CHECK(h.options.Describe() ==
        "log-level=warn metrics-listen-address=0.0.0.0:9464 "
        "kafka-bootstrap-servers=k0:9092,k1:9092 kafka-client-id=intake-0 "
        "kafka-consumer-group=intake-blue kafka-security-protocol=plaintext "
        "kafka-sasl-mechanism=\"\" kafka-sasl-username=\"\" kafka-sasl-password=\"\" "
        "kafka-ssl-ca-location=\"\" redis-address=redis:6379 redis-password=*** "
        "grpc-listen-address=[::]:50051 profile-service-target=dns:///profile:50051");
}

TEST_CASE("AddCommon validates what it adds") {
  Harness h("intake");
  CommonSettings settings;
  AddCommon(h.options, settings, {.kafka = true, .redis = true});
  CHECK(h.Parse({"--log-level=verbose", "--metrics-listen-address=9464",
                 "--kafka-bootstrap-servers=k0", "--redis-address=redis:0",
                 "--kafka-consumer-group="}) == 2);
  const std::string err = h.err.str();
  CHECK(std::count(err.begin(), err.end(), '\n') == 5);
  for (const char* env :
       {"GRIDCARE_LOG_LEVEL", "GRIDCARE_METRICS_LISTEN_ADDRESS", "GRIDCARE_KAFKA_BOOTSTRAP_SERVERS",
        "GRIDCARE_REDIS_ADDRESS", "GRIDCARE_KAFKA_CONSUMER_GROUP"}) {
    CHECK_THAT(err, Catch::Contains(env));
  }
}

}  // namespace
}  // namespace gridcare::config
