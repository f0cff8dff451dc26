// The real repair-crew binary against a real redis-server and devbroker on 127.0.0.1 free ports,
// with a reader of the crew topic and its dead letters and a producer on the dispatch topic.
// Shared by the service's and the simulator's integration tests.
#pragma once

#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/crew.grpc.pb.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::repair_crew::testing {

namespace kafka = gridcare::kafka;
using gridcare::testing::ChildProcess;
using gridcare::testing::LoopbackAddress;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

class CrewStack {
 public:
  CrewStack() {
    producer_ = std::move(
        kafka::KafkaProducer::Create({broker.bootstrap_servers(), "test", {}}, nullptr).value());
    reader = std::make_unique<gridcare::testing::TopicReader>(
        broker.bootstrap_servers(),
        std::vector<std::string>{std::string(kafka::kCrewTopic),
                                 kafka::DeadLetterTopic("repair-crew")});
    Start();
    crew_ids_ = ListCrewIds();
    if (crew_ids_.size() < 10) throw std::runtime_error("the test roster has too few crews");
  }

  /// Starts the binary (again) on a port of the kernel's choosing and waits until its gRPC server
  /// answers.
  void Start() {
    ++starts_;
    service_ = std::make_unique<ChildProcess>(
        gridcare::testing::ProgramPath("repair-crew"),
        std::vector<std::string>{"--kafka-bootstrap-servers", broker.bootstrap_servers(),
                                 "--redis-address", redis.address(), "--grpc-listen-address",
                                 LoopbackAddress(0), "--metrics-listen-address", LoopbackAddress(0),
                                 "--roster-seed", "42", "--roster-customers", "2000",
                                 "--relay-interval", "500ms"},
        dir.path() / ("repair-crew-" + std::to_string(starts_) + ".log"));
    grpc_port_ = gridcare::testing::WaitForServiceReady(*service_).grpc;
    channel_ = rpc::MakeChannel(address());
    if (!rpc::WaitForReady(channel_, 20s)) {
      throw std::runtime_error("repair-crew did not start: " + service_->ReadLog());
    }
    stub = v1::CrewService::NewStub(channel_);
  }

  /// SIGTERM; returns the exit status (0 when it stopped cleanly).
  int Stop() { return service_->Stop(); }
  std::string Log() const { return service_->ReadLog(); }
  /// The gRPC address of the running service (a restart may bind another port).
  std::string address() const { return LoopbackAddress(grpc_port_); }

  /// The i-th crew of the roster in id order (tests take different crews so they do not meet).
  const std::string& crew(size_t i) const { return crew_ids_.at(i); }

  void PublishDispatch(const std::string& ce_id, const std::string& type,
                       const v1::DispatchEvent& event, const std::string& work_order_id) {
    kafka::EventMetadata metadata{
        ce_id, type, "/gridcare/dispatch", work_order_id, std::chrono::system_clock::now(), ""};
    REQUIRE(producer_
                ->PublishAndWait(kafka::MakeRecord(std::string(kafka::kDispatchTopic),
                                                   work_order_id, metadata, event),
                                 10s)
                .ok());
  }
  void PublishRaw(kafka::OutgoingRecord record) {
    REQUIRE(producer_->PublishAndWait(std::move(record), 10s).ok());
  }

  /// Publishes dispatch's work_order_assigned (ce_id "assign-<work order>-<crew>"); a non-empty
  /// `assigned_by` makes it a dispatcher's own choice.
  void Assign(const std::string& work_order_id, const std::string& crew_id,
              const v1::GeoPoint* location = nullptr, const std::string& assigned_by = "") {
    v1::DispatchEvent event;
    auto* assigned = event.mutable_work_order_assigned();
    auto* order = assigned->mutable_work_order();
    order->set_work_order_id(work_order_id);
    order->set_kind(v1::WORK_ORDER_KIND_REPAIR);
    order->set_state(v1::WORK_ORDER_STATE_ASSIGNED);
    order->set_crew_id(crew_id);
    order->set_area_class(v1::AREA_CLASS_URBAN);
    order->set_priority(v1::PRIORITY_HIGH);
    if (location) *order->mutable_location() = *location;
    order->set_assigned_by(assigned_by);
    assigned->set_crew_id(crew_id);
    PublishDispatch("assign-" + work_order_id + "-" + crew_id, "gridcare.work_order.assigned.v1",
                    event, work_order_id);
  }

  // --- CrewService calls, each with a deadline ---

  grpc::Status Act(const std::string& method, const std::string& crew_id,
                   const std::string& work_order_id, v1::CrewJobResponse* response = nullptr,
                   const std::string& reason = "") {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    v1::CrewJobRequest request;
    request.set_crew_id(crew_id);
    request.set_work_order_id(work_order_id);
    request.set_reason(reason);
    v1::CrewJobResponse ignored;
    if (!response) response = &ignored;
    if (method == "accept") return stub->AcceptJob(&context, request, response);
    if (method == "decline") return stub->DeclineJob(&context, request, response);
    if (method == "travel") return stub->StartTravel(&context, request, response);
    if (method == "arrive") return stub->ArriveOnSite(&context, request, response);
    throw std::logic_error("unknown method " + method);
  }

  grpc::Status Complete(const std::string& crew_id, const std::string& work_order_id,
                        const std::string& cause_code, v1::CrewJobResponse* response = nullptr) {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    v1::CompleteJobRequest request;
    auto* report = request.mutable_report();
    report->set_crew_id(crew_id);
    report->set_work_order_id(work_order_id);
    report->set_restored(true);
    report->set_cause_code(cause_code);
    report->set_fix_code("FUSE_REPLACED");
    v1::CrewJobResponse ignored;
    return stub->CompleteJob(&context, request, response ? response : &ignored);
  }

  std::vector<v1::WorkOrder> Jobs(const std::string& crew_id) {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 5s);
    v1::ListCrewJobsRequest request;
    request.set_crew_id(crew_id);
    v1::ListCrewJobsResponse response;
    if (!stub->ListJobs(&context, request, &response).ok()) return {};
    return {response.work_orders().begin(), response.work_orders().end()};
  }

  bool Holds(const std::string& crew_id, const std::string& work_order_id) {
    for (const auto& job : Jobs(crew_id)) {
      if (job.work_order_id() == work_order_id) return true;
    }
    return false;
  }

  v1::Crew GetCrew(const std::string& crew_id) {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 5s);
    v1::GetCrewRequest request;
    request.set_crew_id(crew_id);
    v1::Crew crew;
    const auto status = stub->GetCrew(&context, request, &crew);
    if (!status.ok()) throw std::runtime_error("GetCrew failed: " + status.error_message());
    return crew;
  }

  // --- What was published ---

  /// Crew events with this ce_subject, in the order read (one partition per key: publish order).
  std::vector<kafka::ConsumedMessage> CrewEvents(const std::string& subject) const {
    return reader->Matching([&](const kafka::ConsumedMessage& m) {
      return m.topic == kafka::kCrewTopic && m.Header("ce_subject") == subject;
    });
  }
  std::vector<std::string> CrewEventTypes(const std::string& subject) const {
    std::vector<std::string> types;
    for (const auto& m : CrewEvents(subject)) types.emplace_back(*m.Header("ce_type"));
    return types;
  }

  gridcare::testing::RedisServer redis;
  gridcare::testing::DevBroker broker;
  gridcare::testing::TempDir dir;
  std::unique_ptr<v1::CrewService::Stub> stub;
  std::unique_ptr<gridcare::testing::TopicReader> reader;

 private:
  std::vector<std::string> ListCrewIds() {
    std::vector<std::string> ids;
    std::string token;
    do {
      grpc::ClientContext context;
      rpc::SetDeadline(context, 5s);
      v1::ListCrewsRequest request;
      request.set_page_size(4);  // several pages, so paging is exercised too
      request.set_page_token(token);
      v1::ListCrewsResponse response;
      const auto status = stub->ListCrews(&context, request, &response);
      if (!status.ok()) throw std::runtime_error("ListCrews failed: " + status.error_message());
      for (const auto& crew : response.crews()) ids.push_back(crew.crew_id());
      token = response.next_page_token();
    } while (!token.empty());
    return ids;
  }

  int grpc_port_ = 0;
  int starts_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ChildProcess> service_;
  std::unique_ptr<kafka::KafkaProducer> producer_;
  std::vector<std::string> crew_ids_;
};

}  // namespace gridcare::repair_crew::testing
