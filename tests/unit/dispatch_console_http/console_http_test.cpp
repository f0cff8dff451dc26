// The console's JSON API route by route over a fake DispatchConsole: what each request becomes
// (the DispatchConsole call it makes), the JSON it answers, and every error's HTTP status.
#include "console_http.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"

namespace gridcare::dispatch {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// 2026-11-24T01:00:00Z, 09:00 Beijing.
const core::TimePoint kNow = core::FromUnixMillis(1795482000000);

google::protobuf::Timestamp At(core::TimePoint t) {
  google::protobuf::Timestamp out;
  const auto ms = core::ToUnixMillis(t);
  out.set_seconds(ms / 1000);
  out.set_nanos(static_cast<int32_t>(ms % 1000) * 1000000);
  return out;
}

v1::WorkOrder RepairOrder(const std::string& id) {
  v1::WorkOrder order;
  order.set_work_order_id(id);
  order.set_kind(v1::WORK_ORDER_KIND_REPAIR);
  order.set_state(v1::WORK_ORDER_STATE_QUEUED);
  order.set_incident_id("INC-T-" + id);
  return order;
}

/// A new connection's installation visit, booked a second time, its clocks stopped.
v1::WorkOrder AppointmentOrder(const std::string& id) {
  v1::WorkOrder order;
  order.set_work_order_id(id);
  order.set_kind(v1::WORK_ORDER_KIND_NEW_CONNECTION);
  order.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  order.set_ticket_id("GC-20261124-000021");
  order.set_crew_id("CREW-003-01");
  *order.mutable_appointment_start() = At(kNow + 24h);
  *order.mutable_appointment_end() = At(kNow + 26h);
  auto* app = order.mutable_application();
  app->set_ticket_id("GC-20261124-000021");
  app->set_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  app->set_stage(v1::APPLICATION_STAGE_SITE_SURVEYED);
  app->set_visit(v1::VISIT_KIND_INSTALLATION);
  app->set_booking_count(2);
  app->set_after_deadline(true);
  *app->mutable_preferred_start() = At(kNow + 20h);
  *app->mutable_preferred_end() = At(kNow + 30h);
  auto* stop = app->mutable_clock_stop();
  stop->set_reason("property certificate missing");
  auto* doc = stop->add_missing_documents();
  doc->set_zh_cn("房产证");
  doc->set_en("property certificate");
  return order;
}

/// Records what the server asks and answers with canned work orders, or `fail` when set.
class FakeConsole final : public DispatchConsole {
 public:
  std::vector<v1::Incident> OpenIncidents(const v1::ListOpenIncidentsRequest&) const override {
    return {};
  }
  std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const override {
    list_requests.push_back(request);
    std::vector<v1::WorkOrder> out;
    for (const auto& order : orders) {
      const bool appointment = order.has_application();
      if (request.work() == v1::ListWorkOrdersRequest::WORK_REPAIR && appointment) continue;
      if (request.work() == v1::ListWorkOrdersRequest::WORK_APPOINTMENT && !appointment) continue;
      out.push_back(order);
    }
    return out;
  }
  std::vector<v1::CrewStatusView> Crews() const override { return {}; }
  std::optional<v1::Incident> Incident(std::string_view) const override { return std::nullopt; }
  core::Result<v1::WorkOrder> AssignByHand(const v1::AssignWorkOrderRequest& request) override {
    assigns.push_back(request);
    if (fail) return *fail;
    auto order = RepairOrder(request.work_order_id());
    order.set_crew_id(request.crew_id());
    return order;
  }
  core::Result<v1::PlannedOutage> RegisterPlannedOutage(v1::PlannedOutage outage) override {
    return outage;
  }
  core::Result<v1::WorkOrder> MoveAppointment(const v1::MoveAppointmentRequest& request) override {
    moves.push_back(request);
    if (fail) return *fail;
    auto order = AppointmentOrder(request.work_order_id());
    *order.mutable_appointment_start() = request.start();
    if (!request.crew_id().empty()) order.set_crew_id(request.crew_id());
    order.mutable_application()->set_booking_count(3);
    return order;
  }
  core::Result<v1::WorkOrder> RecordDocumentCheck(
      const v1::RecordDocumentCheckRequest& request) override {
    checks.push_back(request);
    if (fail) return *fail;
    auto order = AppointmentOrder("WO-A-" + request.ticket_id() + "-1");
    if (request.complete()) order.mutable_application()->clear_clock_stop();
    return order;
  }

  std::vector<v1::WorkOrder> orders;
  std::optional<core::Error> fail;
  mutable std::vector<v1::ListWorkOrdersRequest> list_requests;
  std::vector<v1::AssignWorkOrderRequest> assigns;
  std::vector<v1::MoveAppointmentRequest> moves;
  std::vector<v1::RecordDocumentCheckRequest> checks;
};

struct Harness {
  FakeConsole console;
  core::FakeClock clock{kNow};
  ConsoleHttpServer server{console, clock, nullptr};

  web::HttpReply Get(const std::string& path, std::multimap<std::string, std::string> query = {}) {
    web::HttpRequest request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    return server.Handle(std::move(request));
  }
  web::HttpReply Post(const std::string& path, const json& body) {
    return PostText(path, body.dump());
  }
  web::HttpReply PostText(const std::string& path, std::string body) {
    web::HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.body = std::move(body);
    return server.Handle(std::move(request));
  }
};

std::vector<std::string> Ids(const web::HttpReply& reply) {
  std::vector<std::string> out;
  const json body = json::parse(reply.body);
  for (const auto& order : body["work_orders"]) {
    out.push_back(order["work_order_id"].get<std::string>());
  }
  return out;
}

const json kMove = {{"work_order_id", "WO-A-GC-20261124-000021-2"},
                    {"start", "2026-11-26T02:30:00Z"},
                    {"crew_id", "CREW-003-02"},
                    {"dispatcher_id", "DSP-0001"},
                    {"reason", "customer asked by phone"}};

TEST_CASE("GET work-orders passes the work filter to the console", "[console][http]") {
  Harness h;
  h.console.orders = {RepairOrder("WO-1"), AppointmentOrder("WO-A-1"), RepairOrder("WO-2")};
  using Work = v1::ListWorkOrdersRequest;
  struct Case {
    std::string param;
    Work::Work work;
    std::vector<std::string> ids;
  };
  for (const auto& c :
       std::vector<Case>{{"", Work::WORK_UNSPECIFIED, {"WO-1", "WO-A-1", "WO-2"}},
                         {"all", Work::WORK_UNSPECIFIED, {"WO-1", "WO-A-1", "WO-2"}},
                         {"repair", Work::WORK_REPAIR, {"WO-1", "WO-2"}},
                         {"appointment", Work::WORK_APPOINTMENT, {"WO-A-1"}}}) {
    INFO("work=" << c.param);
    h.console.list_requests.clear();
    auto reply = c.param.empty() ? h.Get("/api/v1/work-orders")
                                 : h.Get("/api/v1/work-orders", {{"work", c.param}});
    REQUIRE(reply.status == 200);
    REQUIRE(h.console.list_requests.size() == 1);
    CHECK(h.console.list_requests[0].work() == c.work);
    CHECK(h.console.list_requests[0].states_size() == 0);  // open states, as before
    CHECK(Ids(reply) == c.ids);
  }
}

TEST_CASE("GET work-orders refuses an unknown work filter with 400 naming it", "[console][http]") {
  Harness h;
  auto reply = h.Get("/api/v1/work-orders", {{"work", "faults"}});
  CHECK(reply.status == 400);
  const json body = json::parse(reply.body);
  CHECK(body["error"]["code"] == "INVALID_ARGUMENT");
  CHECK(body["error"]["message"] == "work must be repair, appointment or all, got 'faults'");
  CHECK(h.console.list_requests.empty());
}

TEST_CASE("the work-order JSON carries the application and the booked visit", "[console][http]") {
  Harness h;
  h.console.orders = {RepairOrder("WO-1"), AppointmentOrder("WO-A-1")};
  const json orders = json::parse(h.Get("/api/v1/work-orders").body)["work_orders"];
  REQUIRE(orders.size() == 2);
  CHECK_FALSE(orders[0].contains("application"));  // unset messages are left out
  const json& visit = orders[1];
  CHECK(visit["kind"] == "WORK_ORDER_KIND_NEW_CONNECTION");
  CHECK(visit["appointment_start"] == "2026-11-25T01:00:00Z");
  CHECK(visit["appointment_end"] == "2026-11-25T03:00:00Z");
  const json& app = visit["application"];
  CHECK(app["ticket_id"] == "GC-20261124-000021");
  CHECK(app["kind"] == "SERVICE_APPLICATION_KIND_NEW_CONNECTION");
  CHECK(app["stage"] == "APPLICATION_STAGE_SITE_SURVEYED");
  CHECK(app["visit"] == "VISIT_KIND_INSTALLATION");
  CHECK(app["booking_count"] == 2);
  CHECK(app["after_deadline"] == true);
  CHECK(app["preferred_window_met"] == false);  // every primitive printed
  CHECK(app["preferred_start"] == "2026-11-24T21:00:00Z");
  CHECK(app["preferred_end"] == "2026-11-25T07:00:00Z");
  CHECK(app["clock_stop"]["reason"] == "property certificate missing");
  CHECK(app["clock_stop"]["missing_documents"][0]["zh_cn"] == "房产证");
  CHECK(app["clock_stop"]["missing_documents"][0]["en"] == "property certificate");
}

TEST_CASE("POST move-appointment passes the body and answers the moved work order",
          "[console][http]") {
  Harness h;
  auto reply = h.Post("/api/v1/work-orders/move-appointment", kMove);
  REQUIRE(reply.status == 200);
  CHECK(reply.Header("Cache-Control") == "no-store");
  REQUIRE(h.console.moves.size() == 1);
  const auto& move = h.console.moves[0];
  CHECK(move.work_order_id() == "WO-A-GC-20261124-000021-2");
  CHECK(move.start().seconds() == 1795660200);  // 2026-11-26T02:30:00Z
  CHECK(move.crew_id() == "CREW-003-02");
  CHECK(move.dispatcher_id() == "DSP-0001");
  CHECK(move.reason() == "customer asked by phone");
  const json order = json::parse(reply.body)["work_order"];
  CHECK(order["work_order_id"] == "WO-A-GC-20261124-000021-2");
  CHECK(order["appointment_start"] == "2026-11-26T02:30:00Z");
  CHECK(order["crew_id"] == "CREW-003-02");
  CHECK(order["application"]["booking_count"] == 3);
}

TEST_CASE("POST move-appointment without a crew keeps crew_id empty for the console",
          "[console][http]") {
  Harness h;
  json body = kMove;
  body.erase("crew_id");
  body["start"] = "2026-11-26T10:30:00+08:00";  // any RFC 3339 offset
  REQUIRE(h.Post("/api/v1/work-orders/move-appointment", body).status == 200);
  REQUIRE(h.console.moves.size() == 1);
  CHECK(h.console.moves[0].crew_id().empty());
  CHECK(h.console.moves[0].start().seconds() == 1795660200);  // 2026-11-26T02:30:00Z
}

TEST_CASE("a move body that does not parse is 400 naming the field and reaches no console",
          "[console][http]") {
  Harness h;
  json bad_time = kMove;
  bad_time["start"] = "tomorrow morning";
  json bad_type = kMove;
  bad_type["start"] = 1795660200;
  json unknown = kMove;
  unknown["when"] = "2026-11-26T02:30:00Z";
  for (const auto& body : {bad_time, bad_type, unknown}) {
    INFO(body.dump());
    auto reply = h.Post("/api/v1/work-orders/move-appointment", body);
    CHECK(reply.status == 400);
    const json error = json::parse(reply.body)["error"];
    CHECK(error["code"] == "INVALID_ARGUMENT");
    CHECK_THAT(error["message"].get<std::string>(),
               Catch::Contains("gridcare.v1.MoveAppointmentRequest"));
  }
  CHECK_THAT(
      json::parse(h.Post("/api/v1/work-orders/move-appointment", unknown).body)["error"]["message"]
          .get<std::string>(),
      Catch::Contains("unknown key \"when\""));
  CHECK(h.PostText("/api/v1/work-orders/move-appointment", "{\"start\":").status == 400);
  CHECK(h.console.moves.empty());
}

TEST_CASE("POST document-check passes the missing documents and the reason", "[console][http]") {
  Harness h;
  const json body = {{"ticket_id", "GC-20261124-000021"},
                     {"complete", false},
                     {"missing_documents",
                      json::array({{{"zh_cn", "房产证"}, {"en", "property certificate"}},
                                   {{"zh_cn", "身份证复印件"}, {"en", "copy of the ID card"}}})},
                     {"reason", "property certificate missing"},
                     {"clerk_id", "CLK-07"}};
  auto reply = h.Post("/api/v1/applications/document-check", body);
  REQUIRE(reply.status == 200);
  REQUIRE(h.console.checks.size() == 1);
  const auto& check = h.console.checks[0];
  CHECK(check.ticket_id() == "GC-20261124-000021");
  CHECK_FALSE(check.complete());
  REQUIRE(check.missing_documents_size() == 2);
  CHECK(check.missing_documents(1).zh_cn() == "身份证复印件");
  CHECK(check.missing_documents(1).en() == "copy of the ID card");
  CHECK(check.reason() == "property certificate missing");
  CHECK(check.clerk_id() == "CLK-07");
  const json order = json::parse(reply.body)["work_order"];
  CHECK(order["application"]["clock_stop"]["missing_documents"].size() == 1);

  REQUIRE(h.Post("/api/v1/applications/document-check",
                 {{"ticket_id", "GC-20261124-000021"}, {"complete", true}})
              .status == 200);
  CHECK(h.console.checks.back().complete());
  CHECK(h.Post("/api/v1/applications/document-check", {{"missing_documents", "房产证"}}).status ==
        400);
  CHECK(h.console.checks.size() == 2);
}

TEST_CASE("the appointment actions map each error kind to the assign endpoint's status",
          "[console][http]") {
  using core::ErrorKind;
  const json assign = {{"work_order_id", "WO-1"}, {"crew_id", "C-1"}, {"dispatcher_id", "D-1"}};
  const json check = {{"ticket_id", "GC-1"}, {"complete", true}};
  for (ErrorKind kind :
       {ErrorKind::kInvalidArgument, ErrorKind::kNotFound, ErrorKind::kAlreadyExists,
        ErrorKind::kFailedPrecondition, ErrorKind::kPermissionDenied, ErrorKind::kResourceExhausted,
        ErrorKind::kUnavailable, ErrorKind::kDeadlineExceeded, ErrorKind::kInternal}) {
    Harness h;
    h.console.fail = core::Error{kind, "the visit WO-A-1 is under way"};
    const auto by_assign = h.Post("/api/v1/work-orders/assign", assign);
    const auto by_move = h.Post("/api/v1/work-orders/move-appointment", kMove);
    const auto by_check = h.Post("/api/v1/applications/document-check", check);
    INFO(core::ErrorKindName(kind));
    CHECK(by_assign.status == HttpStatusFor(kind));
    CHECK(by_move.status == by_assign.status);
    CHECK(by_check.status == by_assign.status);
    CHECK(by_move.body == by_assign.body);
    CHECK(by_check.body == by_assign.body);
    CHECK(json::parse(by_move.body)["error"]["message"] == "the visit WO-A-1 is under way");
    CHECK(json::parse(by_move.body)["error"]["code"] == core::ErrorKindName(kind));
  }
}

TEST_CASE("the new routes answer 405 to GET and the old ones still work", "[console][http]") {
  Harness h;
  CHECK(h.Get("/api/v1/work-orders/move-appointment").status == 405);
  CHECK(h.Get("/api/v1/applications/document-check").status == 405);
  const json assign = {{"work_order_id", "WO-1"}, {"crew_id", "C-1"}, {"dispatcher_id", "D-1"}};
  auto reply = h.Post("/api/v1/work-orders/assign", assign);
  REQUIRE(reply.status == 200);
  CHECK(json::parse(reply.body)["work_order"]["crew_id"] == "C-1");
  CHECK(json::parse(h.Get("/api/v1/now").body)["now"] == "2026-11-24T01:00:00.000Z");
}

}  // namespace
}  // namespace gridcare::dispatch
