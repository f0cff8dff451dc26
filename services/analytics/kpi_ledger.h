#pragma once

// KpiLedger: what one event changes in the figures analytics keeps (pure, no I/O). Every KPI of
// docs/services/analytics.md is a ratio of counters kept per local day × one dimension, so a
// period is the sum of its days and any KPI can be recomputed for any period. The ledger turns
// an event (plus what analytics remembers of the tickets it names) into Effects; the store applies
// them at most once per event (analytics_store.h). Nothing here reads a clock: every figure is
// dated by the time the event itself carries, so replaying the log reaches the same figures.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/sla/calendar.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/notification.pb.h"

namespace gridcare::analytics {

/// The dimensions a figure is kept by, besides the total: one at a time (a figure per day × one
/// dimension value), so a query filters on at most one. Empty: not known for this figure.
struct Dimensions {
  std::string district;    ///< the address's district (工单 location, case district)
  std::string channel;     ///< "hotline_agent", "wechat", … (labels::EnumLabel)
  std::string type;        ///< request type: "fault_repair", "complaint", …
  std::string area_class;  ///< "urban", "rural", "remote"
  std::string unit;        ///< supply office (complaint cases)
  std::string department;  ///< owning department (complaint cases)
  bool operator==(const Dimensions&) const = default;
};

/// The counters (hash field names). Sums are integers: seconds, or working days × 1000.
namespace metric {
inline constexpr const char* kContacts = "contacts";
inline constexpr const char* kTickets = "tickets";
inline constexpr const char* kResolved = "resolved";
inline constexpr const char* kResolvedTimely = "resolved_timely";
inline constexpr const char* kHandlingMilliDays = "handling_mwd";  // working days × 1000
inline constexpr const char* kFirstContactResolved = "fcr";
inline constexpr const char* kUrgings = "urgings";
inline constexpr const char* kIncidents = "incidents";
inline constexpr const char* kArrivals = "arrivals";
inline constexpr const char* kArrivalsWithinLimit = "arrivals_within";
inline constexpr const char* kArrivalSeconds = "arrival_s";
inline constexpr const char* kRestorations = "restorations";
inline constexpr const char* kRestorationSeconds = "restoration_s";
inline constexpr const char* kOverdue = "overdue";
inline constexpr const char* kComplaints = "complaints";
inline constexpr const char* kCasesClosed = "cases_closed";
inline constexpr const char* kReopened = "reopened";
inline constexpr const char* kReturnVisits = "visits";
inline constexpr const char* kSatisfied = "satisfied";
inline constexpr const char* kScoredVisits = "scored_visits";
inline constexpr const char* kScoreSum = "score_sum";
inline constexpr const char* kNotificationsSent = "notices_sent";
inline constexpr const char* kNotificationsDelivered = "notices_delivered";
}  // namespace metric

/// `delta` added to `metric` on local day `day` (hour_index.h: days since 1970-01-01, UTC+8), in
/// the total and under each known dimension.
struct CounterIncrement {
  int32_t day = 0;
  std::string metric;
  int64_t delta = 1;
  Dimensions dims;
  bool operator==(const CounterIncrement&) const = default;
};

/// One more request of `series` (e.g. "complaint/billing") in `area` (a district) in local hour
/// `hour` (hour_index.h): what surge detection counts.
struct SeriesIncrement {
  std::string series;
  std::string area;
  int64_t hour = 0;
  bool operator==(const SeriesIncrement&) const = default;
};

/// A request's text, for keyword hotspots and example tickets (kept masked and short).
struct TextSample {
  std::string series;
  std::string area;
  int32_t day = 0;
  std::string ticket_id;
  std::string text;  ///< personal data: never logged
};

/// What analytics remembers of a ticket to judge its resolution later. Derived from the log
/// (TicketOpened, ContactAdded), so a rebuild remembers the same.
struct TicketMemo {
  int64_t opened_ms = 0;
  int64_t due_ms = 0;  ///< the latest deadline of the ticket's clocks; 0: none
  Dimensions dims;     ///< district, channel, type, area_class
  std::string series;  ///< what surge detection counted it as
  int32_t contacts = 1;
  bool resolved = false;
  bool operator==(const TicketMemo&) const = default;
};

/// What one event changes. The store applies all of it, or none, once per event id.
struct Effects {
  std::vector<CounterIncrement> counters;
  std::vector<SeriesIncrement> series;
  std::vector<TextSample> texts;
  /// Tickets whose memo is written (whole).
  std::map<std::string, TicketMemo> tickets;
  /// "<district>|<day>": a known outage in the district that day (left out of fault baselines).
  std::vector<std::string> outage_days;
  /// Incidents now open in a district (incident id, district): fault surges there are explained.
  std::vector<std::pair<std::string, std::string>> open_incidents;
  /// Incidents no longer open (restored, cancelled, merged).
  std::vector<std::string> closed_incidents;
  /// Risk warnings whose state is written (alert id → serialized v1::StoredWarning): from the
  /// alert topic (WarningBook::Apply), not from the ledger.
  std::map<std::string, std::string> warnings;
  /// The event named a ticket analytics does not know (opened before its history began).
  bool unmatched = false;
  bool empty() const {
    return counters.empty() && series.empty() && texts.empty() && tickets.empty() &&
           outage_days.empty() && open_incidents.empty() && closed_incidents.empty() &&
           warnings.empty();
  }
};

/// The field a counter is kept under: "tickets" (the total) or "tickets|district=天河区".
std::string FieldName(std::string_view metric, std::string_view dimension = {},
                      std::string_view value = {});
/// Every field an increment adds to: the total and one per known dimension.
std::vector<std::string> FieldsOf(const CounterIncrement& increment);
/// The dimension names, as FieldName takes them.
inline constexpr std::array<std::string_view, 6> kDimensionNames = {
    "district", "channel", "type", "area_class", "unit", "department"};

/// The memos of the tickets an event names (absent: unknown).
using TicketMemos = std::map<std::string, TicketMemo>;

/// "complaint/billing": the request type's label, and the matter when the classifier named one.
std::string SeriesName(v1::RequestType type, const std::string& category);

/// Translates events into Effects. Thread-safe (const); `calendar` must outlive it.
class KpiLedger {
 public:
  explicit KpiLedger(const sla::WorkingCalendar& calendar) : calendar_(calendar) {}

  /// The tickets whose memos Intake/Dispatch need (empty: none).
  static std::vector<std::string> TicketsNamed(const v1::IntakeEvent& event);
  static std::vector<std::string> TicketsNamed(const v1::DispatchEvent& event);

  Effects Intake(const v1::IntakeEvent& event, const TicketMemos& memos) const;
  Effects Dispatch(const v1::DispatchEvent& event, const TicketMemos& memos) const;
  Effects Complaint(const v1::ComplaintEvent& event) const;
  Effects Notification(const v1::NotificationEvent& event) const;

  /// The local day (hour_index.h's day index) of a Unix-millisecond instant.
  static int32_t LocalDay(int64_t unix_ms);
  /// The local hour index of a Unix-millisecond instant.
  static int64_t LocalHour(int64_t unix_ms);

 private:
  Effects TicketOpened(const v1::Ticket& ticket) const;
  Effects ContactAdded(const v1::ContactAdded& contact, const TicketMemos& memos) const;
  Effects ConsultationAnswered(const v1::ConsultationAnswered& answered) const;
  Effects StateChanged(const v1::TicketStateChanged& changed, const TicketMemos& memos) const;
  Effects IncidentRestored(const v1::Incident& incident) const;
  void MarkOutage(const std::string& incident_id, const std::vector<std::string>& ticket_ids,
                  const TicketMemos& memos, Effects& out) const;

  const sla::WorkingCalendar& calendar_;
};

}  // namespace gridcare::analytics
