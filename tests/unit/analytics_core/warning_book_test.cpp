// WarningBook: alert ids, the warning raised for a finding, the state its events rebuild (Apply),
// acknowledgement and closing with a measure, the escalation ladder and re-monitoring.

#include "warning_book.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "analytics_test_support.h"
#include "hour_index.h"

namespace gridcare::analytics {
namespace {

using namespace testing;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using State = v1::WarningStatus;

const core::TimePoint kRaisedAt = Local(2026, 7, 6, 11, 5);
const int64_t kWindowHour = kMondayMidnightHour + 10;  // Monday 10:00–11:00 local

SurgeFinding Finding(const std::string& method = "hour", double score = 14.0 / 4.2) {
  SurgeFinding finding;
  finding.method = method;
  finding.observed = 14;
  finding.expected = 4.2;
  finding.score = score;
  finding.p_value = 2.1e-6;
  finding.window_start_hour = kWindowHour;
  finding.window_end_hour = kWindowHour + 1;
  finding.baseline_weeks = 3;
  return finding;
}

WarningEvidence Evidence() {
  WarningEvidence evidence;
  evidence.top_keywords = {"电费", "短信"};
  v1::ExampleTicket example;
  example.set_ticket_id("GC-9");
  example.set_masked_text("电费突然变高 138****5678");
  evidence.examples.push_back(example);
  return evidence;
}

v1::Actor Supervisor(const std::string& id = "sup-1") {
  v1::Actor actor;
  actor.set_kind(v1::Actor::KIND_SUPERVISOR);
  actor.set_id(id);
  return actor;
}

v1::AlertEvent RaisedEvent(const v1::RiskWarningRaised& raised) {
  v1::AlertEvent event;
  *event.mutable_raised() = raised;
  return event;
}

/// A warning just raised with the default settings (acknowledge within 30 minutes).
v1::StoredWarning Raised(const WarningBook& book) {
  const auto stored = WarningBook::Apply(
      std::nullopt,
      RaisedEvent(book.Raise("complaint/billing", "天河区", Finding(), Evidence(), kRaisedAt)));
  REQUIRE(stored);
  return *stored;
}

v1::StoredWarning After(const v1::StoredWarning& warning, const v1::AlertEvent& event) {
  const auto next = WarningBook::Apply(warning, event);
  REQUIRE(next);
  return *next;
}

v1::StoredWarning Acknowledged(const WarningBook& book, const v1::StoredWarning& warning,
                               const std::string& by = "sup-1") {
  const auto ack = book.Acknowledge(warning, Supervisor(by), kRaisedAt + minutes(10));
  REQUIRE(ack.ok());
  REQUIRE(ack->has_value());
  return After(warning, **ack);
}

v1::StoredWarning Closed(const WarningBook& book, const v1::StoredWarning& warning,
                         const std::string& measure = "billing letters re-sent",
                         const std::string& by = "sup-2") {
  const auto closed = book.Close(warning, Supervisor(by), measure, kRaisedAt + hours(2));
  REQUIRE(closed.ok());
  REQUIRE(closed->has_value());
  return After(warning, **closed);
}

v1::StoredWarning Done(const v1::StoredWarning& warning) {
  const auto verdict = WarningBook::Remonitor(warning, kRaisedAt + hours(200), std::nullopt);
  REQUIRE(verdict);
  return After(warning, *verdict);
}

// --- AlertId ---

TEST_CASE("An alert id names the local hour of the window and a stable hash") {
  CHECK(WarningBook::AlertId("complaint/billing", "天河区", kWindowHour) ==
        "RW-2026070610-4382af4266a3ed26");
  CHECK(WarningBook::AlertId("fault_repair", "unknown", kMondayMidnightHour) ==
        "RW-2026070600-8c95578f254d8c51");
  // The local hour, not the UTC one: 2026-12-31 23:00 local is 15:00 UTC.
  CHECK_THAT(WarningBook::AlertId("x", "y", HourIndexOf(Local(2026, 12, 31, 23))),
             Catch::StartsWith("RW-2026123123-"));
  CHECK_THAT(WarningBook::AlertId("x", "y", HourIndexOf(Local(2027, 1, 1, 0))),
             Catch::StartsWith("RW-2027010100-"));
}

TEST_CASE("The same finding always gets the same id and different ones differ") {
  const std::string id = WarningBook::AlertId("complaint/billing", "天河区", kWindowHour);
  CHECK(WarningBook::AlertId("complaint/billing", "天河区", kWindowHour) == id);
  CHECK(WarningBook::AlertId("complaint/billing", "越秀区", kWindowHour) != id);
  CHECK(WarningBook::AlertId("complaint/staff_conduct", "天河区", kWindowHour) != id);
  CHECK(WarningBook::AlertId("complaint/billing", "天河区", kWindowHour + 1) != id);
  CHECK(WarningBook::AlertId("complaint/billing", "天河区", kWindowHour + 168) != id);
  // The hash part names the series and area only; the stamp part the hour only.
  CHECK(WarningBook::AlertId("complaint/billing", "天河区", kWindowHour + 1).substr(14) ==
        id.substr(14));
  CHECK(WarningBook::AlertId("complaint/billing", "越秀区", kWindowHour).substr(0, 14) ==
        id.substr(0, 14));
}

// --- Raise ---

TEST_CASE("A raised warning carries its finding evidence and deadline") {
  const WarningBook book(WarningSettings{});
  const v1::RiskWarningRaised r =
      book.Raise("complaint/billing", "天河区", Finding(), Evidence(), kRaisedAt);
  CHECK(r.alert_id() == WarningBook::AlertId("complaint/billing", "天河区", kWindowHour));
  CHECK(r.kind() == v1::ALERT_KIND_SURGE);
  CHECK(r.severity() == v1::ALERT_SEVERITY_WARNING);
  CHECK(r.category() == v1::REQUEST_TYPE_COMPLAINT);
  CHECK(r.area() == "天河区");
  CHECK(r.series() == "complaint/billing");
  CHECK(r.keyword() == "电费");
  CHECK(std::vector<std::string>(r.top_keywords().begin(), r.top_keywords().end()) ==
        std::vector<std::string>{"电费", "短信"});
  REQUIRE(r.examples_size() == 1);
  CHECK(r.examples(0).ticket_id() == "GC-9");
  CHECK(r.examples(0).masked_text() == "电费突然变高 138****5678");
  CHECK(r.observed() == 14.0);
  CHECK(r.expected() == 4.2);
  CHECK(r.score() == Approx(14.0 / 4.2));
  CHECK(r.p_value() == 2.1e-6);
  CHECK(r.method() == "hour");
  CHECK(r.baseline_weeks() == 3);
  CHECK(TimeOf(r.window_start()) == Local(2026, 7, 6, 10));
  CHECK(TimeOf(r.window_end()) == Local(2026, 7, 6, 11));
  CHECK(r.responsible_role() == "service-dispatch-centre");
  CHECK(TimeOf(r.raised_at()) == kRaisedAt);
  CHECK(TimeOf(r.acknowledge_by()) == kRaisedAt + minutes(30));
}

TEST_CASE("The summary says the finding in Chinese and English") {
  const WarningBook book(WarningSettings{});
  const v1::RiskWarningRaised r =
      book.Raise("complaint/billing", "天河区", Finding(), Evidence(), kRaisedAt);
  CHECK(r.summary().zh_cn() ==
        "天河区本小时收到投诉（billing）14件，往常同期约4.2件（3.3倍），请核查原因并组织处置。");
  CHECK(r.summary().en() ==
        "天河区: 14 complaint requests about billing this hour, against about 4.2 usually "
        "(3.3x). Find the cause and coordinate a response.");
}

TEST_CASE("The summary names the day or the recent hours and leaves out a missing matter") {
  const WarningBook book(WarningSettings{});
  SurgeFinding day = Finding("day", 2.5);
  day.observed = 30;
  day.expected = 12;
  v1::RiskWarningRaised r = book.Raise("fault_repair", "越秀区", day, {}, kRaisedAt);
  CHECK(r.summary().zh_cn() ==
        "越秀区今日收到故障报修30件，往常同期约12.0件（2.5倍），请核查原因并组织处置。");
  CHECK(r.summary().en() ==
        "越秀区: 30 fault repair requests today so far, against about 12.0 usually (2.5x). "
        "Find the cause and coordinate a response.");
  CHECK(r.keyword().empty());
  CHECK(r.top_keywords_size() == 0);
  CHECK(r.examples_size() == 0);
  CHECK(r.category() == v1::REQUEST_TYPE_FAULT_REPAIR);
  r = book.Raise("consultation/tariff", "越秀区", Finding("cusum"), {}, kRaisedAt);
  CHECK_THAT(r.summary().zh_cn(), Catch::StartsWith("越秀区近几小时收到咨询（tariff）14件"));
  CHECK_THAT(r.summary().en(),
             Catch::StartsWith("越秀区: 14 enquiry requests about tariff over recent hours"));
  CHECK(r.category() == v1::REQUEST_TYPE_CONSULTATION);
}

TEST_CASE("A series that names no request type has no category") {
  const WarningBook book(WarningSettings{});
  CHECK(book.Raise("weird/x", "a", Finding(), {}, kRaisedAt).category() ==
        v1::REQUEST_TYPE_UNSPECIFIED);
  CHECK(book.Raise("", "a", Finding(), {}, kRaisedAt).category() == v1::REQUEST_TYPE_UNSPECIFIED);
  CHECK(book.Raise("service_application/new", "a", Finding(), {}, kRaisedAt).category() ==
        v1::REQUEST_TYPE_SERVICE_APPLICATION);
}

TEST_CASE("A finding at the critical ratio or above is critical") {
  const WarningBook book(WarningSettings{});
  CHECK(book.Raise("complaint", "a", Finding("hour", 4.99), {}, kRaisedAt).severity() ==
        v1::ALERT_SEVERITY_WARNING);
  CHECK(book.Raise("complaint", "a", Finding("hour", 5.0), {}, kRaisedAt).severity() ==
        v1::ALERT_SEVERITY_CRITICAL);
  CHECK(book.Raise("complaint", "a", Finding("hour", 12.0), {}, kRaisedAt).severity() ==
        v1::ALERT_SEVERITY_CRITICAL);
  WarningSettings settings;
  settings.critical_ratio = 3.0;
  const WarningBook strict(settings);
  CHECK(strict.Raise("complaint", "a", Finding("hour", 3.0), {}, kRaisedAt).severity() ==
        v1::ALERT_SEVERITY_CRITICAL);
}

TEST_CASE("The settings decide the responsible role and the acknowledgement deadline") {
  WarningSettings settings;
  settings.acknowledge_within = minutes(10);
  settings.responsible_role = "district-supervisor";
  const WarningBook book(settings);
  const auto r = book.Raise("complaint", "a", Finding(), {}, kRaisedAt);
  CHECK(r.responsible_role() == "district-supervisor");
  CHECK(TimeOf(r.acknowledge_by()) == kRaisedAt + minutes(10));
  CHECK(book.settings().acknowledge_within == minutes(10));
}

// --- Apply ---

TEST_CASE("A raised event starts a warning in state raised") {
  const WarningBook book(WarningSettings{});
  const auto raised = book.Raise("complaint/billing", "天河区", Finding(), Evidence(), kRaisedAt);
  const auto stored = WarningBook::Apply(std::nullopt, RaisedEvent(raised));
  REQUIRE(stored);
  CHECK(stored->raised().SerializeAsString() == raised.SerializeAsString());
  CHECK(stored->status().alert_id() == raised.alert_id());
  CHECK(stored->status().state() == State::STATE_RAISED);
  CHECK(stored->status().escalation_level() == 0);
  CHECK(stored->status().acknowledged_by().empty());
  CHECK(stored->status().measure().empty());
  CHECK_FALSE(stored->status().has_remonitor_until());
}

TEST_CASE("A warning raised twice keeps the first") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning first = Raised(book);
  auto again = book.Raise("complaint/billing", "天河区", Finding(), {}, kRaisedAt + hours(1));
  again.set_observed(99);
  const auto stored = WarningBook::Apply(first, RaisedEvent(again));
  REQUIRE(stored);
  CHECK(stored->SerializeAsString() == first.SerializeAsString());
  // Even once it has moved on.
  const v1::StoredWarning acked = Acknowledged(book, first);
  CHECK(After(acked, RaisedEvent(again)).SerializeAsString() == acked.SerializeAsString());
}

TEST_CASE("Events for an alert not seen yet are ignored") {
  std::vector<v1::AlertEvent> events(6);
  events[0].mutable_acknowledged()->set_alert_id("RW-x");
  events[1].mutable_closed()->set_alert_id("RW-x");
  events[2].mutable_escalated()->set_alert_id("RW-x");
  events[3].mutable_remonitored()->set_alert_id("RW-x");
  events[4].mutable_cleared()->set_alert_id("RW-x");
  for (const auto& event : events) CHECK_FALSE(WarningBook::Apply(std::nullopt, event));
}

TEST_CASE("Acknowledged then closed then remonitored") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning raised = Raised(book);
  const v1::StoredWarning acked = Acknowledged(book, raised, "sup-1");
  CHECK(acked.status().state() == State::STATE_ACKNOWLEDGED);
  CHECK(acked.status().acknowledged_by() == "sup-1");
  CHECK(acked.raised().SerializeAsString() == raised.raised().SerializeAsString());
  const v1::StoredWarning closed = Closed(book, acked, "hotline script updated", "sup-2");
  CHECK(closed.status().state() == State::STATE_CLOSED);
  CHECK(closed.status().measure() == "hotline script updated");
  CHECK(closed.status().acknowledged_by() == "sup-1");  // who acknowledged it stays
  CHECK(TimeOf(closed.status().remonitor_until()) == kRaisedAt + hours(2) + hours(72));
  const v1::StoredWarning done = Done(closed);
  CHECK(done.status().state() == State::STATE_DONE);
  CHECK(done.status().measure() == "hotline script updated");
}

TEST_CASE("A second acknowledgement keeps the first one's name") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning acked = Acknowledged(book, Raised(book), "sup-1");
  v1::AlertEvent again;
  again.mutable_acknowledged()->set_alert_id(acked.status().alert_id());
  *again.mutable_acknowledged()->mutable_by() = Supervisor("sup-9");
  const v1::StoredWarning after = After(acked, again);
  CHECK(after.status().state() == State::STATE_ACKNOWLEDGED);
  CHECK(after.status().acknowledged_by() == "sup-1");
}

TEST_CASE("A late acknowledgement or second closing changes nothing once closed") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning closed = Closed(book, Acknowledged(book, Raised(book)), "first");
  v1::AlertEvent ack;
  ack.mutable_acknowledged()->set_alert_id(closed.status().alert_id());
  *ack.mutable_acknowledged()->mutable_by() = Supervisor("sup-9");
  CHECK(After(closed, ack).SerializeAsString() == closed.SerializeAsString());
  v1::AlertEvent close_again;
  close_again.mutable_closed()->set_alert_id(closed.status().alert_id());
  close_again.mutable_closed()->set_measure("second");
  *close_again.mutable_closed()->mutable_remonitor_until() = Stamp(kRaisedAt + hours(1000));
  CHECK(After(closed, close_again).SerializeAsString() == closed.SerializeAsString());
  const v1::StoredWarning done = Done(closed);
  CHECK(After(done, close_again).SerializeAsString() == done.SerializeAsString());
  CHECK(After(done, ack).status().state() == State::STATE_DONE);
}

TEST_CASE("Escalations raise the level and never lower it") {
  const WarningBook book(WarningSettings{});
  v1::StoredWarning warning = Raised(book);
  v1::AlertEvent escalated;
  escalated.mutable_escalated()->set_alert_id(warning.status().alert_id());
  escalated.mutable_escalated()->set_level(2);
  warning = After(warning, escalated);
  CHECK(warning.status().escalation_level() == 2);
  CHECK(warning.status().state() == State::STATE_RAISED);
  escalated.mutable_escalated()->set_level(1);
  CHECK(After(warning, escalated).status().escalation_level() == 2);
  escalated.mutable_escalated()->set_level(3);
  CHECK(After(warning, escalated).status().escalation_level() == 3);
}

TEST_CASE("A cleared warning is done and an empty event changes nothing") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning raised = Raised(book);
  v1::AlertEvent cleared;
  cleared.mutable_cleared()->set_alert_id(raised.status().alert_id());
  CHECK(After(raised, cleared).status().state() == State::STATE_DONE);
  CHECK(After(raised, v1::AlertEvent()).SerializeAsString() == raised.SerializeAsString());
}

TEST_CASE("IsOpen and IsActive by state") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning raised = Raised(book);
  const v1::StoredWarning acked = Acknowledged(book, raised);
  const v1::StoredWarning closed = Closed(book, acked);
  const v1::StoredWarning done = Done(closed);
  CHECK(WarningBook::IsOpen(raised));
  CHECK(WarningBook::IsOpen(acked));
  CHECK_FALSE(WarningBook::IsOpen(closed));
  CHECK_FALSE(WarningBook::IsOpen(done));
  CHECK(WarningBook::IsActive(raised));
  CHECK(WarningBook::IsActive(acked));
  CHECK(WarningBook::IsActive(closed));
  CHECK_FALSE(WarningBook::IsActive(done));
}

// --- Acknowledge ---

TEST_CASE("Acknowledging a raised warning gives the event to publish") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning raised = Raised(book);
  const auto result = book.Acknowledge(raised, Supervisor("sup-1"), kRaisedAt + minutes(3));
  REQUIRE(result.ok());
  REQUIRE(result->has_value());
  const v1::AlertEvent& event = **result;
  REQUIRE(event.has_acknowledged());
  CHECK(event.acknowledged().alert_id() == raised.status().alert_id());
  CHECK(event.acknowledged().by().id() == "sup-1");
  CHECK(event.acknowledged().by().kind() == v1::Actor::KIND_SUPERVISOR);
  CHECK(TimeOf(event.acknowledged().at()) == kRaisedAt + minutes(3));
}

TEST_CASE("Acknowledging twice gives nothing more") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning acked = Acknowledged(book, Raised(book));
  const auto result = book.Acknowledge(acked, Supervisor("sup-2"), kRaisedAt + minutes(20));
  REQUIRE(result.ok());
  CHECK_FALSE(result->has_value());
}

TEST_CASE("Acknowledging a closed or done warning fails its precondition") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning closed = Closed(book, Raised(book));
  for (const auto& warning : {closed, Done(closed)}) {
    const auto result = book.Acknowledge(warning, Supervisor(), kRaisedAt + hours(3));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == core::ErrorKind::kFailedPrecondition);
    CHECK_THAT(result.error().message, Catch::Contains(closed.status().alert_id()));
  }
}

TEST_CASE("Acknowledging needs who") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning raised = Raised(book);
  for (const auto& warning : {raised, Closed(book, raised)}) {
    const auto result = book.Acknowledge(warning, v1::Actor(), kRaisedAt);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_THAT(result.error().message, Catch::Contains("by.id"));
  }
}

// --- Close ---

TEST_CASE("Closing an acknowledged warning gives the event with the re-monitoring window") {
  WarningSettings settings;
  settings.remonitor_for = hours(24);
  const WarningBook book(settings);
  const v1::StoredWarning acked = Acknowledged(book, Raised(book));
  const core::TimePoint now = kRaisedAt + hours(5);
  const auto result = book.Close(acked, Supervisor("sup-2"), "re-sent the bills", now);
  REQUIRE(result.ok());
  REQUIRE(result->has_value());
  const auto& closed = (*result)->closed();
  CHECK(closed.alert_id() == acked.status().alert_id());
  CHECK(closed.by().id() == "sup-2");
  CHECK(closed.measure() == "re-sent the bills");
  CHECK(TimeOf(closed.at()) == now);
  CHECK(TimeOf(closed.remonitor_until()) == now + hours(24));
}

TEST_CASE("Closing without acknowledging acknowledges by the one who closes") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning raised = Raised(book);
  const auto result = book.Close(raised, Supervisor("sup-3"), "crew sent", kRaisedAt + hours(1));
  REQUIRE(result.ok());
  REQUIRE(result->has_value());
  const v1::StoredWarning closed = After(raised, **result);
  CHECK(closed.status().state() == State::STATE_CLOSED);
  CHECK(closed.status().acknowledged_by() == "sup-3");
  CHECK(closed.status().measure() == "crew sent");
}

TEST_CASE("Closing a closed or done warning gives nothing more") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning closed = Closed(book, Raised(book));
  for (const auto& warning : {closed, Done(closed)}) {
    const auto result = book.Close(warning, Supervisor(), "again", kRaisedAt + hours(4));
    REQUIRE(result.ok());
    CHECK_FALSE(result->has_value());
  }
}

TEST_CASE("Closing needs who and a measure of at most 2000 bytes") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning raised = Raised(book);
  auto result = book.Close(raised, v1::Actor(), "done", kRaisedAt);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(result.error().message, Catch::Contains("by.id"));
  for (const std::string measure : {"", " ", " \t\r\n "}) {
    result = book.Close(raised, Supervisor(), measure, kRaisedAt);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_THAT(result.error().message, Catch::Contains("measure"));
  }
  result = book.Close(raised, Supervisor(), std::string(2000, 'x'), kRaisedAt);
  REQUIRE(result.ok());
  CHECK(result->has_value());
  result = book.Close(raised, Supervisor(), std::string(2001, 'x'), kRaisedAt);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
  // Validation comes first: even a closed warning rejects a bad request.
  result = book.Close(Closed(book, raised), Supervisor(), "", kRaisedAt);
  CHECK_FALSE(result.ok());
}

// --- Escalation ---

WarningSettings Ladder() {
  WarningSettings settings;
  settings.acknowledge_within = minutes(30);
  settings.escalate_every = minutes(20);
  settings.escalation_roles = {"centre-head", "director"};
  return settings;
}

/// The escalation due at `now`, applied; its level and role returned.
std::optional<std::pair<int, std::string>> Escalate(const WarningBook& book,
                                                    v1::StoredWarning& warning,
                                                    core::TimePoint now) {
  const auto event = book.Escalation(warning, now);
  if (!event) return std::nullopt;
  REQUIRE(event->has_escalated());
  CHECK(event->escalated().alert_id() == warning.status().alert_id());
  CHECK(TimeOf(event->escalated().at()) == now);
  warning = After(warning, *event);
  return std::make_pair(event->escalated().level(), event->escalated().escalated_to());
}

TEST_CASE("No escalation before the acknowledgement deadline and level 1 at it") {
  const WarningBook book(Ladder());
  v1::StoredWarning warning = Raised(book);
  const core::TimePoint deadline = kRaisedAt + minutes(30);
  CHECK_FALSE(book.Escalation(warning, kRaisedAt));
  CHECK_FALSE(book.Escalation(warning, deadline - milliseconds(1)));
  const auto first = Escalate(book, warning, deadline);
  REQUIRE(first);
  CHECK(first->first == 1);
  CHECK(first->second == "centre-head");
  CHECK(warning.status().escalation_level() == 1);
}

TEST_CASE("Level 2 comes one interval later and the last role repeats") {
  const WarningBook book(Ladder());
  v1::StoredWarning warning = Raised(book);
  const core::TimePoint deadline = kRaisedAt + minutes(30);
  REQUIRE(Escalate(book, warning, deadline + minutes(5)));
  // Level 1 is told: nothing more until deadline + 20 minutes.
  CHECK_FALSE(book.Escalation(warning, deadline + minutes(5)));
  CHECK_FALSE(book.Escalation(warning, deadline + minutes(20) - milliseconds(1)));
  const auto second = Escalate(book, warning, deadline + minutes(20));
  REQUIRE(second);
  CHECK(*second == std::make_pair(2, std::string("director")));
  CHECK_FALSE(book.Escalation(warning, deadline + minutes(39)));
  const auto third = Escalate(book, warning, deadline + minutes(40));
  REQUIRE(third);
  CHECK(*third == std::make_pair(3, std::string("director")));
  const auto fourth = Escalate(book, warning, deadline + minutes(60));
  REQUIRE(fourth);
  CHECK(*fourth == std::make_pair(4, std::string("director")));
}

TEST_CASE("A late round climbs one rung at a time and never skips a level") {
  const WarningBook book(Ladder());
  v1::StoredWarning warning = Raised(book);
  const core::TimePoint late = kRaisedAt + minutes(30) + minutes(65);  // level 4 is due
  std::vector<int> levels;
  while (const auto step = Escalate(book, warning, late)) levels.push_back(step->first);
  CHECK(levels == std::vector<int>{1, 2, 3, 4});
  CHECK(warning.status().escalation_level() == 4);
}

TEST_CASE("No escalation once acknowledged or closed") {
  const WarningBook book(Ladder());
  v1::StoredWarning warning = Raised(book);
  REQUIRE(Escalate(book, warning, kRaisedAt + minutes(30)));
  const v1::StoredWarning acked = Acknowledged(book, warning);
  CHECK_FALSE(book.Escalation(acked, kRaisedAt + hours(10)));
  const v1::StoredWarning closed = Closed(book, Raised(book));
  CHECK_FALSE(book.Escalation(closed, kRaisedAt + hours(10)));
  CHECK_FALSE(book.Escalation(Done(closed), kRaisedAt + hours(10)));
}

TEST_CASE("A warning without an acknowledgement deadline is never escalated") {
  const WarningBook book(Ladder());
  v1::StoredWarning warning = Raised(book);
  warning.mutable_raised()->clear_acknowledge_by();
  CHECK_FALSE(book.Escalation(warning, kRaisedAt + hours(100)));
}

TEST_CASE("Without escalation roles the responsible role is told") {
  WarningSettings settings = Ladder();
  settings.escalation_roles.clear();
  const WarningBook book(settings);
  v1::StoredWarning warning = Raised(book);
  const auto first = Escalate(book, warning, kRaisedAt + minutes(30));
  REQUIRE(first);
  CHECK(first->second == "service-dispatch-centre");
  const auto second = Escalate(book, warning, kRaisedAt + minutes(50));
  REQUIRE(second);
  CHECK(second->second == "service-dispatch-centre");
}

TEST_CASE("The default ladder uses the default roles every 30 minutes") {
  const WarningBook book(WarningSettings{});
  v1::StoredWarning warning = Raised(book);
  const core::TimePoint deadline = kRaisedAt + minutes(30);
  CHECK(Escalate(book, warning, deadline)->second == "service-dispatch-centre-head");
  CHECK_FALSE(book.Escalation(warning, deadline + minutes(29)));
  CHECK(Escalate(book, warning, deadline + minutes(30))->second == "customer-service-director");
}

TEST_CASE("An interval under a minute is taken as one minute") {
  WarningSettings settings = Ladder();
  settings.escalate_every = minutes(0);
  const WarningBook book(settings);
  v1::StoredWarning warning = Raised(book);
  const core::TimePoint deadline = kRaisedAt + minutes(30);
  REQUIRE(Escalate(book, warning, deadline));
  CHECK_FALSE(book.Escalation(warning, deadline + seconds(59)));
  const auto second = Escalate(book, warning, deadline + minutes(1));
  REQUIRE(second);
  CHECK(second->first == 2);
}

// --- Remonitor ---

TEST_CASE("Re-monitoring ends quiet at the end of the window") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning closed = Closed(book, Acknowledged(book, Raised(book)));
  const core::TimePoint until = TimeOf(closed.status().remonitor_until());
  CHECK_FALSE(WarningBook::Remonitor(closed, until - milliseconds(1), std::nullopt));
  const auto verdict = WarningBook::Remonitor(closed, until, std::nullopt);
  REQUIRE(verdict);
  REQUIRE(verdict->has_remonitored());
  CHECK(verdict->remonitored().alert_id() == closed.status().alert_id());
  CHECK_FALSE(verdict->remonitored().recurred());
  CHECK(verdict->remonitored().new_alert_id().empty());
  CHECK(TimeOf(verdict->remonitored().at()) == until);
  CHECK(WarningBook::Remonitor(closed, until + hours(5), std::nullopt));
}

TEST_CASE("A recurrence during re-monitoring names the new warning at once") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning closed = Closed(book, Raised(book));
  const std::string new_id = WarningBook::AlertId("complaint/billing", "天河区", kWindowHour + 30);
  const core::TimePoint now = kRaisedAt + hours(30);
  const auto verdict = WarningBook::Remonitor(closed, now, new_id);
  REQUIRE(verdict);
  CHECK(verdict->remonitored().recurred());
  CHECK(verdict->remonitored().new_alert_id() == new_id);
  CHECK(TimeOf(verdict->remonitored().at()) == now);
  CHECK(After(closed, *verdict).status().state() == State::STATE_DONE);
}

TEST_CASE("Re-monitoring is only for closed warnings") {
  const WarningBook book(WarningSettings{});
  const v1::StoredWarning raised = Raised(book);
  const v1::StoredWarning acked = Acknowledged(book, raised);
  const v1::StoredWarning done = Done(Closed(book, acked));
  for (const auto& warning : {raised, acked, done}) {
    CHECK_FALSE(WarningBook::Remonitor(warning, kRaisedAt + hours(1000), std::nullopt));
    CHECK_FALSE(WarningBook::Remonitor(warning, kRaisedAt + hours(1000), std::string("RW-new")));
  }
}

TEST_CASE("A closed warning without a window end is over at once") {
  const WarningBook book(WarningSettings{});
  v1::StoredWarning closed = Closed(book, Raised(book));
  closed.mutable_status()->clear_remonitor_until();
  const auto verdict = WarningBook::Remonitor(closed, kRaisedAt, std::nullopt);
  REQUIRE(verdict);
  CHECK_FALSE(verdict->remonitored().recurred());
}

}  // namespace
}  // namespace gridcare::analytics
