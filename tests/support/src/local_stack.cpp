#include "gridcare/testing/local_stack.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "gridcare/config/files.h"
#include "gridcare/testing/servers.h"

namespace gridcare::testing {
namespace {

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Tail(const std::filesystem::path& file, size_t max_bytes) {
  const std::string text = ReadFile(file);
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

}  // namespace

LocalStack::LocalStack(LocalStackOptions options) {
  const std::string bin_dir = std::filesystem::path(ProgramPath("devbroker")).parent_path();
  const std::string run_dir = dir_.path().string();
  const std::string stack = std::string(GRIDCARE_SOURCE_DIR) + "/deploy/local/stack.sh";
  // The stack's own service list without its crew simulator: each test decides whether crews
  // move (and how fast).
  const std::string services = run_dir + "/services.list";
  {
    std::ifstream in(std::string(GRIDCARE_SOURCE_DIR) + "/deploy/local/services.list");
    std::ofstream out(services);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find(",tool") == std::string::npos) out << line << '\n';
    }
  }
  const std::string env =
      "GRIDCARE_RUN_DIR=" + Quote(run_dir) + " GRIDCARE_BIN_DIR=" + Quote(bin_dir) +
      " GRIDCARE_SERVICES_LIST=" + Quote(services) +
      " GRIDCARE_ROSTER_SEED=42 GRIDCARE_ROSTER_CUSTOMERS=2000 " + options.extra_env;
  // The guard exists before anything starts: if the test dies at any point from here on, the
  // kernel sends it SIGTERM and it stops whatever stack.sh started.
  const std::string stop = env + " " + Quote(stack) + " stop > /dev/null 2>&1";
  guard_ = std::make_unique<ChildProcess>(
      "bash",
      std::vector<std::string>{
          "-c", "trap " + Quote(stop + "; exit 0") + " TERM; while :; do sleep 1; done"},
      dir_.path() / "stack-guard.log");
  if (Run(env + " " + Quote(stack) + " start > " + Quote(run_dir + "/stack-start.log") + " 2>&1") !=
      0) {
    const std::string log = ReadFile(dir_.path() / "stack-start.log");
    guard_->Stop(std::chrono::seconds(60));
    throw std::runtime_error("stack.sh start failed:\n" + log);
  }
  auto endpoints = config::ReadEnvFile((dir_.path() / "endpoints.env").string());
  if (!endpoints) throw std::runtime_error(endpoints.error().ToString());
  endpoints_ = std::move(endpoints).value();
  const std::string synth = bin_dir + "/gridcare-synth";
  if (Run(Quote(synth) + " --seed 42 --customers 2000 --load-redis " +
          Quote(Endpoint("GRIDCARE_REDIS_ADDRESS")) + " > " + Quote(run_dir + "/synth.log") +
          " 2>&1") != 0) {
    throw std::runtime_error("gridcare-synth could not load the fixture:\n" +
                             ReadFile(dir_.path() / "synth.log"));
  }
}

LocalStack::~LocalStack() {
  // SIGTERM to the guard: its trap runs stack.sh stop (which allows each part 10 s).
  if (guard_) guard_->Stop(std::chrono::seconds(90));
}

int LocalStack::Run(const std::string& command_line) const {
  const int status = std::system(command_line.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const std::string& LocalStack::Endpoint(const std::string& key) const {
  auto it = endpoints_.find(key);
  if (it == endpoints_.end()) throw std::runtime_error("endpoints.env has no " + key);
  return it->second;
}

std::string LocalStack::Logs() const {
  std::string out;
  for (const char* name : {"profile", "intake", "repair-crew", "dispatch", "complaint"}) {
    out += "--- " + std::string(name) + ".log (tail)\n" +
           Tail(dir_.path() / "logs" / (std::string(name) + ".log"), 3000) + "\n";
  }
  return out;
}

}  // namespace gridcare::testing
