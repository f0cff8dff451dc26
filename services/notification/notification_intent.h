#pragma once

// What a trigger asks for (trigger_rules.h): one notice to an audience, before it is resolved to
// recipients and planned for each (fan_out.h, recipient_planner.h).

#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/v1/common.pb.h"
#include "placeholders.h"

namespace gridcare::notification {

/// Who receives it.
struct AudienceSpec {
  enum class Kind { kCustomer, kPhone, kSupply, kStaff };
  Kind kind = Kind::kCustomer;
  std::string customer_id;  ///< kCustomer
  std::string phone;        ///< kPhone: an unidentified caller's number; never logged
  /// kSupply: every customer supplied by these transformers, or by these feeders when no
  /// transformer is named.
  std::vector<std::string> feeder_ids;
  std::vector<std::string> transformer_ids;
  std::vector<v1::CustomerTag> only_tags;  ///< kSupply: only customers with one of these tags
  std::string staff_id;                    ///< kStaff
};

struct NotificationIntent {
  std::string template_id;
  std::string subject_id;  ///< ticket / incident / case / planned outage / alert id
  AudienceSpec audience;
  PlaceholderValues values;  ///< the event's values; {address} is the recipient's, added later
  bool proactive = false;    ///< incident fan-out: sent before the customer asked
  std::optional<core::TimePoint> not_before;               ///< planned notices
  std::optional<core::TimePoint> restoration_expected_at;  ///< quiet hours: "imminent"
  std::string discriminator;  ///< two intents of one event with one template ("7d", "24h")
};

}  // namespace gridcare::notification
