#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace gridcare::testing {

/// A directory under $TMPDIR (or /tmp) removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago (another process may take it before it is
/// used). Only for what cannot bind port 0 and report the port it got: a program such as
/// redis-server, or an address where nothing should listen. A server that can report its port
/// binds 127.0.0.1:0 instead (GridCare services: see WaitForServiceReady in servers.h).
int FreeLoopbackPort();

/// A child process whose stdout and stderr go to `log_file`. Stopped by pid (SIGTERM, then SIGKILL
/// after `grace`) on destruction or Stop(), and sent SIGTERM by the kernel when the test process
/// dies first (PR_SET_PDEATHSIG: CTest killing a test at its timeout), so no test leaves a process
/// behind.
class ChildProcess {
 public:
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::filesystem::path& log_file);
  /// The same with stderr apart from stdout (a command-line tool whose output a test reads).
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::filesystem::path& log_file, const std::filesystem::path& error_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  /// Sends SIGTERM and waits; returns the exit status (or -signal) of the child.
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  /// SIGKILL at once (a crash), and waits; returns -SIGKILL.
  int Kill();
  const std::filesystem::path& log_file() const { return log_file_; }
  std::string ReadLog() const;

 private:
  pid_t pid_ = -1;
  int exit_status_ = 0;
  std::filesystem::path log_file_;
};

/// Polls `condition` every 20 ms until it is true or `timeout` passes.
template <typename Condition>
bool WaitUntil(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(10));

std::string ReadFile(const std::filesystem::path& file);

}  // namespace gridcare::testing

#include <thread>

namespace gridcare::testing {
template <typename Condition>
bool WaitUntil(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}
}  // namespace gridcare::testing
