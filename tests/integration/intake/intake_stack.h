// The intake integration stack shared by this directory's tests: redis-server, devbroker, the
// synthetic utility loaded into the profile store, the real profile and intake binaries, a gRPC
// stub, a reader of gridcare.intake.v1 (+ its dead letters) and a producer.
#pragma once

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/redis/client.h"
#include "gridcare/rpc/client.h"
#include "gridcare/synth/utility.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/intake.grpc.pb.h"
#include "redis_profile_store.h"

namespace gridcare::testing {

struct IntakeStackOptions {
  int customers = 2000;
  /// Extra intake flags; called with the stack's temporary directory before intake starts (to
  /// write configuration files there).
  std::function<std::vector<std::string>(const std::filesystem::path& dir)> intake_args;
};

struct IntakeStack {
  gridcare::testing::RedisServer redis;
  gridcare::testing::DevBroker broker;
  gridcare::testing::TempDir dir;
  IntakeStackOptions options;
  gridcare::synth::Utility utility = std::move(
      gridcare::synth::Utility::Create({.seed = 42, .customers = options.customers}).value());
  int profile_port = 0;  // both bound on port 0, read back from the services' "ready" lines
  int intake_port = 0;
  std::unique_ptr<gridcare::testing::ChildProcess> profile;
  std::unique_ptr<gridcare::testing::ChildProcess> intake;
  std::unique_ptr<gridcare::v1::IntakeService::Stub> stub;
  std::unique_ptr<gridcare::testing::TopicReader> reader;
  std::unique_ptr<gridcare::kafka::KafkaProducer> producer;

  explicit IntakeStack(IntakeStackOptions stack_options = {}) : options(std::move(stack_options)) {
    using namespace std::chrono_literals;
    LoadUtility();
    profile = Start("profile", {});
    profile_port = WaitForServiceReady(*profile).grpc;
    std::vector<std::string> intake_flags = {"--profile-service-target",
                                             LoopbackAddress(profile_port)};
    if (options.intake_args) {
      for (auto& flag : options.intake_args(dir.path())) intake_flags.push_back(std::move(flag));
    }
    intake = Start("intake", intake_flags);
    intake_port = WaitForServiceReady(*intake).grpc;
    auto channel = gridcare::rpc::MakeChannel(LoopbackAddress(intake_port));
    if (!gridcare::rpc::WaitForReady(channel, 20s)) {
      throw std::runtime_error("intake did not start: " + intake->ReadLog());
    }
    stub = gridcare::v1::IntakeService::NewStub(channel);
    reader = std::make_unique<gridcare::testing::TopicReader>(
        broker.bootstrap_servers(),
        std::vector<std::string>{std::string(gridcare::kafka::kIntakeTopic),
                                 gridcare::kafka::DeadLetterTopic("intake")});
    producer = std::move(
        gridcare::kafka::KafkaProducer::Create({broker.bootstrap_servers(), "test", {}}, nullptr)
            .value());
  }

  void LoadUtility() {
    using namespace std::chrono_literals;
    auto client = gridcare::redis::RedisClient::Create(
        {"127.0.0.1", redis.port(), "", 0, 500ms, 5000ms, 1, 2000ms});
    gridcare::core::SystemClock clock;
    gridcare::profile::RedisProfileStore store(**client, clock, {});
    std::vector<gridcare::v1::Customer> batch;
    utility.ForEachCustomer([&](int64_t, const gridcare::v1::Customer& c) { batch.push_back(c); });
    if (!store.BulkLoad(batch).ok()) throw std::runtime_error("bulk load failed");
  }

  std::unique_ptr<gridcare::testing::ChildProcess> Start(const std::string& name,
                                                         std::vector<std::string> extra) {
    std::vector<std::string> args = {"--kafka-bootstrap-servers", broker.bootstrap_servers(),
                                     "--redis-address",           redis.address(),
                                     "--grpc-listen-address",     LoopbackAddress(0),
                                     "--metrics-listen-address",  LoopbackAddress(0)};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<gridcare::testing::ChildProcess>(gridcare::testing::ProgramPath(name),
                                                             args, dir.path() / (name + ".log"));
  }
};

}  // namespace gridcare::testing
