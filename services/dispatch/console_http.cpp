#include "console_http.h"

#include <string_view>

namespace gridcare::dispatch {
namespace {

using web::HttpReply;
using web::HttpRequest;

/// Echoes of request values in error messages are cut to this many bytes.
constexpr std::size_t kEchoMax = 80;

std::string Echo(std::string_view value) {
  if (value.size() <= kEchoMax) return std::string(value);
  return std::string(value.substr(0, kEchoMax)) + "…";
}

/// Parses the body as `Request`, runs `action` on it and answers `Response` holding the work order
/// it returns. A body that does not parse is 400; the action's errors map by HttpStatusFor.
template <typename Request, typename Response, typename Action>
HttpReply WorkOrderAction(const HttpRequest& request, Action action) {
  Request body;
  if (auto parsed = request.ParseBody(&body); !parsed) return HttpReply::Error(parsed.error());
  core::Result<v1::WorkOrder> order = action(body);
  if (!order) return HttpReply::Error(order.error());
  Response reply;
  *reply.mutable_work_order() = std::move(*order);
  return HttpReply::Json(reply);
}

}  // namespace

core::Result<v1::ListWorkOrdersRequest> WorkOrdersQuery(const HttpRequest& request) {
  v1::ListWorkOrdersRequest query;
  const std::string work = request.Query("work");
  if (work == "repair") {
    query.set_work(v1::ListWorkOrdersRequest::WORK_REPAIR);
  } else if (work == "appointment") {
    query.set_work(v1::ListWorkOrdersRequest::WORK_APPOINTMENT);
  } else if (!work.empty() && work != "all") {
    return core::InvalidArgument("work must be repair, appointment or all, got '" + Echo(work) +
                                 "'");
  }
  return query;
}

ConsoleHttpServer::ConsoleHttpServer(DispatchConsole& dispatcher, const core::Clock& clock,
                                     AssetLookup assets)
    : dispatcher_(dispatcher), clock_(clock), server_({.name = "web console"}, std::move(assets)) {
  Routes();
  ActionRoutes();
}

void ConsoleHttpServer::Routes() {
  server_.Get("/api/v1/incidents", [this](const HttpRequest& request) {
    v1::ListOpenIncidentsRequest query;
    query.set_feeder_id(request.Query("feeder_id"));
    query.set_overdue_only(request.Query("overdue_only") == "true");
    v1::ListOpenIncidentsResponse body;
    for (auto& incident : dispatcher_.OpenIncidents(query))
      *body.add_incidents() = std::move(incident);
    return HttpReply::Json(body);
  });
  server_.Get("/api/v1/work-orders", [this](const HttpRequest& request) {
    auto query = WorkOrdersQuery(request);
    if (!query) return HttpReply::Error(query.error());
    v1::ListWorkOrdersResponse body;
    for (auto& order : dispatcher_.WorkOrders(*query)) *body.add_work_orders() = std::move(order);
    return HttpReply::Json(body);
  });
  server_.Get("/api/v1/crews", [this](const HttpRequest&) {
    v1::ListCrewsForConsoleResponse body;
    for (auto& crew : dispatcher_.Crews()) *body.add_crews() = std::move(crew);
    return HttpReply::Json(body);
  });
  server_.Get("/api/v1/now", [this](const HttpRequest&) {
    return HttpReply::JsonText("{\"now\":\"" + core::FormatRfc3339(clock_.Now()) + "\"}\n");
  });
}

void ConsoleHttpServer::ActionRoutes() {
  server_.Post("/api/v1/work-orders/assign", [this](const HttpRequest& request) {
    return WorkOrderAction<v1::AssignWorkOrderRequest, v1::AssignWorkOrderResponse>(
        request, [this](const auto& body) { return dispatcher_.AssignByHand(body); });
  });
  server_.Post("/api/v1/work-orders/move-appointment", [this](const HttpRequest& request) {
    return WorkOrderAction<v1::MoveAppointmentRequest, v1::MoveAppointmentResponse>(
        request, [this](const auto& body) { return dispatcher_.MoveAppointment(body); });
  });
  server_.Post("/api/v1/applications/document-check", [this](const HttpRequest& request) {
    return WorkOrderAction<v1::RecordDocumentCheckRequest, v1::RecordDocumentCheckResponse>(
        request, [this](const auto& body) { return dispatcher_.RecordDocumentCheck(body); });
  });
  server_.Post("/api/v1/planned-outages", [this](const HttpRequest& request) {
    v1::RegisterPlannedOutageRequest body;
    if (auto parsed = request.ParseBody(&body); !parsed) return HttpReply::Error(parsed.error());
    auto outage = dispatcher_.RegisterPlannedOutage(body.planned_outage());
    if (!outage) return HttpReply::Error(outage.error());
    v1::RegisterPlannedOutageResponse reply;
    *reply.mutable_planned_outage() = std::move(*outage);
    return HttpReply::Json(reply);
  });
}

}  // namespace gridcare::dispatch
