#pragma once

#include <chrono>

#include "crew_core.h"
#include "gridcare/v1/crew.grpc.pb.h"

namespace grpc {
class ServerContext;
}

namespace gridcare::repair_crew {

/// CrewService over gRPC for the crew app: each method validates and decides through CrewCore and
/// answers only once the change's event is acknowledged by Kafka. The caller's deadline bounds the
/// whole call (capped at `max_budget`; calls without a deadline get `max_budget`), and a
/// `traceparent` request header continues the caller's trace into the published event.
/// Thread-safe; `core` must outlive it.
class CrewGrpcService final : public v1::CrewService::Service {
 public:
  explicit CrewGrpcService(CrewCore& core,
                           std::chrono::milliseconds max_budget = std::chrono::seconds(30))
      : core_(core), max_budget_(max_budget) {}

  grpc::Status GetCrew(grpc::ServerContext* context, const v1::GetCrewRequest* request,
                       v1::Crew* response) override;
  grpc::Status ListCrews(grpc::ServerContext* context, const v1::ListCrewsRequest* request,
                         v1::ListCrewsResponse* response) override;
  grpc::Status ListJobs(grpc::ServerContext* context, const v1::ListCrewJobsRequest* request,
                        v1::ListCrewJobsResponse* response) override;
  grpc::Status AcceptJob(grpc::ServerContext* context, const v1::CrewJobRequest* request,
                         v1::CrewJobResponse* response) override;
  grpc::Status DeclineJob(grpc::ServerContext* context, const v1::CrewJobRequest* request,
                          v1::CrewJobResponse* response) override;
  grpc::Status StartTravel(grpc::ServerContext* context, const v1::CrewJobRequest* request,
                           v1::CrewJobResponse* response) override;
  grpc::Status ArriveOnSite(grpc::ServerContext* context, const v1::CrewJobRequest* request,
                            v1::CrewJobResponse* response) override;
  grpc::Status CompleteJob(grpc::ServerContext* context, const v1::CompleteJobRequest* request,
                           v1::CrewJobResponse* response) override;
  grpc::Status ReportLocation(grpc::ServerContext* context,
                              const v1::ReportLocationRequest* request,
                              v1::ReportLocationResponse* response) override;
  grpc::Status SetAvailability(grpc::ServerContext* context,
                               const v1::SetAvailabilityRequest* request,
                               v1::SetAvailabilityResponse* response) override;

 private:
  CallContext ContextOf(grpc::ServerContext* context) const;
  grpc::Status Act(JobAction action, grpc::ServerContext* context,
                   const v1::CrewJobRequest* request, v1::CrewJobResponse* response);

  CrewCore& core_;
  std::chrono::milliseconds max_budget_;
};

}  // namespace gridcare::repair_crew
