// TriggerRules::OnDispatch for service applications done by appointment (new connection,
// capacity change, meter check, meter relocation; docs/services/dispatch.md, "Appointment
// work"): the customer hears of a visit booked or moved, a reminder the day before, documents
// still missing (the time limit paused) and the time limit running again, and the work done.
// Every message goes to the customer of the application's ticket (Recipients::Kind::kTicket, as
// ticket.attached does), or to its requester when the applicant is not a customer yet.
//
// Idempotency. The incident triggers are made once by their IncidentMemo, stored under
// MemoKey(event) only after the intents are queued. That memo cannot promise "once per booking":
// it is keyed by incident, dispatch may publish one booking under two event ids (a tick retried
// after a crash publishes it again), and a crash between queuing and storing the memo makes the
// next event announce again under its own event id. The intake triggers' way does: no memo, and
// the delivery store creates each notification id once (it keeps them 30 days). Here that id is
// derived from the booking itself, not from the event that carried it:
// NotificationIntent::source_key is "appointment:<work order id>#<booking_count>" (the
// notification id adds the trigger name, the recipient and the template), so the same event
// redelivered, a tick republished with the same ce_id and the same booking under a new event id
// all come to one notification; a re-booking (booking_count + 1) is a new one. The other
// application messages are keyed the same way by what they tell: a clock stop by its
// stopped_at, the work done by the ticket.

#include <string>
#include <string_view>
#include <utility>

#include "trigger_rules.h"
#include "trigger_support.h"

namespace gridcare::notification::triggers {
namespace {

using T = Trigger;

/// The visit windows are written in Beijing time, whatever the recipient's zone: the texts say so.
constexpr int kBeijingUtcOffsetMinutes = 8 * 60;

v1::LocalizedText ApplicationLabel(v1::ServiceApplicationKind kind) {
  switch (kind) {
    case v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION:
      return Text("新装用电", "new connection");
    case v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE:
      return Text("增减容", "capacity change");
    case v1::SERVICE_APPLICATION_KIND_METER_CHECK:
      return Text("电表校验", "meter check");
    case v1::SERVICE_APPLICATION_KIND_METER_RELOCATION:
      return Text("移表", "meter relocation");
    case v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER:
      return Text("过户", "account transfer");
    case v1::SERVICE_APPLICATION_KIND_TARIFF_CHANGE:
      return Text("改类", "tariff change");
    case v1::SERVICE_APPLICATION_KIND_TEMPORARY_SUPPLY:
      return Text("临时用电", "temporary supply");
    case v1::SERVICE_APPLICATION_KIND_DISCONNECTION:
      return Text("销户", "account closure");
    default:
      return Text("用电业务", "service");
  }
}

v1::LocalizedText VisitLabel(v1::ServiceApplicationKind kind, v1::VisitKind visit) {
  switch (visit) {
    case v1::VISIT_KIND_SITE_SURVEY:
      return Text("现场勘查", "site survey");
    case v1::VISIT_KIND_METER_CHECK:
      return Text("电表现场校验", "on-site meter check");
    case v1::VISIT_KIND_INSTALLATION:
      switch (kind) {
        case v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION:
          return Text("装表接电", "meter installation and connection");
        case v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE:
          return Text("增减容施工", "capacity change work");
        case v1::SERVICE_APPLICATION_KIND_METER_RELOCATION:
          return Text("移表施工", "meter relocation work");
        default:
          return Text("现场施工", "on-site work");
      }
    default:
      return Text("上门服务", "visit");
  }
}

// Why a visit was moved, in the customer's words. Dispatch's reasons name crews and dispatchers
// ("crew CREW-001-01 taken by fault repair", "moved by dispatcher d-01: …"), which are not for
// customers: the two a customer needs to understand are said in plain words, every other one is
// a change of schedule.
v1::LocalizedText RebookReason(std::string_view reason) {
  if (reason.find("taken by fault repair") != std::string_view::npos) {
    return Text("因抢修人员需处理紧急故障", "because our crew was called to urgent fault repair");
  }
  if (reason.find("customer absent") != std::string_view::npos) {
    return Text("因上次上门时未能见到您", "as we missed you at our last visit");
  }
  return Text("因工作安排调整", "because of a change in our schedule");
}

// "12月8日 09:00-11:00" / "8 Dec 09:00-11:00" in Beijing time; the end keeps its date when it
// falls on another day ("12月8日 22:00-12月9日 00:30").
v1::LocalizedText VisitWindow(core::TimePoint start, core::TimePoint end, core::TimePoint now) {
  const TimeContext beijing{now, kBeijingUtcOffsetMinutes};
  const auto side = [&](v1::Language language) {
    const std::string from = FormatLocalTime(start, language, beijing);
    const std::string to = FormatLocalTime(end, language, beijing);
    // Both read "<date> HH:MM": a date shared is written once.
    const size_t from_clock = from.rfind(' ');
    const size_t to_clock = to.rfind(' ');
    if (from.compare(0, from_clock, to, 0, to_clock) == 0) {
      return from + "-" + to.substr(to_clock + 1);
    }
    return from + "-" + to;
  };
  return Text(side(v1::LANGUAGE_ZH_CN), side(v1::LANGUAGE_EN));
}

// Every missing document, in each language (a document's other side when one is blank):
// "身份证、房产证明" / "ID card, proof of ownership".
v1::LocalizedText DocumentList(const v1::ClockStop& stop) {
  std::string zh_cn;
  std::string en;
  for (const v1::LocalizedText& document : stop.missing_documents()) {
    if (IsBlank(document)) continue;
    zh_cn += (zh_cn.empty() ? "" : "、") +
             (IsBlank(document.zh_cn()) ? document.en() : document.zh_cn());
    en += (en.empty() ? "" : ", ") + (IsBlank(document.en()) ? document.zh_cn() : document.en());
  }
  if (zh_cn.empty()) return Text("办理所需的申请资料", "the documents your application needs");
  return Text(std::move(zh_cn), std::move(en));
}

// The customer's ticket (intake's "GC-…"): the application's, else the work order's.
const std::string& TicketOf(const v1::WorkOrder& order) {
  return order.application().ticket_id().empty() ? order.ticket_id()
                                                 : order.application().ticket_id();
}

bool IsApplication(const v1::WorkOrder& order) {
  return order.has_application() && !TicketOf(order).empty();
}

// A visit booked: an application's work order with its window.
bool IsBookedVisit(const v1::WorkOrder& order) {
  return IsApplication(order) && !order.work_order_id().empty() &&
         !IsUnset(order.appointment_start()) && !IsUnset(order.appointment_end()) &&
         ToTime(order.appointment_end()) > ToTime(order.appointment_start());
}

// One booking of one visit (see the top of the file): the start stands in for a missing count.
std::string BookingKey(const v1::WorkOrder& order) {
  const int count = order.application().booking_count();
  return "appointment:" + order.work_order_id() + "#" +
         (count > 0 ? std::to_string(count)
                    : "@" + std::to_string(order.appointment_start().seconds()));
}

PlaceholderValues ApplicationValues(const v1::WorkOrder& order) {
  PlaceholderValues values;
  values.SetLocalized("application", ApplicationLabel(order.application().kind()))
      .SetId("ticket_id", TicketOf(order));
  return values;
}

PlaceholderValues VisitValues(const v1::WorkOrder& order, core::TimePoint now) {
  PlaceholderValues values = ApplicationValues(order);
  values.SetLocalized("visit", VisitLabel(order.application().kind(), order.application().visit()))
      .SetLocalized("visit_window", VisitWindow(ToTime(order.appointment_start()),
                                                ToTime(order.appointment_end()), now));
  return values;
}

class ApplicationTriggers {
 public:
  ApplicationTriggers(const TriggerRules& rules, TriggerOutcome& out, core::TimePoint now)
      : rules_(rules), out_(out), now_(now) {}

  // A first booking, or a re-booking with its reason. A visit already under way (or over) is
  // not announced any more: an event handled that late would only confuse.
  void OnBooked(const v1::AppointmentBooked& booked) {
    const v1::WorkOrder& order = booked.work_order();
    if (!IsBookedVisit(order) || now_ >= ToTime(order.appointment_start())) return;
    const Trigger trigger = booked.rebooked() ? T::kAppointmentRebooked : T::kAppointmentBooked;
    PlaceholderValues values = VisitValues(order, now_);
    if (booked.rebooked()) values.SetLocalized("reason", RebookReason(booked.reason()));
    Add(trigger, rules_.settings(trigger).template_id, order, std::move(values), BookingKey(order));
  }

  // Dispatch publishes the reminder once per booking and audience, reminder_before (24 h) ahead.
  // Only the customer's is ours: a crew's ("crew") would go to the crew id, which the staff
  // directory (config/staff-contacts.json: the complaint desk's handlers and roles) does not
  // know; crews see their bookings in their own app.
  void OnReminder(const v1::AppointmentReminder& reminder) {
    const v1::WorkOrder& order = reminder.work_order();
    if (reminder.audience() != "customer" || !IsBookedVisit(order) ||
        now_ >= ToTime(order.appointment_start())) {
      return;
    }
    Add(T::kAppointmentReminder, rules_.settings(T::kAppointmentReminder).template_id, order,
        VisitValues(order, now_), BookingKey(order));
  }

  // Documents missing: exactly which, and that the time limit is paused; complete again: that it
  // runs again. Keyed by the stop (its stopped_at), each told once.
  void OnClockChanged(const v1::ApplicationClockChanged& changed) {
    const v1::WorkOrder& order = changed.work_order();
    if (!IsApplication(order)) return;
    const Trigger trigger =
        changed.stopped() ? T::kApplicationClockStopped : T::kApplicationClockResumed;
    PlaceholderValues values = ApplicationValues(order);
    if (changed.stopped()) values.SetLocalized("documents", DocumentList(changed.stop()));
    const google::protobuf::Timestamp& stopped_at = changed.stop().stopped_at();
    std::string key;
    if (!IsUnset(stopped_at)) {
      key = "application:" + TicketOf(order) + "/clock-stop@" +
            std::to_string(core::ToUnixMillis(ToTime(stopped_at)));
    }
    Add(trigger, rules_.settings(trigger).template_id, order, std::move(values), std::move(key));
  }

  // Only the work done is told: the other stages are intake's Track's.
  void OnStageReached(const v1::ApplicationStageReached& reached) {
    const v1::WorkOrder& order = reached.work_order();
    if (reached.stage() != v1::APPLICATION_STAGE_WORK_DONE || !IsApplication(order)) return;
    const TriggerSettings& s = rules_.settings(T::kApplicationWorkDone);
    const bool connected =
        order.application().kind() == v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION &&
        !s.fallback_template_id.empty();
    Add(T::kApplicationWorkDone, connected ? s.fallback_template_id : s.template_id, order,
        ApplicationValues(order), "application:" + TicketOf(order) + "/work_done");
  }

 private:
  void Add(Trigger trigger, const std::string& template_id, const v1::WorkOrder& order,
           PlaceholderValues values, std::string source_key) {
    if (!rules_.settings(trigger).enabled || template_id.empty()) return;
    const std::string& ticket_id = TicketOf(order);
    NotificationIntent intent =
        NewIntent(trigger, template_id, ticket_id, TicketRecipient(ticket_id));
    intent.values = std::move(values);
    intent.source_key = std::move(source_key);
    out_.intents.push_back(std::move(intent));
  }

  const TriggerRules& rules_;
  TriggerOutcome& out_;
  core::TimePoint now_;
};

}  // namespace

void OnApplicationEvent(const TriggerRules& rules, const v1::DispatchEvent& event,
                        core::TimePoint now, TriggerOutcome& out) {
  ApplicationTriggers triggers(rules, out, now);
  switch (event.event_case()) {
    case v1::DispatchEvent::kAppointmentBooked:
      triggers.OnBooked(event.appointment_booked());
      break;
    case v1::DispatchEvent::kAppointmentReminder:
      triggers.OnReminder(event.appointment_reminder());
      break;
    case v1::DispatchEvent::kApplicationClockChanged:
      triggers.OnClockChanged(event.application_clock_changed());
      break;
    case v1::DispatchEvent::kApplicationStageReached:
      triggers.OnStageReached(event.application_stage_reached());
      break;
    default:
      break;
  }
}

}  // namespace gridcare::notification::triggers
