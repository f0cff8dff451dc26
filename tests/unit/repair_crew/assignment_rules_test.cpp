// Dispatch's decisions reaching the crews' queues: assignment, reassignment, cancellation,
// redelivery and late events; refusing an automatic assignment to a crew at capacity.
#include "assignment_rules.h"

#include <catch2/catch.hpp>

#include "crew_fixture.h"
#include "job_rules.h"

namespace gridcare::repair_crew {
namespace {

using namespace std::chrono_literals;

using testing::Assigned;
using testing::Cancelled;
using testing::MakeCrew;
using testing::MakeJob;
using testing::Reassigned;

DispatchChange Change(const v1::DispatchEvent& event) {
  auto change = ChangeFrom(event);
  REQUIRE(change.ok());
  return *change;
}

std::map<std::string, v1::Crew> Crews(std::initializer_list<v1::Crew> crews) {
  std::map<std::string, v1::Crew> out;
  for (const auto& crew : crews) out.emplace(crew.crew_id(), crew);
  return out;
}

v1::Crew Holding(const std::string& id, std::initializer_list<std::string> jobs,
                 v1::CrewAvailability availability = v1::CREW_AVAILABILITY_BUSY) {
  v1::Crew crew = MakeCrew(id, availability);
  for (const auto& job : jobs) crew.add_work_order_ids(job);
  return crew;
}

/// `event` as a dispatcher's own choice on the console.
v1::DispatchEvent ByHand(v1::DispatchEvent event) {
  if (event.has_work_order_assigned()) {
    event.mutable_work_order_assigned()->mutable_work_order()->set_assigned_by("DISPATCHER-7");
  } else {
    event.mutable_work_order_reassigned()->mutable_work_order()->set_assigned_by("DISPATCHER-7");
  }
  return event;
}

std::vector<std::string> Queue(const v1::Crew& crew) {
  return {crew.work_order_ids().begin(), crew.work_order_ids().end()};
}

/// Crew CREW-A at the default limit: three open jobs.
v1::Crew Full() { return Holding("CREW-A", {"WO-1", "WO-2", "WO-3"}); }

}  // namespace

TEST_CASE("which dispatch events matter, and what each names") {
  auto assigned = Change(Assigned("WO-1", "CREW-A"));
  CHECK(assigned.kind == DispatchChange::Kind::kAssign);
  CHECK(assigned.label == "assigned");
  CHECK(assigned.crew_id == "CREW-A");
  CHECK(assigned.work_order.work_order_id() == "WO-1");

  auto reassigned = Change(Reassigned("WO-1", "CREW-A", "CREW-B"));
  CHECK(reassigned.kind == DispatchChange::Kind::kAssign);
  CHECK(reassigned.label == "reassigned");
  CHECK(reassigned.previous_crew_id == "CREW-A");
  CHECK(reassigned.crew_id == "CREW-B");

  auto cancelled = Change(Cancelled("WO-1", "CREW-A"));
  CHECK(cancelled.kind == DispatchChange::Kind::kCancel);
  CHECK(cancelled.crew_id == "CREW-A");

  v1::DispatchEvent cancelled_queued = Cancelled("WO-2", "");
  CHECK(Change(cancelled_queued).kind == DispatchChange::Kind::kCancel);  // no crew is fine

  v1::DispatchEvent restored;
  restored.mutable_incident_restored()->mutable_incident()->set_incident_id("INC-1");
  CHECK(Change(restored).kind == DispatchChange::Kind::kNone);
  v1::DispatchEvent created;
  created.mutable_work_order_created()->mutable_work_order()->set_work_order_id("WO-3");
  CHECK(Change(created).kind == DispatchChange::Kind::kNone);
  CHECK(Change(v1::DispatchEvent()).kind == DispatchChange::Kind::kNone);
}

TEST_CASE("assignments without a work order or crew id are invalid") {
  auto no_order = Assigned("", "CREW-A");
  auto result = ChangeFrom(no_order);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(result.error().message, Catch::Contains("work_order_id"));

  auto no_crew = Assigned("WO-1", "");
  CHECK_FALSE(ChangeFrom(no_crew).ok());
  auto reassigned_nowhere = Reassigned("WO-1", "CREW-A", "");
  CHECK_FALSE(ChangeFrom(reassigned_nowhere).ok());
  auto cancelled_nothing = Cancelled("", "CREW-A");
  CHECK_FALSE(ChangeFrom(cancelled_nothing).ok());
}

TEST_CASE("the crews involved are the named ones and the current holder") {
  auto change = Change(Reassigned("WO-1", "CREW-A", "CREW-B"));
  const v1::WorkOrder held = MakeJob("WO-1", "CREW-C", v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(CrewsInvolved(change, &held) == std::vector<std::string>{"CREW-A", "CREW-B", "CREW-C"});
  CHECK(CrewsInvolved(change, nullptr) == std::vector<std::string>{"CREW-A", "CREW-B"});
  auto cancel = Change(Cancelled("WO-1", ""));
  const v1::WorkOrder same = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(CrewsInvolved(cancel, &same) == std::vector<std::string>{"CREW-A"});
  CHECK(CrewsInvolved(cancel, nullptr).empty());
}

TEST_CASE("a new assignment puts the job in the crew's queue and makes the crew busy") {
  auto outcome =
      ApplyDispatchChange(Change(Assigned("WO-1", "CREW-A")), nullptr, Crews({MakeCrew("CREW-A")}));
  REQUIRE(outcome.ok());
  CHECK(outcome->changed);
  CHECK(outcome->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(outcome->job.crew_id() == "CREW-A");
  CHECK(outcome->job.incident_id() == "INC-WO-1");  // dispatch's copy of the order is kept
  REQUIRE(outcome->crews.contains("CREW-A"));
  const auto& crew = outcome->crews.at("CREW-A");
  REQUIRE(crew.work_order_ids_size() == 1);
  CHECK(crew.work_order_ids(0) == "WO-1");
  CHECK(crew.availability() == v1::CREW_AVAILABILITY_BUSY);
}

TEST_CASE("a second job joins the back of the queue") {
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-2", "CREW-A")), nullptr,
                                     Crews({Holding("CREW-A", {"WO-1"})}));
  REQUIRE(outcome.ok());
  const auto& crew = outcome->crews.at("CREW-A");
  REQUIRE(crew.work_order_ids_size() == 2);
  CHECK(crew.work_order_ids(1) == "WO-2");
}

TEST_CASE("an assignment delivered twice changes nothing the second time") {
  const v1::WorkOrder held = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_ASSIGNED);
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-1", "CREW-A")), &held,
                                     Crews({Holding("CREW-A", {"WO-1"})}));
  REQUIRE(outcome.ok());
  CHECK_FALSE(outcome->changed);
  CHECK_THAT(outcome->note, Catch::Contains("already held"));
}

TEST_CASE("the crew that already holds a job keeps its progress when dispatch repeats itself") {
  const v1::WorkOrder en_route = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_EN_ROUTE);
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-1", "CREW-A")), &en_route,
                                     Crews({Holding("CREW-A", {"WO-1"})}));
  REQUIRE(outcome.ok());
  CHECK_FALSE(outcome->changed);
  // A queue that lost the job (it cannot, but if) gets it back without resetting the state.
  auto repaired = ApplyDispatchChange(Change(Assigned("WO-1", "CREW-A")), &en_route,
                                      Crews({MakeCrew("CREW-A")}));
  REQUIRE(repaired.ok());
  CHECK(repaired->changed);
  CHECK(repaired->job.state() == v1::WORK_ORDER_STATE_EN_ROUTE);
  CHECK(repaired->crews.at("CREW-A").work_order_ids_size() == 1);
}

TEST_CASE("a reassignment moves the job and frees the previous crew") {
  const v1::WorkOrder held = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_ACCEPTED);
  auto outcome = ApplyDispatchChange(Change(Reassigned("WO-1", "CREW-A", "CREW-B")), &held,
                                     Crews({Holding("CREW-A", {"WO-1"}), MakeCrew("CREW-B")}));
  REQUIRE(outcome.ok());
  CHECK(outcome->changed);
  CHECK(outcome->job.crew_id() == "CREW-B");
  CHECK(outcome->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);  // the new crew starts over
  CHECK(outcome->job.reassignment_count() == 1);
  const auto& previous = outcome->crews.at("CREW-A");
  CHECK(previous.work_order_ids_size() == 0);
  CHECK(previous.availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  const auto& next = outcome->crews.at("CREW-B");
  CHECK(next.work_order_ids_size() == 1);
  CHECK(next.availability() == v1::CREW_AVAILABILITY_BUSY);
}

TEST_CASE("a declined job goes to the next crew") {
  // After a decline the job is QUEUED, still naming the crew that declined, out of its queue.
  const v1::WorkOrder declined = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_QUEUED);
  auto outcome = ApplyDispatchChange(Change(Reassigned("WO-1", "CREW-A", "CREW-B")), &declined,
                                     Crews({MakeCrew("CREW-A"), MakeCrew("CREW-B")}));
  REQUIRE(outcome.ok());
  CHECK(outcome->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(outcome->job.crew_id() == "CREW-B");
  CHECK_FALSE(outcome->crews.contains("CREW-A"));  // unchanged: it had already let go
  CHECK(outcome->crews.contains("CREW-B"));

  // Dispatch may also simply assign it again.
  auto assigned = ApplyDispatchChange(Change(Assigned("WO-1", "CREW-C")), &declined,
                                      Crews({MakeCrew("CREW-A"), MakeCrew("CREW-C")}));
  REQUIRE(assigned.ok());
  CHECK(assigned->job.crew_id() == "CREW-C");
}

TEST_CASE("an assignment to another crew without a reassignment event still moves the job") {
  const v1::WorkOrder held = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_EN_ROUTE);
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-1", "CREW-B")), &held,
                                     Crews({Holding("CREW-A", {"WO-1"}), MakeCrew("CREW-B")}));
  REQUIRE(outcome.ok());
  CHECK(outcome->crews.at("CREW-A").work_order_ids_size() == 0);
  CHECK(outcome->crews.at("CREW-B").work_order_ids_size() == 1);
}

TEST_CASE("an off-shift crew that is given a job stays off shift") {
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-1", "CREW-A")), nullptr,
                                     Crews({MakeCrew("CREW-A", v1::CREW_AVAILABILITY_OFF_SHIFT)}));
  REQUIRE(outcome.ok());
  CHECK(outcome->crews.at("CREW-A").availability() == v1::CREW_AVAILABILITY_OFF_SHIFT);
  CHECK(outcome->crews.at("CREW-A").work_order_ids_size() == 1);
}

TEST_CASE("an assignment to a crew not on the roster is NOT_FOUND") {
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-1", "CREW-Z")), nullptr, {});
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().kind == core::ErrorKind::kNotFound);
  CHECK_THAT(outcome.error().message, Catch::Contains("CREW-Z"));
  // An unknown previous crew is simply not there to free.
  auto moved = ApplyDispatchChange(Change(Reassigned("WO-1", "CREW-Z", "CREW-A")), nullptr,
                                   Crews({MakeCrew("CREW-A")}));
  REQUIRE(moved.ok());
  CHECK(moved->job.crew_id() == "CREW-A");
}

TEST_CASE("late events never revive a finished job") {
  const v1::WorkOrder completed = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_COMPLETED);
  const v1::WorkOrder cancelled = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_CANCELLED);
  for (const auto& event : {Assigned("WO-1", "CREW-B"), Reassigned("WO-1", "CREW-A", "CREW-B"),
                            Cancelled("WO-1", "CREW-A")}) {
    auto after_completion = ApplyDispatchChange(Change(event), &completed,
                                                Crews({MakeCrew("CREW-A"), MakeCrew("CREW-B")}));
    REQUIRE(after_completion.ok());
    CHECK_FALSE(after_completion->changed);
    CHECK_THAT(after_completion->note, Catch::Contains("COMPLETED"));
    auto after_cancellation = ApplyDispatchChange(Change(event), &cancelled,
                                                  Crews({MakeCrew("CREW-A"), MakeCrew("CREW-B")}));
    REQUIRE(after_cancellation.ok());
    CHECK_FALSE(after_cancellation->changed);
  }
}

TEST_CASE("a cancellation takes the job out of the queue, in whatever state") {
  for (const auto state : {v1::WORK_ORDER_STATE_ASSIGNED, v1::WORK_ORDER_STATE_ACCEPTED,
                           v1::WORK_ORDER_STATE_EN_ROUTE, v1::WORK_ORDER_STATE_ON_SITE}) {
    const v1::WorkOrder held = MakeJob("WO-1", "CREW-A", state);
    auto outcome = ApplyDispatchChange(Change(Cancelled("WO-1", "CREW-A")), &held,
                                       Crews({Holding("CREW-A", {"WO-1", "WO-2"})}));
    REQUIRE(outcome.ok());
    CHECK(outcome->changed);
    CHECK(outcome->job.state() == v1::WORK_ORDER_STATE_CANCELLED);
    CHECK(outcome->job.crew_id() == "CREW-A");
    const auto& crew = outcome->crews.at("CREW-A");
    REQUIRE(crew.work_order_ids_size() == 1);
    CHECK(crew.work_order_ids(0) == "WO-2");
    CHECK(crew.availability() == v1::CREW_AVAILABILITY_BUSY);
  }
  // The last job gone: available again.
  const v1::WorkOrder only = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_ASSIGNED);
  auto outcome = ApplyDispatchChange(Change(Cancelled("WO-1", "CREW-A")), &only,
                                     Crews({Holding("CREW-A", {"WO-1"})}));
  REQUIRE(outcome.ok());
  CHECK(outcome->crews.at("CREW-A").availability() == v1::CREW_AVAILABILITY_AVAILABLE);
}

TEST_CASE("a cancellation of an unknown job leaves a tombstone, repeated, it changes nothing") {
  auto outcome = ApplyDispatchChange(Change(Cancelled("WO-9", "")), nullptr, {});
  REQUIRE(outcome.ok());
  CHECK(outcome->changed);
  CHECK(outcome->job.state() == v1::WORK_ORDER_STATE_CANCELLED);
  CHECK(outcome->crews.empty());

  const v1::WorkOrder tombstone = outcome->job;
  auto again = ApplyDispatchChange(Change(Cancelled("WO-9", "")), &tombstone, {});
  REQUIRE(again.ok());
  CHECK_FALSE(again->changed);

  // And the assignment that arrives after it is ignored.
  auto late = ApplyDispatchChange(Change(Assigned("WO-9", "CREW-A")), &tombstone,
                                  Crews({MakeCrew("CREW-A")}));
  REQUIRE(late.ok());
  CHECK_FALSE(late->changed);
}

TEST_CASE("events that are not about queues change nothing") {
  v1::DispatchEvent opened;
  opened.mutable_incident_opened()->mutable_incident()->set_incident_id("INC-1");
  auto outcome = ApplyDispatchChange(Change(opened), nullptr, {});
  REQUIRE(outcome.ok());
  CHECK_FALSE(outcome->changed);
}

// --- Refusing a busy crew's further assignment ---------------------------------------------

TEST_CASE("the assignment limit is 3 by default and must be at least 1") {
  CHECK(AssignmentLimits().max_jobs_per_crew == 3);  // dispatch's default too
  CHECK(Validate(AssignmentLimits{}).ok());
  CHECK(Validate(AssignmentLimits{.max_jobs_per_crew = 1}).ok());
  CHECK(Validate(AssignmentLimits{.max_jobs_per_crew = 1000}).ok());
  for (const int bad : {0, -1, -3}) {
    auto status = Validate(AssignmentLimits{.max_jobs_per_crew = bad});
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_THAT(status.error().message, Catch::Contains("max_jobs_per_crew must be at least 1"));
    CHECK_THAT(status.error().message, Catch::Contains("--max-jobs-per-crew"));
    CHECK_THAT(status.error().message, Catch::Contains("GRIDCARE_MAX_JOBS_PER_CREW"));
  }
}

TEST_CASE("an automatic assignment to a crew at capacity is refused with a JobDeclined") {
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-4", "CREW-A")), nullptr, Crews({Full()}));
  REQUIRE(outcome.ok());
  CHECK(outcome->changed);  // the job record is new
  // Waiting for dispatch's next crew, as after the crew's own decline: QUEUED, naming the crew.
  CHECK(outcome->job.state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(outcome->job.crew_id() == "CREW-A");
  CHECK(outcome->job.incident_id() == "INC-WO-4");  // dispatch's copy of the order
  CHECK_FALSE(outcome->crews.contains("CREW-A"));   // its queue stays as it was
  REQUIRE(outcome->refusal.has_value());
  CHECK(outcome->refusal->crew_id() == "CREW-A");
  CHECK(outcome->refusal->work_order_id() == "WO-4");
  CHECK(outcome->refusal->reason() == "crew at capacity: 3 open jobs");
}

TEST_CASE("below capacity an automatic assignment is taken") {
  for (const int limit : {1, 2, 3, 4}) {
    INFO("limit " << limit);
    v1::Crew crew = MakeCrew("CREW-A");
    for (int held = 0; held < limit; ++held) {
      crew.add_work_order_ids("WO-H" + std::to_string(held));
      crew.set_availability(v1::CREW_AVAILABILITY_BUSY);
    }
    // limit - 1 jobs held: one more fits.
    v1::Crew below = crew;
    below.mutable_work_order_ids()->RemoveLast();
    auto taken = ApplyDispatchChange(Change(Assigned("WO-N", "CREW-A")), nullptr, Crews({below}),
                                     {.max_jobs_per_crew = limit});
    REQUIRE(taken.ok());
    CHECK(taken->changed);
    CHECK_FALSE(taken->refusal.has_value());
    CHECK(taken->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);
    CHECK(taken->crews.at("CREW-A").work_order_ids_size() == limit);
    // limit jobs held: refused.
    auto refused = ApplyDispatchChange(Change(Assigned("WO-N", "CREW-A")), nullptr, Crews({crew}),
                                       {.max_jobs_per_crew = limit});
    REQUIRE(refused.ok());
    REQUIRE(refused->refusal.has_value());
    CHECK(refused->refusal->reason() ==
          "crew at capacity: " + std::to_string(limit) + (limit == 1 ? " open job" : " open jobs"));
    CHECK(refused->job.state() == v1::WORK_ORDER_STATE_QUEUED);
  }
}

TEST_CASE("a crew over the limit by dispatchers' choices refuses saying how many it holds") {
  const v1::Crew crew = Holding("CREW-A", {"WO-1", "WO-2", "WO-3", "WO-4", "WO-5"});
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-6", "CREW-A")), nullptr, Crews({crew}));
  REQUIRE(outcome.ok());
  REQUIRE(outcome->refusal.has_value());
  CHECK(outcome->refusal->reason() == "crew at capacity: 5 open jobs");
}

TEST_CASE("the job the crew already holds is not counted against it") {
  // A redelivered assignment the crew took (in any open state) is not refused, and keeps its
  // progress.
  for (const auto state : {v1::WORK_ORDER_STATE_ASSIGNED, v1::WORK_ORDER_STATE_ACCEPTED,
                           v1::WORK_ORDER_STATE_EN_ROUTE, v1::WORK_ORDER_STATE_ON_SITE}) {
    const v1::WorkOrder held = MakeJob("WO-3", "CREW-A", state);
    auto outcome = ApplyDispatchChange(Change(Assigned("WO-3", "CREW-A")), &held, Crews({Full()}));
    REQUIRE(outcome.ok());
    CHECK_FALSE(outcome->changed);
    CHECK_FALSE(outcome->refusal.has_value());
    CHECK_THAT(outcome->note, Catch::Contains("already held by crew CREW-A"));
  }
  // Even at the limit exactly with this job among them, at limit 1.
  const v1::WorkOrder only = MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_ASSIGNED);
  auto alone = ApplyDispatchChange(Change(Assigned("WO-1", "CREW-A")), &only,
                                   Crews({Holding("CREW-A", {"WO-1"})}), {.max_jobs_per_crew = 1});
  REQUIRE(alone.ok());
  CHECK_FALSE(alone->refusal.has_value());
  // A queue that names the job while its record does not (it cannot, but if): the job is not one
  // more for the crew, so the other two do not make it full.
  auto repaired = ApplyDispatchChange(Change(Assigned("WO-3", "CREW-A")), nullptr, Crews({Full()}));
  REQUIRE(repaired.ok());
  CHECK_FALSE(repaired->refusal.has_value());
  CHECK(repaired->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK_FALSE(repaired->crews.contains("CREW-A"));  // already in its queue
}

TEST_CASE("a dispatcher's own choice is never refused") {
  const v1::Crew crew = Holding("CREW-A", {"WO-1", "WO-2", "WO-3", "WO-4"});
  auto assigned =
      ApplyDispatchChange(Change(ByHand(Assigned("WO-5", "CREW-A"))), nullptr, Crews({crew}));
  REQUIRE(assigned.ok());
  CHECK(assigned->changed);
  CHECK_FALSE(assigned->refusal.has_value());
  CHECK(assigned->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(assigned->job.assigned_by() == "DISPATCHER-7");
  CHECK(assigned->crews.at("CREW-A").work_order_ids_size() == 5);

  const v1::WorkOrder held = MakeJob("WO-5", "CREW-B", v1::WORK_ORDER_STATE_ACCEPTED);
  auto moved =
      ApplyDispatchChange(Change(ByHand(Reassigned("WO-5", "CREW-B", "CREW-A"))), &held,
                          Crews({crew, Holding("CREW-B", {"WO-5"})}), {.max_jobs_per_crew = 1});
  REQUIRE(moved.ok());
  CHECK_FALSE(moved->refusal.has_value());
  CHECK(moved->job.crew_id() == "CREW-A");
  CHECK(moved->crews.at("CREW-A").work_order_ids_size() == 5);
  CHECK(moved->crews.at("CREW-B").work_order_ids_size() == 0);
}

TEST_CASE("a refused reassignment still takes the job from the previous crew") {
  const v1::WorkOrder held = MakeJob("WO-9", "CREW-B", v1::WORK_ORDER_STATE_ACCEPTED);
  auto outcome = ApplyDispatchChange(Change(Reassigned("WO-9", "CREW-B", "CREW-A")), &held,
                                     Crews({Full(), Holding("CREW-B", {"WO-9", "WO-8"})}));
  REQUIRE(outcome.ok());
  CHECK(outcome->changed);
  CHECK(outcome->job.state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(outcome->job.crew_id() == "CREW-A");
  CHECK(outcome->job.reassignment_count() == 1);  // dispatch's copy
  CHECK(Queue(outcome->crews.at("CREW-B")) == std::vector<std::string>{"WO-8"});
  CHECK_FALSE(outcome->crews.contains("CREW-A"));
  REQUIRE(outcome->refusal.has_value());
  CHECK(outcome->refusal->crew_id() == "CREW-A");
  CHECK(outcome->refusal->work_order_id() == "WO-9");

  // The previous crew's last job gone: it is available again.
  auto freed = ApplyDispatchChange(Change(Reassigned("WO-9", "CREW-B", "CREW-A")), &held,
                                   Crews({Full(), Holding("CREW-B", {"WO-9"})}));
  REQUIRE(freed.ok());
  CHECK(freed->crews.at("CREW-B").work_order_ids_size() == 0);
  CHECK(freed->crews.at("CREW-B").availability() == v1::CREW_AVAILABILITY_AVAILABLE);
}

TEST_CASE("a redelivered refused assignment changes nothing and refuses nothing new") {
  for (const auto& event : {Assigned("WO-4", "CREW-A"), Reassigned("WO-4", "CREW-B", "CREW-A")}) {
    const v1::WorkOrder held = MakeJob("WO-4", "CREW-B", v1::WORK_ORDER_STATE_ASSIGNED);
    const auto crews = Crews({Full(), Holding("CREW-B", {"WO-4"})});
    auto first = ApplyDispatchChange(Change(event), &held, crews);
    REQUIRE(first.ok());
    REQUIRE(first->refusal.has_value());
    // The records as the first commit left them.
    auto after = crews;
    for (const auto& [id, crew] : first->crews) after[id] = crew;
    const v1::WorkOrder refused = first->job;
    auto again = ApplyDispatchChange(Change(event), &refused, after);
    REQUIRE(again.ok());
    CHECK_FALSE(again->changed);
    CHECK_FALSE(again->refusal.has_value());  // no second event
    CHECK_THAT(again->note, Catch::Contains("already refused by crew CREW-A"));
    CHECK_THAT(again->note, Catch::Contains("crew at capacity: 3 open jobs"));
  }
}

TEST_CASE("a refused job moves on with dispatch's next decision") {
  const v1::WorkOrder refused = [] {
    auto outcome =
        ApplyDispatchChange(Change(Assigned("WO-4", "CREW-A")), nullptr, Crews({Full()}));
    REQUIRE(outcome.ok());
    return outcome->job;
  }();
  // Dispatch takes the JobDeclined as a decline and reassigns to another crew.
  auto next = ApplyDispatchChange(Change(Reassigned("WO-4", "CREW-A", "CREW-C")), &refused,
                                  Crews({Full(), MakeCrew("CREW-C")}));
  REQUIRE(next.ok());
  CHECK(next->changed);
  CHECK_FALSE(next->refusal.has_value());
  CHECK(next->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(next->job.crew_id() == "CREW-C");
  CHECK(Queue(next->crews.at("CREW-C")) == std::vector<std::string>{"WO-4"});
  CHECK_FALSE(next->crews.contains("CREW-A"));
  // Once the crew has room, an assignment to it is taken again.
  auto later = ApplyDispatchChange(Change(Assigned("WO-4", "CREW-A")), &refused,
                                   Crews({Holding("CREW-A", {"WO-1", "WO-2"})}));
  REQUIRE(later.ok());
  CHECK_FALSE(later->refusal.has_value());
  CHECK(later->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  // And a cancellation ends it like any other job.
  auto cancelled =
      ApplyDispatchChange(Change(Cancelled("WO-4", "CREW-A")), &refused, Crews({Full()}));
  REQUIRE(cancelled.ok());
  CHECK(cancelled->job.state() == v1::WORK_ORDER_STATE_CANCELLED);
  CHECK_FALSE(cancelled->refusal.has_value());
}

TEST_CASE("the refused crew's app sees a job waiting for dispatch as after its own decline") {
  auto outcome = ApplyDispatchChange(Change(Assigned("WO-4", "CREW-A")), nullptr, Crews({Full()}));
  REQUIRE(outcome.ok());
  const v1::Crew crew = Full();
  auto accept = DecideJobAction("CREW-A", &crew, "WO-4", &outcome->job, JobAction::kAccept);
  REQUIRE_FALSE(accept.ok());
  CHECK(accept.error().kind == core::ErrorKind::kFailedPrecondition);
  CHECK_THAT(accept.error().message, Catch::Contains("waiting for dispatch to reassign it"));
  const v1::Crew other = MakeCrew("CREW-B");
  CHECK(DecideJobAction("CREW-B", &other, "WO-4", &outcome->job, JobAction::kAccept).error().kind ==
        core::ErrorKind::kPermissionDenied);
}

TEST_CASE("finished jobs and unknown crews are judged before capacity") {
  const v1::WorkOrder completed = MakeJob("WO-4", "CREW-B", v1::WORK_ORDER_STATE_COMPLETED);
  auto late = ApplyDispatchChange(Change(Assigned("WO-4", "CREW-A")), &completed, Crews({Full()}));
  REQUIRE(late.ok());
  CHECK_FALSE(late->changed);
  CHECK_FALSE(late->refusal.has_value());
  auto unknown = ApplyDispatchChange(Change(Assigned("WO-4", "CREW-Z")), nullptr, Crews({Full()}));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == core::ErrorKind::kNotFound);
}

}  // namespace gridcare::repair_crew

// ---- booked visits of service applications (dispatch's appointment desk) -----------------------

namespace gridcare::repair_crew {
namespace {

/// `event`'s work order as a booked visit of application GC-A1, from `start_seconds` for 1 h.
v1::DispatchEvent AsVisit(v1::DispatchEvent event, int64_t start_seconds) {
  auto* order = event.has_work_order_assigned()
                    ? event.mutable_work_order_assigned()->mutable_work_order()
                    : event.mutable_work_order_reassigned()->mutable_work_order();
  order->clear_incident_id();
  order->set_kind(v1::WORK_ORDER_KIND_NEW_CONNECTION);
  order->mutable_application()->set_ticket_id("GC-A1");
  order->mutable_application()->set_visit(v1::VISIT_KIND_SITE_SURVEY);
  order->mutable_appointment_start()->set_seconds(start_seconds);
  order->mutable_appointment_end()->set_seconds(start_seconds + 3600);
  return event;
}

}  // namespace

TEST_CASE("booked visits are never refused and do not count against the fault job limit") {
  CHECK(IsAppointmentWorkOrderId("WO-A-GC-20261207-000001-1"));
  CHECK_FALSE(IsAppointmentWorkOrderId("WO-S-GC-20261207-000001"));
  CHECK_FALSE(IsAppointmentWorkOrderId("WO-T-GC-1"));

  // A crew at capacity with fault work still takes a booked visit.
  auto visit = ApplyDispatchChange(
      Change(AsVisit(Assigned("WO-A-GC-A1-1", "CREW-A"), 1'800'000'000)), nullptr, Crews({Full()}));
  REQUIRE(visit.ok());
  CHECK_FALSE(visit->refusal.has_value());
  CHECK(visit->job.state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(Queue(visit->crews.at("CREW-A")).size() == 4);

  // Booked visits in the queue leave room for fault jobs.
  const v1::Crew booked = Holding("CREW-A", {"WO-1", "WO-A-GC-A1-1", "WO-A-GC-A2-1", "WO-2"});
  auto fault = ApplyDispatchChange(Change(Assigned("WO-3", "CREW-A")), nullptr, Crews({booked}));
  REQUIRE(fault.ok());
  CHECK_FALSE(fault->refusal.has_value());
  auto another =
      ApplyDispatchChange(Change(Assigned("WO-4", "CREW-A")), nullptr,
                          Crews({Holding("CREW-A", {"WO-1", "WO-A-GC-A1-1", "WO-2", "WO-3"})}));
  REQUIRE(another.ok());
  REQUIRE(another->refusal.has_value());
  CHECK(another->refusal->reason() == "crew at capacity: 3 open jobs");
}

TEST_CASE("the crew's reminder of a booked visit shows on the job it holds and only there") {
  auto booked =
      ApplyDispatchChange(Change(AsVisit(Assigned("WO-A-GC-A1-1", "CREW-A"), 1'800'000'000)),
                          nullptr, Crews({MakeCrew("CREW-A")}));
  REQUIRE(booked.ok());
  v1::WorkOrder job = booked->job;
  job.set_state(v1::WORK_ORDER_STATE_ACCEPTED);
  v1::DispatchEvent reminder;
  *reminder.mutable_appointment_reminder()->mutable_work_order() = job;
  reminder.mutable_appointment_reminder()
      ->mutable_work_order()
      ->mutable_application()
      ->add_reminded("crew");
  reminder.mutable_appointment_reminder()->set_audience("crew");
  const auto change = Change(reminder);
  CHECK(change.kind == DispatchChange::Kind::kRemind);
  CHECK(change.crew_id == "CREW-A");
  const auto crews = Crews({Holding("CREW-A", {"WO-A-GC-A1-1"})});
  auto reminded = ApplyDispatchChange(change, &job, crews);
  REQUIRE(reminded.ok());
  CHECK(reminded->changed);
  CHECK(reminded->job.state() == v1::WORK_ORDER_STATE_ACCEPTED);
  REQUIRE(reminded->job.application().reminded_size() == 1);
  CHECK(reminded->job.application().reminded(0) == "crew");
  // Again: nothing new.
  auto again = ApplyDispatchChange(change, &reminded->job, crews);
  REQUIRE(again.ok());
  CHECK_FALSE(again->changed);
  // The visit moved to another crew meanwhile: the old crew's reminder changes nothing.
  v1::WorkOrder moved = job;
  moved.set_crew_id("CREW-B");
  auto stale = ApplyDispatchChange(change, &moved, Crews({Holding("CREW-B", {"WO-A-GC-A1-1"})}));
  REQUIRE(stale.ok());
  CHECK_FALSE(stale->changed);
  // The customer's reminder is not repair-crew's business.
  reminder.mutable_appointment_reminder()->set_audience("customer");
  CHECK(Change(reminder).kind == DispatchChange::Kind::kNone);
}

TEST_CASE("a booked visit moved to another time keeps the crew's progress") {
  const auto first =
      ApplyDispatchChange(Change(AsVisit(Assigned("WO-A-GC-A1-1", "CREW-A"), 1'800'000'000)),
                          nullptr, Crews({MakeCrew("CREW-A")}));
  REQUIRE(first.ok());
  v1::WorkOrder accepted = first->job;
  accepted.set_state(v1::WORK_ORDER_STATE_ACCEPTED);
  auto moved_event = AsVisit(Assigned("WO-A-GC-A1-1", "CREW-A"), 1'800'007'200);
  moved_event.mutable_work_order_assigned()
      ->mutable_work_order()
      ->mutable_application()
      ->set_booking_count(2);
  const auto moved = ApplyDispatchChange(Change(moved_event), &accepted,
                                         Crews({Holding("CREW-A", {"WO-A-GC-A1-1"})}));
  REQUIRE(moved.ok());
  CHECK(moved->changed);
  CHECK(moved->job.state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(moved->job.appointment_start().seconds() == 1'800'007'200);
  CHECK(moved->job.application().booking_count() == 2);
}

}  // namespace gridcare::repair_crew
