#pragma once

#include <map>
#include <string>

#include "gridcare/testing/process.h"

namespace gridcare::testing {

/// The whole local stack (deploy/local/stack.sh start) in a temporary run directory, with the
/// 2,000-customer fixture (seed 42) loaded; stopped (stack.sh stop) on destruction.
class LocalStack {
 public:
  LocalStack();
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
  bool started_ = false;
};

}  // namespace gridcare::testing
