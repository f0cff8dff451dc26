#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/event_decoding.h"

namespace gridcare::kafka {

/// One consumer group reads several topics; the router hands each record to what its topic needs,
/// and dead-letters records of any other topic (kUnexpectedTopic). Two ways to route:
///
///   router.Route(kCrewTopic, crew_handler);                        // a MessageHandler
///   router.On<v1::IntakeEvent>(kIntakeTopic,                       // a typed function: the
///       [&](const v1::IntakeEvent& event, const ConsumedMessage&) {  // router decodes and
///         return Apply(event);                                     // dead-letters what does
///       });                                                        // not parse
///
/// HandleBatch offers the leading run of records of one topic to that topic's handler's
/// HandleBatch (typed routes decide one at a time). Set up before the consumer starts; then
/// Handle/HandleBatch are as thread-safe as the handlers behind them. Handlers must outlive it.
class TopicRouter final : public MessageHandler {
 public:
  /// `consumer` names the service in dead-letter details ("dispatch does not consume …").
  explicit TopicRouter(std::string consumer);

  TopicRouter& Route(std::string_view topic, MessageHandler& handler);

  template <typename Event>
  TopicRouter& On(std::string_view topic,
                  std::function<HandleResult(const Event&, const ConsumedMessage&)> apply,
                  DecodeRules rules = {}) {
    return RouteFunction(topic, [apply = std::move(apply), rules](const ConsumedMessage& message) {
      Event event;
      if (auto poison = DecodeEvent(message, event, rules)) return *poison;
      return apply(event, message);
    });
  }

  /// The routed topics, in name order (what the consumer subscribes to).
  std::vector<std::string> topics() const;

  HandleResult Handle(const ConsumedMessage& message) override;
  std::vector<HandleResult> HandleBatch(std::span<const ConsumedMessage> messages) override;
  /// Each routed MessageHandler hears of the partitions of its own topics.
  void OnPartitionsAssigned(std::span<const TopicPartition> partitions) override;
  void OnPartitionsRevoked(std::span<const TopicPartition> partitions) override;

 private:
  struct Target {
    MessageHandler* handler = nullptr;                             // or
    std::function<HandleResult(const ConsumedMessage&)> function;  // a typed route
  };
  TopicRouter& RouteFunction(std::string_view topic,
                             std::function<HandleResult(const ConsumedMessage&)> function);

  /// Calls `visit` once per routed MessageHandler with the partitions of its topics.
  void ForEachHandler(
      std::span<const TopicPartition> partitions,
      const std::function<void(MessageHandler&, std::span<const TopicPartition>)>& visit);

  std::string consumer_;
  std::map<std::string, Target, std::less<>> routes_;
};

}  // namespace gridcare::kafka
