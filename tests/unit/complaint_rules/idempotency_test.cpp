// Idempotency and stable ids: every input applied twice changes nothing the second time and
// emits nothing; the ids of the events an input emits derive from the input's id, so two runs of
// the same inputs emit the same ids; every event case has its CloudEvents type; every timeline
// step of a whole case life is in zh-CN and en.
#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "rules_fixture.h"

namespace gridcare::complaint {
namespace {

using namespace test;
using Ev = v1::ComplaintEvent;

/// A whole case life: opened, an urging, reminders and a rung, taken, attempts, a pause,
/// coordination, contact, reply, a dissatisfied visit, the reopen, contact, reply and a satisfied
/// visit. Returns every change in order.
std::vector<CaseChange> Life(const Rules& rules) {
  std::vector<CaseChange> changes;
  const auto keep = [&changes](CaseChange change) {
    changes.push_back(change);
    return change.stored;
  };
  auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
  auto opened = rules->Open(ticket, Facts(), "evt-open", T0(), Calendar());
  REQUIRE(opened.has_value());
  auto s = keep(*opened);
  v1::ContactAdded urging;
  urging.set_ticket_id(ticket.ticket_id());
  urging.set_urging(true);
  urging.set_escalated(true);
  s = keep(rules->ContactAdded(s, urging, "evt-urge", T0() + 1h));
  s = keep(Ok(rules->Take(s, TakeReq("mkt-wl-02"), T0() + 2h)));
  s = keep(Ok(rules->ContactAttempt(s, AttemptReq("mkt-wl-02", "a1"), T0() + 3h)));
  s = keep(
      Ok(rules->Pause(s, PauseReq("mkt-wl-02", v1::PAUSE_REASON_WAITING_ON_CUSTOMER), T0() + 4h)));
  s = keep(Ok(rules->Resume(s, ResumeReq("mkt-wl-02"), T0() + 6h, Calendar())));
  s = keep(rules->Tick(s, At(2026, 11, 3, 13)));
  s = keep(Ok(rules->RequestCoordination(s, CoordinateReq("mkt-wl-02", {"metering"}),
                                         At(2026, 11, 3, 13), Calendar())));
  s = keep(Ok(rules->Contact(s, ContactReq("mkt-wl-02"), At(2026, 11, 3, 14))));
  s = keep(
      Ok(rules->AnswerCoordination(s, AnswerReq("met-01", "metering", "ans"), At(2026, 11, 4, 9))));
  s = keep(Ok(rules->Escalate(s, EscalateReq("mkt-head", "esc"), At(2026, 11, 4, 10))));
  s = keep(Ok(rules->Reply(s, ReplyReq("mkt-wl-02"), At(2026, 11, 4, 11))));
  s = keep(
      Ok(rules->ReturnVisit(s, VisitReq("mkt-wl-02", v1::SATISFACTION_DISSATISFIED, false, "v1"),
                            At(2026, 11, 5, 9), Calendar())));
  s = keep(Ok(rules->Contact(s, ContactReq("mkt-wl-02", "c2"), At(2026, 11, 5, 10))));
  s = keep(Ok(rules->Reply(s, ReplyReq("mkt-wl-02", "rep2"), At(2026, 11, 5, 11))));
  keep(Ok(rules->ReturnVisit(s, VisitReq("mkt-wl-02", v1::SATISFACTION_SATISFIED, true, "v2"),
                             At(2026, 11, 6, 9), Calendar())));
  return changes;
}

TEST_CASE("two runs of the same inputs emit the same event ids", "[rules][idempotency]") {
  const Rules rules;
  const auto first = Life(rules);
  const auto second = Life(rules);
  REQUIRE(first.size() == second.size());
  std::set<std::string> all;
  size_t events = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    CHECK(EventIds(first[i]) == EventIds(second[i]));
    CHECK(first[i].stored.SerializeAsString() == second[i].stored.SerializeAsString());
    for (const auto& id : EventIds(first[i])) all.insert(id);
    events += first[i].events.size();
  }
  // Unique within a case.
  CHECK(all.size() == events);
  const auto& last = first.back().stored.complaint_case();
  CHECK(last.state() == v1::CASE_STATE_CLOSED);
  CHECK(last.closure() == v1::CASE_CLOSURE_RESOLVED);
  CHECK(last.reopen_count() == 1);
  CHECK(last.supervision_level() == 3);  // urging 1, escalate 2, reopen 3
  CHECK(first[1].events.at(0).event_id == "evt-urge#0");
  CHECK(first[6].events.at(0).event_id == "CC-GC-20261102-000001/contact/r50");
}

TEST_CASE("every input of a case's life applied twice changes nothing the second time",
          "[rules][idempotency]") {
  const Rules rules;
  const auto changes = Life(rules);
  // Re-apply each input to the case as it was right after it.
  const auto after = [&](size_t i) { return changes.at(i).stored; };
  auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
  v1::ContactAdded urging;
  urging.set_ticket_id(ticket.ticket_id());
  urging.set_urging(true);
  urging.set_escalated(true);
  std::vector<CaseChange> replays;
  replays.push_back(rules->ContactAdded(after(1), urging, "evt-urge", T0() + 9h));
  replays.push_back(Ok(rules->Take(after(2), TakeReq("mkt-wl-02"), T0() + 9h)));
  replays.push_back(Ok(rules->ContactAttempt(after(3), AttemptReq("mkt-wl-02", "a1"), T0() + 9h)));
  replays.push_back(Ok(rules->Pause(
      after(4), PauseReq("mkt-wl-02", v1::PAUSE_REASON_WAITING_ON_CUSTOMER), T0() + 9h)));
  replays.push_back(Ok(rules->Resume(after(5), ResumeReq("mkt-wl-02"), T0() + 9h, Calendar())));
  replays.push_back(rules->Tick(after(6), At(2026, 11, 3, 13)));
  replays.push_back(Ok(rules->RequestCoordination(
      after(7), CoordinateReq("mkt-wl-02", {"metering"}), At(2026, 11, 3, 15), Calendar())));
  replays.push_back(Ok(rules->Contact(after(8), ContactReq("mkt-wl-02"), At(2026, 11, 3, 15))));
  replays.push_back(Ok(rules->AnswerCoordination(after(9), AnswerReq("met-01", "metering", "ans"),
                                                 At(2026, 11, 4, 9))));
  replays.push_back(
      Ok(rules->Escalate(after(10), EscalateReq("mkt-head", "esc"), At(2026, 11, 4, 10))));
  replays.push_back(Ok(rules->Reply(after(11), ReplyReq("mkt-wl-02"), At(2026, 11, 4, 12))));
  replays.push_back(Ok(rules->ReturnVisit(
      after(12), VisitReq("mkt-wl-02", v1::SATISFACTION_DISSATISFIED, false, "v1"),
      At(2026, 11, 5, 9), Calendar())));
  replays.push_back(
      Ok(rules->Contact(after(13), ContactReq("mkt-wl-02", "c2"), At(2026, 11, 5, 10))));
  replays.push_back(
      Ok(rules->Reply(after(14), ReplyReq("mkt-wl-02", "rep2"), At(2026, 11, 5, 11))));
  replays.push_back(Ok(
      rules->ReturnVisit(after(15), VisitReq("mkt-wl-02", v1::SATISFACTION_SATISFIED, true, "v2"),
                         At(2026, 11, 6, 9), Calendar())));
  REQUIRE(replays.size() == changes.size() - 1);
  for (size_t i = 0; i < replays.size(); ++i) {
    INFO("input " << i + 1);
    CHECK_FALSE(replays[i].changed);
    CHECK(replays[i].events.empty());
    CHECK(replays[i].stored.SerializeAsString() == after(i + 1).SerializeAsString());
  }
  // A request id that failed does not count as applied: the same id succeeds once valid.
  auto r = ReplyReq("mkt-wl-02", "retry-me");
  r.mutable_reply()->set_cause_code("nope");
  REQUIRE_FALSE(rules->Reply(after(9), r, At(2026, 11, 4, 11)).ok());
  r.mutable_reply()->set_cause_code("other");
  CHECK(Ok(rules->Reply(after(9), r, At(2026, 11, 4, 11))).changed);
}

TEST_CASE("open is deterministic: a redelivered ticket builds the same case and ids",
          "[rules][idempotency]") {
  const Rules rules;
  auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
  ticket.add_customer_tags(v1::CUSTOMER_TAG_SENSITIVE);
  const auto a = rules->Open(ticket, Facts(), "evt-1", T0(), Calendar());
  const auto b = rules->Open(ticket, Facts(), "evt-1", T0(), Calendar());
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(a->stored.SerializeAsString() == b->stored.SerializeAsString());
  CHECK(EventIds(*a) == std::vector<std::string>{"evt-1#0", "evt-1#1", "evt-1#2"});
  CHECK(EventIds(*a) == EventIds(*b));
  CHECK(CaseIdForTicket("GC-20261124-000123") == "CC-GC-20261124-000123");
}

TEST_CASE("every complaint event case has its CloudEvents type", "[rules][events]") {
  const std::vector<std::pair<std::function<void(Ev&)>, std::string>> cases = {
      {[](Ev& e) { e.mutable_case_opened(); }, "gridcare.complaint_case.opened.v1"},
      {[](Ev& e) { e.mutable_case_routed(); }, "gridcare.complaint_case.routed.v1"},
      {[](Ev& e) { e.mutable_customer_contacted(); },
       "gridcare.complaint_case.customer_contacted.v1"},
      {[](Ev& e) { e.mutable_reply_sent(); }, "gridcare.complaint_case.reply_sent.v1"},
      {[](Ev& e) { e.mutable_deadline_alarm(); },
       "gridcare.complaint_case.deadline_alarm_raised.v1"},
      {[](Ev& e) { e.mutable_return_visit_recorded(); },
       "gridcare.complaint_case.return_visit_recorded.v1"},
      {[](Ev& e) { e.mutable_case_reopened(); }, "gridcare.complaint_case.reopened.v1"},
      {[](Ev& e) { e.mutable_case_closed(); }, "gridcare.complaint_case.closed.v1"},
      {[](Ev& e) { e.mutable_case_returned(); }, "gridcare.complaint_case.returned.v1"},
      {[](Ev& e) { e.mutable_contact_attempted(); },
       "gridcare.complaint_case.contact_attempted.v1"},
      {[](Ev& e) { e.mutable_case_paused(); }, "gridcare.complaint_case.paused.v1"},
      {[](Ev& e) { e.mutable_case_resumed(); }, "gridcare.complaint_case.resumed.v1"},
      {[](Ev& e) { e.mutable_case_assigned(); }, "gridcare.complaint_case.assigned.v1"},
      {[](Ev& e) { e.mutable_coordination_requested(); },
       "gridcare.complaint_case.coordination_requested.v1"},
      {[](Ev& e) { e.mutable_coordination_part_replied(); },
       "gridcare.complaint_case.coordination_part_replied.v1"},
      {[](Ev& e) { e.mutable_case_escalated(); }, "gridcare.complaint_case.escalated.v1"},
  };
  std::set<int> covered;
  for (const auto& [make, type] : cases) {
    Ev event;
    make(event);
    INFO(type);
    CHECK(CaseEventType(event) == type);
    covered.insert(static_cast<int>(event.event_case()));
  }
  // Every case of the oneof is listed above.
  CHECK(static_cast<int>(covered.size()) == Ev::descriptor()->field_count());
  CHECK(CaseEventType(Ev{}).empty());
}

TEST_CASE("every timeline step of a case's life is in zh-CN and en", "[rules][timeline]") {
  const Rules rules;
  const auto changes = Life(rules);
  const auto& timeline = changes.back().stored.complaint_case().timeline();
  size_t events = 0;
  std::set<std::string> types;
  for (const auto& change : changes) events += change.events.size();
  REQUIRE(static_cast<size_t>(timeline.size()) == events);
  for (const auto& step : timeline) {
    INFO(step.event_type());
    CHECK_FALSE(step.description().zh_cn().empty());
    CHECK_FALSE(step.description().en().empty());
    CHECK(step.description().zh_cn() != step.description().en());
    CHECK(step.has_at());
    types.insert(step.event_type());
  }
  // The life above passes through 15 of the 16 kinds (no return).
  CHECK(types.size() == 15);
}

}  // namespace
}  // namespace gridcare::complaint
