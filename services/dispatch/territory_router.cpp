#include "territory_router.h"

#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/topics.h"
#include "territory.h"

namespace gridcare::dispatch {

kafka::HandleResult TerritoryRouter::Handle(const kafka::ConsumedMessage& message) {
  TerritoryRoute route;
  if (message.topic == kafka::kCrewTopic) {
    v1::CrewEvent event;
    if (auto poison = kafka::DecodeEvent(message, event, {.require_known_case = true})) {
      return *poison;
    }
    route = RouteCrewEvent(event, partitions_);
  } else {
    v1::IntakeEvent event;
    if (auto poison = kafka::DecodeEvent(message, event)) return *poison;
    route = RouteIntakeEvent(event, partitions_);
  }
  if (metrics_) metrics_->Routed(route.outcome);
  for (const int32_t partition : route.partitions) {
    kafka::OutgoingRecord record{std::string(kafka::kDispatchTerritoryTopic), route.key,
                                 message.value, message.headers, partition};
    record.headers.emplace_back(std::string(kOriginTopicHeader), message.topic);
    if (auto status = publisher_.Publish(std::move(record)); !status) {
      return kafka::HandleResult::FromError(status.error(), "publish_failed");
    }
  }
  return kafka::HandleResult::Done();
}

}  // namespace gridcare::dispatch
