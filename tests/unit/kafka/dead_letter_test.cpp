#include "gridcare/kafka/dead_letter.h"

#include <catch2/catch.hpp>

#include "gridcare/kafka/topics.h"

namespace kafka = gridcare::kafka;

TEST_CASE("a dead letter keeps the original record and says where it came from and why") {
  kafka::ConsumedMessage message;
  message.topic = "gridcare.requests.v1";
  message.partition = 7;
  message.offset = 42;
  message.key = "C001";
  message.value = std::string("\x0a\xff\x00garbage", 10);
  message.headers = {{"ce_id", "evt-1"}};

  const auto record =
      kafka::BuildDeadLetter(message, "intake", "malformed_protobuf", "cannot parse ServiceRequest",
                             gridcare::core::FromUnixMillis(0), 1);
  CHECK(record.topic == "gridcare.dlq.intake.v1");
  CHECK(record.key == "C001");
  CHECK(record.value == message.value);
  CHECK(kafka::FindHeader(record.headers, "ce_id") == "evt-1");
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterReason) == "malformed_protobuf");
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterDetail) ==
        "cannot parse ServiceRequest");
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterSourceTopic) == "gridcare.requests.v1");
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterSourcePartition) == "7");
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterSourceOffset) == "42");
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterConsumerGroup) == "intake");
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterTime) == "1970-01-01T00:00:00.000Z");
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterAttempts) == "1");
}

TEST_CASE("dead-letter details are capped") {
  kafka::ConsumedMessage message;
  message.topic = "t";
  const auto record = kafka::BuildDeadLetter(message, "g", "r", std::string(5000, 'x'),
                                             gridcare::core::FromUnixMillis(0), 3);
  CHECK(kafka::FindHeader(record.headers, kafka::kDeadLetterDetail)->size() == 1024);
}
