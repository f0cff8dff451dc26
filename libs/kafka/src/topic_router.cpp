#include "gridcare/kafka/topic_router.h"

#include <stdexcept>

namespace gridcare::kafka {

TopicRouter::TopicRouter(std::string consumer) : consumer_(std::move(consumer)) {}

TopicRouter& TopicRouter::Route(std::string_view topic, MessageHandler& handler) {
  if (!routes_.emplace(std::string(topic), Target{&handler, nullptr}).second) {
    throw std::logic_error("topic routed twice: " + std::string(topic));
  }
  return *this;
}

TopicRouter& TopicRouter::RouteFunction(
    std::string_view topic, std::function<HandleResult(const ConsumedMessage&)> function) {
  if (!routes_.emplace(std::string(topic), Target{nullptr, std::move(function)}).second) {
    throw std::logic_error("topic routed twice: " + std::string(topic));
  }
  return *this;
}

std::vector<std::string> TopicRouter::topics() const {
  std::vector<std::string> names;
  for (const auto& [topic, route] : routes_) names.push_back(topic);
  return names;
}

HandleResult TopicRouter::Handle(const ConsumedMessage& message) {
  const auto found = routes_.find(message.topic);
  if (found == routes_.end()) {
    return HandleResult::DeadLetter(DeadLetterReason::kUnexpectedTopic,
                                    consumer_ + " does not consume " + message.topic);
  }
  if (found->second.handler) return found->second.handler->Handle(message);
  return found->second.function(message);
}

std::vector<HandleResult> TopicRouter::HandleBatch(std::span<const ConsumedMessage> messages) {
  if (messages.empty()) return {};
  const auto found = routes_.find(messages.front().topic);
  if (found == routes_.end() || !found->second.handler) return {};
  size_t run = 1;
  while (run < messages.size() && messages[run].topic == messages.front().topic) ++run;
  return found->second.handler->HandleBatch(messages.first(run));
}

void TopicRouter::OnPartitionsAssigned(std::span<const TopicPartition> partitions) {
  ForEachHandler(partitions, [](MessageHandler& handler, std::span<const TopicPartition> own) {
    handler.OnPartitionsAssigned(own);
  });
}

void TopicRouter::OnPartitionsRevoked(std::span<const TopicPartition> partitions) {
  ForEachHandler(partitions, [](MessageHandler& handler, std::span<const TopicPartition> own) {
    handler.OnPartitionsRevoked(own);
  });
}

void TopicRouter::ForEachHandler(
    std::span<const TopicPartition> partitions,
    const std::function<void(MessageHandler&, std::span<const TopicPartition>)>& visit) {
  std::map<MessageHandler*, std::vector<TopicPartition>> by_handler;
  for (const auto& partition : partitions) {
    const auto found = routes_.find(partition.topic);
    if (found != routes_.end() && found->second.handler) {
      by_handler[found->second.handler].push_back(partition);
    }
  }
  for (auto& [handler, own] : by_handler) visit(*handler, own);
}

}  // namespace gridcare::kafka
