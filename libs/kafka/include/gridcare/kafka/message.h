#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gridcare::kafka {

/// Kafka record headers in order; keys may repeat (Kafka allows it), lookups take the last.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// The last value of header `name`, if present.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name);

/// A record as a handler sees it: plain data, so handlers are unit-tested without librdkafka.
struct ConsumedMessage {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  Headers headers;
  int64_t timestamp_ms = 0;  // record timestamp (producer create time)

  std::optional<std::string_view> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

/// A record to publish.
struct OutgoingRecord {
  std::string topic;
  std::string key;
  std::string value;
  Headers headers;
  /// An explicit partition; -1 (the default): the partitioner chooses by key.
  int32_t partition = -1;
};

}  // namespace gridcare::kafka
