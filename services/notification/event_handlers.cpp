#include "event_handlers.h"

#include <chrono>

#include "gridcare/kafka/event_decoding.h"

namespace gridcare::notification {
namespace {

constexpr auto kMemoTtl = std::chrono::hours(24 * 30);
constexpr auto kRequesterTtl = std::chrono::hours(24 * 7);

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

kafka::HandleResult RedisError(const core::Error& error) {
  return kafka::HandleResult::FromError(error, "redis_error");
}

}  // namespace

kafka::HandleResult NotificationEventHandler::Apply(const TriggerOutcome& outcome,
                                                    const kafka::ConsumedMessage& message) {
  const std::string now_ms = std::to_string(core::ToUnixMillis(clock_.Now()));
  for (const auto& withdrawal : outcome.withdrawals) {
    if (auto status = store_.PutMemo(
            WithdrawalMemoKey(withdrawal.subject_id, withdrawal.template_id), now_ms, kMemoTtl);
        !status) {
      return RedisError(status.error());
    }
  }
  if (outcome.intents.empty()) return kafka::HandleResult::Done();
  return FromStatus(fan_out_.Notify(outcome.intents, kafka::SourceEventId(message),
                                    std::string(message.Header("traceparent").value_or(""))));
}

kafka::HandleResult NotificationEventHandler::Request(const v1::RequestEvent& event,
                                                      const kafka::ConsumedMessage& /*message*/) {
  const auto& request = event.submitted();
  const std::string phone =
      !request.callback_phone().empty() ? request.callback_phone() : request.customer().phone();
  if (request.request_id().empty() || phone.empty()) return kafka::HandleResult::Done();
  if (auto status = store_.PutMemo(RequesterMemoKey(request.request_id()), phone, kRequesterTtl);
      !status) {
    return RedisError(status.error());
  }
  return kafka::HandleResult::Done();
}

kafka::HandleResult NotificationEventHandler::Intake(const v1::IntakeEvent& event,
                                                     const kafka::ConsumedMessage& message) {
  if (event.has_ticket_opened()) {
    const auto& ticket = event.ticket_opened().ticket();
    const std::string owner = !ticket.customer_id().empty()  ? "c:" + ticket.customer_id()
                              : !ticket.request_id().empty() ? "r:" + ticket.request_id()
                                                             : "";
    if (!ticket.ticket_id().empty() && !owner.empty()) {
      if (auto status = store_.PutMemo(TicketMemoKey(ticket.ticket_id()), owner, kMemoTtl);
          !status) {
        return RedisError(status.error());
      }
    }
  }
  return Apply(rules_.OnIntake(event, clock_.Now()), message);
}

kafka::HandleResult NotificationEventHandler::Alert(const v1::AlertEvent& event,
                                                    const kafka::ConsumedMessage& message) {
  return Apply(rules_.OnAlert(event, clock_.Now()), message);
}

kafka::HandleResult NotificationEventHandler::Dispatch(const v1::DispatchEvent& event,
                                                       const kafka::ConsumedMessage& message) {
  const std::string key = TriggerRules::MemoKey(event);
  IncidentMemo memo;
  if (!key.empty()) {
    auto stored = store_.GetMemo("incident:" + key);
    if (!stored) return RedisError(stored.error());
    if (stored->has_value()) {
      if (auto decoded = IncidentMemo::Decode(**stored)) memo = std::move(*decoded);
    }
  }
  const auto outcome = rules_.OnDispatch(event, memo, clock_.Now());
  auto applied = Apply(outcome, message);
  if (applied.disposition != kafka::HandleResult::Disposition::kDone || key.empty()) {
    return applied;
  }
  // The memo only after the notices are stored: a crash in between announces again, and the
  // notification ids make the repeat a no-op.
  if (auto saved = store_.PutMemo("incident:" + key, outcome.memo.Encode(), kMemoTtl); !saved) {
    return RedisError(saved.error());
  }
  return kafka::HandleResult::Done();
}

kafka::HandleResult NotificationEventHandler::Complaint(const v1::ComplaintEvent& event,
                                                        const kafka::ConsumedMessage& message) {
  const std::string case_id = TriggerRules::CaseId(event);
  CaseMemo memo;
  if (!case_id.empty()) {
    auto stored = store_.GetMemo("case:" + case_id);
    if (!stored) return RedisError(stored.error());
    if (stored->has_value()) {
      if (auto decoded = CaseMemo::Decode(**stored)) memo = std::move(*decoded);
    }
  }
  const auto outcome = rules_.OnComplaint(event, memo, clock_.Now());
  auto applied = Apply(outcome, message);
  if (applied.disposition != kafka::HandleResult::Disposition::kDone || case_id.empty()) {
    return applied;
  }
  if (auto saved = store_.PutMemo("case:" + case_id, outcome.memo.Encode(), kMemoTtl); !saved) {
    return RedisError(saved.error());
  }
  return kafka::HandleResult::Done();
}

}  // namespace gridcare::notification
