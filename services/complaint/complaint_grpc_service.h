#pragma once

// ComplaintService (complaint.proto): the department desk over gRPC. Each mutating call is one
// DeskActions action (the same table the web desk answers through); errors map to gRPC codes
// (rpc::ToGrpcStatus): NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT naming the field,
// PERMISSION_DENIED.

#include "case_desk.h"
#include "case_rules.h"
#include "desk_actions.h"
#include "gridcare/v1/complaint.grpc.pb.h"
#include "incident_index.h"

namespace gridcare::complaint {

class ComplaintGrpcService final : public v1::ComplaintService::Service {
 public:
  ComplaintGrpcService(CaseDesk& desk, IncidentIndex& incidents, const CaseRules& rules)
      : desk_(desk), incidents_(incidents), actions_(desk, rules) {}

  grpc::Status GetCase(grpc::ServerContext* context, const v1::GetCaseRequest* request,
                       v1::ComplaintCase* response) override;
  grpc::Status ListCases(grpc::ServerContext* context, const v1::ListCasesRequest* request,
                         v1::ListCasesResponse* response) override;
  grpc::Status TakeCase(grpc::ServerContext* context, const v1::TakeCaseRequest* request,
                        v1::ComplaintCase* response) override;
  grpc::Status AssignCase(grpc::ServerContext* context, const v1::AssignCaseRequest* request,
                          v1::ComplaintCase* response) override;
  grpc::Status RecordContactAttempt(grpc::ServerContext* context,
                                    const v1::RecordContactAttemptRequest* request,
                                    v1::ComplaintCase* response) override;
  grpc::Status RecordContact(grpc::ServerContext* context, const v1::RecordContactRequest* request,
                             v1::ComplaintCase* response) override;
  grpc::Status PauseCase(grpc::ServerContext* context, const v1::PauseCaseRequest* request,
                         v1::ComplaintCase* response) override;
  grpc::Status ResumeCase(grpc::ServerContext* context, const v1::ResumeCaseRequest* request,
                          v1::ComplaintCase* response) override;
  grpc::Status RecordReply(grpc::ServerContext* context, const v1::RecordReplyRequest* request,
                           v1::ComplaintCase* response) override;
  grpc::Status ReturnCase(grpc::ServerContext* context, const v1::ReturnCaseRequest* request,
                          v1::ComplaintCase* response) override;
  grpc::Status RequestCoordination(grpc::ServerContext* context,
                                   const v1::RequestCoordinationRequest* request,
                                   v1::ComplaintCase* response) override;
  grpc::Status AnswerCoordination(grpc::ServerContext* context,
                                  const v1::AnswerCoordinationRequest* request,
                                  v1::ComplaintCase* response) override;
  grpc::Status Escalate(grpc::ServerContext* context, const v1::EscalateCaseRequest* request,
                        v1::ComplaintCase* response) override;
  grpc::Status RecordReturnVisit(grpc::ServerContext* context,
                                 const v1::RecordReturnVisitRequest* request,
                                 v1::ComplaintCase* response) override;
  grpc::Status ReopenCase(grpc::ServerContext* context, const v1::ReopenCaseRequest* request,
                          v1::ComplaintCase* response) override;
  grpc::Status GetIncidentContext(grpc::ServerContext* context,
                                  const v1::GetIncidentContextRequest* request,
                                  v1::IncidentContext* response) override;

 private:
  CaseDesk& desk_;
  IncidentIndex& incidents_;
  DeskActions actions_;
};

}  // namespace gridcare::complaint
