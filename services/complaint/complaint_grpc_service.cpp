#include "complaint_grpc_service.h"

#include "gridcare/rpc/status.h"

namespace gridcare::complaint {
namespace {

grpc::Status Answer(core::Result<v1::ComplaintCase> result, v1::ComplaintCase* response) {
  if (!result) return rpc::ToGrpcStatus(result.error());
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status ComplaintGrpcService::GetCase(grpc::ServerContext* /*context*/,
                                           const v1::GetCaseRequest* request,
                                           v1::ComplaintCase* response) {
  if (request->case_id().empty()) {
    return rpc::ToGrpcStatus(core::InvalidArgument("case_id is required"));
  }
  return Answer(desk_.Get(request->case_id()), response);
}

grpc::Status ComplaintGrpcService::ListCases(grpc::ServerContext* /*context*/,
                                             const v1::ListCasesRequest* request,
                                             v1::ListCasesResponse* response) {
  auto result = desk_.List(*request);
  if (!result) return rpc::ToGrpcStatus(result.error());
  *response = std::move(*result);
  return grpc::Status::OK;
}

grpc::Status ComplaintGrpcService::TakeCase(grpc::ServerContext* /*context*/,
                                            const v1::TakeCaseRequest* request,
                                            v1::ComplaintCase* response) {
  return Answer(actions_.Take(*request), response);
}

grpc::Status ComplaintGrpcService::AssignCase(grpc::ServerContext* /*context*/,
                                              const v1::AssignCaseRequest* request,
                                              v1::ComplaintCase* response) {
  return Answer(actions_.Assign(*request), response);
}

grpc::Status ComplaintGrpcService::RecordContactAttempt(
    grpc::ServerContext* /*context*/, const v1::RecordContactAttemptRequest* request,
    v1::ComplaintCase* response) {
  return Answer(actions_.ContactAttempt(*request), response);
}

grpc::Status ComplaintGrpcService::RecordContact(grpc::ServerContext* /*context*/,
                                                 const v1::RecordContactRequest* request,
                                                 v1::ComplaintCase* response) {
  return Answer(actions_.Contact(*request), response);
}

grpc::Status ComplaintGrpcService::PauseCase(grpc::ServerContext* /*context*/,
                                             const v1::PauseCaseRequest* request,
                                             v1::ComplaintCase* response) {
  return Answer(actions_.Pause(*request), response);
}

grpc::Status ComplaintGrpcService::ResumeCase(grpc::ServerContext* /*context*/,
                                              const v1::ResumeCaseRequest* request,
                                              v1::ComplaintCase* response) {
  return Answer(actions_.Resume(*request), response);
}

grpc::Status ComplaintGrpcService::RecordReply(grpc::ServerContext* /*context*/,
                                               const v1::RecordReplyRequest* request,
                                               v1::ComplaintCase* response) {
  return Answer(actions_.Reply(*request), response);
}

grpc::Status ComplaintGrpcService::ReturnCase(grpc::ServerContext* /*context*/,
                                              const v1::ReturnCaseRequest* request,
                                              v1::ComplaintCase* response) {
  return Answer(actions_.Return(*request), response);
}

grpc::Status ComplaintGrpcService::RequestCoordination(
    grpc::ServerContext* /*context*/, const v1::RequestCoordinationRequest* request,
    v1::ComplaintCase* response) {
  return Answer(actions_.RequestCoordination(*request), response);
}

grpc::Status ComplaintGrpcService::AnswerCoordination(grpc::ServerContext* /*context*/,
                                                      const v1::AnswerCoordinationRequest* request,
                                                      v1::ComplaintCase* response) {
  return Answer(actions_.AnswerCoordination(*request), response);
}

grpc::Status ComplaintGrpcService::Escalate(grpc::ServerContext* /*context*/,
                                            const v1::EscalateCaseRequest* request,
                                            v1::ComplaintCase* response) {
  return Answer(actions_.Escalate(*request), response);
}

grpc::Status ComplaintGrpcService::RecordReturnVisit(grpc::ServerContext* /*context*/,
                                                     const v1::RecordReturnVisitRequest* request,
                                                     v1::ComplaintCase* response) {
  return Answer(actions_.ReturnVisit(*request), response);
}

grpc::Status ComplaintGrpcService::ReopenCase(grpc::ServerContext* /*context*/,
                                              const v1::ReopenCaseRequest* request,
                                              v1::ComplaintCase* response) {
  return Answer(actions_.Reopen(*request), response);
}

grpc::Status ComplaintGrpcService::GetIncidentContext(grpc::ServerContext* /*context*/,
                                                      const v1::GetIncidentContextRequest* request,
                                                      v1::IncidentContext* response) {
  auto context = LookUpIncidentContext(incidents_, request->incident_id());
  if (!context) return rpc::ToGrpcStatus(context.error());
  *response = std::move(*context);
  return grpc::Status::OK;
}

}  // namespace gridcare::complaint
