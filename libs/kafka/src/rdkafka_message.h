#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"
#include "gridcare/kafka/rdkafka_message.h"

namespace RdKafka {
class Handle;
class Message;
}  // namespace RdKafka

namespace gridcare::kafka::detail {

using kafka::ToConsumedMessage;  // gridcare/kafka/rdkafka_message.h

/// A librdkafka error about `what` as a typed error: UNAVAILABLE (a timeout says "are the brokers
/// reachable?"), NOT_FOUND for an unknown topic or partition.
core::Error BrokerError(const std::string& what, int code);

/// The partition count of `topic` from all-topics metadata (so asking never auto-creates it).
/// NOT_FOUND when the cluster has no such topic.
core::Result<int32_t> PartitionCount(RdKafka::Handle& client, const std::string& topic,
                                     std::chrono::milliseconds timeout);

}  // namespace gridcare::kafka::detail
