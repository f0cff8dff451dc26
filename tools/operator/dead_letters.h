#pragma once

// What the dead-letter commands decide, without Kafka: record ids, which topics to read, one row
// per dead letter, filters, and the record a replay publishes. Pure: no I/O. Thread-safe.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"
#include "table.h"

namespace gridcare::ops {

/// Where a record sits: "<topic>:<partition>:<offset>", a dead letter's id in every command.
struct RecordId {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;

  std::string ToString() const;
  bool operator==(const RecordId&) const = default;
};

/// Parses "<topic>:<partition>:<offset>" (Kafka topic names hold no ':'). INVALID_ARGUMENT saying
/// what is expected, e.g. "gridcare.dlq.intake.v1:0:17".
core::Result<RecordId> ParseRecordId(std::string_view text);

/// The dead-letter topics to read: --topic T alone, --group G's topic, or every consumer group's
/// (kafka::kConsumerGroups). INVALID_ARGUMENT for both at once or for a name that is no
/// dead-letter topic ("gridcare.dlq.<group>.v1").
core::Result<std::vector<std::string>> DeadLetterTopics(std::string_view group,
                                                        std::string_view topic);

/// One dead letter as `dead-letters list` shows it; fields from the gridcare_dlq_* headers (see
/// kafka/dead_letter.h), "" / -1 where a header is missing.
struct DeadLetterRow {
  RecordId id;
  std::string time;  // gridcare_dlq_time, else the record's timestamp (RFC 3339)
  std::string group;
  std::string source_topic;
  int32_t source_partition = -1;
  int64_t source_offset = -1;
  std::string reason;
  std::string detail;
  int attempts = 0;
  std::string event_type;  // ce_type of the original event
  std::string event_id;    // its ce_id (what consumers de-duplicate on)
};

DeadLetterRow ToRow(const kafka::ConsumedMessage& dead_letter);

/// The rows, oldest first (by time, then id); with `limit` > 0 only the `limit` newest.
std::vector<DeadLetterRow> NewestRows(std::vector<DeadLetterRow> rows, size_t limit);

/// The list table (detail cut to `detail_width` in text; whole in JSON).
Table DeadLetterTable(const std::vector<DeadLetterRow>& rows, size_t detail_width = 60);

/// A row as JSON with every field (for --json).
nlohmann::json RowJson(const DeadLetterRow& row);

/// Whether header `name` is one of the gridcare_dlq_* headers a dead letter adds.
bool IsDeadLetterHeader(std::string_view name);

/// What replaying `dead_letter` publishes: its key, value and original headers (without the
/// gridcare_dlq_* ones, in their order) to gridcare_dlq_source_topic. The event keeps its ce_id,
/// so groups that handled it before skip it and the group that parked it handles it.
/// FAILED_PRECONDITION when the record has no source topic header (it is no dead letter of ours).
core::Result<kafka::OutgoingRecord> ReplayRecord(const kafka::ConsumedMessage& dead_letter);

}  // namespace gridcare::ops
