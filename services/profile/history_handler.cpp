#include "history_handler.h"

#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::profile {
HistoryHandler::HistoryHandler(ProfileStore& store) : store_(store) {
  // Every consumed event becomes the history facts it implies (FactsFrom decides which).
  const auto apply = [this](const auto& event, const kafka::ConsumedMessage&) {
    return ApplyAll(FactsFrom(event));
  };
  router_.On<v1::IntakeEvent>(kafka::kIntakeTopic, apply);
  router_.On<v1::DispatchEvent>(kafka::kDispatchTopic, apply);
  router_.On<v1::ComplaintEvent>(kafka::kComplaintTopic, apply);
}

kafka::HandleResult HistoryHandler::ApplyAll(const std::vector<HistoryFact>& facts) {
  if (facts.empty()) return kafka::HandleResult::Done();
  // All facts of one event belong to one customer (or to tickets looked up by owner).
  if (const auto& customer_id = facts.front().customer_id; !customer_id.empty()) {
    auto exists = store_.Exists(customer_id);
    if (!exists) return kafka::HandleResult::FromError(exists.error(), "redis_error");
    if (!*exists) {
      return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kUnknownCustomer,
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
