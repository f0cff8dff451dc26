#pragma once

// Kafka edges of notification: intake's tickets, dispatch's incidents and planned outages,
// complaint's case steps and analytics' risk warnings become intents (trigger_rules.h), and the
// fan-out stores them (fan_out.h). The memos the triggers need (an incident's or planned outage's
// announcements, a case's customer and department) live in the DeliveryStore's memo, stored only
// after the intents are queued; so do the ticket → customer and request → phone memos the
// fan-out resolves recipients with (from ticket_opened and gridcare.requests.v1). Withdrawals
// (a planned outage moved, a return visit made) are recorded before new intents are queued; the
// sender drops withdrawn notices. Redelivered records queue nothing twice (notification ids); a
// record whose notice cannot be written (a template missing a value) is a dead letter naming it.

#include "delivery_store.h"
#include "fan_out.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/v1/alert.pb.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/request.pb.h"
#include "trigger_rules.h"

namespace gridcare::notification {

/// One record at a time per partition (the consumer's order).
class NotificationEventHandler {
 public:
  /// Every reference must outlive the handler.
  NotificationEventHandler(const TriggerRules& rules, FanOut& fan_out, DeliveryStore& store,
                           const core::Clock& clock)
      : rules_(rules), fan_out_(fan_out), store_(store), clock_(clock) {}

  kafka::HandleResult Request(const v1::RequestEvent& event, const kafka::ConsumedMessage& message);
  kafka::HandleResult Intake(const v1::IntakeEvent& event, const kafka::ConsumedMessage& message);
  kafka::HandleResult Dispatch(const v1::DispatchEvent& event,
                               const kafka::ConsumedMessage& message);
  kafka::HandleResult Complaint(const v1::ComplaintEvent& event,
                                const kafka::ConsumedMessage& message);
  kafka::HandleResult Alert(const v1::AlertEvent& event, const kafka::ConsumedMessage& message);

 private:
  kafka::HandleResult Apply(const TriggerOutcome& outcome, const kafka::ConsumedMessage& message);

  const TriggerRules& rules_;
  FanOut& fan_out_;
  DeliveryStore& store_;
  const core::Clock& clock_;
};

}  // namespace gridcare::notification
