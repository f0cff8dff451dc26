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
#include "gridcare/kafka/topic_router.h"
#include "gridcare/metrics/metrics_server.h"
#include "gridcare/metrics/stage_metrics.h"
#include "gridcare/redis/client.h"
#include "gridcare/rpc/server.h"
#include "gridcare/service/periodic_task.h"
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
  /// librdkafka producer properties that win over GridCare's defaults
  /// (kafka::DefaultProducerConfig).
  kafka::ExtraConfig producer_config = {};
};

/// An extra server a service runs beside gRPC (a web console, a callback endpoint): started by
/// Run() after gRPC, stopped right after gRPC drains, before the consumers stop.
struct ServerSpec {
  std::string name;                     // "web-console": logs
  std::function<core::Status()> start;  // binds and serves on its own thread
  std::function<void()> stop;
};

/// How a consumer reads: see Kit::AddConsumer.
struct ConsumerOptions {
  /// The Redis idempotency guard skips records already handled. Off for handlers that are
  /// idempotent by themselves (saves two Redis round trips per record).
  bool deduplicate = true;
  /// Records offered to MessageHandler::HandleBatch at once (1: one at a time).
  size_t max_handler_batch = 1;
};

/// The service kit: builds every shared edge from flags and GRIDCARE_* environment variables, in an
/// order that makes start-up fail fast and shutdown lose nothing, so a service's main() only
/// declares its options and calls its composition function (services/<name>/app.h):
///
///   gridcare::service::Kit kit(gridcare::profile::kSpec);
///   gridcare::profile::Settings settings;
///   kit.options().Add("…", settings.…, "…");      // service-specific settings
///   if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
///   return kit.Run(gridcare::profile::BuildApp(kit, settings));   // until SIGTERM / SIGINT
///
/// The composition function builds the service's objects, and registers them with the kit:
/// AddGrpcService, AddConsumer (a TopicRouter per consumer group), AddPeriodic, AddServer,
/// AddReadinessCheck. Shutdown order on SIGTERM: health goes NOT_SERVING and gRPC drains in-flight
/// calls, extra servers stop, consumer loops finish their batch and commit, periodic tasks and
/// workers stop, the producer flushes, the metrics endpoint stops last.
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
  /// guard (or none when `deduplicate` is false). `handler` must outlive the Kit. The loop flushes
  /// `publisher` (default: the kit's producer) before it commits; a consumer whose handler
  /// publishes through a producer of its own (NewProducer) passes it here, so its flushes wait
  /// only for its own records. `publisher` must outlive the Kit's Run().
  void AddConsumer(std::vector<std::string> topics, kafka::MessageHandler& handler,
                   bool deduplicate = true,
                   std::function<void(kafka::ConsumerSettings&)> tune = nullptr,
                   kafka::EventPublisher* publisher = nullptr);

  /// Another producer with the kit's Kafka settings (client id + `client_suffix`), for a consumer
  /// whose flushes must not wait for the rest of the service's records (after Init).
  core::Result<std::unique_ptr<kafka::KafkaProducer>> NewProducer(
      const std::string& client_suffix) const;
  /// Consumes every topic `router` routes, in the service's consumer group (several calls: several
  /// loops sharing the group's partitions). `router` must outlive the Kit.
  void AddConsumer(kafka::TopicRouter& router, ConsumerOptions options = {});

  /// Runs `spec` every interval from Run() until shutdown (see PeriodicTask).
  void AddPeriodic(PeriodicTaskSpec spec);

  /// Starts and stops an extra server with the kit (see ServerSpec).
  void AddServer(ServerSpec spec);

  /// Adds a named readiness check to /readyz.
  void AddReadinessCheck(std::string name, std::function<bool()> check);

  /// Runs a background task on its own thread from Run(); it must return soon after `stopping`
  /// says true (checked with WaitFor-style polling by the task).
  void AddWorker(std::string name, std::function<void(core::ShutdownSignal& stopping)> task);

  /// Starts gRPC, servers, consumers, periodic tasks and workers, then blocks until SIGTERM/SIGINT
  /// and shuts down in order. Returns the process exit code.
  int Run();

  /// Run() for the object graph a composition function built; when it could not be built, logs
  /// why and returns 2 for bad settings or configuration files (INVALID_ARGUMENT, NOT_FOUND), 1
  /// for anything else (a dependency that does not answer). The app lives until shutdown is done.
  template <typename App>
  int Run(core::Result<std::unique_ptr<App>> app) {
    if (!app) return StartupFailed(app.error());
    return Run();
  }
  /// Logs a start-up failure and returns its exit code (as Run(app) does).
  static int StartupFailed(const core::Error& error);

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
  kafka::ExtraConfig kafka_security_;  // security.protocol, sasl.*, ssl.* for every client
  std::unique_ptr<kafka::KafkaProducer> producer_;
  std::vector<grpc::Service*> grpc_services_;
  std::unique_ptr<rpc::GrpcServer> grpc_server_;
  std::vector<ServerSpec> servers_;
  size_t servers_started_ = 0;
  std::vector<std::unique_ptr<PeriodicTask>> periodic_;
  std::vector<WorkerEntry> workers_;
  std::vector<ConsumerEntry> consumers_;  // last: stopped first
};

}  // namespace gridcare::service
