#include "timeline_handler.h"

#include <google/protobuf/util/time_util.h>

#include <optional>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::intake {
namespace {

using google::protobuf::util::TimeUtil;

v1::LocalizedText Text(std::string zh, std::string en) {
  v1::LocalizedText text;
  text.set_zh_cn(std::move(zh));
  text.set_en(std::move(en));
  return text;
}

std::string EtaText(const google::protobuf::Timestamp& eta, bool english) {
  if (eta.seconds() == 0) return "";
  const auto local =
      TimeUtil::ToString(TimeUtil::SecondsToTimestamp(eta.seconds() + int64_t{8} * 3600));
  const std::string hhmm = local.substr(11, 5);
  return english ? "; estimated restoration " + hhmm + " (Beijing time)"
                 : "，预计 " + hhmm + " 恢复供电";
}

}  // namespace

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
      break;
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
      unknown.push_back(step.ticket_id);  // the other tickets of the event still move
      continue;
    }
    v1::Ticket ticket = std::move(**found);
    v1::TimelineEntry entry;
    *entry.mutable_at() = TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(now));
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
