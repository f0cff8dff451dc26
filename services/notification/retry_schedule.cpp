#include "retry_schedule.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "gridcare/core/stable_hash.h"

namespace gridcare::notification {
namespace {

using std::chrono::milliseconds;

bool IsRetryableStatus(int status) {
  return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
}

OutcomeClassification ClassifyStatus(int status, std::optional<int64_t> retry_after_seconds) {
  if (status >= 200 && status <= 299) return {OutcomeKind::kSuccess, std::nullopt};
  if (!IsRetryableStatus(status)) return {OutcomeKind::kPermanent, std::nullopt};
  OutcomeClassification result{OutcomeKind::kRetryable, std::nullopt};
  if ((status == 429 || status == 503) && retry_after_seconds && *retry_after_seconds >= 0) {
    // Bounded before conversion so an absurd header cannot overflow the duration.
    const int64_t seconds = std::min<int64_t>(*retry_after_seconds, int64_t{365} * 24 * 3600);
    result.retry_after = std::chrono::seconds(seconds);
  }
  return result;
}

/// s in [-1, 1) from the id and the attempt number.
double JitterSign(std::string_view notification_id, int attempts_made) {
  const uint64_t hash =
      core::Fnv1a64(static_cast<uint64_t>(attempts_made), core::Fnv1a64(notification_id));
  return 2.0 * core::UnitInterval(core::Mix64(hash)) - 1.0;
}

}  // namespace

std::string_view OutcomeKindName(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kSuccess:
      return "success";
    case OutcomeKind::kRetryable:
      return "retryable";
    case OutcomeKind::kPermanent:
      return "permanent";
  }
  return "unknown";
}

std::string_view RetryVerdictName(RetryVerdict verdict) {
  switch (verdict) {
    case RetryVerdict::kDelivered:
      return "delivered";
    case RetryVerdict::kRetryAt:
      return "retry_at";
    case RetryVerdict::kPermanent:
      return "permanent";
    case RetryVerdict::kExhausted:
      return "exhausted";
  }
  return "unknown";
}

OutcomeClassification Classify(const ProviderOutcome& outcome) {
  if (outcome.http_status) return ClassifyStatus(*outcome.http_status, outcome.retry_after_seconds);
  if (outcome.transport == TransportError::kNone) return {OutcomeKind::kPermanent, std::nullopt};
  return {OutcomeKind::kRetryable, std::nullopt};
}

core::Duration BackoffDelay(std::string_view notification_id, int attempts_made,
                            const RetrySettings& settings) {
  const double base_ms = std::chrono::duration<double, std::milli>(settings.base).count();
  const double cap_ms = std::chrono::duration<double, std::milli>(settings.cap).count();
  const int attempt = std::max(attempts_made, 1);
  // Computed in double and capped before anything is converted back, so no power overflows.
  const double raw_ms = std::min(base_ms * std::pow(settings.factor, attempt - 1), cap_ms);
  const double jittered_ms =
      raw_ms * (1.0 + settings.jitter * JitterSign(notification_id, attempt));
  return milliseconds(std::llround(std::max(jittered_ms, 0.0)));
}

RetryDecision NextAttempt(const ProviderOutcome& outcome, std::string_view notification_id,
                          int attempts_made, core::TimePoint now, const RetrySettings& settings) {
  const OutcomeClassification classified = Classify(outcome);
  switch (classified.kind) {
    case OutcomeKind::kSuccess:
      return {RetryVerdict::kDelivered, {}};
    case OutcomeKind::kPermanent:
      return {RetryVerdict::kPermanent, {}};
    case OutcomeKind::kRetryable:
      break;
  }
  if (attempts_made >= settings.max_attempts) return {RetryVerdict::kExhausted, {}};
  core::Duration wait = BackoffDelay(notification_id, attempts_made, settings);
  if (classified.retry_after) {
    wait = std::max(wait, std::min(*classified.retry_after, settings.retry_after_cap));
  }
  return {RetryVerdict::kRetryAt, now + wait};
}

}  // namespace gridcare::notification
