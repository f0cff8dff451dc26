#include "event_handlers.h"

#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/topics.h"

namespace gridcare::dispatch {

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
