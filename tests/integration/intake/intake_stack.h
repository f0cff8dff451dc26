// The intake integration stack shared by this directory's tests: the ServiceStack of
// tests/support (redis-server, devbroker, the synthetic utility loaded into the profile store, the
// real profile binary, a producer), the real intake binary, a gRPC stub and a reader of
// gridcare.intake.v1 (+ its dead letters).
#pragma once

#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/intake.grpc.pb.h"
#include "service_stack.h"

namespace gridcare::testing {

struct IntakeStackOptions {
  int customers = 2000;
  /// Extra intake flags; called with the stack's temporary directory before intake starts (to
  /// write configuration files there).
  std::function<std::vector<std::string>(const std::filesystem::path& dir)> intake_args;
};

struct IntakeStack : ServiceStack {
  IntakeStackOptions options;
  int intake_port = 0;  // bound on port 0, read back from the service's "ready" line
  std::unique_ptr<gridcare::testing::ChildProcess> intake;
  std::unique_ptr<gridcare::v1::IntakeService::Stub> stub;
  std::unique_ptr<gridcare::testing::TopicReader> reader;

  explicit IntakeStack(IntakeStackOptions stack_options = {})
      : ServiceStack(stack_options.customers), options(std::move(stack_options)) {
    using namespace std::chrono_literals;
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
  }
};

}  // namespace gridcare::testing
