#pragma once

// Shared pieces of the trigger tests: the shipped catalogue and rules, times, proto builders, and
// exact checks of an intent (every field, every placeholder value) with readable failures.

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "gridcare/config/files.h"
#include "trigger_rules.h"

namespace gridcare::notification::testing {

using namespace std::chrono_literals;

/// 2026-12-06 06:30 UTC (14:30 in China).
inline const core::TimePoint kNow =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 6h + 30min;

inline std::string ShippedFile(const std::string& name) {
  auto text = config::ReadTextFile(std::string(GRIDCARE_SOURCE_DIR) +
                                   "/services/notification/config/" + name);
  if (!text.ok()) throw std::runtime_error(text.error().ToString());
  return *text;
}

inline const TemplateCatalogue& ShippedCatalogue() {
  static const TemplateCatalogue catalogue = [] {
    auto parsed = TemplateCatalogue::Parse(ShippedFile("templates.json"));
    if (!parsed.ok()) throw std::runtime_error(parsed.error().ToString());
    return std::move(*parsed);
  }();
  return catalogue;
}

/// The shipped triggers.json with the default ETR settings (margin 30 min, at most 3).
inline const TriggerRules& Shipped() {
  static const TriggerRules rules = [] {
    auto parsed = TriggerRules::FromJson(ShippedFile("triggers.json"), ShippedCatalogue());
    if (!parsed.ok()) throw std::runtime_error(parsed.error().ToString());
    return std::move(*parsed);
  }();
  return rules;
}

inline google::protobuf::Timestamp Ts(core::TimePoint t) {
  google::protobuf::Timestamp ts;
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  ts.set_seconds(nanos / 1'000'000'000);
  ts.set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  return ts;
}

inline v1::LocalizedText Loc(std::string zh_cn, std::string en) {
  v1::LocalizedText text;
  text.set_zh_cn(std::move(zh_cn));
  text.set_en(std::move(en));
  return text;
}

// --- expected placeholder values ---

using Value = PlaceholderValues::Value;

inline Value IdValue(std::string id) { return {PlaceholderType::kId, std::move(id), {}, {}, 0}; }
inline Value TextValue(std::string text) {
  return {PlaceholderType::kText, std::move(text), {}, {}, 0};
}
inline Value LocValue(std::string zh_cn, std::string en) {
  return {PlaceholderType::kLocalizedText, std::move(zh_cn), std::move(en), {}, 0};
}
inline Value TimeValue(core::TimePoint t) { return {PlaceholderType::kTime, {}, {}, t, 0}; }
inline Value CountValue(int64_t n) { return {PlaceholderType::kCount, {}, {}, {}, n}; }

inline std::string Describe(const Value& v) {
  std::string out = std::string(PlaceholderTypeName(v.type)) + ":";
  switch (v.type) {
    case PlaceholderType::kTime:
      return out + core::FormatRfc3339(v.time);
    case PlaceholderType::kCount:
      return out + std::to_string(v.count);
    case PlaceholderType::kLocalizedText:
      return out + v.text + " | " + v.en;
    default:
      return out + v.text;
  }
}

using ExpectedValues = std::vector<std::pair<std::string, Value>>;

/// `actual` holds exactly the `expected` values.
inline void CheckValues(const PlaceholderValues& actual, const ExpectedValues& expected) {
  CHECK(actual.size() == expected.size());
  for (const auto& [name, value] : expected) {
    INFO("placeholder {" << name << "}");
    const Value* found = actual.Find(name);
    REQUIRE(found != nullptr);
    CHECK(Describe(*found) == Describe(value));
  }
}

// --- expected recipients ---

inline Recipients Customer(std::string id, v1::Language language = v1::LANGUAGE_UNSPECIFIED) {
  Recipients r;
  r.kind = Recipients::Kind::kCustomer;
  r.customer_id = std::move(id);
  r.language = language;
  return r;
}

inline Recipients Requester(std::string request_id,
                            v1::Language language = v1::LANGUAGE_UNSPECIFIED) {
  Recipients r;
  r.kind = Recipients::Kind::kRequester;
  r.request_id = std::move(request_id);
  r.language = language;
  return r;
}

inline Recipients TicketOf(std::string ticket_id) {
  Recipients r;
  r.kind = Recipients::Kind::kTicket;
  r.ticket_id = std::move(ticket_id);
  return r;
}

inline Recipients Transformer(std::string id, std::vector<v1::CustomerTag> only = {},
                              std::vector<v1::CustomerTag> except = {}) {
  Recipients r;
  r.kind = Recipients::Kind::kSupply;
  r.transformer_ids = {std::move(id)};
  r.only_tags = std::move(only);
  r.except_tags = std::move(except);
  return r;
}

inline Recipients Feeder(std::string id, std::vector<v1::CustomerTag> only = {},
                         std::vector<v1::CustomerTag> except = {}) {
  Recipients r = Transformer("", std::move(only), std::move(except));
  r.transformer_ids.clear();
  r.feeder_ids = {std::move(id)};
  return r;
}

inline Recipients Staff(std::string id, std::string display_name = "") {
  Recipients r;
  r.kind = Recipients::Kind::kStaff;
  r.staff_id = std::move(id);
  r.staff_display_name = std::move(display_name);
  return r;
}

inline std::string Describe(const Recipients& r) {
  const auto join = [](const auto& list) {
    std::string out;
    for (const auto& item : list) {
      if constexpr (std::is_same_v<std::decay_t<decltype(item)>, std::string>) {
        out += item + ",";
      } else {
        out += std::string(v1::CustomerTag_Name(item)) + ",";
      }
    }
    return "[" + out + "]";
  };
  return "kind=" + std::to_string(static_cast<int>(r.kind)) + " customer=" + r.customer_id +
         " request=" + r.request_id + " ticket=" + r.ticket_id + " feeders=" + join(r.feeder_ids) +
         " transformers=" + join(r.transformer_ids) + " only=" + join(r.only_tags) +
         " except=" + join(r.except_tags) + " staff=" + r.staff_id + " (" + r.staff_display_name +
         ") language=" + std::to_string(r.language);
}

// --- expected intents ---

struct ExpectedIntent {
  std::string trigger;
  std::string template_id;
  std::string subject_id;
  Recipients recipients;
  ExpectedValues values;
  bool proactive = false;
  std::optional<core::TimePoint> not_before;
  std::optional<core::TimePoint> restoration_expected_at;
};

inline std::string Describe(const std::optional<core::TimePoint>& t) {
  return t ? core::FormatRfc3339(*t) : std::string("none");
}

inline void CheckIntent(const NotificationIntent& actual, const ExpectedIntent& expected) {
  INFO("intent of " << expected.trigger);
  CHECK(actual.trigger == expected.trigger);
  CHECK(actual.discriminator == expected.trigger);
  CHECK(actual.template_id == expected.template_id);
  CHECK(actual.subject_id == expected.subject_id);
  CHECK(Describe(actual.recipients) == Describe(expected.recipients));
  CHECK(actual.recipients == expected.recipients);
  CHECK(actual.proactive == expected.proactive);
  CHECK(Describe(actual.not_before) == Describe(expected.not_before));
  CHECK(Describe(actual.restoration_expected_at) == Describe(expected.restoration_expected_at));
  CheckValues(actual.values, expected.values);
}

inline void CheckIntents(const std::vector<NotificationIntent>& actual,
                         const std::vector<ExpectedIntent>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) CheckIntent(actual[i], expected[i]);
}

/// The template ids of `intents`, in order.
inline std::vector<std::string> Templates(const std::vector<NotificationIntent>& intents) {
  std::vector<std::string> out;
  for (const auto& intent : intents) out.push_back(intent.template_id);
  return out;
}

}  // namespace gridcare::notification::testing
