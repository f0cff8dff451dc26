#include "gridcare/metrics/metrics_server.h"

#include <httplib.h>
#include <prometheus/text_serializer.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "gridcare/core/host_port.h"
#include "gridcare/metrics/process_metrics.h"

namespace gridcare::metrics {
namespace {

// Scrapes, liveness and readiness probes may arrive together; more is waste for three cheap routes.
constexpr size_t kWorkerThreads = 3;
constexpr auto kSocketTimeout = std::chrono::seconds(5);
constexpr char kMetricsContentType[] = "text/plain; version=0.0.4; charset=utf-8";

struct HostPort {
  std::string host;
  int port = 0;
};

core::Result<HostPort> ParseListenAddress(const std::string& address) {
  auto parsed = core::ParseHostPort(address);
  if (!parsed) {
    return core::InvalidArgument("metrics listen address \"" + address + "\" " +
                                 parsed.error().message +
                                 "; expected host:port such as 0.0.0.0:9464 or [::1]:9464");
  }
  return HostPort{std::move(parsed->host), parsed->port};
}

// httplib's default socket options set SO_REUSEPORT, which lets a second process bind a port that
// is already listening and silently split the scrapes between them. SO_REUSEADDR alone still
// allows a quick restart over TIME_WAIT sockets but makes a real clash fail.
void ExclusiveSocketOptions(socket_t socket) {
  int yes = 1;
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';  // names are ours and never contain control characters; keep the JSON valid
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

}  // namespace

struct MetricsServer::Impl {
  enum class State { kNew, kRunning, kStopped };

  std::string listen_address;
  std::shared_ptr<prometheus::Registry> registry;
  ProcessCollector process;
  httplib::Server server;
  std::thread thread;
  std::atomic<int> port{0};
  std::atomic<bool> listener_done{false};

  std::mutex lifecycle_mutex;  // serialises Start and Stop
  State state = State::kNew;

  std::mutex checks_mutex;
  std::vector<std::pair<std::string, std::function<bool()>>> checks;

  void ServeMetrics(httplib::Response& response) {
    auto families = registry ? registry->Collect() : std::vector<prometheus::MetricFamily>{};
    auto process_families = process.Collect();
    families.insert(families.end(), std::make_move_iterator(process_families.begin()),
                    std::make_move_iterator(process_families.end()));
    AppendReadiness(families);
    response.set_content(prometheus::TextSerializer().Serialize(families), kMetricsContentType);
  }

  /// The readiness checks' verdicts: (name, passed), in the order they were added.
  std::vector<std::pair<std::string, bool>> EvaluateChecks() {
    // Copied so a slow check never blocks AddReadinessCheck or a concurrent probe.
    std::vector<std::pair<std::string, std::function<bool()>>> snapshot;
    {
      std::lock_guard lock(checks_mutex);
      snapshot = checks;
    }
    std::vector<std::pair<std::string, bool>> verdicts;
    for (const auto& [name, check] : snapshot) {
      bool ok = false;
      try {
        ok = check();
      } catch (...) {
        ok = false;
      }
      verdicts.emplace_back(name, ok);
    }
    return verdicts;
  }

  /// gridcare_ready (what /readyz answers, as 1 or 0) and gridcare_ready_check{check}, so alerts
  /// and dashboards see readiness without probing.
  void AppendReadiness(std::vector<prometheus::MetricFamily>& families) {
    const auto verdicts = EvaluateChecks();
    prometheus::MetricFamily ready{"gridcare_ready",
                                   "1 when every readiness check passes (/readyz answers 200)",
                                   prometheus::MetricType::Gauge,
                                   {}};
    prometheus::MetricFamily per_check{"gridcare_ready_check",
                                       "1 when the named readiness check passes (see /readyz)",
                                       prometheus::MetricType::Gauge,
                                       {}};
    bool all = true;
    for (const auto& [name, ok] : verdicts) {
      all = all && ok;
      prometheus::ClientMetric metric;
      metric.label.push_back({"check", name});
      metric.gauge.value = ok ? 1 : 0;
      per_check.metric.push_back(std::move(metric));
    }
    prometheus::ClientMetric overall;
    overall.gauge.value = all ? 1 : 0;
    ready.metric.push_back(std::move(overall));
    families.push_back(std::move(ready));
    if (!per_check.metric.empty()) families.push_back(std::move(per_check));
  }

  void ServeReadiness(httplib::Response& response) {
    std::vector<std::string> failing;
    for (const auto& [name, ok] : EvaluateChecks()) {
      if (!ok) failing.push_back(name);
    }
    std::string body =
        failing.empty() ? R"({"ready":true,"failing":[)" : R"({"ready":false,"failing":[)";
    for (size_t i = 0; i < failing.size(); ++i) {
      if (i > 0) body += ',';
      body += JsonString(failing[i]);
    }
    body += "]}\n";
    response.status = failing.empty() ? 200 : 503;
    response.set_content(body, "application/json");
  }
};

MetricsServer::MetricsServer(std::string listen_address,
                             std::shared_ptr<prometheus::Registry> registry)
    : impl_(std::make_unique<Impl>()) {
  impl_->listen_address = std::move(listen_address);
  impl_->registry = std::move(registry);
}

MetricsServer::~MetricsServer() { Stop(); }

core::Status MetricsServer::Start() {
  Impl& impl = *impl_;
  std::lock_guard lock(impl.lifecycle_mutex);
  if (impl.state != Impl::State::kNew) {
    return core::FailedPrecondition("MetricsServer::Start may be called only once");
  }
  auto address = ParseListenAddress(impl.listen_address);
  if (!address) return address.error();

  httplib::Server& server = impl.server;
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server.set_socket_options(ExclusiveSocketOptions);
  server.set_read_timeout(kSocketTimeout);
  server.set_write_timeout(kSocketTimeout);
  // One request per connection: scrapes come every few seconds at most, and an idle keep-alive
  // connection would hold a worker and delay Stop() by the keep-alive timeout.
  server.set_keep_alive_max_count(1);
  server.Get("/metrics", [&impl](const httplib::Request&, httplib::Response& response) {
    impl.ServeMetrics(response);
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  server.Get("/readyz", [&impl](const httplib::Request&, httplib::Response& response) {
    impl.ServeReadiness(response);
  });

  errno = 0;
  int bound = address->port;
  if (address->port == 0) {
    bound = server.bind_to_any_port(address->host);
  } else if (!server.bind_to_port(address->host, address->port)) {
    bound = -1;
  }
  if (bound <= 0) {
    const int bind_errno = errno;
    std::string message = "cannot listen on " + impl.listen_address + " for /metrics";
    if (bind_errno != 0) message += std::string(" (") + std::strerror(bind_errno) + ")";
    message +=
        ": the port is taken or the host is not an address of this machine; "
        "pick another metrics address";
    impl.state = Impl::State::kStopped;
    return core::Unavailable(std::move(message));
  }
  impl.port = bound;
  impl.thread = std::thread([&impl] {
    impl.server.listen_after_bind();
    impl.listener_done = true;
  });
  impl.state = Impl::State::kRunning;
  return core::Status::Ok();
}

int MetricsServer::port() const { return impl_->port.load(); }

void MetricsServer::AddReadinessCheck(std::string name, std::function<bool()> check) {
  std::lock_guard lock(impl_->checks_mutex);
  impl_->checks.emplace_back(std::move(name), std::move(check));
}

void MetricsServer::Stop() {
  Impl& impl = *impl_;
  std::lock_guard lock(impl.lifecycle_mutex);
  if (impl.state == Impl::State::kRunning) {
    // httplib's stop() does nothing until the accept loop has started, so a Stop() right after
    // Start() could be lost; repeat it until the listener thread has actually returned.
    while (!impl.listener_done) {
      impl.server.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    impl.thread.join();
  }
  impl.state = Impl::State::kStopped;
}

}  // namespace gridcare::metrics
