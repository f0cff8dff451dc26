// The Kafka security settings as the Helm chart passes them (GRIDCARE_KAFKA_* variables, the SASL
// password in a mounted Secret file), parsed by the services' shared options and handed to
// librdkafka (kafka/security_test.cpp checks librdkafka accepts them).
#include "gridcare/service/kafka_security.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "../config/test_env.h"
#include "gridcare/testing/process.h"

namespace gridcare::service {
namespace {

using config::testing::Harness;
using Env = std::map<std::string, std::string>;

struct Parsed {
  Harness h{"notification"};
  config::CommonSettings settings;

  explicit Parsed(Env env) {
    config::AddCommon(h.options, settings, {.kafka = true});
    AddKafkaSecurityCheck(h.options, settings);
    h.env = std::move(env);
    h.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "kafka-bootstrap.kafka:9093";
  }
};

TEST_CASE("Kafka security settings: plain text when nothing is set") {
  Parsed p(Env{});
  REQUIRE(p.h.Parse({}) == std::nullopt);
  auto config = KafkaSecurityConfig(p.settings);
  REQUIRE(config);
  CHECK(*config == kafka::ExtraConfig{{"security.protocol", "plaintext"}});
}

TEST_CASE("Kafka security settings: SASL over TLS from the chart's variables and Secret files") {
  testing::TempDir dir;
  const auto password_file = dir.path() / "password";
  std::ofstream(password_file) << "scram-password\n";
  const auto ca_file = dir.path() / "ca.crt";
  std::ofstream(ca_file) << "-----BEGIN CERTIFICATE-----\n";
  Parsed p(Env{{"GRIDCARE_KAFKA_SECURITY_PROTOCOL", "sasl_ssl"},
               {"GRIDCARE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"},
               {"GRIDCARE_KAFKA_SASL_USERNAME", "gridcare"},
               {"GRIDCARE_KAFKA_SASL_PASSWORD_FILE", password_file.string()},
               {"GRIDCARE_KAFKA_SSL_CA_LOCATION", ca_file.string()}});
  REQUIRE(p.h.Parse({}) == std::nullopt);
  auto config = KafkaSecurityConfig(p.settings);
  REQUIRE(config);
  CHECK(*config == kafka::ExtraConfig{{"security.protocol", "sasl_ssl"},
                                      {"sasl.mechanisms", "SCRAM-SHA-512"},
                                      {"sasl.username", "gridcare"},
                                      {"sasl.password", "scram-password"},
                                      {"ssl.ca.location", ca_file.string()}});
  // The start-up log line shows that a password is set, never the password.
  const std::string described = p.h.options.Describe();
  CHECK_THAT(described, Catch::Contains("kafka-security-protocol=sasl_ssl") &&
                            Catch::Contains("kafka-sasl-password=***") &&
                            !Catch::Contains("scram-password"));
}

TEST_CASE("Kafka security settings: flags name every variable in --help") {
  Parsed p(Env{});
  const std::string help = p.h.options.Help();
  for (const char* name :
       {"GRIDCARE_KAFKA_SECURITY_PROTOCOL", "GRIDCARE_KAFKA_SASL_MECHANISM",
        "GRIDCARE_KAFKA_SASL_USERNAME", "GRIDCARE_KAFKA_SASL_PASSWORD_FILE",
        "GRIDCARE_KAFKA_SSL_CA_LOCATION", "plaintext|ssl|sasl_plaintext|sasl_ssl",
        "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512"}) {
    CHECK_THAT(help, Catch::Contains(name));
  }
}

TEST_CASE("Kafka security settings: a wrong combination stops the start with one clear line") {
  SECTION("SASL protocol without user name") {
    Parsed p(Env{{"GRIDCARE_KAFKA_SECURITY_PROTOCOL", "sasl_ssl"},
                 {"GRIDCARE_KAFKA_SASL_MECHANISM", "PLAIN"}});
    CHECK(p.h.Parse({}) == 2);
    CHECK(p.h.err.str() ==
          "notification: security protocol sasl_ssl needs GRIDCARE_KAFKA_SASL_USERNAME and a "
          "password (GRIDCARE_KAFKA_SASL_PASSWORD_FILE)\n");
  }
  SECTION("unknown protocol is refused by the option itself") {
    Parsed p(Env{{"GRIDCARE_KAFKA_SECURITY_PROTOCOL", "tls"}});
    CHECK(p.h.Parse({}) == 2);
    CHECK_THAT(p.h.err.str(), Catch::Contains("GRIDCARE_KAFKA_SECURITY_PROTOCOL"));
  }
  SECTION("CA file with plain text") {
    Parsed p(Env{{"GRIDCARE_KAFKA_SSL_CA_LOCATION", "/ca.crt"}});
    CHECK(p.h.Parse({}) == 2);
    CHECK_THAT(p.h.err.str(), Catch::Contains("does not use TLS; choose ssl or sasl_ssl"));
  }
  SECTION("a missing password file is named") {
    Parsed p(Env{{"GRIDCARE_KAFKA_SECURITY_PROTOCOL", "sasl_plaintext"},
                 {"GRIDCARE_KAFKA_SASL_MECHANISM", "PLAIN"},
                 {"GRIDCARE_KAFKA_SASL_USERNAME", "gridcare"},
                 {"GRIDCARE_KAFKA_SASL_PASSWORD_FILE", "/nonexistent/password"}});
    CHECK(p.h.Parse({}) == 2);
    CHECK_THAT(p.h.err.str(), Catch::Contains("/nonexistent/password"));
  }
}

}  // namespace
}  // namespace gridcare::service
