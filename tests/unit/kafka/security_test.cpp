#include "gridcare/kafka/security.h"

#include <librdkafka/rdkafkacpp.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "gridcare/kafka/producer.h"

namespace gridcare::kafka {
namespace {

Security Sasl(std::string protocol, std::string mechanism = "SCRAM-SHA-512") {
  Security security;
  security.protocol = std::move(protocol);
  security.sasl_mechanism = std::move(mechanism);
  security.sasl_username = "gridcare-intake";
  security.sasl_password = "s3cret";
  return security;
}

std::string ErrorOf(const Security& security) {
  auto config = SecurityConfig(security);
  REQUIRE_FALSE(config);
  CHECK(config.error().kind == core::ErrorKind::kInvalidArgument);
  return config.error().message;
}

// librdkafka's own check of every property (name, value, features built in), as the producer and
// the consumer apply them.
void RequireLibrdkafkaAccepts(const ExtraConfig& config) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  for (const auto& [name, value] : config) {
    INFO(name);
    REQUIRE(conf->set(name, value, error) == RdKafka::Conf::CONF_OK);
  }
}

TEST_CASE("Kafka security: plain text by default and nothing else") {
  auto config = SecurityConfig({});
  REQUIRE(config);
  CHECK(*config == ExtraConfig{{"security.protocol", "plaintext"}});
  RequireLibrdkafkaAccepts(*config);
}

TEST_CASE("Kafka security: TLS with a CA bundle") {
  Security security;
  security.protocol = "ssl";
  security.ssl_ca_location = "/etc/gridcare/secrets/kafka-tls/ca.crt";
  auto config = SecurityConfig(security);
  REQUIRE(config);
  CHECK(*config == ExtraConfig{{"security.protocol", "ssl"},
                               {"ssl.ca.location", "/etc/gridcare/secrets/kafka-tls/ca.crt"}});
  RequireLibrdkafkaAccepts(*config);
  security.ssl_ca_location.clear();  // the system's trusted CAs
  REQUIRE(SecurityConfig(security));
  CHECK(SecurityConfig(security)->count("ssl.ca.location") == 0);
}

TEST_CASE("Kafka security: SASL over TLS with every mechanism librdkafka is given") {
  for (const char* mechanism : {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}) {
    INFO(mechanism);
    Security security = Sasl("sasl_ssl", mechanism);
    security.ssl_ca_location = "/etc/ssl/certs/ca-certificates.crt";
    auto config = SecurityConfig(security);
    REQUIRE(config);
    CHECK(*config == ExtraConfig{{"security.protocol", "sasl_ssl"},
                                 {"sasl.mechanisms", mechanism},
                                 {"sasl.username", "gridcare-intake"},
                                 {"sasl.password", "s3cret"},
                                 {"ssl.ca.location", "/etc/ssl/certs/ca-certificates.crt"}});
    RequireLibrdkafkaAccepts(*config);
  }
  auto plain = SecurityConfig(Sasl("sasl_plaintext"));
  REQUIRE(plain);
  CHECK(plain->at("security.protocol") == "sasl_plaintext");
  RequireLibrdkafkaAccepts(*plain);
}

TEST_CASE("Kafka security: inconsistent settings are refused with the variable to fix") {
  Security unknown;
  unknown.protocol = "SSL";
  CHECK_THAT(ErrorOf(unknown),
             Catch::Contains("GRIDCARE_KAFKA_SECURITY_PROTOCOL \"SSL\" is not one of plaintext, "
                             "ssl, sasl_plaintext, sasl_ssl"));
  CHECK_THAT(ErrorOf(Sasl("sasl_ssl", "")),
             Catch::Contains("needs GRIDCARE_KAFKA_SASL_MECHANISM (one of PLAIN"));
  CHECK_THAT(ErrorOf(Sasl("sasl_ssl", "GSSAPI")),
             Catch::Contains("GRIDCARE_KAFKA_SASL_MECHANISM \"GSSAPI\" is not one of"));
  Security no_user = Sasl("sasl_plaintext");
  no_user.sasl_username.clear();
  CHECK_THAT(ErrorOf(no_user), Catch::Contains("needs GRIDCARE_KAFKA_SASL_USERNAME"));
  Security no_password = Sasl("sasl_plaintext");
  no_password.sasl_password.clear();
  CHECK_THAT(ErrorOf(no_password), Catch::Contains("GRIDCARE_KAFKA_SASL_PASSWORD_FILE"));
  Security sasl_without_protocol = Sasl("ssl");
  CHECK_THAT(ErrorOf(sasl_without_protocol),
             Catch::Contains("protocol ssl does not use SASL; choose sasl_plaintext or sasl_ssl"));
  Security ca_without_tls = Sasl("sasl_plaintext");
  ca_without_tls.ssl_ca_location = "/ca.crt";
  CHECK_THAT(ErrorOf(ca_without_tls),
             Catch::Contains("GRIDCARE_KAFKA_SSL_CA_LOCATION is set but security protocol "
                             "sasl_plaintext does not use TLS"));
}

TEST_CASE("Kafka security: no error message carries the password") {
  Security security = Sasl("sasl_ssl", "KERBEROS");
  security.sasl_password = "hunter2-do-not-print";
  CHECK_THAT(ErrorOf(security), !Catch::Contains("hunter2"));
  security = Sasl("plaintext");
  security.sasl_password = "hunter2-do-not-print";
  CHECK_THAT(ErrorOf(security), !Catch::Contains("hunter2"));
}

TEST_CASE("Kafka security: a producer is created with them and a missing CA file is refused") {
  Security security = Sasl("sasl_ssl");
  security.ssl_ca_location = "/etc/ssl/certs/ca-certificates.crt";
  auto config = SecurityConfig(security);
  REQUIRE(config);
  // No broker listens there: librdkafka connects lazily, so creation checks only the settings.
  ProducerSettings settings{"127.0.0.1:1", "security-test", *config};
  auto producer = KafkaProducer::Create(settings, nullptr);
  REQUIRE(producer);

  security.ssl_ca_location = "/nonexistent/gridcare-ca.crt";
  settings.extra = *SecurityConfig(security);
  auto refused = KafkaProducer::Create(settings, nullptr);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("ssl.ca.location"));
  CHECK_THAT(refused.error().message, !Catch::Contains("s3cret"));
}

}  // namespace
}  // namespace gridcare::kafka
