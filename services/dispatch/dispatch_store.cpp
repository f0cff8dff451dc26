#include "dispatch_store.h"

namespace gridcare::dispatch {
namespace {

/// `id`'s last operation wins: an upsert removes an earlier close and the other way round.
template <typename Document>
void Upsert(std::map<std::string, Document>& open, std::map<std::string, Document>& closed,
            const std::map<std::string, Document>& upserts,
            const std::map<std::string, Document>& closes) {
  for (const auto& [id, document] : upserts) {
    closed.erase(id);
    open[id] = document;
  }
  for (const auto& [id, document] : closes) {
    open.erase(id);
    closed[id] = document;
  }
}

template <typename Key, typename Value>
void LastWins(std::map<Key, Value>& into, const std::map<Key, Value>& from) {
  for (const auto& [key, value] : from) into[key] = value;
}

}  // namespace

DispatchBatch MergeState(std::span<const DispatchBatch> batches) {
  DispatchBatch merged;
  for (const auto& batch : batches) {
    merged.journal.insert(merged.journal.end(), batch.journal.begin(), batch.journal.end());
    // Within one batch, upserts are written before closes (RedisDispatchStore, the in-memory
    // store): the same order here.
    Upsert(merged.incidents, merged.closed_incidents, batch.incidents, batch.closed_incidents);
    Upsert(merged.work_orders, merged.closed_work_orders, batch.work_orders,
           batch.closed_work_orders);
    LastWins(merged.planned_outages, batch.planned_outages);
    LastWins(merged.declined, batch.declined);
    LastWins(merged.fired, batch.fired);
    LastWins(merged.timers, batch.timers);
  }
  return merged;
}

}  // namespace gridcare::dispatch
