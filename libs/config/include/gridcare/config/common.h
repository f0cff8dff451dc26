#pragma once

#include <string>

#include "gridcare/config/options.h"
#include "gridcare/config/values.h"

namespace gridcare::config {

/// Settings every service shares. Fields that are empty when AddCommon() runs become required
/// flags; fields a program fills in beforehand become defaults (e.g. its usual gRPC port).
struct CommonSettings {
  std::string service_name;  // fixed by the program: defaults to Options::program()
  std::string log_level = "info";
  std::string metrics_listen_address = "127.0.0.1:9464";
  std::string kafka_bootstrap_servers;
  std::string kafka_client_id;       // defaults to service_name
  std::string kafka_consumer_group;  // defaults to service_name
  // How to reach a secured Kafka (kafka::Security; checked by the service kit): plain text by
  // default, TLS and/or SASL with credentials from files in production.
  std::string kafka_security_protocol = "plaintext";
  std::string kafka_sasl_mechanism;
  std::string kafka_sasl_username;
  Secret kafka_sasl_password;
  std::string kafka_ssl_ca_location;
  std::string redis_address;
  Secret redis_password;  // optional: a local Redis has no password
  std::string grpc_listen_address;
  std::string profile_service_target;  // gRPC target of the profile service, e.g. "profile:50051"
};

/// Which groups of shared options a program takes; the log level and metrics address always are.
struct CommonGroups {
  bool kafka = false;           // --kafka-bootstrap-servers, --kafka-client-id,
                                // --kafka-consumer-group, --kafka-security-protocol,
                                // --kafka-sasl-*, --kafka-ssl-ca-location
  bool redis = false;           // --redis-address, --redis-password-file
  bool grpc_server = false;     // --grpc-listen-address
  bool profile_client = false;  // --profile-service-target
};

/// Registers the shared options on `options`, bound to `settings` (which must outlive Parse()).
void AddCommon(Options& options, CommonSettings& settings, CommonGroups groups);

}  // namespace gridcare::config
