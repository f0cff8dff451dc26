#include "settings.h"

#include <algorithm>

#include "gridcare/service/kafka_security.h"

namespace gridcare::ops {

const std::vector<KnownService>& KnownServices() {
  static const std::vector<KnownService> kServices = {
      {"profile", "profile-service-target", "profile-metrics", "PROFILE"},
      {"intake", "intake-service-target", "intake-metrics", "INTAKE"},
      {"repair-crew", "crew-service-target", "repair-crew-metrics", "REPAIR_CREW"},
      {"dispatch", "dispatch-service-target", "dispatch-metrics", "DISPATCH"},
      {"complaint", "complaint-service-target", "complaint-metrics", "COMPLAINT"},
      {"notification", "", "notification-metrics", "NOTIFICATION"},
      {"analytics", "analytics-service-target", "analytics-metrics", "ANALYTICS"},
  };
  return kServices;
}

EndpointsFile LocateEndpointsFile(const std::vector<std::string>& args,
                                  const config::Options::EnvLookup& env) {
  constexpr std::string_view kFlag = "--endpoints-file";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") break;
    if (arg == kFlag && i + 1 < args.size()) return {args[i + 1], true};
    if (arg.starts_with(kFlag) && arg.size() > kFlag.size() && arg[kFlag.size()] == '=') {
      return {std::string(arg.substr(kFlag.size() + 1)), true};
    }
  }
  const auto lookup = [&](const std::string& name) -> std::string {
    auto value = env ? env(name) : std::nullopt;
    return value ? *value : std::string();
  };
  if (auto file = lookup("GRIDCARE_ENDPOINTS_FILE"); !file.empty()) return {file, true};
  if (auto dir = lookup("GRIDCARE_RUN_DIR"); !dir.empty()) return {dir + "/endpoints.env", false};
  return {".run/endpoints.env", false};
}

void ApplyEndpoints(const std::map<std::string, std::string>& endpoints,
                    OperatorSettings& settings) {
  const auto value = [&](const std::string& key) {
    auto it = endpoints.find(key);
    return it == endpoints.end() ? std::string() : it->second;
  };
  if (auto bootstrap = value("GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"); !bootstrap.empty()) {
    settings.common.kafka_bootstrap_servers = bootstrap;
  }
  for (const auto& service : KnownServices()) {
    if (auto grpc = value("GRIDCARE_" + service.env_key + "_GRPC");
        !grpc.empty() && !service.target_option.empty()) {
      settings.targets[service.name] = grpc;
    }
    if (auto metrics = value("GRIDCARE_" + service.env_key + "_METRICS"); !metrics.empty()) {
      settings.metrics[service.name] = metrics;
    }
  }
}

void AddSharedOptions(config::Options& options, OperatorSettings& settings,
                      const SettingNeeds& needs) {
  settings.common.service_name = "gridcare";
  // The reader's group is never joined and commits nothing (kafka::KafkaRecordReader).
  if (settings.common.kafka_client_id.empty())
    settings.common.kafka_client_id = "gridcare-operator";
  if (settings.common.kafka_consumer_group.empty()) {
    settings.common.kafka_consumer_group = "gridcare-operator";
  }
  config::AddCommon(options, settings.common, {.kafka = needs.kafka});
  if (needs.kafka) service::AddKafkaSecurityCheck(options, settings.common);
  options.Add("endpoints-file", settings.endpoints_file,
              "The local stack's endpoints.env (deploy/local/stack.sh writes it): defaults for "
              "the Kafka bootstrap servers and every service's addresses; a missing file is no "
              "error");
  options.Add("json", settings.json, "Print JSON (stable field names) instead of a table");
  options.Add("timeout", settings.timeout, "How long each call to Kafka or a service may take")
      .Range(std::chrono::milliseconds(100), std::chrono::milliseconds(600'000));
  for (const auto& service : KnownServices()) {
    const bool wanted = needs.health || std::find(needs.targets.begin(), needs.targets.end(),
                                                  service.name) != needs.targets.end();
    if (!wanted) continue;
    if (!service.target_option.empty()) {
      auto& target = settings.targets[service.name];
      auto& option = options
                         .Add(service.target_option, target,
                              "gRPC target of the " + service.name +
                                  " service (host:port or a gRPC name such as dns:///" +
                                  service.name + ":50051)")
                         .Example("127.0.0.1:50051");
      if (target.empty() && !needs.health) option.Required();
    }
    if (needs.health) {
      options
          .Add(service.metrics_option, settings.metrics[service.name],
               "Metrics address of the " + service.name +
                   " service (its /healthz and /readyz); unset: not checked")
          .HostPort();
    }
  }
}

core::Result<kafka::ExtraConfig> KafkaExtraConfig(const config::CommonSettings& common) {
  // The Kafka security settings AddCommon registers (SASL/TLS), as the service kit passes them to
  // the services' clients.
  return service::KafkaSecurityConfig(common);
}

}  // namespace gridcare::ops
