// A replayed dead letter is applied once, however often it is replayed (docs/events.md, section on
// dead-letter topics): the gridcare binary lists, shows and replays it against real services.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "gridcare/testing/run_program.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/profile.grpc.pb.h"
#include "gridcare/v1/request.pb.h"
#include "service_stack.h"

namespace kafka = gridcare::kafka;
namespace v1 = gridcare::v1;
using gridcare::testing::LoopbackAddress;
using gridcare::testing::ProgramResult;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

namespace {

struct OperatorStack : gridcare::testing::ServiceStack {
  gridcare::testing::ServicePorts profile_ports;
  gridcare::testing::ServicePorts intake_ports;
  std::unique_ptr<gridcare::testing::ChildProcess> intake;
  std::unique_ptr<v1::ProfileService::Stub> profile_stub;

  OperatorStack() : ServiceStack(200) {
    profile_ports = gridcare::testing::WaitForServiceReady(*profile);
    intake = Start("intake", {"--profile-service-target", LoopbackAddress(profile_port)});
    intake_ports = gridcare::testing::WaitForServiceReady(*intake);
    profile_stub =
        v1::ProfileService::NewStub(gridcare::rpc::MakeChannel(LoopbackAddress(profile_port)));
  }

  // The gridcare binary with the stack's addresses (no endpoints.env: /dev/null is an empty one).
  ProgramResult Gridcare(std::vector<std::string> args) const {
    const bool kafka = args.front() == "dead-letters";
    args.insert(args.end(), {"--endpoints-file", "/dev/null"});
    if (kafka) args.insert(args.end(), {"--kafka-bootstrap-servers", broker.bootstrap_servers()});
    return gridcare::testing::RunProgram(gridcare::testing::ProgramPath("gridcare"), args);
  }

  nlohmann::json DeadLetters(const std::string& group) const {
    const auto run = Gridcare({"dead-letters", "list", "--group", group, "--json", "--limit", "0"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    return nlohmann::json::parse(run.out)["dead_letters"];
  }
};

OperatorStack& TheStack() {
  static OperatorStack stack;
  return stack;
}

// The sum of a counter's samples whose labels hold `label` (e.g. topic="gridcare.intake.v1").
double Counter(int metrics_port, const std::string& name, const std::string& label) {
  httplib::Client client("127.0.0.1", metrics_port);
  auto response = client.Get("/metrics");
  if (!response || response->status != 200) return -1;
  std::istringstream lines(response->body);
  double sum = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(name + "{") || line.find(label) == std::string::npos) continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

v1::Customer NewCustomer(const std::string& id) {
  v1::Customer customer = TheStack().utility.CustomerAt(7);
  customer.set_customer_id(id);
  customer.set_meter_number("MTR-" + id);
  customer.clear_phones();
  customer.add_phones("13900007777");
  return customer;
}

v1::Customer GetCustomer(const std::string& id) {
  grpc::ClientContext context;
  gridcare::rpc::SetDeadline(context, 5s);
  v1::GetCustomerRequest request;
  request.set_customer_id(id);
  v1::Customer customer;
  (void)TheStack().profile_stub->GetCustomer(&context, request, &customer);
  return customer;
}

nlohmann::json FindByEventId(const nlohmann::json& rows, const std::string& event_id) {
  for (const auto& row : rows) {
    if (row["event_id"] == event_id) return row;
  }
  return nullptr;
}

// Replays `id` twice with the gridcare binary; both must be acknowledged.
void ReplayTwice(const std::string& id) {
  for (int i = 0; i < 2; ++i) {
    const auto run = TheStack().Gridcare({"dead-letters", "replay", id, "--json"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const auto json = nlohmann::json::parse(run.out);
    REQUIRE(json["replays"].size() == 1);
    CHECK(json["replays"][0]["result"] == "replayed");
  }
}

}  // namespace

TEST_CASE("a dead letter profile parked is applied once after the fix however often replayed") {
  auto& stack = TheStack();
  const std::string customer_id = "C-OPS-1";
  const std::string event_id = "evt-ops-ticket-1";
  v1::IntakeEvent event;
  auto* ticket = event.mutable_ticket_opened()->mutable_ticket();
  ticket->set_ticket_id("GC-OPS-1");
  ticket->set_request_id("R-OPS-1");
  ticket->set_customer_id(customer_id);  // not in the profile yet: profile parks the event
  ticket->set_type(v1::REQUEST_TYPE_COMPLAINT);
  ticket->set_state(v1::TICKET_STATE_OPEN);
  *ticket->mutable_opened_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  stack.Publish(std::string(kafka::kIntakeTopic), "GC-OPS-1",
                {event_id, "gridcare.ticket.opened.v1", "/gridcare/intake", "GC-OPS-1",
                 std::chrono::system_clock::now(), ""},
                event);

  nlohmann::json row;
  REQUIRE(WaitUntil(
      [&] { return !(row = FindByEventId(stack.DeadLetters("profile"), event_id)).is_null(); },
      30s));
  CHECK(row["reason"] == "unknown_customer");
  CHECK(row["source_topic"] == "gridcare.intake.v1");
  CHECK(row["group"] == "profile");
  const std::string id = row["id"];

  const auto show = stack.Gridcare({"dead-letters", "show", id});
  INFO(show.err);
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find("gridcare.v1.IntakeEvent") != std::string::npos);
  CHECK(show.out.find("GC-OPS-1") != std::string::npos);

  // The fix: the customer is loaded. Then the operator replays, twice by mistake.
  {
    grpc::ClientContext context;
    gridcare::rpc::SetDeadline(context, 5s);
    v1::UpsertCustomerRequest request;
    *request.mutable_customer() = NewCustomer(customer_id);
    v1::UpsertCustomerResponse response;
    REQUIRE(stack.profile_stub->UpsertCustomer(&context, request, &response).ok());
  }
  const double duplicates_before =
      Counter(stack.profile_ports.metrics, "gridcare_events_duplicate_total", "gridcare.intake.v1");
  ReplayTwice(id);

  REQUIRE(WaitUntil([&] { return GetCustomer(customer_id).history().open_tickets() == 1; }, 30s));
  // The second replay reached profile and was skipped as a duplicate of the first.
  REQUIRE(WaitUntil(
      [&] {
        return Counter(stack.profile_ports.metrics, "gridcare_events_duplicate_total",
                       "gridcare.intake.v1") >= duplicates_before + 1;
      },
      30s));
  const auto history = GetCustomer(customer_id).history();
  CHECK(history.open_tickets() == 1);
  CHECK(history.complaints_last_30_days() == 1);
  // Handled this time, so not parked again.
  size_t parked = 0;
  for (const auto& r : stack.DeadLetters("profile")) parked += r["event_id"] == event_id ? 1 : 0;
  CHECK(parked == 1);
}

TEST_CASE("a request replayed twice from intake's dead letters opens one ticket") {
  auto& stack = TheStack();
  gridcare::testing::TopicReader reader(stack.broker.bootstrap_servers(),
                                        {std::string(kafka::kIntakeTopic)});
  // A valid request for a known customer, parked as the consumer loop parks one (e.g. after a
  // handler exception a later release fixed).
  v1::RequestEvent request_event;
  auto* request = request_event.mutable_submitted();
  request->set_request_id("R-OPS-2");
  request->set_channel(v1::CHANNEL_WECHAT);
  request->set_language(v1::LANGUAGE_ZH_CN);
  request->set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
  request->set_text("电费比上个月高了很多，要求核查");
  request->mutable_customer()->set_customer_id(stack.utility.CustomerAt(11).customer_id());
  *request->mutable_received_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  const kafka::EventMetadata metadata{
      "evt-ops-request-2", "gridcare.request.submitted.v1",  "/gridcare/adapters/wechat",
      "R-OPS-2",           std::chrono::system_clock::now(), ""};
  const auto original_record =
      kafka::MakeRecord(std::string(kafka::kRequestsTopic),
                        stack.utility.CustomerAt(11).customer_id(), metadata, request_event);
  kafka::ConsumedMessage original;
  original.topic = original_record.topic;
  original.key = original_record.key;
  original.value = original_record.value;
  original.headers = original_record.headers;
  REQUIRE(stack.producer
              ->PublishAndWait(
                  kafka::BuildDeadLetter(original, "intake", "handler_exception", "simulated crash",
                                         gridcare::core::SystemClock().Now(), 3),
                  10s)
              .ok());

  nlohmann::json row;
  REQUIRE(WaitUntil(
      [&] {
        return !(row = FindByEventId(stack.DeadLetters("intake"), "evt-ops-request-2")).is_null();
      },
      30s));
  const std::string customer_id = stack.utility.CustomerAt(11).customer_id();
  const auto history_before = GetCustomer(customer_id).history();
  const double consumed_before =
      Counter(stack.intake_ports.metrics, "gridcare_events_consumed_total", "gridcare.requests.v1");
  const double profile_duplicates_before =
      Counter(stack.profile_ports.metrics, "gridcare_events_duplicate_total", "gridcare.intake.v1");
  ReplayTwice(row["id"]);

  // Intake handles both replays: the second finds request R-OPS-2 done and publishes the same
  // ticket-opened event again (same ce_id, by design: docs/services/intake.md), which every
  // consumer downstream skips. One ticket, and the profile counts it once.
  REQUIRE(WaitUntil(
      [&] {
        return Counter(stack.intake_ports.metrics, "gridcare_events_consumed_total",
                       "gridcare.requests.v1") >= consumed_before + 2;
      },
      30s));
  const auto tickets_opened = [&] {
    return reader.Matching([](const kafka::ConsumedMessage& m) {
      v1::IntakeEvent event;
      return event.ParseFromString(m.value) && event.has_ticket_opened() &&
             event.ticket_opened().ticket().request_id() == "R-OPS-2";
    });
  };
  REQUIRE(WaitUntil([&] { return tickets_opened().size() == 2; }, 30s));
  std::set<std::string> ticket_ids;
  std::set<std::string> event_ids;
  for (const auto& record : tickets_opened()) {
    v1::IntakeEvent event;
    REQUIRE(event.ParseFromString(record.value));
    ticket_ids.insert(event.ticket_opened().ticket().ticket_id());
    event_ids.insert(std::string(record.Header("ce_id").value_or("")));
  }
  CHECK(ticket_ids.size() == 1);
  CHECK(event_ids.size() == 1);
  REQUIRE(WaitUntil(
      [&] {
        return Counter(stack.profile_ports.metrics, "gridcare_events_duplicate_total",
                       "gridcare.intake.v1") >= profile_duplicates_before + 1;
      },
      30s));
  const auto history_after = GetCustomer(customer_id).history();
  CHECK(history_after.open_tickets() == history_before.open_tickets() + 1);
  CHECK(history_after.complaints_last_30_days() == history_before.complaints_last_30_days() + 1);
  const std::string ticket_id = *ticket_ids.begin();

  // The ticket's timeline through the gridcare binary, from the real intake.
  const auto track = stack.Gridcare({"ticket", ticket_id, "--intake-service-target",
                                     LoopbackAddress(stack.intake_ports.grpc), "--json"});
  INFO(track.err);
  REQUIRE(track.exit_code == 0);
  const auto json = nlohmann::json::parse(track.out);
  CHECK(json["ticket_id"] == ticket_id);
  CHECK(json["request_id"] == "R-OPS-2");
  CHECK_FALSE(json["timeline"].empty());
}

TEST_CASE("health asks the running services and fails for one that does not answer") {
  auto& stack = TheStack();
  auto run =
      stack.Gridcare({"health", "--profile-metrics", LoopbackAddress(stack.profile_ports.metrics),
                      "--profile-service-target", LoopbackAddress(stack.profile_ports.grpc),
                      "--intake-metrics", LoopbackAddress(stack.intake_ports.metrics),
                      "--intake-service-target", LoopbackAddress(stack.intake_ports.grpc)});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("serving") != std::string::npos);

  const auto nobody = LoopbackAddress(gridcare::testing::FreeLoopbackPort());
  run = stack.Gridcare({"health", "--json", "--timeout", "2s", "--intake-metrics",
                        LoopbackAddress(stack.intake_ports.metrics), "--dispatch-metrics", nobody});
  CHECK(run.exit_code == 1);
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["ok"] == false);
  CHECK(json["services"][1]["service"] == "dispatch");
  CHECK(json["services"][1]["live"] == "no");
}
