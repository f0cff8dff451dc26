// Case routing: each matcher, first-match order, where the unit comes from, the pool, folding,
// and every error of the rules file.
#include "case_router.h"

#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "routing_fixture.h"

namespace gridcare::complaint {
namespace {

using nlohmann::json;
using testing::Directory;

// A router over the test directory with `rules` (an array of rule objects).
CaseRouter Router(const json& rules) {
  auto router = CaseRouter::FromJson(json{{"rules", rules}}.dump(), Directory());
  if (!router.ok()) FAIL(router.error().ToString());
  return std::move(router).value();
}

// A one-rule router: `conditions` plus {"id": "r", "department": "operations"}.
CaseRouter OneRule(json conditions) {
  conditions["id"] = "r";
  if (!conditions.contains("department")) conditions["department"] = "operations";
  return Router(json::array({conditions}));
}

std::string LoadError(const std::string& text) {
  auto router = CaseRouter::FromJson(text, Directory());
  REQUIRE_FALSE(router.ok());
  CHECK(router.error().kind == core::ErrorKind::kInvalidArgument);
  return router.error().message;
}

// The error of a rules file holding `rule` alone.
std::string RuleError(const json& rule) {
  return LoadError(json{{"rules", json::array({rule})}}.dump());
}

RoutingFacts Facts(std::string text, v1::RequestType type = v1::REQUEST_TYPE_COMPLAINT) {
  RoutingFacts facts;
  facts.type = type;
  facts.text = std::move(text);
  return facts;
}

bool Routed(const CaseRouter& router, const RoutingFacts& facts) {
  return router.RouteCase(facts).rule == "r";
}

TEST_CASE("type matcher") {
  const CaseRouter router = OneRule({{"types", {"report", "opinion"}}});
  REQUIRE(router.rules().size() == 1);
  CHECK(router.rules()[0].types ==
        std::vector<v1::RequestType>{v1::REQUEST_TYPE_REPORT, v1::REQUEST_TYPE_OPINION});
  const Route route = router.RouteCase(Facts("", v1::REQUEST_TYPE_OPINION));
  CHECK(route.department_id == "operations");
  CHECK(route.unit_id.empty());
  CHECK(route.rule == "r");
  CHECK(route.reason == "rule r: type opinion");
  CHECK(Routed(router, Facts("", v1::REQUEST_TYPE_REPORT)));
  CHECK_FALSE(Routed(router, Facts("", v1::REQUEST_TYPE_COMPLAINT)));
  CHECK_FALSE(Routed(router, Facts("", v1::REQUEST_TYPE_UNSPECIFIED)));
}

TEST_CASE("every request type and tag name is read") {
  const CaseRouter router = OneRule(
      {{"types", {"complaint", "report", "opinion", "suggestion", "praise", "consultation"}},
       {"tags", {"important", "life_support", "sensitive", "elderly", "vip_account"}}});
  CHECK(router.rules()[0].types ==
        std::vector<v1::RequestType>{v1::REQUEST_TYPE_COMPLAINT, v1::REQUEST_TYPE_REPORT,
                                     v1::REQUEST_TYPE_OPINION, v1::REQUEST_TYPE_SUGGESTION,
                                     v1::REQUEST_TYPE_PRAISE, v1::REQUEST_TYPE_CONSULTATION});
  CHECK(router.rules()[0].tags ==
        std::vector<v1::CustomerTag>{v1::CUSTOMER_TAG_IMPORTANT, v1::CUSTOMER_TAG_LIFE_SUPPORT,
                                     v1::CUSTOMER_TAG_SENSITIVE, v1::CUSTOMER_TAG_ELDERLY,
                                     v1::CUSTOMER_TAG_VIP_ACCOUNT});
}

TEST_CASE("category matcher") {
  const CaseRouter router = OneRule({{"categories", {"billing", "tariff"}}});
  RoutingFacts facts = Facts("");
  facts.category = "tariff";
  const Route route = router.RouteCase(facts);
  CHECK(route.rule == "r");
  CHECK(route.reason == "rule r: category tariff");
  facts.category = "Billing";  // categories are ids, compared exactly
  CHECK_FALSE(Routed(router, facts));
  facts.category = "";
  CHECK_FALSE(Routed(router, facts));
}

TEST_CASE("keyword matcher: Chinese keywords anywhere, spaces ignored") {
  const CaseRouter router = OneRule({{"keywords", {"估抄", "电费"}}});
  const Route route = router.RouteCase(Facts("这个月电费怎么这么高，估抄的吧"));
  CHECK(route.rule == "r");
  CHECK(route.reason == "rule r: keyword 估抄");  // the rule's first keyword that occurs
  CHECK(router.RouteCase(Facts("电 费太高")).reason == "rule r: keyword 电费");
  CHECK(router.RouteCase(Facts("电\u3000费太高")).reason == "rule r: keyword 电费");
  CHECK_FALSE(Routed(router, Facts("停电了")));
  CHECK_FALSE(Routed(router, Facts("")));
}

TEST_CASE("keyword matcher: English keywords at the start of a word") {
  const CaseRouter router = OneRule({{"keywords", {"meter", "power cut"}}});
  CHECK(router.RouteCase(Facts("My meters are wrong")).reason == "rule r: keyword meter");
  CHECK(router.RouteCase(Facts("METER wrong")).reason == "rule r: keyword meter");
  CHECK(router.RouteCase(Facts("(meter) wrong")).reason == "rule r: keyword meter");
  CHECK_FALSE(Routed(router, Facts("a kilometer away")));
  CHECK(router.RouteCase(Facts("another Power \n  Cut today")).reason ==
        "rule r: keyword power cut");
  CHECK_FALSE(Routed(router, Facts("powercut")));
}

TEST_CASE("keyword matcher: keywords and text are folded alike") {
  // Configured in traditional characters, full width and upper case.
  const CaseRouter router = OneRule({{"keywords", {"電費", "ＢＩＬＬ", "  Power  Cut "}}});
  CHECK(router.rules()[0].keywords == std::vector<std::string>{"电费", "bill", "power cut"});
  CHECK(router.RouteCase(Facts("我家這個月電費怎麼這麼高")).reason == "rule r: keyword 电费");
  CHECK(router.RouteCase(Facts("我家这个月电费怎么这么高")).reason == "rule r: keyword 电费");
  CHECK(router.RouteCase(Facts("my Ｂｉｌｌ is wrong")).reason == "rule r: keyword bill");
  CHECK(router.RouteCase(Facts("POWER CUT again")).reason == "rule r: keyword power cut");
  // Invalid UTF-8 in the customer's text is read as U+FFFD, not a crash or a match.
  CHECK_FALSE(Routed(router, Facts("电\xFF费")));
}

TEST_CASE("district matcher") {
  const CaseRouter router = OneRule({{"districts", {"南区"}}, {"department", "marketing"}});
  RoutingFacts facts = Facts("");
  facts.district = "南区";
  const Route route = router.RouteCase(facts);
  CHECK(route.rule == "r");
  CHECK(route.unit_id == "south-office");
  CHECK(route.reason == "rule r: district 南区; unit south-office serves 南区");
  facts.district = "北区";
  CHECK_FALSE(Routed(router, facts));
  facts.district = "";
  CHECK_FALSE(Routed(router, facts));
}

TEST_CASE("tag matcher: the customer has one of the tags") {
  const CaseRouter router = OneRule({{"tags", {"sensitive", "vip_account"}}});
  RoutingFacts facts = Facts("");
  facts.tags = {v1::CUSTOMER_TAG_ELDERLY, v1::CUSTOMER_TAG_VIP_ACCOUNT};
  CHECK(router.RouteCase(facts).reason == "rule r: tag vip_account");
  facts.tags = {v1::CUSTOMER_TAG_SENSITIVE};
  CHECK(router.RouteCase(facts).reason == "rule r: tag sensitive");
  facts.tags = {v1::CUSTOMER_TAG_ELDERLY};
  CHECK_FALSE(Routed(router, facts));
  facts.tags.clear();
  CHECK_FALSE(Routed(router, facts));
}

TEST_CASE("requires_incident matcher") {
  const CaseRouter router = OneRule({{"requires_incident", true}});
  RoutingFacts facts = Facts("抢修太慢");
  facts.incident_id = "INC-20260106-0001";
  CHECK(router.RouteCase(facts).reason == "rule r: linked incident");
  facts.incident_id.clear();
  CHECK_FALSE(Routed(router, facts));
  // requires_incident false is no condition at all.
  CHECK(Routed(OneRule({{"requires_incident", false}}), facts));
}

TEST_CASE("every condition of a rule must hold") {
  const CaseRouter router = OneRule({{"types", {"report"}},
                                     {"categories", {"power_theft"}},
                                     {"keywords", {"偷电"}},
                                     {"districts", {"北区"}},
                                     {"tags", {"important"}},
                                     {"requires_incident", true}});
  RoutingFacts facts = Facts("举报隔壁偷电", v1::REQUEST_TYPE_REPORT);
  facts.category = "power_theft";
  facts.district = "北区";
  facts.tags = {v1::CUSTOMER_TAG_IMPORTANT};
  facts.incident_id = "INC-1";
  const Route route = router.RouteCase(facts);
  CHECK(route.rule == "r");
  CHECK(route.unit_id == "north-office");
  CHECK(route.reason ==
        "rule r: type report, category power_theft, district 北区, tag important, linked "
        "incident, keyword 偷电; unit north-office serves 北区");
  const std::vector<std::function<void(RoutingFacts&)>> breaks = {
      [](RoutingFacts& f) { f.type = v1::REQUEST_TYPE_COMPLAINT; },
      [](RoutingFacts& f) { f.category = "billing"; },
      [](RoutingFacts& f) { f.text = "举报隔壁"; },
      [](RoutingFacts& f) { f.district = "南区"; },
      [](RoutingFacts& f) { f.tags.clear(); },
      [](RoutingFacts& f) { f.incident_id.clear(); },
  };
  for (const auto& spoil : breaks) {
    RoutingFacts broken = facts;
    spoil(broken);
    CHECK(router.RouteCase(broken).rule == "pool");
  }
}

TEST_CASE("a rule without conditions takes every case") {
  const Route route = OneRule(json::object()).RouteCase(Facts("随便说说"));
  CHECK(route.rule == "r");
  CHECK(route.reason == "rule r: any case");
}

TEST_CASE("the first matching rule wins") {
  const CaseRouter router = Router(json::array({
      {{"id", "billing"}, {"keywords", {"电费"}}, {"department", "marketing"}},
      {{"id", "outage"}, {"keywords", {"停电"}}, {"department", "operations"}},
      {{"id", "anything"}, {"department", "centre"}},
  }));
  CHECK(router.RouteCase(Facts("停电了还收电费")).rule == "billing");
  CHECK(router.RouteCase(Facts("停电了")).rule == "outage");
  CHECK(router.RouteCase(Facts("你好")).rule == "anything");
  REQUIRE(router.rules().size() == 3);
  CHECK(router.rules()[1].id == "outage");
}

TEST_CASE("the unit comes from the rule, else from the customer's district") {
  const CaseRouter router = Router(json::array({
      {{"id", "south-billing"},
       {"keywords", {"阶梯"}},
       {"department", "marketing"},
       {"unit", "south-office"}},
      {{"id", "billing"}, {"keywords", {"电费"}}, {"department", "marketing"}},
      {{"id", "dispatch"}, {"keywords", {"调度"}}, {"department", "centre"}},
  }));
  RoutingFacts facts = Facts("阶梯电价怎么算");
  facts.district = "北区";
  Route route = router.RouteCase(facts);
  CHECK(route.department_id == "marketing");
  CHECK(route.unit_id == "south-office");
  CHECK(route.reason == "rule south-billing: keyword 阶梯; unit south-office (by rule)");

  facts.text = "电费太高";
  facts.district = "东区";
  route = router.RouteCase(facts);
  CHECK(route.unit_id == "north-office");
  CHECK(route.reason == "rule billing: keyword 电费; unit north-office serves 东区");

  facts.district = "西区";  // no unit of marketing serves it: the department's own queue
  route = router.RouteCase(facts);
  CHECK(route.department_id == "marketing");
  CHECK(route.unit_id.empty());
  CHECK(route.reason == "rule billing: keyword 电费; no unit of marketing serves 西区");

  facts.district = "";
  route = router.RouteCase(facts);
  CHECK(route.unit_id.empty());
  CHECK(route.reason == "rule billing: keyword 电费");

  facts.text = "调度";  // a department without units
  facts.district = "北区";
  route = router.RouteCase(facts);
  CHECK(route.department_id == "centre");
  CHECK(route.unit_id.empty());
}

TEST_CASE("what no rule routes goes to the pool") {
  const CaseRouter router = OneRule({{"keywords", {"电费"}}});
  RoutingFacts facts = Facts("我想提个意见", v1::REQUEST_TYPE_OPINION);
  facts.district = "北区";
  const Route route = router.RouteCase(facts);
  CHECK(route.department_id == "centre");
  CHECK(route.unit_id.empty());
  CHECK(route.rule == "pool");
  CHECK(route.reason == "no rule matched: pool of centre; no unit of centre serves 北区");

  const CaseRouter empty = Router(json::array());
  CHECK(empty.rules().empty());
  const Route pooled = empty.RouteCase(Facts("电费"));
  CHECK(pooled.department_id == "centre");
  CHECK(pooled.rule == "pool");
  CHECK(pooled.reason == "no rule matched: pool of centre");
}

TEST_CASE("the reason carries no customer text beyond the matched keyword") {
  const CaseRouter router = OneRule({{"keywords", {"电费"}}});
  const Route route = router.RouteCase(Facts("我是张三，电话13800138000，电费太高了"));
  CHECK(route.reason == "rule r: keyword 电费");
  const Route pooled = router.RouteCase(Facts("我是张三，电话13800138000"));
  CHECK(pooled.reason == "no rule matched: pool of centre");
}

TEST_CASE("rules errors: the document") {
  CHECK(LoadError("{").rfind("routing rules: not valid JSON: ", 0) == 0);
  CHECK(LoadError("[]") == "routing rules: expected a JSON object, got array");
  CHECK(LoadError(R"({"rules": [], "rules": []})") ==
        "routing rules: key \"rules\" given more than once");
  CHECK(LoadError(R"({"rules": [], "order": 1})") ==
        "routing rules: unknown key \"order\" (known: rules, note)");
  CHECK(LoadError(R"({"note": ["a"], "rules": []})") ==
        "routing rules: \"note\" must be a string, got [\"a\"]");
  CHECK(LoadError(R"({"note": "none"})") == "routing rules: missing \"rules\"");
  CHECK(LoadError(R"({"rules": {}})") == "routing rules: \"rules\" must be an array, got {}");
  CHECK(LoadError(R"({"rules": [3]})") == "routing rules: rules[0]: must be an object, got 3");
}

TEST_CASE("rules errors: ids") {
  CHECK(RuleError({{"department", "marketing"}}) == "routing rules: rules[0]: missing \"id\"");
  CHECK(RuleError({{"id", 7}, {"department", "marketing"}}) ==
        "routing rules: rules[0]: \"id\" must be a string, got 7");
  CHECK(RuleError({{"id", "a/b"}, {"department", "marketing"}}) ==
        "routing rules: rules[0] (\"a/b\"): \"id\" must be 1-64 characters of [A-Za-z0-9._-], "
        "got \"a/b\"");
  CHECK(RuleError({{"id", "pool"}, {"department", "marketing"}}) ==
        "routing rules: rules[0] (\"pool\"): \"pool\" is reserved for cases no rule routes");
  const json twice = {
      {"rules",
       {{{"id", "a"}, {"department", "marketing"}}, {{"id", "a"}, {"department", "operations"}}}}};
  CHECK(LoadError(twice.dump()) == "routing rules: rules[1] (\"a\"): duplicate rule id");
  CHECK(RuleError({{"id", "a"}, {"department", "marketing"}, {"priority", 1}}) ==
        "routing rules: rules[0] (\"a\"): unknown key \"priority\" (known: id, types, categories, "
        "keywords, districts, tags, requires_incident, department, unit)");
}

TEST_CASE("rules errors: conditions") {
  const json base = {{"id", "a"}, {"department", "marketing"}};
  const auto with = [&](const char* key, const json& value) {
    json rule = base;
    rule[key] = value;
    return RuleError(rule);
  };
  CHECK(with("types", {"complaint", "fault_repair"}) ==
        "routing rules: rules[0] (\"a\"): \"types[1]\": unknown value \"fault_repair\" (known: "
        "complaint, report, opinion, suggestion, praise, consultation)");
  CHECK(with("types", {"Complaint"}) ==
        "routing rules: rules[0] (\"a\"): \"types[0]\": unknown value \"Complaint\" (known: "
        "complaint, report, opinion, suggestion, praise, consultation)");
  CHECK(
      with("types", "complaint") ==
      "routing rules: rules[0] (\"a\"): \"types\" must be an array of strings, got \"complaint\"");
  CHECK(with("types", {2}) ==
        "routing rules: rules[0] (\"a\"): \"types[0]\" must be a non-empty string, got 2");
  CHECK(with("tags", {"vip"}) ==
        "routing rules: rules[0] (\"a\"): \"tags[0]\": unknown value \"vip\" (known: important, "
        "life_support, sensitive, elderly, vip_account)");
  CHECK(with("categories", {"billing", ""}) ==
        "routing rules: rules[0] (\"a\"): \"categories[1]\" must be a non-empty string, got \"\"");
  CHECK(with("districts", json::object()) ==
        "routing rules: rules[0] (\"a\"): \"districts\" must be an array of strings, got {}");
  CHECK(with("keywords", {"电费", ""}) ==
        "routing rules: rules[0] (\"a\"): \"keywords[1]\" must be a non-empty string, got \"\"");
  CHECK(with("keywords", {"\u3000 "}) ==
        "routing rules: rules[0] (\"a\"): \"keywords[0]\" is empty once folded");
  CHECK(with("requires_incident", "yes") ==
        "routing rules: rules[0] (\"a\"): \"requires_incident\" must be true or false, got "
        "\"yes\"");
}

TEST_CASE("rules errors: department and unit") {
  CHECK(RuleError({{"id", "a"}}) == "routing rules: rules[0] (\"a\"): missing \"department\"");
  CHECK(RuleError({{"id", "a"}, {"department", "sales"}}) ==
        "routing rules: rules[0] (\"a\"): unknown department \"sales\"");
  CHECK(RuleError({{"id", "a"}, {"department", "marketing"}, {"unit", "west-office"}}) ==
        "routing rules: rules[0] (\"a\"): unknown unit \"west-office\" of department "
        "\"marketing\"");
  // South is marketing's unit, not operations'.
  CHECK(RuleError({{"id", "a"}, {"department", "operations"}, {"unit", "south-office"}}) ==
        "routing rules: rules[0] (\"a\"): unknown unit \"south-office\" of department "
        "\"operations\"");
  CHECK(RuleError({{"id", "a"}, {"department", "marketing"}, {"unit", 3}}) ==
        "routing rules: rules[0] (\"a\"): \"unit\" must be a string, got 3");
}

}  // namespace
}  // namespace gridcare::complaint
