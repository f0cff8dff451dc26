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
    if (!*exists) return UnknownCustomer(customer_id);
  }
  auto applied = store_.ApplyAll(facts);
  if (!applied) {
    const auto& error = applied.error();
    // Only meter facts fail these ways: the customer went away after the check above, or the
    // installed meter's number is not one a profile can hold.
    if (error.kind == core::ErrorKind::kNotFound) {
      return UnknownCustomer(facts.front().customer_id);
    }
    if (error.kind == core::ErrorKind::kInvalidArgument) {
      return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kInvalidEvent,
                                             "installed meter refused: " + error.message);
    }
    return kafka::HandleResult::FromError(error, "history_write_failed");
  }
  for (const auto& customer_id : applied->tagged_sensitive) {
    ++sensitive_tagged_;
    logging::Info("customer tagged sensitive after repeated complaints",
                  {{"customer_id", customer_id}});
  }
  for (const auto& change : applied->meters) LogMeterChange(change);
  return kafka::HandleResult::Done();
}

kafka::HandleResult HistoryHandler::UnknownCustomer(const std::string& customer_id) {
  return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kUnknownCustomer,
                                         "no profile for customer " + customer_id);
}

void HistoryHandler::LogMeterChange(const MeterChange& change) {
  // Customer id, ticket and meter numbers only: never the customer's phones or address.
  switch (change.outcome) {
    case MeterChange::Outcome::kChanged:
      ++meters_changed_;
      logging::Info("customer meter number set from a finished installation",
                    {{"customer_id", change.customer_id},
                     {"ticket_id", change.ticket_id},
                     {"meter_number", change.meter_number},
                     {"previous_meter_number", change.previous_meter_number}});
      return;
    case MeterChange::Outcome::kConfirmed:
      logging::Debug("installed meter number already on the customer's record",
                     {{"customer_id", change.customer_id}, {"ticket_id", change.ticket_id}});
      return;
    case MeterChange::Outcome::kNotNewer:
      logging::Debug("installed meter ignored: the customer's meter was set at or after it",
                     {{"customer_id", change.customer_id}, {"ticket_id", change.ticket_id}});
      return;
  }
}

}  // namespace gridcare::profile
