#pragma once

#include <string>
#include <variant>

#include "classifier.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/sla/live_calendar.h"
#include "gridcare/sla/standards.h"
#include "gridcare/v1/intake.pb.h"
#include "knowledge_base.h"
#include "priority_rules.h"
#include "profile_directory.h"
#include "request_validation.h"
#include "ticket_store.h"
#include "urging_rules.h"

namespace gridcare::intake {

/// Everything intake decides with, loaded at start from configuration files.
struct IntakeRules {
  UrgingRules urging;
  PriorityRules priority;
  sla::ServiceStandards standards;
  ValidationLimits limits;
};

/// The outcome of one request: a response (ticket opened, contact attached, answered) or a typed
/// rejection. Environment failures (Redis, profile service) come back as a retryable core::Error.
using SubmitResult = std::variant<v1::SubmitResponse, Rejection>;

/// Intake's decisions: turns each request into exactly one outcome and publishes the intake events
/// for it. Effects are idempotent per request id: a retried or redelivered request gets the same
/// ticket and re-publishes the same events (same ids; consumers drop the copies). Events are handed
/// to the publisher without waiting: callers that answer a customer flush first.
/// Working-day clocks use the calendar in force when the ticket opens (`calendar` may be a
/// sla::LiveCalendar that reloads replace). Thread-safe; every collaborator must outlive it.
class IntakeCore {
 public:
  IntakeCore(ProfileDirectory& profiles, TicketStore& store, kafka::EventPublisher& publisher,
             const Classifier& classifier, const KnowledgeBase& knowledge,
             sla::CalendarView calendar, IntakeRules rules, const core::Clock& clock);

  core::Result<SubmitResult> Submit(const v1::ServiceRequest& request);
  /// "Where is my request?": the ticket and every step so far. NOT_FOUND when unknown.
  core::Result<v1::TrackResponse> Track(const v1::TrackRequest& request);

 private:
  struct Context;
  core::Result<SubmitResult> Decide(Context& context);
  core::Result<SubmitResult> Answer(Context& context, const KnowledgeAnswer& answer);
  core::Result<SubmitResult> Attach(Context& context, const v1::Ticket& ticket, bool urging,
                                    const std::string& reason);
  core::Result<SubmitResult> Open(Context& context);
  core::Result<SubmitResult> Reject(Context& context, Rejection rejection);
  /// Adds an event to the request's record (its id derived from the request), unpublished.
  const v1::RecordedIntakeEvent& Stage(Context& context, const std::string& ce_type,
                                       const std::string& key, const std::string& discriminator,
                                       v1::IntakeEvent event);
  core::Status Publish(const Context& context, const v1::RecordedIntakeEvent& recorded);
  /// Stage, then publish at once (rejections, whose record is written after).
  core::Status Emit(Context& context, const std::string& ce_type, const std::string& key,
                    const std::string& discriminator, v1::IntakeEvent event);
  /// Completes a request that was rejected: only its record is written.
  core::Status Finish(Context& context, v1::SubmitResponse response);
  /// Completes a decided request: its ticket, timeline step and record (with the staged events)
  /// are written together, then the staged events are published. Writing first means no
  /// downstream reaction can reach a ticket intake has not stored; if publishing fails, the
  /// retry finds the completed record and publishes the same events again.
  core::Status Conclude(Context& context, const v1::Ticket& ticket, const std::string& entry_id,
                        const v1::TimelineEntry& entry, v1::SubmitResponse response);

  ProfileDirectory& profiles_;
  TicketStore& store_;
  kafka::EventPublisher& publisher_;
  const Classifier& classifier_;
  const KnowledgeBase& knowledge_;
  sla::CalendarView calendar_;  // a LiveCalendar in the service: reloads take effect at once
  IntakeRules rules_;
  const core::Clock& clock_;
};

/// The event id intake uses for the `discriminator` event of `request_id` (stable across retries).
std::string IntakeEventId(const std::string& request_id, const std::string& discriminator);

}  // namespace gridcare::intake
