#include "assignment.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <tuple>
#include <utility>

#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr double kEarthRadiusKm = 6371.0088;
constexpr int kMinutesPerDay = 24 * 60;
constexpr int64_t kSecondsPerDay = 86'400;

double Radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

double Minutes(seconds s) { return static_cast<double>(s.count()) / 60.0; }

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool HasSkill(const CrewState& crew, v1::CrewSkill skill) {
  return skill == v1::CREW_SKILL_UNSPECIFIED ||
         std::find(crew.skills.begin(), crew.skills.end(), skill) != crew.skills.end();
}

bool CoversFeeder(const CrewState& crew, const std::string& feeder_id) {
  return feeder_id.empty() || crew.territory_feeder_ids.empty() ||
         Contains(crew.territory_feeder_ids, feeder_id);
}

bool CanTakeJobs(v1::CrewAvailability availability) {
  return availability == v1::CREW_AVAILABILITY_AVAILABLE ||
         availability == v1::CREW_AVAILABILITY_BUSY;
}

// Silent about reports from the future (clock skew): those count as fresh.
bool SilentLongerThan(const CrewState& crew, core::TimePoint now, minutes limit) {
  return !crew.position_at.has_value() || now - *crew.position_at > limit;
}

std::string Format(const char* format, double a, double b = 0) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, format, a, b);
  return buffer;
}

LatLon FromProto(const v1::GeoPoint& point) { return {point.latitude(), point.longitude()}; }

int64_t LocalSeconds(core::TimePoint t, minutes utc_offset) {
  return std::chrono::floor<seconds>(t.time_since_epoch()).count() + seconds{utc_offset}.count();
}

// Days since 1970-01-01 of a local second count, floored (instants before 1970 included).
int64_t LocalDay(int64_t local_seconds) {
  int64_t day = local_seconds / kSecondsPerDay;
  if (local_seconds % kSecondsPerDay < 0) --day;
  return day;
}

// 1970-01-01 was a Thursday: Monday = 0.
int WeekdayOf(int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

bool ValidShift(const ShiftWindow& shift) {
  return shift.start_minute >= 0 && shift.start_minute <= kMinutesPerDay && shift.end_minute >= 0 &&
         shift.end_minute <= kMinutesPerDay;
}

// When `crew` can set off for a new job at `now`: now when it is on shift; at the start of its
// next shift when that is within handover_lead (the incoming shift takes the job on); nullopt
// when neither.
std::optional<core::TimePoint> SetsOffAt(const CrewState& crew, core::TimePoint now,
                                         const AssignmentSettings& settings) {
  if (OnShift(crew.shifts, now, settings.utc_offset)) return now;
  if (settings.handover_lead <= minutes{0}) return std::nullopt;
  return NextShiftStart(crew.shifts, now, settings.handover_lead, settings.utc_offset);
}

// "20:00", local time.
std::string LocalClockTime(core::TimePoint t, minutes utc_offset) {
  const int64_t local = LocalSeconds(t, utc_offset);
  const int64_t of_day = local - LocalDay(local) * kSecondsPerDay;
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(of_day / 3600),
                static_cast<int>(of_day % 3600 / 60));
  return buffer;
}

// Sort key of the ranking: score, eta, fewer jobs, crew id.
bool RanksBefore(const Candidate& a, const Candidate& b) {
  return std::tie(a.score, a.eta, a.current_jobs, a.crew_id) <
         std::tie(b.score, b.eta, b.current_jobs, b.crew_id);
}

std::string QueueReason(const std::vector<Rejection>& rejections) {
  if (rejections.empty()) return "no crews on the roster";
  std::map<RejectReason, int> counts;
  for (const auto& rejection : rejections) ++counts[rejection.reason];
  std::string reason = "no crew fits:";
  bool first = true;
  for (const auto& [why, count] : counts) {
    reason += first ? " " : ", ";
    reason += std::to_string(count);
    reason += ' ';
    reason += RejectReasonName(why);
    first = false;
  }
  return reason;
}

}  // namespace

double HaversineKm(const LatLon& a, const LatLon& b) {
  const double lat1 = Radians(a.latitude);
  const double lat2 = Radians(b.latitude);
  const double dlat = lat2 - lat1;
  const double dlon = Radians(b.longitude - a.longitude);
  const double s = std::sin(dlat / 2);
  const double t = std::sin(dlon / 2);
  const double h = std::min(1.0, s * s + std::cos(lat1) * std::cos(lat2) * t * t);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(h));
}

core::Status Validate(const AssignmentSettings& settings) {
  const auto speed_ok = [](double kmh) { return std::isfinite(kmh) && kmh > 0; };
  if (!speed_ok(settings.urban_kmh)) return core::InvalidArgument("urban_kmh must be > 0");
  if (!speed_ok(settings.rural_kmh)) return core::InvalidArgument("rural_kmh must be > 0");
  if (!speed_ok(settings.remote_kmh)) return core::InvalidArgument("remote_kmh must be > 0");
  if (settings.dispatch_overhead < minutes{0}) {
    return core::InvalidArgument("dispatch_overhead must be >= 0");
  }
  if (settings.stale_after <= minutes{0}) return core::InvalidArgument("stale_after must be > 0");
  if (settings.unreachable_after <= minutes{0}) {
    return core::InvalidArgument("unreachable_after must be > 0");
  }
  if (settings.max_jobs_per_crew < 0) {
    return core::InvalidArgument("max_jobs_per_crew must be >= 0");
  }
  if (settings.workload_penalty < minutes{0}) {
    return core::InvalidArgument("workload_penalty must be >= 0");
  }
  if (settings.reassign_min_gain < minutes{0}) {
    return core::InvalidArgument("reassign_min_gain must be >= 0");
  }
  if (settings.utc_offset < minutes{-14 * 60} || settings.utc_offset > minutes{14 * 60}) {
    return core::InvalidArgument("utc_offset must be within +-14 h");
  }
  if (settings.handover_lead < minutes{0} || settings.handover_lead > minutes{kMinutesPerDay}) {
    return core::InvalidArgument("handover_lead must be within 0..24 h");
  }
  return core::Status::Ok();
}

bool OnShift(const std::vector<ShiftWindow>& shifts, core::TimePoint t, minutes utc_offset) {
  const int64_t local_seconds = LocalSeconds(t, utc_offset);
  const int64_t day = LocalDay(local_seconds);
  const int minute = static_cast<int>((local_seconds - day * kSecondsPerDay) / 60);
  const int weekday = WeekdayOf(day);
  const int yesterday = (weekday + 6) % 7;
  for (const auto& shift : shifts) {
    if (!ValidShift(shift)) continue;
    const bool starts_today = (shift.weekday_mask >> weekday) & 1;
    const bool started_yesterday = (shift.weekday_mask >> yesterday) & 1;
    if (shift.start_minute < shift.end_minute) {
      if (starts_today && minute >= shift.start_minute && minute < shift.end_minute) return true;
    } else {  // night or 24-hour shift: into the next day
      if (starts_today && minute >= shift.start_minute) return true;
      if (started_yesterday && minute < shift.end_minute) return true;
    }
  }
  return false;
}

std::optional<core::TimePoint> NextShiftStart(const std::vector<ShiftWindow>& shifts,
                                              core::TimePoint t, minutes within,
                                              minutes utc_offset) {
  if (within <= minutes{0}) return std::nullopt;
  const int64_t today = LocalDay(LocalSeconds(t, utc_offset));
  std::optional<core::TimePoint> earliest;
  // `within` is at most a day, so a start in (t, t + within] is on t's local day or the next.
  for (const int64_t day : {today, today + 1}) {
    const int weekday = WeekdayOf(day);
    for (const auto& shift : shifts) {
      if (!ValidShift(shift) || !((shift.weekday_mask >> weekday) & 1)) continue;
      const core::TimePoint start{std::chrono::duration_cast<core::Duration>(
          seconds{day * kSecondsPerDay + int64_t{shift.start_minute} * 60} - seconds{utc_offset})};
      if (start > t && start - t <= within && (!earliest || start < *earliest)) earliest = start;
    }
  }
  return earliest;
}

CrewState CrewStateFromProto(const v1::Crew& crew) {
  CrewState state;
  state.crew_id = crew.crew_id();
  for (int skill : crew.skills()) state.skills.push_back(static_cast<v1::CrewSkill>(skill));
  state.territory_feeder_ids.assign(crew.territory_feeder_ids().begin(),
                                    crew.territory_feeder_ids().end());
  for (const auto& shift : crew.shifts()) {
    state.shifts.push_back(
        {shift.weekday_mask(), shift.start_minute_of_day(), shift.end_minute_of_day()});
  }
  state.availability = crew.availability();
  state.position = FromProto(crew.position());
  if (crew.has_position_at()) state.position_at = sla::FromTimestamp(crew.position_at());
  state.current_jobs = crew.work_order_ids_size();
  return state;
}

Job JobFromWorkOrder(const v1::WorkOrder& order, const v1::Incident* incident) {
  Job job;
  job.work_order_id = order.work_order_id();
  job.required_skill = order.required_skill();
  job.location = FromProto(order.location());
  job.area_class = order.area_class();
  job.priority = order.priority();
  const auto arrival_due = [](const auto& clocks) -> std::optional<core::TimePoint> {
    for (const auto& clock : clocks) {
      if (clock.kind() == v1::ServiceClock::KIND_ARRIVAL && clock.has_due_at()) {
        return sla::FromTimestamp(clock.due_at());
      }
    }
    return std::nullopt;
  };
  job.arrival_due = arrival_due(order.clocks());
  if (incident != nullptr) {
    job.feeder_id = incident->supply().feeder_id();
    job.life_support = incident->life_support_affected();
    job.important_customer = incident->important_customer_affected();
    job.affected_customers = std::max<int64_t>(1, incident->affected_customers());
    if (!job.arrival_due) job.arrival_due = arrival_due(incident->clocks());
    if (!order.has_location()) job.location = FromProto(incident->location());
    if (job.area_class == v1::AREA_CLASS_UNSPECIFIED) job.area_class = incident->area_class();
    if (incident->priority() > job.priority) job.priority = incident->priority();
  }
  return job;
}

bool JobGoesFirst(const Job& a, const Job& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.life_support != b.life_support) return a.life_support;
  if (a.important_customer != b.important_customer) return a.important_customer;
  if (a.affected_customers != b.affected_customers) {
    return a.affected_customers > b.affected_customers;
  }
  if (a.arrival_due != b.arrival_due) {
    if (!a.arrival_due) return false;
    if (!b.arrival_due) return true;
    return *a.arrival_due < *b.arrival_due;
  }
  return a.work_order_id < b.work_order_id;
}

double SpeedKmh(v1::AreaClass area, const AssignmentSettings& settings) {
  switch (area) {
    case v1::AREA_CLASS_RURAL:
      return settings.rural_kmh;
    case v1::AREA_CLASS_REMOTE:
      return settings.remote_kmh;
    default:
      return settings.urban_kmh;
  }
}

seconds TravelTime(double distance_km, v1::AreaClass area, const AssignmentSettings& settings,
                   bool with_overhead) {
  const double travel = distance_km / SpeedKmh(area, settings) * 3600.0;
  const seconds overhead = with_overhead ? seconds{settings.dispatch_overhead} : seconds{0};
  return seconds{std::llround(travel)} + overhead;
}

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kDeclined:
      return "declined";
    case RejectReason::kMissingSkill:
      return "missing skill";
    case RejectReason::kOutsideTerritory:
      return "outside territory";
    case RejectReason::kUnavailable:
      return "unavailable";
    case RejectReason::kStalePosition:
      return "stale position";
    case RejectReason::kOffShiftNow:
      return "off shift now";
    case RejectReason::kOffShiftAtArrival:
      return "off shift at arrival";
    case RejectReason::kAtCapacity:
      return "at capacity";
  }
  return "unknown";
}

Ranking RankCrews(const Job& job, const std::vector<CrewState>& crews, core::TimePoint now,
                  const AssignmentSettings& settings) {
  Ranking ranking;
  for (const auto& crew : crews) {
    const auto reject = [&](RejectReason reason, std::optional<seconds> eta = std::nullopt) {
      ranking.rejections.push_back({crew.crew_id, reason, eta});
    };
    if (Contains(crew.declined_work_order_ids, job.work_order_id)) {
      reject(RejectReason::kDeclined);
      continue;
    }
    if (!HasSkill(crew, job.required_skill)) {
      reject(RejectReason::kMissingSkill);
      continue;
    }
    if (!CoversFeeder(crew, job.feeder_id)) {
      reject(RejectReason::kOutsideTerritory);
      continue;
    }
    if (!CanTakeJobs(crew.availability)) {
      reject(RejectReason::kUnavailable);
      continue;
    }
    if (SilentLongerThan(crew, now, settings.stale_after)) {
      reject(RejectReason::kStalePosition);
      continue;
    }
    const auto sets_off = SetsOffAt(crew, now, settings);
    if (!sets_off) {
      reject(RejectReason::kOffShiftNow);
      continue;
    }
    const double km = HaversineKm(crew.position, job.location);
    const seconds eta =
        TravelTime(km, job.area_class, settings) + std::chrono::ceil<seconds>(*sets_off - now);
    if (!OnShift(crew.shifts, now + eta, settings.utc_offset)) {
      reject(RejectReason::kOffShiftAtArrival, eta);
      continue;
    }
    if (settings.max_jobs_per_crew > 0 && crew.current_jobs >= settings.max_jobs_per_crew) {
      reject(RejectReason::kAtCapacity, eta);
      continue;
    }
    Candidate candidate;
    candidate.crew_id = crew.crew_id;
    candidate.distance_km = km;
    candidate.eta = eta;
    candidate.arrival_at = now + eta;
    candidate.current_jobs = crew.current_jobs;
    if (*sets_off != now) candidate.shift_starts_at = *sets_off;
    candidate.score = Minutes(eta) + static_cast<double>(settings.workload_penalty.count()) *
                                         static_cast<double>(crew.current_jobs);
    candidate.meets_arrival_deadline = !job.arrival_due || candidate.arrival_at <= *job.arrival_due;
    auto& reasons = candidate.reasons;
    if (job.required_skill != v1::CREW_SKILL_UNSPECIFIED) {
      reasons.push_back("has skill " + v1::CrewSkill_Name(job.required_skill));
    }
    if (!job.feeder_id.empty()) {
      reasons.push_back(crew.territory_feeder_ids.empty() ? "covers any feeder"
                                                          : "territory covers " + job.feeder_id);
    }
    reasons.push_back(candidate.shift_starts_at
                          ? "shift handover: on shift from " +
                                LocalClockTime(*sets_off, settings.utc_offset) + " and at arrival"
                          : std::string("on shift now and at arrival"));
    reasons.push_back(Format("%.1f km, ETA %.0f min", km, Minutes(eta)) + " (" +
                      std::string(sla::AreaClassLabel(job.area_class)) + ")");
    reasons.push_back("holds " + std::to_string(crew.current_jobs) + " job(s)");
    reasons.push_back(Format("score %.1f", candidate.score));
    if (job.arrival_due) {
      reasons.push_back(candidate.meets_arrival_deadline ? "arrives before the deadline"
                                                         : "arrives after the deadline");
    }
    ranking.candidates.push_back(std::move(candidate));
  }
  std::sort(ranking.candidates.begin(), ranking.candidates.end(), RanksBefore);
  // The dispatcher's crews come in id order already (a map): sorting them again was 11% of
  // dispatch's time in a 1,000,000-call storm.
  const auto by_crew_id = [](const Rejection& a, const Rejection& b) {
    return a.crew_id < b.crew_id;
  };
  if (!std::is_sorted(ranking.rejections.begin(), ranking.rejections.end(), by_crew_id)) {
    std::stable_sort(ranking.rejections.begin(), ranking.rejections.end(), by_crew_id);
  }
  return ranking;
}

AssignmentPlan AssignJobs(const std::vector<Job>& jobs, std::vector<CrewState> crews,
                          core::TimePoint now, const AssignmentSettings& settings) {
  std::vector<const Job*> order;
  order.reserve(jobs.size());
  for (const auto& job : jobs) order.push_back(&job);
  std::sort(order.begin(), order.end(),
            [](const Job* a, const Job* b) { return JobGoesFirst(*a, *b); });

  AssignmentPlan plan;
  for (const Job* job : order) {
    Ranking ranking = RankCrews(*job, crews, now, settings);
    if (!ranking.candidates.empty()) {
      Candidate& best = ranking.candidates.front();
      for (auto& crew : crews) {
        if (crew.crew_id == best.crew_id) {
          ++crew.current_jobs;
          crew.availability = v1::CREW_AVAILABILITY_BUSY;
        }
      }
      const bool at_risk = !best.meets_arrival_deadline;
      plan.assignments.push_back({job->work_order_id, std::move(best), at_risk});
      continue;
    }
    QueuedJob queued;
    queued.work_order_id = job->work_order_id;
    queued.reason = QueueReason(ranking.rejections);
    for (const auto& rejection : ranking.rejections) {
      if (rejection.reason == RejectReason::kAtCapacity && rejection.eta &&
          (!queued.best_possible_eta || *rejection.eta < *queued.best_possible_eta)) {
        queued.best_possible_eta = rejection.eta;
      }
    }
    queued.arrival_at_risk =
        !queued.best_possible_eta ||
        (job->arrival_due && now + *queued.best_possible_eta > *job->arrival_due);
    plan.queued.push_back(std::move(queued));
  }
  return plan;
}

std::string_view ReassignmentReasonName(ReassignmentReason reason) {
  switch (reason) {
    case ReassignmentReason::kNone:
      return "none";
    case ReassignmentReason::kDeclined:
      return "declined";
    case ReassignmentReason::kStoppedReporting:
      return "stopped reporting";
    case ReassignmentReason::kOffShift:
      return "off shift";
    case ReassignmentReason::kCannotMakeDeadline:
      return "cannot make the deadline";
  }
  return "unknown";
}

ReassignmentReason ShouldReassign(const Job& job, const CrewState& crew, core::TimePoint now,
                                  const AssignmentSettings& settings) {
  if (Contains(crew.declined_work_order_ids, job.work_order_id)) {
    return ReassignmentReason::kDeclined;
  }
  if (crew.availability == v1::CREW_AVAILABILITY_UNREACHABLE ||
      SilentLongerThan(crew, now, settings.unreachable_after)) {
    return ReassignmentReason::kStoppedReporting;
  }
  // A crew of the incoming shift keeps what it was given at the handover.
  const auto sets_off = SetsOffAt(crew, now, settings);
  if (crew.availability == v1::CREW_AVAILABILITY_OFF_SHIFT || !sets_off) {
    return ReassignmentReason::kOffShift;
  }
  if (job.arrival_due) {
    const double km = HaversineKm(crew.position, job.location);
    const seconds travel = TravelTime(km, job.area_class, settings, /*with_overhead=*/false);
    if (*sets_off + travel > *job.arrival_due) return ReassignmentReason::kCannotMakeDeadline;
  }
  return ReassignmentReason::kNone;
}

std::optional<Candidate> PickReplacement(const Job& job, const CrewState& current,
                                         ReassignmentReason reason,
                                         const std::vector<CrewState>& crews, core::TimePoint now,
                                         const AssignmentSettings& settings) {
  if (reason == ReassignmentReason::kNone) return std::nullopt;
  std::vector<CrewState> others;
  others.reserve(crews.size());
  for (const auto& crew : crews) {
    if (crew.crew_id != current.crew_id) others.push_back(crew);
  }
  Ranking ranking = RankCrews(job, others, now, settings);
  if (ranking.candidates.empty()) return std::nullopt;
  Candidate best = std::move(ranking.candidates.front());
  if (reason == ReassignmentReason::kCannotMakeDeadline) {
    const seconds travel = TravelTime(HaversineKm(current.position, job.location), job.area_class,
                                      settings, /*with_overhead=*/false);
    const core::TimePoint current_arrival =
        SetsOffAt(current, now, settings).value_or(now) + travel;
    if (best.arrival_at + settings.reassign_min_gain > current_arrival) return std::nullopt;
  }
  return best;
}

}  // namespace gridcare::dispatch
