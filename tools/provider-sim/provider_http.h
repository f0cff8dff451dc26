#pragma once

// The simulator's HTTP edge on a web::JsonHttpServer: the provider API
// (POST /providers/<name>/v1/messages), the control API (/control/...) and /healthz, /readyz, as
// README.md defines them. Decisions are the Simulator's; this class maps them to answers and
// waits out injected latency.
//
// Thread-safe: requests are answered on the server's worker threads. Lifetime: the Simulator must
// outlive this object; Stop() (or the destructor) ends latency waits early and stops the server.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/web/http_server.h"
#include "simulator.h"

namespace gridcare::provider_sim {

struct HttpSettings {
  /// Concurrent connections served (each kept-alive connection holds a thread).
  std::size_t worker_threads = 128;
  /// Requests answered on one connection before it is closed.
  std::size_t keep_alive_max_requests = 100'000;
  /// Idle kept-alive connections are closed after this; it also bounds how long Stop() waits
  /// for them.
  std::chrono::seconds keep_alive_timeout{2};
  std::size_t max_body_bytes = std::size_t{64} * 1024;
};

/// Most messages one GET /control/messages returns, and how many when `limit` is not given.
inline constexpr std::size_t kMaxMessagesPerPage = 10'000;
inline constexpr std::size_t kDefaultMessagesPerPage = 1'000;

class ProviderHttp {
 public:
  ProviderHttp(Simulator& simulator, HttpSettings settings);
  ~ProviderHttp();
  ProviderHttp(const ProviderHttp&) = delete;
  ProviderHttp& operator=(const ProviderHttp&) = delete;

  /// Binds "host:port" (port 0: any free port, see port()) and serves.
  core::Status Start(const std::string& listen_address);
  /// Wakes requests waiting out latency, then stops the server (finishing requests in flight).
  void Stop();
  int port() const { return server_.port(); }

  /// Answers `request` in process exactly as over the network (tests). Latency is waited here
  /// too.
  web::HttpReply Handle(web::HttpRequest request) const {
    return server_.Handle(std::move(request));
  }

 private:
  void AddRoutes();
  web::HttpReply PostMessage(const web::HttpRequest& request) const;
  web::HttpReply PutFaults(const web::HttpRequest& request) const;
  web::HttpReply GetFaults(const web::HttpRequest& request) const;
  web::HttpReply PostReply(const web::HttpRequest& request) const;
  web::HttpReply GetMessages(const web::HttpRequest& request) const;
  web::HttpReply DeleteMessages() const;
  web::HttpReply GetStats() const;
  web::HttpReply DeleteStats() const;
  /// Waits `latency`, or less when Stop() comes first.
  void Wait(std::chrono::milliseconds latency) const;

  Simulator& simulator_;
  mutable std::mutex wait_mutex_;
  mutable std::condition_variable wait_cv_;
  bool stopping_ = false;       // guarded by wait_mutex_
  web::JsonHttpServer server_;  // last: stops (in its destructor) before the members above go
};

}  // namespace gridcare::provider_sim
