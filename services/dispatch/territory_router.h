#pragma once

// Dispatch's first stage (consumer group `dispatch`): reads intake's and the crews' topics and
// forwards what dispatch acts on to the territory topic (kafka::kDispatchTerritoryTopic) — fault
// tickets to their territory's partition, crew reports to every partition — unchanged (same
// value, same headers and event id) plus the header naming the topic it came from. The consumer
// loop flushes the producer before it commits the offsets it read, so nothing is lost; a
// redelivery forwards a record twice and the territory's dispatcher, which keys its outboxes by
// event id, changes nothing the second time.

#include <cstdint>

#include "dispatch_metrics.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/publisher.h"

namespace gridcare::dispatch {

/// The header naming the topic a forwarded record came from.
inline constexpr std::string_view kOriginTopicHeader = "gridcare_origin_topic";

class TerritoryRouter final : public kafka::MessageHandler {
 public:
  /// `partitions`: the territory topic's partition count. `metrics` may be null.
  TerritoryRouter(kafka::EventPublisher& publisher, int32_t partitions, DispatchMetrics* metrics)
      : publisher_(publisher), partitions_(partitions), metrics_(metrics) {}

  /// Dead-letters what does not decode (as dispatch always did); otherwise forwards or skips.
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;

 private:
  kafka::EventPublisher& publisher_;
  int32_t partitions_;
  DispatchMetrics* metrics_;
};

}  // namespace gridcare::dispatch
