#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "gridcare/testing/process.h"

namespace gridcare::testing {

/// A real redis-server (from Debian) on a free 127.0.0.1 port with AOF in a temporary directory.
/// Ready (answers PING) when the constructor returns; stopped by pid on destruction. The port is
/// probed (FreeLoopbackPort): redis-server cannot bind port 0 and report the port it got ("--port
/// 0" turns TCP off), and Restart must come back on the same port.
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
/// constructor returns; stopped by pid on destruction. Its brokers pick their own ports; the
/// bootstrap list is read from the file devbroker writes.
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

/// "127.0.0.1:<port>"; port 0 asks the kernel for a free port when binding.
std::string LoopbackAddress(int port);

/// The ports a GridCare service (a program on the service kit) is listening on, as its "ready"
/// log line reports them; 0 for a server it does not run. Tools with one HTTP port (the provider
/// simulator) report it as "http_port".
struct ServicePorts {
  int grpc = 0;
  int metrics = 0;
  int http = 0;
};

/// Waits for `service`'s "ready" log line and returns the ports it bound. Start a service with
/// "--grpc-listen-address" and "--metrics-listen-address" at LoopbackAddress(0), so no port is
/// probed and then raced for. Throws, with the service's log, when the service exits or `timeout`
/// passes first.
ServicePorts WaitForServiceReady(ChildProcess& service,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace gridcare::testing
