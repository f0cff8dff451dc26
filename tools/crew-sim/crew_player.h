#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "crew_api.h"
#include "gridcare/core/clock.h"
#include "sim_plan.h"

namespace gridcare::crew_sim {

using Steady = std::chrono::steady_clock::time_point;

/// How a crew behaves. Times marked "real" are wall time of the run; the rest are simulated.
struct PlayerSettings {
  uint64_t seed = 1;
  double decline_rate = 0;                             ///< share of ASSIGNED jobs declined (0..1)
  double time_scale = 60;                              ///< simulated seconds per real second
  std::chrono::seconds report_every{60};               ///< position reports while driving
  std::chrono::milliseconds min_report_gap{250};       ///< real: at most ~4 reports/s per crew
  std::chrono::milliseconds idle_report_every{5'000};  ///< real: idle and on-site crews
  std::chrono::milliseconds retry_after{1'000};        ///< real: after a failed call
  /// Booked visits (service applications): set out this long before the booked start, or at once
  /// when `visits_early` (a scenario compresses time; a booked hour is not compressed).
  std::chrono::seconds visit_lead{30 * 60};
  bool visits_early = false;
  double absent_rate = 0;  ///< share of visits the customer misses
};

/// Counters of a whole run. Thread-safe.
struct SimStats {
  std::atomic<int64_t> accepted{0};
  std::atomic<int64_t> declined{0};
  std::atomic<int64_t> arrived{0};
  std::atomic<int64_t> completed{0};
  std::atomic<int64_t> lost{0};  ///< jobs taken away mid-way (reassigned, cancelled)
  std::atomic<int64_t> location_reports{0};
  std::atomic<int64_t> errors{0};  ///< failed calls (retried)
};

/// Where the one-line-per-step story goes. Thread-safe.
class Narrator {
 public:
  virtual ~Narrator() = default;
  virtual void Say(std::string_view crew_id, const std::string& text) = 0;
};

/// One crew playing its job queue through CrewApi as the crew app would:
///
///   idle ──ListJobs──> ASSIGNED: accept (or decline at the decline rate)
///        (jobs that join the queue while the crew is busy are accepted or declined at once, as a
///        crew acknowledges a new assignment, and worked in queue order)
///        ──StartTravel (ETA)──> driving in a straight line, ReportLocation every simulated minute
///        ──ArriveOnSite (estimated restoration)──> repairing 20-90 simulated minutes
///        ──CompleteJob (restored, cause and fix codes)──> idle, next job
///
/// Fault repair comes first; a booked visit of a service application (a job with an application)
/// is taken up when its start is near (NextJobIndex) and completed with its result (VisitResult:
/// documents checked at the survey, the meter installed, the meter-check verdict, or the customer
/// absent).
///
/// Idle and on-site crews report their position every few real seconds, so dispatch never sees
/// them as stale. The service is the truth: after a failed call the player re-reads its queue and
/// continues from the job's state (every command is idempotent), and a job taken away (reassigned,
/// cancelled) is dropped. Timestamps sent (ETA, estimated restoration) are the wall-clock times at
/// which the simulated events will really happen, i.e. compressed by the time scale.
///
/// Step() is not thread-safe (one step at a time per player); HintJobs() is.
class CrewPlayer {
 public:
  CrewPlayer(std::string crew_id, v1::GeoPoint position, const PlayerSettings& settings,
             CrewApi& api, Narrator& narrator, SimStats& stats);

  /// Does what is due at `now` (real, steady clock; `wall_now` is the same moment on the wall
  /// clock) and returns when it next wants to run.
  Steady Step(Steady now, core::TimePoint wall_now);

  /// Look at the queue on the next step.
  void HintJobs() { jobs_hint_.store(true); }
  /// The roster poll saw these jobs in the crew's queue: true (and the next step reads the queue)
  /// when one of them is new to the player, or when the job it is driving to or repairing is no
  /// longer among them (cancelled or reassigned: a crew app is told at once, so the crew turns
  /// back instead of finding out on arrival). Thread-safe.
  template <typename Ids>
  bool OfferQueue(const Ids& work_order_ids) {
    std::lock_guard lock(known_mutex_);
    bool current_listed = current_job_id_.empty();
    bool changed = false;
    for (const auto& id : work_order_ids) {
      if (!known_.contains(id)) changed = true;
      if (id == current_job_id_) current_listed = true;
    }
    if (changed || !current_listed) jobs_hint_.store(true);
    return changed || !current_listed;
  }
  bool Idle() const { return phase_ == Phase::kIdle; }
  const std::string& crew_id() const { return crew_id_; }
  const v1::GeoPoint& position() const { return position_; }

 private:
  enum class Phase { kIdle, kTravelling, kOnSite };

  Steady StepIdle(Steady now, core::TimePoint wall_now);
  Steady StepTravelling(Steady now, core::TimePoint wall_now);
  Steady StepOnSite(Steady now, core::TimePoint wall_now);
  Steady TakeUp(const v1::WorkOrder& job, Steady now, core::TimePoint wall_now);
  /// While busy: accepts or declines jobs that joined the queue; false when the current job has
  /// left the queue (reassigned or cancelled), so the crew should drop it.
  bool AcknowledgeNewJobs();
  /// Accepts or declines an ASSIGNED job; false when the call failed.
  bool Answer(const v1::WorkOrder& job, Steady now, bool queued_behind, Steady* retry);
  void Remember(const v1::ListCrewJobsResponse& jobs);
  Steady Drive(const v1::WorkOrder& job, Steady now, core::TimePoint wall_now, bool resumed);
  Steady StartRepair(Steady now, bool resumed);
  /// The booked visit is done: its result (VisitResult) reported.
  Steady FinishVisit(Steady now);
  /// Moves to `phase`, working job_ (none when idle): OfferQueue sees the job change with it.
  void EnterPhase(Phase phase);
  /// The current job left the queue (reassigned, cancelled): back to idle.
  Steady Dropped(Steady now);
  /// A call about the current job failed: retry later, or drop the job when it is not ours.
  Steady Failed(const core::Error& error, std::string_view what, Steady now);
  void Report(double speed_kmh);
  v1::CrewJobRequest Request() const;
  std::chrono::milliseconds Real(std::chrono::duration<double> simulated) const;

  std::string crew_id_;
  v1::GeoPoint position_;
  PlayerSettings settings_;
  TimeScale scale_;
  CrewApi& api_;
  Narrator& narrator_;
  SimStats& stats_;

  std::atomic<bool> jobs_hint_{true};  // look at the queue on the first step
  std::mutex known_mutex_;
  std::set<std::string> known_;     // work orders seen in the queue (guarded by known_mutex_)
  std::set<std::string> reminded_;  // booked visits whose reminder was narrated (same guard)
  std::string current_job_id_;      // job_'s id while not idle (guarded by known_mutex_)
  Phase phase_ = Phase::kIdle;
  v1::WorkOrder job_;
  Trip trip_;
  Steady travel_started_{};
  Steady arrive_at_{};
  Steady repair_done_{};
  Steady next_report_{};
  std::chrono::minutes repair_time_{0};
};

}  // namespace gridcare::crew_sim
