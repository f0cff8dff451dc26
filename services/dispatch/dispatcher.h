#pragma once

// The dispatch service's application core: turns fault tickets, crew reports, console actions and
// the passing of time into incidents, work orders, crew assignments and clock alarms, using the
// pure rules (correlation.h, assignment.h, dispatch_clocks.h). It coordinates the parts that own
// the working state in memory: IncidentBook (incidents, correlation state, planned outages),
// WorkOrderBook (work orders, declines), AlarmBook (fired alarm steps, timers), CrewRoster (the
// crews), CrewAssigner (who does which job), CrewReports (a crew's report on its job) and
// ConsoleView (the console's read model). Each input writes every change through DispatchStore in
// one batch with the events it produced (a transactional outbox, DispatchPass), and publishes
// those events. Kafka, Redis and gRPC stay outside: the handlers and the console adapt to this
// class. docs/services/dispatch.md explains the flow.

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alarm_book.h"
#include "appointment_desk.h"
#include "console_view.h"
#include "correlation.h"
#include "crew_assigner.h"
#include "crew_reports.h"
#include "crew_roster.h"
#include "directories.h"
#include "dispatch_console.h"
#include "dispatch_metrics.h"
#include "dispatch_pass.h"
#include "dispatch_settings.h"
#include "dispatch_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "incident_book.h"
#include "work_order_book.h"

namespace gridcare::dispatch {

/// One intake TicketOpened event, as OnTicketsOpened takes it (the pointed-to data must outlive
/// the call).
struct TicketInput {
  const v1::Ticket* ticket = nullptr;
  std::string_view source_event_id;
  std::string_view traceparent;
};

/// Thread-safe: one mutex serialises every input, so inputs apply (and are journaled) in one
/// order.
class Dispatcher final : public DispatchConsole {
 public:
  /// Everything passed in must outlive the dispatcher; `metrics` may be null.
  Dispatcher(DispatchStore& store, kafka::EventPublisher& publisher, TopologyDirectory& topology,
             const core::Clock& clock, DispatchSettings settings,
             DispatchMetrics* metrics = nullptr);

  /// Loads the state from the store and replays the correlation journal. Called once at start-up
  /// and again by any input after a failed commit (memory may then be ahead of the store).
  core::Status Recover();
  bool recovered() const;

  /// An intake ticket: fault-repair tickets (calls and smart-meter last gasps) are correlated;
  /// anything else is ignored. `source_event_id` is the intake event's ce_id: a redelivery of it
  /// republishes the same events and changes nothing.
  kafka::HandleResult OnTicketOpened(const v1::Ticket& ticket, std::string_view source_event_id,
                                     std::string_view traceparent = {});
  /// Several tickets, as a poll batch brings them: decided one after another in memory exactly as
  /// OnTicketOpened would, then every state change written in one store transaction (CommitAll)
  /// and their events published; redeliveries are found with one outbox lookup (Outboxes). Returns
  /// the results of a prefix of `inputs` (what the consumer loop's HandleBatch expects): it stops
  /// before an input it cannot decide now (profile unavailable, an event id seen twice in the
  /// batch, a redelivery whose events cannot be republished) after committing what it decided,
  /// and returns nothing when recovery, the commit or publishing fails, so those inputs go
  /// through OnTicketOpened with the loop's retries (memory is reloaded from the store first).
  std::vector<kafka::HandleResult> OnTicketsOpened(std::span<const TicketInput> inputs);
  /// A crew report. Judged against the work order's current state: a report from a crew that no
  /// longer holds the job, or a step already taken, changes nothing.
  kafka::HandleResult OnCrewEvent(const v1::CrewEvent& event, std::string_view source_event_id,
                                  std::string_view traceparent = {});

  /// Console actions; each publishes its events and waits for delivery before returning.
  /// NOT_FOUND for an unknown work order or crew, FAILED_PRECONDITION for a closed order or a crew
  /// already on site, INVALID_ARGUMENT for missing ids.
  core::Result<v1::WorkOrder> AssignByHand(const v1::AssignWorkOrderRequest& request) override;
  /// INVALID_ARGUMENT naming the field for a bad scope or window. An empty id gets one.
  core::Result<v1::PlannedOutage> RegisterPlannedOutage(v1::PlannedOutage outage) override;
  core::Result<v1::WorkOrder> MoveAppointment(const v1::MoveAppointmentRequest& request) override;
  core::Result<v1::WorkOrder> RecordDocumentCheck(
      const v1::RecordDocumentCheckRequest& request) override;

  /// The periodic work: republish pending outboxes, raise due clock alarms, reassign jobs whose
  /// crew went off shift or silent (not while the roster is still empty), give queued jobs a
  /// crew. Old pending calls are pruned per journaled call, not here, so a replay after a restart
  /// prunes exactly as the live run did.
  /// Returns how many events it published.
  core::Result<int> Tick();

  /// The roster from the repair-crew service (availability and positions as it knows them).
  /// Crews that vanished from it are dropped; their jobs are reassigned by the next tick.
  void UpdateRoster(const std::vector<v1::Crew>& crews);

  // Read models for the console.
  std::vector<v1::Incident> OpenIncidents(
      const v1::ListOpenIncidentsRequest& request) const override;
  std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const override;
  std::vector<v1::CrewStatusView> Crews() const override;
  /// An open incident with its tickets, or nullopt.
  std::optional<v1::Incident> Incident(std::string_view incident_id) const override;

  /// Whether a crew report is this dispatcher's business: positions and availability always; a
  /// job report only while the work order is open here (a territory's dispatcher hears every
  /// crew's reports; only the owner of the work order acts on a job report).
  bool Concerns(const v1::CrewEvent& event) const;
  /// Whether `work_order_id` is open here.
  bool HasOpenWorkOrder(std::string_view work_order_id) const;
  /// Whether the service application of `ticket_id` has an open visit here.
  bool HasOpenApplication(const std::string& ticket_id);
  /// The territory moved to another instance: waits for the input in progress, then refuses every
  /// further input (UNAVAILABLE, retried by whoever owns it now) and never touches the store again.
  void Retire();

 private:
  core::Status EnsureRecovered();
  core::Status RecoverLocked();
  core::Status Finish(DispatchPass& pass, bool wait_for_delivery);
  core::Status PublishAll(const std::vector<kafka::OutgoingRecord>& records);
  /// When `source_event_id` was handled before: publishes its events again (same ids) and
  /// returns the result, counting `ignored_reason` when given. nullopt for a new input.
  std::optional<kafka::HandleResult> Republish(std::string_view source_event_id,
                                               std::string_view ignored_reason);
  /// Republishes the outboxes of earlier ticks and console actions whose delivery was not
  /// confirmed; returns how many records.
  core::Result<int> RepublishPending();
  void UpdateOpenGauges();

  /// A console action on appointment work: `act` runs in a pass of its own, which is committed
  /// and published (waiting for delivery) when it succeeds.
  template <typename Act>
  core::Result<v1::WorkOrder> AppointmentAction(const std::string& subject, Act act);

  /// Correlates one new fault ticket into `pass` (journal, incidents, work orders, crews). A
  /// result when it ends without anything to commit (a dead letter, a duplicate call).
  std::optional<kafka::HandleResult> DecideTicket(const v1::Ticket& ticket,
                                                  const TopologyFacts& facts, DispatchPass& pass);

  // A fault ticket's correlation decision, one function per effect.
  void ApplyDecision(DispatchPass& pass, const CorrelationDecision& decision);
  void AttachToIncident(DispatchPass& pass, const CorrelationEffect& effect);
  void TakeNewIncident(DispatchPass& pass, const CorrelationEffect& effect,
                       UnannouncedIncidents& unannounced);
  void MergeIncident(DispatchPass& pass, const std::string& child_id, const std::string& parent_id);

  // Crew events that only update the roster.
  kafka::HandleResult NoteCrewPosition(const v1::LocationReported& report);
  kafka::HandleResult NoteCrewAvailability(const v1::AvailabilityChanged& changed);

  /// The tick's alarms: raises those of the incidents whose timers are due.
  void RaiseAlarms(DispatchPass& pass);

  mutable std::mutex mutex_;
  DispatchStore& store_;
  kafka::EventPublisher& publisher_;
  TopologyDirectory& topology_;
  const core::Clock& clock_;
  DispatchSettings settings_;
  DispatchMetrics* metrics_;

  bool recovered_ = false;
  bool retired_ = false;
  int64_t tick_counter_ = 0;
  AlarmBook alarms_;
  IncidentBook incidents_;
  WorkOrderBook work_orders_;
  CrewRoster crews_;
  CrewAssigner assigner_;
  CrewReports reports_;
  AppointmentDesk desk_;
  ConsoleView console_;
};

}  // namespace gridcare::dispatch
