#include "incident_book.h"

#include <algorithm>
#include <limits>

#include "gridcare/labels/labels.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

using labels::Text;

v1::ServiceClock ArrivalClock(v1::AreaClass area, core::TimePoint start,
                              const sla::ServiceStandards& standards) {
  v1::ServiceClock clock;
  clock.set_kind(v1::ServiceClock::KIND_ARRIVAL);
  *clock.mutable_starts_at() = sla::ToTimestamp(start);
  *clock.mutable_due_at() = sla::ToTimestamp(start + sla::ArrivalLimit(area, standards));
  return clock;
}

/// Life-support or important customers out: urgent. Transformer and feeder outages, or many
/// customers: high. A single customer: normal.
v1::Priority PriorityOf(const IncidentRecord& record) {
  if (record.life_support_affected || record.important_customer_affected) {
    return v1::PRIORITY_URGENT;
  }
  if (record.level == v1::INCIDENT_LEVEL_FEEDER || record.level == v1::INCIDENT_LEVEL_TRANSFORMER ||
      record.affected_customers >= 50) {
    return v1::PRIORITY_HIGH;
  }
  return v1::PRIORITY_NORMAL;
}

/// What a caller is told when the incident has no cause yet.
v1::LocalizedText DefaultCause(v1::IncidentLevel level) {
  switch (level) {
    case v1::INCIDENT_LEVEL_FEEDER:
      return Text("10千伏线路故障停电，正在抢修", "10 kV feeder outage, repair under way");
    case v1::INCIDENT_LEVEL_TRANSFORMER:
      return Text("台区停电，正在抢修", "Transformer area outage, repair under way");
    default:
      return Text("故障已登记，正在派员处理", "Fault registered, a crew is being dispatched");
  }
}

FaultCall FaultCallOf(const v1::DispatchFaultCallRecord& record) {
  return FaultCall{record.ticket_id(),
                   record.customer_id(),
                   record.supply(),
                   record.area_class(),
                   record.location(),
                   sla::FromTimestamp(record.received_at()),
                   record.last_gasp(),
                   record.life_support(),
                   record.important(),
                   {record.customers_on_transformer(), record.customers_on_feeder(),
                    record.transformers_on_feeder()}};
}

/// Correlation's view of a planned outage (its reason in Chinese, else in English).
PlannedOutageRecord OutageRecordOf(const v1::PlannedOutage& outage) {
  return PlannedOutageRecord{
      outage.planned_outage_id(),
      outage.scope(),
      sla::FromTimestamp(outage.starts_at()),
      sla::FromTimestamp(outage.ends_at()),
      outage.reason().zh_cn().empty() ? outage.reason().en() : outage.reason().zh_cn(),
      outage.cancelled(),
      {}};
}

/// One call, live or replayed: correlated, then old pending calls pruned relative to it.
core::Result<CorrelationDecision> CorrelateAndPrune(const Correlator& correlator,
                                                    CorrelationState& state,
                                                    const FaultCall& call) {
  auto decision = correlator.Correlate(state, call);
  if (decision && !decision->duplicate) correlator.Prune(state, call.received_at);
  return decision;
}

core::Status Replay(const Correlator& correlator, CorrelationState& state,
                    const std::vector<v1::DispatchJournalEntry>& journal) {
  for (const auto& entry : journal) {
    switch (entry.entry_case()) {
      case v1::DispatchJournalEntry::kFaultCall:
        if (auto replayed = CorrelateAndPrune(correlator, state, FaultCallOf(entry.fault_call()));
            !replayed) {
          return replayed.error();
        }
        break;
      case v1::DispatchJournalEntry::kPlannedOutage:
        if (auto status =
                correlator.RegisterPlannedOutage(state, OutageRecordOf(entry.planned_outage()));
            !status) {
          return status.error();
        }
        break;
      case v1::DispatchJournalEntry::kClosedIncidentId:
        // Not found is fine: a close journaled twice (a retried batch) closes once.
        (void)correlator.CloseIncident(state, entry.closed_incident_id());
        break;
      default:
        break;
    }
  }
  return {};
}

/// The incident as it is archived once restored.
v1::Incident RestoredCopy(const v1::Incident& open, const v1::JobCompleted& report,
                          core::TimePoint now) {
  v1::Incident incident = open;
  incident.set_state(v1::INCIDENT_STATE_RESTORED);
  *incident.mutable_restored_at() = sla::ToTimestamp(now);
  incident.set_cause_code(report.cause_code());
  *incident.mutable_cause() = report.cause().zh_cn().empty() && report.cause().en().empty()
                                  ? Text("故障已修复（" + report.cause_code() + "）",
                                         "Fault repaired (" + report.cause_code() + ")")
                                  : report.cause();
  MarkRestored(incident.mutable_clocks(), now);
  return incident;
}

}  // namespace

IncidentBook::IncidentBook(const DispatchSettings& settings, AlarmBook& alarms,
                           DispatchMetrics* metrics)
    : correlator_(settings.correlation),
      standards_(settings.standards),
      max_ticket_ids_per_event_(settings.max_ticket_ids_per_event),
      alarms_(alarms),
      metrics_(metrics) {}

core::Status IncidentBook::Recover(const std::vector<v1::DispatchJournalEntry>& journal,
                                   std::map<std::string, v1::Incident> incidents,
                                   std::map<std::string, v1::PlannedOutage> planned_outages) {
  CorrelationState correlation;
  if (auto status = Replay(correlator_, correlation, journal); !status) return status;
  correlation_ = std::move(correlation);
  incidents_ = std::move(incidents);
  planned_outages_ = std::move(planned_outages);
  return {};
}

// ---- correlation ---------------------------------------------------------------------------

core::Result<CorrelationDecision> IncidentBook::Correlate(const FaultCall& call) {
  return CorrelateAndPrune(correlator_, correlation_, call);
}

void IncidentBook::Journal(DispatchPass& pass, const FaultCall& call) {
  v1::DispatchJournalEntry entry;
  auto* record = entry.mutable_fault_call();
  record->set_ticket_id(call.ticket_id);
  record->set_customer_id(call.customer_id);
  *record->mutable_supply() = call.supply;
  record->set_area_class(call.area_class);
  *record->mutable_location() = call.location;
  *record->mutable_received_at() = sla::ToTimestamp(call.received_at);
  record->set_last_gasp(call.last_gasp);
  record->set_life_support(call.life_support);
  record->set_important(call.important);
  record->set_customers_on_transformer(call.topology.customers_on_transformer);
  record->set_customers_on_feeder(call.topology.customers_on_feeder);
  record->set_transformers_on_feeder(call.topology.transformers_on_feeder);
  pass.batch.journal.push_back(std::move(entry));
}

core::Status IncidentBook::RegisterPlannedOutage(DispatchPass& pass,
                                                 const v1::PlannedOutage& outage) {
  if (auto status = correlator_.RegisterPlannedOutage(correlation_, OutageRecordOf(outage));
      !status) {
    return status;
  }
  const std::string& id = outage.planned_outage_id();
  planned_outages_[id] = outage;
  v1::DispatchJournalEntry entry;
  *entry.mutable_planned_outage() = outage;
  pass.batch.journal.push_back(std::move(entry));
  pass.batch.planned_outages[id] = outage;
  v1::DispatchEvent event;
  *event.mutable_planned_outage_registered()->mutable_planned_outage() = outage;
  pass.Emit(id, "gridcare.planned_outage.registered.v1", id, event);
  return {};
}

// ---- lookups -------------------------------------------------------------------------------

v1::Incident* IncidentBook::Find(const std::string& incident_id) {
  auto it = incidents_.find(incident_id);
  return it == incidents_.end() ? nullptr : &it->second;
}

const v1::Incident* IncidentBook::Find(const std::string& incident_id) const {
  auto it = incidents_.find(incident_id);
  return it == incidents_.end() ? nullptr : &it->second;
}

std::vector<std::string> IncidentBook::TicketsOf(std::string_view incident_id) const {
  auto it = correlation_.incidents().find(std::string(incident_id));
  if (it == correlation_.incidents().end()) return {};
  return it->second.ticket_ids;
}

std::string IncidentBook::FirstTicketOf(std::string_view incident_id) const {
  auto it = correlation_.incidents().find(std::string(incident_id));
  if (it == correlation_.incidents().end() || it->second.ticket_ids.empty()) return {};
  return it->second.ticket_ids.front();
}

v1::Incident IncidentBook::WithTickets(const v1::Incident& incident, size_t offset,
                                       size_t count) const {
  v1::Incident copy = incident;
  const auto tickets = TicketsOf(incident.incident_id());
  for (size_t i = offset; i < tickets.size() && i < offset + count; ++i) {
    copy.add_ticket_ids(tickets[i]);
  }
  return copy;
}

size_t IncidentBook::Chunk() const {
  return static_cast<size_t>(std::max(1, max_ticket_ids_per_event_));
}

// ---- changes -------------------------------------------------------------------------------

v1::Incident* IncidentBook::Sync(DispatchPass& pass, const std::string& incident_id) {
  const auto found = correlation_.incidents().find(incident_id);
  if (found == correlation_.incidents().end()) return nullptr;
  const IncidentRecord& record = found->second;
  auto [it, created] = incidents_.try_emplace(record.incident_id);
  v1::Incident& incident = it->second;
  if (created) {
    incident.set_incident_id(record.incident_id);
    incident.set_state(v1::INCIDENT_STATE_OPEN);
    *incident.mutable_opened_at() = sla::ToTimestamp(record.opened_at);
    *incident.add_clocks() = ArrivalClock(record.area_class, record.opened_at, standards_);
  }
  incident.set_level(record.level);
  *incident.mutable_supply() = record.supply;
  incident.set_area_class(record.area_class);
  *incident.mutable_location() = record.location;
  incident.set_call_count(record.call_count);
  incident.set_last_gasp_count(record.last_gasp_count);
  incident.set_affected_customers(record.affected_customers);
  incident.set_life_support_affected(record.life_support_affected);
  incident.set_important_customer_affected(record.important_customer_affected);
  incident.set_priority(std::max(incident.priority(), PriorityOf(record)));
  incident.set_parent_incident_id(record.parent_incident_id);
  incident.clear_child_incident_ids();
  for (const auto& child : record.child_incident_ids) incident.add_child_incident_ids(child);
  if (record.state == v1::INCIDENT_STATE_MERGED) incident.set_state(v1::INCIDENT_STATE_MERGED);
  if (created) alarms_.Schedule(pass, record.incident_id, &incident);
  Record(pass, incident);
  return &incident;
}

void IncidentBook::Record(DispatchPass& pass, const v1::Incident& incident) {
  pass.batch.incidents[incident.incident_id()] = incident;
}

std::optional<std::string> IncidentBook::Merge(DispatchPass& pass, const std::string& child_id,
                                               const std::string& parent_id) {
  auto it = incidents_.find(child_id);
  if (it == incidents_.end()) return std::nullopt;
  v1::Incident& child = it->second;
  std::string order_id = child.work_order_id();
  child.set_state(v1::INCIDENT_STATE_MERGED);
  child.set_parent_incident_id(parent_id);
  child.clear_crew_id();
  for (auto& clock : *child.mutable_clocks()) {
    // The parent's clocks take over; the child raises no more alarms.
    if (!clock.has_met_at()) *clock.mutable_met_at() = sla::ToTimestamp(pass.Now());
  }
  alarms_.Stop(pass, child_id);
  Record(pass, child);
  if (metrics_) metrics_->Action("merged");
  return order_id;
}

void IncidentBook::TakeEarliestArrival(DispatchPass& pass, const std::string& incident_id,
                                       const std::vector<std::string>& merged) {
  v1::Incident* opened = Find(incident_id);
  if (opened == nullptr) return;
  auto* arrival = FindClock(opened->mutable_clocks(), v1::ServiceClock::KIND_ARRIVAL);
  if (arrival == nullptr || !arrival->has_due_at()) return;
  bool earlier_found = false;
  for (const auto& merged_id : merged) {
    const v1::Incident* child = Find(merged_id);
    if (child == nullptr) continue;
    const auto* theirs = FindClock(child->clocks(), v1::ServiceClock::KIND_ARRIVAL);
    if (theirs != nullptr && theirs->has_due_at() &&
        sla::FromTimestamp(theirs->due_at()) < sla::FromTimestamp(arrival->due_at())) {
      *arrival->mutable_starts_at() = theirs->starts_at();
      *arrival->mutable_due_at() = theirs->due_at();
      earlier_found = true;
    }
  }
  if (earlier_found) {
    Record(pass, *opened);
    alarms_.Schedule(pass, incident_id, opened);
  }
}

void IncidentBook::Restore(DispatchPass& pass, const std::string& incident_id,
                           const v1::JobCompleted& report) {
  auto it = incidents_.find(incident_id);
  if (it == incidents_.end()) return;
  const v1::Incident incident = RestoredCopy(it->second, report, pass.Now());
  const auto tickets = TicketsOf(incident_id);
  auto closed = correlator_.CloseIncident(correlation_, incident_id);
  v1::DispatchJournalEntry entry;
  entry.set_closed_incident_id(incident_id);
  pass.batch.journal.push_back(std::move(entry));
  const size_t chunk = Chunk();
  for (size_t offset = 0; offset < std::max<size_t>(tickets.size(), 1); offset += chunk) {
    v1::DispatchEvent event;
    auto* restored = event.mutable_incident_restored();
    *restored->mutable_incident() = incident;
    for (size_t i = offset; i < tickets.size() && i < offset + chunk; ++i) {
      restored->add_ticket_ids(tickets[i]);
      restored->mutable_incident()->add_ticket_ids(tickets[i]);
    }
    pass.Emit(incident_id, "gridcare.incident.restored.v1", incident_id, event);
  }
  std::vector<std::string> over = {incident_id};
  if (closed) {
    for (const auto& id : closed->incident_ids) {
      if (id != incident_id) over.push_back(id);
    }
  }
  for (const auto& id : over) {
    auto found = incidents_.find(id);
    if (found == incidents_.end()) continue;
    pass.batch.incidents.erase(id);
    pass.batch.closed_incidents[id] = id == incident_id ? incident : found->second;
    alarms_.Forget(pass, id);
    incidents_.erase(found);
  }
  if (metrics_) metrics_->Action("restored");
}

// ---- events --------------------------------------------------------------------------------

void IncidentBook::Announce(DispatchPass& pass, const v1::Incident& incident,
                            const CorrelationEffect& effect,
                            const UnannouncedIncidents& unannounced) const {
  const std::string& incident_id = incident.incident_id();
  const auto tickets = TicketsOf(incident_id);
  const size_t chunk = Chunk();
  for (size_t offset = 0; offset < std::max<size_t>(tickets.size(), 1); offset += chunk) {
    v1::DispatchEvent event;
    if (effect.kind == EffectKind::kRollUp) {
      auto* rolled = event.mutable_incident_rolled_up();
      *rolled->mutable_incident() = WithTickets(incident, offset, chunk);
      for (const auto& merged : effect.merged_incident_ids) {
        if (auto silent = unannounced.find(merged); silent != unannounced.end()) {
          for (const auto& child : silent->second) rolled->add_merged_incident_ids(child);
        } else {
          rolled->add_merged_incident_ids(merged);
        }
      }
      pass.Emit(incident_id, "gridcare.incident.rolled_up.v1", incident_id, event);
    } else {
      *event.mutable_incident_opened()->mutable_incident() = WithTickets(incident, offset, chunk);
      pass.Emit(incident_id, "gridcare.incident.opened.v1", incident_id, event);
    }
  }
  if (effect.kind != EffectKind::kSingleCustomerWorkOrder) {
    // Every caller of a transformer or feeder outage learns it joined a known outage.
    for (const auto& ticket_id : tickets) EmitTicketAttached(pass, ticket_id, incident);
  }
}

void IncidentBook::EmitTicketAttached(DispatchPass& pass, const std::string& ticket_id,
                                      const v1::Incident& incident) const {
  v1::DispatchEvent event;
  auto* attached = event.mutable_ticket_attached();
  attached->set_ticket_id(ticket_id);
  attached->set_incident_id(incident.incident_id());
  if (incident.has_estimated_restoration_at()) {
    *attached->mutable_estimated_restoration_at() = incident.estimated_restoration_at();
  }
  *attached->mutable_known_cause() =
      incident.cause().zh_cn().empty() ? DefaultCause(incident.level()) : incident.cause();
  pass.Emit(incident.incident_id(), "gridcare.ticket.attached.v1", ticket_id, event);
}

void IncidentBook::EmitAttachedToPlannedOutage(DispatchPass& pass,
                                               const CorrelationEffect& effect) const {
  v1::DispatchEvent event;
  auto* attached = event.mutable_ticket_attached();
  attached->set_ticket_id(effect.ticket_id);
  attached->set_planned_outage_id(effect.planned_outage_id);
  if (effect.estimated_restoration_at) {
    *attached->mutable_estimated_restoration_at() =
        sla::ToTimestamp(*effect.estimated_restoration_at);
  }
  if (auto it = planned_outages_.find(effect.planned_outage_id); it != planned_outages_.end()) {
    *attached->mutable_known_cause() = it->second.reason();
  }
  pass.Emit(effect.planned_outage_id, "gridcare.ticket.attached.v1", effect.ticket_id, event);
}

void IncidentBook::EmitIncidentUpdated(DispatchPass& pass, const v1::Incident& incident,
                                       std::string_view what) const {
  const auto tickets = TicketsOf(incident.incident_id());
  const size_t chunk = Chunk();
  for (size_t offset = 0; offset < std::max<size_t>(tickets.size(), 1); offset += chunk) {
    v1::DispatchEvent event;
    auto* updated = event.mutable_incident_updated();
    *updated->mutable_incident() = WithTickets(incident, offset, chunk);
    updated->set_change(std::string(what));
    pass.Emit(incident.incident_id(), "gridcare.incident.updated.v1", incident.incident_id(),
              event);
  }
}

}  // namespace gridcare::dispatch
