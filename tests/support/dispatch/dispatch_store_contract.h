#pragma once

// What every DispatchStore must do, written once and run against InMemoryDispatchStore (unit
// tests/unit/dispatch_service) and RedisDispatchStore on a real redis-server
// (tests/integration/dispatch_store): each
// function starts from an empty store and checks one part of a batch through Commit and the
// reads (Load, Outbox, Outboxes, PendingOutboxes, DueTimers); CommitAll for several inputs at
// once.

#include <catch2/catch.hpp>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dispatch_store.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch::test {

inline v1::DispatchJournalEntry CallEntry(const std::string& ticket_id) {
  v1::DispatchJournalEntry entry;
  entry.mutable_fault_call()->set_ticket_id(ticket_id);
  entry.mutable_fault_call()->set_customer_id("C-" + ticket_id);
  entry.mutable_fault_call()->mutable_supply()->set_transformer_id("T1");
  entry.mutable_fault_call()->set_customers_on_transformer(100);
  return entry;
}

inline v1::Incident IncidentDoc(const std::string& id, v1::IncidentState state) {
  v1::Incident incident;
  incident.set_incident_id(id);
  incident.set_state(state);
  incident.set_level(v1::INCIDENT_LEVEL_TRANSFORMER);
  incident.mutable_supply()->set_feeder_id("F1");
  incident.set_call_count(3);
  incident.mutable_cause()->set_zh_cn("变压器故障");
  return incident;
}

inline v1::WorkOrder OrderDoc(const std::string& id, v1::WorkOrderState state) {
  v1::WorkOrder order;
  order.set_work_order_id(id);
  order.set_state(state);
  order.set_crew_id("CREW-A");
  order.set_required_skill(v1::CREW_SKILL_TRANSFORMER);
  return order;
}

inline v1::PlannedOutage OutageDoc(const std::string& id) {
  v1::PlannedOutage outage;
  outage.set_planned_outage_id(id);
  outage.mutable_scope()->set_feeder_id("F1");
  outage.mutable_reason()->set_zh_cn("检修");
  outage.mutable_starts_at()->set_seconds(1'789'977'600);
  outage.mutable_ends_at()->set_seconds(1'789'977'600 + 3600);
  return outage;
}

/// A record with binary bytes in its value and a header, as MakeRecord makes them.
inline kafka::OutgoingRecord RecordDoc(const std::string& key, const std::string& ce_id) {
  kafka::OutgoingRecord record;
  record.topic = "gridcare.dispatch.v1";
  record.key = key;
  record.value = std::string("\x0a\x00\xff payload ", 12) + ce_id;
  record.headers = {{"ce_id", ce_id},
                    {"ce_type", "gridcare.incident.opened.v1"},
                    {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  return record;
}

inline DispatchSnapshot LoadOrFail(DispatchStore& store) {
  auto snapshot = store.Load();
  INFO((snapshot.ok() ? std::string() : snapshot.error().ToString()));
  REQUIRE(snapshot.ok());
  return std::move(snapshot).value();
}

inline void CommitOrFail(DispatchStore& store, const DispatchBatch& batch) {
  auto status = store.Commit(batch);
  INFO((status.ok() ? std::string() : status.error().ToString()));
  REQUIRE(status.ok());
}

inline std::vector<std::string> Due(DispatchStore& store, int64_t now_ms, int64_t limit) {
  auto due = store.DueTimers(now_ms, limit);
  REQUIRE(due.ok());
  return *due;
}

/// A new store is empty.
inline void StartsEmpty(DispatchStore& store) {
  const auto snapshot = LoadOrFail(store);
  CHECK(snapshot.journal.empty());
  CHECK(snapshot.incidents.empty());
  CHECK(snapshot.work_orders.empty());
  CHECK(snapshot.planned_outages.empty());
  CHECK(snapshot.declined.empty());
  CHECK(snapshot.fired.empty());
  CHECK(store.PendingOutboxes()->empty());
  CHECK(Due(store, std::numeric_limits<int64_t>::max() / 2, 100).empty());
  auto outbox = store.Outbox("evt-unknown");
  REQUIRE(outbox.ok());
  CHECK_FALSE(outbox->has_value());
}

/// Journal entries of several commits come back in commit order.
inline void JournalKeepsOrder(DispatchStore& store) {
  DispatchBatch first;
  first.journal = {CallEntry("t1"), CallEntry("t2")};
  CommitOrFail(store, first);
  DispatchBatch second;
  second.journal.push_back(CallEntry("t3"));
  v1::DispatchJournalEntry closed;
  closed.set_closed_incident_id("INC-T-t3");
  second.journal.push_back(closed);
  v1::DispatchJournalEntry planned;
  *planned.mutable_planned_outage() = OutageDoc("PO-1");
  second.journal.push_back(planned);
  CommitOrFail(store, second);
  const auto journal = LoadOrFail(store).journal;
  REQUIRE(journal.size() == 5);
  CHECK(journal[0].fault_call().ticket_id() == "t1");
  CHECK(journal[1].fault_call().ticket_id() == "t2");
  CHECK(journal[2].fault_call().ticket_id() == "t3");
  CHECK(journal[2].fault_call().customers_on_transformer() == 100);
  CHECK(journal[3].closed_incident_id() == "INC-T-t3");
  CHECK(journal[4].planned_outage().planned_outage_id() == "PO-1");
}

/// Incidents, work orders and planned outages are upserted; closed ones leave the open set.
inline void DocumentsUpsertAndClose(DispatchStore& store) {
  DispatchBatch opened;
  opened.incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_OPEN);
  opened.incidents["INC-2"] = IncidentDoc("INC-2", v1::INCIDENT_STATE_OPEN);
  opened.work_orders["WO-1"] = OrderDoc("WO-1", v1::WORK_ORDER_STATE_ASSIGNED);
  opened.work_orders["WO-2"] = OrderDoc("WO-2", v1::WORK_ORDER_STATE_QUEUED);
  opened.planned_outages["PO-1"] = OutageDoc("PO-1");
  CommitOrFail(store, opened);
  auto snapshot = LoadOrFail(store);
  REQUIRE(snapshot.incidents.size() == 2);
  CHECK(snapshot.incidents.at("INC-1").SerializeAsString() ==
        opened.incidents.at("INC-1").SerializeAsString());
  CHECK(snapshot.work_orders.size() == 2);
  CHECK(snapshot.work_orders.at("WO-1").crew_id() == "CREW-A");
  REQUIRE(snapshot.planned_outages.count("PO-1"));
  CHECK(snapshot.planned_outages.at("PO-1").reason().zh_cn() == "检修");

  DispatchBatch changed;
  changed.incidents["INC-2"] = IncidentDoc("INC-2", v1::INCIDENT_STATE_ON_SITE);
  changed.closed_incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_RESTORED);
  changed.closed_work_orders["WO-1"] = OrderDoc("WO-1", v1::WORK_ORDER_STATE_COMPLETED);
  CommitOrFail(store, changed);
  snapshot = LoadOrFail(store);
  CHECK(snapshot.incidents.count("INC-1") == 0);
  REQUIRE(snapshot.incidents.count("INC-2"));
  CHECK(snapshot.incidents.at("INC-2").state() == v1::INCIDENT_STATE_ON_SITE);
  CHECK(snapshot.work_orders.count("WO-1") == 0);
  CHECK(snapshot.work_orders.count("WO-2") == 1);
  CHECK(snapshot.planned_outages.count("PO-1") == 1);
}

/// Declined crews and fired steps are stored as whole sets; an empty set removes the entry.
inline void DeclinedAndFiredSets(DispatchStore& store) {
  DispatchBatch batch;
  batch.declined["WO-1"] = {"CREW-A", "CREW-B"};
  batch.declined["WO-2"] = {"CREW-C"};
  batch.fired["INC-1/arrival"] = {0, 1, 2};
  batch.fired["INC-1/restoration"] = {0};
  CommitOrFail(store, batch);
  auto snapshot = LoadOrFail(store);
  CHECK(snapshot.declined.at("WO-1") == std::set<std::string>{"CREW-A", "CREW-B"});
  CHECK(snapshot.declined.at("WO-2") == std::set<std::string>{"CREW-C"});
  CHECK(snapshot.fired.at("INC-1/arrival") == std::set<int>{0, 1, 2});
  CHECK(snapshot.fired.at("INC-1/restoration") == std::set<int>{0});

  DispatchBatch cleared;
  cleared.declined["WO-1"] = {};
  cleared.declined["WO-2"] = {"CREW-C", "CREW-D"};
  cleared.fired["INC-1/arrival"] = {};
  CommitOrFail(store, cleared);
  snapshot = LoadOrFail(store);
  CHECK(snapshot.declined.count("WO-1") == 0);
  CHECK(snapshot.declined.at("WO-2") == std::set<std::string>{"CREW-C", "CREW-D"});
  CHECK(snapshot.fired.count("INC-1/arrival") == 0);
  CHECK(snapshot.fired.at("INC-1/restoration") == std::set<int>{0});
}

/// Timers come back due at or before now, earliest first (then by owner), at most `limit`;
/// a later commit moves or drops them.
inline void TimersDueInOrder(DispatchStore& store) {
  const int64_t base = 1'789'977'600'000;
  DispatchBatch batch;
  batch.timers["INC-A"] = base + 300;
  batch.timers["INC-B"] = base + 100;
  batch.timers["INC-C"] = base + 200;
  batch.timers["INC-D"] = base + 500;
  batch.timers["INC-E"] = base + 200;
  CommitOrFail(store, batch);
  using Strs = std::vector<std::string>;
  CHECK(Due(store, base + 99, 10).empty());
  CHECK(Due(store, base + 100, 10) == Strs{"INC-B"});
  CHECK(Due(store, base + 250, 10) == Strs{"INC-B", "INC-C", "INC-E"});
  CHECK(Due(store, base + 1000, 2) == Strs{"INC-B", "INC-C"});
  CHECK(Due(store, base + 1000, 10) == Strs{"INC-B", "INC-C", "INC-E", "INC-A", "INC-D"});

  DispatchBatch moved;
  moved.timers["INC-D"] = base + 50;
  moved.timers["INC-B"] = std::nullopt;
  moved.timers["INC-NEVER"] = std::nullopt;  // dropping an unknown timer is fine
  CommitOrFail(store, moved);
  CHECK(Due(store, base + 1000, 10) == Strs{"INC-D", "INC-C", "INC-E", "INC-A"});
  CHECK(Due(store, base + 1000, 1) == Strs{"INC-D"});
}

/// An outbox is kept under its id with its records byte for byte; pending ones are listed
/// (sorted) until forgotten, and stay readable after that.
inline void OutboxAndPending(DispatchStore& store) {
  DispatchBatch from_kafka;
  from_kafka.journal.push_back(CallEntry("t1"));
  from_kafka.outbox_id = "evt-1";
  from_kafka.records = {RecordDoc("INC-S-t1", "id-1"), RecordDoc("INC-S-t1", "id-2")};
  CommitOrFail(store, from_kafka);
  auto outbox = store.Outbox("evt-1");
  REQUIRE(outbox.ok());
  REQUIRE(outbox->has_value());
  REQUIRE((*outbox)->size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK((**outbox)[i].topic == from_kafka.records[i].topic);
    CHECK((**outbox)[i].key == from_kafka.records[i].key);
    CHECK((**outbox)[i].value == from_kafka.records[i].value);
    CHECK((**outbox)[i].headers == from_kafka.records[i].headers);
  }
  CHECK(store.PendingOutboxes()->empty());  // a Kafka input's outbox is not pending

  // An input that published nothing (a held last gasp) still leaves an (empty) outbox.
  DispatchBatch held;
  held.journal.push_back(CallEntry("lg1"));
  held.outbox_id = "evt-lg1";
  CommitOrFail(store, held);
  auto empty = store.Outbox("evt-lg1");
  REQUIRE(empty.ok());
  REQUIRE(empty->has_value());
  CHECK((*empty)->empty());

  for (const char* id : {"tick/2", "tick/1", "console/9"}) {
    DispatchBatch tick;
    tick.fired[std::string("INC-") + id] = {0};
    tick.outbox_id = id;
    tick.outbox_pending = true;
    tick.records = {RecordDoc("INC-1", std::string("alarm-") + id)};
    CommitOrFail(store, tick);
  }
  using Strs = std::vector<std::string>;
  CHECK(*store.PendingOutboxes() == Strs{"console/9", "tick/1", "tick/2"});
  REQUIRE(store.ForgetPending({"tick/1", "console/9", "never-pending"}).ok());
  REQUIRE(store.ForgetPending({}).ok());
  CHECK(*store.PendingOutboxes() == Strs{"tick/2"});
  auto forgotten = store.Outbox("tick/1");
  REQUIRE(forgotten.ok());
  REQUIRE(forgotten->has_value());
  CHECK((*forgotten)->front().headers.front().second == "alarm-tick/1");
}

/// CommitAll applies several inputs' batches as Commit would one after another (the journal in
/// order, each document as the last batch left it, each input's outbox under its own id); Outboxes
/// finds the known ones among ids in one call.
inline void CommitAllAndOutboxes(DispatchStore& store) {
  std::vector<DispatchBatch> batches(3);
  batches[0].journal.push_back(CallEntry("t1"));
  batches[0].incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_OPEN);
  batches[0].work_orders["WO-1"] = OrderDoc("WO-1", v1::WORK_ORDER_STATE_ASSIGNED);
  batches[0].outbox_id = "evt-1";
  batches[0].records = {RecordDoc("INC-1", "id-1")};
  batches[1].journal.push_back(CallEntry("t2"));
  batches[1].incidents["INC-1"] = IncidentDoc("INC-1", v1::INCIDENT_STATE_OPEN);
  batches[1].incidents["INC-1"].set_call_count(5);
  batches[1].timers["INC-1"] = 1'000;
  batches[1].outbox_id = "evt-2";
  batches[2].journal.push_back(CallEntry("t3"));
  batches[2].closed_work_orders["WO-1"] = OrderDoc("WO-1", v1::WORK_ORDER_STATE_CANCELLED);
  batches[2].outbox_id = "evt-3";
  batches[2].records = {RecordDoc("INC-1", "id-3"), RecordDoc("INC-1", "id-4")};
  auto status = store.CommitAll(batches);
  INFO((status.ok() ? std::string() : status.error().ToString()));
  REQUIRE(status.ok());

  const auto snapshot = LoadOrFail(store);
  REQUIRE(snapshot.journal.size() == 3);
  CHECK(snapshot.journal[2].fault_call().ticket_id() == "t3");
  REQUIRE(snapshot.incidents.count("INC-1"));
  CHECK(snapshot.incidents.at("INC-1").call_count() == 5);
  CHECK(snapshot.work_orders.empty());
  CHECK(Due(store, 1'000, 10) == std::vector<std::string>{"INC-1"});

  const std::vector<std::string> ids = {"evt-1", "evt-unknown", "evt-2", "evt-3"};
  auto known = store.Outboxes(ids);
  REQUIRE(known.ok());
  REQUIRE(known->size() == 3);
  CHECK(known->at("evt-1").size() == 1);
  CHECK(known->at("evt-2").empty());  // journaled, published nothing: known all the same
  REQUIRE(known->at("evt-3").size() == 2);
  CHECK(known->at("evt-3")[1].value == batches[2].records[1].value);
  CHECK(known->at("evt-3")[1].headers == batches[2].records[1].headers);
  auto none = store.Outboxes({});
  REQUIRE(none.ok());
  CHECK(none->empty());
}

}  // namespace gridcare::dispatch::test
