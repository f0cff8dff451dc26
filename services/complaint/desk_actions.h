#pragma once

// The department desk's actions — ComplaintService's mutating calls — as one table: each is
// CaseDesk::Act applying its CaseRules action to the stored case. The gRPC service
// (complaint_grpc_service) and the web desk (desk_http) both answer through it, so the two
// cannot drift apart.

#include <string>
#include <string_view>

#include "case_desk.h"
#include "case_rules.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint {

/// Thread-safe (CaseDesk serialises the inputs of one case). Errors: INVALID_ARGUMENT naming the
/// field (a missing case id: "case_id", "contact.case_id", "reply.case_id", "visit.case_id"),
/// NOT_FOUND, FAILED_PRECONDITION, PERMISSION_DENIED from the rules.
class DeskActions {
 public:
  /// Both must outlive the DeskActions.
  DeskActions(CaseDesk& desk, const CaseRules& rules) : desk_(desk), rules_(rules) {}

  core::Result<v1::ComplaintCase> Take(const v1::TakeCaseRequest& r) const;
  core::Result<v1::ComplaintCase> Assign(const v1::AssignCaseRequest& r) const;
  core::Result<v1::ComplaintCase> ContactAttempt(const v1::RecordContactAttemptRequest& r) const;
  core::Result<v1::ComplaintCase> Contact(const v1::RecordContactRequest& r) const;
  core::Result<v1::ComplaintCase> Pause(const v1::PauseCaseRequest& r) const;
  core::Result<v1::ComplaintCase> Resume(const v1::ResumeCaseRequest& r) const;
  core::Result<v1::ComplaintCase> Reply(const v1::RecordReplyRequest& r) const;
  core::Result<v1::ComplaintCase> Return(const v1::ReturnCaseRequest& r) const;
  core::Result<v1::ComplaintCase> RequestCoordination(
      const v1::RequestCoordinationRequest& r) const;
  core::Result<v1::ComplaintCase> AnswerCoordination(const v1::AnswerCoordinationRequest& r) const;
  core::Result<v1::ComplaintCase> Escalate(const v1::EscalateCaseRequest& r) const;
  core::Result<v1::ComplaintCase> ReturnVisit(const v1::RecordReturnVisitRequest& r) const;
  core::Result<v1::ComplaintCase> Reopen(const v1::ReopenCaseRequest& r) const;

 private:
  /// `field` names where the case id was looked for (for the error when it is empty).
  core::Result<v1::ComplaintCase> Run(std::string_view field, const std::string& case_id,
                                      const std::string& request_id, std::string_view action,
                                      const CaseDesk::Action& apply) const;

  CaseDesk& desk_;
  const CaseRules& rules_;
};

}  // namespace gridcare::complaint
