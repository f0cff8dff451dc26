#include "simulator.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace gridcare::provider_sim {

Simulator::Simulator(SimulatorSettings settings, const core::Clock& clock)
    : settings_(std::move(settings)), clock_(clock), log_(settings_.record_limit) {
  const auto now = clock_.Now();
  for (const auto& [name, faults] : settings_.config.providers) {
    providers_.emplace(
        name, Provider{faults,
                       TokenBucket(faults.rate_limit_per_second, faults.EffectiveBurst(), now),
                       FailurePicker(faults.fail_ratio),
                       {}});
  }
}

Simulator::Provider& Simulator::ProviderLocked(std::string_view name) {
  auto found = providers_.find(name);
  if (found != providers_.end()) return found->second;
  const FaultSettings& faults = settings_.config.defaults;
  return providers_
      .emplace(std::string(name), Provider{faults,
                                           TokenBucket(faults.rate_limit_per_second,
                                                       faults.EffectiveBurst(), clock_.Now()),
                                           FailurePicker(faults.fail_ratio),
                                           {}})
      .first->second;
}

SubmitOutcome Simulator::Submit(std::string_view provider_name, std::string_view authorization,
                                std::string_view body) {
  using Kind = SubmitOutcome::Kind;
  const bool authorized = BearerMatches(authorization, settings_.token);
  // Parsed before taking the lock: the costly part of a request stays outside it.
  auto request = authorized ? ParseMessageRequest(body)
                            : core::Result<MessageRequest>(core::InvalidArgument(""));
  std::lock_guard lock(mutex_);
  const auto now = clock_.Now();
  Provider& provider = ProviderLocked(provider_name);
  ++provider.stats.received;
  SubmitOutcome outcome;
  if (!authorized) {
    ++provider.stats.unauthorized;
    outcome.kind = Kind::kUnauthorized;
    return outcome;
  }
  outcome.latency = provider.faults.latency;
  if (!request) {
    ++provider.stats.bad_request;
    outcome.kind = Kind::kBadRequest;
    outcome.error = request.error().message;
    return outcome;
  }
  if (const auto decision = provider.bucket.Take(now); !decision.allowed) {
    ++provider.stats.rejected_rate_limited;
    outcome.kind = Kind::kRateLimited;
    outcome.retry_after = decision.retry_after;
    return outcome;
  }
  if (provider.picker.Next()) {
    ++provider.stats.failed_injected;
    outcome.kind = Kind::kFailed;
    outcome.fail_status = provider.faults.fail_status;
    return outcome;
  }
  if (const RecordedMessage* first =
          log_.FindDuplicate(provider_name, request->client_message_id)) {
    ++provider.stats.duplicates;
    outcome.kind = Kind::kDuplicate;
    outcome.provider_message_id = first->provider_message_id;
    outcome.accepted_at = first->accepted_at;
    return outcome;
  }
  SubmitOutcome accepted = AcceptLocked(provider, provider_name, std::move(request).value(), now);
  accepted.latency = outcome.latency;
  return accepted;
}

SubmitOutcome Simulator::AcceptLocked(Provider& provider, std::string_view name,
                                      MessageRequest request, core::TimePoint now) {
  ++provider.stats.accepted;
  RecordedMessage message;
  message.provider = std::string(name);
  message.client_message_id = std::move(request.client_message_id);
  message.to = std::move(request.to);
  message.text = std::move(request.text);
  message.template_id = std::move(request.template_id);
  message.language = std::move(request.language);
  message.accepted_at = now;
  message.outcome = provider.faults.IsUndeliverable(message.to) ? DeliveryStatus::kUndeliverable
                                                                : DeliveryStatus::kDelivered;
  message.report = request.callback_url.empty() ? ReportState::kNone : ReportState::kPending;
  message.callback_url = std::move(request.callback_url);
  const RecordedMessage& kept = log_.Append(std::move(message));
  if (!kept.callback_url.empty()) {
    PendingReport report;
    report.seq = kept.seq;
    report.provider = kept.provider;
    report.provider_message_id = kept.provider_message_id;
    report.client_message_id = kept.client_message_id;
    report.callback_url = kept.callback_url;
    report.status = kept.outcome;
    report.due = now + provider.faults.report_delay;
    reports_.Push(std::move(report));
  }
  SubmitOutcome outcome;
  outcome.kind = SubmitOutcome::Kind::kAccepted;
  outcome.provider_message_id = kept.provider_message_id;
  outcome.accepted_at = now;
  return outcome;
}

void Simulator::SetFaults(const std::string& provider_name, FaultSettings faults) {
  std::lock_guard lock(mutex_);
  Provider& provider = ProviderLocked(provider_name);
  provider.bucket =
      TokenBucket(faults.rate_limit_per_second, faults.EffectiveBurst(), clock_.Now());
  provider.picker = FailurePicker(faults.fail_ratio);
  provider.faults = std::move(faults);
}

FaultSettings Simulator::Faults(std::string_view provider) const {
  std::lock_guard lock(mutex_);
  const auto found = providers_.find(provider);
  return found == providers_.end() ? settings_.config.defaults : found->second.faults;
}

std::vector<RecordedMessage> Simulator::Messages(uint64_t after, std::string_view provider,
                                                 std::size_t limit) const {
  std::lock_guard lock(mutex_);
  return log_.After(after, provider, limit);
}

std::size_t Simulator::ClearMessages() {
  std::lock_guard lock(mutex_);
  const std::size_t cleared = log_.size();
  log_.Clear();
  reports_.Clear();
  return cleared;
}

Simulator::Stats Simulator::GetStats() const {
  std::lock_guard lock(mutex_);
  Stats stats;
  for (const auto& [name, provider] : providers_) stats.providers.emplace(name, provider.stats);
  stats.messages_kept = log_.size();
  stats.messages_dropped = log_.dropped();
  stats.last_seq = log_.last_seq();
  stats.reports_pending = reports_.size();
  return stats;
}

void Simulator::ResetStats() {
  std::lock_guard lock(mutex_);
  for (auto& [name, provider] : providers_) provider.stats = {};
}

std::vector<PendingReport> Simulator::TakeDueReports(std::size_t max) {
  std::lock_guard lock(mutex_);
  auto due = reports_.TakeDue(clock_.Now(), max);
  for (PendingReport& report : due) ++report.attempts;  // each is about to be POSTed
  return due;
}

std::optional<core::TimePoint> Simulator::NextReportDue() const {
  std::lock_guard lock(mutex_);
  return reports_.NextDue();
}

core::Result<std::string> Simulator::Reply(std::string_view provider,
                                           std::string_view provider_message_id, std::string text) {
  if (text.empty() || text.size() > kMaxReplyTextBytes) {
    return core::InvalidArgument("reply: \"text\" must be 1.." +
                                 std::to_string(kMaxReplyTextBytes) + " bytes");
  }
  const std::string prefix = std::string(provider) + "-";
  uint64_t seq = 0;
  const std::string_view digits =
      provider_message_id.substr(std::min(prefix.size(), provider_message_id.size()));
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  std::lock_guard lock(mutex_);
  const RecordedMessage* message = nullptr;
  if (provider_message_id.rfind(prefix, 0) == 0 && error == std::errc() &&
      end == digits.data() + digits.size()) {
    message = log_.Find(seq);
  }
  if (message == nullptr || message->provider != provider) {
    return core::NotFound("reply: provider " + std::string(provider) + " keeps no message " +
                          std::string(provider_message_id));
  }
  if (message->callback_url.empty()) {
    return core::FailedPrecondition("reply: message " + std::string(provider_message_id) +
                                    " was sent without a callback_url: nowhere to post a reply");
  }
  PendingReport reply;
  reply.seq = message->seq;
  reply.provider = message->provider;
  reply.provider_message_id = message->provider_message_id;
  reply.client_message_id = message->client_message_id;
  reply.callback_url = message->callback_url;
  reply.reply_id = std::string(provider) + "-r" + std::to_string(++replies_);
  reply.reply_from = message->to;
  reply.reply_text = std::move(text);
  reply.due = clock_.Now();
  std::string id = reply.reply_id;
  reports_.Push(std::move(reply));
  return id;
}

void Simulator::SetReportStateLocked(const PendingReport& report, ReportState state) {
  if (!report.reply_id.empty()) return;  // a reply leaves the message's report as it is
  RecordedMessage* message = log_.Find(report.seq);
  if (message == nullptr) return;  // dropped or cleared meanwhile
  message->report = state;
  message->report_attempts = report.attempts;
}

void Simulator::ReportSent(const PendingReport& report) {
  std::lock_guard lock(mutex_);
  auto& stats = ProviderLocked(report.provider).stats;
  ++(report.reply_id.empty() ? stats.reports_sent : stats.replies_sent);
  SetReportStateLocked(report, ReportState::kSent);
}

bool Simulator::ReportFailed(PendingReport report) {
  std::lock_guard lock(mutex_);
  if (report.attempts >= settings_.report_attempts) {
    auto& stats = ProviderLocked(report.provider).stats;
    ++(report.reply_id.empty() ? stats.reports_lost : stats.replies_lost);
    SetReportStateLocked(report, ReportState::kLost);
    return true;
  }
  SetReportStateLocked(report, ReportState::kPending);
  const int doublings = std::min(report.attempts - 1, 20);
  report.due =
      clock_.Now() + settings_.report_retry_backoff * (int64_t{1} << std::max(0, doublings));
  reports_.Push(std::move(report));
  return false;
}

}  // namespace gridcare::provider_sim
