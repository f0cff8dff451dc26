#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/kafka/client_config.h"

struct rd_kafka_s;

namespace gridcare::kafka {

/// A topic to create through the Admin API.
struct NewTopic {
  std::string name;
  int32_t partitions = 1;
  int32_t replication_factor = -1;            // -1: the cluster's default.replication.factor
  std::map<std::string, std::string> config;  // topic configs: retention.ms, min.insync.replicas…
};

/// Creates and widens topics, for tools (the operator's `gridcare topics ensure`, the Helm hook
/// Job on clusters without Strimzi). Not thread-safe: one admin per thread.
class TopicAdmin {
 public:
  virtual ~TopicAdmin() = default;

  /// Every topic the cluster has, with its partition count (all-topics metadata, so asking never
  /// auto-creates one). UNAVAILABLE when the brokers do not answer within `timeout`.
  virtual core::Result<std::map<std::string, int32_t>> Topics(
      std::chrono::milliseconds timeout) = 0;

  /// CreateTopics. ALREADY_EXISTS when the topic exists; FAILED_PRECONDITION when the brokers do
  /// not offer the call (the devbroker, librdkafka's mock cluster, does not); INVALID_ARGUMENT for
  /// what the brokers refuse (replication factor above the broker count, unknown config…);
  /// UNAVAILABLE / DEADLINE_EXCEEDED when they do not answer.
  virtual core::Status Create(const NewTopic& topic, std::chrono::milliseconds timeout) = 0;

  /// CreatePartitions: raises `topic` to `total` partitions (Kafka never lowers them). Errors as
  /// for Create; NOT_FOUND when the topic does not exist.
  virtual core::Status AddPartitions(const std::string& topic, int32_t total,
                                     std::chrono::milliseconds timeout) = 0;
};

struct TopicAdminSettings {
  std::string bootstrap_servers;
  std::string client_id;
  ExtraConfig extra;  // e.g. security.protocol, sasl.*: wins over the admin's own properties
};

/// TopicAdmin over librdkafka's Admin API (C: rd_kafka_CreateTopics, rd_kafka_CreatePartitions).
class KafkaTopicAdmin final : public TopicAdmin {
 public:
  /// INVALID_ARGUMENT on settings librdkafka rejects. Connects lazily.
  static core::Result<std::unique_ptr<KafkaTopicAdmin>> Create(const TopicAdminSettings& settings);
  ~KafkaTopicAdmin() override;
  KafkaTopicAdmin(const KafkaTopicAdmin&) = delete;
  KafkaTopicAdmin& operator=(const KafkaTopicAdmin&) = delete;

  core::Result<std::map<std::string, int32_t>> Topics(std::chrono::milliseconds timeout) override;
  core::Status Create(const NewTopic& topic, std::chrono::milliseconds timeout) override;
  core::Status AddPartitions(const std::string& topic, int32_t total,
                             std::chrono::milliseconds timeout) override;

 private:
  explicit KafkaTopicAdmin(rd_kafka_s* handle) : handle_(handle) {}
  rd_kafka_s* handle_;
};

}  // namespace gridcare::kafka
