#include "gridcare/service/kafka_security.h"

#include "gridcare/kafka/security.h"

namespace gridcare::service {

core::Result<kafka::ExtraConfig> KafkaSecurityConfig(const config::CommonSettings& settings) {
  kafka::Security security;
  security.protocol = settings.kafka_security_protocol;
  security.sasl_mechanism = settings.kafka_sasl_mechanism;
  security.sasl_username = settings.kafka_sasl_username;
  security.sasl_password = settings.kafka_sasl_password.Reveal();
  security.ssl_ca_location = settings.kafka_ssl_ca_location;
  return kafka::SecurityConfig(security);
}

void AddKafkaSecurityCheck(config::Options& options, const config::CommonSettings& settings) {
  options.AddCheck([&settings]() -> std::optional<std::string> {
    auto config = KafkaSecurityConfig(settings);
    if (config) return std::nullopt;
    return config.error().message;
  });
}

}  // namespace gridcare::service
