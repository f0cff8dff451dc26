#include "gridcare/kafka/event_decoding.h"

namespace gridcare::kafka {

HandleResult MalformedEvent(std::string_view type_name) {
  return HandleResult::DeadLetter(DeadLetterReason::kMalformedProtobuf,
                                  "cannot parse " + std::string(type_name) +
                                      " (malformed bytes or invalid UTF-8 in a string field)");
}

HandleResult UnexpectedTopic(std::string_view topic, std::string_view expected_topic) {
  return HandleResult::DeadLetter(
      DeadLetterReason::kUnexpectedTopic,
      "this consumer reads " + std::string(expected_topic) + ", not " + std::string(topic));
}

HandleResult UnknownEventCase(std::string_view type_name) {
  return HandleResult::DeadLetter(DeadLetterReason::kUnknownEvent,
                                  std::string(type_name) + " with no known case");
}

std::string SourceEventId(const ConsumedMessage& message) {
  if (auto id = message.Header("ce_id"); id && !id->empty()) return std::string(*id);
  return message.topic + "/" + std::to_string(message.partition) + "/" +
         std::to_string(message.offset);
}

}  // namespace gridcare::kafka
