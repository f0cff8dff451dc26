#pragma once

// The case rules over the shipped configuration (services/complaint/config, the SGCC standards
// and the China 2026 calendar of libs/sla/config, read through GRIDCARE_SOURCE_DIR), or over an
// inline policy where a test needs one; tickets and desk requests as the edges build them; and
// each step of a case's life as a one-liner, so a test states only what it checks.

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "case_rules.h"
#include "gridcare/config/files.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::complaint::test {

using namespace std::chrono_literals;

/// An instant given as China local time (UTC+8).
inline core::TimePoint At(int year, int month, int day, int hour = 0, int minute = 0) {
  using namespace std::chrono;
  const sys_days date{year_month_day{std::chrono::year{year},
                                     std::chrono::month{static_cast<unsigned>(month)},
                                     std::chrono::day{static_cast<unsigned>(day)}}};
  return core::TimePoint{duration_cast<core::Duration>(date.time_since_epoch())} + hours{hour} +
         minutes{minute} - minutes{480};
}

/// Monday 2026-11-02 10:00, far from any holiday: the tickets' opening time.
inline core::TimePoint T0() { return At(2026, 11, 2, 10); }

inline std::string ReadSource(const std::string& path) {
  auto text = config::ReadTextFile(std::string(GRIDCARE_SOURCE_DIR) + "/" + path);
  if (!text) throw std::runtime_error(text.error().ToString());
  return *text;
}

template <typename T>
T OrThrow(core::Result<T> result) {
  if (!result) throw std::runtime_error(result.error().ToString());
  return std::move(result).value();
}

/// The shipped configuration, loaded once.
struct Shipped {
  DepartmentDirectory directory;
  ComplaintPolicy policy;
  sla::ServiceStandards standards;
  sla::WorkingCalendar calendar;
  std::optional<CaseRouter> router;

  static const Shipped& Get() {
    static const Shipped* shipped = [] {
      auto* s = new Shipped{OrThrow(DepartmentDirectory::FromJson(
                                ReadSource("services/complaint/config/departments.json"))),
                            OrThrow(ComplaintPolicy::FromJson(
                                ReadSource("services/complaint/config/complaint-policy.json"))),
                            OrThrow(sla::ServiceStandards::FromJson(
                                ReadSource("libs/sla/config/service-standards.json"))),
                            OrThrow(sla::WorkingCalendar::FromJson(
                                ReadSource("libs/sla/config/calendar-cn-2026.json"))),
                            std::nullopt};
      s->router.emplace(OrThrow(CaseRouter::FromJson(
          ReadSource("services/complaint/config/routing-rules.json"), s->directory)));
      return s;
    }();
    return *shipped;
  }
};

inline const sla::WorkingCalendar& Calendar() { return Shipped::Get().calendar; }

/// CaseRules over the shipped configuration, or over `policy` with the shipped rest.
class Rules {
 public:
  Rules() : Rules(Shipped::Get().policy) {}
  explicit Rules(ComplaintPolicy policy)
      : policy_(std::make_unique<ComplaintPolicy>(std::move(policy))),
        rules_(CaseRulesDeps{policy_.get(), &Shipped::Get().directory, &*Shipped::Get().router,
                             &Shipped::Get().standards}) {}
  /// A policy from inline JSON (ComplaintPolicy::FromJson; missing keys keep the defaults).
  static Rules FromJson(const std::string& json) {
    return Rules(OrThrow(ComplaintPolicy::FromJson(json)));
  }
  const CaseRules* operator->() const { return &rules_; }
  const CaseRules& operator*() const { return rules_; }
  const ComplaintPolicy& policy() const { return *policy_; }

 private:
  std::unique_ptr<ComplaintPolicy> policy_;
  CaseRules rules_;
};

// --- Inputs ----------------------------------------------------------------------------------

/// A ticket intake opened at T0 for customer C-1001 in 文乐区 (marketing's Wenle supply office).
inline v1::Ticket MakeTicket(v1::RequestType type, const std::string& text = "这个月电费太高了",
                             const std::string& ticket_id = "GC-20261102-000001") {
  v1::Ticket ticket;
  ticket.set_ticket_id(ticket_id);
  ticket.set_type(type);
  ticket.set_state(v1::TICKET_STATE_OPEN);
  ticket.set_priority(v1::PRIORITY_NORMAL);
  ticket.set_customer_id("C-1001");
  ticket.set_text(text);
  ticket.set_tenant_id("synthetic");
  ticket.set_contact_count(1);
  ticket.mutable_location()->set_district("文乐区");
  *ticket.mutable_opened_at() = sla::ToTimestamp(T0());
  return ticket;
}

inline OpenFacts Facts(const std::string& district = "文乐区") {
  OpenFacts facts;
  facts.district = district;
  facts.customer_display = "C-****01";
  return facts;
}

inline v1::Actor By(const std::string& id) {
  v1::Actor actor;
  actor.set_kind(v1::Actor::KIND_DEPARTMENT);
  actor.set_id(id);
  return actor;
}

/// The CaseChange of a desk action that must succeed.
inline CaseChange Ok(core::Result<CaseChange> result) {
  INFO((result.ok() ? std::string() : result.error().ToString()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

/// Checks that `result` failed with `kind` and a message containing `text`.
inline void Fails(const core::Result<CaseChange>& result, core::ErrorKind kind,
                  const std::string& text) {
  REQUIRE_FALSE(result.ok());
  INFO(result.error().ToString());
  CHECK(result.error().kind == kind);
  CHECK_THAT(result.error().message, Catch::Contains(text));
}

// --- A case's life, one step at a time (each returns the stored case after it) ---------------

/// A billing complaint opened at T0, routed to marketing / wenle-supply-office.
inline v1::StoredCase Opened(const Rules& rules, v1::RequestType type = v1::REQUEST_TYPE_COMPLAINT,
                             const v1::Ticket* ticket = nullptr) {
  const v1::Ticket made = ticket != nullptr ? *ticket : MakeTicket(type);
  auto change = rules->Open(made, Facts(), "evt-open", T0(), Calendar());
  REQUIRE(change.has_value());
  return change->stored;
}

inline v1::TakeCaseRequest TakeReq(const std::string& by, const std::string& id = "r-take") {
  v1::TakeCaseRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  return r;
}

inline v1::RecordContactRequest ContactReq(const std::string& by,
                                           const std::string& id = "r-contact") {
  v1::RecordContactRequest r;
  r.set_request_id(id);
  *r.mutable_contact()->mutable_by() = By(by);
  r.mutable_contact()->set_summary("explained the bill");
  return r;
}

inline v1::RecordContactAttemptRequest AttemptReq(const std::string& by, const std::string& id) {
  v1::RecordContactAttemptRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  r.set_note("no answer");
  return r;
}

inline v1::RecordReplyRequest ReplyReq(const std::string& by, const std::string& id = "r-reply") {
  v1::RecordReplyRequest r;
  r.set_request_id(id);
  *r.mutable_reply()->mutable_by() = By(by);
  r.mutable_reply()->set_cause_code("billing-estimate");
  r.mutable_reply()->set_corrective_action("meter read again; bill corrected");
  r.mutable_reply()->mutable_reply()->set_zh_cn("经核查，上月电费为估抄，已更正。");
  r.mutable_reply()->mutable_reply()->set_en("Last month's bill was estimated; it was corrected.");
  return r;
}

inline v1::RecordReturnVisitRequest VisitReq(const std::string& by, v1::Satisfaction satisfaction,
                                             bool resolved, const std::string& id) {
  v1::RecordReturnVisitRequest r;
  r.set_request_id(id);
  *r.mutable_visit()->mutable_by() = By(by);
  r.mutable_visit()->set_satisfaction(satisfaction);
  r.mutable_visit()->set_resolved(resolved);
  r.mutable_visit()->set_comment("还行");
  return r;
}

inline v1::RecordReturnVisitRequest UnreachableReq(const std::string& by, const std::string& id) {
  v1::RecordReturnVisitRequest r;
  r.set_request_id(id);
  *r.mutable_visit()->mutable_by() = By(by);
  r.mutable_visit()->set_unreachable(true);
  return r;
}

inline v1::PauseCaseRequest PauseReq(const std::string& by, v1::PauseReason reason,
                                     const std::string& id = "r-pause") {
  v1::PauseCaseRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  r.set_reason(reason);
  r.set_note("customer travelling");
  return r;
}

inline v1::ResumeCaseRequest ResumeReq(const std::string& by, const std::string& id = "r-resume") {
  v1::ResumeCaseRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  return r;
}

inline v1::ReturnCaseRequest ReturnReq(const std::string& by, const std::string& id,
                                       const std::string& reason = "not a billing matter") {
  v1::ReturnCaseRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  r.set_reason(reason);
  return r;
}

inline v1::AssignCaseRequest AssignReq(const std::string& by, const std::string& to,
                                       const std::string& id = "r-assign") {
  v1::AssignCaseRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  r.set_handler_id(to);
  return r;
}

inline v1::RequestCoordinationRequest CoordinateReq(const std::string& by,
                                                    const std::vector<std::string>& departments,
                                                    const std::string& id = "r-coord",
                                                    int due_working_days = 0) {
  v1::RequestCoordinationRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  for (const auto& department : departments) {
    auto* part = r.add_parts();
    part->set_department_id(department);
    part->set_due_working_days(due_working_days);
  }
  return r;
}

inline v1::AnswerCoordinationRequest AnswerReq(const std::string& by, const std::string& department,
                                               const std::string& id) {
  v1::AnswerCoordinationRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  r.set_department_id(department);
  r.set_text("meter tested: within tolerance");
  return r;
}

inline v1::EscalateCaseRequest EscalateReq(const std::string& by, const std::string& id,
                                           const std::string& reason = "customer very upset") {
  v1::EscalateCaseRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  r.set_reason(reason);
  return r;
}

inline v1::ReopenCaseRequest ReopenReq(const std::string& by, const std::string& id,
                                       const std::string& reason = "customer called back") {
  v1::ReopenCaseRequest r;
  r.set_request_id(id);
  *r.mutable_by() = By(by);
  r.set_reason(reason);
  return r;
}

/// Opened, then contacted by mkt-wl-02 at T0 + 2 h.
inline v1::StoredCase Contacted(const Rules& rules) {
  return Ok(rules->Contact(Opened(rules), ContactReq("mkt-wl-02"), T0() + 2h)).stored;
}

/// Contacted, then replied by mkt-wl-02 on day 2.
inline v1::StoredCase Replied(const Rules& rules) {
  return Ok(rules->Reply(Contacted(rules), ReplyReq("mkt-wl-02"), T0() + 26h)).stored;
}

// --- Reading the outcome ---------------------------------------------------------------------

inline std::vector<v1::ComplaintEvent::EventCase> Kinds(const CaseChange& change) {
  std::vector<v1::ComplaintEvent::EventCase> kinds;
  for (const auto& out : change.events) kinds.push_back(out.event.event_case());
  return kinds;
}

inline std::vector<std::string> EventIds(const CaseChange& change) {
  std::vector<std::string> ids;
  for (const auto& out : change.events) ids.push_back(out.event_id);
  return ids;
}

inline const v1::ServiceClock* FindClock(const v1::ComplaintCase& c, v1::ServiceClock::Kind kind) {
  for (const auto& clock : c.clocks()) {
    if (clock.kind() == kind) return &clock;
  }
  return nullptr;
}

inline core::TimePoint DueOf(const v1::ComplaintCase& c, v1::ServiceClock::Kind kind) {
  const auto* clock = FindClock(c, kind);
  REQUIRE(clock != nullptr);
  return sla::FromTimestamp(clock->due_at());
}

inline std::string Show(core::TimePoint t) { return sla::FormatLocalMinute(t); }

}  // namespace gridcare::complaint::test
