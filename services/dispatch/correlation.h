#pragma once

// Trouble-call correlation (what outage management systems call prediction): places each fault
// ticket on the supply topology and decides whether it joins a planned outage, joins an open
// incident, opens a transformer incident, rolls transformer incidents up to a feeder incident, or
// becomes a single-customer work order. Pure logic: no I/O, time comes in with the call
// (`received_at`), ids are derived from ticket ids, so the same calls in the same order always give
// the same decisions. The rules and their settings are described in
// docs/services/dispatch-correlation.md.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

/// Thresholds of the correlation rules. Configurable per tenant.
struct CorrelationSettings {
  /// Calls count towards a transformer incident only while they are at most this old (inclusive:
  /// a call exactly `window` before the new one still counts).
  std::chrono::seconds window{std::chrono::minutes(15)};
  /// Distinct customers (calls and last gasps) from one transformer area that open a transformer
  /// incident.
  int min_calls_for_transformer = 3;
  /// ... or this share of the transformer area's customers (0 turns the share rule off).
  double min_share_for_transformer = 0.2;
  /// The share rule needs at least this many distinct customers: one customer alone is never a
  /// transformer outage, however small the area.
  int min_calls_for_share = 2;
  /// Open transformer incidents on one feeder that roll up to a feeder incident.
  int min_transformers_for_feeder = 2;
  /// ... or this share of the feeder's transformer areas (0 turns it off). A roll-up always needs
  /// at least two transformer incidents.
  double min_share_for_feeder = 0.5;
  /// Whether one last gasp alone (below the thresholds) gets a single-customer work order like a
  /// call. Off by default: a lone meter going silent is recorded and waits for company.
  bool last_gasp_work_order = false;

  /// Reads settings from a JSON object; every key is optional (defaults above), unknown keys and
  /// keys given twice are rejected. Keys: "window_minutes" (integer 1..1440),
  /// "min_calls_for_transformer" (integer 1..100000), "min_share_for_transformer" (number 0..1),
  /// "min_calls_for_share" (integer 1..100000), "min_transformers_for_feeder" (integer 2..100000),
  /// "min_share_for_feeder" (number 0..1), "last_gasp_work_order" (boolean). Errors are
  /// kInvalidArgument and name the key.
  static core::Result<CorrelationSettings> FromJson(std::string_view json);
};

/// What the caller knows of the call's place in the network (from the profile service). Zero means
/// unknown; share rules are then skipped and affected-customer figures fall back to the callers.
struct TopologyFacts {
  int64_t customers_on_transformer = 0;
  int64_t customers_on_feeder = 0;
  int32_t transformers_on_feeder = 0;
};

/// A fault-repair ticket (a customer's call or a smart-meter last gasp) to correlate.
struct FaultCall {
  std::string ticket_id;    // required; the idempotency key
  std::string customer_id;  // empty when the caller is unidentified (counts as its own customer)
  v1::SupplyPoint supply;   // substation → feeder → transformer area, from the profile
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  v1::GeoPoint location;
  core::TimePoint received_at;
  bool last_gasp = false;  // from the metering head-end rather than a person
  bool life_support = false;
  bool important = false;
  TopologyFacts topology;
};

/// A planned outage (计划停电) as correlation sees it.
struct PlannedOutageRecord {
  std::string planned_outage_id;
  v1::SupplyPoint scope;  // a transformer area when transformer_id is set, else a feeder
  core::TimePoint starts_at;
  core::TimePoint ends_at;  // the answer given to callers; calls at or after it are faults again
  std::string reason;
  bool cancelled = false;
  std::vector<std::string> ticket_ids;  // calls attached so far (kept by correlation)
};

/// An incident as correlation keeps it. The service keeps the full v1::Incident (crew, clocks,
/// estimated restoration); this is the part the rules need.
struct IncidentRecord {
  std::string incident_id;
  v1::IncidentLevel level = v1::INCIDENT_LEVEL_UNSPECIFIED;
  v1::IncidentState state = v1::INCIDENT_STATE_OPEN;  // OPEN, or MERGED into parent_incident_id
  v1::SupplyPoint supply;  // the predicted device (feeder incidents have no transformer_id)
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  v1::GeoPoint location;  // of the call that opened it; the service may use the device's instead
  std::vector<std::string> ticket_ids;  // in joining order; a parent holds its children's too
  int call_count = 0;                   // tickets, last gasps included
  int last_gasp_count = 0;
  std::set<std::string> customers;  // distinct customers (unidentified callers by ticket id)
  int64_t affected_customers = 0;   // downstream of the predicted device
  bool life_support_affected = false;
  bool important_customer_affected = false;
  core::TimePoint opened_at;
  std::string parent_incident_id;               // set when MERGED
  std::vector<std::string> child_incident_ids;  // incidents merged into this one
};

/// A call on a transformer area that belongs to no transformer or feeder incident yet. It may have
/// its own single-customer incident (`incident_id`) or be a held last gasp (empty `incident_id`).
struct PendingCall {
  std::string ticket_id;
  std::string customer_key;  // customer id, or "ticket:<id>" when unidentified
  std::string feeder_id;
  core::TimePoint received_at;
  bool last_gasp = false;
  bool life_support = false;
  bool important = false;
  std::string incident_id;
};

/// What happens to a ticket, in the order the service should publish it.
enum class EffectKind {
  kAttachToIncident,         // no new crew; tell the customer the known cause and ERT
  kAttachToPlannedOutage,    // no crew; answer with the planned end time
  kOpenIncident,             // a transformer incident (possibly absorbing single-customer ones)
  kRollUp,                   // transformer incidents merged into a new feeder incident
  kSingleCustomerWorkOrder,  // a single-customer incident and its work order
  kHold,                     // a lone last gasp, recorded below the thresholds; nothing to publish
};

/// Short label of an effect kind, e.g. "attach-to-incident".
std::string_view EffectKindName(EffectKind kind);

/// One step of a decision.
struct CorrelationEffect {
  EffectKind kind = EffectKind::kHold;
  std::string ticket_id;    // the ticket being correlated
  std::string incident_id;  // attached-to, opened, the feeder incident, or the single-customer one
  std::string planned_outage_id;
  std::optional<core::TimePoint> estimated_restoration_at;  // planned outages: their end
  v1::IncidentLevel level = v1::INCIDENT_LEVEL_UNSPECIFIED;
  v1::SupplyPoint supply;
  std::vector<std::string> ticket_ids;  // open / roll-up: every ticket the incident now holds
  /// Open: single-customer incidents absorbed (their work orders should be cancelled unless a crew
  /// is already on site). Roll-up: the transformer incidents merged into the feeder incident.
  std::vector<std::string> merged_incident_ids;
  std::string reason;  // human-readable; ids and counts only, never customer data
};

/// The outcome of correlating one call.
struct CorrelationDecision {
  /// The ticket was already correlated (redelivery): nothing changed, `effects` is empty and
  /// `reason` says where it is.
  bool duplicate = false;
  std::vector<CorrelationEffect> effects;
  /// Where the ticket ended up: an incident id, or a planned outage id, or empty when held.
  std::string incident_id;
  std::string planned_outage_id;
  std::string reason;  // the reasons of all effects joined with "; "
};

/// Incidents and tickets released by CloseIncident.
struct ClosedIncident {
  std::vector<std::string> incident_ids;  // the incident and every incident merged into it
  std::vector<std::string> ticket_ids;
};

/// Correlation state: open incidents, pending calls per transformer area, planned outages, and the
/// indexes over them. A copyable value; the service persists it (serialisation is the service's
/// edge). Not thread-safe: one owner at a time.
class CorrelationState {
 public:
  /// Open and merged incidents by id.
  const std::map<std::string, IncidentRecord>& incidents() const { return incidents_; }
  /// Pending calls by transformer id, oldest first.
  const std::map<std::string, std::vector<PendingCall>>& pending() const { return pending_; }
  /// Planned outages by id.
  const std::map<std::string, PlannedOutageRecord>& planned_outages() const {
    return planned_outages_;
  }
  /// The incident a ticket belongs to now (after merges), or nullptr.
  const IncidentRecord* IncidentOfTicket(std::string_view ticket_id) const;
  /// The open (not merged) incident, if any, predicted on this transformer / feeder.
  const IncidentRecord* OpenTransformerIncident(std::string_view transformer_id) const;
  const IncidentRecord* OpenFeederIncident(std::string_view feeder_id) const;
  /// Open incidents that are not merged, of any level.
  int OpenIncidentCount() const;

 private:
  friend class Correlator;

  enum class Place { kIncident, kPlannedOutage, kPending };
  struct TicketPlace {
    Place place = Place::kPending;
    std::string id;  // incident or planned outage id; transformer id when pending
  };

  std::map<std::string, IncidentRecord> incidents_;
  std::map<std::string, std::vector<PendingCall>> pending_;
  std::map<std::string, PlannedOutageRecord> planned_outages_;
  // Derived indexes.
  std::map<std::string, TicketPlace, std::less<>> tickets_;
  std::map<std::string, std::string, std::less<>> open_by_transformer_;  // transformer incidents
  std::map<std::string, std::string, std::less<>> open_by_feeder_;       // feeder incidents
  std::map<std::string, std::string, std::less<>> single_by_customer_;  // customer key → incident
};

/// Applies the correlation rules to a CorrelationState. Stateless itself; cheap to copy.
///
/// For each call, in order:
///  0. A ticket already correlated is a duplicate: no effects, nothing counted twice.
///  1. Inside an active planned outage (starts_at ≤ received_at < ends_at, not cancelled) whose
///     scope is the call's transformer area or feeder: attached to it, answered with its end.
///     A transformer-scope outage wins over a feeder-scope one; then the earliest end, then the id.
///  2. An open feeder incident on the call's feeder, else an open transformer incident on its
///     transformer area, else the customer's own open single-customer incident: attached.
///  3. Otherwise the call joins its transformer area's pending calls (those older than the window
///     are dropped). When the distinct customers among them reach min_calls_for_transformer, or
///     min_share_for_transformer of the area's customers (with at least min_calls_for_share), a
///     transformer incident opens holding every pending ticket; single-customer incidents among
///     them are MERGED into it. Then, when the feeder has min_transformers_for_feeder open
///     transformer incidents (or min_share_for_feeder of its transformer areas, and at least two),
///     they roll up into a feeder incident and become its MERGED children, and so do the pending
///     calls (within the window) of the feeder's other transformer areas with their
///     single-customer incidents: the whole feeder is out.
///  4. Below the thresholds: a call gets a single-customer incident and work order at once; a last
///     gasp is held (or treated like a call when last_gasp_work_order).
/// A call with no transformer area skips rule 3 and becomes a single-customer work order (after
/// rules 1 and 2 on its feeder). Incident ids are derived from the ticket that opened them:
/// "INC-S-<ticket>", "INC-T-<ticket>", "INC-F-<ticket>". correlation.cpp has one function per
/// rule (AlreadyCorrelated, AttachToPlannedOutage, AttachToOpenIncident, ...), in this order.
class Correlator {
 public:
  explicit Correlator(CorrelationSettings settings = {}) : settings_(settings) {}

  /// Correlates one call and updates `state`. kInvalidArgument (state untouched) when the ticket id
  /// is empty.
  core::Result<CorrelationDecision> Correlate(CorrelationState& state, const FaultCall& call) const;

  /// Registers or replaces (same id) a planned outage; tickets already attached are kept.
  /// kInvalidArgument when the id is empty, the scope names neither feeder nor transformer, or it
  /// does not end after it starts. Calls correlated earlier are not revisited.
  core::Status RegisterPlannedOutage(CorrelationState& state, PlannedOutageRecord outage) const;

  /// Forgets an incident that is over (restored or cancelled: the service decides that) together
  /// with the incidents merged into it, their tickets and their pending calls. kNotFound for an
  /// unknown id, kFailedPrecondition for a merged incident (close its parent).
  core::Result<ClosedIncident> CloseIncident(CorrelationState& state,
                                             std::string_view incident_id) const;

  /// Housekeeping for the service's timer: drops pending calls older than `now - window` (a held
  /// last gasp is forgotten with it; a single-customer incident stays open on its own) and planned
  /// outages that ended before `now - window` (their tickets are forgotten too). Returns how many
  /// entries were dropped.
  int Prune(CorrelationState& state, core::TimePoint now) const;

  const CorrelationSettings& settings() const { return settings_; }

 private:
  struct AreaCount;
  struct FeederCount;

  // The rules, one function each, in the order Correlate applies them. Each bool rule returns
  // whether it decided the call (and then added its effect to `decision`).
  bool AlreadyCorrelated(const CorrelationState& state, const FaultCall& call,
                         CorrelationDecision& decision) const;  // rule 0
  bool AttachToPlannedOutage(CorrelationState& state, const FaultCall& call,
                             CorrelationDecision& decision) const;  // rule 1
  bool AttachToOpenIncident(CorrelationState& state, const FaultCall& call,
                            CorrelationDecision& decision) const;  // rule 2
  void CorrelateWithoutTransformerArea(CorrelationState& state, const FaultCall& call,
                                       CorrelationDecision& decision) const;  // rule 4 alone
  void CorrelateOnTransformerArea(CorrelationState& state, const FaultCall& call,
                                  CorrelationDecision& decision) const;  // rules 3 and 4

  // Rule 3 and 4 steps on a transformer area.
  std::vector<PendingCall>& JoinPendingCalls(CorrelationState& state, const FaultCall& call) const;
  AreaCount CountCustomers(const std::vector<PendingCall>& pending, const FaultCall& call) const;
  void BelowTransformerThreshold(CorrelationState& state, const FaultCall& call,
                                 const AreaCount& count, std::vector<PendingCall>& pending,
                                 CorrelationDecision& decision) const;
  std::string OpenSingleCustomerIncident(CorrelationState& state, const FaultCall& call,
                                         const std::string& why,
                                         CorrelationDecision& decision) const;
  void OpenTransformerIncident(CorrelationState& state, const FaultCall& call,
                               const AreaCount& count, const std::vector<PendingCall>& pending,
                               CorrelationDecision& decision) const;

  // The feeder roll-up.
  FeederCount CountTransformerIncidents(CorrelationState& state, const FaultCall& call) const;
  void RollUpFeeder(CorrelationState& state, const FaultCall& call, const FeederCount& count,
                    CorrelationDecision& decision) const;
  static std::vector<std::string> TakeFeederPendingCalls(CorrelationState& state,
                                                         IncidentRecord& rolled,
                                                         const std::string& feeder,
                                                         core::TimePoint horizon);
  /// Folds a pending call into `into`: its ticket, or its open single-customer incident (merged,
  /// its id added to `absorbed`).
  static void TakePending(CorrelationState& state, IncidentRecord& into, const PendingCall& p,
                          std::vector<std::string>& absorbed);

  CorrelationSettings settings_;
};

}  // namespace gridcare::dispatch
