#pragma once

#include <array>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"
#include "gridcare/kafka/client_config.h"

namespace gridcare::kafka {

/// How a client authenticates to Kafka and protects the connection. Plain text (the local
/// devbroker) by default; production clusters (e.g. Strimzi listeners) use TLS, SASL or both.
struct Security {
  std::string protocol = "plaintext";  // plaintext | ssl | sasl_plaintext | sasl_ssl
  std::string sasl_mechanism;          // PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512 (sasl_* only)
  std::string sasl_username;           // sasl_* only
  std::string sasl_password;           // sasl_* only; never logged
  std::string ssl_ca_location;         // ssl | sasl_ssl only: CA bundle (PEM) to verify brokers
};

inline constexpr std::array<std::string_view, 4> kSecurityProtocols = {
    "plaintext", "ssl", "sasl_plaintext", "sasl_ssl"};
inline constexpr std::array<std::string_view, 3> kSaslMechanisms = {"PLAIN", "SCRAM-SHA-256",
                                                                    "SCRAM-SHA-512"};

/// The librdkafka properties for `security` (security.protocol, sasl.mechanisms, sasl.username,
/// sasl.password, ssl.ca.location), to add to a producer's or consumer's ExtraConfig. Errors
/// (INVALID_ARGUMENT, naming the setting by its GRIDCARE_KAFKA_* variable): an unknown protocol or
/// mechanism, a SASL protocol without mechanism, user name or password, SASL settings with a
/// protocol that does not use SASL, a CA file with a protocol without TLS. Pure: whether the CA
/// file exists is checked by librdkafka when the client is created.
core::Result<ExtraConfig> SecurityConfig(const Security& security);

}  // namespace gridcare::kafka
