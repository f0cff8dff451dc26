#include "event_handlers.h"

#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/topics.h"

namespace gridcare::dispatch {

std::string SourceEventId(const kafka::ConsumedMessage& message) {
  if (auto id = message.Header("ce_id"); id && !id->empty()) return std::string(*id);
  return message.topic + "/" + std::to_string(message.partition) + "/" +
         std::to_string(message.offset);
}

kafka::HandleResult IntakeEventHandler::Handle(const kafka::ConsumedMessage& message) {
  v1::IntakeEvent event;
  if (auto poison = kafka::DecodeEvent(message, event)) return *poison;
  if (event.event_case() != v1::IntakeEvent::kTicketOpened) return kafka::HandleResult::Done();
  return dispatcher_.OnTicketOpened(event.ticket_opened().ticket(), SourceEventId(message),
                                    message.Header("traceparent").value_or(""));
}

kafka::HandleResult CrewEventHandler::Handle(const kafka::ConsumedMessage& message) {
  v1::CrewEvent event;
  if (auto poison = kafka::DecodeEvent(message, event, {.require_known_case = true})) {
    return *poison;
  }
  return dispatcher_.OnCrewEvent(event, SourceEventId(message),
                                 message.Header("traceparent").value_or(""));
}

}  // namespace gridcare::dispatch
