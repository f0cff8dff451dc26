// The dispatch consumer's handler: records in, queue changes and dispositions out.
#include "dispatch_handler.h"

#include <catch2/catch.hpp>

#include "crew_fixture.h"

namespace gridcare::repair_crew {
namespace {

using namespace std::chrono_literals;

using testing::Assigned;
using testing::Cancelled;
using testing::CoreFixture;
using testing::Reassigned;

kafka::ConsumedMessage Message(const v1::DispatchEvent& event, const std::string& id = "d-1") {
  kafka::ConsumedMessage message;
  message.topic = std::string(kafka::kDispatchTopic);
  message.key = "INC-1";
  message.value = event.SerializeAsString();
  message.headers = {{"ce_id", id}, {"ce_type", "gridcare.work_order.assigned.v1"}};
  return message;
}

using Disposition = kafka::HandleResult::Disposition;

}  // namespace

TEST_CASE("assigned, reassigned, cancelled: the queues follow dispatch") {
  CoreFixture f;
  DispatchHandler handler(f.store, &f.metrics);

  auto result = handler.Handle(Message(Assigned("WO-1", "CREW-A")));
  REQUIRE(result.disposition == Disposition::kDone);
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 1);
  CHECK(f.Crew("CREW-A").availability() == v1::CREW_AVAILABILITY_BUSY);
  CHECK(f.store.JobSet("CREW-A") == std::set<std::string>{"WO-1"});

  // The crew app sees it.
  v1::ListCrewJobsRequest list;
  list.set_crew_id("CREW-A");
  CHECK(f.core->ListJobs(list).value().work_orders_size() == 1);

  REQUIRE(handler.Handle(Message(Reassigned("WO-1", "CREW-A", "CREW-B"))).disposition ==
          Disposition::kDone);
  CHECK(f.Job("WO-1").crew_id() == "CREW-B");
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 0);
  CHECK(f.Crew("CREW-A").availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  CHECK(f.Crew("CREW-B").work_order_ids_size() == 1);
  CHECK(f.store.JobSet("CREW-A").empty());
  CHECK(f.store.JobSet("CREW-B") == std::set<std::string>{"WO-1"});

  REQUIRE(handler.Handle(Message(Cancelled("WO-1", "CREW-B"))).disposition == Disposition::kDone);
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_CANCELLED);
  CHECK(f.Crew("CREW-B").work_order_ids_size() == 0);
  CHECK(f.store.JobSet("CREW-B").empty());
  CHECK(f.metrics_value("gridcare_crew_dispatch_changes_total") == 3);
  CHECK(f.publisher.records().empty());  // dispatch already knows what it decided
}

TEST_CASE("a redelivered event changes nothing") {
  CoreFixture f;
  DispatchHandler handler(f.store, &f.metrics);
  REQUIRE(handler.Handle(Message(Assigned("WO-1", "CREW-A"))).disposition == Disposition::kDone);
  const int commits = f.store.commits();
  REQUIRE(handler.Handle(Message(Assigned("WO-1", "CREW-A"))).disposition == Disposition::kDone);
  CHECK(f.store.commits() == commits);
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 1);
}

TEST_CASE("poison is dead-lettered with a reason, the handler never throws") {
  CoreFixture f;
  DispatchHandler handler(f.store, &f.metrics);
  auto message = Message(Assigned("WO-1", "CREW-A"));
  message.value = "\xff\xff\xff garbage";
  auto result = handler.Handle(message);
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "malformed_protobuf");

  result = handler.Handle(Message(Assigned("WO-1", "CREW-Z")));
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "unknown_crew");
  CHECK_THAT(result.detail, Catch::Contains("CREW-Z"));

  result = handler.Handle(Message(Assigned("", "CREW-A")));
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "invalid_event");

  message = Message(Assigned("WO-1", "CREW-A"));
  message.topic = "gridcare.intake.v1";
  CHECK(handler.Handle(message).reason == "unexpected_topic");
  CHECK(f.store.commits() == 0);
}

TEST_CASE("events about incidents, clocks and outages are skipped") {
  CoreFixture f;
  DispatchHandler handler(f.store, &f.metrics);
  v1::DispatchEvent alarm;
  alarm.mutable_clock_alarm()->set_work_order_id("WO-1");
  CHECK(handler.Handle(Message(alarm)).disposition == Disposition::kDone);
  CHECK(handler.Handle(Message(v1::DispatchEvent())).disposition == Disposition::kDone);
  CHECK(f.store.commits() == 0);
}

TEST_CASE("Redis down is retried, not dead-lettered") {
  CoreFixture f;
  DispatchHandler handler(f.store, &f.metrics);
  f.store.FailNextCalls(1);
  auto result = handler.Handle(Message(Assigned("WO-1", "CREW-A")));
  CHECK(result.disposition == Disposition::kRetry);
  CHECK(result.reason == "redis_error");
  CHECK(handler.Handle(Message(Assigned("WO-1", "CREW-A"))).disposition == Disposition::kDone);
}

TEST_CASE("a crew app command racing the consumer: the consumer decides again") {
  CoreFixture f;
  DispatchHandler handler(f.store, &f.metrics);
  REQUIRE(handler.Handle(Message(Assigned("WO-1", "CREW-A"))).disposition == Disposition::kDone);
  // CREW-A accepts WO-1 between the consumer's read and its write of a second assignment.
  f.store.InterfereWithNextCommits(1, [](InMemoryCrewStore& store) {
    auto job = store.GetJob("WO-1").value()->value;
    job.set_state(v1::WORK_ORDER_STATE_ACCEPTED);
    store.PutJob(job);
    auto crew = store.GetCrew("CREW-A").value()->value;
    crew.mutable_position()->set_latitude(23.5);
    store.PutCrew(crew);
  });
  REQUIRE(handler.Handle(Message(Assigned("WO-2", "CREW-A"))).disposition == Disposition::kDone);
  const v1::Crew crew = f.Crew("CREW-A");
  CHECK(crew.work_order_ids_size() == 2);
  CHECK(crew.position().latitude() == 23.5);  // the app's write survived
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(f.metrics_value("gridcare_crew_store_conflicts_total") == 1);
}

}  // namespace gridcare::repair_crew
