#pragma once
// gridcare-provider-sim (tools/provider-sim) as a child process on 127.0.0.1 port 0, with a
// client of its control API (tools/provider-sim/README.md): faults, the recorded messages and
// the counters; and CallbackRecorder, the other end of the provider's callbacks (delivery reports,
// replies). The provider API itself is what the tests exercise: they speak it their own way.

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gridcare/testing/process.h"

namespace gridcare::testing {

struct ProviderSimOptions {
  /// The bearer token clients must send, written to a token file (--token-file).
  std::string token = "provider-sim-token";
  /// The --config file's content (initial faults); empty: no --config.
  std::string config;
  /// Further flags, e.g. {"--report-attempts", "3"}.
  std::vector<std::string> extra_args;
};

/// Started (its "ready" line read) when the constructor returns; throws std::runtime_error with
/// the log when it does not start. Stopped by pid on destruction. Every control call throws
/// std::runtime_error (naming the path and the answer) unless the simulator answers 200.
class ProviderSim {
 public:
  explicit ProviderSim(ProviderSimOptions options = {});
  ~ProviderSim();
  ProviderSim(const ProviderSim&) = delete;
  ProviderSim& operator=(const ProviderSim&) = delete;

  int port() const { return port_; }
  const std::string& token() const { return options_.token; }
  std::filesystem::path token_file() const { return dir_.path() / "token"; }
  /// "http://127.0.0.1:<port>/providers": provider <name> is at base_url() + "/<name>/".
  std::string base_url() const;
  ChildProcess& process() { return *process_; }

  /// GET `path` (e.g. "/control/stats"), parsed.
  nlohmann::json GetJson(const std::string& path) const;
  /// PUT /control/providers/<provider>/faults (replaces the provider's settings).
  void PutFaults(const std::string& provider, const std::string& faults) const;
  /// Every kept message in acceptance order, of `provider` only when it is not empty, read page
  /// by page from GET /control/messages.
  std::vector<nlohmann::json> Messages(const std::string& provider = "") const;
  /// The kept messages of `provider` by client_message_id.
  std::map<std::string, nlohmann::json> Recorded(const std::string& provider) const;
  /// The counters of `provider` from GET /control/stats (null before it got a request).
  nlohmann::json Stats(const std::string& provider) const;

 private:
  ProviderSimOptions options_;
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

/// An HTTP server on 127.0.0.1 (a free port) that records every POST it gets — path and body —
/// and answers each with `status` (a JSON "{}"), as a provider's callback receiver. Keeps
/// connections alive with TCP_NODELAY. Throws std::runtime_error when it cannot listen; stops on
/// destruction.
class CallbackRecorder {
 public:
  struct Call {
    std::string path;
    std::string body;
  };

  explicit CallbackRecorder(int status = 200);
  ~CallbackRecorder();
  CallbackRecorder(const CallbackRecorder&) = delete;
  CallbackRecorder& operator=(const CallbackRecorder&) = delete;

  /// "http://127.0.0.1:<port>" + `path`.
  std::string url(const std::string& path) const;
  /// Every POST so far, in arrival order.
  std::vector<Call> Calls() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gridcare::testing
