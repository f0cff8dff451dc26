#pragma once

// Field work by appointment (issue 19): service applications that need a crew on site (new
// connection, capacity change, meter check, meter relocation) become visit work orders of their
// own kind, booked into the metering crews' shifts (appointment_slots.h) and carried through
// their stages with working-day clocks (application_plan.h). The desk:
//  - opens an application from intake's ticket and books its first visit (AppointmentBooked);
//  - follows the crew's reports on a visit; a finished visit reaches its stage
//    (ApplicationStageReached) and books the next visit, the last one closes the application; a
//    customer who was not there gets the visit booked again;
//  - every tick: reminds crew and customer before a visit (AppointmentReminder), books again a
//    visit whose crew was taken by fault repair or stopped reporting (fault repair outranks
//    appointments), retries visits that found no slot, and raises the stage clocks' alarms;
//  - carries out a dispatcher's move and a clerk's document check (missing documents stop the
//    clocks with the reason and what to bring: ApplicationClockChanged).
// Visit orders are "WO-A-<ticket id>-<n>"; every event of one application is keyed by its ticket
// id. docs/services/dispatch.md ("Appointment work") describes the flow.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "alarm_book.h"
#include "application_plan.h"
#include "crew_assigner.h"
#include "crew_roster.h"
#include "dispatch_metrics.h"
#include "dispatch_pass.h"
#include "dispatch_settings.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "work_order_book.h"

namespace gridcare::dispatch {

/// The prefix of every visit order's id; repair-crew tells visits from fault jobs by it
/// (docs/events.md).
inline constexpr std::string_view kVisitOrderPrefix = "WO-A-";
/// "WO-A-<ticket id>-<visit number>".
std::string VisitOrderId(const std::string& ticket_id, int visit_number);
/// Whether `work_order_id` is a visit order's (kVisitOrderPrefix).
bool IsVisitOrderId(std::string_view work_order_id);

/// Not thread-safe: the Dispatcher's lock guards it. Everything passed in must outlive it.
class AppointmentDesk {
 public:
  AppointmentDesk(WorkOrderBook& work_orders, const CrewRoster& crews, const CrewAssigner& assigner,
                  AlarmBook& alarms, const DispatchSettings& settings,
                  DispatchMetrics* metrics = nullptr);

  /// Whether `ticket` is an application the desk takes: a service application of a kind that
  /// needs field work.
  static bool Takes(const v1::Ticket& ticket);
  /// Opens the application of `ticket` (Takes) and books its first visit. Nothing when its first
  /// visit order is open already (a second TicketOpened for the same ticket).
  void Open(DispatchPass& pass, const v1::Ticket& ticket);
  /// A crew's report on visit order `order` (held by that crew: the caller checked).
  void OnCrewReport(DispatchPass& pass, v1::WorkOrder& order, const v1::CrewEvent& event);
  /// Reminders, re-bookings, retries of unbooked visits, clock alarms.
  void Tick(DispatchPass& pass);

  /// A dispatcher moves a booked visit. Errors as DispatchConsoleService.MoveAppointment says.
  core::Result<v1::WorkOrder> Move(DispatchPass& pass, const v1::MoveAppointmentRequest& request);
  /// A clerk's document check. Errors as DispatchConsoleService.RecordDocumentCheck says.
  core::Result<v1::WorkOrder> RecordDocumentCheck(DispatchPass& pass,
                                                  const v1::RecordDocumentCheckRequest& request);

  /// The open visit order of the application of `ticket_id`, or nullptr.
  v1::WorkOrder* OpenVisitOf(const std::string& ticket_id);

 private:
  /// Books (or books again, `reason` saying why) `order`'s visit with the best slot, leaving out
  /// `excluded` crews; queues it when no slot fits. Returns whether it was booked.
  bool Book(DispatchPass& pass, v1::WorkOrder& order, const std::string& reason,
            const std::vector<std::string>& excluded);
  /// The best slot for `order`'s visit from `not_before`, leaving out `excluded` crews and those
  /// that declined it, around every crew's bookings at `now`; nullopt when none fits in the
  /// horizon.
  core::Result<std::optional<SlotOffer>> FindOffer(const v1::WorkOrder& order,
                                                   const std::vector<std::string>& excluded,
                                                   core::TimePoint now,
                                                   core::TimePoint not_before) const;
  /// Its crew was taken by fault repair (or went silent): books the visit with a crew that is not
  /// on fault work, else with any other crew after `rebook_lead`, else queues it.
  bool RebookAwayFromFaults(DispatchPass& pass, v1::WorkOrder& order, const std::string& reason,
                            const std::set<std::string>& on_fault_work);
  /// Books `order` as `offer` says and announces it.
  void Apply(DispatchPass& pass, v1::WorkOrder& order, const SlotOffer& offer,
             const std::string& reason);
  /// Publishes the assignment of a booked visit: WorkOrderAssigned (first crew, or the same
  /// crew at a new time) or WorkOrderReassigned, then AppointmentBooked.
  void AnnounceBooking(DispatchPass& pass, const v1::WorkOrder& order,
                       const std::string& previous_crew, const std::string& reason);
  void QueueUnbooked(DispatchPass& pass, v1::WorkOrder& order, const std::string& reason);
  /// Every booking the slot finder must respect: booked visits and the fault jobs crews hold.
  std::vector<Booking> Bookings(core::TimePoint now) const;
  /// The stages `application` reached since it had `reached_before` of them: one event each.
  void AnnounceStages(DispatchPass& pass, const v1::WorkOrder& order, int reached_before);
  /// A visit is done: its stage, then the next visit (booked) or the application closed.
  void FinishVisit(DispatchPass& pass, const v1::WorkOrder& order, const v1::JobCompleted& report);
  /// The next visit order of the application (visit `visit`), made from the finished `done`.
  void OpenNextVisit(DispatchPass& pass, const v1::WorkOrder& done, v1::VisitKind visit,
                     const std::string& reason);
  void CloseApplication(DispatchPass& pass, const v1::WorkOrder& done);
  void Remind(DispatchPass& pass, v1::WorkOrder& order);
  void RaiseClockAlarms(DispatchPass& pass, const v1::WorkOrder& order);
  /// The crews holding fault work: open repair orders here, and jobs of other territories in
  /// their roster queues.
  std::set<std::string> CrewsOnFaultWork() const;
  CrewSituation SituationOf(const std::string& crew_id,
                            const std::set<std::string>& on_fault_work) const;
  std::string EmitId(const v1::WorkOrder& order, std::string_view what) const;

  WorkOrderBook& work_orders_;
  const CrewRoster& crews_;
  const CrewAssigner& assigner_;
  AlarmBook& alarms_;
  const DispatchSettings& settings_;
  DispatchMetrics* metrics_;
};

}  // namespace gridcare::dispatch
