#include "correlation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>
#include <utility>

#include "gridcare/config/json_reader.h"

namespace gridcare::dispatch {
namespace {

// ---------------------------------------------------------------------------------------------
// Settings from JSON.

constexpr std::string_view kSettingsKeys[] = {
    "window_minutes",      "min_calls_for_transformer",   "min_share_for_transformer",
    "min_calls_for_share", "min_transformers_for_feeder", "min_share_for_feeder",
    "last_gasp_work_order"};

// ---------------------------------------------------------------------------------------------
// Small helpers for the rules.

std::string CustomerKey(const FaultCall& call) {
  return call.customer_id.empty() ? "ticket:" + call.ticket_id : call.customer_id;
}

std::string Minutes(std::chrono::seconds window) {
  const auto seconds = window.count();
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + " min";
  return std::to_string(seconds) + " s";
}

std::string Percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f%%", share * 100.0);
  return buffer;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string Plural(int64_t n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

bool ScopeCovers(const v1::SupplyPoint& scope, const v1::SupplyPoint& at) {
  if (!scope.transformer_id().empty()) return scope.transformer_id() == at.transformer_id();
  return !scope.feeder_id().empty() && scope.feeder_id() == at.feeder_id();
}

std::string DescribeScope(const v1::SupplyPoint& scope) {
  if (!scope.transformer_id().empty()) return "transformer area " + scope.transformer_id();
  return "feeder " + scope.feeder_id();
}

bool IsOpen(const IncidentRecord& incident) {
  return incident.state != v1::INCIDENT_STATE_MERGED &&
         incident.state != v1::INCIDENT_STATE_RESTORED &&
         incident.state != v1::INCIDENT_STATE_CANCELLED;
}

const IncidentRecord* Lookup(const std::map<std::string, IncidentRecord>& incidents,
                             const std::map<std::string, std::string, std::less<>>& index,
                             std::string_view key) {
  if (key.empty()) return nullptr;
  const auto it = index.find(key);
  if (it == index.end()) return nullptr;
  const auto found = incidents.find(it->second);
  return found == incidents.end() ? nullptr : &found->second;
}

// Adds one ticket's contribution to an incident.
void AddTicket(IncidentRecord& incident, const std::string& ticket_id,
               const std::string& customer_key, bool last_gasp, bool life_support, bool important) {
  incident.ticket_ids.push_back(ticket_id);
  ++incident.call_count;
  if (last_gasp) ++incident.last_gasp_count;
  incident.customers.insert(customer_key);
  incident.life_support_affected = incident.life_support_affected || life_support;
  incident.important_customer_affected = incident.important_customer_affected || important;
  incident.affected_customers = std::max<int64_t>(incident.affected_customers,
                                                  static_cast<int64_t>(incident.customers.size()));
}

// Folds `child` into `parent` (tickets, counts, customers, flags) and marks it merged.
void Absorb(IncidentRecord& parent, IncidentRecord& child) {
  parent.ticket_ids.insert(parent.ticket_ids.end(), child.ticket_ids.begin(),
                           child.ticket_ids.end());
  parent.call_count += child.call_count;
  parent.last_gasp_count += child.last_gasp_count;
  parent.customers.insert(child.customers.begin(), child.customers.end());
  parent.life_support_affected = parent.life_support_affected || child.life_support_affected;
  parent.important_customer_affected =
      parent.important_customer_affected || child.important_customer_affected;
  parent.child_incident_ids.push_back(child.incident_id);
  child.state = v1::INCIDENT_STATE_MERGED;
  child.parent_incident_id = parent.incident_id;
}

}  // namespace

// -----------------------------------------------------------------------------------------------

core::Result<CorrelationSettings> CorrelationSettings::FromJson(std::string_view json) {
  const config::JsonReader reader("correlation settings");
  auto parsed = reader.ParseObject(json);
  if (!parsed.ok()) return parsed.error();
  if (auto status = reader.RejectUnknownKeys(*parsed, kSettingsKeys); !status.ok()) {
    return status.error();
  }
  CorrelationSettings settings;
  for (const auto& [key, value] : parsed->items()) {
    if (key == "window_minutes") {
      auto minutes = reader.Integer(value, key, 1, int64_t{24} * 60);
      if (!minutes.ok()) return minutes.error();
      settings.window = std::chrono::minutes(*minutes);
    } else if (key == "min_calls_for_transformer") {
      auto n = reader.Integer(value, key, 1, 100000);
      if (!n.ok()) return n.error();
      settings.min_calls_for_transformer = static_cast<int>(*n);
    } else if (key == "min_share_for_transformer") {
      auto share = reader.Number(value, key, 0.0, 1.0);
      if (!share.ok()) return share.error();
      settings.min_share_for_transformer = *share;
    } else if (key == "min_calls_for_share") {
      auto n = reader.Integer(value, key, 1, 100000);
      if (!n.ok()) return n.error();
      settings.min_calls_for_share = static_cast<int>(*n);
    } else if (key == "min_transformers_for_feeder") {
      auto n = reader.Integer(value, key, 2, 100000);
      if (!n.ok()) return n.error();
      settings.min_transformers_for_feeder = static_cast<int>(*n);
    } else if (key == "min_share_for_feeder") {
      auto share = reader.Number(value, key, 0.0, 1.0);
      if (!share.ok()) return share.error();
      settings.min_share_for_feeder = *share;
    } else {  // last_gasp_work_order
      auto on = reader.Bool(value, key);
      if (!on.ok()) return on.error();
      settings.last_gasp_work_order = *on;
    }
  }
  return settings;
}

std::string_view EffectKindName(EffectKind kind) {
  switch (kind) {
    case EffectKind::kAttachToIncident:
      return "attach-to-incident";
    case EffectKind::kAttachToPlannedOutage:
      return "attach-to-planned-outage";
    case EffectKind::kOpenIncident:
      return "open-incident";
    case EffectKind::kRollUp:
      return "roll-up";
    case EffectKind::kSingleCustomerWorkOrder:
      return "single-customer-work-order";
    case EffectKind::kHold:
      return "hold";
  }
  return "unknown";
}

// -----------------------------------------------------------------------------------------------
// CorrelationState accessors.

const IncidentRecord* CorrelationState::IncidentOfTicket(std::string_view ticket_id) const {
  const auto it = tickets_.find(ticket_id);
  if (it == tickets_.end() || it->second.place != Place::kIncident) return nullptr;
  const auto found = incidents_.find(it->second.id);
  return found == incidents_.end() ? nullptr : &found->second;
}

const IncidentRecord* CorrelationState::OpenTransformerIncident(
    std::string_view transformer_id) const {
  return Lookup(incidents_, open_by_transformer_, transformer_id);
}

const IncidentRecord* CorrelationState::OpenFeederIncident(std::string_view feeder_id) const {
  return Lookup(incidents_, open_by_feeder_, feeder_id);
}

int CorrelationState::OpenIncidentCount() const {
  return static_cast<int>(std::count_if(incidents_.begin(), incidents_.end(),
                                        [](const auto& entry) { return IsOpen(entry.second); }));
}

// -----------------------------------------------------------------------------------------------
// Correlator.

namespace {

void JoinReasons(CorrelationDecision& decision) {
  std::string reason;
  for (const CorrelationEffect& effect : decision.effects) {
    if (!reason.empty()) reason += "; ";
    reason += effect.reason;
  }
  decision.reason = std::move(reason);
}

/// An effect of `kind` for the call's ticket.
CorrelationEffect EffectFor(EffectKind kind, const FaultCall& call) {
  CorrelationEffect effect;
  effect.kind = kind;
  effect.ticket_id = call.ticket_id;
  effect.supply = call.supply;
  return effect;
}

/// A new incident of `level` at the call's place, opened by the call.
IncidentRecord NewIncident(std::string id, v1::IncidentLevel level, const FaultCall& call) {
  IncidentRecord incident;
  incident.incident_id = std::move(id);
  incident.level = level;
  incident.supply = call.supply;
  incident.area_class = call.area_class;
  incident.location = call.location;
  incident.opened_at = call.received_at;
  return incident;
}

}  // namespace

/// Distinct customers among a transformer area's pending calls, measured against rule 3.
struct Correlator::AreaCount {
  int distinct = 0;
  int64_t on_transformer = 0;  // customers of the area (0: unknown)
  double share = 0;
  bool by_count = false;
  bool by_share = false;
};

/// Open transformer incidents on a feeder, measured against the roll-up rule.
struct Correlator::FeederCount {
  std::vector<IncidentRecord*> children;  // oldest first
  int32_t areas = 0;                      // transformer areas on the feeder (0: unknown)
  double share = 0;
  bool by_count = false;
  bool by_share = false;
};

core::Result<CorrelationDecision> Correlator::Correlate(CorrelationState& state,
                                                        const FaultCall& call) const {
  if (call.ticket_id.empty()) return core::InvalidArgument("fault call without a ticket id");
  CorrelationDecision decision;
  if (AlreadyCorrelated(state, call, decision)) return decision;  // rule 0
  if (!AttachToPlannedOutage(state, call, decision) &&            // rule 1
      !AttachToOpenIncident(state, call, decision)) {             // rule 2
    if (call.supply.transformer_id().empty()) {
      CorrelateWithoutTransformerArea(state, call, decision);  // rule 4 alone
    } else {
      CorrelateOnTransformerArea(state, call, decision);  // rules 3 and 4
    }
  }
  JoinReasons(decision);
  return decision;
}

// Rule 0: redelivery of a ticket already correlated.
bool Correlator::AlreadyCorrelated(const CorrelationState& state, const FaultCall& call,
                                   CorrelationDecision& decision) const {
  using Place = CorrelationState::Place;
  const std::string& ticket = call.ticket_id;
  const auto it = state.tickets_.find(ticket);
  if (it == state.tickets_.end()) return false;
  decision.duplicate = true;
  switch (it->second.place) {
    case Place::kIncident:
      decision.incident_id = it->second.id;
      decision.reason = "ticket " + ticket + " already correlated: in incident " + it->second.id;
      break;
    case Place::kPlannedOutage:
      decision.planned_outage_id = it->second.id;
      decision.reason =
          "ticket " + ticket + " already correlated: attached to planned outage " + it->second.id;
      break;
    case Place::kPending:
      decision.reason =
          "ticket " + ticket + " already correlated: held on transformer area " + it->second.id;
      break;
  }
  return true;
}

// Rule 1: inside an active planned outage.
bool Correlator::AttachToPlannedOutage(CorrelationState& state, const FaultCall& call,
                                       CorrelationDecision& decision) const {
  const PlannedOutageRecord* best = nullptr;
  for (const auto& [id, outage] : state.planned_outages_) {
    if (outage.cancelled || !ScopeCovers(outage.scope, call.supply)) continue;
    if (call.received_at < outage.starts_at || call.received_at >= outage.ends_at) continue;
    auto rank = [](const PlannedOutageRecord& o) {
      return std::make_tuple(o.scope.transformer_id().empty(), o.ends_at, o.planned_outage_id);
    };
    if (best == nullptr || rank(outage) < rank(*best)) best = &outage;
  }
  if (best == nullptr) return false;
  PlannedOutageRecord& outage = state.planned_outages_.at(best->planned_outage_id);
  outage.ticket_ids.push_back(call.ticket_id);
  state.tickets_[call.ticket_id] = {CorrelationState::Place::kPlannedOutage,
                                    outage.planned_outage_id};
  CorrelationEffect effect = EffectFor(EffectKind::kAttachToPlannedOutage, call);
  effect.planned_outage_id = outage.planned_outage_id;
  effect.estimated_restoration_at = outage.ends_at;
  effect.supply = outage.scope;
  effect.reason = "inside planned outage " + outage.planned_outage_id + " on " +
                  DescribeScope(outage.scope) + " (until " + core::FormatRfc3339(outage.ends_at) +
                  "): attached, answered with the planned end, no crew";
  decision.planned_outage_id = outage.planned_outage_id;
  decision.effects.push_back(std::move(effect));
  return true;
}

// Rule 2: an open incident above or at the call's supply point, or the customer's own.
bool Correlator::AttachToOpenIncident(CorrelationState& state, const FaultCall& call,
                                      CorrelationDecision& decision) const {
  const std::string& feeder = call.supply.feeder_id();
  const std::string& transformer = call.supply.transformer_id();
  const std::string customer = CustomerKey(call);
  std::string target;
  std::string why;
  if (const IncidentRecord* f = state.OpenFeederIncident(feeder)) {
    target = f->incident_id;
    why = "feeder incident " + target + " is open on feeder " + feeder;
  } else if (const IncidentRecord* t = state.OpenTransformerIncident(transformer)) {
    target = t->incident_id;
    why = "transformer incident " + target + " is open on transformer area " + transformer;
  } else if (const IncidentRecord* s =
                 Lookup(state.incidents_, state.single_by_customer_, customer)) {
    target = s->incident_id;
    why = "the customer's single-customer incident " + target + " is open";
  }
  if (target.empty()) return false;
  IncidentRecord& incident = state.incidents_.at(target);
  AddTicket(incident, call.ticket_id, customer, call.last_gasp, call.life_support, call.important);
  state.tickets_[call.ticket_id] = {CorrelationState::Place::kIncident, target};
  CorrelationEffect effect = EffectFor(EffectKind::kAttachToIncident, call);
  effect.incident_id = target;
  effect.level = incident.level;
  effect.supply = incident.supply;
  effect.reason = why + ": " + (call.last_gasp ? "last gasp" : "call") + " attached (now " +
                  Plural(incident.call_count, "ticket", "tickets") + "), no new crew";
  decision.incident_id = target;
  decision.effects.push_back(std::move(effect));
  return true;
}

// Rule 4 for a call with no transformer area: nothing to correlate with, one call, one work order
// (a last gasp is held).
void Correlator::CorrelateWithoutTransformerArea(CorrelationState& state, const FaultCall& call,
                                                 CorrelationDecision& decision) const {
  if (call.last_gasp && !settings_.last_gasp_work_order) {
    CorrelationEffect effect = EffectFor(EffectKind::kHold, call);
    effect.reason =
        "last gasp with no transformer area known: nothing to correlate with, "
        "no work order for one meter alone";
    decision.effects.push_back(std::move(effect));
    return;
  }
  OpenSingleCustomerIncident(
      state, call, "no transformer area known for the call: single-customer work order", decision);
}

// Rules 3 and 4 on the call's transformer area.
void Correlator::CorrelateOnTransformerArea(CorrelationState& state, const FaultCall& call,
                                            CorrelationDecision& decision) const {
  std::vector<PendingCall>& pending = JoinPendingCalls(state, call);
  const AreaCount count = CountCustomers(pending, call);
  if (!count.by_count && !count.by_share) {
    BelowTransformerThreshold(state, call, count, pending, decision);
    return;
  }
  OpenTransformerIncident(state, call, count, pending, decision);  // `pending` is gone after it
  if (call.supply.feeder_id().empty()) return;
  FeederCount feeder = CountTransformerIncidents(state, call);
  const int n = static_cast<int>(feeder.children.size());
  if (n < 2 || (!feeder.by_count && !feeder.by_share)) return;
  RollUpFeeder(state, call, feeder, decision);
}

// Rule 3: the call joins its transformer area's pending calls; those older than the window go.
std::vector<PendingCall>& Correlator::JoinPendingCalls(CorrelationState& state,
                                                       const FaultCall& call) const {
  std::vector<PendingCall>& pending = state.pending_[call.supply.transformer_id()];
  const core::TimePoint horizon = call.received_at - settings_.window;
  std::erase_if(pending, [&](const PendingCall& p) {
    if (p.received_at >= horizon) return false;
    if (p.incident_id.empty()) state.tickets_.erase(p.ticket_id);
    return true;
  });
  pending.push_back(PendingCall{call.ticket_id, CustomerKey(call), call.supply.feeder_id(),
                                call.received_at, call.last_gasp, call.life_support, call.important,
                                ""});
  return pending;
}

Correlator::AreaCount Correlator::CountCustomers(const std::vector<PendingCall>& pending,
                                                 const FaultCall& call) const {
  std::set<std::string> customers;
  for (const PendingCall& p : pending) customers.insert(p.customer_key);
  AreaCount count;
  count.distinct = static_cast<int>(customers.size());
  count.on_transformer = call.topology.customers_on_transformer;
  count.share = count.on_transformer > 0 ? static_cast<double>(count.distinct) /
                                               static_cast<double>(count.on_transformer)
                                         : 0;
  count.by_count = count.distinct >= settings_.min_calls_for_transformer;
  count.by_share = settings_.min_share_for_transformer > 0 && count.on_transformer > 0 &&
                   count.distinct >= settings_.min_calls_for_share &&
                   count.share >= settings_.min_share_for_transformer;
  return count;
}

// Rule 4: below the thresholds a call gets a single-customer incident at once; a last gasp is
// held among the pending calls (or treated like a call when last_gasp_work_order).
void Correlator::BelowTransformerThreshold(CorrelationState& state, const FaultCall& call,
                                           const AreaCount& count,
                                           std::vector<PendingCall>& pending,
                                           CorrelationDecision& decision) const {
  const std::string& transformer = call.supply.transformer_id();
  const std::string below = Plural(count.distinct, "customer", "customers") +
                            " on transformer area " + transformer + " within " +
                            Minutes(settings_.window) + ", below the threshold of " +
                            std::to_string(settings_.min_calls_for_transformer) +
                            (settings_.min_share_for_transformer > 0 && count.on_transformer > 0
                                 ? " or " + Percent(settings_.min_share_for_transformer) + " of " +
                                       std::to_string(count.on_transformer)
                                 : std::string());
  if (call.last_gasp && !settings_.last_gasp_work_order) {
    state.tickets_[call.ticket_id] = {CorrelationState::Place::kPending, transformer};
    CorrelationEffect effect = EffectFor(EffectKind::kHold, call);
    effect.reason = "last gasp held: " + below + "; no work order for one meter alone";
    decision.effects.push_back(std::move(effect));
    return;
  }
  pending.back().incident_id =
      OpenSingleCustomerIncident(state, call, below + ": single-customer work order", decision);
}

std::string Correlator::OpenSingleCustomerIncident(CorrelationState& state, const FaultCall& call,
                                                   const std::string& why,
                                                   CorrelationDecision& decision) const {
  const std::string customer = CustomerKey(call);
  IncidentRecord incident =
      NewIncident("INC-S-" + call.ticket_id, v1::INCIDENT_LEVEL_SINGLE_CUSTOMER, call);
  AddTicket(incident, call.ticket_id, customer, call.last_gasp, call.life_support, call.important);
  incident.affected_customers = 1;
  const std::string id = incident.incident_id;
  state.incidents_[id] = std::move(incident);
  state.tickets_[call.ticket_id] = {CorrelationState::Place::kIncident, id};
  state.single_by_customer_[customer] = id;
  CorrelationEffect effect = EffectFor(EffectKind::kSingleCustomerWorkOrder, call);
  effect.incident_id = id;
  effect.level = v1::INCIDENT_LEVEL_SINGLE_CUSTOMER;
  effect.ticket_ids = {call.ticket_id};
  effect.reason = why;
  decision.incident_id = id;
  decision.effects.push_back(std::move(effect));
  return id;
}

// Rule 3 reached: a transformer incident opens with every pending ticket of the area; the
// single-customer incidents among them are merged into it.
void Correlator::OpenTransformerIncident(CorrelationState& state, const FaultCall& call,
                                         const AreaCount& count,
                                         const std::vector<PendingCall>& pending,
                                         CorrelationDecision& decision) const {
  const std::string& transformer = call.supply.transformer_id();
  IncidentRecord opened =
      NewIncident("INC-T-" + call.ticket_id, v1::INCIDENT_LEVEL_TRANSFORMER, call);
  std::vector<std::string> absorbed;
  for (const PendingCall& p : pending) TakePending(state, opened, p, absorbed);
  opened.affected_customers =
      std::max<int64_t>(count.on_transformer, static_cast<int64_t>(opened.customers.size()));
  state.pending_.erase(transformer);  // `pending` dangles from here on

  const std::string id = opened.incident_id;
  CorrelationEffect effect =
      FileNewIncident(state, opened, EffectKind::kOpenIncident, call, absorbed);
  state.open_by_transformer_[transformer] = id;
  const std::string threshold =
      count.by_count ? "threshold " + std::to_string(settings_.min_calls_for_transformer)
                     : Percent(count.share) + " of " + std::to_string(count.on_transformer) +
                           " customers, threshold " + Percent(settings_.min_share_for_transformer);
  effect.reason = Plural(count.distinct, "customer", "customers") + " on transformer area " +
                  transformer + " within " + Minutes(settings_.window) + " (" + threshold +
                  "): transformer incident " + id + " opened with " +
                  Plural(opened.call_count, "ticket", "tickets") +
                  (absorbed.empty() ? std::string()
                                    : ", absorbing single-customer incidents " + Join(absorbed));
  decision.effects.push_back(std::move(effect));
  decision.incident_id = id;
  state.incidents_[id] = std::move(opened);
}

Correlator::FeederCount Correlator::CountTransformerIncidents(CorrelationState& state,
                                                              const FaultCall& call) const {
  FeederCount count;
  for (auto& [id, incident] : state.incidents_) {
    if (incident.level == v1::INCIDENT_LEVEL_TRANSFORMER && IsOpen(incident) &&
        incident.supply.feeder_id() == call.supply.feeder_id()) {
      count.children.push_back(&incident);
    }
  }
  std::stable_sort(
      count.children.begin(), count.children.end(),
      [](const IncidentRecord* a, const IncidentRecord* b) { return a->opened_at < b->opened_at; });
  const int n = static_cast<int>(count.children.size());
  count.areas = call.topology.transformers_on_feeder;
  count.share = count.areas > 0 ? static_cast<double>(n) / static_cast<double>(count.areas) : 0.0;
  count.by_count = n >= settings_.min_transformers_for_feeder;
  count.by_share = settings_.min_share_for_feeder > 0 && count.areas > 0 &&
                   count.share >= settings_.min_share_for_feeder;
  return count;
}

// Roll-up: enough transformer incidents are open on the feeder. They become the MERGED children
// of a new feeder incident, and so do the feeder's other pending calls within the window with
// their single-customer incidents: the whole feeder is out.
void Correlator::RollUpFeeder(CorrelationState& state, const FaultCall& call,
                              const FeederCount& count, CorrelationDecision& decision) const {
  const std::string& feeder = call.supply.feeder_id();
  IncidentRecord rolled = NewIncident("INC-F-" + call.ticket_id, v1::INCIDENT_LEVEL_FEEDER, call);
  rolled.supply.Clear();
  rolled.supply.set_substation_id(call.supply.substation_id());
  rolled.supply.set_feeder_id(feeder);
  std::vector<std::string> merged;
  int64_t children_affected = 0;
  for (IncidentRecord* child : count.children) {
    children_affected += child->affected_customers;
    Absorb(rolled, *child);
    merged.push_back(child->incident_id);
    state.open_by_transformer_.erase(child->supply.transformer_id());
  }
  const std::vector<std::string> absorbed =
      TakeFeederPendingCalls(state, rolled, feeder, call.received_at - settings_.window);
  merged.insert(merged.end(), absorbed.begin(), absorbed.end());
  rolled.affected_customers =
      std::max<int64_t>({call.topology.customers_on_feeder, children_affected,
                         static_cast<int64_t>(rolled.customers.size())});

  const std::string id = rolled.incident_id;
  CorrelationEffect effect = FileNewIncident(state, rolled, EffectKind::kRollUp, call, merged);
  state.open_by_feeder_[feeder] = id;
  const std::string threshold =
      count.by_count
          ? "threshold " + std::to_string(settings_.min_transformers_for_feeder)
          : Percent(count.share) + " of " + std::to_string(count.areas) +
                " transformer areas, threshold " + Percent(settings_.min_share_for_feeder);
  effect.reason = std::to_string(count.children.size()) + " transformer incidents open on feeder " +
                  feeder + " (" + threshold + "): rolled up into feeder incident " + id + " with " +
                  Plural(rolled.call_count, "ticket", "tickets") +
                  ", the predicted failed device moves upstream to the feeder; merged " +
                  Join(merged);
  decision.effects.push_back(std::move(effect));
  decision.incident_id = id;
  state.incidents_[id] = std::move(rolled);
}

std::vector<std::string> Correlator::TakeFeederPendingCalls(CorrelationState& state,
                                                            IncidentRecord& rolled,
                                                            const std::string& feeder,
                                                            core::TimePoint horizon) {
  std::vector<std::string> absorbed;
  for (auto it = state.pending_.begin(); it != state.pending_.end();) {
    bool on_feeder = false;
    for (const PendingCall& p : it->second) {
      if (p.feeder_id != feeder) continue;
      on_feeder = true;
      if (p.received_at >= horizon) {
        TakePending(state, rolled, p, absorbed);
      } else if (p.incident_id.empty()) {
        state.tickets_.erase(p.ticket_id);
      }
    }
    it = on_feeder ? state.pending_.erase(it) : std::next(it);
  }
  return absorbed;
}

CorrelationEffect Correlator::FileNewIncident(CorrelationState& state,
                                              const IncidentRecord& incident, EffectKind kind,
                                              const FaultCall& call,
                                              std::vector<std::string> merged) {
  for (const std::string& t : incident.ticket_ids) {
    state.tickets_[t] = {CorrelationState::Place::kIncident, incident.incident_id};
  }
  CorrelationEffect effect = EffectFor(kind, call);
  effect.incident_id = incident.incident_id;
  effect.level = incident.level;
  effect.supply = incident.supply;
  effect.ticket_ids = incident.ticket_ids;
  effect.merged_incident_ids = std::move(merged);
  return effect;
}

void Correlator::TakePending(CorrelationState& state, IncidentRecord& into, const PendingCall& p,
                             std::vector<std::string>& absorbed) {
  if (p.incident_id.empty()) {
    AddTicket(into, p.ticket_id, p.customer_key, p.last_gasp, p.life_support, p.important);
    return;
  }
  const auto it = state.incidents_.find(p.incident_id);
  if (it == state.incidents_.end() || !IsOpen(it->second)) return;  // closed meanwhile
  Absorb(into, it->second);
  absorbed.push_back(p.incident_id);
  state.single_by_customer_.erase(p.customer_key);
}

core::Status Correlator::RegisterPlannedOutage(CorrelationState& state,
                                               PlannedOutageRecord outage) const {
  if (outage.planned_outage_id.empty()) {
    return core::InvalidArgument("planned outage without an id");
  }
  if (outage.scope.feeder_id().empty() && outage.scope.transformer_id().empty()) {
    return core::InvalidArgument("planned outage " + outage.planned_outage_id +
                                 " names neither a feeder nor a transformer area");
  }
  if (outage.ends_at <= outage.starts_at) {
    return core::InvalidArgument("planned outage " + outage.planned_outage_id +
                                 " does not end after it starts");
  }
  if (const auto it = state.planned_outages_.find(outage.planned_outage_id);
      it != state.planned_outages_.end()) {
    outage.ticket_ids = std::move(it->second.ticket_ids);
  } else {
    outage.ticket_ids.clear();
  }
  const std::string id = outage.planned_outage_id;
  state.planned_outages_[id] = std::move(outage);
  return core::Status::Ok();
}

core::Result<ClosedIncident> Correlator::CloseIncident(CorrelationState& state,
                                                       std::string_view incident_id) const {
  const auto root = state.incidents_.find(std::string(incident_id));
  if (root == state.incidents_.end()) {
    return core::NotFound("no incident " + std::string(incident_id));
  }
  if (root->second.state == v1::INCIDENT_STATE_MERGED) {
    return core::FailedPrecondition("incident " + std::string(incident_id) + " is merged into " +
                                    root->second.parent_incident_id + "; close that one");
  }
  ClosedIncident closed;
  closed.ticket_ids = root->second.ticket_ids;
  std::vector<std::string> queue{root->first};
  while (!queue.empty()) {
    const std::string id = queue.back();
    queue.pop_back();
    const auto it = state.incidents_.find(id);
    if (it == state.incidents_.end()) continue;
    closed.incident_ids.push_back(id);
    queue.insert(queue.end(), it->second.child_incident_ids.begin(),
                 it->second.child_incident_ids.end());
    state.incidents_.erase(it);
  }
  const std::set<std::string> ids(closed.incident_ids.begin(), closed.incident_ids.end());
  auto drop_index = [&ids](auto& index) {
    std::erase_if(index, [&ids](const auto& entry) { return ids.count(entry.second) > 0; });
  };
  drop_index(state.open_by_transformer_);
  drop_index(state.open_by_feeder_);
  drop_index(state.single_by_customer_);
  const std::set<std::string> tickets(closed.ticket_ids.begin(), closed.ticket_ids.end());
  for (const std::string& t : closed.ticket_ids) state.tickets_.erase(t);
  for (auto it = state.pending_.begin(); it != state.pending_.end();) {
    std::erase_if(it->second, [&](const PendingCall& p) {
      return ids.count(p.incident_id) > 0 || tickets.count(p.ticket_id) > 0;
    });
    it = it->second.empty() ? state.pending_.erase(it) : std::next(it);
  }
  return closed;
}

int Correlator::Prune(CorrelationState& state, core::TimePoint now) const {
  const core::TimePoint horizon = now - settings_.window;
  int dropped = 0;
  for (auto it = state.pending_.begin(); it != state.pending_.end();) {
    dropped += static_cast<int>(std::erase_if(it->second, [&](const PendingCall& p) {
      if (p.received_at >= horizon) return false;
      if (p.incident_id.empty()) state.tickets_.erase(p.ticket_id);
      return true;
    }));
    it = it->second.empty() ? state.pending_.erase(it) : std::next(it);
  }
  for (auto it = state.planned_outages_.begin(); it != state.planned_outages_.end();) {
    if (it->second.ends_at >= horizon) {
      ++it;
      continue;
    }
    for (const std::string& t : it->second.ticket_ids) state.tickets_.erase(t);
    it = state.planned_outages_.erase(it);
    ++dropped;
  }
  return dropped;
}

}  // namespace gridcare::dispatch
