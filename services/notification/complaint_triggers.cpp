// TriggerRules::OnComplaint: the customer hears when the department contacted them, its reply and
// the coming return visit; staff hear reminders and supervision (督办) rungs. The case memo
// (trigger_memo.h) keeps what complaint's events say only when a case opens, is routed,
// reopened, resumed or closed: the customer, the department and the reply deadline.

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "trigger_rules.h"
#include "trigger_support.h"

namespace gridcare::notification {
namespace {

using namespace triggers;  // NOLINT(google-build-using-namespace): the module's own helpers
using T = Trigger;

template <typename Clocks>
std::optional<core::TimePoint> ReplyDue(const Clocks& clocks) {
  for (const v1::ServiceClock& clock : clocks) {
    if (clock.kind() == v1::ServiceClock::KIND_COMPLAINT_REPLY && clock.has_due_at() &&
        !IsUnset(clock.due_at())) {
      return ToTime(clock.due_at());
    }
  }
  return std::nullopt;
}

void Remember(const v1::ComplaintCase& c, CaseMemo& memo) {
  if (!c.customer_id().empty()) memo.customer_id = c.customer_id();
  if (!c.department_id().empty()) memo.department_id = c.department_id();
  if (c.department() != v1::DEPARTMENT_UNSPECIFIED) memo.department = c.department();
  if (c.request_type() != v1::REQUEST_TYPE_UNSPECIFIED) memo.request_type = c.request_type();
  if (c.origin() != v1::CASE_ORIGIN_UNSPECIFIED) memo.origin = c.origin();
  if (auto due = ReplyDue(c.clocks())) memo.reply_due_at = due;
}

core::TimePoint TimeOr(const google::protobuf::Timestamp& t, core::TimePoint fallback) {
  return IsUnset(t) ? fallback : ToTime(t);
}

// The complaint triggers, bound to the rules, the outcome being built and the time.
class ComplaintTriggers {
 public:
  ComplaintTriggers(const TriggerRules& rules, ComplaintOutcome& out, core::TimePoint now)
      : rules_(rules), out_(out), now_(now) {}

  void OnContacted(const v1::CustomerContacted& contacted) {
    const CaseMemo& memo = out_.memo;
    const TriggerSettings& s = rules_.settings(T::kComplaintContacted);
    if (!s.enabled || contacted.case_id().empty() || memo.customer_id.empty() ||
        !memo.reply_due_at) {
      return;
    }
    NotificationIntent intent = ToCustomer(T::kComplaintContacted, s, contacted.case_id());
    intent.values.SetTime("deadline", *memo.reply_due_at);
    out_.intents.push_back(std::move(intent));
  }

  void OnReplySent(const v1::ReplySent& reply) {
    CaseMemo& memo = out_.memo;
    if (!reply.customer_id().empty()) memo.customer_id = reply.customer_id();
    if (reply.case_id().empty() || memo.customer_id.empty()) return;
    const core::TimePoint at = TimeOr(reply.at(), now_);
    const TriggerSettings& replied = rules_.settings(T::kComplaintReplied);
    if (replied.enabled && !IsBlank(reply.reply())) {
      NotificationIntent intent = ToCustomer(T::kComplaintReplied, replied, reply.case_id());
      intent.values.SetLocalized("reply_text", reply.reply()).SetTime("sent_at", at);
      out_.intents.push_back(std::move(intent));
    }
    const TriggerSettings& visit = rules_.settings(T::kComplaintReturnVisitDue);
    if (visit.enabled && !Contains(visit.no_visit_types, memo.request_type) &&
        memo.origin != v1::CASE_ORIGIN_FAULT_RETURN_VISIT) {
      NotificationIntent intent = ToCustomer(T::kComplaintReturnVisitDue, visit, reply.case_id());
      intent.values.SetTime("deadline", at + visit.window);
      intent.not_before = at + visit.lead;
      out_.intents.push_back(std::move(intent));
    }
  }

  // A return visit made, or the case closed: a return-visit notice still queued is moot.
  void WithdrawVisitNotice(const std::string& case_id) {
    const TriggerSettings& visit = rules_.settings(T::kComplaintReturnVisitDue);
    if (case_id.empty() || visit.template_id.empty()) return;
    out_.withdrawals.push_back({case_id, visit.template_id});
  }

  void OnDeadlineAlarm(const v1::CaseDeadlineAlarm& alarm) {
    const Trigger trigger = alarm.overdue() ? T::kComplaintSupervision : T::kComplaintReminder;
    const TriggerSettings& s = rules_.settings(trigger);
    if (!s.enabled || alarm.case_id().empty()) return;
    std::optional<Recipients> recipients = StaffOf(alarm);
    if (!recipients) return;
    const core::TimePoint at = TimeOr(alarm.at(), now_);
    const bool has_due = alarm.clock().has_due_at() && !IsUnset(alarm.clock().due_at());
    if (!alarm.overdue() && !has_due) return;  // a reminder of nothing
    const core::TimePoint due = has_due ? ToTime(alarm.clock().due_at()) : at;
    NotificationIntent intent =
        NewIntent(trigger, s.template_id, alarm.case_id(), std::move(*recipients));
    intent.values.SetId("case_id", alarm.case_id())
        .SetLocalized("department", DepartmentOf(alarm.department_id()))
        .SetLocalized("summary", Summary(alarm));
    if (alarm.overdue()) {
      const auto overdue = std::chrono::floor<std::chrono::minutes>(at - due).count();
      intent.values.SetTime("deadline", at + s.window)
          .SetCount("level", std::max(1, alarm.supervision_level()))
          .SetCount("minutes_overdue", std::max<int64_t>(0, overdue));
    } else {
      intent.values.SetTime("deadline", due);
    }
    out_.intents.push_back(std::move(intent));
  }

 private:
  // An intent to the case's customer with the case id and the department filled in.
  NotificationIntent ToCustomer(Trigger trigger, const TriggerSettings& s,
                                const std::string& case_id) const {
    NotificationIntent intent =
        NewIntent(trigger, s.template_id, case_id,
                  CustomerRecipient(out_.memo.customer_id, v1::LANGUAGE_UNSPECIFIED));
    intent.values.SetId("case_id", case_id)
        .SetLocalized("department", DepartmentOf(out_.memo.department_id));
    return intent;
  }

  v1::LocalizedText DepartmentOf(const std::string& department_id) const {
    const CaseMemo& memo = out_.memo;
    const std::string& id = department_id.empty() ? memo.department_id : department_id;
    return rules_.DepartmentName(
        id, id == memo.department_id ? memo.department : v1::DEPARTMENT_UNSPECIFIED);
  }

  // Who must act: the person complaint named, else the role, else the department's desk.
  static std::optional<Recipients> StaffOf(const v1::CaseDeadlineAlarm& alarm) {
    if (!alarm.must_act().id().empty()) {
      return StaffRecipient(alarm.must_act().id(), alarm.must_act().display_name());
    }
    if (!alarm.escalated_to().empty()) return StaffRecipient(alarm.escalated_to(), "");
    if (!alarm.department_id().empty()) return StaffRecipient(alarm.department_id(), "");
    return std::nullopt;
  }

  static v1::LocalizedText Summary(const v1::CaseDeadlineAlarm& alarm) {
    const v1::LocalizedText clock = alarm.coordination_department_id().empty()
                                        ? ClockLabel(alarm.clock().kind())
                                        : Text("协办", "coordination");
    if (alarm.overdue()) {
      const std::string level = std::to_string(std::max(1, alarm.supervision_level()));
      return Text(clock.zh_cn() + "时限已超期，升级为" + level + "级督办。",
                  "The " + clock.en() + " deadline has passed: supervision level " + level + ".");
    }
    const std::string percent = std::to_string(alarm.percent_elapsed());
    return Text(clock.zh_cn() + "时限已用去" + percent + "%。",
                percent + "% of the " + clock.en() + " time limit has been used.");
  }

  const TriggerRules& rules_;
  ComplaintOutcome& out_;
  core::TimePoint now_;
};

}  // namespace

ComplaintOutcome TriggerRules::OnComplaint(const v1::ComplaintEvent& event, const CaseMemo& memo,
                                           core::TimePoint now) const {
  using E = v1::ComplaintEvent;
  ComplaintOutcome out;
  out.memo = memo;
  ComplaintTriggers triggers(*this, out, now);
  switch (event.event_case()) {
    case E::kCaseOpened:
      Remember(event.case_opened().complaint_case(), out.memo);
      break;
    case E::kCaseRouted:
      if (!event.case_routed().department_id().empty()) {
        out.memo.department_id = event.case_routed().department_id();
        out.memo.department = event.case_routed().department();
      }
      break;
    case E::kCaseReopened:
      if (auto due = ReplyDue(event.case_reopened().clocks())) out.memo.reply_due_at = due;
      break;
    case E::kCaseResumed:
      if (auto due = ReplyDue(event.case_resumed().clocks())) out.memo.reply_due_at = due;
      break;
    case E::kCaseClosed:
      Remember(event.case_closed().complaint_case(), out.memo);
      triggers.WithdrawVisitNotice(event.case_closed().complaint_case().case_id());
      break;
    case E::kCustomerContacted:
      triggers.OnContacted(event.customer_contacted());
      break;
    case E::kReplySent:
      triggers.OnReplySent(event.reply_sent());
      break;
    case E::kReturnVisitRecorded:
      if (!event.return_visit_recorded().unreachable()) {
        triggers.WithdrawVisitNotice(event.return_visit_recorded().case_id());
      }
      break;
    case E::kDeadlineAlarm:
      triggers.OnDeadlineAlarm(event.deadline_alarm());
      break;
    default:  // assignment, returns, pauses, coordination, escalation by hand: the desk's own
      break;
  }
  return out;
}

}  // namespace gridcare::notification
