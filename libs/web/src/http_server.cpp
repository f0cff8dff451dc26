#include "gridcare/web/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "gridcare/core/host_port.h"
#include "gridcare/logging/log.h"

namespace gridcare::web {
namespace {

constexpr auto kSocketTimeout = std::chrono::seconds(10);
constexpr std::string_view kJsonType = "application/json; charset=utf-8";

std::string ErrorBody(std::string_view code, const std::string& message) {
  const nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

struct Route {
  std::string method;
  std::string pattern;
  std::regex regex;
  RouteHandler handler;
};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoringCase(key, name)) return value;
  }
  return {};
}

std::string HttpRequest::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? std::string() : it->second;
}

std::vector<std::string> HttpRequest::QueryList(std::string_view name) const {
  std::vector<std::string> out;
  auto [begin, end] = query.equal_range(std::string(name));
  for (auto it = begin; it != end; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view part = rest.substr(0, comma);
      if (!part.empty()) out.emplace_back(part);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

HttpReply HttpReply::Json(const google::protobuf::Message& message) {
  return JsonText(MessageToJson(message));
}

HttpReply HttpReply::JsonText(std::string json, int status) {
  return {status, std::string(kJsonType), std::move(json), {{"Cache-Control", "no-store"}}};
}

HttpReply HttpReply::Error(const core::Error& error) {
  return {HttpStatusFor(error.kind),
          std::string(kJsonType),
          ErrorJson(error),
          {{"Cache-Control", "no-store"}}};
}

std::string HttpReply::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoringCase(key, name)) return value;
  }
  return {};
}

struct JsonHttpServer::Impl {
  enum class State { kNew, kRunning, kStopped };

  HttpServerOptions options;
  AssetLookup assets;
  std::vector<Route> routes;
  httplib::Server server;
  std::thread thread;
  std::atomic<int> port{0};
  std::atomic<bool> listener_done{false};
  socket_t listen_socket = -1;  // set while binding, in Start
  std::mutex lifecycle_mutex;   // serialises Start and Stop
  State state = State::kNew;

  HttpReply Asset(const HttpRequest& request) const {
    const auto asset = assets ? assets(request.path) : std::nullopt;
    if (!asset) return {404, "text/plain; charset=utf-8", "not found\n", {}};
    return {200,
            std::string(asset->content_type),
            std::string(asset->body),
            {{"Cache-Control", "no-cache"}}};
  }

  void Serve(const httplib::Request& in, httplib::Response& out, const JsonHttpServer& self) {
    HttpRequest request{.method = in.method,
                        .path = in.path,
                        .query = {in.params.begin(), in.params.end()},
                        .body = in.body,
                        .headers = {in.headers.begin(), in.headers.end()}};
    HttpReply reply = self.Handle(std::move(request));
    out.status = reply.status;
    for (const auto& [key, value] : reply.headers) out.set_header(key, value);
    out.set_content(reply.body, reply.content_type);
  }
};

JsonHttpServer::JsonHttpServer(HttpServerOptions options, AssetLookup assets)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->assets = std::move(assets);
}

JsonHttpServer::~JsonHttpServer() { Stop(); }

void JsonHttpServer::Get(std::string pattern, RouteHandler handler) {
  std::regex regex(pattern, std::regex::ECMAScript);
  impl_->routes.push_back({"GET", std::move(pattern), std::move(regex), std::move(handler)});
}

void JsonHttpServer::Post(std::string pattern, RouteHandler handler) {
  std::regex regex(pattern, std::regex::ECMAScript);
  impl_->routes.push_back({"POST", std::move(pattern), std::move(regex), std::move(handler)});
}

void JsonHttpServer::Put(std::string pattern, RouteHandler handler) {
  std::regex regex(pattern, std::regex::ECMAScript);
  impl_->routes.push_back({"PUT", std::move(pattern), std::move(regex), std::move(handler)});
}

void JsonHttpServer::Delete(std::string pattern, RouteHandler handler) {
  std::regex regex(pattern, std::regex::ECMAScript);
  impl_->routes.push_back({"DELETE", std::move(pattern), std::move(regex), std::move(handler)});
}

HttpReply JsonHttpServer::Handle(HttpRequest request) const {
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  std::string allowed;
  for (const Route& route : impl_->routes) {
    std::smatch match;
    if (!std::regex_match(request.path, match, route.regex)) continue;
    if (route.method != method) {
      if (allowed.find(route.method) == std::string::npos) {
        allowed += (allowed.empty() ? "" : ", ") + route.method;
      }
      continue;
    }
    request.path_params.assign(match.begin() + 1, match.end());
    try {
      return route.handler(request);
    } catch (const std::exception& e) {
      logging::Error(impl_->options.name + ": a request handler failed",
                     {{"route", route.pattern}, {"error", e.what()}});
      return HttpReply::Error(
          core::Internal("the " + impl_->options.name + " failed to answer " + request.path));
    }
  }
  if (!allowed.empty()) {
    HttpReply reply = HttpReply::JsonText(
        ErrorBody("METHOD_NOT_ALLOWED", request.method + " is not allowed on " + request.path +
                                            " (allowed: " + allowed + ")"),
        405);
    reply.headers.emplace_back("Allow", allowed);
    return reply;
  }
  if (request.path.starts_with("/api/") || method != "GET") {
    return HttpReply::Error(core::NotFound("no API route " + request.path));
  }
  return impl_->Asset(request);
}

core::Status JsonHttpServer::Start(const std::string& listen_address) {
  Impl& impl = *impl_;
  std::lock_guard lock(impl.lifecycle_mutex);
  const std::string& name = impl.options.name;
  if (impl.state != Impl::State::kNew) {
    return core::FailedPrecondition("the " + name + " server may be started only once");
  }
  auto address = core::ParseHostPort(listen_address);
  if (!address) {
    return core::InvalidArgument(name + " listen address \"" + listen_address + "\" " +
                                 address.error().message + "; expected host:port");
  }
  httplib::Server& server = impl.server;
  const std::size_t workers = impl.options.worker_threads;
  server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  // httplib's default socket options add SO_REUSEPORT, which would let a second process bind a
  // port already in use; SO_REUSEADDR alone still allows a quick restart.
  server.set_socket_options([&impl](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    impl.listen_socket = socket;
  });
  server.set_read_timeout(kSocketTimeout);
  server.set_write_timeout(kSocketTimeout);
  server.set_payload_max_length(impl.options.max_body_bytes);
  server.set_keep_alive_max_count(impl.options.keep_alive_max_requests);
  server.set_keep_alive_timeout(static_cast<time_t>(impl.options.keep_alive_timeout.count()));
  // An answer is written as headers then body; without TCP_NODELAY the body waits for the
  // client's delayed ACK of the headers on a kept-alive connection (measured: 40 ms per request,
  // 23 requests/s on one connection instead of ~15,000).
  server.set_tcp_nodelay(true);
  server.set_default_headers(
      {{"X-Content-Type-Options", "nosniff"},
       {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'"},
       {"Referrer-Policy", "no-referrer"}});
  const auto serve = [this](const httplib::Request& in, httplib::Response& out) {
    impl_->Serve(in, out, *this);
  };
  const std::string any = "/.*";
  server.Get(any, serve);
  server.Post(any, serve);
  server.Put(any, serve);
  server.Patch(any, serve);
  server.Delete(any, serve);
  server.Options(any, serve);

  int bound = address->port;
  if (address->port == 0) {
    bound = server.bind_to_any_port(address->host);
  } else if (!server.bind_to_port(address->host, address->port)) {
    bound = -1;
  }
  // httplib listens with a backlog of 5: a burst of clients connecting at once (a load test's
  // 64 connections) overflows it and some of them fail. Listening again raises it (Linux).
  if (bound > 0 && impl.listen_socket >= 0) ::listen(impl.listen_socket, SOMAXCONN);
  if (bound <= 0) {
    impl.state = Impl::State::kStopped;
    return core::Unavailable("cannot listen on " + listen_address + " for the " + name +
                             ": the port is taken or the host is not an address of this machine");
  }
  impl.port = bound;
  impl.thread = std::thread([&impl] {
    impl.server.listen_after_bind();
    impl.listener_done = true;
  });
  impl.state = Impl::State::kRunning;
  logging::Info(name + " listening", {{"address", address->host + ":" + std::to_string(bound)}});
  return core::Status::Ok();
}

void JsonHttpServer::Stop() {
  Impl& impl = *impl_;
  std::lock_guard lock(impl.lifecycle_mutex);
  if (impl.state != Impl::State::kRunning) return;
  // httplib's stop() does nothing until the accept loop has started, so a Stop() right after
  // Start() could be lost; repeat it until the listener thread has returned.
  while (!impl.listener_done) {
    impl.server.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl.thread.join();
  impl.state = Impl::State::kStopped;
}

int JsonHttpServer::port() const { return impl_->port.load(); }

}  // namespace gridcare::web
