// How staff are reached (services/notification/staff_directory.h): the shipped file covers the
// complaint desk's handlers, and every error names the entry.
#include "staff_directory.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core_fixture.h"

namespace gridcare::notification {

using test::ReadSource;

TEST_CASE("the shipped staff contacts cover every handler of the complaint desk",
          "[notification][staff]") {
  auto staff =
      StaffDirectory::FromJson(ReadSource("services/notification/config/staff-contacts.json"));
  REQUIRE(staff.ok());
  const auto departments =
      nlohmann::json::parse(ReadSource("services/complaint/config/departments.json"));
  for (const auto& handler : departments.at("handlers")) {
    const std::string id = handler.at("id").get<std::string>();
    INFO(id);
    const auto found = staff->Find(id);
    REQUIRE(found.has_value());
    CHECK(found->kind == v1::RECIPIENT_KIND_STAFF);
    CHECK(found->reach.staff);
    CHECK(found->reach.has_staff_messenger);
  }
  CHECK_FALSE(staff->Find("nobody").has_value());
}

TEST_CASE("staff contact errors name the entry", "[notification][staff]") {
  auto error = [](const std::string& json) {
    auto parsed = StaffDirectory::FromJson(json);
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().message;
  };
  CHECK(error(R"({"staff": [{"id": "a"}]})") ==
        "staff contacts: staff[0] (\"a\"): give a messenger id or an email");
  CHECK(error(R"({"staff": [{"id": "a", "email": "a@x"}, {"id": "a", "email": "b@x"}]})") ==
        "staff contacts: staff[1]: id \"a\" given twice");
  CHECK(error(R"({"staff": [{"id": "a", "email": "a@x", "language": "fr"}]})") ==
        "staff contacts: staff[0].language must be \"zh-CN\" or \"en\", got \"fr\"");
  CHECK(error(R"({"staff": [{"id": "a", "phone": "1"}]})").find("unknown key \"phone\"") !=
        std::string::npos);
  CHECK(error(R"({"people": []})").find("unknown key \"people\"") != std::string::npos);
  auto ok =
      StaffDirectory::FromJson(R"({"staff": [{"id": "a", "email": "a@x", "language": "en"}]})");
  REQUIRE(ok.ok());
  const auto a = ok->Find("a");
  REQUIRE(a.has_value());
  CHECK(a->language == v1::LANGUAGE_EN);
  CHECK_FALSE(a->reach.has_staff_messenger);
  CHECK(a->addresses.at(DeliveryChannel::kEmail) == "a@x");
}

}  // namespace gridcare::notification
