#pragma once

// The incidents: what is out and why. Holds correlation's state (which tickets make which
// incident, pending calls, planned outages; rebuilt at start-up by replaying the journal through
// the pure Correlator, correlation.h), the full v1::Incident of each open or merged incident (its
// crew, clocks and estimated restoration; its ticket ids stay with correlation), and the
// registered planned outages. It publishes the incident events (opened, rolled up, updated,
// restored, ticket attached) and keeps each incident's alarm timer in step with its clocks.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alarm_book.h"
#include "correlation.h"
#include "dispatch_metrics.h"
#include "dispatch_pass.h"
#include "dispatch_settings.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"

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

/// Transformer incidents that one fault call opened and rolled up at once, by id, with the
/// incidents each absorbed: they are never announced, the feeder roll-up names them instead.
using UnannouncedIncidents = std::map<std::string, std::vector<std::string>>;

/// Not thread-safe: the Dispatcher's lock guards it. `alarms` and `metrics` (may be null) must
/// outlive it. Every change is written into the DispatchPass it is given.
class IncidentBook {
 public:
  IncidentBook(const DispatchSettings& settings, AlarmBook& alarms,
               DispatchMetrics* metrics = nullptr);

  /// Replays `journal` (fault calls, planned outages, closed incidents) into a fresh correlation
  /// state and takes the stored incidents and planned outages. On an error nothing changes.
  core::Status Recover(const std::vector<v1::DispatchJournalEntry>& journal,
                       std::map<std::string, v1::Incident> incidents,
                       std::map<std::string, v1::PlannedOutage> planned_outages);

  // ---- correlation ----

  /// Correlates `call`. Unless it is a duplicate, then drops pending calls and planned outages
  /// that are old relative to the call (never by wall-clock time: a journal replay then prunes
  /// exactly as the live run did, so a late call correlates the same before and after a restart).
  core::Result<CorrelationDecision> Correlate(const FaultCall& call);
  /// Appends `call` to the journal in `pass`, with the topology facts of its moment.
  static void Journal(DispatchPass& pass, const FaultCall& call);
  /// Registers (or replaces) `outage` with correlation, journals it and publishes
  /// PlannedOutageRegistered. INVALID_ARGUMENT from correlation, with nothing written.
  core::Status RegisterPlannedOutage(DispatchPass& pass, const v1::PlannedOutage& outage);

  // ---- lookups ----

  v1::Incident* Find(const std::string& incident_id);
  const v1::Incident* Find(const std::string& incident_id) const;
  /// Open and merged incidents by id, without ticket ids.
  const std::map<std::string, v1::Incident>& incidents() const { return incidents_; }
  /// The incident's tickets in joining order (a parent holds its children's too).
  std::vector<std::string> TicketsOf(std::string_view incident_id) const;
  /// The incident's first ticket, or empty.
  std::string FirstTicketOf(std::string_view incident_id) const;
  /// A copy of `incident` carrying its tickets [offset, offset + count).
  v1::Incident WithTickets(const v1::Incident& incident, size_t offset, size_t count) const;

  // ---- changes ----

  /// Brings the v1::Incident up to date with correlation's record of `incident_id` (creating it
  /// with its ARRIVAL clock and timer when new; priority only ever rises). nullptr when
  /// correlation does not know the id.
  v1::Incident* Sync(DispatchPass& pass, const std::string& incident_id);
  /// Writes `incident` (changed by the caller) into the pass.
  void Record(DispatchPass& pass, const v1::Incident& incident);
  /// Marks `child_id` MERGED into `parent_id`: its crew is cleared, its clocks stop and its timer
  /// is dropped. Returns the child's work order id (empty when it has none; the caller cancels
  /// it), or nullopt for an unknown child.
  std::optional<std::string> Merge(DispatchPass& pass, const std::string& child_id,
                                   const std::string& parent_id);
  /// The arrival promise runs from the first call: an incident that absorbed `merged` takes over
  /// the earliest of their arrival deadlines when it is earlier than its own.
  void TakeEarliestArrival(DispatchPass& pass, const std::string& incident_id,
                           const std::vector<std::string>& merged);
  /// The crew reported the supply restored: publishes IncidentRestored (cause, every ticket
  /// including merged children's), closes the incident and those merged into it in correlation
  /// (journaled), archives them and forgets their alarms.
  void Restore(DispatchPass& pass, const std::string& incident_id, const v1::JobCompleted& report);

  // ---- events ----

  /// IncidentOpened (or IncidentRolledUp for a roll-up, naming the incidents it absorbed with
  /// those of `unannounced` children) in chunks of tickets, then, except for a single customer,
  /// TicketAttached for every ticket the incident holds.
  void Announce(DispatchPass& pass, const v1::Incident& incident, const CorrelationEffect& effect,
                const UnannouncedIncidents& unannounced) const;
  /// TicketAttached for `ticket_id`, with the incident's cause (or a default by level) and ERT.
  void EmitTicketAttached(DispatchPass& pass, const std::string& ticket_id,
                          const v1::Incident& incident) const;
  /// TicketAttached for a ticket inside a planned outage: its end and reason.
  void EmitAttachedToPlannedOutage(DispatchPass& pass, const CorrelationEffect& effect) const;
  /// IncidentUpdated (`what` from namespace change) in chunks of tickets.
  void EmitIncidentUpdated(DispatchPass& pass, const v1::Incident& incident,
                           std::string_view what) const;

 private:
  /// How many ticket ids one event carries.
  size_t Chunk() const;

  Correlator correlator_;
  sla::ServiceStandards standards_;
  int max_ticket_ids_per_event_;
  AlarmBook& alarms_;
  DispatchMetrics* metrics_;

  CorrelationState correlation_;
  std::map<std::string, v1::Incident> incidents_;  // without ticket_ids (correlation has them)
  std::map<std::string, v1::PlannedOutage> planned_outages_;
};

}  // namespace gridcare::dispatch
