#pragma once

#include "gridcare/kafka/consumer.h"
#include "intake_metrics.h"
#include "request_batch.h"
#include "timeline_handler.h"

namespace gridcare::intake {

/// Intake's consumer: requests from asynchronous channel adapters (gridcare.requests.v1) become
/// tickets through a RequestBatcher, a poll batch at a time (rejections are published as events
/// by the core); downstream topics feed ticket timelines. Undecodable records are dead-lettered;
/// environment failures are retried by the consumer loop. One per consumer loop.
class IntakeMessageHandler final : public kafka::MessageHandler {
 public:
  /// `metrics` (may be null) counts each request's outcome.
  IntakeMessageHandler(RequestBatcher& requests, TimelineHandler& timeline,
                       IntakeMetrics* metrics = nullptr)
      : requests_(requests), timeline_(timeline), metrics_(metrics) {}
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;
  /// The leading run of request records, decided together; stops before anything else.
  std::vector<kafka::HandleResult> HandleBatch(
      std::span<const kafka::ConsumedMessage> messages) override;

 private:
  /// Counts the outcomes of the requests the batch completed.
  void Count(const std::vector<const v1::ServiceRequest*>& requests,
             const RequestBatcher::Outcome& outcome) const;

  RequestBatcher& requests_;
  TimelineHandler& timeline_;
  IntakeMetrics* metrics_;
};

}  // namespace gridcare::intake
