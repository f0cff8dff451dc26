#include "retry_schedule.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <climits>
#include <set>
#include <string>

#include "policy_test_time.h"

namespace gridcare::notification {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::Utc;

const RetrySettings kDefaults;  // 2 s, ×2, 5 min, 8 attempts, ±20 %, Retry-After ≤ 10 min
const core::TimePoint kNow = Utc(2026, 7, 1, 10, 0);
constexpr std::string_view kId = "N-5ead88089c4e45ad6317b154f3b60d4e";

RetrySettings NoJitter() {
  RetrySettings settings;
  settings.jitter = 0.0;
  return settings;
}

int64_t Ms(core::Duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

TEST_CASE("Every HTTP status falls in the documented class") {
  for (int status = 100; status <= 599; ++status) {
    INFO("status " << status);
    OutcomeKind expected = OutcomeKind::kPermanent;
    if (status >= 200 && status <= 299) expected = OutcomeKind::kSuccess;
    if (status == 408 || status == 425 || status == 429 || status >= 500) {
      expected = OutcomeKind::kRetryable;
    }
    CHECK(Classify(ProviderOutcome::Http(status)).kind == expected);
    CHECK_FALSE(Classify(ProviderOutcome::Http(status)).retry_after.has_value());
  }
}

TEST_CASE("Statuses outside 100 to 599 are permanent") {
  for (const int status : {-1, 0, 99, 600, 999}) {
    CHECK(Classify(ProviderOutcome::Http(status)).kind == OutcomeKind::kPermanent);
  }
}

TEST_CASE("Timeouts and connection failures are retryable and nothing at all is permanent") {
  CHECK(Classify(ProviderOutcome::Transport(TransportError::kTimeout)).kind ==
        OutcomeKind::kRetryable);
  CHECK(Classify(ProviderOutcome::Transport(TransportError::kConnectionFailed)).kind ==
        OutcomeKind::kRetryable);
  CHECK(Classify(ProviderOutcome::Transport(TransportError::kNone)).kind ==
        OutcomeKind::kPermanent);
  CHECK(Classify(ProviderOutcome{}).kind == OutcomeKind::kPermanent);
}

TEST_CASE("An HTTP status wins over a transport error reported with it") {
  const ProviderOutcome both{200, TransportError::kTimeout, std::nullopt};
  CHECK(Classify(both).kind == OutcomeKind::kSuccess);
}

TEST_CASE("Retry-After is honoured on 429 and 503 only") {
  CHECK(Classify(ProviderOutcome::Http(429, 30)).retry_after == seconds(30));
  CHECK(Classify(ProviderOutcome::Http(503, 30)).retry_after == seconds(30));
  CHECK(Classify(ProviderOutcome::Http(503, 0)).retry_after == seconds(0));
  for (const int status : {200, 400, 408, 425, 500, 502, 504}) {
    INFO("status " << status);
    CHECK_FALSE(Classify(ProviderOutcome::Http(status, 30)).retry_after.has_value());
  }
  CHECK_FALSE(Classify(ProviderOutcome::Http(429, -5)).retry_after.has_value());
  CHECK(Classify(ProviderOutcome::Http(429, INT64_MAX)).retry_after == hours(365 * 24));
}

TEST_CASE("Without jitter the backoff doubles from two seconds up to the five minute cap") {
  const std::vector<int64_t> expected_ms = {2000,  4000,   8000,   16000,  32000,
                                            64000, 128000, 256000, 300000, 300000};
  for (size_t i = 0; i < expected_ms.size(); ++i) {
    INFO("attempts made " << i + 1);
    CHECK(Ms(BackoffDelay(kId, static_cast<int>(i + 1), NoJitter())) == expected_ms[i]);
  }
  CHECK(Ms(BackoffDelay(kId, 1000, NoJitter())) == 300000);
  CHECK(Ms(BackoffDelay(kId, INT_MAX, NoJitter())) == 300000);
  CHECK(Ms(BackoffDelay(kId, 0, NoJitter())) == 2000);
  CHECK(Ms(BackoffDelay(kId, -3, NoJitter())) == 2000);
}

TEST_CASE("Backoff follows the configured base factor and cap") {
  RetrySettings settings = NoJitter();
  settings.base = milliseconds(500);
  settings.factor = 3.0;
  settings.cap = seconds(10);
  CHECK(Ms(BackoffDelay(kId, 1, settings)) == 500);
  CHECK(Ms(BackoffDelay(kId, 2, settings)) == 1500);
  CHECK(Ms(BackoffDelay(kId, 3, settings)) == 4500);
  CHECK(Ms(BackoffDelay(kId, 4, settings)) == 10000);
  settings.factor = 1.0;
  CHECK(Ms(BackoffDelay(kId, 7, settings)) == 500);
}

// Values computed independently from the documented scheme (FNV-1a 64 of the id, then of the
// attempt number's 8 little-endian bytes, fmix64, top 53 bits as a fraction).
TEST_CASE("Jitter is a fixed function of the notification id and the attempt") {
  const std::vector<int64_t> expected_ms = {2106,  4355,   7424,   16770, 33168,
                                            60335, 109493, 292844, 325207};
  for (size_t i = 0; i < expected_ms.size(); ++i) {
    INFO("attempts made " << i + 1);
    CHECK(Ms(BackoffDelay(kId, static_cast<int>(i + 1), kDefaults)) == expected_ms[i]);
  }
  CHECK(BackoffDelay(kId, 0, kDefaults) == BackoffDelay(kId, 1, kDefaults));
}

TEST_CASE("Jitter stays within twenty percent and spreads a fan-out") {
  const std::vector<int64_t> raw_ms = {2000,  4000,   8000,   16000,  32000,
                                       64000, 128000, 256000, 300000, 300000};
  for (size_t attempt = 1; attempt <= raw_ms.size(); ++attempt) {
    const int64_t raw = raw_ms[attempt - 1];
    std::set<int64_t> seen;
    int64_t low = INT64_MAX;
    int64_t high = 0;
    double sum = 0;
    for (int i = 0; i < 2000; ++i) {
      const int64_t d =
          Ms(BackoffDelay("N-" + std::to_string(i), static_cast<int>(attempt), kDefaults));
      REQUIRE(d >= raw * 8 / 10);
      REQUIRE(d <= raw * 12 / 10);
      seen.insert(d);
      low = std::min(low, d);
      high = std::max(high, d);
      sum += static_cast<double>(d);
    }
    INFO("attempt " << attempt);
    CHECK(seen.size() > 300);     // not a handful of values
    CHECK(low < raw * 81 / 100);  // reaches near both ends
    CHECK(high > raw * 119 / 100);
    CHECK(std::abs(sum / 2000 - static_cast<double>(raw)) < raw * 0.02);  // centred
  }
}

TEST_CASE("Different attempts of one notification get different jitter") {
  RetrySettings flat = kDefaults;
  flat.factor = 1.0;
  std::set<int64_t> seen;
  for (int attempt = 1; attempt <= 8; ++attempt) seen.insert(Ms(BackoffDelay(kId, attempt, flat)));
  CHECK(seen.size() == 8);
}

TEST_CASE("Zero jitter gives the exact backoff and full jitter never goes negative") {
  CHECK(BackoffDelay("any", 3, NoJitter()) == seconds(8));
  RetrySettings wild = kDefaults;
  wild.jitter = 0.99;
  for (int i = 0; i < 500; ++i) {
    CHECK(BackoffDelay("N-" + std::to_string(i), 1, wild) >= core::Duration::zero());
  }
}

TEST_CASE("A success is delivered on any attempt") {
  for (const int attempts : {1, 8, 20}) {
    const auto d = NextAttempt(ProviderOutcome::Http(202), kId, attempts, kNow, kDefaults);
    CHECK(d.verdict == RetryVerdict::kDelivered);
    CHECK(d.next_attempt_at == core::TimePoint{});
  }
}

TEST_CASE("A permanent failure falls back at once even on the last attempt") {
  for (const int attempts : {1, 8}) {
    const auto d = NextAttempt(ProviderOutcome::Http(404), kId, attempts, kNow, kDefaults);
    CHECK(d.verdict == RetryVerdict::kPermanent);
    CHECK(d.next_attempt_at == core::TimePoint{});
  }
}

TEST_CASE("A retryable failure is retried after the backoff until the attempts run out") {
  for (int attempts = 1; attempts < 8; ++attempts) {
    INFO("attempts made " << attempts);
    const auto d = NextAttempt(ProviderOutcome::Http(500), kId, attempts, kNow, kDefaults);
    CHECK(d.verdict == RetryVerdict::kRetryAt);
    CHECK(d.next_attempt_at == kNow + BackoffDelay(kId, attempts, kDefaults));
  }
  const auto last = NextAttempt(ProviderOutcome::Http(500), kId, 8, kNow, kDefaults);
  CHECK(last.verdict == RetryVerdict::kExhausted);
  CHECK(last.next_attempt_at == core::TimePoint{});
  const auto timeout =
      NextAttempt(ProviderOutcome::Transport(TransportError::kTimeout), kId, 1, kNow, kDefaults);
  CHECK(timeout.verdict == RetryVerdict::kRetryAt);
  CHECK(timeout.next_attempt_at == kNow + milliseconds(2106));
}

TEST_CASE("A maximum of one attempt never retries") {
  RetrySettings once = kDefaults;
  once.max_attempts = 1;
  CHECK(NextAttempt(ProviderOutcome::Http(503), kId, 1, kNow, once).verdict ==
        RetryVerdict::kExhausted);
}

TEST_CASE("A longer Retry-After replaces the backoff") {
  const auto d = NextAttempt(ProviderOutcome::Http(429, 120), kId, 1, kNow, kDefaults);
  CHECK(d.verdict == RetryVerdict::kRetryAt);
  CHECK(d.next_attempt_at == kNow + seconds(120));
  const auto unavailable = NextAttempt(ProviderOutcome::Http(503, 45), kId, 2, kNow, kDefaults);
  CHECK(unavailable.next_attempt_at == kNow + seconds(45));
}

TEST_CASE("A shorter Retry-After leaves the backoff in place") {
  const auto d = NextAttempt(ProviderOutcome::Http(429, 1), kId, 1, kNow, kDefaults);
  CHECK(d.next_attempt_at == kNow + milliseconds(2106));
  const auto later = NextAttempt(ProviderOutcome::Http(503, 10), kId, 8 - 1, kNow, kDefaults);
  CHECK(later.next_attempt_at == kNow + milliseconds(109493));
}

TEST_CASE("A Retry-After beyond its cap is cut to the cap") {
  const auto d = NextAttempt(ProviderOutcome::Http(503, 3600), kId, 1, kNow, kDefaults);
  CHECK(d.next_attempt_at == kNow + minutes(10));
  RetrySettings no_cap = kDefaults;
  no_cap.retry_after_cap = core::Duration::zero();
  const auto ignored = NextAttempt(ProviderOutcome::Http(503, 3600), kId, 1, kNow, no_cap);
  CHECK(ignored.next_attempt_at == kNow + milliseconds(2106));
}

TEST_CASE("A Retry-After on another status is ignored") {
  const auto d = NextAttempt(ProviderOutcome::Http(500, 120), kId, 1, kNow, kDefaults);
  CHECK(d.next_attempt_at == kNow + milliseconds(2106));
}

TEST_CASE("A Retry-After does not buy attempts beyond the maximum") {
  CHECK(NextAttempt(ProviderOutcome::Http(429, 5), kId, 8, kNow, kDefaults).verdict ==
        RetryVerdict::kExhausted);
}

TEST_CASE("Outcome and verdict names are the documented words") {
  CHECK(OutcomeKindName(OutcomeKind::kSuccess) == "success");
  CHECK(OutcomeKindName(OutcomeKind::kRetryable) == "retryable");
  CHECK(OutcomeKindName(OutcomeKind::kPermanent) == "permanent");
  CHECK(RetryVerdictName(RetryVerdict::kDelivered) == "delivered");
  CHECK(RetryVerdictName(RetryVerdict::kRetryAt) == "retry_at");
  CHECK(RetryVerdictName(RetryVerdict::kPermanent) == "permanent");
  CHECK(RetryVerdictName(RetryVerdict::kExhausted) == "exhausted");
}

}  // namespace
}  // namespace gridcare::notification
