#pragma once

#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/topic_router.h"
#include "profile_store.h"

namespace gridcare::profile {

/// Keeps each customer's history counters current from the intake, dispatch and complaint topics.
/// Every fact is applied as a set/sorted-set write keyed by ticket or request id, so redelivery
/// changes nothing even without the idempotency guard. Events about customers the profile does
/// not know are dead-lettered ("unknown_customer") so they can be replayed after the customer is
/// loaded.
class HistoryHandler final : public kafka::MessageHandler {
 public:
  explicit HistoryHandler(ProfileStore& store);
  HistoryHandler(const HistoryHandler&) = delete;
  HistoryHandler& operator=(const HistoryHandler&) = delete;
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override {
    return router_.Handle(message);
  }
  /// The topics the handler reads (what the consumer subscribes to).
  std::vector<std::string> topics() const { return router_.topics(); }

  /// Customers tagged sensitive by this handler (for logs and tests).
  int64_t sensitive_tagged() const { return sensitive_tagged_; }

 private:
  kafka::HandleResult ApplyAll(const std::vector<HistoryFact>& facts);

  ProfileStore& store_;
  int64_t sensitive_tagged_ = 0;
  kafka::TopicRouter router_{"profile"};
};

}  // namespace gridcare::profile
