#pragma once
// Raw librdkafka helpers of the benchmarks that talk to the broker themselves (bench/intake,
// bench/storm) rather than through gridcare::kafka.

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "gridcare/core/error.h"

namespace gridcare::bench {

inline core::Status SetAll(RdKafka::Conf& conf,
                           const std::map<std::string, std::string>& properties) {
  std::string error;
  for (const auto& [name, value] : properties) {
    if (conf.set(name, value, error) != RdKafka::Conf::CONF_OK) {
      return core::InvalidArgument("kafka property " + name + ": " + error);
    }
  }
  return {};
}

// Partition count of `topic` as `handle` sees it (asking for it auto-creates it on the devbroker
// when `handle` is a producer). Retries until it has partitions or `timeout` passes.
inline core::Result<int> PartitionCount(RdKafka::Handle& handle, const std::string& topic,
                                        std::chrono::seconds timeout) {
  std::string error;
  std::unique_ptr<RdKafka::Topic> handle_topic(
      RdKafka::Topic::create(&handle, topic, nullptr, error));
  if (!handle_topic) return core::InvalidArgument("topic " + topic + ": " + error);
  const auto deadline = SteadyClock::now() + timeout;
  std::string last = "no answer";
  while (SteadyClock::now() < deadline) {
    RdKafka::Metadata* raw = nullptr;
    const RdKafka::ErrorCode err = handle.metadata(false, handle_topic.get(), &raw, 5'000);
    std::unique_ptr<RdKafka::Metadata> metadata(raw);
    if (err == RdKafka::ERR_NO_ERROR && metadata) {
      for (const auto* entry : *metadata->topics()) {
        if (entry->topic() != topic) continue;
        if (entry->err() == RdKafka::ERR_NO_ERROR && !entry->partitions()->empty()) {
          return static_cast<int>(entry->partitions()->size());
        }
        last = RdKafka::err2str(entry->err());
      }
    } else {
      last = RdKafka::err2str(err);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return core::Unavailable("no partitions for " + topic + ": " + last);
}

// The last value of header `name` (a copy: librdkafka's Header objects own their bytes).
inline std::optional<std::string> HeaderOf(RdKafka::Message& message, std::string_view name) {
  RdKafka::Headers* headers = message.headers();
  if (headers == nullptr) return std::nullopt;
  std::optional<std::string> found;
  for (const auto& header : headers->get_all()) {
    if (header.key() == name && header.value() != nullptr) {
      found.emplace(static_cast<const char*>(header.value()), header.value_size());
    }
  }
  return found;
}

// A reader's consumer: it is assigned its partitions (AssignEveryPartition) instead of joining
// `group`, and commits nothing, so the groups of the services under test are left alone.
inline core::Result<std::unique_ptr<RdKafka::KafkaConsumer>> NewReaderConsumer(
    const std::string& bootstrap, const std::string& group, const std::string& client_id,
    int fetch_wait_ms) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  if (auto status = SetAll(*conf, {{"bootstrap.servers", bootstrap},
                                   {"group.id", group},
                                   {"client.id", client_id},
                                   {"enable.auto.commit", "false"},
                                   {"enable.auto.offset.store", "false"},
                                   {"fetch.wait.max.ms", std::to_string(fetch_wait_ms)}});
      !status) {
    return status.error();
  }
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) return core::InvalidArgument("reader: " + error);
  return consumer;
}

// Where a reader starts in a partition of a topic.
using StartOffset = std::function<core::Result<int64_t>(const std::string& topic, int partition)>;

// Assigns every partition of `topics` to `consumer`, each from `start_of` it; returns how many.
inline core::Result<int> AssignEveryPartition(RdKafka::KafkaConsumer& consumer,
                                              const std::vector<std::string>& topics,
                                              const StartOffset& start_of) {
  std::vector<RdKafka::TopicPartition*> assignment;
  int count = 0;
  for (const auto& topic : topics) {
    auto partitions = PartitionCount(consumer, topic, std::chrono::seconds(20));
    if (!partitions) {
      RdKafka::TopicPartition::destroy(assignment);
      return partitions.error();
    }
    for (int p = 0; p < *partitions; ++p) {
      auto offset = start_of(topic, p);
      if (!offset) {
        RdKafka::TopicPartition::destroy(assignment);
        return offset.error();
      }
      assignment.push_back(RdKafka::TopicPartition::create(topic, p, *offset));
    }
    count += *partitions;
  }
  const auto err = consumer.assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
  if (err != RdKafka::ERR_NO_ERROR) {
    return core::Unavailable("reader assign: " + RdKafka::err2str(err));
  }
  return count;
}

}  // namespace gridcare::bench
