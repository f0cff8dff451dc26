#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "assignment_rules.h"
#include "crew_metrics.h"
#include "crew_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/kafka/consumer.h"
#include "outbox.h"

namespace gridcare::repair_crew {

struct DispatchHandlerSettings {
  /// Must pass Validate (assignment_rules.h); BuildApp checks it.
  AssignmentLimits limits;
  /// Read-decide-commit rounds before an event is handed back for a retry.
  int max_commit_attempts = 10;
};

/// Publishes one crew's saved events now, waiting for Kafka (CrewCore::Relay with a deadline);
/// returns how many it published.
using CrewEventRelay = std::function<core::Result<int>(const std::string& crew_id)>;

/// Keeps the crews' job queues in step with dispatch (gridcare.dispatch.v1): assignments and
/// reassignments put a job in a crew's queue, cancellations take it out (assignment_rules.h
/// decides). Each event's writes are one atomic commit, retried when a crew app command changed the
/// same records in between; applying an event twice changes nothing.
///
/// An automatic assignment to a crew already at `max_jobs_per_crew` open jobs is refused: the job
/// record (QUEUED), the queues and a JobDeclined for the crew are saved in one commit (the crew's
/// outbox), then `relay` publishes it at once; when Kafka does not acknowledge it in time, the
/// background relay (app.cpp, "event-relay") does later. Its ce_id is derived from the dispatch
/// event's id (RefusalEventId), so handling a redelivered event cannot make a second, different
/// refusal. Otherwise publishes nothing: dispatch already knows what it decided.
///
/// Dead letters: "malformed_protobuf" (not a DispatchEvent), "invalid_event" (a work order or crew
/// id missing), "unknown_crew" (assigned to a crew not on repair-crew's roster: the two services'
/// rosters disagree). Redis failures are retried by the consumer loop.
///
/// Thread-safe; `store`, `clock` and `metrics` (may be null) must outlive it. `relay` may be empty
/// (saved refusals then wait for the background relay).
class DispatchHandler final : public kafka::MessageHandler {
 public:
  DispatchHandler(CrewStore& store, const core::Clock& clock, CrewMetrics* metrics,
                  DispatchHandlerSettings settings = {}, CrewEventRelay relay = nullptr);
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;

 private:
  /// The refusal as a saved crew event (CloudEvents headers, topic gridcare.crew.v1, key: crew).
  OutboxEntry RefusalEntry(const kafka::ConsumedMessage& message,
                           const v1::JobDeclined& refusal) const;
  /// Metrics, log and (for a refusal) publishing, once the commit is in.
  void Committed(const DispatchChange& change, const DispatchOutcome& outcome);

  CrewStore& store_;
  const core::Clock& clock_;
  CrewMetrics* metrics_;
  DispatchHandlerSettings settings_;
  CrewEventRelay relay_;
};

/// The ce_id of the JobDeclined by which `crew_id` refuses the assignment in the dispatch event
/// known as `dispatch_event_id` (kafka::SourceEventId): derived from both, never random, so a
/// redelivered event refused again repeats the id and dispatch drops the copy.
std::string RefusalEventId(std::string_view dispatch_event_id, std::string_view crew_id);

}  // namespace gridcare::repair_crew
