#include "incident_context.h"

#include <google/protobuf/util/message_differencer.h>

#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {
namespace {

v1::FieldProgress* ProgressFor(v1::IncidentContext& context, const std::string& work_order_id) {
  for (auto& progress : *context.mutable_field()) {
    if (progress.work_order_id() == work_order_id) return &progress;
  }
  auto* added = context.add_field();
  added->set_work_order_id(work_order_id);
  return added;
}

// The report as the progress it leads to (without the time).
v1::FieldProgress Reported(const v1::CrewEvent& event) {
  v1::FieldProgress next;
  switch (event.event_case()) {
    case v1::CrewEvent::kJobAccepted:
      next.set_crew_id(event.job_accepted().crew_id());
      next.set_stage(v1::FIELD_STAGE_ACCEPTED);
      break;
    case v1::CrewEvent::kJobDeclined:
      next.set_crew_id(event.job_declined().crew_id());
      next.set_stage(v1::FIELD_STAGE_DECLINED);
      next.set_decline_reason(event.job_declined().reason());
      break;
    case v1::CrewEvent::kEnRoute:
      next.set_crew_id(event.en_route().crew_id());
      next.set_stage(v1::FIELD_STAGE_EN_ROUTE);
      *next.mutable_estimate() = event.en_route().estimated_arrival_at();
      break;
    case v1::CrewEvent::kOnSite:
      next.set_crew_id(event.on_site().crew_id());
      next.set_stage(v1::FIELD_STAGE_ON_SITE);
      *next.mutable_estimate() = event.on_site().estimated_restoration_at();
      break;
    case v1::CrewEvent::kJobCompleted: {
      const auto& done = event.job_completed();
      next.set_crew_id(done.crew_id());
      next.set_stage(v1::FIELD_STAGE_COMPLETED);
      next.set_restored(done.restored());
      next.set_cause_code(done.cause_code());
      next.set_fix_code(done.fix_code());
      break;
    }
    default:
      break;
  }
  return next;
}

}  // namespace

void ApplyIncident(v1::IncidentContext& context, const v1::Incident& incident) {
  *context.mutable_incident() = incident;
  context.mutable_incident()->clear_ticket_ids();
  if (!incident.work_order_id().empty()) {
    auto* progress = ProgressFor(context, incident.work_order_id());
    if (progress->crew_id().empty()) progress->set_crew_id(incident.crew_id());
  }
}

std::optional<std::string> CrewEventWorkOrder(const v1::CrewEvent& event) {
  switch (event.event_case()) {
    case v1::CrewEvent::kJobAccepted:
      return event.job_accepted().work_order_id();
    case v1::CrewEvent::kJobDeclined:
      return event.job_declined().work_order_id();
    case v1::CrewEvent::kEnRoute:
      return event.en_route().work_order_id();
    case v1::CrewEvent::kOnSite:
      return event.on_site().work_order_id();
    case v1::CrewEvent::kJobCompleted:
      return event.job_completed().work_order_id();
    default:
      return std::nullopt;
  }
}

bool ApplyCrewEvent(v1::IncidentContext& context, const v1::CrewEvent& event, core::TimePoint at) {
  const auto work_order = CrewEventWorkOrder(event);
  if (!work_order || work_order->empty()) return false;
  v1::FieldProgress next = Reported(event);
  *next.mutable_updated_at() = sla::ToTimestamp(at);
  next.set_work_order_id(*work_order);
  v1::FieldProgress* held = ProgressFor(context, *work_order);
  if (held->stage() != v1::FIELD_STAGE_UNSPECIFIED) {
    const core::TimePoint held_at = sla::FromTimestamp(held->updated_at());
    if (at < held_at) return false;
    if (at == held_at && next.stage() <= held->stage()) {
      return false;  // a repeat, or an earlier stage reported in the same instant
    }
  }
  if (google::protobuf::util::MessageDifferencer::Equals(*held, next)) return false;
  *held = std::move(next);
  return true;
}

}  // namespace gridcare::complaint
