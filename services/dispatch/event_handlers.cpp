#include "event_handlers.h"

#include "gridcare/kafka/topics.h"

namespace gridcare::dispatch {

std::string SourceEventId(const kafka::ConsumedMessage& message) {
  if (auto id = message.Header("ce_id"); id && !id->empty()) return std::string(*id);
  return message.topic + "/" + std::to_string(message.partition) + "/" +
         std::to_string(message.offset);
}

kafka::HandleResult IntakeEventHandler::Handle(const kafka::ConsumedMessage& message) {
  v1::IntakeEvent event;
  if (!event.ParseFromString(message.value)) {
    return kafka::HandleResult::DeadLetter("malformed_protobuf", "cannot parse IntakeEvent");
  }
  if (event.event_case() != v1::IntakeEvent::kTicketOpened) return kafka::HandleResult::Done();
  return dispatcher_.OnTicketOpened(event.ticket_opened().ticket(), SourceEventId(message),
                                    message.Header("traceparent").value_or(""));
}

kafka::HandleResult CrewEventHandler::Handle(const kafka::ConsumedMessage& message) {
  v1::CrewEvent event;
  if (!event.ParseFromString(message.value)) {
    return kafka::HandleResult::DeadLetter("malformed_protobuf", "cannot parse CrewEvent");
  }
  if (event.event_case() == v1::CrewEvent::EVENT_NOT_SET) {
    return kafka::HandleResult::DeadLetter("unknown_event", "CrewEvent with no known case");
  }
  return dispatcher_.OnCrewEvent(event, SourceEventId(message),
                                 message.Header("traceparent").value_or(""));
}

}  // namespace gridcare::dispatch
