#pragma once

// The real edges of a gridcare run: librdkafka (reader and idempotent producer), gRPC, and HTTP
// for the health endpoints (cpp-httplib, as the other tools use it).

#include <chrono>
#include <memory>

#include "gridcare/kafka/producer.h"
#include "grpc_operator_api.h"
#include "ports.h"
#include "settings.h"

namespace gridcare::ops {

/// HealthProbe over cpp-httplib (a connection per request) and rpc::CheckHealth. Thread-safe.
class NetworkHealthProbe final : public HealthProbe {
 public:
  explicit NetworkHealthProbe(std::chrono::milliseconds timeout) : timeout_(timeout) {}
  core::Result<HttpAnswer> Get(const std::string& address, const std::string& path) override;
  core::Result<rpc::HealthStatus> GrpcHealth(const std::string& target) override;

 private:
  std::chrono::milliseconds timeout_;
};

/// Edges made on first use from the settings. Not thread-safe (Probe() is, once made).
class NetworkEdges final : public Edges {
 public:
  explicit NetworkEdges(const OperatorSettings& settings);
  core::Result<kafka::RecordReader*> Reader() override;
  core::Result<kafka::EventPublisher*> Publisher() override;
  core::Result<kafka::TopicAdmin*> Admin() override;
  OperatorApi& Api() override { return api_; }
  HealthProbe& Probe() override { return probe_; }

 private:
  const OperatorSettings& settings_;
  GrpcOperatorApi api_;
  NetworkHealthProbe probe_;
  std::unique_ptr<kafka::KafkaRecordReader> reader_;
  std::unique_ptr<kafka::KafkaProducer> producer_;  // flushes on destruction
  std::unique_ptr<kafka::KafkaTopicAdmin> admin_;
};

}  // namespace gridcare::ops
