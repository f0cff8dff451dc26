#include "quiet_hours.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "policy_test_time.h"

namespace gridcare::notification {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using testing::Utc;

constexpr int kShanghai = 480;
constexpr int kNewYork = -300;
const QuietHoursWindow kNight{22 * 60, 7 * 60};  // 22:00–07:00, crosses midnight
const QuietHoursSettings kDefaults;

QuietHoursDecision Service(const QuietHoursWindow& window, int offset, core::TimePoint now) {
  return Decide(MessageClass::kService, window, offset, false, std::nullopt, now, kDefaults);
}

QuietHoursDecision Outage(core::TimePoint now, std::optional<core::TimePoint> restoration,
                          bool life_support = false) {
  return Decide(MessageClass::kOutage, kNight, kShanghai, life_support, restoration, now,
                kDefaults);
}

void RequireSendNow(const QuietHoursDecision& d, QuietHoursReason reason) {
  CHECK(d.verdict == QuietHoursVerdict::kSendNow);
  CHECK(d.reason == reason);
  CHECK(d.hold_until == core::TimePoint{});
}

void RequireHold(const QuietHoursDecision& d, core::TimePoint until) {
  CHECK(d.verdict == QuietHoursVerdict::kHold);
  CHECK(d.reason == QuietHoursReason::kHeldToEnd);
  CHECK(d.hold_until == until);
}

// Local Shanghai 2026-06-10 hh:mm is UTC hh:mm − 8 h.
core::TimePoint Shanghai(int d, int h, int mi, int s = 0) {
  return Utc(2026, 6, static_cast<unsigned>(d), h, mi, s) - hours(8);
}

TEST_CASE("A window that crosses midnight holds from its start up to but not including its end") {
  RequireSendNow(Service(kNight, kShanghai, Shanghai(10, 21, 59, 59)),
                 QuietHoursReason::kOutsideQuietHours);
  RequireHold(Service(kNight, kShanghai, Shanghai(10, 22, 0)), Shanghai(11, 7, 0));
  RequireHold(Service(kNight, kShanghai, Shanghai(10, 23, 59, 59)), Shanghai(11, 7, 0));
  RequireHold(Service(kNight, kShanghai, Shanghai(11, 0, 0)), Shanghai(11, 7, 0));
  RequireHold(Service(kNight, kShanghai, Shanghai(11, 6, 59, 59)), Shanghai(11, 7, 0));
  RequireHold(Service(kNight, kShanghai, Shanghai(11, 6, 59, 59) + std::chrono::milliseconds(999)),
              Shanghai(11, 7, 0));
  RequireSendNow(Service(kNight, kShanghai, Shanghai(11, 7, 0)),
                 QuietHoursReason::kOutsideQuietHours);
  RequireSendNow(Service(kNight, kShanghai, Shanghai(11, 12, 0)),
                 QuietHoursReason::kOutsideQuietHours);
}

TEST_CASE("A window within one day holds from start to end") {
  const QuietHoursWindow lunch{13 * 60, 14 * 60};
  RequireSendNow(Service(lunch, kShanghai, Shanghai(10, 12, 59, 59)),
                 QuietHoursReason::kOutsideQuietHours);
  RequireHold(Service(lunch, kShanghai, Shanghai(10, 13, 0)), Shanghai(10, 14, 0));
  RequireHold(Service(lunch, kShanghai, Shanghai(10, 13, 59, 59)), Shanghai(10, 14, 0));
  RequireSendNow(Service(lunch, kShanghai, Shanghai(10, 14, 0)),
                 QuietHoursReason::kOutsideQuietHours);
}

TEST_CASE("Windows that start or end at midnight keep the half-open rule") {
  const QuietHoursWindow early{0, 6 * 60};
  RequireHold(Service(early, kShanghai, Shanghai(10, 0, 0)), Shanghai(10, 6, 0));
  RequireSendNow(Service(early, kShanghai, Shanghai(10, 23, 59, 59)),
                 QuietHoursReason::kOutsideQuietHours);
  const QuietHoursWindow late{22 * 60, 0};
  RequireHold(Service(late, kShanghai, Shanghai(10, 23, 59, 59)), Shanghai(11, 0, 0));
  RequireSendNow(Service(late, kShanghai, Shanghai(11, 0, 0)),
                 QuietHoursReason::kOutsideQuietHours);
}

TEST_CASE("Equal start and end mean no quiet hours for every class") {
  for (const int minute : {0, 600, 1439}) {
    const QuietHoursWindow none{minute, minute};
    CHECK(none.empty());
    for (const MessageClass c :
         {MessageClass::kOutage, MessageClass::kService, MessageClass::kMarketing}) {
      RequireSendNow(
          Decide(c, none, kShanghai, false, std::nullopt, Shanghai(10, 10, 0), kDefaults),
          QuietHoursReason::kNoQuietHours);
      RequireSendNow(Decide(c, none, kShanghai, false, std::nullopt,
                            Shanghai(10, minute / 60, minute % 60), kDefaults),
                     QuietHoursReason::kNoQuietHours);
    }
  }
}

TEST_CASE("The local time follows the offset at UTC") {
  // 23:30 UTC is inside 22–07 at UTC; the hold ends at 07:00 UTC the next day.
  RequireHold(Service(kNight, 0, Utc(2026, 1, 14, 23, 30)), Utc(2026, 1, 15, 7, 0));
  RequireSendNow(Service(kNight, 0, Utc(2026, 1, 15, 7, 0)), QuietHoursReason::kOutsideQuietHours);
  RequireHold(Service(kNight, 0, Utc(2026, 1, 15, 6, 59, 59)), Utc(2026, 1, 15, 7, 0));
}

TEST_CASE("The local time follows a negative offset whose local date is a day behind UTC") {
  // 03:30 UTC on the 15th is 22:30 on the 14th in New York (UTC−5); 07:00 local is 12:00 UTC.
  RequireHold(Service(kNight, kNewYork, Utc(2026, 1, 15, 3, 30)), Utc(2026, 1, 15, 12, 0));
  RequireSendNow(Service(kNight, kNewYork, Utc(2026, 1, 15, 2, 59, 59)),
                 QuietHoursReason::kOutsideQuietHours);
  RequireHold(Service(kNight, kNewYork, Utc(2026, 1, 15, 3, 0)), Utc(2026, 1, 15, 12, 0));
  RequireSendNow(Service(kNight, kNewYork, Utc(2026, 1, 15, 12, 0)),
                 QuietHoursReason::kOutsideQuietHours);
}

TEST_CASE("The local time follows a positive offset whose local date is a day ahead of UTC") {
  // 16:30 UTC on 1 March is 00:30 on 2 March in Shanghai; 07:00 local is 23:00 UTC on 1 March.
  RequireHold(Service(kNight, kShanghai, Utc(2026, 3, 1, 16, 30)), Utc(2026, 3, 1, 23, 0));
  // 14:00 UTC is 22:00 local: the start.
  RequireHold(Service(kNight, kShanghai, Utc(2026, 3, 1, 14, 0)), Utc(2026, 3, 1, 23, 0));
  RequireSendNow(Service(kNight, kShanghai, Utc(2026, 3, 1, 13, 59, 59)),
                 QuietHoursReason::kOutsideQuietHours);
  RequireSendNow(Service(kNight, kShanghai, Utc(2026, 3, 1, 23, 0)),
                 QuietHoursReason::kOutsideQuietHours);
}

TEST_CASE("Every minute of a day is judged like the window says at three offsets") {
  for (const int offset : {kShanghai, 0, kNewYork}) {
    const core::TimePoint local_midnight_utc = Utc(2026, 6, 10, 0, 0) - minutes(offset);
    for (int minute = 0; minute < 24 * 60; ++minute) {
      const core::TimePoint now = local_midnight_utc + minutes(minute) + seconds(30);
      const auto d = Service(kNight, offset, now);
      const bool inside = minute >= 22 * 60 || minute < 7 * 60;
      INFO("offset " << offset << " minute " << minute);
      REQUIRE(kNight.Contains(minute) == inside);
      if (!inside) {
        REQUIRE(d.verdict == QuietHoursVerdict::kSendNow);
        continue;
      }
      const core::TimePoint end =
          local_midnight_utc + hours(7) + (minute >= 22 * 60 ? hours(24) : hours(0));
      REQUIRE(d.verdict == QuietHoursVerdict::kHold);
      REQUIRE(d.hold_until == end);
    }
  }
}

TEST_CASE("A time before 1970 still finds its local minute") {
  RequireHold(Service(kNight, 0, Utc(1969, 12, 31, 23, 30)), Utc(1970, 1, 1, 7, 0));
  RequireSendNow(Service(kNight, 0, Utc(1969, 12, 31, 12, 0)),
                 QuietHoursReason::kOutsideQuietHours);
}

TEST_CASE("Safety and staff messages bypass quiet hours") {
  for (const MessageClass c : {MessageClass::kSafety, MessageClass::kStaff}) {
    RequireSendNow(Decide(c, kNight, kShanghai, false, std::nullopt, Shanghai(11, 3, 0), kDefaults),
                   QuietHoursReason::kClassBypasses);
    RequireSendNow(Decide(c, kNight, kShanghai, true, std::nullopt, Shanghai(11, 3, 0), kDefaults),
                   QuietHoursReason::kClassBypasses);
    RequireSendNow(Decide(c, {}, kShanghai, false, std::nullopt, Shanghai(11, 3, 0), kDefaults),
                   QuietHoursReason::kClassBypasses);
  }
}

TEST_CASE("Marketing is dropped inside quiet hours even for life-support recipients") {
  for (const bool life_support : {false, true}) {
    const auto d = Decide(MessageClass::kMarketing, kNight, kShanghai, life_support,
                          Shanghai(11, 3, 5), Shanghai(11, 3, 0), kDefaults);
    CHECK(d.verdict == QuietHoursVerdict::kDrop);
    CHECK(d.reason == QuietHoursReason::kMarketingSuppressed);
    CHECK(d.hold_until == core::TimePoint{});
  }
  RequireSendNow(Decide(MessageClass::kMarketing, kNight, kShanghai, false, std::nullopt,
                        Shanghai(11, 7, 0), kDefaults),
                 QuietHoursReason::kOutsideQuietHours);
}

TEST_CASE("Outage notices to life-support recipients go at once inside quiet hours") {
  RequireSendNow(Outage(Shanghai(11, 3, 0), std::nullopt, true), QuietHoursReason::kLifeSupport);
  RequireSendNow(Outage(Shanghai(11, 3, 0), Shanghai(11, 9, 0), true),
                 QuietHoursReason::kLifeSupport);
  // Outside quiet hours the reason says so.
  RequireSendNow(Outage(Shanghai(11, 8, 0), std::nullopt, true),
                 QuietHoursReason::kOutsideQuietHours);
}

TEST_CASE("Service notices to life-support recipients are still held") {
  RequireHold(Decide(MessageClass::kService, kNight, kShanghai, true, Shanghai(11, 3, 10),
                     Shanghai(11, 3, 0), kDefaults),
              Shanghai(11, 7, 0));
}

TEST_CASE("Outage notices go at once when restoration is expected within the imminent window") {
  const core::TimePoint now = Shanghai(11, 3, 0);
  RequireSendNow(Outage(now, now), QuietHoursReason::kRestorationImminent);
  RequireSendNow(Outage(now, now + minutes(10)), QuietHoursReason::kRestorationImminent);
  RequireSendNow(Outage(now, now + minutes(30)), QuietHoursReason::kRestorationImminent);
  RequireHold(Outage(now, now + minutes(30) + nanoseconds(1)), Shanghai(11, 7, 0));
  RequireHold(Outage(now, now + hours(2)), Shanghai(11, 7, 0));
}

TEST_CASE("Outage notices are held without an estimate or with one already passed") {
  const core::TimePoint now = Shanghai(11, 3, 0);
  RequireHold(Outage(now, std::nullopt), Shanghai(11, 7, 0));
  RequireHold(Outage(now, now - seconds(1)), Shanghai(11, 7, 0));
  RequireHold(Outage(now, now - hours(3)), Shanghai(11, 7, 0));
}

TEST_CASE("The imminent window comes from the settings") {
  const QuietHoursSettings hour{hours(1)};
  const core::TimePoint now = Shanghai(11, 3, 0);
  const auto at = [&](core::TimePoint restoration) {
    return Decide(MessageClass::kOutage, kNight, kShanghai, false, restoration, now, hour);
  };
  RequireSendNow(at(now + minutes(60)), QuietHoursReason::kRestorationImminent);
  RequireHold(at(now + minutes(61)), Shanghai(11, 7, 0));
  const QuietHoursSettings zero{core::Duration::zero()};
  RequireSendNow(Decide(MessageClass::kOutage, kNight, kShanghai, false, now, now, zero),
                 QuietHoursReason::kRestorationImminent);
  RequireHold(Decide(MessageClass::kOutage, kNight, kShanghai, false, now + seconds(1), now, zero),
              Shanghai(11, 7, 0));
}

TEST_CASE("Imminent restoration does not release service or marketing messages") {
  const core::TimePoint now = Shanghai(11, 3, 0);
  RequireHold(
      Decide(MessageClass::kService, kNight, kShanghai, false, now + minutes(5), now, kDefaults),
      Shanghai(11, 7, 0));
  CHECK(Decide(MessageClass::kMarketing, kNight, kShanghai, false, now + minutes(5), now, kDefaults)
            .verdict == QuietHoursVerdict::kDrop);
}

TEST_CASE("The window from the profile reads an unset window as none and clamps stray values") {
  v1::QuietHours proto;
  CHECK(QuietHoursWindow::FromProto(proto).empty());
  proto.set_start_minute_of_day(1320);
  proto.set_end_minute_of_day(420);
  const auto night = QuietHoursWindow::FromProto(proto);
  CHECK(night.start_minute_of_day == 1320);
  CHECK(night.end_minute_of_day == 420);
  proto.set_start_minute_of_day(-5);
  proto.set_end_minute_of_day(5000);
  const auto clamped = QuietHoursWindow::FromProto(proto);
  CHECK(clamped.start_minute_of_day == 0);
  CHECK(clamped.end_minute_of_day == 1439);
}

TEST_CASE("Verdict and reason names are the documented words") {
  CHECK(QuietHoursVerdictName(QuietHoursVerdict::kSendNow) == "send_now");
  CHECK(QuietHoursVerdictName(QuietHoursVerdict::kHold) == "hold");
  CHECK(QuietHoursVerdictName(QuietHoursVerdict::kDrop) == "drop");
  CHECK(QuietHoursReasonName(QuietHoursReason::kNoQuietHours) == "no_quiet_hours");
  CHECK(QuietHoursReasonName(QuietHoursReason::kOutsideQuietHours) == "outside_quiet_hours");
  CHECK(QuietHoursReasonName(QuietHoursReason::kClassBypasses) == "class_bypasses");
  CHECK(QuietHoursReasonName(QuietHoursReason::kLifeSupport) == "life_support");
  CHECK(QuietHoursReasonName(QuietHoursReason::kRestorationImminent) == "restoration_imminent");
  CHECK(QuietHoursReasonName(QuietHoursReason::kHeldToEnd) == "held_to_end");
  CHECK(QuietHoursReasonName(QuietHoursReason::kMarketingSuppressed) == "marketing_suppressed");
}

}  // namespace
}  // namespace gridcare::notification
