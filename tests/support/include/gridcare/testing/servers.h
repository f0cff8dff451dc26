#pragma once

#include <memory>
#include <string>

#include "gridcare/testing/process.h"

namespace gridcare::testing {

/// A real redis-server (from Debian) on a free 127.0.0.1 port with AOF in a temporary directory.
/// Ready (answers PING) when the constructor returns; stopped by pid on destruction.
class RedisServer {
 public:
  RedisServer();
  ~RedisServer();
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  std::string address() const { return host_ + ":" + std::to_string(port_); }
  /// Stops and starts the server on the same port and data directory (AOF is reloaded).
  void Restart();
  void Stop();

 private:
  void Start();
  TempDir dir_;
  std::string host_ = "127.0.0.1";
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

/// Our devbroker (librdkafka's mock cluster) with every GridCare topic created. Ready when the
/// constructor returns; stopped by pid on destruction.
class DevBroker {
 public:
  explicit DevBroker(int brokers = 1);
  ~DevBroker();
  const std::string& bootstrap_servers() const { return bootstrap_; }
  const ChildProcess& process() const { return *process_; }

 private:
  TempDir dir_;
  std::string bootstrap_;
  std::unique_ptr<ChildProcess> process_;
};

/// Where the build put our programs (bin/ under the CMake binary directory).
std::string ProgramPath(const std::string& name);

}  // namespace gridcare::testing
