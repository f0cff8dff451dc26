#pragma once

#include <map>
#include <memory>
#include <string>

#include "gridcare/testing/process.h"

namespace gridcare::testing {

struct LocalStackOptions {
  /// Extra environment for stack.sh and the services, e.g. "GRIDCARE_CLOCK_SPEED=600".
  std::string extra_env;
};

/// The whole local stack (deploy/local/stack.sh start) in a temporary run directory, without the
/// list's helper tools (each test decides whether crews move), with the 2,000-customer fixture
/// (seed 42) loaded; stopped (stack.sh stop) on destruction — and, through a guard process tied
/// to the test (PR_SET_PDEATHSIG), also when the test process is killed (CTest's timeout).
class LocalStack {
 public:
  explicit LocalStack(LocalStackOptions options = {});
  ~LocalStack();
  LocalStack(const LocalStack&) = delete;
  LocalStack& operator=(const LocalStack&) = delete;

  /// A value of endpoints.env, e.g. "GRIDCARE_INTAKE_GRPC"; throws when missing.
  const std::string& Endpoint(const std::string& key) const;
  const std::filesystem::path& run_dir() const { return dir_.path(); }
  /// The last lines of every service log, for failure messages.
  std::string Logs() const;

 private:
  int Run(const std::string& command_line) const;

  TempDir dir_;
  std::map<std::string, std::string> endpoints_;
  std::unique_ptr<ChildProcess> guard_;  // runs stack.sh stop when it gets SIGTERM
};

}  // namespace gridcare::testing
