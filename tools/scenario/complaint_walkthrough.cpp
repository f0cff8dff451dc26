#include "complaint_walkthrough.h"

#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <set>
#include <thread>

#include "gridcare/core/clock.h"
#include "gridcare/core/ids.h"
#include "gridcare/rpc/client.h"
#include "gridcare/v1/complaint.grpc.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"

namespace gridcare::scenario {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::TimeUtil;
namespace v1 = gridcare::v1;

/// The handlers of the shipped department directory (services/complaint/config/departments.json)
/// this chapter acts as.
constexpr const char* kHandler = "mkt-wl-01";  // marketing, the first district's office
constexpr const char* kVisitor = "sdc-head";   // the service-dispatch centre does return visits

std::string Local(const google::protobuf::Timestamp& t) {
  return TimeUtil::ToString(TimeUtil::SecondsToTimestamp(t.seconds() + 8 * 3600)).substr(0, 16);
}

v1::Actor Handler(const char* id) {
  v1::Actor actor;
  actor.set_kind(v1::Actor::KIND_DEPARTMENT);
  actor.set_id(id);
  return actor;
}

class Desk {
 public:
  Desk(const std::string& target, std::string run)
      : stub_(v1::ComplaintService::NewStub(rpc::MakeChannel(target))), run_(std::move(run)) {}

  /// Calls `rpc` with a fresh request id; prints the outcome; false on an error.
  template <typename Request, typename Call>
  bool Act(const char* what, Request request, Call call, v1::ComplaintCase* out) {
    request.set_request_id("DEMO-" + run_ + "-" + std::to_string(++calls_));
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    const auto status = ((*stub_).*call)(&context, request, out);
    if (!status.ok()) {
      std::printf("   %-30s -> error %d: %s\n", what, status.error_code(),
                  status.error_message().c_str());
      return false;
    }
    std::printf("   %-30s -> %s, supervision level %d\n", what,
                v1::CaseState_Name(out->state()).substr(11).c_str(), out->supervision_level());
    return true;
  }

  std::optional<v1::ComplaintCase> Get(const std::string& case_id) {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 5s);
    v1::GetCaseRequest request;
    request.set_case_id(case_id);
    v1::ComplaintCase c;
    if (!stub_->GetCase(&context, request, &c).ok()) return std::nullopt;
    return c;
  }

 private:
  std::unique_ptr<v1::ComplaintService::Stub> stub_;
  std::string run_;
  int calls_ = 0;
};

/// Prints the case's timeline steps not printed yet (English and Chinese).
void PrintNewSteps(const v1::ComplaintCase& c, size_t& printed) {
  for (; printed < static_cast<size_t>(c.timeline_size()); ++printed) {
    const auto& step = c.timeline(static_cast<int>(printed));
    std::printf("     %s  %s | %s\n", Local(step.at()).c_str(), step.description().en().c_str(),
                step.description().zh_cn().c_str());
  }
}

/// Polls the case until `done` says so or `limit` passes, printing new steps.
std::optional<v1::ComplaintCase> WaitFor(
    Desk& desk, const std::string& case_id, size_t& printed, std::chrono::seconds limit,
    const std::function<bool(const v1::ComplaintCase&)>& done) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (auto c = desk.Get(case_id)) {
      PrintNewSteps(*c, printed);
      if (done(*c)) return c;
    }
    std::this_thread::sleep_for(500ms);
  }
  return std::nullopt;
}

int OverdueAlarms(const v1::ComplaintCase& c) {
  int count = 0;
  for (const auto& step : c.timeline()) {
    count += step.event_type() == "gridcare.complaint_case.deadline_alarm_raised.v1" &&
             step.description().en().rfind("Overdue", 0) == 0;
  }
  return count;
}

/// The customer who complains: a residential customer of the utility's first district.
std::optional<v1::Customer> Complainant(const synth::Utility& utility) {
  const std::string district = utility.network().districts().front().name;
  for (int64_t i = 11; i < utility.customer_count(); ++i) {
    auto customer = utility.CustomerAt(i);
    if (customer.address().district() == district &&
        customer.account_type() == v1::ACCOUNT_TYPE_RESIDENTIAL && customer.tags().empty()) {
      return customer;
    }
  }
  return std::nullopt;
}

bool Reply(Desk& desk, const std::string& case_id, const char* what, const std::string& zh,
           const std::string& en, v1::ComplaintCase* c) {
  v1::RecordReplyRequest reply;
  auto* sent = reply.mutable_reply();
  sent->set_case_id(case_id);
  *sent->mutable_by() = Handler(kHandler);
  sent->set_cause_code("billing-estimate");
  sent->set_corrective_action("现场复核抄表读数，按实际读数重新计算电费并退还差额");
  sent->mutable_reply()->set_zh_cn(zh);
  sent->mutable_reply()->set_en(en);
  return desk.Act(what, reply, &v1::ComplaintService::Stub::RecordReply, c);
}

bool Contact(Desk& desk, const std::string& case_id, const char* what, v1::ComplaintCase* c) {
  v1::RecordContactRequest contact;
  contact.mutable_contact()->set_case_id(case_id);
  *contact.mutable_contact()->mutable_by() = Handler(kHandler);
  contact.mutable_contact()->set_summary("customer called back; meter reading to be checked");
  return desk.Act(what, contact, &v1::ComplaintService::Stub::RecordContact, c);
}

bool Visit(Desk& desk, const std::string& case_id, const char* what, v1::Satisfaction how,
           v1::ComplaintCase* c) {
  v1::RecordReturnVisitRequest visit;
  visit.mutable_visit()->set_case_id(case_id);
  *visit.mutable_visit()->mutable_by() = Handler(kVisitor);
  visit.mutable_visit()->set_satisfaction(how);
  visit.mutable_visit()->set_resolved(how != v1::SATISFACTION_DISSATISFIED);
  visit.mutable_visit()->set_comment(
      how == v1::SATISFACTION_DISSATISFIED ? "退费金额不对，还是不满意" : "已收到退费，满意");
  return desk.Act(what, visit, &v1::ComplaintService::Stub::RecordReturnVisit, c);
}

}  // namespace

bool RunComplaintWalkthrough(const std::map<std::string, std::string>& endpoints,
                             const synth::Utility& utility) {
  auto find = [&](const char* key) {
    auto it = endpoints.find(key);
    return it == endpoints.end() ? std::string() : it->second;
  };
  const std::string intake_target = find("GRIDCARE_INTAKE_GRPC");
  const std::string desk_target = find("GRIDCARE_COMPLAINT_GRPC");
  if (intake_target.empty() || desk_target.empty()) {
    std::printf("   (intake or complaint is not running; skipped)\n");
    return true;
  }
  if (const auto page = find("GRIDCARE_COMPLAINT_CONSOLE"); !page.empty()) {
    std::printf("   the department desk: %s (act as handler %s of the marketing office)\n",
                page.c_str(), kHandler);
  }
  const auto customer = Complainant(utility);
  if (!customer) return std::printf("   no residential customer in the first district\n"), false;
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  const std::string run = ids.NewId().substr(0, 8);

  v1::SubmitRequest submit;
  auto* request = submit.mutable_request();
  request->set_request_id("DEMO-" + run + "-bill");
  request->set_channel(v1::CHANNEL_HOTLINE_AGENT);
  request->set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
  request->set_language(v1::LANGUAGE_ZH_CN);
  request->set_text("这个月电费比平时高了一倍，肯定是估抄的，要求核查并退还多收的电费");
  request->mutable_customer()->set_customer_id(customer->customer_id());
  *request->mutable_received_at() = TimeUtil::GetCurrentTime();
  v1::SubmitResponse submitted;
  {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    auto stub = v1::IntakeService::NewStub(rpc::MakeChannel(intake_target));
    if (auto status = stub->Submit(&context, submit, &submitted); !status.ok()) {
      return std::printf("   intake refused the complaint: %s\n", status.error_message().c_str()),
             false;
    }
  }
  const std::string case_id = "CC-" + submitted.ticket_id();
  std::printf("   a customer in %s complains about an estimated bill -> ticket %s, case %s\n",
              customer->address().district().c_str(), submitted.ticket_id().c_str(),
              case_id.c_str());

  Desk desk(desk_target, run);
  size_t printed = 0;
  auto routed = WaitFor(desk, case_id, printed, 20s, [](const auto&) { return true; });
  if (!routed) return std::printf("   the complaint service did not open the case\n"), false;
  std::printf("   routed to %s / %s by rule %s; contact due %s, reply due %s (China time)\n",
              routed->department_id().c_str(), routed->unit_id().c_str(),
              routed->routing_rule().c_str(), Local(routed->clocks(0).due_at()).c_str(),
              Local(routed->clocks(1).due_at()).c_str());
  std::printf(
      "   nobody calls the customer back; the case clock runs (sped up: GRIDCARE_CLOCK_SPEED; the "
      "times shown are the complaint service's sped-up clock):\n");
  auto breached = WaitFor(desk, case_id, printed, 120s,
                          [](const v1::ComplaintCase& c) { return OverdueAlarms(c) > 0; });
  if (!breached) return std::printf("   no supervision step within 120 s\n"), false;

  std::printf("   the marketing office acts (%s):\n", kHandler);
  v1::ComplaintCase c;
  v1::TakeCaseRequest take;
  take.set_case_id(case_id);
  *take.mutable_by() = Handler(kHandler);
  if (!desk.Act("take the case", take, &v1::ComplaintService::Stub::TakeCase, &c)) return false;
  if (!Contact(desk, case_id, "contact the customer", &c)) return false;
  if (!Reply(desk, case_id, "reply (cause billing-estimate)",
             "经核查，本月电费为估抄所致，已按实际读数重新计算，多收电费将在下月退还。",
             "The bill was based on an estimated reading; it was recalculated from the actual "
             "reading and the difference is refunded next month.",
             &c)) {
    return false;
  }
  std::printf("   the service-dispatch centre calls the customer back (%s):\n", kVisitor);
  if (!Visit(desk, case_id, "return visit: dissatisfied", v1::SATISFACTION_DISSATISFIED, &c)) {
    return false;
  }
  if (c.state() != v1::CASE_STATE_REOPENED) return std::printf("   not reopened\n"), false;
  if (!Contact(desk, case_id, "contact again", &c) ||
      !Reply(desk, case_id, "second reply",
             "已上门复核电表并当面核对读数，退费金额已更正并于今日退还。",
             "We checked the meter on site with you; the refund was corrected and paid today.",
             &c) ||
      !Visit(desk, case_id, "return visit: satisfied", v1::SATISFACTION_SATISFIED, &c)) {
    return false;
  }
  auto closed = WaitFor(desk, case_id, printed, 10s, [](const v1::ComplaintCase& cc) {
    return cc.state() == v1::CASE_STATE_CLOSED;
  });
  if (!closed) return std::printf("   the case did not close\n"), false;
  std::printf("   closed (%s) after %d reopen(s); root cause %s\n",
              v1::CaseClosure_Name(closed->closure()).substr(13).c_str(), closed->reopen_count(),
              closed->root_cause().c_str());
  return true;
}

}  // namespace gridcare::scenario
