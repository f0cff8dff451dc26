#include "rdkafka_message.h"

#include <librdkafka/rdkafkacpp.h>

namespace gridcare::kafka::detail {

ConsumedMessage ToConsumedMessage(RdKafka::Message& message) {
  ConsumedMessage out;
  out.topic = message.topic_name();
  out.partition = message.partition();
  out.offset = message.offset();
  if (message.key()) out.key = *message.key();
  if (message.payload()) {
    out.value.assign(static_cast<const char*>(message.payload()), message.len());
  }
  if (const RdKafka::Headers* headers = message.headers()) {
    for (const auto& header : headers->get_all()) {
      out.headers.emplace_back(
          header.key(), header.value() ? std::string(static_cast<const char*>(header.value()),
                                                     header.value_size())
                                       : std::string());
    }
  }
  out.timestamp_ms = message.timestamp().timestamp;
  return out;
}

}  // namespace gridcare::kafka::detail
