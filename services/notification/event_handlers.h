#pragma once

// Kafka edges of notification: intake's tickets, dispatch's incidents and planned outages,
// complaint's case steps and analytics' risk warnings become intents (trigger_rules.h), and the
// fan-out stores them (fan_out.h). An incident's announcement memo (what was announced, the last
// ETR) lives in the DeliveryStore's memo, keyed by incident. Redelivered records queue nothing
// twice (notification ids); a record that cannot be written (a template missing a value) is a
// dead letter with the reason.

#include "delivery_store.h"
#include "fan_out.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/v1/alert.pb.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "trigger_rules.h"

namespace gridcare::notification {

/// Thread-safe if its parts are; one record at a time per partition (the consumer's order).
class NotificationEventHandler {
 public:
  /// Every reference must outlive the handler.
  NotificationEventHandler(const TriggerRules& rules, FanOut& fan_out, DeliveryStore& store,
                           const core::Clock& clock)
      : rules_(rules), fan_out_(fan_out), store_(store), clock_(clock) {}

  kafka::HandleResult Intake(const v1::IntakeEvent& event, const kafka::ConsumedMessage& message);
  kafka::HandleResult Dispatch(const v1::DispatchEvent& event,
                               const kafka::ConsumedMessage& message);
  kafka::HandleResult Complaint(const v1::ComplaintEvent& event,
                                const kafka::ConsumedMessage& message);
  kafka::HandleResult Alert(const v1::AlertEvent& event, const kafka::ConsumedMessage& message);

 private:
  kafka::HandleResult Notify(const std::vector<NotificationIntent>& intents,
                             const kafka::ConsumedMessage& message);

  const TriggerRules& rules_;
  FanOut& fan_out_;
  DeliveryStore& store_;
  const core::Clock& clock_;
};

/// The incident or planned outage a dispatch event is about ("" for work-order events).
std::string DispatchSubject(const v1::DispatchEvent& event);

}  // namespace gridcare::notification
