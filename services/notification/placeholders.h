#pragma once

// The placeholders notification templates may use (issue 14): a fixed registry of names, each with
// a type that says how a value is written into a message, the values a caller supplies for one
// message, and how times are shown to a recipient. Pure: no clock is read, the time context comes
// in. There is deliberately no phone type: numbers never go into templates.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"

namespace gridcare::notification {

/// How a placeholder's value is written into a message.
enum class PlaceholderType {
  kText,           ///< plain text inserted as it is (a transformer area's name, a staff name)
  kId,             ///< a ticket, incident or case number, inserted as it is
  kLocalizedText,  ///< a zh-CN / en pair; the rendering language's side is used, the other side
                   ///< when that one is empty (an outage cause, a department's name)
  kTime,           ///< an instant, shown in the recipient's local time (FormatLocalTime)
  kMaskedAddress,  ///< a customer's full address, shown through logging::MaskAddress
  kCount,          ///< an integer, written in decimal without separators
};

/// "text", "id", "localized text", "time", "masked address", "count".
std::string_view PlaceholderTypeName(PlaceholderType type);

/// One entry of the registry.
struct PlaceholderSpec {
  std::string_view name;  ///< as written in templates: {name}
  PlaceholderType type;
  std::string_view meaning;  ///< what the value is, for operators (config/README.md lists them)
};

/// The fixed registry, sorted by name:
///   address (masked address) · application (localized text) · area (text) · case_id (id) ·
///   category (localized text) · cause (localized text) · channel (localized text) ·
///   contact_count (count) · customers_affected (count) · deadline (time) ·
///   department (localized text) · documents (localized text) · ends_at (time) · etr (time) ·
///   incident_id (id) · level (count) · minutes_overdue (count) · reason (localized text) ·
///   reply_text (localized text) · request_type (localized text) · restored_at (time) ·
///   sent_at (time) · staff_name (text) · starts_at (time) · summary (localized text) ·
///   ticket_id (id) · visit (localized text) · visit_window (localized text).
/// visit_window is written by the rules, in Beijing time (UTC+8) whatever the recipient's zone,
/// as the texts that use it say 北京时间 / Beijing time.
/// A template that names anything else does not load. Static storage: the views live forever.
std::span<const PlaceholderSpec> PlaceholderRegistry();

/// The registry entry named `name`, or nullptr.
const PlaceholderSpec* FindPlaceholder(std::string_view name);

/// Offsets beyond ±14 h do not exist.
inline constexpr int kMaxUtcOffsetMinutes = 14 * 60;

/// What times are rendered against: the moment of rendering and the recipient's UTC offset
/// (China: +480). The caller resolves the recipient's time zone to an offset at `now`.
struct TimeContext {
  core::TimePoint now;
  int utc_offset_minutes = 480;
};

/// `t` in the recipient's local time, to the minute (seconds dropped), always with the date so a
/// message held over midnight (quiet hours) still reads right, and with the year only when it is
/// not the local year of `context.now`:
///   zh-CN: "12月6日 14:30", "2027年1月2日 08:00";   en: "6 Dec 14:30", "2 Jan 2027 08:00".
/// Any language other than en is written the zh-CN way. `context.utc_offset_minutes` must be in
/// ±kMaxUtcOffsetMinutes (TemplateCatalogue::Render checks it).
std::string FormatLocalTime(core::TimePoint t, v1::Language language, const TimeContext& context);

/// The values for one message, by placeholder name. Setting a name again replaces its value. The
/// setters do not check names against the registry: a caller may fill one set for several
/// templates; rendering reports a missing value or one of the wrong type. Not thread-safe for
/// writing; const use is.
class PlaceholderValues {
 public:
  /// One value: `type` says which fields hold it.
  struct Value {
    PlaceholderType type = PlaceholderType::kText;
    std::string text;  ///< kText, kId, kMaskedAddress (the full address); kLocalizedText: zh-CN
    std::string en;    ///< kLocalizedText: en
    core::TimePoint time;
    int64_t count = 0;
  };

  PlaceholderValues& SetText(std::string_view name, std::string text);
  PlaceholderValues& SetId(std::string_view name, std::string id);
  PlaceholderValues& SetLocalized(std::string_view name, std::string zh_cn, std::string en);
  PlaceholderValues& SetLocalized(std::string_view name, const v1::LocalizedText& text);
  PlaceholderValues& SetTime(std::string_view name, core::TimePoint time);
  /// The full, unmasked address: rendering masks it.
  PlaceholderValues& SetAddress(std::string_view name, std::string full_text);
  PlaceholderValues& SetCount(std::string_view name, int64_t count);

  /// The value named `name`, or nullptr.
  const Value* Find(std::string_view name) const;
  size_t size() const { return values_.size(); }

 private:
  PlaceholderValues& Set(std::string_view name, Value value);

  std::map<std::string, Value, std::less<>> values_;
};

/// The text `spec`'s placeholder contributes to a message in `language` (zh-CN or en): errors
/// FAILED_PRECONDITION "placeholder {etr} has no value" (absent) or "placeholder {area} is empty"
/// (blank text, both sides of a localized text blank), INVALID_ARGUMENT "placeholder {etr} takes
/// time, got text" (set with another type; the words are PlaceholderTypeName's).
core::Result<std::string> RenderPlaceholder(const PlaceholderSpec& spec,
                                            const PlaceholderValues& values, v1::Language language,
                                            const TimeContext& context);

}  // namespace gridcare::notification
