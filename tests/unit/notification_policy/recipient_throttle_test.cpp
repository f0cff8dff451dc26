#include "recipient_throttle.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "policy_test_time.h"

namespace gridcare::notification {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using testing::Utc;

const ThrottleSettings kDefaults;  // 3 per hour
const core::TimePoint kT = Utc(2026, 7, 1, 10, 0);

ThrottleState Full() { return ThrottleState({kT, kT + minutes(10), kT + minutes(20)}); }

TEST_CASE("A first message is allowed and recorded") {
  const auto d = Admit({}, MessageClass::kOutage, kT, kDefaults);
  CHECK(d.allowed);
  CHECK(d.throttled_until == core::TimePoint{});
  CHECK(d.state == ThrottleState({kT}));
}

TEST_CASE("Messages up to the limit are allowed and each is recorded") {
  ThrottleState state;
  for (int i = 0; i < 3; ++i) {
    const auto d = Admit(state, MessageClass::kService, kT + minutes(10 * i), kDefaults);
    REQUIRE(d.allowed);
    state = d.state;
  }
  CHECK(state == Full());
}

TEST_CASE("The message over the limit is throttled until the oldest send leaves the window") {
  const auto d = Admit(Full(), MessageClass::kOutage, kT + minutes(30), kDefaults);
  CHECK_FALSE(d.allowed);
  CHECK(d.throttled_until == kT + hours(1));
  CHECK(d.state == Full());
}

TEST_CASE("The window edge frees a slot exactly one window after the oldest send") {
  const auto before =
      Admit(Full(), MessageClass::kOutage, kT + hours(1) - nanoseconds(1), kDefaults);
  CHECK_FALSE(before.allowed);
  CHECK(before.throttled_until == kT + hours(1));
  const auto at = Admit(Full(), MessageClass::kOutage, kT + hours(1), kDefaults);
  CHECK(at.allowed);
  CHECK(at.state == ThrottleState({kT + minutes(10), kT + minutes(20), kT + hours(1)}));
  // The next slot opens when the send at +10 min leaves.
  const auto next = Admit(at.state, MessageClass::kOutage, kT + hours(1), kDefaults);
  CHECK_FALSE(next.allowed);
  CHECK(next.throttled_until == kT + minutes(70));
}

TEST_CASE("Sends older than the window are pruned from the state") {
  const ThrottleState old({kT - hours(3), kT - hours(2), kT - minutes(61)});
  const auto d = Admit(old, MessageClass::kOutage, kT, kDefaults);
  CHECK(d.allowed);
  CHECK(d.state == ThrottleState({kT}));
}

TEST_CASE("Safety messages are never throttled and never recorded") {
  const auto full = Admit(Full(), MessageClass::kSafety, kT + minutes(30), kDefaults);
  CHECK(full.allowed);
  CHECK(full.state == Full());
  const auto empty = Admit({}, MessageClass::kSafety, kT, kDefaults);
  CHECK(empty.allowed);
  CHECK(empty.state.sent().empty());
}

TEST_CASE("Every other class is throttled") {
  for (const MessageClass c : {MessageClass::kOutage, MessageClass::kService,
                               MessageClass::kMarketing, MessageClass::kStaff}) {
    INFO(MessageClassName(c));
    CHECK_FALSE(Admit(Full(), c, kT + minutes(30), kDefaults).allowed);
  }
}

TEST_CASE("A lowered limit throttles until the oldest of the newest sends leaves and keeps those") {
  const ThrottleState five(
      {kT, kT + minutes(1), kT + minutes(2), kT + minutes(3), kT + minutes(4)});
  const auto d = Admit(five, MessageClass::kOutage, kT + minutes(5), kDefaults);
  CHECK_FALSE(d.allowed);
  CHECK(d.throttled_until == kT + minutes(62));
  CHECK(d.state == ThrottleState({kT + minutes(2), kT + minutes(3), kT + minutes(4)}));
}

TEST_CASE("A raised limit allows more messages") {
  const ThrottleSettings five{5, hours(1)};
  auto d = Admit(Full(), MessageClass::kOutage, kT + minutes(30), five);
  CHECK(d.allowed);
  d = Admit(d.state, MessageClass::kOutage, kT + minutes(31), five);
  CHECK(d.allowed);
  d = Admit(d.state, MessageClass::kOutage, kT + minutes(32), five);
  CHECK_FALSE(d.allowed);
  CHECK(d.throttled_until == kT + hours(1));
  CHECK(d.state.sent().size() == 5);
}

TEST_CASE("A limit of one with a ten minute window spaces messages ten minutes apart") {
  const ThrottleSettings one{1, minutes(10)};
  const auto first = Admit({}, MessageClass::kService, kT, one);
  REQUIRE(first.allowed);
  const auto second = Admit(first.state, MessageClass::kService, kT + minutes(9), one);
  CHECK_FALSE(second.allowed);
  CHECK(second.throttled_until == kT + minutes(10));
  const auto third = Admit(first.state, MessageClass::kService, kT + minutes(10), one);
  CHECK(third.allowed);
  CHECK(third.state == ThrottleState({kT + minutes(10)}));
}

TEST_CASE("A non-positive limit behaves as a limit of one") {
  const ThrottleSettings zero{0, hours(1)};
  const auto first = Admit({}, MessageClass::kService, kT, zero);
  CHECK(first.allowed);
  CHECK_FALSE(Admit(first.state, MessageClass::kService, kT + minutes(1), zero).allowed);
}

TEST_CASE("Sends recorded ahead of now by another replica's clock still count") {
  const ThrottleState ahead({kT + minutes(1), kT + minutes(2), kT + minutes(3)});
  const auto d = Admit(ahead, MessageClass::kOutage, kT, kDefaults);
  CHECK_FALSE(d.allowed);
  CHECK(d.throttled_until == kT + minutes(61));
}

TEST_CASE("A state keeps its send times sorted") {
  const ThrottleState state({kT + minutes(20), kT, kT + minutes(10)});
  CHECK(state.sent() == std::vector<core::TimePoint>{kT, kT + minutes(10), kT + minutes(20)});
  const auto d = Admit(ThrottleState({kT + minutes(20)}), MessageClass::kOutage, kT, kDefaults);
  CHECK(d.state.sent() == std::vector<core::TimePoint>{kT, kT + minutes(20)});
}

TEST_CASE("A state encodes as Unix milliseconds and decodes back") {
  CHECK(ThrottleState().Encode().empty());
  const ThrottleState state({kT, kT + milliseconds(1500)});
  CHECK(state.Encode() == "1782900000000,1782900001500");
  auto decoded = ThrottleState::Decode("1782900001500,1782900000000");
  REQUIRE(decoded.ok());
  CHECK(*decoded == state);
  auto empty = ThrottleState::Decode("");
  REQUIRE(empty.ok());
  CHECK(empty->sent().empty());
  auto negative = ThrottleState::Decode("-1000");
  REQUIRE(negative.ok());
  CHECK(negative->sent().front() == core::FromUnixMillis(-1000));
}

TEST_CASE("Malformed encoded states are rejected with a message") {
  const auto message = [](std::string_view text) {
    auto decoded = ThrottleState::Decode(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().kind == core::ErrorKind::kInvalidArgument);
    return decoded.error().message;
  };
  CHECK(message("abc") == "throttle state: \"abc\" is not a time in Unix milliseconds");
  CHECK(message("1,,2") == "throttle state: \"\" is not a time in Unix milliseconds");
  CHECK(message(",1") == "throttle state: \"\" is not a time in Unix milliseconds");
  CHECK(message("1.5") == "throttle state: \"1.5\" is not a time in Unix milliseconds");
  CHECK(message("12 ") == "throttle state: \"12 \" is not a time in Unix milliseconds");
  CHECK(message("1,") == "throttle state: trailing comma");
}

}  // namespace
}  // namespace gridcare::notification
