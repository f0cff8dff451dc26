#pragma once

#include "gridcare/config/common.h"
#include "gridcare/core/error.h"
#include "gridcare/kafka/client_config.h"

namespace gridcare::service {

/// The librdkafka security properties (kafka::SecurityConfig) of the --kafka-security-protocol,
/// --kafka-sasl-* and --kafka-ssl-ca-location settings, for every Kafka client a program makes.
/// The service kit checks them when it parses its options and adds them to its producer and
/// consumers; other programs with Kafka clients (the operator command) call it the same way.
core::Result<kafka::ExtraConfig> KafkaSecurityConfig(const config::CommonSettings& settings);

/// Registers the check on `options`: an inconsistent combination (a SASL protocol without a
/// user name, a CA file without TLS …) fails Parse() with one line that names the variables.
void AddKafkaSecurityCheck(config::Options& options, const config::CommonSettings& settings);

}  // namespace gridcare::service
