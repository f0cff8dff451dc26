#pragma once

#include "gridcare/kafka/consumer.h"
#include "request_batch.h"
#include "timeline_handler.h"

namespace gridcare::intake {

/// Intake's consumer: requests from asynchronous channel adapters (gridcare.requests.v1) become
/// tickets through a RequestBatcher, a poll batch at a time (rejections are published as events
/// by the core); downstream topics feed ticket timelines. Undecodable records are dead-lettered;
/// environment failures are retried by the consumer loop. One per consumer loop.
class IntakeMessageHandler final : public kafka::MessageHandler {
 public:
  IntakeMessageHandler(RequestBatcher& requests, TimelineHandler& timeline)
      : requests_(requests), timeline_(timeline) {}
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;
  /// The leading run of request records, decided together; stops before anything else.
  std::vector<kafka::HandleResult> HandleBatch(
      std::span<const kafka::ConsumedMessage> messages) override;

 private:
  RequestBatcher& requests_;
  TimelineHandler& timeline_;
};

}  // namespace gridcare::intake
