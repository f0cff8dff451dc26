#include "gridcare/testing/run_program.h"

#include "gridcare/testing/process.h"

namespace gridcare::testing {

ProgramResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout) {
  TempDir dir;
  ChildProcess child(program, args, dir.path() / "stdout", dir.path() / "stderr");
  WaitUntil([&] { return !child.Running(); }, timeout);
  ProgramResult result;
  result.exit_code = child.Running() ? child.Kill() : child.Stop();
  result.out = ReadFile(dir.path() / "stdout");
  result.err = ReadFile(dir.path() / "stderr");
  return result;
}

}  // namespace gridcare::testing
