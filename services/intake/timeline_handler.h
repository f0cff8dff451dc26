#pragma once

#include "gridcare/core/clock.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/kafka/topic_router.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/notification.pb.h"
#include "ticket_store.h"

namespace gridcare::intake {

/// Keeps each ticket's timeline and state current from the downstream topics (dispatch,
/// complaint, notification), so IntakeService.Track answers "where is my request?" with every
/// step. A state change is published as gridcare.ticket.state_changed.v1. Idempotent: timeline
/// steps are keyed by the downstream event id and derived event ids are stable. Dispatch and
/// complaint events about tickets intake does not know are dead-lettered ("unknown_ticket");
/// notices to customers ("we sent you an SMS at 14:02", never staff notices) add a step without
/// moving the ticket, and notices about anything else (incidents, planned outages, unknown
/// tickets) are ignored. The handler keeps no state of its own: one instance serves every
/// consumer loop (app.cpp) as far as the store and the publisher allow concurrent calls.
class TimelineHandler {
 public:
  TimelineHandler(TicketStore& store, kafka::EventPublisher& publisher, const core::Clock& clock);
  TimelineHandler(const TimelineHandler&) = delete;
  TimelineHandler& operator=(const TimelineHandler&) = delete;
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) {
    return router_.Handle(message);
  }

 private:
  struct Step {
    std::string ticket_id;
    v1::TicketState new_state = v1::TICKET_STATE_UNSPECIFIED;  // unspecified: state unchanged
    v1::LocalizedText description;
    v1::Actor::Kind actor = v1::Actor::KIND_SYSTEM;
    std::string owner_reference;
    std::string cause;
    /// May move a RESOLVED ticket (a complaint case reopened or closed after its reply); other
    /// late steps never move a finished ticket.
    bool moves_resolved = false;
    /// The subject may be something other than a ticket intake knows (a notice about an incident
    /// or a planned outage): drop the step instead of dead-lettering the event.
    bool skip_unknown_ticket = false;
  };
  std::vector<Step> StepsFrom(const v1::DispatchEvent& event) const;
  /// Service applications by appointment: bookings, stages, clock stops (docs/events.md).
  std::vector<Step> StepsFromApplication(const v1::DispatchEvent& event) const;
  std::vector<Step> StepsFrom(const v1::ComplaintEvent& event) const;
  std::vector<Step> StepsFrom(const v1::NotificationEvent& event) const;
  kafka::HandleResult Apply(const kafka::ConsumedMessage& message, const std::vector<Step>& steps);

  TicketStore& store_;
  kafka::EventPublisher& publisher_;
  const core::Clock& clock_;
  kafka::TopicRouter router_{"intake"};
};

}  // namespace gridcare::intake
