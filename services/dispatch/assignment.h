#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

// Crew assignment: which crew should take a job, in which order jobs get crews, and when a job
// must move to another crew. Pure logic: no I/O, time is passed in, results are deterministic
// (same inputs, same output, whatever the order of `crews`). docs/services/dispatch-assignment.md
// explains the rules.

/// A point on the map, WGS-84 degrees.
struct LatLon {
  double latitude = 0;
  double longitude = 0;
};

/// Great-circle distance by the haversine formula on a sphere of the mean Earth radius
/// (6371.0088 km), in km.
double HaversineKm(const LatLon& a, const LatLon& b);

/// The knobs of assignment. Defaults are documented in docs/services/dispatch-assignment.md.
struct AssignmentSettings {
  /// Effective speed along the straight line (road winding, traffic and terrain included) to a
  /// job in an area of each class, km/h. An unspecified area class counts as urban (the slowest).
  double urban_kmh = 25;
  double rural_kmh = 40;
  double remote_kmh = 30;
  /// Added to every travel time of a crew that still has to be dispatched: taking the call,
  /// loading the truck, leaving the depot or the current site.
  std::chrono::minutes dispatch_overhead{5};
  /// A crew whose last position report is older than this is treated as unreachable for new
  /// jobs (its position cannot be trusted).
  std::chrono::minutes stale_after{15};
  /// A crew that holds a job and has not reported for longer than this has stopped reporting:
  /// its job is reassigned (ShouldReassign). Longer than stale_after on purpose.
  std::chrono::minutes unreachable_after{30};
  /// A crew holding this many jobs takes no more (0 = no limit).
  int max_jobs_per_crew = 3;
  /// Score penalty per job a crew already holds, in minutes of ETA.
  std::chrono::minutes workload_penalty{30};
  /// A crew that cannot make the deadline any more is replaced only by a crew arriving at least
  /// this much earlier (PickReplacement), so jobs do not bounce between crews.
  std::chrono::minutes reassign_min_gain{10};
  /// Shift handover: a crew whose next shift starts within this much can be given jobs before it
  /// starts (the incoming shift takes them on), its ETA counted from the start of that shift.
  /// Without it, a job that the outgoing shift cannot reach before it ends waits unassigned
  /// until the next shift begins. Longer than any sensible ETA, so that no job falls between
  /// the shifts; ranking still prefers whichever crew arrives first. 0 = only crews on shift now.
  /// At most 24 h.
  std::chrono::minutes handover_lead{120};
  /// Offset of the local time that shifts are written in (China: UTC+8).
  std::chrono::minutes utc_offset{8 * 60};
};

/// INVALID_ARGUMENT naming the field: a speed that is not positive and finite, a negative
/// duration or job limit, stale_after or unreachable_after of zero, utc_offset beyond ±14 h.
core::Status Validate(const AssignmentSettings& settings);

/// A shift, in local time (AssignmentSettings::utc_offset). Bit 0 of weekday_mask is Monday,
/// bit 6 Sunday: the days the shift *starts* on. Minutes of day 0..1440; the shift covers
/// [start, end). end < start is a night shift ending the next day (Sunday 20:00-08:00 covers
/// Monday 02:00); end == start is a 24-hour shift. Minutes outside 0..1440 make a shift that
/// never applies.
struct ShiftWindow {
  int weekday_mask = 0;
  int start_minute = 0;
  int end_minute = 0;
};

/// Whether `t` falls inside any of `shifts`.
bool OnShift(const std::vector<ShiftWindow>& shifts, core::TimePoint t,
             std::chrono::minutes utc_offset);

/// The earliest start of any of `shifts` after `t` and at most `within` (0..24 h) after it;
/// nullopt when none starts in that time.
std::optional<core::TimePoint> NextShiftStart(const std::vector<ShiftWindow>& shifts,
                                              core::TimePoint t, std::chrono::minutes within,
                                              std::chrono::minutes utc_offset);

/// What dispatch knows of a crew when it assigns.
struct CrewState {
  std::string crew_id;
  std::vector<v1::CrewSkill> skills;
  std::vector<std::string> territory_feeder_ids;  ///< empty = anywhere
  std::vector<ShiftWindow> shifts;
  /// AVAILABLE and BUSY crews can take jobs; OFF_SHIFT, UNREACHABLE and UNSPECIFIED cannot.
  v1::CrewAvailability availability = v1::CREW_AVAILABILITY_AVAILABLE;
  LatLon position;
  /// When `position` was last reported; nullopt (never reported) counts as stale.
  std::optional<core::TimePoint> position_at;
  int current_jobs = 0;  ///< jobs the crew holds (assigned, accepted, en route, on site)
  /// Jobs this crew declined: it is never offered them again.
  std::vector<std::string> declined_work_order_ids;
};

/// A crew from the roster / crew events. position_at stays nullopt when the crew has none;
/// current_jobs is the size of its job queue.
CrewState CrewStateFromProto(const v1::Crew& crew);

/// A job waiting for (or held by) a crew: an incident's work order or a single-ticket order.
struct Job {
  std::string work_order_id;
  v1::CrewSkill required_skill = v1::CREW_SKILL_UNSPECIFIED;  ///< UNSPECIFIED: any crew
  std::string feeder_id;  ///< empty (unknown): no territory restriction
  LatLon location;
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  v1::Priority priority = v1::PRIORITY_NORMAL;
  bool life_support = false;
  bool important_customer = false;
  int64_t affected_customers = 1;
  std::optional<core::TimePoint> arrival_due;  ///< nullopt: no arrival clock
};

/// A job from a work order and, for repair orders, its incident (may be null): location, area,
/// skill, priority and the ARRIVAL clock's due_at from the order (the incident's when the order
/// has none); feeder, life-support, important-customer flags and affected customers from the
/// incident.
Job JobFromWorkOrder(const v1::WorkOrder& order, const v1::Incident* incident);

/// Whether `a` gets a crew before `b`: higher priority; then life-support affected; then
/// important customer affected; then more affected customers; then the earlier arrival deadline
/// (none = last); then the smaller work order id. A strict weak ordering.
bool JobGoesFirst(const Job& a, const Job& b);

/// Speed to a job in `area`, km/h.
double SpeedKmh(v1::AreaClass area, const AssignmentSettings& settings);

/// Travel time over `distance_km` into `area`, plus the dispatch overhead when
/// `with_overhead`, rounded to the nearest second.
std::chrono::seconds TravelTime(double distance_km, v1::AreaClass area,
                                const AssignmentSettings& settings, bool with_overhead = true);

/// Why a crew was not considered for a job, in the order the checks run.
enum class RejectReason {
  kDeclined,           ///< it declined this job before
  kMissingSkill,       ///< lacks the required skill
  kOutsideTerritory,   ///< the job's feeder is not in its territory
  kUnavailable,        ///< availability OFF_SHIFT, UNREACHABLE or UNSPECIFIED
  kStalePosition,      ///< no position report within stale_after
  kOffShiftNow,        ///< not on shift at `now`, and no shift of its starts within handover_lead
  kOffShiftAtArrival,  ///< its shift ends before it would arrive
  kAtCapacity,         ///< already holds max_jobs_per_crew jobs
};

/// "declined", "missing skill", "outside territory", "unavailable", "stale position",
/// "off shift now", "off shift at arrival", "at capacity".
std::string_view RejectReasonName(RejectReason reason);

/// A crew that can take the job.
struct Candidate {
  std::string crew_id;
  double distance_km = 0;
  /// Travel time including the dispatch overhead; for a crew not yet on shift (handover), also
  /// the wait until its shift starts.
  std::chrono::seconds eta{0};
  core::TimePoint arrival_at;  ///< now + eta
  /// When the crew's shift starts, for a crew taking the job at a handover (nullopt: on shift).
  std::optional<core::TimePoint> shift_starts_at;
  int current_jobs = 0;
  /// Lower is better: eta in minutes + workload_penalty in minutes x current_jobs.
  double score = 0;
  bool meets_arrival_deadline = true;  ///< arrival_at <= arrival_due (true without a deadline)
  /// Why it qualifies and how it scored, for the console (WorkOrderAssigned.ranking_reasons).
  std::vector<std::string> reasons;
};

/// A crew that cannot take the job.
struct Rejection {
  std::string crew_id;
  RejectReason reason = RejectReason::kMissingSkill;
  /// Known for kOffShiftAtArrival and kAtCapacity (the checks after the ETA is computed).
  std::optional<std::chrono::seconds> eta;
};

struct Ranking {
  /// Best first: score, then eta, then fewer jobs, then crew id.
  std::vector<Candidate> candidates;
  std::vector<Rejection> rejections;  ///< in crew id order
};

/// Ranks `crews` for `job` at `now`. A crew qualifies when it has not declined the job, has the
/// skill, covers the job's feeder, is AVAILABLE or BUSY, reported its position within
/// stale_after, is on shift now (or its shift starts within handover_lead) and at its arrival,
/// and holds fewer than max_jobs_per_crew jobs.
Ranking RankCrews(const Job& job, const std::vector<CrewState>& crews, core::TimePoint now,
                  const AssignmentSettings& settings);

struct Assignment {
  std::string work_order_id;
  Candidate crew;  ///< the winner, with its ETA and reasons
  /// The crew would arrive after the arrival deadline (assigned anyway: it is the best there is).
  bool arrival_at_risk = false;
};

struct QueuedJob {
  std::string work_order_id;
  std::string reason;  ///< e.g. "no crew fits: 4 missing skill, 2 at capacity"
  /// Earliest arrival any crew could make once it has room (crews rejected only for capacity);
  /// nullopt when no crew could take the job at all.
  std::optional<std::chrono::seconds> best_possible_eta;
  /// No crew could take it at all, or even the best possible ETA misses the arrival deadline.
  bool arrival_at_risk = false;
};

struct AssignmentPlan {
  std::vector<Assignment> assignments;  ///< in the order jobs were served (JobGoesFirst)
  std::vector<QueuedJob> queued;        ///< in the same order
};

/// Greedy assignment: jobs in JobGoesFirst order each take the best-ranked crew; a crew that
/// takes a job counts one more job (and becomes BUSY) for the jobs after it. Its position is not
/// moved. Jobs no crew can take are queued.
AssignmentPlan AssignJobs(const std::vector<Job>& jobs, std::vector<CrewState> crews,
                          core::TimePoint now, const AssignmentSettings& settings);

enum class ReassignmentReason {
  kNone,
  kDeclined,            ///< the crew declined the job
  kStoppedReporting,    ///< UNREACHABLE, or no position report for unreachable_after
  kOffShift,            ///< OFF_SHIFT, or its shifts do not cover `now`
  kCannotMakeDeadline,  ///< from where it is now it would arrive after the arrival deadline
};

/// "none", "declined", "stopped reporting", "off shift", "cannot make the deadline"
/// (WorkOrderReassigned.reason).
std::string_view ReassignmentReasonName(ReassignmentReason reason);

/// Whether the job held by `crew` should move to another crew, for a job the crew has not yet
/// reached (the service does not ask once the crew is on site). The first reason that applies,
/// in the enum's order. The crew's travel time here has no dispatch overhead: it is already
/// dispatched.
ReassignmentReason ShouldReassign(const Job& job, const CrewState& crew, core::TimePoint now,
                                  const AssignmentSettings& settings);

/// The crew to take over `job` from `current` for `reason` (kNone: nullopt): the best of
/// RankCrews over `crews` without `current`. For kCannotMakeDeadline only when it arrives at
/// least reassign_min_gain before `current` would; otherwise nullopt (keep the crew).
std::optional<Candidate> PickReplacement(const Job& job, const CrewState& current,
                                         ReassignmentReason reason,
                                         const std::vector<CrewState>& crews, core::TimePoint now,
                                         const AssignmentSettings& settings);

}  // namespace gridcare::dispatch
