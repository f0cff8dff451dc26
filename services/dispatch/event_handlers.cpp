#include "event_handlers.h"

#include <optional>

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

std::vector<kafka::HandleResult> IntakeEventHandler::HandleBatch(
    std::span<const kafka::ConsumedMessage> messages) {
  // The leading records that decode: tickets for the dispatcher, other events done at once.
  std::vector<v1::IntakeEvent> events(messages.size());
  std::vector<std::string> event_ids(messages.size());  // TicketInput refers to them
  std::vector<TicketInput> tickets;
  std::vector<std::optional<size_t>> ticket_of;  // per record: its index in `tickets`, if one
  for (size_t i = 0; i < messages.size(); ++i) {
    if (kafka::DecodeEvent(messages[i], events[i])) break;  // Handle dead-letters it
    if (events[i].event_case() != v1::IntakeEvent::kTicketOpened) {
      ticket_of.emplace_back();
      continue;
    }
    ticket_of.emplace_back(tickets.size());
    event_ids[i] = SourceEventId(messages[i]);
    tickets.push_back({&events[i].ticket_opened().ticket(), event_ids[i],
                       messages[i].Header("traceparent").value_or("")});
  }
  const auto decided = dispatcher_.OnTicketsOpened(tickets);
  std::vector<kafka::HandleResult> results;
  for (const auto& ticket : ticket_of) {
    if (!ticket) {
      results.push_back(kafka::HandleResult::Done());
    } else if (*ticket < decided.size()) {
      results.push_back(decided[*ticket]);
    } else {
      break;
    }
  }
  return results;
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
