#pragma once

// Service applications done by appointment (issue 19): which applications need field work, the
// visits and stages of each kind, the stage clocks in working days (holiday calendar with 调休),
// stopping and restarting the clocks while documents are missing, and when a booked visit must
// be booked again. Pure logic: no I/O, time and calendar passed in. docs/services/dispatch.md
// ("Appointment work") explains the flow; appointment_slots.h finds the slots.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "appointment_slots.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

struct ApplicationSettings {
  /// Stage deadlines in working days from acceptance (the work itself is due by the ticket's
  /// completion clock: 5 working days for a residential new connection). 1 .. 30.
  int documents_checked_working_days = 1;
  int site_surveyed_working_days = 2;
  /// How long each visit is booked for. 15 min .. 8 h.
  std::chrono::minutes survey_duration{60};
  std::chrono::minutes installation_duration{90};
  std::chrono::minutes meter_check_duration{60};
  /// The earliest slot offered is this long after now (the crew needs notice). 0 .. 48 h.
  std::chrono::minutes booking_notice{120};
  /// Crew and customer are reminded this long before a booked visit. 0 (none) .. 72 h.
  std::chrono::minutes reminder_before{24 * 60};
  /// A booked visit whose crew is on fault repair (or unreachable) this long before it starts is
  /// booked again: fault repair outranks appointments. 0 .. 24 h.
  std::chrono::minutes rebook_lead{120};
  SlotSettings slots;
};

/// INVALID_ARGUMENT naming the field out of range.
core::Status Validate(const ApplicationSettings& settings);

/// New connection, capacity change, meter check and meter relocation need field work; account
/// transfers and unknown kinds do not.
bool NeedsFieldWork(v1::ServiceApplicationKind kind);
/// The work-order kind of an application kind (UNSPECIFIED for kinds without field work).
v1::WorkOrderKind WorkOrderKindFor(v1::ServiceApplicationKind kind);
/// Whether `order` is appointment work (it carries an application).
bool IsAppointmentWork(const v1::WorkOrder& order);

/// The visits of `kind` in order: survey then installation, or the meter check alone.
std::vector<v1::VisitKind> VisitsFor(v1::ServiceApplicationKind kind);
/// The visit after `done`, or nullopt when `done` was the last one.
std::optional<v1::VisitKind> NextVisit(v1::ServiceApplicationKind kind, v1::VisitKind done);
/// The stages of `kind` in order, ACCEPTED first and CLOSED last. A meter check has neither a
/// document check nor a survey.
std::vector<v1::ApplicationStage> StagesFor(v1::ServiceApplicationKind kind);
/// The stage a finished visit reaches (SITE_SURVEYED or WORK_DONE).
v1::ApplicationStage StageAfter(v1::VisitKind visit);
std::chrono::minutes VisitDuration(v1::VisitKind visit, const ApplicationSettings& settings);

/// "accepted", "documents_checked", "site_surveyed", "work_done", "closed" ("unspecified").
std::string_view StageName(v1::ApplicationStage stage);
/// "site_survey", "installation", "meter_check" ("unspecified").
std::string_view VisitName(v1::VisitKind visit);
/// What the customer reads when `kind` reaches `stage` (zh-CN and en).
v1::LocalizedText StageDescription(v1::ServiceApplicationKind kind, v1::ApplicationStage stage);
/// The visit in the customer's words, e.g. "现场勘查" / "site survey".
v1::LocalizedText VisitDescription(v1::ServiceApplicationKind kind, v1::VisitKind visit);

/// The application's clocks at acceptance: `completion` (the ticket's APPLICATION_COMPLETION or
/// METER_DISPUTE_RESULT clock, copied; when null one is made from `completion_days`) plus one
/// KIND_APPLICATION_STAGE clock per intermediate stage of the kind (documents checked, site
/// surveyed), each `stage` named and due by WorkingCalendar::Deadline from `accepted_at`.
std::vector<v1::ServiceClock> ApplicationClocks(v1::ServiceApplicationKind kind,
                                                core::TimePoint accepted_at,
                                                const v1::ServiceClock* completion,
                                                int completion_days,
                                                const ApplicationSettings& settings,
                                                const sla::WorkingCalendar& calendar);

/// The clock that times reaching `stage`: the stage clock of that name, or the completion clock
/// (APPLICATION_COMPLETION / METER_DISPUTE_RESULT) for WORK_DONE. nullptr when there is none.
const v1::ServiceClock* ClockOfStage(
    const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks, v1::ApplicationStage stage);
/// The deadline a visit's booking aims at: the clock of the stage it reaches.
std::optional<core::TimePoint> VisitDeadline(
    const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks, v1::VisitKind visit);

/// Records `stage` as reached at `at` by `work_order_id` (may be empty) and meets its clock and
/// the clocks of earlier stages not met yet. Idempotent: false, and nothing changed, when the
/// application already reached it. With `with_skipped`, earlier stages of the kind not reached
/// yet are reached with it (documents checked on site during the survey: 一证受理).
bool ReachStage(v1::Application& application,
                google::protobuf::RepeatedPtrField<v1::ServiceClock>* clocks,
                v1::ApplicationStage stage, core::TimePoint at, const std::string& work_order_id,
                bool with_skipped = true);
/// Whether the application reached `stage`.
bool HasReached(const v1::Application& application, v1::ApplicationStage stage);

/// Stops the clocks (documents missing). INVALID_ARGUMENT when the reason or the missing
/// documents are empty; FAILED_PRECONDITION when already stopped or the work is done.
core::Status StopClocks(v1::Application& application, v1::ClockStop stop);
/// Starts the stopped clocks again at `resumed_at`: every unmet working-day clock is due the
/// working days the stop lasted later (a started working day counts whole, so the customer never
/// loses time; a stop within one non-working stretch counts 0), its limit_working_days grows by
/// as much (a calendar reload keeps the extension). Returns the days; 0 and nothing changed when
/// the clocks were not stopped.
int ResumeClocks(v1::Application& application,
                 google::protobuf::RepeatedPtrField<v1::ServiceClock>* clocks,
                 core::TimePoint resumed_at, const sla::WorkingCalendar& calendar);

/// What dispatch knows of the crew holding a booked visit.
struct CrewSituation {
  bool on_roster = true;
  bool reachable = true;       ///< not UNREACHABLE
  bool on_fault_work = false;  ///< holds an open repair order
};

/// Why a booked visit must be booked again now, or nullopt. Only a visit not yet under way
/// (assigned or accepted) moves: when its crew left the roster or stopped reporting, or holds
/// fault work less than `rebook_lead` before the visit's start (fault repair outranks
/// appointments).
std::optional<std::string> RebookReason(const v1::WorkOrder& visit, const CrewSituation& crew,
                                        core::TimePoint now, const ApplicationSettings& settings);

/// The reminders due for a booked visit at `now` ("crew", "customer"), not yet in
/// application.reminded: from reminder_before ahead of the start until the start. None for a
/// visit under way or without a booking, or when reminder_before is zero.
std::vector<std::string> RemindersDue(const v1::WorkOrder& visit, core::TimePoint now,
                                      const ApplicationSettings& settings);

/// The booking of appointment work `order` as FindSlots sees it (kind kAppointment), or nullopt
/// when it is not booked.
std::optional<Booking> BookingOf(const v1::WorkOrder& order);

}  // namespace gridcare::dispatch
