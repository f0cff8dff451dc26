#pragma once

#include "gridcare/kafka/message.h"

namespace RdKafka {
class Message;
}

namespace gridcare::kafka::detail {

/// A fetched librdkafka message as plain data (key, value and headers copied; a header without a
/// value becomes ""). For this library's consumers and readers only.
ConsumedMessage ToConsumedMessage(RdKafka::Message& message);

}  // namespace gridcare::kafka::detail
