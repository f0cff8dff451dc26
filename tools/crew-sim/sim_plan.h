#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "cause_codes.h"
#include "gridcare/core/clock.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/crew.pb.h"

namespace gridcare::crew_sim {

// The simulator's pure parts: geography, speeds, the time scale and every random choice. Choices
// are hashed from (seed, ids), not drawn from a shared generator, so a job gets the same repair
// time and cause whichever thread plays it and whatever else happens in the run.

/// Great-circle distance by the haversine formula (mean Earth radius 6371.0088 km), in km.
double DistanceKm(const v1::GeoPoint& a, const v1::GeoPoint& b);

/// The point `fraction` (clamped to 0..1) of the way from `a` to `b`, interpolated in degrees: a
/// straight line on the map, close enough over the tens of km a crew drives.
v1::GeoPoint Along(const v1::GeoPoint& a, const v1::GeoPoint& b, double fraction);

/// Effective driving speed towards a job, km/h, as dispatch assumes it: urban 25, rural 40,
/// remote 30 (mountain roads); an unknown area class counts as urban.
double SpeedKmh(v1::AreaClass area);

/// A straight drive from the crew's position to a job, in simulated time.
struct Trip {
  v1::GeoPoint from;
  v1::GeoPoint to;
  double distance_km = 0;
  double speed_kmh = 0;
  std::chrono::seconds duration{0};  ///< at least one minute: getting going takes time too

  /// Where the crew is `elapsed` simulated time after setting off (at `to` once it is over).
  v1::GeoPoint PositionAfter(std::chrono::duration<double> elapsed) const;
};

Trip PlanTrip(const v1::GeoPoint& from, const v1::GeoPoint& to, v1::AreaClass area);

/// Simulated seconds per real second. Converts both ways.
class TimeScale {
 public:
  /// `factor` must be positive (60 = one simulated minute per real second).
  explicit TimeScale(double factor) : factor_(factor) {}
  double factor() const { return factor_; }
  std::chrono::milliseconds ToReal(std::chrono::duration<double> simulated) const;
  std::chrono::duration<double> ToSimulated(std::chrono::duration<double> real) const;

 private:
  double factor_;
};

/// A 64-bit hash of the seed and up to two strings (splitmix64 over FNV-1a): the source of every
/// random choice.
uint64_t Mix(uint64_t seed, std::string_view a, std::string_view b = {});
/// A hash mapped to [0, 1).
double Uniform01(uint64_t hash);

/// Whether the crew declines the job, with probability `rate` (0 never, 1 always).
bool Declines(uint64_t seed, std::string_view crew_id, std::string_view work_order_id, double rate);
/// A plausible reason for declining (no personal data: it is published).
std::string_view DeclineReason(uint64_t seed, std::string_view work_order_id);
/// Time on site until supply is back: 20 to 90 simulated minutes.
std::chrono::minutes RepairTime(uint64_t seed, std::string_view work_order_id);
/// The cause the crew finds, weighted towards the common ones (blown fuses, trees, ageing kit).
const repair_crew::CauseCode& CauseFor(uint64_t seed, std::string_view work_order_id);

/// What a crew reports at the end of a service application's visit (`job` carries the
/// application): the survey checked the documents on site; an installation reports the meter
/// installed ("M-" and 10 digits from the seed and the ticket) and its test voltage; a meter
/// check finds the meter accurate (seven in eight) or fast. The customer is absent at
/// `absent_rate` (0..1) of visits.
v1::AppointmentResult VisitResult(uint64_t seed, const v1::WorkOrder& job, double absent_rate);

/// The job a crew takes up next from its queue (ListJobs order): fault repair first; a booked
/// visit once its start is `lead` away or less (`wall_now` is now on the wall clock), or at once
/// with `visits_early` (simulation compresses time, a booked hour does not). -1: nothing is due.
int NextJobIndex(const v1::ListCrewJobsResponse& jobs, core::TimePoint wall_now,
                 std::chrono::seconds lead, bool visits_early);

}  // namespace gridcare::crew_sim
