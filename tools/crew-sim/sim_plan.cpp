#include "sim_plan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace gridcare::crew_sim {
namespace {

constexpr double kEarthRadiusKm = 6371.0088;

double Radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

uint64_t SplitMix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

uint64_t Fnv1a(uint64_t hash, std::string_view text) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

// Weights of CauseCodes() in table order: roughly how often each cause turns up in distribution
// repair reports.
constexpr std::array<int, 12> kCauseWeights = {15, 20, 10, 8, 6, 8, 8, 10, 6, 4, 4, 1};

constexpr std::array<std::string_view, 4> kDeclineReasons = {
    "vehicle breakdown", "crew lacks the equipment this job needs",
    "committed to a safety hazard nearby", "crew member injured; crew short-handed"};

}  // namespace

double DistanceKm(const v1::GeoPoint& a, const v1::GeoPoint& b) {
  const double dlat = Radians(b.latitude() - a.latitude());
  const double dlon = Radians(b.longitude() - a.longitude());
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(Radians(a.latitude())) * std::cos(Radians(b.latitude())) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

v1::GeoPoint Along(const v1::GeoPoint& a, const v1::GeoPoint& b, double fraction) {
  const double f = std::clamp(std::isfinite(fraction) ? fraction : 1.0, 0.0, 1.0);
  v1::GeoPoint point;
  point.set_latitude(a.latitude() + (b.latitude() - a.latitude()) * f);
  point.set_longitude(a.longitude() + (b.longitude() - a.longitude()) * f);
  return point;
}

double SpeedKmh(v1::AreaClass area) {
  switch (area) {
    case v1::AREA_CLASS_RURAL:
      return 40;
    case v1::AREA_CLASS_REMOTE:
      return 30;
    default:
      return 25;
  }
}

v1::GeoPoint Trip::PositionAfter(std::chrono::duration<double> elapsed) const {
  if (duration.count() <= 0) return to;
  return Along(from, to, elapsed.count() / static_cast<double>(duration.count()));
}

Trip PlanTrip(const v1::GeoPoint& from, const v1::GeoPoint& to, v1::AreaClass area) {
  Trip trip;
  trip.from = from;
  trip.to = to;
  trip.distance_km = DistanceKm(from, to);
  trip.speed_kmh = SpeedKmh(area);
  const double seconds = trip.distance_km / trip.speed_kmh * 3600.0;
  trip.duration = std::chrono::seconds(std::max<int64_t>(60, std::llround(seconds)));
  return trip;
}

std::chrono::milliseconds TimeScale::ToReal(std::chrono::duration<double> simulated) const {
  return std::chrono::milliseconds(std::llround(simulated.count() / factor_ * 1000.0));
}

std::chrono::duration<double> TimeScale::ToSimulated(std::chrono::duration<double> real) const {
  return std::chrono::duration<double>(real.count() * factor_);
}

uint64_t Mix(uint64_t seed, std::string_view a, std::string_view b) {
  uint64_t hash = Fnv1a(0xCBF29CE484222325ULL, a);
  hash = Fnv1a(hash ^ 0xFF, b);
  return SplitMix(hash ^ SplitMix(seed));
}

double Uniform01(uint64_t hash) { return static_cast<double>(hash >> 11) * 0x1.0p-53; }

bool Declines(uint64_t seed, std::string_view crew_id, std::string_view work_order_id,
              double rate) {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return Uniform01(Mix(seed, crew_id, work_order_id)) < rate;
}

std::string_view DeclineReason(uint64_t seed, std::string_view work_order_id) {
  return kDeclineReasons[Mix(seed, "decline-reason", work_order_id) % kDeclineReasons.size()];
}

std::chrono::minutes RepairTime(uint64_t seed, std::string_view work_order_id) {
  return std::chrono::minutes(20 + static_cast<int>(Mix(seed, "repair", work_order_id) % 71));
}

const repair_crew::CauseCode& CauseFor(uint64_t seed, std::string_view work_order_id) {
  const auto causes = repair_crew::CauseCodes();
  int total = 0;
  for (const int weight : kCauseWeights) total += weight;
  int pick = static_cast<int>(Mix(seed, "cause", work_order_id) % static_cast<uint64_t>(total));
  for (size_t i = 0; i < kCauseWeights.size() && i < causes.size(); ++i) {
    if (pick < kCauseWeights[i]) return causes[i];
    pick -= kCauseWeights[i];
  }
  return causes.back();
}

v1::AppointmentResult VisitResult(uint64_t seed, const v1::WorkOrder& job, double absent_rate) {
  v1::AppointmentResult result;
  const std::string& id = job.work_order_id();
  if (absent_rate > 0 && Uniform01(Mix(seed, "absent", id)) < absent_rate) {
    result.set_customer_absent(true);
    return result;
  }
  switch (job.application().visit()) {
    case v1::VISIT_KIND_SITE_SURVEY:
      result.set_documents_verified(true);
      break;
    case v1::VISIT_KIND_METER_CHECK: {
      const bool fast = Mix(seed, "verdict", id) % 8 == 0;
      result.set_verdict(fast ? v1::METER_CHECK_VERDICT_FAST : v1::METER_CHECK_VERDICT_ACCURATE);
      auto* error = result.add_readings();
      error->set_name("error_percent");
      error->set_value(fast ? 2.6 : 0.4);
      break;
    }
    default: {
      const uint64_t digits = Mix(seed, "meter", job.application().ticket_id()) % 10'000'000'000ULL;
      std::string number = std::to_string(digits);
      number.insert(0, 10 - number.size(), '0');
      result.set_meter_number("M-" + number);
      auto* voltage = result.add_readings();
      voltage->set_name("voltage_l1_v");
      voltage->set_value(228.0 + static_cast<double>(Mix(seed, "volts", id) % 50) / 10.0);
      break;
    }
  }
  return result;
}

int NextJobIndex(const v1::ListCrewJobsResponse& jobs, core::TimePoint wall_now,
                 std::chrono::seconds lead, bool visits_early) {
  for (int i = 0; i < jobs.work_orders_size(); ++i) {
    const auto state = jobs.work_orders(i).state();
    if (state == v1::WORK_ORDER_STATE_EN_ROUTE || state == v1::WORK_ORDER_STATE_ON_SITE) {
      return i;  // under way (after a restart): carry on with it
    }
  }
  int first_visit = -1;
  for (int i = 0; i < jobs.work_orders_size(); ++i) {
    const auto& job = jobs.work_orders(i);
    if (!job.has_application()) return i;  // fault repair outranks appointments
    if (first_visit >= 0) continue;
    const auto start = core::FromUnixMillis(job.appointment_start().seconds() * 1000);
    if (visits_early || start - lead <= wall_now) first_visit = i;
  }
  return first_visit;
}

}  // namespace gridcare::crew_sim
