#include "gridcare/kafka/topics.h"

#include <catch2/catch.hpp>
#include <set>

namespace kafka = gridcare::kafka;

TEST_CASE("the topic catalogue has every producing topic and a dead-letter topic per group") {
  std::set<std::string> names;
  for (const auto& topic : kafka::AllTopics()) {
    CHECK(topic.partitions > 0);
    CHECK(names.insert(topic.name).second);  // unique
  }
  for (const auto topic :
       {kafka::kRequestsTopic, kafka::kIntakeTopic, kafka::kDispatchTopic, kafka::kCrewTopic,
        kafka::kComplaintTopic, kafka::kNotificationTopic, kafka::kAlertTopic}) {
    CHECK(names.count(std::string(topic)) == 1);
  }
  for (const auto group : kafka::kConsumerGroups) {
    CHECK(names.count(kafka::DeadLetterTopic(group)) == 1);
  }
  CHECK(kafka::DeadLetterTopic("repair-crew") == "gridcare.dlq.repair-crew.v1");
}
