#pragma once

// What the notification triggers (trigger_rules.h) remember between two events of one incident,
// planned outage or complaint case (issue 14). The service keeps each memo as the string Encode()
// returns (Redis, keyed by the incident / planned outage id or the case id) and hands it back with
// the next event of the same subject. Plain values: not thread-safe for writing, const use is.

#include <optional>
#include <string>
#include <string_view>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::notification {

/// A planned outage as it was last announced (notices queued): what a later registration of the
/// same outage is compared with, and what a cancellation notice repeats.
struct PlannedOutageMemo {
  core::TimePoint starts_at;
  core::TimePoint ends_at;
  std::string feeder_id;
  std::string transformer_id;
  std::string reason_zh_cn;
  std::string reason_en;
  bool cancelled = false;
  /// When the 7-day notice was (or is to be) sent; a cancellation or a change is announced to
  /// customers only once this has passed (before, the queued notice is simply withdrawn).
  core::TimePoint notice_at;

  bool operator==(const PlannedOutageMemo&) const = default;
};

/// The announcements made so far for one incident (keyed by incident id) or one planned outage
/// (keyed by planned outage id: only `planned` is used). A default memo means "nothing yet".
struct IncidentMemo {
  /// The outage start was announced (with or without an ETR). Also set when incident.opened is
  /// disabled or the incident's level is not announced, so the later triggers run the same way.
  bool started = false;
  /// The last estimated restoration time announced (a start, an ETR update or the crew's arrival).
  std::optional<core::TimePoint> last_etr;
  /// ETR announcements counted against EtrSettings::max_announcements (the start's included, the
  /// crew-on-site message's not).
  int etr_count = 0;
  bool crew_on_site = false;
  bool restored = false;
  /// Absorbed by a roll-up: the parent incident speaks from now on.
  bool merged = false;
  /// The predicted device as the incident was opened, for a start announced later by an event
  /// that does not carry the incident (a queued work order).
  v1::IncidentLevel level = v1::INCIDENT_LEVEL_UNSPECIFIED;
  std::string feeder_id;
  std::string transformer_id;
  /// Planned outages only.
  std::optional<PlannedOutageMemo> planned;

  /// Compact JSON, e.g. {"v":1,"started":true,"etr_ms":1796459400000,"etr_count":1,...}.
  std::string Encode() const;
  /// The memo Encode wrote; "" is the default memo (nothing announced yet). INVALID_ARGUMENT
  /// "incident memo: ..." for anything else (not JSON, an unknown key or version, a wrong type).
  static core::Result<IncidentMemo> Decode(std::string_view text);

  bool operator==(const IncidentMemo&) const = default;
};

/// What the complaint triggers need to know about a case beyond the event in hand: complaint's
/// events name the customer, the department and the reply deadline only when the case opens,
/// is routed, reopened or resumed. Keyed by case id.
struct CaseMemo {
  std::string customer_id;
  std::string department_id;
  v1::Department department = v1::DEPARTMENT_UNSPECIFIED;
  v1::RequestType request_type = v1::REQUEST_TYPE_UNSPECIFIED;
  v1::CaseOrigin origin = v1::CASE_ORIGIN_UNSPECIFIED;
  std::optional<core::TimePoint> reply_due_at;

  /// Compact JSON, like IncidentMemo::Encode.
  std::string Encode() const;
  /// "" is the default memo; INVALID_ARGUMENT "case memo: ..." otherwise.
  static core::Result<CaseMemo> Decode(std::string_view text);

  bool operator==(const CaseMemo&) const = default;
};

}  // namespace gridcare::notification
