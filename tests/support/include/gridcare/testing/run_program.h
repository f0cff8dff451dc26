#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace gridcare::testing {

/// What a program printed and how it ended.
struct ProgramResult {
  int exit_code = -1;  // -signal when it was killed
  std::string out;     // stdout
  std::string err;     // stderr
};

/// Runs `program` with `args` to its end (a command-line tool, not a server) as a ChildProcess
/// (stdin from /dev/null, stopped when the test dies first), and returns its exit code and what it
/// printed on each stream. Killed (SIGKILL) after `timeout`.
ProgramResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace gridcare::testing
