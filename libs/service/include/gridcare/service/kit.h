#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gridcare/config/common.h"
#include "gridcare/config/options.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/ids.h"
#include "gridcare/core/shutdown.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/metrics/metrics_server.h"
#include "gridcare/metrics/stage_metrics.h"
#include "gridcare/redis/client.h"
#include "gridcare/rpc/server.h"
#include "gridcare/service/redis_idempotency_guard.h"

namespace grpc {
class Service;
}

namespace gridcare::service {

/// What a service process is and which shared edges it needs.
struct ServiceSpec {
  std::string name;         // "profile", "intake", ...: logs, metrics, consumer group, Redis prefix
  std::string description;  // one paragraph for --help
  config::CommonGroups groups;
  /// librdkafka producer properties that win over GridCare's defaults (kafka::DefaultProducerConfig).
  kafka::ExtraConfig producer_config = {};
};

/// The service kit: builds every shared edge from flags and GRIDCARE_* environment variables, in an
/// order that makes start-up fail fast and shutdown lose nothing, so a service's main() only wires
/// its domain logic in:
///
///   gridcare::service::Kit kit({"profile", "…", {.kafka = true, .redis = true, .grpc_server = true}});
///   kit.options().Add(...);                       // service-specific settings
///   if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
///   ProfileServiceImpl service(kit.redis(), kit.clock());
///   kit.AddGrpcService(&service);
///   kit.AddConsumer({"gridcare.intake.v1"}, handler);
///   return kit.Run();                             // until SIGTERM / SIGINT
///
/// Shutdown order on SIGTERM: health goes NOT_SERVING and gRPC drains in-flight calls, consumer
/// loops finish their batch and commit, the producer flushes, the metrics endpoint stops last.
/// Construct the Kit first thing in main(): it blocks SIGTERM/SIGINT before any thread starts.
/// Not thread-safe; use from main() only.
class Kit {
 public:
  explicit Kit(ServiceSpec spec);
  ~Kit();
  Kit(const Kit&) = delete;
  Kit& operator=(const Kit&) = delete;

  /// For service-specific options, before Init().
  config::Options& options() { return options_; }

  /// Parses settings and starts logging, metrics, Redis and the producer. Returns an exit code
  /// when the process should end now: 0 after --help/--version, 2 on bad settings, 1 when a
  /// dependency cannot be set up (with a message that says what to fix).
  std::optional<int> Init(int argc, char** argv);

  const config::CommonSettings& settings() const { return common_; }
  const core::Clock& clock() const { return clock_; }
  core::IdGenerator& ids() { return *ids_; }
  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }
  metrics::StageMetrics& stage_metrics() { return *stage_metrics_; }
  metrics::MetricsServer& metrics_server() { return *metrics_server_; }
  redis::RedisClient& redis() { return *redis_; }
  kafka::KafkaProducer& producer() { return *producer_; }
  RedisIdempotencyGuard& idempotency_guard() { return *guard_; }

  /// Serves `service` (which must outlive the Kit) on the gRPC listen address from Run().
  void AddGrpcService(grpc::Service* service);

  /// Consumes `topics` in the service's consumer group from Run(), with the Redis idempotency
  /// guard (or none when `deduplicate` is false). `handler` must outlive the Kit.
  void AddConsumer(std::vector<std::string> topics, kafka::MessageHandler& handler,
                   bool deduplicate = true,
                   std::function<void(kafka::ConsumerSettings&)> tune = nullptr);

  /// Adds a named readiness check to /readyz.
  void AddReadinessCheck(std::string name, std::function<bool()> check);

  /// Runs a background task on its own thread from Run(); it must return soon after `stopping`
  /// says true (checked with WaitFor-style polling by the task).
  void AddWorker(std::string name, std::function<void(core::ShutdownSignal& stopping)> task);

  /// Starts gRPC, consumers and workers, then blocks until SIGTERM/SIGINT and shuts down in order.
  int Run();

  /// Requests shutdown (tests, fatal errors).
  void RequestShutdown() { shutdown_.Trigger(); }
  const core::ShutdownSignal& shutdown_signal() const { return shutdown_; }
  /// The bound gRPC port once Run() has started the server (0 before).
  int grpc_port() const { return grpc_server_ ? grpc_server_->port() : 0; }

 private:
  struct ConsumerEntry {
    std::unique_ptr<kafka::ConsumerLoop> loop;
    std::thread thread;
  };
  struct WorkerEntry {
    std::string name;
    std::function<void(core::ShutdownSignal&)> task;
    std::thread thread;
  };

  void StopEverything();

  core::ShutdownSignal shutdown_;  // first: blocks the stop signals before any thread exists
  ServiceSpec spec_;
  config::Options options_;
  config::CommonSettings common_;
  int redis_pool_size_ = 32;
  core::SystemClock clock_;
  std::unique_ptr<core::IdGenerator> ids_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<metrics::MetricsServer> metrics_server_;
  std::unique_ptr<metrics::StageMetrics> stage_metrics_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<RedisIdempotencyGuard> guard_;
  std::unique_ptr<kafka::KafkaProducer> producer_;
  std::vector<grpc::Service*> grpc_services_;
  std::unique_ptr<rpc::GrpcServer> grpc_server_;
  std::vector<WorkerEntry> workers_;
  std::vector<ConsumerEntry> consumers_;  // last: stopped first
};

}  // namespace gridcare::service
