#include "gridcare/kafka/security.h"

#include <algorithm>

namespace gridcare::kafka {
namespace {

template <size_t N>
bool OneOf(const std::string& value, const std::array<std::string_view, N>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

template <size_t N>
std::string Listed(const std::array<std::string_view, N>& allowed) {
  std::string out;
  for (const auto value : allowed) out += (out.empty() ? "" : ", ") + std::string(value);
  return out;
}

}  // namespace

core::Result<ExtraConfig> SecurityConfig(const Security& security) {
  if (!OneOf(security.protocol, kSecurityProtocols)) {
    return core::InvalidArgument("GRIDCARE_KAFKA_SECURITY_PROTOCOL \"" + security.protocol +
                                 "\" is not one of " + Listed(kSecurityProtocols));
  }
  const bool sasl = security.protocol.starts_with("sasl_");
  const bool tls = security.protocol == "ssl" || security.protocol == "sasl_ssl";
  ExtraConfig config{{"security.protocol", security.protocol}};
  if (sasl) {
    if (security.sasl_mechanism.empty()) {
      return core::InvalidArgument("security protocol " + security.protocol +
                                   " needs GRIDCARE_KAFKA_SASL_MECHANISM (one of " +
                                   Listed(kSaslMechanisms) + ")");
    }
    if (!OneOf(security.sasl_mechanism, kSaslMechanisms)) {
      return core::InvalidArgument("GRIDCARE_KAFKA_SASL_MECHANISM \"" + security.sasl_mechanism +
                                   "\" is not one of " + Listed(kSaslMechanisms));
    }
    if (security.sasl_username.empty() || security.sasl_password.empty()) {
      return core::InvalidArgument(
          "security protocol " + security.protocol +
          " needs GRIDCARE_KAFKA_SASL_USERNAME and a password (GRIDCARE_KAFKA_SASL_PASSWORD_FILE)");
    }
    config["sasl.mechanisms"] = security.sasl_mechanism;
    config["sasl.username"] = security.sasl_username;
    config["sasl.password"] = security.sasl_password;
  } else if (!security.sasl_mechanism.empty() || !security.sasl_username.empty() ||
             !security.sasl_password.empty()) {
    return core::InvalidArgument(
        "SASL settings (GRIDCARE_KAFKA_SASL_*) are set but security "
        "protocol " +
        security.protocol + " does not use SASL; choose sasl_plaintext or sasl_ssl");
  }
  if (!security.ssl_ca_location.empty()) {
    if (!tls) {
      return core::InvalidArgument("GRIDCARE_KAFKA_SSL_CA_LOCATION is set but security protocol " +
                                   security.protocol + " does not use TLS; choose ssl or sasl_ssl");
    }
    config["ssl.ca.location"] = security.ssl_ca_location;
  }
  return config;
}

}  // namespace gridcare::kafka
