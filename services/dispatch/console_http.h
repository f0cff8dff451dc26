#pragma once

// The web console's HTTP side: the page's static files and a small JSON API over the Dispatcher
// (the same read models and actions as DispatchConsoleService), on a web::JsonHttpServer.
// Protobuf JSON with snake_case names and every primitive field printed.
// services/dispatch/console/README.md describes the page.

#include <string>

#include "dispatch_console.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/web/http_server.h"
#include "gridcare/web/static_asset.h"

namespace gridcare::dispatch {

using web::AssetLookup;
using web::HttpStatusFor;
using web::StaticAsset;

class ConsoleHttpServer {
 public:
  ConsoleHttpServer(DispatchConsole& dispatcher, const core::Clock& clock, AssetLookup assets);
  ConsoleHttpServer(const ConsoleHttpServer&) = delete;
  ConsoleHttpServer& operator=(const ConsoleHttpServer&) = delete;

  /// Binds `listen_address` (host:port; port 0 picks a free one) and serves on a thread.
  /// UNAVAILABLE when the port is taken.
  core::Status Start(const std::string& listen_address) { return server_.Start(listen_address); }
  void Stop() { server_.Stop(); }
  int port() const { return server_.port(); }

 private:
  void Routes();

  DispatchConsole& dispatcher_;
  const core::Clock& clock_;
  web::JsonHttpServer server_;  // last: stops (in its destructor) before the members above go
};

}  // namespace gridcare::dispatch
