#include "event_handlers.h"

#include <chrono>

#include "gridcare/kafka/event_decoding.h"

namespace gridcare::notification {
namespace {

constexpr auto kMemoTtl = std::chrono::hours(24 * 30);

kafka::HandleResult FromStatus(const core::Status& status) {
  if (status) return kafka::HandleResult::Done();
  // A notice that cannot be written is a configuration fault: retrying cannot help.
  if (status.error().kind == core::ErrorKind::kFailedPrecondition ||
      status.error().kind == core::ErrorKind::kNotFound ||
      status.error().kind == core::ErrorKind::kInvalidArgument) {
    return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kPermanentError,
                                           "notice cannot be written: " + status.error().message);
  }
  return kafka::HandleResult::FromError(status.error(), "dependency_error");
}

}  // namespace

std::string DispatchSubject(const v1::DispatchEvent& event) {
  switch (event.event_case()) {
    case v1::DispatchEvent::kIncidentOpened:
      return event.incident_opened().incident().incident_id();
    case v1::DispatchEvent::kIncidentUpdated:
      return event.incident_updated().incident().incident_id();
    case v1::DispatchEvent::kIncidentRolledUp:
      return event.incident_rolled_up().incident().incident_id();
    case v1::DispatchEvent::kIncidentRestored:
      return event.incident_restored().incident().incident_id();
    case v1::DispatchEvent::kPlannedOutageRegistered:
      return event.planned_outage_registered().planned_outage().planned_outage_id();
    default:
      return "";
  }
}

kafka::HandleResult NotificationEventHandler::Notify(
    const std::vector<NotificationIntent>& intents, const kafka::ConsumedMessage& message) {
  if (intents.empty()) return kafka::HandleResult::Done();
  return FromStatus(fan_out_.Notify(intents, kafka::SourceEventId(message),
                                    std::string(message.Header("traceparent").value_or(""))));
}

kafka::HandleResult NotificationEventHandler::Intake(const v1::IntakeEvent& event,
                                                     const kafka::ConsumedMessage& message) {
  return Notify(rules_.OnIntake(event, clock_.Now()), message);
}

kafka::HandleResult NotificationEventHandler::Complaint(const v1::ComplaintEvent& event,
                                                        const kafka::ConsumedMessage& message) {
  return Notify(rules_.OnComplaint(event, clock_.Now()), message);
}

kafka::HandleResult NotificationEventHandler::Alert(const v1::AlertEvent& event,
                                                    const kafka::ConsumedMessage& message) {
  return Notify(rules_.OnAlert(event, clock_.Now()), message);
}

kafka::HandleResult NotificationEventHandler::Dispatch(const v1::DispatchEvent& event,
                                                       const kafka::ConsumedMessage& message) {
  const std::string subject = DispatchSubject(event);
  if (subject.empty()) return kafka::HandleResult::Done();
  const std::string memo_key = "incident:" + subject;
  auto stored = store_.GetMemo(memo_key);
  if (!stored) return kafka::HandleResult::FromError(stored.error(), "redis_error");
  IncidentMemo memo;
  if (stored->has_value()) {
    auto decoded = IncidentMemo::Decode(**stored);
    if (decoded) memo = std::move(*decoded);
  }
  auto outcome = rules_.OnDispatch(event, memo, clock_.Now());
  auto notified = Notify(outcome.intents, message);
  if (notified.disposition != kafka::HandleResult::Disposition::kDone) return notified;
  // The memo only after the notices are stored: a crash in between re-announces, and the
  // notification ids make the repeat a no-op.
  if (auto saved = store_.PutMemo(memo_key, outcome.memo.Encode(), kMemoTtl); !saved) {
    return kafka::HandleResult::FromError(saved.error(), "redis_error");
  }
  return kafka::HandleResult::Done();
}

}  // namespace gridcare::notification
