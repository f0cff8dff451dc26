#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>

#include "catalogue_fixture.h"
#include "template_catalogue.h"

namespace gridcare::notification {
namespace {

using namespace std::chrono_literals;
using testing::MustParse;

// 2026-12-06 06:30 UTC: 14:30 in China.
const core::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 6h + 30min;
const TimeContext kChina{kNow, 480};

// One template per placeholder type, plus one of several and one of escapes.
const TemplateCatalogue& Catalogue() {
  static const TemplateCatalogue catalogue = MustParse(R"({"templates": [
    {"id": "outage.started", "class": "outage", "audience": "customer", "text": {
      "zh-CN": "因{cause}，您所在的{area}停电，预计{etr}恢复供电。",
      "en": "Power is off in {area} due to {cause}, back by {etr}."}},
    {"id": "t.text", "class": "service", "audience": "customer",
     "text": {"zh-CN": "区域：{area}", "en": "Area: {area}"}},
    {"id": "t.id", "class": "service", "audience": "customer",
     "text": {"zh-CN": "工单号{ticket_id}", "en": "Ticket {ticket_id}"}},
    {"id": "t.localized", "class": "service", "audience": "customer",
     "text": {"zh-CN": "原因：{cause}", "en": "Cause: {cause}"}},
    {"id": "t.time", "class": "service", "audience": "customer",
     "text": {"zh-CN": "预计{etr}", "en": "By {etr}"}},
    {"id": "t.address", "class": "service", "audience": "customer",
     "text": {"zh-CN": "地址：{address}", "en": "Address: {address}"}},
    {"id": "t.count", "class": "staff", "audience": "staff",
     "text": {"zh-CN": "{customers_affected}户", "en": "{customers_affected} customers"}},
    {"id": "t.escapes", "class": "service", "audience": "customer",
     "text": {"zh-CN": "{{area}}={area}；}}{{", "en": "{{{area}}} {{}}"}}
  ]})");
  return catalogue;
}

std::string RenderOrError(std::string_view id, v1::Language language,
                          const PlaceholderValues& values, const TimeContext& time = kChina) {
  auto message = Catalogue().Render(id, language, values, time);
  if (!message.ok()) return message.error().ToString();
  CHECK(message->template_id == id);
  return message->text;
}

PlaceholderValues OutageValues() {
  PlaceholderValues values;
  values.SetLocalized("cause", "线路故障", "a line fault")
      .SetText("area", "体育西路 1 号台区")
      .SetTime("etr", kNow + 2h);
  return values;
}

TEST_CASE("A template renders in zh-CN and in en with every placeholder filled") {
  const PlaceholderValues values = OutageValues();
  auto zh = Catalogue().Render("outage.started", v1::LANGUAGE_ZH_CN, values, kChina);
  REQUIRE(zh.ok());
  CHECK(zh->template_id == "outage.started");
  CHECK(zh->language == v1::LANGUAGE_ZH_CN);
  CHECK(zh->text == "因线路故障，您所在的体育西路 1 号台区停电，预计12月6日 16:30恢复供电。");
  auto en = Catalogue().Render("outage.started", v1::LANGUAGE_EN, values, kChina);
  REQUIRE(en.ok());
  CHECK(en->language == v1::LANGUAGE_EN);
  CHECK(en->text == "Power is off in 体育西路 1 号台区 due to a line fault, back by 6 Dec 16:30.");
}

TEST_CASE("An unspecified or unknown language falls back to zh-CN") {
  const PlaceholderValues values = OutageValues();
  for (const v1::Language requested : {v1::LANGUAGE_UNSPECIFIED, static_cast<v1::Language>(7)}) {
    auto message = Catalogue().Render("outage.started", requested, values, kChina);
    REQUIRE(message.ok());
    CHECK(message->language == v1::LANGUAGE_ZH_CN);
    CHECK(message->text ==
          "因线路故障，您所在的体育西路 1 号台区停电，预计12月6日 16:30恢复供电。");
  }
  CHECK(Catalogue().LanguageFor("outage.started", v1::LANGUAGE_EN) == v1::LANGUAGE_EN);
  CHECK(Catalogue().LanguageFor("outage.started", v1::LANGUAGE_ZH_CN) == v1::LANGUAGE_ZH_CN);
  CHECK(Catalogue().LanguageFor("outage.started", v1::LANGUAGE_UNSPECIFIED) == v1::LANGUAGE_ZH_CN);
  CHECK(Catalogue().LanguageFor("nothing", v1::LANGUAGE_EN) == v1::LANGUAGE_ZH_CN);
  CHECK(LanguageTag(v1::LANGUAGE_ZH_CN) == "zh-CN");
  CHECK(LanguageTag(v1::LANGUAGE_EN) == "en");
  CHECK(LanguageTag(v1::LANGUAGE_UNSPECIFIED).empty());
}

TEST_CASE("Text and id placeholders are inserted as they are") {
  PlaceholderValues values;
  values.SetText("area", "{etr} 1 号台区").SetId("ticket_id", "GD-20261206-000123");
  CHECK(RenderOrError("t.text", v1::LANGUAGE_ZH_CN, values) == "区域：{etr} 1 号台区");
  CHECK(RenderOrError("t.text", v1::LANGUAGE_EN, values) == "Area: {etr} 1 号台区");
  CHECK(RenderOrError("t.id", v1::LANGUAGE_ZH_CN, values) == "工单号GD-20261206-000123");
  CHECK(RenderOrError("t.id", v1::LANGUAGE_EN, values) == "Ticket GD-20261206-000123");
}

TEST_CASE("A localized placeholder uses the rendering language and else the other side") {
  PlaceholderValues values;
  values.SetLocalized("cause", "树障", "a fallen tree");
  CHECK(RenderOrError("t.localized", v1::LANGUAGE_ZH_CN, values) == "原因：树障");
  CHECK(RenderOrError("t.localized", v1::LANGUAGE_EN, values) == "Cause: a fallen tree");
  values.SetLocalized("cause", "树障", " ");
  CHECK(RenderOrError("t.localized", v1::LANGUAGE_EN, values) == "Cause: 树障");
  values.SetLocalized("cause", "", "a fallen tree");
  CHECK(RenderOrError("t.localized", v1::LANGUAGE_ZH_CN, values) == "原因：a fallen tree");
  v1::LocalizedText text;
  text.set_zh_cn("雷击");
  text.set_en("lightning");
  values.SetLocalized("cause", text);
  CHECK(RenderOrError("t.localized", v1::LANGUAGE_ZH_CN, values) == "原因：雷击");
  CHECK(RenderOrError("t.localized", v1::LANGUAGE_EN, values) == "Cause: lightning");
}

TEST_CASE("A time placeholder is shown in the recipient's local time and language") {
  PlaceholderValues values;
  values.SetTime("etr", kNow + 10h);  // 00:30 the next day in China
  CHECK(RenderOrError("t.time", v1::LANGUAGE_ZH_CN, values) == "预计12月7日 00:30");
  CHECK(RenderOrError("t.time", v1::LANGUAGE_EN, values) == "By 7 Dec 00:30");
  CHECK(RenderOrError("t.time", v1::LANGUAGE_EN, values, {kNow, 0}) == "By 6 Dec 16:30");
  CHECK(RenderOrError("t.time", v1::LANGUAGE_EN, values, {kNow, -300}) == "By 6 Dec 11:30");
}

TEST_CASE("An address placeholder is masked in both languages") {
  PlaceholderValues values;
  values.SetAddress("address", "广州市天河区体育西路 191 号 3 栋 502");
  CHECK(RenderOrError("t.address", v1::LANGUAGE_ZH_CN, values) ==
        "地址：广州市天河区体育西路 *** 号 * 栋 ***");
  CHECK(RenderOrError("t.address", v1::LANGUAGE_EN, values) ==
        "Address: 广州市天河区体育西路 *** 号 * 栋 ***");
  values.SetAddress("address", "Room 502, 191 Tiyu West Road");
  CHECK(RenderOrError("t.address", v1::LANGUAGE_EN, values) ==
        "Address: Room ***, *** Tiyu West Road");
}

TEST_CASE("A count placeholder is written in decimal") {
  PlaceholderValues values;
  for (const auto& [count, zh, en] :
       {std::tuple<int64_t, std::string, std::string>{0, "0户", "0 customers"},
        {1234567, "1234567户", "1234567 customers"},
        {-3, "-3户", "-3 customers"},
        {std::numeric_limits<int64_t>::max(), "9223372036854775807户",
         "9223372036854775807 customers"}}) {
    values.SetCount("customers_affected", count);
    CHECK(RenderOrError("t.count", v1::LANGUAGE_ZH_CN, values) == zh);
    CHECK(RenderOrError("t.count", v1::LANGUAGE_EN, values) == en);
  }
}

TEST_CASE("Doubled braces render as single braces") {
  PlaceholderValues values;
  values.SetText("area", "A1");
  CHECK(RenderOrError("t.escapes", v1::LANGUAGE_ZH_CN, values) == "{area}=A1；}{");
  CHECK(RenderOrError("t.escapes", v1::LANGUAGE_EN, values) == "{A1} {}");
}

TEST_CASE("A missing value is a failed precondition that names the placeholder") {
  PlaceholderValues values = OutageValues();
  CHECK(RenderOrError("t.id", v1::LANGUAGE_EN, values) ==
        "FAILED_PRECONDITION: template \"t.id\" (en): placeholder {ticket_id} has no value");
  PlaceholderValues partial;
  partial.SetText("area", "A1");
  CHECK(RenderOrError("outage.started", v1::LANGUAGE_ZH_CN, partial) ==
        "FAILED_PRECONDITION: template \"outage.started\" (zh-CN): placeholder {cause} has no "
        "value");
  CHECK(RenderOrError("outage.started", v1::LANGUAGE_UNSPECIFIED, partial) ==
        "FAILED_PRECONDITION: template \"outage.started\" (zh-CN): placeholder {cause} has no "
        "value");
}

TEST_CASE("A blank value is a failed precondition") {
  PlaceholderValues values;
  values.SetText("area", " ").SetId("ticket_id", "").SetLocalized("cause", "", " ");
  values.SetAddress("address", "  ");
  CHECK(RenderOrError("t.text", v1::LANGUAGE_EN, values) ==
        "FAILED_PRECONDITION: template \"t.text\" (en): placeholder {area} is empty");
  CHECK(RenderOrError("t.id", v1::LANGUAGE_ZH_CN, values) ==
        "FAILED_PRECONDITION: template \"t.id\" (zh-CN): placeholder {ticket_id} is empty");
  CHECK(RenderOrError("t.localized", v1::LANGUAGE_EN, values) ==
        "FAILED_PRECONDITION: template \"t.localized\" (en): placeholder {cause} is empty");
  CHECK(RenderOrError("t.address", v1::LANGUAGE_EN, values) ==
        "FAILED_PRECONDITION: template \"t.address\" (en): placeholder {address} is empty");
}

TEST_CASE("A value of the wrong type is an invalid argument that names both types") {
  PlaceholderValues values;
  values.SetText("etr", "14:30")
      .SetTime("area", kNow)
      .SetText("address", "体育西路 191 号")
      .SetId("cause", "x")
      .SetLocalized("ticket_id", "a", "b")
      .SetAddress("customers_affected", "3");
  CHECK(RenderOrError("t.time", v1::LANGUAGE_ZH_CN, values) ==
        "INVALID_ARGUMENT: template \"t.time\" (zh-CN): placeholder {etr} takes time, got text");
  CHECK(RenderOrError("t.text", v1::LANGUAGE_EN, values) ==
        "INVALID_ARGUMENT: template \"t.text\" (en): placeholder {area} takes text, got time");
  CHECK(RenderOrError("t.address", v1::LANGUAGE_EN, values) ==
        "INVALID_ARGUMENT: template \"t.address\" (en): placeholder {address} takes masked "
        "address, got text");
  CHECK(RenderOrError("t.localized", v1::LANGUAGE_EN, values) ==
        "INVALID_ARGUMENT: template \"t.localized\" (en): placeholder {cause} takes localized "
        "text, got id");
  CHECK(RenderOrError("t.id", v1::LANGUAGE_EN, values) ==
        "INVALID_ARGUMENT: template \"t.id\" (en): placeholder {ticket_id} takes id, got "
        "localized text");
  CHECK(RenderOrError("t.count", v1::LANGUAGE_EN, values) ==
        "INVALID_ARGUMENT: template \"t.count\" (en): placeholder {customers_affected} takes "
        "count, got masked address");
  values.SetCount("area", 3);
  CHECK(RenderOrError("t.text", v1::LANGUAGE_EN, values) ==
        "INVALID_ARGUMENT: template \"t.text\" (en): placeholder {area} takes text, got count");
}

TEST_CASE("An unknown template is not found") {
  CHECK(RenderOrError("outage.nothing", v1::LANGUAGE_EN, OutageValues()) ==
        "NOT_FOUND: unknown template \"outage.nothing\"");
}

TEST_CASE("A UTC offset beyond 14 hours is an invalid argument") {
  PlaceholderValues values;
  values.SetTime("etr", kNow);
  CHECK(RenderOrError("t.time", v1::LANGUAGE_EN, values, {kNow, 840}) == "By 6 Dec 20:30");
  CHECK(RenderOrError("t.time", v1::LANGUAGE_EN, values, {kNow, -840}) == "By 5 Dec 16:30");
  CHECK(RenderOrError("t.time", v1::LANGUAGE_EN, values, {kNow, 841}) ==
        "INVALID_ARGUMENT: template \"t.time\": UTC offset must be within ±840 minutes, got 841");
  CHECK(RenderOrError("t.text", v1::LANGUAGE_EN, values, {kNow, -841}) ==
        "INVALID_ARGUMENT: template \"t.text\": UTC offset must be within ±840 minutes, got -841");
}

TEST_CASE("Values a template does not use are ignored and a later set replaces an earlier one") {
  PlaceholderValues values = OutageValues();
  values.SetText("unknown_name", "x").SetCount("level", 2);
  values.SetText("area", "A2");
  CHECK(values.size() == 5);
  REQUIRE(values.Find("area") != nullptr);
  CHECK(values.Find("area")->text == "A2");
  CHECK(values.Find("nothing") == nullptr);
  CHECK(RenderOrError("t.text", v1::LANGUAGE_EN, values) == "Area: A2");
  values.SetTime("area", kNow);
  CHECK(values.Find("area")->type == PlaceholderType::kTime);
  CHECK(values.size() == 5);
}

}  // namespace
}  // namespace gridcare::notification
