#pragma once

#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/topic_router.h"
#include "profile_store.h"

namespace gridcare::profile {

/// Keeps each customer's history counters current from the intake, dispatch and complaint topics.
/// Every fact is applied as a set/sorted-set write keyed by ticket or request id, so redelivery
/// changes nothing even without the idempotency guard. A finished installation (dispatch
/// ApplicationStageReached, stage WORK_DONE, with a meter number) sets the customer's meter number
/// unless it was set at or after the event's reached_at. Events about customers the profile does
/// not know are dead-lettered ("unknown_customer") so they can be replayed after the customer is
/// loaded; an installed meter number a profile cannot hold is dead-lettered ("invalid_event").
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
  /// Meter numbers changed by finished installations (for logs and tests).
  int64_t meters_changed() const { return meters_changed_; }

 private:
  kafka::HandleResult ApplyAll(const std::vector<HistoryFact>& facts);
  static kafka::HandleResult UnknownCustomer(const std::string& customer_id);
  void LogMeterChange(const MeterChange& change);

  ProfileStore& store_;
  int64_t sensitive_tagged_ = 0;
  int64_t meters_changed_ = 0;
  kafka::TopicRouter router_{"profile"};
};

}  // namespace gridcare::profile
