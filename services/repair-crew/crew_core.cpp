#include "crew_core.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "request_validation.h"

namespace gridcare::repair_crew {
namespace {

using google::protobuf::util::TimeUtil;
using SteadyClock = std::chrono::steady_clock;

core::Error Contended(const std::string& crew_id) {
  return core::Error{core::ErrorKind::kResourceExhausted,
                     "crew " + crew_id + "'s records kept changing under this command; retry"};
}

core::Error DeadlineBeforeSave() {
  return core::Error{core::ErrorKind::kDeadlineExceeded,
                     "the call's deadline passed before the change was saved; nothing changed"};
}

std::chrono::milliseconds Remaining(Deadline deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
}

std::string_view LogMessageFor(JobAction action) {
  switch (action) {
    case JobAction::kAccept:
      return "job accepted";
    case JobAction::kDecline:
      return "job declined";
    case JobAction::kStartTravel:
      return "travel started";
    case JobAction::kArriveOnSite:
      return "arrived on site";
    case JobAction::kComplete:
      return "job completed";
  }
  return "job changed";
}

}  // namespace

std::string_view EventTypeFor(JobAction action) {
  switch (action) {
    case JobAction::kAccept:
      return kTypeJobAccepted;
    case JobAction::kDecline:
      return kTypeJobDeclined;
    case JobAction::kStartTravel:
      return kTypeTravelStarted;
    case JobAction::kArriveOnSite:
      return kTypeArrivedOnSite;
    case JobAction::kComplete:
      return kTypeJobCompleted;
  }
  return "";
}

CrewCore::CrewCore(CrewStore& store, AckedPublisher& publisher, core::IdGenerator& ids,
                   const core::Clock& clock, CrewMetrics* metrics,
                   std::vector<std::string> roster_ids, CrewCoreSettings settings)
    : store_(store),
      publisher_(publisher),
      ids_(ids),
      clock_(clock),
      metrics_(metrics),
      roster_ids_(std::move(roster_ids)),
      settings_(settings) {
  std::sort(roster_ids_.begin(), roster_ids_.end());
  roster_ids_.erase(std::unique(roster_ids_.begin(), roster_ids_.end()), roster_ids_.end());
}

// --- Queries ---

core::Result<v1::Crew> CrewCore::GetCrew(const v1::GetCrewRequest& request) {
  if (auto ok = ValidateId("crew_id", request.crew_id()); !ok) return ok.error();
  auto crew = store_.GetCrew(request.crew_id());
  if (!crew) return crew.error();
  if (!crew->has_value()) {
    return core::NotFound("crew " + request.crew_id() + " is not on the roster");
  }
  return std::move((*crew)->value);
}

core::Result<v1::ListCrewsResponse> CrewCore::ListCrews(const v1::ListCrewsRequest& request) {
  const int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  if (page_size < 0 || page_size > kMaxPageSize) {
    return core::InvalidArgument("page_size: must be 1.." + std::to_string(kMaxPageSize));
  }
  if (!request.page_token().empty()) {
    if (auto ok = ValidateId("page_token", request.page_token()); !ok) return ok.error();
  }
  // The token is the last crew id served: continue after it, wherever it falls.
  auto begin = request.page_token().empty()
                   ? roster_ids_.begin()
                   : std::upper_bound(roster_ids_.begin(), roster_ids_.end(), request.page_token());
  const auto end = begin + std::min<std::ptrdiff_t>(page_size, roster_ids_.end() - begin);
  std::vector<std::string> ids(begin, end);
  auto crews = store_.GetCrews(ids);
  if (!crews) return crews.error();
  v1::ListCrewsResponse response;
  for (auto& crew : *crews) *response.add_crews() = std::move(crew.value);
  if (end != roster_ids_.end() && !ids.empty()) response.set_next_page_token(ids.back());
  return response;
}

core::Result<v1::ListCrewJobsResponse> CrewCore::ListJobs(const v1::ListCrewJobsRequest& request) {
  if (auto ok = ValidateId("crew_id", request.crew_id()); !ok) return ok.error();
  auto crew = store_.GetCrew(request.crew_id());
  if (!crew) return crew.error();
  if (!crew->has_value()) {
    return core::NotFound("crew " + request.crew_id() + " is not on the roster");
  }
  const auto& queue = (*crew)->value.work_order_ids();
  auto jobs = store_.GetJobs({queue.begin(), queue.end()});
  if (!jobs) return jobs.error();
  v1::ListCrewJobsResponse response;
  for (auto& job : *jobs) {
    // The queue and the job records are written together; a job another crew holds now is not
    // this crew's to see.
    if (job.crew_id() == request.crew_id() && IsOpenJobState(job.state())) {
      *response.add_work_orders() = std::move(job);
    }
  }
  return response;
}

// --- Commands ---

OutboxEntry CrewCore::MakeEntry(const std::string& crew_id, const std::string& subject,
                                std::string_view type, const v1::CrewEvent& event,
                                const CallContext& call, core::TimePoint now) {
  kafka::EventMetadata metadata{ids_.NewId(),
                                std::string(type),
                                std::string(kEventSource),
                                subject,
                                now,
                                call.traceparent.empty()
                                    ? kafka::NewTraceparent()
                                    : kafka::ChildTraceparent(call.traceparent)};
  return OutboxEntry{kafka::MakeRecord(std::string(kafka::kCrewTopic), crew_id, metadata, event),
                     now};
}

core::Status CrewCore::Deliver(const std::string& crew_id, int own, const CallContext& call) {
  auto published = Relay(crew_id, call.deadline);
  if (!published) {
    const auto& error = published.error();
    return core::Error{error.kind == core::ErrorKind::kDeadlineExceeded
                           ? core::ErrorKind::kDeadlineExceeded
                           : core::ErrorKind::kUnavailable,
                       "the change is saved but its event is not acknowledged by Kafka yet (" +
                           error.ToString() + "); repeat the call to confirm it"};
  }
  if (metrics_) metrics_->Relayed(std::max(0, *published - own));
  return {};
}

core::Result<v1::CrewJobResponse> CrewCore::RunJobCommand(
    JobAction action, const std::string& crew_id, const std::string& work_order_id, bool restored,
    const EventBuilder& build_event, const CallContext& call) {
  for (int attempt = 0; attempt < settings_.max_commit_attempts; ++attempt) {
    if (SteadyClock::now() >= call.deadline) return DeadlineBeforeSave();
    auto crew = store_.GetCrew(crew_id);
    if (!crew) return crew.error();
    auto job = store_.GetJob(work_order_id);
    if (!job) return job.error();
    auto decision =
        DecideJobAction(crew_id, crew->has_value() ? &(*crew)->value : nullptr, work_order_id,
                        job->has_value() ? &(*job)->value : nullptr, action);
    if (!decision) return decision.error();
    v1::CrewJobResponse response;
    if (decision->repeat) {
      if (metrics_) metrics_->Repeat(JobActionName(action));
      // The earlier attempt may have saved its event without seeing it acknowledged.
      if (auto delivered = Deliver(crew_id, 0, call); !delivered) return delivered.error();
      *response.mutable_work_order() = std::move((*job)->value);
      return response;
    }
    const auto now = clock_.Now();
    v1::Crew crew_after = (*crew)->value;
    v1::WorkOrder job_after = (*job)->value;
    ApplyJobDecision(*decision, now, restored, crew_after, job_after);

    CrewCommit commit;
    if (crew_after.SerializeAsString() != (*crew)->bytes) {
      commit.crews.push_back({crew_after, (*crew)->bytes});
    }
    commit.job = CrewCommit::JobWrite{job_after, (*job)->bytes};
    commit.events.push_back(
        MakeEntry(crew_id, work_order_id, EventTypeFor(action), build_event(job_after), call, now));
    auto committed = store_.Commit(commit);
    if (!committed) return committed.error();
    if (!*committed) {
      if (metrics_) metrics_->CommitConflict();
      continue;
    }
    if (metrics_) metrics_->Transition(action);
    logging::Info(LogMessageFor(action),
                  {{"crew_id", crew_id},
                   {"work_order_id", work_order_id},
                   {"state", StateName(job_after.state())},
                   {"availability", AvailabilityName(crew_after.availability())}});
    if (auto delivered = Deliver(crew_id, 1, call); !delivered) return delivered.error();
    *response.mutable_work_order() = std::move(job_after);
    return response;
  }
  return Contended(crew_id);
}

core::Result<v1::CrewJobResponse> CrewCore::Act(JobAction action, const v1::CrewJobRequest& request,
                                                const CallContext& call) {
  if (action == JobAction::kComplete) {
    return core::Internal("CompleteJob goes through CrewCore::Complete");
  }
  if (auto ok = ValidateJobRequest(request, action); !ok) return ok.error();
  const EventBuilder build = [&](const v1::WorkOrder&) {
    v1::CrewEvent event;
    switch (action) {
      case JobAction::kAccept: {
        auto* accepted = event.mutable_job_accepted();
        accepted->set_crew_id(request.crew_id());
        accepted->set_work_order_id(request.work_order_id());
        break;
      }
      case JobAction::kDecline: {
        auto* declined = event.mutable_job_declined();
        declined->set_crew_id(request.crew_id());
        declined->set_work_order_id(request.work_order_id());
        declined->set_reason(request.reason());
        break;
      }
      case JobAction::kStartTravel: {
        auto* en_route = event.mutable_en_route();
        en_route->set_crew_id(request.crew_id());
        en_route->set_work_order_id(request.work_order_id());
        if (request.has_estimate()) *en_route->mutable_estimated_arrival_at() = request.estimate();
        break;
      }
      case JobAction::kArriveOnSite: {
        auto* on_site = event.mutable_on_site();
        on_site->set_crew_id(request.crew_id());
        on_site->set_work_order_id(request.work_order_id());
        if (request.has_estimate()) {
          *on_site->mutable_estimated_restoration_at() = request.estimate();
        }
        break;
      }
      case JobAction::kComplete:
        break;
    }
    return event;
  };
  return RunJobCommand(action, request.crew_id(), request.work_order_id(), false, build, call);
}

core::Result<v1::CrewJobResponse> CrewCore::Complete(const v1::CompleteJobRequest& request,
                                                     const CallContext& call) {
  if (auto ok = ValidateCompletion(request); !ok) return ok.error();
  auto cause = ResolveCause(request.report());
  if (!cause) return cause.error();
  v1::CrewEvent event;
  auto* completed = event.mutable_job_completed();
  *completed = request.report();
  *completed->mutable_cause() = *cause;
  const EventBuilder build = [&](const v1::WorkOrder&) { return event; };
  return RunJobCommand(JobAction::kComplete, request.report().crew_id(),
                       request.report().work_order_id(), request.report().restored(), build, call);
}

core::Result<v1::ReportLocationResponse> CrewCore::ReportLocation(
    const v1::ReportLocationRequest& request, const CallContext& call) {
  if (auto ok = ValidateLocation(request); !ok) return ok.error();
  const auto& report = request.report();
  for (int attempt = 0; attempt < settings_.max_commit_attempts; ++attempt) {
    if (SteadyClock::now() >= call.deadline) return DeadlineBeforeSave();
    auto crew = store_.GetCrew(report.crew_id());
    if (!crew) return crew.error();
    if (!crew->has_value()) {
      return core::NotFound("crew " + report.crew_id() + " is not on the roster");
    }
    const auto now = clock_.Now();
    v1::Crew after = (*crew)->value;
    *after.mutable_position() = report.position();
    *after.mutable_position_at() = TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(now));
    v1::CrewEvent event;
    *event.mutable_location_reported() = report;
    CrewCommit commit;
    commit.crews.push_back({after, (*crew)->bytes});
    commit.events.push_back(
        MakeEntry(report.crew_id(), report.crew_id(), kTypeLocationReported, event, call, now));
    auto committed = store_.Commit(commit);
    if (!committed) return committed.error();
    if (!*committed) {
      if (metrics_) metrics_->CommitConflict();
      continue;
    }
    if (metrics_) metrics_->LocationReported();
    if (auto delivered = Deliver(report.crew_id(), 1, call); !delivered) return delivered.error();
    return v1::ReportLocationResponse();
  }
  return Contended(report.crew_id());
}

core::Result<v1::SetAvailabilityResponse> CrewCore::SetAvailability(
    const v1::SetAvailabilityRequest& request, const CallContext& call) {
  if (auto ok = ValidateAvailabilityChange(request); !ok) return ok.error();
  const auto& change = request.change();
  for (int attempt = 0; attempt < settings_.max_commit_attempts; ++attempt) {
    if (SteadyClock::now() >= call.deadline) return DeadlineBeforeSave();
    auto crew = store_.GetCrew(change.crew_id());
    if (!crew) return crew.error();
    if (!crew->has_value()) {
      return core::NotFound("crew " + change.crew_id() + " is not on the roster");
    }
    auto decision = DecideAvailability((*crew)->value, change.availability());
    if (!decision) return decision.error();
    v1::SetAvailabilityResponse response;
    if (decision->repeat) {
      if (metrics_) metrics_->Repeat("set_availability");
      if (auto delivered = Deliver(change.crew_id(), 0, call); !delivered) {
        return delivered.error();
      }
      *response.mutable_crew() = std::move((*crew)->value);
      return response;
    }
    const auto now = clock_.Now();
    v1::Crew after = (*crew)->value;
    after.set_availability(decision->availability);
    v1::CrewEvent event;
    auto* changed = event.mutable_availability_changed();
    changed->set_crew_id(change.crew_id());
    changed->set_availability(decision->availability);
    changed->set_reason(change.reason());
    CrewCommit commit;
    commit.crews.push_back({after, (*crew)->bytes});
    commit.events.push_back(
        MakeEntry(change.crew_id(), change.crew_id(), kTypeAvailabilityChanged, event, call, now));
    auto committed = store_.Commit(commit);
    if (!committed) return committed.error();
    if (!*committed) {
      if (metrics_) metrics_->CommitConflict();
      continue;
    }
    if (metrics_) metrics_->AvailabilitySet(decision->availability);
    logging::Info("availability changed",
                  {{"crew_id", change.crew_id()},
                   {"availability", AvailabilityName(decision->availability)},
                   {"open_jobs", after.work_order_ids_size()}});
    if (auto delivered = Deliver(change.crew_id(), 1, call); !delivered) return delivered.error();
    *response.mutable_crew() = std::move(after);
    return response;
  }
  return Contended(change.crew_id());
}

// --- Outbox relay ---

std::mutex& CrewCore::RelayLock(const std::string& crew_id) {
  return relay_locks_[std::hash<std::string>{}(crew_id) % relay_locks_.size()];
}

core::Result<int> CrewCore::Relay(const std::string& crew_id, Deadline deadline) {
  std::lock_guard lock(RelayLock(crew_id));
  int published = 0;
  while (true) {
    auto pending = store_.PendingEvents(crew_id, settings_.relay_batch);
    if (!pending) return pending.error();
    if (pending->empty()) return published;
    for (const auto& bytes : *pending) {
      auto entry = DecodeOutboxEntry(bytes);
      if (!entry) {
        // Left in place it would block the crew's later events for ever; it cannot be sent.
        logging::Error("dropping a corrupt saved crew event",
                       {{"crew_id", crew_id}, {"error", entry.error().ToString()}});
        if (auto removed = store_.RemovePendingEvent(crew_id, bytes); !removed) {
          return removed.error();
        }
        continue;
      }
      const auto budget = std::min(settings_.ack_timeout, Remaining(deadline));
      if (budget <= std::chrono::milliseconds(0)) {
        return core::Error{core::ErrorKind::kDeadlineExceeded,
                           "deadline passed before the event was acknowledged"};
      }
      if (auto acked = publisher_.PublishAndWait(entry->record, budget); !acked) {
        if (metrics_) metrics_->DeliveryFailed();
        logging::Warn("crew event not acknowledged; it stays saved and is retried",
                      {{"crew_id", crew_id}, {"error", acked.error().ToString()}});
        return acked.error();
      }
      if (metrics_) {
        metrics_->ObserveAck(std::chrono::duration<double>(clock_.Now() - entry->saved_at).count());
      }
      if (auto removed = store_.RemovePendingEvent(crew_id, bytes); !removed) {
        return removed.error();
      }
      ++published;
    }
  }
}

core::Result<int> CrewCore::RelayAll(Deadline deadline) {
  auto counts = store_.PendingEventCounts(roster_ids_);
  if (!counts) return counts.error();
  int published = 0;
  for (size_t i = 0; i < roster_ids_.size() && i < counts->size(); ++i) {
    if ((*counts)[i] == 0) continue;
    auto relayed = Relay(roster_ids_[i], deadline);
    if (!relayed) return relayed.error();
    published += *relayed;
  }
  if (metrics_) metrics_->Relayed(published);
  return published;
}

core::Result<FleetSnapshot> CrewCore::Fleet() {
  FleetSnapshot snapshot;
  auto crews = store_.GetCrews(roster_ids_);
  if (!crews) return crews.error();
  const auto now = clock_.Now();
  std::vector<std::string> open_ids;
  for (const auto& crew : *crews) {
    ++snapshot.crews_by_availability[crew.value.availability()];
    for (const auto& id : crew.value.work_order_ids()) open_ids.push_back(id);
    if (crew.value.availability() == v1::CREW_AVAILABILITY_OFF_SHIFT) continue;
    const auto position_at =
        core::FromUnixMillis(TimeUtil::TimestampToMilliseconds(crew.value.position_at()));
    if (!crew.value.has_position_at() || now - position_at > settings_.stale_after) {
      ++snapshot.stale_crews;
    }
  }
  auto jobs = store_.GetJobs(open_ids);
  if (!jobs) return jobs.error();
  for (const auto& job : *jobs) {
    if (IsOpenJobState(job.state())) ++snapshot.open_jobs_by_state[job.state()];
  }
  auto counts = store_.PendingEventCounts(roster_ids_);
  if (!counts) return counts.error();
  for (size_t i = 0; i < counts->size(); ++i) {
    const int64_t count = (*counts)[i];
    if (count == 0) continue;
    snapshot.pending_events += count;
    auto oldest = store_.PendingEvents(roster_ids_[i], 1);
    if (!oldest) return oldest.error();
    if (oldest->empty()) continue;
    if (auto entry = DecodeOutboxEntry(oldest->front())) {
      snapshot.oldest_pending_event_seconds =
          std::max(snapshot.oldest_pending_event_seconds,
                   std::chrono::duration<double>(now - entry->saved_at).count());
    }
  }
  return snapshot;
}

}  // namespace gridcare::repair_crew
