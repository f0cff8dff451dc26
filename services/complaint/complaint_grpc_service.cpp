#include "complaint_grpc_service.h"

#include "gridcare/rpc/status.h"

namespace gridcare::complaint {
namespace {

grpc::Status MissingCaseId() {
  return rpc::ToGrpcStatus(core::InvalidArgument("case_id is required"));
}

}  // namespace

grpc::Status ComplaintGrpcService::Run(const std::string& case_id, const std::string& request_id,
                                       std::string_view action, const CaseDesk::Action& apply,
                                       v1::ComplaintCase* response) {
  if (case_id.empty()) return MissingCaseId();
  auto result = desk_.Act(case_id, request_id, action, apply);
  if (!result) return rpc::ToGrpcStatus(result.error());
  *response = std::move(*result);
  return grpc::Status::OK;
}

grpc::Status ComplaintGrpcService::GetCase(grpc::ServerContext* /*context*/,
                                           const v1::GetCaseRequest* request,
                                           v1::ComplaintCase* response) {
  if (request->case_id().empty()) return MissingCaseId();
  auto result = desk_.Get(request->case_id());
  if (!result) return rpc::ToGrpcStatus(result.error());
  *response = std::move(*result);
  return grpc::Status::OK;
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
  return Run(
      request->case_id(), request->request_id(), "take",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.Take(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::AssignCase(grpc::ServerContext* /*context*/,
                                              const v1::AssignCaseRequest* request,
                                              v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "assign",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.Assign(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::RecordContactAttempt(
    grpc::ServerContext* /*context*/, const v1::RecordContactAttemptRequest* request,
    v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "contact_attempt",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.ContactAttempt(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::RecordContact(grpc::ServerContext* /*context*/,
                                                 const v1::RecordContactRequest* request,
                                                 v1::ComplaintCase* response) {
  return Run(
      request->contact().case_id(), request->request_id(), "contact",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.Contact(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::PauseCase(grpc::ServerContext* /*context*/,
                                             const v1::PauseCaseRequest* request,
                                             v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "pause",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.Pause(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::ResumeCase(grpc::ServerContext* /*context*/,
                                              const v1::ResumeCaseRequest* request,
                                              v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "resume",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar& calendar) {
        return rules_.Resume(std::move(stored), *request, now, calendar);
      },
      response);
}

grpc::Status ComplaintGrpcService::RecordReply(grpc::ServerContext* /*context*/,
                                               const v1::RecordReplyRequest* request,
                                               v1::ComplaintCase* response) {
  return Run(
      request->reply().case_id(), request->request_id(), "reply",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.Reply(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::ReturnCase(grpc::ServerContext* /*context*/,
                                              const v1::ReturnCaseRequest* request,
                                              v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "return",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.Return(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::RequestCoordination(
    grpc::ServerContext* /*context*/, const v1::RequestCoordinationRequest* request,
    v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "coordinate",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar& calendar) {
        return rules_.RequestCoordination(std::move(stored), *request, now, calendar);
      },
      response);
}

grpc::Status ComplaintGrpcService::AnswerCoordination(grpc::ServerContext* /*context*/,
                                                      const v1::AnswerCoordinationRequest* request,
                                                      v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "answer_part",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.AnswerCoordination(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::Escalate(grpc::ServerContext* /*context*/,
                                            const v1::EscalateCaseRequest* request,
                                            v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "escalate",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar&) {
        return rules_.Escalate(std::move(stored), *request, now);
      },
      response);
}

grpc::Status ComplaintGrpcService::RecordReturnVisit(grpc::ServerContext* /*context*/,
                                                     const v1::RecordReturnVisitRequest* request,
                                                     v1::ComplaintCase* response) {
  return Run(
      request->visit().case_id(), request->request_id(), "return_visit",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar& calendar) {
        return rules_.ReturnVisit(std::move(stored), *request, now, calendar);
      },
      response);
}

grpc::Status ComplaintGrpcService::ReopenCase(grpc::ServerContext* /*context*/,
                                              const v1::ReopenCaseRequest* request,
                                              v1::ComplaintCase* response) {
  return Run(
      request->case_id(), request->request_id(), "reopen",
      [&](v1::StoredCase stored, core::TimePoint now, const sla::WorkingCalendar& calendar) {
        return rules_.Reopen(std::move(stored), *request, now, calendar);
      },
      response);
}

}  // namespace gridcare::complaint
