// The desk's list (order, filters, paging, query errors), what the page reads besides cases (the
// directory, the causes, the time) and the page itself.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "desk_fixture.h"

namespace gridcare::complaint::testing {
namespace {

using nlohmann::json;
using Query = std::multimap<std::string, std::string>;

std::vector<std::string> Ids(const json& page) {
  std::vector<std::string> ids;
  for (const auto& c : page["cases"]) ids.push_back(c["case_id"].get<std::string>());
  return ids;
}

json List(const DeskHarness& h, Query query) {
  auto reply = h.Get("/api/cases", std::move(query));
  INFO(reply.body);
  REQUIRE(reply.status == 200);
  return json::parse(reply.body);
}

/// Three cases: a billing complaint (marketing, 24 h contact clock) at T0, a sensitive customer's
/// billing complaint (marketing, 12 h) an hour later, an outage complaint (operations) at T0+2h.
struct ThreeCases {
  DeskHarness h;
  std::string bill, sensitive, outage;
  ThreeCases() {
    bill = h.Open("000201", "billing", "电费太高，电话 13912345678");
    h.clock.Advance(std::chrono::hours(1));
    sensitive = h.Open("000202", "billing", "又是估抄", /*sensitive=*/true);
    h.clock.Advance(std::chrono::hours(1));
    outage = h.Open("000203", "outage_frequency", "一周停电三次");
  }
};

TEST_CASE("GET /api/cases: the clock that runs out first comes first, no customer data",
          "[complaint][desk][list]") {
  ThreeCases t;
  const json all = List(t.h, {});
  CHECK(Ids(all) == std::vector<std::string>{t.sensitive, t.bill, t.outage});
  CHECK(all["total"] == 3);
  CHECK(all["next_page_token"] == "");
  const std::string text = all.dump();
  CHECK(text.find("C-0000201") == std::string::npos);
  CHECK(text.find("13912345678") == std::string::npos);
  for (const auto& c : all["cases"]) {
    CHECK(c["customer_id"] == "");
    CHECK(c["text"] == "");  // lists never carry the customer's words
  }
  CHECK(all["cases"][0]["senior_handling"] == true);
  CHECK(all["cases"][0]["clocks"][0]["due_at"] == "2026-11-24T14:00:00Z");  // T0+1h + 12 h

  CHECK(Ids(List(t.h, {{"department", "marketing"}})) ==
        std::vector<std::string>{t.sensitive, t.bill});
  CHECK(Ids(List(t.h, {{"department", "operations"}})) == std::vector<std::string>{t.outage});
}

TEST_CASE("GET /api/cases: state, overdue and handler filters, paging", "[complaint][desk][list]") {
  ThreeCases t;
  t.h.Act(t.bill, "contact", R"({"request_id":"c1","contact":{"by":{"id":"mkt-wl-02"}}})");
  CHECK(Ids(List(t.h, {{"state", "contacted"}})) == std::vector<std::string>{t.bill});
  CHECK(Ids(List(t.h, {{"state", "CASE_STATE_ROUTED"}})) ==
        std::vector<std::string>{t.sensitive, t.outage});
  CHECK(Ids(List(t.h, {{"state", "routed,contacted"}})).size() == 3);
  CHECK(Ids(List(t.h, {{"handler", "mkt-wl-02"}})) == std::vector<std::string>{t.bill});

  CHECK(Ids(List(t.h, {{"overdue_only", "true"}})).empty());
  // 13 h after T0+1h the sensitive customer's 12 h contact clock has run out; the others not.
  t.h.clock.Advance(std::chrono::hours(12));
  CHECK(Ids(List(t.h, {{"overdue_only", "true"}})) == std::vector<std::string>{t.sensitive});
  CHECK(Ids(List(t.h, {{"overdue_only", "1"}, {"department", "operations"}})).empty());
  CHECK(Ids(List(t.h, {{"overdue_only", "false"}})).size() == 3);

  const json first = List(t.h, {{"page_size", "2"}});
  CHECK(Ids(first).size() == 2);
  CHECK(first["total"] == 3);
  CHECK(first["next_page_token"] == "2");
  const json second = List(t.h, {{"page_size", "2"}, {"page_token", "2"}});
  CHECK(Ids(second).size() == 1);
  CHECK(second["next_page_token"] == "");
}

TEST_CASE("GET /api/cases: a bad query parameter is 400 naming it", "[complaint][desk][list]") {
  DeskHarness h;
  const auto refused = [&](Query query) {
    auto reply = h.Get("/api/cases", std::move(query));
    CHECK(reply.status == 400);
    return ErrorOf(reply);
  };
  CHECK(refused({{"state", "pending"}}) ==
        "INVALID_ARGUMENT: state: 'pending' is not a case state (known: routed, contacted, "
        "replied, return_visited, closed, reopened)");
  CHECK(refused({{"overdue_only", "maybe"}}) ==
        "INVALID_ARGUMENT: overdue_only must be true or false, got 'maybe'");
  CHECK(refused({{"include_closed", "yes"}}) ==
        "INVALID_ARGUMENT: include_closed must be true or false, got 'yes'");
  CHECK(refused({{"department", "finance"}}) ==
        "INVALID_ARGUMENT: department: no department 'finance' in the directory");
  CHECK(refused({{"page_size", "ten"}}) ==
        "INVALID_ARGUMENT: page_size must be a number 1..500, got 'ten'");
  CHECK(refused({{"page_size", "600"}}) == "INVALID_ARGUMENT: page_size must be 0..500");
  CHECK(refused({{"page_token", "abc"}}) ==
        "INVALID_ARGUMENT: page_token: not a token this service gave out");
}

TEST_CASE("ListQuery maps the page's parameters to a ListCasesRequest", "[complaint][desk][list]") {
  DeskHarness h;
  web::HttpRequest request;
  request.query = {
      {"department", "marketing"}, {"state", "routed,REOPENED"}, {"state", "CASE_STATE_CONTACTED"},
      {"overdue_only", "true"},    {"handler", "mkt-wl-01"},     {"page_size", "20"},
      {"page_token", "40"}};
  auto query = ListQuery(request, h.config->directory);
  REQUIRE(query.ok());
  CHECK(query->department_id() == "marketing");
  REQUIRE(query->states_size() == 3);
  CHECK(query->states(0) == v1::CASE_STATE_ROUTED);
  CHECK(query->states(1) == v1::CASE_STATE_REOPENED);
  CHECK(query->states(2) == v1::CASE_STATE_CONTACTED);
  CHECK(query->overdue_only());
  CHECK_FALSE(query->include_closed());
  CHECK(query->handler_id() == "mkt-wl-01");
  CHECK(query->page_size() == 20);
  CHECK(query->page_token() == "40");
}

TEST_CASE("GET /api/directory: departments, units and handlers, no customer data",
          "[complaint][desk][directory]") {
  DeskHarness h;
  auto reply = h.Get("/api/directory");
  REQUIRE(reply.status == 200);
  const json body = json::parse(reply.body);
  CHECK(body["pool_department_id"] == "service-dispatch-centre");
  CHECK(body["coordinator_id"] == "sdc-coord");
  CHECK(body["departments"].size() == h.config->directory.departments().size());
  const json& marketing = body["departments"][0];
  CHECK(marketing["id"] == "marketing");
  CHECK(marketing["name"] == json{{"zh_cn", "营销部"}, {"en", "Marketing"}});
  CHECK(marketing["kind"] == "DEPARTMENT_MARKETING");
  CHECK(marketing["head_handler_id"] == "mkt-head");
  CHECK(marketing["units"][0]["id"] == "wenle-supply-office");
  CHECK(marketing["units"][0]["name"]["en"] == "Wenle supply office");
  CHECK(marketing["units"][0].size() == 2);  // id and name: no district lists
  json handler;
  for (const auto& candidate : body["handlers"]) {
    if (candidate["id"] == "mkt-wl-01") handler = candidate;
  }
  CHECK(handler == json{{"id", "mkt-wl-01"},
                        {"name", "陈晓燕"},
                        {"department_id", "marketing"},
                        {"unit_id", "wenle-supply-office"},
                        {"senior", true},
                        {"supervisor", false}});
  CHECK(body["handlers"].size() == 27);
}

TEST_CASE("GET /api/causes is the policy's catalogue, GET /api/now the desk's clock",
          "[complaint][desk][directory]") {
  DeskHarness h;
  auto reply = h.Get("/api/causes");
  REQUIRE(reply.status == 200);
  const json causes = json::parse(reply.body)["causes"];
  REQUIRE(causes.size() == h.config->policy.causes.size());
  CHECK(causes[0] ==
        json{{"code", "billing-estimate"},
             {"label",
              {{"zh_cn", "电费估抄或抄表差错"}, {"en", "Estimated bill or meter reading error"}}}});
  auto now = h.Get("/api/now");
  CHECK(now.status == 200);
  CHECK(now.body == "{\"now\":\"2026-11-24T01:00:00.000Z\"}\n");
}

TEST_CASE("the desk page and its files are served, nothing else", "[complaint][desk][page]") {
  DeskHarness h;
  auto page = h.Get("/");
  REQUIRE(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(page.body.find("<title>投诉工作台 · GridCare</title>") != std::string::npos);
  for (const char* file : {"/desk.js", "/model.js", "/i18n.js"}) {
    auto asset = h.Get(file);
    CHECK(asset.status == 200);
    CHECK(asset.content_type == "text/javascript; charset=utf-8");
  }
  CHECK(h.Get("/desk.css").content_type == "text/css; charset=utf-8");
  CHECK(h.Get("/README.md").status == 404);
  CHECK(h.Get("/console.js").status == 404);
}

}  // namespace
}  // namespace gridcare::complaint::testing
