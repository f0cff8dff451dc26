#include <catch2/catch.hpp>

#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

// Ten days and a half from kNow: 2026-12-16 17:00 UTC (01:00 on the 17th in China).
const core::TimePoint kStart = kNow + 10 * 24h + 10h + 30min;
const core::TimePoint kEnd = kStart + 8h;
const std::vector<v1::CustomerTag> kImportant = {v1::CUSTOMER_TAG_IMPORTANT,
                                                 v1::CUSTOMER_TAG_LIFE_SUPPORT};

v1::DispatchEvent Registered(core::TimePoint start, core::TimePoint end, bool cancelled = false,
                             v1::LocalizedText reason = Loc("线路检修", "line maintenance"),
                             std::string feeder = "", std::string transformer = "TA-0001-03-012") {
  v1::DispatchEvent event;
  v1::PlannedOutage* p = event.mutable_planned_outage_registered()->mutable_planned_outage();
  p->set_planned_outage_id("PO-17");
  p->mutable_scope()->set_feeder_id(std::move(feeder));
  p->mutable_scope()->set_transformer_id(std::move(transformer));
  *p->mutable_starts_at() = Ts(start);
  *p->mutable_ends_at() = Ts(end);
  *p->mutable_reason() = std::move(reason);
  p->set_registered_by("dispatcher-3");
  p->set_cancelled(cancelled);
  return event;
}

ExpectedValues Window(core::TimePoint start, core::TimePoint end,
                      Value cause = LocValue("线路检修", "line maintenance")) {
  return {
      {"cause", std::move(cause)}, {"starts_at", TimeValue(start)}, {"ends_at", TimeValue(end)}};
}

ExpectedIntent Notice(core::TimePoint at, core::TimePoint start = kStart,
                      core::TimePoint end = kEnd) {
  return {"planned_outage.notice",
          "planned_outage.notice",
          "PO-17",
          Transformer("TA-0001-03-012"),
          Window(start, end),
          true,
          at};
}

ExpectedIntent Reminder(core::TimePoint at, core::TimePoint start = kStart,
                        core::TimePoint end = kEnd) {
  return {"planned_outage.reminder",
          "planned_outage.reminder",
          "PO-17",
          Transformer("TA-0001-03-012", kImportant),
          Window(start, end),
          true,
          at};
}

// Feeds registrations with the memo the previous one returned; a redelivery of each changes
// nothing.
class PlannedRun {
 public:
  DispatchOutcome Feed(const v1::DispatchEvent& event, core::TimePoint now) {
    DispatchOutcome out = Shipped().OnDispatch(event, memo_, now);
    const DispatchOutcome again = Shipped().OnDispatch(event, out.memo, now);
    CHECK(again.intents.empty());
    CHECK(again.withdrawals.empty());
    CHECK(again.memo == out.memo);
    memo_ = out.memo;
    return out;
  }
  const IncidentMemo& memo() const { return memo_; }

 private:
  IncidentMemo memo_;
};

TEST_CASE("A planned outage is noticed 7 days ahead and reminded 24 hours ahead") {
  PlannedRun run;
  const auto out = run.Feed(Registered(kStart, kEnd), kNow);
  CheckIntents(out.intents, {Notice(kStart - 7 * 24h), Reminder(kStart - 24h)});
  CHECK(out.withdrawals.empty());
  REQUIRE(run.memo().planned);
  CHECK(run.memo().planned->notice_at == kStart - 7 * 24h);
  CHECK(run.memo().planned->starts_at == kStart);
  CHECK(run.memo().planned->reason_en == "line maintenance");
  CHECK_FALSE(run.memo().started);
  CHECK(TriggerRules::MemoKey(Registered(kStart, kEnd)) == "PO-17");
}

TEST_CASE("A planned outage registered late is noticed at once") {
  SECTION("three days ahead: the notice now, the reminder a day before") {
    const core::TimePoint start = kNow + 72h;
    const auto out = Shipped().OnDispatch(Registered(start, start + 4h), {}, kNow);
    CheckIntents(out.intents,
                 {Notice(kNow, start, start + 4h), Reminder(start - 24h, start, start + 4h)});
  }
  SECTION("ten hours ahead: the notice now to everybody, no separate reminder") {
    const core::TimePoint start = kNow + 10h;
    const auto out = Shipped().OnDispatch(Registered(start, start + 4h), {}, kNow);
    CheckIntents(out.intents, {Notice(kNow, start, start + 4h)});
  }
  SECTION("already started: too late for a notice") {
    const auto out = Shipped().OnDispatch(Registered(kNow - 1h, kNow + 3h), {}, kNow);
    CHECK(out.intents.empty());
    REQUIRE(out.memo.planned);
    CHECK(out.memo.planned->notice_at == kNow);
  }
}

TEST_CASE("A feeder-wide planned outage notices the feeder and a missing reason reads as work") {
  const auto out =
      Shipped().OnDispatch(Registered(kStart, kEnd, false, {}, "FDR-0001-03", ""), {}, kNow);
  REQUIRE(out.intents.size() == 2);
  CHECK(out.intents[0].recipients == Feeder("FDR-0001-03"));
  CHECK(out.intents[1].recipients == Feeder("FDR-0001-03", kImportant));
  CheckValues(out.intents[0].values,
              Window(kStart, kEnd, LocValue("电网检修", "maintenance work on the grid")));
}

TEST_CASE("A planned outage without a scope or a start notices nobody") {
  CHECK(Shipped()
            .OnDispatch(Registered(kStart, kEnd, false, Loc("检修", "work"), "", ""), {}, kNow)
            .intents.empty());
  v1::DispatchEvent no_start = Registered(kStart, kEnd);
  no_start.mutable_planned_outage_registered()->mutable_planned_outage()->clear_starts_at();
  CHECK(Shipped().OnDispatch(no_start, {}, kNow).intents.empty());
}

TEST_CASE("Registering the same window again with other wording notices nobody again") {
  PlannedRun run;
  run.Feed(Registered(kStart, kEnd), kNow);
  const auto again =
      run.Feed(Registered(kStart, kEnd, false, Loc("线路检修及消缺", "line repairs")), kNow + 1h);
  CHECK(again.intents.empty());
  CHECK(again.withdrawals.empty());
}

TEST_CASE("A planned outage moved before its notice went out is noticed for the new window") {
  PlannedRun run;
  run.Feed(Registered(kStart, kEnd), kNow);
  const auto moved = run.Feed(Registered(kStart + 48h, kEnd + 48h), kNow + 1h);
  CHECK(moved.withdrawals == std::vector<Withdrawal>{{"PO-17", ""}});
  CheckIntents(moved.intents, {Notice(kStart + 48h - 7 * 24h, kStart + 48h, kEnd + 48h),
                               Reminder(kStart + 24h, kStart + 48h, kEnd + 48h)});
}

TEST_CASE("A planned outage moved after its notice went out is noticed again at once") {
  PlannedRun run;
  run.Feed(Registered(kStart, kEnd), kNow);
  const core::TimePoint later = kStart - 5 * 24h;  // the first notice went two days ago
  const auto moved = run.Feed(Registered(kStart + 72h, kEnd + 72h), later);
  CHECK(moved.withdrawals == std::vector<Withdrawal>{{"PO-17", ""}});
  CheckIntents(moved.intents, {Notice(later, kStart + 72h, kEnd + 72h),
                               Reminder(kStart + 48h, kStart + 72h, kEnd + 72h)});
}

TEST_CASE("A cancelled planned outage customers were told of is announced as cancelled") {
  PlannedRun run;
  run.Feed(Registered(kStart, kEnd), kNow);
  const core::TimePoint later = kStart - 3 * 24h;
  const auto cancelled =
      run.Feed(Registered(kStart, kEnd, true, Loc("线路检修", "line maintenance")), later);
  CHECK(cancelled.withdrawals == std::vector<Withdrawal>{{"PO-17", ""}});
  CheckIntents(cancelled.intents, {{"planned_outage.cancelled", "planned_outage.cancelled", "PO-17",
                                    Transformer("TA-0001-03-012"), Window(kStart, kEnd), true}});
  REQUIRE(run.memo().planned);
  CHECK(run.memo().planned->cancelled);
  // Cancelled again, or registered cancelled with another window: nothing more.
  CHECK(run.Feed(Registered(kStart + 1h, kEnd, true), later + 1h).intents.empty());
}

TEST_CASE("A planned outage cancelled before its notice was due is only withdrawn") {
  PlannedRun run;
  run.Feed(Registered(kStart, kEnd), kNow);
  const auto cancelled = run.Feed(Registered(kStart, kEnd, true), kNow + 24h);
  CHECK(cancelled.withdrawals == std::vector<Withdrawal>{{"PO-17", ""}});
  CHECK(cancelled.intents.empty());
  REQUIRE(run.memo().planned);
  CHECK(run.memo().planned->cancelled);
}

TEST_CASE("A planned outage registered cancelled is remembered and announces nothing") {
  PlannedRun run;
  const auto out = run.Feed(Registered(kStart, kEnd, true), kNow);
  CHECK(out.intents.empty());
  CHECK(out.withdrawals.empty());
  REQUIRE(run.memo().planned);
  CHECK(run.memo().planned->cancelled);
  CHECK(run.memo().planned->notice_at == kNow);
}

TEST_CASE("A cancelled planned outage registered again is noticed afresh") {
  PlannedRun run;
  run.Feed(Registered(kStart, kEnd), kNow);
  run.Feed(Registered(kStart, kEnd, true), kNow + 24h);
  const auto again = run.Feed(Registered(kStart, kEnd), kNow + 48h);
  CHECK(again.withdrawals.empty());
  CheckIntents(again.intents, {Notice(kStart - 7 * 24h), Reminder(kStart - 24h)});
}

}  // namespace
}  // namespace gridcare::notification
