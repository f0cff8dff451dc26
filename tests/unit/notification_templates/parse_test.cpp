#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "catalogue_fixture.h"
#include "template_catalogue.h"

namespace gridcare::notification {
namespace {

using testing::MustParse;
using testing::OneTemplate;
using testing::ParseOutcome;

const std::string kOk = "ok";

TEST_CASE("A valid template loads with its class and audience and placeholders") {
  const TemplateCatalogue catalogue = MustParse(
      OneTemplate("因{cause}，{area}停电，预计{etr}恢复。{area}", "{area}: {cause} until {etr}"));
  CHECK(catalogue.Has("outage.started"));
  CHECK_FALSE(catalogue.Has("outage.restored"));
  CHECK(catalogue.ClassOf("outage.started") == MessageClass::kOutage);
  CHECK(catalogue.ClassOf("nothing") == std::nullopt);
  CHECK(catalogue.AudienceOf("outage.started") == Audience::kCustomer);
  CHECK(catalogue.AudienceOf("nothing") == std::nullopt);
  CHECK(catalogue.Placeholders("outage.started") ==
        std::vector<std::string_view>{"cause", "area", "etr"});
  CHECK(catalogue.Placeholders("nothing").empty());
  CHECK(catalogue.Ids() == std::vector<std::string_view>{"outage.started"});
  const MessageTemplate* t = catalogue.Find("outage.started");
  REQUIRE(t != nullptr);
  CHECK(t->id == "outage.started");
  CHECK(t->texts.size() == 2);
  CHECK(catalogue.Find("nothing") == nullptr);
}

TEST_CASE("Every message class name loads and staff goes with the staff audience") {
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "safety")) == kOk);
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "outage")) == kOk);
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "service")) == kOk);
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "marketing")) == kOk);
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "staff", "staff")) == kOk);
  const TemplateCatalogue catalogue = MustParse(OneTemplate("a", "a", "s.x", "staff", "staff"));
  CHECK(catalogue.ClassOf("s.x") == MessageClass::kStaff);
  CHECK(catalogue.AudienceOf("s.x") == Audience::kStaff);
}

TEST_CASE("Notes are allowed at the top and on templates") {
  CHECK(ParseOutcome(R"({"note": "n", "templates": [{"note": "t", "id": "a", "class": "service",
      "audience": "customer", "text": {"zh-CN": "x", "en": "y"}}]})") == kOk);
  CHECK(ParseOutcome(R"({"note": 1, "templates": []})") ==
        "INVALID_ARGUMENT: templates: \"note\" must be a string, got 1");
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "outage", "customer", R"("note": [], )")) ==
        "INVALID_ARGUMENT: templates: \"x\": \"note\" must be a string, got []");
}

TEST_CASE("The top level must be an object with a non-empty templates array and no other keys") {
  CHECK(ParseOutcome("[]") == "INVALID_ARGUMENT: templates: expected a JSON object, got array");
  CHECK(ParseOutcome("{").rfind("INVALID_ARGUMENT: templates: not valid JSON: ", 0) == 0);
  CHECK(ParseOutcome("{}") ==
        "INVALID_ARGUMENT: templates: \"templates\" must be a non-empty array");
  CHECK(ParseOutcome(R"({"templates": []})") ==
        "INVALID_ARGUMENT: templates: \"templates\" must be a non-empty array");
  CHECK(ParseOutcome(R"({"templates": {}})") ==
        "INVALID_ARGUMENT: templates: \"templates\" must be a non-empty array");
  CHECK(ParseOutcome(R"({"templates": [], "template": []})") ==
        "INVALID_ARGUMENT: templates: unknown key \"template\" (known: templates, note)");
  CHECK(ParseOutcome(R"({"templates": [], "templates": []})") ==
        "INVALID_ARGUMENT: templates: key \"templates\" given more than once");
}

TEST_CASE("A template entry must be an object with a valid id") {
  CHECK(ParseOutcome(R"({"templates": ["x"]})") ==
        "INVALID_ARGUMENT: templates: templates[0]: must be an object, got \"x\"");
  CHECK(ParseOutcome(R"({"templates": [{"class": "outage"}]})") ==
        "INVALID_ARGUMENT: templates: templates[0]: missing \"id\"");
  CHECK(ParseOutcome(R"({"templates": [{"id": 7}]})") ==
        "INVALID_ARGUMENT: templates: templates[0]: \"id\" must be a string, got 7");
  CHECK(ParseOutcome(OneTemplate("a", "a", "Outage.Started")) ==
        "INVALID_ARGUMENT: templates: templates[0]: \"id\" must be 1-64 characters of "
        "[a-z0-9._-], got \"Outage.Started\"");
  CHECK(ParseOutcome(OneTemplate("a", "a", "")) ==
        "INVALID_ARGUMENT: templates: templates[0]: \"id\" must be 1-64 characters of "
        "[a-z0-9._-], got \"\"");
  CHECK(ParseOutcome(OneTemplate("a", "a", std::string(64, 'a'))) == kOk);
  CHECK(ParseOutcome(OneTemplate("a", "a", std::string(65, 'a'))) ==
        "INVALID_ARGUMENT: templates: templates[0]: \"id\" must be 1-64 characters of "
        "[a-z0-9._-], got \"" +
            std::string(65, 'a') + "\"");
}

TEST_CASE("Unknown keys in a template or its text are named") {
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "outage", "customer", R"("lang": "en", )")) ==
        "INVALID_ARGUMENT: templates: \"x\": unknown key \"lang\" (known: id, class, audience, "
        "text, note)");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "class": "outage", "audience": "customer",
      "text": {"zh-CN": "a", "en": "b", "fr": "c"}}]})") ==
        "INVALID_ARGUMENT: templates: \"x\": text: unknown key \"fr\" (known: zh-CN, en)");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "class": "outage", "audience": "customer",
      "text": {"zh-CN": "a", "en": "b", "zh_cn": "c"}}]})") ==
        "INVALID_ARGUMENT: templates: \"x\": text: unknown key \"zh_cn\" (known: zh-CN, en)");
}

TEST_CASE("Class and audience must be known and agree") {
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "urgent")) ==
        "INVALID_ARGUMENT: templates: \"x\": unknown class \"urgent\" (known: safety, outage, "
        "service, marketing, staff)");
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "Outage")) ==
        "INVALID_ARGUMENT: templates: \"x\": unknown class \"Outage\" (known: safety, outage, "
        "service, marketing, staff)");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "audience": "customer"}]})") ==
        "INVALID_ARGUMENT: templates: \"x\": missing \"class\"");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "class": 1}]})") ==
        "INVALID_ARGUMENT: templates: \"x\": \"class\" must be a string, got 1");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "class": "outage"}]})") ==
        "INVALID_ARGUMENT: templates: \"x\": missing \"audience\"");
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "outage", "crew")) ==
        "INVALID_ARGUMENT: templates: \"x\": unknown audience \"crew\" (known: customer, staff)");
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "staff", "customer")) ==
        "INVALID_ARGUMENT: templates: \"x\": class \"staff\" is only for audience \"staff\"");
  CHECK(ParseOutcome(OneTemplate("a", "a", "x", "safety", "staff")) ==
        "INVALID_ARGUMENT: templates: \"x\": audience \"staff\" needs class \"staff\"");
}

TEST_CASE("Both languages are required as non-empty strings") {
  CHECK(
      ParseOutcome(R"({"templates": [{"id": "x", "class": "outage", "audience": "customer"}]})") ==
      "INVALID_ARGUMENT: templates: \"x\": missing \"text\"");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "class": "outage", "audience": "customer",
      "text": "a"}]})") ==
        "INVALID_ARGUMENT: templates: \"x\": \"text\" must be an object, got \"a\"");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "class": "outage", "audience": "customer",
      "text": {"zh-CN": "a"}}]})") == "INVALID_ARGUMENT: templates: \"x\" (en): missing text");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "class": "outage", "audience": "customer",
      "text": {"en": "a"}}]})") == "INVALID_ARGUMENT: templates: \"x\" (zh-CN): missing text");
  CHECK(ParseOutcome(R"({"templates": [{"id": "x", "class": "outage", "audience": "customer",
      "text": {"zh-CN": "a", "en": 3}}]})") ==
        "INVALID_ARGUMENT: templates: \"x\" (en): text must be a string, got 3");
  CHECK(ParseOutcome(OneTemplate(" ", "a", "x")) ==
        "INVALID_ARGUMENT: templates: \"x\" (zh-CN): text is empty");
  CHECK(ParseOutcome(OneTemplate("a", "", "x")) ==
        "INVALID_ARGUMENT: templates: \"x\" (en): text is empty");
}

TEST_CASE("An unknown placeholder names the template the language and the placeholder") {
  CHECK(ParseOutcome(OneTemplate("预计{etr}恢复", "back by {etx}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): unknown placeholder {etx}");
  CHECK(ParseOutcome(OneTemplate("预计{ETR}恢复", "back by {etr}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (zh-CN): unknown placeholder {ETR}");
  CHECK(ParseOutcome(OneTemplate("拨打{phone}", "call {phone}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (zh-CN): unknown placeholder {phone}");
  CHECK(ParseOutcome(OneTemplate("{ etr }", "{etr}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (zh-CN): unknown placeholder { etr }");
  CHECK(ParseOutcome(OneTemplate("a{}", "a")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (zh-CN): empty placeholder {} at "
        "character 2");
}

TEST_CASE("Unbalanced braces are reported with their position in characters") {
  CHECK(ParseOutcome(OneTemplate("预计{etr恢复", "x")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (zh-CN): \"{\" at character 3 has no "
        "closing \"}\" (write \"{{\" for a literal brace)");
  CHECK(ParseOutcome(OneTemplate("a", "back {etr")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): \"{\" at character 6 has no "
        "closing \"}\" (write \"{{\" for a literal brace)");
  CHECK(ParseOutcome(OneTemplate("a", "{area{etr}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): \"{\" at character 1 has no "
        "closing \"}\" (write \"{{\" for a literal brace)");
  CHECK(ParseOutcome(OneTemplate("a", "done}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): \"}\" at character 5 has no "
        "opening \"{\" (write \"}}\" for a literal brace)");
  CHECK(ParseOutcome(OneTemplate("恢复}", "a")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (zh-CN): \"}\" at character 3 has no "
        "opening \"{\" (write \"}}\" for a literal brace)");
  CHECK(ParseOutcome(OneTemplate("{etr}", "{etr}}}")) == kOk);
  CHECK(ParseOutcome(OneTemplate("{etr}", "{etr}}}}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): \"}\" at character 8 has no "
        "opening \"{\" (write \"}}\" for a literal brace)");
  CHECK(ParseOutcome(OneTemplate("a", "{{etr}}}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): \"}\" at character 8 has no "
        "opening \"{\" (write \"}}\" for a literal brace)");
  CHECK(ParseOutcome(OneTemplate("{{}}", "{{x}} {{{area}}}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): uses {area}, which zh-CN does not");
}

TEST_CASE("Both languages must use the same placeholders") {
  CHECK(ParseOutcome(OneTemplate("{area}{etr}", "{area}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): lacks {etr}, which zh-CN has");
  CHECK(ParseOutcome(OneTemplate("{area}", "{area} {cause}")) ==
        "INVALID_ARGUMENT: templates: \"outage.started\" (en): uses {cause}, which zh-CN does not");
  CHECK(ParseOutcome(OneTemplate("{area}{etr}", "{etr} {area} {etr}")) == kOk);
}

TEST_CASE("A template id given twice names both entries") {
  const std::string entry =
      R"({"id": "%", "class": "outage", "audience": "customer", "text": {"zh-CN": "a", "en": "b"}})";
  auto with_id = [&](const std::string& id) {
    std::string e = entry;
    e.replace(e.find('%'), 1, id);
    return e;
  };
  CHECK(ParseOutcome(R"({"templates": [)" + with_id("a") + "," + with_id("b") + "," + with_id("c") +
                     "," + with_id("b") + "]}") ==
        "INVALID_ARGUMENT: templates: \"b\": id given twice (templates[1] and templates[3])");
}

TEST_CASE("Several templates load and are listed in id order") {
  const TemplateCatalogue catalogue = MustParse(R"({"templates": [
        {"id": "a.one", "class": "service", "audience": "customer", "text": {"zh-CN": "一", "en": "one"}},
        {"id": "a.two", "class": "marketing", "audience": "customer", "text": {"zh-CN": "二", "en": "two"}}
      ]})");
  CHECK(catalogue.Ids() == std::vector<std::string_view>{"a.one", "a.two"});
  CHECK(catalogue.ClassOf("a.two") == MessageClass::kMarketing);
}

}  // namespace
}  // namespace gridcare::notification
