#include "placeholders.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <utility>

#include "gridcare/core/text.h"
#include "gridcare/logging/privacy.h"

namespace gridcare::notification {
namespace {

using T = PlaceholderType;

// Sorted by name (FindPlaceholder searches it by halves; a test checks the order).
constexpr std::array<PlaceholderSpec, 28> kRegistry = {{
    {"address", T::kMaskedAddress, "the customer's address, masked (logging::MaskAddress)"},
    {"application", T::kLocalizedText,
     "the kind of service application (新装用电 / new connection)"},
    {"area", T::kText, "the transformer area or feeder name, as dispatch names it"},
    {"case_id", T::kId, "a complaint case number"},
    {"category", T::kLocalizedText, "the request category a warning is about (停电 / outage)"},
    {"cause", T::kLocalizedText, "an outage cause, as known so far"},
    {"channel", T::kLocalizedText, "the channel a request came in through (95598热线 / hotline)"},
    {"contact_count", T::kCount, "how many contacts were counted (risk warnings)"},
    {"customers_affected", T::kCount, "how many customers an outage affects"},
    {"deadline", T::kTime, "a deadline: contact, reply, return visit or supervision step"},
    {"department", T::kLocalizedText, "the department that owns a case"},
    {"documents", T::kLocalizedText, "the documents an application still needs, listed"},
    {"ends_at", T::kTime, "when a planned outage ends"},
    {"etr", T::kTime, "the estimated time of restoration"},
    {"incident_id", T::kId, "an outage incident number"},
    {"level", T::kCount, "a supervision (督办) level: 1, 2, 3 …"},
    {"minutes_overdue", T::kCount, "how many minutes a matter is past its deadline"},
    {"reason", T::kLocalizedText, "why a request was rejected or a booked visit was moved"},
    {"reply_text", T::kLocalizedText, "the answer or reply given to the customer"},
    {"request_type", T::kLocalizedText, "the request type (故障报修 / fault repair)"},
    {"restored_at", T::kTime, "when supply was restored"},
    {"sent_at", T::kTime, "when a request or reply was sent"},
    {"staff_name", T::kText, "the staff member a staff message is for (never a customer)"},
    {"starts_at", T::kTime, "when a planned outage starts"},
    {"summary", T::kLocalizedText, "a short summary of the matter (staff messages)"},
    {"ticket_id", T::kId, "a ticket (工单) number"},
    {"visit", T::kLocalizedText, "what a booked visit is for (现场勘查 / site survey)"},
    {"visit_window", T::kLocalizedText,
     "a booked visit's date and hours in Beijing time (12月8日 09:00-11:00 / 8 Dec 09:00-11:00)"},
}};

constexpr std::array<std::string_view, 12> kEnglishMonths = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// The local calendar day and minute of `t` at `offset_minutes`.
struct LocalMinute {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int hour = 0;
  int minute = 0;
};

LocalMinute ToLocal(core::TimePoint t, int offset_minutes) {
  const auto local =
      std::chrono::floor<std::chrono::minutes>(t) + std::chrono::minutes(offset_minutes);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day date{day};
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  return {static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()), static_cast<int>(minutes / 60),
          static_cast<int>(minutes % 60)};
}

bool IsBlank(std::string_view text) { return core::TrimAsciiSpace(text).empty(); }

core::Error NoValue(const PlaceholderSpec& spec) {
  return core::FailedPrecondition("placeholder {" + std::string(spec.name) + "} has no value");
}

core::Error Empty(const PlaceholderSpec& spec) {
  return core::FailedPrecondition("placeholder {" + std::string(spec.name) + "} is empty");
}

}  // namespace

std::string_view PlaceholderTypeName(PlaceholderType type) {
  switch (type) {
    case T::kText:
      return "text";
    case T::kId:
      return "id";
    case T::kLocalizedText:
      return "localized text";
    case T::kTime:
      return "time";
    case T::kMaskedAddress:
      return "masked address";
    case T::kCount:
      return "count";
  }
  return "text";
}

std::span<const PlaceholderSpec> PlaceholderRegistry() { return kRegistry; }

const PlaceholderSpec* FindPlaceholder(std::string_view name) {
  const auto it = std::lower_bound(
      kRegistry.begin(), kRegistry.end(), name,
      [](const PlaceholderSpec& spec, std::string_view n) { return spec.name < n; });
  return it != kRegistry.end() && it->name == name ? &*it : nullptr;
}

std::string FormatLocalTime(core::TimePoint t, v1::Language language, const TimeContext& context) {
  const LocalMinute at = ToLocal(t, context.utc_offset_minutes);
  const bool with_year = at.year != ToLocal(context.now, context.utc_offset_minutes).year;
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", at.hour, at.minute);
  std::string out;
  if (language == v1::LANGUAGE_EN) {
    out = std::to_string(at.day) + " " + std::string(kEnglishMonths[at.month - 1]);
    if (with_year) out += " " + std::to_string(at.year);
  } else {
    if (with_year) out = std::to_string(at.year) + "年";
    out += std::to_string(at.month) + "月" + std::to_string(at.day) + "日";
  }
  return out + " " + clock;
}

PlaceholderValues& PlaceholderValues::Set(std::string_view name, Value value) {
  values_.insert_or_assign(std::string(name), std::move(value));
  return *this;
}

PlaceholderValues& PlaceholderValues::SetText(std::string_view name, std::string text) {
  return Set(name, {T::kText, std::move(text), {}, {}, 0});
}

PlaceholderValues& PlaceholderValues::SetId(std::string_view name, std::string id) {
  return Set(name, {T::kId, std::move(id), {}, {}, 0});
}

PlaceholderValues& PlaceholderValues::SetLocalized(std::string_view name, std::string zh_cn,
                                                   std::string en) {
  return Set(name, {T::kLocalizedText, std::move(zh_cn), std::move(en), {}, 0});
}

PlaceholderValues& PlaceholderValues::SetLocalized(std::string_view name,
                                                   const v1::LocalizedText& text) {
  return SetLocalized(name, text.zh_cn(), text.en());
}

PlaceholderValues& PlaceholderValues::SetTime(std::string_view name, core::TimePoint time) {
  return Set(name, {T::kTime, {}, {}, time, 0});
}

PlaceholderValues& PlaceholderValues::SetAddress(std::string_view name, std::string full_text) {
  return Set(name, {T::kMaskedAddress, std::move(full_text), {}, {}, 0});
}

PlaceholderValues& PlaceholderValues::SetCount(std::string_view name, int64_t count) {
  return Set(name, {T::kCount, {}, {}, {}, count});
}

const PlaceholderValues::Value* PlaceholderValues::Find(std::string_view name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

core::Result<std::string> RenderPlaceholder(const PlaceholderSpec& spec,
                                            const PlaceholderValues& values, v1::Language language,
                                            const TimeContext& context) {
  const PlaceholderValues::Value* value = values.Find(spec.name);
  if (value == nullptr) return NoValue(spec);
  if (value->type != spec.type) {
    return core::InvalidArgument("placeholder {" + std::string(spec.name) + "} takes " +
                                 std::string(PlaceholderTypeName(spec.type)) + ", got " +
                                 std::string(PlaceholderTypeName(value->type)));
  }
  switch (spec.type) {
    case T::kText:
    case T::kId:
      if (IsBlank(value->text)) return Empty(spec);
      return value->text;
    case T::kLocalizedText: {
      const bool english = language == v1::LANGUAGE_EN;
      const std::string& wanted = english ? value->en : value->text;
      const std::string& other = english ? value->text : value->en;
      if (!IsBlank(wanted)) return wanted;
      if (!IsBlank(other)) return other;
      return Empty(spec);
    }
    case T::kTime:
      return FormatLocalTime(value->time, language, context);
    case T::kMaskedAddress: {
      std::string masked = logging::MaskAddress(value->text);
      if (masked.empty()) return Empty(spec);
      return masked;
    }
    case T::kCount:
      return std::to_string(value->count);
  }
  return NoValue(spec);
}

}  // namespace gridcare::notification
