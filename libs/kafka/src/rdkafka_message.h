#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"

namespace RdKafka {
class Handle;
class Message;
}  // namespace RdKafka

namespace gridcare::kafka::detail {

/// A fetched librdkafka message as plain data (key, value and headers copied; a header without a
/// value becomes ""). For this library's consumers and readers only.
ConsumedMessage ToConsumedMessage(RdKafka::Message& message);

/// A librdkafka error about `what` as a typed error: UNAVAILABLE (a timeout says "are the brokers
/// reachable?"), NOT_FOUND for an unknown topic or partition.
core::Error BrokerError(const std::string& what, int code);

/// The partition count of `topic` from all-topics metadata (so asking never auto-creates it).
/// NOT_FOUND when the cluster has no such topic.
core::Result<int32_t> PartitionCount(RdKafka::Handle& client, const std::string& topic,
                                     std::chrono::milliseconds timeout);

}  // namespace gridcare::kafka::detail
