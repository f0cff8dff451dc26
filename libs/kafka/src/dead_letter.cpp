#include "gridcare/kafka/dead_letter.h"

#include "gridcare/kafka/topics.h"

namespace gridcare::kafka {

OutgoingRecord BuildDeadLetter(const ConsumedMessage& message, std::string_view consumer_group,
                               std::string_view reason, std::string_view detail,
                               core::TimePoint now, int attempts) {
  OutgoingRecord record;
  record.topic = DeadLetterTopic(consumer_group);
  record.key = message.key;
  record.value = message.value;
  record.headers = message.headers;
  // Details are capped so one odd message cannot produce an oversize dead letter.
  constexpr size_t kMaxDetail = 1024;
  record.headers.emplace_back(kDeadLetterReason, reason);
  record.headers.emplace_back(kDeadLetterDetail, detail.substr(0, kMaxDetail));
  record.headers.emplace_back(kDeadLetterSourceTopic, message.topic);
  record.headers.emplace_back(kDeadLetterSourcePartition, std::to_string(message.partition));
  record.headers.emplace_back(kDeadLetterSourceOffset, std::to_string(message.offset));
  record.headers.emplace_back(kDeadLetterConsumerGroup, consumer_group);
  record.headers.emplace_back(kDeadLetterTime, core::FormatRfc3339(now));
  record.headers.emplace_back(kDeadLetterAttempts, std::to_string(attempts));
  return record;
}

}  // namespace gridcare::kafka
