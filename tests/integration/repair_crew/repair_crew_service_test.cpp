// The real repair-crew binary against a real redis-server and devbroker: dispatch events in, the
// crew app's commands over gRPC, crew events out, dead letters, and a restart.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "crew_stack.h"
#include "dispatch_handler.h"
#include "gridcare/redis/client.h"
#include "gridcare/testing/run_program.h"
#include "redis_crew_store.h"

namespace gridcare::repair_crew::testing {
namespace {

CrewStack& TheStack() {
  static CrewStack stack;
  return stack;
}

std::set<std::string> Ids(const std::vector<kafka::ConsumedMessage>& messages) {
  std::set<std::string> ids;
  for (const auto& m : messages) ids.emplace(*m.Header("ce_id"));
  return ids;
}

}  // namespace

TEST_CASE("an assigned job shows in ListJobs, another crew is PERMISSION_DENIED") {
  auto& stack = TheStack();
  const std::string crew = stack.crew(0);
  stack.Assign("WO-IT-1", crew);
  REQUIRE(WaitUntil([&] { return stack.Holds(crew, "WO-IT-1"); }, 30s));
  const auto record = stack.GetCrew(crew);
  CHECK(record.availability() == v1::CREW_AVAILABILITY_BUSY);
  REQUIRE(record.work_order_ids_size() == 1);
  CHECK(record.work_order_ids(0) == "WO-IT-1");
  const auto jobs = stack.Jobs(crew);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(jobs[0].crew_id() == crew);

  auto denied = stack.Act("accept", stack.crew(1), "WO-IT-1");
  CHECK(denied.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK_THAT(denied.error_message(), Catch::Contains("WO-IT-1"));
  CHECK(stack.Act("accept", "CREW-NOPE", "WO-IT-1").error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(stack.Act("accept", crew, "WO-NOPE").error_code() == grpc::StatusCode::NOT_FOUND);
  auto invalid = stack.Act("accept", "", "WO-IT-1");
  CHECK(invalid.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(invalid.error_message(), Catch::StartsWith("crew_id:"));
  auto too_early = stack.Act("arrive", crew, "WO-IT-1");
  CHECK(too_early.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK_THAT(too_early.error_message(), Catch::Contains("ASSIGNED"));
  CHECK(stack.CrewEvents("WO-IT-1").empty());
}

TEST_CASE(
    "accept, en route, on site, complete: each publishes its event, a repeat publishes nothing") {
  auto& stack = TheStack();
  const std::string crew = stack.crew(1);
  stack.Assign("WO-IT-2", crew);
  REQUIRE(WaitUntil([&] { return stack.Holds(crew, "WO-IT-2"); }, 30s));

  const std::vector<std::pair<std::string, std::string>> steps = {
      {"accept", "gridcare.crew.job_accepted.v1"},
      {"travel", "gridcare.crew.travel_started.v1"},
      {"arrive", "gridcare.crew.arrived_on_site.v1"}};
  std::vector<std::string> expected;
  for (const auto& [method, type] : steps) {
    v1::CrewJobResponse response;
    auto status = stack.Act(method, crew, "WO-IT-2", &response);
    INFO(method << ": " << status.error_message());
    REQUIRE(status.ok());
    expected.push_back(type);
    // OK means acknowledged by the broker: the reader sees it shortly.
    REQUIRE(WaitUntil([&] { return stack.CrewEventTypes("WO-IT-2") == expected; }, 20s));
  }
  v1::CrewJobResponse done;
  REQUIRE(stack.Complete(crew, "WO-IT-2", "FUSE_BLOWN", &done).ok());
  CHECK(done.work_order().state() == v1::WORK_ORDER_STATE_COMPLETED);
  expected.push_back("gridcare.crew.job_completed.v1");
  REQUIRE(WaitUntil([&] { return stack.CrewEventTypes("WO-IT-2") == expected; }, 20s));

  const auto events = stack.CrewEvents("WO-IT-2");
  for (const auto& m : events) {
    CHECK(m.key == crew);
    CHECK(m.Header("ce_source") == "/gridcare/repair-crew");
    CHECK(m.Header("content-type") == "application/protobuf");
  }
  v1::CrewEvent completed;
  REQUIRE(completed.ParseFromString(events.back().value));
  CHECK(completed.job_completed().cause().zh_cn() == "熔断器熔断");
  CHECK(completed.job_completed().cause().en() == "Blown fuse");
  CHECK(completed.job_completed().restored());

  // The app retries the completion (its answer was lost): OK, nothing new published.
  REQUIRE(stack.Complete(crew, "WO-IT-2", "FUSE_BLOWN").ok());
  REQUIRE(stack.Act("arrive", crew, "WO-IT-2").error_code() ==
          grpc::StatusCode::FAILED_PRECONDITION);
  std::this_thread::sleep_for(1500ms);
  CHECK(stack.CrewEvents("WO-IT-2").size() == 4);
  CHECK(Ids(stack.CrewEvents("WO-IT-2")).size() == 4);

  const auto record = stack.GetCrew(crew);
  CHECK(record.availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  CHECK(record.work_order_ids_size() == 0);
  CHECK(stack.Jobs(crew).empty());
}

TEST_CASE("a reassignment moves the job, a cancellation removes it") {
  auto& stack = TheStack();
  const std::string first = stack.crew(2);
  const std::string second = stack.crew(3);
  stack.Assign("WO-IT-3", first);
  REQUIRE(WaitUntil([&] { return stack.Holds(first, "WO-IT-3"); }, 30s));
  REQUIRE(stack.Act("accept", first, "WO-IT-3").ok());

  v1::DispatchEvent reassigned;
  auto* moved = reassigned.mutable_work_order_reassigned();
  moved->mutable_work_order()->set_work_order_id("WO-IT-3");
  moved->mutable_work_order()->set_reassignment_count(1);
  moved->set_previous_crew_id(first);
  moved->set_crew_id(second);
  moved->set_reason("by dispatcher");
  stack.PublishDispatch("reassign-WO-IT-3", "gridcare.work_order.reassigned.v1", reassigned,
                        "WO-IT-3");
  REQUIRE(WaitUntil([&] { return stack.Holds(second, "WO-IT-3"); }, 30s));
  CHECK_FALSE(stack.Holds(first, "WO-IT-3"));
  CHECK(stack.GetCrew(first).availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  CHECK(stack.Jobs(second).front().state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(stack.Act("travel", first, "WO-IT-3").error_code() == grpc::StatusCode::PERMISSION_DENIED);

  v1::DispatchEvent cancelled;
  auto* cancel = cancelled.mutable_work_order_cancelled();
  cancel->mutable_work_order()->set_work_order_id("WO-IT-3");
  cancel->mutable_work_order()->set_state(v1::WORK_ORDER_STATE_CANCELLED);
  cancel->set_crew_id(second);
  cancel->set_reason("merged into incident INC-T-9");
  stack.PublishDispatch("cancel-WO-IT-3", "gridcare.work_order.cancelled.v1", cancelled, "WO-IT-3");
  REQUIRE(WaitUntil([&] { return !stack.Holds(second, "WO-IT-3"); }, 30s));
  CHECK(stack.GetCrew(second).work_order_ids_size() == 0);
  CHECK(stack.GetCrew(second).availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  auto refused = stack.Act("accept", second, "WO-IT-3");
  CHECK(refused.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK_THAT(refused.error_message(), Catch::Contains("CANCELLED"));
}

TEST_CASE("a malformed dispatch record goes to the dead-letter topic, the next one is processed") {
  auto& stack = TheStack();
  const std::string crew = stack.crew(4);
  stack.PublishRaw({std::string(kafka::kDispatchTopic),
                    "WO-IT-BAD",
                    "\x0a\xff\xff\xff garbage",
                    {{"ce_id", "bad-dispatch-1"},
                     {"ce_type", "gridcare.work_order.assigned.v1"},
                     {"ce_source", "/gridcare/dispatch"}}});
  stack.Assign("WO-IT-4", crew);
  REQUIRE(WaitUntil(
      [&] {
        return !stack.reader
                    ->Matching([](const kafka::ConsumedMessage& m) {
                      return m.topic == kafka::DeadLetterTopic("repair-crew") &&
                             m.Header("ce_id") == "bad-dispatch-1" &&
                             m.Header(kafka::kDeadLetterReason) == "malformed_protobuf";
                    })
                    .empty();
      },
      30s));
  CHECK(WaitUntil([&] { return stack.Holds(crew, "WO-IT-4"); }, 30s));

  // A crew that is not on the roster: parked too, with its own reason.
  stack.Assign("WO-IT-4B", "CREW-NOT-ON-ROSTER");
  CHECK(WaitUntil(
      [&] {
        return !stack.reader
                    ->Matching([](const kafka::ConsumedMessage& m) {
                      return m.topic == kafka::DeadLetterTopic("repair-crew") &&
                             m.Header(kafka::kDeadLetterReason) == "unknown_crew";
                    })
                    .empty();
      },
      30s));
}

TEST_CASE("position and availability reports publish their events") {
  auto& stack = TheStack();
  const std::string crew = stack.crew(5);
  {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    v1::ReportLocationRequest request;
    request.mutable_report()->set_crew_id(crew);
    request.mutable_report()->mutable_position()->set_latitude(23.201);
    request.mutable_report()->mutable_position()->set_longitude(113.302);
    request.mutable_report()->set_speed_kmh(28);
    v1::ReportLocationResponse response;
    REQUIRE(stack.stub->ReportLocation(&context, request, &response).ok());
  }
  CHECK(stack.GetCrew(crew).position().latitude() == 23.201);
  REQUIRE(WaitUntil(
      [&] {
        return stack.CrewEventTypes(crew) ==
               std::vector<std::string>{"gridcare.crew.location_reported.v1"};
      },
      20s));

  auto set = [&](v1::CrewAvailability availability, v1::SetAvailabilityResponse* response) {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    v1::SetAvailabilityRequest request;
    request.mutable_change()->set_crew_id(crew);
    request.mutable_change()->set_availability(availability);
    request.mutable_change()->set_reason("end of shift");
    return stack.stub->SetAvailability(&context, request, response);
  };
  v1::SetAvailabilityResponse response;
  REQUIRE(set(v1::CREW_AVAILABILITY_OFF_SHIFT, &response).ok());
  CHECK(response.crew().availability() == v1::CREW_AVAILABILITY_OFF_SHIFT);
  REQUIRE(set(v1::CREW_AVAILABILITY_OFF_SHIFT, &response).ok());  // repeat
  CHECK(set(v1::CREW_AVAILABILITY_BUSY, &response).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(set(v1::CREW_AVAILABILITY_UNREACHABLE, &response).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  REQUIRE(set(v1::CREW_AVAILABILITY_AVAILABLE, &response).ok());
  const std::vector<std::string> expected = {"gridcare.crew.location_reported.v1",
                                             "gridcare.crew.availability_changed.v1",
                                             "gridcare.crew.availability_changed.v1"};
  REQUIRE(WaitUntil([&] { return stack.CrewEventTypes(crew) == expected; }, 20s));
  std::this_thread::sleep_for(1s);
  CHECK(stack.CrewEventTypes(crew) == expected);
}

TEST_CASE("state survives a restart of the binary") {
  auto& stack = TheStack();
  const std::string crew = stack.crew(6);
  stack.Assign("WO-IT-6", crew);
  REQUIRE(WaitUntil([&] { return stack.Holds(crew, "WO-IT-6"); }, 30s));
  REQUIRE(stack.Act("accept", crew, "WO-IT-6").ok());
  {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    v1::ReportLocationRequest request;
    request.mutable_report()->set_crew_id(crew);
    request.mutable_report()->mutable_position()->set_latitude(23.31);
    request.mutable_report()->mutable_position()->set_longitude(113.41);
    v1::ReportLocationResponse response;
    REQUIRE(stack.stub->ReportLocation(&context, request, &response).ok());
  }

  REQUIRE(stack.Stop() == 0);  // SIGTERM: a clean exit
  CHECK_THAT(stack.Log(), Catch::Contains("\"msg\":\"stopped\""));
  stack.Start();
  CHECK_THAT(stack.Log(), Catch::Contains("\"new_crews\":0"));  // nobody reset to the depot

  const auto jobs = stack.Jobs(crew);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].work_order_id() == "WO-IT-6");
  CHECK(jobs[0].state() == v1::WORK_ORDER_STATE_ACCEPTED);
  const auto record = stack.GetCrew(crew);
  CHECK(record.position().latitude() == 23.31);
  CHECK(record.availability() == v1::CREW_AVAILABILITY_BUSY);
  // And the work goes on.
  REQUIRE(stack.Act("accept", crew, "WO-IT-6").ok());  // a repeat across the restart
  REQUIRE(stack.Act("travel", crew, "WO-IT-6").ok());
  REQUIRE(WaitUntil(
      [&] {
        return stack.CrewEventTypes("WO-IT-6") ==
               std::vector<std::string>{"gridcare.crew.job_accepted.v1",
                                        "gridcare.crew.travel_started.v1"};
      },
      20s));
  // The restarted consumer keeps following dispatch.
  stack.Assign("WO-IT-6B", stack.crew(7));
  CHECK(WaitUntil([&] { return stack.Holds(stack.crew(7), "WO-IT-6B"); }, 30s));
}

TEST_CASE("a fourth automatic assignment is refused with a JobDeclined on the crew topic") {
  auto& stack = TheStack();
  const std::string crew = stack.crew(8);
  for (const std::string id : {"WO-IT-CAP-1", "WO-IT-CAP-2", "WO-IT-CAP-3"}) stack.Assign(id, crew);
  REQUIRE(WaitUntil([&] { return stack.Jobs(crew).size() == 3; }, 30s));

  stack.Assign("WO-IT-CAP-4", crew);  // --max-jobs-per-crew is 3 by default
  REQUIRE(WaitUntil(
      [&] {
        return stack.CrewEventTypes("WO-IT-CAP-4") ==
               std::vector<std::string>{"gridcare.crew.job_declined.v1"};
      },
      30s));
  const auto refusal = stack.CrewEvents("WO-IT-CAP-4").front();
  CHECK(refusal.key == crew);
  CHECK(refusal.Header("ce_id") == RefusalEventId("assign-WO-IT-CAP-4-" + crew, crew));
  CHECK(refusal.Header("ce_source") == "/gridcare/repair-crew");
  v1::CrewEvent event;
  REQUIRE(event.ParseFromString(refusal.value));
  CHECK(event.job_declined().crew_id() == crew);
  CHECK(event.job_declined().reason() == "crew at capacity: 3 open jobs");
  CHECK(stack.Jobs(crew).size() == 3);
  CHECK_FALSE(stack.Holds(crew, "WO-IT-CAP-4"));
  CHECK(stack.Act("accept", crew, "WO-IT-CAP-4").error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);

  // Redelivered: nothing new on the crew topic.
  stack.Assign("WO-IT-CAP-4", crew);
  // A dispatcher's own choice is taken all the same.
  stack.Assign("WO-IT-CAP-5", crew, nullptr, "DISPATCHER-7");
  REQUIRE(WaitUntil([&] { return stack.Holds(crew, "WO-IT-CAP-5"); }, 30s));
  CHECK(stack.Jobs(crew).size() == 4);
  std::this_thread::sleep_for(1500ms);
  CHECK(stack.CrewEvents("WO-IT-CAP-4").size() == 1);
  CHECK(stack.CrewEvents("WO-IT-CAP-5").empty());

  // Dispatch reassigns the refused job to another crew, which takes it.
  const std::string other = stack.crew(9);
  v1::DispatchEvent reassigned;
  auto* moved = reassigned.mutable_work_order_reassigned();
  moved->mutable_work_order()->set_work_order_id("WO-IT-CAP-4");
  moved->mutable_work_order()->set_reassignment_count(1);
  moved->set_previous_crew_id(crew);
  moved->set_crew_id(other);
  moved->set_reason("declined");
  stack.PublishDispatch("reassign-WO-IT-CAP-4", "gridcare.work_order.reassigned.v1", reassigned,
                        "WO-IT-CAP-4");
  CHECK(WaitUntil([&] { return stack.Holds(other, "WO-IT-CAP-4"); }, 30s));
}

TEST_CASE("a max-jobs-per-crew below 1 stops start-up with exit code 2") {
  for (const std::string bad : {"0", "-1"}) {
    const auto run = gridcare::testing::RunProgram(gridcare::testing::ProgramPath("repair-crew"),
                                                   {"--max-jobs-per-crew=" + bad}, 20s);
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("--max-jobs-per-crew"));
    CHECK_THAT(run.err, Catch::Contains("GRIDCARE_MAX_JOBS_PER_CREW"));
  }
}

TEST_CASE("the Redis store compares and writes atomically, keeps job sets and expires old jobs") {
  auto& stack = TheStack();
  auto client = redis::RedisClient::Create(
      {"127.0.0.1", stack.redis.port(), "", 0, 500ms, 5000ms, 2, 2000ms});
  REQUIRE(client.ok());
  RedisCrewStore store(**client, std::chrono::hours(1));
  v1::Crew crew;
  crew.set_crew_id("STORE-TEST-1");
  crew.set_availability(v1::CREW_AVAILABILITY_AVAILABLE);
  REQUIRE(store.SeedCrews({crew}).value() == 1);
  REQUIRE(store.SeedCrews({crew}).value() == 0);
  auto stored = store.GetCrew("STORE-TEST-1").value();
  REQUIRE(stored.has_value());

  CrewCommit commit;
  v1::Crew busy = stored->value;
  busy.add_work_order_ids("WO-STORE-1");
  busy.add_work_order_ids("WO-STORE-2");
  busy.set_availability(v1::CREW_AVAILABILITY_BUSY);
  commit.crews.push_back({busy, stored->bytes});
  v1::WorkOrder job;
  job.set_work_order_id("WO-STORE-1");
  job.set_crew_id("STORE-TEST-1");
  job.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  commit.job = CrewCommit::JobWrite{job, std::nullopt};
  OutboxEntry entry;
  entry.record = {"gridcare.crew.v1", "STORE-TEST-1", "payload", {{"ce_id", "x"}}};
  entry.saved_at = std::chrono::system_clock::now();
  commit.events.push_back(entry);
  REQUIRE(store.Commit(commit).value());
  CHECK_FALSE(store.Commit(commit).value());  // the records are no longer as read: nothing written
  CHECK(store.PendingEventCounts({"STORE-TEST-1"}).value() == std::vector<int64_t>{1});
  auto members = (*client)->SMembers(CrewJobsKey("STORE-TEST-1")).value();
  CHECK(std::set<std::string>(members.begin(), members.end()) ==
        std::set<std::string>{"WO-STORE-1", "WO-STORE-2"});

  // Finish the job: the crew lets go of it, the set follows, the record expires.
  auto now_crew = store.GetCrew("STORE-TEST-1").value();
  auto now_job = store.GetJob("WO-STORE-1").value();
  REQUIRE(now_job.has_value());
  v1::Crew freed = now_crew->value;
  freed.clear_work_order_ids();
  freed.add_work_order_ids("WO-STORE-2");
  v1::WorkOrder finished = now_job->value;
  finished.set_state(v1::WORK_ORDER_STATE_COMPLETED);
  CrewCommit finish;
  finish.crews.push_back({freed, now_crew->bytes});
  finish.job = CrewCommit::JobWrite{finished, now_job->bytes};
  REQUIRE(store.Commit(finish).value());
  members = (*client)->SMembers(CrewJobsKey("STORE-TEST-1")).value();
  CHECK(members == std::vector<std::string>{"WO-STORE-2"});
  auto ttl = (*client)->Command({"PTTL", JobKey("WO-STORE-1")});
  REQUIRE(ttl.ok());
  CHECK(ttl->integer() > 0);
  CHECK(ttl->integer() <= 3'600'000);
  CHECK((*client)->Command({"PTTL", CrewKey("STORE-TEST-1")})->integer() == -1);

  const auto pending = store.PendingEvents("STORE-TEST-1", 10).value();
  REQUIRE(pending.size() == 1);
  CHECK(DecodeOutboxEntry(pending[0])->record.value == "payload");
  REQUIRE(store.RemovePendingEvent("STORE-TEST-1", pending[0]).ok());
  REQUIRE(store.RemovePendingEvent("STORE-TEST-1", pending[0]).ok());  // already gone: fine
  CHECK(store.PendingEventCounts({"STORE-TEST-1"}).value() == std::vector<int64_t>{0});
  CHECK(store.GetJobs({"WO-STORE-1", "WO-NOPE"}).value().size() == 1);
  CHECK(store.GetCrews({"STORE-TEST-1", "NOPE"}).value().size() == 1);
}

}  // namespace gridcare::repair_crew::testing
