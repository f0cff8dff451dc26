#include "crew_grpc_service.h"

#include <grpcpp/server_context.h>

#include "gridcare/rpc/status.h"

namespace gridcare::repair_crew {
namespace {

template <typename Response>
grpc::Status Answer(core::Result<Response> result, Response* response) {
  if (!result) return rpc::ToGrpcStatus(result.error());
  *response = std::move(result).value();
  return grpc::Status::OK;
}

grpc::Status Cancelled() {
  return grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled or its deadline passed");
}

}  // namespace

CallContext CrewGrpcService::ContextOf(grpc::ServerContext* context) const {
  CallContext call;
  // A call without a deadline has one far in the future; cap it so a command never waits on
  // Kafka for longer than max_budget_.
  const auto remaining = context->deadline() - std::chrono::system_clock::now();
  const auto budget =
      remaining > max_budget_
          ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(max_budget_)
          : std::chrono::duration_cast<std::chrono::steady_clock::duration>(remaining);
  call.deadline = std::chrono::steady_clock::now() + budget;
  const auto& metadata = context->client_metadata();
  if (auto it = metadata.find("traceparent"); it != metadata.end()) {
    call.traceparent.assign(it->second.data(), it->second.size());
  }
  return call;
}

grpc::Status CrewGrpcService::GetCrew(grpc::ServerContext*, const v1::GetCrewRequest* request,
                                      v1::Crew* response) {
  return Answer(core_.GetCrew(*request), response);
}

grpc::Status CrewGrpcService::ListCrews(grpc::ServerContext*, const v1::ListCrewsRequest* request,
                                        v1::ListCrewsResponse* response) {
  return Answer(core_.ListCrews(*request), response);
}

grpc::Status CrewGrpcService::ListJobs(grpc::ServerContext*, const v1::ListCrewJobsRequest* request,
                                       v1::ListCrewJobsResponse* response) {
  return Answer(core_.ListJobs(*request), response);
}

grpc::Status CrewGrpcService::Act(JobAction action, grpc::ServerContext* context,
                                  const v1::CrewJobRequest* request,
                                  v1::CrewJobResponse* response) {
  if (context->IsCancelled()) return Cancelled();
  return Answer(core_.Act(action, *request, ContextOf(context)), response);
}

grpc::Status CrewGrpcService::AcceptJob(grpc::ServerContext* context,
                                        const v1::CrewJobRequest* request,
                                        v1::CrewJobResponse* response) {
  return Act(JobAction::kAccept, context, request, response);
}

grpc::Status CrewGrpcService::DeclineJob(grpc::ServerContext* context,
                                         const v1::CrewJobRequest* request,
                                         v1::CrewJobResponse* response) {
  return Act(JobAction::kDecline, context, request, response);
}

grpc::Status CrewGrpcService::StartTravel(grpc::ServerContext* context,
                                          const v1::CrewJobRequest* request,
                                          v1::CrewJobResponse* response) {
  return Act(JobAction::kStartTravel, context, request, response);
}

grpc::Status CrewGrpcService::ArriveOnSite(grpc::ServerContext* context,
                                           const v1::CrewJobRequest* request,
                                           v1::CrewJobResponse* response) {
  return Act(JobAction::kArriveOnSite, context, request, response);
}

grpc::Status CrewGrpcService::CompleteJob(grpc::ServerContext* context,
                                          const v1::CompleteJobRequest* request,
                                          v1::CrewJobResponse* response) {
  if (context->IsCancelled()) return Cancelled();
  return Answer(core_.Complete(*request, ContextOf(context)), response);
}

grpc::Status CrewGrpcService::ReportLocation(grpc::ServerContext* context,
                                             const v1::ReportLocationRequest* request,
                                             v1::ReportLocationResponse* response) {
  if (context->IsCancelled()) return Cancelled();
  return Answer(core_.ReportLocation(*request, ContextOf(context)), response);
}

grpc::Status CrewGrpcService::SetAvailability(grpc::ServerContext* context,
                                              const v1::SetAvailabilityRequest* request,
                                              v1::SetAvailabilityResponse* response) {
  if (context->IsCancelled()) return Cancelled();
  return Answer(core_.SetAvailability(*request, ContextOf(context)), response);
}

}  // namespace gridcare::repair_crew
