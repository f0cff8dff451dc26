#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridcare/config/files.h"
#include "gridcare/core/utf8.h"
#include "template_catalogue.h"

namespace gridcare::notification {
namespace {

using namespace std::chrono_literals;

// 2026-12-06 06:30 UTC: 14:30 in China.
const core::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 6h + 30min;
const TimeContext kChina{kNow, 480};
const std::string kAddress = "广州市天河区体育西路 191 号 3 栋 502";

const TemplateCatalogue& Shipped() {
  static const TemplateCatalogue catalogue = [] {
    auto text = config::ReadTextFile(std::string(GRIDCARE_SOURCE_DIR) +
                                     "/services/notification/config/templates.json");
    if (!text.ok()) throw std::runtime_error(text.error().ToString());
    auto parsed = TemplateCatalogue::Parse(*text);
    if (!parsed.ok()) throw std::runtime_error(parsed.error().ToString());
    return std::move(*parsed);
  }();
  return catalogue;
}

// A value for every placeholder of the registry, of the right type.
PlaceholderValues FullValues() {
  PlaceholderValues values;
  for (const PlaceholderSpec& spec : PlaceholderRegistry()) {
    switch (spec.type) {
      case PlaceholderType::kText:
        values.SetText(spec.name, "体育西路 1 号台区");
        break;
      case PlaceholderType::kId:
        values.SetId(spec.name, "GD-20261206-000123");
        break;
      case PlaceholderType::kLocalizedText:
        values.SetLocalized(spec.name, "线路故障", "a line fault");
        break;
      case PlaceholderType::kTime:
        values.SetTime(spec.name, kNow + 3h);
        break;
      case PlaceholderType::kMaskedAddress:
        values.SetAddress(spec.name, kAddress);
        break;
      case PlaceholderType::kCount:
        values.SetCount(spec.name, 42);
        break;
    }
  }
  return values;
}

bool HasHan(std::string_view text) {
  for (const char32_t c : core::DecodeUtf8(text)) {
    if (c >= 0x4E00 && c <= 0x9FFF) return true;
  }
  return false;
}

// The literal parts of one language's text (the placeholders' values left out).
std::string Literals(const MessageTemplate& t, v1::Language language) {
  std::string out;
  for (const auto& segment : t.texts.at(language)) out += segment.literal;
  return out;
}

TEST_CASE("The shipped templates load with the expected ids and classes") {
  const std::vector<std::pair<std::string_view, MessageClass>> expected = {
      {"application.connected", MessageClass::kService},
      {"application.documents_complete", MessageClass::kService},
      {"application.documents_missing", MessageClass::kService},
      {"application.work_done", MessageClass::kService},
      {"appointment.booked", MessageClass::kService},
      {"appointment.rebooked", MessageClass::kService},
      {"appointment.reminder", MessageClass::kService},
      {"complaint.contacted", MessageClass::kService},
      {"complaint.replied", MessageClass::kService},
      {"complaint.return_visit_due", MessageClass::kService},
      {"outage.crew_on_site", MessageClass::kOutage},
      {"outage.etr_changed", MessageClass::kOutage},
      {"outage.restored", MessageClass::kOutage},
      {"outage.started", MessageClass::kOutage},
      {"outage.started_no_etr", MessageClass::kOutage},
      {"planned_outage.cancelled", MessageClass::kOutage},
      {"planned_outage.notice", MessageClass::kOutage},
      {"planned_outage.reminder", MessageClass::kOutage},
      {"safety.life_support_outage", MessageClass::kSafety},
      {"safety.life_support_outage_no_etr", MessageClass::kSafety},
      {"staff.complaint_reminder", MessageClass::kStaff},
      {"staff.risk_warning", MessageClass::kStaff},
      {"staff.risk_warning_summary", MessageClass::kStaff},
      {"staff.supervision_raised", MessageClass::kStaff},
      {"ticket.answered", MessageClass::kService},
      {"ticket.attached_no_etr", MessageClass::kOutage},
      {"ticket.attached_to_incident", MessageClass::kOutage},
      {"ticket.attached_to_planned_outage", MessageClass::kOutage},
      {"ticket.opened", MessageClass::kService},
      {"ticket.rejected", MessageClass::kService},
  };
  std::vector<std::string_view> ids;
  for (const auto& [id, message_class] : expected) {
    ids.push_back(id);
    INFO(id);
    CHECK(Shipped().ClassOf(id) == message_class);
    CHECK(Shipped().AudienceOf(id) ==
          (message_class == MessageClass::kStaff ? Audience::kStaff : Audience::kCustomer));
  }
  CHECK(Shipped().Ids() == ids);
}

TEST_CASE("Every shipped template renders in both languages with a full value set") {
  const PlaceholderValues values = FullValues();
  for (const std::string_view id : Shipped().Ids()) {
    for (const v1::Language language : {v1::LANGUAGE_ZH_CN, v1::LANGUAGE_EN}) {
      INFO(id << " " << LanguageTag(language));
      auto message = Shipped().Render(id, language, values, kChina);
      REQUIRE(message.ok());
      CHECK(message->language == language);
      CHECK(core::IsValidUtf8(message->text));
      CHECK(message->text.find_first_of("{}") == std::string::npos);
      CHECK(message->text.find("191") == std::string::npos);  // the address is masked
      const MessageTemplate& t = *Shipped().Find(id);
      CHECK(HasHan(Literals(t, v1::LANGUAGE_ZH_CN)));
      CHECK_FALSE(HasHan(Literals(t, v1::LANGUAGE_EN)));
      if (t.audience == Audience::kCustomer) {
        CHECK(message->text.find("95598") != std::string::npos);
        CHECK(message->text.rfind(language == v1::LANGUAGE_EN ? "[State Grid] " : "【国网电力】",
                                  0) == 0);
      }
    }
  }
}

TEST_CASE("Customer templates never name staff and use only customer placeholders") {
  for (const std::string_view id : Shipped().Ids()) {
    INFO(id);
    const std::vector<std::string_view> names = Shipped().Placeholders(id);
    CHECK_FALSE(names.empty());
    if (Shipped().AudienceOf(id) == Audience::kCustomer) {
      CHECK(std::find(names.begin(), names.end(), "staff_name") == names.end());
    } else {
      CHECK(std::find(names.begin(), names.end(), "staff_name") != names.end());
      CHECK(std::find(names.begin(), names.end(), "address") == names.end());
    }
  }
}

TEST_CASE("The shipped outage notice reads as the utility writes it") {
  PlaceholderValues values;
  values.SetLocalized("cause", "线路故障", "a line fault")
      .SetText("area", "体育西路 1 号台区")
      .SetTime("etr", kNow + 2h);
  auto zh = Shipped().Render("outage.started", v1::LANGUAGE_ZH_CN, values, kChina);
  REQUIRE(zh.ok());
  CHECK(zh->text ==
        "【国网电力】尊敬的客户：因线路故障，您所在的体育西路 1 "
        "号台区停电，抢修人员正在处理，预计12月6日 "
        "16:30恢复供电，给您带来不便，敬请谅解。如有疑问请拨打95598。");
  auto en = Shipped().Render("outage.started", v1::LANGUAGE_EN, values, kChina);
  REQUIRE(en.ok());
  CHECK(en->text ==
        "[State Grid] Dear customer, power is off in 体育西路 1 号台区 due to a line fault. Our "
        "crew is working on it and supply is expected back by 6 Dec 16:30. We apologise for the "
        "inconvenience. For questions, call 95598.");
  CHECK(Shipped().Placeholders("outage.started") ==
        std::vector<std::string_view>{"cause", "area", "etr"});
}

TEST_CASE("The shipped restoration notice tells the customer what to do if power is still off") {
  PlaceholderValues values;
  values.SetText("area", "体育西路 1 号台区").SetTime("restored_at", kNow);
  auto zh = Shipped().Render("outage.restored", v1::LANGUAGE_ZH_CN, values, kChina);
  REQUIRE(zh.ok());
  CHECK(zh->text ==
        "【国网电力】尊敬的客户：体育西路 1 号台区已于12月6日 "
        "14:30恢复供电，感谢您的耐心等待。如您家中仍未来电，请回复本短信或拨打95598，我们将尽快"
        "处理。");
  auto en = Shipped().Render("outage.restored", v1::LANGUAGE_EN, values, kChina);
  REQUIRE(en.ok());
  CHECK(en->text ==
        "[State Grid] Dear customer, power in 体育西路 1 号台区 was restored at 6 Dec 14:30. Thank "
        "you for your patience. If your power is still off, reply to this message or call 95598 "
        "and we will deal with it promptly.");
}

TEST_CASE("The shipped life-support warning masks the address") {
  PlaceholderValues values;
  values.SetAddress("address", kAddress)
      .SetLocalized("cause", "线路故障", "a line fault")
      .SetTime("etr", kNow + 2h);
  auto zh = Shipped().Render("safety.life_support_outage", v1::LANGUAGE_ZH_CN, values, kChina);
  REQUIRE(zh.ok());
  CHECK(zh->text.find("广州市天河区体育西路 *** 号 * 栋 ***因线路故障停电") != std::string::npos);
  auto en = Shipped().Render("safety.life_support_outage", v1::LANGUAGE_EN, values, kChina);
  REQUIRE(en.ok());
  CHECK(en->text.find("your address 广州市天河区体育西路 *** 号 * 栋 ***, registered") !=
        std::string::npos);
}

TEST_CASE("The placeholder registry is sorted and every entry is found by name") {
  const auto registry = PlaceholderRegistry();
  CHECK(registry.size() == 28);
  for (size_t i = 0; i < registry.size(); ++i) {
    INFO(registry[i].name);
    if (i > 0) CHECK(registry[i - 1].name < registry[i].name);
    CHECK(FindPlaceholder(registry[i].name) == &registry[i]);
    CHECK_FALSE(registry[i].meaning.empty());
  }
  CHECK(FindPlaceholder("phone") == nullptr);
  CHECK(FindPlaceholder("") == nullptr);
  CHECK(FindPlaceholder("zzz") == nullptr);
  CHECK(FindPlaceholder("etr")->type == PlaceholderType::kTime);
  CHECK(FindPlaceholder("address")->type == PlaceholderType::kMaskedAddress);
  CHECK(FindPlaceholder("cause")->type == PlaceholderType::kLocalizedText);
  CHECK(FindPlaceholder("ticket_id")->type == PlaceholderType::kId);
  CHECK(FindPlaceholder("area")->type == PlaceholderType::kText);
  CHECK(FindPlaceholder("customers_affected")->type == PlaceholderType::kCount);
  CHECK(FindPlaceholder("visit_window")->type == PlaceholderType::kLocalizedText);
  CHECK(FindPlaceholder("documents")->type == PlaceholderType::kLocalizedText);
}

}  // namespace
}  // namespace gridcare::notification
