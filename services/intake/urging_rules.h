#pragma once

// Urging and repeats (催办 / 重复来电): whether a new contact belongs to one of the customer's open
// tickets, whether it counts as an urging, and whether it escalates. Pure rules, no I/O: the caller
// passes the customer's open tickets and gets a decision with a human-readable reason.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"

namespace gridcare::intake {

/// What intake knows of one of the customer's open tickets.
struct OpenTicket {
  std::string ticket_id;
  v1::RequestType type;
  v1::ServiceApplicationKind application_kind;
  core::TimePoint opened_at;
  core::TimePoint last_contact_at;
  int contact_count = 1;
  int urging_count = 0;
  v1::Priority priority = v1::PRIORITY_NORMAL;
  std::string transformer_id;  // where the problem is (fault tickets)
};

/// The new contact being matched.
struct IncomingContact {
  v1::RequestType type;  // after classification (may be REQUEST_TYPE_URGING)
  v1::ServiceApplicationKind application_kind;
  core::TimePoint received_at;
  std::string referenced_ticket_id;  // the customer named a ticket
  std::string transformer_id;
};

/// How repeats and urgings are recognised and when they escalate. Configurable per tenant.
struct UrgingRules {
  /// A repeat of the same type within this window of the ticket's last contact is the same matter.
  /// The edge is inclusive (exactly 72 h still matches). Zero turns same-matter matching off
  /// (named tickets and urgings still attach).
  std::chrono::hours same_matter_window{72};
  /// This many urgings (counting the new one) escalate; every further urging escalates again.
  /// Zero means never escalate.
  int escalate_at_urgings = 2;
  /// A repeat of the same matter while open counts as urging (the customer is chasing it).
  bool repeat_counts_as_urging = true;

  /// Reads rules from a JSON object; every field is optional (defaults above), unknown keys are
  /// rejected. Keys: "same_matter_window_hours" (integer 0..8760), "escalate_at_urgings" (integer
  /// 0..1000), "repeat_counts_as_urging" (boolean). Errors are kInvalidArgument and name the key.
  static core::Result<UrgingRules> FromJson(std::string_view json);
};

/// What to do with the contact.
struct MatchDecision {
  bool attach = false;        // false → open a new ticket
  std::string ticket_id;      // when attach
  bool urging = false;        // the contact counts as an urging (催办)
  bool escalate = false;      // urging count reached escalate_at_urgings
  int new_contact_count = 0;  // when attach
  int new_urging_count = 0;   // when attach
  /// Human-readable why (for the timeline and logs), e.g. "names open ticket GC-…", "same matter
  /// (fault repair) within 72 h of GC-…'s last contact". Never contains customer data.
  std::string reason;
};

/// Decides whether a contact belongs to one of the customer's open tickets (`open_tickets` are the
/// customer's tickets that are still open; entries with an empty id are ignored). Rules, in order:
///
///  0. Praise and consultation never attach, even when they name a ticket: praise is recorded
///     on its own, a consultation is answered on its own (progress questions are served by
///     Track, and a customer who chases is classified REQUEST_TYPE_URGING).
///  1. A named ticket (`referenced_ticket_id`, compared ignoring ASCII case and surrounding spaces)
///     that is open wins when the contact is an urging, of unknown type, or of the ticket's own
///     type. A contact of a different type naming it (e.g. a complaint about a fault repair) is a
///     different matter; it, and a named ticket that is closed or unknown, fall through to the
///     rules below.
///  2. A REQUEST_TYPE_URGING contact attaches to the most recently active open ticket, of any type
///     and any age; a customer with no open ticket gets attach=false (and urging=false).
///  3. A contact of the same type within same_matter_window of that ticket's last contact attaches
///     (received_at ≤ last_contact_at + window; contacts older than the last contact are inside).
///     Service applications also need the same application kind and faults the same transformer,
///     each only when both sides know it. A contact of unknown type never matches by type.
///  4. Otherwise a new ticket.
///
/// An explicit urging (type REQUEST_TYPE_URGING) always counts as urging; any other attached
/// contact counts as urging when repeat_counts_as_urging. escalate is set when the contact is an
/// urging and new_urging_count ≥ escalate_at_urgings (> 0). Ties among candidates: the latest
/// last_contact_at, then the greatest ticket id (ids are time-ordered, so the newer ticket). Pure
/// and deterministic.
MatchDecision MatchOpenTicket(const IncomingContact& contact,
                              const std::vector<OpenTicket>& open_tickets,
                              const UrgingRules& rules);

/// Short English label of a request type for reasons, e.g. "fault repair", "service application".
std::string_view RequestTypeLabel(v1::RequestType type);

}  // namespace gridcare::intake
