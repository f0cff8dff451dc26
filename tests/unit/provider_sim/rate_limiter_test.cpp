// The token bucket behind a provider's rate limit, on explicit time points.
#include "rate_limiter.h"

#include <catch2/catch.hpp>

namespace gridcare::provider_sim {
namespace {

using std::chrono::milliseconds;

const core::TimePoint kStart = core::FromUnixMillis(1'800'000'000'000);

TEST_CASE("a bucket starts full and refuses once its burst is spent", "[provider_sim][rate]") {
  TokenBucket bucket(10, 3, kStart);
  CHECK(bucket.Take(kStart).allowed);
  CHECK(bucket.Take(kStart).allowed);
  CHECK(bucket.Take(kStart).allowed);
  const auto refused = bucket.Take(kStart);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == milliseconds(100));
}

TEST_CASE("tokens come back at the rate and never beyond the burst", "[provider_sim][rate]") {
  TokenBucket bucket(10, 2, kStart);
  CHECK(bucket.Take(kStart).allowed);
  CHECK(bucket.Take(kStart).allowed);
  CHECK(bucket.Take(kStart + milliseconds(40)).retry_after == milliseconds(60));
  CHECK(bucket.Take(kStart + milliseconds(100)).allowed);
  CHECK_FALSE(bucket.Take(kStart + milliseconds(100)).allowed);
  // An hour idle refills two tokens, not 36,000.
  const auto later = kStart + std::chrono::hours(1);
  CHECK(bucket.Take(later).allowed);
  CHECK(bucket.Take(later).allowed);
  CHECK_FALSE(bucket.Take(later).allowed);
}

TEST_CASE("a slow rate asks for a long wait", "[provider_sim][rate]") {
  TokenBucket bucket(0.5, 1, kStart);
  CHECK(bucket.Take(kStart).allowed);
  CHECK(bucket.Take(kStart).retry_after == milliseconds(2000));
  CHECK(bucket.Take(kStart + milliseconds(1500)).retry_after == milliseconds(500));
  CHECK(bucket.Take(kStart + milliseconds(2000)).allowed);
}

TEST_CASE("rate zero never refuses", "[provider_sim][rate]") {
  TokenBucket bucket(0, 1, kStart);
  for (int i = 0; i < 1000; ++i) REQUIRE(bucket.Take(kStart).allowed);
}

TEST_CASE("a clock stepping back refills nothing", "[provider_sim][rate]") {
  TokenBucket bucket(1, 1, kStart);
  CHECK(bucket.Take(kStart).allowed);
  CHECK_FALSE(bucket.Take(kStart - std::chrono::seconds(10)).allowed);
  CHECK_FALSE(bucket.Take(kStart + milliseconds(999)).allowed);
  CHECK(bucket.Take(kStart + milliseconds(1000)).allowed);
}

}  // namespace
}  // namespace gridcare::provider_sim
