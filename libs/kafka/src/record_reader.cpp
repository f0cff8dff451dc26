#include "gridcare/kafka/record_reader.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "rdkafka_message.h"

namespace gridcare::kafka {
namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<int64_t>(1, left.count()));
}

// Takes partitions at explicit offsets; unassigns on destruction.
class Assignment {
 public:
  Assignment(RdKafka::KafkaConsumer& consumer, const std::string& topic,
             const std::vector<std::pair<int32_t, int64_t>>& starts)
      : consumer_(consumer) {
    std::vector<std::unique_ptr<RdKafka::TopicPartition>> owned;
    std::vector<RdKafka::TopicPartition*> list;
    for (const auto& [partition, offset] : starts) {
      owned.emplace_back(RdKafka::TopicPartition::create(topic, partition, offset));
      list.push_back(owned.back().get());
    }
    result_ = consumer_.assign(list);
  }
  ~Assignment() { consumer_.unassign(); }
  Assignment(const Assignment&) = delete;
  Assignment& operator=(const Assignment&) = delete;
  RdKafka::ErrorCode result() const { return result_; }

 private:
  RdKafka::KafkaConsumer& consumer_;
  RdKafka::ErrorCode result_ = RdKafka::ERR_NO_ERROR;
};

}  // namespace

core::Result<std::unique_ptr<KafkaRecordReader>> KafkaRecordReader::Create(
    const RecordReaderSettings& settings) {
  if (settings.bootstrap_servers.empty()) {
    return core::InvalidArgument("kafka bootstrap servers are empty");
  }
  const std::string client_id = settings.client_id.empty() ? "gridcare-reader" : settings.client_id;
  ExtraConfig properties = {
      {"bootstrap.servers", settings.bootstrap_servers},
      {"client.id", client_id},
      {"group.id", settings.group_id.empty() ? client_id + "-reader" : settings.group_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},
      {"auto.offset.reset", "earliest"},
      {"fetch.wait.max.ms", "10"},  // it reads to a known end: a long poll only waits there
  };
  for (const auto& [name, value] : settings.extra) properties[name] = value;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  for (const auto& [name, value] : properties) {
    if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
      return core::InvalidArgument("kafka property " + name + ": " + error);
    }
  }
  std::unique_ptr<KafkaRecordReader> self(new KafkaRecordReader());
  self->consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!self->consumer_) return core::InvalidArgument("cannot create kafka consumer: " + error);
  return self;
}

KafkaRecordReader::~KafkaRecordReader() {
  if (consumer_) consumer_->close();  // nothing to commit: auto-commit is off and no group joined
}

core::Result<int32_t> KafkaRecordReader::Partitions(const std::string& topic,
                                                    std::chrono::milliseconds timeout) {
  return detail::PartitionCount(*consumer_, topic, timeout);
}

core::Status KafkaRecordReader::ReadAll(const std::string& topic, std::chrono::milliseconds timeout,
                                        const std::function<void(ConsumedMessage&)>& visit) {
  const auto deadline = Clock::now() + timeout;
  auto partitions = Partitions(topic, timeout);
  if (!partitions) return partitions.error();
  // Every partition at once, from its low watermark to the high one as it is now: one fetch
  // session for the whole topic (one partition at a time waited at every partition's start).
  std::vector<std::pair<int32_t, int64_t>> starts;
  std::map<int32_t, int64_t> ends;  // partitions still being read -> their high watermark
  for (int32_t partition = 0; partition < *partitions; ++partition) {
    int64_t low = 0;
    int64_t high = 0;
    const auto code =
        consumer_->query_watermark_offsets(topic, partition, &low, &high, RemainingMs(deadline));
    if (code != RdKafka::ERR_NO_ERROR) {
      return detail::BrokerError("offsets of " + topic + "/" + std::to_string(partition), code);
    }
    if (high <= low) continue;
    starts.emplace_back(partition, low);
    ends[partition] = high;
  }
  if (starts.empty()) return {};
  Assignment assignment(*consumer_, topic, starts);
  if (assignment.result() != RdKafka::ERR_NO_ERROR) {
    return detail::BrokerError("reading " + topic, assignment.result());
  }
  while (!ends.empty()) {
    if (Clock::now() >= deadline) {
      const auto& [partition, high] = *ends.begin();
      return core::Error{core::ErrorKind::kDeadlineExceeded,
                         "reading " + topic + "/" + std::to_string(partition) +
                             " did not reach offset " + std::to_string(high) +
                             " within the timeout"};
    }
    std::unique_ptr<RdKafka::Message> message(
        consumer_->consume(std::min(RemainingMs(deadline), 200)));
    const auto err = message->err();
    if (err != RdKafka::ERR_NO_ERROR && err != RdKafka::ERR__PARTITION_EOF) continue;  // recovers
    const auto end = ends.find(message->partition());
    if (end == ends.end()) continue;  // a partition already read to its end
    if (err == RdKafka::ERR__PARTITION_EOF || message->offset() >= end->second) {
      ends.erase(end);  // at its end (the rest, if any, was compacted away or came later)
      continue;
    }
    ConsumedMessage consumed = detail::ToConsumedMessage(*message);
    visit(consumed);
    if (message->offset() + 1 >= end->second) ends.erase(end);
  }
  return {};
}

core::Result<ConsumedMessage> KafkaRecordReader::ReadOne(const std::string& topic,
                                                         int32_t partition, int64_t offset,
                                                         std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string where = topic + ":" + std::to_string(partition) + ":" + std::to_string(offset);
  auto partitions = Partitions(topic, timeout);
  if (!partitions) return partitions.error();
  if (partition < 0 || partition >= *partitions) {
    return core::NotFound("topic " + topic + " has no partition " + std::to_string(partition) +
                          " (it has " + std::to_string(*partitions) + ")");
  }
  int64_t low = 0;
  int64_t high = 0;
  const auto code =
      consumer_->query_watermark_offsets(topic, partition, &low, &high, RemainingMs(deadline));
  if (code != RdKafka::ERR_NO_ERROR) return detail::BrokerError("offsets of " + where, code);
  if (offset < low || offset >= high) {
    return core::NotFound("no record " + where + " (the partition holds offsets " +
                          std::to_string(low) + " to " + std::to_string(high - 1) + ")");
  }
  Assignment assignment(*consumer_, topic, {{partition, offset}});
  if (assignment.result() != RdKafka::ERR_NO_ERROR) {
    return detail::BrokerError("reading " + where, assignment.result());
  }
  while (Clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> message(
        consumer_->consume(std::min(RemainingMs(deadline), 200)));
    if (message->err() == RdKafka::ERR__PARTITION_EOF) break;
    if (message->err() != RdKafka::ERR_NO_ERROR) continue;
    if (message->offset() != offset) break;  // compacted away
    return detail::ToConsumedMessage(*message);
  }
  if (Clock::now() >= deadline) {
    return core::Error{core::ErrorKind::kDeadlineExceeded,
                       "reading " + where + " did not finish within the timeout"};
  }
  return core::NotFound("no record " + where + " (removed by compaction)");
}

}  // namespace gridcare::kafka
