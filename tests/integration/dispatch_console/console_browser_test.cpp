// The console page in Chromium against the real ConsoleHttpServer: the JSON the C++ side prints
// (appointment work with its application, booked times, badges) is what the page reads, and a
// move goes back to DispatchConsole::MoveAppointment as the page sends it.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "console/console_assets.h"
#include "console_http.h"
#include "gridcare/testing/process.h"

namespace gridcare::dispatch {
namespace {

using gridcare::testing::ChildProcess;
using gridcare::testing::TempDir;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

const char kNode[] = "/usr/bin/node";
// 2026-11-24T01:00:00Z, 09:00 Beijing.
const core::TimePoint kNow = core::FromUnixMillis(1795482000000);
constexpr auto kBeijing = 8h;

google::protobuf::Timestamp At(core::TimePoint t) {
  google::protobuf::Timestamp out;
  out.set_seconds(core::ToUnixMillis(t) / 1000);
  return out;
}

core::TimePoint From(const google::protobuf::Timestamp& t) {
  return core::FromUnixMillis(t.seconds() * 1000);
}

v1::ServiceClock Clock(v1::ServiceClock::Kind kind, core::TimePoint due) {
  v1::ServiceClock clock;
  clock.set_kind(kind);
  *clock.mutable_starts_at() = At(kNow - 1h);
  *clock.mutable_due_at() = At(due);
  return clock;
}

v1::WorkOrder Repair(const std::string& id, v1::WorkOrderState state) {
  v1::WorkOrder order;
  order.set_work_order_id(id);
  order.set_kind(v1::WORK_ORDER_KIND_REPAIR);
  order.set_state(state);
  order.set_incident_id("INC-T-GC-20261124-0000" + id.substr(id.size() - 2));
  order.set_priority(v1::PRIORITY_HIGH);
  *order.add_clocks() = Clock(v1::ServiceClock::KIND_ARRIVAL, kNow + 40min);
  return order;
}

v1::WorkOrder Visit(const std::string& ticket, v1::WorkOrderKind kind, v1::VisitKind visit,
                    v1::ApplicationStage stage) {
  v1::WorkOrder order;
  order.set_work_order_id("WO-A-" + ticket + "-1");
  order.set_kind(kind);
  order.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  order.set_ticket_id(ticket);
  order.set_crew_id("CREW-M-01");
  order.set_required_skill(v1::CREW_SKILL_METERING);
  auto* app = order.mutable_application();
  app->set_ticket_id(ticket);
  app->set_stage(stage);
  app->set_visit(visit);
  app->set_booking_count(1);
  app->set_visit_number(1);
  auto* clock = order.add_clocks();
  *clock = Clock(v1::ServiceClock::KIND_APPLICATION_COMPLETION, kNow + 5 * 24h);
  clock->set_working_days(true);
  return order;
}

/// The work of one territory in memory: two repairs and three visits (booked tomorrow, re-booked
/// after the deadline, waiting for documents). Moves are refused as dispatch refuses them: a start
/// in the past, a visit off 08:00–18:00 Beijing (every crew's shift here), a visit under way.
class MemoryConsole final : public DispatchConsole {
 public:
  MemoryConsole() {
    orders_.push_back(Repair("WO-000001", v1::WORK_ORDER_STATE_QUEUED));
    orders_.push_back(Repair("WO-000002", v1::WORK_ORDER_STATE_EN_ROUTE));
    auto booked = Visit("GC-20261124-000021", v1::WORK_ORDER_KIND_NEW_CONNECTION,
                        v1::VISIT_KIND_SITE_SURVEY, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED);
    booked.mutable_application()->set_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
    *booked.mutable_appointment_start() = At(kNow + 25h);  // tomorrow 10:00 Beijing
    *booked.mutable_appointment_end() = At(kNow + 26h);
    orders_.push_back(booked);
    auto late = Visit("GC-20261124-000024", v1::WORK_ORDER_KIND_METER_CHECK,
                      v1::VISIT_KIND_METER_CHECK, v1::APPLICATION_STAGE_ACCEPTED);
    late.mutable_application()->set_kind(v1::SERVICE_APPLICATION_KIND_METER_CHECK);
    late.mutable_application()->set_booking_count(2);
    late.mutable_application()->set_after_deadline(true);
    *late.mutable_appointment_start() = At(kNow + 6 * 24h);
    *late.mutable_appointment_end() = At(kNow + 6 * 24h + 1h);
    orders_.push_back(late);
    auto waiting = Visit("GC-20261124-000027", v1::WORK_ORDER_KIND_CAPACITY_CHANGE,
                         v1::VISIT_KIND_SITE_SURVEY, v1::APPLICATION_STAGE_ACCEPTED);
    waiting.set_state(v1::WORK_ORDER_STATE_QUEUED);
    waiting.clear_crew_id();
    auto* stop = waiting.mutable_application()->mutable_clock_stop();
    stop->set_reason("property certificate missing");
    auto* doc = stop->add_missing_documents();
    doc->set_zh_cn("房产证");
    doc->set_en("property certificate");
    orders_.push_back(waiting);
  }

  std::vector<v1::Incident> OpenIncidents(const v1::ListOpenIncidentsRequest&) const override {
    return {};
  }
  std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const override {
    std::lock_guard lock(mutex_);
    std::vector<v1::WorkOrder> out;
    for (const auto& order : orders_) {
      const bool appointment = order.has_application();
      if (request.work() == v1::ListWorkOrdersRequest::WORK_REPAIR && appointment) continue;
      if (request.work() == v1::ListWorkOrdersRequest::WORK_APPOINTMENT && !appointment) continue;
      out.push_back(order);
    }
    return out;
  }
  std::vector<v1::CrewStatusView> Crews() const override {
    std::vector<v1::CrewStatusView> out(2);
    out[0].set_crew_id("CREW-M-01");
    out[0].set_name("计量一班");
    out[0].set_status("assigned");
    out[1].set_crew_id("CREW-M-02");
    out[1].set_name("计量二班");
    out[1].set_status("available");
    return out;
  }
  std::optional<v1::Incident> Incident(std::string_view) const override { return std::nullopt; }
  core::Result<v1::WorkOrder> AssignByHand(const v1::AssignWorkOrderRequest&) override {
    return core::FailedPrecondition("not in this test");
  }
  core::Result<v1::PlannedOutage> RegisterPlannedOutage(v1::PlannedOutage outage) override {
    return outage;
  }
  core::Result<v1::WorkOrder> MoveAppointment(const v1::MoveAppointmentRequest& request) override {
    std::lock_guard lock(mutex_);
    moves_.push_back(request);
    v1::WorkOrder* order = Find(request.work_order_id());
    if (order == nullptr) return core::NotFound("no open work order " + request.work_order_id());
    if (!order->has_application()) return core::FailedPrecondition("fault repair is not booked");
    if (!request.has_start()) return core::InvalidArgument("start is required");
    const auto start = From(request.start());
    if (start < kNow) return core::InvalidArgument("start lies in the past");
    const auto length = order->has_appointment_start()
                            ? From(order->appointment_end()) - From(order->appointment_start())
                            : core::Duration(1h);
    const auto day_start = [](core::TimePoint t) {
      const auto local = t + kBeijing;
      return local - (local.time_since_epoch() % 24h) - kBeijing;
    };
    const std::string crew = request.crew_id().empty() ? order->crew_id() : request.crew_id();
    if (start < day_start(start) + 8h || start + length > day_start(start) + 18h) {
      return core::InvalidArgument("crew " + crew + " is not on shift for the whole visit");
    }
    order->set_crew_id(crew);
    order->set_state(v1::WORK_ORDER_STATE_ASSIGNED);
    *order->mutable_appointment_start() = request.start();
    *order->mutable_appointment_end() = At(start + length);
    auto* app = order->mutable_application();
    app->set_booking_count(app->booking_count() + 1);
    return *order;
  }
  core::Result<v1::WorkOrder> RecordDocumentCheck(const v1::RecordDocumentCheckRequest&) override {
    return core::FailedPrecondition("not in this test");
  }

  std::vector<v1::MoveAppointmentRequest> moves() const {
    std::lock_guard lock(mutex_);
    return moves_;
  }
  v1::WorkOrder Order(const std::string& id) const {
    std::lock_guard lock(mutex_);
    for (const auto& order : orders_) {
      if (order.work_order_id() == id) return order;
    }
    return {};
  }

 private:
  v1::WorkOrder* Find(const std::string& id) {
    for (auto& order : orders_) {
      if (order.work_order_id() == id) return &order;
    }
    return nullptr;
  }

  mutable std::mutex mutex_;
  std::vector<v1::WorkOrder> orders_;
  std::vector<v1::MoveAppointmentRequest> moves_;
};

struct Harness {
  MemoryConsole console;
  core::FakeClock clock{kNow};
  ConsoleHttpServer server{console, clock, web::LookupIn(FindConsoleAsset)};
};

/// Runs console_check.mjs with `args` against `port`; its exit code (the log in INFO).
int RunCheck(int port, std::vector<std::string> args, const TempDir& dir, const std::string& name) {
  args.insert(args.begin(),
              {std::string(GRIDCARE_SOURCE_DIR) + "/tools/browser-check/console_check.mjs", "--url",
               "http://127.0.0.1:" + std::to_string(port), "--timeout-ms", "90000",
               "--screenshot-dir", (dir.path() / name).string()});
  ChildProcess browser(kNode, args, dir.path() / (name + ".log"));
  REQUIRE(WaitUntil([&] { return !browser.Running(); }, 150s));
  const int exit_code = browser.Stop();
  UNSCOPED_INFO(browser.ReadLog());
  return exit_code;
}

const char kBooked[] = "WO-A-GC-20261124-000021-1";

TEST_CASE("the console shows appointment work from the real server and moves a booked visit",
          "[dispatch][console][browser]") {
  REQUIRE(std::filesystem::exists(kNode));
  REQUIRE(std::filesystem::exists(std::string(GRIDCARE_SOURCE_DIR) +
                                  "/tools/browser-check/node_modules/playwright-core"));
  Harness h;
  REQUIRE(h.server.Start("127.0.0.1:0").ok());
  TempDir dir;

  // The booked visit is tomorrow 10:00 Beijing: the check moves it one day later, same time.
  CHECK(RunCheck(h.server.port(), {"--expect-appointment", "--move"}, dir, "move") == 0);
  const auto moves = h.console.moves();
  REQUIRE(moves.size() == 1);
  CHECK(moves[0].work_order_id() == kBooked);
  CHECK(From(moves[0].start()) == kNow + 49h);  // 2026-11-26T02:00:00Z
  CHECK(moves[0].crew_id().empty());            // the crew kept
  CHECK(moves[0].dispatcher_id() == "DSP-BROWSER-CHECK");
  CHECK(moves[0].reason() == "browser check: customer asked by phone");
  const auto moved = h.console.Order(kBooked);
  CHECK(moved.application().booking_count() == 2);
  CHECK(From(moved.appointment_end()) == kNow + 50h);
  h.server.Stop();
}

TEST_CASE("a move the server refuses shows its message in the move dialog",
          "[dispatch][console][browser]") {
  REQUIRE(std::filesystem::exists(kNode));
  Harness h;
  REQUIRE(h.server.Start("127.0.0.1:0").ok());
  TempDir dir;

  // 03:00 Beijing is off the crew's shift: 400 with the server's words, the visit unchanged.
  CHECK(RunCheck(h.server.port(),
                 {"--move", "--move-start", "2026-11-25T03:00", "--expect-move-error",
                  "HTTP 400 INVALID_ARGUMENT.*CREW-M-01 is not on shift"},
                 dir, "refused") == 0);
  REQUIRE(h.console.moves().size() == 1);
  CHECK(h.console.Order(kBooked).application().booking_count() == 1);
  CHECK(From(h.console.Order(kBooked).appointment_start()) == kNow + 25h);
  h.server.Stop();
}

}  // namespace
}  // namespace gridcare::dispatch
