// Issue 18: dispatch scaled out to two instances on real processes (redis-server, devbroker, the
// profile service with the seed-42 2,000-customer utility, repair-crew, two dispatch binaries in
// one consumer group). A storm of fault tickets is published on intake's topic; in the middle of
// it one dispatch instance is killed with SIGKILL and started again. Afterwards: every ticket is
// placed, in exactly one open incident, and never twice by two owners; both consoles show the
// same incidents and work orders (each its own territories and the other's); no feeder or
// transformer has two open incidents of its level; every work order was created once and is held
// by at most one crew, none beyond its capacity. Console actions work on either instance: one on
// a territory the other instance owns is forwarded there (both instances are asked each time, so
// one of each pair is forwarded).
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/crew.grpc.pb.h"
#include "gridcare/v1/dispatch.grpc.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "service_stack.h"

namespace gridcare {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::LoopbackAddress;
using testing::WaitUntil;

constexpr int kMaxJobsPerCrew = 3;  // repair-crew's and dispatch's default

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// One dispatch instance: the binary, its ports, its console stub.
struct Instance {
  std::unique_ptr<ChildProcess> process;
  testing::ServicePorts ports;
  std::unique_ptr<v1::DispatchConsoleService::Stub> console;
};

class ScaleOutStack {
 public:
  ScaleOutStack() {
    crew_ = base.Start("repair-crew", {"--roster-seed", "42", "--roster-customers", "2000"},
                       {.log_name = "repair-crew.log"});
    crew_port_ = testing::WaitForServiceReady(*crew_).grpc;
    crew_stub = v1::CrewService::NewStub(rpc::MakeChannel(LoopbackAddress(crew_port_)));
    reader = std::make_unique<testing::TopicReader>(
        base.broker.bootstrap_servers(),
        std::vector<std::string>{std::string(kafka::kDispatchTopic)});
  }

  Instance StartDispatch(const std::string& log_name) const {
    Instance instance;
    instance.process = base.Start(
        "dispatch",
        {"--crew-service-target", LoopbackAddress(crew_port_), "--profile-service-target",
         LoopbackAddress(base.profile_port), "--console-listen-address", LoopbackAddress(0),
         "--tick-interval", "500ms", "--roster-refresh", "2s"},
        {.log_name = log_name});
    instance.ports = testing::WaitForServiceReady(*instance.process);
    instance.console =
        v1::DispatchConsoleService::NewStub(rpc::MakeChannel(LoopbackAddress(instance.ports.grpc)));
    return instance;
  }

  void PublishTicket(const v1::Customer& customer, const std::string& ticket_id) const {
    v1::IntakeEvent event;
    auto* ticket = event.mutable_ticket_opened()->mutable_ticket();
    ticket->set_ticket_id(ticket_id);
    ticket->set_request_id("REQ-" + ticket_id);
    ticket->set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
    ticket->set_state(v1::TICKET_STATE_OPEN);
    ticket->set_priority(v1::PRIORITY_NORMAL);
    ticket->set_channel(v1::CHANNEL_HOTLINE_IVR);
    ticket->set_customer_id(customer.customer_id());
    ticket->set_area_class(customer.area_class());
    *ticket->mutable_supply() = customer.supply();
    *ticket->mutable_location() = customer.address();
    *ticket->mutable_opened_at() =
        google::protobuf::util::TimeUtil::MillisecondsToTimestamp(NowMs());
    base.Publish(std::string(kafka::kIntakeTopic), ticket_id,
                 {"ticket-opened-" + ticket_id, "gridcare.ticket.opened.v1", "/gridcare/intake",
                  ticket_id, std::chrono::system_clock::now(), ""},
                 event);
  }

  /// Every event on the dispatch topic so far: (ce_id, decoded event).
  std::vector<std::pair<std::string, v1::DispatchEvent>> Events() const {
    std::vector<std::pair<std::string, v1::DispatchEvent>> out;
    for (const auto& message : reader->All()) {
      v1::DispatchEvent event;
      if (event.ParseFromString(message.value)) {
        out.emplace_back(std::string(message.Header("ce_id").value_or("")), std::move(event));
      }
    }
    return out;
  }

  testing::ServiceStack base;
  std::unique_ptr<v1::CrewService::Stub> crew_stub;
  std::unique_ptr<testing::TopicReader> reader;

 private:
  std::unique_ptr<ChildProcess> crew_;
  int crew_port_ = 0;
};

/// The value of one series ("name" or "name{label=\"value\"}") on
/// http://127.0.0.1:<port>/metrics, or -1.
double Gauge(int port, const std::string& series) {
  httplib::Client client("127.0.0.1", port);
  auto response = client.Get("/metrics");
  if (!response || response->status != 200) return -1;
  const auto at = response->body.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(response->body.substr(at + series.size() + 2));
}

std::vector<v1::Incident> OpenIncidents(Instance& instance) {
  grpc::ClientContext context;
  rpc::SetDeadline(context, 10s);
  v1::ListOpenIncidentsResponse response;
  REQUIRE(instance.console->ListOpenIncidents(&context, {}, &response).ok());
  return {response.incidents().begin(), response.incidents().end()};
}

std::vector<v1::WorkOrder> WorkOrders(Instance& instance) {
  grpc::ClientContext context;
  rpc::SetDeadline(context, 10s);
  v1::ListWorkOrdersResponse response;
  REQUIRE(instance.console->ListWorkOrders(&context, {}, &response).ok());
  return {response.work_orders().begin(), response.work_orders().end()};
}

/// Tickets named by TicketAttached events: ticket → incident → distinct event ids.
std::map<std::string, std::map<std::string, std::set<std::string>>> Attachments(
    const ScaleOutStack& stack) {
  std::map<std::string, std::map<std::string, std::set<std::string>>> out;
  for (const auto& [ce_id, event] : stack.Events()) {
    if (event.event_case() != v1::DispatchEvent::kTicketAttached) continue;
    const auto& attached = event.ticket_attached();
    out[attached.ticket_id()][attached.incident_id()].insert(ce_id);
  }
  return out;
}

/// Assigns up to three assigned work orders by hand, and registers a planned outage on their
/// feeders, each through both instances' consoles: every call succeeds, whichever instance owns
/// the territory, and exactly one call of each pair was forwarded to the owner.
void CheckConsoleActionsOnEitherInstance(Instance& first, Instance& second,
                                         const std::vector<std::string>& crews) {
  REQUIRE(crews.size() >= 2);
  std::map<std::string, std::string> feeder_of;  // incident → feeder
  for (const auto& incident : OpenIncidents(first)) {
    feeder_of[incident.incident_id()] = incident.supply().feeder_id();
  }
  std::vector<v1::WorkOrder> orders;
  for (const auto& order : WorkOrders(first)) {
    if (order.state() == v1::WORK_ORDER_STATE_ASSIGNED && orders.size() < 3 &&
        !feeder_of[order.incident_id()].empty()) {
      orders.push_back(order);
    }
  }
  REQUIRE_FALSE(orders.empty());
  const std::string forwarded = "gridcare_dispatch_console_forwarded_total{outcome=\"OK\"}";
  const double before =
      Gauge(first.ports.metrics, forwarded) + Gauge(second.ports.metrics, forwarded);
  int pairs = 0;
  for (const auto& order : orders) {
    INFO("work order " << order.work_order_id());
    for (Instance* console : {&first, &second}) {
      v1::AssignWorkOrderRequest request;
      request.set_work_order_id(order.work_order_id());
      request.set_crew_id(crews[console == &first ? 0 : 1]);
      request.set_dispatcher_id("D-SCALEOUT");
      request.set_reason("moved by the scale-out test");
      grpc::ClientContext context;
      rpc::SetDeadline(context, 10s);
      v1::AssignWorkOrderResponse response;
      const auto status = console->console->AssignWorkOrder(&context, request, &response);
      INFO("via " << (console == &first ? "first" : "second") << ": " << status.error_message());
      REQUIRE(status.ok());
      CHECK(response.work_order().crew_id() == request.crew_id());
    }
    ++pairs;
    for (Instance* console : {&first, &second}) {
      v1::RegisterPlannedOutageRequest request;
      auto* outage = request.mutable_planned_outage();
      outage->mutable_scope()->set_feeder_id(feeder_of[order.incident_id()]);
      *outage->mutable_starts_at() =
          google::protobuf::util::TimeUtil::MillisecondsToTimestamp(NowMs() + 3'600'000);
      *outage->mutable_ends_at() =
          google::protobuf::util::TimeUtil::MillisecondsToTimestamp(NowMs() + 7'200'000);
      outage->mutable_reason()->set_zh_cn("线路检修");
      outage->mutable_reason()->set_en("Line maintenance");
      outage->set_registered_by("D-SCALEOUT");
      grpc::ClientContext context;
      rpc::SetDeadline(context, 10s);
      v1::RegisterPlannedOutageResponse response;
      const auto status = console->console->RegisterPlannedOutage(&context, request, &response);
      INFO("feeder " << feeder_of[order.incident_id()] << ": " << status.error_message());
      REQUIRE(status.ok());
      CHECK_FALSE(response.planned_outage().planned_outage_id().empty());
    }
    ++pairs;
  }
  // The assignments are visible on both consoles.
  for (Instance* console : {&first, &second}) {
    for (const auto& order : WorkOrders(*console)) {
      for (const auto& moved : orders) {
        if (order.work_order_id() == moved.work_order_id()) CHECK(order.crew_id() == crews[1]);
      }
    }
  }
  const double after =
      Gauge(first.ports.metrics, forwarded) + Gauge(second.ports.metrics, forwarded);
  CHECK(after - before == pairs);
}

TEST_CASE("two dispatch instances, one killed with SIGKILL mid-storm, place every ticket once",
          "[dispatch][scaleout]") {
  ScaleOutStack stack;
  Instance first = stack.StartDispatch("dispatch-a.log");
  Instance second = stack.StartDispatch("dispatch-b.log");
  const auto owned = [](Instance& instance) {
    return Gauge(instance.ports.metrics, "gridcare_dispatch_territories_owned");
  };
  REQUIRE(WaitUntil([&] { return owned(first) > 0 && owned(second) > 0; }, 60s));
  CHECK(owned(first) + owned(second) == 12);

  // The storm: every third customer of the utility calls (whole transformer areas go dark, so
  // transformer and feeder incidents form, beside single calls).
  std::vector<std::string> tickets;
  const auto& utility = stack.base.utility;
  const auto publish = [&](int64_t from, int64_t to) {
    for (int64_t i = from; i < to; i += 3) {
      const std::string ticket_id = "GC-SO-" + std::to_string(i);
      stack.PublishTicket(utility.CustomerAt(i), ticket_id);
      tickets.push_back(ticket_id);
    }
  };
  const int64_t half = utility.customer_count() / 2;
  publish(0, half);
  REQUIRE(WaitUntil([&] { return Attachments(stack).size() >= tickets.size() / 3; }, 60s));

  // Crash in the middle: the second instance dies without committing; its territories move to the
  // first, which loads their state; then it comes back and takes some again.
  CHECK(second.process->Kill() == -SIGKILL);
  publish(half, utility.customer_count());
  second = stack.StartDispatch("dispatch-b-restarted.log");
  REQUIRE(WaitUntil([&] { return owned(first) > 0 && owned(second) > 0; }, 60s));

  const bool all_placed =
      WaitUntil([&] { return Attachments(stack).size() == tickets.size(); }, 120s);
  INFO("first instance's log:\n" << first.process->ReadLog().substr(0, 4000));
  REQUIRE(all_placed);
  std::this_thread::sleep_for(3s);  // ticks and late redeliveries settle

  // Each console shows every territory (its own and the other instance's, read from Redis): the
  // same incidents on both. At most one open incident per transformer / feeder level.
  std::map<std::string, v1::Incident> open;
  std::map<std::string, int> per_scope;
  for (const auto& incident : OpenIncidents(first)) {
    INFO("incident " << incident.incident_id());
    CHECK(open.emplace(incident.incident_id(), incident).second);
    if (incident.level() == v1::INCIDENT_LEVEL_TRANSFORMER) {
      ++per_scope["transformer " + incident.supply().transformer_id()];
    } else if (incident.level() == v1::INCIDENT_LEVEL_FEEDER) {
      ++per_scope["feeder " + incident.supply().feeder_id()];
    }
  }
  std::set<std::string> on_second;
  for (const auto& incident : OpenIncidents(second)) on_second.insert(incident.incident_id());
  std::set<std::string> on_first;
  for (const auto& [id, incident] : open) on_first.insert(id);
  CHECK(on_first == on_second);
  for (const auto& [scope, count] : per_scope) {
    INFO(scope);
    CHECK(count == 1);
  }

  // Every ticket in exactly one open incident, each attachment decided once (one event id).
  const auto attachments = Attachments(stack);
  for (const auto& ticket : tickets) {
    INFO("ticket " << ticket);
    const auto found = attachments.find(ticket);
    REQUIRE(found != attachments.end());
    int in_open = 0;
    for (const auto& [incident, ids] : found->second) {
      CHECK(ids.size() == 1);
      if (open.contains(incident)) ++in_open;
    }
    CHECK(in_open == 1);
  }

  // Work orders: created once each, listed by one instance, held by at most one crew.
  std::map<std::string, std::set<std::string>> created;
  for (const auto& [ce_id, event] : stack.Events()) {
    if (event.event_case() == v1::DispatchEvent::kWorkOrderCreated) {
      created[event.work_order_created().work_order().work_order_id()].insert(ce_id);
    }
  }
  for (const auto& [order, ids] : created) {
    INFO("work order " << order);
    CHECK(ids.size() == 1);
  }
  std::map<Instance*, std::set<std::string>> listed;
  for (Instance* instance : {&first, &second}) {
    for (const auto& order : WorkOrders(*instance)) {
      CHECK(listed[instance].insert(order.work_order_id()).second);
    }
  }
  CHECK(listed[&first] == listed[&second]);
  CHECK_FALSE(listed[&first].empty());

  grpc::ClientContext context;
  rpc::SetDeadline(context, 10s);
  v1::ListCrewsRequest request;
  request.set_page_size(1000);
  v1::ListCrewsResponse crews;
  REQUIRE(stack.crew_stub->ListCrews(&context, request, &crews).ok());
  std::map<std::string, std::string> holder;
  std::vector<std::string> crew_ids;
  for (const auto& crew : crews.crews()) {
    crew_ids.push_back(crew.crew_id());
    INFO("crew " << crew.crew_id());
    CHECK(crew.work_order_ids_size() <= kMaxJobsPerCrew);
    for (const auto& order : crew.work_order_ids()) {
      const auto [held, first_holder] = holder.emplace(order, crew.crew_id());
      INFO("work order " << order << " also held by " << held->second);
      CHECK(first_holder);
    }
  }

  CheckConsoleActionsOnEitherInstance(first, second, crew_ids);
}

}  // namespace
}  // namespace gridcare
