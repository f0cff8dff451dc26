#include "request_handler.h"

#include "gridcare/kafka/topics.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::intake {
namespace {

// The request in a record of gridcare.requests.v1, or why it must be dead-lettered.
std::optional<kafka::HandleResult> Decode(const kafka::ConsumedMessage& message,
                                          v1::RequestEvent& event) {
  if (!event.ParseFromString(message.value)) {
    // Includes text that is not valid UTF-8: protobuf refuses such strings while parsing.
    return kafka::HandleResult::DeadLetter(
        "malformed_protobuf",
        "cannot parse gridcare.v1.RequestEvent (malformed bytes or invalid "
        "UTF-8 in a string field)");
  }
  if (event.event_case() != v1::RequestEvent::kSubmitted) {
    return kafka::HandleResult::DeadLetter("unknown_event", "RequestEvent without a known case");
  }
  return std::nullopt;
}

}  // namespace

kafka::HandleResult IntakeMessageHandler::Handle(const kafka::ConsumedMessage& message) {
  if (message.topic != kafka::kRequestsTopic) return timeline_.Handle(message);
  v1::RequestEvent event;
  if (auto poison = Decode(message, event)) return *poison;
  const auto outcome = requests_.Submit({&event.submitted()});
  if (outcome.done == 1) return kafka::HandleResult::Done();
  return kafka::HandleResult::FromError(*outcome.error, "intake_failed");
}

std::vector<kafka::HandleResult> IntakeMessageHandler::HandleBatch(
    std::span<const kafka::ConsumedMessage> messages) {
  size_t count = 0;
  while (count < messages.size() && messages[count].topic == kafka::kRequestsTopic) ++count;
  std::vector<v1::RequestEvent> events(count);
  std::vector<kafka::HandleResult> results(count);
  std::vector<const v1::ServiceRequest*> requests;
  std::vector<size_t> positions;  // of each request among the messages
  for (size_t i = 0; i < count; ++i) {
    if (auto poison = Decode(messages[i], events[i])) {
      results[i] = *poison;
      continue;
    }
    requests.push_back(&events[i].submitted());
    positions.push_back(i);
  }
  if (requests.empty()) return results;
  const auto outcome = requests_.Submit(requests);
  // The first request not done, and everything after it, go back to the loop.
  if (outcome.done < requests.size()) results.resize(positions[outcome.done]);
  return results;
}

}  // namespace gridcare::intake
