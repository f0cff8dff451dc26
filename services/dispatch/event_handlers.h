#pragma once

// Kafka edges of dispatch: intake's tickets and the crews' reports, parsed and handed to the
// Dispatcher.

#include "dispatcher.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/event_decoding.h"

namespace gridcare::dispatch {

/// gridcare.intake.v1: ticket_opened of fault-repair tickets (calls and last gasps) are
/// correlated; other intake events are not dispatch's business. A poll batch is decided together
/// (Dispatcher::OnTicketsOpened); it stops before a record that does not decode, which Handle
/// then dead-letters.
class IntakeEventHandler final : public kafka::MessageHandler {
 public:
  explicit IntakeEventHandler(Dispatcher& dispatcher) : dispatcher_(dispatcher) {}
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;
  std::vector<kafka::HandleResult> HandleBatch(
      std::span<const kafka::ConsumedMessage> messages) override;

 private:
  Dispatcher& dispatcher_;
};

/// gridcare.crew.v1: every crew report.
class CrewEventHandler final : public kafka::MessageHandler {
 public:
  explicit CrewEventHandler(Dispatcher& dispatcher) : dispatcher_(dispatcher) {}
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;

 private:
  Dispatcher& dispatcher_;
};

using kafka::SourceEventId;

}  // namespace gridcare::dispatch
