#pragma once

// The web console's HTTP side: the page's static files and a small JSON API over the Dispatcher
// (the same read models and actions as DispatchConsoleService), on a web::JsonHttpServer.
// Protobuf JSON with snake_case names and every primitive field printed.
// services/dispatch/console/README.md describes the page and every route.
//
//   GET  /api/v1/incidents[?feeder_id=&overdue_only=true]      ListOpenIncidentsResponse
//   GET  /api/v1/work-orders[?work=repair|appointment|all]     ListWorkOrdersResponse
//   GET  /api/v1/crews                                          ListCrewsForConsoleResponse
//   GET  /api/v1/now                                            {"now": "<RFC 3339>"}
//   POST /api/v1/work-orders/assign            AssignWorkOrderRequest → AssignWorkOrderResponse
//   POST /api/v1/work-orders/move-appointment  MoveAppointmentRequest → MoveAppointmentResponse
//   POST /api/v1/applications/document-check   RecordDocumentCheckRequest → …Response
//   POST /api/v1/planned-outages               RegisterPlannedOutageRequest → …Response
//
// The actions' errors map by web::HttpStatusFor (400 / 404 / 412 / 503 …); a body that does not
// parse is 400 naming the field.

#include <string>
#include <utility>

#include "dispatch_console.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/web/http_server.h"
#include "gridcare/web/static_asset.h"

namespace gridcare::dispatch {

using web::AssetLookup;
using web::HttpStatusFor;
using web::StaticAsset;

/// The work-order list's query: `work` = repair, appointment or all (absent or empty: all).
/// INVALID_ARGUMENT for another value.
core::Result<v1::ListWorkOrdersRequest> WorkOrdersQuery(const web::HttpRequest& request);

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

  /// Answers a request in process, as over HTTP (tests).
  web::HttpReply Handle(web::HttpRequest request) const {
    return server_.Handle(std::move(request));
  }

 private:
  void Routes();        // the reads
  void ActionRoutes();  // the POSTs

  DispatchConsole& dispatcher_;
  const core::Clock& clock_;
  web::JsonHttpServer server_;  // last: stops (in its destructor) before the members above go
};

}  // namespace gridcare::dispatch
