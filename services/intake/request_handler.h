#pragma once

#include "gridcare/kafka/consumer.h"
#include "intake_core.h"
#include "timeline_handler.h"

namespace gridcare::intake {

/// Intake's consumer: requests from asynchronous channel adapters (gridcare.requests.v1) become
/// tickets through IntakeCore (rejections are published as events by the core); downstream
/// topics feed ticket timelines. Undecodable records are dead-lettered; environment failures are
/// retried by the consumer loop.
class IntakeMessageHandler final : public kafka::MessageHandler {
 public:
  IntakeMessageHandler(IntakeCore& core, TimelineHandler& timeline)
      : core_(core), timeline_(timeline) {}
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;

 private:
  IntakeCore& core_;
  TimelineHandler& timeline_;
};

}  // namespace gridcare::intake
