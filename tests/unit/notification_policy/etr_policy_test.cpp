#include "etr_policy.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "policy_test_time.h"

namespace gridcare::notification {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::Utc;

const EtrSettings kDefaults;  // 30 min, 3
const core::TimePoint kEtr = Utc(2026, 7, 1, 18, 0);

void RequireAnnounce(const EtrDecision& d, bool first) {
  CHECK(d.announce);
  CHECK(d.first == first);
  CHECK_FALSE(d.skip_reason.has_value());
}

void RequireSkip(const EtrDecision& d, EtrSkipReason reason) {
  CHECK_FALSE(d.announce);
  CHECK_FALSE(d.first);
  REQUIRE(d.skip_reason.has_value());
  CHECK(*d.skip_reason == reason);
}

TEST_CASE("The first estimate of an outage is announced as the first") {
  RequireAnnounce(DecideEtrAnnouncement(std::nullopt, 0, kEtr, kDefaults), true);
}

TEST_CASE("The first estimate is skipped only when the cap allows none") {
  RequireSkip(DecideEtrAnnouncement(std::nullopt, 0, kEtr, {minutes(30), 0}),
              EtrSkipReason::kCapReached);
  RequireSkip(DecideEtrAnnouncement(std::nullopt, 3, kEtr, kDefaults), EtrSkipReason::kCapReached);
}

TEST_CASE("An unchanged estimate is skipped as unchanged even with the cap reached") {
  RequireSkip(DecideEtrAnnouncement(kEtr, 1, kEtr, kDefaults), EtrSkipReason::kUnchanged);
  RequireSkip(DecideEtrAnnouncement(kEtr, 3, kEtr, kDefaults), EtrSkipReason::kUnchanged);
}

TEST_CASE("A move of no more than the margin either way is below the margin") {
  for (const core::Duration move :
       {core::Duration(seconds(1)), core::Duration(minutes(10)), core::Duration(minutes(30))}) {
    RequireSkip(DecideEtrAnnouncement(kEtr, 1, kEtr + move, kDefaults),
                EtrSkipReason::kBelowMargin);
    RequireSkip(DecideEtrAnnouncement(kEtr, 1, kEtr - move, kDefaults),
                EtrSkipReason::kBelowMargin);
  }
}

TEST_CASE("A move of more than the margin either way is announced as an update") {
  RequireAnnounce(DecideEtrAnnouncement(kEtr, 1, kEtr + minutes(30) + seconds(1), kDefaults),
                  false);
  RequireAnnounce(DecideEtrAnnouncement(kEtr, 1, kEtr - minutes(31), kDefaults), false);
  RequireAnnounce(DecideEtrAnnouncement(kEtr, 2, kEtr + hours(4), kDefaults), false);
}

TEST_CASE("A real move after the cap is skipped as cap reached") {
  RequireSkip(DecideEtrAnnouncement(kEtr, 3, kEtr + hours(2), kDefaults),
              EtrSkipReason::kCapReached);
  RequireSkip(DecideEtrAnnouncement(kEtr, 7, kEtr - hours(2), kDefaults),
              EtrSkipReason::kCapReached);
}

TEST_CASE("A small move after the cap is reported below the margin rather than cap reached") {
  RequireSkip(DecideEtrAnnouncement(kEtr, 3, kEtr + minutes(5), kDefaults),
              EtrSkipReason::kBelowMargin);
}

TEST_CASE("A zero margin announces any change and a larger cap allows more updates") {
  const EtrSettings eager{core::Duration::zero(), 5};
  RequireAnnounce(DecideEtrAnnouncement(kEtr, 4, kEtr + seconds(1), eager), false);
  RequireSkip(DecideEtrAnnouncement(kEtr, 4, kEtr, eager), EtrSkipReason::kUnchanged);
  RequireSkip(DecideEtrAnnouncement(kEtr, 5, kEtr + seconds(1), eager), EtrSkipReason::kCapReached);
}

TEST_CASE("An outage's stream of estimates yields the expected announcements") {
  // Estimates as dispatch revises them; the caller records each announcement.
  const std::vector<core::TimePoint> stream = {
      kEtr,                // first: announced
      kEtr,                // unchanged
      kEtr + minutes(20),  // below margin (vs 18:00)
      kEtr + minutes(45),  // announced (45 > 30 vs 18:00)
      kEtr + minutes(70),  // below margin (25 vs 18:45)
      kEtr + minutes(20),  // below margin (25 earlier than 18:45)
      kEtr + hours(2),     // announced (75 vs 18:45)
      kEtr + hours(4),     // cap reached (3 announced)
  };
  const std::vector<std::optional<EtrSkipReason>> expected = {
      std::nullopt, EtrSkipReason::kUnchanged,   EtrSkipReason::kBelowMargin,
      std::nullopt, EtrSkipReason::kBelowMargin, EtrSkipReason::kBelowMargin,
      std::nullopt, EtrSkipReason::kCapReached,
  };
  std::optional<core::TimePoint> last;
  int count = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    INFO("estimate " << i);
    const auto d = DecideEtrAnnouncement(last, count, stream[i], kDefaults);
    CHECK(d.skip_reason == expected[i]);
    CHECK(d.announce == !expected[i].has_value());
    CHECK(d.first == (i == 0));
    if (d.announce) {
      last = stream[i];
      ++count;
    }
  }
  CHECK(count == 3);
  CHECK(last == kEtr + hours(2));
}

TEST_CASE("Skip reason names are the documented words") {
  CHECK(EtrSkipReasonName(EtrSkipReason::kUnchanged) == "unchanged");
  CHECK(EtrSkipReasonName(EtrSkipReason::kBelowMargin) == "below_margin");
  CHECK(EtrSkipReasonName(EtrSkipReason::kCapReached) == "cap_reached");
}

}  // namespace
}  // namespace gridcare::notification
