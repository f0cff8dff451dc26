#include "gridcare/core/shutdown.h"

#include <signal.h>

#include <catch2/catch.hpp>

using namespace gridcare::core;
using namespace std::chrono_literals;

TEST_CASE("SIGTERM triggers the registered callbacks once, in order") {
  ShutdownSignal shutdown;
  std::vector<int> order;
  shutdown.OnShutdown([&] { order.push_back(1); });
  shutdown.OnShutdown([&] { order.push_back(2); });
  CHECK_FALSE(shutdown.Requested());
  CHECK_FALSE(shutdown.WaitFor(10ms));
  kill(getpid(), SIGTERM);
  REQUIRE(shutdown.WaitFor(5s));
  CHECK(shutdown.Requested());
  CHECK(order == std::vector<int>{1, 2});
  shutdown.Trigger();  // a second request changes nothing
  CHECK(order.size() == 2);
}

TEST_CASE("shutdown can be triggered from code and the watcher exits cleanly without a signal") {
  {
    ShutdownSignal idle;  // destroyed without any signal: must not hang
  }
  ShutdownSignal shutdown;
  bool called = false;
  shutdown.OnShutdown([&] { called = true; });
  shutdown.Trigger();
  shutdown.Wait();
  CHECK(called);
}
