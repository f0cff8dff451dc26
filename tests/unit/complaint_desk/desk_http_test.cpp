// The desk's case page and actions over HTTP: one case, the masked JSON, each action's route, the
// request id that makes a retry a no-op, and every error's HTTP status and message.
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "desk_fixture.h"

namespace gridcare::complaint::testing {
namespace {

using nlohmann::json;

constexpr char kBillText[] = "电费比上月高三倍，请回电 13812345678";

std::string Steps(const json& c) {
  std::string out;
  for (const auto& step : c["timeline"]) {
    std::string type = step["event_type"].get<std::string>();
    type = type.substr(std::string("gridcare.complaint_case.").size());
    out += (out.empty() ? "" : ",") + type.substr(0, type.size() - 3);
  }
  return out;
}

TEST_CASE("GET /api/cases/{id}: the case for the desk, customer id removed, phone masked",
          "[complaint][desk][http]") {
  DeskHarness h;
  const std::string id = h.Open("000101", "billing", kBillText);
  CHECK(id == "CC-GC-20261124-000101");
  auto reply = h.Get("/api/cases/" + id);
  REQUIRE(reply.status == 200);
  CHECK(reply.content_type == "application/json; charset=utf-8");
  CHECK(reply.Header("Cache-Control") == "no-store");
  CHECK(reply.body.find("C-0000101") == std::string::npos);
  CHECK(reply.body.find("13812345678") == std::string::npos);
  const json c = json::parse(reply.body);
  CHECK(c["case_id"] == id);
  CHECK(c["customer_id"] == "");
  CHECK(c["customer_display"] == "C-****01");
  CHECK(c["text"] == "电费比上月高三倍，请回电 138****5678");
  CHECK(c["ticket_id"] == "GC-20261124-000101");
  CHECK(c["department_id"] == "marketing");
  CHECK(c["unit_id"] == "wenle-supply-office");
  CHECK(c["state"] == "CASE_STATE_ROUTED");
  CHECK(c["reopen_count"] == 0);  // every primitive printed
  REQUIRE(c["clocks"].size() == 2);
  CHECK(c["clocks"][0]["kind"] == "KIND_COMPLAINT_CONTACT");
  CHECK(c["clocks"][0]["due_at"] == "2026-11-25T01:00:00Z");  // 24 clock hours
  CHECK(Steps(c) == "opened,routed");
  CHECK(c["timeline"][1]["description"]["zh_cn"] == "已转营销部处理");
  CHECK(c["timeline"][1]["description"]["en"] == "Passed to Marketing");
}

TEST_CASE("GET /api/incidents/{id}: the linked incident's network context",
          "[complaint][desk][http]") {
  DeskHarness h;
  v1::SupplyPoint supply;
  supply.set_feeder_id("F-12");
  h.RecordIncidentOnSite("INC-42", supply, "CREW-A", T0() + std::chrono::hours(5));
  auto reply = h.Get("/api/incidents/INC-42");
  REQUIRE(reply.status == 200);
  const json context = json::parse(reply.body);
  CHECK(context["incident"]["state"] == "INCIDENT_STATE_ON_SITE");
  CHECK(context["incident"]["level"] == "INCIDENT_LEVEL_FEEDER");
  CHECK(context["incident"]["supply"]["feeder_id"] == "F-12");
  CHECK(context["incident"]["affected_customers"] == "812");
  CHECK(context["incident"]["call_count"] == 3);
  CHECK(context["incident"]["life_support_affected"] == true);
  CHECK(context["incident"]["important_customer_affected"] == false);
  CHECK(context["incident"]["opened_at"] == "2026-11-23T23:00:00Z");
  CHECK(context["incident"]["estimated_restoration_at"] == "2026-11-24T06:00:00Z");
  CHECK_FALSE(context["incident"].contains("restored_at"));
  REQUIRE(context["field"].size() == 1);
  CHECK(context["field"][0]["work_order_id"] == "WO-INC-42");
  CHECK(context["field"][0]["stage"] == "FIELD_STAGE_ON_SITE");
  CHECK(context["field"][0]["crew_id"] == "CREW-A");
  CHECK(context["field"][0]["updated_at"] == "2026-11-24T01:00:00Z");
  CHECK(context["field"][0]["estimate"] == "2026-11-24T06:00:00Z");
  CHECK(context["field"][0]["restored"] == false);
  CHECK(context["field"][0]["decline_reason"] == "");
  auto unknown = h.Get("/api/incidents/INC-NOPE");
  CHECK(unknown.status == 404);
  CHECK(ErrorOf(unknown) == "NOT_FOUND: incident INC-NOPE is not known here (or was forgotten)");
}

TEST_CASE("a ticket on the incident's supply point opens a case linked to it",
          "[complaint][desk][http]") {
  DeskHarness h;
  v1::SupplyPoint supply;
  supply.set_feeder_id("F-12");
  supply.set_transformer_id("T-12-3");
  h.RecordIncidentOnSite("INC-42", supply, "CREW-A", T0() + std::chrono::hours(5));
  auto ticket = h.Ticket("000311", "outage_frequency", "一周停电三次");
  *ticket.mutable_supply() = supply;
  const json linked = json::parse(h.Get("/api/cases/" + h.OpenThroughIntake(ticket)).body);
  CHECK(linked["incident_id"] == "INC-42");
  CHECK(linked["supply_point"]["transformer_id"] == "T-12-3");
  CHECK(linked["district"] == "文乐区");
  auto elsewhere = h.Ticket("000312", "outage_frequency", "又停电了");
  elsewhere.mutable_supply()->set_feeder_id("F-99");
  const json plain = json::parse(h.Get("/api/cases/" + h.OpenThroughIntake(elsewhere)).body);
  CHECK(plain["incident_id"] == "");
}

TEST_CASE("ForDesk removes the customer id and masks phone numbers only",
          "[complaint][desk][http]") {
  v1::ComplaintCase c;
  c.set_customer_id("C-0000101");
  c.set_customer_display("C-****01");
  c.set_text("户号 12345，电话 020-12345678，多收 300 元");
  const auto shown = ForDesk(c);
  CHECK(shown.customer_id().empty());
  CHECK(shown.customer_display() == "C-****01");
  CHECK(shown.text() == "户号 12345，电话 020-****5678，多收 300 元");
}

TEST_CASE("take, contact and reply through the desk's routes", "[complaint][desk][http]") {
  DeskHarness h;
  const std::string id = h.Open("000102", "billing", "电费太高");
  const std::string by = R"("by":{"kind":"KIND_DEPARTMENT","id":"mkt-wl-01"})";

  auto taken = h.Act(id, "take", R"({"request_id":"r-take",)" + by + "}");
  CHECK(taken["handler_id"] == "mkt-wl-01");
  CHECK(Steps(taken) == "opened,routed,assigned");
  CHECK(taken["customer_id"] == "");

  auto attempted =
      h.Act(id, "contact-attempt", R"({"request_id":"r-try","note":"no answer",)" + by + "}");
  CHECK(attempted["contact_attempts"] == 1);

  h.clock.Advance(std::chrono::hours(2));
  auto contacted = h.Act(
      id, "contact", R"({"request_id":"r-contact","contact":{"summary":"reached",)" + by + "}}");
  CHECK(contacted["state"] == "CASE_STATE_CONTACTED");
  CHECK(contacted["clocks"][0]["met_at"] == "2026-11-24T03:00:00Z");

  auto replied = h.Act(id, "reply",
                       R"({"request_id":"r-reply","reply":{"cause_code":"billing-estimate",
      "corrective_action":"re-read the meter","reply":{"zh_cn":"已核实为估抄"},)" +
                           by + "}}");
  CHECK(replied["state"] == "CASE_STATE_REPLIED");
  CHECK(replied["reply"]["cause_code"] == "billing-estimate");
  CHECK(replied["reply"]["text"]["en"] == "已核实为估抄");  // the empty language filled
  CHECK(Steps(replied) == "opened,routed,assigned,contact_attempted,customer_contacted,reply_sent");

  // The events went out on the complaint topic: opened, routed, then one per action.
  CHECK(h.publisher.RecordsOn("gridcare.complaint.v1").size() == 6);
}

TEST_CASE("the same request id applies an action once, a retry gets the same case",
          "[complaint][desk][http]") {
  DeskHarness h;
  const std::string id = h.Open("000103", "billing", "电费太高");
  const std::string body = R"({"request_id":"r-1","by":{"id":"mkt-wl-02"}})";
  auto first = h.Act(id, "take", body);
  const auto commits = h.store.commits();
  const auto published = h.publisher.records().size();
  auto again = h.Act(id, "take", body);
  CHECK(again == first);
  CHECK(h.store.commits() == commits);
  CHECK(h.publisher.records().size() == published);
  CHECK(Steps(again) == "opened,routed,assigned");
}

TEST_CASE("the case id may be left out of the body, another one is refused",
          "[complaint][desk][http]") {
  DeskHarness h;
  const std::string id = h.Open("000104", "billing", "电费太高");
  auto wrong = h.Post("/api/cases/" + id + "/take",
                      R"({"request_id":"r","case_id":"CC-OTHER","by":{"id":"mkt-wl-01"}})");
  CHECK(wrong.status == 400);
  CHECK(ErrorOf(wrong) ==
        "INVALID_ARGUMENT: case_id: 'CC-OTHER' is not the case in the path ('" + id + "')");
  auto nested = h.Post("/api/cases/" + id + "/contact",
                       R"({"request_id":"r","contact":{"case_id":"CC-OTHER","by":{"id":"x"}}})");
  CHECK(ErrorOf(nested) ==
        "INVALID_ARGUMENT: contact.case_id: 'CC-OTHER' is not the case in the path ('" + id + "')");
  auto same = h.Post("/api/cases/" + id + "/take",
                     R"({"request_id":"r","case_id":")" + id + R"(","by":{"id":"mkt-wl-01"}})");
  CHECK(same.status == 200);
}

TEST_CASE("errors of the rules keep their kind: 400, 403, 404, 412", "[complaint][desk][http]") {
  DeskHarness h;
  const std::string id = h.Open("000105", "billing", "电费太高");
  const std::string path = "/api/cases/" + id;

  auto no_id = h.Post(path + "/take", R"({"by":{"id":"mkt-wl-01"}})");
  CHECK(no_id.status == 400);
  CHECK(ErrorOf(no_id) == "INVALID_ARGUMENT: request_id is required");

  auto no_actor = h.Post(path + "/take", R"({"request_id":"r1"})");
  CHECK(no_actor.status == 400);
  CHECK(ErrorOf(no_actor) == "INVALID_ARGUMENT: by.id (the acting handler) is required");

  auto other = h.Post(path + "/take", R"({"request_id":"r2","by":{"id":"ops-wl-01"}})");
  CHECK(other.status == 403);
  CHECK(ErrorOf(other) ==
        "PERMISSION_DENIED: handler 'ops-wl-01' may not act on cases of "
        "department 'marketing'");

  auto stranger = h.Post(path + "/take", R"({"request_id":"r3","by":{"id":"nobody"}})");
  CHECK(stranger.status == 403);
  CHECK(ErrorOf(stranger) == "PERMISSION_DENIED: unknown handler 'nobody'");

  auto early = h.Post(path + "/reply", R"({"request_id":"r4","reply":{"cause_code":"other",
      "corrective_action":"x","reply":{"en":"y"},"by":{"id":"mkt-wl-01"}}})");
  CHECK(early.status == 412);
  CHECK(ErrorOf(early) == "FAILED_PRECONDITION: cannot reply to case " + id +
                              " in state ROUTED: contact the customer first");

  h.Act(id, "contact", R"({"request_id":"r5","contact":{"by":{"id":"mkt-wl-01"}}})");
  auto cause = h.Post(path + "/reply", R"({"request_id":"r6","reply":{"cause_code":"lunar-tide",
      "corrective_action":"x","reply":{"en":"y"},"by":{"id":"mkt-wl-01"}}})");
  CHECK(cause.status == 400);
  CHECK(ErrorOf(cause) ==
        "INVALID_ARGUMENT: reply.cause_code: 'lunar-tide' is not in the cause catalogue");

  auto pause = h.Post(path + "/pause", R"({"request_id":"r7","by":{"id":"mkt-wl-01"}})");
  CHECK(pause.status == 400);
  CHECK(ErrorOf(pause) == "INVALID_ARGUMENT: reason: a pause needs a recorded reason");

  auto missing =
      h.Post("/api/cases/CC-NOPE/take", R"({"request_id":"r8","by":{"id":"mkt-wl-01"}})");
  CHECK(missing.status == 404);
  CHECK(ErrorOf(missing) == "NOT_FOUND: no case 'CC-NOPE'");
  auto get_missing = h.Get("/api/cases/CC-NOPE");
  CHECK(get_missing.status == 404);
  CHECK(ErrorOf(get_missing) == "NOT_FOUND: no case 'CC-NOPE'");
}

TEST_CASE("request bodies and routes that do not fit are refused, naming what is wrong",
          "[complaint][desk][http]") {
  DeskHarness h;
  const std::string id = h.Open("000106", "billing", "电费太高");
  const std::string path = "/api/cases/" + id;

  auto not_json = h.Post(path + "/take", "{\"request_id\":");
  CHECK(not_json.status == 400);
  CHECK(ErrorOf(not_json).starts_with(
      "INVALID_ARGUMENT: request body (gridcare.v1.TakeCaseRequest): not valid JSON: "));

  auto unknown = h.Post(path + "/escalate", R"({"request_id":"r","reson":"late"})");
  CHECK(ErrorOf(unknown) ==
        R"(INVALID_ARGUMENT: request body (gridcare.v1.EscalateCaseRequest): unknown key "reson" )"
        R"((known: case_id, reason, coordinating_departments, request_id, by))");

  auto bad_enum = h.Post(path + "/pause", R"({"request_id":"r","reason":"LUNCH"})");
  CHECK(ErrorOf(bad_enum) ==
        R"(INVALID_ARGUMENT: request body (gridcare.v1.PauseCaseRequest): "reason" must be one of )"
        R"(PAUSE_REASON_UNSPECIFIED, PAUSE_REASON_CUSTOMER_UNREACHABLE, )"
        R"(PAUSE_REASON_WAITING_ON_CUSTOMER, got "LUNCH")");

  auto bad_type = h.Post(path + "/coordinate", R"({"request_id":"r","parts":"metering"})");
  CHECK(ErrorOf(bad_type) ==
        R"(INVALID_ARGUMENT: request body (gridcare.v1.RequestCoordinationRequest): "parts" must )"
        R"(be an array, got "metering")");

  auto action = h.Post(path + "/close", "{}");
  CHECK(action.status == 404);
  CHECK(ErrorOf(action) ==
        "NOT_FOUND: no desk action 'close' (known: take, assign, contact-attempt, contact, pause, "
        "resume, reply, return, coordinate, answer-part, escalate, return-visit, reopen)");

  auto get_action = h.Get(path + "/take");
  CHECK(get_action.status == 405);
  CHECK(get_action.Header("Allow") == "POST");
  CHECK(h.Post(path, "{}").status == 405);
  CHECK(h.Get("/api/nothing").status == 404);
}

TEST_CASE("every desk action has its route", "[complaint][desk][http]") {
  DeskHarness h;
  const std::string id = h.Open("000107", "billing", "电费太高");
  const std::string by = R"("by":{"id":"mkt-head"})";
  // Through a whole life: each answers 200 and adds its step.
  h.Act(id, "assign", R"({"request_id":"a1","handler_id":"mkt-wl-02",)" + by + "}");
  h.Act(id, "contact-attempt", R"({"request_id":"a2",)" + by + "}");
  h.Act(id, "pause",
        R"({"request_id":"a3","reason":"PAUSE_REASON_WAITING_ON_CUSTOMER","note":"documents",)" +
            by + "}");
  h.clock.Advance(std::chrono::hours(1));
  h.Act(id, "resume", R"({"request_id":"a4",)" + by + "}");
  h.Act(id, "contact", R"({"request_id":"a5","contact":{)" + by + "}}");
  h.Act(id, "coordinate",
        R"({"request_id":"a6","parts":[{"department_id":"metering","due_working_days":2}],)" + by +
            "}");
  h.Act(id, "answer-part",
        R"({"request_id":"a7","department_id":"metering","text":"meter ok",)"
        R"("by":{"id":"met-01"}})");
  h.Act(id, "escalate", R"({"request_id":"a8","reason":"customer is upset",)" + by + "}");
  h.Act(id, "reply",
        R"({"request_id":"a9","reply":{"cause_code":"billing-estimate",)"
        R"("corrective_action":"refund","reply":{"en":"refunded"},)" +
            by + "}}");
  auto visited = h.Act(id, "return-visit",
                       R"({"request_id":"a10","visit":{"satisfaction":"SATISFACTION_DISSATISFIED",)"
                       R"("resolved":false,"comment":"still wrong",)" +
                           by + "}}");
  CHECK(visited["state"] == "CASE_STATE_REOPENED");
  CHECK(visited["reopen_count"] == 1);
  h.Act(id, "return", R"({"request_id":"a11","reason":"not a billing matter",)" + by + "}");
  auto last = h.Act(id, "take", R"({"request_id":"a12","by":{"id":"sdc-head"}})");
  CHECK(last["department_id"] == "service-dispatch-centre");
  CHECK(Steps(last) ==
        "opened,routed,assigned,contact_attempted,paused,resumed,customer_contacted,"
        "coordination_requested,coordination_part_replied,escalated,reply_sent,"
        "return_visit_recorded,reopened,returned,assigned");
  // Reopen needs a replied, visited or closed case: refused here with the rules' message.
  auto reopen = h.Post("/api/cases/" + id + "/reopen",
                       R"({"request_id":"a13","reason":"again","by":{"id":"sdc-head"}})");
  CHECK(reopen.status == 412);
  CHECK(ErrorOf(reopen) == "FAILED_PRECONDITION: cannot reopen case " + id + " in state REOPENED");
}

}  // namespace
}  // namespace gridcare::complaint::testing
