#pragma once

// --rebuild: analytics keeps nothing the log cannot give back. This reads every topic analytics
// consumes from its earliest record up to where it ends when the rebuild starts (no consumer
// group is joined, no offset moves), applies it through the same handler the live service uses
// into a fresh key prefix, and compares the figures with the live ones, day by day and field by
// field. The live service keeps running meanwhile; events published during the rebuild are in the
// live figures only, so compare while the platform is quiet (or accept those differences).
//
// Topics are read in the order their events depend on each other (intake before dispatch, whose
// events name intake's tickets; alert last). What the devbroker keeps bounds what can be
// rebuilt: see docs/services/analytics.md.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analytics_handler.h"
#include "gridcare/kafka/record_reader.h"
#include "redis_analytics_store.h"

namespace gridcare::analytics {

/// Every KPI counter of a store: day → field → value.
using KpiTable = std::map<int32_t, std::map<std::string, int64_t>>;

/// The topics analytics consumes, in replay order.
const std::vector<std::string>& ReplayTopics();

struct RebuildResult {
  int64_t records = 0;
  int64_t dead_letters = 0;  ///< records the live consumer would have dead-lettered too
  double seconds = 0;
};

/// Records a replay applies to Redis in one step (--rebuild; the live consumer's batches are
/// --handler-batch).
inline constexpr size_t kReplayBatch = 2000;

/// Replays `topics` (every record now in them) through `handler` in batches of `batch`.
/// `progress` is told the records read so far every 50,000 records.
core::Result<RebuildResult> Replay(kafka::RecordReader& reader,
                                   const std::vector<std::string>& topics,
                                   AnalyticsEventHandler& handler, size_t batch,
                                   std::chrono::milliseconds timeout,
                                   const std::function<void(int64_t)>& progress);

/// Every KPI counter under `store`'s prefix.
core::Result<KpiTable> ReadKpis(redis::RedisClient& redis, const std::string& prefix);

/// Lines naming each difference ("day 20791 tickets|district=天河区: live 12, rebuilt 11"), at
/// most `limit`; empty when the tables are equal.
std::vector<std::string> CompareKpis(const KpiTable& live, const KpiTable& rebuilt,
                                     size_t limit = 20);

}  // namespace gridcare::analytics
