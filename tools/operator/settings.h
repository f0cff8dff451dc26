#pragma once

// The gridcare command's settings: the same GRIDCARE_* flags and variables as the services
// (config::Options + config::AddCommon), the addresses of the services it talks to, and defaults
// taken from the local stack's endpoints.env when one is found. Pure apart from nothing: reading
// the file is the caller's.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/config/common.h"
#include "gridcare/config/options.h"
#include "gridcare/core/error.h"
#include "gridcare/kafka/client_config.h"

namespace gridcare::ops {

/// A GridCare service as the operator reaches it. Its gRPC target option and metrics option, and
/// the endpoints.env keys (GRIDCARE_<KEY>_GRPC / GRIDCARE_<KEY>_METRICS) the local stack writes.
struct KnownService {
  std::string name;            // "intake"
  std::string target_option;   // "intake-service-target"; "" for a service without gRPC
  std::string metrics_option;  // "intake-metrics" (GRIDCARE_INTAKE_METRICS, as endpoints.env)
  std::string env_key;         // "INTAKE"
};

/// profile, intake, repair-crew, dispatch, complaint, notification, analytics.
const std::vector<KnownService>& KnownServices();

/// Flags of the sub-commands (each registers the ones it takes).
struct CommandFlags {
  std::string group;   // dead-letters: --group
  std::string topic;   // dead-letters: --topic
  std::string reason;  // dead-letters replay: --reason
  int limit = 50;      // dead-letters list: --limit (0: all)
  bool all = false;    // dead-letters replay: --all
  bool dry_run = false;
  bool reveal = false;   // dead-letters show: --reveal
  bool open = true;      // incidents: --open (the console API lists open incidents only)
  bool overdue = false;  // incidents: --overdue
  std::string feeder;    // incidents: --feeder
  std::chrono::seconds within{1800};  // overdue: --within
  std::string language = "en";        // ticket: --language
  int replicas = -1;                  // topics ensure: --replicas (-1: the cluster's default)
  int min_insync_replicas = 0;        // topics ensure: --min-insync-replicas (0: not set)
};

struct OperatorSettings {
  config::CommonSettings common;
  std::string endpoints_file;
  bool json = false;
  std::chrono::milliseconds timeout{10'000};
  std::map<std::string, std::string> targets;  // by service name; "" when not configured
  std::map<std::string, std::string> metrics;  // by service name
  CommandFlags flags;
};

/// Where the local stack's endpoints.env is looked for.
struct EndpointsFile {
  std::string path;
  bool named = false;  // the operator named it (flag or GRIDCARE_ENDPOINTS_FILE): it must exist
};

/// --endpoints-file (either spelling) in `args`, else $GRIDCARE_ENDPOINTS_FILE, else
/// $GRIDCARE_RUN_DIR/endpoints.env, else .run/endpoints.env (the stack's default run directory,
/// relative to where gridcare runs).
EndpointsFile LocateEndpointsFile(const std::vector<std::string>& args,
                                  const config::Options::EnvLookup& env);

/// Defaults from an endpoints.env: GRIDCARE_KAFKA_BOOTSTRAP_SERVERS, and per known service
/// GRIDCARE_<KEY>_GRPC as its gRPC target and GRIDCARE_<KEY>_METRICS as its metrics address.
void ApplyEndpoints(const std::map<std::string, std::string>& endpoints,
                    OperatorSettings& settings);

/// What a sub-command needs from the settings.
struct SettingNeeds {
  bool kafka = false;                // the common Kafka options (AddCommon's kafka group)
  std::vector<std::string> targets;  // services whose gRPC target is required
  bool health = false;               // every service's metrics address and gRPC target
};

/// Registers the shared options on `options` (bound to `settings`): AddCommon (with Kafka when
/// needed), --endpoints-file, --json, --timeout, and the service addresses `needs` asks for
/// (required ones marked so when still empty).
void AddSharedOptions(config::Options& options, OperatorSettings& settings,
                      const SettingNeeds& needs);

/// The librdkafka properties beyond GridCare's defaults for the operator's reader and producer:
/// the Kafka security settings of `common`, as the services' clients get them. INVALID_ARGUMENT
/// for an inconsistent combination.
core::Result<kafka::ExtraConfig> KafkaExtraConfig(const config::CommonSettings& common);

}  // namespace gridcare::ops
