#include "cli.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_harness.h"
#include "fake_edges.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/sla/clocks.h"
#include "gridcare/v1/request.pb.h"
#include "views.h"

namespace ops = gridcare::ops;
namespace kafka = gridcare::kafka;
namespace v1 = gridcare::v1;
using namespace std::chrono_literals;

namespace {

const auto kNow = ops::testing::kCliNow;
using ops::testing::Run;

// The harness with dead letters parked on its fake reader.
struct Cli : ops::testing::CliHarness {
  // A ticket-opened event for customer C9 that profile parked, as BuildDeadLetter writes it.
  void ParkOne(const std::string& reason = "unknown_customer") {
    kafka::ConsumedMessage original;
    original.topic = "gridcare.intake.v1";
    original.partition = 3;
    original.offset = 40;
    original.key = "GC-1";
    v1::IntakeEvent event;
    event.mutable_ticket_opened()->mutable_ticket()->set_ticket_id("GC-1");
    event.mutable_ticket_opened()->mutable_ticket()->set_text("请回电 13812345678");
    original.value = event.SerializeAsString();
    original.headers = {{"ce_id", "evt-" + std::to_string(parked++)},
                        {"ce_type", "gridcare.ticket.opened.v1"}};
    const auto record =
        kafka::BuildDeadLetter(original, "profile", reason, "no profile for customer C9", kNow, 1);
    kafka::ConsumedMessage message;
    message.key = record.key;
    message.value = record.value;
    message.headers = record.headers;
    edges.reader.Add(record.topic, message);
  }
  int parked = 0;
};

}  // namespace

TEST_CASE("split arguments keep option values with their options") {
  const auto split =
      ops::SplitArguments({"a:1:2", "--limit", "5", "--json", "--group=intake", "b", "--", "--c"},
                          [](std::string_view flag) { return flag == "--limit"; });
  CHECK(split.positionals == std::vector<std::string>{"a:1:2", "b", "--c"});
  CHECK(split.options == std::vector<std::string>{"--limit", "5", "--json", "--group=intake"});
}

TEST_CASE("gridcare --help lists every sub-command and exits 0") {
  Cli cli;
  const auto run = cli({"--help"});
  CHECK(run.exit_code == 0);
  for (const auto& spec : ops::Commands()) CHECK(run.out.find(spec.name) != std::string::npos);
  CHECK(cli({}).exit_code == 2);
}

TEST_CASE("every sub-command has --help with its arguments") {
  for (const auto& spec : ops::Commands()) {
    Cli cli;
    std::vector<std::string> args;
    std::istringstream words(spec.name);
    for (std::string word; words >> word;) args.push_back(word);
    args.push_back("--help");
    const auto run = cli(args);
    INFO(spec.name << "\n" << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("Usage: gridcare " + spec.name) != std::string::npos);
    CHECK(run.out.find("--json") != std::string::npos);
    if (!spec.arguments.empty()) CHECK(run.out.find(spec.arguments) != std::string::npos);
  }
  Cli cli;
  const auto group = cli({"dead-letters", "--help"});
  CHECK(group.exit_code == 0);
  CHECK(group.out.find("replay") != std::string::npos);
}

TEST_CASE("bad usage exits 2 and says what is wrong") {
  Cli cli;
  auto run = cli({"frobnicate"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("unknown command 'frobnicate'") != std::string::npos);
  CHECK(cli({"dead-letters", "purge"}).exit_code == 2);
  run = cli({"ticket", "--intake-service-target", "x:1"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("expected 1 argument(s) (TICKET_ID), got 0") != std::string::npos);
  run = cli({"ticket", "GC-1"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("--intake-service-target is required") != std::string::npos);
  run = cli({"dead-letters", "list", "--kafka-bootstrap-servers", "b:9", "--limit", "x"});
  CHECK(run.exit_code == 2);
  run = cli({"dead-letters", "show", "nonsense", "--kafka-bootstrap-servers", "b:9"});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("<topic>:<partition>:<offset>") != std::string::npos);
}

TEST_CASE("settings come from GRIDCARE variables like the services") {
  Cli cli;
  cli.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092";
  cli.edges.reader.AddTopic("gridcare.dlq.intake.v1");
  const auto run = cli({"dead-letters", "list", "--group", "intake"});
  CHECK(run.exit_code == 0);
  CHECK(run.out == "no dead letters\n");
}

TEST_CASE("dead-letters list shows one row per dead letter and JSON with stable fields") {
  Cli cli;
  cli.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092";
  cli.ParkOne();
  cli.ParkOne();
  auto run = cli({"dead-letters", "list", "--group", "profile"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("ID ") == 0);
  CHECK(run.out.find("gridcare.dlq.profile.v1:0:1") != std::string::npos);
  CHECK(run.out.find("unknown_customer") != std::string::npos);
  CHECK(run.out.find("gridcare.intake.v1") != std::string::npos);

  run = cli({"dead-letters", "list", "--group", "profile", "--json", "--limit", "1"});
  REQUIRE(run.exit_code == 0);
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["total"] == 2);
  REQUIRE(json["dead_letters"].size() == 1);
  const auto& row = json["dead_letters"][0];
  CHECK(row["id"] == "gridcare.dlq.profile.v1:0:1");
  CHECK(row["reason"] == "unknown_customer");
  CHECK(row["source_topic"] == "gridcare.intake.v1");
  CHECK(row["source_partition"] == 3);
  CHECK(row["source_offset"] == 40);
  CHECK(row["group"] == "profile");
}

TEST_CASE("scanning every group skips missing topics but a failing broker exits 1") {
  Cli cli;
  cli.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092";
  cli.ParkOne();
  auto run = cli({"dead-letters", "list"});
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("gridcare.dlq.intake.v1 does not exist") != std::string::npos);
  CHECK(cli({"dead-letters", "list", "--group", "intake"}).exit_code == 1);
  cli.edges.reader.FailWith(gridcare::core::Unavailable("brokers down"));
  run = cli({"dead-letters", "list"});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("brokers down") != std::string::npos);
}

TEST_CASE("dead-letters show masks the payload unless asked") {
  Cli cli;
  cli.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092";
  cli.ParkOne();
  auto run = cli({"dead-letters", "show", "gridcare.dlq.profile.v1:0:0"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("gridcare_dlq_reason") != std::string::npos);
  CHECK(run.out.find("gridcare.v1.IntakeEvent") != std::string::npos);
  CHECK(run.out.find("personal data masked") != std::string::npos);
  CHECK(run.out.find("13812345678") == std::string::npos);
  CHECK(run.out.find("138****5678") != std::string::npos);

  run = cli({"dead-letters", "show", "gridcare.dlq.profile.v1:0:0", "--json", "--reveal"});
  REQUIRE(run.exit_code == 0);
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["masked"] == false);
  CHECK(json["value"]["ticket_opened"]["ticket"]["text"] == "请回电 13812345678");
  CHECK(json["dead_letter"]["reason"] == "unknown_customer");

  run = cli({"dead-letters", "show", "gridcare.dlq.profile.v1:0:9"});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("gridcare.dlq.profile.v1:0:9") != std::string::npos);
}

TEST_CASE("dead-letters replay publishes the original record to its source topic") {
  Cli cli;
  cli.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092";
  cli.ParkOne();
  auto run = cli({"dead-letters", "replay", "gridcare.dlq.profile.v1:0:0", "--json"});
  REQUIRE(run.exit_code == 0);
  const auto records = cli.edges.publisher.records();
  REQUIRE(records.size() == 1);
  CHECK(records[0].topic == "gridcare.intake.v1");
  CHECK(records[0].key == "GC-1");
  CHECK(records[0].headers ==
        kafka::Headers{{"ce_id", "evt-0"}, {"ce_type", "gridcare.ticket.opened.v1"}});
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["replayed"] == 1);
  CHECK(json["replays"][0]["result"] == "replayed");
  CHECK(json["replays"][0]["event_id"] == "evt-0");
}

TEST_CASE("replay --all takes only the chosen reason and --dry-run publishes nothing") {
  Cli cli;
  cli.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092";
  cli.ParkOne("unknown_customer");
  cli.ParkOne("malformed_protobuf");
  cli.ParkOne("unknown_customer");
  auto run = cli({"dead-letters", "replay", "--all", "--reason", "unknown_customer", "--group",
                  "profile", "--dry-run"});
  REQUIRE(run.exit_code == 0);
  CHECK(cli.edges.publisher.records().empty());
  CHECK(run.out.find("would_replay") != std::string::npos);
  run = cli(
      {"dead-letters", "replay", "--all", "--reason", "unknown_customer", "--group", "profile"});
  REQUIRE(run.exit_code == 0);
  const auto records = cli.edges.publisher.records();
  REQUIRE(records.size() == 2);
  CHECK(kafka::FindHeader(records[0].headers, "ce_id") == "evt-0");
  CHECK(kafka::FindHeader(records[1].headers, "ce_id") == "evt-2");
}

TEST_CASE("replay refuses ambiguous selections and reports failures with exit 1") {
  Cli cli;
  cli.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9092";
  cli.ParkOne();
  CHECK(cli({"dead-letters", "replay"}).exit_code == 2);
  CHECK(cli({"dead-letters", "replay", "--all"}).exit_code == 2);
  CHECK(cli({"dead-letters", "replay", "--all", "gridcare.dlq.profile.v1:0:0"}).exit_code == 2);
  CHECK(cli({"dead-letters", "replay", "gridcare.dlq.profile.v1:0:0", "--reason", "x"}).exit_code ==
        2);
  cli.edges.publisher.FailNextFlushes(1);
  auto run =
      cli({"dead-letters", "replay", "gridcare.dlq.profile.v1:0:0", "gridcare.dlq.profile.v1:0:7"});
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("failed") != std::string::npos);
}

TEST_CASE("ticket shows the timeline with times") {
  Cli cli;
  v1::TrackResponse track;
  auto* ticket = track.mutable_ticket();
  ticket->set_ticket_id("GC-7");
  ticket->set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  ticket->set_state(v1::TICKET_STATE_IN_PROGRESS);
  ticket->set_text("secret words");
  *ticket->add_clocks() = [] {
    v1::ServiceClock clock;
    clock.set_kind(v1::ServiceClock::KIND_ARRIVAL);
    *clock.mutable_due_at() = gridcare::sla::ToTimestamp(kNow + 20min);
    return clock;
  }();
  auto* step = track.add_timeline();
  *step->mutable_at() = gridcare::sla::ToTimestamp(kNow - 5min);
  step->set_event_type("gridcare.ticket.opened.v1");
  step->set_state(v1::TICKET_STATE_OPEN);
  step->mutable_description()->set_en("Ticket opened");
  step->mutable_description()->set_zh_cn("工单已受理");
  cli.edges.api.tickets["GC-7"] = track;
  cli.env["GRIDCARE_INTAKE_SERVICE_TARGET"] = "127.0.0.1:1";

  auto run = cli({"ticket", "GC-7"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("fault repair") != std::string::npos);
  CHECK(run.out.find("arrival: due in 20m") != std::string::npos);
  CHECK(run.out.find("Ticket opened") != std::string::npos);
  CHECK(run.out.find(gridcare::ops::TimeText(kNow - 5min)) != std::string::npos);
  CHECK(run.out.find("secret words") == std::string::npos);
  CHECK(cli({"ticket", "GC-7", "--language", "zh-CN"}).out.find("工单已受理") != std::string::npos);

  run = cli({"ticket", "GC-7", "--json"});
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["timeline"][0]["event_type"] == "gridcare.ticket.opened.v1");
  CHECK(json["clocks"][0]["seconds_late"] == -1200);
  CHECK(run.out.find("secret words") == std::string::npos);

  run = cli({"ticket", "GC-404"});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("GC-404") != std::string::npos);
}

TEST_CASE("incidents lists open incidents and passes the filters") {
  Cli cli;
  cli.env["GRIDCARE_DISPATCH_SERVICE_TARGET"] = "127.0.0.1:1";
  v1::Incident incident;
  incident.set_incident_id("INC-T-1");
  incident.set_level(v1::INCIDENT_LEVEL_TRANSFORMER);
  incident.set_state(v1::INCIDENT_STATE_EN_ROUTE);
  incident.set_affected_customers(240);
  cli.edges.api.incidents = std::vector<v1::Incident>{incident};
  auto run = cli({"incidents", "--overdue", "--feeder", "F-9"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("INC-T-1") != std::string::npos);
  CHECK(run.out.find("transformer") != std::string::npos);
  CHECK(run.out.find("240") != std::string::npos);
  CHECK(cli.edges.api.last_incidents_request.overdue_only());
  CHECK(cli.edges.api.last_incidents_request.feeder_id() == "F-9");
  cli.edges.api.incidents.reset();
  run = cli({"incidents"});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("dispatch") != std::string::npos);
}

TEST_CASE("overdue merges dispatch and complaint clocks and stops paging early") {
  Cli cli;
  cli.env["GRIDCARE_DISPATCH_SERVICE_TARGET"] = "127.0.0.1:1";
  cli.env["GRIDCARE_COMPLAINT_SERVICE_TARGET"] = "127.0.0.1:2";
  cli.edges.api.incidents = std::vector<v1::Incident>{};
  cli.edges.api.work_orders = std::vector<v1::WorkOrder>{};
  for (int i = 0; i < 1200; ++i) {
    v1::ComplaintCase c;
    c.set_case_id("CASE-" + std::to_string(i));
    c.set_state(v1::CASE_STATE_ROUTED);
    v1::ServiceClock clock;
    clock.set_kind(v1::ServiceClock::KIND_COMPLAINT_REPLY);
    *clock.mutable_due_at() = gridcare::sla::ToTimestamp(kNow - 1h + std::chrono::minutes(i));
    *c.add_clocks() = clock;
    cli.edges.api.cases.push_back(c);
  }
  auto run = cli({"overdue", "--json"});
  REQUIRE(run.exit_code == 0);
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["clocks"].size() == 91);  // 60 overdue, due now, and 30 due within 30 minutes
  CHECK(json["clocks"][0]["id"] == "CASE-0");
  CHECK(json["complete"] == true);
  CHECK(cli.edges.api.list_cases_calls == 1);  // the first page already runs past the horizon

  cli.edges.api.work_orders.reset();
  run = cli({"overdue"});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("dispatch work orders") != std::string::npos);
  CHECK(run.out.find("CASE-0") != std::string::npos);
}

TEST_CASE("health checks every configured service and exits 1 when one is not ready") {
  Cli cli;
  cli.edges.probe.SetHttp("127.0.0.1:9001", "/healthz", {200, "ok\n"});
  cli.edges.probe.SetHttp("127.0.0.1:9001", "/readyz", {200, R"({"ready":true,"failing":[]})"});
  cli.edges.probe.SetGrpc("127.0.0.1:5001", gridcare::rpc::HealthStatus::kServing);
  auto run = cli({"health", "--intake-metrics", "127.0.0.1:9001", "--intake-service-target",
                  "127.0.0.1:5001"});
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("intake") != std::string::npos);
  CHECK(run.out.find("serving") != std::string::npos);

  cli.edges.probe.SetHttp("127.0.0.1:9002", "/healthz", {200, "ok\n"});
  cli.edges.probe.SetHttp("127.0.0.1:9002", "/readyz",
                          {503, R"({"ready":false,"failing":["redis"]})"});
  run = cli({"health", "--json", "--intake-metrics", "127.0.0.1:9001", "--notification-metrics",
             "127.0.0.1:9002"});
  CHECK(run.exit_code == 1);
  const auto json = nlohmann::json::parse(run.out);
  CHECK(json["ok"] == false);
  REQUIRE(json["services"].size() == 2);
  CHECK(json["services"][1]["service"] == "notification");
  CHECK(json["services"][1]["detail"] == "/readyz failing: redis");

  CHECK(cli({"health"}).exit_code == 2);
}

TEST_CASE("endpoints.env gives the defaults and flags win over it") {
  const auto file = std::filesystem::temp_directory_path() /
                    ("gridcare-endpoints-" + std::to_string(::getpid()) + ".env");
  std::ofstream(file) << "# written by stack.sh\n"
                      << "GRIDCARE_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092\n"
                      << "GRIDCARE_INTAKE_GRPC=127.0.0.1:5001\n"
                      << "GRIDCARE_INTAKE_METRICS=127.0.0.1:9001\n";
  Cli cli;
  cli.env["GRIDCARE_ENDPOINTS_FILE"] = file.string();
  cli.edges.probe.SetHttp("127.0.0.1:9001", "/healthz", {200, "ok\n"});
  cli.edges.probe.SetHttp("127.0.0.1:9001", "/readyz", {200, "{}"});
  cli.edges.probe.SetGrpc("127.0.0.1:5001", gridcare::rpc::HealthStatus::kServing);
  CHECK(cli({"health"}).exit_code == 0);
  const auto help = cli({"health", "--help"});
  CHECK(help.out.find("default: 127.0.0.1:9001") != std::string::npos);
  // A flag wins over the file: the metrics address given does not answer.
  CHECK(cli({"health", "--intake-metrics", "127.0.0.1:9999"}).exit_code == 1);
  std::filesystem::remove(file);

  cli.env["GRIDCARE_ENDPOINTS_FILE"] = file.string() + ".missing";
  const auto missing = cli({"health"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find(".missing") != std::string::npos);
}
