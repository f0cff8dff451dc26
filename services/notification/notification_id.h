#pragma once

// Deterministic notification ids (issue 14): one message is one id, so a redelivered source event
// produces the same id and the service's de-duplication never sends it twice.

#include <string>
#include <string_view>

namespace gridcare::notification {

/// "N-" followed by 32 lowercase hex digits: two 64-bit FNV-1a lanes over the three fields, each
/// field prefixed with its length (so ("ab", "c", t) and ("a", "bc", t) differ), the second lane
/// over the fields in reverse order from another basis. Stable across builds, platforms and
/// restarts (no std::hash); not cryptographic: ids are derived from ids, never from secrets.
/// The recipient id is a customer or staff id, never a phone number. Pure and thread-safe.
std::string NotificationId(std::string_view source_event_id, std::string_view recipient_id,
                           std::string_view template_id);

}  // namespace gridcare::notification
