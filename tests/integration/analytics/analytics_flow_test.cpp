// Issue 15's integration test on real processes: redis-server, devbroker, the seed-42 utility of
// 2,000 customers in the real profile service, and the real analytics binary. The test plays
// intake, dispatch, complaint and notification by publishing their events.
//
//  - Events in, KPIs out: every KPI of GetKpiReport from a known set of events, a redelivered
//    event counted once, a poison record dead-lettered while the rest flows, one dimension at a
//    time; then `analytics --rebuild` replays the topics into a fresh prefix and finds the same
//    figures (exit 0), and finds the difference once the live figures are tampered with (exit 3).
//  - A surge of one matter in one district against four weeks of history raises a risk warning
//    on gridcare.alert.v1 with its evidence; the supervisor acknowledges it and closes it with a
//    measure (and cannot close it without one).

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/run_program.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/alert.grpc.pb.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/notification.pb.h"
#include "service_stack.h"

namespace {

using namespace std::chrono_literals;
using google::protobuf::util::TimeUtil;
using gridcare::testing::LoopbackAddress;
using gridcare::testing::WaitUntil;
namespace v1 = gridcare::v1;
namespace kafka = gridcare::kafka;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
google::protobuf::Timestamp At(int64_t ms) { return TimeUtil::MillisecondsToTimestamp(ms); }

/// The stack with analytics on top; its gRPC stub.
struct AnalyticsStack {
  AnalyticsStack() : base(2000) {
    analytics =
        base.Start("analytics", {"--profile-service-target", LoopbackAddress(base.profile_port),
                                 "--detect-interval", "1s", "--gauges-interval", "1s"});
    const auto ports = gridcare::testing::WaitForServiceReady(*analytics);
    stub = v1::AnalyticsService::NewStub(gridcare::rpc::MakeChannel(LoopbackAddress(ports.grpc)));
  }

  void Publish(std::string_view topic, const std::string& id, const std::string& key,
               const google::protobuf::MessageLite& event) const {
    base.Publish(
        std::string(topic), key,
        {id, "gridcare.test.v1", "/gridcare/test", key, std::chrono::system_clock::now(), ""},
        event);
  }

  grpc::Status Report(const v1::KpiReportRequest& request, v1::KpiReport& report) const {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    return stub->GetKpiReport(&context, request, &report);
  }

  std::vector<std::string> CommonArgs() const {
    return {"--kafka-bootstrap-servers", base.broker.bootstrap_servers(),
            "--redis-address",           base.redis.address(),
            "--profile-service-target",  LoopbackAddress(base.profile_port),
            "--metrics-listen-address",  LoopbackAddress(0),
            "--grpc-listen-address",     LoopbackAddress(0)};  // required, unused by --rebuild
  }

  gridcare::testing::ServiceStack base;
  std::unique_ptr<gridcare::testing::ChildProcess> analytics;
  std::unique_ptr<v1::AnalyticsService::Stub> stub;
};

v1::IntakeEvent TicketOpened(const std::string& id, v1::RequestType type,
                             const std::string& district, int64_t opened, int64_t due) {
  v1::IntakeEvent event;
  auto& t = *event.mutable_ticket_opened()->mutable_ticket();
  t.set_ticket_id(id);
  t.set_type(type);
  t.set_channel(v1::CHANNEL_HOTLINE_AGENT);
  t.set_area_class(v1::AREA_CLASS_URBAN);
  t.mutable_location()->set_district(district);
  t.set_text("家里停电了，请尽快来修");
  t.set_contact_count(1);
  *t.mutable_opened_at() = At(opened);
  auto& clock = *t.add_clocks();
  clock.set_kind(v1::ServiceClock::KIND_RESTORATION);
  *clock.mutable_starts_at() = At(opened);
  *clock.mutable_due_at() = At(due);
  return event;
}

v1::IntakeEvent Consultation(const std::string& id, const std::string& district,
                             const std::string& text, int64_t received, int64_t answered) {
  v1::IntakeEvent event;
  auto& a = *event.mutable_consultation_answered();
  a.set_ticket_id(id);
  a.set_request_id("R-" + id);
  a.set_first_contact_resolution(true);
  a.set_channel(v1::CHANNEL_WECHAT);
  a.mutable_location()->set_district(district);
  a.mutable_classification()->set_type(v1::REQUEST_TYPE_CONSULTATION);
  a.mutable_classification()->set_category("billing");
  a.set_text(text);
  *a.mutable_received_at() = At(received);
  *a.mutable_answered_at() = At(answered);
  return event;
}

/// Intake, dispatch, complaint and notification events of one morning in 天河区.
void PublishMorning(const AnalyticsStack& s, int64_t now) {
  const std::string d = "天河区";
  s.Publish(kafka::kIntakeTopic, "e-open-1", "T-1",
            TicketOpened("T-1", v1::REQUEST_TYPE_FAULT_REPAIR, d, now - 2 * kHour, now));
  // Redelivered (same ce_id): counted once.
  s.Publish(kafka::kIntakeTopic, "e-open-1", "T-1",
            TicketOpened("T-1", v1::REQUEST_TYPE_FAULT_REPAIR, d, now - 2 * kHour, now));
  v1::IntakeEvent urging;
  auto& added = *urging.mutable_contact_added();
  added.set_ticket_id("T-1");
  added.set_channel(v1::CHANNEL_WECHAT);
  added.set_urging(true);
  added.set_contact_count(2);
  *added.mutable_received_at() = At(now - 90 * kMinute);
  s.Publish(kafka::kIntakeTopic, "e-urge-1", "T-1", urging);
  v1::IntakeEvent resolved;
  auto& changed = *resolved.mutable_ticket_state_changed();
  changed.set_ticket_id("T-1");
  changed.set_state(v1::TICKET_STATE_RESOLVED);
  *changed.mutable_changed_at() = At(now - 30 * kMinute);
  s.Publish(kafka::kIntakeTopic, "e-resolved-1", "T-1", resolved);
  s.Publish(kafka::kIntakeTopic, "e-c-1", "C-1",
            Consultation("C-1", d, "电费怎么交", now - 40 * kMinute, now - 40 * kMinute));
  s.Publish(kafka::kIntakeTopic, "e-c-2", "C-2",
            Consultation("C-2", "海珠区", "电费怎么交", now - 20 * kMinute, now - 20 * kMinute));

  v1::DispatchEvent opened;
  auto& incident = *opened.mutable_incident_opened()->mutable_incident();
  incident.set_incident_id("INC-1");
  incident.set_area_class(v1::AREA_CLASS_URBAN);
  incident.add_ticket_ids("T-1");
  *incident.mutable_opened_at() = At(now - 2 * kHour);
  s.Publish(kafka::kDispatchTopic, "e-inc-1", "INC-1", opened);
  v1::DispatchEvent restored;
  auto& done = *restored.mutable_incident_restored()->mutable_incident();
  done = incident;
  auto& arrival = *done.add_clocks();
  arrival.set_kind(v1::ServiceClock::KIND_ARRIVAL);
  *arrival.mutable_starts_at() = At(now - 2 * kHour);
  *arrival.mutable_due_at() = At(now - 2 * kHour + 45 * kMinute);
  *arrival.mutable_met_at() = At(now - 2 * kHour + 30 * kMinute);
  *done.mutable_restored_at() = At(now - 30 * kMinute);
  s.Publish(kafka::kDispatchTopic, "e-inc-2", "INC-1", restored);

  v1::ComplaintEvent case_opened;
  auto& c = *case_opened.mutable_case_opened()->mutable_complaint_case();
  c.set_case_id("CASE-1");
  c.set_request_type(v1::REQUEST_TYPE_COMPLAINT);
  c.set_district(d);
  c.set_department_id("marketing");
  *c.mutable_opened_at() = At(now - kHour);
  s.Publish(kafka::kComplaintTopic, "e-case-1", "CASE-1", case_opened);
  v1::ComplaintEvent visit;
  auto& v = *visit.mutable_return_visit_recorded();
  v.set_case_id("CASE-1");
  v.set_satisfaction(v1::SATISFACTION_SATISFIED);
  v.set_satisfaction_score(5);
  *v.mutable_visited_at() = At(now - 10 * kMinute);
  s.Publish(kafka::kComplaintTopic, "e-case-2", "CASE-1", visit);

  for (int i = 1; i <= 2; ++i) {
    v1::NotificationEvent sent;
    sent.mutable_sent()->set_notification_id("N-" + std::to_string(i));
    *sent.mutable_sent()->mutable_sent_at() = At(now - 5 * kMinute);
    s.Publish(kafka::kNotificationTopic, "e-n-" + std::to_string(i), "cust", sent);
  }
  v1::NotificationEvent delivered;
  delivered.mutable_delivered()->set_notification_id("N-1");
  *delivered.mutable_delivered()->mutable_delivered_at() = At(now - 4 * kMinute);
  s.Publish(kafka::kNotificationTopic, "e-n-3", "cust", delivered);
}

TEST_CASE("events in become KPIs out and a rebuild from the log reaches the same figures",
          "[analytics][integration]") {
  AnalyticsStack s;
  gridcare::testing::TopicReader dead_letters(s.base.broker.bootstrap_servers(),
                                              {kafka::DeadLetterTopic("analytics")});
  const int64_t now = NowMs();
  PublishMorning(s, now);
  // The local days since three hours ago (the morning may have begun yesterday).
  v1::KpiReportRequest morning;
  *morning.mutable_from() = At(now - 3 * kHour);
  // A poison record: dead-lettered, the rest flows.
  auto published = s.base.producer->PublishAndWait(
      kafka::MakeRecord(std::string(kafka::kIntakeTopic), "x",
                        {"e-poison", "gridcare.test.v1", "/gridcare/test", "x",
                         std::chrono::system_clock::now(), ""},
                        v1::IntakeEvent()),
      10s);
  REQUIRE(published.ok());
  {
    kafka::OutgoingRecord garbage{std::string(kafka::kIntakeTopic), "garbage", "\xff\xff\xff", {}};
    garbage.headers = kafka::ToHeaders({"e-garbage", "gridcare.test.v1", "/gridcare/test", "g",
                                        std::chrono::system_clock::now(), ""});
    REQUIRE(s.base.producer->PublishAndWait(garbage, 10s).ok());
  }

  v1::KpiReport report;
  const bool settled = WaitUntil(
      [&] {
        report.Clear();
        return s.Report(morning, report).ok() && report.notifications_delivered() == 1 &&
               report.return_visits() == 1 && report.restorations() == 1 && report.resolved() == 3;
      },
      30s);
  INFO(report.DebugString());
  REQUIRE(settled);
  // T-1 once (redelivered), C-1 and C-2 answered at once.
  CHECK(report.tickets_opened() == 3);
  CHECK(report.contacts() == 4);  // + the urging
  CHECK(report.resolved_timely() == 3);
  CHECK(report.timely_resolution_ratio() == Approx(1.0));
  CHECK(report.first_contact_resolved() == 2);  // T-1 was chased once
  CHECK(report.first_contact_resolution_ratio() == Approx(2.0 / 3.0));
  CHECK(report.urgings() == 1);
  CHECK(report.urging_ratio() == Approx(1.0 / 3.0));
  CHECK(report.incidents_opened() == 1);
  CHECK(report.arrivals() == 1);
  CHECK(report.arrivals_within_limit() == 1);
  CHECK(report.mean_arrival_minutes() == Approx(30.0));
  CHECK(report.mean_restoration_minutes() == Approx(90.0));
  CHECK(report.complaints() == 1);
  CHECK(report.customers() == 2000);
  CHECK(report.complaints_per_10k_customers() == Approx(5.0));
  CHECK(report.satisfied_ratio() == Approx(1.0));
  CHECK(report.mean_satisfaction() == Approx(5.0));
  CHECK(report.notification_delivery_ratio() == Approx(0.5));
  CHECK(report.tickets_by_type().at("consultation") == 2);
  CHECK(report.partial());
  CHECK(WaitUntil([&] { return dead_letters.All().size() == 1; }, 10s));

  SECTION("one dimension at a time") {
    v1::KpiReportRequest by_district = morning;
    by_district.set_area("天河区");
    v1::KpiReport district;
    REQUIRE(s.Report(by_district, district).ok());
    CHECK(district.tickets_opened() == 2);
    CHECK(district.complaints() == 1);
    v1::KpiReportRequest two = by_district;
    two.set_channel(v1::CHANNEL_WECHAT);
    v1::KpiReport refused;
    const auto status = s.Report(two, refused);
    CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK_THAT(status.error_message(), Catch::Contains("district") && Catch::Contains("channel"));
  }

  SECTION("the rebuild reaches the same figures and sees a tampered one") {
    auto args = s.CommonArgs();
    args.insert(args.end(), {"--rebuild", "--rebuild-prefix", "analytics-rebuilt"});
    auto rebuilt =
        gridcare::testing::RunProgram(gridcare::testing::ProgramPath("analytics"), args, 60s);
    INFO(rebuilt.out << rebuilt.err);
    CHECK(rebuilt.exit_code == 0);
    CHECK_THAT(rebuilt.out, Catch::Contains("equal the live ones"));

    auto redis = gridcare::testing::MakeRedisClient(s.base.redis);
    std::string day_key;
    auto keys = redis->Command({"KEYS", "analytics:kpi:*"});
    REQUIRE(keys.ok());
    REQUIRE(!keys->elements().empty());
    REQUIRE(redis->Command({"HINCRBY", keys->elements().front().str(), "tickets", "1"}).ok());
    auto differs =
        gridcare::testing::RunProgram(gridcare::testing::ProgramPath("analytics"), args, 60s);
    INFO(differs.out << differs.err);
    CHECK(differs.exit_code == 3);
    CHECK_THAT(differs.out, Catch::Contains("tickets: live"));
  }
}

TEST_CASE("a surge of one matter in one district raises a risk warning the supervisor closes",
          "[analytics][integration]") {
  AnalyticsStack s;
  gridcare::testing::TopicReader alerts(s.base.broker.bootstrap_servers(),
                                        {std::string(kafka::kAlertTopic)});
  const int64_t now = NowMs();
  const int64_t this_hour = now / kHour * kHour;
  // Four weeks of history: one billing question every fourth hour in 越秀区.
  int published = 0;
  for (int64_t hour = this_hour - 28 * 24 * kHour; hour < this_hour; hour += 4 * kHour) {
    const std::string id = "H-" + std::to_string(published++);
    s.Publish(kafka::kIntakeTopic, "e-" + id, id,
              Consultation(id, "越秀区", "请问电费账单在哪里查", hour + kMinute, hour + kMinute));
  }
  // Now: twenty callers of 越秀区 ask why the bill suddenly doubled.
  for (int i = 0; i < 20; ++i) {
    const std::string id = "S-" + std::to_string(i);
    const int64_t at = std::max(this_hour, now - (20 - i) * 1000);
    s.Publish(kafka::kIntakeTopic, "e-" + id, id,
              Consultation(id, "越秀区", "电费突然翻倍了，请问为什么，电话13812345678", at, at));
  }
  v1::ListActiveAlertsResponse active;
  const bool raised = WaitUntil(
      [&] {
        grpc::ClientContext context;
        gridcare::rpc::SetDeadline(context, 5s);
        active.Clear();
        return s.stub->ListActiveAlerts(&context, {}, &active).ok() && active.alerts_size() > 0;
      },
      30s);
  REQUIRE(raised);
  const auto& warning = active.alerts(0);
  INFO(warning.DebugString());
  CHECK(warning.area() == "越秀区");
  CHECK(warning.series() == "consultation/billing");
  CHECK(warning.kind() == v1::ALERT_KIND_SURGE);
  CHECK(warning.observed() >= 5);
  CHECK(warning.expected() < warning.observed());
  CHECK(warning.p_value() < 1e-4);
  CHECK(warning.baseline_weeks() >= 2);
  CHECK(!warning.summary().zh_cn().empty());
  CHECK(!warning.summary().en().empty());
  CHECK(!warning.top_keywords().empty());
  REQUIRE(!warning.examples().empty());
  for (const auto& example : warning.examples()) {
    CHECK_THAT(example.masked_text(), !Catch::Contains("13812345678"));
  }
  CHECK(active.statuses(0).state() == v1::WarningStatus::STATE_RAISED);
  // The service applied its own event from the topic; the test's reader may still be fetching it.
  CHECK(WaitUntil([&] { return !alerts.All().empty(); }, 30s));

  v1::Actor supervisor;
  supervisor.set_kind(v1::Actor::KIND_SUPERVISOR);
  supervisor.set_id("sup-1");
  v1::WarningStatus status;
  {
    grpc::ClientContext context;
    v1::CloseWarningRequest close;
    close.set_alert_id(warning.alert_id());
    *close.mutable_by() = supervisor;
    CHECK(s.stub->CloseWarning(&context, close, &status).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext context;
    v1::AcknowledgeWarningRequest ack;
    ack.set_alert_id(warning.alert_id());
    *ack.mutable_by() = supervisor;
    REQUIRE(s.stub->AcknowledgeWarning(&context, ack, &status).ok());
    CHECK(status.state() == v1::WarningStatus::STATE_ACKNOWLEDGED);
  }
  {
    grpc::ClientContext context;
    v1::CloseWarningRequest close;
    close.set_alert_id(warning.alert_id());
    *close.mutable_by() = supervisor;
    close.set_measure("billing run corrected; customers told");
    REQUIRE(s.stub->CloseWarning(&context, close, &status).ok());
    CHECK(status.state() == v1::WarningStatus::STATE_CLOSED);
  }
  // The consumer applies the steps from the topic: the stored state follows.
  CHECK(WaitUntil(
      [&] {
        grpc::ClientContext context;
        active.Clear();
        return s.stub->ListActiveAlerts(&context, {}, &active).ok() && active.alerts_size() == 1 &&
               active.statuses(0).state() == v1::WarningStatus::STATE_CLOSED &&
               active.statuses(0).measure() == "billing run corrected; customers told";
      },
      10s));
  {
    grpc::ClientContext context;
    v1::AcknowledgeWarningRequest unknown;
    unknown.set_alert_id("RW-none");
    *unknown.mutable_by() = supervisor;
    CHECK(s.stub->AcknowledgeWarning(&context, unknown, &status).error_code() ==
          grpc::StatusCode::NOT_FOUND);
  }
}

}  // namespace
