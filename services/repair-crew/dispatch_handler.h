#pragma once

#include "crew_metrics.h"
#include "crew_store.h"
#include "gridcare/kafka/consumer.h"

namespace gridcare::repair_crew {

/// Keeps the crews' job queues in step with dispatch (gridcare.dispatch.v1): assignments and
/// reassignments put a job in a crew's queue, cancellations take it out (assignment_rules.h
/// decides). Each event's writes are one atomic commit, retried when a crew app command changed the
/// same records in between; applying an event twice changes nothing. Publishes nothing: dispatch
/// already knows what it decided.
///
/// Dead letters: "malformed_protobuf" (not a DispatchEvent), "invalid_event" (a work order or crew
/// id missing), "unknown_crew" (assigned to a crew not on repair-crew's roster: the two services'
/// rosters disagree). Redis failures are retried by the consumer loop.
///
/// Thread-safe; `store` and `metrics` (may be null) must outlive it.
class DispatchHandler final : public kafka::MessageHandler {
 public:
  DispatchHandler(CrewStore& store, CrewMetrics* metrics, int max_commit_attempts = 10)
      : store_(store), metrics_(metrics), max_commit_attempts_(max_commit_attempts) {}
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;

 private:
  CrewStore& store_;
  CrewMetrics* metrics_;
  int max_commit_attempts_;
};

}  // namespace gridcare::repair_crew
