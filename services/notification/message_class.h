#pragma once

// The class of a notification decides how quiet hours and limits treat it (issue 14):
//   safety    — hazards, life-support warnings: always sent at once, never throttled away;
//   outage    — outage, ETR and restoration notices: held to the end of the customer's quiet
//               hours unless restoration is imminent (or the recipient is life-support);
//   service   — ticket and complaint progress: held to the end of quiet hours;
//   marketing — anything promotional-like (surveys, tips): never sent in quiet hours (dropped);
//   staff     — messages to staff (reminders, supervision steps, risk warnings): no quiet hours.
// Templates name their class in templates.json by these words.

#include <optional>
#include <string_view>

namespace gridcare::notification {

enum class MessageClass { kSafety, kOutage, kService, kMarketing, kStaff };

/// "safety", "outage", "service", "marketing", "staff".
constexpr std::string_view MessageClassName(MessageClass c) {
  switch (c) {
    case MessageClass::kSafety:
      return "safety";
    case MessageClass::kOutage:
      return "outage";
    case MessageClass::kService:
      return "service";
    case MessageClass::kMarketing:
      return "marketing";
    case MessageClass::kStaff:
      return "staff";
  }
  return "service";
}

/// The class named `name` (exactly as MessageClassName writes it), nullopt otherwise.
constexpr std::optional<MessageClass> ParseMessageClass(std::string_view name) {
  for (MessageClass c : {MessageClass::kSafety, MessageClass::kOutage, MessageClass::kService,
                         MessageClass::kMarketing, MessageClass::kStaff}) {
    if (MessageClassName(c) == name) return c;
  }
  return std::nullopt;
}

}  // namespace gridcare::notification
