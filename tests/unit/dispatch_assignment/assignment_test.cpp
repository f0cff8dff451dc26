// Distance, ETA, the crew filters, ranking, job order, greedy assignment, queueing and
// reassignment.
#include "assignment.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <random>

#include "dispatch_test_util.h"
#include "gridcare/sla/clocks.h"

using namespace gridcare;
using namespace gridcare::dispatch;
using namespace gridcare::dispatch::testing;
using namespace std::chrono_literals;
using std::chrono::seconds;

namespace {

const core::TimePoint kNow = Monday(10);

std::vector<std::string> Ids(const Ranking& ranking) {
  std::vector<std::string> ids;
  for (const auto& candidate : ranking.candidates) ids.push_back(candidate.crew_id);
  return ids;
}

// The single rejection of a one-crew ranking.
std::optional<RejectReason> RejectionOf(const Job& job, const CrewState& crew,
                                        core::TimePoint now = kNow,
                                        const AssignmentSettings& settings = {}) {
  const Ranking ranking = RankCrews(job, {crew}, now, settings);
  if (!ranking.candidates.empty()) return std::nullopt;
  REQUIRE(ranking.rejections.size() == 1);
  return ranking.rejections[0].reason;
}

// `crew` as if it had reported its position at `t`.
CrewState seen_at(CrewState crew, core::TimePoint t) {
  crew.position_at = t;
  return crew;
}

}  // namespace

TEST_CASE("haversine distances") {
  const LatLon beijing{39.9042, 116.4074};
  const LatLon shanghai{31.2304, 121.4737};
  CHECK(HaversineKm(kSite, kSite) == 0.0);
  CHECK(HaversineKm(beijing, shanghai) == Approx(1067.3).margin(1.0));
  CHECK(HaversineKm(beijing, shanghai) == HaversineKm(shanghai, beijing));
  CHECK(HaversineKm({0, 0}, {1, 0}) == Approx(111.195).margin(0.001));
  CHECK(HaversineKm({0, 0}, {0, 1}) == Approx(111.195).margin(0.001));  // on the equator
  CHECK(HaversineKm({60, 0}, {60, 1}) == Approx(55.597).margin(0.01));  // cos 60 = 0.5
  CHECK(HaversineKm({0, 0}, {0, 180}) == Approx(20015.1).margin(0.1));  // antipodes
  CHECK(HaversineKm(kSite, North(kSite, 10)) == Approx(10.0).margin(1e-6));
}

TEST_CASE("ETA is distance over the area's speed plus the dispatch overhead") {
  const AssignmentSettings settings;
  // 10 km: urban 25 km/h = 24 min, rural 40 km/h = 15 min, remote 30 km/h = 20 min; + 5 min.
  CHECK(TravelTime(10, v1::AREA_CLASS_URBAN, settings) == 29min);
  CHECK(TravelTime(10, v1::AREA_CLASS_RURAL, settings) == 20min);
  CHECK(TravelTime(10, v1::AREA_CLASS_REMOTE, settings) == 25min);
  CHECK(TravelTime(10, v1::AREA_CLASS_UNSPECIFIED, settings) == 29min);  // as urban
  CHECK(TravelTime(10, v1::AREA_CLASS_URBAN, settings, false) == 24min);
  CHECK(TravelTime(0, v1::AREA_CLASS_URBAN, settings) == 5min);
  CHECK(TravelTime(0.01, v1::AREA_CLASS_URBAN, settings, false) == seconds{1});  // 1.44 s
  CHECK(SpeedKmh(v1::AREA_CLASS_REMOTE, settings) == 30);

  AssignmentSettings custom;
  custom.urban_kmh = 50;
  custom.dispatch_overhead = 0min;
  CHECK(TravelTime(10, v1::AREA_CLASS_URBAN, custom) == 12min);

  // The candidate carries it: a crew 10 km away from a rural job.
  Job job = UrbanJob("WO-1");
  job.area_class = v1::AREA_CLASS_RURAL;
  const Ranking ranking = RankCrews(job, {Crew("C1", 10, kNow)}, kNow, settings);
  REQUIRE(ranking.candidates.size() == 1);
  CHECK(ranking.candidates[0].eta == 20min);
  CHECK(ranking.candidates[0].arrival_at == kNow + 20min);
  CHECK(ranking.candidates[0].distance_km == Approx(10.0));
}

TEST_CASE("assignment settings validate") {
  CHECK(Validate(AssignmentSettings{}).ok());
  const auto invalid = [](auto change) {
    AssignmentSettings settings;
    change(settings);
    return !Validate(settings).ok();
  };
  CHECK(invalid([](auto& s) { s.urban_kmh = 0; }));
  CHECK(invalid([](auto& s) { s.rural_kmh = -1; }));
  CHECK(invalid([](auto& s) { s.remote_kmh = std::numeric_limits<double>::infinity(); }));
  CHECK(invalid([](auto& s) { s.dispatch_overhead = -1min; }));
  CHECK(invalid([](auto& s) { s.stale_after = 0min; }));
  CHECK(invalid([](auto& s) { s.unreachable_after = 0min; }));
  CHECK(invalid([](auto& s) { s.max_jobs_per_crew = -1; }));
  CHECK(invalid([](auto& s) { s.workload_penalty = -1min; }));
  CHECK(invalid([](auto& s) { s.reassign_min_gain = -1min; }));
  CHECK(invalid([](auto& s) { s.utc_offset = std::chrono::minutes{15 * 60}; }));
  CHECK(invalid([](auto& s) { s.handover_lead = -1min; }));
  CHECK(invalid([](auto& s) { s.handover_lead = 24h + 1min; }));
  CHECK_FALSE(invalid([](auto& s) { s.handover_lead = 0min; }));
  AssignmentSettings settings;
  settings.urban_kmh = 0;
  CHECK(Validate(settings).error().message.find("urban_kmh") != std::string::npos);
}

TEST_CASE("filter: a crew that declined the job is not offered it again") {
  CrewState crew = Crew("C1", 1, kNow);
  crew.declined_work_order_ids = {"WO-1"};
  CHECK(RejectionOf(UrbanJob("WO-1"), crew) == RejectReason::kDeclined);
  CHECK_FALSE(RejectionOf(UrbanJob("WO-2"), crew).has_value());
}

TEST_CASE("filter: required skill") {
  CrewState crew = Crew("C1", 1, kNow);
  Job job = UrbanJob("WO-1");
  job.required_skill = v1::CREW_SKILL_CABLE;
  CHECK(RejectionOf(job, crew) == RejectReason::kMissingSkill);
  crew.skills.push_back(v1::CREW_SKILL_CABLE);
  CHECK_FALSE(RejectionOf(job, crew).has_value());
  job.required_skill = v1::CREW_SKILL_UNSPECIFIED;  // any crew
  crew.skills.clear();
  CHECK_FALSE(RejectionOf(job, crew).has_value());
}

TEST_CASE("filter: service territory") {
  CrewState crew = Crew("C1", 1, kNow);
  const Job job = UrbanJob("WO-1");  // FDR-0001-01
  crew.territory_feeder_ids = {"FDR-0002-01", "FDR-0002-02"};
  CHECK(RejectionOf(job, crew) == RejectReason::kOutsideTerritory);
  crew.territory_feeder_ids.push_back("FDR-0001-01");
  CHECK_FALSE(RejectionOf(job, crew).has_value());
  crew.territory_feeder_ids.clear();  // anywhere
  CHECK_FALSE(RejectionOf(job, crew).has_value());
  crew.territory_feeder_ids = {"FDR-0002-01"};
  Job unknown_feeder = job;
  unknown_feeder.feeder_id.clear();
  CHECK_FALSE(RejectionOf(unknown_feeder, crew).has_value());
}

TEST_CASE("filter: availability") {
  CrewState crew = Crew("C1", 1, kNow);
  const Job job = UrbanJob("WO-1");
  for (auto availability : {v1::CREW_AVAILABILITY_OFF_SHIFT, v1::CREW_AVAILABILITY_UNREACHABLE,
                            v1::CREW_AVAILABILITY_UNSPECIFIED}) {
    crew.availability = availability;
    CHECK(RejectionOf(job, crew) == RejectReason::kUnavailable);
  }
  for (auto availability : {v1::CREW_AVAILABILITY_AVAILABLE, v1::CREW_AVAILABILITY_BUSY}) {
    crew.availability = availability;
    CHECK_FALSE(RejectionOf(job, crew).has_value());
  }
}

TEST_CASE("filter: a position older than stale_after counts as unreachable") {
  const Job job = UrbanJob("WO-1");
  CHECK_FALSE(RejectionOf(job, Crew("C1", 1, kNow - 15min)).has_value());
  CHECK(RejectionOf(job, Crew("C1", 1, kNow - 15min - 1s)) == RejectReason::kStalePosition);
  CHECK_FALSE(RejectionOf(job, Crew("C1", 1, kNow + 1min)).has_value());  // clock skew
  CrewState never = Crew("C1", 1, kNow);
  never.position_at.reset();
  CHECK(RejectionOf(job, never) == RejectReason::kStalePosition);
  AssignmentSettings settings;
  settings.stale_after = 5min;
  CHECK(RejectionOf(job, Crew("C1", 1, kNow - 6min), kNow, settings) ==
        RejectReason::kStalePosition);
}

TEST_CASE("filter: on shift now and at arrival") {
  const Job job = UrbanJob("WO-1");
  // The crew reported its position just now, whenever now is.
  const auto seen = [](CrewState crew, core::TimePoint now) {
    crew.position_at = now;
    return crew;
  };
  CrewState day = Crew("C1", 10, kNow);  // ETA 29 min
  day.shifts = {{kEveryDay, 8 * 60, 20 * 60}};
  AssignmentSettings no_handover;
  no_handover.handover_lead = 0min;
  CHECK(RejectionOf(job, seen(day, Monday(7, 59, 59)), Monday(7, 59, 59), no_handover) ==
        RejectReason::kOffShiftNow);
  CHECK(RejectionOf(job, seen(day, Monday(5, 59, 59)), Monday(5, 59, 59)) ==
        RejectReason::kOffShiftNow);  // more than handover_lead before its shift
  CHECK_FALSE(RejectionOf(job, seen(day, Monday(8)), Monday(8)).has_value());
  // Arrives 19:59:59: on shift. Arrives 20:00:00: off shift by then.
  CHECK_FALSE(RejectionOf(job, seen(day, Monday(19, 30, 59)), Monday(19, 30, 59)).has_value());
  const Ranking late = RankCrews(job, {seen(day, Monday(19, 31))}, Monday(19, 31), {});
  REQUIRE(late.rejections.size() == 1);
  CHECK(late.rejections[0].reason == RejectReason::kOffShiftAtArrival);
  CHECK(late.rejections[0].eta == 29min);
  // A crew whose night shift follows its day shift is on shift at arrival.
  CHECK_FALSE(RejectionOf(job, Crew("C2", 10, Monday(19, 45)), Monday(19, 45)).has_value());
  // A night crew qualifies at 02:00, not at 10:00; at 07:40 it would arrive after 08:00.
  CrewState night = Crew("C3", 10, kNow);
  night.shifts = {{kEveryDay, 20 * 60, 8 * 60}};
  CHECK_FALSE(RejectionOf(job, seen(night, Monday(2)), Monday(2)).has_value());
  CHECK(RejectionOf(job, seen(night, kNow), kNow) == RejectReason::kOffShiftNow);
  CHECK(RejectionOf(job, seen(night, Monday(7, 40)), Monday(7, 40)) ==
        RejectReason::kOffShiftAtArrival);
}

TEST_CASE("shift handover: the incoming shift takes a job the outgoing one cannot reach") {
  // Tuesday 19:35: a job 29 min away. The day crew would arrive at 20:04, after its shift ends;
  // the night crew starts at 20:00, 25 min from now, and arrives 29 min after that.
  const core::TimePoint now = Local(2026, 6, 2, 19, 35);
  const Job job = UrbanJob("WO-1", now + 45min);
  CrewState day = Crew("DAY", 10, now);
  day.shifts = {{kEveryDay, 8 * 60, 20 * 60}};
  CrewState night = Crew("NIGHT", 10, now);
  night.shifts = {{kEveryDay, 20 * 60, 8 * 60}};
  const Ranking ranking = RankCrews(job, {day, night}, now, {});
  REQUIRE(ranking.candidates.size() == 1);
  const Candidate& incoming = ranking.candidates[0];
  CHECK(incoming.crew_id == "NIGHT");
  CHECK(incoming.eta == 25min + 29min);
  CHECK(incoming.arrival_at == Local(2026, 6, 2, 20, 29));
  CHECK(incoming.shift_starts_at == Local(2026, 6, 2, 20));
  CHECK_FALSE(incoming.meets_arrival_deadline);  // 54 min for a 45 min promise
  CHECK(std::find(incoming.reasons.begin(), incoming.reasons.end(),
                  "shift handover: on shift from 20:00 and at arrival") != incoming.reasons.end());
  REQUIRE(ranking.rejections.size() == 1);
  CHECK(ranking.rejections[0].reason == RejectReason::kOffShiftAtArrival);

  // An on-shift crew that gets there first still wins; its candidate has no shift start.
  const Ranking with_day_crew_near = RankCrews(job, {Crew("NEAR", 5, now), night}, now, {});
  REQUIRE(with_day_crew_near.candidates.size() == 2);
  CHECK(with_day_crew_near.candidates[0].crew_id == "NEAR");
  CHECK_FALSE(with_day_crew_near.candidates[0].shift_starts_at);

  // Without handover the job finds no crew: it would wait, unassigned, until 20:00.
  AssignmentSettings no_handover;
  no_handover.handover_lead = 0min;
  const AssignmentPlan waiting = AssignJobs({job}, {day, night}, now, no_handover);
  CHECK(waiting.assignments.empty());
  REQUIRE(waiting.queued.size() == 1);
  CHECK(waiting.queued[0].reason == "no crew fits: 1 off shift now, 1 off shift at arrival");
  const AssignmentPlan handed_over = AssignJobs({job}, {day, night}, now, {});
  REQUIRE(handed_over.assignments.size() == 1);
  CHECK(handed_over.assignments[0].crew.crew_id == "NIGHT");
  CHECK(handed_over.assignments[0].arrival_at_risk);

  // More than handover_lead before its shift, the night crew is off shift now.
  CHECK(RejectionOf(job, seen_at(night, Local(2026, 6, 2, 17, 59)), Local(2026, 6, 2, 17, 59)) ==
        RejectReason::kOffShiftNow);
}

TEST_CASE("filter: a crew at capacity takes no more jobs") {
  const Job job = UrbanJob("WO-1");
  CrewState crew = Crew("C1", 10, kNow);
  crew.current_jobs = 2;
  CHECK_FALSE(RejectionOf(job, crew).has_value());
  crew.current_jobs = 3;
  const Ranking full = RankCrews(job, {crew}, kNow, {});
  REQUIRE(full.rejections.size() == 1);
  CHECK(full.rejections[0].reason == RejectReason::kAtCapacity);
  CHECK(full.rejections[0].eta == 29min);
  AssignmentSettings unlimited;
  unlimited.max_jobs_per_crew = 0;
  crew.current_jobs = 50;
  CHECK_FALSE(RejectionOf(job, crew, kNow, unlimited).has_value());
}

TEST_CASE("filters run in a fixed order, and each has a name") {
  CrewState crew = Crew("C1", 1, kNow);
  crew.skills.clear();
  crew.availability = v1::CREW_AVAILABILITY_OFF_SHIFT;
  crew.declined_work_order_ids = {"WO-1"};
  CHECK(RejectionOf(UrbanJob("WO-1"), crew) == RejectReason::kDeclined);
  CHECK(RejectionOf(UrbanJob("WO-2"), crew) == RejectReason::kMissingSkill);
  CHECK(RejectReasonName(RejectReason::kDeclined) == "declined");
  CHECK(RejectReasonName(RejectReason::kMissingSkill) == "missing skill");
  CHECK(RejectReasonName(RejectReason::kOutsideTerritory) == "outside territory");
  CHECK(RejectReasonName(RejectReason::kUnavailable) == "unavailable");
  CHECK(RejectReasonName(RejectReason::kStalePosition) == "stale position");
  CHECK(RejectReasonName(RejectReason::kOffShiftNow) == "off shift now");
  CHECK(RejectReasonName(RejectReason::kOffShiftAtArrival) == "off shift at arrival");
  CHECK(RejectReasonName(RejectReason::kAtCapacity) == "at capacity");
}

TEST_CASE("ranking: nearest first, then workload, then crew id") {
  const Job job = UrbanJob("WO-1");
  SECTION("distance") {
    const Ranking ranking =
        RankCrews(job, {Crew("C1", 8, kNow), Crew("C2", 2, kNow), Crew("C3", 5, kNow)}, kNow, {});
    CHECK(Ids(ranking) == std::vector<std::string>{"C2", "C3", "C1"});
    CHECK(ranking.candidates[0].score == Approx(9.8));  // 2 km: 4.8 min + 5 min
  }
  SECTION("identical crews tie on id") {
    const Ranking ranking =
        RankCrews(job, {Crew("C9", 3, kNow), Crew("C1", 3, kNow), Crew("C5", 3, kNow)}, kNow, {});
    CHECK(Ids(ranking) == std::vector<std::string>{"C1", "C5", "C9"});
  }
  SECTION("at the same distance the crew with fewer jobs wins") {
    CrewState busy = Crew("A-busy", 3, kNow);
    busy.current_jobs = 1;
    busy.availability = v1::CREW_AVAILABILITY_BUSY;
    const Ranking ranking = RankCrews(job, {busy, Crew("B-free", 3, kNow)}, kNow, {});
    CHECK(Ids(ranking) == std::vector<std::string>{"B-free", "A-busy"});
    CHECK(ranking.candidates[1].score - ranking.candidates[0].score == Approx(30.0));
  }
  SECTION("a busy crew wins only when it is more than workload_penalty nearer") {
    CrewState busy = Crew("A-busy", 10, kNow);  // ETA 29 min, score 59
    busy.current_jobs = 1;
    // Free crew 22.5 km away: 54 + 5 = 59 min: tie on score, the busy crew arrives earlier.
    CHECK(Ids(RankCrews(job, {busy, Crew("B-free", 22.5, kNow)}, kNow, {})) ==
          std::vector<std::string>{"A-busy", "B-free"});
    CHECK(Ids(RankCrews(job, {busy, Crew("B-free", 22.0, kNow)}, kNow, {})) ==
          std::vector<std::string>{"B-free", "A-busy"});
    CHECK(Ids(RankCrews(job, {busy, Crew("B-free", 23.0, kNow)}, kNow, {})) ==
          std::vector<std::string>{"A-busy", "B-free"});
  }
  SECTION("the order of the input does not matter") {
    std::vector<CrewState> crews;
    for (int i = 0; i < 20; ++i) {
      crews.push_back(Crew("C" + std::to_string(100 + i), (i % 5) * 1.5, kNow));
      crews.back().current_jobs = i % 3;
    }
    crews[7].skills.clear();
    crews[11].availability = v1::CREW_AVAILABILITY_OFF_SHIFT;
    const Ranking expected = RankCrews(job, crews, kNow, {});
    CHECK(expected.candidates.size() == 18);
    std::mt19937 rng(7);
    for (int round = 0; round < 5; ++round) {
      std::shuffle(crews.begin(), crews.end(), rng);
      const Ranking ranking = RankCrews(job, crews, kNow, {});
      CHECK(Ids(ranking) == Ids(expected));
      REQUIRE(ranking.rejections.size() == 2);
      CHECK(ranking.rejections[0].crew_id == "C107");
      CHECK(ranking.rejections[1].crew_id == "C111");
    }
  }
}

TEST_CASE("candidates explain themselves and know the deadline") {
  const Job job = UrbanJob("WO-1", kNow + 45min);
  const Ranking ranking = RankCrews(job, {Crew("NEAR", 10, kNow), Crew("FAR", 20, kNow)}, kNow, {});
  REQUIRE(ranking.candidates.size() == 2);
  const Candidate& near = ranking.candidates[0];
  const Candidate& far = ranking.candidates[1];
  CHECK(near.meets_arrival_deadline);       // 29 min
  CHECK_FALSE(far.meets_arrival_deadline);  // 53 min
  const auto has = [](const Candidate& c, std::string_view text) {
    return std::any_of(c.reasons.begin(), c.reasons.end(),
                       [&](const std::string& r) { return r.find(text) != std::string::npos; });
  };
  CHECK(has(near, "has skill CREW_SKILL_LOW_VOLTAGE"));
  CHECK(has(near, "covers any feeder"));
  CHECK(has(near, "10.0 km, ETA 29 min (urban)"));
  CHECK(has(near, "holds 0 job(s)"));
  CHECK(has(near, "arrives before the deadline"));
  CHECK(has(far, "arrives after the deadline"));
  // Exactly at the deadline is in time.
  CHECK(RankCrews(UrbanJob("WO-2", kNow + 29min), {Crew("NEAR", 10, kNow)}, kNow, {})
            .candidates[0]
            .meets_arrival_deadline);
  CHECK_FALSE(RankCrews(UrbanJob("WO-2", kNow + 29min - 1s), {Crew("NEAR", 10, kNow)}, kNow, {})
                  .candidates[0]
                  .meets_arrival_deadline);
}

TEST_CASE("job order: priority, life-support, important customers, size, deadline, id") {
  Job base = UrbanJob("WO-5", kNow + 45min);
  const auto with = [&](auto change) {
    Job job = base;
    change(job);
    return job;
  };
  const Job urgent = with([](Job& j) { j.priority = v1::PRIORITY_URGENT; });
  const Job life = with([](Job& j) { j.life_support = true; });
  const Job important = with([](Job& j) { j.important_customer = true; });
  const Job big = with([](Job& j) { j.affected_customers = 300; });
  const Job earlier = with([](Job& j) { j.arrival_due = kNow + 30min; });
  const Job no_deadline = with([](Job& j) { j.arrival_due.reset(); });
  const Job lower_id = with([](Job& j) { j.work_order_id = "WO-1"; });

  CHECK(JobGoesFirst(urgent, life));
  CHECK(JobGoesFirst(life, important));
  CHECK(JobGoesFirst(important, big));
  CHECK(JobGoesFirst(big, earlier));
  CHECK(JobGoesFirst(earlier, base));
  CHECK(JobGoesFirst(base, no_deadline));
  CHECK(JobGoesFirst(lower_id, base));
  CHECK_FALSE(JobGoesFirst(base, base));
  // A life-support job at URGENT beats an important customer's URGENT job.
  Job urgent_life = with([](Job& j) {
    j.priority = v1::PRIORITY_URGENT;
    j.life_support = true;
  });
  Job urgent_important = with([](Job& j) {
    j.priority = v1::PRIORITY_URGENT;
    j.important_customer = true;
    j.affected_customers = 5000;
  });
  CHECK(JobGoesFirst(urgent_life, urgent_important));
  CHECK_FALSE(JobGoesFirst(urgent_important, urgent_life));
}

TEST_CASE("AssignJobs serves jobs in priority order and counts each crew's new jobs") {
  AssignmentSettings one_job;
  one_job.max_jobs_per_crew = 1;
  Job ordinary = UrbanJob("WO-1", kNow + 45min);
  Job life = UrbanJob("WO-9", kNow + 45min);
  life.priority = v1::PRIORITY_URGENT;
  life.life_support = true;
  const AssignmentPlan plan = AssignJobs({ordinary, life}, {Crew("C1", 5, kNow)}, kNow, one_job);
  REQUIRE(plan.assignments.size() == 1);
  CHECK(plan.assignments[0].work_order_id == "WO-9");
  CHECK(plan.assignments[0].crew.crew_id == "C1");
  CHECK(plan.assignments[0].crew.eta == 17min);
  CHECK_FALSE(plan.assignments[0].arrival_at_risk);
  REQUIRE(plan.queued.size() == 1);
  const QueuedJob& queued = plan.queued[0];
  CHECK(queued.work_order_id == "WO-1");
  CHECK(queued.reason == "no crew fits: 1 at capacity");
  CHECK(queued.best_possible_eta == 17min);
  CHECK_FALSE(queued.arrival_at_risk);  // C1 could still make it once free
}

TEST_CASE("AssignJobs spreads work by the workload penalty") {
  // Two crews 3 km and 4 km away; three jobs at the site.
  const std::vector<CrewState> crews = {Crew("C1", 3, kNow), Crew("C2", 4, kNow)};
  const AssignmentPlan plan =
      AssignJobs({UrbanJob("WO-1"), UrbanJob("WO-2"), UrbanJob("WO-3")}, crews, kNow, {});
  REQUIRE(plan.assignments.size() == 3);
  CHECK(plan.queued.empty());
  CHECK(plan.assignments[0].crew.crew_id == "C1");
  CHECK(plan.assignments[1].crew.crew_id == "C2");
  CHECK(plan.assignments[2].crew.crew_id == "C1");
  CHECK(plan.assignments[2].crew.current_jobs == 1);
  // The crews passed by value are untouched.
  CHECK(crews[0].current_jobs == 0);
}

TEST_CASE("AssignJobs queues what no crew can take and flags arrival risk") {
  SECTION("no crew with the skill: at risk, no possible ETA") {
    Job cable = UrbanJob("WO-1", kNow + 45min);
    cable.required_skill = v1::CREW_SKILL_CABLE;
    const AssignmentPlan plan =
        AssignJobs({cable}, {Crew("C1", 1, kNow), Crew("C2", 1, kNow - 1h)}, kNow, {});
    CHECK(plan.assignments.empty());
    REQUIRE(plan.queued.size() == 1);
    CHECK(plan.queued[0].reason == "no crew fits: 2 missing skill");
    CHECK_FALSE(plan.queued[0].best_possible_eta.has_value());
    CHECK(plan.queued[0].arrival_at_risk);
  }
  SECTION("several reasons are counted") {
    CrewState off = Crew("C2", 1, kNow);
    off.availability = v1::CREW_AVAILABILITY_OFF_SHIFT;
    CrewState full = Crew("C3", 1, kNow);
    full.current_jobs = 3;
    const AssignmentPlan plan =
        AssignJobs({UrbanJob("WO-1")}, {Crew("C1", 1, kNow - 1h), off, full}, kNow, {});
    REQUIRE(plan.queued.size() == 1);
    CHECK(plan.queued[0].reason == "no crew fits: 1 unavailable, 1 stale position, 1 at capacity");
    CHECK_FALSE(plan.queued[0].arrival_at_risk);  // no deadline, and C3 will be free
  }
  SECTION("only a crew at capacity too far for the deadline: at risk") {
    CrewState full = Crew("C1", 30, kNow);  // 72 + 5 min
    full.current_jobs = 3;
    const AssignmentPlan plan = AssignJobs({UrbanJob("WO-1", kNow + 45min)}, {full}, kNow, {});
    REQUIRE(plan.queued.size() == 1);
    CHECK(plan.queued[0].best_possible_eta == 77min);
    CHECK(plan.queued[0].arrival_at_risk);
  }
  SECTION("the best possible ETA is the smallest of the crews at capacity") {
    CrewState far = Crew("C1", 30, kNow);
    far.current_jobs = 3;
    CrewState near = Crew("C2", 10, kNow);
    near.current_jobs = 3;
    const AssignmentPlan plan = AssignJobs({UrbanJob("WO-1", kNow + 45min)}, {far, near}, kNow, {});
    REQUIRE(plan.queued.size() == 1);
    CHECK(plan.queued[0].best_possible_eta == 29min);
    CHECK_FALSE(plan.queued[0].arrival_at_risk);
  }
  SECTION("an empty roster") {
    const AssignmentPlan plan = AssignJobs({UrbanJob("WO-1")}, {}, kNow, {});
    REQUIRE(plan.queued.size() == 1);
    CHECK(plan.queued[0].reason == "no crews on the roster");
    CHECK(plan.queued[0].arrival_at_risk);
  }
  SECTION("a crew that will arrive late is still assigned, at risk") {
    const AssignmentPlan plan =
        AssignJobs({UrbanJob("WO-1", kNow + 45min)}, {Crew("C1", 20, kNow)}, kNow, {});
    REQUIRE(plan.assignments.size() == 1);
    CHECK(plan.assignments[0].arrival_at_risk);
    CHECK(plan.assignments[0].crew.eta == 53min);
  }
  SECTION("a deadline already passed") {
    const AssignmentPlan plan =
        AssignJobs({UrbanJob("WO-1", kNow - 1min)}, {Crew("C1", 0, kNow)}, kNow, {});
    REQUIRE(plan.assignments.size() == 1);
    CHECK(plan.assignments[0].arrival_at_risk);
  }
}

TEST_CASE("AssignJobs does not depend on the order of jobs or crews") {
  std::vector<Job> jobs;
  for (int i = 0; i < 12; ++i) {
    Job job = UrbanJob("WO-" + std::to_string(10 + i), kNow + std::chrono::minutes{30 + i * 5});
    job.location = North(kSite, i * 0.7);
    job.priority = i % 4 == 0 ? v1::PRIORITY_URGENT : v1::PRIORITY_NORMAL;
    job.affected_customers = 1 + (i * 37) % 11;
    jobs.push_back(job);
  }
  std::vector<CrewState> crews;
  for (int i = 0; i < 4; ++i) crews.push_back(Crew("C" + std::to_string(i), i * 2.5, kNow));
  const AssignmentPlan expected = AssignJobs(jobs, crews, kNow, {});
  CHECK(expected.assignments.size() == 12);
  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(jobs.begin(), jobs.end(), rng);
    std::shuffle(crews.begin(), crews.end(), rng);
    const AssignmentPlan plan = AssignJobs(jobs, crews, kNow, {});
    REQUIRE(plan.assignments.size() == expected.assignments.size());
    for (size_t i = 0; i < plan.assignments.size(); ++i) {
      CHECK(plan.assignments[i].work_order_id == expected.assignments[i].work_order_id);
      CHECK(plan.assignments[i].crew.crew_id == expected.assignments[i].crew.crew_id);
    }
  }
  // Urgent jobs were served first.
  for (size_t i = 0; i < 3; ++i) {
    const auto& id = expected.assignments[i].work_order_id;
    CHECK((id == "WO-10" || id == "WO-14" || id == "WO-18"));
  }
}

TEST_CASE("reassignment reasons") {
  const Job job = UrbanJob("WO-1", kNow + 45min);
  CrewState crew = Crew("C1", 10, kNow);  // 24 min of travel, no overhead once dispatched
  crew.current_jobs = 1;
  crew.availability = v1::CREW_AVAILABILITY_BUSY;
  CHECK(ShouldReassign(job, crew, kNow, {}) == ReassignmentReason::kNone);

  SECTION("declined") {
    crew.declined_work_order_ids = {"WO-1"};
    CHECK(ShouldReassign(job, crew, kNow, {}) == ReassignmentReason::kDeclined);
    crew.availability = v1::CREW_AVAILABILITY_UNREACHABLE;  // declined still comes first
    CHECK(ShouldReassign(job, crew, kNow, {}) == ReassignmentReason::kDeclined);
  }
  SECTION("stopped reporting") {
    crew.position_at = kNow - 30min;
    CHECK(ShouldReassign(job, crew, kNow, {}) == ReassignmentReason::kNone);
    crew.position_at = kNow - 30min - 1s;
    CHECK(ShouldReassign(job, crew, kNow, {}) == ReassignmentReason::kStoppedReporting);
    crew.position_at = kNow;
    crew.availability = v1::CREW_AVAILABILITY_UNREACHABLE;
    CHECK(ShouldReassign(job, crew, kNow, {}) == ReassignmentReason::kStoppedReporting);
    crew.availability = v1::CREW_AVAILABILITY_BUSY;
    crew.position_at.reset();
    CHECK(ShouldReassign(job, crew, kNow, {}) == ReassignmentReason::kStoppedReporting);
  }
  SECTION("went off shift") {
    crew.availability = v1::CREW_AVAILABILITY_OFF_SHIFT;
    CHECK(ShouldReassign(job, crew, kNow, {}) == ReassignmentReason::kOffShift);
    crew.availability = v1::CREW_AVAILABILITY_BUSY;
    crew.shifts = {{kEveryDay, 8 * 60, 20 * 60}};
    const Job evening = UrbanJob("WO-1", Monday(20, 30));
    crew.position_at = Monday(19, 59, 59);
    CHECK(ShouldReassign(evening, crew, Monday(19, 59, 59), {}) == ReassignmentReason::kNone);
    crew.position_at = Monday(20);
    CHECK(ShouldReassign(evening, crew, Monday(20), {}) == ReassignmentReason::kOffShift);
  }
  SECTION("a crew of the incoming shift keeps what it was given at the handover") {
    crew.shifts = {{kEveryDay, 20 * 60, 8 * 60}};
    const core::TimePoint evening = Monday(19, 28);
    crew.position_at = evening;
    // Starts at 20:00, 24 min of travel: arrives 20:24.
    CHECK(ShouldReassign(UrbanJob("WO-1", Monday(20, 24)), crew, evening, {}) ==
          ReassignmentReason::kNone);
    CHECK(ShouldReassign(UrbanJob("WO-1", Monday(20, 23, 59)), crew, evening, {}) ==
          ReassignmentReason::kCannotMakeDeadline);
    AssignmentSettings no_handover;
    no_handover.handover_lead = 0min;
    CHECK(ShouldReassign(UrbanJob("WO-1"), crew, evening, no_handover) ==
          ReassignmentReason::kOffShift);
    crew.position_at = Monday(17, 59);
    CHECK(ShouldReassign(UrbanJob("WO-1"), crew, Monday(17, 59), {}) ==
          ReassignmentReason::kOffShift);
  }
  SECTION("cannot make the deadline any more") {
    // 24 min of travel: fine until 21 min before the deadline, late a second after.
    CHECK(ShouldReassign(job, crew, kNow + 21min, {}) == ReassignmentReason::kNone);
    crew.position_at = kNow + 21min + 1s;
    CHECK(ShouldReassign(job, crew, kNow + 21min + 1s, {}) ==
          ReassignmentReason::kCannotMakeDeadline);
    const Job no_clock = UrbanJob("WO-1");
    crew.position_at = kNow + 2h;
    CHECK(ShouldReassign(no_clock, crew, kNow + 2h, {}) == ReassignmentReason::kNone);
  }
  CHECK(ReassignmentReasonName(ReassignmentReason::kNone) == "none");
  CHECK(ReassignmentReasonName(ReassignmentReason::kDeclined) == "declined");
  CHECK(ReassignmentReasonName(ReassignmentReason::kStoppedReporting) == "stopped reporting");
  CHECK(ReassignmentReasonName(ReassignmentReason::kOffShift) == "off shift");
  CHECK(ReassignmentReasonName(ReassignmentReason::kCannotMakeDeadline) ==
        "cannot make the deadline");
}

TEST_CASE("PickReplacement finds the next crew, and keeps a late crew unless it gains enough") {
  const Job job = UrbanJob("WO-1", kNow + 45min);
  CrewState current = Crew("C1", 1, kNow);
  current.declined_work_order_ids = {"WO-1"};
  const std::vector<CrewState> crews = {current, Crew("C2", 8, kNow), Crew("C3", 4, kNow)};

  CHECK_FALSE(PickReplacement(job, current, ReassignmentReason::kNone, crews, kNow, {}));
  const auto declined =
      PickReplacement(job, current, ReassignmentReason::kDeclined, crews, kNow, {});
  REQUIRE(declined);
  CHECK(declined->crew_id == "C3");
  // The current crew is never its own replacement, even when it would rank first.
  CrewState off = Crew("C1", 0, kNow);
  const auto off_shift = PickReplacement(job, off, ReassignmentReason::kOffShift,
                                         {off, Crew("C2", 8, kNow)}, kNow, {});
  REQUIRE(off_shift);
  CHECK(off_shift->crew_id == "C2");
  CHECK_FALSE(PickReplacement(job, off, ReassignmentReason::kOffShift, {off}, kNow, {}));

  // Late crew 20 km away: 48 min. A crew 5 km away arrives after 12 + 5 = 17 min: gain 31 min.
  CrewState late = Crew("LATE", 20, kNow);
  const auto better = PickReplacement(job, late, ReassignmentReason::kCannotMakeDeadline,
                                      {late, Crew("C5", 5, kNow)}, kNow, {});
  REQUIRE(better);
  CHECK(better->crew_id == "C5");
  // A crew 15.5 km away: 37.2 + 5 = 42.2 min, gains 5.8 min < 10: keep the late crew.
  CHECK_FALSE(PickReplacement(job, late, ReassignmentReason::kCannotMakeDeadline,
                              {late, Crew("C6", 15.5, kNow)}, kNow, {}));
  // A late crew of the incoming shift sets off at 20:00, not now: 19:28 + 32 + 48 min = 20:48.
  // A crew on shift 20 km away arrives at 19:28 + 53 = 20:21, 27 min earlier.
  const core::TimePoint evening = Monday(19, 28);
  CrewState incoming = Crew("INCOMING", 20, evening);
  incoming.shifts = {{kEveryDay, 20 * 60, 8 * 60}};
  const Job evening_job = UrbanJob("WO-2", evening + 45min);
  const auto earlier =
      PickReplacement(evening_job, incoming, ReassignmentReason::kCannotMakeDeadline,
                      {incoming, Crew("C8", 20, evening)}, evening, {});
  REQUIRE(earlier);
  CHECK(earlier->crew_id == "C8");
  // Exactly the minimum gain is enough: 48 - 10 = 38 min = 5 + 33 min -> 13.75 km.
  CHECK(PickReplacement(job, late, ReassignmentReason::kCannotMakeDeadline,
                        {late, Crew("C7", 13.75, kNow)}, kNow, {}));
}

TEST_CASE("crews and jobs from their protos") {
  v1::Crew crew;
  crew.set_crew_id("CREW-001-01");
  crew.add_skills(v1::CREW_SKILL_LOW_VOLTAGE);
  crew.add_skills(v1::CREW_SKILL_CABLE);
  crew.add_territory_feeder_ids("FDR-0001-01");
  auto* shift = crew.add_shifts();
  shift->set_weekday_mask(kEveryDay);
  shift->set_start_minute_of_day(20 * 60);
  shift->set_end_minute_of_day(8 * 60);
  crew.set_availability(v1::CREW_AVAILABILITY_BUSY);
  crew.mutable_position()->set_latitude(23.1);
  crew.mutable_position()->set_longitude(113.3);
  crew.add_work_order_ids("WO-1");
  crew.add_work_order_ids("WO-2");

  CrewState state = CrewStateFromProto(crew);
  CHECK(state.crew_id == "CREW-001-01");
  CHECK(state.skills ==
        std::vector<v1::CrewSkill>{v1::CREW_SKILL_LOW_VOLTAGE, v1::CREW_SKILL_CABLE});
  CHECK(state.territory_feeder_ids == std::vector<std::string>{"FDR-0001-01"});
  REQUIRE(state.shifts.size() == 1);
  CHECK(state.shifts[0].start_minute == 1200);
  CHECK(state.shifts[0].end_minute == 480);
  CHECK(state.availability == v1::CREW_AVAILABILITY_BUSY);
  CHECK(state.position.latitude == 23.1);
  CHECK_FALSE(state.position_at.has_value());
  CHECK(state.current_jobs == 2);
  *crew.mutable_position_at() = sla::ToTimestamp(kNow);
  CHECK(CrewStateFromProto(crew).position_at == kNow);

  v1::WorkOrder order;
  order.set_work_order_id("WO-7");
  order.set_required_skill(v1::CREW_SKILL_TRANSFORMER);
  order.set_priority(v1::PRIORITY_NORMAL);
  auto* clock = order.add_clocks();
  clock->set_kind(v1::ServiceClock::KIND_ARRIVAL);
  *clock->mutable_due_at() = sla::ToTimestamp(kNow + 90min);
  v1::Incident incident;
  incident.mutable_supply()->set_feeder_id("FDR-0003-02");
  incident.set_area_class(v1::AREA_CLASS_RURAL);
  incident.mutable_location()->set_latitude(23.5);
  incident.mutable_location()->set_longitude(113.6);
  incident.set_life_support_affected(true);
  incident.set_affected_customers(120);
  incident.set_priority(v1::PRIORITY_URGENT);

  const Job alone = JobFromWorkOrder(order, nullptr);
  CHECK(alone.work_order_id == "WO-7");
  CHECK(alone.required_skill == v1::CREW_SKILL_TRANSFORMER);
  CHECK(alone.arrival_due == kNow + 90min);
  CHECK(alone.feeder_id.empty());
  CHECK(alone.affected_customers == 1);

  const Job job = JobFromWorkOrder(order, &incident);
  CHECK(job.feeder_id == "FDR-0003-02");
  CHECK(job.area_class == v1::AREA_CLASS_RURAL);
  CHECK(job.location.latitude == 23.5);
  CHECK(job.life_support);
  CHECK_FALSE(job.important_customer);
  CHECK(job.affected_customers == 120);
  CHECK(job.priority == v1::PRIORITY_URGENT);
  CHECK(job.arrival_due == kNow + 90min);

  order.clear_clocks();
  auto* incident_clock = incident.add_clocks();
  incident_clock->set_kind(v1::ServiceClock::KIND_ARRIVAL);
  *incident_clock->mutable_due_at() = sla::ToTimestamp(kNow + 60min);
  CHECK(JobFromWorkOrder(order, &incident).arrival_due == kNow + 60min);
}
