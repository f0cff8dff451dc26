#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "acked_publisher.h"
#include "crew_metrics.h"
#include "crew_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/core/ids.h"
#include "gridcare/v1/crew.pb.h"
#include "job_rules.h"

namespace gridcare::repair_crew {

/// ce_types of the crew topic (docs/events.md).
inline constexpr std::string_view kTypeJobAccepted = "gridcare.crew.job_accepted.v1";
inline constexpr std::string_view kTypeJobDeclined = "gridcare.crew.job_declined.v1";
inline constexpr std::string_view kTypeTravelStarted = "gridcare.crew.travel_started.v1";
inline constexpr std::string_view kTypeArrivedOnSite = "gridcare.crew.arrived_on_site.v1";
inline constexpr std::string_view kTypeJobCompleted = "gridcare.crew.job_completed.v1";
inline constexpr std::string_view kTypeLocationReported = "gridcare.crew.location_reported.v1";
inline constexpr std::string_view kTypeAvailabilityChanged =
    "gridcare.crew.availability_changed.v1";
inline constexpr std::string_view kEventSource = "/gridcare/repair-crew";

/// The ce_type of the event a job action publishes.
std::string_view EventTypeFor(JobAction action);

/// The time budget of one call (the caller's gRPC deadline), on the steady clock.
using Deadline = std::chrono::steady_clock::time_point;

/// What a command knows about the call that carries it.
struct CallContext {
  Deadline deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string traceparent;  ///< the caller's W3C trace context, if it sent one
};

struct CrewCoreSettings {
  /// Longest wait for Kafka's acknowledgement of one event (never beyond the call's deadline).
  std::chrono::milliseconds ack_timeout{5'000};
  /// Read-decide-commit rounds before a command gives up on a crew whose records keep changing.
  int max_commit_attempts = 10;
  /// A crew whose last position is older than this counts as stale in the fleet metrics; the same
  /// limit dispatch uses for new jobs.
  std::chrono::minutes stale_after{15};
  /// Saved events read per round when relaying one crew's outbox.
  size_t relay_batch = 100;
};

/// The crew app's commands (CrewService), over a CrewStore and an AckedPublisher.
///
/// Every state change is saved first, in one atomic commit together with the event that reports
/// it (the outbox); then the crew's saved events are published in order, each waited for, and
/// removed. The command answers OK only once its event is acknowledged, so the app sees OK only for
/// durable changes. A command repeated after a lost answer changes nothing and publishes nothing
/// new; it only finishes publishing what an earlier attempt saved.
///
/// Errors are core::Error kinds the gRPC edge maps one-to-one: INVALID_ARGUMENT (field named),
/// NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION; UNAVAILABLE / DEADLINE_EXCEEDED when Redis or
/// Kafka fails (a change already saved says so: repeat the call to confirm it).
///
/// Thread-safe; every collaborator must outlive it.
class CrewCore {
 public:
  /// `roster_ids`: the crews this installation has (ListCrews pages through them in id order).
  /// `metrics` may be null.
  CrewCore(CrewStore& store, AckedPublisher& publisher, core::IdGenerator& ids,
           const core::Clock& clock, CrewMetrics* metrics, std::vector<std::string> roster_ids,
           CrewCoreSettings settings = {});

  core::Result<v1::Crew> GetCrew(const v1::GetCrewRequest& request);
  /// Pages of `page_size` crews (0 = 100, at most 1,000) in crew id order; the token is the last
  /// crew id of the previous page.
  core::Result<v1::ListCrewsResponse> ListCrews(const v1::ListCrewsRequest& request);
  /// The crew's open jobs in queue order.
  core::Result<v1::ListCrewJobsResponse> ListJobs(const v1::ListCrewJobsRequest& request);

  /// AcceptJob, DeclineJob, StartTravel, ArriveOnSite (job_rules.h decides).
  core::Result<v1::CrewJobResponse> Act(JobAction action, const v1::CrewJobRequest& request,
                                        const CallContext& call);
  /// CompleteJob: cause text filled from the built-in table when the crew gave only the code.
  core::Result<v1::CrewJobResponse> Complete(const v1::CompleteJobRequest& request,
                                             const CallContext& call);
  /// Updates position and position_at (server time) and publishes location_reported.
  core::Result<v1::ReportLocationResponse> ReportLocation(const v1::ReportLocationRequest& request,
                                                          const CallContext& call);
  core::Result<v1::SetAvailabilityResponse> SetAvailability(
      const v1::SetAvailabilityRequest& request, const CallContext& call);

  /// Publishes the crew's saved events in order, waiting for each acknowledgement, and removes
  /// each once acknowledged. Returns how many were published. Calls for one crew are serialised
  /// in this process, so an event is not published twice by two of its threads.
  core::Result<int> Relay(const std::string& crew_id, Deadline deadline);
  /// Relays every roster crew that has saved events (the background relay).
  core::Result<int> RelayAll(Deadline deadline);

  /// Reads the fleet (crews, open jobs, outbox) and returns the gauges' values.
  core::Result<FleetSnapshot> Fleet();

  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 1000;

 private:
  using EventBuilder = std::function<v1::CrewEvent(const v1::WorkOrder& job)>;

  core::Result<v1::CrewJobResponse> RunJobCommand(JobAction action, const std::string& crew_id,
                                                  const std::string& work_order_id, bool restored,
                                                  const EventBuilder& build_event,
                                                  const CallContext& call);
  OutboxEntry MakeEntry(const std::string& crew_id, const std::string& subject,
                        std::string_view type, const v1::CrewEvent& event, const CallContext& call,
                        core::TimePoint now);
  /// Relays after a commit (or for a repeat); `own` events were made by this call, the rest count
  /// as relayed. A failure becomes "saved, not yet acknowledged".
  core::Status Deliver(const std::string& crew_id, int own, const CallContext& call);
  std::mutex& RelayLock(const std::string& crew_id);

  CrewStore& store_;
  AckedPublisher& publisher_;
  core::IdGenerator& ids_;
  const core::Clock& clock_;
  CrewMetrics* metrics_;
  std::vector<std::string> roster_ids_;  // sorted
  CrewCoreSettings settings_;
  std::array<std::mutex, 64> relay_locks_;  // striped by crew id
};

}  // namespace gridcare::repair_crew
