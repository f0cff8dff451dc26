// A complaint opened on 2026-12-28 gets a provisional reply deadline; loading an official 2027
// file recomputes it once, publishes ClocksChanged and shows it on the ticket's timeline.
#include "calendar_reload.h"

#include <prometheus/registry.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "gridcare/sla/clocks.h"
#include "intake_fixture.h"

using namespace gridcare;
using namespace gridcare::intake;
using namespace gridcare::intake::testing;
namespace fs = std::filesystem;

namespace {

// Monday 2026-12-28 10:00 Beijing.
core::TimePoint December28() {
  using namespace std::chrono;
  return sys_days{year{2026} / December / 28} + hours{2};
}

core::TimePoint Beijing(int y, unsigned m, unsigned d, int hour) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{hour - 8};
}

std::string FixturePath() { return SourcePath("tests/data/calendar-cn-2027-FIXTURE.json"); }
std::string Shipped2026Path() { return SourcePath("libs/sla/config/calendar-cn-2026.json"); }

sla::WorkingCalendar LoadOrFail(const std::string& spec) {
  auto calendar = LoadWorkingCalendar(spec);
  INFO(spec << ": " << (calendar.ok() ? "" : calendar.error().ToString()));
  REQUIRE(calendar.ok());
  return *calendar;
}

struct CalendarHarness {
  FakeProfileDirectory profiles;
  InMemoryTicketStore store;
  kafka::RecordingPublisher publisher;
  core::FakeClock clock{December28()};
  sla::LiveCalendar calendar{LoadOrFail(Shipped2026Path())};
  IntakeCore core{profiles, store,         publisher, RealClassifier(), RealKnowledgeBase(),
                  calendar, IntakeRules{}, clock};

  CalendarHarness() { profiles.Add(MakeCustomer("C-1001")); }

  v1::Ticket OpenComplaint(const std::string& request_id) {
    auto request = MakeRequest(request_id, v1::CHANNEL_HOTLINE_IVR, "我要投诉，抄表员态度很差");
    request.set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
    request.mutable_customer()->set_customer_id("C-1001");
    auto result = core.Submit(request);
    REQUIRE(result.ok());
    auto* response = std::get_if<v1::SubmitResponse>(&*result);
    REQUIRE(response != nullptr);
    REQUIRE(response->ticket().type() == v1::REQUEST_TYPE_COMPLAINT);
    return response->ticket();
  }

  std::vector<v1::IntakeEvent> ClocksChangedEvents() const {
    std::vector<v1::IntakeEvent> events;
    for (const auto& record : publisher.RecordsOn(kafka::kIntakeTopic)) {
      auto event = ParseIntakeEvent(record);
      if (event.has_clocks_changed()) events.push_back(event);
    }
    return events;
  }
};

}  // namespace

TEST_CASE("a complaint reply clock crossing into 2027 is provisional and the timeline says so") {
  CalendarHarness h;
  const v1::Ticket ticket = h.OpenComplaint("REQ-CAL-1");
  const auto* reply = FindClock(ticket, v1::ServiceClock::KIND_COMPLAINT_REPLY);
  REQUIRE(reply != nullptr);
  CHECK(reply->provisional());
  CHECK(sla::FromTimestamp(reply->due_at()) == Beijing(2027, 1, 5, 10));  // skips 1 January
  auto ids = h.store.ProvisionalTickets();
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{ticket.ticket_id()});
  v1::TrackRequest track;
  track.set_ticket_id(ticket.ticket_id());
  auto tracked = h.core.Track(track);
  REQUIRE(tracked.ok());
  CHECK_THAT(tracked->timeline(0).description().zh_cn(),
             Catch::Contains("暂定为 2027-01-05 10:00"));
  CHECK_THAT(tracked->timeline(0).description().en(), Catch::Contains("provisional deadline"));
}

TEST_CASE("loading the official 2027 file recomputes open provisional clocks once") {
  CalendarHarness h;
  const v1::Ticket ticket = h.OpenComplaint("REQ-CAL-2");
  const auto previous = h.calendar.Current();
  h.calendar.Replace(LoadOrFail(Shipped2026Path() + "," + FixturePath()));
  ProvisionalClockUpdater updater(h.store, h.publisher, h.clock);

  auto first = updater.Recompute(*h.calendar.Current(), *previous);
  REQUIRE(first.ok());
  CHECK(first->changed == 1);
  auto second = updater.Recompute(*h.calendar.Current(), *previous);
  REQUIRE(second.ok());
  CHECK(second->changed == 0);
  CHECK(second->checked == 0);  // final now: out of the provisional index

  const auto events = h.ClocksChangedEvents();
  REQUIRE(events.size() == 1);
  const auto& change = events[0].clocks_changed();
  CHECK(change.ticket_id() == ticket.ticket_id());
  CHECK(change.calendar_version() == h.calendar.Current()->version());
  REQUIRE(change.changes_size() == 1);
  CHECK(sla::FromTimestamp(change.changes(0).previous_due_at()) == Beijing(2027, 1, 5, 10));
  CHECK(sla::FromTimestamp(change.changes(0).due_at()) == Beijing(2027, 1, 6, 10));
  CHECK(change.changes(0).previous_provisional());
  CHECK_FALSE(change.changes(0).provisional());
  const auto records = h.publisher.RecordsOn(kafka::kIntakeTopic);
  CHECK(HeaderOf(records.back(), "ce_id") ==
        ClocksChangedEventId(ticket.ticket_id(), change.calendar_version()));
  CHECK(HeaderOf(records.back(), "ce_type") == std::string(kClocksChangedType));

  v1::TrackRequest track;
  track.set_ticket_id(ticket.ticket_id());
  auto tracked = h.core.Track(track);
  REQUIRE(tracked.ok());
  const auto* reply = FindClock(tracked->ticket(), v1::ServiceClock::KIND_COMPLAINT_REPLY);
  REQUIRE(reply != nullptr);
  CHECK_FALSE(reply->provisional());
  CHECK(sla::FromTimestamp(reply->due_at()) == Beijing(2027, 1, 6, 10));
  REQUIRE(tracked->timeline_size() == 2);
  CHECK(tracked->timeline(1).event_type() == kClocksChangedType);
  CHECK_THAT(tracked->timeline(1).description().zh_cn(),
             Catch::Contains("由 2027-01-05 10:00 调整为 2027-01-06 10:00"));
  CHECK_THAT(tracked->timeline(1).description().en(),
             Catch::Contains("final under the official holiday schedule"));
}

TEST_CASE("closed tickets leave the provisional index without an event") {
  CalendarHarness h;
  v1::Ticket ticket = h.OpenComplaint("REQ-CAL-3");
  ticket.set_state(v1::TICKET_STATE_CLOSED);
  REQUIRE(h.store.SaveTicket(ticket).ok());
  const auto previous = h.calendar.Current();
  ProvisionalClockUpdater updater(h.store, h.publisher, h.clock);
  const auto next = LoadOrFail(Shipped2026Path() + "," + FixturePath());
  auto outcome = updater.Recompute(next, *previous);
  REQUIRE(outcome.ok());
  CHECK(outcome->changed == 0);
  CHECK(h.ClocksChangedEvents().empty());
}

TEST_CASE("the reloader picks up a new file in its directory, and SIGHUP") {
  CalendarHarness h;
  const v1::Ticket ticket = h.OpenComplaint("REQ-CAL-4");
  const fs::path dir =
      fs::temp_directory_path() / ("gridcare-calendar-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(Shipped2026Path(), dir / "calendar-cn-2026.json");
  h.calendar.Replace(LoadOrFail(dir.string()));
  prometheus::Registry registry;
  h.clock.Set(Beijing(2026, 12, 6, 12));
  CalendarReloader reloader({dir.string(), std::chrono::milliseconds(10), 45}, h.calendar, h.store,
                            h.publisher, registry, h.clock);
  CHECK_FALSE(reloader.Poll());  // nothing changed
  auto gauge_value = [&registry] {
    for (const auto& family : registry.Collect()) {
      if (family.name == "gridcare_calendar_official_coverage_days") {
        return family.metric.at(0).gauge.value;
      }
    }
    return -1.0;
  };
  CHECK(gauge_value() == 26.0);  // 2026-12-06 .. 2027-01-01

  fs::copy_file(FixturePath(), dir / "calendar-cn-2027-FIXTURE.json");
  CHECK(reloader.Poll());
  CHECK(h.calendar.Current()->CoverageOf(2027) == sla::CoverageStatus::kOfficial);
  CHECK(gauge_value() == 26.0 + 365);
  CHECK(h.ClocksChangedEvents().size() == 1);

  // A broken file keeps the calendar in force.
  const auto version = h.calendar.Current()->version();
  { std::ofstream(dir / "broken.json") << "{not json"; }
  CHECK_FALSE(reloader.Poll());
  CHECK(h.calendar.Current()->version() == version);
  fs::remove(dir / "broken.json");
  CHECK(reloader.Poll());  // the directory changed again: reloads (same version, no new event)
  CHECK(h.ClocksChangedEvents().size() == 1);

  // SIGHUP reloads even without a file change.
  raise(SIGHUP);
  CHECK(reloader.Poll());
  CHECK(h.ClocksChangedEvents().size() == 1);
  fs::remove_all(dir);
  (void)ticket;
}
