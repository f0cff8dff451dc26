#include <catch2/catch.hpp>

#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

const core::TimePoint kReplyDue = kNow + 5 * 24h;
const std::string kCase = "CC-GC-20261206-000123";

v1::ServiceClock Clock(v1::ServiceClock::Kind kind, core::TimePoint due) {
  v1::ServiceClock clock;
  clock.set_kind(kind);
  *clock.mutable_starts_at() = Ts(kNow);
  *clock.mutable_due_at() = Ts(due);
  return clock;
}

v1::ComplaintEvent CaseOpened(v1::RequestType type = v1::REQUEST_TYPE_COMPLAINT,
                              v1::CaseOrigin origin = v1::CASE_ORIGIN_TICKET) {
  v1::ComplaintEvent event;
  v1::ComplaintCase* c = event.mutable_case_opened()->mutable_complaint_case();
  c->set_case_id(kCase);
  c->set_customer_id("C-1001");
  c->set_department(v1::DEPARTMENT_MARKETING);
  c->set_department_id("marketing");
  c->set_request_type(type);
  c->set_origin(origin);
  *c->add_clocks() = Clock(v1::ServiceClock::KIND_COMPLAINT_CONTACT, kNow + 24h);
  *c->add_clocks() = Clock(v1::ServiceClock::KIND_COMPLAINT_REPLY, kReplyDue);
  return event;
}

v1::ComplaintEvent Contacted() {
  v1::ComplaintEvent event;
  event.mutable_customer_contacted()->set_case_id(kCase);
  event.mutable_customer_contacted()->set_summary("explained the bill");
  *event.mutable_customer_contacted()->mutable_at() = Ts(kNow + 2h);
  return event;
}

v1::ComplaintEvent Reply(core::TimePoint at, std::string customer_id = "C-1001") {
  v1::ComplaintEvent event;
  v1::ReplySent* reply = event.mutable_reply_sent();
  reply->set_case_id(kCase);
  *reply->mutable_reply() = Loc("经核查，电表计量准确。", "We checked: the meter is accurate.");
  reply->set_cause_code("METER_OK");
  *reply->mutable_at() = Ts(at);
  reply->set_customer_id(std::move(customer_id));
  return event;
}

// The memo after the case opened.
CaseMemo OpenedMemo(v1::RequestType type = v1::REQUEST_TYPE_COMPLAINT,
                    v1::CaseOrigin origin = v1::CASE_ORIGIN_TICKET) {
  return Shipped().OnComplaint(CaseOpened(type, origin), {}, kNow).memo;
}

TEST_CASE("An opened case is remembered and tells nobody") {
  const auto out = Shipped().OnComplaint(CaseOpened(), {}, kNow);
  CHECK(out.intents.empty());
  CHECK(out.memo == CaseMemo{"C-1001", "marketing", v1::DEPARTMENT_MARKETING,
                             v1::REQUEST_TYPE_COMPLAINT, v1::CASE_ORIGIN_TICKET, kReplyDue});
  CHECK(TriggerRules::CaseId(CaseOpened()) == kCase);
}

TEST_CASE("The customer hears that the department made contact and when it will reply") {
  const auto out = Shipped().OnComplaint(Contacted(), OpenedMemo(), kNow + 2h);
  CheckIntents(out.intents, {{"complaint.contacted",
                              "complaint.contacted",
                              kCase,
                              Customer("C-1001"),
                              {{"case_id", IdValue(kCase)},
                               {"department", LocValue("营销部", "the marketing department")},
                               {"deadline", TimeValue(kReplyDue)}}}});
  CHECK(TriggerRules::CaseId(Contacted()) == kCase);
}

TEST_CASE("A contact on a case never seen opening tells nobody") {
  CHECK(Shipped().OnComplaint(Contacted(), {}, kNow).intents.empty());
  CaseMemo no_deadline = OpenedMemo();
  no_deadline.reply_due_at.reset();
  CHECK(Shipped().OnComplaint(Contacted(), no_deadline, kNow).intents.empty());
}

TEST_CASE("Routing moves the department the messages name") {
  v1::ComplaintEvent routed;
  routed.mutable_case_routed()->set_case_id(kCase);
  routed.mutable_case_routed()->set_department(v1::DEPARTMENT_METERING);
  routed.mutable_case_routed()->set_department_id("metering");
  const CaseMemo memo = Shipped().OnComplaint(routed, OpenedMemo(), kNow).memo;
  CHECK(memo.department_id == "metering");
  CHECK(memo.department == v1::DEPARTMENT_METERING);
  const auto out = Shipped().OnComplaint(Contacted(), memo, kNow);
  REQUIRE(out.intents.size() == 1);
  CHECK(Describe(*out.intents[0].values.Find("department")) ==
        Describe(LocValue("计量中心", "the metering centre")));
}

TEST_CASE("Department names come from the configuration or the coarse kind or the id") {
  CHECK(Shipped().DepartmentName("service-dispatch-centre", v1::DEPARTMENT_UNSPECIFIED).zh_cn() ==
        "供电服务指挥中心");
  CHECK(Shipped().DepartmentName("marketing-east", v1::DEPARTMENT_MARKETING).en() ==
        "the marketing department");
  CHECK(Shipped().DepartmentName("grid-planning", v1::DEPARTMENT_UNSPECIFIED).zh_cn() ==
        "grid-planning");
  CHECK(Shipped().DepartmentName("", v1::DEPARTMENT_UNSPECIFIED).en() ==
        "our customer service centre");
}

TEST_CASE("A reply is sent to the customer and the return visit announced a day later") {
  const core::TimePoint at = kNow + 3 * 24h;
  const auto out = Shipped().OnComplaint(Reply(at), OpenedMemo(), at);
  CheckIntents(
      out.intents,
      {{"complaint.replied",
        "complaint.replied",
        kCase,
        Customer("C-1001"),
        {{"case_id", IdValue(kCase)},
         {"department", LocValue("营销部", "the marketing department")},
         {"reply_text", LocValue("经核查，电表计量准确。", "We checked: the meter is accurate.")},
         {"sent_at", TimeValue(at)}}},
       {"complaint.return_visit_due",
        "complaint.return_visit_due",
        kCase,
        Customer("C-1001"),
        {{"case_id", IdValue(kCase)},
         {"department", LocValue("营销部", "the marketing department")},
         {"deadline", TimeValue(at + 72h)}},
        false,
        at + 24h}});
}

TEST_CASE("A reply names its customer even when the case memo does not") {
  const auto out = Shipped().OnComplaint(Reply(kNow, "C-2002"), {}, kNow);
  REQUIRE(out.intents.size() == 2);
  CHECK(out.intents[0].recipients == Customer("C-2002"));
  CHECK(out.memo.customer_id == "C-2002");
  CHECK(Describe(*out.intents[0].values.Find("department")) ==
        Describe(LocValue("客户服务中心", "our customer service centre")));
}

TEST_CASE("Praise and sampled fault visits get no return-visit notice") {
  CHECK(
      Templates(
          Shipped().OnComplaint(Reply(kNow), OpenedMemo(v1::REQUEST_TYPE_PRAISE), kNow).intents) ==
      std::vector<std::string>{"complaint.replied"});
  CHECK(Templates(Shipped()
                      .OnComplaint(Reply(kNow),
                                   OpenedMemo(v1::REQUEST_TYPE_FAULT_REPAIR,
                                              v1::CASE_ORIGIN_FAULT_RETURN_VISIT),
                                   kNow)
                      .intents) == std::vector<std::string>{"complaint.replied"});
}

TEST_CASE("A made return visit or a closed case withdraws the return-visit notice") {
  v1::ComplaintEvent visit;
  visit.mutable_return_visit_recorded()->set_case_id(kCase);
  visit.mutable_return_visit_recorded()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  auto out = Shipped().OnComplaint(visit, OpenedMemo(), kNow);
  CHECK(out.intents.empty());
  CHECK(out.withdrawals == std::vector<Withdrawal>{{kCase, "complaint.return_visit_due"}});
  visit.mutable_return_visit_recorded()->set_unreachable(true);
  CHECK(Shipped().OnComplaint(visit, OpenedMemo(), kNow).withdrawals.empty());
  v1::ComplaintEvent closed;
  closed.mutable_case_closed()->mutable_complaint_case()->set_case_id(kCase);
  out = Shipped().OnComplaint(closed, OpenedMemo(), kNow);
  CHECK(out.withdrawals == std::vector<Withdrawal>{{kCase, "complaint.return_visit_due"}});
  CHECK(out.memo == OpenedMemo());
}

TEST_CASE("A reopened or resumed case moves the reply deadline") {
  v1::ComplaintEvent reopened;
  reopened.mutable_case_reopened()->set_case_id(kCase);
  *reopened.mutable_case_reopened()->add_clocks() =
      Clock(v1::ServiceClock::KIND_COMPLAINT_REPLY, kReplyDue + 7 * 24h);
  CHECK(Shipped().OnComplaint(reopened, OpenedMemo(), kNow).memo.reply_due_at ==
        kReplyDue + 7 * 24h);
  v1::ComplaintEvent resumed;
  resumed.mutable_case_resumed()->set_case_id(kCase);
  *resumed.mutable_case_resumed()->add_clocks() =
      Clock(v1::ServiceClock::KIND_COMPLAINT_CONTACT, kNow + 30h);
  *resumed.mutable_case_resumed()->add_clocks() =
      Clock(v1::ServiceClock::KIND_COMPLAINT_REPLY, kReplyDue + 2 * 24h);
  CHECK(Shipped().OnComplaint(resumed, OpenedMemo(), kNow).memo.reply_due_at ==
        kReplyDue + 2 * 24h);
}

v1::ComplaintEvent Alarm(bool overdue) {
  v1::ComplaintEvent event;
  v1::CaseDeadlineAlarm* alarm = event.mutable_deadline_alarm();
  alarm->set_case_id(kCase);
  *alarm->mutable_clock() = Clock(v1::ServiceClock::KIND_COMPLAINT_REPLY, kReplyDue);
  alarm->set_overdue(overdue);
  alarm->set_supervision_level(overdue ? 2 : 0);
  alarm->set_escalated_to(overdue ? "service-dispatch-centre" : "handler");
  alarm->set_alarm_id(kCase + (overdue ? "/reply/l2" : "/reply/r80"));
  alarm->set_percent_elapsed(overdue ? 0 : 80);
  alarm->set_department_id("marketing");
  alarm->mutable_must_act()->set_kind(v1::Actor::KIND_DEPARTMENT);
  alarm->mutable_must_act()->set_id(overdue ? "sdc-head" : "mkt-wl-02");
  alarm->mutable_must_act()->set_display_name(overdue ? "邓丽华" : "黄志强");
  *alarm->mutable_at() = Ts(overdue ? kReplyDue + 24h + 5min : kReplyDue - 24h);
  return event;
}

TEST_CASE("A reminder goes to the handler who must act with the deadline") {
  const auto out = Shipped().OnComplaint(Alarm(false), OpenedMemo(), kNow);
  CheckIntents(out.intents,
               {{"complaint.reminder",
                 "staff.complaint_reminder",
                 kCase,
                 Staff("mkt-wl-02", "黄志强"),
                 {{"case_id", IdValue(kCase)},
                  {"department", LocValue("营销部", "the marketing department")},
                  {"deadline", TimeValue(kReplyDue)},
                  {"summary", LocValue("答复时限已用去80%。",
                                       "80% of the reply time limit has been used.")}}}});
}

TEST_CASE("A supervision rung goes to the supervisor with the time overdue") {
  const auto out = Shipped().OnComplaint(Alarm(true), OpenedMemo(), kNow);
  const core::TimePoint at = kReplyDue + 24h + 5min;
  CheckIntents(out.intents,
               {{"complaint.supervision",
                 "staff.supervision_raised",
                 kCase,
                 Staff("sdc-head", "邓丽华"),
                 {{"case_id", IdValue(kCase)},
                  {"department", LocValue("营销部", "the marketing department")},
                  {"deadline", TimeValue(at + 24h)},
                  {"level", CountValue(2)},
                  {"minutes_overdue", CountValue(24 * 60 + 5)},
                  {"summary", LocValue("答复时限已超期，升级为2级督办。",
                                       "The reply deadline has passed: supervision level 2.")}}}});
}

TEST_CASE("An alarm names the role or the department when complaint names no person") {
  v1::ComplaintEvent event = Alarm(true);
  event.mutable_deadline_alarm()->clear_must_act();
  auto out = Shipped().OnComplaint(event, OpenedMemo(), kNow);
  REQUIRE(out.intents.size() == 1);
  CHECK(out.intents[0].recipients == Staff("service-dispatch-centre"));
  event.mutable_deadline_alarm()->clear_escalated_to();
  out = Shipped().OnComplaint(event, OpenedMemo(), kNow);
  REQUIRE(out.intents.size() == 1);
  CHECK(out.intents[0].recipients == Staff("marketing"));
  event.mutable_deadline_alarm()->clear_department_id();
  CHECK(Shipped().OnComplaint(event, OpenedMemo(), kNow).intents.empty());
}

TEST_CASE("A coordination part's reminder names the part and its department") {
  v1::ComplaintEvent event = Alarm(false);
  event.mutable_deadline_alarm()->set_department_id("metering");
  event.mutable_deadline_alarm()->set_coordination_department_id("metering");
  const auto out = Shipped().OnComplaint(event, OpenedMemo(), kNow);
  REQUIRE(out.intents.size() == 1);
  CHECK(Describe(*out.intents[0].values.Find("department")) ==
        Describe(LocValue("计量中心", "the metering centre")));
  CHECK(Describe(*out.intents[0].values.Find("summary")) ==
        Describe(
            LocValue("协办时限已用去80%。", "80% of the coordination time limit has been used.")));
}

TEST_CASE("A reminder without a deadline tells nobody") {
  v1::ComplaintEvent event = Alarm(false);
  event.mutable_deadline_alarm()->mutable_clock()->clear_due_at();
  CHECK(Shipped().OnComplaint(event, OpenedMemo(), kNow).intents.empty());
}

TEST_CASE("Other case events tell nobody and keep the memo") {
  v1::ComplaintEvent assigned;
  assigned.mutable_case_assigned()->set_case_id(kCase);
  v1::ComplaintEvent escalated;
  escalated.mutable_case_escalated()->set_case_id(kCase);
  v1::ComplaintEvent attempted;
  attempted.mutable_contact_attempted()->set_case_id(kCase);
  for (const auto& event : {assigned, escalated, attempted}) {
    const auto out = Shipped().OnComplaint(event, OpenedMemo(), kNow);
    CHECK(out.intents.empty());
    CHECK(out.withdrawals.empty());
    CHECK(out.memo == OpenedMemo());
    CHECK(TriggerRules::CaseId(event) == kCase);
  }
  CHECK(TriggerRules::CaseId(v1::ComplaintEvent()).empty());
}

TEST_CASE("Redelivered complaint events give the same intents again") {
  const auto first = Shipped().OnComplaint(Reply(kNow), OpenedMemo(), kNow);
  const auto again = Shipped().OnComplaint(Reply(kNow), first.memo, kNow + 1h);
  REQUIRE(again.intents.size() == first.intents.size());
  for (size_t i = 0; i < first.intents.size(); ++i) {
    CHECK(again.intents[i].template_id == first.intents[i].template_id);
    CHECK(again.intents[i].recipients == first.intents[i].recipients);
    CHECK(again.intents[i].not_before == first.intents[i].not_before);
  }
  CHECK(again.memo == first.memo);
}

}  // namespace
}  // namespace gridcare::notification
