#include "gridcare/testing/provider_sim_client.h"

#include <httplib.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "gridcare/testing/servers.h"

namespace gridcare::testing {
namespace {

using Json = nlohmann::json;

// A page of GET /control/messages holds at most this many (the simulator's limit).
constexpr int kPageLimit = 10000;
// Pages read at most: 10,000 pages of 10,000 is beyond any test's record limit.
constexpr int kMaxPages = 10000;

httplib::Client ControlClient(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(10));
  client.set_tcp_nodelay(true);  // else each request waits ~40 ms for a delayed ACK
  return client;
}

std::runtime_error ControlError(const std::string& what, const httplib::Result& reply) {
  if (!reply)
    return std::runtime_error(what + ": no answer (" + httplib::to_string(reply.error()) + ")");
  return std::runtime_error(what + ": HTTP " + std::to_string(reply->status) + " " + reply->body);
}

}  // namespace

ProviderSim::ProviderSim(ProviderSimOptions options) : options_(std::move(options)) {
  std::ofstream(token_file()) << options_.token << "\n";
  std::vector<std::string> args = {"--listen-address", "127.0.0.1:0", "--token-file",
                                   token_file().string()};
  if (!options_.config.empty()) {
    const auto config_file = dir_.path() / "config.json";
    std::ofstream(config_file) << options_.config;
    args.insert(args.end(), {"--config", config_file.string()});
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  process_ = std::make_unique<ChildProcess>(ProgramPath("gridcare-provider-sim"), args,
                                            dir_.path() / "provider-sim.log");
  port_ = WaitForServiceReady(*process_, std::chrono::seconds(10)).http;
  if (port_ <= 0) {
    throw std::runtime_error("gridcare-provider-sim reported no http_port: " + process_->ReadLog());
  }
}

ProviderSim::~ProviderSim() = default;

std::string ProviderSim::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/providers";
}

Json ProviderSim::GetJson(const std::string& path) const {
  auto client = ControlClient(port_);
  auto reply = client.Get(path);
  if (!reply || reply->status != 200) throw ControlError("GET " + path, reply);
  return Json::parse(reply->body);
}

void ProviderSim::PutFaults(const std::string& provider, const std::string& faults) const {
  auto client = ControlClient(port_);
  const std::string path = "/control/providers/" + provider + "/faults";
  auto reply = client.Put(path, faults, "application/json");
  if (!reply || reply->status != 200) throw ControlError("PUT " + path, reply);
}

std::vector<Json> ProviderSim::Messages(const std::string& provider) const {
  std::vector<Json> messages;
  int64_t after = 0;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string path =
        "/control/messages?limit=" + std::to_string(kPageLimit) + "&after=" + std::to_string(after);
    if (!provider.empty()) path += "&provider=" + provider;
    const Json answer = GetJson(path);
    const Json& listed = answer.at("messages");
    if (listed.empty()) return messages;
    for (const Json& message : listed) messages.push_back(message);
    after = answer.at("next_after").get<int64_t>();
  }
  throw std::runtime_error("GET /control/messages: more than " + std::to_string(kMaxPages) +
                           " pages");
}

std::map<std::string, Json> ProviderSim::Recorded(const std::string& provider) const {
  std::map<std::string, Json> by_id;
  for (Json& message : Messages(provider)) {
    const std::string id = message.at("client_message_id").get<std::string>();
    by_id[id] = std::move(message);
  }
  return by_id;
}

Json ProviderSim::Stats(const std::string& provider) const {
  return GetJson("/control/stats")["providers"][provider];
}

struct CallbackRecorder::Impl {
  httplib::Server server;
  int port = 0;
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<Call> calls;
};

CallbackRecorder::CallbackRecorder(int status) : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.server.set_tcp_nodelay(true);  // else each callback waits ~40 ms for a delayed ACK
  impl.server.Post(".*",
                   [&impl, status](const httplib::Request& request, httplib::Response& response) {
                     {
                       std::lock_guard lock(impl.mutex);
                       impl.calls.push_back({request.path, request.body});
                     }
                     response.status = status;
                     response.set_content("{}", "application/json");
                   });
  impl.port = impl.server.bind_to_any_port("127.0.0.1");
  if (impl.port <= 0) throw std::runtime_error("callback recorder: cannot listen on 127.0.0.1");
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  if (!WaitUntil([&impl] { return impl.server.is_running(); })) {
    impl.server.stop();
    impl.thread.join();
    throw std::runtime_error("callback recorder: the server did not start");
  }
}

CallbackRecorder::~CallbackRecorder() {
  impl_->server.stop();
  impl_->thread.join();
}

std::string CallbackRecorder::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + path;
}

std::vector<CallbackRecorder::Call> CallbackRecorder::Calls() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->calls;
}

}  // namespace gridcare::testing
