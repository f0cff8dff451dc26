#include "complaint_metrics.h"

namespace gridcare::complaint {
namespace {

constexpr v1::RequestType kTypes[] = {v1::REQUEST_TYPE_COMPLAINT,   v1::REQUEST_TYPE_REPORT,
                                      v1::REQUEST_TYPE_OPINION,     v1::REQUEST_TYPE_SUGGESTION,
                                      v1::REQUEST_TYPE_PRAISE,      v1::REQUEST_TYPE_CONSULTATION,
                                      v1::REQUEST_TYPE_FAULT_REPAIR};
constexpr std::string_view kClosures[] = {"resolved", "return_visit_unreachable",
                                          "no_visit_required"};
constexpr std::string_view kClocks[] = {"contact", "reply", "part"};
constexpr std::string_view kSteps[] = {"reminder", "level1", "level2", "level3"};
constexpr std::string_view kActions[] = {
    "take",   "assign",     "contact_attempt", "contact",  "pause",        "resume", "reply",
    "return", "coordinate", "answer_part",     "escalate", "return_visit", "reopen"};
constexpr std::string_view kOutcomes[] = {"ok", "rejected", "error"};

std::string_view ClosureLabel(v1::CaseClosure closure) {
  switch (closure) {
    case v1::CASE_CLOSURE_RESOLVED:
      return "resolved";
    case v1::CASE_CLOSURE_RETURN_VISIT_UNREACHABLE:
      return "return_visit_unreachable";
    case v1::CASE_CLOSURE_NO_VISIT_REQUIRED:
      return "no_visit_required";
    default:
      return "resolved";
  }
}

std::string_view ClockLabel(const v1::CaseDeadlineAlarm& alarm) {
  if (!alarm.coordination_department_id().empty()) return "part";
  // The consultation reply clock counts as "reply".
  return alarm.clock().kind() == v1::ServiceClock::KIND_COMPLAINT_CONTACT ? "contact" : "reply";
}

std::string StepLabel(const v1::CaseDeadlineAlarm& alarm) {
  if (!alarm.overdue()) return "reminder";
  return "level" + std::to_string(std::min(3, std::max(1, alarm.supervision_level())));
}

}  // namespace

std::string_view TypeLabel(v1::RequestType type) {
  switch (type) {
    case v1::REQUEST_TYPE_COMPLAINT:
      return "complaint";
    case v1::REQUEST_TYPE_REPORT:
      return "report";
    case v1::REQUEST_TYPE_OPINION:
      return "opinion";
    case v1::REQUEST_TYPE_SUGGESTION:
      return "suggestion";
    case v1::REQUEST_TYPE_PRAISE:
      return "praise";
    case v1::REQUEST_TYPE_CONSULTATION:
      return "consultation";
    case v1::REQUEST_TYPE_FAULT_REPAIR:
      return "fault_repair";
    default:
      return "other";
  }
}

ComplaintMetrics::ComplaintMetrics(prometheus::Registry& registry,
                                   const std::vector<std::string>& departments)
    : opened_(&prometheus::BuildCounter()
                   .Name("gridcare_complaint_cases_opened_total")
                   .Help("Complaint cases opened, by request type (fault_repair: sampled return "
                         "visits).")
                   .Register(registry)),
      closed_(&prometheus::BuildCounter()
                   .Name("gridcare_complaint_cases_closed_total")
                   .Help("Complaint cases closed, by how they ended.")
                   .Register(registry)),
      alarms_(&prometheus::BuildCounter()
                   .Name("gridcare_complaint_alarms_total")
                   .Help("Reminders before and supervision-ladder steps after case deadlines.")
                   .Register(registry)),
      desk_(&prometheus::BuildCounter()
                 .Name("gridcare_complaint_desk_actions_total")
                 .Help("Department desk actions by outcome (rejected: a typed error to the "
                       "caller).")
                 .Register(registry)),
      open_(&prometheus::BuildGauge()
                 .Name("gridcare_complaint_open_cases")
                 .Help("Open complaint cases per owning department.")
                 .Register(registry)) {
  reopened_ = &prometheus::BuildCounter()
                   .Name("gridcare_complaint_reopened_total")
                   .Help("Cases reopened (dissatisfied or unresolved return visit, or by hand).")
                   .Register(registry)
                   .Add({});
  relayed_ = &prometheus::BuildCounter()
                  .Name("gridcare_complaint_events_relayed_total")
                  .Help(
                      "Saved case events published by the background relay after a failed "
                      "flush or a restart.")
                  .Register(registry)
                  .Add({});
  for (const auto type : kTypes) opened_->Add({{"type", std::string(TypeLabel(type))}});
  for (const auto closure : kClosures) closed_->Add({{"closure", std::string(closure)}});
  for (const auto clock : kClocks) {
    for (const auto step : kSteps)
      alarms_->Add({{"clock", std::string(clock)}, {"step", std::string(step)}});
  }
  for (const auto action : kActions) {
    for (const auto outcome : kOutcomes) {
      desk_->Add({{"action", std::string(action)}, {"outcome", std::string(outcome)}});
    }
  }
  for (const auto& department : departments) open_->Add({{"department", department}});
}

void ComplaintMetrics::Count(const v1::ComplaintEvent& event) {
  switch (event.event_case()) {
    case v1::ComplaintEvent::kCaseOpened:
      opened_
          ->Add({{"type",
                  std::string(TypeLabel(event.case_opened().complaint_case().request_type()))}})
          .Increment();
      break;
    case v1::ComplaintEvent::kCaseClosed:
      closed_
          ->Add({{"closure",
                  std::string(ClosureLabel(event.case_closed().complaint_case().closure()))}})
          .Increment();
      break;
    case v1::ComplaintEvent::kDeadlineAlarm:
      alarms_
          ->Add({{"clock", std::string(ClockLabel(event.deadline_alarm()))},
                 {"step", StepLabel(event.deadline_alarm())}})
          .Increment();
      break;
    case v1::ComplaintEvent::kCaseReopened:
      reopened_->Increment();
      break;
    default:
      break;
  }
}

void ComplaintMetrics::DeskAction(std::string_view action, std::string_view outcome) {
  desk_->Add({{"action", std::string(action)}, {"outcome", std::string(outcome)}}).Increment();
}

void ComplaintMetrics::Relayed(int64_t events) { relayed_->Increment(static_cast<double>(events)); }

void ComplaintMetrics::SetOpenCases(const std::string& department, int64_t count) {
  open_->Add({{"department", department}}).Set(static_cast<double>(count));
}

}  // namespace gridcare::complaint
