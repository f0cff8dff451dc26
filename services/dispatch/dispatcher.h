#pragma once

// The dispatch service's application core: turns fault tickets, crew reports, console actions and
// the passing of time into incidents, work orders, crew assignments and clock alarms, using the
// pure rules (correlation.h, assignment.h, dispatch_clocks.h). It owns the working state in memory,
// writes every change through DispatchStore in one batch per input with the events it produced
// (a transactional outbox), and publishes those events. Kafka, Redis and gRPC stay outside: the
// handlers and the console adapt to this class. docs/services/dispatch.md explains the flow.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "assignment.h"
#include "correlation.h"
#include "directories.h"
#include "dispatch_clocks.h"
#include "dispatch_metrics.h"
#include "dispatch_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/sla/standards.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::dispatch {

/// IncidentUpdated.change values: what moved. Intake turns the customer-facing ones into steps
/// of each attached ticket's timeline.
namespace change {
inline constexpr std::string_view kCrewAssigned = "crew_assigned";
inline constexpr std::string_view kCrewReassigned = "crew_reassigned";
inline constexpr std::string_view kCrewEnRoute = "crew_en_route";
inline constexpr std::string_view kCrewOnSite = "crew_on_site";
inline constexpr std::string_view kWaitingForCrew = "waiting_for_crew";
inline constexpr std::string_view kMerged = "merged";
inline constexpr std::string_view kRepairNotFinished = "repair_not_finished";
}  // namespace change

struct DispatchSettings {
  CorrelationSettings correlation;
  AssignmentSettings assignment;
  ClockAlarmSettings alarms;
  sla::ServiceStandards standards;
  /// First estimate of the restoration time once a crew is assigned: its arrival plus this.
  /// Replaced by the crew's own estimate when it is on site.
  std::chrono::minutes default_repair_time{90};
  /// Events that list tickets (opened, rolled up, updated, restored) carry at most this many ids
  /// each; larger incidents are announced in several events, so no record nears Kafka's size cap.
  int max_ticket_ids_per_event = 5000;
  std::chrono::milliseconds flush_timeout{10'000};
  /// How many due timers one tick handles (the rest wait for the next tick).
  int64_t timers_per_tick = 1000;
};

/// Thread-safe: one mutex serialises every input, so inputs apply (and are journaled) in one
/// order.
class Dispatcher {
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
  /// A crew report. Judged against the work order's current state: a report from a crew that no
  /// longer holds the job, or a step already taken, changes nothing.
  kafka::HandleResult OnCrewEvent(const v1::CrewEvent& event, std::string_view source_event_id,
                                  std::string_view traceparent = {});

  /// Console actions; each publishes its events and waits for delivery before returning.
  /// NOT_FOUND for an unknown work order or crew, FAILED_PRECONDITION for a closed order or a crew
  /// already on site, INVALID_ARGUMENT for missing ids.
  core::Result<v1::WorkOrder> AssignByHand(const v1::AssignWorkOrderRequest& request);
  /// INVALID_ARGUMENT naming the field for a bad scope or window. An empty id gets one.
  core::Result<v1::PlannedOutage> RegisterPlannedOutage(v1::PlannedOutage outage);

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
  std::vector<v1::Incident> OpenIncidents(const v1::ListOpenIncidentsRequest& request) const;
  std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const;
  std::vector<v1::CrewStatusView> Crews() const;
  /// An open incident with its tickets, or nullopt.
  std::optional<v1::Incident> Incident(std::string_view incident_id) const;

 private:
  struct CrewEntry {
    v1::Crew crew;  // roster data, availability and last known position
  };

  /// One input's work in progress.
  struct Pass {
    std::string source_id;
    std::string traceparent;
    DispatchBatch batch;
    int next_event = 0;
    std::vector<std::string> to_assign;  // work orders created by this input
  };

  core::Status EnsureRecovered();
  core::Status RecoverLocked();
  core::Status Finish(Pass& pass, bool wait_for_delivery);
  core::Status PublishAll(const std::vector<kafka::OutgoingRecord>& records);
  void Emit(Pass& pass, const std::string& key, std::string_view ce_type,
            const std::string& subject, const v1::DispatchEvent& event,
            std::string event_id = {});

  // Incidents.
  v1::Incident& SyncIncident(Pass& pass, const IncidentRecord& record);
  v1::Incident WithTickets(const v1::Incident& incident, size_t offset, size_t count) const;
  std::vector<std::string> TicketsOf(std::string_view incident_id) const;
  void EmitIncidentUpdated(Pass& pass, const v1::Incident& incident, std::string_view what);
  void EmitTicketAttached(Pass& pass, const std::string& ticket_id,
                          const v1::Incident& incident);
  void MergeIncident(Pass& pass, const std::string& child_id, const std::string& parent_id);
  void RestoreIncident(Pass& pass, const std::string& incident_id, const v1::JobCompleted& report);
  void ScheduleTimer(Pass& pass, const std::string& incident_id);
  void RecordIncident(Pass& pass, const v1::Incident& incident);

  // Work orders.
  std::string CreateWorkOrder(Pass& pass, v1::Incident& incident);
  void CancelWorkOrder(Pass& pass, const std::string& work_order_id, const std::string& reason);
  void AssignWorkOrders(Pass& pass, const std::vector<std::string>& work_order_ids);
  void GiveToCrew(Pass& pass, v1::WorkOrder& order, const Candidate& crew, bool at_risk,
                  const std::string& previous_crew, const std::string& reason);
  void Queue(Pass& pass, v1::WorkOrder& order, const std::string& previous_crew,
             const std::string& reason, bool at_risk);
  void RecordWorkOrder(Pass& pass, const v1::WorkOrder& order);
  std::vector<CrewState> CrewStates() const;
  Job JobOf(const v1::WorkOrder& order) const;
  int JobsHeldBy(std::string_view crew_id) const;

  // Tick parts.
  int RaiseAlarms(Pass& pass);
  void ReassessAssignments(Pass& pass);

  void ApplyCrewEvent(Pass& pass, const v1::CrewEvent& event);
  void UpdateOpenGauges();

  mutable std::mutex mutex_;
  DispatchStore& store_;
  kafka::EventPublisher& publisher_;
  TopologyDirectory& topology_;
  const core::Clock& clock_;
  DispatchSettings settings_;
  DispatchMetrics* metrics_;
  Correlator correlator_;

  bool recovered_ = false;
  CorrelationState correlation_;
  std::map<std::string, v1::Incident> incidents_;  // without ticket_ids (correlation has them)
  std::map<std::string, v1::WorkOrder> work_orders_;
  std::map<std::string, v1::PlannedOutage> planned_outages_;
  std::map<std::string, std::set<std::string>> declined_;  // work order → crews
  std::map<std::string, std::set<int>> fired_;             // "<incident>/<kind>" → steps
  std::map<std::string, CrewEntry> crews_;
  int64_t tick_counter_ = 0;
};

}  // namespace gridcare::dispatch
