#pragma once

#include <grpcpp/channel.h>

#include <chrono>
#include <memory>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/v1/crew.grpc.pb.h"
#include "job_rules.h"

namespace gridcare::crew_sim {

/// The CrewService calls the simulator makes, as the crew app would. Errors keep the kinds of the
/// gRPC codes (rpc::FromGrpcStatus): PERMISSION_DENIED / FAILED_PRECONDITION / NOT_FOUND mean the
/// job is no longer this crew's to work on; retryable kinds mean try again later.
/// Implementations are thread-safe.
class CrewApi {
 public:
  virtual ~CrewApi() = default;
  virtual core::Result<v1::ListCrewsResponse> ListCrews(const v1::ListCrewsRequest& request) = 0;
  virtual core::Result<v1::ListCrewJobsResponse> ListJobs(const std::string& crew_id) = 0;
  /// AcceptJob, DeclineJob, StartTravel or ArriveOnSite.
  virtual core::Result<v1::WorkOrder> Act(repair_crew::JobAction action,
                                          const v1::CrewJobRequest& request) = 0;
  virtual core::Result<v1::WorkOrder> Complete(const v1::JobCompleted& report) = 0;
  virtual core::Status ReportLocation(const v1::LocationReported& report) = 0;
};

/// CrewApi over one shared gRPC channel, each call with `deadline`.
class GrpcCrewApi final : public CrewApi {
 public:
  GrpcCrewApi(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline)
      : stub_(v1::CrewService::NewStub(channel)), deadline_(deadline) {}

  core::Result<v1::ListCrewsResponse> ListCrews(const v1::ListCrewsRequest& request) override;
  core::Result<v1::ListCrewJobsResponse> ListJobs(const std::string& crew_id) override;
  core::Result<v1::WorkOrder> Act(repair_crew::JobAction action,
                                  const v1::CrewJobRequest& request) override;
  core::Result<v1::WorkOrder> Complete(const v1::JobCompleted& report) override;
  core::Status ReportLocation(const v1::LocationReported& report) override;

 private:
  std::unique_ptr<v1::CrewService::Stub> stub_;
  std::chrono::milliseconds deadline_;
};

}  // namespace gridcare::crew_sim
