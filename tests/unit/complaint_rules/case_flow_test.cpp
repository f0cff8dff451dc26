// The case's life after routing: returns (once per department, to the coordinator beyond the
// limit), coordination across departments (the reply waits for every part), pauses (only for a
// recorded reason; resume moves the clocks; a breach before the pause stays), the reply (cause
// catalogue, both languages), the return visit (close, reopen one level up, the coordinator,
// unreachable) and reopening by hand.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "rules_fixture.h"

namespace gridcare::complaint {
namespace {

using namespace test;
using Ev = v1::ComplaintEvent;
using K = core::ErrorKind;
constexpr auto kContact = v1::ServiceClock::KIND_COMPLAINT_CONTACT;
constexpr auto kReply = v1::ServiceClock::KIND_COMPLAINT_REPLY;

TEST_CASE("a department returns a case once, beyond max_returns it goes to the coordinator",
          "[rules][return]") {
  const Rules rules;  // max_returns 2
  auto stored = Opened(rules);
  auto change = Ok(rules->Return(stored, ReturnReq("mkt-wl-02", "ret-1"), T0() + 1h));
  {
    const auto& c = change.stored.complaint_case();
    CHECK(c.department_id() == "service-dispatch-centre");
    CHECK(c.unit_id().empty());
    CHECK(c.handler_id().empty());
    CHECK(c.return_count() == 1);
    CHECK(c.routing_rule() == "returned");
    CHECK_FALSE(c.with_coordinator());
    CHECK(std::vector<std::string>(c.returned_by().begin(), c.returned_by().end()) ==
          std::vector<std::string>{"marketing"});
    const auto& returned = change.events.at(0).event.case_returned();
    CHECK(returned.department_id() == "marketing");
    CHECK(returned.reason() == "not a billing matter");
    CHECK(returned.return_count() == 1);
    CHECK_FALSE(returned.to_coordinator());
    CHECK(c.timeline().rbegin()->description().zh_cn() == "正在重新分派处理部门");
    CHECK(c.timeline().rbegin()->description().en() == "Finding the right department");
  }
  // The pool cannot return it further.
  Fails(rules->Return(change.stored, ReturnReq("sdc-head", "ret-x"), T0() + 2h),
        K::kFailedPrecondition, "already with the service-dispatch centre");
  // The centre sends it back to marketing, which may not return it again.
  change = Ok(rules->Assign(change.stored, AssignReq("sdc-head", "mkt-wl-02", "as-1"), T0() + 2h));
  Fails(rules->Return(change.stored, ReturnReq("mkt-wl-02", "ret-2"), T0() + 3h),
        K::kFailedPrecondition, "department 'marketing' returned case");
  // To operations, which returns it (second return: to the pool).
  change = Ok(rules->Assign(change.stored, AssignReq("sdc-head", "ops-wl-02", "as-2"), T0() + 3h));
  change = Ok(rules->Return(change.stored, ReturnReq("ops-wl-02", "ret-3"), T0() + 4h));
  CHECK(change.stored.complaint_case().return_count() == 2);
  CHECK(change.stored.complaint_case().handler_id().empty());
  CHECK_FALSE(change.events.at(0).event.case_returned().to_coordinator());
  // To metering, which returns it too: the third return goes to the coordinator.
  change = Ok(rules->Assign(change.stored, AssignReq("sdc-head", "met-02", "as-3"), T0() + 4h));
  change = Ok(rules->Return(change.stored, ReturnReq("met-02", "ret-4"), T0() + 5h));
  const auto& c = change.stored.complaint_case();
  CHECK(c.return_count() == 3);
  CHECK(c.with_coordinator());
  CHECK(c.handler_id() == "sdc-coord");
  CHECK(c.department_id() == "service-dispatch-centre");
  CHECK(c.routing_rule() == "coordinator");
  CHECK(change.events.at(0).event.case_returned().to_coordinator());
  CHECK(c.timeline().rbegin()->description().zh_cn() == "已转协调人统筹处理");

  SECTION("return errors") {
    Fails(rules->Return(Opened(rules), ReturnReq("mkt-wl-02", "r", ""), T0() + 1h),
          K::kInvalidArgument, "reason");
    Fails(rules->Return(Replied(rules), ReturnReq("mkt-wl-02", "r"), T0() + 30h),
          K::kFailedPrecondition, "cannot return case CC-GC-20261102-000001 in state REPLIED");
  }
}

TEST_CASE("with max_returns 1 the second return goes to the coordinator", "[rules][return]") {
  const auto rules = Rules::FromJson(R"({"max_returns": 1})");
  auto change = Ok(rules->Return(Opened(rules), ReturnReq("mkt-wl-02", "r1"), T0() + 1h));
  CHECK_FALSE(change.stored.complaint_case().with_coordinator());
  change = Ok(rules->Assign(change.stored, AssignReq("sdc-head", "ops-wl-02", "as"), T0() + 2h));
  change = Ok(rules->Return(change.stored, ReturnReq("ops-wl-02", "r2"), T0() + 3h));
  CHECK(change.stored.complaint_case().with_coordinator());
  CHECK(change.stored.complaint_case().handler_id() == "sdc-coord");
}

TEST_CASE("coordination: the reply waits until every part is in", "[rules][coordination]") {
  const Rules rules;
  auto stored = Contacted(rules);
  const core::TimePoint asked = T0() + 3h;
  auto change = Ok(rules->RequestCoordination(
      stored, CoordinateReq("mkt-wl-02", {"metering", "operations"}), asked, Calendar()));
  {
    const auto& c = change.stored.complaint_case();
    REQUIRE(c.parts_size() == 2);
    CHECK(c.parts(0).department_id() == "metering");
    // The configured default: 2 working days (Mon 13:00 → Wed 13:00).
    CHECK(Show(sla::FromTimestamp(c.parts(0).due_at())) == Show(At(2026, 11, 4, 13)));
    CHECK(sla::FromTimestamp(c.parts(0).requested_at()) == asked);
    CHECK(c.coordinating_departments_size() == 2);
    const auto& requested = change.events.at(0).event.coordination_requested();
    CHECK(requested.lead_department_id() == "marketing");
    CHECK(requested.parts_size() == 2);
    CHECK(requested.parts(1).department_id() == "operations");
    CHECK(c.timeline().rbegin()->description().en() ==
          "Several departments are working on it together");
  }
  Fails(rules->Reply(change.stored, ReplyReq("mkt-wl-02", "rep-1"), asked + 1h),
        K::kFailedPrecondition, "waits for coordination parts from: metering, operations");
  change = Ok(rules->AnswerCoordination(change.stored, AnswerReq("met-01", "metering", "ans-1"),
                                        asked + 2h));
  {
    const auto& c = change.stored.complaint_case();
    CHECK(c.parts(0).has_answered_at());
    CHECK(c.parts(0).answered_by().id() == "met-01");
    CHECK(c.parts(0).text() == "meter tested: within tolerance");
    const auto& replied = change.events.at(0).event.coordination_part_replied();
    CHECK(replied.department_id() == "metering");
    CHECK(replied.parts_outstanding() == 1);
  }
  // Who is holding it up: operations.
  Fails(rules->Reply(change.stored, ReplyReq("mkt-wl-02", "rep-2"), asked + 3h),
        K::kFailedPrecondition, "waits for coordination parts from: operations");
  Fails(rules->AnswerCoordination(change.stored, AnswerReq("met-01", "metering", "ans-2"),
                                  asked + 3h),
        K::kFailedPrecondition, "has no open part for department 'metering'");
  change = Ok(rules->AnswerCoordination(change.stored,
                                        AnswerReq("ops-wl-02", "operations", "ans-3"), asked + 4h));
  CHECK(change.events.at(0).event.coordination_part_replied().parts_outstanding() == 0);
  change = Ok(rules->Reply(change.stored, ReplyReq("mkt-wl-02", "rep-3"), asked + 5h));
  CHECK(change.stored.complaint_case().state() == v1::CASE_STATE_REPLIED);
}

TEST_CASE("coordination requests are checked field by field", "[rules][coordination]") {
  const Rules rules;
  const auto stored = Opened(rules);
  const auto ask = [&](const v1::RequestCoordinationRequest& r) {
    return rules->RequestCoordination(stored, r, T0() + 1h, Calendar());
  };
  Fails(ask(CoordinateReq("mkt-wl-02", {})), K::kInvalidArgument, "parts: name at least one");
  Fails(ask(CoordinateReq("mkt-wl-02", {"legal"})), K::kInvalidArgument,
        "parts[0].department_id: unknown department 'legal'");
  Fails(ask(CoordinateReq("mkt-wl-02", {"marketing"})), K::kInvalidArgument,
        "parts[0].department_id: 'marketing' leads the case");
  Fails(ask(CoordinateReq("mkt-wl-02", {"metering", "metering"})), K::kInvalidArgument,
        "parts[1].department_id: 'metering' already has an open part");
  Fails(ask(CoordinateReq("mkt-wl-02", {"metering"}, "r", 61)), K::kInvalidArgument,
        "parts[0].due_working_days must be 0..60");
  Fails(ask(CoordinateReq("mkt-wl-02", {"metering"}, "r", -1)), K::kInvalidArgument,
        "parts[0].due_working_days");
  // A part's own sub-deadline.
  const auto own = Ok(ask(CoordinateReq("mkt-wl-02", {"metering"}, "r", 4)));
  CHECK(Show(sla::FromTimestamp(own.stored.complaint_case().parts(0).due_at())) ==
        Show(At(2026, 11, 6, 11)));
  // A department with an open part cannot be asked again; once answered it can.
  Fails(rules->RequestCoordination(own.stored, CoordinateReq("mkt-wl-02", {"metering"}, "r2"),
                                   T0() + 2h, Calendar()),
        K::kInvalidArgument, "parts[0].department_id: 'metering' already has an open part");
  const auto answered =
      Ok(rules->AnswerCoordination(own.stored, AnswerReq("met-02", "metering", "a1"), T0() + 3h));
  const auto again = Ok(rules->RequestCoordination(
      answered.stored, CoordinateReq("mkt-wl-02", {"metering"}, "r3"), T0() + 4h, Calendar()));
  CHECK(again.stored.complaint_case().parts_size() == 2);
  CHECK(again.stored.complaint_case().coordinating_departments_size() == 1);
  Fails(rules->RequestCoordination(Replied(rules), CoordinateReq("mkt-wl-02", {"metering"}),
                                   T0() + 30h, Calendar()),
        K::kFailedPrecondition, "in state REPLIED");

  SECTION("answer errors") {
    auto answer = AnswerReq("met-01", "metering", "a9");
    answer.clear_text();
    Fails(rules->AnswerCoordination(own.stored, answer, T0() + 3h), K::kInvalidArgument, "text");
    answer = AnswerReq("met-01", "", "a9");
    Fails(rules->AnswerCoordination(own.stored, answer, T0() + 3h), K::kInvalidArgument,
          "department_id");
    Fails(rules->AnswerCoordination(own.stored, AnswerReq("met-01", "operations", "a9"), T0() + 3h),
          K::kPermissionDenied, "may not answer for department 'operations'");
    // The coordinator may answer for a department.
    CHECK(Ok(rules->AnswerCoordination(own.stored, AnswerReq("sdc-coord", "metering", "a9"),
                                       T0() + 3h))
              .changed);
    auto replied = own.stored;
    replied.mutable_complaint_case()->set_state(v1::CASE_STATE_REPLIED);
    Fails(rules->AnswerCoordination(replied, AnswerReq("met-01", "metering", "a9"), T0() + 3h),
          K::kFailedPrecondition, "in state REPLIED");
  }
}

TEST_CASE("a pause needs a recorded reason, unreachable only after the required attempts",
          "[rules][pause]") {
  const Rules rules;  // contact_attempts_required 3
  auto stored = Opened(rules);
  Fails(rules->Pause(stored, PauseReq("mkt-wl-02", v1::PAUSE_REASON_UNSPECIFIED), T0() + 1h),
        K::kInvalidArgument, "reason");
  for (int i = 1; i <= 3; ++i) {
    Fails(rules->Pause(stored, PauseReq("mkt-wl-02", v1::PAUSE_REASON_CUSTOMER_UNREACHABLE),
                       T0() + 1h),
          K::kFailedPrecondition,
          "needs 3 recorded contact attempts, case CC-GC-20261102-000001 has " +
              std::to_string(i - 1));
    stored = Ok(rules->ContactAttempt(stored, AttemptReq("mkt-wl-02", "a" + std::to_string(i)),
                                      T0() + std::chrono::hours(i)))
                 .stored;
  }
  const auto paused = Ok(rules->Pause(
      stored, PauseReq("mkt-wl-02", v1::PAUSE_REASON_CUSTOMER_UNREACHABLE), T0() + 4h));
  const auto& c = paused.stored.complaint_case();
  REQUIRE(c.pauses_size() == 1);
  CHECK(c.pauses(0).reason() == v1::PAUSE_REASON_CUSTOMER_UNREACHABLE);
  CHECK(c.pauses(0).note() == "customer travelling");
  CHECK(c.pauses(0).by().id() == "mkt-wl-02");
  CHECK(sla::FromTimestamp(c.pauses(0).paused_at()) == T0() + 4h);
  CHECK_FALSE(c.pauses(0).has_resumed_at());
  CHECK(paused.events.at(0).event.case_paused().pause().reason() ==
        v1::PAUSE_REASON_CUSTOMER_UNREACHABLE);
  CHECK(c.timeline().rbegin()->description().zh_cn() == "多次联系未果，办理时限暂停");
  CHECK(c.timeline().rbegin()->description().en() == "We could not reach you; the clock is paused");
  // No timer while paused.
  CHECK_FALSE(rules->NextTimer(paused.stored).has_value());
  CHECK(rules->Tick(paused.stored, T0() + 100h).events.empty());
  Fails(rules->Pause(paused.stored,
                     PauseReq("mkt-wl-02", v1::PAUSE_REASON_WAITING_ON_CUSTOMER, "p2"), T0() + 5h),
        K::kFailedPrecondition, "already paused");
  Fails(rules->Resume(Opened(rules), ResumeReq("mkt-wl-02"), T0() + 5h, Calendar()),
        K::kFailedPrecondition, "is not paused");
  Fails(rules->Pause(Replied(rules), PauseReq("mkt-wl-02", v1::PAUSE_REASON_WAITING_ON_CUSTOMER),
                     T0() + 30h),
        K::kFailedPrecondition, "cannot pause case CC-GC-20261102-000001 in state REPLIED");
}

TEST_CASE("resume moves the clocks by the pause, a breach before the pause stays",
          "[rules][pause]") {
  const Rules rules;
  SECTION("paused before any deadline: both clocks move") {
    // Paused Mon 12:00, resumed Wed 12:00: 48 h wall time, 2 working days.
    const auto paused = Ok(rules->Pause(
        Opened(rules), PauseReq("mkt-wl-02", v1::PAUSE_REASON_WAITING_ON_CUSTOMER), T0() + 2h));
    const auto resumed =
        Ok(rules->Resume(paused.stored, ResumeReq("mkt-wl-02"), T0() + 50h, Calendar()));
    const auto& c = resumed.stored.complaint_case();
    CHECK(Show(DueOf(c, kContact)) == Show(At(2026, 11, 5, 10)));
    CHECK(Show(DueOf(c, kReply)) == Show(At(2026, 11, 11, 10)));
    CHECK(sla::FromTimestamp(c.pauses(0).resumed_at()) == T0() + 50h);
    const auto& event = resumed.events.at(0).event.case_resumed();
    CHECK(event.paused_seconds() == 48 * 3600);
    REQUIRE(event.clocks_size() == 2);
    CHECK(event.clocks(0).due_at().seconds() == c.clocks(0).due_at().seconds());
    CHECK(c.timeline().rbegin()->description().zh_cn() == "继续办理");
    CHECK(rules->NextTimer(resumed.stored).has_value());
  }
  SECTION("paused after the contact deadline: the contact breach is not hidden") {
    // Contact due Tue 10:00; paused Tue 12:00, resumed Thu 12:00.
    const auto paused = Ok(rules->Pause(
        Opened(rules), PauseReq("mkt-wl-02", v1::PAUSE_REASON_WAITING_ON_CUSTOMER), T0() + 26h));
    const auto resumed =
        Ok(rules->Resume(paused.stored, ResumeReq("mkt-wl-02"), T0() + 74h, Calendar()));
    const auto& c = resumed.stored.complaint_case();
    CHECK(Show(DueOf(c, kContact)) == Show(At(2026, 11, 3, 10)));
    CHECK(Show(DueOf(c, kReply)) == Show(At(2026, 11, 11, 10)));
    // The contact clock's ladder fires at once after the resume: level 1 and 2 are past.
    const auto tick = rules->Tick(resumed.stored, T0() + 74h);
    std::vector<std::string> ids;
    for (const auto& out : tick.events) ids.push_back(out.event_id);
    CHECK(ids == std::vector<std::string>{
                     "CC-GC-20261102-000001/contact/r50", "CC-GC-20261102-000001/contact/r80",
                     "CC-GC-20261102-000001/contact/l1", "CC-GC-20261102-000001/contact/l2"});
    CHECK(tick.stored.complaint_case().supervision_level() == 2);
  }
}

TEST_CASE("the reply records a catalogued cause and the text in both languages", "[rules][reply]") {
  const Rules rules;
  const auto stored = Contacted(rules);
  const auto replied = Ok(rules->Reply(stored, ReplyReq("mkt-wl-02"), T0() + 26h));
  const auto& c = replied.stored.complaint_case();
  CHECK(c.state() == v1::CASE_STATE_REPLIED);
  CHECK(c.root_cause() == "billing-estimate");
  CHECK(c.reply().cause_code() == "billing-estimate");
  CHECK(c.reply().corrective_action() == "meter read again; bill corrected");
  CHECK(c.reply().text().zh_cn() == "经核查，上月电费为估抄，已更正。");
  CHECK(c.reply().by().id() == "mkt-wl-02");
  const auto* reply_clock = FindClock(c, kReply);
  REQUIRE(reply_clock->has_met_at());
  CHECK(sla::FromTimestamp(reply_clock->met_at()) == T0() + 26h);
  CHECK_FALSE(rules->NextTimer(replied.stored).has_value());
  REQUIRE(Kinds(replied) == std::vector{Ev::kReplySent});
  const auto& sent = replied.events[0].event.reply_sent();
  CHECK(sent.cause_code() == "billing-estimate");
  CHECK(sent.root_cause() == "billing-estimate");
  CHECK(sent.reply().en() == "Last month's bill was estimated; it was corrected.");
  CHECK(sent.customer_id() == "C-1001");
  CHECK(c.timeline().rbegin()->description().zh_cn() == "已答复您的诉求");

  SECTION("one language fills the other") {
    auto r = ReplyReq("mkt-wl-02", "r2");
    r.mutable_reply()->mutable_reply()->clear_en();
    auto only_zh = Ok(rules->Reply(stored, r, T0() + 26h));
    CHECK(only_zh.stored.complaint_case().reply().text().en() ==
          "经核查，上月电费为估抄，已更正。");
    r = ReplyReq("mkt-wl-02", "r3");
    r.mutable_reply()->mutable_reply()->clear_zh_cn();
    auto only_en = Ok(rules->Reply(stored, r, T0() + 26h));
    CHECK(only_en.stored.complaint_case().reply().text().zh_cn() ==
          "Last month's bill was estimated; it was corrected.");
  }
  SECTION("the old root_cause field is read when cause_code is empty") {
    auto r = ReplyReq("mkt-wl-02", "r4");
    r.mutable_reply()->clear_cause_code();
    r.mutable_reply()->set_root_cause("slow-repair");
    CHECK(Ok(rules->Reply(stored, r, T0() + 26h)).stored.complaint_case().root_cause() ==
          "slow-repair");
  }
  SECTION("errors") {
    auto r = ReplyReq("mkt-wl-02", "r5");
    r.mutable_reply()->set_cause_code("bad-luck");
    Fails(rules->Reply(stored, r, T0() + 26h), K::kInvalidArgument,
          "reply.cause_code: 'bad-luck' is not in the cause catalogue");
    r.mutable_reply()->clear_cause_code();
    Fails(rules->Reply(stored, r, T0() + 26h), K::kInvalidArgument, "reply.cause_code");
    r = ReplyReq("mkt-wl-02", "r5");
    r.mutable_reply()->clear_corrective_action();
    Fails(rules->Reply(stored, r, T0() + 26h), K::kInvalidArgument, "reply.corrective_action");
    r = ReplyReq("mkt-wl-02", "r5");
    r.mutable_reply()->clear_reply();
    Fails(rules->Reply(stored, r, T0() + 26h), K::kInvalidArgument, "reply.reply");
    Fails(rules->Reply(Opened(rules), ReplyReq("mkt-wl-02", "r5"), T0() + 26h),
          K::kFailedPrecondition, "in state ROUTED: contact the customer first");
    Fails(rules->Reply(replied.stored, ReplyReq("mkt-wl-02", "r6"), T0() + 27h),
          K::kFailedPrecondition, "in state REPLIED");
  }
  SECTION("with an empty catalogue any non-empty cause is accepted") {
    const auto open_catalogue = Rules::FromJson("{}");
    auto r = ReplyReq("mkt-wl-02", "r7");
    r.mutable_reply()->set_cause_code("anything");
    CHECK(Ok(open_catalogue->Reply(Contacted(open_catalogue), r, T0() + 26h)).changed);
  }
}

TEST_CASE("praise closes on reply without a return visit", "[rules][reply]") {
  const Rules rules;
  auto stored = Opened(rules, v1::REQUEST_TYPE_PRAISE,
                       nullptr);  // 这个月电费太高了 → marketing, but a praise
  stored = Ok(rules->Contact(stored, ContactReq("mkt-wl-02"), T0() + 1h)).stored;
  auto r = ReplyReq("mkt-wl-02");
  r.mutable_reply()->set_cause_code("other");
  const auto change = Ok(rules->Reply(stored, r, T0() + 2h));
  const auto& c = change.stored.complaint_case();
  CHECK(c.state() == v1::CASE_STATE_CLOSED);
  CHECK(c.closure() == v1::CASE_CLOSURE_NO_VISIT_REQUIRED);
  CHECK(sla::FromTimestamp(c.closed_at()) == T0() + 2h);
  CHECK(Kinds(change) == std::vector{Ev::kReplySent, Ev::kCaseClosed});
  CHECK(EventIds(change) == std::vector<std::string>{"desk:r-reply#0", "desk:r-reply#1"});
  const auto& closed = change.events[1].event.case_closed().complaint_case();
  CHECK(closed.closure() == v1::CASE_CLOSURE_NO_VISIT_REQUIRED);
  CHECK(closed.text().empty());
  CHECK(closed.timeline().empty());
  CHECK(c.timeline().rbegin()->description().zh_cn() == "工单已办结");
  CHECK(c.timeline().rbegin()->description().en() == "Your case is closed");
}

TEST_CASE("a satisfied return visit closes the case as resolved", "[rules][visit]") {
  const Rules rules;
  for (const auto satisfaction :
       {v1::SATISFACTION_SATISFIED, v1::SATISFACTION_BASICALLY_SATISFIED}) {
    INFO(v1::Satisfaction_Name(satisfaction));
    const auto change = Ok(rules->ReturnVisit(
        Replied(rules), VisitReq("mkt-wl-02", satisfaction, true, "v1"), T0() + 50h, Calendar()));
    const auto& c = change.stored.complaint_case();
    CHECK(c.state() == v1::CASE_STATE_CLOSED);
    CHECK(c.closure() == v1::CASE_CLOSURE_RESOLVED);
    CHECK(c.last_satisfaction() == satisfaction);
    const int score = satisfaction == v1::SATISFACTION_SATISFIED ? 5 : 4;
    CHECK(c.satisfaction_score() == score);
    CHECK(Kinds(change) == std::vector{Ev::kReturnVisitRecorded, Ev::kCaseClosed});
    const auto& visit = change.events[0].event.return_visit_recorded();
    CHECK(visit.satisfied());
    CHECK(visit.satisfaction_score() == score);
    CHECK(visit.comment() == "还行");
    CHECK(visit.customer_id() == "C-1001");
    CHECK(visit.ticket_id() == "GC-20261102-000001");
    CHECK(visit.attempt() == 1);
    CHECK(c.timeline(c.timeline_size() - 2).description().en() == "Return visit recorded");
    CHECK_FALSE(rules->NextTimer(change.stored).has_value());
  }
  SECTION("a score the visitor gave is kept") {
    auto r = VisitReq("mkt-wl-02", v1::SATISFACTION_SATISFIED, true, "v2");
    r.mutable_visit()->set_satisfaction_score(3);
    CHECK(Ok(rules->ReturnVisit(Replied(rules), r, T0() + 50h, Calendar()))
              .stored.complaint_case()
              .satisfaction_score() == 3);
    r.mutable_visit()->set_satisfaction_score(9);
    Fails(rules->ReturnVisit(Replied(rules), r, T0() + 50h, Calendar()), K::kInvalidArgument,
          "visit.satisfaction_score");
  }
  SECTION("errors") {
    Fails(rules->ReturnVisit(Replied(rules),
                             VisitReq("mkt-wl-02", v1::SATISFACTION_UNSPECIFIED, true, "v3"),
                             T0() + 50h, Calendar()),
          K::kInvalidArgument, "visit.satisfaction is required");
    Fails(rules->ReturnVisit(Contacted(rules),
                             VisitReq("mkt-wl-02", v1::SATISFACTION_SATISFIED, true, "v3"),
                             T0() + 50h, Calendar()),
          K::kFailedPrecondition, "in state CONTACTED");
  }
}

TEST_CASE("a dissatisfied or unresolved visit reopens the case one level up with new clocks",
          "[rules][visit][reopen]") {
  const Rules rules;
  const core::TimePoint visit_at = At(2026, 11, 4, 15);  // Wed 15:00
  struct Row {
    v1::Satisfaction satisfaction;
    bool resolved;
    std::string reason;
    int dissatisfied;
  };
  for (const Row& row :
       {Row{v1::SATISFACTION_DISSATISFIED, true, "return visit: dissatisfied", 1},
        Row{v1::SATISFACTION_DISSATISFIED, false, "return visit: dissatisfied", 1},
        Row{v1::SATISFACTION_SATISFIED, false, "return visit: not resolved", 0},
        Row{v1::SATISFACTION_BASICALLY_SATISFIED, false, "return visit: not resolved", 0}}) {
    INFO(v1::Satisfaction_Name(row.satisfaction) << " resolved=" << row.resolved);
    const auto change = Ok(rules->ReturnVisit(
        Replied(rules), VisitReq("mkt-wl-02", row.satisfaction, row.resolved, "v1"), visit_at,
        Calendar()));
    const auto& c = change.stored.complaint_case();
    CHECK(c.state() == v1::CASE_STATE_REOPENED);
    CHECK(c.reopen_count() == 1);
    CHECK(c.supervision_level() == 1);
    CHECK(c.dissatisfied_count() == row.dissatisfied);
    CHECK_FALSE(c.has_reply());
    CHECK(c.closure() == v1::CASE_CLOSURE_UNSPECIFIED);
    CHECK_FALSE(c.with_coordinator());
    CHECK(c.department_id() == "marketing");
    CHECK(c.handler_id() == "mkt-wl-02");
    // New clocks from the visit: contact Thu 15:00, reply 5 working days later.
    REQUIRE(c.clocks_size() == 2);
    CHECK(Show(DueOf(c, kContact)) == Show(At(2026, 11, 5, 15)));
    CHECK(Show(DueOf(c, kReply)) == Show(At(2026, 11, 11, 15)));
    CHECK_FALSE(FindClock(c, kContact)->has_met_at());
    CHECK(Kinds(change) == std::vector{Ev::kReturnVisitRecorded, Ev::kCaseReopened});
    CHECK_FALSE(change.events[0].event.return_visit_recorded().satisfied());
    const auto& reopened = change.events[1].event.case_reopened();
    CHECK(reopened.reason() == row.reason);
    CHECK(reopened.reopen_count() == 1);
    CHECK(reopened.supervision_level() == 1);
    CHECK(reopened.clocks_size() == 2);
    CHECK_FALSE(reopened.to_coordinator());
    CHECK(c.timeline().rbegin()->description().zh_cn() == "工单已重新办理并升级督办");
    // The new clocks alarm under new ids.
    CHECK(Show(*rules->NextTimer(change.stored)) == Show(At(2026, 11, 5, 3)));
    const auto tick = rules->Tick(change.stored, At(2026, 11, 5, 3));
    REQUIRE(tick.events.size() == 1);
    CHECK(tick.events[0].event_id == "CC-GC-20261102-000001/contact/r50/o1");
  }
}

TEST_CASE("dissatisfied twice, the reopened case goes to the coordinator", "[rules][visit]") {
  const Rules rules;  // dissatisfied_to_coordinator 2
  auto stored = Replied(rules);
  const auto dissatisfied = [&](const std::string& id) {
    return VisitReq("mkt-wl-02", v1::SATISFACTION_DISSATISFIED, false, id);
  };
  stored =
      Ok(rules->ReturnVisit(stored, dissatisfied("v1"), At(2026, 11, 4, 15), Calendar())).stored;
  stored = Ok(rules->Contact(stored, ContactReq("mkt-wl-02", "c2"), At(2026, 11, 4, 16))).stored;
  stored = Ok(rules->Reply(stored, ReplyReq("mkt-wl-02", "rep2"), At(2026, 11, 5, 10))).stored;
  const auto change =
      Ok(rules->ReturnVisit(stored, dissatisfied("v2"), At(2026, 11, 6, 10), Calendar()));
  const auto& c = change.stored.complaint_case();
  CHECK(c.state() == v1::CASE_STATE_REOPENED);
  CHECK(c.reopen_count() == 2);
  CHECK(c.supervision_level() == 2);
  CHECK(c.dissatisfied_count() == 2);
  CHECK(c.with_coordinator());
  CHECK(c.department_id() == "service-dispatch-centre");
  CHECK(c.handler_id() == "sdc-coord");
  CHECK(Kinds(change) == std::vector{Ev::kReturnVisitRecorded, Ev::kCaseReopened, Ev::kCaseRouted});
  CHECK(change.events[1].event.case_reopened().to_coordinator());
  const auto& routed = change.events[2].event.case_routed();
  CHECK(routed.rule() == "coordinator");
  CHECK(routed.department_id() == "service-dispatch-centre");
  CHECK(routed.reason() == "dissatisfied 2 times");
  CHECK(c.timeline().rbegin()->description().en() == "Passed to the coordinator");
}

TEST_CASE("unreachable for the return visit N times closes the case, counted separately",
          "[rules][visit]") {
  const Rules rules;  // visit_attempts 3
  auto stored = Replied(rules);
  for (int i = 1; i <= 2; ++i) {
    const auto change =
        Ok(rules->ReturnVisit(stored, UnreachableReq("mkt-wl-02", "u" + std::to_string(i)),
                              T0() + std::chrono::hours(48 + i), Calendar()));
    stored = change.stored;
    CHECK(stored.complaint_case().state() == v1::CASE_STATE_REPLIED);
    CHECK(stored.complaint_case().visit_attempts() == i);
    REQUIRE(Kinds(change) == std::vector{Ev::kReturnVisitRecorded});
    CHECK(change.events[0].event.return_visit_recorded().unreachable());
    CHECK(change.events[0].event.return_visit_recorded().attempt() == i);
    CHECK(stored.complaint_case().timeline().rbegin()->description().en() ==
          "We could not reach you for the return visit");
  }
  const auto change =
      Ok(rules->ReturnVisit(stored, UnreachableReq("mkt-wl-02", "u3"), T0() + 60h, Calendar()));
  const auto& c = change.stored.complaint_case();
  CHECK(c.state() == v1::CASE_STATE_CLOSED);
  CHECK(c.closure() == v1::CASE_CLOSURE_RETURN_VISIT_UNREACHABLE);
  CHECK(c.visit_attempts() == 3);
  CHECK(Kinds(change) == std::vector{Ev::kReturnVisitRecorded, Ev::kCaseClosed});
  CHECK(change.events[1].event.case_closed().complaint_case().closure() ==
        v1::CASE_CLOSURE_RETURN_VISIT_UNREACHABLE);
  CHECK(c.timeline().rbegin()->description().zh_cn() == "多次回访未能联系到您，工单已办结");
}

TEST_CASE("a sampled fault ticket's visit closes or reopens it in the pool", "[rules][visit]") {
  const auto rules = Rules::FromJson(R"({"fault_visit_share": 1})");
  v1::TicketStateChanged restored;
  restored.set_ticket_id("GC-F-1");
  restored.set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  restored.set_state(v1::TICKET_STATE_RESOLVED);
  const auto opened = rules->OpenFaultVisit(restored, "evt-f", T0());
  REQUIRE(opened.has_value());
  const auto satisfied = Ok(
      rules->ReturnVisit(opened->stored, VisitReq("sdc-02", v1::SATISFACTION_SATISFIED, true, "v1"),
                         T0() + 2h, Calendar()));
  CHECK(satisfied.stored.complaint_case().closure() == v1::CASE_CLOSURE_RESOLVED);
  const auto dissatisfied = Ok(rules->ReturnVisit(
      opened->stored, VisitReq("sdc-02", v1::SATISFACTION_DISSATISFIED, false, "v1"), T0() + 2h,
      Calendar()));
  const auto& c = dissatisfied.stored.complaint_case();
  CHECK(c.state() == v1::CASE_STATE_REOPENED);
  // Reopened with a complaint's clocks.
  REQUIRE(c.clocks_size() == 2);
  CHECK(Show(DueOf(c, kReply)) == Show(At(2026, 11, 9, 12)));
}

TEST_CASE("reopen by hand: from replied or closed, with a reason", "[rules][reopen]") {
  const Rules rules;
  const auto closed = Ok(rules->ReturnVisit(
      Replied(rules), VisitReq("mkt-wl-02", v1::SATISFACTION_SATISFIED, true, "v1"), T0() + 50h,
      Calendar()));
  const auto change =
      Ok(rules->Reopen(closed.stored, ReopenReq("mkt-head", "ro-1"), T0() + 60h, Calendar()));
  const auto& c = change.stored.complaint_case();
  CHECK(c.state() == v1::CASE_STATE_REOPENED);
  CHECK(c.closure() == v1::CASE_CLOSURE_UNSPECIFIED);
  CHECK_FALSE(c.has_closed_at());
  CHECK(c.supervision_level() == 1);
  CHECK(c.reopen_count() == 1);
  CHECK(c.dissatisfied_count() == 0);
  const auto& reopened = change.events.at(0).event.case_reopened();
  CHECK(reopened.reason() == "customer called back");
  CHECK(reopened.by().id() == "mkt-head");
  CHECK(Show(DueOf(c, kContact)) == Show(T0() + 84h));
  Fails(rules->Reopen(Opened(rules), ReopenReq("mkt-head", "ro-2"), T0() + 1h, Calendar()),
        K::kFailedPrecondition, "cannot reopen case CC-GC-20261102-000001 in state ROUTED");
  Fails(rules->Reopen(closed.stored, ReopenReq("mkt-head", "ro-3", ""), T0() + 60h, Calendar()),
        K::kInvalidArgument, "reason");
  // At the top of the ladder a reopen keeps the level.
  auto top = closed.stored;
  top.mutable_complaint_case()->set_supervision_level(3);
  CHECK(Ok(rules->Reopen(top, ReopenReq("mkt-head", "ro-4"), T0() + 60h, Calendar()))
            .stored.complaint_case()
            .supervision_level() == 3);
}

}  // namespace
}  // namespace gridcare::complaint
