// The shipped configuration (services/complaint/config): the department directory of the
// synthetic utility and its routing rules, loaded together and tried on realistic texts; its
// districts are the ones the synthetic utility the run command loads (seed 42) puts in customers'
// addresses.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "case_router.h"
#include "department_directory.h"
#include "gridcare/config/files.h"
#include "gridcare/synth/utility.h"

namespace gridcare::complaint {
namespace {

const std::string kConfigDir = std::string(GRIDCARE_SOURCE_DIR) + "/services/complaint/config/";

const DepartmentDirectory& ShippedDirectory() {
  static const DepartmentDirectory directory = [] {
    auto text = config::ReadTextFile(kConfigDir + "departments.json");
    if (!text.ok()) FAIL(text.error().ToString());
    auto loaded = DepartmentDirectory::FromJson(*text);
    if (!loaded.ok()) FAIL(loaded.error().ToString());
    return std::move(loaded).value();
  }();
  return directory;
}

const CaseRouter& ShippedRouter() {
  static const CaseRouter router = [] {
    auto text = config::ReadTextFile(kConfigDir + "routing-rules.json");
    if (!text.ok()) FAIL(text.error().ToString());
    auto loaded = CaseRouter::FromJson(*text, ShippedDirectory());
    if (!loaded.ok()) FAIL(loaded.error().ToString());
    return std::move(loaded).value();
  }();
  return router;
}

Route RouteText(std::string text, std::string district = "",
                v1::RequestType type = v1::REQUEST_TYPE_COMPLAINT) {
  RoutingFacts facts;
  facts.type = type;
  facts.text = std::move(text);
  facts.district = std::move(district);
  return ShippedRouter().RouteCase(facts);
}

TEST_CASE("shipped directory: departments, pool and coordinator") {
  const DepartmentDirectory& directory = ShippedDirectory();
  CHECK(directory.pool_department_id() == "service-dispatch-centre");
  CHECK(directory.FindDepartment("service-dispatch-centre")->name.zh_cn() == "供电服务指挥中心");
  const Handler* coordinator = directory.FindHandler(directory.coordinator_id());
  REQUIRE(coordinator != nullptr);
  CHECK(coordinator->department_id == "service-dispatch-centre");

  const std::vector<std::pair<std::string, std::string>> expected = {
      {"marketing", "营销部"},
      {"operations", "运检部"},
      {"metering", "计量中心"},
      {"customer-service", "客户服务中心"},
      {"construction", "建设部"},
      {"safety-supervision", "安全监察部"},
      {"service-dispatch-centre", "供电服务指挥中心"}};
  REQUIRE(directory.departments().size() == expected.size());
  for (const auto& [id, zh] : expected) {
    const Department* department = directory.FindDepartment(id);
    REQUIRE(department != nullptr);
    CHECK(department->name.zh_cn() == zh);
    CHECK_FALSE(department->name.en().empty());
    const auto handlers = directory.HandlersOf(id);
    CHECK(handlers.size() >= 2);
    CHECK(
        std::any_of(handlers.begin(), handlers.end(), [](const Handler* h) { return h->senior; }));
    CHECK(std::any_of(handlers.begin(), handlers.end(),
                      [](const Handler* h) { return h->supervisor; }));
    CHECK(directory.SeniorHandler(id, "") != nullptr);
  }
  CHECK(directory.KindOf("marketing") == v1::DEPARTMENT_MARKETING);
  CHECK(directory.KindOf("operations") == v1::DEPARTMENT_OPERATIONS);
  CHECK(directory.KindOf("metering") == v1::DEPARTMENT_METERING);
  CHECK(directory.KindOf("customer-service") == v1::DEPARTMENT_CUSTOMER_SERVICE);
  CHECK(directory.KindOf("construction") == v1::DEPARTMENT_CONSTRUCTION);
  CHECK(directory.KindOf("safety-supervision") == v1::DEPARTMENT_SAFETY_SUPERVISION);
  CHECK(directory.KindOf("service-dispatch-centre") == v1::DEPARTMENT_UNSPECIFIED);
}

TEST_CASE("shipped directory: the ladder roles have names in both languages") {
  v1::ComplaintCase c;
  c.set_department_id("marketing");
  CHECK(ShippedDirectory().MustAct("department-head", c).display_name() ==
        "林建华 (部门负责人 / Department head, 营销部 / Marketing)");
  CHECK(ShippedDirectory().MustAct("service-dispatch-centre", c).display_name() ==
        "供电服务指挥中心 / Service dispatch centre");
  CHECK(ShippedDirectory().MustAct("company-leadership", c).display_name() ==
        "公司领导 / Company leadership");
}

TEST_CASE("shipped directory: every district of the synthetic utility has a supply office") {
  synth::UtilitySpec spec;  // as deploy/run.sh loads it
  spec.seed = 42;
  spec.customers = 2000;
  auto utility = synth::Utility::Create(spec);
  REQUIRE(utility.ok());
  std::set<std::string> districts;
  utility->ForEachCustomer([&](int64_t, const v1::Customer& customer) {
    districts.insert(customer.address().district());
  });
  CHECK(districts == std::set<std::string>{"文乐区", "马埔县", "马港县"});
  for (const auto& district : utility->network().districts()) {
    CHECK(districts.count(district.name) == 1);
  }
  for (const std::string& district : districts) {
    CAPTURE(district);
    CHECK_FALSE(ShippedDirectory().UnitFor("marketing", district).empty());
    CHECK_FALSE(ShippedDirectory().UnitFor("operations", district).empty());
  }
  CHECK(ShippedDirectory().UnitFor("marketing", "文乐区") == "wenle-supply-office");
  CHECK(ShippedDirectory().UnitFor("operations", "马埔县") == "mapu-supply-office");
  CHECK(ShippedDirectory().UnitFor("marketing", "马港县") == "magang-supply-office");
}

TEST_CASE("shipped rules: a disputed bill goes to the district's marketing office") {
  const Route route = RouteText("我家这个月电费怎么这么高，估抄的吧", "文乐区");
  CHECK(route.department_id == "marketing");
  CHECK(route.unit_id == "wenle-supply-office");
  CHECK(route.rule == "billing-keywords");
  CHECK(route.reason ==
        "rule billing-keywords: keyword 电费; unit wenle-supply-office serves 文乐区");

  const Route traditional = RouteText("我家這個月電費怎麼這麼高", "文乐区");
  CHECK(traditional.department_id == "marketing");
  CHECK(traditional.unit_id == "wenle-supply-office");
  CHECK(traditional.rule == "billing-keywords");

  const Route english = RouteText("My electricity bill doubled this month", "马港县");
  CHECK(english.department_id == "marketing");
  CHECK(english.unit_id == "magang-supply-office");
  CHECK(english.reason ==
        "rule billing-keywords: keyword bill; unit magang-supply-office serves 马港县");
}

TEST_CASE("shipped rules: supply quality, repairs and linked incidents go to operations") {
  const Route frequent = RouteText("最近小区经常停电，一个星期停了三次", "马埔县");
  CHECK(frequent.department_id == "operations");
  CHECK(frequent.unit_id == "mapu-supply-office");
  CHECK(frequent.reason ==
        "rule supply-quality-keywords: keyword 经常停电; unit mapu-supply-office serves 马埔县");
  CHECK(RouteText("晚上电压很低，灯泡暗得看不清", "文乐区").department_id == "operations");
  CHECK(RouteText("The voltage keeps dropping in the evening").department_id == "operations");

  RoutingFacts linked;
  linked.type = v1::REQUEST_TYPE_COMPLAINT;
  linked.text = "报修三个小时了还没人来";
  linked.district = "文乐区";
  linked.incident_id = "INC-20260106-0007";
  const Route route = ShippedRouter().RouteCase(linked);
  CHECK(route.department_id == "operations");
  CHECK(route.unit_id == "wenle-supply-office");
  CHECK(route.rule == "linked-incident");
}

TEST_CASE("shipped rules: meters, conduct, construction and reports") {
  const Route meter = RouteText("我家电表走得快，怀疑不准", "文乐区");
  CHECK(meter.department_id == "metering");
  CHECK(meter.unit_id.empty());
  CHECK(meter.rule == "meter-accuracy-keywords");

  const Route conduct = RouteText("营业厅工作人员态度恶劣，不理人");
  CHECK(conduct.department_id == "customer-service");
  CHECK(conduct.reason == "rule service-conduct-keywords: keyword 营业厅");
  CHECK(RouteText("The staff at the service hall were rude").department_id == "customer-service");

  CHECK(RouteText("小区门口施工，路挖开一个月了没人管").department_id == "construction");

  const Route theft = RouteText("举报隔壁私拉电线偷电", "马港县", v1::REQUEST_TYPE_REPORT);
  CHECK(theft.department_id == "safety-supervision");
  CHECK(theft.rule == "report-theft-misconduct");
  CHECK(theft.reason ==
        "rule report-theft-misconduct: type report, keyword 偷电; no unit of "
        "safety-supervision serves 马港县");
  CHECK(RouteText("举报抄表员收红包", "", v1::REQUEST_TYPE_REPORT).department_id ==
        "safety-supervision");
  // The same words in a complaint are not a report.
  CHECK(RouteText("隔壁偷电，我家电费变高了").department_id == "marketing");

  CHECK(RouteText("感谢你们的热情服务", "", v1::REQUEST_TYPE_PRAISE).rule == "praise");
}

TEST_CASE("shipped rules: intake's categories route without keywords") {
  RoutingFacts facts;
  facts.type = v1::REQUEST_TYPE_COMPLAINT;
  facts.category = "billing";
  facts.district = "马埔县";
  Route route = ShippedRouter().RouteCase(facts);
  CHECK(route.department_id == "marketing");
  CHECK(route.unit_id == "mapu-supply-office");
  CHECK(route.rule == "marketing-categories");
  facts.category = "staff_conduct";
  CHECK(ShippedRouter().RouteCase(facts).department_id == "customer-service");
}

TEST_CASE("shipped rules: what nothing matches goes to the service-dispatch centre's pool") {
  const Route route =
      RouteText("我想提个意见，希望小区多种点树", "文乐区", v1::REQUEST_TYPE_OPINION);
  CHECK(route.department_id == "service-dispatch-centre");
  CHECK(route.unit_id.empty());
  CHECK(route.rule == "pool");
  CHECK(RouteText("").rule == "pool");
}

TEST_CASE("shipped rules: every category intake's classifier gives routes to a department") {
  auto text = config::ReadTextFile(std::string(GRIDCARE_SOURCE_DIR) +
                                   "/services/intake/config/classifier.json");
  REQUIRE(text.ok());
  std::set<std::string> categories;
  const nlohmann::json classifier = nlohmann::json::parse(*text);
  for (const auto& rule : classifier.at("rules")) {
    if (rule.contains("category")) categories.insert(rule["category"].get<std::string>());
  }
  REQUIRE(categories.size() >= 4);
  for (const std::string& category : categories) {
    INFO(category);
    RoutingFacts facts;
    facts.type = v1::REQUEST_TYPE_COMPLAINT;
    facts.category = category;
    facts.text = "无关键词";
    const Route route = ShippedRouter().RouteCase(facts);
    CHECK(route.rule != "pool");
    CHECK(route.rule.find("categories") != std::string::npos);
  }
}

}  // namespace
}  // namespace gridcare::complaint
