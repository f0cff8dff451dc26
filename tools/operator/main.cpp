// gridcare: the operator's command line (tools/operator/README.md). main() only connects the real
// edges; everything else is in cli.cpp and the sub-commands.
#include <cstdlib>
#include <iostream>

#include "cli.h"
#include "edges.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto env = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
  gridcare::core::SystemClock clock;
  return gridcare::ops::RunCli(args, env, std::cout, std::cerr, clock,
                               [](const gridcare::ops::OperatorSettings& settings) {
                                 return std::make_unique<gridcare::ops::NetworkEdges>(settings);
                               });
}
