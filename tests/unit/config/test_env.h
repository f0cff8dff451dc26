#pragma once

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gridcare/config/options.h"

namespace gridcare::config::testing {

// An Options with a fake environment and captured output, so cases run without touching the real
// process environment.
struct Harness {
  explicit Harness(std::string program = "intake", std::string description = "Test program.")
      : options(std::move(program), std::move(description)) {
    options.SetEnvironment([this](const std::string& name) -> std::optional<std::string> {
      const auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    });
    options.SetOutput(out, err);
  }

  std::optional<int> Parse(const std::vector<std::string>& args) { return options.Parse(args); }

  std::map<std::string, std::string> env;
  std::ostringstream out;
  std::ostringstream err;
  Options options;
};

}  // namespace gridcare::config::testing
