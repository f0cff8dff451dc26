#include "request_handler.h"

#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::intake {
namespace {

// A record of gridcare.requests.v1 must carry a request (the only case of RequestEvent).
constexpr kafka::DecodeRules kRequestRules{.require_known_case = true};

}  // namespace

kafka::HandleResult IntakeMessageHandler::Handle(const kafka::ConsumedMessage& message) {
  if (message.topic != kafka::kRequestsTopic) return timeline_.Handle(message);
  v1::RequestEvent event;
  if (auto poison = kafka::DecodeEvent(message, event, kRequestRules)) return *poison;
  const std::vector<const v1::ServiceRequest*> requests{&event.submitted()};
  const auto outcome = requests_.Submit(requests);
  Count(requests, outcome);
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
    if (auto poison = kafka::DecodeEvent(messages[i], events[i], kRequestRules)) {
      results[i] = *poison;
      continue;
    }
    requests.push_back(&events[i].submitted());
    positions.push_back(i);
  }
  if (requests.empty()) return results;
  const auto outcome = requests_.Submit(requests);
  Count(requests, outcome);
  // The first request not done, and everything after it, go back to the loop.
  if (outcome.done < requests.size()) results.resize(positions[outcome.done]);
  return results;
}

void IntakeMessageHandler::Count(const std::vector<const v1::ServiceRequest*>& requests,
                                 const RequestBatcher::Outcome& outcome) const {
  if (!metrics_) return;
  for (size_t i = 0; i < outcome.results.size() && i < requests.size(); ++i) {
    metrics_->Count(*requests[i], outcome.results[i]);
  }
}

}  // namespace gridcare::intake
