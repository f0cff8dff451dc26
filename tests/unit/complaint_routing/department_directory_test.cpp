// The department directory: parsing, every error, and the look-ups the router and the desk use.
#include "department_directory.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "routing_fixture.h"

namespace gridcare::complaint {
namespace {

using nlohmann::json;
using testing::Directory;
using testing::DirectoryJson;

std::string TextError(std::string_view text) {
  auto loaded = DepartmentDirectory::FromJson(text);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == core::ErrorKind::kInvalidArgument);
  return loaded.error().message;
}

std::string LoadError(const json& document) { return TextError(document.dump()); }

std::vector<std::string> Ids(const std::vector<const Handler*>& handlers) {
  std::vector<std::string> ids;
  for (const Handler* handler : handlers) ids.push_back(handler->id);
  return ids;
}

v1::ComplaintCase Case(const std::string& department, const std::string& unit,
                       const std::string& handler) {
  v1::ComplaintCase c;
  c.set_department_id(department);
  c.set_unit_id(unit);
  c.set_handler_id(handler);
  return c;
}

TEST_CASE("a good directory is read whole") {
  const DepartmentDirectory& directory = Directory();
  CHECK(directory.pool_department_id() == "centre");
  CHECK(directory.coordinator_id() == "c-coord");
  REQUIRE(directory.departments().size() == 3);

  const Department* marketing = directory.FindDepartment("marketing");
  REQUIRE(marketing != nullptr);
  CHECK(marketing->name.zh_cn() == "营销部");
  CHECK(marketing->name.en() == "Marketing");
  CHECK(marketing->kind == v1::DEPARTMENT_MARKETING);
  CHECK(marketing->head_handler_id == "m-head");
  REQUIRE(marketing->units.size() == 2);
  CHECK(marketing->units[0].id == "north-office");
  CHECK(marketing->units[0].name.zh_cn() == "北区供电所");
  CHECK(marketing->units[0].name.en() == "North supply office");
  CHECK(marketing->units[0].districts == std::vector<std::string>{"北区", "东区"});
  CHECK(directory.FindDepartment("centre")->units.empty());
  CHECK(directory.FindDepartment("sales") == nullptr);

  const Handler* senior = directory.FindHandler("m-north-senior");
  REQUIRE(senior != nullptr);
  CHECK(senior->name == "黄志强");
  CHECK(senior->department_id == "marketing");
  CHECK(senior->unit_id == "north-office");
  CHECK(senior->senior);
  CHECK_FALSE(senior->supervisor);
  const Handler* head = directory.FindHandler("m-head");
  REQUIRE(head != nullptr);
  CHECK(head->unit_id.empty());
  CHECK(head->supervisor);
  CHECK_FALSE(head->senior);
  CHECK(directory.FindHandler("nobody") == nullptr);
}

TEST_CASE("HandlersOf lists a department's handlers of every unit in file order") {
  CHECK(Ids(Directory().HandlersOf("marketing")) ==
        std::vector<std::string>{"m-head", "m-north-1", "m-north-senior", "m-south-1", "m-senior"});
  CHECK(Ids(Directory().HandlersOf("centre")) ==
        std::vector<std::string>{"c-head", "c-coord", "c-agent"});
  CHECK(Directory().HandlersOf("sales").empty());
}

TEST_CASE("UnitFor finds the department's unit serving a district") {
  const DepartmentDirectory& directory = Directory();
  CHECK(directory.UnitFor("marketing", "北区") == "north-office");
  CHECK(directory.UnitFor("marketing", "东区") == "north-office");
  CHECK(directory.UnitFor("marketing", "南区") == "south-office");
  CHECK(directory.UnitFor("operations", "北区") == "north-office");
  CHECK(directory.UnitFor("operations", "南区").empty());
  CHECK(directory.UnitFor("marketing", "西区").empty());
  CHECK(directory.UnitFor("marketing", "").empty());
  CHECK(directory.UnitFor("centre", "北区").empty());
  CHECK(directory.UnitFor("sales", "北区").empty());
}

TEST_CASE("SeniorHandler prefers the unit, then the department") {
  const DepartmentDirectory& directory = Directory();
  const auto id = [&](std::string_view department, std::string_view unit) {
    const Handler* handler = directory.SeniorHandler(department, unit);
    return handler == nullptr ? std::string("none") : handler->id;
  };
  CHECK(id("marketing", "north-office") == "m-north-senior");
  // South has no senior: the department's own senior (no unit) rather than north's.
  CHECK(id("marketing", "south-office") == "m-senior");
  CHECK(id("marketing", "") == "m-senior");
  // Operations has no senior without a unit: a senior of one of its units.
  CHECK(id("operations", "") == "o-north-senior");
  CHECK(id("centre", "") == "none");
  CHECK(id("sales", "north-office") == "none");
}

TEST_CASE("MayAct: own department, the pool's supervisors and the coordinator") {
  const DepartmentDirectory& directory = Directory();
  CHECK(directory.MayAct("m-north-1", "marketing"));
  CHECK(directory.MayAct("m-head", "marketing"));
  CHECK_FALSE(directory.MayAct("m-north-1", "operations"));
  CHECK_FALSE(directory.MayAct("m-head", "operations"));  // a supervisor outside the pool
  CHECK(directory.MayAct("c-head", "marketing"));         // the pool's supervisor
  CHECK(directory.MayAct("c-head", "operations"));
  CHECK(directory.MayAct("c-coord", "operations"));  // the coordinator, not a supervisor
  CHECK(directory.MayAct("c-agent", "centre"));
  CHECK_FALSE(directory.MayAct("c-agent", "marketing"));  // pool, but not a supervisor
  CHECK_FALSE(directory.MayAct("nobody", "marketing"));
  CHECK_FALSE(directory.MayAct("", "marketing"));
}

TEST_CASE("MustAct names who acts at each role") {
  const DepartmentDirectory& directory = Directory();
  SECTION("the case's handler") {
    const v1::Actor actor = directory.MustAct("handler", Case("marketing", "", "m-north-1"));
    CHECK(actor.kind() == v1::Actor::KIND_DEPARTMENT);
    CHECK(actor.id() == "m-north-1");
    CHECK(actor.display_name() == "陈晓燕");
  }
  SECTION("no handler yet: the department and its unit") {
    const v1::Actor unit = directory.MustAct("handler", Case("marketing", "north-office", ""));
    CHECK(unit.kind() == v1::Actor::KIND_DEPARTMENT);
    CHECK(unit.id() == "marketing");
    CHECK(unit.display_name() == "营销部 北区供电所 / Marketing, North supply office");
    const v1::Actor department = directory.MustAct("handler", Case("marketing", "", ""));
    CHECK(department.id() == "marketing");
    CHECK(department.display_name() == "营销部 / Marketing");
  }
  SECTION("the department head") {
    const v1::Actor actor =
        directory.MustAct("department-head", Case("marketing", "", "m-north-1"));
    CHECK(actor.kind() == v1::Actor::KIND_SUPERVISOR);
    CHECK(actor.id() == "m-head");
    CHECK(actor.display_name() == "林建华 (部门负责人 / Department head, 营销部 / Marketing)");
  }
  SECTION("other roles: a supervisor named by the role") {
    const v1::Actor centre =
        directory.MustAct("service-dispatch-centre", Case("marketing", "", ""));
    CHECK(centre.kind() == v1::Actor::KIND_SUPERVISOR);
    CHECK(centre.id() == "service-dispatch-centre");
    CHECK(centre.display_name() == "供电服务指挥中心 / Service dispatch centre");
    const v1::Actor unnamed = directory.MustAct("company-leadership", Case("marketing", "", ""));
    CHECK(unnamed.kind() == v1::Actor::KIND_SUPERVISOR);
    CHECK(unnamed.id() == "company-leadership");
    CHECK(unnamed.display_name() == "company-leadership");
  }
  SECTION("a department the directory does not know") {
    const v1::Actor head = directory.MustAct("department-head", Case("sales", "", ""));
    CHECK(head.kind() == v1::Actor::KIND_SUPERVISOR);
    CHECK(head.id() == "department-head");
    CHECK(head.display_name() == "部门负责人 / Department head");
    const v1::Actor handler = directory.MustAct("handler", Case("sales", "", ""));
    CHECK(handler.kind() == v1::Actor::KIND_DEPARTMENT);
    CHECK(handler.id() == "sales");
  }
}

TEST_CASE("KindOf gives the coarse enum") {
  CHECK(Directory().KindOf("marketing") == v1::DEPARTMENT_MARKETING);
  CHECK(Directory().KindOf("operations") == v1::DEPARTMENT_OPERATIONS);
  CHECK(Directory().KindOf("centre") == v1::DEPARTMENT_UNSPECIFIED);  // no kind given
  CHECK(Directory().KindOf("sales") == v1::DEPARTMENT_UNSPECIFIED);
}

TEST_CASE("every department kind name is read") {
  const std::vector<std::pair<std::string, v1::Department>> kinds = {
      {"operations", v1::DEPARTMENT_OPERATIONS},
      {"marketing", v1::DEPARTMENT_MARKETING},
      {"metering", v1::DEPARTMENT_METERING},
      {"customer_service", v1::DEPARTMENT_CUSTOMER_SERVICE},
      {"construction", v1::DEPARTMENT_CONSTRUCTION},
      {"safety_supervision", v1::DEPARTMENT_SAFETY_SUPERVISION}};
  for (const auto& [name, kind] : kinds) {
    json document = DirectoryJson();
    document["departments"][0]["kind"] = name;
    auto loaded = DepartmentDirectory::FromJson(document.dump());
    REQUIRE(loaded.ok());
    CHECK(loaded->KindOf("marketing") == kind);
  }
}

TEST_CASE("directory errors: the document") {
  CHECK(TextError("{").rfind("department directory: not valid JSON: ", 0) == 0);
  CHECK(TextError("[]") == "department directory: expected a JSON object, got array");
  CHECK(TextError(R"({"coordinator": "a", "coordinator": "b"})") ==
        "department directory: key \"coordinator\" given more than once");
  json document = DirectoryJson();
  document["colour"] = "red";
  CHECK(LoadError(document) ==
        "department directory: unknown key \"colour\" (known: departments, handlers, "
        "pool_department, coordinator, roles, note)");
  document = DirectoryJson();
  document["note"] = 3;
  CHECK(LoadError(document) == "department directory: \"note\" must be a string, got 3");
  document = DirectoryJson();
  document.erase("departments");
  CHECK(LoadError(document) == "department directory: missing \"departments\"");
  document["departments"] = json::array();
  CHECK(LoadError(document) ==
        "department directory: \"departments\" must be a non-empty array, got []");
  document = DirectoryJson();
  document.erase("handlers");
  CHECK(LoadError(document) == "department directory: missing \"handlers\"");
  document["handlers"] = json::object();
  CHECK(LoadError(document) == "department directory: \"handlers\" must be an array, got {}");
}

TEST_CASE("directory errors: departments") {
  json document = DirectoryJson();
  document["departments"][0] = 3;
  CHECK(LoadError(document) == "department directory: departments[0]: must be an object, got 3");

  document = DirectoryJson();
  document["departments"][0]["colour"] = "red";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): unknown key \"colour\" (known: id, "
        "name_zh_cn, name_en, kind, head, units, local_calendar)");

  document = DirectoryJson();
  document["departments"][0].erase("id");
  CHECK(LoadError(document) == "department directory: departments[0]: missing \"id\"");

  document = DirectoryJson();
  document["departments"][0]["id"] = "sales dept";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"sales dept\"): \"id\" must be 1-64 characters "
        "of [A-Za-z0-9._-], got \"sales dept\"");

  document = DirectoryJson();
  document["departments"][0].erase("name_en");
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): missing \"name_en\"");

  document = DirectoryJson();
  document["departments"][0]["name_zh_cn"] = " ";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): \"name_zh_cn\" must not be empty");

  document = DirectoryJson();
  document["departments"][0]["kind"] = "sales";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): \"kind\": unknown value \"sales\" "
        "(known: operations, marketing, metering, customer_service, construction, "
        "safety_supervision)");

  document = DirectoryJson();
  document["departments"][0]["kind"] = "MARKETING";
  CHECK(LoadError(document).find("unknown value \"MARKETING\"") != std::string::npos);

  document = DirectoryJson();
  document["departments"][0].erase("head");
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): missing \"head\"");

  document = DirectoryJson();
  document["departments"][1]["id"] = "marketing";
  CHECK(LoadError(document) ==
        "department directory: departments[1] (\"marketing\"): duplicate department id");

  document = DirectoryJson();
  document["departments"][0]["head"] = "o-head";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): head \"o-head\" is not a handler "
        "of the department");

  document = DirectoryJson();
  document["departments"][0]["head"] = "nobody";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): head \"nobody\" is not a handler "
        "of the department");
}

TEST_CASE("directory errors: units") {
  json document = DirectoryJson();
  document["departments"][0]["units"] = "north";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): \"units\" must be an array, got "
        "\"north\"");

  document = DirectoryJson();
  document["departments"][0]["units"][1]["id"] = "north-office";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): units[1] (\"north-office\"): "
        "duplicate unit id");

  document = DirectoryJson();
  document["departments"][0]["units"][1]["districts"] = {"南区", "北区"};
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): units[1] (\"south-office\"): "
        "district \"北区\" is already served by unit \"north-office\"");

  document = DirectoryJson();
  document["departments"][0]["units"][0]["districts"] = {"北区", ""};
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): units[0] (\"north-office\"): "
        "\"districts[1]\" must be a non-empty string, got \"\"");

  document = DirectoryJson();
  document["departments"][0]["units"][0]["districts"] = "北区";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): units[0] (\"north-office\"): "
        "\"districts\" must be an array of strings, got \"北区\"");

  document = DirectoryJson();
  document["departments"][0]["units"][0]["office"] = true;
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): units[0] (\"north-office\"): "
        "unknown key \"office\" (known: id, name_zh_cn, name_en, districts)");

  document = DirectoryJson();
  document["departments"][0]["units"][0].erase("name_zh_cn");
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): units[0] (\"north-office\"): "
        "missing \"name_zh_cn\"");

  document = DirectoryJson();
  document["departments"][0]["units"][0] = "north";
  CHECK(LoadError(document) ==
        "department directory: departments[0] (\"marketing\"): units[0]: must be an object, got "
        "\"north\"");
}

TEST_CASE("directory errors: handlers") {
  json document = DirectoryJson();
  document["handlers"][1]["department"] = "sales";
  CHECK(LoadError(document) ==
        "department directory: handlers[1] (\"m-north-1\"): unknown department \"sales\"");

  document = DirectoryJson();
  document["handlers"][1]["unit"] = "west-office";
  CHECK(LoadError(document) ==
        "department directory: handlers[1] (\"m-north-1\"): unknown unit \"west-office\" of "
        "department \"marketing\"");

  // South is marketing's unit, not operations'.
  document = DirectoryJson();
  document["handlers"][6]["unit"] = "south-office";
  CHECK(LoadError(document) ==
        "department directory: handlers[6] (\"o-north-senior\"): unknown unit \"south-office\" "
        "of department \"operations\"");

  document = DirectoryJson();
  document["handlers"][2]["id"] = "m-north-1";
  CHECK(LoadError(document) ==
        "department directory: handlers[2] (\"m-north-1\"): duplicate handler id");

  document = DirectoryJson();
  document["handlers"][1]["senior"] = "yes";
  CHECK(LoadError(document) ==
        "department directory: handlers[1] (\"m-north-1\"): \"senior\" must be true or false, "
        "got \"yes\"");

  document = DirectoryJson();
  document["handlers"][1]["supervisor"] = 1;
  CHECK(LoadError(document) ==
        "department directory: handlers[1] (\"m-north-1\"): \"supervisor\" must be true or "
        "false, got 1");

  document = DirectoryJson();
  document["handlers"][1].erase("name");
  CHECK(LoadError(document) ==
        "department directory: handlers[1] (\"m-north-1\"): missing \"name\"");

  document = DirectoryJson();
  document["handlers"][1].erase("department");
  CHECK(LoadError(document) ==
        "department directory: handlers[1] (\"m-north-1\"): missing \"department\"");

  document = DirectoryJson();
  document["handlers"][1]["phone"] = "95598";
  CHECK(LoadError(document) ==
        "department directory: handlers[1] (\"m-north-1\"): unknown key \"phone\" (known: id, "
        "name, department, unit, senior, supervisor)");

  document = DirectoryJson();
  document["handlers"][1] = "m-north-1";
  CHECK(LoadError(document) ==
        "department directory: handlers[1]: must be an object, got \"m-north-1\"");
}

TEST_CASE("directory errors: pool, coordinator and roles") {
  json document = DirectoryJson();
  document.erase("pool_department");
  CHECK(LoadError(document) == "department directory: missing \"pool_department\"");

  document = DirectoryJson();
  document["pool_department"] = "nowhere";
  CHECK(LoadError(document) ==
        "department directory: pool_department: unknown department \"nowhere\"");

  document = DirectoryJson();
  document.erase("coordinator");
  CHECK(LoadError(document) == "department directory: missing \"coordinator\"");

  document = DirectoryJson();
  document["coordinator"] = "nobody";
  CHECK(LoadError(document) == "department directory: coordinator: unknown handler \"nobody\"");

  document = DirectoryJson();
  document["roles"] = json::array();
  CHECK(LoadError(document) == "department directory: \"roles\" must be an object, got []");

  document = DirectoryJson();
  document["roles"]["department-head"].erase("en");
  CHECK(LoadError(document) == "department directory: roles.department-head: missing \"en\"");

  document = DirectoryJson();
  document["roles"]["department-head"]["fr"] = "Chef";
  CHECK(LoadError(document) ==
        "department directory: roles.department-head: unknown key \"fr\" (known: zh_cn, en)");

  document = DirectoryJson();
  document["roles"]["company-leadership"] = "公司领导";
  CHECK(LoadError(document) ==
        "department directory: roles.company-leadership: must be an object, got \"公司领导\"");

  document = DirectoryJson();
  document["roles"]["bad role"] = {{"zh_cn", "甲"}, {"en", "A"}};
  CHECK(LoadError(document) ==
        "department directory: roles.bad role: a role must be 1-64 characters of [A-Za-z0-9._-]");

  // Roles are optional.
  document = DirectoryJson();
  document.erase("roles");
  auto loaded = DepartmentDirectory::FromJson(document.dump());
  REQUIRE(loaded.ok());
  v1::ComplaintCase c;
  c.set_department_id("marketing");
  CHECK(loaded->MustAct("department-head", c).display_name() ==
        "林建华 (department-head, 营销部 / Marketing)");
}

}  // namespace
}  // namespace gridcare::complaint
