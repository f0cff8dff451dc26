#include "dispatcher.h"

#include <algorithm>
#include <charconv>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

constexpr std::string_view kSource = "/gridcare/dispatch";

bool HasTag(const v1::Ticket& ticket, v1::CustomerTag tag) {
  return std::any_of(ticket.customer_tags().begin(), ticket.customer_tags().end(),
                     [tag](int t) { return t == tag; });
}

v1::LocalizedText Text(std::string zh, std::string en) {
  v1::LocalizedText text;
  text.set_zh_cn(std::move(zh));
  text.set_en(std::move(en));
  return text;
}

v1::ServiceClock ArrivalClock(v1::AreaClass area, core::TimePoint start,
                              const sla::ServiceStandards& standards) {
  v1::ServiceClock clock;
  clock.set_kind(v1::ServiceClock::KIND_ARRIVAL);
  *clock.mutable_starts_at() = sla::ToTimestamp(start);
  *clock.mutable_due_at() = sla::ToTimestamp(start + sla::ArrivalLimit(area, standards));
  return clock;
}

v1::CrewSkill SkillFor(v1::IncidentLevel level) {
  switch (level) {
    case v1::INCIDENT_LEVEL_FEEDER:
    case v1::INCIDENT_LEVEL_SUBSTATION:
      return v1::CREW_SKILL_MEDIUM_VOLTAGE;
    case v1::INCIDENT_LEVEL_TRANSFORMER:
      return v1::CREW_SKILL_TRANSFORMER;
    default:
      return v1::CREW_SKILL_LOW_VOLTAGE;
  }
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

bool IsOpen(v1::WorkOrderState state) {
  return state != v1::WORK_ORDER_STATE_COMPLETED && state != v1::WORK_ORDER_STATE_CANCELLED &&
         state != v1::WORK_ORDER_STATE_UNSPECIFIED;
}

bool HeldByCrew(v1::WorkOrderState state) {
  return state == v1::WORK_ORDER_STATE_ASSIGNED || state == v1::WORK_ORDER_STATE_ACCEPTED ||
         state == v1::WORK_ORDER_STATE_EN_ROUTE || state == v1::WORK_ORDER_STATE_ON_SITE;
}

std::string_view DecisionName(EffectKind kind) { return EffectKindName(kind); }

std::string FiredKey(std::string_view incident_id, v1::ServiceClock::Kind kind) {
  return std::string(incident_id) + "/" + std::string(ClockKindName(kind));
}

std::string WorkOrderIdFor(std::string_view incident_id, int sequence) {
  // "INC-T-GC-…" → "WO-T-GC-…"; a follow-up order after an unfinished repair gets "-2", "-3" …
  std::string id = "WO-" + std::string(incident_id.starts_with("INC-") ? incident_id.substr(4)
                                                                       : incident_id);
  if (sequence > 1) id += "-" + std::to_string(sequence);
  return id;
}

}  // namespace

Dispatcher::Dispatcher(DispatchStore& store, kafka::EventPublisher& publisher,
                       TopologyDirectory& topology, const core::Clock& clock,
                       DispatchSettings settings, DispatchMetrics* metrics)
    : store_(store),
      publisher_(publisher),
      topology_(topology),
      clock_(clock),
      settings_(std::move(settings)),
      metrics_(metrics),
      correlator_(settings_.correlation) {}

// ---- recovery and the write path -----------------------------------------------------------

core::Status Dispatcher::Recover() {
  std::lock_guard lock(mutex_);
  return RecoverLocked();
}

bool Dispatcher::recovered() const {
  std::lock_guard lock(mutex_);
  return recovered_;
}

core::Status Dispatcher::EnsureRecovered() { return recovered_ ? core::Status{} : RecoverLocked(); }

core::Status Dispatcher::RecoverLocked() {
  recovered_ = false;
  auto snapshot = store_.Load();
  if (!snapshot) return snapshot.error();
  CorrelationState correlation;
  for (const auto& entry : snapshot->journal) {
    switch (entry.entry_case()) {
      case v1::DispatchJournalEntry::kFaultCall: {
        const auto& record = entry.fault_call();
        FaultCall call{record.ticket_id(),
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
        auto replayed = correlator_.Correlate(correlation, call);
        if (!replayed) return replayed.error();
        // Pruned exactly as when the call was handled (see OnTicketOpened).
        if (!replayed->duplicate) correlator_.Prune(correlation, call.received_at);
        break;
      }
      case v1::DispatchJournalEntry::kPlannedOutage: {
        const auto& outage = entry.planned_outage();
        PlannedOutageRecord record{outage.planned_outage_id(), outage.scope(),
                                   sla::FromTimestamp(outage.starts_at()),
                                   sla::FromTimestamp(outage.ends_at()),
                                   outage.reason().zh_cn(), outage.cancelled(), {}};
        if (auto status = correlator_.RegisterPlannedOutage(correlation, record); !status) {
          return status.error();
        }
        break;
      }
      case v1::DispatchJournalEntry::kClosedIncidentId:
        // Not found is fine: a close journaled twice (a retried batch) closes once.
        (void)correlator_.CloseIncident(correlation, entry.closed_incident_id());
        break;
      default:
        break;
    }
  }
  correlation_ = std::move(correlation);
  incidents_ = std::move(snapshot->incidents);
  work_orders_ = std::move(snapshot->work_orders);
  planned_outages_ = std::move(snapshot->planned_outages);
  declined_ = std::move(snapshot->declined);
  fired_ = std::move(snapshot->fired);
  recovered_ = true;
  UpdateOpenGauges();
  logging::Info("dispatch state recovered",
                {{"journal_entries", std::to_string(snapshot->journal.size())},
                 {"open_incidents", std::to_string(incidents_.size())},
                 {"open_work_orders", std::to_string(work_orders_.size())}});
  return {};
}

void Dispatcher::Emit(Pass& pass, const std::string& key, std::string_view ce_type,
                      const std::string& subject, const v1::DispatchEvent& event,
                      std::string event_id) {
  if (event_id.empty()) {
    event_id = kafka::DeriveEventId(pass.source_id, std::to_string(pass.next_event++));
  }
  kafka::EventMetadata metadata{std::move(event_id), std::string(ce_type), std::string(kSource),
                                subject, clock_.Now(), kafka::ChildTraceparent(pass.traceparent)};
  pass.batch.records.push_back(
      kafka::MakeRecord(std::string(kafka::kDispatchTopic), key, metadata, event));
}

core::Status Dispatcher::PublishAll(const std::vector<kafka::OutgoingRecord>& records) {
  for (const auto& record : records) {
    if (auto status = publisher_.Publish(record); !status) return status;
  }
  return {};
}

core::Status Dispatcher::Finish(Pass& pass, bool wait_for_delivery) {
  pass.batch.outbox_id = pass.source_id;
  pass.batch.outbox_pending = wait_for_delivery;
  if (auto status = store_.Commit(pass.batch); !status) {
    // Memory is now ahead of the store: rebuild from the store before the next input.
    recovered_ = false;
    return status;
  }
  if (pass.source_id.starts_with("console/") || pass.source_id.starts_with("planned-outage/")) {
    UpdateOpenGauges();  // inputs from Kafka leave the gauges to the tick: a scan per call is waste
  }
  if (auto status = PublishAll(pass.batch.records); !status) return status;
  if (!wait_for_delivery) return {};  // the consumer loop flushes before committing offsets
  if (auto status = publisher_.Flush(settings_.flush_timeout); !status) return status;
  return store_.ForgetPending({pass.source_id});
}

// ---- fault tickets -------------------------------------------------------------------------

kafka::HandleResult Dispatcher::OnTicketOpened(const v1::Ticket& ticket,
                                               std::string_view source_event_id,
                                               std::string_view traceparent) {
  if (ticket.type() != v1::REQUEST_TYPE_FAULT_REPAIR) return kafka::HandleResult::Done();
  if (ticket.state() != v1::TICKET_STATE_OPEN) {
    // A "power restored" meter signal arrives as a closed ticket: nothing to dispatch.
    if (metrics_) metrics_->Ignored("ticket_not_open");
    return kafka::HandleResult::Done();
  }
  if (ticket.ticket_id().empty()) {
    return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kMissingTicketId,
                                           "TicketOpened without ticket_id");
  }
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) {
    return kafka::HandleResult::FromError(status.error(), "recovery_failed");
  }
  auto earlier = store_.Outbox(source_event_id);
  if (!earlier) return kafka::HandleResult::FromError(earlier.error(), "redis_error");
  if (earlier->has_value()) {
    // A redelivery: the state already holds it; publish the same events again (same ids).
    if (metrics_) metrics_->Ignored("redelivered_ticket");
    if (auto status = PublishAll(**earlier); !status) {
      return kafka::HandleResult::FromError(status.error(), "publish_failed");
    }
    return kafka::HandleResult::Done();
  }

  auto facts = topology_.FactsFor(ticket.supply());
  if (!facts) return kafka::HandleResult::FromError(facts.error(), "profile_unavailable");
  FaultCall call;
  call.ticket_id = ticket.ticket_id();
  call.customer_id = ticket.customer_id();
  call.supply = ticket.supply();
  call.area_class = ticket.area_class();
  call.location = ticket.location().geo();
  call.received_at =
      ticket.has_opened_at() ? sla::FromTimestamp(ticket.opened_at()) : clock_.Now();
  call.last_gasp = ticket.meter_signal() == v1::METER_SIGNAL_LAST_GASP;
  call.life_support = HasTag(ticket, v1::CUSTOMER_TAG_LIFE_SUPPORT);
  call.important = HasTag(ticket, v1::CUSTOMER_TAG_IMPORTANT);
  call.topology = *facts;

  auto decision = correlator_.Correlate(correlation_, call);
  if (!decision) {
    return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kInvalidTicket,
                                           decision.error().message);
  }
  Pass pass{std::string(source_event_id), std::string(traceparent), {}, 0, {}};
  if (decision->duplicate) {
    // Journaled before, but its outbox expired: nothing more to say.
    if (metrics_) metrics_->Ignored("duplicate_ticket");
    return kafka::HandleResult::Done();
  }
  // Old pending calls and planned outages are dropped here, relative to the journaled call, and
  // nowhere else (not by wall-clock time in Tick): replaying the journal then prunes exactly the
  // same way, so a late call correlates the same before and after a restart.
  correlator_.Prune(correlation_, call.received_at);
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
  record->set_customers_on_transformer(facts->customers_on_transformer);
  record->set_customers_on_feeder(facts->customers_on_feeder);
  record->set_transformers_on_feeder(facts->transformers_on_feeder);
  pass.batch.journal.push_back(std::move(entry));

  // Transformer incidents this same call opened and rolled up at once are never announced; the
  // roll-up names the incidents they absorbed instead, so every absorbed incident is seen merged.
  std::map<std::string, std::vector<std::string>> unannounced_children;
  for (const auto& effect : decision->effects) {
    if (metrics_ && effect.kind != EffectKind::kOpenIncident) {
      metrics_->Decision(DecisionName(effect.kind));
    }
    switch (effect.kind) {
      case EffectKind::kAttachToIncident: {
        const auto* found = correlation_.incidents().find(effect.incident_id) !=
                                    correlation_.incidents().end()
                                ? &correlation_.incidents().at(effect.incident_id)
                                : nullptr;
        if (!found) break;
        const v1::Priority before = incidents_.count(found->incident_id)
                                        ? incidents_[found->incident_id].priority()
                                        : v1::PRIORITY_UNSPECIFIED;
        v1::Incident& incident = SyncIncident(pass, *found);
        EmitTicketAttached(pass, effect.ticket_id, incident);
        if (incident.priority() != before && !incident.work_order_id().empty()) {
          // A life-support customer joined: the job moves up the queue.
          if (auto it = work_orders_.find(incident.work_order_id()); it != work_orders_.end()) {
            it->second.set_priority(incident.priority());
            RecordWorkOrder(pass, it->second);
          }
        }
        break;
      }
      case EffectKind::kAttachToPlannedOutage: {
        v1::DispatchEvent event;
        auto* attached = event.mutable_ticket_attached();
        attached->set_ticket_id(effect.ticket_id);
        attached->set_planned_outage_id(effect.planned_outage_id);
        if (effect.estimated_restoration_at) {
          *attached->mutable_estimated_restoration_at() =
              sla::ToTimestamp(*effect.estimated_restoration_at);
        }
        if (auto it = planned_outages_.find(effect.planned_outage_id);
            it != planned_outages_.end()) {
          *attached->mutable_known_cause() = it->second.reason();
        }
        Emit(pass, effect.planned_outage_id, "gridcare.ticket.attached.v1", effect.ticket_id,
             event);
        break;
      }
      case EffectKind::kOpenIncident:
      case EffectKind::kRollUp:
      case EffectKind::kSingleCustomerWorkOrder: {
        const auto it = correlation_.incidents().find(effect.incident_id);
        if (it == correlation_.incidents().end()) break;
        v1::Incident& incident = SyncIncident(pass, it->second);
        const std::string incident_id = incident.incident_id();
        for (const auto& merged : effect.merged_incident_ids) {
          MergeIncident(pass, merged, incident_id);
        }
        v1::Incident& opened = incidents_.at(incident_id);
        // The arrival promise runs from the first call: an incident that absorbs earlier ones
        // takes over the earliest of their arrival deadlines (theirs stop with the merge).
        if (auto* arrival = FindClock(opened.mutable_clocks(), v1::ServiceClock::KIND_ARRIVAL);
            arrival != nullptr && arrival->has_due_at()) {
          bool earlier_found = false;
          for (const auto& merged : effect.merged_incident_ids) {
            const auto child = incidents_.find(merged);
            if (child == incidents_.end()) continue;
            const auto* theirs = FindClock(child->second.clocks(), v1::ServiceClock::KIND_ARRIVAL);
            if (theirs != nullptr && theirs->has_due_at() &&
                sla::FromTimestamp(theirs->due_at()) < sla::FromTimestamp(arrival->due_at())) {
              *arrival->mutable_starts_at() = theirs->starts_at();
              *arrival->mutable_due_at() = theirs->due_at();
              earlier_found = true;
            }
          }
          if (earlier_found) {
            RecordIncident(pass, opened);
            ScheduleTimer(pass, incident_id);
          }
        }
        // A transformer incident that this same call also rolled up into a feeder incident: it
        // is kept as merged history, and the roll-up (the next effect) announces the outage, so
        // its callers are told once and no work order is created only to be cancelled.
        if (opened.state() == v1::INCIDENT_STATE_MERGED) {
          unannounced_children[incident_id] = effect.merged_incident_ids;
          break;
        }
        if (metrics_ && effect.kind == EffectKind::kOpenIncident) {
          metrics_->Decision(DecisionName(effect.kind));
        }
        const auto tickets = TicketsOf(incident_id);
        const size_t chunk = static_cast<size_t>(std::max(1, settings_.max_ticket_ids_per_event));
        for (size_t offset = 0; offset < std::max<size_t>(tickets.size(), 1); offset += chunk) {
          v1::DispatchEvent event;
          if (effect.kind == EffectKind::kRollUp) {
            auto* rolled = event.mutable_incident_rolled_up();
            *rolled->mutable_incident() = WithTickets(opened, offset, chunk);
            for (const auto& merged : effect.merged_incident_ids) {
              if (auto silent = unannounced_children.find(merged);
                  silent != unannounced_children.end()) {
                for (const auto& child : silent->second) rolled->add_merged_incident_ids(child);
              } else {
                rolled->add_merged_incident_ids(merged);
              }
            }
            Emit(pass, incident_id, "gridcare.incident.rolled_up.v1", incident_id, event);
          } else {
            *event.mutable_incident_opened()->mutable_incident() =
                WithTickets(opened, offset, chunk);
            Emit(pass, incident_id, "gridcare.incident.opened.v1", incident_id, event);
          }
        }
        if (effect.kind != EffectKind::kSingleCustomerWorkOrder) {
          // Every caller of a transformer or feeder outage learns it joined a known outage.
          for (const auto& ticket_id : tickets) EmitTicketAttached(pass, ticket_id, opened);
        }
        pass.to_assign.push_back(CreateWorkOrder(pass, opened));
        break;
      }
      case EffectKind::kHold:
        break;
    }
  }
  AssignWorkOrders(pass, pass.to_assign);
  if (auto status = Finish(pass, false); !status) {
    return kafka::HandleResult::FromError(status.error(), "redis_error");
  }
  return kafka::HandleResult::Done();
}

// ---- incidents -----------------------------------------------------------------------------

v1::Incident& Dispatcher::SyncIncident(Pass& pass, const IncidentRecord& record) {
  auto [it, created] = incidents_.try_emplace(record.incident_id);
  v1::Incident& incident = it->second;
  if (created) {
    incident.set_incident_id(record.incident_id);
    incident.set_state(v1::INCIDENT_STATE_OPEN);
    *incident.mutable_opened_at() = sla::ToTimestamp(record.opened_at);
    *incident.add_clocks() = ArrivalClock(record.area_class, record.opened_at, settings_.standards);
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
  if (created) ScheduleTimer(pass, record.incident_id);
  RecordIncident(pass, incident);
  return incident;
}

std::vector<std::string> Dispatcher::TicketsOf(std::string_view incident_id) const {
  auto it = correlation_.incidents().find(std::string(incident_id));
  if (it == correlation_.incidents().end()) return {};
  return it->second.ticket_ids;
}

v1::Incident Dispatcher::WithTickets(const v1::Incident& incident, size_t offset,
                                     size_t count) const {
  v1::Incident copy = incident;
  const auto tickets = TicketsOf(incident.incident_id());
  for (size_t i = offset; i < tickets.size() && i < offset + count; ++i) {
    copy.add_ticket_ids(tickets[i]);
  }
  return copy;
}

void Dispatcher::RecordIncident(Pass& pass, const v1::Incident& incident) {
  pass.batch.incidents[incident.incident_id()] = incident;
}

void Dispatcher::EmitTicketAttached(Pass& pass, const std::string& ticket_id,
                                    const v1::Incident& incident) {
  v1::DispatchEvent event;
  auto* attached = event.mutable_ticket_attached();
  attached->set_ticket_id(ticket_id);
  attached->set_incident_id(incident.incident_id());
  if (incident.has_estimated_restoration_at()) {
    *attached->mutable_estimated_restoration_at() = incident.estimated_restoration_at();
  }
  if (!incident.cause().zh_cn().empty()) {
    *attached->mutable_known_cause() = incident.cause();
  } else {
    *attached->mutable_known_cause() =
        incident.level() == v1::INCIDENT_LEVEL_FEEDER
            ? Text("10千伏线路故障停电，正在抢修", "10 kV feeder outage, repair under way")
        : incident.level() == v1::INCIDENT_LEVEL_TRANSFORMER
            ? Text("台区停电，正在抢修", "Transformer area outage, repair under way")
            : Text("故障已登记，正在派员处理", "Fault registered, a crew is being dispatched");
  }
  Emit(pass, incident.incident_id(), "gridcare.ticket.attached.v1", ticket_id, event);
}

void Dispatcher::EmitIncidentUpdated(Pass& pass, const v1::Incident& incident,
                                     std::string_view what) {
  const auto tickets = TicketsOf(incident.incident_id());
  const size_t chunk = static_cast<size_t>(std::max(1, settings_.max_ticket_ids_per_event));
  for (size_t offset = 0; offset < std::max<size_t>(tickets.size(), 1); offset += chunk) {
    v1::DispatchEvent event;
    auto* updated = event.mutable_incident_updated();
    *updated->mutable_incident() = WithTickets(incident, offset, chunk);
    updated->set_change(std::string(what));
    Emit(pass, incident.incident_id(), "gridcare.incident.updated.v1", incident.incident_id(),
         event);
  }
}

void Dispatcher::MergeIncident(Pass& pass, const std::string& child_id,
                               const std::string& parent_id) {
  auto it = incidents_.find(child_id);
  if (it == incidents_.end()) return;
  v1::Incident& child = it->second;
  const std::string order_id = child.work_order_id();
  child.set_state(v1::INCIDENT_STATE_MERGED);
  child.set_parent_incident_id(parent_id);
  child.clear_crew_id();
  for (auto& clock : *child.mutable_clocks()) {
    // The parent's clocks take over; the child raises no more alarms.
    if (!clock.has_met_at()) *clock.mutable_met_at() = sla::ToTimestamp(clock_.Now());
  }
  pass.batch.timers[child_id] = std::nullopt;
  RecordIncident(pass, child);
  if (!order_id.empty()) CancelWorkOrder(pass, order_id, "merged into incident " + parent_id);
  if (metrics_) metrics_->Action("merged");
}

void Dispatcher::ScheduleTimer(Pass& pass, const std::string& incident_id) {
  auto it = incidents_.find(incident_id);
  if (it == incidents_.end()) {
    pass.batch.timers[incident_id] = std::nullopt;
    return;
  }
  std::optional<core::TimePoint> next;
  for (const auto& clock : it->second.clocks()) {
    const auto key = FiredKey(incident_id, clock.kind());
    const auto fired = fired_.count(key) ? fired_.at(key) : std::set<int>{};
    if (auto at = NextAlarmAt(clock, fired, settings_.alarms); at && (!next || *at < *next)) {
      next = at;
    }
  }
  pass.batch.timers[incident_id] =
      next ? std::optional<int64_t>(core::ToUnixMillis(*next)) : std::nullopt;
}

void Dispatcher::RestoreIncident(Pass& pass, const std::string& incident_id,
                                 const v1::JobCompleted& report) {
  auto it = incidents_.find(incident_id);
  if (it == incidents_.end()) return;
  const auto now = clock_.Now();
  v1::Incident incident = it->second;
  incident.set_state(v1::INCIDENT_STATE_RESTORED);
  *incident.mutable_restored_at() = sla::ToTimestamp(now);
  incident.set_cause_code(report.cause_code());
  *incident.mutable_cause() = report.cause().zh_cn().empty() && report.cause().en().empty()
                                  ? Text("故障已修复（" + report.cause_code() + "）",
                                         "Fault repaired (" + report.cause_code() + ")")
                                  : report.cause();
  MarkRestored(incident.mutable_clocks(), now);
  const auto tickets = TicketsOf(incident_id);
  auto closed = correlator_.CloseIncident(correlation_, incident_id);
  v1::DispatchJournalEntry entry;
  entry.set_closed_incident_id(incident_id);
  pass.batch.journal.push_back(std::move(entry));
  const size_t chunk = static_cast<size_t>(std::max(1, settings_.max_ticket_ids_per_event));
  for (size_t offset = 0; offset < std::max<size_t>(tickets.size(), 1); offset += chunk) {
    v1::DispatchEvent event;
    auto* restored = event.mutable_incident_restored();
    *restored->mutable_incident() = incident;
    for (size_t i = offset; i < tickets.size() && i < offset + chunk; ++i) {
      restored->add_ticket_ids(tickets[i]);
      restored->mutable_incident()->add_ticket_ids(tickets[i]);
    }
    Emit(pass, incident_id, "gridcare.incident.restored.v1", incident_id, event);
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
    v1::Incident archived = id == incident_id ? incident : found->second;
    pass.batch.incidents.erase(id);
    pass.batch.closed_incidents[id] = archived;
    pass.batch.timers[id] = std::nullopt;
    for (auto kind : {v1::ServiceClock::KIND_ARRIVAL, v1::ServiceClock::KIND_RESTORATION}) {
      const auto key = FiredKey(id, kind);
      if (fired_.erase(key)) pass.batch.fired[key] = {};
    }
    incidents_.erase(found);
  }
  if (metrics_) metrics_->Action("restored");
}

// ---- work orders ---------------------------------------------------------------------------

std::string Dispatcher::CreateWorkOrder(Pass& pass, v1::Incident& incident) {
  // A follow-up order numbers on from the incident's previous one, which is closed by now and so
  // no longer in work_orders_ (reusing its id would make the archive delete the new order).
  int sequence = 1;
  if (const std::string& previous = incident.work_order_id(); !previous.empty()) {
    const std::string first = WorkOrderIdFor(incident.incident_id(), 1);
    if (previous == first) {
      sequence = 2;
    } else if (previous.starts_with(first + "-")) {
      const std::string_view tail = std::string_view(previous).substr(first.size() + 1);
      int n = 0;
      if (std::from_chars(tail.data(), tail.data() + tail.size(), n).ec == std::errc{} && n > 1) {
        sequence = n + 1;
      }
    }
  }
  std::string id = WorkOrderIdFor(incident.incident_id(), sequence);
  while (work_orders_.count(id)) id = WorkOrderIdFor(incident.incident_id(), ++sequence);
  v1::WorkOrder order;
  order.set_work_order_id(id);
  order.set_kind(v1::WORK_ORDER_KIND_REPAIR);
  order.set_state(v1::WORK_ORDER_STATE_QUEUED);
  order.set_incident_id(incident.incident_id());
  if (incident.level() == v1::INCIDENT_LEVEL_SINGLE_CUSTOMER) {
    const auto tickets = TicketsOf(incident.incident_id());
    if (!tickets.empty()) order.set_ticket_id(tickets.front());
  }
  order.set_required_skill(SkillFor(incident.level()));
  order.set_priority(incident.priority());
  *order.mutable_location() = incident.location();
  order.set_area_class(incident.area_class());
  *order.mutable_clocks() = incident.clocks();
  *order.mutable_created_at() = sla::ToTimestamp(clock_.Now());
  order.set_tenant_id(incident.tenant_id());
  incident.set_work_order_id(id);
  RecordIncident(pass, incident);
  work_orders_[id] = order;
  RecordWorkOrder(pass, order);
  v1::DispatchEvent event;
  *event.mutable_work_order_created()->mutable_work_order() = order;
  Emit(pass, incident.incident_id(), "gridcare.work_order.created.v1", id, event);
  if (metrics_) metrics_->Action("work_order_created");
  return id;
}

void Dispatcher::RecordWorkOrder(Pass& pass, const v1::WorkOrder& order) {
  if (IsOpen(order.state())) {
    pass.batch.work_orders[order.work_order_id()] = order;
  } else {
    pass.batch.work_orders.erase(order.work_order_id());
    pass.batch.closed_work_orders[order.work_order_id()] = order;
    if (declined_.erase(order.work_order_id())) pass.batch.declined[order.work_order_id()] = {};
  }
}

void Dispatcher::CancelWorkOrder(Pass& pass, const std::string& work_order_id,
                                 const std::string& reason) {
  auto it = work_orders_.find(work_order_id);
  if (it == work_orders_.end() || !IsOpen(it->second.state())) return;
  v1::WorkOrder order = it->second;
  const std::string crew = HeldByCrew(order.state()) ? order.crew_id() : "";
  order.set_state(v1::WORK_ORDER_STATE_CANCELLED);
  work_orders_.erase(it);
  RecordWorkOrder(pass, order);
  v1::DispatchEvent event;
  auto* cancelled = event.mutable_work_order_cancelled();
  *cancelled->mutable_work_order() = order;
  cancelled->set_crew_id(crew);
  cancelled->set_reason(reason);
  Emit(pass, order.incident_id().empty() ? work_order_id : order.incident_id(),
       "gridcare.work_order.cancelled.v1", work_order_id, event);
  if (metrics_) metrics_->Action("cancelled");
}

int Dispatcher::JobsHeldBy(std::string_view crew_id) const {
  int jobs = 0;
  for (const auto& [id, order] : work_orders_) {
    if (HeldByCrew(order.state()) && order.crew_id() == crew_id) ++jobs;
  }
  return jobs;
}

std::vector<CrewState> Dispatcher::CrewStates() const {
  std::map<std::string, int> jobs;
  std::map<std::string, std::vector<std::string>> declined_by_crew;
  for (const auto& [id, order] : work_orders_) {
    if (HeldByCrew(order.state())) ++jobs[order.crew_id()];
  }
  for (const auto& [order, crews] : declined_) {
    for (const auto& crew : crews) declined_by_crew[crew].push_back(order);
  }
  std::vector<CrewState> states;
  states.reserve(crews_.size());
  for (const auto& [id, entry] : crews_) {
    CrewState state = CrewStateFromProto(entry.crew);
    state.current_jobs = jobs.count(id) ? jobs.at(id) : 0;
    if (auto it = declined_by_crew.find(id); it != declined_by_crew.end()) {
      state.declined_work_order_ids = it->second;
    }
    states.push_back(std::move(state));
  }
  return states;
}

Job Dispatcher::JobOf(const v1::WorkOrder& order) const {
  const v1::Incident* incident = nullptr;
  if (auto it = incidents_.find(order.incident_id()); it != incidents_.end()) {
    incident = &it->second;
  }
  Job job = JobFromWorkOrder(order, incident);
  if (job.location.latitude == 0 && job.location.longitude == 0 && !crews_.empty()) {
    // No geo point (an unidentified caller who gave only an address): distances to (0, 0) would
    // rule every crew out. Measure from the middle of the crews' depots instead, so the job still
    // goes to a qualified crew by workload and shift; the dispatcher sees the address.
    double latitude = 0;
    double longitude = 0;
    for (const auto& [id, entry] : crews_) {
      latitude += entry.crew.depot_location().latitude();
      longitude += entry.crew.depot_location().longitude();
    }
    job.location = {latitude / static_cast<double>(crews_.size()),
                    longitude / static_cast<double>(crews_.size())};
  }
  return job;
}

void Dispatcher::AssignWorkOrders(Pass& pass, const std::vector<std::string>& work_order_ids) {
  std::vector<Job> jobs;
  for (const auto& id : work_order_ids) {
    auto it = work_orders_.find(id);
    if (it == work_orders_.end() || it->second.state() != v1::WORK_ORDER_STATE_QUEUED) continue;
    jobs.push_back(JobOf(it->second));
  }
  if (jobs.empty()) return;
  const auto plan = AssignJobs(jobs, CrewStates(), clock_.Now(), settings_.assignment);
  for (const auto& assignment : plan.assignments) {
    GiveToCrew(pass, work_orders_.at(assignment.work_order_id), assignment.crew,
               assignment.arrival_at_risk, "", "");
  }
  for (const auto& queued : plan.queued) {
    auto& order = work_orders_.at(queued.work_order_id);
    Queue(pass, order, "", queued.reason, queued.arrival_at_risk);
  }
}

void Dispatcher::GiveToCrew(Pass& pass, v1::WorkOrder& order, const Candidate& crew, bool at_risk,
                            const std::string& previous_crew_arg, const std::string& reason) {
  // A copy: callers may pass order.crew_id() itself, which set_crew_id below overwrites.
  const std::string previous_crew = previous_crew_arg;
  order.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  order.set_crew_id(crew.crew_id);
  order.clear_assigned_by();  // AssignByHand sets it again after this
  if (!previous_crew.empty()) order.set_reassignment_count(order.reassignment_count() + 1);
  RecordWorkOrder(pass, order);
  v1::DispatchEvent event;
  const std::string key = order.incident_id().empty() ? order.work_order_id() : order.incident_id();
  if (previous_crew.empty()) {
    auto* assigned = event.mutable_work_order_assigned();
    *assigned->mutable_work_order() = order;
    assigned->set_crew_id(crew.crew_id);
    assigned->set_estimated_travel_minutes(static_cast<double>(crew.eta.count()) / 60.0);
    for (const auto& why : crew.reasons) assigned->add_ranking_reasons(why);
    if (at_risk) assigned->add_ranking_reasons("arrival deadline at risk: best crew available");
    Emit(pass, key, "gridcare.work_order.assigned.v1", order.work_order_id(), event);
    if (metrics_) metrics_->Action("assigned");
  } else {
    auto* reassigned = event.mutable_work_order_reassigned();
    *reassigned->mutable_work_order() = order;
    reassigned->set_previous_crew_id(previous_crew);
    reassigned->set_crew_id(crew.crew_id);
    reassigned->set_reason(reason);
    Emit(pass, key, "gridcare.work_order.reassigned.v1", order.work_order_id(), event);
    if (metrics_) metrics_->Action("reassigned");
  }
  if (auto it = incidents_.find(order.incident_id()); it != incidents_.end()) {
    v1::Incident& incident = it->second;
    incident.set_crew_id(crew.crew_id);
    incident.set_state(v1::INCIDENT_STATE_ASSIGNED);
    *incident.mutable_estimated_restoration_at() =
        sla::ToTimestamp(crew.arrival_at + settings_.default_repair_time);
    RecordIncident(pass, incident);
    EmitIncidentUpdated(pass, incident,
                        previous_crew.empty() ? change::kCrewAssigned : change::kCrewReassigned);
  }
}

void Dispatcher::Queue(Pass& pass, v1::WorkOrder& order, const std::string& previous_crew_arg,
                       const std::string& reason, bool at_risk) {
  // A copy: callers may pass order.crew_id() itself, which clear_crew_id below clears.
  const std::string previous_crew = previous_crew_arg;
  const bool was_queued = order.state() == v1::WORK_ORDER_STATE_QUEUED && order.crew_id().empty();
  const bool created_now = std::find(pass.to_assign.begin(), pass.to_assign.end(),
                                     order.work_order_id()) != pass.to_assign.end();
  // Already waiting and said so (in an earlier pass, or earlier in this one): nothing changes,
  // nothing to write or publish. Only an order created by this input is announced here.
  if (was_queued && !created_now) return;
  order.set_state(v1::WORK_ORDER_STATE_QUEUED);
  order.clear_crew_id();
  RecordWorkOrder(pass, order);
  v1::DispatchEvent event;
  auto* queued = event.mutable_work_order_queued();
  *queued->mutable_work_order() = order;
  queued->set_reason(previous_crew.empty() ? reason : "crew " + previous_crew + " " + reason);
  queued->set_arrival_at_risk(at_risk);
  Emit(pass, order.incident_id().empty() ? order.work_order_id() : order.incident_id(),
       "gridcare.work_order.queued.v1", order.work_order_id(), event);
  if (metrics_) metrics_->Action(at_risk ? "queued_at_risk" : "queued");
  if (auto it = incidents_.find(order.incident_id());
      it != incidents_.end() && !it->second.crew_id().empty()) {
    it->second.clear_crew_id();
    it->second.set_state(v1::INCIDENT_STATE_OPEN);
    RecordIncident(pass, it->second);
    EmitIncidentUpdated(pass, it->second, change::kWaitingForCrew);
  }
}

// ---- crew reports --------------------------------------------------------------------------

kafka::HandleResult Dispatcher::OnCrewEvent(const v1::CrewEvent& event,
                                            std::string_view source_event_id,
                                            std::string_view traceparent) {
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) {
    return kafka::HandleResult::FromError(status.error(), "recovery_failed");
  }
  // Position and availability only update the crew: nothing to journal or publish.
  if (event.event_case() == v1::CrewEvent::kLocationReported) {
    const auto& report = event.location_reported();
    auto it = crews_.find(report.crew_id());
    if (it == crews_.end()) {
      if (metrics_) metrics_->Ignored("unknown_crew");
      return kafka::HandleResult::Done();
    }
    *it->second.crew.mutable_position() = report.position();
    *it->second.crew.mutable_position_at() = sla::ToTimestamp(clock_.Now());
    return kafka::HandleResult::Done();
  }
  if (event.event_case() == v1::CrewEvent::kAvailabilityChanged) {
    const auto& changed = event.availability_changed();
    if (auto it = crews_.find(changed.crew_id()); it != crews_.end()) {
      it->second.crew.set_availability(changed.availability());
    } else if (metrics_) {
      metrics_->Ignored("unknown_crew");
    }
    return kafka::HandleResult::Done();  // jobs of a crew gone off shift move on the next tick
  }
  auto earlier = store_.Outbox(source_event_id);
  if (!earlier) return kafka::HandleResult::FromError(earlier.error(), "redis_error");
  if (earlier->has_value()) {
    if (auto status = PublishAll(**earlier); !status) {
      return kafka::HandleResult::FromError(status.error(), "publish_failed");
    }
    return kafka::HandleResult::Done();
  }
  Pass pass{std::string(source_event_id), std::string(traceparent), {}, 0, {}};
  ApplyCrewEvent(pass, event);
  if (pass.batch.empty()) return kafka::HandleResult::Done();
  if (auto status = Finish(pass, false); !status) {
    return kafka::HandleResult::FromError(status.error(), "redis_error");
  }
  return kafka::HandleResult::Done();
}

void Dispatcher::ApplyCrewEvent(Pass& pass, const v1::CrewEvent& event) {
  std::string crew_id;
  std::string work_order_id;
  switch (event.event_case()) {
    case v1::CrewEvent::kJobAccepted:
      crew_id = event.job_accepted().crew_id();
      work_order_id = event.job_accepted().work_order_id();
      break;
    case v1::CrewEvent::kJobDeclined:
      crew_id = event.job_declined().crew_id();
      work_order_id = event.job_declined().work_order_id();
      break;
    case v1::CrewEvent::kEnRoute:
      crew_id = event.en_route().crew_id();
      work_order_id = event.en_route().work_order_id();
      break;
    case v1::CrewEvent::kOnSite:
      crew_id = event.on_site().crew_id();
      work_order_id = event.on_site().work_order_id();
      break;
    case v1::CrewEvent::kJobCompleted:
      crew_id = event.job_completed().crew_id();
      work_order_id = event.job_completed().work_order_id();
      break;
    default:
      if (metrics_) metrics_->Ignored("unknown_crew_event");
      return;
  }
  auto it = work_orders_.find(work_order_id);
  if (it == work_orders_.end()) {
    if (metrics_) metrics_->Ignored("closed_or_unknown_work_order");
    return;
  }
  v1::WorkOrder& order = it->second;
  if (order.crew_id() != crew_id || !HeldByCrew(order.state())) {
    // The job moved to another crew (or was cancelled) before this report: judge by state.
    if (metrics_) metrics_->Ignored("report_from_crew_without_job");
    return;
  }
  auto incident_it = incidents_.find(order.incident_id());
  v1::Incident* incident = incident_it == incidents_.end() ? nullptr : &incident_it->second;
  const auto now = clock_.Now();
  auto rank = [](v1::WorkOrderState state) {
    switch (state) {
      case v1::WORK_ORDER_STATE_ASSIGNED: return 1;
      case v1::WORK_ORDER_STATE_ACCEPTED: return 2;
      case v1::WORK_ORDER_STATE_EN_ROUTE: return 3;
      case v1::WORK_ORDER_STATE_ON_SITE: return 4;
      default: return 0;
    }
  };
  switch (event.event_case()) {
    case v1::CrewEvent::kJobAccepted:
      if (rank(order.state()) >= 2) return;
      order.set_state(v1::WORK_ORDER_STATE_ACCEPTED);
      RecordWorkOrder(pass, order);
      break;
    case v1::CrewEvent::kJobDeclined: {
      if (rank(order.state()) >= 3) return;
      declined_[work_order_id].insert(crew_id);
      pass.batch.declined[work_order_id] = declined_[work_order_id];
      const Job job = JobOf(order);
      CrewState current;
      for (const auto& state : CrewStates()) {
        if (state.crew_id == crew_id) current = state;
      }
      current.crew_id = crew_id;
      current.declined_work_order_ids.push_back(work_order_id);
      auto replacement = PickReplacement(job, current, ReassignmentReason::kDeclined, CrewStates(),
                                         now, settings_.assignment);
      const std::string reason = "declined: " + event.job_declined().reason();
      if (replacement) {
        GiveToCrew(pass, order, *replacement,
                   job.arrival_due && replacement->arrival_at > *job.arrival_due, crew_id,
                   std::string(ReassignmentReasonName(ReassignmentReason::kDeclined)));
      } else {
        Queue(pass, order, crew_id, reason + "; no other crew fits", true);
      }
      break;
    }
    case v1::CrewEvent::kEnRoute:
      if (rank(order.state()) >= 3) return;
      order.set_state(v1::WORK_ORDER_STATE_EN_ROUTE);
      RecordWorkOrder(pass, order);
      if (incident) {
        incident->set_state(v1::INCIDENT_STATE_EN_ROUTE);
        if (event.en_route().has_estimated_arrival_at()) {
          *incident->mutable_estimated_restoration_at() = sla::ToTimestamp(
              sla::FromTimestamp(event.en_route().estimated_arrival_at()) +
              settings_.default_repair_time);
        }
        RecordIncident(pass, *incident);
        EmitIncidentUpdated(pass, *incident, change::kCrewEnRoute);
      }
      break;
    case v1::CrewEvent::kOnSite:
      if (rank(order.state()) >= 4) return;
      order.set_state(v1::WORK_ORDER_STATE_ON_SITE);
      MarkArrived(order.mutable_clocks(), order.area_class(), now, settings_.standards);
      RecordWorkOrder(pass, order);
      if (incident) {
        incident->set_state(v1::INCIDENT_STATE_ON_SITE);
        MarkArrived(incident->mutable_clocks(), incident->area_class(), now, settings_.standards);
        if (event.on_site().has_estimated_restoration_at()) {
          *incident->mutable_estimated_restoration_at() = event.on_site().estimated_restoration_at();
        }
        RecordIncident(pass, *incident);
        ScheduleTimer(pass, incident->incident_id());
        EmitIncidentUpdated(pass, *incident, change::kCrewOnSite);
      }
      break;
    case v1::CrewEvent::kJobCompleted: {
      const auto& report = event.job_completed();
      v1::WorkOrder done = order;
      done.set_state(v1::WORK_ORDER_STATE_COMPLETED);
      MarkRestored(done.mutable_clocks(), now);
      work_orders_.erase(it);
      RecordWorkOrder(pass, done);
      if (metrics_) metrics_->Action("completed");
      if (!incident) break;
      if (report.restored()) {
        RestoreIncident(pass, done.incident_id(), report);
      } else {
        // Repair not finished (e.g. needs a cable crew): a follow-up order for the same outage.
        incident->set_state(v1::INCIDENT_STATE_OPEN);
        incident->clear_crew_id();
        RecordIncident(pass, *incident);
        EmitIncidentUpdated(pass, *incident, change::kRepairNotFinished);
        pass.to_assign.push_back(CreateWorkOrder(pass, *incident));
        AssignWorkOrders(pass, pass.to_assign);
      }
      break;
    }
    default:
      break;
  }
}

// ---- console actions -----------------------------------------------------------------------

core::Result<v1::WorkOrder> Dispatcher::AssignByHand(const v1::AssignWorkOrderRequest& request) {
  if (request.work_order_id().empty()) return core::InvalidArgument("work_order_id is required");
  if (request.crew_id().empty()) return core::InvalidArgument("crew_id is required");
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) return status.error();
  auto it = work_orders_.find(request.work_order_id());
  if (it == work_orders_.end()) {
    return core::NotFound("no open work order " + request.work_order_id());
  }
  v1::WorkOrder& order = it->second;
  if (order.state() == v1::WORK_ORDER_STATE_ON_SITE) {
    return core::FailedPrecondition("work order " + order.work_order_id() +
                                    " is being repaired on site by " + order.crew_id());
  }
  auto crew_it = crews_.find(request.crew_id());
  if (crew_it == crews_.end()) return core::NotFound("no crew " + request.crew_id());
  if (order.crew_id() == request.crew_id() && HeldByCrew(order.state())) return order;

  Candidate chosen;
  chosen.crew_id = request.crew_id();
  const Job job = JobOf(order);
  const auto ranking = RankCrews(job, CrewStates(), clock_.Now(), settings_.assignment);
  bool qualifies = false;
  for (const auto& candidate : ranking.candidates) {
    if (candidate.crew_id == request.crew_id()) {
      chosen = candidate;
      qualifies = true;
    }
  }
  if (!qualifies) {
    // A dispatcher may overrule the rules (e.g. a crew without the skill on the list but with
    // a trainee who has it); say so on the event.
    const auto& position = crew_it->second.crew.position();
    const double km = HaversineKm({position.latitude(), position.longitude()},
                                  {order.location().latitude(), order.location().longitude()});
    chosen.distance_km = km;
    chosen.eta = TravelTime(km, order.area_class(), settings_.assignment);
    chosen.arrival_at = clock_.Now() + chosen.eta;
    chosen.reasons.push_back("chosen by dispatcher outside the ranking rules");
  }
  chosen.reasons.push_back("assigned by dispatcher " +
                           (request.dispatcher_id().empty() ? std::string("(unnamed)")
                                                            : request.dispatcher_id()));
  const std::string previous = HeldByCrew(order.state()) ? order.crew_id() : "";
  Pass pass{"console/" + std::to_string(core::ToUnixMillis(clock_.Now())) + "/" +
                std::to_string(++tick_counter_) + "/" + order.work_order_id(),
            "", {}, 0, {}};
  std::string reason = "by dispatcher";
  if (!request.dispatcher_id().empty()) reason += " " + request.dispatcher_id();
  if (!request.reason().empty()) reason += ": " + request.reason();
  GiveToCrew(pass, order, chosen, job.arrival_due && chosen.arrival_at > *job.arrival_due,
             previous, reason);
  order.set_assigned_by(request.dispatcher_id().empty() ? "dispatcher" : request.dispatcher_id());
  RecordWorkOrder(pass, order);
  if (metrics_) metrics_->Action("assigned_by_dispatcher");
  const v1::WorkOrder result = order;
  if (auto status = Finish(pass, true); !status) return status.error();
  return result;
}

core::Result<v1::PlannedOutage> Dispatcher::RegisterPlannedOutage(v1::PlannedOutage outage) {
  if (outage.scope().feeder_id().empty() && outage.scope().transformer_id().empty()) {
    return core::InvalidArgument("planned_outage.scope needs a feeder_id or a transformer_id");
  }
  if (!outage.has_starts_at() || !outage.has_ends_at()) {
    return core::InvalidArgument("planned_outage.starts_at and ends_at are required");
  }
  if (outage.reason().zh_cn().empty() && outage.reason().en().empty()) {
    return core::InvalidArgument("planned_outage.reason is required (zh_cn and/or en)");
  }
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) return status.error();
  if (outage.planned_outage_id().empty()) {
    outage.set_planned_outage_id("PO-" + std::to_string(core::ToUnixMillis(clock_.Now())) + "-" +
                                 std::to_string(++tick_counter_));
  }
  PlannedOutageRecord record{outage.planned_outage_id(), outage.scope(),
                             sla::FromTimestamp(outage.starts_at()),
                             sla::FromTimestamp(outage.ends_at()),
                             outage.reason().zh_cn().empty() ? outage.reason().en()
                                                             : outage.reason().zh_cn(),
                             outage.cancelled(), {}};
  if (auto status = correlator_.RegisterPlannedOutage(correlation_, record); !status) {
    return status.error();
  }
  planned_outages_[outage.planned_outage_id()] = outage;
  Pass pass{"planned-outage/" + outage.planned_outage_id() + "/" +
                std::to_string(core::ToUnixMillis(clock_.Now())),
            "", {}, 0, {}};
  v1::DispatchJournalEntry entry;
  *entry.mutable_planned_outage() = outage;
  pass.batch.journal.push_back(std::move(entry));
  pass.batch.planned_outages[outage.planned_outage_id()] = outage;
  v1::DispatchEvent event;
  *event.mutable_planned_outage_registered()->mutable_planned_outage() = outage;
  Emit(pass, outage.planned_outage_id(), "gridcare.planned_outage.registered.v1",
       outage.planned_outage_id(), event);
  if (auto status = Finish(pass, true); !status) return status.error();
  return outage;
}

// ---- the tick ------------------------------------------------------------------------------

core::Result<int> Dispatcher::Tick() {
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) return status.error();
  UpdateOpenGauges();
  int published = 0;
  // Outboxes of earlier ticks or console actions whose delivery was not confirmed.
  auto pending = store_.PendingOutboxes();
  if (!pending) return pending.error();
  if (!pending->empty()) {
    for (const auto& id : *pending) {
      auto records = store_.Outbox(id);
      if (!records) return records.error();
      if (!records->has_value()) continue;
      if (auto status = PublishAll(**records); !status) return status.error();
      published += static_cast<int>((*records)->size());
    }
    if (auto status = publisher_.Flush(settings_.flush_timeout); !status) return status.error();
    if (auto status = store_.ForgetPending(*pending); !status) return status.error();
  }

  const auto now = clock_.Now();
  Pass pass{"tick/" + std::to_string(core::ToUnixMillis(now)) + "/" +
                std::to_string(++tick_counter_),
            "", {}, 0, {}};
  RaiseAlarms(pass);
  ReassessAssignments(pass);
  std::vector<std::string> queued;
  for (const auto& [id, order] : work_orders_) {
    if (order.state() == v1::WORK_ORDER_STATE_QUEUED) queued.push_back(id);
  }
  AssignWorkOrders(pass, queued);
  if (pass.batch.empty()) return published;
  published += static_cast<int>(pass.batch.records.size());
  if (auto status = Finish(pass, true); !status) return status.error();
  return published;
}

int Dispatcher::RaiseAlarms(Pass& pass) {
  const auto now = clock_.Now();
  auto due = store_.DueTimers(core::ToUnixMillis(now), settings_.timers_per_tick);
  if (!due) {
    logging::Warn("cannot read dispatch timers", {{"error", due.error().ToString()}});
    return 0;
  }
  int raised = 0;
  for (const auto& incident_id : *due) {
    auto it = incidents_.find(incident_id);
    if (it == incidents_.end()) {
      pass.batch.timers[incident_id] = std::nullopt;  // closed meanwhile
      continue;
    }
    const v1::Incident& incident = it->second;
    for (const auto& clock : incident.clocks()) {
      const auto key = FiredKey(incident_id, clock.kind());
      auto& fired = fired_[key];
      for (const auto& alarm : AlarmsDue(incident_id, clock, now, fired, settings_.alarms)) {
        v1::DispatchEvent event;
        *event.mutable_clock_alarm() =
            ToClockAlarm(alarm, clock, incident_id, incident.work_order_id());
        // The alarm's stable id makes its event id stable: a retried tick raises it once.
        Emit(pass, incident_id, "gridcare.service_clock.alarm_raised.v1", incident_id, event,
             kafka::DeriveEventId("dispatch-alarm", alarm.id));
        fired.insert(alarm.step);
        pass.batch.fired[key] = fired;
        ++raised;
        if (metrics_) metrics_->Action(alarm.overdue ? "overdue_alarm" : "reminder_alarm");
      }
    }
    ScheduleTimer(pass, incident_id);
  }
  return raised;
}

void Dispatcher::ReassessAssignments(Pass& pass) {
  // No roster yet (the repair-crew service has not answered since start-up): nothing is known of
  // the crews, and taking every job from its crew would only queue them all.
  if (crews_.empty()) return;
  const auto now = clock_.Now();
  std::vector<std::string> held;
  for (const auto& [id, order] : work_orders_) {
    if (order.state() == v1::WORK_ORDER_STATE_ASSIGNED ||
        order.state() == v1::WORK_ORDER_STATE_ACCEPTED ||
        order.state() == v1::WORK_ORDER_STATE_EN_ROUTE) {
      held.push_back(id);
    }
  }
  // Crew states are built once, and again only after a job moved (their job counts changed):
  // rebuilding them per held job made each tick quadratic in the size of a storm.
  std::vector<CrewState> states = CrewStates();
  for (const auto& id : held) {
    v1::WorkOrder& order = work_orders_.at(id);
    const Job job = JobOf(order);
    auto current = std::find_if(states.begin(), states.end(),
                                [&](const CrewState& s) { return s.crew_id == order.crew_id(); });
    ReassignmentReason reason = ReassignmentReason::kStoppedReporting;  // vanished from roster
    if (current != states.end()) {
      reason = ShouldReassign(job, *current, now, settings_.assignment);
    }
    if (reason == ReassignmentReason::kNone) continue;
    // A dispatcher's own choice stands (they may know the crew's shift or route better) unless
    // the crew has gone silent.
    if (!order.assigned_by().empty() && reason != ReassignmentReason::kStoppedReporting) continue;
    CrewState gone;
    gone.crew_id = order.crew_id();
    const CrewState& from = current != states.end() ? *current : gone;
    auto replacement = PickReplacement(job, from, reason, states, now, settings_.assignment);
    const std::string why(ReassignmentReasonName(reason));
    if (replacement) {
      GiveToCrew(pass, order, *replacement,
                 job.arrival_due && replacement->arrival_at > *job.arrival_due, order.crew_id(),
                 why);
      states = CrewStates();
    } else if (reason != ReassignmentReason::kCannotMakeDeadline) {
      Queue(pass, order, order.crew_id(), why + "; no other crew fits", true);
      states = CrewStates();
    }
  }
}

// ---- roster and read models ----------------------------------------------------------------

void Dispatcher::UpdateRoster(const std::vector<v1::Crew>& crews) {
  std::lock_guard lock(mutex_);
  std::map<std::string, CrewEntry> next;
  for (const auto& crew : crews) {
    CrewEntry entry{crew};
    if (auto it = crews_.find(crew.crew_id()); it != crews_.end()) {
      // Keep a fresher position from the crew events over the roster's.
      const auto& known = it->second.crew;
      if (known.has_position_at() && (!crew.has_position_at() ||
                                      sla::FromTimestamp(known.position_at()) >
                                          sla::FromTimestamp(crew.position_at()))) {
        *entry.crew.mutable_position() = known.position();
        *entry.crew.mutable_position_at() = known.position_at();
      }
    }
    next.emplace(crew.crew_id(), std::move(entry));
  }
  crews_ = std::move(next);
}

std::optional<v1::Incident> Dispatcher::Incident(std::string_view incident_id) const {
  std::lock_guard lock(mutex_);
  auto it = incidents_.find(std::string(incident_id));
  if (it == incidents_.end()) return std::nullopt;
  return WithTickets(it->second, 0, std::numeric_limits<size_t>::max());
}

std::vector<v1::Incident> Dispatcher::OpenIncidents(
    const v1::ListOpenIncidentsRequest& request) const {
  std::lock_guard lock(mutex_);
  const auto now = clock_.Now();
  std::vector<v1::Incident> out;
  for (const auto& [id, incident] : incidents_) {
    if (incident.state() == v1::INCIDENT_STATE_MERGED) continue;
    if (!request.feeder_id().empty() && incident.supply().feeder_id() != request.feeder_id()) {
      continue;
    }
    if (request.overdue_only()) {
      const bool overdue = std::any_of(
          incident.clocks().begin(), incident.clocks().end(), [&](const v1::ServiceClock& c) {
            return sla::StateOf(c, now, std::chrono::minutes(0)) == sla::ClockState::kOverdue;
          });
      if (!overdue) continue;
    }
    out.push_back(incident);
  }
  // Most urgent first, then oldest.
  std::stable_sort(out.begin(), out.end(), [](const v1::Incident& a, const v1::Incident& b) {
    if (a.priority() != b.priority()) return a.priority() > b.priority();
    return a.opened_at().seconds() < b.opened_at().seconds();
  });
  return out;
}

std::vector<v1::WorkOrder> Dispatcher::WorkOrders(const v1::ListWorkOrdersRequest& request) const {
  std::lock_guard lock(mutex_);
  std::set<int> states(request.states().begin(), request.states().end());
  std::vector<v1::WorkOrder> out;
  for (const auto& [id, order] : work_orders_) {
    if (!states.empty() && !states.count(order.state())) continue;
    out.push_back(order);
  }
  std::stable_sort(out.begin(), out.end(), [](const v1::WorkOrder& a, const v1::WorkOrder& b) {
    if (a.priority() != b.priority()) return a.priority() > b.priority();
    return a.created_at().seconds() < b.created_at().seconds();
  });
  return out;
}

std::vector<v1::CrewStatusView> Dispatcher::Crews() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::vector<const v1::WorkOrder*>> jobs;
  for (const auto& [id, order] : work_orders_) {
    if (HeldByCrew(order.state())) jobs[order.crew_id()].push_back(&order);
  }
  std::vector<v1::CrewStatusView> out;
  for (const auto& [id, entry] : crews_) {
    v1::CrewStatusView view;
    view.set_crew_id(id);
    view.set_name(entry.crew.name());
    *view.mutable_position() = entry.crew.position();
    if (entry.crew.has_position_at()) *view.mutable_last_report_at() = entry.crew.position_at();
    std::string status = "available";
    if (entry.crew.availability() == v1::CREW_AVAILABILITY_OFF_SHIFT) status = "off_shift";
    if (entry.crew.availability() == v1::CREW_AVAILABILITY_UNREACHABLE) status = "unreachable";
    int most_advanced = 0;
    for (const auto* order : jobs[id]) {
      view.add_work_order_ids(order->work_order_id());
      const int rank = order->state() == v1::WORK_ORDER_STATE_ON_SITE    ? 3
                       : order->state() == v1::WORK_ORDER_STATE_EN_ROUTE ? 2
                                                                         : 1;
      most_advanced = std::max(most_advanced, rank);
    }
    if (status == "available" && most_advanced > 0) {
      status = most_advanced == 3 ? "on_site" : most_advanced == 2 ? "en_route" : "assigned";
    }
    view.set_status(status);
    out.push_back(std::move(view));
  }
  return out;
}

void Dispatcher::UpdateOpenGauges() {
  if (!metrics_) return;
  int open_incidents = 0;
  for (const auto& [id, incident] : incidents_) {
    if (incident.state() != v1::INCIDENT_STATE_MERGED) ++open_incidents;
  }
  int queued = 0;
  for (const auto& [id, order] : work_orders_) {
    if (order.state() == v1::WORK_ORDER_STATE_QUEUED) ++queued;
  }
  metrics_->SetOpen("incidents", open_incidents);
  metrics_->SetOpen("work_orders", static_cast<double>(work_orders_.size()));
  metrics_->SetOpen("queued_work_orders", queued);
}

}  // namespace gridcare::dispatch
