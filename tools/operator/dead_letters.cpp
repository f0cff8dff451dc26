#include "dead_letters.h"

#include <algorithm>
#include <charconv>

#include "gridcare/core/clock.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/topics.h"

namespace gridcare::ops {
namespace {

template <typename Int>
std::optional<Int> ParseInt(std::string_view text) {
  Int value{};
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

std::string HeaderText(const kafka::ConsumedMessage& message, std::string_view name) {
  auto value = message.Header(name);
  return value ? std::string(*value) : std::string();
}

}  // namespace

std::string RecordId::ToString() const {
  return topic + ":" + std::to_string(partition) + ":" + std::to_string(offset);
}

core::Result<RecordId> ParseRecordId(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return core::InvalidArgument("record id \"" + std::string(text) + "\": " + std::string(why) +
                                 " (expected <topic>:<partition>:<offset>, e.g. "
                                 "gridcare.dlq.intake.v1:0:17)");
  };
  const size_t last = text.rfind(':');
  if (last == std::string_view::npos || last == 0) return bad("no partition and offset");
  const size_t middle = text.rfind(':', last - 1);
  if (middle == std::string_view::npos || middle == 0) return bad("no partition or no topic");
  RecordId id;
  id.topic = std::string(text.substr(0, middle));
  auto partition = ParseInt<int32_t>(text.substr(middle + 1, last - middle - 1));
  auto offset = ParseInt<int64_t>(text.substr(last + 1));
  if (!partition || *partition < 0) return bad("the partition is not a number >= 0");
  if (!offset || *offset < 0) return bad("the offset is not a number >= 0");
  id.partition = *partition;
  id.offset = *offset;
  return id;
}

core::Result<std::vector<std::string>> DeadLetterTopics(std::string_view group,
                                                        std::string_view topic) {
  if (!group.empty() && !topic.empty()) {
    return core::InvalidArgument("give --group or --topic, not both");
  }
  if (!topic.empty()) {
    if (!topic.starts_with("gridcare.dlq.") || !topic.ends_with(".v1")) {
      return core::InvalidArgument("--topic " + std::string(topic) +
                                   " is no dead-letter topic (gridcare.dlq.<group>.v1)");
    }
    return std::vector<std::string>{std::string(topic)};
  }
  if (!group.empty()) return std::vector<std::string>{kafka::DeadLetterTopic(group)};
  std::vector<std::string> topics;
  for (const auto name : kafka::kConsumerGroups) topics.push_back(kafka::DeadLetterTopic(name));
  return topics;
}

DeadLetterRow ToRow(const kafka::ConsumedMessage& dead_letter) {
  DeadLetterRow row;
  row.id = {dead_letter.topic, dead_letter.partition, dead_letter.offset};
  row.time = HeaderText(dead_letter, kafka::kDeadLetterTime);
  if (row.time.empty() && dead_letter.timestamp_ms > 0) {
    row.time = core::FormatRfc3339(core::FromUnixMillis(dead_letter.timestamp_ms));
  }
  row.group = HeaderText(dead_letter, kafka::kDeadLetterConsumerGroup);
  row.source_topic = HeaderText(dead_letter, kafka::kDeadLetterSourceTopic);
  row.source_partition =
      ParseInt<int32_t>(HeaderText(dead_letter, kafka::kDeadLetterSourcePartition)).value_or(-1);
  row.source_offset =
      ParseInt<int64_t>(HeaderText(dead_letter, kafka::kDeadLetterSourceOffset)).value_or(-1);
  row.reason = HeaderText(dead_letter, kafka::kDeadLetterReason);
  row.detail = HeaderText(dead_letter, kafka::kDeadLetterDetail);
  row.attempts = ParseInt<int>(HeaderText(dead_letter, kafka::kDeadLetterAttempts)).value_or(0);
  row.event_type = HeaderText(dead_letter, kafka::kHeaderType);
  row.event_id = HeaderText(dead_letter, kafka::kHeaderId);
  return row;
}

std::vector<DeadLetterRow> NewestRows(std::vector<DeadLetterRow> rows, size_t limit) {
  // RFC 3339 UTC times with a fixed precision sort as text.
  std::stable_sort(rows.begin(), rows.end(), [](const DeadLetterRow& a, const DeadLetterRow& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.id.topic != b.id.topic) return a.id.topic < b.id.topic;
    if (a.id.partition != b.id.partition) return a.id.partition < b.id.partition;
    return a.id.offset < b.id.offset;
  });
  if (limit > 0 && rows.size() > limit) {
    rows.erase(rows.begin(), rows.end() - static_cast<std::ptrdiff_t>(limit));
  }
  return rows;
}

Table DeadLetterTable(const std::vector<DeadLetterRow>& rows, size_t detail_width) {
  Table table({{"id", "ID", 60},
               {"time", "TIME", 24},
               {"group", "GROUP", 14},
               {"source_topic", "SOURCE TOPIC", 28},
               {"reason", "REASON", 20},
               {"detail", "DETAIL", detail_width}});
  for (const auto& row : rows) {
    table.AddRow({row.id.ToString(), TextOrNull(row.time), TextOrNull(row.group),
                  TextOrNull(row.source_topic), TextOrNull(row.reason), TextOrNull(row.detail)});
  }
  return table;
}

nlohmann::json RowJson(const DeadLetterRow& row) {
  return {{"id", row.id.ToString()},
          {"topic", row.id.topic},
          {"partition", row.id.partition},
          {"offset", row.id.offset},
          {"time", row.time},
          {"group", row.group},
          {"source_topic", row.source_topic},
          {"source_partition", row.source_partition},
          {"source_offset", row.source_offset},
          {"reason", row.reason},
          {"detail", row.detail},
          {"attempts", row.attempts},
          {"event_type", row.event_type},
          {"event_id", row.event_id}};
}

bool IsDeadLetterHeader(std::string_view name) { return name.starts_with("gridcare_dlq_"); }

core::Result<kafka::OutgoingRecord> ReplayRecord(const kafka::ConsumedMessage& dead_letter) {
  auto source = dead_letter.Header(kafka::kDeadLetterSourceTopic);
  if (!source || source->empty()) {
    return core::FailedPrecondition(
        RecordId{dead_letter.topic, dead_letter.partition, dead_letter.offset}.ToString() +
        " has no " + std::string(kafka::kDeadLetterSourceTopic) +
        " header: not a GridCare dead letter, nothing to replay");
  }
  kafka::OutgoingRecord record;
  record.topic = std::string(*source);
  record.key = dead_letter.key;
  record.value = dead_letter.value;
  for (const auto& [name, value] : dead_letter.headers) {
    if (!IsDeadLetterHeader(name)) record.headers.emplace_back(name, value);
  }
  return record;
}

}  // namespace gridcare::ops
