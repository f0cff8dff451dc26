#include "provider_pacer.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "policy_test_time.h"

namespace gridcare::notification {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using testing::Utc;

const core::TimePoint kT0 = Utc(2026, 7, 1, 10, 0);

TEST_CASE("A full bucket grants its burst at once and then says when the next token comes") {
  ProviderPacer pacer({10.0, 5});
  CHECK(pacer.interval() == milliseconds(100));
  CHECK(pacer.Available(kT0) == 5);
  for (int i = 0; i < 5; ++i) {
    INFO("grant " << i);
    CHECK(pacer.TryAcquire(kT0).granted);
    CHECK(pacer.Available(kT0) == 4 - i);
  }
  const auto denied = pacer.TryAcquire(kT0);
  CHECK_FALSE(denied.granted);
  CHECK(denied.available_at == kT0 + milliseconds(100));
}

TEST_CASE("A denied request takes nothing and is granted exactly when the token arrives") {
  ProviderPacer pacer({10.0, 5});
  for (int i = 0; i < 5; ++i) REQUIRE(pacer.TryAcquire(kT0).granted);
  const auto early = pacer.TryAcquire(kT0 + milliseconds(100) - nanoseconds(1));
  CHECK_FALSE(early.granted);
  CHECK(early.available_at == kT0 + milliseconds(100));
  CHECK(pacer.TryAcquire(kT0 + milliseconds(100)).granted);
  const auto next = pacer.TryAcquire(kT0 + milliseconds(100));
  CHECK_FALSE(next.granted);
  CHECK(next.available_at == kT0 + milliseconds(200));
}

TEST_CASE("Tokens refill at the rate and never beyond the burst") {
  ProviderPacer pacer({10.0, 5});
  for (int i = 0; i < 5; ++i) REQUIRE(pacer.TryAcquire(kT0).granted);
  CHECK(pacer.Available(kT0 + milliseconds(99)) == 0);
  CHECK(pacer.Available(kT0 + milliseconds(100)) == 1);
  CHECK(pacer.Available(kT0 + milliseconds(250)) == 2);
  CHECK(pacer.Available(kT0 + milliseconds(500)) == 5);
  CHECK(pacer.Available(kT0 + seconds(1)) == 5);
  CHECK(pacer.Available(kT0 + hours(1)) == 5);
  const core::TimePoint later = kT0 + hours(1);
  for (int i = 0; i < 5; ++i) REQUIRE(pacer.TryAcquire(later).granted);
  CHECK_FALSE(pacer.TryAcquire(later).granted);
}

TEST_CASE("A burst of one spaces every send by the interval") {
  ProviderPacer pacer({4.0, 1});
  CHECK(pacer.TryAcquire(kT0).granted);
  const auto denied = pacer.TryAcquire(kT0 + milliseconds(10));
  CHECK_FALSE(denied.granted);
  CHECK(denied.available_at == kT0 + milliseconds(250));
  CHECK(pacer.TryAcquire(kT0 + milliseconds(250)).granted);
  CHECK(pacer.TryAcquire(kT0 + milliseconds(600)).granted);
  CHECK_FALSE(pacer.TryAcquire(kT0 + milliseconds(700)).granted);
}

TEST_CASE("Fractional rates round the interval to the nanosecond") {
  CHECK(ProviderPacer({3.0, 1}).interval() == nanoseconds(333333333));
  CHECK(ProviderPacer({0.33, 20}).interval() == nanoseconds(3030303030));
  CHECK(ProviderPacer({1e9, 1}).interval() == nanoseconds(1));
  CHECK(ProviderPacer({1e12, 1}).interval() == nanoseconds(1));
}

TEST_CASE("Settings out of range are made safe") {
  ProviderPacer zero_burst({10.0, 0});
  CHECK(zero_burst.Available(kT0) == 1);
  CHECK(zero_burst.TryAcquire(kT0).granted);
  CHECK_FALSE(zero_burst.TryAcquire(kT0).granted);
  ProviderPacer zero_rate({0.0, 2});
  CHECK(zero_rate.TryAcquire(kT0).granted);
  CHECK(zero_rate.TryAcquire(kT0).granted);
  CHECK_FALSE(zero_rate.TryAcquire(kT0 + hours(24 * 365)).granted);
}

TEST_CASE("Reservations give a fan-out its burst at once then one slot per interval") {
  ProviderPacer pacer({200.0, 400});
  std::vector<core::TimePoint> slots;
  for (int i = 0; i < 50000; ++i) {
    const auto slot = pacer.Acquire(1, kT0);
    REQUIRE(slot.has_value());
    slots.push_back(*slot);
  }
  for (int i = 0; i < 400; ++i) REQUIRE(slots[i] == kT0);
  for (int i = 400; i < 50000; ++i) {
    REQUIRE(slots[i] == kT0 + milliseconds(5) * (i - 399));
  }
  CHECK(slots.back() == kT0 + seconds(248));
  // No one-second window holds more than burst + rate sends.
  size_t begin = 0;
  for (size_t end = 0; end < slots.size(); ++end) {
    while (slots[end] - slots[begin] >= seconds(1)) ++begin;
    REQUIRE(end - begin + 1 <= 600);
  }
  CHECK(pacer.Available(kT0) == 0);
  const auto denied = pacer.TryAcquire(kT0);
  CHECK_FALSE(denied.granted);
  CHECK(denied.available_at == slots.back() + milliseconds(5));
}

TEST_CASE("Reserving several tokens waits until that many have accumulated") {
  ProviderPacer pacer({10.0, 5});
  CHECK(pacer.Acquire(5, kT0) == kT0);
  CHECK(pacer.Available(kT0) == 0);
  CHECK(pacer.Acquire(3, kT0) == kT0 + milliseconds(300));
  CHECK(pacer.Acquire(1, kT0 + milliseconds(300)) == kT0 + milliseconds(400));
  // After a quiet spell the bucket is full again.
  CHECK(pacer.Acquire(5, kT0 + seconds(2)) == kT0 + seconds(2));
}

TEST_CASE("Reserving part of a partly filled bucket waits for the rest only") {
  ProviderPacer pacer({10.0, 5});
  REQUIRE(pacer.Acquire(3, kT0) == kT0);
  CHECK(pacer.Available(kT0) == 2);
  CHECK(pacer.Acquire(4, kT0) == kT0 + milliseconds(200));
  CHECK(pacer.Available(kT0 + milliseconds(200)) == 0);
}

TEST_CASE("Reservations outside one to burst are refused and take nothing") {
  ProviderPacer pacer({10.0, 5});
  CHECK_FALSE(pacer.Acquire(0, kT0).has_value());
  CHECK_FALSE(pacer.Acquire(-1, kT0).has_value());
  CHECK_FALSE(pacer.Acquire(6, kT0).has_value());
  CHECK(pacer.Available(kT0) == 5);
}

TEST_CASE("A time earlier than the last call is served from the queue without refilling") {
  ProviderPacer pacer({10.0, 2});
  REQUIRE(pacer.TryAcquire(kT0).granted);
  REQUIRE(pacer.TryAcquire(kT0).granted);
  const auto past = pacer.TryAcquire(kT0 - seconds(5));
  CHECK_FALSE(past.granted);
  CHECK(past.available_at == kT0 + milliseconds(100));
}

}  // namespace
}  // namespace gridcare::notification
