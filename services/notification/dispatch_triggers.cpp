// TriggerRules::OnDispatch: outage announcements (start, ETR updates, crew on site, restored),
// trouble calls attached to a known outage, and planned-outage notices. The incident's memo
// (trigger_memo.h) makes every announcement once per incident, whatever is redelivered.
// Service applications by appointment are application_triggers.cpp's.

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "trigger_rules.h"
#include "trigger_support.h"

namespace gridcare::notification {
namespace {

using namespace triggers;  // NOLINT(google-build-using-namespace): the module's own helpers
using T = Trigger;

// The `change` values of IncidentUpdated this file acts on (docs/events.md).
constexpr std::string_view kChangeCrewOnSite = "crew_on_site";
constexpr std::string_view kChangeWaitingForCrew = "waiting_for_crew";
constexpr std::string_view kChangeMerged = "merged";
constexpr std::string_view kChangeRepairNotFinished = "repair_not_finished";

// What the announcements need of an incident, from the incident itself or, for a queued work
// order, from the memo.
struct IncidentView {
  std::string id;
  v1::IncidentLevel level = v1::INCIDENT_LEVEL_UNSPECIFIED;
  std::string feeder_id;
  std::string transformer_id;
  v1::LocalizedText cause;
  std::optional<core::TimePoint> etr;
  std::vector<std::string> ticket_ids;  // single-customer incidents: the callers
};

template <typename Tickets>
IncidentView ViewOf(const v1::Incident& incident, const Tickets& tickets) {
  IncidentView v;
  v.id = incident.incident_id();
  v.level = incident.level();
  v.feeder_id = incident.supply().feeder_id();
  v.transformer_id = incident.supply().transformer_id();
  v.cause = IsBlank(incident.cause()) ? DefaultOutageCause(v.level) : incident.cause();
  if (incident.has_estimated_restoration_at() && !IsUnset(incident.estimated_restoration_at())) {
    v.etr = ToTime(incident.estimated_restoration_at());
  }
  if (v.level == v1::INCIDENT_LEVEL_SINGLE_CUSTOMER) {
    for (const std::string& id : tickets) {
      if (!id.empty() && !Contains(v.ticket_ids, id)) v.ticket_ids.push_back(id);
    }
  }
  return v;
}

// Customers supplied by the transformer area when there is one, else by the feeder.
std::optional<Recipients> SupplyRecipients(const std::string& feeder_id,
                                           const std::string& transformer_id) {
  Recipients r;
  r.kind = Recipients::Kind::kSupply;
  if (!transformer_id.empty()) {
    r.transformer_ids = {transformer_id};
  } else if (!feeder_id.empty()) {
    r.feeder_ids = {feeder_id};
  } else {
    return std::nullopt;
  }
  return r;
}

// Who hears trigger `s` about incident `v`: nobody when its level is not announced; the callers
// of a single-customer incident; else every customer of the predicted device (a transformer
// incident: its area; feeder and substation incidents: the feeder).
std::vector<Recipients> Fanout(const TriggerSettings& s, const IncidentView& v) {
  if (!Contains(s.levels, v.level)) return {};
  std::vector<Recipients> out;
  switch (v.level) {
    case v1::INCIDENT_LEVEL_SINGLE_CUSTOMER:
      for (const std::string& ticket_id : v.ticket_ids) out.push_back(TicketRecipient(ticket_id));
      break;
    case v1::INCIDENT_LEVEL_TRANSFORMER:
      if (auto r = SupplyRecipients({}, v.transformer_id)) out.push_back(std::move(*r));
      break;
    case v1::INCIDENT_LEVEL_FEEDER:
    case v1::INCIDENT_LEVEL_SUBSTATION:
      if (auto r = SupplyRecipients(v.feeder_id, {})) out.push_back(std::move(*r));
      break;
    default:
      break;
  }
  return out;
}

// One intent per recipients entry; supply fan-outs are proactive.
void AddIntents(Trigger trigger, const std::string& template_id, const std::string& subject_id,
                std::vector<Recipients> recipients, const PlaceholderValues& values,
                std::optional<core::TimePoint> etr, TriggerOutcome& out) {
  if (template_id.empty()) return;
  for (Recipients& r : recipients) {
    const bool proactive = r.kind == Recipients::Kind::kSupply;
    NotificationIntent intent = NewIntent(trigger, template_id, subject_id, std::move(r));
    intent.values = values;
    intent.proactive = proactive;
    intent.restoration_expected_at = etr;
    out.intents.push_back(std::move(intent));
  }
}

PlaceholderValues OutageValues(const IncidentView& v, std::optional<core::TimePoint> etr) {
  PlaceholderValues values;
  values.SetLocalized("cause", v.cause).SetId("incident_id", v.id);
  if (etr) values.SetTime("etr", *etr);
  return values;
}

// The dispatch triggers, bound to the rules and the outcome being built.
class DispatchTriggers {
 public:
  DispatchTriggers(const TriggerRules& rules, DispatchOutcome& out) : rules_(rules), out_(out) {}

  void OnIncident(const IncidentView& v, v1::IncidentState state, std::string_view change) {
    IncidentMemo& memo = out_.memo;
    if (memo.merged || memo.restored || state == v1::INCIDENT_STATE_CANCELLED) return;
    if (change == kChangeMerged || state == v1::INCIDENT_STATE_MERGED) {
      memo.merged = true;
      return;
    }
    if (v.level != v1::INCIDENT_LEVEL_UNSPECIFIED) {
      memo.level = v.level;
      memo.feeder_id = v.feeder_id;
      memo.transformer_id = v.transformer_id;
    }
    if (change == kChangeRepairNotFinished) memo.crew_on_site = false;
    // The start waits for the first estimate, which normally follows within the same dispatch
    // pass (crew assigned); without a crew it goes out without one.
    if (!memo.started && (v.etr || change == kChangeWaitingForCrew)) AnnounceStart(v);
    const bool on_site = change == kChangeCrewOnSite || state == v1::INCIDENT_STATE_ON_SITE;
    if (on_site && !memo.crew_on_site) {
      AnnounceCrewOnSite(v);
    } else if (memo.started && v.etr) {
      AnnounceEtrChange(v);
    }
  }

  // A work order waiting for a crew: the start of its incident, if still unannounced, goes out
  // without an estimate.
  void OnWorkOrderQueued(const v1::WorkOrder& order) {
    const IncidentMemo& memo = out_.memo;
    if (order.incident_id().empty() || memo.started || memo.merged || memo.restored ||
        memo.level == v1::INCIDENT_LEVEL_UNSPECIFIED) {
      return;
    }
    IncidentView v;
    v.id = order.incident_id();
    v.level = memo.level;
    v.feeder_id = memo.feeder_id;
    v.transformer_id = memo.transformer_id;
    v.cause = DefaultOutageCause(v.level);
    if (!order.ticket_id().empty()) v.ticket_ids = {order.ticket_id()};
    AnnounceStart(v);
  }

  void OnRestored(const v1::IncidentRestored& restored, core::TimePoint now) {
    IncidentMemo& memo = out_.memo;
    if (memo.restored || memo.merged) return;
    const v1::Incident& incident = restored.incident();
    const IncidentView v = restored.ticket_ids().empty() ? ViewOf(incident, incident.ticket_ids())
                                                         : ViewOf(incident, restored.ticket_ids());
    memo.restored = true;
    WithdrawOutageNotices(v.id);
    const core::TimePoint at = incident.has_restored_at() && !IsUnset(incident.restored_at())
                                   ? ToTime(incident.restored_at())
                                   : now;
    const TriggerSettings& s = rules_.settings(T::kIncidentRestored);
    if (!s.enabled) return;
    PlaceholderValues values = OutageValues(v, std::nullopt);
    values.SetTime("restored_at", at);
    AddIntents(T::kIncidentRestored, s.template_id, v.id, Fanout(s, v), values, std::nullopt, out_);
  }

 private:
  // Once supply is back, what is still queued about the outage (a start, estimate or arrival
  // held for the recipient's quiet hours, or still being retried) would say the power is off
  // after it came back: withdrawn, the restoration notice alone goes out.
  void WithdrawOutageNotices(const std::string& incident_id) {
    for (const Trigger trigger : {T::kIncidentOpened, T::kIncidentLifeSupport,
                                  T::kIncidentEtrChanged, T::kIncidentCrewOnSite}) {
      const TriggerSettings& s = rules_.settings(trigger);
      for (const std::string* template_id : {&s.template_id, &s.fallback_template_id}) {
        if (!template_id->empty()) out_.withdrawals.push_back({incident_id, *template_id});
      }
    }
  }

  void AnnounceStart(const IncidentView& v) {
    IncidentMemo& memo = out_.memo;
    memo.started = true;
    std::optional<core::TimePoint> etr;
    if (v.etr &&
        DecideEtrAnnouncement(memo.last_etr, memo.etr_count, *v.etr, rules_.etr()).announce) {
      etr = v.etr;
      memo.last_etr = etr;
      ++memo.etr_count;
    }
    const PlaceholderValues values = OutageValues(v, etr);
    // Life-support customers get the safety message instead of the general one.
    const TriggerSettings& life = rules_.settings(T::kIncidentLifeSupport);
    const std::string& life_template = etr ? life.template_id : life.fallback_template_id;
    std::vector<Recipients> life_recipients;
    if (life.enabled && !life_template.empty()) {
      life_recipients = Fanout(life, v);
      for (Recipients& r : life_recipients) {
        if (r.kind == Recipients::Kind::kSupply) r.only_tags = life.tags;
      }
    }
    const TriggerSettings& opened = rules_.settings(T::kIncidentOpened);
    if (opened.enabled) {
      std::vector<Recipients> recipients = Fanout(opened, v);
      for (Recipients& r : recipients) {
        if (r.kind == Recipients::Kind::kSupply && !life_recipients.empty()) {
          r.except_tags = life.tags;
        }
      }
      AddIntents(T::kIncidentOpened, etr ? opened.template_id : opened.fallback_template_id, v.id,
                 std::move(recipients), values, etr, out_);
    }
    AddIntents(T::kIncidentLifeSupport, life_template, v.id, std::move(life_recipients), values,
               etr, out_);
  }

  void AnnounceEtrChange(const IncidentView& v) {
    IncidentMemo& memo = out_.memo;
    if (!DecideEtrAnnouncement(memo.last_etr, memo.etr_count, *v.etr, rules_.etr()).announce) {
      return;
    }
    memo.last_etr = v.etr;
    ++memo.etr_count;
    const TriggerSettings& s = rules_.settings(T::kIncidentEtrChanged);
    if (!s.enabled) return;
    AddIntents(T::kIncidentEtrChanged, s.template_id, v.id, Fanout(s, v), OutageValues(v, v.etr),
               v.etr, out_);
  }

  // The crew's arrival carries the estimate it brings (not counted against the ETR cap; later
  // updates are measured from it). Without any estimate known there is nothing to send.
  void AnnounceCrewOnSite(const IncidentView& v) {
    IncidentMemo& memo = out_.memo;
    memo.crew_on_site = true;
    memo.started = true;
    const std::optional<core::TimePoint> etr = v.etr ? v.etr : memo.last_etr;
    if (!etr) return;
    memo.last_etr = etr;
    const TriggerSettings& s = rules_.settings(T::kIncidentCrewOnSite);
    if (!s.enabled) return;
    AddIntents(T::kIncidentCrewOnSite, s.template_id, v.id, Fanout(s, v), OutageValues(v, etr), etr,
               out_);
  }

  const TriggerRules& rules_;
  DispatchOutcome& out_;
};

void OnTicketAttached(const TriggerRules& rules, const v1::TicketAttached& attached,
                      DispatchOutcome& out) {
  if (attached.ticket_id().empty()) return;
  std::optional<core::TimePoint> etr;
  if (attached.has_estimated_restoration_at() && !IsUnset(attached.estimated_restoration_at())) {
    etr = ToTime(attached.estimated_restoration_at());
  }
  PlaceholderValues values;
  values.SetId("ticket_id", attached.ticket_id());
  if (etr) values.SetTime("etr", *etr);
  std::vector<Recipients> recipients = {TicketRecipient(attached.ticket_id())};
  if (!attached.planned_outage_id().empty()) {
    const TriggerSettings& s = rules.settings(T::kTicketAttachedPlanned);
    if (!s.enabled || !etr) return;
    values
        .SetLocalized("cause", IsBlank(attached.known_cause()) ? DefaultPlannedWork()
                                                               : attached.known_cause())
        .SetTime("ends_at", *etr);
    AddIntents(T::kTicketAttachedPlanned, s.template_id, attached.ticket_id(),
               std::move(recipients), values, etr, out);
    return;
  }
  const TriggerSettings& s = rules.settings(T::kTicketAttached);
  if (!s.enabled || attached.incident_id().empty()) return;
  values
      .SetLocalized("cause", IsBlank(attached.known_cause())
                                 ? DefaultOutageCause(v1::INCIDENT_LEVEL_UNSPECIFIED)
                                 : attached.known_cause())
      .SetId("incident_id", attached.incident_id());
  AddIntents(T::kTicketAttached, etr ? s.template_id : s.fallback_template_id, attached.ticket_id(),
             std::move(recipients), values, etr, out);
}

// Planned outages, in a class of their own: notices ahead of the start, a change or a
// cancellation withdrawing what is still queued.
class PlannedOutageTriggers {
 public:
  PlannedOutageTriggers(const TriggerRules& rules, DispatchOutcome& out, core::TimePoint now)
      : rules_(rules), out_(out), now_(now) {}

  void OnRegistered(const v1::PlannedOutage& p) {
    if (p.planned_outage_id().empty() || IsUnset(p.starts_at())) return;
    PlannedOutageMemo next = MemoOf(p);
    const std::optional<PlannedOutageMemo>& previous = out_.memo.planned;
    if (previous && SameAnnouncement(*previous, next)) return;
    if (next.cancelled) {
      Cancel(p.planned_outage_id(), next);
      return;
    }
    const bool announced = previous && !previous->cancelled;
    if (announced) out_.withdrawals.push_back({p.planned_outage_id(), ""});
    if (now_ >= next.starts_at) {  // under way or over: too late for a notice
      next.notice_at = now_;
      out_.memo.planned = std::move(next);
      return;
    }
    // A change to an outage customers were already told about goes out at once.
    const TriggerSettings& notice = rules_.settings(T::kPlannedOutageNotice);
    next.notice_at = announced && previous->notice_at <= now_
                         ? now_
                         : std::max(next.starts_at - notice.lead, now_);
    const PlaceholderValues values = ValuesOf(next);
    if (notice.enabled)
      Add(T::kPlannedOutageNotice, notice, p.planned_outage_id(), next, {}, next.notice_at, values);
    const TriggerSettings& reminder = rules_.settings(T::kPlannedOutageReminder);
    const core::TimePoint reminder_at = std::max(next.starts_at - reminder.lead, now_);
    if (reminder.enabled && (!notice.enabled || reminder_at > next.notice_at)) {
      Add(T::kPlannedOutageReminder, reminder, p.planned_outage_id(), next, reminder.tags,
          reminder_at, values);
    }
    out_.memo.planned = std::move(next);
  }

 private:
  static PlannedOutageMemo MemoOf(const v1::PlannedOutage& p) {
    PlannedOutageMemo m;
    m.starts_at = ToTime(p.starts_at());
    m.ends_at = ToTime(p.ends_at());
    m.feeder_id = p.scope().feeder_id();
    m.transformer_id = p.scope().transformer_id();
    const v1::LocalizedText reason = IsBlank(p.reason()) ? DefaultPlannedWork() : p.reason();
    m.reason_zh_cn = reason.zh_cn();
    m.reason_en = reason.en();
    m.cancelled = p.cancelled();
    return m;
  }

  // Same window, scope and state: a re-registration that changes only the wording is not
  // announced again.
  static bool SameAnnouncement(const PlannedOutageMemo& a, const PlannedOutageMemo& b) {
    return a.starts_at == b.starts_at && a.ends_at == b.ends_at && a.feeder_id == b.feeder_id &&
           a.transformer_id == b.transformer_id && a.cancelled == b.cancelled;
  }

  static PlaceholderValues ValuesOf(const PlannedOutageMemo& m) {
    PlaceholderValues values;
    values.SetLocalized("cause", m.reason_zh_cn, m.reason_en)
        .SetTime("starts_at", m.starts_at)
        .SetTime("ends_at", m.ends_at);
    return values;
  }

  void Add(Trigger trigger, const TriggerSettings& s, const std::string& id,
           const PlannedOutageMemo& m, const std::vector<v1::CustomerTag>& only_tags,
           std::optional<core::TimePoint> not_before, const PlaceholderValues& values) {
    std::optional<Recipients> r = SupplyRecipients(m.feeder_id, m.transformer_id);
    if (!r) return;
    r->only_tags = only_tags;
    const size_t first = out_.intents.size();
    AddIntents(trigger, s.template_id, id, {std::move(*r)}, values, std::nullopt, out_);
    for (size_t i = first; i < out_.intents.size(); ++i) out_.intents[i].not_before = not_before;
  }

  // Queued notices are withdrawn; customers who may already have had one hear it is off.
  void Cancel(const std::string& id, PlannedOutageMemo next) {
    const std::optional<PlannedOutageMemo>& previous = out_.memo.planned;
    if (!previous || previous->cancelled) {
      next.notice_at = previous ? previous->notice_at : now_;
      out_.memo.planned = std::move(next);
      return;
    }
    out_.withdrawals.push_back({id, ""});
    const TriggerSettings& s = rules_.settings(T::kPlannedOutageCancelled);
    if (s.enabled && previous->notice_at <= now_ && now_ < previous->starts_at) {
      Add(T::kPlannedOutageCancelled, s, id, *previous, {}, std::nullopt, ValuesOf(*previous));
    }
    PlannedOutageMemo cancelled = *previous;
    cancelled.cancelled = true;
    out_.memo.planned = std::move(cancelled);
  }

  const TriggerRules& rules_;
  DispatchOutcome& out_;
  core::TimePoint now_;
};

}  // namespace

DispatchOutcome TriggerRules::OnDispatch(const v1::DispatchEvent& event, const IncidentMemo& memo,
                                         core::TimePoint now) const {
  DispatchOutcome out;
  out.memo = memo;
  DispatchTriggers incidents(*this, out);
  switch (event.event_case()) {
    case v1::DispatchEvent::kIncidentOpened: {
      const v1::Incident& i = event.incident_opened().incident();
      incidents.OnIncident(ViewOf(i, i.ticket_ids()), i.state(), {});
      break;
    }
    case v1::DispatchEvent::kIncidentRolledUp: {
      const v1::Incident& i = event.incident_rolled_up().incident();
      incidents.OnIncident(ViewOf(i, i.ticket_ids()), i.state(), {});
      break;
    }
    case v1::DispatchEvent::kIncidentUpdated: {
      const v1::Incident& i = event.incident_updated().incident();
      incidents.OnIncident(ViewOf(i, i.ticket_ids()), i.state(), event.incident_updated().change());
      break;
    }
    case v1::DispatchEvent::kIncidentRestored:
      incidents.OnRestored(event.incident_restored(), now);
      break;
    case v1::DispatchEvent::kWorkOrderQueued:
      incidents.OnWorkOrderQueued(event.work_order_queued().work_order());
      break;
    case v1::DispatchEvent::kTicketAttached:
      OnTicketAttached(*this, event.ticket_attached(), out);
      break;
    case v1::DispatchEvent::kPlannedOutageRegistered:
      PlannedOutageTriggers(*this, out, now)
          .OnRegistered(event.planned_outage_registered().planned_outage());
      break;
    case v1::DispatchEvent::kAppointmentBooked:
    case v1::DispatchEvent::kAppointmentReminder:
    case v1::DispatchEvent::kApplicationStageReached:
    case v1::DispatchEvent::kApplicationClockChanged:
      OnApplicationEvent(*this, event, now, out);  // application_triggers.cpp
      break;
    default:  // work orders, clock alarms: the console's and the crews' business
      break;
  }
  return out;
}

}  // namespace gridcare::notification
