#include "gridcare/rpc/client.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "gridcare/testing/process.h"

namespace gridcare::rpc {
namespace {

TEST_CASE("SetDeadline sets now + timeout") {
  grpc::ClientContext context;
  const auto before = std::chrono::system_clock::now();
  SetDeadline(context, std::chrono::milliseconds(1500));
  const auto after = std::chrono::system_clock::now();
  CHECK(context.deadline() >= before + std::chrono::milliseconds(1500));
  CHECK(context.deadline() <= after + std::chrono::milliseconds(1500));
}

TEST_CASE("WaitForReady gives up when nothing listens") {
  auto channel = MakeChannel("127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()));
  const auto begin = std::chrono::steady_clock::now();
  CHECK_FALSE(WaitForReady(channel, std::chrono::milliseconds(300)));
  CHECK(std::chrono::steady_clock::now() - begin < std::chrono::seconds(3));
}

}  // namespace
}  // namespace gridcare::rpc
