#include "console_http.h"

namespace gridcare::dispatch {

using web::HttpReply;
using web::HttpRequest;

ConsoleHttpServer::ConsoleHttpServer(DispatchConsole& dispatcher, const core::Clock& clock,
                                     AssetLookup assets)
    : dispatcher_(dispatcher), clock_(clock), server_({.name = "web console"}, std::move(assets)) {
  Routes();
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
  server_.Get("/api/v1/work-orders", [this](const HttpRequest&) {
    v1::ListWorkOrdersResponse body;
    for (auto& order : dispatcher_.WorkOrders({})) *body.add_work_orders() = std::move(order);
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
  server_.Post("/api/v1/work-orders/assign", [this](const HttpRequest& request) {
    v1::AssignWorkOrderRequest body;
    if (auto parsed = request.ParseBody(&body); !parsed) return HttpReply::Error(parsed.error());
    auto order = dispatcher_.AssignByHand(body);
    if (!order) return HttpReply::Error(order.error());
    v1::AssignWorkOrderResponse reply;
    *reply.mutable_work_order() = std::move(*order);
    return HttpReply::Json(reply);
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
