#pragma once

#include <string_view>

#include "gridcare/core/clock.h"
#include "gridcare/kafka/message.h"

namespace gridcare::kafka {

/// Headers a dead letter carries besides the original record's own headers.
inline constexpr std::string_view kDeadLetterReason = "gridcare_dlq_reason";  // machine code
inline constexpr std::string_view kDeadLetterDetail = "gridcare_dlq_detail";  // for humans
inline constexpr std::string_view kDeadLetterSourceTopic = "gridcare_dlq_source_topic";
inline constexpr std::string_view kDeadLetterSourcePartition = "gridcare_dlq_source_partition";
inline constexpr std::string_view kDeadLetterSourceOffset = "gridcare_dlq_source_offset";
inline constexpr std::string_view kDeadLetterConsumerGroup = "gridcare_dlq_consumer_group";
inline constexpr std::string_view kDeadLetterTime = "gridcare_dlq_time";
inline constexpr std::string_view kDeadLetterAttempts = "gridcare_dlq_attempts";

/// The record to publish on the group's dead-letter topic for `message`: the original key, value
/// and headers, plus where it came from and why it was parked. Replaying a dead letter means
/// publishing its key, value and original headers back to gridcare_dlq_source_topic.
OutgoingRecord BuildDeadLetter(const ConsumedMessage& message, std::string_view consumer_group,
                               std::string_view reason, std::string_view detail,
                               core::TimePoint now, int attempts);

}  // namespace gridcare::kafka
