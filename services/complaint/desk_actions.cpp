#include "desk_actions.h"

namespace gridcare::complaint {

using Calendar = CalendarBook;

core::Result<v1::ComplaintCase> DeskActions::Run(std::string_view field, const std::string& case_id,
                                                 const std::string& request_id,
                                                 std::string_view action,
                                                 const CaseDesk::Action& apply) const {
  if (case_id.empty()) return core::InvalidArgument(std::string(field) + " is required");
  return desk_.Act(case_id, request_id, action, apply);
}

core::Result<v1::ComplaintCase> DeskActions::Take(const v1::TakeCaseRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "take",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.Take(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::Assign(const v1::AssignCaseRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "assign",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.Assign(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::ContactAttempt(
    const v1::RecordContactAttemptRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "contact_attempt",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.ContactAttempt(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::Contact(const v1::RecordContactRequest& r) const {
  return Run("contact.case_id", r.contact().case_id(), r.request_id(), "contact",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.Contact(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::Pause(const v1::PauseCaseRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "pause",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.Pause(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::Resume(const v1::ResumeCaseRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "resume",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar& calendar) {
               return rules_.Resume(std::move(stored), r, now, calendar);
             });
}

core::Result<v1::ComplaintCase> DeskActions::Reply(const v1::RecordReplyRequest& r) const {
  return Run("reply.case_id", r.reply().case_id(), r.request_id(), "reply",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.Reply(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::Return(const v1::ReturnCaseRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "return",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.Return(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::RequestCoordination(
    const v1::RequestCoordinationRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "coordinate",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar& calendar) {
               return rules_.RequestCoordination(std::move(stored), r, now, calendar);
             });
}

core::Result<v1::ComplaintCase> DeskActions::AnswerCoordination(
    const v1::AnswerCoordinationRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "answer_part",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.AnswerCoordination(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::Escalate(const v1::EscalateCaseRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "escalate",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar&) {
               return rules_.Escalate(std::move(stored), r, now);
             });
}

core::Result<v1::ComplaintCase> DeskActions::ReturnVisit(
    const v1::RecordReturnVisitRequest& r) const {
  return Run("visit.case_id", r.visit().case_id(), r.request_id(), "return_visit",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar& calendar) {
               return rules_.ReturnVisit(std::move(stored), r, now, calendar);
             });
}

core::Result<v1::ComplaintCase> DeskActions::Reopen(const v1::ReopenCaseRequest& r) const {
  return Run("case_id", r.case_id(), r.request_id(), "reopen",
             [&](v1::StoredCase stored, core::TimePoint now, const Calendar& calendar) {
               return rules_.Reopen(std::move(stored), r, now, calendar);
             });
}

}  // namespace gridcare::complaint
