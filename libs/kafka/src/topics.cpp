#include "gridcare/kafka/topics.h"

namespace gridcare::kafka {

std::string DeadLetterTopic(std::string_view consumer_group) {
  return "gridcare.dlq." + std::string(consumer_group) + ".v1";
}

std::vector<TopicSpec> AllTopics() {
  std::vector<TopicSpec> topics = {
      {std::string(kRequestsTopic), 12, 72},  {std::string(kIntakeTopic), 12, 168},
      {std::string(kDispatchTopic), 6, 168},  {std::string(kCrewTopic), 6, 168},
      {std::string(kComplaintTopic), 6, 168}, {std::string(kNotificationTopic), 6, 72},
      {std::string(kAlertTopic), 3, 168},     {std::string(kDispatchTerritoryTopic), 12, 168},
  };
  for (const auto group : kConsumerGroups) topics.push_back({DeadLetterTopic(group), 3, 168});
  return topics;
}

}  // namespace gridcare::kafka
