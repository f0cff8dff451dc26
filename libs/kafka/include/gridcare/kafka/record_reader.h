#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/kafka/client_config.h"
#include "gridcare/kafka/message.h"

namespace RdKafka {
class KafkaConsumer;
}

namespace gridcare::kafka {

/// Reads the records a topic holds now, for tools (the operator's dead-letter commands): no
/// consumer group is joined and no offset is ever committed, so reading changes nothing any
/// consumer sees. Implementations are not thread-safe: one reader per thread.
class RecordReader {
 public:
  virtual ~RecordReader() = default;

  /// Hands every record of `topic` to `visit`, from each partition's low watermark up to its high
  /// watermark as it was when the call began (records published meanwhile are not read): in
  /// offset order within a partition, the partitions interleaved as they are fetched (all at
  /// once). Each message is the visitor's to keep (it may move from it). NOT_FOUND when the topic
  /// does not exist; UNAVAILABLE when the brokers do not answer; DEADLINE_EXCEEDED when the end is
  /// not reached within `timeout` (what was read so far has been visited).
  virtual core::Status ReadAll(const std::string& topic, std::chrono::milliseconds timeout,
                               const std::function<void(ConsumedMessage&)>& visit) = 0;

  /// The record at `topic`/`partition`/`offset`. NOT_FOUND when the topic or partition does not
  /// exist or the partition holds no record at that offset (expired, compacted, or not yet
  /// written); UNAVAILABLE / DEADLINE_EXCEEDED as for ReadAll.
  virtual core::Result<ConsumedMessage> ReadOne(const std::string& topic, int32_t partition,
                                                int64_t offset,
                                                std::chrono::milliseconds timeout) = 0;
};

struct RecordReaderSettings {
  std::string bootstrap_servers;
  std::string client_id;
  /// librdkafka's consumer wants a group.id even for assign(); it is never joined and no offset
  /// is committed for it (where ACLs apply, one the reader may describe). "" :
  /// "<client_id>-reader".
  std::string group_id;
  ExtraConfig extra;  // e.g. security.protocol, sasl.*: wins over the reader's own properties
};

/// RecordReader over librdkafka: a KafkaConsumer that only ever assign()s partitions at explicit
/// offsets, with auto-commit and offset storing switched off.
class KafkaRecordReader final : public RecordReader {
 public:
  /// INVALID_ARGUMENT on settings librdkafka rejects. Connects lazily.
  static core::Result<std::unique_ptr<KafkaRecordReader>> Create(
      const RecordReaderSettings& settings);
  ~KafkaRecordReader() override;

  core::Status ReadAll(const std::string& topic, std::chrono::milliseconds timeout,
                       const std::function<void(ConsumedMessage&)>& visit) override;
  core::Result<ConsumedMessage> ReadOne(const std::string& topic, int32_t partition, int64_t offset,
                                        std::chrono::milliseconds timeout) override;

 private:
  KafkaRecordReader() = default;
  /// The partition count of `topic` (all-topics metadata, so asking never auto-creates it).
  core::Result<int32_t> Partitions(const std::string& topic, std::chrono::milliseconds timeout);

  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

}  // namespace gridcare::kafka
