// CrewCore over in-memory collaborators: what each command saves and publishes, repeats, ownership,
// broker and Redis failures, deadlines, concurrent writers, and the queries.
#include <catch2/catch.hpp>
#include <set>

#include "crew_fixture.h"
#include "outbox.h"

namespace gridcare::repair_crew {
namespace {

using namespace std::chrono_literals;

using testing::CoreFixture;

v1::CompleteJobRequest Completion(const std::string& crew_id, const std::string& work_order_id,
                                  const std::string& cause = "TREE_CONTACT") {
  v1::CompleteJobRequest request;
  auto* report = request.mutable_report();
  report->set_crew_id(crew_id);
  report->set_work_order_id(work_order_id);
  report->set_restored(true);
  report->set_cause_code(cause);
  report->set_fix_code("TREE_TRIMMED");
  report->set_notes("树枝搭在 10kV 线上，已修剪");
  report->add_photos()->set_uri("s3://gridcare-photos/WO-1/1.jpg");
  return request;
}

v1::ReportLocationRequest Location(const std::string& crew_id, double latitude, double longitude) {
  v1::ReportLocationRequest request;
  request.mutable_report()->set_crew_id(crew_id);
  *request.mutable_report()->mutable_position() = testing::Point(latitude, longitude);
  request.mutable_report()->set_speed_kmh(32.5);
  return request;
}

v1::SetAvailabilityRequest Availability(const std::string& crew_id,
                                        v1::CrewAvailability availability) {
  v1::SetAvailabilityRequest request;
  request.mutable_change()->set_crew_id(crew_id);
  request.mutable_change()->set_availability(availability);
  request.mutable_change()->set_reason("end of shift");
  return request;
}

std::set<std::string> EventIds(const std::vector<kafka::OutgoingRecord>& records) {
  std::set<std::string> ids;
  for (const auto& record : records) ids.insert(CoreFixture::Header(record, "ce_id"));
  return ids;
}

}  // namespace

TEST_CASE("accepting a job saves it, publishes job_accepted and answers with the job") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  auto accepted = f.core->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-1"),
                              CoreFixture::Call());
  REQUIRE(accepted.ok());
  CHECK(accepted->work_order().state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ACCEPTED);

  const auto records = f.publisher.records();
  REQUIRE(records.size() == 1);
  const auto& record = records[0];
  CHECK(record.topic == "gridcare.crew.v1");
  CHECK(record.key == "CREW-A");
  CHECK(CoreFixture::Header(record, "ce_type") == "gridcare.crew.job_accepted.v1");
  CHECK(CoreFixture::Header(record, "ce_subject") == "WO-1");
  CHECK(CoreFixture::Header(record, "ce_source") == "/gridcare/repair-crew");
  CHECK(CoreFixture::Header(record, "ce_id") == "evt-000001");
  CHECK(CoreFixture::Header(record, "content-type") == "application/protobuf");
  CHECK(CoreFixture::Header(record, "ce_time") == "2026-11-24T02:00:00.000Z");
  auto metadata = kafka::ParseMetadata(record.headers);
  REQUIRE(metadata.ok());
  const auto event = CoreFixture::EventOf(record);
  REQUIRE(event.has_job_accepted());
  CHECK(event.job_accepted().crew_id() == "CREW-A");
  CHECK(event.job_accepted().work_order_id() == "WO-1");
  // Saved and acknowledged: nothing left in the outbox.
  CHECK(f.store.PendingEventCounts({"CREW-A"}).value() == std::vector<int64_t>{0});
}

TEST_CASE("a whole job: each step publishes its event in order and the crew is free at the end") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  auto request = CoreFixture::JobRequest("CREW-A", "WO-1");
  REQUIRE(f.core->Act(JobAction::kAccept, request, CoreFixture::Call()).ok());
  f.clock.Advance(1min);
  request.mutable_estimate()->set_seconds(core::ToUnixMillis(f.clock.Now() + 20min) / 1000);
  REQUIRE(f.core->Act(JobAction::kStartTravel, request, CoreFixture::Call()).ok());
  f.clock.Advance(18min);
  request.mutable_estimate()->set_seconds(core::ToUnixMillis(f.clock.Now() + 45min) / 1000);
  auto arrived = f.core->Act(JobAction::kArriveOnSite, request, CoreFixture::Call());
  REQUIRE(arrived.ok());
  CHECK(arrived->work_order().clocks(0).met_at().seconds() ==
        core::ToUnixMillis(f.clock.Now()) / 1000);
  CHECK(f.Crew("CREW-A").availability() == v1::CREW_AVAILABILITY_BUSY);
  f.clock.Advance(40min);
  auto completed = f.core->Complete(Completion("CREW-A", "WO-1"), CoreFixture::Call());
  REQUIRE(completed.ok());
  CHECK(completed->work_order().state() == v1::WORK_ORDER_STATE_COMPLETED);
  CHECK(completed->work_order().clocks(1).has_met_at());

  const auto records = f.publisher.records();
  REQUIRE(records.size() == 4);
  CHECK(CoreFixture::Header(records[0], "ce_type") == "gridcare.crew.job_accepted.v1");
  CHECK(CoreFixture::Header(records[1], "ce_type") == "gridcare.crew.travel_started.v1");
  CHECK(CoreFixture::Header(records[2], "ce_type") == "gridcare.crew.arrived_on_site.v1");
  CHECK(CoreFixture::Header(records[3], "ce_type") == "gridcare.crew.job_completed.v1");
  for (const auto& record : records) {
    CHECK(record.key == "CREW-A");
    CHECK(CoreFixture::Header(record, "ce_subject") == "WO-1");
  }
  CHECK(EventIds(records).size() == 4);
  const auto en_route = CoreFixture::EventOf(records[1]).en_route();
  CHECK(en_route.estimated_arrival_at().seconds() ==
        core::ToUnixMillis(testing::StartTime() + 21min) / 1000);
  const auto on_site = CoreFixture::EventOf(records[2]).on_site();
  CHECK(on_site.estimated_restoration_at().seconds() ==
        core::ToUnixMillis(testing::StartTime() + 64min) / 1000);
  const auto done = CoreFixture::EventOf(records[3]).job_completed();
  CHECK(done.restored());
  CHECK(done.cause_code() == "TREE_CONTACT");
  CHECK(done.fix_code() == "TREE_TRIMMED");
  CHECK(done.cause().zh_cn() == "树障");  // filled from the table
  CHECK(done.cause().en() == "Tree contact");
  CHECK(done.notes() == "树枝搭在 10kV 线上，已修剪");
  CHECK(done.photos_size() == 1);

  const v1::Crew crew = f.Crew("CREW-A");
  CHECK(crew.work_order_ids_size() == 0);
  CHECK(crew.availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  CHECK(f.store.JobSet("CREW-A").empty());
  CHECK(f.metrics_value("gridcare_crew_job_transitions_total") == 4);
}

TEST_CASE("a repeated command answers OK and publishes nothing new") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  const auto request = CoreFixture::JobRequest("CREW-A", "WO-1");
  REQUIRE(f.core->Act(JobAction::kAccept, request, CoreFixture::Call()).ok());
  const int commits = f.store.commits();
  auto again = f.core->Act(JobAction::kAccept, request, CoreFixture::Call());
  REQUIRE(again.ok());
  CHECK(again->work_order().state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(f.publisher.records().size() == 1);
  CHECK(f.store.commits() == commits);

  // Completion repeated with a different cause: the first report stands.
  f.store.PutJob(testing::MakeJob("WO-1", "CREW-A", v1::WORK_ORDER_STATE_ON_SITE));
  REQUIRE(f.core->Complete(Completion("CREW-A", "WO-1"), CoreFixture::Call()).ok());
  REQUIRE(f.core->Complete(Completion("CREW-A", "WO-1", "LIGHTNING"), CoreFixture::Call()).ok());
  const auto records = f.publisher.records();
  REQUIRE(records.size() == 2);
  CHECK(CoreFixture::EventOf(records[1]).job_completed().cause_code() == "TREE_CONTACT");
}

TEST_CASE("another crew's job is PERMISSION_DENIED and changes nothing") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  for (const auto action : {JobAction::kAccept, JobAction::kDecline, JobAction::kStartTravel,
                            JobAction::kArriveOnSite}) {
    auto denied = f.core->Act(action, CoreFixture::JobRequest("CREW-B", "WO-1", "not mine"),
                              CoreFixture::Call());
    REQUIRE_FALSE(denied.ok());
    CHECK(denied.error().kind == core::ErrorKind::kPermissionDenied);
    CHECK_THAT(denied.error().message, Catch::Contains("WO-1"));
  }
  auto denied = f.core->Complete(Completion("CREW-B", "WO-1"), CoreFixture::Call());
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().kind == core::ErrorKind::kPermissionDenied);
  CHECK(f.publisher.records().empty());
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ASSIGNED);
}

TEST_CASE("unknown crews and jobs are NOT_FOUND, bad input INVALID_ARGUMENT, wrong state says so") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  auto no_crew = f.core->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-Z", "WO-1"),
                             CoreFixture::Call());
  CHECK(no_crew.error().kind == core::ErrorKind::kNotFound);
  auto no_job = f.core->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-404"),
                            CoreFixture::Call());
  CHECK(no_job.error().kind == core::ErrorKind::kNotFound);
  auto no_id =
      f.core->Act(JobAction::kAccept, CoreFixture::JobRequest("", "WO-1"), CoreFixture::Call());
  CHECK(no_id.error().kind == core::ErrorKind::kInvalidArgument);
  auto early = f.core->Act(JobAction::kArriveOnSite, CoreFixture::JobRequest("CREW-A", "WO-1"),
                           CoreFixture::Call());
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().kind == core::ErrorKind::kFailedPrecondition);
  CHECK_THAT(early.error().message, Catch::Contains("is ASSIGNED"));
  auto bad_cause = Completion("CREW-A", "WO-1", "KITE");
  auto unknown_cause = f.core->Complete(bad_cause, CoreFixture::Call());
  CHECK(unknown_cause.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK(f.core
            ->Act(JobAction::kComplete, CoreFixture::JobRequest("CREW-A", "WO-1"),
                  CoreFixture::Call())
            .error()
            .kind == core::ErrorKind::kInternal);
  CHECK(f.publisher.records().empty());
}

TEST_CASE("declining hands the job back: QUEUED, out of the queue, reason published") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  auto declined =
      f.core->Act(JobAction::kDecline, CoreFixture::JobRequest("CREW-A", "WO-1", "车辆故障"),
                  CoreFixture::Call());
  REQUIRE(declined.ok());
  CHECK(declined->work_order().state() == v1::WORK_ORDER_STATE_QUEUED);
  CHECK(f.Crew("CREW-A").work_order_ids_size() == 0);
  CHECK(f.Crew("CREW-A").availability() == v1::CREW_AVAILABILITY_AVAILABLE);
  const auto records = f.publisher.records();
  REQUIRE(records.size() == 1);
  CHECK(CoreFixture::Header(records[0], "ce_type") == "gridcare.crew.job_declined.v1");
  CHECK(CoreFixture::EventOf(records[0]).job_declined().reason() == "车辆故障");
  // Declining again is a repeat; accepting now is refused.
  REQUIRE(f.core
              ->Act(JobAction::kDecline, CoreFixture::JobRequest("CREW-A", "WO-1", "again"),
                    CoreFixture::Call())
              .ok());
  CHECK(f.publisher.records().size() == 1);
  auto accept = f.core->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-1"),
                            CoreFixture::Call());
  CHECK(accept.error().kind == core::ErrorKind::kFailedPrecondition);
}

TEST_CASE("a broker outage: the change is saved, the app is told, its repeat delivers the event") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  f.publisher.FailNext(1);
  const auto request = CoreFixture::JobRequest("CREW-A", "WO-1");
  auto failed = f.core->Act(JobAction::kAccept, request, CoreFixture::Call());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().kind == core::ErrorKind::kUnavailable);
  CHECK_THAT(failed.error().message, Catch::Contains("saved"));
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ACCEPTED);
  CHECK(f.store.PendingEventCounts({"CREW-A"}).value() == std::vector<int64_t>{1});
  CHECK(f.publisher.records().empty());

  auto repeated = f.core->Act(JobAction::kAccept, request, CoreFixture::Call());
  REQUIRE(repeated.ok());
  const auto records = f.publisher.records();
  REQUIRE(records.size() == 1);
  CHECK(CoreFixture::Header(records[0], "ce_type") == "gridcare.crew.job_accepted.v1");
  CHECK(CoreFixture::Header(records[0], "ce_id") == "evt-000001");  // the id saved first
  CHECK(f.store.PendingEventCounts({"CREW-A"}).value() == std::vector<int64_t>{0});
  CHECK(f.metrics_value("gridcare_crew_events_relayed_total") == 1);
  CHECK(f.metrics_value("gridcare_crew_event_delivery_failures_total") == 1);
}

TEST_CASE("saved events go out in order before a later change's, or from the background relay") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  f.publisher.FailNext(1);
  auto request = CoreFixture::JobRequest("CREW-A", "WO-1");
  REQUIRE_FALSE(f.core->Act(JobAction::kAccept, request, CoreFixture::Call()).ok());
  // The app carries on (it saw the job accepted in ListJobs) and starts travelling.
  REQUIRE(f.core->Act(JobAction::kStartTravel, request, CoreFixture::Call()).ok());
  auto records = f.publisher.records();
  REQUIRE(records.size() == 2);
  CHECK(CoreFixture::Header(records[0], "ce_type") == "gridcare.crew.job_accepted.v1");
  CHECK(CoreFixture::Header(records[1], "ce_type") == "gridcare.crew.travel_started.v1");

  f.publisher.FailNext(1);
  REQUIRE_FALSE(
      f.core->ReportLocation(Location("CREW-A", 23.14, 113.27), CoreFixture::Call()).ok());
  auto fleet = f.core->Fleet();
  REQUIRE(fleet.ok());
  CHECK(fleet->pending_events == 1);
  f.clock.Advance(30s);
  fleet = f.core->Fleet();
  CHECK(fleet->oldest_pending_event_seconds == Approx(30));
  auto relayed = f.core->RelayAll(std::chrono::steady_clock::now() + 5s);
  REQUIRE(relayed.ok());
  CHECK(*relayed == 1);
  records = f.publisher.records();
  REQUIRE(records.size() == 3);
  CHECK(CoreFixture::Header(records[2], "ce_type") == "gridcare.crew.location_reported.v1");
  CHECK(f.core->RelayAll(std::chrono::steady_clock::now() + 5s).value() == 0);
}

TEST_CASE("Redis down: UNAVAILABLE, nothing saved, nothing published") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  f.store.FailNextCalls(1);
  auto failed = f.core->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-1"),
                            CoreFixture::Call());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ASSIGNED);
  CHECK(f.publisher.records().empty());
}

TEST_CASE("deadlines: none left means nothing changes, the wait for Kafka never outlasts it") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  auto late = f.core->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-1"),
                          CallContext{std::chrono::steady_clock::now() - 1ms, ""});
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().kind == core::ErrorKind::kDeadlineExceeded);
  CHECK_THAT(late.error().message, Catch::Contains("nothing changed"));
  CHECK(f.Job("WO-1").state() == v1::WORK_ORDER_STATE_ASSIGNED);

  REQUIRE(f.core
              ->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-1"),
                    CoreFixture::Call(800ms))
              .ok());
  CHECK(f.publisher.last_timeout() <= 800ms);
  CHECK(f.publisher.last_timeout() > 0ms);
}

TEST_CASE("a concurrent writer makes the command decide again on fresh records") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  // The dispatch consumer gives CREW-A a second job between our read and our write.
  f.store.InterfereWithNextCommits(1, [](InMemoryCrewStore& store) {
    auto crew = store.GetCrew("CREW-A").value()->value;
    crew.add_work_order_ids("WO-2");
    store.PutCrew(crew);
  });
  auto completed_first = f.core->Act(
      JobAction::kDecline, CoreFixture::JobRequest("CREW-A", "WO-1", "busy"), CoreFixture::Call());
  REQUIRE(completed_first.ok());
  const v1::Crew crew = f.Crew("CREW-A");
  REQUIRE(crew.work_order_ids_size() == 1);
  CHECK(crew.work_order_ids(0) == "WO-2");  // the other writer's change survived
  CHECK(crew.availability() == v1::CREW_AVAILABILITY_BUSY);
  CHECK(f.publisher.records().size() == 1);
  CHECK(f.metrics_value("gridcare_crew_store_conflicts_total") == 1);

  // A record that never stops changing: give up with a retryable error, nothing published.
  f.Give("CREW-B", "WO-3");
  int round = 0;
  f.store.InterfereWithNextCommits(100, [&round](InMemoryCrewStore& store) {
    auto job = store.GetJob("WO-3").value()->value;
    job.set_priority(static_cast<v1::Priority>(1 + (++round % 4)));
    store.PutJob(job);
  });
  auto contended = f.core->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-B", "WO-3"),
                               CoreFixture::Call());
  REQUIRE_FALSE(contended.ok());
  CHECK(contended.error().Retryable());
  CHECK(f.publisher.records().size() == 1);
}

TEST_CASE("position reports update the crew and publish location_reported keyed by the crew") {
  CoreFixture f;
  f.clock.Advance(5min);
  REQUIRE(f.core->ReportLocation(Location("CREW-B", 23.2, 113.4), CoreFixture::Call()).ok());
  const v1::Crew crew = f.Crew("CREW-B");
  CHECK(crew.position().latitude() == 23.2);
  CHECK(crew.position_at().seconds() == core::ToUnixMillis(f.clock.Now()) / 1000);
  const auto records = f.publisher.records();
  REQUIRE(records.size() == 1);
  CHECK(records[0].key == "CREW-B");
  CHECK(CoreFixture::Header(records[0], "ce_subject") == "CREW-B");
  CHECK(CoreFixture::Header(records[0], "ce_type") == "gridcare.crew.location_reported.v1");
  CHECK(CoreFixture::EventOf(records[0]).location_reported().speed_kmh() == 32.5);

  auto bad = f.core->ReportLocation(Location("CREW-B", 123, 113), CoreFixture::Call());
  CHECK(bad.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(bad.error().message, Catch::StartsWith("report.position.latitude"));
  auto unknown = f.core->ReportLocation(Location("CREW-Z", 23, 113), CoreFixture::Call());
  CHECK(unknown.error().kind == core::ErrorKind::kNotFound);
  CHECK(f.publisher.records().size() == 1);
}

TEST_CASE("availability: off shift with jobs is allowed and published, repeats are silent") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  auto off = f.core->SetAvailability(Availability("CREW-A", v1::CREW_AVAILABILITY_OFF_SHIFT),
                                     CoreFixture::Call());
  REQUIRE(off.ok());
  CHECK(off->crew().availability() == v1::CREW_AVAILABILITY_OFF_SHIFT);
  CHECK(off->crew().work_order_ids_size() == 1);  // dispatch moves the job, not us
  auto records = f.publisher.records();
  REQUIRE(records.size() == 1);
  CHECK(CoreFixture::Header(records[0], "ce_type") == "gridcare.crew.availability_changed.v1");
  CHECK(CoreFixture::Header(records[0], "ce_subject") == "CREW-A");
  const auto changed = CoreFixture::EventOf(records[0]).availability_changed();
  CHECK(changed.availability() == v1::CREW_AVAILABILITY_OFF_SHIFT);
  CHECK(changed.reason() == "end of shift");

  REQUIRE(f.core
              ->SetAvailability(Availability("CREW-A", v1::CREW_AVAILABILITY_OFF_SHIFT),
                                CoreFixture::Call())
              .ok());
  CHECK(f.publisher.records().size() == 1);

  // Back on duty with a job in the queue: busy.
  auto back = f.core->SetAvailability(Availability("CREW-A", v1::CREW_AVAILABILITY_AVAILABLE),
                                      CoreFixture::Call());
  REQUIRE(back.ok());
  CHECK(back->crew().availability() == v1::CREW_AVAILABILITY_BUSY);
  records = f.publisher.records();
  REQUIRE(records.size() == 2);
  CHECK(CoreFixture::EventOf(records[1]).availability_changed().availability() ==
        v1::CREW_AVAILABILITY_BUSY);

  auto busy = f.core->SetAvailability(Availability("CREW-B", v1::CREW_AVAILABILITY_BUSY),
                                      CoreFixture::Call());
  CHECK(busy.error().kind == core::ErrorKind::kFailedPrecondition);
  auto unreachable = f.core->SetAvailability(
      Availability("CREW-B", v1::CREW_AVAILABILITY_UNREACHABLE), CoreFixture::Call());
  CHECK(unreachable.error().kind == core::ErrorKind::kInvalidArgument);
  auto unknown = f.core->SetAvailability(Availability("CREW-Z", v1::CREW_AVAILABILITY_OFF_SHIFT),
                                         CoreFixture::Call());
  CHECK(unknown.error().kind == core::ErrorKind::kNotFound);
}

TEST_CASE("the caller's trace continues into the event") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  const std::string parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  REQUIRE(f.core
              ->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-1"),
                    CallContext{std::chrono::steady_clock::now() + 5s, parent})
              .ok());
  const auto traceparent = CoreFixture::Header(f.publisher.records()[0], "traceparent");
  CHECK_THAT(traceparent, Catch::StartsWith("00-0af7651916cd43dd8448eb211c80319c-"));
  CHECK(traceparent != parent);
}

TEST_CASE("ListCrews pages through the roster in id order") {
  CoreFixture f;
  v1::ListCrewsRequest request;
  request.set_page_size(2);
  auto first = f.core->ListCrews(request);
  REQUIRE(first.ok());
  REQUIRE(first->crews_size() == 2);
  CHECK(first->crews(0).crew_id() == "CREW-A");
  CHECK(first->crews(1).crew_id() == "CREW-B");
  CHECK(first->next_page_token() == "CREW-B");
  request.set_page_token(first->next_page_token());
  auto second = f.core->ListCrews(request);
  REQUIRE(second.ok());
  REQUIRE(second->crews_size() == 1);
  CHECK(second->crews(0).crew_id() == "CREW-C");
  CHECK(second->next_page_token().empty());

  auto all = f.core->ListCrews(v1::ListCrewsRequest());
  REQUIRE(all.ok());
  CHECK(all->crews_size() == 3);
  CHECK(all->next_page_token().empty());

  request.set_page_size(2);
  request.set_page_token("CREW-Z");  // past the end
  CHECK(f.core->ListCrews(request).value().crews_size() == 0);
  request.set_page_size(1001);
  CHECK(f.core->ListCrews(request).error().kind == core::ErrorKind::kInvalidArgument);
  request.set_page_size(-1);
  CHECK(f.core->ListCrews(request).error().kind == core::ErrorKind::kInvalidArgument);
  request.set_page_size(2);
  request.set_page_token("bad token");
  CHECK(f.core->ListCrews(request).error().kind == core::ErrorKind::kInvalidArgument);
}

TEST_CASE("GetCrew and ListJobs read the crew and its open jobs in queue order") {
  CoreFixture f;
  f.Give("CREW-A", "WO-2");
  f.Give("CREW-A", "WO-1", v1::WORK_ORDER_STATE_EN_ROUTE);
  v1::GetCrewRequest get;
  get.set_crew_id("CREW-A");
  auto crew = f.core->GetCrew(get);
  REQUIRE(crew.ok());
  CHECK(crew->work_order_ids_size() == 2);
  v1::ListCrewJobsRequest list;
  list.set_crew_id("CREW-A");
  auto jobs = f.core->ListJobs(list);
  REQUIRE(jobs.ok());
  REQUIRE(jobs->work_orders_size() == 2);
  CHECK(jobs->work_orders(0).work_order_id() == "WO-2");
  CHECK(jobs->work_orders(1).state() == v1::WORK_ORDER_STATE_EN_ROUTE);
  list.set_crew_id("CREW-B");
  CHECK(f.core->ListJobs(list).value().work_orders_size() == 0);
  list.set_crew_id("CREW-Z");
  CHECK(f.core->ListJobs(list).error().kind == core::ErrorKind::kNotFound);
  get.set_crew_id("CREW-Z");
  CHECK(f.core->GetCrew(get).error().kind == core::ErrorKind::kNotFound);
  get.set_crew_id("");
  CHECK(f.core->GetCrew(get).error().kind == core::ErrorKind::kInvalidArgument);
}

TEST_CASE("the fleet snapshot counts availability, open jobs by state and stale crews") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1", v1::WORK_ORDER_STATE_EN_ROUTE);
  f.Give("CREW-A", "WO-2");
  REQUIRE(f.core
              ->SetAvailability(Availability("CREW-C", v1::CREW_AVAILABILITY_OFF_SHIFT),
                                CoreFixture::Call())
              .ok());
  f.clock.Advance(10min);
  REQUIRE(f.core->ReportLocation(Location("CREW-B", 23.1, 113.2), CoreFixture::Call()).ok());
  f.clock.Advance(10min);  // CREW-A never reported: stale; CREW-B reported 10 min ago
  auto fleet = f.core->Fleet();
  REQUIRE(fleet.ok());
  CHECK(fleet->crews_by_availability[v1::CREW_AVAILABILITY_BUSY] == 1);
  CHECK(fleet->crews_by_availability[v1::CREW_AVAILABILITY_AVAILABLE] == 1);
  CHECK(fleet->crews_by_availability[v1::CREW_AVAILABILITY_OFF_SHIFT] == 1);
  CHECK(fleet->open_jobs_by_state[v1::WORK_ORDER_STATE_EN_ROUTE] == 1);
  CHECK(fleet->open_jobs_by_state[v1::WORK_ORDER_STATE_ASSIGNED] == 1);
  CHECK(fleet->stale_crews == 1);  // CREW-A; CREW-C is off shift
  CHECK(fleet->pending_events == 0);
  f.metrics.SetFleet(*fleet);
  CHECK(f.metrics_value("gridcare_crew_stale_crews") == 1);
}

TEST_CASE("a corrupt saved event is dropped so it cannot block the crew's later events") {
  CoreFixture f;
  f.Give("CREW-A", "WO-1");
  f.store.PutPendingEvent("CREW-A", "not an outbox entry");
  REQUIRE(
      f.core
          ->Act(JobAction::kAccept, CoreFixture::JobRequest("CREW-A", "WO-1"), CoreFixture::Call())
          .ok());
  const auto records = f.publisher.records();
  REQUIRE(records.size() == 1);
  CHECK(CoreFixture::Header(records[0], "ce_type") == "gridcare.crew.job_accepted.v1");
  CHECK(f.store.PendingEventCounts({"CREW-A"}).value() == std::vector<int64_t>{0});
}

}  // namespace gridcare::repair_crew
