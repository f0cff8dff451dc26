// The desk page in Chromium against the real DeskHttpServer: the JSON the C++ side prints is what
// the page reads (the mock of tools/browser-check only imitates it).
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>

#include "desk_fixture.h"
#include "gridcare/testing/process.h"

namespace gridcare::complaint::testing {
namespace {

using gridcare::testing::ChildProcess;
using gridcare::testing::TempDir;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

const char kNode[] = "/usr/bin/node";

std::string CheckScript() {
  return std::string(GRIDCARE_SOURCE_DIR) + "/tools/browser-check/desk_check.mjs";
}

/// Runs desk_check.mjs with `args` against `port`; its exit code (the log in INFO).
int RunCheck(int port, std::vector<std::string> args, const TempDir& dir, const std::string& name) {
  args.insert(args.begin(),
              {CheckScript(), "--url", "http://127.0.0.1:" + std::to_string(port), "--timeout-ms",
               "90000", "--screenshot-dir", (dir.path() / name).string()});
  ChildProcess browser(kNode, args, dir.path() / (name + ".log"));
  REQUIRE(WaitUntil([&] { return !browser.Running(); }, 150s));
  const int exit_code = browser.Stop();
  UNSCOPED_INFO(browser.ReadLog());
  return exit_code;
}

TEST_CASE("a handler takes, contacts and replies to a case on the real desk server",
          "[complaint][desk][browser]") {
  REQUIRE(std::filesystem::exists(kNode));
  REQUIRE(std::filesystem::exists(std::string(GRIDCARE_SOURCE_DIR) +
                                  "/tools/browser-check/node_modules/playwright-core"));
  DeskHarness h;
  const std::string id = h.Open("000301", "billing", "电费比上月高三倍，请回电 13812345678");
  h.Open("000302", "outage_frequency", "一周停电三次");
  REQUIRE(h.server.Start("127.0.0.1:0").ok());
  TempDir dir;

  CHECK(RunCheck(h.server.port(),
                 {"--case-id", id, "--act-as", "mkt-wl-01", "--take", "--contact-attempt",
                  "--contact", "--reply", "--cause", "billing-estimate"},
                 dir, "reply") == 0);
  auto after = h.desk.Get(id);
  REQUIRE(after.ok());
  CHECK(after->state() == v1::CASE_STATE_REPLIED);
  CHECK(after->handler_id() == "mkt-wl-01");
  CHECK(after->reply().cause_code() == "billing-estimate");

  // The return visit, dissatisfied: the case reopens one supervision level up.
  CHECK(RunCheck(h.server.port(),
                 {"--case-id", id, "--act-as", "mkt-head", "--return-visit", "dissatisfied"}, dir,
                 "visit") == 0);
  auto reopened = h.desk.Get(id);
  REQUIRE(reopened.ok());
  CHECK(reopened->state() == v1::CASE_STATE_REOPENED);
  CHECK(reopened->reopen_count() == 1);

  // Another department's handler is refused: the check fails on the 403 the page shows.
  CHECK(RunCheck(h.server.port(), {"--case-id", id, "--act-as", "ops-wl-01", "--take"}, dir,
                 "refused") == 1);
  h.server.Stop();
}

TEST_CASE("the case page shows the linked incident's crews in Chinese and English",
          "[complaint][desk][browser]") {
  REQUIRE(std::filesystem::exists(kNode));
  DeskHarness h;
  v1::SupplyPoint supply;
  supply.set_feeder_id("F-12");
  supply.set_transformer_id("T-12-3");
  // Restoration expected at 14:00 Beijing, on the desk clock's day (09:00 Beijing).
  h.RecordIncidentOnSite("INC-20261124-0007", supply, "CREW-A", T0() + 5h);
  auto ticket = h.Ticket("000311", "outage_frequency", "一周停电三次，抢修太慢");
  *ticket.mutable_supply() = supply;
  const std::string linked = h.OpenThroughIntake(ticket);
  auto opened = h.desk.Get(linked);
  REQUIRE(opened.ok());
  REQUIRE(opened->incident_id() == "INC-20261124-0007");
  const std::string plain = h.Open("000312", "billing", "电费太高");
  // A case whose incident complaint no longer holds (its context expires 7 days after the last
  // event): the API answers 404, the panel says there is no information yet.
  v1::Ticket late = h.Ticket("000313", "outage_frequency", "上周停电的事还没答复");
  OpenFacts facts;
  facts.district = "文乐区";
  facts.incident_id = "INC-20261117-0002";
  facts.customer_display = MaskCustomerId(late.customer_id());
  REQUIRE(h.desk.OnTicketOpened(late, facts, "evt-000313", "").ok());
  const std::string forgotten = CaseIdForTicket(late.ticket_id());
  REQUIRE(h.server.Start("127.0.0.1:0").ok());
  TempDir dir;

  CHECK(RunCheck(
            h.server.port(),
            {"--case-id", linked, "--crew", "CREW-A", "--stage", "on_site", "--estimate", "14:00"},
            dir, "crews") == 0);
  CHECK(RunCheck(h.server.port(), {"--case-id", plain, "--no-network"}, dir, "no-incident") == 0);
  CHECK(RunCheck(h.server.port(), {"--case-id", forgotten, "--network-unknown"}, dir,
                 "unknown-incident") == 0);
  // The check can fail on the real server: the linked case does show a panel.
  CHECK(RunCheck(h.server.port(), {"--case-id", linked, "--no-network"}, dir, "has-incident") == 1);
  h.server.Stop();
}

}  // namespace
}  // namespace gridcare::complaint::testing
