#pragma once

// The edges the gridcare sub-commands reach through: GridCare's gRPC APIs, the services' health
// endpoints, and Kafka (kafka::RecordReader to read, kafka::EventPublisher to replay,
// kafka::TopicAdmin to create topics). Real
// implementations: grpc_operator_api.h, http_health_probe.h, edges.h; unit tests use fakes.

#include <chrono>
#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/kafka/record_reader.h"
#include "gridcare/kafka/topic_admin.h"
#include "gridcare/rpc/client.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "health.h"

namespace gridcare::ops {

/// The read-only calls the operator makes on GridCare's gRPC services. Errors name the service
/// and call ("intake Track: NOT_FOUND: …").
class OperatorApi {
 public:
  virtual ~OperatorApi() = default;
  /// IntakeService.Track by ticket id.
  virtual core::Result<v1::TrackResponse> Track(const std::string& ticket_id) = 0;
  /// DispatchConsoleService.ListOpenIncidents.
  virtual core::Result<std::vector<v1::Incident>> OpenIncidents(
      const v1::ListOpenIncidentsRequest& request) = 0;
  /// DispatchConsoleService.ListWorkOrders (every open state).
  virtual core::Result<std::vector<v1::WorkOrder>> OpenWorkOrders() = 0;
  /// One page of ComplaintService.ListCases (open cases, every department).
  virtual core::Result<v1::ListCasesResponse> ListCases(const v1::ListCasesRequest& request) = 0;
};

/// Health endpoints: HTTP GET on a metrics address, gRPC grpc.health.v1.Health/Check.
class HealthProbe {
 public:
  virtual ~HealthProbe() = default;
  /// GET http://<address><path>; an error when nothing answers (connection refused, timeout).
  virtual core::Result<HttpAnswer> Get(const std::string& address, const std::string& path) = 0;
  /// The whole server's health ("" service).
  virtual core::Result<rpc::HealthStatus> GrpcHealth(const std::string& target) = 0;
};

/// The edges of one run, made on first use from the settings (so a command that needs no Kafka
/// never connects to it). Errors say what could not be set up.
class Edges {
 public:
  virtual ~Edges() = default;
  virtual core::Result<kafka::RecordReader*> Reader() = 0;
  virtual core::Result<kafka::EventPublisher*> Publisher() = 0;
  virtual core::Result<kafka::TopicAdmin*> Admin() = 0;
  virtual OperatorApi& Api() = 0;
  virtual HealthProbe& Probe() = 0;
};

}  // namespace gridcare::ops
