#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/message.h"

namespace gridcare::kafka {

/// How strictly DecodeEvent reads a record.
struct DecodeRules {
  /// When set, a record from any other topic is a kUnexpectedTopic dead letter.
  std::string_view expected_topic;
  /// When true, an event whose `event` oneof is not set (a producer newer than this consumer, or
  /// an empty value) is a kUnknownEvent dead letter. Consumers that act on a few cases and ignore
  /// the rest leave it false, so new event kinds stay compatible.
  bool require_known_case = false;
};

/// The dead letter for a value that does not parse as `type_name` (malformed bytes, or a string
/// field that is not valid UTF-8: protobuf refuses those while parsing).
HandleResult MalformedEvent(std::string_view type_name);
/// The dead letter for a record from `topic` where only `expected_topic` is read.
HandleResult UnexpectedTopic(std::string_view topic, std::string_view expected_topic);
/// The dead letter for an event with no known case.
HandleResult UnknownEventCase(std::string_view type_name);

/// Parses `message.value` into `event` (a generated gridcare.v1 …Event with a oneof `event`).
/// Returns the dead letter to hand back when the record cannot be used, nullopt when it can.
template <typename Event>
std::optional<HandleResult> DecodeEvent(const ConsumedMessage& message, Event& event,
                                        const DecodeRules& rules = {}) {
  if (!rules.expected_topic.empty() && message.topic != rules.expected_topic) {
    return UnexpectedTopic(message.topic, rules.expected_topic);
  }
  if (!event.ParseFromString(message.value))
    return MalformedEvent(Event::descriptor()->full_name());
  if constexpr (requires { event.event_case(); }) {
    if (rules.require_known_case && event.event_case() == 0) {
      return UnknownEventCase(Event::descriptor()->full_name());
    }
  }
  return std::nullopt;
}

/// The id a consumed record is known by (for de-duplication and derived event ids): its ce_id,
/// else "<topic>/<partition>/<offset>" (a foreign adapter's record without CloudEvents headers is
/// still recognised when it is redelivered).
std::string SourceEventId(const ConsumedMessage& message);

}  // namespace gridcare::kafka
