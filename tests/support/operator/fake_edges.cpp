#include "fake_edges.h"

namespace gridcare::ops::testing {

kafka::ConsumedMessage& FakeRecordReader::Add(const std::string& topic,
                                              kafka::ConsumedMessage message) {
  auto& records = topics_[topic];
  message.topic = topic;
  message.partition = 0;
  message.offset = static_cast<int64_t>(records.size());
  records.push_back(std::move(message));
  return records.back();
}

core::Status FakeRecordReader::ReadAll(const std::string& topic,
                                       std::chrono::milliseconds /*timeout*/,
                                       const std::function<void(kafka::ConsumedMessage&)>& visit) {
  if (failure_) return *failure_;
  auto it = topics_.find(topic);
  if (it == topics_.end()) return core::NotFound("topic " + topic + " does not exist");
  for (const auto& message : it->second) {
    kafka::ConsumedMessage copy = message;
    visit(copy);
  }
  return {};
}

core::Result<kafka::ConsumedMessage> FakeRecordReader::ReadOne(
    const std::string& topic, int32_t partition, int64_t offset,
    std::chrono::milliseconds /*timeout*/) {
  if (failure_) return *failure_;
  auto it = topics_.find(topic);
  if (it == topics_.end()) return core::NotFound("topic " + topic + " does not exist");
  if (partition != 0 || offset < 0 || offset >= static_cast<int64_t>(it->second.size())) {
    return core::NotFound("no record at that offset");
  }
  return it->second[static_cast<size_t>(offset)];
}

core::Result<v1::TrackResponse> FakeOperatorApi::Track(const std::string& ticket_id) {
  auto it = tickets.find(ticket_id);
  if (it == tickets.end()) return core::NotFound("intake Track: no ticket " + ticket_id);
  return it->second;
}

core::Result<std::vector<v1::Incident>> FakeOperatorApi::OpenIncidents(
    const v1::ListOpenIncidentsRequest& request) {
  last_incidents_request = request;
  if (!incidents) return core::Unavailable("dispatch ListOpenIncidents: connection refused");
  return *incidents;
}

core::Result<std::vector<v1::WorkOrder>> FakeOperatorApi::OpenWorkOrders() {
  if (!work_orders) return core::Unavailable("dispatch ListWorkOrders: connection refused");
  return *work_orders;
}

core::Result<v1::ListCasesResponse> FakeOperatorApi::ListCases(
    const v1::ListCasesRequest& request) {
  ++list_cases_calls;
  const size_t start = request.page_token().empty() ? 0 : std::stoul(request.page_token());
  const size_t size = request.page_size() > 0 ? static_cast<size_t>(request.page_size()) : 50;
  v1::ListCasesResponse response;
  for (size_t i = start; i < cases.size() && i < start + size; ++i)
    *response.add_cases() = cases[i];
  if (start + size < cases.size()) response.set_next_page_token(std::to_string(start + size));
  response.set_total(static_cast<int32_t>(cases.size()));
  return response;
}

void FakeHealthProbe::SetHttp(const std::string& address, const std::string& path,
                              HttpAnswer answer) {
  std::lock_guard lock(mutex_);
  http_[address + path] = std::move(answer);
}

void FakeHealthProbe::SetGrpc(const std::string& target, rpc::HealthStatus status) {
  std::lock_guard lock(mutex_);
  grpc_[target] = status;
}

core::Result<HttpAnswer> FakeHealthProbe::Get(const std::string& address, const std::string& path) {
  std::lock_guard lock(mutex_);
  auto it = http_.find(address + path);
  if (it == http_.end()) return core::Unavailable("Connection");
  return it->second;
}

core::Result<rpc::HealthStatus> FakeHealthProbe::GrpcHealth(const std::string& target) {
  std::lock_guard lock(mutex_);
  auto it = grpc_.find(target);
  if (it == grpc_.end()) return core::Unavailable("failed to connect to all addresses");
  return it->second;
}

core::Result<std::map<std::string, int32_t>> FakeTopicAdmin::Topics(
    std::chrono::milliseconds /*timeout*/) {
  if (fail_list) return *fail_list;
  return topics;
}

core::Status FakeTopicAdmin::Create(const kafka::NewTopic& topic,
                                    std::chrono::milliseconds /*timeout*/) {
  if (auto it = fail_create.find(topic.name); it != fail_create.end()) return it->second;
  if (topics.contains(topic.name)) {
    return core::Error{core::ErrorKind::kAlreadyExists, "topic " + topic.name + " exists"};
  }
  created.push_back(topic);
  topics[topic.name] = topic.partitions;
  return core::Status::Ok();
}

core::Status FakeTopicAdmin::AddPartitions(const std::string& topic, int32_t total,
                                           std::chrono::milliseconds /*timeout*/) {
  if (auto it = fail_add.find(topic); it != fail_add.end()) return it->second;
  auto it = topics.find(topic);
  if (it == topics.end()) return core::NotFound("topic " + topic + " does not exist");
  if (total <= it->second) return core::InvalidArgument("partitions can only be raised");
  widened.emplace_back(topic, total);
  it->second = total;
  return core::Status::Ok();
}

}  // namespace gridcare::ops::testing
