#include "gridcare/testing/servers.h"

#include <hiredis/hiredis.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace gridcare::testing {
namespace {

bool RedisAnswersPing(const std::string& host, int port) {
  timeval timeout{0, 200'000};
  redisContext* context = redisConnectWithTimeout(host.c_str(), port, timeout);
  if (context == nullptr) return false;
  bool ok = false;
  if (!context->err) {
    auto* reply = static_cast<redisReply*>(redisCommand(context, "PING"));
    ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS;
    if (reply) freeReplyObject(reply);
  }
  redisFree(context);
  return ok;
}

// The ports of the first "ready" line in a service's log (one JSON object per line).
std::optional<ServicePorts> ReadyPorts(const std::string& log) {
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find("\"msg\":\"ready\"") == std::string::npos) continue;
    const auto fields = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!fields.is_object()) continue;
    return ServicePorts{fields.value("grpc_port", 0), fields.value("metrics_port", 0),
                        fields.value("http_port", 0)};
  }
  return std::nullopt;
}

}  // namespace

RedisServer::RedisServer() : port_(FreeLoopbackPort()) { Start(); }

RedisServer::~RedisServer() { Stop(); }

void RedisServer::Start() {
  process_ = std::make_unique<ChildProcess>(
      "redis-server",
      std::vector<std::string>{"--bind", host_, "--port", std::to_string(port_), "--dir",
                               dir_.path().string(), "--appendonly", "yes", "--save", "",
                               "--daemonize", "no", "--protected-mode", "yes"},
      dir_.path() / "redis.log");
  if (!WaitUntil([this] { return RedisAnswersPing(host_, port_); })) {
    throw std::runtime_error("redis-server did not answer PING on port " + std::to_string(port_) +
                             ": " + process_->ReadLog());
  }
}

void RedisServer::Stop() {
  if (process_) process_->Stop();
  process_.reset();
}

void RedisServer::Restart() {
  Stop();
  Start();
}

DevBroker::DevBroker(int brokers) {
  const auto bootstrap_file = dir_.path() / "bootstrap";
  process_ = std::make_unique<ChildProcess>(
      GRIDCARE_DEVBROKER_PATH,
      std::vector<std::string>{"--brokers", std::to_string(brokers), "--bootstrap-file",
                               bootstrap_file.string()},
      dir_.path() / "devbroker.log");
  if (!WaitUntil([&] { return std::filesystem::exists(bootstrap_file); })) {
    throw std::runtime_error("devbroker did not write its bootstrap file: " + process_->ReadLog());
  }
  bootstrap_ = ReadFile(bootstrap_file);
  while (!bootstrap_.empty() && (bootstrap_.back() == '\n' || bootstrap_.back() == ' ')) {
    bootstrap_.pop_back();
  }
}

DevBroker::~DevBroker() {
  if (process_) process_->Stop();
}

std::string ProgramPath(const std::string& name) {
  return std::string(GRIDCARE_BINARY_DIR) + "/bin/" + name;
}

std::string LoopbackAddress(int port) { return "127.0.0.1:" + std::to_string(port); }

ServicePorts WaitForServiceReady(ChildProcess& service, std::chrono::milliseconds timeout) {
  std::optional<ServicePorts> ports;
  const bool ready = WaitUntil(
      [&] {
        ports = ReadyPorts(service.ReadLog());
        return ports.has_value() || !service.Running();
      },
      timeout);
  if (!ready || !ports) {
    throw std::runtime_error(service.log_file().filename().string() +
                             (ready ? ": the service exited before it was ready: "
                                    : ": the service was not ready in time: ") +
                             service.ReadLog());
  }
  return *ports;
}

}  // namespace gridcare::testing
