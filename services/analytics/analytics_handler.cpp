#include "analytics_handler.h"

#include <optional>
#include <set>
#include <variant>

#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/v1/alert.pb.h"
#include "warning_book.h"

namespace gridcare::analytics {
namespace {

using Event = std::variant<std::monostate, v1::IntakeEvent, v1::DispatchEvent, v1::ComplaintEvent,
                           v1::NotificationEvent, v1::AlertEvent>;

struct Decoded {
  std::optional<kafka::HandleResult> poison;
  Event event;
  std::string event_id;
};

template <typename T>
Decoded DecodeAs(const kafka::ConsumedMessage& message) {
  Decoded decoded;
  T event;
  if (auto poison = kafka::DecodeEvent(message, event)) {
    decoded.poison = std::move(poison);
    return decoded;
  }
  decoded.event = std::move(event);
  decoded.event_id = kafka::SourceEventId(message);
  return decoded;
}

Decoded Decode(const kafka::ConsumedMessage& message) {
  if (message.topic == kafka::kIntakeTopic) return DecodeAs<v1::IntakeEvent>(message);
  if (message.topic == kafka::kDispatchTopic) return DecodeAs<v1::DispatchEvent>(message);
  if (message.topic == kafka::kComplaintTopic) return DecodeAs<v1::ComplaintEvent>(message);
  if (message.topic == kafka::kNotificationTopic) return DecodeAs<v1::NotificationEvent>(message);
  if (message.topic == kafka::kAlertTopic) return DecodeAs<v1::AlertEvent>(message);
  Decoded decoded;
  decoded.poison = kafka::UnexpectedTopic(message.topic, "an analytics input topic");
  return decoded;
}

std::string AlertIdOf(const v1::AlertEvent& event) {
  switch (event.event_case()) {
    case v1::AlertEvent::kRaised:
      return event.raised().alert_id();
    case v1::AlertEvent::kCleared:
      return event.cleared().alert_id();
    case v1::AlertEvent::kAcknowledged:
      return event.acknowledged().alert_id();
    case v1::AlertEvent::kClosed:
      return event.closed().alert_id();
    case v1::AlertEvent::kEscalated:
      return event.escalated().alert_id();
    case v1::AlertEvent::kRemonitored:
      return event.remonitored().alert_id();
    default:
      return {};
  }
}

/// What the events of a batch that still need applying name: their tickets and warnings.
struct Needs {
  std::set<std::string> tickets;
  std::set<std::string> warnings;
};

void CollectNeeds(const Event& event, Needs& needs) {
  std::vector<std::string> tickets;
  if (const auto* intake = std::get_if<v1::IntakeEvent>(&event)) {
    tickets = KpiLedger::TicketsNamed(*intake);
  } else if (const auto* dispatch = std::get_if<v1::DispatchEvent>(&event)) {
    tickets = KpiLedger::TicketsNamed(*dispatch);
  } else if (const auto* alert = std::get_if<v1::AlertEvent>(&event)) {
    if (auto id = AlertIdOf(*alert); !id.empty()) needs.warnings.insert(std::move(id));
  }
  needs.tickets.insert(tickets.begin(), tickets.end());
}

/// The warnings a batch reads and writes, as they stand after each event.
using WarningStates = std::map<std::string, std::optional<v1::StoredWarning>>;

Effects AlertEffects(const v1::AlertEvent& event, WarningStates& warnings) {
  Effects effects;
  const std::string id = AlertIdOf(event);
  if (id.empty()) return effects;
  auto& current = warnings[id];
  auto next = WarningBook::Apply(current, event);
  if (!next) return effects;
  effects.warnings.emplace(id, next->SerializeAsString());
  current = std::move(next);
  return effects;
}

}  // namespace

kafka::HandleResult AnalyticsEventHandler::Handle(const kafka::ConsumedMessage& message) {
  auto results = Process(std::span<const kafka::ConsumedMessage>(&message, 1));
  if (!results) return kafka::HandleResult::FromError(results.error(), "redis_error");
  return results->front();
}

std::vector<kafka::HandleResult> AnalyticsEventHandler::HandleBatch(
    std::span<const kafka::ConsumedMessage> messages) {
  auto results = Process(messages);
  if (!results) return {};  // each message again through Handle, which retries
  return std::move(*results);
}

core::Result<std::vector<kafka::HandleResult>> AnalyticsEventHandler::Process(
    std::span<const kafka::ConsumedMessage> messages) {
  std::vector<kafka::HandleResult> results(messages.size(), kafka::HandleResult::Done());
  std::vector<Decoded> decoded;
  decoded.reserve(messages.size());
  std::vector<std::string> ids;
  for (size_t i = 0; i < messages.size(); ++i) {
    decoded.push_back(Decode(messages[i]));
    if (decoded.back().poison) results[i] = *decoded.back().poison;
    ids.push_back(decoded.back().event_id);  // "" for poison: never looked at
  }
  auto applied = store_.Applied(ids);
  if (!applied) return applied.error();
  // A record twice in one batch (a producer's retry): the second is a duplicate of the first.
  std::set<std::string_view> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!decoded[i].poison && !seen.insert(ids[i]).second) (*applied)[i] = true;
  }
  Needs needs;
  for (size_t i = 0; i < decoded.size(); ++i) {
    if (!decoded[i].poison && !(*applied)[i]) CollectNeeds(decoded[i].event, needs);
  }
  auto memos = store_.Tickets({needs.tickets.begin(), needs.tickets.end()});
  if (!memos) return memos.error();
  WarningStates warnings;
  for (const auto& id : needs.warnings) {
    auto stored = store_.Warning(id);
    if (!stored) return stored.error();
    auto& state = warnings[id];
    if (*stored) {
      v1::StoredWarning warning;
      if (warning.ParseFromString(**stored)) state = std::move(warning);
    }
  }
  std::vector<EventEffects> batch;
  std::vector<bool> unmatched(messages.size(), false);
  for (size_t i = 0; i < decoded.size(); ++i) {
    if (decoded[i].poison || (*applied)[i]) continue;
    Effects effects = std::visit(
        [&](const auto& event) -> Effects {
          using T = std::decay_t<decltype(event)>;
          if constexpr (std::is_same_v<T, v1::IntakeEvent>) return ledger_.Intake(event, *memos);
          if constexpr (std::is_same_v<T, v1::DispatchEvent>) {
            return ledger_.Dispatch(event, *memos);
          }
          if constexpr (std::is_same_v<T, v1::ComplaintEvent>) return ledger_.Complaint(event);
          if constexpr (std::is_same_v<T, v1::NotificationEvent>) {
            return ledger_.Notification(event);
          }
          if constexpr (std::is_same_v<T, v1::AlertEvent>) return AlertEffects(event, warnings);
          return Effects{};
        },
        decoded[i].event);
    for (const auto& [ticket_id, memo] : effects.tickets) (*memos)[ticket_id] = memo;
    unmatched[i] = effects.unmatched;
    batch.push_back({decoded[i].event_id, std::move(effects)});
  }
  auto done = store_.Apply(batch);
  if (!done) return done.error();
  if (metrics_ != nullptr) {
    for (size_t i = 0; i < messages.size(); ++i) {
      if (decoded[i].poison) continue;
      metrics_->Event(messages[i].topic, !(*applied)[i]);
      if (unmatched[i]) metrics_->Unmatched(messages[i].topic);
    }
  }
  return results;
}

}  // namespace gridcare::analytics
