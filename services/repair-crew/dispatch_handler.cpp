#include "dispatch_handler.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "crew_core.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/v1/dispatch.pb.h"
#include "job_rules.h"

namespace gridcare::repair_crew {
namespace {

// The commit of an outcome: the crews it changes (each expected as read) and the job record.
CrewCommit CommitOf(const DispatchOutcome& outcome, std::map<std::string, std::string>& crew_bytes,
                    const std::optional<Stored<v1::WorkOrder>>& job) {
  CrewCommit commit;
  for (const auto& [crew_id, crew] : outcome.crews) {
    commit.crews.push_back({crew, crew_bytes[crew_id]});
  }
  commit.job = CrewCommit::JobWrite{
      outcome.job, job.has_value() ? std::optional<std::string>(job->bytes) : std::nullopt};
  return commit;
}

}  // namespace

std::string RefusalEventId(std::string_view dispatch_event_id, std::string_view crew_id) {
  return kafka::DeriveEventId(dispatch_event_id, "refused:" + std::string(crew_id));
}

DispatchHandler::DispatchHandler(CrewStore& store, const core::Clock& clock, CrewMetrics* metrics,
                                 DispatchHandlerSettings settings, CrewEventRelay relay)
    : store_(store),
      clock_(clock),
      metrics_(metrics),
      settings_(settings),
      relay_(std::move(relay)) {}

OutboxEntry DispatchHandler::RefusalEntry(const kafka::ConsumedMessage& message,
                                          const v1::JobDeclined& refusal) const {
  const auto now = clock_.Now();
  const auto parent = message.Header(kafka::kHeaderTraceparent);
  const kafka::EventMetadata metadata{
      RefusalEventId(kafka::SourceEventId(message), refusal.crew_id()),
      std::string(kTypeJobDeclined),
      std::string(kEventSource),
      refusal.work_order_id(),
      now,
      parent ? kafka::ChildTraceparent(*parent) : kafka::NewTraceparent()};
  v1::CrewEvent event;
  *event.mutable_job_declined() = refusal;
  return OutboxEntry{
      kafka::MakeRecord(std::string(kafka::kCrewTopic), refusal.crew_id(), metadata, event), now};
}

void DispatchHandler::Committed(const DispatchChange& change, const DispatchOutcome& outcome) {
  const std::string& work_order_id = outcome.job.work_order_id();
  if (!outcome.refusal) {
    if (metrics_) metrics_->DispatchChange(change.label, true);
    logging::Info("job queue changed", {{"work_order_id", work_order_id},
                                        {"change", change.label},
                                        {"crew_id", outcome.job.crew_id()},
                                        {"state", StateName(outcome.job.state())}});
    return;
  }
  const std::string& crew_id = outcome.refusal->crew_id();
  if (metrics_) metrics_->DispatchRefused(change.label);
  logging::Info("assignment refused: crew at capacity",
                {{"work_order_id", work_order_id},
                 {"change", change.label},
                 {"crew_id", crew_id},
                 {"previous_crew_id", change.previous_crew_id},
                 {"max_jobs_per_crew", settings_.limits.max_jobs_per_crew}});
  if (!relay_) return;
  // Dispatch is waiting for this answer to choose another crew: publish it now rather than at
  // the background relay's next round. It is saved either way, so a failure here only delays it.
  auto published = relay_(crew_id);
  if (!published) {
    logging::Warn("refusal saved but not yet acknowledged by Kafka; the background relay sends it",
                  {{"crew_id", crew_id},
                   {"work_order_id", work_order_id},
                   {"error", published.error().ToString()}});
    return;
  }
  if (metrics_) metrics_->Relayed(std::max(0, *published - 1));  // others saved before it
}

kafka::HandleResult DispatchHandler::Handle(const kafka::ConsumedMessage& message) {
  v1::DispatchEvent event;
  if (auto poison = kafka::DecodeEvent(message, event, {.expected_topic = kafka::kDispatchTopic})) {
    return *poison;
  }
  auto change = ChangeFrom(event);
  if (!change) {
    return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kInvalidEvent,
                                           change.error().message);
  }
  if (change->kind == DispatchChange::Kind::kNone) {
    if (metrics_) metrics_->DispatchChange("ignored", false);
    return kafka::HandleResult::Done();
  }
  const std::string& work_order_id = change->work_order.work_order_id();
  for (int attempt = 0; attempt < settings_.max_commit_attempts; ++attempt) {
    auto job = store_.GetJob(work_order_id);
    if (!job) return kafka::HandleResult::FromError(job.error(), "redis_error");
    const v1::WorkOrder* current = job->has_value() ? &(*job)->value : nullptr;
    auto stored = store_.GetCrews(CrewsInvolved(*change, current));
    if (!stored) return kafka::HandleResult::FromError(stored.error(), "redis_error");
    std::map<std::string, v1::Crew> crews;
    std::map<std::string, std::string> bytes;
    for (auto& crew : *stored) {
      bytes[crew.value.crew_id()] = std::move(crew.bytes);
      crews.emplace(crew.value.crew_id(), std::move(crew.value));
    }
    auto outcome = ApplyDispatchChange(*change, current, crews, settings_.limits);
    if (!outcome) {
      return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kUnknownCrew,
                                             outcome.error().message);
    }
    if (!outcome->changed) {
      if (metrics_) metrics_->DispatchChange(change->label, false);
      logging::Debug("dispatch event changes nothing",
                     {{"work_order_id", work_order_id}, {"why", outcome->note}});
      return kafka::HandleResult::Done();
    }
    CrewCommit commit = CommitOf(*outcome, bytes, *job);
    if (outcome->refusal) commit.events.push_back(RefusalEntry(message, *outcome->refusal));
    auto committed = store_.Commit(commit);
    if (!committed) return kafka::HandleResult::FromError(committed.error(), "redis_error");
    if (!*committed) {
      if (metrics_) metrics_->CommitConflict();
      continue;
    }
    Committed(*change, *outcome);
    return kafka::HandleResult::Done();
  }
  return kafka::HandleResult::Retry("store_conflict",
                                    "work order " + work_order_id + " kept changing");
}

}  // namespace gridcare::repair_crew
