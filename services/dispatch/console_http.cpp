#include "console_http.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include "gridcare/core/host_port.h"
#include "gridcare/logging/log.h"

namespace gridcare::dispatch {
namespace {

constexpr auto kSocketTimeout = std::chrono::seconds(10);
constexpr size_t kMaxBody = size_t{64} * 1024;
constexpr size_t kWorkerThreads = 4;

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void SendError(httplib::Response& response, core::ErrorKind kind, const std::string& message) {
  response.status = HttpStatusFor(kind);
  response.set_content(std::string(R"({"error":{"code":")") + core::ErrorKindName(kind) +
                           R"(","message":")" + JsonEscape(message) + "\"}}\n",
                       "application/json; charset=utf-8");
}

void SendJson(httplib::Response& response, const google::protobuf::Message& message) {
  response.set_header("Cache-Control", "no-store");
  response.set_content(ToJson(message), "application/json; charset=utf-8");
}

template <typename Message>
bool ParseBody(const httplib::Request& request, httplib::Response& response, Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(request.body, message, options);
  if (!status.ok()) {
    SendError(response, core::ErrorKind::kInvalidArgument,
              "request body is not a valid " + message->GetTypeName() +
                  " in JSON: " + std::string(status.message()));
    return false;
  }
  return true;
}

}  // namespace

int HttpStatusFor(core::ErrorKind kind) {
  switch (kind) {
    case core::ErrorKind::kInvalidArgument:
      return 400;
    case core::ErrorKind::kNotFound:
      return 404;
    case core::ErrorKind::kAlreadyExists:
      return 409;
    case core::ErrorKind::kFailedPrecondition:
      return 412;
    case core::ErrorKind::kPermissionDenied:
      return 403;
    case core::ErrorKind::kResourceExhausted:
      return 429;
    case core::ErrorKind::kUnavailable:
    case core::ErrorKind::kDeadlineExceeded:
      return 503;
    case core::ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

ConsoleHttpServer::ConsoleHttpServer(Dispatcher& dispatcher, const core::Clock& clock,
                                     AssetLookup assets)
    : dispatcher_(dispatcher),
      clock_(clock),
      assets_(std::move(assets)),
      server_(std::make_unique<httplib::Server>()) {}

ConsoleHttpServer::~ConsoleHttpServer() { Stop(); }

void ConsoleHttpServer::Routes() {
  httplib::Server& server = *server_;
  server.set_default_headers(
      {{"X-Content-Type-Options", "nosniff"},
       {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'"},
       {"Referrer-Policy", "no-referrer"}});
  server.Get("/api/v1/incidents",
             [this](const httplib::Request& request, httplib::Response& response) {
               v1::ListOpenIncidentsRequest query;
               query.set_feeder_id(request.get_param_value("feeder_id"));
               query.set_overdue_only(request.get_param_value("overdue_only") == "true");
               v1::ListOpenIncidentsResponse body;
               for (auto& incident : dispatcher_.OpenIncidents(query))
                 *body.add_incidents() = std::move(incident);
               SendJson(response, body);
             });
  server.Get("/api/v1/work-orders", [this](const httplib::Request&, httplib::Response& response) {
    v1::ListWorkOrdersResponse body;
    for (auto& order : dispatcher_.WorkOrders({})) *body.add_work_orders() = std::move(order);
    SendJson(response, body);
  });
  server.Get("/api/v1/crews", [this](const httplib::Request&, httplib::Response& response) {
    v1::ListCrewsForConsoleResponse body;
    for (auto& crew : dispatcher_.Crews()) *body.add_crews() = std::move(crew);
    SendJson(response, body);
  });
  server.Get("/api/v1/now", [this](const httplib::Request&, httplib::Response& response) {
    response.set_header("Cache-Control", "no-store");
    response.set_content("{\"now\":\"" + core::FormatRfc3339(clock_.Now()) + "\"}\n",
                         "application/json; charset=utf-8");
  });
  server.Post("/api/v1/work-orders/assign",
              [this](const httplib::Request& request, httplib::Response& response) {
                v1::AssignWorkOrderRequest body;
                if (!ParseBody(request, response, &body)) return;
                auto order = dispatcher_.AssignByHand(body);
                if (!order) return SendError(response, order.error().kind, order.error().message);
                v1::AssignWorkOrderResponse reply;
                *reply.mutable_work_order() = std::move(*order);
                SendJson(response, reply);
              });
  server.Post("/api/v1/planned-outages",
              [this](const httplib::Request& request, httplib::Response& response) {
                v1::RegisterPlannedOutageRequest body;
                if (!ParseBody(request, response, &body)) return;
                auto outage = dispatcher_.RegisterPlannedOutage(body.planned_outage());
                if (!outage)
                  return SendError(response, outage.error().kind, outage.error().message);
                v1::RegisterPlannedOutageResponse reply;
                *reply.mutable_planned_outage() = std::move(*outage);
                SendJson(response, reply);
              });
  server.Get(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
    if (request.path.starts_with("/api/")) {
      return SendError(response, core::ErrorKind::kNotFound, "no API route " + request.path);
    }
    const auto asset = assets_ ? assets_(request.path) : std::nullopt;
    if (!asset) {
      response.status = 404;
      response.set_content("not found\n", "text/plain; charset=utf-8");
      return;
    }
    response.set_header("Cache-Control", "no-cache");
    response.set_content(std::string(asset->body), std::string(asset->content_type));
  });
}

core::Status ConsoleHttpServer::Start(const std::string& listen_address) {
  auto address = core::ParseHostPort(listen_address);
  if (!address) {
    return core::InvalidArgument("console listen address \"" + listen_address + "\" " +
                                 address.error().message + "; expected host:port");
  }
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_socket_options([](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->set_read_timeout(kSocketTimeout);
  server_->set_write_timeout(kSocketTimeout);
  server_->set_payload_max_length(kMaxBody);
  server_->set_keep_alive_max_count(20);
  server_->set_keep_alive_timeout(2);
  Routes();
  int bound = address->port;
  if (address->port == 0) {
    bound = server_->bind_to_any_port(address->host);
  } else if (!server_->bind_to_port(address->host, address->port)) {
    bound = -1;
  }
  if (bound <= 0) {
    return core::Unavailable("cannot listen on " + listen_address +
                             " for the web console: the port is taken or the host is not an "
                             "address of this machine");
  }
  port_ = bound;
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listener_done_ = true;
  });
  running_ = true;
  logging::Info("web console listening",
                {{"address", address->host + ":" + std::to_string(bound)}});
  return {};
}

void ConsoleHttpServer::Stop() {
  if (!running_) return;
  while (!listener_done_) {
    server_->stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  thread_.join();
  running_ = false;
}

}  // namespace gridcare::dispatch
