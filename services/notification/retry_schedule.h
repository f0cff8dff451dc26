#pragma once

// Provider outcomes and retries (issue 14): whether a provider's answer is a success, worth a
// retry or final, and when the next attempt goes: exponential backoff with jitter that is derived
// from the notification id, so the schedule is deterministic (tests are exact, a restarted
// replica computes the same times) while a fan-out's retries still spread out. Pure.

#include <chrono>
#include <optional>
#include <string_view>

#include "gridcare/core/clock.h"

namespace gridcare::notification {

/// A failure below HTTP (the caller maps its client's errors).
enum class TransportError {
  kNone,
  kTimeout,           // connect or response timeout
  kConnectionFailed,  // refused, reset, DNS failure, TLS handshake interrupted
};

/// What one provider call came back with.
struct ProviderOutcome {
  std::optional<int> http_status;  // nullopt when the call failed below HTTP
  TransportError transport = TransportError::kNone;
  /// The Retry-After header in seconds, when the provider sent one (an HTTP date is converted to
  /// seconds from now by the caller). Honoured on 429 and 503 only.
  std::optional<int64_t> retry_after_seconds;

  static ProviderOutcome Http(int status, std::optional<int64_t> retry_after_seconds = {}) {
    return {status, TransportError::kNone, retry_after_seconds};
  }
  static ProviderOutcome Transport(TransportError error) { return {std::nullopt, error, {}}; }
};

enum class OutcomeKind { kSuccess, kRetryable, kPermanent };

/// "success", "retryable", "permanent".
std::string_view OutcomeKindName(OutcomeKind kind);

struct OutcomeClassification {
  OutcomeKind kind = OutcomeKind::kPermanent;
  /// kRetryable from 429 or 503 with a non-negative Retry-After only.
  std::optional<core::Duration> retry_after;
};

/// 2xx → success; 408, 425, 429, 5xx, timeouts and connection failures → retryable; any other
/// status (1xx, 3xx: a redirect we do not follow is a misconfiguration, other 4xx, or a number
/// outside 100..599) → permanent; no status and no transport error → permanent (nothing to
/// retry on). Pure.
OutcomeClassification Classify(const ProviderOutcome& outcome);

struct RetrySettings {
  core::Duration base = std::chrono::seconds(2);  // the wait after the first failed attempt
  double factor = 2.0;                            // each further wait, before the cap
  core::Duration cap = std::chrono::minutes(5);   // the longest un-jittered wait
  int max_attempts = 8;                           // per channel, the first attempt included
  double jitter = 0.2;                            // ± this share of the wait, in [0, 1)
  /// A provider's Retry-After longer than this is cut to it (the message would be stale).
  core::Duration retry_after_cap = std::chrono::minutes(10);
};

/// The wait after `attempts_made` failed attempts (below 1 counts as 1):
/// min(base × factor^(attempts_made − 1), cap), times 1 + jitter × s with s in [−1, 1) drawn
/// from a stable hash of (`notification_id`, attempts_made), rounded to whole milliseconds. Once
/// capped, waits lie in [cap × (1 − jitter), cap × (1 + jitter)]: the cap bounds the wait before
/// jitter, so retries of a large fan-out do not all land on the cap together. Pure.
core::Duration BackoffDelay(std::string_view notification_id, int attempts_made,
                            const RetrySettings& settings);

enum class RetryVerdict {
  kDelivered,  // success: nothing more to do
  kRetryAt,    // try the same channel again at `next_attempt_at`
  kPermanent,  // this channel will not take the message: fall back to the next channel
  kExhausted,  // retryable, but max_attempts reached: fall back to the next channel
};

/// "delivered", "retry_at", "permanent", "exhausted".
std::string_view RetryVerdictName(RetryVerdict verdict);

struct RetryDecision {
  RetryVerdict verdict = RetryVerdict::kPermanent;
  core::TimePoint next_attempt_at{};  // kRetryAt only
};

/// What to do after attempt number `attempts_made` (1 for the first) of `notification_id` on one
/// channel came back with `outcome` at `now`. A retry waits BackoffDelay, or the provider's
/// Retry-After (cut to retry_after_cap) when that is longer. Pure and thread-safe.
RetryDecision NextAttempt(const ProviderOutcome& outcome, std::string_view notification_id,
                          int attempts_made, core::TimePoint now, const RetrySettings& settings);

}  // namespace gridcare::notification
