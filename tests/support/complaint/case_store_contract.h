#pragma once

// What every CaseStore must do, written once and run against FakeCaseStore (unit
// tests/unit/complaint_desk_core) and RedisCaseStore on a real redis-server
// (tests/integration/complaint_store). Each function starts from an empty store and checks one
// part of a commit through Commit and the reads (Load, LoadMany, Outbox, PendingOutboxes,
// DueTimers, OpenCases).

#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "case_store.h"
#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint::test {

using Strs = std::vector<std::string>;

inline v1::StoredCase CaseDoc(const std::string& id, const std::string& department,
                              v1::CaseState state = v1::CASE_STATE_ROUTED) {
  v1::StoredCase stored;
  auto& c = *stored.mutable_complaint_case();
  c.set_case_id(id);
  c.set_ticket_id(id.substr(3));
  c.set_department_id(department);
  c.set_state(state);
  c.set_text("电费太高了，要求核查");
  c.mutable_opened_at()->set_seconds(1'793'000'000);
  stored.add_applied("evt-" + id);
  stored.add_fired_alarms(id + "/contact/r50");
  stored.set_version(1);
  return stored;
}

/// A commit of `stored` listed under its department at `first_due_ms` with a timer.
inline CaseCommit CommitOf(const v1::StoredCase& stored, std::optional<int64_t> first_due_ms,
                           std::optional<int64_t> timer_ms = std::nullopt) {
  CaseCommit commit;
  commit.stored = stored;
  commit.first_due_ms = first_due_ms;
  commit.timer_ms = timer_ms;
  return commit;
}

/// A record with binary bytes in its value and headers, as MakeRecord makes them.
inline kafka::OutgoingRecord RecordDoc(const std::string& key, const std::string& ce_id) {
  kafka::OutgoingRecord record;
  record.topic = "gridcare.complaint.v1";
  record.key = key;
  record.value = std::string("\x0a\x00\xff payload ", 12) + ce_id;
  record.headers = {{"ce_id", ce_id},
                    {"ce_type", "gridcare.complaint_case.opened.v1"},
                    {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  return record;
}

inline void CommitOrFail(CaseStore& store, const CaseCommit& commit) {
  auto status = store.Commit(commit);
  INFO((status.ok() ? std::string() : status.error().ToString()));
  REQUIRE(status.ok());
}

inline std::optional<v1::StoredCase> LoadOrFail(CaseStore& store, const std::string& id) {
  auto loaded = store.Load(id);
  INFO((loaded.ok() ? std::string() : loaded.error().ToString()));
  REQUIRE(loaded.ok());
  return std::move(loaded).value();
}

inline Strs Due(CaseStore& store, int64_t now_ms, int64_t limit) {
  auto due = store.DueTimers(now_ms, limit);
  REQUIRE(due.ok());
  return *due;
}

inline CaseStore::Page Open(CaseStore& store, const std::string& department, int64_t offset,
                            int64_t limit) {
  auto page = store.OpenCases(department, offset, limit);
  INFO((page.ok() ? std::string() : page.error().ToString()));
  REQUIRE(page.ok());
  return std::move(page).value();
}

inline Strs Pending(CaseStore& store, int64_t limit) {
  auto pending = store.PendingOutboxes(limit);
  REQUIRE(pending.ok());
  Strs sorted = *pending;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

/// A new store is empty.
inline void StartsEmpty(CaseStore& store) {
  CHECK_FALSE(LoadOrFail(store, "CC-nope").has_value());
  auto many = store.LoadMany({});
  REQUIRE(many.ok());
  CHECK(many->empty());
  many = store.LoadMany({"CC-nope", "CC-neither"});
  REQUIRE(many.ok());
  CHECK(many->empty());
  CHECK(Pending(store, 100).empty());
  CHECK(Due(store, std::numeric_limits<int64_t>::max() / 2, 100).empty());
  const auto all = Open(store, "", 0, 100);
  CHECK(all.ids.empty());
  CHECK(all.total == 0);
  CHECK(Open(store, "marketing", 0, 100).total == 0);
  auto outbox = store.Outbox("CC-nope|evt-1");
  REQUIRE(outbox.ok());
  CHECK_FALSE(outbox->has_value());
}

/// A committed case comes back byte for byte; a later commit replaces it; LoadMany keeps the
/// order asked for and skips unknown ids; a case without an id is refused.
inline void CasesRoundTrip(CaseStore& store) {
  const auto first = CaseDoc("CC-GC-1", "marketing");
  CommitOrFail(store, CommitOf(first, 1000));
  auto loaded = LoadOrFail(store, "CC-GC-1");
  REQUIRE(loaded.has_value());
  CHECK(loaded->SerializeAsString() == first.SerializeAsString());
  CHECK(loaded->complaint_case().text() == "电费太高了，要求核查");

  auto second = first;
  second.mutable_complaint_case()->set_state(v1::CASE_STATE_CONTACTED);
  second.add_applied("desk:req-1");
  second.set_version(2);
  CommitOrFail(store, CommitOf(second, 2000));
  loaded = LoadOrFail(store, "CC-GC-1");
  REQUIRE(loaded.has_value());
  CHECK(loaded->SerializeAsString() == second.SerializeAsString());

  CommitOrFail(store, CommitOf(CaseDoc("CC-GC-2", "operations"), 500));
  auto many = store.LoadMany({"CC-GC-2", "CC-missing", "CC-GC-1"});
  REQUIRE(many.ok());
  REQUIRE(many->size() == 2);
  CHECK((*many)[0].complaint_case().case_id() == "CC-GC-2");
  CHECK((*many)[1].complaint_case().case_id() == "CC-GC-1");
  CHECK((*many)[1].version() == 2);

  auto refused = store.Commit(CommitOf(v1::StoredCase{}, 1));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == core::ErrorKind::kInvalidArgument);
}

/// Timers come back due at or before now, earliest first (then by id), at most `limit`; a later
/// commit moves or drops them.
inline void TimersDueInOrder(CaseStore& store) {
  const int64_t base = 1'793'000'000'000;
  const std::vector<std::pair<std::string, int64_t>> timers = {{"CC-A", base + 300},
                                                               {"CC-B", base + 100},
                                                               {"CC-C", base + 200},
                                                               {"CC-D", base + 500},
                                                               {"CC-E", base + 200}};
  for (const auto& [id, at] : timers) {
    CommitOrFail(store, CommitOf(CaseDoc(id, "marketing"), at, at));
  }
  CHECK(Due(store, base + 99, 10).empty());
  CHECK(Due(store, base + 100, 10) == Strs{"CC-B"});
  CHECK(Due(store, base + 250, 10) == Strs{"CC-B", "CC-C", "CC-E"});
  CHECK(Due(store, base + 1000, 2) == Strs{"CC-B", "CC-C"});
  CHECK(Due(store, base + 1000, 10) == Strs{"CC-B", "CC-C", "CC-E", "CC-A", "CC-D"});

  CommitOrFail(store, CommitOf(CaseDoc("CC-D", "marketing"), 1, base + 50));
  CommitOrFail(store, CommitOf(CaseDoc("CC-B", "marketing"), 1, std::nullopt));
  CHECK(Due(store, base + 1000, 10) == Strs{"CC-D", "CC-C", "CC-E", "CC-A"});
  CHECK(Due(store, base + 1000, 1) == Strs{"CC-D"});
}

/// Open cases are listed per department and across all, by first due then id, paged; a case
/// that moves department leaves the old list; a closed case (no first due) leaves both.
inline void OpenCasesListedByFirstDue(CaseStore& store) {
  CommitOrFail(store, CommitOf(CaseDoc("CC-M1", "marketing"), 3000));
  CommitOrFail(store, CommitOf(CaseDoc("CC-M2", "marketing"), 1000));
  CommitOrFail(store, CommitOf(CaseDoc("CC-M3", "marketing"), 2000));
  CommitOrFail(store, CommitOf(CaseDoc("CC-M0", "marketing"), 2000));
  CommitOrFail(store, CommitOf(CaseDoc("CC-O1", "operations"), 1500));
  auto page = Open(store, "marketing", 0, 10);
  CHECK(page.ids == Strs{"CC-M2", "CC-M0", "CC-M3", "CC-M1"});
  CHECK(page.total == 4);
  page = Open(store, "marketing", 1, 2);
  CHECK(page.ids == Strs{"CC-M0", "CC-M3"});
  CHECK(page.total == 4);
  page = Open(store, "marketing", 4, 2);
  CHECK(page.ids.empty());
  CHECK(page.total == 4);
  CHECK(Open(store, "marketing", 0, 0).ids.empty());
  CHECK(Open(store, "", 0, 10).ids == Strs{"CC-M2", "CC-O1", "CC-M0", "CC-M3", "CC-M1"});
  CHECK(Open(store, "metering", 0, 10).total == 0);

  // CC-M3 moves to operations (returned, re-routed) and is due sooner now.
  auto moved = CommitOf(CaseDoc("CC-M3", "operations"), 500);
  moved.previous_department_id = "marketing";
  CommitOrFail(store, moved);
  CHECK(Open(store, "marketing", 0, 10).ids == Strs{"CC-M2", "CC-M0", "CC-M1"});
  CHECK(Open(store, "operations", 0, 10).ids == Strs{"CC-M3", "CC-O1"});
  CHECK(Open(store, "", 0, 10).ids == Strs{"CC-M3", "CC-M2", "CC-O1", "CC-M0", "CC-M1"});

  // CC-M2 closes: listed nowhere, still readable.
  auto closed = CommitOf(CaseDoc("CC-M2", "marketing", v1::CASE_STATE_CLOSED), std::nullopt);
  closed.previous_department_id = "marketing";
  CommitOrFail(store, closed);
  CHECK(Open(store, "marketing", 0, 10).ids == Strs{"CC-M0", "CC-M1"});
  CHECK(Open(store, "", 0, 10).total == 4);
  auto loaded = LoadOrFail(store, "CC-M2");
  REQUIRE(loaded.has_value());
  CHECK(loaded->complaint_case().state() == v1::CASE_STATE_CLOSED);
}

/// An outbox is kept under its id with its records byte for byte; one without records is not
/// kept; pending ones are listed (at most `limit`) until forgotten, and stay readable after.
inline void OutboxAndPending(CaseStore& store) {
  auto from_kafka = CommitOf(CaseDoc("CC-GC-1", "marketing"), 1000);
  from_kafka.outbox_id = "CC-GC-1|evt-1";
  from_kafka.records = {RecordDoc("CC-GC-1", "id-1"), RecordDoc("CC-GC-1", "id-2")};
  CommitOrFail(store, from_kafka);
  auto outbox = store.Outbox("CC-GC-1|evt-1");
  REQUIRE(outbox.ok());
  REQUIRE(outbox->has_value());
  REQUIRE((*outbox)->size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK((**outbox)[i].topic == from_kafka.records[i].topic);
    CHECK((**outbox)[i].key == from_kafka.records[i].key);
    CHECK((**outbox)[i].value == from_kafka.records[i].value);
    CHECK((**outbox)[i].headers == from_kafka.records[i].headers);
  }
  CHECK(Pending(store, 100).empty());  // a Kafka input's outbox is not pending

  auto quiet = CommitOf(CaseDoc("CC-GC-1", "marketing"), 1000);
  quiet.outbox_id = "CC-GC-1|tick:1";
  quiet.outbox_pending = true;
  CommitOrFail(store, quiet);
  auto none = store.Outbox("CC-GC-1|tick:1");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  CHECK(Pending(store, 100).empty());

  for (const char* id : {"CC-GC-1|tick:2", "CC-GC-1|tick:1b", "CC-GC-1|desk:r9"}) {
    auto desk = CommitOf(CaseDoc("CC-GC-1", "marketing"), 1000);
    desk.outbox_id = id;
    desk.outbox_pending = true;
    desk.records = {RecordDoc("CC-GC-1", std::string("alarm-") + id)};
    CommitOrFail(store, desk);
  }
  CHECK(Pending(store, 100) == Strs{"CC-GC-1|desk:r9", "CC-GC-1|tick:1b", "CC-GC-1|tick:2"});
  CHECK(Pending(store, 2).size() == 2);
  REQUIRE(store.ForgetPending({"CC-GC-1|tick:1b", "CC-GC-1|desk:r9", "never-pending"}).ok());
  REQUIRE(store.ForgetPending({}).ok());
  CHECK(Pending(store, 100) == Strs{"CC-GC-1|tick:2"});
  auto forgotten = store.Outbox("CC-GC-1|desk:r9");
  REQUIRE(forgotten.ok());
  REQUIRE(forgotten->has_value());
  CHECK((*forgotten)->front().headers.front().second == "alarm-CC-GC-1|desk:r9");
}

}  // namespace gridcare::complaint::test
