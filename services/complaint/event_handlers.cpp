#include "event_handlers.h"

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/event_decoding.h"
#include "incident_context.h"

namespace gridcare::complaint {
namespace {

kafka::HandleResult ResultOf(const core::Status& status) {
  if (status) return kafka::HandleResult::Done();
  return kafka::HandleResult::FromError(status.error(), "redis_error");
}

kafka::HandleResult MissingTicketId(std::string_view what) {
  return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kMissingTicketId,
                                         std::string(what) + " without a ticket id");
}

}  // namespace

std::string MaskCustomerId(std::string_view customer_id) {
  if (customer_id.empty()) return "";
  if (customer_id.size() <= 4) return std::string(customer_id.size(), '*');
  return std::string(customer_id.substr(0, 2)) + "****" +
         std::string(customer_id.substr(customer_id.size() - 2));
}

kafka::HandleResult IntakeEventHandler::Apply(const v1::IntakeEvent& event,
                                              const kafka::ConsumedMessage& message) {
  const std::string traceparent(message.Header("traceparent").value_or(""));
  switch (event.event_case()) {
    case v1::IntakeEvent::kTicketOpened:
      return Opened(event.ticket_opened().ticket(), message);
    case v1::IntakeEvent::kContactAdded:
      if (event.contact_added().ticket_id().empty()) return MissingTicketId("contact_added");
      return ResultOf(
          desk_.OnContactAdded(event.contact_added(), kafka::SourceEventId(message), traceparent));
    case v1::IntakeEvent::kTicketStateChanged:
      if (event.ticket_state_changed().ticket_id().empty()) {
        return MissingTicketId("ticket_state_changed");
      }
      return ResultOf(desk_.OnTicketStateChanged(event.ticket_state_changed(),
                                                 kafka::SourceEventId(message), traceparent));
    default:
      return kafka::HandleResult::Done();  // answered consultations, rejections: not ours
  }
}

kafka::HandleResult IntakeEventHandler::Opened(const v1::Ticket& ticket,
                                               const kafka::ConsumedMessage& message) {
  if (!IsCaseType(ticket.type())) return kafka::HandleResult::Done();
  if (ticket.ticket_id().empty()) {
    return MissingTicketId("ticket_opened");
  }
  OpenFacts facts;
  facts.district = ticket.location().district();
  facts.customer_display = MaskCustomerId(ticket.customer_id());
  auto linked = incidents_.Find(ticket.supply());
  if (!linked) return kafka::HandleResult::FromError(linked.error(), "redis_error");
  if (linked->has_value()) {
    facts.incident_id = (*linked)->incident_id;
    facts.supply_point = (*linked)->supply_point;
  }
  return ResultOf(desk_.OnTicketOpened(ticket, facts, kafka::SourceEventId(message),
                                       message.Header("traceparent").value_or("")));
}

kafka::HandleResult DispatchEventHandler::Apply(const v1::DispatchEvent& event,
                                                const kafka::ConsumedMessage& /*message*/) {
  const v1::Incident* incident = nullptr;
  switch (event.event_case()) {
    case v1::DispatchEvent::kIncidentOpened:
      incident = &event.incident_opened().incident();
      break;
    case v1::DispatchEvent::kIncidentUpdated:
      incident = &event.incident_updated().incident();
      break;
    case v1::DispatchEvent::kIncidentRolledUp:
      incident = &event.incident_rolled_up().incident();
      break;
    case v1::DispatchEvent::kIncidentRestored:
      incident = &event.incident_restored().incident();
      break;
    case v1::DispatchEvent::kWorkOrderCreated:
      return ResultOf(incidents_.RecordWorkOrder(event.work_order_created().work_order()));
    case v1::DispatchEvent::kWorkOrderAssigned:
      return ResultOf(incidents_.RecordWorkOrder(event.work_order_assigned().work_order()));
    case v1::DispatchEvent::kWorkOrderReassigned:
      return ResultOf(incidents_.RecordWorkOrder(event.work_order_reassigned().work_order()));
    default:
      return kafka::HandleResult::Done();
  }
  return ResultOf(incidents_.Record(*incident));
}

kafka::HandleResult CrewEventHandler::Apply(const v1::CrewEvent& event,
                                            const kafka::ConsumedMessage& message) {
  if (!CrewEventWorkOrder(event)) return kafka::HandleResult::Done();
  core::TimePoint at{std::chrono::milliseconds(message.timestamp_ms)};
  if (auto header = message.Header(kafka::kHeaderTime)) {
    if (auto parsed = kafka::ParseRfc3339(*header)) at = *parsed;
  }
  auto recorded = incidents_.RecordCrewEvent(event, at);
  if (!recorded) return kafka::HandleResult::FromError(recorded.error(), "redis_error");
  return kafka::HandleResult::Done();
}

}  // namespace gridcare::complaint
