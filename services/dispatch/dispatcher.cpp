#include "dispatcher.h"

#include <algorithm>
#include <deque>
#include <set>

#include "gridcare/logging/log.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

bool HasTag(const v1::Ticket& ticket, v1::CustomerTag tag) {
  return std::any_of(ticket.customer_tags().begin(), ticket.customer_tags().end(),
                     [tag](int t) { return t == tag; });
}

/// Why an intake ticket is not correlated, or nullopt when it is an open fault-repair ticket.
std::optional<kafka::HandleResult> NotForDispatch(const v1::Ticket& ticket,
                                                  DispatchMetrics* metrics) {
  if (ticket.type() != v1::REQUEST_TYPE_FAULT_REPAIR && !AppointmentDesk::Takes(ticket)) {
    return kafka::HandleResult::Done();
  }
  if (ticket.state() != v1::TICKET_STATE_OPEN) {
    // A "power restored" meter signal arrives as a closed ticket: nothing to dispatch.
    if (metrics) metrics->Ignored("ticket_not_open");
    return kafka::HandleResult::Done();
  }
  if (ticket.ticket_id().empty()) {
    return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kMissingTicketId,
                                           "TicketOpened without ticket_id");
  }
  return std::nullopt;
}

FaultCall FaultCallOf(const v1::Ticket& ticket, const TopologyFacts& facts, core::TimePoint now) {
  FaultCall call;
  call.ticket_id = ticket.ticket_id();
  call.customer_id = ticket.customer_id();
  call.supply = ticket.supply();
  call.area_class = ticket.area_class();
  call.location = ticket.location().geo();
  call.received_at = ticket.has_opened_at() ? sla::FromTimestamp(ticket.opened_at()) : now;
  call.last_gasp = ticket.meter_signal() == v1::METER_SIGNAL_LAST_GASP;
  call.life_support = HasTag(ticket, v1::CUSTOMER_TAG_LIFE_SUPPORT);
  call.important = HasTag(ticket, v1::CUSTOMER_TAG_IMPORTANT);
  call.topology = facts;
  return call;
}

/// INVALID_ARGUMENT naming the field of a planned outage the console cannot register.
core::Status CheckPlannedOutage(const v1::PlannedOutage& outage) {
  if (outage.scope().feeder_id().empty() && outage.scope().transformer_id().empty()) {
    return core::InvalidArgument("planned_outage.scope needs a feeder_id or a transformer_id");
  }
  if (!outage.has_starts_at() || !outage.has_ends_at()) {
    return core::InvalidArgument("planned_outage.starts_at and ends_at are required");
  }
  if (outage.reason().zh_cn().empty() && outage.reason().en().empty()) {
    return core::InvalidArgument("planned_outage.reason is required (zh_cn and/or en)");
  }
  return {};
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
      alarms_(settings_.alarms, metrics_),
      incidents_(settings_, alarms_, metrics_),
      work_orders_(metrics_),
      assigner_(work_orders_, incidents_, crews_, settings_, metrics_),
      reports_(work_orders_, incidents_, alarms_, assigner_, settings_, metrics_),
      desk_(work_orders_, crews_, assigner_, alarms_, settings_, metrics_),
      console_(incidents_, work_orders_, crews_) {
  // Slots are travelled at the assignment's speeds, in its time zone.
  settings_.applications.slots.travel = settings_.assignment;
}

// ---- recovery and the write path -----------------------------------------------------------

core::Status Dispatcher::Recover() {
  std::lock_guard lock(mutex_);
  return RecoverLocked();
}

bool Dispatcher::recovered() const {
  std::lock_guard lock(mutex_);
  return recovered_;
}

core::Status Dispatcher::EnsureRecovered() {
  if (retired_) return core::Unavailable("this territory moved to another dispatch instance");
  return recovered_ ? core::Status{} : RecoverLocked();
}

bool Dispatcher::HasOpenWorkOrder(std::string_view work_order_id) const {
  std::lock_guard lock(mutex_);
  return work_orders_.Find(std::string(work_order_id)) != nullptr;
}

bool Dispatcher::HasOpenApplication(const std::string& ticket_id) {
  std::lock_guard lock(mutex_);
  return desk_.OpenVisitOf(ticket_id) != nullptr;
}

void Dispatcher::Retire() {
  std::lock_guard lock(mutex_);
  retired_ = true;
  recovered_ = false;
}

bool Dispatcher::Concerns(const v1::CrewEvent& event) const {
  const auto job = JobReportOf(event);
  if (!job) return true;  // positions, availability: every territory keeps the whole roster
  std::lock_guard lock(mutex_);
  // Not loaded yet (or after a failed commit): let OnCrewEvent load and decide.
  if (!recovered_) return true;
  return work_orders_.Find(job->second) != nullptr;
}

core::Status Dispatcher::RecoverLocked() {
  recovered_ = false;
  auto snapshot = store_.Load();
  if (!snapshot) return snapshot.error();
  if (auto status = incidents_.Recover(snapshot->journal, std::move(snapshot->incidents),
                                       std::move(snapshot->planned_outages));
      !status) {
    return status;
  }
  work_orders_.Recover(std::move(snapshot->work_orders), std::move(snapshot->declined));
  alarms_.Recover(std::move(snapshot->fired));
  recovered_ = true;
  UpdateOpenGauges();
  logging::Info("dispatch state recovered",
                {{"journal_entries", std::to_string(snapshot->journal.size())},
                 {"open_incidents", std::to_string(incidents_.incidents().size())},
                 {"open_work_orders", std::to_string(work_orders_.open().size())}});
  return {};
}

core::Status Dispatcher::PublishAll(const std::vector<kafka::OutgoingRecord>& records) {
  for (const auto& record : records) {
    if (auto status = publisher_.Publish(record); !status) return status;
  }
  return {};
}

core::Status Dispatcher::Finish(DispatchPass& pass, bool wait_for_delivery) {
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

std::optional<kafka::HandleResult> Dispatcher::Republish(std::string_view source_event_id,
                                                         std::string_view ignored_reason) {
  auto earlier = store_.Outbox(source_event_id);
  if (!earlier) return kafka::HandleResult::FromError(earlier.error(), "redis_error");
  if (!earlier->has_value()) return std::nullopt;
  // A redelivery: the state already holds it; publish the same events again (same ids).
  if (metrics_ && !ignored_reason.empty()) metrics_->Ignored(ignored_reason);
  if (auto status = PublishAll(**earlier); !status) {
    return kafka::HandleResult::FromError(status.error(), "publish_failed");
  }
  return kafka::HandleResult::Done();
}

void Dispatcher::UpdateOpenGauges() {
  if (!metrics_) return;
  const auto counts = console_.Counts();
  const int32_t territory = settings_.territory_partition;
  metrics_->SetOpen("incidents", counts.incidents, territory);
  metrics_->SetOpen("work_orders", counts.work_orders, territory);
  metrics_->SetOpen("queued_work_orders", counts.queued_work_orders, territory);
}

// ---- fault tickets -------------------------------------------------------------------------

kafka::HandleResult Dispatcher::OnTicketOpened(const v1::Ticket& ticket,
                                               std::string_view source_event_id,
                                               std::string_view traceparent) {
  if (auto skipped = NotForDispatch(ticket, metrics_)) return *skipped;
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) {
    return kafka::HandleResult::FromError(status.error(), "recovery_failed");
  }
  if (auto done = Republish(source_event_id, "redelivered_ticket")) return *done;
  if (AppointmentDesk::Takes(ticket)) {
    DispatchPass pass(std::string(source_event_id), std::string(traceparent), clock_);
    desk_.Open(pass, ticket);
    if (auto status = Finish(pass, false); !status) {
      return kafka::HandleResult::FromError(status.error(), "redis_error");
    }
    return kafka::HandleResult::Done();
  }
  auto facts = topology_.FactsFor(ticket.supply());
  if (!facts) return kafka::HandleResult::FromError(facts.error(), "profile_unavailable");
  DispatchPass pass(std::string(source_event_id), std::string(traceparent), clock_);
  if (auto ended = DecideTicket(ticket, *facts, pass)) return *ended;
  if (auto status = Finish(pass, false); !status) {
    return kafka::HandleResult::FromError(status.error(), "redis_error");
  }
  return kafka::HandleResult::Done();
}

std::optional<kafka::HandleResult> Dispatcher::DecideTicket(const v1::Ticket& ticket,
                                                            const TopologyFacts& facts,
                                                            DispatchPass& pass) {
  const FaultCall call = FaultCallOf(ticket, facts, clock_.Now());
  // Old pending calls and planned outages are pruned by Correlate, relative to the journaled
  // call, and nowhere else (not by wall-clock time in Tick): a journal replay prunes the same.
  auto decision = incidents_.Correlate(call);
  if (!decision) {
    return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kInvalidTicket,
                                           decision.error().message);
  }
  if (decision->duplicate) {
    // Journaled before, but its outbox expired: nothing more to say.
    if (metrics_) metrics_->Ignored("duplicate_ticket");
    return kafka::HandleResult::Done();
  }
  IncidentBook::Journal(pass, call);
  ApplyDecision(pass, *decision);
  assigner_.AssignQueued(pass, pass.to_assign);
  return std::nullopt;
}

std::vector<kafka::HandleResult> Dispatcher::OnTicketsOpened(std::span<const TicketInput> inputs) {
  std::lock_guard lock(mutex_);
  if (!EnsureRecovered()) return {};
  std::vector<std::string> ids;
  for (const auto& input : inputs) ids.emplace_back(input.source_event_id);
  auto earlier = store_.Outboxes(ids);
  if (!earlier) return {};
  std::vector<v1::SupplyPoint> supplies;
  for (const auto& input : inputs) {
    if (input.ticket->type() == v1::REQUEST_TYPE_FAULT_REPAIR &&
        !earlier->contains(std::string(input.source_event_id))) {
      supplies.push_back(input.ticket->supply());
    }
  }
  topology_.Prefetch(supplies);  // the areas a storm reaches for the first time, in parallel
  std::vector<kafka::HandleResult> results;
  std::deque<DispatchPass> passes;  // passes refer to the clock: kept in place
  std::set<std::string_view> seen;
  for (const auto& input : inputs) {
    if (auto skipped = NotForDispatch(*input.ticket, metrics_)) {
      results.push_back(*skipped);
      continue;
    }
    // The same event twice in one batch: the loop takes the second alone, after this commit.
    if (!seen.insert(input.source_event_id).second) break;
    if (auto found = earlier->find(std::string(input.source_event_id)); found != earlier->end()) {
      if (metrics_) metrics_->Ignored("redelivered_ticket");
      // Cannot publish: stop here, but commit what was decided before (memory holds it already).
      if (!PublishAll(found->second)) break;
      results.push_back(kafka::HandleResult::Done());
      continue;
    }
    if (AppointmentDesk::Takes(*input.ticket)) {
      passes.emplace_back(std::string(input.source_event_id), std::string(input.traceparent),
                          clock_);
      desk_.Open(passes.back(), *input.ticket);
      results.push_back(kafka::HandleResult::Done());
      continue;
    }
    auto facts = topology_.FactsFor(input.ticket->supply());
    if (!facts) break;  // OnTicketOpened retries it
    passes.emplace_back(std::string(input.source_event_id), std::string(input.traceparent), clock_);
    auto ended = DecideTicket(*input.ticket, *facts, passes.back());
    if (ended) passes.pop_back();
    results.push_back(ended.value_or(kafka::HandleResult::Done()));
  }
  std::vector<DispatchBatch> batches;
  batches.reserve(passes.size());
  for (auto& pass : passes) {
    pass.batch.outbox_id = pass.source_id;
    pass.batch.outbox_pending = false;
    batches.push_back(std::move(pass.batch));
  }
  if (!batches.empty() && !store_.CommitAll(batches)) {
    recovered_ = false;  // memory is ahead of the store: reload before the next input
    return {};
  }
  for (const auto& batch : batches) {
    if (!PublishAll(batch.records)) return {};  // each input's outbox republishes on retry
  }
  return results;
}

void Dispatcher::ApplyDecision(DispatchPass& pass, const CorrelationDecision& decision) {
  // Transformer incidents this same call opened and rolled up at once are never announced; the
  // roll-up names the incidents they absorbed instead, so every absorbed incident is seen merged.
  UnannouncedIncidents unannounced;
  for (const auto& effect : decision.effects) {
    if (metrics_ && effect.kind != EffectKind::kOpenIncident) {
      metrics_->Decision(EffectKindName(effect.kind));
    }
    switch (effect.kind) {
      case EffectKind::kAttachToIncident:
        AttachToIncident(pass, effect);
        break;
      case EffectKind::kAttachToPlannedOutage:
        incidents_.EmitAttachedToPlannedOutage(pass, effect);
        break;
      case EffectKind::kOpenIncident:
      case EffectKind::kRollUp:
      case EffectKind::kSingleCustomerWorkOrder:
        TakeNewIncident(pass, effect, unannounced);
        break;
      case EffectKind::kHold:
        break;
    }
  }
}

void Dispatcher::AttachToIncident(DispatchPass& pass, const CorrelationEffect& effect) {
  const v1::Incident* known = incidents_.Find(effect.incident_id);
  const v1::Priority before = known ? known->priority() : v1::PRIORITY_UNSPECIFIED;
  v1::Incident* incident = incidents_.Sync(pass, effect.incident_id);
  if (incident == nullptr) return;
  incidents_.EmitTicketAttached(pass, effect.ticket_id, *incident);
  if (incident->priority() != before && !incident->work_order_id().empty()) {
    // A life-support customer joined: the job moves up the queue.
    if (v1::WorkOrder* order = work_orders_.Find(incident->work_order_id())) {
      order->set_priority(incident->priority());
      work_orders_.Record(pass, *order);
    }
  }
}

void Dispatcher::TakeNewIncident(DispatchPass& pass, const CorrelationEffect& effect,
                                 UnannouncedIncidents& unannounced) {
  v1::Incident* incident = incidents_.Sync(pass, effect.incident_id);
  if (incident == nullptr) return;
  const std::string incident_id = incident->incident_id();
  for (const auto& merged : effect.merged_incident_ids) MergeIncident(pass, merged, incident_id);
  // The arrival promise runs from the first call (the absorbed incidents' clocks stop).
  incidents_.TakeEarliestArrival(pass, incident_id, effect.merged_incident_ids);
  // A transformer incident that this same call also rolled up into a feeder incident: it is kept
  // as merged history, and the roll-up (the next effect) announces the outage, so its callers
  // are told once and no work order is created only to be cancelled.
  if (incident->state() == v1::INCIDENT_STATE_MERGED) {
    unannounced[incident_id] = effect.merged_incident_ids;
    return;
  }
  if (metrics_ && effect.kind == EffectKind::kOpenIncident) {
    metrics_->Decision(EffectKindName(effect.kind));
  }
  incidents_.Announce(pass, *incident, effect, unannounced);
  assigner_.CreateWorkOrder(pass, *incident);
}

void Dispatcher::MergeIncident(DispatchPass& pass, const std::string& child_id,
                               const std::string& parent_id) {
  const auto order_id = incidents_.Merge(pass, child_id, parent_id);
  if (order_id && !order_id->empty()) {
    work_orders_.Cancel(pass, *order_id, "merged into incident " + parent_id);
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
    return NoteCrewPosition(event.location_reported());
  }
  if (event.event_case() == v1::CrewEvent::kAvailabilityChanged) {
    return NoteCrewAvailability(event.availability_changed());
  }
  if (auto done = Republish(source_event_id, {})) return *done;
  DispatchPass pass(std::string(source_event_id), std::string(traceparent), clock_);
  const auto job = JobReportOf(event);
  v1::WorkOrder* visit = job ? work_orders_.Find(job->second) : nullptr;
  if (visit != nullptr && IsAppointmentWork(*visit)) {
    if (visit->crew_id() == job->first && HeldByCrew(visit->state())) {
      desk_.OnCrewReport(pass, *visit, event);
    } else if (metrics_) {
      metrics_->Ignored("report_from_crew_without_job");
    }
  } else {
    reports_.Apply(pass, event);
  }
  if (pass.batch.empty()) return kafka::HandleResult::Done();
  if (auto status = Finish(pass, false); !status) {
    return kafka::HandleResult::FromError(status.error(), "redis_error");
  }
  return kafka::HandleResult::Done();
}

kafka::HandleResult Dispatcher::NoteCrewPosition(const v1::LocationReported& report) {
  if (!crews_.ReportPosition(report, clock_.Now()) && metrics_) metrics_->Ignored("unknown_crew");
  return kafka::HandleResult::Done();
}

kafka::HandleResult Dispatcher::NoteCrewAvailability(const v1::AvailabilityChanged& changed) {
  if (!crews_.ReportAvailability(changed) && metrics_) metrics_->Ignored("unknown_crew");
  return kafka::HandleResult::Done();  // jobs of a crew gone off shift move on the next tick
}

// ---- console actions -----------------------------------------------------------------------

core::Result<v1::WorkOrder> Dispatcher::AssignByHand(const v1::AssignWorkOrderRequest& request) {
  if (request.work_order_id().empty()) return core::InvalidArgument("work_order_id is required");
  if (request.crew_id().empty()) return core::InvalidArgument("crew_id is required");
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) return status.error();
  v1::WorkOrder* order = work_orders_.Find(request.work_order_id());
  if (order == nullptr) return core::NotFound("no open work order " + request.work_order_id());
  if (order->state() == v1::WORK_ORDER_STATE_ON_SITE) {
    return core::FailedPrecondition("work order " + order->work_order_id() +
                                    " is being repaired on site by " + order->crew_id());
  }
  const v1::Crew* crew = crews_.Find(request.crew_id());
  if (crew == nullptr) return core::NotFound("no crew " + request.crew_id());
  if (order->crew_id() == request.crew_id() && HeldByCrew(order->state())) return *order;
  DispatchPass pass("console/" + std::to_string(core::ToUnixMillis(clock_.Now())) + "/" +
                        std::to_string(++tick_counter_) + "/" + order->work_order_id(),
                    "", clock_);
  assigner_.AssignByHand(pass, *order, *crew, request);
  if (metrics_) metrics_->Action("assigned_by_dispatcher");
  const v1::WorkOrder result = *order;
  if (auto status = Finish(pass, true); !status) return status.error();
  return result;
}

core::Result<v1::PlannedOutage> Dispatcher::RegisterPlannedOutage(v1::PlannedOutage outage) {
  if (auto status = CheckPlannedOutage(outage); !status) return status.error();
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) return status.error();
  if (outage.planned_outage_id().empty()) {
    outage.set_planned_outage_id("PO-" + std::to_string(core::ToUnixMillis(clock_.Now())) + "-" +
                                 std::to_string(++tick_counter_));
  }
  DispatchPass pass("planned-outage/" + outage.planned_outage_id() + "/" +
                        std::to_string(core::ToUnixMillis(clock_.Now())),
                    "", clock_);
  if (auto status = incidents_.RegisterPlannedOutage(pass, outage); !status) {
    return status.error();
  }
  if (auto status = Finish(pass, true); !status) return status.error();
  return outage;
}

template <typename Act>
core::Result<v1::WorkOrder> Dispatcher::AppointmentAction(const std::string& subject, Act act) {
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) return status.error();
  DispatchPass pass("console/" + std::to_string(core::ToUnixMillis(clock_.Now())) + "/" +
                        std::to_string(++tick_counter_) + "/" + subject,
                    "", clock_);
  auto result = act(pass);
  if (!result) {
    // Nothing was written to the store; memory may hold a half-done change: reload it.
    if (!pass.batch.empty()) recovered_ = false;
    return result;
  }
  if (auto status = Finish(pass, true); !status) return status.error();
  return result;
}

core::Result<v1::WorkOrder> Dispatcher::MoveAppointment(const v1::MoveAppointmentRequest& request) {
  if (request.work_order_id().empty()) return core::InvalidArgument("work_order_id is required");
  auto result = AppointmentAction(request.work_order_id(),
                                  [&](DispatchPass& pass) { return desk_.Move(pass, request); });
  if (result && metrics_) metrics_->Action("appointment_moved_by_dispatcher");
  return result;
}

core::Result<v1::WorkOrder> Dispatcher::RecordDocumentCheck(
    const v1::RecordDocumentCheckRequest& request) {
  if (request.ticket_id().empty()) return core::InvalidArgument("ticket_id is required");
  return AppointmentAction(request.ticket_id(), [&](DispatchPass& pass) {
    return desk_.RecordDocumentCheck(pass, request);
  });
}

// ---- the tick ------------------------------------------------------------------------------

core::Result<int> Dispatcher::Tick() {
  std::lock_guard lock(mutex_);
  if (auto status = EnsureRecovered(); !status) return status.error();
  UpdateOpenGauges();
  auto republished = RepublishPending();
  if (!republished) return republished.error();
  int published = *republished;
  const auto now = clock_.Now();
  DispatchPass pass(
      "tick/" + std::to_string(core::ToUnixMillis(now)) + "/" + std::to_string(++tick_counter_), "",
      clock_);
  RaiseAlarms(pass);
  assigner_.Reassess(pass);
  std::vector<std::string> queued_repairs;
  for (auto& id : work_orders_.IdsIn(v1::WORK_ORDER_STATE_QUEUED)) {
    if (!IsAppointmentWork(*work_orders_.Find(id))) queued_repairs.push_back(std::move(id));
  }
  assigner_.AssignQueued(pass, queued_repairs);
  desk_.Tick(pass);
  if (pass.batch.empty()) return published;
  published += static_cast<int>(pass.batch.records.size());
  if (auto status = Finish(pass, true); !status) return status.error();
  return published;
}

core::Result<int> Dispatcher::RepublishPending() {
  auto pending = store_.PendingOutboxes();
  if (!pending) return pending.error();
  if (pending->empty()) return 0;
  int published = 0;
  for (const auto& id : *pending) {
    auto records = store_.Outbox(id);
    if (!records) return records.error();
    if (!records->has_value()) continue;
    if (auto status = PublishAll(**records); !status) return status.error();
    published += static_cast<int>((*records)->size());
  }
  if (auto status = publisher_.Flush(settings_.flush_timeout); !status) return status.error();
  if (auto status = store_.ForgetPending(*pending); !status) return status.error();
  return published;
}

void Dispatcher::RaiseAlarms(DispatchPass& pass) {
  const auto now = pass.Now();
  auto due = store_.DueTimers(core::ToUnixMillis(now), settings_.timers_per_tick);
  if (!due) {
    logging::Warn("cannot read dispatch timers", {{"error", due.error().ToString()}});
    return;
  }
  for (const auto& incident_id : *due) {
    const v1::Incident* incident = incidents_.Find(incident_id);
    if (incident == nullptr) {
      alarms_.Stop(pass, incident_id);  // closed meanwhile
      continue;
    }
    alarms_.Raise(pass, *incident, now);
  }
}

// ---- roster and read models ----------------------------------------------------------------

void Dispatcher::UpdateRoster(const std::vector<v1::Crew>& crews) {
  std::lock_guard lock(mutex_);
  crews_.Update(crews);
}

std::optional<v1::Incident> Dispatcher::Incident(std::string_view incident_id) const {
  std::lock_guard lock(mutex_);
  return console_.Incident(incident_id);
}

std::vector<v1::Incident> Dispatcher::OpenIncidents(
    const v1::ListOpenIncidentsRequest& request) const {
  std::lock_guard lock(mutex_);
  return console_.OpenIncidents(request, clock_.Now());
}

std::vector<v1::WorkOrder> Dispatcher::WorkOrders(const v1::ListWorkOrdersRequest& request) const {
  std::lock_guard lock(mutex_);
  return console_.WorkOrders(request);
}

std::vector<v1::CrewStatusView> Dispatcher::Crews() const {
  std::lock_guard lock(mutex_);
  return console_.Crews();
}

}  // namespace gridcare::dispatch
