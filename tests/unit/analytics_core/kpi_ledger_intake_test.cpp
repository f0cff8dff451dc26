// KpiLedger on intake's events: tickets opened, contacts added, consultations answered and ticket
// state changes (timely resolution, handling working days, first-contact resolution).

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "analytics_test_support.h"
#include "gridcare/sla/calendar.h"
#include "kpi_ledger.h"

namespace gridcare::analytics {
namespace {

using namespace testing;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

const Dimensions kFaultDims{"天河区", "hotline_agent", "fault_repair", "urban", "", ""};

const KpiLedger& Ledger() {
  static const sla::WorkingCalendar calendar = sla::WorkingCalendar::WeekdaysOnly();
  static const KpiLedger ledger(calendar);
  return ledger;
}

v1::ServiceClock Clock(v1::ServiceClock::Kind kind, core::TimePoint due) {
  v1::ServiceClock clock;
  clock.set_kind(kind);
  *clock.mutable_due_at() = Stamp(due);
  return clock;
}

/// A fault call in 天河区 by the hotline, opened Monday 10:00 local, due Monday 11:30.
v1::Ticket FaultTicket() {
  v1::Ticket ticket;
  ticket.set_ticket_id("GC-1");
  ticket.set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  ticket.set_channel(v1::CHANNEL_HOTLINE_AGENT);
  ticket.set_area_class(v1::AREA_CLASS_URBAN);
  ticket.mutable_location()->set_district("天河区");
  ticket.mutable_classification()->set_category("no_power");
  ticket.set_text("家里停电了");
  ticket.set_contact_count(1);
  *ticket.mutable_opened_at() = Stamp(Local(2026, 7, 6, 10));
  *ticket.add_clocks() = Clock(v1::ServiceClock::KIND_ARRIVAL, Local(2026, 7, 6, 10, 45));
  *ticket.add_clocks() = Clock(v1::ServiceClock::KIND_RESTORATION, Local(2026, 7, 6, 11, 30));
  return ticket;
}

v1::IntakeEvent Opened(const v1::Ticket& ticket) {
  v1::IntakeEvent event;
  *event.mutable_ticket_opened()->mutable_ticket() = ticket;
  return event;
}

v1::IntakeEvent Contact(const std::string& ticket_id, core::TimePoint at, bool urging,
                        int contact_count) {
  v1::IntakeEvent event;
  auto& added = *event.mutable_contact_added();
  added.set_ticket_id(ticket_id);
  added.set_channel(v1::CHANNEL_WECHAT);
  added.set_urging(urging);
  added.set_contact_count(contact_count);
  *added.mutable_received_at() = Stamp(at);
  return event;
}

v1::IntakeEvent StateChange(const std::string& ticket_id, v1::TicketState state,
                            core::TimePoint at) {
  v1::IntakeEvent event;
  auto& changed = *event.mutable_ticket_state_changed();
  changed.set_ticket_id(ticket_id);
  changed.set_state(state);
  *changed.mutable_changed_at() = Stamp(at);
  return event;
}

/// The memo a ticket leaves when it opens.
TicketMemo MemoOf(const v1::Ticket& ticket) {
  const Effects opened = Ledger().Intake(Opened(ticket), {});
  REQUIRE(opened.tickets.count(ticket.ticket_id()) == 1);
  return opened.tickets.at(ticket.ticket_id());
}

/// A memo opened at `opened` with deadline `due` (0: no clock) and `contacts` contacts.
TicketMemo Memo(core::TimePoint opened, int64_t due_ms, int32_t contacts = 1) {
  TicketMemo memo;
  memo.opened_ms = Ms(opened);
  memo.due_ms = due_ms;
  memo.dims = kFaultDims;
  memo.series = "fault_repair/no_power";
  memo.contacts = contacts;
  return memo;
}

Effects Resolve(const TicketMemo& memo, core::TimePoint at,
                v1::TicketState state = v1::TICKET_STATE_RESOLVED) {
  return Ledger().Intake(StateChange("GC-1", state, at), {{"GC-1", memo}});
}

// --- TicketOpened ---

TEST_CASE("A ticket opened counts one contact and one ticket on its local day") {
  const Effects effects = Ledger().Intake(Opened(FaultTicket()), {});
  REQUIRE(effects.counters.size() == 2);
  CHECK(effects.counters[0] == CounterIncrement{kMondayDay, metric::kContacts, 1, kFaultDims});
  CHECK(effects.counters[1] == CounterIncrement{kMondayDay, metric::kTickets, 1, kFaultDims});
  CHECK_FALSE(effects.unmatched);
  CHECK(effects.outage_days.empty());
  CHECK(effects.open_incidents.empty());
  CHECK(effects.closed_incidents.empty());
  CHECK(effects.warnings.empty());
}

TEST_CASE("A ticket opened is one request of its series in its district and hour") {
  const Effects effects = Ledger().Intake(Opened(FaultTicket()), {});
  REQUIRE(effects.series.size() == 1);
  CHECK(effects.series[0] ==
        SeriesIncrement{"fault_repair/no_power", "天河区", kMondayMidnightHour + 10});
  REQUIRE(effects.texts.size() == 1);
  CHECK(effects.texts[0].series == "fault_repair/no_power");
  CHECK(effects.texts[0].area == "天河区");
  CHECK(effects.texts[0].day == kMondayDay);
  CHECK(effects.texts[0].ticket_id == "GC-1");
  CHECK(effects.texts[0].text == "家里停电了");
}

TEST_CASE("A ticket opened leaves a memo with its latest deadline and dimensions") {
  const TicketMemo memo = MemoOf(FaultTicket());
  CHECK(memo.opened_ms == Ms(Local(2026, 7, 6, 10)));
  CHECK(memo.due_ms == Ms(Local(2026, 7, 6, 11, 30)));
  CHECK(memo.dims == kFaultDims);
  CHECK(memo.series == "fault_repair/no_power");
  CHECK(memo.contacts == 1);
  CHECK_FALSE(memo.resolved);
}

TEST_CASE("The memo's deadline is the latest clock that has one and 0 without any") {
  v1::Ticket ticket = FaultTicket();
  ticket.clear_clocks();
  CHECK(MemoOf(ticket).due_ms == 0);
  v1::ServiceClock undated;
  undated.set_kind(v1::ServiceClock::KIND_CONSULTATION_REPLY);
  *ticket.add_clocks() = undated;
  CHECK(MemoOf(ticket).due_ms == 0);
  *ticket.add_clocks() = Clock(v1::ServiceClock::KIND_RESTORATION, Local(2026, 7, 9, 9));
  *ticket.add_clocks() = Clock(v1::ServiceClock::KIND_ARRIVAL, Local(2026, 7, 6, 11));
  CHECK(MemoOf(ticket).due_ms == Ms(Local(2026, 7, 9, 9)));
}

TEST_CASE("The memo counts at least one contact and keeps the ticket's own count") {
  v1::Ticket ticket = FaultTicket();
  ticket.set_contact_count(0);
  CHECK(MemoOf(ticket).contacts == 1);
  ticket.set_contact_count(3);
  CHECK(MemoOf(ticket).contacts == 3);
  // Still one contact and one ticket counted: the further contacts had their own events.
  const Effects effects = Ledger().Intake(Opened(ticket), {});
  CHECK(Delta(effects, metric::kContacts) == 1);
  CHECK(Delta(effects, metric::kTickets) == 1);
}

TEST_CASE("A meter head-end ticket is counted but is no request surge and no text") {
  v1::Ticket ticket = FaultTicket();
  ticket.set_channel(v1::CHANNEL_METER_HEAD_END);
  const Effects effects = Ledger().Intake(Opened(ticket), {});
  CHECK(MetricsOf(effects) == std::vector<std::string>{metric::kContacts, metric::kTickets});
  CHECK(effects.counters[1].dims.channel == "meter_head_end");
  CHECK(effects.series.empty());
  CHECK(effects.texts.empty());
  REQUIRE(effects.tickets.count("GC-1") == 1);
  CHECK(effects.tickets.at("GC-1").series == "fault_repair/no_power");
}

TEST_CASE("A ticket without a district is counted in the area unknown and under no district") {
  v1::Ticket ticket = FaultTicket();
  ticket.clear_location();
  const Effects effects = Ledger().Intake(Opened(ticket), {});
  REQUIRE(effects.series.size() == 1);
  CHECK(effects.series[0].area == "unknown");
  REQUIRE(effects.texts.size() == 1);
  CHECK(effects.texts[0].area == "unknown");
  CHECK(effects.counters[0].dims.district.empty());
  CHECK(FieldsOf(effects.counters[0]) ==
        std::vector<std::string>{"contacts", "contacts|channel=hotline_agent",
                                 "contacts|type=fault_repair", "contacts|area_class=urban"});
}

TEST_CASE("A district with a bar is kept with a slash so it never splits a key") {
  v1::Ticket ticket = FaultTicket();
  ticket.mutable_location()->set_district("甲|乙区");
  const Effects effects = Ledger().Intake(Opened(ticket), {});
  CHECK(effects.counters[0].dims.district == "甲/乙区");
  CHECK(effects.series[0].area == "甲/乙区");
  CHECK(effects.tickets.at("GC-1").dims.district == "甲/乙区");
}

TEST_CASE("A ticket with no area class or category or text leaves those out") {
  v1::Ticket ticket = FaultTicket();
  ticket.set_area_class(v1::AREA_CLASS_UNSPECIFIED);
  ticket.mutable_classification()->clear_category();
  ticket.clear_text();
  const Effects effects = Ledger().Intake(Opened(ticket), {});
  CHECK(effects.counters[0].dims.area_class.empty());
  REQUIRE(effects.series.size() == 1);
  CHECK(effects.series[0].series == "fault_repair");
  CHECK(effects.texts.empty());
}

TEST_CASE("A ticket opened just before and at local midnight falls on different days") {
  v1::Ticket ticket = FaultTicket();
  *ticket.mutable_opened_at() = Stamp(Local(2026, 7, 5, 23, 59, 59) + milliseconds(999));
  Effects effects = Ledger().Intake(Opened(ticket), {});
  CHECK(effects.counters[0].day == kSundayDay);
  CHECK(effects.series[0].hour == kMondayMidnightHour - 1);
  CHECK(effects.texts[0].day == kSundayDay);
  *ticket.mutable_opened_at() = Stamp(Local(2026, 7, 6, 0));
  effects = Ledger().Intake(Opened(ticket), {});
  CHECK(effects.counters[0].day == kMondayDay);
  CHECK(effects.series[0].hour == kMondayMidnightHour);
}

TEST_CASE("A ticket is dated by when the channel received the contact") {
  // Received on Sunday 23:59:50 and accepted on Monday 00:00:05: a Sunday request.
  v1::Ticket ticket = FaultTicket();
  *ticket.mutable_opened_at() = Stamp(Local(2026, 7, 6, 0, 0, 5));
  *ticket.mutable_received_at() = Stamp(Local(2026, 7, 5, 23, 59, 50));
  const Effects effects = Ledger().Intake(Opened(ticket), {});
  REQUIRE(effects.counters.size() == 2);
  CHECK(effects.counters[0].day == kSundayDay);
  CHECK(effects.counters[1].day == kSundayDay);
  REQUIRE(effects.series.size() == 1);
  CHECK(effects.series[0].hour == kMondayMidnightHour - 1);
  REQUIRE(effects.texts.size() == 1);
  CHECK(effects.texts[0].day == kSundayDay);
  // Handling time starts when it was accepted: its clocks start then.
  CHECK(effects.tickets.at("GC-1").opened_ms == Ms(Local(2026, 7, 6, 0, 0, 5)));
}

TEST_CASE("A reception time after the acceptance or unset or at the epoch is not used") {
  v1::Ticket ticket = FaultTicket();
  *ticket.mutable_opened_at() = Stamp(Local(2026, 7, 5, 23, 59));
  *ticket.mutable_received_at() = Stamp(Local(2026, 7, 6, 0, 1));
  Effects effects = Ledger().Intake(Opened(ticket), {});
  CHECK(effects.counters[0].day == kSundayDay);
  CHECK(effects.series[0].hour == kMondayMidnightHour - 1);
  ticket.clear_received_at();
  effects = Ledger().Intake(Opened(ticket), {});
  CHECK(effects.counters[0].day == kSundayDay);
  ticket.mutable_received_at()->set_seconds(0);
  effects = Ledger().Intake(Opened(ticket), {});
  CHECK(effects.counters[0].day == kSundayDay);
}

// --- ContactAdded ---

TEST_CASE("A further contact counts a contact with the ticket's dimensions and its own channel") {
  const TicketMemo memo = MemoOf(FaultTicket());
  const Effects effects =
      Ledger().Intake(Contact("GC-1", Local(2026, 7, 7, 9), false, 2), {{"GC-1", memo}});
  Dimensions dims = kFaultDims;
  dims.channel = "wechat";
  REQUIRE(effects.counters.size() == 1);
  CHECK(effects.counters[0] == CounterIncrement{kMondayDay + 1, metric::kContacts, 1, dims});
  CHECK_FALSE(effects.unmatched);
  CHECK(effects.series.empty());
  CHECK(effects.texts.empty());
  REQUIRE(effects.tickets.count("GC-1") == 1);
  TicketMemo expected = memo;
  expected.contacts = 2;
  CHECK(effects.tickets.at("GC-1") == expected);  // the memo keeps the ticket's own channel
}

TEST_CASE("An urging contact also counts an urging") {
  const TicketMemo memo = MemoOf(FaultTicket());
  const Effects effects =
      Ledger().Intake(Contact("GC-1", Local(2026, 7, 6, 10, 20), true, 2), {{"GC-1", memo}});
  CHECK(MetricsOf(effects) == std::vector<std::string>{metric::kContacts, metric::kUrgings});
  CHECK(effects.counters[1].day == kMondayDay);
  CHECK(effects.counters[1].dims.channel == "wechat");
  CHECK(effects.counters[1].dims.district == "天河区");
}

TEST_CASE("The memo's contacts grow by one or to the event's count when that is higher") {
  TicketMemo memo = MemoOf(FaultTicket());
  memo.contacts = 2;
  Effects effects =
      Ledger().Intake(Contact("GC-1", Local(2026, 7, 6, 11), false, 0), {{"GC-1", memo}});
  CHECK(effects.tickets.at("GC-1").contacts == 3);
  effects = Ledger().Intake(Contact("GC-1", Local(2026, 7, 6, 11), false, 5), {{"GC-1", memo}});
  CHECK(effects.tickets.at("GC-1").contacts == 5);
}

TEST_CASE("A contact on an unknown ticket is counted by its channel only and is unmatched") {
  const Effects effects = Ledger().Intake(Contact("GC-404", Local(2026, 7, 6, 11), true, 2),
                                          {{"GC-1", MemoOf(FaultTicket())}});
  Dimensions dims;
  dims.channel = "wechat";
  REQUIRE(effects.counters.size() == 2);
  CHECK(effects.counters[0] == CounterIncrement{kMondayDay, metric::kContacts, 1, dims});
  CHECK(effects.counters[1] == CounterIncrement{kMondayDay, metric::kUrgings, 1, dims});
  CHECK(effects.unmatched);
  CHECK(effects.tickets.empty());
}

TEST_CASE("TicketsNamed gives the ticket of a contact or state change and none otherwise") {
  CHECK(KpiLedger::TicketsNamed(Contact("GC-7", Local(2026, 7, 6, 9), false, 2)) ==
        std::vector<std::string>{"GC-7"});
  CHECK(KpiLedger::TicketsNamed(
            StateChange("GC-8", v1::TICKET_STATE_RESOLVED, Local(2026, 7, 6, 9))) ==
        std::vector<std::string>{"GC-8"});
  CHECK(KpiLedger::TicketsNamed(Opened(FaultTicket())).empty());
  CHECK(KpiLedger::TicketsNamed(v1::IntakeEvent()).empty());
}

// --- ConsultationAnswered ---

v1::IntakeEvent Answered(bool first_contact) {
  v1::IntakeEvent event;
  auto& answered = *event.mutable_consultation_answered();
  answered.set_ticket_id("GC-C1");
  answered.set_first_contact_resolution(first_contact);
  answered.set_channel(v1::CHANNEL_MOBILE_APP);
  answered.mutable_location()->set_district("越秀区");
  answered.mutable_classification()->set_category("tariff");
  answered.set_text("阶梯电价怎么算");
  answered.set_area_class(v1::AREA_CLASS_RURAL);
  *answered.mutable_answered_at() = Stamp(Local(2026, 7, 6, 23, 30));
  return event;
}

TEST_CASE("A consultation answered is a contact and a ticket resolved at once and on time") {
  const Effects effects = Ledger().Intake(Answered(true), {});
  const Dimensions dims{"越秀区", "mobile_app", "consultation", "rural", "", ""};
  const std::vector<std::string> names = {metric::kContacts, metric::kTickets, metric::kResolved,
                                          metric::kResolvedTimely, metric::kFirstContactResolved};
  CHECK(MetricsOf(effects) == names);
  for (const auto& increment : effects.counters) {
    CHECK(increment == CounterIncrement{kMondayDay, increment.metric, 1, dims});
  }
  CHECK(Delta(effects, metric::kHandlingMilliDays) == 0);
  CHECK_FALSE(effects.unmatched);
  CHECK(effects.tickets.empty());  // nothing more will happen to it
}

TEST_CASE("A consultation not resolved at first contact counts no first-contact resolution") {
  const Effects effects = Ledger().Intake(Answered(false), {});
  CHECK(Delta(effects, metric::kFirstContactResolved) == 0);
  CHECK(Delta(effects, metric::kResolved) == 1);
  CHECK(Delta(effects, metric::kResolvedTimely) == 1);
}

TEST_CASE("A consultation answered is one request of its matter and keeps its text") {
  const Effects effects = Ledger().Intake(Answered(true), {});
  REQUIRE(effects.series.size() == 1);
  CHECK(effects.series[0] ==
        SeriesIncrement{"consultation/tariff", "越秀区", kMondayMidnightHour + 23});
  REQUIRE(effects.texts.size() == 1);
  CHECK(effects.texts[0].series == "consultation/tariff");
  CHECK(effects.texts[0].area == "越秀区");
  CHECK(effects.texts[0].day == kMondayDay);
  CHECK(effects.texts[0].ticket_id == "GC-C1");
  CHECK(effects.texts[0].text == "阶梯电价怎么算");
}

TEST_CASE("A consultation without district or text or matter") {
  v1::IntakeEvent event = Answered(true);
  auto& answered = *event.mutable_consultation_answered();
  answered.clear_location();
  answered.clear_text();
  answered.clear_classification();
  answered.set_area_class(v1::AREA_CLASS_UNSPECIFIED);
  const Effects effects = Ledger().Intake(event, {});
  REQUIRE(effects.series.size() == 1);
  CHECK(effects.series[0].series == "consultation");
  CHECK(effects.series[0].area == "unknown");
  CHECK(effects.texts.empty());
  CHECK(effects.counters[0].dims.district.empty());
  CHECK(effects.counters[0].dims.area_class.empty());
}

TEST_CASE("A consultation is counted and resolved on the day it was asked") {
  // Asked on Sunday 23:58, answered (by intake, from the knowledge base) on Monday 00:02: the
  // customer had the answer in the contact itself.
  v1::IntakeEvent event = Answered(true);
  auto& answered = *event.mutable_consultation_answered();
  *answered.mutable_received_at() = Stamp(Local(2026, 7, 5, 23, 58));
  *answered.mutable_answered_at() = Stamp(Local(2026, 7, 6, 0, 2));
  const Effects effects = Ledger().Intake(event, {});
  CHECK(IncrementsOf(effects, metric::kContacts)[0].day == kSundayDay);
  CHECK(IncrementsOf(effects, metric::kTickets)[0].day == kSundayDay);
  CHECK(IncrementsOf(effects, metric::kResolved)[0].day == kSundayDay);
  CHECK(IncrementsOf(effects, metric::kResolvedTimely)[0].day == kSundayDay);
  CHECK(IncrementsOf(effects, metric::kFirstContactResolved)[0].day == kSundayDay);
  REQUIRE(effects.series.size() == 1);
  CHECK(effects.series[0].hour == kMondayMidnightHour - 1);
  REQUIRE(effects.texts.size() == 1);
  CHECK(effects.texts[0].day == kSundayDay);
  // Received "after" it was answered (a skewed channel clock): the answer dates it.
  *answered.mutable_received_at() = Stamp(Local(2026, 7, 6, 0, 5));
  const Effects skewed = Ledger().Intake(event, {});
  CHECK(IncrementsOf(skewed, metric::kContacts)[0].day == kMondayDay);
  CHECK(skewed.series[0].hour == kMondayMidnightHour);
}

// --- TicketStateChanged ---

TEST_CASE("A ticket resolved within its deadline is resolved and timely") {
  const TicketMemo memo = MemoOf(FaultTicket());
  const Effects effects = Resolve(memo, Local(2026, 7, 6, 11, 10));
  CHECK(MetricsOf(effects) == std::vector<std::string>{metric::kResolved, metric::kResolvedTimely,
                                                       metric::kHandlingMilliDays,
                                                       metric::kFirstContactResolved});
  for (const auto& increment : effects.counters) {
    CHECK(increment.day == kMondayDay);
    CHECK(increment.dims == kFaultDims);
  }
  // 70 minutes of a working day: 70 / 1440 = 0.0486 working days.
  CHECK(Delta(effects, metric::kHandlingMilliDays) == 49);
  CHECK_FALSE(effects.unmatched);
  REQUIRE(effects.tickets.count("GC-1") == 1);
  TicketMemo expected = memo;
  expected.resolved = true;
  CHECK(effects.tickets.at("GC-1") == expected);
}

TEST_CASE("Resolved exactly at the deadline is timely and one millisecond later is not") {
  const core::TimePoint due = Local(2026, 7, 6, 11, 30);
  const TicketMemo memo = Memo(Local(2026, 7, 6, 10), Ms(due));
  CHECK(Delta(Resolve(memo, due), metric::kResolvedTimely) == 1);
  const Effects late = Resolve(memo, due + milliseconds(1));
  CHECK(Delta(late, metric::kResolved) == 1);
  CHECK(Delta(late, metric::kResolvedTimely) == 0);
  CHECK(IncrementsOf(late, metric::kResolvedTimely).empty());
}

TEST_CASE("A ticket without a clock is timely whenever it is resolved") {
  const TicketMemo memo = Memo(Local(2026, 7, 6, 10), 0);
  const Effects effects = Resolve(memo, Local(2026, 8, 30, 10));
  CHECK(Delta(effects, metric::kResolved) == 1);
  CHECK(Delta(effects, metric::kResolvedTimely) == 1);
}

TEST_CASE("Handling time counts working days only across a weekend") {
  // Friday 12:00 to Monday 12:00: half of Friday and half of Monday.
  TicketMemo memo = Memo(Local(2026, 7, 3, 12), 0);
  Effects effects = Resolve(memo, Local(2026, 7, 6, 12));
  CHECK(Delta(effects, metric::kHandlingMilliDays) == 1000);
  CHECK(IncrementsOf(effects, metric::kHandlingMilliDays)[0].day == kMondayDay);
  // Opened on Saturday: no time counts until Monday 00:00; Monday 06:00 is a quarter day.
  memo = Memo(Local(2026, 7, 4, 10), 0);
  effects = Resolve(memo, Local(2026, 7, 6, 6));
  CHECK(Delta(effects, metric::kHandlingMilliDays) == 250);
  // Opened and resolved on the weekend: 0, still counted as resolved.
  memo = Memo(Local(2026, 7, 4, 10), 0);
  effects = Resolve(memo, Local(2026, 7, 5, 18));
  CHECK(IncrementsOf(effects, metric::kHandlingMilliDays).size() == 1);
  CHECK(Delta(effects, metric::kHandlingMilliDays) == 0);
  CHECK(IncrementsOf(effects, metric::kResolved)[0].day == kSundayDay);
  // A whole week: five working days.
  memo = Memo(Local(2026, 7, 6, 9), 0);
  effects = Resolve(memo, Local(2026, 7, 13, 9));
  CHECK(Delta(effects, metric::kHandlingMilliDays) == 5000);
}

TEST_CASE("A resolution stamped before the opening takes no time") {
  const TicketMemo memo = Memo(Local(2026, 7, 6, 10), Ms(Local(2026, 7, 6, 12)));
  const Effects effects = Resolve(memo, Local(2026, 7, 6, 9));
  CHECK(Delta(effects, metric::kHandlingMilliDays) == 0);
  CHECK(Delta(effects, metric::kResolvedTimely) == 1);
}

TEST_CASE("First-contact resolution only for a ticket with one contact") {
  CHECK(Delta(Resolve(Memo(Local(2026, 7, 6, 10), 0, 1), Local(2026, 7, 6, 11)),
              metric::kFirstContactResolved) == 1);
  const Effects effects = Resolve(Memo(Local(2026, 7, 6, 10), 0, 2), Local(2026, 7, 6, 11));
  CHECK(Delta(effects, metric::kFirstContactResolved) == 0);
  CHECK(Delta(effects, metric::kResolved) == 1);
}

TEST_CASE("A contact added before resolution takes first-contact resolution away") {
  const TicketMemo opened = MemoOf(FaultTicket());
  const Effects contact =
      Ledger().Intake(Contact("GC-1", Local(2026, 7, 6, 10, 30), true, 2), {{"GC-1", opened}});
  const Effects resolved = Resolve(contact.tickets.at("GC-1"), Local(2026, 7, 6, 11));
  CHECK(Delta(resolved, metric::kResolved) == 1);
  CHECK(Delta(resolved, metric::kFirstContactResolved) == 0);
}

TEST_CASE("Closed and answered states resolve a ticket too") {
  const TicketMemo memo = Memo(Local(2026, 7, 6, 10), 0);
  for (const auto state : {v1::TICKET_STATE_CLOSED, v1::TICKET_STATE_ANSWERED}) {
    const Effects effects = Resolve(memo, Local(2026, 7, 6, 11), state);
    CHECK(Delta(effects, metric::kResolved) == 1);
    CHECK(effects.tickets.at("GC-1").resolved);
  }
}

TEST_CASE("A ticket resolved and then closed is counted once") {
  const TicketMemo memo = MemoOf(FaultTicket());
  const Effects resolved = Resolve(memo, Local(2026, 7, 6, 11));
  CHECK(Delta(resolved, metric::kResolved) == 1);
  const Effects closed =
      Resolve(resolved.tickets.at("GC-1"), Local(2026, 7, 8, 11), v1::TICKET_STATE_CLOSED);
  CHECK(closed.empty());
  CHECK_FALSE(closed.unmatched);
}

TEST_CASE("A cancelled ticket is not counted as resolved and stays uncounted") {
  const TicketMemo memo = MemoOf(FaultTicket());
  const Effects cancelled = Resolve(memo, Local(2026, 7, 6, 11), v1::TICKET_STATE_CANCELLED);
  CHECK(cancelled.counters.empty());
  CHECK_FALSE(cancelled.unmatched);
  REQUIRE(cancelled.tickets.count("GC-1") == 1);
  CHECK(cancelled.tickets.at("GC-1").resolved);
  // A later resolution of the same ticket changes nothing.
  CHECK(Resolve(cancelled.tickets.at("GC-1"), Local(2026, 7, 6, 12)).empty());
}

TEST_CASE("Other state changes change nothing") {
  const TicketMemo memo = MemoOf(FaultTicket());
  for (const auto state :
       {v1::TICKET_STATE_OPEN, v1::TICKET_STATE_IN_PROGRESS, v1::TICKET_STATE_UNSPECIFIED}) {
    const Effects effects = Resolve(memo, Local(2026, 7, 6, 11), state);
    CHECK(effects.empty());
    CHECK_FALSE(effects.unmatched);
  }
  // Even for a ticket analytics does not know: only resolutions need the memo.
  const Effects unknown = Ledger().Intake(
      StateChange("GC-404", v1::TICKET_STATE_IN_PROGRESS, Local(2026, 7, 6, 11)), {});
  CHECK(unknown.empty());
  CHECK_FALSE(unknown.unmatched);
}

TEST_CASE("Resolving or cancelling an unknown ticket is unmatched and counts nothing") {
  for (const auto state : {v1::TICKET_STATE_RESOLVED, v1::TICKET_STATE_CANCELLED}) {
    const Effects effects = Ledger().Intake(StateChange("GC-404", state, Local(2026, 7, 6, 11)),
                                            {{"GC-1", MemoOf(FaultTicket())}});
    CHECK(effects.unmatched);
    CHECK(effects.empty());
  }
}

TEST_CASE("The day of a resolution is the local day of the change") {
  const TicketMemo memo = Memo(Local(2026, 7, 3, 20), 0);
  Effects effects = Resolve(memo, Local(2026, 7, 6, 0) - milliseconds(1));
  CHECK(IncrementsOf(effects, metric::kResolved)[0].day == kSundayDay);
  effects = Resolve(memo, Local(2026, 7, 6, 0));
  CHECK(IncrementsOf(effects, metric::kResolved)[0].day == kMondayDay);
}

TEST_CASE("Rejections and clock changes change no figure") {
  v1::IntakeEvent rejected;
  rejected.mutable_request_rejected()->set_request_id("R-1");
  CHECK(Ledger().Intake(rejected, {}).empty());
  v1::IntakeEvent clocks;
  clocks.mutable_clocks_changed()->set_ticket_id("GC-1");
  *clocks.mutable_clocks_changed()->mutable_changed_at() = Stamp(Local(2026, 7, 6, 11));
  const Effects effects = Ledger().Intake(clocks, {{"GC-1", MemoOf(FaultTicket())}});
  CHECK(effects.empty());
  CHECK_FALSE(effects.unmatched);
  CHECK(Ledger().Intake(v1::IntakeEvent(), {}).empty());
}

}  // namespace
}  // namespace gridcare::analytics
