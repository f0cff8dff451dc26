// Pauses: IsPaused and ShiftClocksForPause (wall time, working time over weekends, holidays and
// 调休; a breach before the pause stays, a deadline during the pause moves).
#include <catch2/catch.hpp>
#include <chrono>

#include "case_clocks.h"
#include "clocks_test_util.h"

namespace gridcare::complaint {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using Clock = v1::ServiceClock;

// A complaint case opened at `opened` with its standard clocks.
v1::ComplaintCase CaseOpenedAt(core::TimePoint opened) {
  v1::ComplaintCase c;
  c.set_case_id("CC-1");
  c.set_state(v1::CASE_STATE_ROUTED);
  *c.mutable_opened_at() = sla::ToTimestamp(opened);
  for (auto& clock : CaseClocks(v1::REQUEST_TYPE_COMPLAINT, v1::CASE_ORIGIN_TICKET, false, opened,
                                {}, {}, Cn2026())) {
    *c.add_clocks() = std::move(clock);
  }
  return c;
}

int Shift(v1::ComplaintCase& c, core::TimePoint paused_at, core::TimePoint resumed_at) {
  return ShiftClocksForPause(c, paused_at, resumed_at, Cn2026());
}

void CheckDue(const v1::ComplaintCase& c, int index, core::TimePoint expected) {
  INFO("clock " << index << " due " << Show(Due(c.clocks(index))) << ", expected "
                << Show(expected));
  CHECK(Due(c.clocks(index)) == expected);
}

}  // namespace

TEST_CASE("a case is paused while its last pause has no resume time") {
  v1::ComplaintCase c;
  CHECK_FALSE(IsPaused(c));
  auto* first = c.add_pauses();
  *first->mutable_paused_at() = sla::ToTimestamp(At(2026, 11, 2, 10));
  CHECK(IsPaused(c));
  *first->mutable_resumed_at() = sla::ToTimestamp(At(2026, 11, 2, 12));
  CHECK_FALSE(IsPaused(c));
  auto* second = c.add_pauses();
  *second->mutable_paused_at() = sla::ToTimestamp(At(2026, 11, 3, 10));
  CHECK(IsPaused(c));
}

TEST_CASE("a pause moves wall clocks by its length and working-day clocks by its working time") {
  // Opened Wed 2026-09-30 16:00: contact due Oct 1 16:00, reply due Tue Oct 13 16:00.
  v1::ComplaintCase c = CaseOpenedAt(At(2026, 9, 30, 16));
  // Paused 18:00 to 02:00 the next day: 8 h of wall time, of which only 6 h fall on a working day
  // (Sep 30; Oct 1 is National Day).
  CHECK(Shift(c, At(2026, 9, 30, 18), At(2026, 10, 1, 2)) == 2);
  CheckDue(c, 0, At(2026, 10, 2, 0));    // Oct 1 16:00 + 8 h
  CheckDue(c, 1, At(2026, 10, 13, 22));  // Oct 13 16:00 + 6 working hours
  CHECK(sla::FromTimestamp(c.clocks(0).starts_at()) == At(2026, 9, 30, 16));  // start unchanged
}

TEST_CASE("working time inside a pause skips the weekend") {
  // Opened Mon 2026-11-02 10:00: reply due Mon Nov 9 10:00; the contact was made.
  v1::ComplaintCase c = CaseOpenedAt(At(2026, 11, 2, 10));
  *c.mutable_clocks(0)->mutable_met_at() = sla::ToTimestamp(At(2026, 11, 2, 15));
  // Fri Nov 6 12:00 to Mon Nov 9 06:00: 12 h on Friday + 6 h on Monday = 18 working hours.
  CHECK(Shift(c, At(2026, 11, 6, 12), At(2026, 11, 9, 6)) == 1);
  CheckDue(c, 0, At(2026, 11, 3, 10));  // met: not moved
  CheckDue(c, 1, At(2026, 11, 10, 4));  // Mon 10:00 + 14 h (to midnight) + 4 h on Tuesday
}

TEST_CASE("working time inside a pause skips the National Day holiday") {
  // Opened Mon 2026-09-28 09:00: contact due Sep 29 09:00, reply due Sat Oct 10 09:00 (Sep 29,
  // 30, Oct 8, 9, 10).
  v1::ComplaintCase c = CaseOpenedAt(At(2026, 9, 28, 9));
  CheckDue(c, 1, At(2026, 10, 10, 9));
  // Wed Sep 30 12:00 to Fri Oct 9 12:00: 12 h (Sep 30) + 24 h (Oct 8) + 12 h (Oct 9) = 48 h.
  CHECK(Shift(c, At(2026, 9, 30, 12), At(2026, 10, 9, 12)) == 1);
  // The contact clock was overdue when the pause began: the breach stays.
  CheckDue(c, 0, At(2026, 9, 29, 9));
  // Sat Oct 10 09:00 + 15 h (the working Saturday) + 24 h (Mon 12) + 9 h -> Tue Oct 13 09:00.
  CheckDue(c, 1, At(2026, 10, 13, 9));
}

TEST_CASE("the working Saturday 2026-10-10 inside a pause counts") {
  v1::ComplaintCase c = CaseOpenedAt(At(2026, 9, 28, 9));
  *c.mutable_clocks(0)->mutable_met_at() = sla::ToTimestamp(At(2026, 9, 28, 11));
  // Fri Oct 9 18:00 to Mon Oct 12 06:00: 6 h (Fri) + 24 h (Sat 调休) + 0 (Sun) + 6 h (Mon) = 36 h.
  // The reply (due Sat Oct 10 09:00) falls due during the pause: it moves.
  CHECK(Shift(c, At(2026, 10, 9, 18), At(2026, 10, 12, 6)) == 1);
  // Sat 09:00 + 15 h to midnight, Sunday skipped, + 21 h on Monday.
  CheckDue(c, 1, At(2026, 10, 12, 21));
}

TEST_CASE("a deadline that falls due during a pause moves, one already breached does not") {
  // Opened Mon 2026-11-02 10:00: contact due Tue Nov 3 10:00, reply due Mon Nov 9 10:00.
  v1::ComplaintCase c = CaseOpenedAt(At(2026, 11, 2, 10));
  // Paused Mon 20:00 to Wed Nov 4 08:00 (36 h, all working time): the contact deadline passes
  // during the pause, a recorded legitimate reason, so it moves.
  CHECK(Shift(c, At(2026, 11, 2, 20), At(2026, 11, 4, 8)) == 2);
  CheckDue(c, 0, At(2026, 11, 4, 22));
  CheckDue(c, 1, At(2026, 11, 10, 22));  // Mon 10:00 + 14 h + 22 h

  // A second pause after the contact deadline passed: the breach is not hidden.
  CHECK(Shift(c, At(2026, 11, 5, 8), At(2026, 11, 5, 10)) == 1);
  CheckDue(c, 0, At(2026, 11, 4, 22));
  CheckDue(c, 1, At(2026, 11, 11, 0));  // + 2 working hours
}

TEST_CASE("a pause that begins exactly at a deadline moves it") {
  v1::ComplaintCase c = CaseOpenedAt(At(2026, 11, 2, 10));
  CHECK(Shift(c, At(2026, 11, 3, 10), At(2026, 11, 3, 13)) == 2);
  CheckDue(c, 0, At(2026, 11, 3, 13));
  CheckDue(c, 1, At(2026, 11, 9, 13));
}

TEST_CASE("a pause over a weekend only moves wall clocks") {
  v1::ComplaintCase c;
  *c.add_clocks() =
      MakeClock(Clock::KIND_COMPLAINT_CONTACT, At(2026, 11, 6, 12), At(2026, 11, 9, 12), false);
  *c.add_clocks() =
      MakeClock(Clock::KIND_COMPLAINT_REPLY, At(2026, 11, 6, 12), At(2026, 11, 10, 12), true);
  // Sat Nov 7 08:00 to Sun Nov 8 20:00: 36 h of wall time, no working time.
  CHECK(Shift(c, At(2026, 11, 7, 8), At(2026, 11, 8, 20)) == 1);
  CheckDue(c, 0, At(2026, 11, 11, 0));
  CheckDue(c, 1, At(2026, 11, 10, 12));
}

TEST_CASE("working time running out at the end of a Friday ends on Monday 00:00") {
  v1::ComplaintCase c;
  *c.add_clocks() =
      MakeClock(Clock::KIND_COMPLAINT_REPLY, At(2026, 11, 2, 20), At(2026, 11, 6, 20), true);
  // Mon Nov 2 10:00 to 14:00: 4 working hours; Fri 20:00 + 4 h = the end of Friday.
  CHECK(Shift(c, At(2026, 11, 2, 10), At(2026, 11, 2, 14)) == 1);
  CheckDue(c, 0, At(2026, 11, 9, 0));
}

TEST_CASE("a working-day deadline on a holiday moves from the next working day") {
  v1::ComplaintCase c;
  // A deadline left on a holiday (by an older calendar): Sat Oct 3 12:00.
  *c.add_clocks() =
      MakeClock(Clock::KIND_COMPLAINT_REPLY, At(2026, 9, 28, 12), At(2026, 10, 3, 12), true);
  // Wed Sep 30 20:00 to 23:00: 3 working hours.
  CHECK(Shift(c, At(2026, 9, 30, 20), At(2026, 9, 30, 23)) == 1);
  CheckDue(c, 0, At(2026, 10, 8, 3));  // from Thu Oct 8 00:00
}

TEST_CASE("met clocks, empty pauses and reversed pauses move nothing") {
  v1::ComplaintCase c = CaseOpenedAt(At(2026, 11, 2, 10));
  CHECK(Shift(c, At(2026, 11, 2, 12), At(2026, 11, 2, 12)) == 0);
  CHECK(Shift(c, At(2026, 11, 2, 14), At(2026, 11, 2, 12)) == 0);
  CheckDue(c, 0, At(2026, 11, 3, 10));
  CheckDue(c, 1, At(2026, 11, 9, 10));
  for (auto& clock : *c.mutable_clocks()) {
    *clock.mutable_met_at() = sla::ToTimestamp(At(2026, 11, 2, 11));
  }
  CHECK(Shift(c, At(2026, 11, 2, 12), At(2026, 11, 4, 12)) == 0);
  CheckDue(c, 0, At(2026, 11, 3, 10));
  CheckDue(c, 1, At(2026, 11, 9, 10));
}

TEST_CASE("a pause that moves a deadline into an uncovered year makes it provisional") {
  v1::ComplaintCase c;
  *c.add_clocks() =
      MakeClock(Clock::KIND_COMPLAINT_REPLY, At(2026, 12, 24, 12), At(2026, 12, 31, 12), true);
  CHECK(Shift(c, At(2026, 12, 28, 0), At(2026, 12, 29, 0)) == 1);
  CheckDue(c, 0, At(2027, 1, 1, 12));  // Fri Jan 1 2027 counts: not in the 2026 file
  CHECK(c.clocks(0).provisional());
}

}  // namespace gridcare::complaint
