#include "crew_api.h"

#include <grpcpp/client_context.h>

#include "gridcare/rpc/client.h"
#include "gridcare/rpc/status.h"

namespace gridcare::crew_sim {
namespace {

template <typename Call, typename Request, typename Response>
core::Status Invoke(Call call, std::chrono::milliseconds deadline, const Request& request,
                    Response* response) {
  grpc::ClientContext context;
  rpc::SetDeadline(context, deadline);
  const grpc::Status status = call(&context, request, response);
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return {};
}

}  // namespace

core::Result<v1::ListCrewsResponse> GrpcCrewApi::ListCrews(const v1::ListCrewsRequest& request) {
  v1::ListCrewsResponse response;
  auto status =
      Invoke([this](auto* c, const auto& r, auto* o) { return stub_->ListCrews(c, r, o); },
             deadline_, request, &response);
  if (!status) return status.error();
  return response;
}

core::Result<v1::ListCrewJobsResponse> GrpcCrewApi::ListJobs(const std::string& crew_id) {
  v1::ListCrewJobsRequest request;
  request.set_crew_id(crew_id);
  v1::ListCrewJobsResponse response;
  auto status = Invoke([this](auto* c, const auto& r, auto* o) { return stub_->ListJobs(c, r, o); },
                       deadline_, request, &response);
  if (!status) return status.error();
  return response;
}

core::Result<v1::WorkOrder> GrpcCrewApi::Act(repair_crew::JobAction action,
                                             const v1::CrewJobRequest& request) {
  v1::CrewJobResponse response;
  core::Status status;
  switch (action) {
    case repair_crew::JobAction::kAccept:
      status = Invoke([this](auto* c, const auto& r, auto* o) { return stub_->AcceptJob(c, r, o); },
                      deadline_, request, &response);
      break;
    case repair_crew::JobAction::kDecline:
      status =
          Invoke([this](auto* c, const auto& r, auto* o) { return stub_->DeclineJob(c, r, o); },
                 deadline_, request, &response);
      break;
    case repair_crew::JobAction::kStartTravel:
      status =
          Invoke([this](auto* c, const auto& r, auto* o) { return stub_->StartTravel(c, r, o); },
                 deadline_, request, &response);
      break;
    case repair_crew::JobAction::kArriveOnSite:
      status =
          Invoke([this](auto* c, const auto& r, auto* o) { return stub_->ArriveOnSite(c, r, o); },
                 deadline_, request, &response);
      break;
    case repair_crew::JobAction::kComplete:
      return core::Internal("CompleteJob goes through GrpcCrewApi::Complete");
  }
  if (!status) return status.error();
  return std::move(*response.mutable_work_order());
}

core::Result<v1::WorkOrder> GrpcCrewApi::Complete(const v1::JobCompleted& report) {
  v1::CompleteJobRequest request;
  *request.mutable_report() = report;
  v1::CrewJobResponse response;
  auto status =
      Invoke([this](auto* c, const auto& r, auto* o) { return stub_->CompleteJob(c, r, o); },
             deadline_, request, &response);
  if (!status) return status.error();
  return std::move(*response.mutable_work_order());
}

core::Status GrpcCrewApi::ReportLocation(const v1::LocationReported& report) {
  v1::ReportLocationRequest request;
  *request.mutable_report() = report;
  v1::ReportLocationResponse response;
  return Invoke([this](auto* c, const auto& r, auto* o) { return stub_->ReportLocation(c, r, o); },
                deadline_, request, &response);
}

}  // namespace gridcare::crew_sim
