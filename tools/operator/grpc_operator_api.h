#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "gridcare/v1/complaint.grpc.pb.h"
#include "gridcare/v1/dispatch.grpc.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"
#include "ports.h"

namespace gridcare::ops {

/// OperatorApi over gRPC (rpc::MakeChannel, a deadline of `timeout` on every call). Channels are
/// made on first use, so a command that calls one service never connects to the others.
/// Not thread-safe.
class GrpcOperatorApi final : public OperatorApi {
 public:
  /// `targets` by service name ("intake", "dispatch", "complaint").
  GrpcOperatorApi(std::map<std::string, std::string> targets, std::chrono::milliseconds timeout);

  core::Result<v1::TrackResponse> Track(const std::string& ticket_id) override;
  core::Result<std::vector<v1::Incident>> OpenIncidents(
      const v1::ListOpenIncidentsRequest& request) override;
  core::Result<std::vector<v1::WorkOrder>> OpenWorkOrders() override;
  core::Result<v1::ListCasesResponse> ListCases(const v1::ListCasesRequest& request) override;

 private:
  core::Result<std::shared_ptr<grpc::Channel>> Channel(const std::string& service);

  std::map<std::string, std::string> targets_;
  std::chrono::milliseconds timeout_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

}  // namespace gridcare::ops
