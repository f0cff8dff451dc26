// The console's read models (open incidents with their filters and order, work orders by state,
// crew status strings) and the HTTP status of each error kind.
#include <prometheus/registry.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "console_http.h"
#include "dispatch_metrics.h"
#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

std::vector<std::string> Ids(const std::vector<v1::Incident>& incidents) {
  std::vector<std::string> out;
  for (const auto& i : incidents) out.push_back(i.incident_id());
  return out;
}

/// No crews: an ordinary call on T1 at T0, a life-support call on F2 at T0+1m, a transformer
/// incident on T2 from T0+2m, an ordinary call on T3 at T0+3m.
void Board(Harness& h) {
  h.CallNow("n1", "c-n1", "F1", "T1");
  h.clock.Set(T0() + 1min);
  auto urgent = FaultTicket("ls", "c-ls", "F2", "T9", h.Now());
  urgent.add_customer_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
  h.Call(urgent);
  h.clock.Set(T0() + 2min);
  h.CallNow("a1", "c-a1", "F1", "T2");
  h.CallNow("a2", "c-a2", "F1", "T2");
  h.CallNow("a3", "c-a3", "F1", "T2");
  h.clock.Set(T0() + 3min);
  h.CallNow("n2", "c-n2", "F1", "T3");
}

TEST_CASE("open incidents list the most urgent first, then the oldest, without merged ones",
          "[dispatcher][read_models]") {
  Harness h;
  Board(h);
  CHECK(Ids(h.Open()) == Strs{"INC-S-ls", "INC-T-a3", "INC-S-n1", "INC-S-n2"});
  CHECK(Ids(h.Open("F2")) == Strs{"INC-S-ls"});
  CHECK(Ids(h.Open("F1")) == Strs{"INC-T-a3", "INC-S-n1", "INC-S-n2"});
  CHECK(Ids(h.Open("F-NONE")).empty());
  // The merged single-customer incidents are still known one by one.
  REQUIRE(h.d().Incident("INC-S-a1"));
  CHECK(h.d().Incident("INC-S-a1")->state() == v1::INCIDENT_STATE_MERGED);
  CHECK_FALSE(h.d().Incident("INC-NOPE"));
}

TEST_CASE("open incidents filtered to overdue ones list only those past a deadline",
          "[dispatcher][read_models]") {
  Harness h;
  Board(h);
  CHECK(h.Open({}, true).empty());
  h.clock.Set(T0() + 47min);  // n1 due at 45, ls at 46, a3 at 47 (not yet over), n2 at 48
  CHECK(Ids(h.Open({}, true)) == Strs{"INC-S-ls", "INC-S-n1"});
  CHECK(Ids(h.Open("F1", true)) == Strs{"INC-S-n1"});
  h.clock.Set(T0() + 2h);
  CHECK(Ids(h.Open({}, true)) == Strs{"INC-S-ls", "INC-T-a3", "INC-S-n1", "INC-S-n2"});
}

TEST_CASE("an incident whose crew is on site is not overdue for arrival",
          "[dispatcher][read_models]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  h.clock.Set(T0() + 40min);
  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "a-1");
  h.clock.Set(T0() + 50min);
  CHECK(h.Open({}, true).empty());
  h.clock.Set(T0() + 40min + 3h + 1s);
  CHECK(Ids(h.Open({}, true)) == Strs{"INC-S-t1"});
}

TEST_CASE("work orders are listed by state, most urgent first", "[dispatcher][read_models]") {
  DispatchSettings settings;
  settings.assignment.max_jobs_per_crew = 2;
  Harness h(settings);
  Board(h);
  CHECK(h.OrderIds() == Strs{"WO-S-ls", "WO-T-a3", "WO-S-n1", "WO-S-n2"});
  CHECK(h.Orders({v1::WORK_ORDER_STATE_QUEUED}).size() == 4);
  CHECK(h.Orders({v1::WORK_ORDER_STATE_ASSIGNED}).empty());

  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.Tick();  // the crew takes the two most urgent jobs
  std::vector<std::string> assigned;
  for (const auto& o : h.Orders({v1::WORK_ORDER_STATE_ASSIGNED})) {
    assigned.push_back(o.work_order_id());
  }
  CHECK(assigned == Strs{"WO-S-ls", "WO-T-a3"});
  std::vector<std::string> queued;
  for (const auto& o : h.Orders({v1::WORK_ORDER_STATE_QUEUED})) queued.push_back(o.work_order_id());
  CHECK(queued == Strs{"WO-S-n1", "WO-S-n2"});
  CHECK(h.Orders({v1::WORK_ORDER_STATE_QUEUED, v1::WORK_ORDER_STATE_ASSIGNED}).size() == 4);
  CHECK(h.Orders({v1::WORK_ORDER_STATE_COMPLETED}).empty());
}

TEST_CASE("crews show as available, assigned, en route, on site, off shift or unreachable",
          "[dispatcher][read_models]") {
  Harness h;
  auto off = MakeCrew("CREW-OFF", 2, h.Now());
  off.set_availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
  auto gone = MakeCrew("CREW-GONE", 2, h.Now());
  gone.set_availability(v1::CREW_AVAILABILITY_UNREACHABLE);
  h.Roster({MakeCrew("CREW-A", 1, h.Now()), MakeCrew("CREW-FREE", 9, h.Now()), off, gone});
  CHECK(h.StatusOf("CREW-A") == "available");
  h.CallNow("t1", "c1");
  CHECK(h.StatusOf("CREW-A") == "assigned");
  h.CrewDone(Accepted("CREW-A", "WO-S-t1"), "a-1");
  CHECK(h.StatusOf("CREW-A") == "assigned");
  h.CrewDone(EnRoute("CREW-A", "WO-S-t1"), "a-2");
  CHECK(h.StatusOf("CREW-A") == "en_route");
  h.CrewDone(OnSite("CREW-A", "WO-S-t1"), "a-3");
  CHECK(h.StatusOf("CREW-A") == "on_site");
  CHECK(h.StatusOf("CREW-FREE") == "available");
  CHECK(h.StatusOf("CREW-OFF") == "off_shift");
  CHECK(h.StatusOf("CREW-GONE") == "unreachable");

  for (const auto& view : h.d().Crews()) {
    if (view.crew_id() != "CREW-A") {
      CHECK(view.work_order_ids_size() == 0);
      continue;
    }
    CHECK(view.name() == "抢修班 CREW-A");
    CHECK(Strings(view.work_order_ids()) == Strs{"WO-S-t1"});
    CHECK(view.position().latitude() == Approx(kLat + kKm));
    CHECK(FromTs(view.last_report_at()) == T0());
  }
  h.CrewDone(Completed("CREW-A", "WO-S-t1", true), "a-4");
  CHECK(h.StatusOf("CREW-A") == "available");
  // Crews that left the roster leave the list.
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  CHECK(h.d().Crews().size() == 1);
}

double SeriesValue(prometheus::Registry& registry, const std::string& name,
                   const std::string& label, const std::string& value) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      for (const auto& pair : metric.label) {
        if (pair.name == label && pair.value == value) {
          return family.type == prometheus::MetricType::Gauge ? metric.gauge.value
                                                              : metric.counter.value;
        }
      }
    }
  }
  return -1;
}

TEST_CASE("dispatch counts its decisions, actions, ignored inputs and open work",
          "[dispatcher][metrics]") {
  prometheus::Registry registry;
  DispatchMetrics metrics(registry);
  Harness h;
  h.metrics = &metrics;
  h.Restart();
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  h.CallNow("t2", "c2");
  h.CallNow("t3", "c3");
  h.CallNow("t4", "c4");
  auto closed = FaultTicket("x1", "c9", "F1", "T1", h.Now());
  closed.set_state(v1::TICKET_STATE_CLOSED);
  h.Call(closed);
  h.Call(FaultTicket("t4", "c4", "F1", "T1", h.Now()));  // redelivered
  h.CrewDone(OnSite("CREW-Z", "WO-T-t3"), "z-1");        // not its job
  const std::string decisions = "gridcare_dispatch_decisions_total";
  const std::string actions = "gridcare_dispatch_actions_total";
  const std::string ignored = "gridcare_dispatch_ignored_total";
  CHECK(SeriesValue(registry, decisions, "decision", "single-customer-work-order") == 2);
  CHECK(SeriesValue(registry, decisions, "decision", "open-incident") == 1);
  CHECK(SeriesValue(registry, decisions, "decision", "attach-to-incident") == 1);
  CHECK(SeriesValue(registry, actions, "action", "work_order_created") == 3);
  CHECK(SeriesValue(registry, actions, "action", "merged") == 2);
  CHECK(SeriesValue(registry, actions, "action", "cancelled") == 2);
  CHECK(SeriesValue(registry, actions, "action", "assigned") == 3);
  CHECK(SeriesValue(registry, ignored, "reason", "ticket_not_open") == 1);
  CHECK(SeriesValue(registry, ignored, "reason", "redelivered_ticket") == 1);
  CHECK(SeriesValue(registry, ignored, "reason", "report_from_crew_without_job") == 1);
  // The open-work gauges are refreshed by the tick (a scan per input would cost a storm dearly).
  REQUIRE(h.d().Tick().ok());
  CHECK(SeriesValue(registry, "gridcare_dispatch_open", "kind", "incidents") == 1);
  CHECK(SeriesValue(registry, "gridcare_dispatch_open", "kind", "work_orders") == 1);
  CHECK(SeriesValue(registry, "gridcare_dispatch_open", "kind", "queued_work_orders") == 0);
}

TEST_CASE("each error kind maps to its HTTP status", "[console][http]") {
  using core::ErrorKind;
  CHECK(HttpStatusFor(ErrorKind::kInvalidArgument) == 400);
  CHECK(HttpStatusFor(ErrorKind::kNotFound) == 404);
  CHECK(HttpStatusFor(ErrorKind::kAlreadyExists) == 409);
  CHECK(HttpStatusFor(ErrorKind::kFailedPrecondition) == 412);
  CHECK(HttpStatusFor(ErrorKind::kPermissionDenied) == 403);
  CHECK(HttpStatusFor(ErrorKind::kResourceExhausted) == 429);
  CHECK(HttpStatusFor(ErrorKind::kUnavailable) == 503);
  CHECK(HttpStatusFor(ErrorKind::kDeadlineExceeded) == 503);
  CHECK(HttpStatusFor(ErrorKind::kInternal) == 500);
}

}  // namespace
}  // namespace gridcare::dispatch
