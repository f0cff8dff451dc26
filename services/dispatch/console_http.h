#pragma once

// The web console's HTTP side: the page's static files and a small JSON API over the Dispatcher
// (the same read models and actions as DispatchConsoleService). Protobuf JSON with snake_case
// names and every primitive field printed. services/dispatch/console/README.md describes the page.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "dispatcher.h"
#include "gridcare/core/error.h"

namespace httplib {
class Server;
}

namespace gridcare::dispatch {

struct StaticAsset {
  std::string_view content_type;
  std::string_view body;
};
/// The page's files by URL path ("/" is the page itself); nullopt for unknown paths.
using AssetLookup = std::function<std::optional<StaticAsset>(std::string_view path)>;

/// HTTP status for an error kind (400, 404, 409, 412, 503 …).
int HttpStatusFor(core::ErrorKind kind);

class ConsoleHttpServer {
 public:
  ConsoleHttpServer(Dispatcher& dispatcher, const core::Clock& clock, AssetLookup assets);
  ~ConsoleHttpServer();
  ConsoleHttpServer(const ConsoleHttpServer&) = delete;
  ConsoleHttpServer& operator=(const ConsoleHttpServer&) = delete;

  /// Binds `listen_address` (host:port; port 0 picks a free one) and serves on a thread.
  /// UNAVAILABLE when the port is taken.
  core::Status Start(const std::string& listen_address);
  void Stop();
  int port() const { return port_.load(); }

 private:
  void Routes();

  Dispatcher& dispatcher_;
  const core::Clock& clock_;
  AssetLookup assets_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<int> port_{0};
  std::atomic<bool> listener_done_{false};
  bool running_ = false;
};

}  // namespace gridcare::dispatch
