#include "timeline_handler.h"

#include <google/protobuf/util/time_util.h>

#include <optional>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/labels/labels.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/clocks.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::intake {
namespace {

using google::protobuf::util::TimeUtil;

using labels::Text;

/// "14:02": the Beijing wall-clock minute of an instant; "" when it is unset.
std::string BeijingTime(const google::protobuf::Timestamp& at) {
  if (at.seconds() == 0) return "";
  return sla::FormatLocalMinute(sla::FromTimestamp(at)).substr(11);  // "YYYY-MM-DD HH:MM"
}

std::string EtaText(const google::protobuf::Timestamp& eta, bool english) {
  const std::string hhmm = BeijingTime(eta);
  if (hhmm.empty()) return "";
  return english ? "; estimated restoration " + hhmm + " (Beijing time)"
                 : "，预计 " + hhmm + " 恢复供电";
}

/// "2026-12-08 09:00-10:00": a booked visit in Beijing time.
std::string VisitTime(const v1::WorkOrder& order) {
  if (order.appointment_start().seconds() == 0) return "";
  return sla::FormatLocalMinute(sla::FromTimestamp(order.appointment_start())) + "-" +
         BeijingTime(order.appointment_end());
}

std::pair<std::string, std::string> VisitWords(v1::VisitKind visit) {
  switch (visit) {
    case v1::VISIT_KIND_SITE_SURVEY:
      return {"现场勘查", "site survey"};
    case v1::VISIT_KIND_METER_CHECK:
      return {"电表现场校验", "meter check"};
    default:
      return {"装表接电", "meter installation"};
  }
}

std::string Joined(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts, bool english,
                   std::string_view separator) {
  std::string out;
  for (const auto& text : texts) {
    const std::string& one = english && !text.en().empty() ? text.en() : text.zh_cn();
    out += (out.empty() ? "" : std::string(separator)) + one;
  }
  return out;
}

}  // namespace

std::vector<TimelineHandler::Step> TimelineHandler::StepsFromApplication(
    const v1::DispatchEvent& event) const {
  std::vector<Step> steps;
  switch (event.event_case()) {
    case v1::DispatchEvent::kAppointmentBooked: {
      const auto& booked = event.appointment_booked();
      const auto& order = booked.work_order();
      const auto [zh, en] = VisitWords(order.application().visit());
      const std::string when = VisitTime(order);
      Step step{order.application().ticket_id(),
                v1::TICKET_STATE_IN_PROGRESS,
                booked.rebooked()
                    ? Text(zh + "已改约至 " + when + "（北京时间）",
                           "Your " + en + " is moved to " + when + " (Beijing time)")
                    : Text("已为您预约" + zh + "：" + when + "（北京时间）",
                           "Your " + en + " is booked for " + when + " (Beijing time)"),
                v1::Actor::KIND_SYSTEM,
                order.work_order_id(),
                booked.reason()};
      steps.push_back(std::move(step));
      break;
    }
    case v1::DispatchEvent::kApplicationStageReached: {
      const auto& reached = event.application_stage_reached();
      const auto stage = reached.stage();
      Step step{reached.work_order().application().ticket_id(),
                v1::TICKET_STATE_IN_PROGRESS,
                reached.description(),
                v1::Actor::KIND_SYSTEM,
                reached.work_order().work_order_id(),
                ""};
      if (stage == v1::APPLICATION_STAGE_SITE_SURVEYED ||
          stage == v1::APPLICATION_STAGE_WORK_DONE) {
        step.actor = v1::Actor::KIND_CREW;
      }
      if (stage == v1::APPLICATION_STAGE_WORK_DONE) step.new_state = v1::TICKET_STATE_RESOLVED;
      if (stage == v1::APPLICATION_STAGE_CLOSED) {
        step.new_state = v1::TICKET_STATE_CLOSED;
        step.moves_resolved = true;
      }
      steps.push_back(std::move(step));
      break;
    }
    case v1::DispatchEvent::kApplicationClockChanged: {
      const auto& changed = event.application_clock_changed();
      const auto& missing = changed.stop().missing_documents();
      Step step{changed.work_order().application().ticket_id(),
                v1::TICKET_STATE_UNSPECIFIED,
                changed.stopped()
                    ? Text("申请资料不全，办理时限暂停。请补充：" + Joined(missing, false, "、"),
                           "Documents are missing and the time limit is paused. Please bring: " +
                               Joined(missing, true, ", "))
                    : Text("资料已补齐，办理时限恢复计算（顺延 " +
                               std::to_string(changed.stopped_working_days()) + " 个工作日）",
                           "Documents complete; the time limit runs again (extended by " +
                               std::to_string(changed.stopped_working_days()) + " working days)"),
                v1::Actor::KIND_AGENT,
                changed.work_order().work_order_id(),
                changed.stop().reason()};
      steps.push_back(std::move(step));
      break;
    }
    default:
      break;
  }
  return steps;
}

std::vector<TimelineHandler::Step> TimelineHandler::StepsFrom(
    const v1::DispatchEvent& event) const {
  std::vector<Step> steps;
  switch (event.event_case()) {
    case v1::DispatchEvent::kTicketAttached: {
      const auto& attached = event.ticket_attached();
      Step step{
          attached.ticket_id(),
          v1::TICKET_STATE_IN_PROGRESS,
          {},
          v1::Actor::KIND_SYSTEM,
          attached.incident_id().empty() ? attached.planned_outage_id() : attached.incident_id(),
          attached.known_cause().zh_cn()};
      step.description = attached.planned_outage_id().empty()
                             ? Text("已并入停电事件 " + attached.incident_id() +
                                        EtaText(attached.estimated_restoration_at(), false),
                                    "Joined outage " + attached.incident_id() +
                                        EtaText(attached.estimated_restoration_at(), true))
                             : Text("属于计划停电 " + attached.planned_outage_id() +
                                        EtaText(attached.estimated_restoration_at(), false),
                                    "Part of planned outage " + attached.planned_outage_id() +
                                        EtaText(attached.estimated_restoration_at(), true));
      steps.push_back(std::move(step));
      break;
    }
    case v1::DispatchEvent::kIncidentUpdated: {
      // Crew progress on the outage a ticket belongs to (dispatch lists the incident's tickets
      // on these updates). Other changes are internal to dispatch.
      const auto& updated = event.incident_updated();
      const auto& incident = updated.incident();
      const std::string& crew = incident.crew_id();
      const std::string& change = updated.change();
      v1::LocalizedText description;
      if (change == "crew_assigned" || change == "crew_reassigned") {
        description =
            change == "crew_assigned"
                ? Text("已派抢修班组 " + crew + EtaText(incident.estimated_restoration_at(), false),
                       "Repair crew " + crew + " assigned" +
                           EtaText(incident.estimated_restoration_at(), true))
                : Text("已改派抢修班组 " + crew, "Repair crew changed to " + crew);
      } else if (change == "crew_en_route") {
        description = Text("抢修班组 " + crew + " 正在赶往现场", "Crew " + crew + " is on the way");
      } else if (change == "crew_on_site") {
        description = Text(
            "抢修班组 " + crew + " 已到达现场" +
                EtaText(incident.estimated_restoration_at(), false),
            "Crew " + crew + " is on site" + EtaText(incident.estimated_restoration_at(), true));
      } else if (change == "waiting_for_crew") {
        description = Text("正在重新安排抢修班组", "A repair crew is being re-arranged");
      } else {
        break;
      }
      for (const auto& ticket_id : incident.ticket_ids()) {
        Step step{ticket_id,
                  v1::TICKET_STATE_IN_PROGRESS,
                  description,
                  v1::Actor::KIND_SYSTEM,
                  incident.incident_id(),
                  ""};
        steps.push_back(std::move(step));
      }
      break;
    }
    case v1::DispatchEvent::kIncidentRestored: {
      const auto& restored = event.incident_restored();
      for (const auto& ticket_id : restored.ticket_ids()) {
        Step step{ticket_id,
                  v1::TICKET_STATE_RESOLVED,
                  {},
                  v1::Actor::KIND_CREW,
                  restored.incident().incident_id(),
                  restored.incident().cause().zh_cn()};
        step.description = Text("已恢复供电。原因：" + restored.incident().cause().zh_cn(),
                                "Supply restored. Cause: " + restored.incident().cause().en());
        steps.push_back(std::move(step));
      }
      break;
    }
    default:
      return StepsFromApplication(event);
  }
  return steps;
}

namespace {

/// The ticket behind a complaint case: case ids are "CC-" + the ticket id (docs/events.md).
std::string TicketOfCase(const std::string& case_id) {
  constexpr std::string_view kPrefix = "CC-";
  return case_id.rfind(kPrefix, 0) == 0 ? case_id.substr(kPrefix.size()) : std::string();
}

/// What the customer is told about one complaint step: the description, the state it moves the
/// ticket to (unspecified: unchanged) and who acted. nullopt: nothing to tell (internal steps).
struct CaseNews {
  v1::LocalizedText description;
  v1::TicketState state = v1::TICKET_STATE_UNSPECIFIED;
  v1::Actor::Kind actor = v1::Actor::KIND_DEPARTMENT;
  std::string cause;
};

std::optional<CaseNews> NewsOf(const v1::ComplaintEvent& event) {
  switch (event.event_case()) {
    case v1::ComplaintEvent::kCaseOpened: {
      const auto& c = event.case_opened().complaint_case();
      if (c.origin() == v1::CASE_ORIGIN_FAULT_RETURN_VISIT) return std::nullopt;
      return CaseNews{Text("已转责任部门处理（" + v1::Department_Name(c.department()) + "）",
                           "Routed to the responsible department (" +
                               v1::Department_Name(c.department()) + ")"),
                      v1::TICKET_STATE_IN_PROGRESS};
    }
    case v1::ComplaintEvent::kCustomerContacted:
      return CaseNews{Text("处理人员已与您联系", "The handler contacted you")};
    case v1::ComplaintEvent::kCasePaused:
      return CaseNews{Text("等待您的回复，办理时限暂停", "Waiting for you: the clock is paused")};
    case v1::ComplaintEvent::kCaseResumed:
      return CaseNews{Text("继续办理", "Work resumed")};
    case v1::ComplaintEvent::kDeadlineAlarm:
      if (!event.deadline_alarm().overdue()) return std::nullopt;
      return CaseNews{Text("已超时限，已升级督办", "Past its deadline: escalated for supervision"),
                      v1::TICKET_STATE_UNSPECIFIED, v1::Actor::KIND_SUPERVISOR};
    case v1::ComplaintEvent::kCaseEscalated:
      return CaseNews{Text("已升级督办", "Escalated for supervision"), v1::TICKET_STATE_UNSPECIFIED,
                      v1::Actor::KIND_SUPERVISOR};
    case v1::ComplaintEvent::kReplySent: {
      const auto& reply = event.reply_sent();
      return CaseNews{Text("答复：" + reply.reply().zh_cn(), "Reply: " + reply.reply().en()),
                      v1::TICKET_STATE_RESOLVED, v1::Actor::KIND_DEPARTMENT, reply.cause_code()};
    }
    case v1::ComplaintEvent::kReturnVisitRecorded:
      if (event.return_visit_recorded().unreachable()) {
        return CaseNews{Text("回访未能联系到您", "We could not reach you for the return visit")};
      }
      return CaseNews{Text("已完成回访", "Return visit done")};
    case v1::ComplaintEvent::kCaseReopened:
      return CaseNews{Text("您的诉求已重新办理并升级督办", "Reopened and escalated"),
                      v1::TICKET_STATE_IN_PROGRESS, v1::Actor::KIND_SUPERVISOR};
    case v1::ComplaintEvent::kCaseClosed: {
      const auto& c = event.case_closed().complaint_case();
      if (c.origin() == v1::CASE_ORIGIN_FAULT_RETURN_VISIT) return std::nullopt;
      return CaseNews{Text("投诉已办结", "Complaint closed"), v1::TICKET_STATE_CLOSED,
                      v1::Actor::KIND_DEPARTMENT, c.root_cause()};
    }
    default:
      return std::nullopt;  // routing, assignment, coordination: the department's business
  }
}

std::string CaseIdOf(const v1::ComplaintEvent& event) {
  switch (event.event_case()) {
    case v1::ComplaintEvent::kCaseOpened:
      return event.case_opened().complaint_case().case_id();
    case v1::ComplaintEvent::kCaseClosed:
      return event.case_closed().complaint_case().case_id();
    case v1::ComplaintEvent::kCustomerContacted:
      return event.customer_contacted().case_id();
    case v1::ComplaintEvent::kCasePaused:
      return event.case_paused().case_id();
    case v1::ComplaintEvent::kCaseResumed:
      return event.case_resumed().case_id();
    case v1::ComplaintEvent::kDeadlineAlarm:
      return event.deadline_alarm().case_id();
    case v1::ComplaintEvent::kCaseEscalated:
      return event.case_escalated().case_id();
    case v1::ComplaintEvent::kReplySent:
      return event.reply_sent().case_id();
    case v1::ComplaintEvent::kReturnVisitRecorded:
      return event.return_visit_recorded().case_id();
    case v1::ComplaintEvent::kCaseReopened:
      return event.case_reopened().case_id();
    default:
      return "";
  }
}

}  // namespace

std::vector<TimelineHandler::Step> TimelineHandler::StepsFrom(
    const v1::ComplaintEvent& event) const {
  std::vector<Step> steps;
  auto news = NewsOf(event);
  if (!news) return steps;
  const std::string case_id = CaseIdOf(event);
  std::string ticket_id = TicketOfCase(case_id);
  if (event.event_case() == v1::ComplaintEvent::kCaseOpened) {
    ticket_id = event.case_opened().complaint_case().ticket_id();
  } else if (event.event_case() == v1::ComplaintEvent::kCaseClosed) {
    ticket_id = event.case_closed().complaint_case().ticket_id();
  }
  if (ticket_id.empty()) return steps;
  Step step{ticket_id, news->state, std::move(news->description), news->actor,
            case_id,   news->cause, /*moves_resolved=*/true};
  steps.push_back(std::move(step));
  return steps;
}

namespace {

/// How a channel reads in the customer's words: what we did ("sent") and what the provider
/// reported ("delivered"; empty: no delivered step, e.g. a voice call's report says nothing the
/// customer does not know).
struct ChannelWords {
  std::string_view name;  // the notification service's channel name
  std::string_view sent_zh;
  std::string_view sent_en;
  std::string_view delivered_zh;
  std::string_view delivered_en;
};

constexpr ChannelWords kChannelWords[] = {
    {"sms", "已向您发送短信", "We sent you an SMS", "短信已送达", "SMS delivered"},
    {"wechat", "已向您发送微信消息", "We sent you a WeChat message", "微信消息已送达",
     "WeChat message delivered"},
    {"app_push", "已向您发送 App 推送", "We sent you an app notification", "App 推送已送达",
     "App notification delivered"},
    {"voice_call", "已向您拨打语音电话", "We placed a voice call to you", "", ""},
    {"email", "已向您发送电子邮件", "We sent you an email", "电子邮件已送达", "Email delivered"},
};
constexpr ChannelWords kAnyChannel{"", "已向您发送通知", "We sent you a notice", "", ""};

const ChannelWords& WordsFor(std::string_view channel) {
  for (const auto& words : kChannelWords) {
    if (words.name == channel) return words;
  }
  return kAnyChannel;
}

/// The ticket a notice is about: its subject is a ticket id, or a complaint case id ("CC-" + the
/// ticket id). Incident and planned outage ids come back as they are and are not found.
std::string TicketOfSubject(const std::string& subject_id) {
  std::string ticket_id = TicketOfCase(subject_id);
  return ticket_id.empty() ? subject_id : ticket_id;
}

/// "14:02 已向您发送短信（138****5678）" / "We sent you an SMS (138****5678) at 14:02 (Beijing
/// time)".
v1::LocalizedText SentText(const v1::NotificationSent& sent) {
  const ChannelWords& words = WordsFor(sent.channel_name());
  const std::string at = BeijingTime(sent.sent_at());
  const std::string& address = sent.masked_address();
  return Text((at.empty() ? "" : at + " ") + std::string(words.sent_zh) +
                  (address.empty() ? "" : "（" + address + "）"),
              std::string(words.sent_en) + (address.empty() ? "" : " (" + address + ")") +
                  (at.empty() ? "" : " at " + at + " (Beijing time)"));
}

}  // namespace

std::vector<TimelineHandler::Step> TimelineHandler::StepsFrom(
    const v1::NotificationEvent& event) const {
  std::vector<Step> steps;
  v1::LocalizedText description;
  std::string subject_id;
  switch (event.event_case()) {
    case v1::NotificationEvent::kSent: {
      const auto& sent = event.sent();
      if (sent.recipient_kind() != v1::RECIPIENT_KIND_CUSTOMER) return steps;
      subject_id = sent.subject_id();
      description = SentText(sent);
      break;
    }
    case v1::NotificationEvent::kDelivered: {
      const auto& delivered = event.delivered();
      const ChannelWords& words = WordsFor(delivered.channel());
      if (delivered.recipient_kind() != v1::RECIPIENT_KIND_CUSTOMER || words.delivered_zh.empty()) {
        return steps;
      }
      subject_id = delivered.subject_id();
      const std::string at = BeijingTime(delivered.delivered_at());
      description = Text(
          (at.empty() ? "" : at + " ") + std::string(words.delivered_zh),
          std::string(words.delivered_en) + (at.empty() ? "" : " at " + at + " (Beijing time)"));
      break;
    }
    default:
      return steps;  // queued, failed, suppressed: notification's own business
  }
  // Only notices about a ticket or a complaint case reach a timeline: incident fan-outs (tens of
  // thousands of notices about one incident) are skipped here, without a store lookup each.
  if (subject_id.rfind("GC-", 0) != 0 && subject_id.rfind("CC-", 0) != 0) return steps;
  Step step{TicketOfSubject(subject_id), v1::TICKET_STATE_UNSPECIFIED, std::move(description)};
  step.skip_unknown_ticket = true;
  steps.push_back(std::move(step));
  return steps;
}

TimelineHandler::TimelineHandler(TicketStore& store, kafka::EventPublisher& publisher,
                                 const core::Clock& clock)
    : store_(store), publisher_(publisher), clock_(clock) {
  router_.On<v1::DispatchEvent>(
      kafka::kDispatchTopic,
      [this](const v1::DispatchEvent& event, const kafka::ConsumedMessage& message) {
        return Apply(message, StepsFrom(event));
      });
  router_.On<v1::ComplaintEvent>(
      kafka::kComplaintTopic,
      [this](const v1::ComplaintEvent& event, const kafka::ConsumedMessage& message) {
        return Apply(message, StepsFrom(event));
      });
  router_.On<v1::NotificationEvent>(
      kafka::kNotificationTopic,
      [this](const v1::NotificationEvent& event, const kafka::ConsumedMessage& message) {
        return Apply(message, StepsFrom(event));
      });
}

kafka::HandleResult TimelineHandler::Apply(const kafka::ConsumedMessage& message,
                                           const std::vector<Step>& steps) {
  const std::string source_id(
      message.Header("ce_id").value_or(message.topic + "/" + std::to_string(message.partition) +
                                       "/" + std::to_string(message.offset)));
  const std::string source_type(message.Header("ce_type").value_or(message.topic));
  const auto now = clock_.Now();
  std::vector<std::string> unknown;
  for (const auto& step : steps) {
    auto found = store_.GetTicket(step.ticket_id);
    if (!found) return kafka::HandleResult::FromError(found.error(), "redis_error");
    if (!found->has_value()) {
      // The other tickets of the event still move.
      if (!step.skip_unknown_ticket) unknown.push_back(step.ticket_id);
      continue;
    }
    v1::Ticket ticket = std::move(**found);
    v1::TimelineEntry entry;
    // Full clock precision: steps applied within one millisecond (a visit's stage and the next
    // visit's booking, published together) keep the order they were applied in.
    *entry.mutable_at() = sla::ToTimestamp(now);
    entry.set_event_type(source_type);
    *entry.mutable_description() = step.description;
    entry.mutable_actor()->set_kind(step.actor);
    const v1::TicketState previous = ticket.state();
    const bool targets_state = step.new_state != v1::TICKET_STATE_UNSPECIFIED;
    // A resolved ticket moves only for its complaint case: to CLOSED after the return visit,
    // back to IN_PROGRESS when the case is reopened.
    const bool moves =
        targets_state && step.new_state != previous &&
        (IsOpenState(previous) || (previous == v1::TICKET_STATE_RESOLVED && step.moves_resolved));
    entry.set_state(moves ? step.new_state : previous);
    if (auto status =
            store_.AppendTimeline(ticket.ticket_id(), source_id + "/" + ticket.ticket_id(), entry);
        !status) {
      return kafka::HandleResult::FromError(status.error(), "redis_error");
    }
    // Already in the target state: this may be a redelivery after the state-change event was lost
    // (the batch's flush failed), so publish it again; its id is unchanged and consumers that did
    // receive it drop the copy.
    if (!moves && !(targets_state && previous == step.new_state)) continue;
    if (moves) {
      ticket.set_state(step.new_state);
      ticket.set_owner_reference(step.owner_reference);
      *ticket.mutable_updated_at() = entry.at();
      if (auto status = store_.SaveTicket(ticket); !status) {
        return kafka::HandleResult::FromError(status.error(), "redis_error");
      }
    }
    v1::IntakeEvent event;
    auto* changed = event.mutable_ticket_state_changed();
    changed->set_ticket_id(ticket.ticket_id());
    changed->set_previous_state(moves ? previous : v1::TICKET_STATE_UNSPECIFIED);
    changed->set_state(step.new_state);
    changed->set_cause(step.cause);
    changed->set_owner_reference(step.owner_reference);
    changed->set_customer_id(ticket.customer_id());
    changed->set_type(ticket.type());
    *changed->mutable_changed_at() = entry.at();
    kafka::EventMetadata metadata{
        kafka::DeriveEventId(source_id, "state_changed:" + ticket.ticket_id()),
        "gridcare.ticket.state_changed.v1",
        "/gridcare/intake",
        ticket.ticket_id(),
        now,
        kafka::ChildTraceparent(message.Header("traceparent").value_or(""))};
    if (auto status = publisher_.Publish(kafka::MakeRecord(std::string(kafka::kIntakeTopic),
                                                           ticket.ticket_id(), metadata, event));
        !status) {
      return kafka::HandleResult::FromError(status.error(), "publish_failed");
    }
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& id : unknown) list += (list.empty() ? "" : ", ") + id;
    // Parked for a replay once the tickets exist; the known tickets above were already applied.
    return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kUnknownTicket,
                                           "no ticket " + list);
  }
  return kafka::HandleResult::Done();
}

}  // namespace gridcare::intake
