#include "dispatch_handler.h"

#include "assignment_rules.h"
#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::repair_crew {

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
  for (int attempt = 0; attempt < max_commit_attempts_; ++attempt) {
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
    auto outcome = ApplyDispatchChange(*change, current, crews);
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
    CrewCommit commit;
    for (auto& [crew_id, crew] : outcome->crews) {
      commit.crews.push_back({std::move(crew), bytes[crew_id]});
    }
    commit.job = CrewCommit::JobWrite{
        outcome->job, job->has_value() ? std::optional<std::string>((*job)->bytes) : std::nullopt};
    auto committed = store_.Commit(commit);
    if (!committed) return kafka::HandleResult::FromError(committed.error(), "redis_error");
    if (!*committed) {
      if (metrics_) metrics_->CommitConflict();
      continue;
    }
    if (metrics_) metrics_->DispatchChange(change->label, true);
    logging::Info("job queue changed", {{"work_order_id", work_order_id},
                                        {"change", change->label},
                                        {"crew_id", outcome->job.crew_id()},
                                        {"state", StateName(outcome->job.state())}});
    return kafka::HandleResult::Done();
  }
  return kafka::HandleResult::Retry("store_conflict",
                                    "work order " + work_order_id + " kept changing");
}

}  // namespace gridcare::repair_crew
