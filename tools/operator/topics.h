#pragma once

// `gridcare topics ensure`: which topics GridCare wants (the catalogue in libs/kafka/topics.h, or
// specs given on the command line as the Helm hook Job does from its values) and what must be done
// on a cluster to have them: create, add partitions, or nothing. Pure: the cluster is read and
// changed through kafka::TopicAdmin by the command.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/kafka/topic_admin.h"

namespace gridcare::ops {

struct WantedTopic {
  std::string name;
  int32_t partitions = 1;
  int retention_hours = 168;

  bool operator==(const WantedTopic&) const = default;
};

/// "NAME:PARTITIONS:RETENTION_HOURS", e.g. "gridcare.requests.v1:12:72". INVALID_ARGUMENT naming
/// what is wrong: a name Kafka refuses (empty, over 249 characters, "." or "..", a character other
/// than [A-Za-z0-9._-]), partitions outside 1..10000, retention outside 1..87600 hours.
core::Result<WantedTopic> ParseWantedTopic(std::string_view text);

/// Every topic of kafka::AllTopics(): the event topics and each consumer group's dead-letter topic.
std::vector<WantedTopic> CatalogueTopics();

enum class TopicAction {
  kCreate,         // absent: create it
  kAddPartitions,  // fewer partitions than wanted: raise them
  kNone,           // as wanted
  kKeepMore,       // more partitions than wanted: kept (Kafka cannot remove partitions)
};

/// "create", "add partitions", "none", "keep more".
std::string_view TopicActionName(TopicAction action);

struct TopicStep {
  WantedTopic wanted;
  int32_t existing_partitions = 0;  // 0: the topic does not exist
  TopicAction action = TopicAction::kNone;
};

/// One step per wanted topic, in the order given. A name given twice is INVALID_ARGUMENT.
core::Result<std::vector<TopicStep>> PlanTopics(const std::vector<WantedTopic>& wanted,
                                                const std::map<std::string, int32_t>& existing);

/// How a wanted topic is created: its partitions, `replicas` (-1: the cluster's default),
/// cleanup.policy=delete, retention.ms from its hours and, when `min_insync_replicas` > 0,
/// min.insync.replicas (GridCare's producers use acks=all).
kafka::NewTopic ToNewTopic(const WantedTopic& topic, int32_t replicas, int32_t min_insync_replicas);

}  // namespace gridcare::ops
