// The desk's actions on a case: the checks every action makes (request id, acting handler, their
// department), each action's happy path with its event and timeline step, and each action's own
// errors (wrong state → FAILED_PRECONDITION, INVALID_ARGUMENT naming the field,
// PERMISSION_DENIED).
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "rules_fixture.h"

namespace gridcare::complaint {
namespace {

using namespace test;
using Ev = v1::ComplaintEvent;
using K = core::ErrorKind;

/// One desk action, applied as the gRPC service applies it, with what makes it valid.
struct Action {
  std::string name;
  std::string actor_field;  ///< the request's actor field, as errors name it
  std::string actor;        ///< a handler allowed to do it
  std::function<v1::StoredCase(const Rules&)> ready;  ///< a case the action is valid on
  std::function<core::Result<CaseChange>(const Rules&, v1::StoredCase, const std::string& id,
                                         const std::string& by, core::TimePoint now)>
      apply;
  Ev::EventCase first_event;
};

v1::StoredCase Paused(const Rules& rules) {
  return Ok(rules->Pause(Opened(rules), PauseReq("mkt-wl-02", v1::PAUSE_REASON_WAITING_ON_CUSTOMER),
                         T0() + 1h))
      .stored;
}

v1::StoredCase Coordinating(const Rules& rules) {
  return Ok(rules->RequestCoordination(Opened(rules), CoordinateReq("mkt-wl-02", {"metering"}),
                                       T0() + 1h, Calendar()))
      .stored;
}

std::vector<Action> Actions() {
  return {
      {"take", "by", "mkt-wl-02", [](const Rules& r) { return Opened(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) { return r->Take(std::move(s), TakeReq(by, id), now); },
       Ev::kCaseAssigned},
      {"assign", "by", "mkt-head", [](const Rules& r) { return Opened(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) {
         return r->Assign(std::move(s), AssignReq(by, "mkt-wl-02", id), now);
       },
       Ev::kCaseAssigned},
      {"contact attempt", "by", "mkt-wl-02", [](const Rules& r) { return Opened(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) { return r->ContactAttempt(std::move(s), AttemptReq(by, id), now); },
       Ev::kContactAttempted},
      {"contact", "contact.by", "mkt-wl-02", [](const Rules& r) { return Opened(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) { return r->Contact(std::move(s), ContactReq(by, id), now); },
       Ev::kCustomerContacted},
      {"pause", "by", "mkt-wl-02", [](const Rules& r) { return Opened(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) {
         return r->Pause(std::move(s), PauseReq(by, v1::PAUSE_REASON_WAITING_ON_CUSTOMER, id), now);
       },
       Ev::kCasePaused},
      {"resume", "by", "mkt-wl-02", Paused,
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) {
         return r->Resume(std::move(s), ResumeReq(by, id), now, Calendar());
       },
       Ev::kCaseResumed},
      {"reply", "reply.by", "mkt-wl-02", [](const Rules& r) { return Contacted(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) { return r->Reply(std::move(s), ReplyReq(by, id), now); },
       Ev::kReplySent},
      {"return", "by", "mkt-wl-02", [](const Rules& r) { return Opened(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) { return r->Return(std::move(s), ReturnReq(by, id), now); },
       Ev::kCaseReturned},
      {"request coordination", "by", "mkt-wl-02", [](const Rules& r) { return Opened(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) {
         return r->RequestCoordination(std::move(s), CoordinateReq(by, {"metering"}, id), now,
                                       Calendar());
       },
       Ev::kCoordinationRequested},
      {"answer coordination", "by", "met-01", Coordinating,
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) {
         return r->AnswerCoordination(std::move(s), AnswerReq(by, "metering", id), now);
       },
       Ev::kCoordinationPartReplied},
      {"escalate", "by", "mkt-wl-02", [](const Rules& r) { return Opened(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) { return r->Escalate(std::move(s), EscalateReq(by, id), now); },
       Ev::kCaseEscalated},
      {"return visit", "visit.by", "mkt-wl-02", [](const Rules& r) { return Replied(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) {
         return r->ReturnVisit(std::move(s), VisitReq(by, v1::SATISFACTION_SATISFIED, true, id),
                               now, Calendar());
       },
       Ev::kReturnVisitRecorded},
      {"reopen", "by", "mkt-head", [](const Rules& r) { return Replied(r); },
       [](const Rules& r, v1::StoredCase s, const std::string& id, const std::string& by,
          core::TimePoint now) {
         return r->Reopen(std::move(s), ReopenReq(by, id), now, Calendar());
       },
       Ev::kCaseReopened},
  };
}

TEST_CASE("every desk action checks the request id and the acting handler", "[rules][desk]") {
  const Rules rules;
  const core::TimePoint now = T0() + 30h;
  for (const Action& action : Actions()) {
    INFO("action: " << action.name);
    const v1::StoredCase ready = action.ready(rules);
    Fails(action.apply(rules, ready, "", action.actor, now), K::kInvalidArgument, "request_id");
    Fails(action.apply(rules, ready, "r-1", "", now), K::kInvalidArgument,
          action.actor_field + ".id");
    Fails(action.apply(rules, ready, "r-1", "nobody", now), K::kPermissionDenied, "nobody");
    // A handler of another department.
    Fails(action.apply(rules, ready, "r-1", "ops-wl-02", now), K::kPermissionDenied, "ops-wl-02");
  }
}

TEST_CASE("every desk action applies once under its request id", "[rules][desk][idempotency]") {
  const Rules rules;
  const core::TimePoint now = T0() + 30h;
  for (const Action& action : Actions()) {
    INFO("action: " << action.name);
    const v1::StoredCase ready = action.ready(rules);
    const CaseChange first = Ok(action.apply(rules, ready, "r-42", action.actor, now));
    CHECK(first.changed);
    REQUIRE_FALSE(first.events.empty());
    CHECK(first.events[0].event.event_case() == action.first_event);
    CHECK(first.events[0].event_id == "desk:r-42#0");
    CHECK(first.stored.version() == ready.version() + 1);
    CHECK(*first.stored.applied().rbegin() == "desk:r-42");
    CHECK(sla::FromTimestamp(first.stored.complaint_case().updated_at()) == now);
    // Every event has its timeline step, in both languages.
    const auto& timeline = first.stored.complaint_case().timeline();
    REQUIRE(timeline.size() ==
            ready.complaint_case().timeline_size() + static_cast<int>(first.events.size()));
    for (size_t i = 0; i < first.events.size(); ++i) {
      const auto& step = timeline[ready.complaint_case().timeline_size() + static_cast<int>(i)];
      CHECK(step.event_type() == CaseEventType(first.events[i].event));
      CHECK_FALSE(step.description().zh_cn().empty());
      CHECK_FALSE(step.description().en().empty());
      CHECK(step.by().id() == action.actor);
      CHECK(sla::FromTimestamp(step.at()) == now);
    }
    // The same request again, even later and from a retrying client: nothing changes.
    const CaseChange again = Ok(action.apply(rules, first.stored, "r-42", action.actor, now + 1h));
    CHECK_FALSE(again.changed);
    CHECK(again.events.empty());
    CHECK(again.stored.SerializeAsString() == first.stored.SerializeAsString());
  }
}

TEST_CASE("the pool's supervisors and the coordinator may act on any department's case",
          "[rules][desk]") {
  const Rules rules;
  for (const std::string by : {"sdc-head", "sdc-coord"}) {
    INFO(by);
    CHECK(Ok(rules->Escalate(Opened(rules), EscalateReq(by, "r-1"), T0() + 1h)).changed);
  }
  // A pool handler who is neither may not.
  Fails(rules->Escalate(Opened(rules), EscalateReq("sdc-02", "r-1"), T0() + 1h),
        K::kPermissionDenied, "may not act on cases of department 'marketing'");
}

TEST_CASE("take: a handler of the department takes the case", "[rules][desk][take]") {
  const Rules rules;
  const auto taken = Ok(rules->Take(Opened(rules), TakeReq("mkt-wl-02"), T0() + 1h));
  CHECK(taken.stored.complaint_case().handler_id() == "mkt-wl-02");
  REQUIRE(Kinds(taken) == std::vector{Ev::kCaseAssigned});
  const auto& assigned = taken.events[0].event.case_assigned();
  CHECK(assigned.handler_id() == "mkt-wl-02");
  CHECK(assigned.by().id() == "mkt-wl-02");
  CHECK(taken.stored.complaint_case().timeline().rbegin()->description().zh_cn() == "专员已接单");
  CHECK(taken.stored.complaint_case().timeline().rbegin()->description().en() ==
        "A handler took your case");
  SECTION("taking one's own case again changes nothing") {
    const auto again = Ok(rules->Take(taken.stored, TakeReq("mkt-wl-02", "r-2"), T0() + 2h));
    CHECK_FALSE(again.changed);
    CHECK(again.events.empty());
  }
  SECTION("a replied case may still be taken; a closed one may not") {
    CHECK(Ok(rules->Take(Replied(rules), TakeReq("mkt-wl-01", "r-3"), T0() + 30h)).changed);
    auto closed = Replied(rules);
    closed.mutable_complaint_case()->set_state(v1::CASE_STATE_CLOSED);
    Fails(rules->Take(closed, TakeReq("mkt-wl-02", "r-3"), T0() + 30h), K::kFailedPrecondition,
          "in state CLOSED");
  }
  SECTION("a senior-handling case needs a senior handler or a supervisor") {
    auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
    ticket.add_customer_tags(v1::CUSTOMER_TAG_SENSITIVE);
    const auto senior = Opened(rules, v1::REQUEST_TYPE_COMPLAINT, &ticket);
    Fails(rules->Take(senior, TakeReq("mkt-wl-02"), T0() + 1h), K::kFailedPrecondition,
          "senior handler");
    CHECK(Ok(rules->Take(senior, TakeReq("mkt-mp-01"), T0() + 1h))
              .stored.complaint_case()
              .handler_id() == "mkt-mp-01");
    CHECK(Ok(rules->Take(senior, TakeReq("mkt-head"), T0() + 1h)).changed);
  }
}

TEST_CASE("assign: a supervisor assigns within the department, the centre across departments",
          "[rules][desk][assign]") {
  const Rules rules;
  SECTION("within the department") {
    const auto assigned =
        Ok(rules->Assign(Opened(rules), AssignReq("mkt-head", "mkt-mp-02"), T0() + 1h));
    CHECK(assigned.stored.complaint_case().handler_id() == "mkt-mp-02");
    CHECK(assigned.stored.complaint_case().department_id() == "marketing");
    REQUIRE(Kinds(assigned) == std::vector{Ev::kCaseAssigned});
    CHECK(assigned.events[0].event.case_assigned().handler_id() == "mkt-mp-02");
    CHECK(assigned.events[0].event.case_assigned().by().id() == "mkt-head");
  }
  SECTION("the coordinator moves the case to another department's handler") {
    const auto moved =
        Ok(rules->Assign(Opened(rules), AssignReq("sdc-coord", "ops-mp-01"), T0() + 1h));
    const auto& c = moved.stored.complaint_case();
    CHECK(c.handler_id() == "ops-mp-01");
    CHECK(c.department_id() == "operations");
    CHECK(c.department() == v1::DEPARTMENT_OPERATIONS);
    CHECK(c.unit_id() == "mapu-supply-office");
    CHECK(c.routing_rule() == "manual");
    REQUIRE(Kinds(moved) == std::vector{Ev::kCaseRouted, Ev::kCaseAssigned});
    const auto& routed = moved.events[0].event.case_routed();
    CHECK(routed.rule() == "manual");
    CHECK(routed.department_id() == "operations");
    CHECK(routed.reason() == "re-routed by sdc-coord");
    CHECK(routed.by().id() == "sdc-coord");
    CHECK(c.timeline(c.timeline_size() - 2).description().zh_cn() == "已转运检部处理");
  }
  SECTION("errors") {
    Fails(rules->Assign(Opened(rules), AssignReq("mkt-wl-02", "mkt-mp-02"), T0() + 1h),
          K::kPermissionDenied, "not a supervisor");
    Fails(rules->Assign(Opened(rules), AssignReq("mkt-head", "ops-mp-01"), T0() + 1h),
          K::kPermissionDenied, "another department");
    Fails(rules->Assign(Opened(rules), AssignReq("mkt-head", "ghost"), T0() + 1h),
          K::kInvalidArgument, "handler_id: unknown handler 'ghost'");
    auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
    ticket.add_customer_tags(v1::CUSTOMER_TAG_IMPORTANT);
    Fails(rules->Assign(Opened(rules, v1::REQUEST_TYPE_COMPLAINT, &ticket),
                        AssignReq("mkt-head", "mkt-mp-02"), T0() + 1h),
          K::kInvalidArgument, "handler_id: case CC-GC-20261102-000001 needs a senior handler");
    auto closed = Opened(rules);
    closed.mutable_complaint_case()->set_state(v1::CASE_STATE_CLOSED);
    Fails(rules->Assign(closed, AssignReq("mkt-head", "mkt-mp-02"), T0() + 1h),
          K::kFailedPrecondition, "cannot assign case CC-GC-20261102-000001 in state CLOSED");
  }
}

TEST_CASE("contact attempts are counted until the customer is reached", "[rules][desk][contact]") {
  const Rules rules;
  auto stored = Opened(rules);
  for (int i = 1; i <= 3; ++i) {
    const auto attempt = Ok(rules->ContactAttempt(
        stored, AttemptReq("mkt-wl-02", "a" + std::to_string(i)), T0() + std::chrono::hours(i)));
    stored = attempt.stored;
    CHECK(stored.complaint_case().contact_attempts() == i);
    CHECK(stored.complaint_case().state() == v1::CASE_STATE_ROUTED);
    const auto& attempted = attempt.events.at(0).event.contact_attempted();
    CHECK(attempted.attempt() == i);
    CHECK(attempted.note() == "no answer");
    CHECK(stored.complaint_case().timeline().rbegin()->description().en() ==
          "We tried to call you and will try again");
  }
  const auto contacted = Ok(rules->Contact(stored, ContactReq("mkt-wl-02"), T0() + 5h));
  const auto& c = contacted.stored.complaint_case();
  CHECK(c.state() == v1::CASE_STATE_CONTACTED);
  CHECK(c.contact_attempts() == 0);
  CHECK(c.handler_id() == "mkt-wl-02");  // the one who reached the customer owns it now
  const auto* contact_clock = FindClock(c, v1::ServiceClock::KIND_COMPLAINT_CONTACT);
  REQUIRE(contact_clock->has_met_at());
  CHECK(sla::FromTimestamp(contact_clock->met_at()) == T0() + 5h);
  CHECK_FALSE(FindClock(c, v1::ServiceClock::KIND_COMPLAINT_REPLY)->has_met_at());
  const auto& event = contacted.events.at(0).event.customer_contacted();
  CHECK(event.case_id() == c.case_id());
  CHECK(event.summary() == "explained the bill");
  CHECK(sla::FromTimestamp(event.at()) == T0() + 5h);
  CHECK(c.timeline().rbegin()->description().zh_cn() == "专员已与您联系，正在处理");
  // The next alarm is the reply clock's 50% reminder (Nov 5 22:00).
  CHECK(Show(*rules->NextTimer(contacted.stored)) == Show(At(2026, 11, 5, 22)));

  Fails(rules->ContactAttempt(Replied(rules), AttemptReq("mkt-wl-02", "a9"), T0() + 30h),
        K::kFailedPrecondition, "cannot record a contact attempt on case");
  // Unreachable again after the first contact: attempts count anew and allow the pause.
  auto again = contacted.stored;
  for (int i = 1; i <= 3; ++i) {
    again = Ok(rules->ContactAttempt(again, AttemptReq("mkt-wl-02", "b" + std::to_string(i)),
                                     T0() + std::chrono::hours(6 + i)))
                .stored;
  }
  CHECK(again.complaint_case().state() == v1::CASE_STATE_CONTACTED);
  CHECK(Ok(rules->Pause(again, PauseReq("mkt-wl-02", v1::PAUSE_REASON_CUSTOMER_UNREACHABLE),
                        T0() + 10h))
            .stored.complaint_case()
            .pauses_size() == 1);
  Fails(rules->Contact(contacted.stored, ContactReq("mkt-wl-02", "c9"), T0() + 6h),
        K::kFailedPrecondition, "in state CONTACTED");
  Fails(rules->Contact(Paused(rules), ContactReq("mkt-wl-02", "c9"), T0() + 6h),
        K::kFailedPrecondition, "is paused: resume it first");
}

TEST_CASE("escalate raises the case one rung until the top", "[rules][desk][escalate]") {
  const Rules rules;
  auto stored = Opened(rules);
  const std::vector<std::string> roles = {"department-head", "service-dispatch-centre",
                                          "company-leadership"};
  for (int level = 1; level <= 3; ++level) {
    const auto change =
        Ok(rules->Escalate(stored, EscalateReq("mkt-wl-02", "e" + std::to_string(level)),
                           T0() + std::chrono::hours(level)));
    stored = change.stored;
    CHECK(stored.complaint_case().supervision_level() == level);
    const auto& escalated = change.events.at(0).event.case_escalated();
    CHECK(escalated.supervision_level() == level);
    CHECK(escalated.escalated_to() == roles[static_cast<size_t>(level - 1)]);
    CHECK(escalated.reason() == "customer very upset");
    CHECK(escalated.by().id() == "mkt-wl-02");
  }
  Fails(rules->Escalate(stored, EscalateReq("mkt-wl-02", "e4"), T0() + 4h), K::kFailedPrecondition,
        "top supervision level");
  Fails(rules->Escalate(Opened(rules), EscalateReq("mkt-wl-02", "e5", ""), T0() + 4h),
        K::kInvalidArgument, "reason");
  auto closed = Opened(rules);
  closed.mutable_complaint_case()->set_state(v1::CASE_STATE_CLOSED);
  Fails(rules->Escalate(closed, EscalateReq("mkt-wl-02", "e6"), T0() + 4h), K::kFailedPrecondition,
        "cannot escalate case CC-GC-20261102-000001 in state CLOSED");
}

}  // namespace
}  // namespace gridcare::complaint
