#include "history_handler.h"

#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::profile {
namespace {

template <typename Event>
kafka::HandleResult Parse(const kafka::ConsumedMessage& message, Event& event) {
  if (!event.ParseFromString(message.value)) {
    return kafka::HandleResult::DeadLetter("malformed_protobuf",
                                           "cannot parse " + Event::descriptor()->full_name());
  }
  return kafka::HandleResult::Done();
}

}  // namespace

kafka::HandleResult HistoryHandler::Handle(const kafka::ConsumedMessage& message) {
  using Disposition = kafka::HandleResult::Disposition;
  if (message.topic == kafka::kIntakeTopic) {
    v1::IntakeEvent event;
    if (auto parsed = Parse(message, event); parsed.disposition != Disposition::kDone) return parsed;
    return ApplyAll(FactsFrom(event));
  }
  if (message.topic == kafka::kDispatchTopic) {
    v1::DispatchEvent event;
    if (auto parsed = Parse(message, event); parsed.disposition != Disposition::kDone) return parsed;
    return ApplyAll(FactsFrom(event));
  }
  if (message.topic == kafka::kComplaintTopic) {
    v1::ComplaintEvent event;
    if (auto parsed = Parse(message, event); parsed.disposition != Disposition::kDone) return parsed;
    return ApplyAll(FactsFrom(event));
  }
  return kafka::HandleResult::DeadLetter("unexpected_topic", "profile does not consume " +
                                                                 message.topic);
}

kafka::HandleResult HistoryHandler::ApplyAll(const std::vector<HistoryFact>& facts) {
  if (facts.empty()) return kafka::HandleResult::Done();
  // All facts of one event belong to one customer (or to tickets looked up by owner).
  if (const auto& customer_id = facts.front().customer_id; !customer_id.empty()) {
    auto exists = store_.Exists(customer_id);
    if (!exists) return kafka::HandleResult::FromError(exists.error(), "redis_error");
    if (!*exists) {
      return kafka::HandleResult::DeadLetter("unknown_customer",
                                             "no profile for customer " + customer_id);
    }
  }
  auto tagged = store_.ApplyAll(facts);
  if (!tagged) return kafka::HandleResult::FromError(tagged.error(), "history_write_failed");
  for (const auto& customer_id : *tagged) {
    ++sensitive_tagged_;
    logging::Info("customer tagged sensitive after repeated complaints",
                  {{"customer_id", customer_id}});
  }
  return kafka::HandleResult::Done();
}

}  // namespace gridcare::profile
