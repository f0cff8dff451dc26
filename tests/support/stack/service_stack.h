#pragma once
// The base of the integration stacks that run real service binaries: redis-server, devbroker, a
// temporary directory, the seed-42 synthetic utility bulk-loaded into Redis through the profile
// store's own path, the real profile binary on 127.0.0.1 port 0 and a Kafka producer. Each test
// starts the services it needs on top with Start() (tests/integration/intake/intake_stack.h,
// tests/integration/notification/notification_stack.h).

#include <google/protobuf/message_lite.h>

#include <memory>
#include <string>
#include <vector>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/synth/utility.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/servers.h"

namespace gridcare::testing {

/// How a service is started by ServiceStack::Start.
struct ServiceStart {
  /// Adds --grpc-listen-address 127.0.0.1:0 (services without a gRPC server refuse the flag).
  bool grpc = true;
  /// The log file's name in the stack's directory; empty: "<program>.log".
  std::string log_name;
};

/// Ready when the constructor returns (profile answers); throws std::runtime_error otherwise.
/// Everything it started stops with it.
class ServiceStack {
 public:
  explicit ServiceStack(int customers = 2000);
  virtual ~ServiceStack();
  ServiceStack(const ServiceStack&) = delete;
  ServiceStack& operator=(const ServiceStack&) = delete;

  /// build/bin/<program> with --kafka-bootstrap-servers, --redis-address,
  /// --metrics-listen-address 127.0.0.1:0 (and --grpc-listen-address 127.0.0.1:0, see
  /// ServiceStart), then `extra`; its output goes to a log file in dir.
  std::unique_ptr<ChildProcess> Start(const std::string& program, std::vector<std::string> extra,
                                      const ServiceStart& how = {}) const;

  /// Publishes `event` with CloudEvents headers and waits for the broker's acknowledgement;
  /// throws std::runtime_error when it is not acknowledged within 10 s.
  void Publish(const std::string& topic, const std::string& key,
               const kafka::EventMetadata& metadata,
               const google::protobuf::MessageLite& event) const;

  RedisServer redis;
  DevBroker broker;
  TempDir dir;
  synth::Utility utility;
  int profile_port = 0;  // bound on port 0, read back from its "ready" line
  std::unique_ptr<ChildProcess> profile;
  std::unique_ptr<kafka::KafkaProducer> producer;

 private:
  void LoadUtility();
};

}  // namespace gridcare::testing
