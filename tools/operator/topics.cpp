#include "topics.h"

#include <charconv>
#include <optional>
#include <set>

#include "gridcare/kafka/topics.h"

namespace gridcare::ops {
namespace {

constexpr size_t kMaxTopicName = 249;  // Kafka's limit

std::optional<std::string> TopicNameProblem(std::string_view name) {
  if (name.empty()) return "the topic name is empty";
  if (name.size() > kMaxTopicName) return "the topic name is longer than 249 characters";
  if (name == "." || name == "..") return "the topic name cannot be '.' or '..'";
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) return "the topic name may hold only letters, digits, '.', '_' and '-'";
  }
  return std::nullopt;
}

std::optional<int64_t> ParseNumber(std::string_view text) {
  int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

core::Result<WantedTopic> ParseWantedTopic(std::string_view text) {
  const std::string shown = "topic '" + std::string(text) + "'";
  const size_t first = text.find(':');
  const size_t second = first == std::string_view::npos ? first : text.find(':', first + 1);
  if (second == std::string_view::npos || text.find(':', second + 1) != std::string_view::npos) {
    return core::InvalidArgument(shown + ": expected NAME:PARTITIONS:RETENTION_HOURS");
  }
  WantedTopic topic;
  topic.name = std::string(text.substr(0, first));
  if (auto problem = TopicNameProblem(topic.name))
    return core::InvalidArgument(shown + ": " + *problem);
  const auto partitions = ParseNumber(text.substr(first + 1, second - first - 1));
  if (!partitions || *partitions < 1 || *partitions > 10'000) {
    return core::InvalidArgument(shown + ": partitions must be a whole number from 1 to 10000");
  }
  const auto hours = ParseNumber(text.substr(second + 1));
  if (!hours || *hours < 1 || *hours > 87'600) {
    return core::InvalidArgument(shown +
                                 ": retention must be a whole number of hours from 1 to 87600");
  }
  topic.partitions = static_cast<int32_t>(*partitions);
  topic.retention_hours = static_cast<int>(*hours);
  return topic;
}

std::vector<WantedTopic> CatalogueTopics() {
  std::vector<WantedTopic> topics;
  for (const auto& spec : kafka::AllTopics()) {
    topics.push_back({spec.name, spec.partitions, spec.retention_hours});
  }
  return topics;
}

std::string_view TopicActionName(TopicAction action) {
  switch (action) {
    case TopicAction::kCreate:
      return "create";
    case TopicAction::kAddPartitions:
      return "add partitions";
    case TopicAction::kNone:
      return "none";
    case TopicAction::kKeepMore:
      return "keep more";
  }
  return "none";
}

core::Result<std::vector<TopicStep>> PlanTopics(const std::vector<WantedTopic>& wanted,
                                                const std::map<std::string, int32_t>& existing) {
  std::vector<TopicStep> steps;
  std::set<std::string> seen;
  for (const auto& topic : wanted) {
    if (!seen.insert(topic.name).second) {
      return core::InvalidArgument("topic " + topic.name + " is given twice");
    }
    TopicStep step{topic, 0, TopicAction::kCreate};
    if (auto it = existing.find(topic.name); it != existing.end()) {
      step.existing_partitions = it->second;
      step.action = it->second < topic.partitions   ? TopicAction::kAddPartitions
                    : it->second > topic.partitions ? TopicAction::kKeepMore
                                                    : TopicAction::kNone;
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

kafka::NewTopic ToNewTopic(const WantedTopic& topic, int32_t replicas,
                           int32_t min_insync_replicas) {
  kafka::NewTopic created{topic.name, topic.partitions, replicas, {}};
  created.config["cleanup.policy"] = "delete";
  created.config["retention.ms"] = std::to_string(int64_t{topic.retention_hours} * 3'600'000);
  if (min_insync_replicas > 0) {
    created.config["min.insync.replicas"] = std::to_string(min_insync_replicas);
  }
  return created;
}

}  // namespace gridcare::ops
