#pragma once

// When the notification service says something, to whom, with which template (issue 14): one
// input event in, the notification intents it causes out. Pure: no I/O, no clock (`now` comes
// in), no recipient lookup — an intent names its recipients by what the event knows (a customer
// id, a ticket, a request, a feeder or transformer area, a staff id) and the service resolves
// them to people, languages and channels. Configured by config/triggers.json, checked against the
// template catalogue at start (config/README.md, section "triggers.json").
//
// Idempotency under redelivery:
//  - OnDispatch is gated by its IncidentMemo: fed the same event again with the memo it returned
//    the first time, it returns no intents (an announcement is made once per incident). The
//    service must store the returned memo only after the intents are durably queued.
//  - OnIntake, OnComplaint and OnAlert return the same intents again for the same event; the
//    service de-duplicates them by notification id (source event id + recipient + template +
//    discriminator).
//  - OnDispatch's service-application triggers (appointment.*, application.*) need no memo and
//    are de-duplicated by notification id too, but theirs is derived from what the message is
//    about, not from the event that carried it (NotificationIntent::source_key): a booking is
//    told once per (visit work order, booking_count), whether the same event is redelivered or
//    dispatch publishes the booking again under another event id.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "etr_policy.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/alert.pb.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "placeholders.h"
#include "template_catalogue.h"
#include "trigger_memo.h"

namespace gridcare::notification {

/// Who receives an intent, as the event names them. (Called Recipients rather than Audience:
/// template_catalogue.h's Audience says whom a template is written for.)
struct Recipients {
  enum class Kind {
    /// `customer_id`: a known customer (profile).
    kCustomer,
    /// `request_id`: whoever sent that request, an unidentified caller. No event carries a phone
    /// number (intake.proto's Ticket has none; RequestRejected names only the request), so the
    /// service resolves it from the ServiceRequest it consumed on gridcare.requests.v1
    /// (callback_phone, else the phone identity) and never logs it.
    kRequester,
    /// `ticket_id`: the customer of that ticket, or its requester when the ticket is
    /// unidentified (the service keeps ticket id → customer id / request id from ticket_opened).
    /// Dispatch's TicketAttached and the tickets of single-customer incidents name no customer.
    kTicket,
    /// Every customer supplied by `feeder_ids` or `transformer_ids`, with one of `only_tags`
    /// (empty: any) and none of `except_tags`. Incidents: a transformer incident its transformer
    /// area; a feeder incident, a roll-up (the feeder incident itself: "the whole feeder is out")
    /// and a substation incident the feeder named in its supply point. Planned outages: the
    /// transformer area when the scope names one, else the feeder.
    kSupply,
    /// `staff_id`: an id of the staff directory — a handler, a department, or a role the service
    /// resolves to people ("department-head", "service-dispatch-centre").
    kStaff,
  };

  Kind kind = Kind::kCustomer;
  std::string customer_id;
  std::string request_id;
  std::string ticket_id;
  std::vector<std::string> feeder_ids;
  std::vector<std::string> transformer_ids;
  std::vector<v1::CustomerTag> only_tags;
  std::vector<v1::CustomerTag> except_tags;
  std::string staff_id;
  /// kStaff: the event's display name for the recipient (complaint's must_act), a fallback for
  /// {staff_name} when the staff directory has none; may be empty.
  std::string staff_display_name;
  /// The language the recipient used with us when the event says so (a ticket's); unspecified:
  /// the service uses the profile's preference.
  v1::Language language = v1::LANGUAGE_UNSPECIFIED;

  bool operator==(const Recipients&) const = default;
};

/// Placeholders the rules never fill: the service adds them for each resolved recipient.
///  - customer templates (every customer trigger except ticket.opened, ticket.answered,
///    ticket.rejected and the service-application triggers appointment.* and application.*,
///    whose recipient may be an unidentified caller or applicant with no profile):
///    {address} the customer's profile address (the ticket's location for an unidentified
///    caller), and {area} the customer's locality (the street or village of that address) —
///    events name devices by id only ("TA-0001-03-012"), which is no text for a customer;
///  - staff templates: {staff_name} from the staff directory, else
///    Recipients::staff_display_name.
inline constexpr std::array<std::string_view, 2> kCustomerRecipientPlaceholders = {"address",
                                                                                   "area"};
inline constexpr std::array<std::string_view, 1> kStaffRecipientPlaceholders = {"staff_name"};

/// One message to queue for (each of) the recipients.
struct NotificationIntent {
  std::string trigger;      ///< the triggers.json name, e.g. "incident.opened" (logs, metrics)
  std::string template_id;  ///< a template of the catalogue the rules were loaded with
  std::string subject_id;   ///< ticket / incident / planned outage / case / alert id (request id
                            ///< for a rejection)
  Recipients recipients;
  /// Every placeholder of the template except the per-recipient ones above.
  PlaceholderValues values;
  bool proactive = false;  ///< fan-out to a supply area: sent before the customer asked
  /// Not to be sent before this (planned-outage notices, the return-visit notice).
  std::optional<core::TimePoint> not_before;
  /// The ETR of an outage message, for quiet hours ("restoration imminent").
  std::optional<core::TimePoint> restoration_expected_at;
  /// Part of the notification id: always the trigger name, so two triggers of one event never
  /// share an id even when configured with the same template. The service passes
  /// "<source event id>/<discriminator>" as NotificationId's source event id.
  std::string discriminator;
  /// When set, stands for the source event id in the notification id ("<source_key>/
  /// <discriminator>"): the message is one message whichever event carries it. Appointments:
  /// "appointment:<work order id>#<booking_count>", so a booking is told once per booking even
  /// when dispatch publishes it again under another event id. Empty: the input's event id.
  std::string source_key;
};

/// Queued, unsent notifications the service drops before queuing an outcome's intents.
struct Withdrawal {
  std::string subject_id;
  std::string template_id;  ///< empty: every template of the subject

  bool operator==(const Withdrawal&) const = default;
};

struct TriggerOutcome {
  std::vector<NotificationIntent> intents;
  /// A planned outage moved or cancelled (its earlier notices must not go out), a return visit
  /// made or a case closed (the return-visit notice is moot).
  std::vector<Withdrawal> withdrawals;
};

struct DispatchOutcome : TriggerOutcome {
  IncidentMemo memo;  ///< to store under MemoKey(event), after the intents are queued
};

struct ComplaintOutcome : TriggerOutcome {
  CaseMemo memo;  ///< to store under the case id
};

/// The triggers, in the order of config/triggers.json.
enum class Trigger {
  kTicketOpened,
  kTicketAnswered,
  kTicketRejected,
  kTicketAttached,
  kTicketAttachedPlanned,
  kIncidentOpened,
  kIncidentLifeSupport,
  kIncidentEtrChanged,
  kIncidentCrewOnSite,
  kIncidentRestored,
  kPlannedOutageNotice,
  kPlannedOutageReminder,
  kPlannedOutageCancelled,
  kComplaintContacted,
  kComplaintReplied,
  kComplaintReturnVisitDue,
  kComplaintReminder,
  kComplaintSupervision,
  kAlertRiskWarning,
  kAppointmentBooked,
  kAppointmentRebooked,
  kAppointmentReminder,
  kApplicationClockStopped,
  kApplicationClockResumed,
  kApplicationWorkDone,
};
inline constexpr size_t kTriggerCount = 25;
static_assert(static_cast<size_t>(Trigger::kApplicationWorkDone) + 1 == kTriggerCount);

/// "ticket.opened", "incident.etr_changed", … as triggers.json names them.
std::string_view TriggerName(Trigger trigger);
/// Every trigger, in enum order.
std::span<const Trigger> AllTriggers();

/// One trigger's settings as loaded (defaults in config/README.md). Fields a trigger does not
/// read keep their defaults.
struct TriggerSettings {
  bool enabled = false;
  std::string template_id;
  /// ticket.attached, incident.opened, incident.life_support: "template_without_etr";
  /// alert.risk_warning: "other_kinds_template" (every kind but SURGE);
  /// application.work_done: "new_connection_template" (a new connection's meter installed and
  /// supply connected; empty: `template_id` for every kind). Empty: none.
  std::string fallback_template_id;
  std::vector<v1::RequestType> request_types;  ///< ticket.opened: types whose callers are told
  std::vector<v1::Channel> channels;           ///< ticket.opened, ticket.rejected
  std::vector<v1::RejectionReason> reasons;    ///< ticket.rejected
  std::vector<v1::IncidentLevel> levels;       ///< incident.*: levels announced
  std::vector<v1::CustomerTag> tags;           ///< incident.life_support, planned_outage.reminder
  /// planned_outage.notice / .reminder: before the start; complaint.return_visit_due: after the
  /// reply.
  core::Duration lead{};
  /// complaint.return_visit_due: the visit is promised within this of the reply;
  /// complaint.supervision: the supervised party must act within this of the alarm.
  core::Duration window{};
  std::vector<v1::RequestType> no_visit_types;                      ///< complaint.return_visit_due
  v1::AlertSeverity min_severity = v1::ALERT_SEVERITY_UNSPECIFIED;  ///< alert.risk_warning
  std::string default_role;  ///< alert.risk_warning: when the warning names no responsible role
};

/// Immutable after FromJson; every method is const and safe to call from several threads.
class TriggerRules {
 public:
  /// triggers.json (config/README.md). `etr` is delivery-policy.json's "etr" (margin and cap of
  /// ETR updates live there, in one place). Errors are INVALID_ARGUMENT "triggers.json: ...",
  /// naming the trigger, key, template and placeholder, e.g.
  ///   triggers.json: unknown trigger "incident.started" (known: ticket.opened, ...)
  ///   triggers.json: missing trigger "alert.risk_warning" (write {"enabled": false} to turn it
  ///   off)
  ///   triggers.json: "incident.opened": unknown key "lead_hours" (known: enabled, template, ...)
  ///   triggers.json: "incident.opened": "template" is required when the trigger is enabled
  ///   triggers.json: "incident.opened.template": unknown template "outage.strated"
  ///   triggers.json: "complaint.reminder.template": "complaint.contacted" is a customer
  ///   template, and trigger "complaint.reminder" messages staff
  ///   triggers.json: "incident.opened.template": "outage.restored" needs {restored_at}, which
  ///   trigger "incident.opened" cannot supply (it supplies cause, etr, incident_id; the service
  ///   adds address, area)
  ///   triggers.json: "ticket.opened.channels[2]" must be one of HOTLINE_IVR, ..., got "FAX"
  ///   triggers.json: "ticket.opened.channels[3]": "SMS" is listed twice
  static core::Result<TriggerRules> FromJson(std::string_view json,
                                             const TemplateCatalogue& catalogue,
                                             const EtrSettings& etr = {});

  const TriggerSettings& settings(Trigger trigger) const {
    return settings_[static_cast<size_t>(trigger)];
  }
  const EtrSettings& etr() const { return etr_; }

  /// The name the complaint messages give department `department_id`: triggers.json's
  /// "department_names", else the label of `fallback` (the coarse enum), else the id itself.
  v1::LocalizedText DepartmentName(std::string_view department_id, v1::Department fallback) const;

  /// ticket.opened, ticket.answered, ticket.rejected. Other intake events: none.
  TriggerOutcome OnIntake(const v1::IntakeEvent& event, core::TimePoint now) const;

  /// ticket.attached(_planned), incident.*, planned_outage.*, with the memo of MemoKey(event)
  /// (a default memo when it has none). For events whose MemoKey is empty, pass a default memo:
  /// it comes back unchanged. Service applications by appointment (appointment.booked,
  /// appointment.rebooked, appointment.reminder, application.clock_stopped / _resumed,
  /// application.work_done) use no memo: their intents carry a source_key instead.
  DispatchOutcome OnDispatch(const v1::DispatchEvent& event, const IncidentMemo& memo,
                             core::TimePoint now) const;

  /// complaint.*, with the memo of the event's case (CaseId(event)).
  ComplaintOutcome OnComplaint(const v1::ComplaintEvent& event, const CaseMemo& memo,
                               core::TimePoint now) const;

  /// alert.risk_warning for RiskWarningRaised; nothing for RiskWarningCleared.
  TriggerOutcome OnAlert(const v1::AlertEvent& event, core::TimePoint now) const;

  /// The incident or planned outage whose memo OnDispatch needs for `event`: incident events →
  /// the incident id, a queued work order → its incident id, a planned outage registration →
  /// the planned outage id; "" for every other event (no memo needed).
  static std::string MemoKey(const v1::DispatchEvent& event);
  /// The case id of any complaint event ("" when unset).
  static std::string CaseId(const v1::ComplaintEvent& event);

 private:
  TriggerSettings& mutable_settings(Trigger trigger) {
    return settings_[static_cast<size_t>(trigger)];
  }

  friend class TriggerConfigReader;

  std::array<TriggerSettings, kTriggerCount> settings_;
  EtrSettings etr_;
  std::vector<std::pair<std::string, v1::LocalizedText>> department_names_;
};

}  // namespace gridcare::notification
