#pragma once

// A small JSON-over-HTTP server for a service's web page: binds host:port (port 0 picks a free
// one), serves on its own threads, answers the routes its owner registers and the page's embedded
// files, and stops. Routing is done here, not by the HTTP library, so Handle() answers a request
// in process exactly as the network path does (unit tests use it; httplib stays in the .cpp).
//
//   web::JsonHttpServer server({.name = "department desk"}, web::LookupIn(FindDeskAsset));
//   server.Get(R"(/api/cases/([^/]+))", [&](const web::HttpRequest& r) {
//     auto found = desk.Get(r.path_params[0]);
//     return found ? web::HttpReply::Json(*found) : web::HttpReply::Error(found.error());
//   });
//   auto started = server.Start("127.0.0.1:8090");
//
// What it answers besides the routes: a path matching a route of another method → 405 with an
// Allow header; any other /api/... path → 404; other GET/HEAD paths → the asset (Cache-Control
// no-cache) or 404 "not found"; a handler that throws → 500. Every answer carries
// X-Content-Type-Options nosniff, a Content-Security-Policy allowing only this origin and
// Referrer-Policy no-referrer. Errors are JSON (web::ErrorJson). Sockets: TCP_NODELAY, and a
// listen backlog of SOMAXCONN (httplib's own is 5, too few for a burst of connecting clients).

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/web/json_http.h"
#include "gridcare/web/static_asset.h"

namespace gridcare::web {

/// One request as a route handler sees it.
struct HttpRequest {
  std::string method;                             ///< "GET", "POST", … (HEAD is routed as GET)
  std::string path;                               ///< decoded, without the query string
  std::vector<std::string> path_params;           ///< the route pattern's capture groups, in order
  std::multimap<std::string, std::string> query;  ///< decoded query parameters
  std::string body;
  std::multimap<std::string, std::string> headers;  ///< request headers as sent

  /// The first value of header `name` (ASCII case-insensitive), "" when absent.
  std::string Header(std::string_view name) const;

  /// The first value of query parameter `name`, "" when absent.
  std::string Query(std::string_view name) const;
  /// Every value of `name`, in order; values with commas are split ("a,b" → a, b); empty parts
  /// are dropped.
  std::vector<std::string> QueryList(std::string_view name) const;
  /// Parses the body into `message` (ParseJsonInto); INVALID_ARGUMENT naming what is wrong.
  core::Status ParseBody(google::protobuf::Message* message) const {
    return ParseJsonInto(body, message);
  }
};

/// One answer.
struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  /// 200 with MessageToJson(message), Cache-Control no-store.
  static HttpReply Json(const google::protobuf::Message& message);
  /// `status` with a JSON text the caller built, Cache-Control no-store.
  static HttpReply JsonText(std::string json, int status = 200);
  /// HttpStatusFor(error.kind) with ErrorJson(error).
  static HttpReply Error(const core::Error& error);
  /// The header's value, "" when absent (tests).
  std::string Header(std::string_view name) const;
};

using RouteHandler = std::function<HttpReply(const HttpRequest&)>;

struct HttpServerOptions {
  std::string name = "web page";  ///< in logs and errors: "web console", "department desk"
  /// Threads answering requests. A connection holds its thread for as long as it is kept alive
  /// (and a handler that waits holds it too), so this is also the number of clients served at
  /// once: further connections wait in a queue until one closes. Size it to the concurrent
  /// keep-alive clients expected (a load generator with 64 connections needs at least 64).
  std::size_t worker_threads = 4;
  std::size_t max_body_bytes = std::size_t{64} * 1024;
  /// Requests answered on one connection before the server closes it (the client reconnects).
  /// Browsers need few; a program sending thousands of requests per connection wants many.
  std::size_t keep_alive_max_requests = 20;
  /// How long an idle kept-alive connection (and its worker thread) waits for the next request;
  /// Stop() may wait this long for idle connections to close.
  std::chrono::seconds keep_alive_timeout{2};
};

class JsonHttpServer {
 public:
  /// `assets` may be null (an API without a page).
  explicit JsonHttpServer(HttpServerOptions options, AssetLookup assets = nullptr);
  /// Stops the server if it is running.
  ~JsonHttpServer();
  JsonHttpServer(const JsonHttpServer&) = delete;
  JsonHttpServer& operator=(const JsonHttpServer&) = delete;

  /// Registers a route: `pattern` is an ECMAScript regular expression matched against the whole
  /// decoded path; its groups become HttpRequest::path_params. Routes are tried in the order they
  /// were added. Only before Start() (not thread-safe).
  void Get(std::string pattern, RouteHandler handler);
  void Post(std::string pattern, RouteHandler handler);
  void Put(std::string pattern, RouteHandler handler);
  void Delete(std::string pattern, RouteHandler handler);

  /// Answers `request` as the server would (routing, assets, 404/405, exceptions → 500); fills
  /// path_params. Thread-safe once the routes are registered.
  HttpReply Handle(HttpRequest request) const;

  /// Binds `listen_address` ("host:port", "[v6]:port"; port 0 picks a free one, see port()) and
  /// serves on a thread of its own. INVALID_ARGUMENT for a malformed address, UNAVAILABLE when
  /// it cannot be bound (port taken, host not local). May be called once.
  core::Status Start(const std::string& listen_address);
  /// Stops accepting, finishes requests in flight and joins the thread. Idempotent.
  void Stop();
  /// The bound port once started (the real one when 0 was asked for), else 0.
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gridcare::web
