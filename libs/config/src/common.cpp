#include "gridcare/config/common.h"

namespace gridcare::config {
namespace {

void AddKafkaSecurity(Options& options, CommonSettings& settings) {
  options
      .Add("kafka-security-protocol", settings.kafka_security_protocol,
           "How to reach the brokers: TLS (ssl), SASL or both")
      .OneOf({"plaintext", "ssl", "sasl_plaintext", "sasl_ssl"});
  options
      .Add("kafka-sasl-mechanism", settings.kafka_sasl_mechanism,
           "SASL mechanism, with a sasl_* protocol")
      .OneOf({"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"});
  options.Add("kafka-sasl-username", settings.kafka_sasl_username,
              "SASL user name, with a sasl_* protocol");
  options.Add("kafka-sasl-password", settings.kafka_sasl_password,
              "File holding the SASL password, with a sasl_* protocol");
  options.Add("kafka-ssl-ca-location", settings.kafka_ssl_ca_location,
              "CA bundle (PEM file) that signed the brokers' certificates, with ssl or sasl_ssl; "
              "unset: the system's trusted CAs");
}

}  // namespace

void AddCommon(Options& options, CommonSettings& settings, CommonGroups groups) {
  if (settings.service_name.empty()) settings.service_name = options.program();

  options.Add("log-level", settings.log_level, "Lowest level written to the log")
      .OneOf({"debug", "info", "warn", "error"});
  options
      .Add("metrics-listen-address", settings.metrics_listen_address,
           "Where /metrics, /healthz and /readyz are served; port 0 picks a free port")
      .HostPort(/*allow_port_zero=*/true);

  if (groups.kafka) {
    if (settings.kafka_client_id.empty()) settings.kafka_client_id = settings.service_name;
    if (settings.kafka_consumer_group.empty()) {
      settings.kafka_consumer_group = settings.service_name;
    }
    auto& servers = options
                        .Add("kafka-bootstrap-servers", settings.kafka_bootstrap_servers,
                             "Kafka brokers to bootstrap from, comma-separated")
                        .HostPortList()
                        .Example("127.0.0.1:9092");
    if (settings.kafka_bootstrap_servers.empty()) servers.Required();
    options.Add("kafka-client-id", settings.kafka_client_id, "Kafka client.id, seen in broker logs")
        .NonEmpty();
    options
        .Add("kafka-consumer-group", settings.kafka_consumer_group,
             "Kafka consumer group; every replica of the service shares it")
        .NonEmpty();
    AddKafkaSecurity(options, settings);
  }
  if (groups.redis) {
    auto& address = options.Add("redis-address", settings.redis_address, "Redis server")
                        .HostPort()
                        .Example("127.0.0.1:6379");
    if (settings.redis_address.empty()) address.Required();
    options.Add("redis-password", settings.redis_password,
                "File holding the Redis password (AUTH); leave unset when Redis has none");
  }
  if (groups.grpc_server) {
    auto& address = options
                        .Add("grpc-listen-address", settings.grpc_listen_address,
                             "Where this service's gRPC server listens; port 0 picks a free port")
                        .HostPort(/*allow_port_zero=*/true)
                        .Example("0.0.0.0:50051");
    if (settings.grpc_listen_address.empty()) address.Required();
  }
  if (groups.profile_client) {
    auto& target = options
                       .Add("profile-service-target", settings.profile_service_target,
                            "gRPC target of the profile service (host:port or a gRPC name such "
                            "as dns:///profile:50051)")
                       .NonEmpty()
                       .Example("127.0.0.1:50051");
    if (settings.profile_service_target.empty()) target.Required();
  }
}

}  // namespace gridcare::config
