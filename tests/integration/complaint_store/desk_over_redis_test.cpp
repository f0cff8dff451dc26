// CaseDesk over RedisCaseStore on a real redis-server: a complaint's life through the desk with
// the service killed (the desk dropped) and Redis restarted (AOF) in the middle: no case, clock or
// fired alarm is lost, and no alarm is raised twice.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "desk_fixture.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/redis_client.h"
#include "gridcare/testing/servers.h"
#include "redis_case_store.h"

namespace gridcare::complaint {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

const std::string kCase = "CC-GC-20261102-000001";

struct RedisHarness {
  RedisHarness() : client(gridcare::testing::MakeRedisClient(server)) { Start(); }

  /// A new service process: store, publisher and desk built again over the same Redis.
  void Start() {
    desk.reset();
    store = std::make_unique<RedisCaseStore>(*client);
    publisher = std::make_unique<kafka::RecordingPublisher>();
    desk = std::make_unique<CaseDesk>(*store, *publisher, clock, Calendar(), *rules);
  }

  std::vector<Published> Drain() {
    auto records = publisher->records();
    publisher->Clear();
    return Read(records);
  }

  v1::ComplaintCase Case() {
    auto got = desk->Get(kCase);
    INFO((got.ok() ? std::string() : got.error().ToString()));
    REQUIRE(got.ok());
    return *got;
  }

  template <typename Apply>
  v1::ComplaintCase Act(const std::string& request_id, Apply apply) {
    auto result =
        desk->Act(kCase, request_id, "test",
                  [&](v1::StoredCase s, core::TimePoint now, const CalendarBook& calendar) {
                    return apply(std::move(s), now, calendar);
                  });
    INFO((result.ok() ? std::string() : result.error().ToString()));
    REQUIRE(result.ok());
    return *result;
  }

  gridcare::testing::RedisServer server;
  std::unique_ptr<redis::RedisClient> client;
  core::FakeClock clock{T0()};
  Rules rules;
  std::unique_ptr<RedisCaseStore> store;
  std::unique_ptr<kafka::RecordingPublisher> publisher;
  std::unique_ptr<CaseDesk> desk;
};

TEST_CASE("a complaint survives a service and Redis restart without raising an alarm twice",
          "[complaint_store][integration][desk]") {
  RedisHarness h;
  std::set<std::string> ce_ids;
  const auto collect = [&](const std::vector<Published>& published) {
    for (const auto& p : published) {
      INFO(p.meta.type << " " << p.meta.id);
      CHECK(ce_ids.insert(p.meta.id).second);
    }
  };
  REQUIRE(
      h.desk->OnTicketOpened(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), Facts(), "evt-1", kTraceparent)
          .ok());
  collect(h.Drain());
  // Contact reminders fire (Mon 22:00, Tue 05:12).
  h.clock.Set(At(2026, 11, 3, 6));
  REQUIRE(*h.desk->TickDue() == 1);
  auto alarms = h.Drain();
  CHECK(alarms.size() == 2);
  collect(alarms);

  // The service dies; Redis restarts from its AOF.
  h.desk.reset();
  h.server.Restart();
  REQUIRE(
      gridcare::testing::WaitUntil([&] { return h.client->Ping().ok(); }, std::chrono::seconds(5)));
  h.Start();
  CHECK(h.Case().state() == v1::CASE_STATE_ROUTED);
  CHECK(*h.desk->TickDue() == 0);
  CHECK(h.Drain().empty());
  // The contact deadline passes: level 1, once.
  h.clock.Set(At(2026, 11, 3, 11));
  CHECK(*h.desk->TickDue() == 1);
  alarms = h.Drain();
  REQUIRE(alarms.size() == 1);
  CHECK(alarms[0].event.deadline_alarm().alarm_id() == kCase + "/contact/l1");
  collect(alarms);
  CHECK(h.Case().supervision_level() == 1);

  h.Act("c1", [&](v1::StoredCase s, core::TimePoint now, const CalendarBook&) {
    return h.rules->Contact(std::move(s), ContactReq("mkt-wl-02", "c1"), now);
  });
  h.clock.Set(At(2026, 11, 4, 9));
  h.Act("rep1", [&](v1::StoredCase s, core::TimePoint now, const CalendarBook&) {
    return h.rules->Reply(std::move(s), ReplyReq("mkt-wl-02", "rep1"), now);
  });
  collect(h.Drain());
  h.clock.Set(At(2026, 11, 5, 9));
  const auto reopened = h.Act("v1", [&](v1::StoredCase s, core::TimePoint now,
                                        const CalendarBook& cal) {
    return h.rules->ReturnVisit(
        std::move(s), VisitReq("mkt-wl-02", v1::SATISFACTION_DISSATISFIED, false, "v1"), now, cal);
  });
  CHECK(reopened.state() == v1::CASE_STATE_REOPENED);
  CHECK(reopened.supervision_level() == 2);
  collect(h.Drain());

  // Restart again: the reopened case's new clocks alarm under new ids, once.
  h.Start();
  h.clock.Set(At(2026, 11, 20));
  CHECK(*h.desk->TickDue() == 1);
  alarms = h.Drain();
  CHECK(alarms.size() == 10);
  collect(alarms);
  h.Start();
  CHECK(*h.desk->TickDue() == 0);
  CHECK(h.Drain().empty());
  CHECK(h.Case().supervision_level() == 3);
  auto pending = h.store->PendingOutboxes(100);
  REQUIRE(pending.ok());
  CHECK(pending->empty());
}

TEST_CASE("the desk lists and pages cases from Redis", "[complaint_store][integration][desk]") {
  RedisHarness h;
  for (int i = 0; i < 7; ++i) {
    auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT, "电费太高", "GC-" + std::to_string(i));
    *ticket.mutable_opened_at() = sla::ToTimestamp(T0() + std::chrono::minutes(10 * (7 - i)));
    REQUIRE(h.desk->OnTicketOpened(ticket, Facts(), "evt-" + std::to_string(i), kTraceparent).ok());
  }
  v1::ListCasesRequest request;
  request.set_department_id("marketing");
  request.set_page_size(3);
  Strs ids;
  for (int page = 0; page < 5; ++page) {
    auto response = h.desk->List(request);
    REQUIRE(response.ok());
    CHECK(response->total() == 7);
    for (const auto& c : response->cases()) ids.push_back(c.case_id());
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  CHECK(ids == Strs{"CC-GC-6", "CC-GC-5", "CC-GC-4", "CC-GC-3", "CC-GC-2", "CC-GC-1", "CC-GC-0"});
}

TEST_CASE("a corrupt case or outbox holds up no other case's timers or events",
          "[complaint_store][integration][desk]") {
  RedisHarness h;
  REQUIRE(
      h.desk->OnTicketOpened(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), Facts(), "evt-1", kTraceparent)
          .ok());
  (void)h.Drain();
  // A corrupt case whose timer is due first, and a corrupt pending outbox.
  const std::string garbage("\xff\xff\xff", 3);
  REQUIRE(h.client->Set("complaint:case:CC-BAD", garbage).ok());
  REQUIRE(h.client->ZAdd("complaint:timers", {{1.0, "CC-BAD"}}).ok());
  REQUIRE(h.client->Set("complaint:outbox:CC-BAD|desk:r1", garbage).ok());
  REQUIRE(h.client->SAdd("complaint:outbox:pending", {"CC-BAD|desk:r1"}).ok());
  h.clock.Set(At(2026, 11, 2, 22));
  auto ticked = h.desk->TickDue();
  REQUIRE(ticked.ok());
  CHECK(*ticked == 1);
  CHECK(h.Drain().size() == 1);  // the good case's reminder
  // The good case's own pending outbox (its flush fails) is relayed; the corrupt one dropped.
  h.publisher->FailNextFlushes(1);
  h.clock.Set(At(2026, 11, 3, 6));
  REQUIRE(*h.desk->TickDue() == 1);
  const auto first = h.Drain();
  REQUIRE(first.size() == 1);
  auto relayed = h.desk->RelayPending();
  REQUIRE(relayed.ok());
  CHECK(*relayed == 2);
  CHECK(CeIds(h.Drain()) == CeIds(first));
  auto pending = h.store->PendingOutboxes(10);
  REQUIRE(pending.ok());
  CHECK(pending->empty());
}

}  // namespace
}  // namespace gridcare::complaint
