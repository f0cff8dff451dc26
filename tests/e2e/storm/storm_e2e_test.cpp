// Issue 6's end-to-end storm on the local stack: one tripped feeder (tens of customers on several
// of its transformer areas calling within seconds) plus unrelated single calls must become one
// feeder incident and single-customer work orders, not one job per call; crews driven by the
// simulator restore them; every ticket ends restored with its cause and IntakeService.Track shows
// each step; a customer answers the restoration SMS (through the provider simulator) and intake
// opens a ticket naming the incident. A second case drives the web console in headless Chromium.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "gridcare/synth/storm.h"
#include "gridcare/synth/utility.h"
#include "gridcare/testing/local_stack.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/stack_calls.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/dispatch.grpc.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"

namespace v1 = gridcare::v1;
namespace synth = gridcare::synth;
using gridcare::testing::ChildProcess;
using gridcare::testing::DispatchEvents;
using gridcare::testing::LocalStack;
using gridcare::testing::TopicReader;
using gridcare::testing::Track;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

namespace {

synth::Utility Fixture() {
  return std::move(synth::Utility::Create({.seed = 42, .customers = 2000}).value());
}

/// Submits a hotline fault report for customer `index`; returns the ticket id.
std::string ReportFault(v1::IntakeService::Stub& intake, const synth::Utility& utility,
                        int64_t index, const std::string& request_id) {
  v1::SubmitRequest submit;
  auto* request = submit.mutable_request();
  request->set_request_id(request_id);
  request->set_channel(v1::CHANNEL_HOTLINE_IVR);
  request->mutable_customer()->set_customer_id(utility.CustomerId(index));
  request->set_explicit_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  request->set_text("家里停电了，整栋楼都没电");
  request->set_language(v1::LANGUAGE_ZH_CN);
  *request->mutable_received_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  grpc::ClientContext context;
  gridcare::rpc::SetDeadline(context, 10s);
  v1::SubmitResponse response;
  const auto status = intake.Submit(&context, submit, &response);
  if (!status.ok()) throw std::runtime_error("Submit failed: " + status.error_message());
  return response.ticket_id();
}

/// The SMS provider of the shipped delivery policy (services/notification/config).
constexpr char kSmsProvider[] = "sms-gateway";

/// The provider message id of an SMS restoration notice (the first one recorded), if any yet.
std::optional<std::string> RestorationSms(httplib::Client& simulator) {
  int64_t after = 0;
  for (int page = 0; page < 100; ++page) {
    auto reply = simulator.Get(std::string("/control/messages?provider=") + kSmsProvider +
                               "&limit=1000&after=" + std::to_string(after));
    if (!reply || reply->status != 200) return std::nullopt;
    const auto body = nlohmann::json::parse(reply->body);
    for (const auto& message : body["messages"]) {
      if (message["template_id"] == "outage.restored") {
        return message["provider_message_id"].get<std::string>();
      }
    }
    if (body["messages"].empty()) return std::nullopt;
    after = body["next_after"].get<int64_t>();
  }
  return std::nullopt;
}

/// A customer answers the restoration SMS "still no power": the simulator posts the reply to
/// notification, which passes it to intake as a request; returns the ticket intake opened.
v1::TrackResponse ReplyToRestoration(const LocalStack& stack, v1::IntakeService::Stub& intake) {
  std::string base = stack.Endpoint("GRIDCARE_PROVIDER_SIM_URL");
  if (!base.empty() && base.back() == '/') base.pop_back();
  httplib::Client simulator(base);
  std::optional<std::string> restoration;
  WaitUntil([&] { return (restoration = RestorationSms(simulator)).has_value(); }, 60s);
  if (!restoration) FAIL("no restoration SMS reached the provider simulator\n" << stack.Logs());
  const nlohmann::json body = {{"provider_message_id", *restoration}, {"text", "还是没电"}};
  auto posted = simulator.Post(std::string("/control/providers/") + kSmsProvider + "/replies",
                               body.dump(), "application/json");
  REQUIRE(posted);
  REQUIRE(posted->status == 202);
  const std::string request_id = std::string("reply-") + kSmsProvider + "-" +
                                 nlohmann::json::parse(posted->body)["reply_id"].get<std::string>();
  v1::TrackResponse tracked;
  const bool opened = WaitUntil(
      [&] {
        v1::TrackRequest request;
        request.set_request_id(request_id);
        grpc::ClientContext context;
        gridcare::rpc::SetDeadline(context, 5s);
        return intake.Track(&context, request, &tracked).ok();
      },
      60s);
  if (!opened) FAIL("intake opened no ticket for " << request_id << "\n" << stack.Logs());
  return tracked;
}

}  // namespace

TEST_CASE(
    "a feeder storm becomes one feeder incident plus single work orders, and every ticket "
    "is restored with its cause",
    "[e2e][storm]") {
  LocalStack stack;
  const auto utility = Fixture();
  synth::FeederStormSpec spec;
  spec.seed = 7;
  spec.transformer_areas = 3;
  spec.calls_per_transformer = 8;
  spec.single_calls = 3;
  spec.duration = 3s;
  const auto plan = synth::PlanFeederStorm(utility, spec);
  REQUIRE(plan.ok());
  INFO("tripped feeder " << plan->feeder_id);

  TopicReader reader(stack.Endpoint("GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"),
                     {std::string(gridcare::kafka::kDispatchTopic)});
  auto intake = v1::IntakeService::NewStub(
      gridcare::rpc::MakeChannel(stack.Endpoint("GRIDCARE_INTAKE_GRPC")));
  // Crews play their part at 600x: a 20-minute drive takes 2 s, and even a crew that works three
  // of the storm's jobs one after another (up to 90 minutes of driving and 90 of repair each)
  // is done within 45 s. What a crew does depends on work order ids, which carry the date, so
  // the simulated hours differ from day to day. Dispatch itself runs on the wall clock: this test
  // relies on it finding a crew at any time of day, shift changes included (the shift handover
  // in docs/services/dispatch-assignment.md).
  ChildProcess crews(gridcare::testing::ProgramPath("gridcare-crew-sim"),
                     {"--crew-service", stack.Endpoint("GRIDCARE_REPAIR_CREW_GRPC"), "--time-scale",
                      "600", "--seed", "42"},
                     stack.run_dir() / "logs" / "crew-sim.log");

  // The storm: every call of the plan, in its order and roughly at its time.
  std::vector<std::pair<std::chrono::milliseconds, std::pair<int64_t, bool>>> calls;
  for (const auto& call : plan->feeder_calls)
    calls.push_back({call.after, {call.customer_index, true}});
  for (const auto& call : plan->single_calls)
    calls.push_back({call.after, {call.customer_index, false}});
  std::stable_sort(calls.begin(), calls.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> feeder_tickets;
  std::vector<std::string> single_tickets;
  const auto started = std::chrono::steady_clock::now();
  int sequence = 0;
  for (const auto& [after, who] : calls) {
    std::this_thread::sleep_until(started + after);
    const auto ticket =
        ReportFault(*intake, utility, who.first, "STORM-E2E-" + std::to_string(++sequence));
    (who.second ? feeder_tickets : single_tickets).push_back(ticket);
  }
  REQUIRE(feeder_tickets.size() == 24);
  REQUIRE(single_tickets.size() == 3);

  // Every ticket ends restored, with its cause.
  std::vector<std::string> all = feeder_tickets;
  all.insert(all.end(), single_tickets.begin(), single_tickets.end());
  const bool restored = WaitUntil(
      [&] {
        for (const auto& ticket : all) {
          if (Track(*intake, ticket).ticket().state() != v1::TICKET_STATE_RESOLVED) return false;
        }
        return true;
      },
      150s);
  if (!restored) {
    // Say where each unfinished ticket stopped, so a failure in CI can be read without a rerun.
    std::string unfinished;
    for (const auto& ticket : all) {
      const auto tracked = Track(*intake, ticket);
      if (tracked.ticket().state() == v1::TICKET_STATE_RESOLVED) continue;
      unfinished += ticket + " " + v1::TicketState_Name(tracked.ticket().state()) + " owner " +
                    tracked.ticket().owner_reference() + ":";
      for (const auto& entry : tracked.timeline()) unfinished += " | " + entry.description().en();
      unfinished += "\n";
    }
    const std::string crew_log = crews.ReadLog();
    UNSCOPED_INFO("tickets not restored:\n" << unfinished);
    UNSCOPED_INFO(
        stack.Logs() << "\n--- crew-sim.log (tail)\n"
                     << crew_log.substr(crew_log.size() > 4000 ? crew_log.size() - 4000 : 0));
  }
  REQUIRE(restored);

  // One feeder incident on the tripped feeder holds every storm call.
  const auto rolled = DispatchEvents(reader, "gridcare.incident.rolled_up.v1");
  std::set<std::string> feeder_incidents;
  for (const auto& event : rolled) {
    const auto& incident = event.incident_rolled_up().incident();
    CHECK(incident.level() == v1::INCIDENT_LEVEL_FEEDER);
    CHECK(incident.supply().feeder_id() == plan->feeder_id);
    feeder_incidents.insert(incident.incident_id());
  }
  REQUIRE(feeder_incidents.size() == 1);
  const std::string feeder_incident = *feeder_incidents.begin();

  std::map<std::string, std::string> restored_by;  // ticket → incident
  std::map<std::string, v1::IncidentLevel> level_of;
  // Intake may have applied the last restoration a moment before this test's own reader saw it.
  WaitUntil(
      [&] {
        restored_by.clear();
        level_of.clear();
        for (const auto& event : DispatchEvents(reader, "gridcare.incident.restored.v1")) {
          const auto& restoration = event.incident_restored();
          level_of[restoration.incident().incident_id()] = restoration.incident().level();
          for (const auto& ticket : restoration.ticket_ids()) {
            restored_by[ticket] = restoration.incident().incident_id();
          }
        }
        return std::all_of(all.begin(), all.end(),
                           [&](const std::string& t) { return restored_by.count(t) > 0; });
      },
      15s);
  for (const auto& event : DispatchEvents(reader, "gridcare.incident.restored.v1")) {
    CHECK_FALSE(event.incident_restored().incident().cause_code().empty());
  }
  for (const auto& ticket : feeder_tickets) CHECK(restored_by[ticket] == feeder_incident);
  std::set<std::string> single_incidents;
  for (const auto& ticket : single_tickets) {
    CHECK(level_of[restored_by[ticket]] == v1::INCIDENT_LEVEL_SINGLE_CUSTOMER);
    single_incidents.insert(restored_by[ticket]);
  }
  CHECK(single_incidents.size() == single_tickets.size());
  // Incidents restored: the feeder one and one per single call, nothing else.
  CHECK(level_of.size() == 1 + single_tickets.size());

  // Not one job per call: work orders that reached a crew's completion are one per incident;
  // those created for the storm's first calls before correlation saw the pattern were cancelled.
  const auto created = DispatchEvents(reader, "gridcare.work_order.created.v1");
  const auto cancelled = DispatchEvents(reader, "gridcare.work_order.cancelled.v1");
  INFO("work orders created " << created.size() << ", cancelled " << cancelled.size() << " for "
                              << all.size() << " calls");
  CHECK(created.size() - cancelled.size() == 1 + single_tickets.size());
  CHECK(created.size() < all.size() / 2);

  // Track shows each step: opened, then joined the outage (a call that arrived after the crew
  // was chosen learns it from the outage's estimate) or had a crew assigned, the crew on its way
  // and on site, restored with the cause.
  for (const auto& ticket : all) {
    const auto tracked = Track(*intake, ticket);
    INFO("ticket " << ticket);
    CHECK_THAT(tracked.ticket().owner_reference(), Catch::StartsWith("INC-"));
    std::string steps;
    for (const auto& entry : tracked.timeline()) steps += entry.description().en() + " | ";
    INFO("timeline: " << steps);
    CHECK(tracked.timeline_size() >= 4);
    CHECK_THAT(steps, Catch::Contains("assigned") || Catch::Contains("Joined outage"));
    CHECK_THAT(steps, Catch::Contains("is on the way"));
    CHECK_THAT(steps, Catch::Contains("on site"));
    CHECK_THAT(steps, Catch::Contains("Supply restored. Cause:"));
    CHECK(tracked.timeline(tracked.timeline_size() - 1).state() == v1::TICKET_STATE_RESOLVED);
  }

  // "If your power is still off, reply": the reply is a fault ticket on a restored incident.
  const auto reply = ReplyToRestoration(stack, *intake);
  INFO("reply ticket " << reply.ticket().ticket_id());
  CHECK(reply.ticket().channel() == v1::CHANNEL_SMS);
  CHECK(reply.ticket().type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(level_of.count(reply.ticket().referenced_incident_id()) == 1);
  CHECK_FALSE(reply.ticket().customer_id().empty());
  REQUIRE(reply.timeline_size() >= 1);
  CHECK_THAT(reply.timeline(0).description().en(),
             Catch::Contains("your reply to our notice about outage INC-"));
  CHECK(crews.Running());
}

TEST_CASE("the web console shows a new incident and a dispatcher reassigns its work order by hand",
          "[e2e][console]") {
  const char* node = "/usr/bin/node";
  const std::string check =
      std::string(GRIDCARE_SOURCE_DIR) + "/tools/browser-check/console_check.mjs";
  REQUIRE(std::filesystem::exists(node));
  REQUIRE(std::filesystem::exists(std::string(GRIDCARE_SOURCE_DIR) +
                                  "/tools/browser-check/node_modules/playwright-core"));
  LocalStack stack;
  const auto utility = Fixture();
  auto intake = v1::IntakeService::NewStub(
      gridcare::rpc::MakeChannel(stack.Endpoint("GRIDCARE_INTAKE_GRPC")));
  auto console = v1::DispatchConsoleService::NewStub(
      gridcare::rpc::MakeChannel(stack.Endpoint("GRIDCARE_DISPATCH_GRPC")));
  // No crew simulator: the job stays where the dispatcher puts it.
  ReportFault(*intake, utility, 11, "CONSOLE-E2E-1");
  ReportFault(*intake, utility, 1500, "CONSOLE-E2E-2");
  REQUIRE(WaitUntil(
      [&] {
        grpc::ClientContext context;
        v1::ListWorkOrdersResponse orders;
        return console->ListWorkOrders(&context, {}, &orders).ok() &&
               orders.work_orders_size() >= 2;
      },
      30s));
  ChildProcess browser(
      node,
      {check, "--url", stack.Endpoint("GRIDCARE_DISPATCH_CONSOLE"), "--expect-incident", "--assign",
       "--timeout-ms", "60000", "--screenshot-dir", (stack.run_dir() / "screenshots").string()},
      stack.run_dir() / "logs" / "console-check.log");
  int exit_code = -1;
  REQUIRE(WaitUntil([&] { return !browser.Running(); }, 120s));
  exit_code = browser.Stop();
  INFO(browser.ReadLog());
  CHECK(exit_code == 0);
}
