#pragma once

// The gridcare command line: picks the sub-command, separates its positional arguments from its
// options, reads the settings (flags, GRIDCARE_* variables, endpoints.env defaults) and runs it.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "gridcare/config/options.h"
#include "gridcare/core/clock.h"
#include "ports.h"
#include "settings.h"

namespace gridcare::ops {

struct SplitArgs {
  std::vector<std::string> positionals;
  std::vector<std::string> options;  // flags with their values, in order
};

/// Separates positional arguments from options: "--name=value" and flags for which
/// `takes_value(name)` is false stand alone, "--name value" takes the next argument, everything
/// after "--" is positional. Pure.
SplitArgs SplitArguments(const std::vector<std::string>& args,
                         const std::function<bool(std::string_view flag)>& takes_value);

/// `gridcare --help`: the sub-commands with their one-line summaries.
std::string TopLevelHelp();

/// Makes the edges of one run from its settings.
using EdgesFactory = std::function<std::unique_ptr<Edges>(const OperatorSettings&)>;

/// Runs `gridcare <args>` (without the program name) and returns the exit code: 0 ok, 1 an
/// operational failure (named on `err`), 2 bad usage. `env` replaces getenv when set (tests).
int RunCli(const std::vector<std::string>& args, const config::Options::EnvLookup& env,
           std::ostream& out, std::ostream& err, const core::Clock& clock,
           const EdgesFactory& make_edges);

}  // namespace gridcare::ops
