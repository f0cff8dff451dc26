#include "request_handler.h"

#include "gridcare/kafka/topics.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::intake {

kafka::HandleResult IntakeMessageHandler::Handle(const kafka::ConsumedMessage& message) {
  if (message.topic != kafka::kRequestsTopic) return timeline_.Handle(message);
  v1::RequestEvent event;
  if (!event.ParseFromString(message.value)) {
    // Includes text that is not valid UTF-8: protobuf refuses such strings while parsing.
    return kafka::HandleResult::DeadLetter(
        "malformed_protobuf", "cannot parse gridcare.v1.RequestEvent (malformed bytes or invalid "
                              "UTF-8 in a string field)");
  }
  if (event.event_case() != v1::RequestEvent::kSubmitted) {
    return kafka::HandleResult::DeadLetter("unknown_event", "RequestEvent without a known case");
  }
  auto result = core_.Submit(event.submitted());
  if (!result) return kafka::HandleResult::FromError(result.error(), "intake_failed");
  return kafka::HandleResult::Done();
}

}  // namespace gridcare::intake
