#include "rdkafka_message.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <memory>

namespace gridcare::kafka {

ConsumedMessage ToConsumedMessage(RdKafka::Message& message) {
  ConsumedMessage out;
  out.topic = message.topic_name();
  out.partition = message.partition();
  out.offset = message.offset();
  if (message.key()) out.key = *message.key();
  if (message.payload()) {
    out.value.assign(static_cast<const char*>(message.payload()), message.len());
  }
  // The headers through the C API: read in place, copied once (the C++ API's headers() detaches
  // them and get_all() copies each twice more).
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(message.c_ptr(), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR &&
      headers != nullptr) {
    out.headers.reserve(rd_kafka_header_cnt(headers));
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      out.headers.emplace_back(name, value != nullptr
                                         ? std::string(static_cast<const char*>(value), size)
                                         : std::string());
    }
  }
  out.timestamp_ms = message.timestamp().timestamp;
  return out;
}

}  // namespace gridcare::kafka

namespace gridcare::kafka::detail {

core::Error BrokerError(const std::string& what, int raw_code) {
  const auto code = static_cast<RdKafka::ErrorCode>(raw_code);
  std::string message = what + ": " + RdKafka::err2str(code);
  if (code == RdKafka::ERR__TIMED_OUT) {
    return core::Error{core::ErrorKind::kUnavailable, message + " (are the brokers reachable?)"};
  }
  if (code == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART || code == RdKafka::ERR__UNKNOWN_TOPIC ||
      code == RdKafka::ERR__UNKNOWN_PARTITION) {
    return core::NotFound(message);
  }
  return core::Unavailable(message);
}

core::Result<int32_t> PartitionCount(RdKafka::Handle& client, const std::string& topic,
                                     std::chrono::milliseconds timeout) {
  RdKafka::Metadata* raw = nullptr;
  const auto code = client.metadata(/*all_topics=*/true, nullptr, &raw,
                                    static_cast<int>(std::max<int64_t>(1, timeout.count())));
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (code != RdKafka::ERR_NO_ERROR) return BrokerError("reading the cluster's topics", code);
  for (const auto* entry : *metadata->topics()) {
    if (entry->topic() != topic) continue;
    if (entry->err() != RdKafka::ERR_NO_ERROR) return BrokerError("topic " + topic, entry->err());
    return static_cast<int32_t>(entry->partitions()->size());
  }
  return core::NotFound("topic " + topic + " does not exist");
}

}  // namespace gridcare::kafka::detail
