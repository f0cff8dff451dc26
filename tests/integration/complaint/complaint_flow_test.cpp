// The complaint loop on real processes: intake → complaint over devbroker, state in redis-server,
// the desk over gRPC. Case clocks run 600× (--clock-speed, one fixed --clock-origin so a restart
// continues the same timeline) with a 1-hour contact limit: reminders at 3 s and 4.8 s, the
// ladder at 6 s (level 1) and 12 s (level 2).

#include <google/protobuf/util/time_util.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "gridcare/core/clock.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/v1/complaint.grpc.pb.h"
#include "intake_stack.h"

namespace {

using namespace std::chrono_literals;
using gridcare::testing::ChildProcess;
using gridcare::testing::IntakeStack;
using gridcare::testing::IntakeStackOptions;
using gridcare::testing::WaitUntil;
namespace v1 = gridcare::v1;
namespace kafka = gridcare::kafka;

struct ComplaintStack {
  IntakeStack intake;
  std::string origin = gridcare::core::FormatRfc3339(std::chrono::system_clock::now());
  std::unique_ptr<ChildProcess> complaint;
  std::unique_ptr<v1::ComplaintService::Stub> desk;
  std::unique_ptr<gridcare::testing::TopicReader> events;
  int requests = 0;

  ComplaintStack() {
    std::ofstream(intake.dir.path() / "standards.json") << R"({"complaint_contact_hours": 1})";
    std::ofstream(intake.dir.path() / "policy.json")
        << R"({"ladder": [{"level": 1, "role": "department-head", "after_breach_hours": 0},
                          {"level": 2, "role": "service-dispatch-centre", "after_breach_hours": 1},
                          {"level": 3, "role": "company-leadership", "after_breach_hours": 100}],
              "causes": [{"code": "billing-estimate", "zh_cn": "估抄", "en": "estimated reading"}]})";
    events = std::make_unique<gridcare::testing::TopicReader>(
        intake.broker.bootstrap_servers(),
        std::vector<std::string>{std::string(kafka::kComplaintTopic),
                                 kafka::DeadLetterTopic("complaint")});
    StartComplaint();
  }

  void StartComplaint() {
    const auto dir = intake.dir.path();
    // A restart must not read the previous run's "ready" line (its ports): keep that log aside.
    std::error_code ignored;
    std::filesystem::rename(dir / "complaint.log", dir / "complaint.log.1", ignored);
    complaint = intake.Start(
        "complaint", {"--clock-speed", "600", "--clock-origin", origin, "--tick-interval", "200ms",
                      "--service-standards", (dir / "standards.json").string(),
                      "--complaint-policy", (dir / "policy.json").string(),
                      "--console-listen-address", gridcare::testing::LoopbackAddress(0)});
    const int port = gridcare::testing::WaitForServiceReady(*complaint).grpc;
    auto channel = gridcare::rpc::MakeChannel(gridcare::testing::LoopbackAddress(port));
    if (!gridcare::rpc::WaitForReady(channel, 20s)) {
      throw std::runtime_error("complaint did not start: " + complaint->ReadLog());
    }
    desk = v1::ComplaintService::NewStub(channel);
  }

  /// Submits a complaint through intake; returns the case id.
  std::string Complain(const std::string& request_id, const std::string& text) {
    const auto customer = intake.utility.CustomerAt(40 + static_cast<int64_t>(requests++));
    v1::SubmitRequest submit;
    auto* r = submit.mutable_request();
    r->set_request_id(request_id);
    r->set_channel(v1::CHANNEL_HOTLINE_AGENT);
    r->set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
    r->set_text(text);
    r->mutable_customer()->set_customer_id(customer.customer_id());
    *r->mutable_received_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
    grpc::ClientContext context;
    v1::SubmitResponse response;
    const auto status = intake.stub->Submit(&context, submit, &response);
    REQUIRE(status.ok());
    return "CC-" + response.ticket_id();
  }

  std::optional<v1::ComplaintCase> Get(const std::string& case_id) {
    grpc::ClientContext context;
    v1::GetCaseRequest request;
    request.set_case_id(case_id);
    v1::ComplaintCase c;
    if (!desk->GetCase(&context, request, &c).ok()) return std::nullopt;
    return c;
  }

  v1::ComplaintCase WaitForCase(const std::string& case_id, std::chrono::milliseconds timeout,
                                const std::function<bool(const v1::ComplaintCase&)>& done) {
    std::optional<v1::ComplaintCase> last;
    WaitUntil(
        [&] {
          last = Get(case_id);
          return last && done(*last);
        },
        timeout);
    if (!last) FAIL("no case " << case_id << "\n" << complaint->ReadLog());
    return *last;
  }

  template <typename Request, typename Call>
  v1::ComplaintCase Act(Request request, Call call) {
    request.set_request_id("it-" + std::to_string(++requests));
    grpc::ClientContext context;
    v1::ComplaintCase out;
    const auto status = ((*desk).*call)(&context, request, &out);
    INFO(status.error_message());
    REQUIRE(status.ok());
    return out;
  }

  /// Distinct event ids per alarm id of `case_id` on the topic.
  std::map<std::string, std::set<std::string>> Alarms(const std::string& case_id) const {
    std::map<std::string, std::set<std::string>> alarms;
    for (const auto& message : events->All()) {
      if (message.topic != kafka::kComplaintTopic) continue;
      v1::ComplaintEvent event;
      if (!event.ParseFromString(message.value) || !event.has_deadline_alarm()) continue;
      if (event.deadline_alarm().case_id() != case_id) continue;
      alarms[event.deadline_alarm().alarm_id()].insert(
          std::string(message.Header("ce_id").value_or("")));
    }
    return alarms;
  }
};

v1::Actor By(const char* id) {
  v1::Actor actor;
  actor.set_kind(v1::Actor::KIND_DEPARTMENT);
  actor.set_id(id);
  return actor;
}

}  // namespace

TEST_CASE("a disputed bill goes round the loop and survives a SIGKILL mid-ladder",
          "[complaint][integration]") {
  ComplaintStack stack;
  const std::string text = "这个月电费比平时高了一倍，肯定是估抄的，要求核查";
  const std::string case_id = stack.Complain("it-bill-1", text);

  auto c = stack.WaitForCase(case_id, 20s, [](const auto&) { return true; });
  CHECK(c.state() == v1::CASE_STATE_ROUTED);
  CHECK(c.department_id() == "marketing");
  REQUIRE(c.clocks_size() == 2);

  // The first reminder (3 s), then SIGKILL before the ladder; a complaint arrives while it is down.
  stack.WaitForCase(case_id, 20s, [&](const auto&) { return !stack.Alarms(case_id).empty(); });
  stack.complaint->Kill();
  const std::string while_down = stack.Complain("it-bill-2", text);
  stack.StartComplaint();

  // Level 2 comes 12 s after the case opened (scaled: 1 h past the 1-hour contact deadline).
  c = stack.WaitForCase(case_id, 60s, [](const auto& cc) { return cc.supervision_level() >= 2; });
  CHECK(c.supervision_level() == 2);
  const std::string contact = case_id + "/contact/";
  // The saved step's event reaches the topic a moment after the case is saved.
  WaitUntil([&] { return stack.Alarms(case_id).count(contact + "l2") == 1; }, 10s);
  const auto alarms = stack.Alarms(case_id);
  for (const char* step : {"r50", "r80", "l1", "l2"}) {
    INFO(step);
    REQUIRE(alarms.count(contact + step) == 1);
    CHECK(alarms.at(contact + step).size() ==
          1);  // raised once: one event id, whatever the retries
  }
  CHECK(alarms.count(contact + "l3") == 0);
  // The complaint submitted while complaint was down was not lost.
  stack.WaitForCase(while_down, 20s, [](const auto&) { return true; });

  v1::TakeCaseRequest take;
  take.set_case_id(case_id);
  *take.mutable_by() = By("mkt-wl-01");
  stack.Act(take, &v1::ComplaintService::Stub::TakeCase);
  v1::RecordContactRequest contact_request;
  contact_request.mutable_contact()->set_case_id(case_id);
  *contact_request.mutable_contact()->mutable_by() = By("mkt-wl-01");
  c = stack.Act(contact_request, &v1::ComplaintService::Stub::RecordContact);
  CHECK(c.state() == v1::CASE_STATE_CONTACTED);
  v1::RecordReplyRequest reply;
  reply.mutable_reply()->set_case_id(case_id);
  *reply.mutable_reply()->mutable_by() = By("mkt-wl-01");
  reply.mutable_reply()->set_cause_code("billing-estimate");
  reply.mutable_reply()->set_corrective_action("re-read the meter; refund the difference");
  reply.mutable_reply()->mutable_reply()->set_zh_cn("已按实际读数重新计算电费");
  c = stack.Act(reply, &v1::ComplaintService::Stub::RecordReply);
  CHECK(c.state() == v1::CASE_STATE_REPLIED);
  CHECK(c.reply().text().en() == "已按实际读数重新计算电费");  // filled from zh-CN

  v1::RecordReturnVisitRequest visit;
  visit.mutable_visit()->set_case_id(case_id);
  *visit.mutable_visit()->mutable_by() = By("sdc-head");
  visit.mutable_visit()->set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  c = stack.Act(visit, &v1::ComplaintService::Stub::RecordReturnVisit);
  CHECK(c.state() == v1::CASE_STATE_REOPENED);
  CHECK(c.supervision_level() == 3);  // one level up
  CHECK(c.reopen_count() == 1);

  c = stack.Act(contact_request, &v1::ComplaintService::Stub::RecordContact);
  c = stack.Act(reply, &v1::ComplaintService::Stub::RecordReply);
  visit.mutable_visit()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  visit.mutable_visit()->set_resolved(true);
  c = stack.Act(visit, &v1::ComplaintService::Stub::RecordReturnVisit);
  CHECK(c.state() == v1::CASE_STATE_CLOSED);
  CHECK(c.closure() == v1::CASE_CLOSURE_RESOLVED);

  // Intake's Track tells the customer each step.
  const std::string ticket_id = case_id.substr(3);
  std::vector<std::string> told;
  WaitUntil(
      [&] {
        grpc::ClientContext context;
        v1::TrackRequest track;
        track.set_ticket_id(ticket_id);
        v1::TrackResponse response;
        if (!stack.intake.stub->Track(&context, track, &response).ok()) return false;
        told.clear();
        for (const auto& entry : response.timeline()) told.push_back(entry.description().en());
        return response.ticket().state() == v1::TICKET_STATE_CLOSED;
      },
      20s);
  INFO(told.size());
  CHECK(std::count(told.begin(), told.end(), "Complaint closed") == 1);
  CHECK(std::count(told.begin(), told.end(), "Reopened and escalated") == 1);
  CHECK(std::count_if(told.begin(), told.end(),
                      [](const std::string& line) { return line.rfind("Reply: ", 0) == 0; }) == 2);
  // Nothing went to the dead-letter topic.
  for (const auto& message : stack.events->All()) {
    CHECK(message.topic == kafka::kComplaintTopic);
  }
}
