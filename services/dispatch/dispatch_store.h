#pragma once

// Dispatch's durable state. The dispatcher keeps its working state in memory and writes every
// change through here in one atomic batch per input, together with the events that input
// produced (a transactional outbox), so a crash between "state written" and "events delivered"
// republishes the very same events. This is the port: RedisDispatchStore (redis_dispatch_store.h)
// is the adapter, docs/services/dispatch.md lists its keys; the in-memory fake is in
// tests/support/dispatch.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

/// Everything one input changed. Applied all-or-nothing by DispatchStore::Commit.
struct DispatchBatch {
  std::vector<v1::DispatchJournalEntry> journal;  ///< appended in order
  std::map<std::string, v1::Incident> incidents;  ///< open (or merged) incidents, upserted
  std::map<std::string, v1::WorkOrder> work_orders;
  std::map<std::string, v1::PlannedOutage> planned_outages;
  /// Incidents / work orders that are over: removed from the open set, kept as an archive.
  std::map<std::string, v1::Incident> closed_incidents;
  std::map<std::string, v1::WorkOrder> closed_work_orders;
  std::map<std::string, std::set<std::string>> declined;  ///< work order → crews (full set)
  /// Durable timers: owner (incident id) → next fire time in Unix ms, or nullopt to drop it.
  std::map<std::string, std::optional<int64_t>> timers;
  /// Fired alarm steps per "<incident id>/<clock kind>" (full set).
  std::map<std::string, std::set<int>> fired;
  /// The outbox: records to publish, kept under `outbox_id` so a redelivery republishes them.
  std::string outbox_id;
  std::vector<kafka::OutgoingRecord> records;
  /// The outbox belongs to no Kafka input (a timer, a console action): it stays pending until
  /// ForgetPending after a successful flush, and is republished on the next tick otherwise.
  bool outbox_pending = false;

  bool empty() const {
    return journal.empty() && incidents.empty() && work_orders.empty() && planned_outages.empty() &&
           closed_incidents.empty() && closed_work_orders.empty() && declined.empty() &&
           timers.empty() && fired.empty() && records.empty();
  }
};

/// The state `batches` leave when applied in order, as one batch without outboxes: journals
/// concatenated; each incident, work order, planned outage, declined set, fired set and timer as
/// the last batch that touched it left it (an incident or work order closed after an upsert is
/// only closed, one upserted after closing only upserted). A poll batch of tickets that attach to
/// one feeder incident then writes that incident once, not once per ticket. Pure.
DispatchBatch MergeState(std::span<const DispatchBatch> batches);

/// What Load returns: the whole open state.
struct DispatchSnapshot {
  std::vector<v1::DispatchJournalEntry> journal;
  std::map<std::string, v1::Incident> incidents;
  std::map<std::string, v1::WorkOrder> work_orders;
  std::map<std::string, v1::PlannedOutage> planned_outages;
  std::map<std::string, std::set<std::string>> declined;
  std::map<std::string, std::set<int>> fired;
};

/// The open incidents and work orders alone: what a console reads of a territory another
/// instance owns.
struct OpenWork {
  std::map<std::string, v1::Incident> incidents;
  std::map<std::string, v1::WorkOrder> work_orders;
};

/// Thread-safe.
class DispatchStore {
 public:
  virtual ~DispatchStore() = default;
  virtual core::Status Commit(const DispatchBatch& batch) = 0;
  /// Several inputs' batches, in order, all-or-nothing (one transaction): what a poll batch of
  /// tickets changed. The default commits them one by one (not atomic: for fakes only).
  virtual core::Status CommitAll(std::span<const DispatchBatch> batches) {
    for (const auto& batch : batches) {
      if (auto status = Commit(batch); !status) return status;
    }
    return {};
  }
  virtual core::Result<DispatchSnapshot> Load() = 0;
  /// The committed open incidents and work orders, without the journal. The default takes them
  /// from Load().
  virtual core::Result<OpenWork> LoadOpenWork() {
    auto snapshot = Load();
    if (!snapshot) return snapshot.error();
    return OpenWork{std::move(snapshot->incidents), std::move(snapshot->work_orders)};
  }
  /// The records an earlier input stored under `outbox_id`, or nullopt when it is unknown.
  virtual core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) = 0;
  /// The outboxes of those of `outbox_ids` that are known, in one round trip where the store
  /// allows. The default asks Outbox for each.
  virtual core::Result<std::map<std::string, std::vector<kafka::OutgoingRecord>>> Outboxes(
      std::span<const std::string> outbox_ids) {
    std::map<std::string, std::vector<kafka::OutgoingRecord>> known;
    for (const auto& id : outbox_ids) {
      auto records = Outbox(id);
      if (!records) return records.error();
      if (records->has_value()) known.emplace(id, std::move(**records));
    }
    return known;
  }
  /// Outbox ids committed with outbox_pending and not forgotten yet.
  virtual core::Result<std::vector<std::string>> PendingOutboxes() = 0;
  virtual core::Status ForgetPending(const std::vector<std::string>& outbox_ids) = 0;
  /// Timer owners due at or before `now_ms`, earliest first, at most `limit`.
  virtual core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) = 0;
};

}  // namespace gridcare::dispatch
