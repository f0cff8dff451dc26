#pragma once
// In-memory edges for the gridcare command's unit tests: a record reader over topics held in
// memory, an OperatorApi that answers what a test put in it, a health probe with canned answers,
// and the kafka::RecordingPublisher for replays.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/kafka/publisher.h"
#include "gridcare/kafka/record_reader.h"
#include "ports.h"

namespace gridcare::ops::testing {

/// Topics as lists of records; offsets are list positions. Unknown topics are NOT_FOUND.
class FakeRecordReader final : public kafka::RecordReader {
 public:
  /// Appends `message` to its topic, setting its topic, partition 0 and the next offset.
  kafka::ConsumedMessage& Add(const std::string& topic, kafka::ConsumedMessage message);
  void AddTopic(const std::string& topic) { topics_[topic]; }
  /// Every call fails with `error` from now on.
  void FailWith(core::Error error) { failure_ = std::move(error); }

  core::Status ReadAll(const std::string& topic, std::chrono::milliseconds timeout,
                       const std::function<void(kafka::ConsumedMessage&)>& visit) override;
  core::Result<kafka::ConsumedMessage> ReadOne(const std::string& topic, int32_t partition,
                                               int64_t offset,
                                               std::chrono::milliseconds timeout) override;

 private:
  std::map<std::string, std::vector<kafka::ConsumedMessage>> topics_;
  std::optional<core::Error> failure_;
};

/// Answers from what the test set; a call without an answer is UNAVAILABLE.
class FakeOperatorApi final : public OperatorApi {
 public:
  std::map<std::string, v1::TrackResponse> tickets;
  std::optional<std::vector<v1::Incident>> incidents;
  std::optional<std::vector<v1::WorkOrder>> work_orders;
  std::vector<v1::ComplaintCase> cases;  // served in pages of the request's page_size
  int list_cases_calls = 0;
  v1::ListOpenIncidentsRequest last_incidents_request;

  core::Result<v1::TrackResponse> Track(const std::string& ticket_id) override;
  core::Result<std::vector<v1::Incident>> OpenIncidents(
      const v1::ListOpenIncidentsRequest& request) override;
  core::Result<std::vector<v1::WorkOrder>> OpenWorkOrders() override;
  core::Result<v1::ListCasesResponse> ListCases(const v1::ListCasesRequest& request) override;
};

/// Canned answers by address / target; anything else is "connection refused". Thread-safe.
class FakeHealthProbe final : public HealthProbe {
 public:
  void SetHttp(const std::string& address, const std::string& path, HttpAnswer answer);
  void SetGrpc(const std::string& target, rpc::HealthStatus status);

  core::Result<HttpAnswer> Get(const std::string& address, const std::string& path) override;
  core::Result<rpc::HealthStatus> GrpcHealth(const std::string& target) override;

 private:
  std::mutex mutex_;
  std::map<std::string, HttpAnswer> http_;
  std::map<std::string, rpc::HealthStatus> grpc_;
};

/// A cluster's topics in memory (name -> partitions); every call is recorded. `fail_create` /
/// `fail_add` make those calls fail for the named topics with the given error.
class FakeTopicAdmin final : public kafka::TopicAdmin {
 public:
  std::map<std::string, int32_t> topics;
  std::vector<kafka::NewTopic> created;
  std::vector<std::pair<std::string, int32_t>> widened;
  std::map<std::string, core::Error> fail_create;
  std::map<std::string, core::Error> fail_add;
  std::optional<core::Error> fail_list;

  core::Result<std::map<std::string, int32_t>> Topics(std::chrono::milliseconds timeout) override;
  core::Status Create(const kafka::NewTopic& topic, std::chrono::milliseconds timeout) override;
  core::Status AddPartitions(const std::string& topic, int32_t total,
                             std::chrono::milliseconds timeout) override;
};

/// The fakes above as one run's edges (owned by the test; outlive the run).
class FakeEdges final : public Edges {
 public:
  FakeRecordReader reader;
  kafka::RecordingPublisher publisher;
  FakeOperatorApi api;
  FakeHealthProbe probe;
  FakeTopicAdmin admin;

  core::Result<kafka::RecordReader*> Reader() override { return &reader; }
  core::Result<kafka::EventPublisher*> Publisher() override { return &publisher; }
  core::Result<kafka::TopicAdmin*> Admin() override { return &admin; }
  OperatorApi& Api() override { return api; }
  HealthProbe& Probe() override { return probe; }
};

}  // namespace gridcare::ops::testing
