#include "kpi_ledger.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cmath>

#include "gridcare/core/clock.h"
#include "gridcare/labels/labels.h"
#include "hour_index.h"

namespace gridcare::analytics {
namespace {

using google::protobuf::util::TimeUtil;

int64_t Millis(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMilliseconds(t);
}

std::string TypeLabel(v1::RequestType type) {
  return labels::EnumLabel(v1::RequestType_Name(type), "REQUEST_TYPE_");
}
std::string ChannelLabel(v1::Channel channel) {
  return labels::EnumLabel(v1::Channel_Name(channel), "CHANNEL_");
}
std::string AreaClassLabel(v1::AreaClass area_class) {
  return area_class == v1::AREA_CLASS_UNSPECIFIED
             ? std::string()
             : labels::EnumLabel(v1::AreaClass_Name(area_class), "AREA_CLASS_");
}

/// A district as a key part: '|' separates key parts, so it never appears inside one.
std::string DistrictOf(const v1::Address& address) {
  std::string district = address.district();
  std::replace(district.begin(), district.end(), '|', '/');
  return district;
}

/// The latest deadline of a set of clocks (the ticket's whole-process limit); 0 when none.
int64_t LatestDue(const google::protobuf::RepeatedPtrField<v1::ServiceClock>& clocks) {
  int64_t due = 0;
  for (const auto& clock : clocks) {
    if (clock.has_due_at()) due = std::max(due, Millis(clock.due_at()));
  }
  return due;
}

/// When the customer made contact: the channel's receipt time when given and not after `accepted`
/// (a channel clock ahead of ours is not believed), else when intake accepted it.
int64_t ContactTime(const google::protobuf::Timestamp& received, int64_t accepted) {
  if (received.seconds() <= 0) return accepted;
  return std::min(Millis(received), accepted);
}

/// The area surge detection counts a request in: its district, "unknown" when it has none.
std::string AreaOf(const std::string& district) { return district.empty() ? "unknown" : district; }

void Count(Effects& out, int32_t day, const char* name, const Dimensions& dims, int64_t delta = 1) {
  out.counters.push_back(CounterIncrement{day, name, delta, dims});
}

}  // namespace

std::string SeriesName(v1::RequestType type, const std::string& category) {
  std::string name = TypeLabel(type);
  if (!category.empty()) {
    std::string matter = category;
    std::replace(matter.begin(), matter.end(), '|', '/');
    name += "/" + matter;
  }
  return name;
}

std::string FieldName(std::string_view metric, std::string_view dimension, std::string_view value) {
  std::string field(metric);
  if (!dimension.empty()) {
    field += '|';
    field += dimension;
    field += '=';
    // '|' separates a field's parts: a value holding one is kept (and asked for) with '/'.
    for (char c : value) field += c == '|' ? '/' : c;
  }
  return field;
}

std::vector<std::string> FieldsOf(const CounterIncrement& increment) {
  std::vector<std::string> fields = {FieldName(increment.metric)};
  const auto& d = increment.dims;
  const std::array<const std::string*, 6> values = {&d.district,   &d.channel, &d.type,
                                                    &d.area_class, &d.unit,    &d.department};
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i]->empty())
      fields.push_back(FieldName(increment.metric, kDimensionNames[i], *values[i]));
  }
  return fields;
}

int32_t KpiLedger::LocalDay(int64_t unix_ms) {
  return static_cast<int32_t>(DayOf(LocalHour(unix_ms)));
}

int64_t KpiLedger::LocalHour(int64_t unix_ms) { return HourIndexOf(core::FromUnixMillis(unix_ms)); }

std::vector<std::string> KpiLedger::TicketsNamed(const v1::IntakeEvent& event) {
  switch (event.event_case()) {
    case v1::IntakeEvent::kContactAdded:
      return {event.contact_added().ticket_id()};
    case v1::IntakeEvent::kTicketStateChanged:
      return {event.ticket_state_changed().ticket_id()};
    default:
      return {};
  }
}

std::vector<std::string> KpiLedger::TicketsNamed(const v1::DispatchEvent& event) {
  switch (event.event_case()) {
    case v1::DispatchEvent::kIncidentOpened: {
      const auto& ids = event.incident_opened().incident().ticket_ids();
      return {ids.begin(), ids.end()};
    }
    case v1::DispatchEvent::kIncidentRolledUp: {
      const auto& ids = event.incident_rolled_up().incident().ticket_ids();
      return {ids.begin(), ids.end()};
    }
    case v1::DispatchEvent::kTicketAttached:
      return {event.ticket_attached().ticket_id()};
    default:
      return {};
  }
}

Effects KpiLedger::Intake(const v1::IntakeEvent& event, const TicketMemos& memos) const {
  switch (event.event_case()) {
    case v1::IntakeEvent::kTicketOpened:
      return TicketOpened(event.ticket_opened().ticket());
    case v1::IntakeEvent::kContactAdded:
      return ContactAdded(event.contact_added(), memos);
    case v1::IntakeEvent::kConsultationAnswered:
      return ConsultationAnswered(event.consultation_answered());
    case v1::IntakeEvent::kTicketStateChanged:
      return StateChanged(event.ticket_state_changed(), memos);
    default:
      // Rejections carry no time of their own to date them by: intake's own counter
      // (gridcare_intake_rejections_total) is their figure. Clock changes move deadlines of
      // open tickets only provisionally; the memo keeps the deadline the ticket opened with.
      return {};
  }
}

Effects KpiLedger::TicketOpened(const v1::Ticket& ticket) const {
  Effects out;
  TicketMemo memo;
  memo.opened_ms = Millis(ticket.opened_at());
  memo.due_ms = LatestDue(ticket.clocks());
  memo.dims.district = DistrictOf(ticket.location());
  memo.dims.channel = ChannelLabel(ticket.channel());
  memo.dims.type = TypeLabel(ticket.type());
  memo.dims.area_class = AreaClassLabel(ticket.area_class());
  memo.series = SeriesName(ticket.type(), ticket.classification().category());
  memo.contacts = std::max(1, ticket.contact_count());
  // Requests are dated by when the customer made contact; the ticket's handling time by when it
  // was accepted (its clocks start then).
  const int64_t contacted = ContactTime(ticket.received_at(), memo.opened_ms);
  const int32_t day = LocalDay(contacted);
  Count(out, day, metric::kContacts, memo.dims);
  Count(out, day, metric::kTickets, memo.dims);
  // A meter's last gasp is evidence of an outage, not a customer asking: not a request surge.
  if (ticket.channel() != v1::CHANNEL_METER_HEAD_END) {
    out.series.push_back({memo.series, AreaOf(memo.dims.district), LocalHour(contacted)});
    if (!ticket.text().empty()) {
      out.texts.push_back(
          {memo.series, AreaOf(memo.dims.district), day, ticket.ticket_id(), ticket.text()});
    }
  }
  out.tickets.emplace(ticket.ticket_id(), std::move(memo));
  return out;
}

Effects KpiLedger::ContactAdded(const v1::ContactAdded& contact, const TicketMemos& memos) const {
  Effects out;
  const auto found = memos.find(contact.ticket_id());
  Dimensions dims;
  if (found != memos.end()) dims = found->second.dims;
  dims.channel = ChannelLabel(contact.channel());  // the channel this contact came through
  const int32_t day = LocalDay(Millis(contact.received_at()));
  Count(out, day, metric::kContacts, dims);
  if (contact.urging()) Count(out, day, metric::kUrgings, dims);
  if (found == memos.end()) {
    out.unmatched = true;
    return out;
  }
  TicketMemo memo = found->second;
  memo.contacts = std::max(memo.contacts + 1, contact.contact_count());
  out.tickets.emplace(contact.ticket_id(), std::move(memo));
  return out;
}

Effects KpiLedger::ConsultationAnswered(const v1::ConsultationAnswered& answered) const {
  Effects out;
  Dimensions dims;
  dims.district = DistrictOf(answered.location());
  dims.channel = ChannelLabel(answered.channel());
  dims.type = TypeLabel(v1::REQUEST_TYPE_CONSULTATION);
  dims.area_class = AreaClassLabel(answered.area_class());
  const int64_t at = Millis(answered.answered_at());
  const int64_t contacted = ContactTime(answered.received_at(), at);
  const int32_t day = LocalDay(contacted);
  // Answered in the contact itself: a ticket opened and resolved at once, on time, on the day the
  // customer asked.
  for (const char* name :
       {metric::kContacts, metric::kTickets, metric::kResolved, metric::kResolvedTimely}) {
    Count(out, day, name, dims);
  }
  if (answered.first_contact_resolution()) Count(out, day, metric::kFirstContactResolved, dims);
  const std::string series =
      SeriesName(v1::REQUEST_TYPE_CONSULTATION, answered.classification().category());
  out.series.push_back({series, AreaOf(dims.district), LocalHour(contacted)});
  if (!answered.text().empty()) {
    out.texts.push_back(
        {series, AreaOf(dims.district), day, answered.ticket_id(), answered.text()});
  }
  return out;
}

Effects KpiLedger::StateChanged(const v1::TicketStateChanged& changed,
                                const TicketMemos& memos) const {
  Effects out;
  const auto state = changed.state();
  const bool resolving = state == v1::TICKET_STATE_RESOLVED || state == v1::TICKET_STATE_CLOSED ||
                         state == v1::TICKET_STATE_ANSWERED;
  const bool cancelling = state == v1::TICKET_STATE_CANCELLED;
  if (!resolving && !cancelling) return out;
  const auto found = memos.find(changed.ticket_id());
  if (found == memos.end()) {
    out.unmatched = true;
    return out;
  }
  TicketMemo memo = found->second;
  if (memo.resolved) return out;  // resolved, then closed after the return visit: counted once
  memo.resolved = true;
  if (resolving) {
    const int64_t at = Millis(changed.changed_at());
    const int32_t day = LocalDay(at);
    Count(out, day, metric::kResolved, memo.dims);
    if (memo.due_ms == 0 || at <= memo.due_ms) Count(out, day, metric::kResolvedTimely, memo.dims);
    const double days = calendar_.WorkingDaysBetween(
        core::FromUnixMillis(memo.opened_ms), core::FromUnixMillis(std::max(at, memo.opened_ms)));
    Count(out, day, metric::kHandlingMilliDays, memo.dims, std::llround(days * 1000.0));
    if (memo.contacts <= 1) Count(out, day, metric::kFirstContactResolved, memo.dims);
  }
  out.tickets.emplace(changed.ticket_id(), std::move(memo));
  return out;
}

void KpiLedger::MarkOutage(const std::string& incident_id,
                           const std::vector<std::string>& ticket_ids, const TicketMemos& memos,
                           Effects& out) const {
  for (const auto& ticket_id : ticket_ids) {
    const auto found = memos.find(ticket_id);
    if (found == memos.end()) continue;
    const std::string area = AreaOf(found->second.dims.district);
    out.open_incidents.emplace_back(incident_id, area);
    out.outage_days.push_back(area + "|" + std::to_string(LocalDay(found->second.opened_ms)));
  }
  std::sort(out.outage_days.begin(), out.outage_days.end());
  out.outage_days.erase(std::unique(out.outage_days.begin(), out.outage_days.end()),
                        out.outage_days.end());
  std::sort(out.open_incidents.begin(), out.open_incidents.end());
  out.open_incidents.erase(std::unique(out.open_incidents.begin(), out.open_incidents.end()),
                           out.open_incidents.end());
}

Effects KpiLedger::Dispatch(const v1::DispatchEvent& event, const TicketMemos& memos) const {
  Effects out;
  switch (event.event_case()) {
    case v1::DispatchEvent::kIncidentOpened: {
      const auto& incident = event.incident_opened().incident();
      Dimensions dims;
      dims.area_class = AreaClassLabel(incident.area_class());
      Count(out, LocalDay(Millis(incident.opened_at())), metric::kIncidents, dims);
      MarkOutage(incident.incident_id(), TicketsNamed(event), memos, out);
      break;
    }
    case v1::DispatchEvent::kIncidentRolledUp: {
      const auto& rolled = event.incident_rolled_up();
      MarkOutage(rolled.incident().incident_id(), TicketsNamed(event), memos, out);
      out.closed_incidents.assign(rolled.merged_incident_ids().begin(),
                                  rolled.merged_incident_ids().end());
      break;
    }
    case v1::DispatchEvent::kTicketAttached: {
      const auto& attached = event.ticket_attached();
      if (!attached.incident_id().empty()) {
        MarkOutage(attached.incident_id(), {attached.ticket_id()}, memos, out);
      }
      break;
    }
    case v1::DispatchEvent::kIncidentUpdated: {
      const auto& incident = event.incident_updated().incident();
      if (incident.state() == v1::INCIDENT_STATE_CANCELLED ||
          incident.state() == v1::INCIDENT_STATE_MERGED) {
        out.closed_incidents.push_back(incident.incident_id());
      }
      break;
    }
    case v1::DispatchEvent::kIncidentRestored:
      return IncidentRestored(event.incident_restored().incident());
    case v1::DispatchEvent::kClockAlarm: {
      const auto& alarm = event.clock_alarm();
      // The first rung after the deadline: one breach per clock.
      if (alarm.overdue() && alarm.ladder_step() == 1 && alarm.clock().has_due_at()) {
        Count(out, LocalDay(Millis(alarm.clock().due_at())), metric::kOverdue, {});
      }
      break;
    }
    default:
      break;
  }
  return out;
}

Effects KpiLedger::IncidentRestored(const v1::Incident& incident) const {
  Effects out;
  out.closed_incidents.push_back(incident.incident_id());
  if (!incident.has_restored_at()) return out;
  const int64_t restored = Millis(incident.restored_at());
  const int32_t day = LocalDay(restored);
  Dimensions dims;
  dims.area_class = AreaClassLabel(incident.area_class());
  for (const auto& clock : incident.clocks()) {
    if (clock.kind() != v1::ServiceClock::KIND_ARRIVAL || !clock.has_met_at()) continue;
    const int64_t started = Millis(clock.starts_at());
    const int64_t arrived = Millis(clock.met_at());
    Count(out, day, metric::kArrivals, dims);
    Count(out, day, metric::kArrivalSeconds, dims, std::max<int64_t>(0, arrived - started) / 1000);
    if (!clock.has_due_at() || arrived <= Millis(clock.due_at())) {
      Count(out, day, metric::kArrivalsWithinLimit, dims);
    }
  }
  if (incident.has_opened_at()) {
    Count(out, day, metric::kRestorations, dims);
    Count(out, day, metric::kRestorationSeconds, dims,
          std::max<int64_t>(0, restored - Millis(incident.opened_at())) / 1000);
  }
  return out;
}

Effects KpiLedger::Complaint(const v1::ComplaintEvent& event) const {
  Effects out;
  auto dims_of = [](const v1::ComplaintCase& c) {
    Dimensions dims;
    std::string district = c.district();
    std::replace(district.begin(), district.end(), '|', '/');
    dims.district = std::move(district);
    dims.type = TypeLabel(c.request_type());
    dims.unit = c.unit_id();
    dims.department = c.department_id();
    return dims;
  };
  switch (event.event_case()) {
    case v1::ComplaintEvent::kCaseOpened: {
      const auto& c = event.case_opened().complaint_case();
      if (c.request_type() == v1::REQUEST_TYPE_COMPLAINT) {
        Count(out, LocalDay(Millis(c.opened_at())), metric::kComplaints, dims_of(c));
      }
      break;
    }
    case v1::ComplaintEvent::kCaseClosed: {
      const auto& c = event.case_closed().complaint_case();
      Count(out, LocalDay(Millis(c.closed_at())), metric::kCasesClosed, dims_of(c));
      break;
    }
    case v1::ComplaintEvent::kCaseReopened:
      Count(out, LocalDay(Millis(event.case_reopened().at())), metric::kReopened, {});
      break;
    case v1::ComplaintEvent::kReturnVisitRecorded: {
      const auto& visit = event.return_visit_recorded();
      if (visit.unreachable()) break;
      const int32_t day = LocalDay(Millis(visit.visited_at()));
      Count(out, day, metric::kReturnVisits, {});
      if (visit.satisfaction() == v1::SATISFACTION_SATISFIED ||
          visit.satisfaction() == v1::SATISFACTION_BASICALLY_SATISFIED ||
          (visit.satisfaction() == v1::SATISFACTION_UNSPECIFIED && visit.satisfied())) {
        Count(out, day, metric::kSatisfied, {});
      }
      if (visit.satisfaction_score() >= 1 && visit.satisfaction_score() <= 5) {
        Count(out, day, metric::kScoredVisits, {});
        Count(out, day, metric::kScoreSum, {}, visit.satisfaction_score());
      }
      break;
    }
    default:
      break;
  }
  return out;
}

Effects KpiLedger::Notification(const v1::NotificationEvent& event) const {
  Effects out;
  switch (event.event_case()) {
    case v1::NotificationEvent::kSent:
      Count(out, LocalDay(Millis(event.sent().sent_at())), metric::kNotificationsSent, {});
      break;
    case v1::NotificationEvent::kDelivered:
      Count(out, LocalDay(Millis(event.delivered().delivered_at())),
            metric::kNotificationsDelivered, {});
      break;
    default:
      break;
  }
  return out;
}

}  // namespace gridcare::analytics
