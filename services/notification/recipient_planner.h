#pragma once

// One notice for one recipient, decided (pure): the notification id, the language, the rendered
// text, the channels to try with their addresses, when it is due (now, the end of the recipient's
// quiet hours, a planned notice's date) — or why it is not sent (quiet hours for marketing-like
// messages, the per-recipient throttle, no reachable channel). The notifier (notifier.h) stores
// what this decides.

#include <map>
#include <optional>
#include <string>

#include "channel_plan.h"
#include "delivery_policy_config.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/notification.pb.h"
#include "gridcare/v1/profile.pb.h"
#include "placeholders.h"
#include "quiet_hours.h"
#include "recipient_throttle.h"
#include "template_catalogue.h"

namespace gridcare::notification {

/// Who receives a notice, as the planner needs them.
struct Recipient {
  v1::RecipientKind kind = v1::RECIPIENT_KIND_CUSTOMER;
  std::string id;  ///< customer id, staff id, or "caller-…" for an unidentified caller
  v1::Language language = v1::LANGUAGE_UNSPECIFIED;
  int utc_offset_minutes = 480;
  QuietHoursWindow quiet_hours;
  RecipientReach reach;
  std::map<DeliveryChannel, std::string> addresses;  ///< personal data: never logged
  std::string postal_address;                        ///< the {address} placeholder (masked)
  std::string locality;      ///< the {area} placeholder: street or village of the address
  std::string display_name;  ///< staff: the {staff_name} placeholder
  std::string tenant_id;
};

/// A customer from the profile: phones (the first) for sms and voice, the account for WeChat and
/// the app (the provider resolves the account's binding; a customer is taken as bound to the
/// channel they prefer), language, quiet hours and their zone, tags.
Recipient CustomerRecipient(const v1::Customer& customer);

/// An unidentified caller known only by the number they called from (sms only).
Recipient CallerRecipient(const std::string& phone);

/// An address as events and logs may show it: phone numbers masked (MaskPhone), other addresses
/// (accounts, staff ids, e-mail) as their first and last two characters.
std::string MaskedAddressFor(DeliveryChannel channel, const std::string& address);

/// The UTC offset of an IANA zone in minutes: the zones of China and its neighbours, all without
/// daylight saving ("Asia/Shanghai" 480, "Asia/Urumqi" 360, "Asia/Hong_Kong" 480, "UTC" 0 …);
/// 480 for an empty or unknown name.
int UtcOffsetForZone(std::string_view iana_zone);

/// What the notifier asks for one recipient.
struct NoticeRequest {
  std::string source_event_id;  ///< the input's ce_id (or the intent's source_key), plus
                                ///< "/<discriminator>" (the trigger name)
  std::string template_id;
  std::string subject_id;
  const PlaceholderValues* values = nullptr;  ///< the event's values (not owned)
  bool proactive = false;
  std::optional<core::TimePoint> not_before;
  std::optional<core::TimePoint> restoration_expected_at;
};

struct NoticePlan {
  std::string notification_id;
  /// Set when the notice is to be sent (state QUEUED, due_at set).
  std::optional<v1::StoredNotification> record;
  /// Set when it is not: why ("quiet_hours", "throttled", "no_channel"), and until when a
  /// throttled one would have been allowed.
  std::optional<v1::NotificationSuppressed> suppressed;
  /// The throttle state to store for (recipient, subject) when it changed.
  std::optional<ThrottleState> throttle;
};

/// Immutable; thread-safe.
class RecipientPlanner {
 public:
  /// Both must outlive the planner.
  RecipientPlanner(const TemplateCatalogue& templates, const DeliveryPolicy& policy)
      : templates_(templates), policy_(policy) {}

  /// Decides `request` for `recipient` at `now` given the throttle state of (recipient, subject).
  /// Errors: the template's (NOT_FOUND, FAILED_PRECONDITION for a placeholder without a value):
  /// the notice cannot be written, which is a configuration fault, not the recipient's.
  core::Result<NoticePlan> Plan(const NoticeRequest& request, const Recipient& recipient,
                                const ThrottleState& throttle, core::TimePoint now) const;

 private:
  const TemplateCatalogue& templates_;
  const DeliveryPolicy& policy_;
};

}  // namespace gridcare::notification
