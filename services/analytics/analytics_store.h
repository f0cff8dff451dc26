#pragma once

// AnalyticsStore: where analytics keeps what it derived from the log (the port; the Redis
// adapter is redis_analytics_store.h). Nothing in it is truth of its own: --rebuild derives all of
// it again from the topics into a fresh key prefix (rebuild.h).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gridcare/core/error.h"
#include "keyword_bursts.h"
#include "kpi_ledger.h"

namespace gridcare::analytics {

/// One event's effects, applied once: `event_id` is remembered with them.
struct EventEffects {
  std::string event_id;
  Effects effects;
};

/// A category × area series surge detection watches.
struct SeriesId {
  std::string series;
  std::string area;
  auto operator<=>(const SeriesId&) const = default;
};

class AnalyticsStore {
 public:
  virtual ~AnalyticsStore() = default;

  /// Which of `event_ids` were applied already (same order).
  virtual core::Result<std::vector<bool>> Applied(const std::vector<std::string>& event_ids) = 0;

  /// Applies each event's effects atomically with its id, skipping ids applied before: all of
  /// the batch or none of it. Returns how many were applied now.
  virtual core::Result<int> Apply(const std::vector<EventEffects>& batch) = 0;

  /// The memos of `ticket_ids` that exist.
  virtual core::Result<TicketMemos> Tickets(const std::vector<std::string>& ticket_ids) = 0;

  /// Sum over local days [first_day, last_day] of each field ("tickets", "tickets|district=…").
  virtual core::Result<std::map<std::string, int64_t>> SumDays(
      int32_t first_day, int32_t last_day, const std::vector<std::string>& fields) = 0;

  /// Every series that has counted a request.
  virtual core::Result<std::vector<SeriesId>> Series() = 0;
  /// Hourly counts of a series for hours [first_hour, last_hour] (index 0 = first_hour).
  virtual core::Result<std::vector<int64_t>> SeriesCounts(const SeriesId& series,
                                                          int64_t first_hour,
                                                          int64_t last_hour) = 0;
  /// The days each area had a known outage (left out of baselines), by area.
  virtual core::Result<std::map<std::string, std::set<int32_t>>> OutageDays() = 0;
  /// The earliest local hour any request was counted in (nullopt: none yet). Hours before it
  /// are not history: a baseline never counts them as weeks without requests.
  virtual core::Result<std::optional<int64_t>> HistorySince() = 0;
  /// How many incidents are open in an area now.
  virtual core::Result<int64_t> OpenIncidents(const std::string& area) = 0;

  /// Term counts (texts holding the term) and the number of texts of an area on a day.
  virtual core::Result<std::pair<std::map<std::string, int64_t>, int64_t>> Terms(
      const std::string& area, int32_t day) = 0;
  /// The latest requests of an area on a day (masked excerpts), newest first.
  virtual core::Result<std::vector<ExampleTicket>> Examples(const std::string& area,
                                                            int32_t day) = 0;

  /// One stored warning (serialized v1::StoredWarning), or nullopt.
  virtual core::Result<std::optional<std::string>> Warning(const std::string& alert_id) = 0;
  /// Every stored warning (serialized v1::StoredWarning).
  virtual core::Result<std::vector<std::string>> Warnings() = 0;
};

}  // namespace gridcare::analytics
