#include "notice_sender.h"

#include <utility>

#include "fan_out.h"
#include "gridcare/logging/log.h"
#include "gridcare/sla/clocks.h"
#include "notification_events.h"
#include "recipient_planner.h"
#include "retry_schedule.h"

namespace gridcare::notification {

NoticeSender::NoticeSender(DeliveryStore& store, MessageGateway& gateway,
                           kafka::EventPublisher& publisher, const core::Clock& clock,
                           const DeliveryPolicy& policy, SenderSettings settings,
                           NotificationMetrics* metrics)
    : store_(store),
      gateway_(gateway),
      publisher_(publisher),
      clock_(clock),
      policy_(policy),
      settings_(settings),
      metrics_(metrics) {}

class NoticeSender::InFlight {
 public:
  InFlight(NoticeSender& sender, std::vector<std::string> ids)
      : sender_(sender), ids_(std::move(ids)) {
    std::lock_guard lock(sender_.in_flight_mutex_);
    sender_.in_flight_.insert(ids_.begin(), ids_.end());
  }
  /// Ends the round's flight (its sends are recorded) and hands over the reports that waited.
  std::vector<std::shared_ptr<EarlyReport>> TakeEarlyReports() { return End(); }
  /// A round that ends without recording its sends refuses the waiting reports as retryable.
  ~InFlight() {
    for (const auto& early : End()) {
      early->applied.set_value(core::Unavailable("notification " + early->report.notification_id +
                                                 " was not recorded as sent: post the report "
                                                 "again"));
    }
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::vector<std::shared_ptr<EarlyReport>> End() {
    std::vector<std::shared_ptr<EarlyReport>> early;
    {
      std::lock_guard lock(sender_.in_flight_mutex_);
      for (const std::string& id : ids_) {
        sender_.in_flight_.erase(id);
        auto found = sender_.early_reports_.find(id);
        if (found == sender_.early_reports_.end()) continue;
        for (auto& report : found->second) early.push_back(std::move(report));
        sender_.early_reports_.erase(found);
      }
    }
    return early;
  }

  NoticeSender& sender_;
  const std::vector<std::string> ids_;
};

core::Result<int> NoticeSender::SendDue() {
  const core::TimePoint now = clock_.Now();
  auto claimed = store_.ClaimDue(now, settings_.batch, settings_.lease);
  if (!claimed) return claimed.error();
  if (claimed->empty()) return 0;
  std::vector<OutgoingMessage> messages;
  std::vector<size_t> sendable;  // index into claimed
  std::vector<Step> steps;
  std::vector<std::string> ids;
  ids.reserve(claimed->size());
  for (const auto& record : *claimed) ids.push_back(record.notification_id());
  InFlight in_flight(*this, std::move(ids));
  std::map<std::string, int64_t> withdrawals;
  for (size_t i = 0; i < claimed->size(); ++i) {
    auto& record = (*claimed)[i];
    auto withdrawn = Withdrawn(record, withdrawals);
    if (!withdrawn) return withdrawn.error();
    if (*withdrawn) {
      Step step{record, std::nullopt, {}};
      step.record.set_state(v1::NOTIFICATION_STATE_WITHDRAWN);
      step.record.set_reason("withdrawn");
      v1::NotificationSuppressed suppressed;
      suppressed.set_notification_id(record.notification_id());
      suppressed.set_recipient_id(record.recipient_id());
      suppressed.set_template_id(record.template_id());
      suppressed.set_subject_id(record.subject_id());
      suppressed.set_reason("withdrawn");
      step.events.push_back(NotificationRecord(SuppressedEvent(suppressed),
                                               record.notification_id(), record.recipient_id(),
                                               "withdrawn", now, ""));
      if (metrics_ != nullptr) metrics_->Suppressed("withdrawn");
      steps.push_back(std::move(step));
      continue;
    }
    const std::string channel_name = CurrentChannel(record);
    const auto channel = ParseDeliveryChannel(channel_name);
    const auto address = record.addresses().find(channel_name);
    if (!channel || address == record.addresses().end() || address->second.empty()) {
      Step step{record, std::nullopt, {}};
      GiveUpChannel(step, "no address on this channel", v1::NOTIFICATION_STATE_FAILED, now);
      steps.push_back(std::move(step));
      continue;
    }
    messages.push_back({record.notification_id(), *channel, address->second, record.text(),
                        record.template_id(),
                        record.language() == v1::LANGUAGE_EN ? "en" : "zh-CN"});
    sendable.push_back(i);
  }
  const auto results = gateway_.SendAll(messages);
  const core::TimePoint answered = clock_.Now();
  for (size_t k = 0; k < sendable.size() && k < results.size(); ++k) {
    steps.push_back(AfterSend(std::move((*claimed)[sendable[k]]), results[k], answered));
  }
  if (auto committed = Commit(steps); !committed) return committed.error();
  // Reports that came in while these were being sent, applied in one commit; each waiting
  // callback is answered once its report is saved.
  auto early = in_flight.TakeEarlyReports();
  if (!early.empty()) ApplyEarlyReports(steps, early);
  return static_cast<int>(claimed->size());
}

void NoticeSender::ApplyEarlyReports(const std::vector<Step>& saved,
                                     const std::vector<std::shared_ptr<EarlyReport>>& early) {
  // The records as just saved: no store read, and one publish flush for all the reports (a
  // flush each, in a fan-out, held the next round back by a broker round trip per notice).
  std::map<std::string, const v1::StoredNotification*> records;
  for (const Step& step : saved) records.emplace(step.record.notification_id(), &step.record);
  const core::TimePoint now = clock_.Now();
  std::vector<Step> steps;
  steps.reserve(early.size());
  std::set<std::string> stepped;  // one step per notice: a second report is a repeat
  for (const auto& e : early) {
    const auto found = records.find(e->report.notification_id);
    if (found == records.end() || !Applies(*found->second, e->report) ||
        !stepped.insert(e->report.notification_id).second) {
      continue;
    }
    steps.push_back(AfterReport(*found->second, e->report, now));
  }
  const core::Status status = Commit(steps);
  if (!status) {
    logging::Warn("delivery reports not applied", {{"reports", std::to_string(steps.size())},
                                                   {"error", status.error().ToString()}});
  }
  for (const auto& e : early) e->applied.set_value(status);
}

NoticeSender::Step NoticeSender::AfterSend(v1::StoredNotification record, const SendResult& result,
                                           core::TimePoint now) {
  Step step{std::move(record), std::nullopt, {}};
  auto& n = step.record;
  const std::string channel = CurrentChannel(n);
  n.set_attempts(n.attempts() + 1);
  const RetryDecision decision =
      NextAttempt(result.outcome, n.notification_id(), n.attempts(), now, policy_.retry);
  switch (decision.verdict) {
    case RetryVerdict::kDelivered:
      n.set_state(v1::NOTIFICATION_STATE_SENT);
      n.set_provider_message_id(result.provider_message_id);
      *n.mutable_sent_at() = sla::ToTimestamp(now);
      n.clear_reason();
      step.events.push_back(NotificationRecord(SentEvent(n), n.notification_id(), n.recipient_id(),
                                               "sent/" + channel, now, ""));
      if (metrics_ != nullptr) metrics_->Sent(channel);
      break;
    case RetryVerdict::kRetryAt:
      n.set_reason(result.error_message.empty() ? "retrying" : result.error_message);
      step.next_due = decision.next_attempt_at;
      if (metrics_ != nullptr) metrics_->Retried(channel);
      break;
    case RetryVerdict::kPermanent:
    case RetryVerdict::kExhausted: {
      std::string reason = result.outcome.http_status
                               ? "HTTP " + std::to_string(*result.outcome.http_status)
                               : std::string("transport error");
      if (!result.error_message.empty()) reason += " " + result.error_message;
      if (decision.verdict == RetryVerdict::kExhausted) reason += " (attempts exhausted)";
      GiveUpChannel(step, reason, v1::NOTIFICATION_STATE_FAILED, now);
      break;
    }
  }
  return step;
}

void NoticeSender::GiveUpChannel(Step& step, const std::string& reason,
                                 v1::NotificationState final_state, core::TimePoint now) {
  auto& n = step.record;
  const std::string channel = CurrentChannel(n);
  const bool final = n.channel_index() + 1 >= n.channels_size();
  step.events.push_back(NotificationRecord(FailedEvent(n, channel, reason, final),
                                           n.notification_id(), n.recipient_id(),
                                           "failed/" + channel, now, ""));
  if (metrics_ != nullptr) metrics_->Failed(channel, final);
  n.set_reason(channel + ": " + reason);
  if (final) {
    n.set_state(final_state);
    step.next_due.reset();
    return;
  }
  n.set_channel_index(n.channel_index() + 1);
  n.set_attempts(0);
  n.set_state(v1::NOTIFICATION_STATE_QUEUED);
  n.clear_provider_message_id();
  const auto next = ParseDeliveryChannel(CurrentChannel(n));
  const auto address = n.addresses().find(CurrentChannel(n));
  n.set_masked_address(next && address != n.addresses().end()
                           ? MaskedAddressFor(*next, address->second)
                           : std::string());
  step.next_due = now;
}

core::Status NoticeSender::Commit(const std::vector<Step>& steps) {
  bool published = false;
  for (const Step& step : steps) {
    for (const auto& record : step.events) {
      if (auto status = publisher_.Publish(record); !status) return status;
      published = true;
    }
  }
  if (published) {
    if (auto status = publisher_.Flush(settings_.flush_timeout); !status) return status;
  }
  std::vector<RecordSave> saves;
  saves.reserve(steps.size());
  for (const Step& step : steps) saves.push_back({&step.record, step.next_due});
  return store_.SaveAll(saves);
}

NoticeSender::Step NoticeSender::AfterReport(v1::StoredNotification record,
                                             const DeliveryReport& report, core::TimePoint now) {
  Step step{std::move(record), std::nullopt, {}};
  auto& n = step.record;
  if (report.delivered) {
    n.set_state(v1::NOTIFICATION_STATE_DELIVERED);
    *n.mutable_delivered_at() = sla::ToTimestamp(report.reported_at);
    step.events.push_back(NotificationRecord(DeliveredEvent(n), n.notification_id(),
                                             n.recipient_id(), "delivered/" + CurrentChannel(n),
                                             now, ""));
    if (metrics_ != nullptr) metrics_->Delivered(CurrentChannel(n));
    return step;
  }
  GiveUpChannel(step, "undeliverable" + (report.reason.empty() ? "" : ": " + report.reason),
                v1::NOTIFICATION_STATE_UNDELIVERABLE, now);
  return step;
}

core::Status NoticeSender::OnReport(const DeliveryReport& report) {
  std::future<core::Status> applied;
  {
    std::lock_guard lock(in_flight_mutex_);
    if (in_flight_.contains(report.notification_id)) {
      // Its send is being recorded: the round applies it with the others that came in meanwhile
      // (one commit), and the provider is answered once it is saved — never held in memory only.
      auto early = std::make_shared<EarlyReport>();
      early->report = report;
      applied = early->applied.get_future();
      early_reports_[report.notification_id].push_back(std::move(early));
    }
  }
  if (applied.valid()) {
    if (applied.wait_for(settings_.report_wait) != std::future_status::ready) {
      return core::Unavailable("notification " + report.notification_id +
                               " is still being sent: post the report again");
    }
    return applied.get();
  }
  auto found = store_.Get(report.notification_id);
  if (!found) return found.error();
  if (!found->has_value()) {
    return core::NotFound("notification " + report.notification_id + " is not known");
  }
  v1::StoredNotification& record = **found;
  if (record.state() == v1::NOTIFICATION_STATE_QUEUED && !report.provider_message_id.empty()) {
    // The provider accepted a send whose answer was never recorded (the process stopped between
    // sending and saving, or the answer timed out): the report proves it went out on the
    // current channel. Recorded as sent, then reported; dequeued, so it is not sent again.
    Step sent = AfterSend(
        std::move(record),
        {report.notification_id, ProviderOutcome::Http(202), report.provider_message_id, ""},
        clock_.Now());
    Step reported = AfterReport(std::move(sent.record), report, clock_.Now());
    sent.events.insert(sent.events.end(), reported.events.begin(), reported.events.end());
    reported.events = std::move(sent.events);
    return Commit({std::move(reported)});
  }
  if (!Applies(record, report)) return {};
  return Commit({AfterReport(std::move(record), report, clock_.Now())});
}

bool NoticeSender::Applies(const v1::StoredNotification& record, const DeliveryReport& report) {
  // Not a repeat, nor a report about an earlier channel's attempt.
  return record.state() == v1::NOTIFICATION_STATE_SENT &&
         (report.provider_message_id.empty() ||
          record.provider_message_id() == report.provider_message_id);
}

core::Result<bool> NoticeSender::Withdrawn(const v1::StoredNotification& record,
                                           std::map<std::string, int64_t>& cache) {
  const int64_t created = core::ToUnixMillis(sla::FromTimestamp(record.created_at()));
  for (const std::string& key : {WithdrawalMemoKey(record.subject_id(), record.template_id()),
                                 WithdrawalMemoKey(record.subject_id(), "")}) {
    auto found = cache.find(key);
    if (found == cache.end()) {
      auto memo = store_.GetMemo(key);
      if (!memo) return memo.error();
      int64_t at = -1;
      if (memo->has_value()) {
        try {
          at = std::stoll(**memo);
        } catch (const std::exception&) {
          at = -1;
        }
      }
      found = cache.emplace(key, at).first;
    }
    if (found->second >= 0 && created <= found->second) return true;
  }
  return false;
}

}  // namespace gridcare::notification
