#include "crew_player.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gridcare/sla/clocks.h"

namespace gridcare::crew_sim {
namespace {

using google::protobuf::util::TimeUtil;
using repair_crew::JobAction;

google::protobuf::Timestamp At(core::TimePoint t) {
  return TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(t));
}

std::string Minutes(std::chrono::duration<double> simulated) {
  return std::to_string(std::max<long>(1, std::lround(simulated.count() / 60.0))) + " min";
}

std::string Km(double km) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f km", km);
  return text;
}

bool HasPoint(const v1::GeoPoint& point) { return point.latitude() != 0 || point.longitude() != 0; }

}  // namespace

CrewPlayer::CrewPlayer(std::string crew_id, v1::GeoPoint position, const PlayerSettings& settings,
                       CrewApi& api, Narrator& narrator, SimStats& stats)
    : crew_id_(std::move(crew_id)),
      position_(std::move(position)),
      settings_(settings),
      scale_(settings.time_scale),
      api_(api),
      narrator_(narrator),
      stats_(stats) {}

std::chrono::milliseconds CrewPlayer::Real(std::chrono::duration<double> simulated) const {
  return scale_.ToReal(simulated);
}

v1::CrewJobRequest CrewPlayer::Request() const {
  v1::CrewJobRequest request;
  request.set_crew_id(crew_id_);
  request.set_work_order_id(job_.work_order_id());
  return request;
}

void CrewPlayer::Report(double speed_kmh) {
  v1::LocationReported report;
  report.set_crew_id(crew_id_);
  *report.mutable_position() = position_;
  report.set_speed_kmh(speed_kmh);
  if (api_.ReportLocation(report)) {
    ++stats_.location_reports;
  } else {
    ++stats_.errors;  // the next report says the same, a little later
  }
}

Steady CrewPlayer::Step(Steady now, core::TimePoint wall_now) {
  switch (phase_) {
    case Phase::kTravelling:
      return StepTravelling(now, wall_now);
    case Phase::kOnSite:
      return StepOnSite(now, wall_now);
    case Phase::kIdle:
      break;
  }
  return StepIdle(now, wall_now);
}

Steady CrewPlayer::StepIdle(Steady now, core::TimePoint wall_now) {
  if (jobs_hint_.exchange(false)) {
    auto jobs = api_.ListJobs(crew_id_);
    if (!jobs) {
      ++stats_.errors;
      jobs_hint_.store(true);
      return now + settings_.retry_after;
    }
    Remember(*jobs);
    const int next = NextJobIndex(*jobs, wall_now, settings_.visit_lead, settings_.visits_early);
    // Jobs behind the one taken up are answered on the next step, once it is under way; visits
    // not due yet are looked at again in a while.
    if (jobs->work_orders_size() > 1 || (next < 0 && jobs->work_orders_size() > 0)) {
      jobs_hint_.store(true);
    }
    if (next >= 0) return TakeUp(jobs->work_orders(next), now, wall_now);
    if (jobs->work_orders_size() > 0) {
      AcknowledgeNewJobs();  // booked visits waiting for their day are accepted now
      next_report_ = std::min(next_report_, now + settings_.idle_report_every);
    }
  }
  if (now >= next_report_) {
    Report(0);
    next_report_ = now + settings_.idle_report_every;
  }
  return next_report_;
}

Steady CrewPlayer::TakeUp(const v1::WorkOrder& job, Steady now, core::TimePoint wall_now) {
  job_ = job;
  const std::string& id = job_.work_order_id();
  switch (job_.state()) {
    case v1::WORK_ORDER_STATE_ASSIGNED: {
      Steady retry = now;
      if (!Answer(job_, now, /*queued_behind=*/false, &retry)) return retry;
      if (Declines(settings_.seed, crew_id_, id, settings_.decline_rate)) {
        jobs_hint_.store(true);  // the rest of the queue
        return now;
      }
      return Drive(job_, now, wall_now, /*resumed=*/false);
    }
    case v1::WORK_ORDER_STATE_ACCEPTED:
      return Drive(job_, now, wall_now, /*resumed=*/false);
    case v1::WORK_ORDER_STATE_EN_ROUTE:
      return Drive(job_, now, wall_now, /*resumed=*/true);
    case v1::WORK_ORDER_STATE_ON_SITE:
      repair_time_ = RepairTime(settings_.seed, id);
      return StartRepair(now, /*resumed=*/true);
    default:
      jobs_hint_.store(true);  // ListJobs lists open jobs only; look again later
      return now + settings_.retry_after;
  }
}

void CrewPlayer::Remember(const v1::ListCrewJobsResponse& jobs) {
  std::lock_guard lock(known_mutex_);
  for (const auto& job : jobs.work_orders()) {
    known_.insert(job.work_order_id());
    // Dispatch's reminder the day before a booked visit, as the crew app shows it.
    const auto& reminded = job.application().reminded();
    if (std::find(reminded.begin(), reminded.end(), "crew") != reminded.end() &&
        reminded_.insert(job.work_order_id()).second) {
      narrator_.Say(crew_id_, "reminded of the booked visit " + job.work_order_id() + " for " +
                                  job.application().ticket_id());
    }
  }
}

bool CrewPlayer::Answer(const v1::WorkOrder& job, Steady now, bool queued_behind, Steady* retry) {
  const std::string& id = job.work_order_id();
  auto request = Request();
  request.set_work_order_id(id);
  const bool decline = Declines(settings_.seed, crew_id_, id, settings_.decline_rate);
  if (decline) request.set_reason(std::string(DeclineReason(settings_.seed, id)));
  auto answered = api_.Act(decline ? JobAction::kDecline : JobAction::kAccept, request);
  if (!answered) {
    if (!queued_behind) {
      *retry = Failed(answered.error(), decline ? "decline" : "accept", now);
    } else if (answered.error().Retryable()) {
      // The current job goes on; the queue is read again on the next step.
      ++stats_.errors;
      jobs_hint_.store(true);
    }
    return false;
  }
  if (decline) {
    ++stats_.declined;
    narrator_.Say(crew_id_, "declined " + id + " (" + request.reason() + ")");
    return true;
  }
  ++stats_.accepted;
  if (queued_behind) {
    narrator_.Say(crew_id_, "accepted " + id + "; queued behind " + job_.work_order_id());
  }
  return true;
}

bool CrewPlayer::AcknowledgeNewJobs() {
  if (!jobs_hint_.exchange(false)) return true;
  auto jobs = api_.ListJobs(crew_id_);
  if (!jobs) {
    ++stats_.errors;
    jobs_hint_.store(true);
    return true;
  }
  Remember(*jobs);
  bool still_ours = false;
  for (const auto& job : jobs->work_orders()) {
    if (job.work_order_id() == job_.work_order_id()) {
      still_ours = true;
      continue;
    }
    if (job.state() != v1::WORK_ORDER_STATE_ASSIGNED) continue;
    Steady ignored{};
    Answer(job, Steady{}, /*queued_behind=*/true, &ignored);
  }
  return still_ours;
}

Steady CrewPlayer::Drive(const v1::WorkOrder& job, Steady now, core::TimePoint wall_now,
                         bool resumed) {
  v1::GeoPoint destination = position_;  // a job without a location is "here"
  if (HasPoint(job.location())) {
    destination = job.location();
  } else if (HasPoint(job.address().geo())) {
    destination = job.address().geo();
  }
  trip_ = PlanTrip(position_, destination, job.area_class());
  const auto travel = Real(trip_.duration);
  if (!resumed) {
    auto request = Request();
    *request.mutable_estimate() = At(wall_now + travel);
    if (auto started = api_.Act(JobAction::kStartTravel, request); !started) {
      return Failed(started.error(), "start travel", now);
    }
    narrator_.Say(crew_id_, "accepted " + job.work_order_id() + "; en route, ETA " +
                                Minutes(trip_.duration) + " (" + Km(trip_.distance_km) + ", " +
                                std::string(sla::AreaClassLabel(job.area_class())) + ")");
  } else {
    narrator_.Say(crew_id_, "resumes driving to " + job.work_order_id() + ", " +
                                Km(trip_.distance_km) + " to go");
  }
  EnterPhase(Phase::kTravelling);
  travel_started_ = now;
  arrive_at_ = now + travel;
  next_report_ = now;
  return now;
}

Steady CrewPlayer::StepTravelling(Steady now, core::TimePoint wall_now) {
  if (!AcknowledgeNewJobs()) return Dropped(now);
  if (now >= arrive_at_) {
    position_ = trip_.to;
    Report(0);
    repair_time_ = RepairTime(settings_.seed, job_.work_order_id());
    auto request = Request();
    *request.mutable_estimate() = At(wall_now + Real(repair_time_));
    if (auto arrived = api_.Act(JobAction::kArriveOnSite, request); !arrived) {
      return Failed(arrived.error(), "arrive on site", now);
    }
    ++stats_.arrived;
    narrator_.Say(crew_id_, "on site at " + job_.work_order_id() + " after " +
                                Km(trip_.distance_km) + " in " + Minutes(trip_.duration) +
                                "; repair about " + Minutes(repair_time_));
    return StartRepair(now, /*resumed=*/false);
  }
  position_ = trip_.PositionAfter(scale_.ToSimulated(now - travel_started_));
  if (now >= next_report_) {
    Report(trip_.speed_kmh);
    next_report_ = now + std::max(settings_.min_report_gap, Real(settings_.report_every));
  }
  return std::min(next_report_, arrive_at_);
}

Steady CrewPlayer::StartRepair(Steady now, bool resumed) {
  if (resumed) {
    narrator_.Say(crew_id_,
                  "resumes repairing " + job_.work_order_id() + ", about " + Minutes(repair_time_));
  }
  EnterPhase(Phase::kOnSite);
  repair_done_ = now + Real(repair_time_);
  next_report_ = now + settings_.idle_report_every;
  return std::min(repair_done_, next_report_);
}

Steady CrewPlayer::StepOnSite(Steady now, core::TimePoint) {
  if (!AcknowledgeNewJobs()) return Dropped(now);
  if (now >= repair_done_ && job_.has_application()) return FinishVisit(now);
  if (now >= repair_done_) {
    const auto& cause = CauseFor(settings_.seed, job_.work_order_id());
    v1::JobCompleted report;
    report.set_crew_id(crew_id_);
    report.set_work_order_id(job_.work_order_id());
    report.set_restored(true);
    report.set_cause_code(std::string(cause.code));
    report.set_fix_code(std::string(cause.typical_fix));
    // Codes only: the service fills the bilingual cause from its table, as a terse app would.
    if (auto completed = api_.Complete(report); !completed) {
      return Failed(completed.error(), "complete", now);
    }
    ++stats_.completed;
    narrator_.Say(crew_id_, "restored " + job_.work_order_id() + ": " + std::string(cause.code) +
                                " / " + std::string(cause.typical_fix) + " after " +
                                Minutes(repair_time_) + " on site");
    EnterPhase(Phase::kIdle);
    jobs_hint_.store(true);
    next_report_ = now + settings_.idle_report_every;
    return now;
  }
  if (now >= next_report_) {
    Report(0);
    next_report_ = now + settings_.idle_report_every;
  }
  return std::min(repair_done_, next_report_);
}

Steady CrewPlayer::FinishVisit(Steady now) {
  v1::JobCompleted report;
  report.set_crew_id(crew_id_);
  report.set_work_order_id(job_.work_order_id());
  *report.mutable_appointment() = VisitResult(settings_.seed, job_, settings_.absent_rate);
  if (auto completed = api_.Complete(report); !completed) {
    return Failed(completed.error(), "complete", now);
  }
  ++stats_.completed;
  const auto& result = report.appointment();
  std::string what = "finished the visit " + job_.work_order_id();
  if (result.customer_absent()) {
    what = "found nobody at " + job_.work_order_id() + " (customer absent)";
  } else if (!result.meter_number().empty()) {
    what = "installed meter " + result.meter_number() + " and connected the supply for " +
           job_.application().ticket_id();
  } else if (job_.application().visit() == v1::VISIT_KIND_SITE_SURVEY) {
    what = "surveyed the site and checked the documents for " + job_.application().ticket_id();
  } else if (result.verdict() != v1::METER_CHECK_VERDICT_UNSPECIFIED) {
    what = "checked the meter for " + job_.application().ticket_id() + ": " +
           (result.verdict() == v1::METER_CHECK_VERDICT_ACCURATE ? "accurate" : "runs fast");
  }
  narrator_.Say(crew_id_, what);
  EnterPhase(Phase::kIdle);
  jobs_hint_.store(true);
  next_report_ = now + settings_.idle_report_every;
  return now;
}

void CrewPlayer::EnterPhase(Phase phase) {
  phase_ = phase;
  std::lock_guard lock(known_mutex_);
  current_job_id_ = phase == Phase::kIdle ? std::string() : job_.work_order_id();
}

Steady CrewPlayer::Dropped(Steady now) {
  ++stats_.lost;
  narrator_.Say(crew_id_, "drops " + job_.work_order_id() + " (no longer in its queue)");
  EnterPhase(Phase::kIdle);
  jobs_hint_.store(true);
  return now;
}

Steady CrewPlayer::Failed(const core::Error& error, std::string_view what, Steady now) {
  if (error.Retryable()) {
    // Unknown whether the call took effect; the queue says where the job is now.
    ++stats_.errors;
  } else {
    ++stats_.lost;
    narrator_.Say(crew_id_, "drops " + job_.work_order_id() + " (" + std::string(what) + ": " +
                                core::ErrorKindName(error.kind) + ")");
  }
  EnterPhase(Phase::kIdle);
  jobs_hint_.store(true);
  return now + settings_.retry_after;
}

}  // namespace gridcare::crew_sim
