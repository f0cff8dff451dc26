#pragma once

// RedisAnalyticsStore: AnalyticsStore in Redis. Every key starts with the prefix (default
// "analytics"; --rebuild uses a fresh one), so a rebuild never touches the live figures:
//
//   <p>:done:<utc day>           set of the event ids applied that day (kept `marker_retention`
//                                plus a day; the last days' sets are what "applied" means)
//   <p>:kpi:<day>                hash: counter field (kpi_ledger.h FieldName) → value
//   <p>:t:<ticket id>            ticket memo (kept `memo_retention`)
//   <p>:series                   set of "<series>|<area>"
//   <p>:h:<series>|<area>        hash: local hour → requests
//   <p>:outage                   set of "<area>|<day>": known outage days
//   <p>:inc:<area>               set of incident ids open in the area
//   <p>:incarea:<incident id>    set of areas the incident's tickets are in
//   <p>:terms:<area>:<day>       hash: term → texts holding it; field "" = texts that day
//   <p>:ex:<area>:<day>          list of "<ticket id>\x1f<masked excerpt>", newest first (50)
//   <p>:warnings                 hash: alert id → serialized v1::StoredWarning
//   <p>:meta                     hash: "since" → the earliest hour any request was counted
//
// A batch is one Lua script. Its writes are merged (store_writes.h: a batch of tickets adds to the
// same day hashes over and over) and run only when none of its events' ids was set before; when
// one was (a redelivery), each event's writes run only if its own id is new. Either way the ids
// are marked with the writes, so a redelivered batch changes nothing and a crash never half-applies
// one.

#include <chrono>
#include <string>

#include "analytics_store.h"
#include "effects_sum.h"
#include "gridcare/redis/client.h"
#include "store_writes.h"

namespace gridcare::analytics {

struct StoreSettings {
  std::string prefix = "analytics";
  /// How long applied event ids are remembered: longer than any redelivery window.
  std::chrono::milliseconds marker_retention = std::chrono::hours(24 * 8);
  /// How long a ticket is remembered: its resolution can come this late.
  std::chrono::milliseconds memo_retention = std::chrono::hours(24 * 400);
  /// How long hourly series counts and texts are kept (baselines look back this far).
  std::chrono::milliseconds series_retention = std::chrono::hours(24 * 7 * 10);
};

class RedisAnalyticsStore final : public AnalyticsStore {
 public:
  /// `redis` must outlive the store. Thread-safe.
  RedisAnalyticsStore(redis::RedisClient& redis, StoreSettings settings);

  const StoreSettings& settings() const { return settings_; }

  core::Result<std::vector<bool>> Applied(const std::vector<std::string>& event_ids) override;
  core::Result<int> Apply(const std::vector<EventEffects>& batch) override;
  core::Result<TicketMemos> Tickets(const std::vector<std::string>& ticket_ids) override;
  core::Result<std::map<std::string, int64_t>> SumDays(
      int32_t first_day, int32_t last_day, const std::vector<std::string>& fields) override;
  core::Result<std::vector<SeriesId>> Series() override;
  core::Result<std::vector<int64_t>> SeriesCounts(const SeriesId& series, int64_t first_hour,
                                                  int64_t last_hour) override;
  core::Result<std::map<std::string, std::set<int32_t>>> OutageDays() override;
  core::Result<int64_t> OpenIncidents(const std::string& area) override;
  core::Result<std::optional<int64_t>> HistorySince() override;
  core::Result<std::pair<std::map<std::string, int64_t>, int64_t>> Terms(const std::string& area,
                                                                         int32_t day) override;
  core::Result<std::vector<ExampleTicket>> Examples(const std::string& area, int32_t day) override;
  core::Result<std::optional<std::string>> Warning(const std::string& alert_id) override;
  core::Result<std::vector<std::string>> Warnings() override;

  /// Deletes every key under the prefix (a rebuild starts from nothing). SCAN-based.
  core::Status Wipe();

  /// Ticket memos as stored (exposed for tests).
  static std::string EncodeMemo(const TicketMemo& memo);
  static std::optional<TicketMemo> DecodeMemo(std::string_view value);

 private:
  std::string Key(std::string_view part) const;
  /// The scripts' first arguments: the marker set prefix and the retention (ms).
  std::vector<std::string> MarkerArgs() const;
  /// The writes of summed effects (one event's, or a batch's), added to `plan`.
  void AppendWrites(const EffectsSum& sum, WritePlan& plan) const;
  /// The writes of one event that are not sums: memos, outage days, incidents, warnings.
  void AppendEventWrites(const Effects& effects, WritePlan& plan) const;

  redis::RedisClient& redis_;
  StoreSettings settings_;
};

}  // namespace gridcare::analytics
