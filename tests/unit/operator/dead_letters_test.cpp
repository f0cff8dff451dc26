#include "dead_letters.h"

#include <catch2/catch.hpp>

#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/topics.h"

namespace ops = gridcare::ops;
namespace kafka = gridcare::kafka;

namespace {

kafka::ConsumedMessage DeadLetterOf(const kafka::ConsumedMessage& original, int64_t at_ms) {
  const auto record =
      kafka::BuildDeadLetter(original, "profile", "unknown_customer", "no profile for customer C9",
                             gridcare::core::FromUnixMillis(at_ms), 1);
  kafka::ConsumedMessage parked;
  parked.topic = record.topic;
  parked.partition = 2;
  parked.offset = 17;
  parked.key = record.key;
  parked.value = record.value;
  parked.headers = record.headers;
  return parked;
}

kafka::ConsumedMessage Original() {
  kafka::ConsumedMessage original;
  original.topic = "gridcare.intake.v1";
  original.partition = 5;
  original.offset = 120;
  original.key = "GC-1";
  original.value = "bytes";
  original.headers = {
      {"ce_id", "e-1"}, {"ce_type", "gridcare.ticket.opened.v1"}, {"traceparent", "00-aa-bb-01"}};
  return original;
}

}  // namespace

TEST_CASE("record ids read topic partition and offset") {
  auto id = ops::ParseRecordId("gridcare.dlq.intake.v1:2:17");
  REQUIRE(id.ok());
  CHECK(id->topic == "gridcare.dlq.intake.v1");
  CHECK(id->partition == 2);
  CHECK(id->offset == 17);
  CHECK(id->ToString() == "gridcare.dlq.intake.v1:2:17");
}

TEST_CASE("malformed record ids say what is expected") {
  for (const char* bad : {"", "topic", "topic:1", ":1:2", "t:x:2", "t:1:y", "t:-1:2",
                          "t:1:", "t:1:99999999999999999999"}) {
    auto id = ops::ParseRecordId(bad);
    INFO(bad);
    REQUIRE_FALSE(id.ok());
    CHECK(id.error().message.find("<topic>:<partition>:<offset>") != std::string::npos);
  }
}

TEST_CASE("the dead-letter topics come from the group or the topic or every group") {
  CHECK(*ops::DeadLetterTopics("intake", "") == std::vector<std::string>{"gridcare.dlq.intake.v1"});
  CHECK(*ops::DeadLetterTopics("", "gridcare.dlq.x.v1") ==
        std::vector<std::string>{"gridcare.dlq.x.v1"});
  CHECK(ops::DeadLetterTopics("", "")->size() == std::size(kafka::kConsumerGroups));
  CHECK_FALSE(ops::DeadLetterTopics("intake", "gridcare.dlq.intake.v1").ok());
  CHECK_FALSE(ops::DeadLetterTopics("", "gridcare.intake.v1").ok());
}

TEST_CASE("a row reads what BuildDeadLetter wrote") {
  const auto row = ops::ToRow(DeadLetterOf(Original(), 1'000));
  CHECK(row.id.ToString() == "gridcare.dlq.profile.v1:2:17");
  CHECK(row.time == "1970-01-01T00:00:01.000Z");
  CHECK(row.group == "profile");
  CHECK(row.source_topic == "gridcare.intake.v1");
  CHECK(row.source_partition == 5);
  CHECK(row.source_offset == 120);
  CHECK(row.reason == "unknown_customer");
  CHECK(row.detail == "no profile for customer C9");
  CHECK(row.attempts == 1);
  CHECK(row.event_type == "gridcare.ticket.opened.v1");
  CHECK(row.event_id == "e-1");
}

TEST_CASE("a record without dead-letter headers still makes a row") {
  kafka::ConsumedMessage bare;
  bare.topic = "gridcare.dlq.x.v1";
  bare.timestamp_ms = 2'000;
  const auto row = ops::ToRow(bare);
  CHECK(row.time == "1970-01-01T00:00:02.000Z");
  CHECK(row.source_partition == -1);
  CHECK(row.reason.empty());
}

TEST_CASE("a limit keeps the newest rows in time order") {
  std::vector<ops::DeadLetterRow> rows(3);
  rows[0].time = "2026-01-03T00:00:00.000Z";
  rows[1].time = "2026-01-01T00:00:00.000Z";
  rows[2].time = "2026-01-02T00:00:00.000Z";
  const auto newest = ops::NewestRows(rows, 2);
  REQUIRE(newest.size() == 2);
  CHECK(newest[0].time == "2026-01-02T00:00:00.000Z");
  CHECK(newest[1].time == "2026-01-03T00:00:00.000Z");
  CHECK(ops::NewestRows(rows, 0).size() == 3);
}

TEST_CASE("a replay publishes the original key value and headers to the source topic") {
  const auto original = Original();
  auto record = ops::ReplayRecord(DeadLetterOf(original, 0));
  REQUIRE(record.ok());
  CHECK(record->topic == "gridcare.intake.v1");
  CHECK(record->key == original.key);
  CHECK(record->value == original.value);
  CHECK(record->headers == original.headers);  // in order, gridcare_dlq_* gone
}

TEST_CASE("a record that is no dead letter of ours is not replayed") {
  kafka::ConsumedMessage bare;
  bare.topic = "gridcare.dlq.x.v1";
  auto record = ops::ReplayRecord(bare);
  REQUIRE_FALSE(record.ok());
  CHECK(record.error().kind == gridcare::core::ErrorKind::kFailedPrecondition);
}
