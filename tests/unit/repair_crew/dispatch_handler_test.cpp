// The dispatch consumer's handler: records in, queue changes and dispositions out; refusals of
// assignments to a crew at capacity saved with their JobDeclined and published.
#include "dispatch_handler.h"

#include <catch2/catch.hpp>
#include <map>

#include "crew_fixture.h"
#include "gridcare/testing/metric_lookup.h"

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

constexpr std::string_view kParentTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

/// Relays a crew's saved events through the fixture's CrewCore, as app.cpp wires it.
CrewEventRelay RelayOf(CoreFixture& f) {
  return [&f](const std::string& crew_id) {
    return f.core->Relay(crew_id, std::chrono::steady_clock::now() + 5s);
  };
}

/// One series of a counter family (FAIL when it does not exist).
double Series(prometheus::Registry& registry, const std::string& name,
              const std::map<std::string, std::string>& labels) {
  const double value = gridcare::testing::CounterValue(registry, name, labels);
  if (value < 0) FAIL("no series " << name);
  return value;
}

double DispatchChanges(CoreFixture& f, const std::string& change, const std::string& outcome) {
  return Series(f.registry, "gridcare_crew_dispatch_changes_total",
                {{"change", change}, {"outcome", outcome}});
}

int64_t Pending(CoreFixture& f, const std::string& crew_id) {
  return f.store.PendingEventCounts({crew_id}).value().at(0);
}

/// CREW-A at the default limit: WO-1, WO-2, WO-3.
void FillCrewA(CoreFixture& f) {
  for (const std::string id : {"WO-1", "WO-2", "WO-3"}) f.Give("CREW-A", id);
}

/// `event` as a dispatcher's own choice on the console.
v1::DispatchEvent ByHand(v1::DispatchEvent event) {
  event.mutable_work_order_assigned()->mutable_work_order()->set_assigned_by("DISPATCHER-7");
  return event;
}

}  // namespace

TEST_CASE("assigned, reassigned, cancelled: the queues follow dispatch") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics);

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
  DispatchHandler handler(f.store, f.clock, &f.metrics);
  REQUIRE(handler.Handle(Message(Assigned("WO-1", "CREW-A"))).disposition == Disposition::kDone);
  const int commits = f.store.commits();
  REQUIRE(handler.Handle(Message(Assigned("WO-1", "CREW-A"))).disposition == Disposition::kDone);
  CHECK(f.store.commits() == commits);
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 1);
}

TEST_CASE("poison is dead-lettered with a reason, the handler never throws") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics);
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
  DispatchHandler handler(f.store, f.clock, &f.metrics);
  v1::DispatchEvent alarm;
  alarm.mutable_clock_alarm()->set_work_order_id("WO-1");
  CHECK(handler.Handle(Message(alarm)).disposition == Disposition::kDone);
  CHECK(handler.Handle(Message(v1::DispatchEvent())).disposition == Disposition::kDone);
  CHECK(f.store.commits() == 0);
}

TEST_CASE("Redis down is retried, not dead-lettered") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics);
  f.store.FailNextCalls(1);
  auto result = handler.Handle(Message(Assigned("WO-1", "CREW-A")));
  CHECK(result.disposition == Disposition::kRetry);
  CHECK(result.reason == "redis_error");
  CHECK(handler.Handle(Message(Assigned("WO-1", "CREW-A"))).disposition == Disposition::kDone);
}

TEST_CASE("a crew app command racing the consumer: the consumer decides again") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics);
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

// --- Refusing a busy crew's further assignment ---------------------------------------------

TEST_CASE("the refusal's event id is derived from the dispatch event and the crew") {
  CHECK(RefusalEventId("d-4", "CREW-A") == RefusalEventId("d-4", "CREW-A"));
  CHECK(RefusalEventId("d-4", "CREW-A") != RefusalEventId("d-5", "CREW-A"));
  CHECK(RefusalEventId("d-4", "CREW-A") != RefusalEventId("d-4", "CREW-B"));
  CHECK(RefusalEventId("d-4", "CREW-A").size() == 36);  // UUID-formatted, like other derived ids
}

TEST_CASE("a crew at capacity refuses an automatic assignment: JobDeclined saved and published") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics, {}, RelayOf(f));
  for (const std::string id : {"WO-1", "WO-2", "WO-3"}) {
    REQUIRE(handler.Handle(Message(Assigned(id, "CREW-A"), "d-" + id)).disposition ==
            Disposition::kDone);
  }
  CHECK(f.publisher.records().empty());  // taken: dispatch already knows

  auto message = Message(Assigned("WO-4", "CREW-A"), "d-4");
  message.headers.emplace_back("traceparent", std::string(kParentTrace));
  REQUIRE(handler.Handle(message).disposition == Disposition::kDone);

  const v1::WorkOrder job = f.Job("WO-4");
  CHECK(job.state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(job.crew_id() == "CREW-A");
  const v1::Crew crew = f.Crew("CREW-A");
  CHECK(std::vector<std::string>(crew.work_order_ids().begin(), crew.work_order_ids().end()) ==
        std::vector<std::string>{"WO-1", "WO-2", "WO-3"});
  CHECK(f.store.JobSet("CREW-A") == std::set<std::string>{"WO-1", "WO-2", "WO-3"});
  v1::ListCrewJobsRequest list;
  list.set_crew_id("CREW-A");
  CHECK(f.core->ListJobs(list).value().work_orders_size() == 3);

  // Saved with the change and published at once: Kafka acknowledged it, the outbox is empty.
  const auto records = f.publisher.records();
  REQUIRE(records.size() == 1);
  const auto& record = records[0];
  CHECK(record.topic == kafka::kCrewTopic);
  CHECK(record.key == "CREW-A");
  CHECK(CoreFixture::Header(record, "ce_id") == RefusalEventId("d-4", "CREW-A"));
  CHECK(CoreFixture::Header(record, "ce_type") == "gridcare.crew.job_declined.v1");
  CHECK(CoreFixture::Header(record, "ce_source") == "/gridcare/repair-crew");
  CHECK(CoreFixture::Header(record, "ce_subject") == "WO-4");
  CHECK(CoreFixture::Header(record, "ce_specversion") == "1.0");
  CHECK(CoreFixture::Header(record, "content-type") == "application/protobuf");
  CHECK_FALSE(CoreFixture::Header(record, "ce_time").empty());
  const std::string traceparent = CoreFixture::Header(record, "traceparent");
  CHECK(traceparent.substr(0, 36) == kParentTrace.substr(0, 36));  // the same trace
  CHECK(traceparent != kParentTrace);                              // a span of its own
  const auto declined = CoreFixture::EventOf(record).job_declined();
  CHECK(declined.crew_id() == "CREW-A");
  CHECK(declined.work_order_id() == "WO-4");
  CHECK(declined.reason() == "crew at capacity: 3 open jobs");
  CHECK(Pending(f, "CREW-A") == 0);

  CHECK(DispatchChanges(f, "assigned", "refused") == 1);
  CHECK(DispatchChanges(f, "assigned", "applied") == 3);
  CHECK(f.metrics_value("gridcare_crew_events_relayed_total") == 0);  // its own, not relayed
}

TEST_CASE("without an immediate relay the background relay publishes a saved refusal") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics);
  FillCrewA(f);
  REQUIRE(handler.Handle(Message(Assigned("WO-4", "CREW-A"), "d-4")).disposition ==
          Disposition::kDone);
  CHECK(f.publisher.records().empty());
  CHECK(Pending(f, "CREW-A") == 1);
  // What app.cpp's "event-relay" task runs every --relay-interval.
  REQUIRE(f.core->RelayAll(std::chrono::steady_clock::now() + 5s).value() == 1);
  REQUIRE(f.publisher.records().size() == 1);
  CHECK(CoreFixture::Header(f.publisher.records()[0], "ce_id") == RefusalEventId("d-4", "CREW-A"));
  CHECK(CoreFixture::Header(f.publisher.records()[0], "traceparent").size() == 55);  // a new trace
  CHECK(Pending(f, "CREW-A") == 0);
}

TEST_CASE("Kafka down when refusing: the refusal stays saved and goes out later") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics, {}, RelayOf(f));
  FillCrewA(f);
  f.publisher.FailNext(1);
  // Done all the same: the refusal is durable in the outbox; retrying the record would only
  // find it already decided.
  REQUIRE(handler.Handle(Message(Assigned("WO-4", "CREW-A"), "d-4")).disposition ==
          Disposition::kDone);
  CHECK(f.Job("WO-4").state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(f.publisher.records().empty());
  CHECK(Pending(f, "CREW-A") == 1);
  CHECK(f.metrics_value("gridcare_crew_event_delivery_failures_total") == 1);

  // The record redelivered meanwhile saves nothing more.
  REQUIRE(handler.Handle(Message(Assigned("WO-4", "CREW-A"), "d-4")).disposition ==
          Disposition::kDone);
  CHECK(Pending(f, "CREW-A") == 1);

  REQUIRE(f.core->RelayAll(std::chrono::steady_clock::now() + 5s).value() == 1);
  REQUIRE(f.publisher.records().size() == 1);
  CHECK(CoreFixture::Header(f.publisher.records()[0], "ce_id") == RefusalEventId("d-4", "CREW-A"));
}

TEST_CASE("a redelivered refused assignment publishes nothing new") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics, {}, RelayOf(f));
  FillCrewA(f);
  REQUIRE(handler.Handle(Message(Assigned("WO-4", "CREW-A"), "d-4")).disposition ==
          Disposition::kDone);
  REQUIRE(f.publisher.records().size() == 1);
  const int commits = f.store.commits();
  REQUIRE(handler.Handle(Message(Assigned("WO-4", "CREW-A"), "d-4")).disposition ==
          Disposition::kDone);
  CHECK(f.store.commits() == commits);
  CHECK(f.publisher.records().size() == 1);
  CHECK(Pending(f, "CREW-A") == 0);
  CHECK(DispatchChanges(f, "assigned", "refused") == 1);
  CHECK(DispatchChanges(f, "assigned", "unchanged") == 1);
}

TEST_CASE("a redelivered assignment refused again after its record changed repeats the event id") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics, {}, RelayOf(f));
  FillCrewA(f);
  REQUIRE(handler.Handle(Message(Assigned("WO-4", "CREW-A"), "d-4")).disposition ==
          Disposition::kDone);
  // Something rewrote the job record in between, so the redelivery decides (and saves) again.
  v1::WorkOrder job = f.Job("WO-4");
  job.set_reassignment_count(7);
  f.store.PutJob(job);
  f.clock.Advance(1min);
  REQUIRE(handler.Handle(Message(Assigned("WO-4", "CREW-A"), "d-4")).disposition ==
          Disposition::kDone);
  const auto records = f.publisher.records();
  REQUIRE(records.size() == 2);
  // The same id: dispatch, which de-duplicates its inputs by ce_id, drops the copy.
  CHECK(CoreFixture::Header(records[0], "ce_id") == CoreFixture::Header(records[1], "ce_id"));
  CHECK(CoreFixture::EventOf(records[1]).job_declined().SerializeAsString() ==
        CoreFixture::EventOf(records[0]).job_declined().SerializeAsString());
}

TEST_CASE("the job a crew already holds is not refused when its assignment is redelivered") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics, {}, RelayOf(f));
  f.Give("CREW-A", "WO-1");
  f.Give("CREW-A", "WO-2");
  f.Give("CREW-A", "WO-3", v1::WORK_ORDER_STATE_ACCEPTED);
  REQUIRE(handler.Handle(Message(Assigned("WO-3", "CREW-A"), "d-3")).disposition ==
          Disposition::kDone);
  CHECK(f.store.commits() == 0);
  CHECK(f.Job("WO-3").state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 3);
  CHECK(f.publisher.records().empty());
  CHECK(DispatchChanges(f, "assigned", "refused") == 0);
}

TEST_CASE("a dispatcher's choice is taken by a crew at capacity") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics, {}, RelayOf(f));
  FillCrewA(f);
  REQUIRE(handler.Handle(Message(ByHand(Assigned("WO-4", "CREW-A")), "d-4")).disposition ==
          Disposition::kDone);
  CHECK(f.Job("WO-4").state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 4);
  CHECK(f.publisher.records().empty());
  // And with four, the next automatic one is refused all the more.
  REQUIRE(handler.Handle(Message(Assigned("WO-5", "CREW-A"), "d-5")).disposition ==
          Disposition::kDone);
  REQUIRE(f.publisher.records().size() == 1);
  CHECK(CoreFixture::EventOf(f.publisher.records()[0]).job_declined().reason() ==
        "crew at capacity: 4 open jobs");
}

TEST_CASE("a refused reassignment frees the previous crew and dispatch's next choice is taken") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics, {}, RelayOf(f));
  FillCrewA(f);
  f.Give("CREW-B", "WO-9", v1::WORK_ORDER_STATE_ACCEPTED);
  REQUIRE(handler.Handle(Message(Reassigned("WO-9", "CREW-B", "CREW-A"), "d-9")).disposition ==
          Disposition::kDone);
  CHECK(f.Job("WO-9").state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(f.Job("WO-9").crew_id() == "CREW-A");
  CHECK(f.Crew("CREW-B").work_order_ids_size() == 0);
  CHECK(f.Crew("CREW-B").availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  CHECK(f.store.JobSet("CREW-B").empty());
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 3);
  REQUIRE(f.publisher.records().size() == 1);
  CHECK(f.publisher.records()[0].key == "CREW-A");
  CHECK(CoreFixture::EventOf(f.publisher.records()[0]).job_declined().work_order_id() == "WO-9");
  CHECK(DispatchChanges(f, "reassigned", "refused") == 1);

  // Neither crew's app may move it now.
  CHECK(f.core
            ->Act(JobAction::kStartTravel, CoreFixture::JobRequest("CREW-B", "WO-9"),
                  CoreFixture::Call())
            .error()
            .kind == core::ErrorKind::kPermissionDenied);
  CHECK(
      f.core
          ->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-9"), CoreFixture::Call())
          .error()
          .kind == core::ErrorKind::kFailedPrecondition);

  // Dispatch reassigns it to another crew, which takes it.
  REQUIRE(handler.Handle(Message(Reassigned("WO-9", "CREW-A", "CREW-C"), "d-10")).disposition ==
          Disposition::kDone);
  CHECK(f.Job("WO-9").state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(f.Job("WO-9").crew_id() == "CREW-C");
  CHECK(f.store.JobSet("CREW-C") == std::set<std::string>{"WO-9"});
  CHECK(f.publisher.records().size() == 1);
}

TEST_CASE("the limit is the handler's setting") {
  CoreFixture f;
  DispatchHandler handler(f.store, f.clock, &f.metrics, {.limits = {.max_jobs_per_crew = 1}},
                          RelayOf(f));
  REQUIRE(handler.Handle(Message(Assigned("WO-1", "CREW-A"), "d-1")).disposition ==
          Disposition::kDone);
  REQUIRE(handler.Handle(Message(Assigned("WO-2", "CREW-A"), "d-2")).disposition ==
          Disposition::kDone);
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 1);
  REQUIRE(f.publisher.records().size() == 1);
  CHECK(CoreFixture::EventOf(f.publisher.records()[0]).job_declined().reason() ==
        "crew at capacity: 1 open job");
}

}  // namespace gridcare::repair_crew
