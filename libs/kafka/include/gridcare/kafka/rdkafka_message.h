#pragma once

// A fetched librdkafka message as this library's plain ConsumedMessage, for code that drives a
// librdkafka consumer itself (the consumers and readers here, benchmarks).

#include "gridcare/kafka/message.h"

namespace RdKafka {
class Message;
}  // namespace RdKafka

namespace gridcare::kafka {

/// Key, value and headers copied once (a header without a value becomes "").
ConsumedMessage ToConsumedMessage(RdKafka::Message& message);

}  // namespace gridcare::kafka
