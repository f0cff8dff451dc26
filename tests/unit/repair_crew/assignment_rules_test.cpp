// Dispatch's decisions reaching the crews' queues: assignment, reassignment, cancellation,
// redelivery and late events.
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

}  // namespace gridcare::repair_crew
