#pragma once

// EffectsSum: a batch's Effects summed before they become Redis writes (pure). A batch of 2,000
// events adds to the same counter of the same day and dimensions, the same series hour and the same
// area-day's terms hundreds of times; summed first, each key and field name is built once per
// batch instead of once per event. Views into the added Effects are kept: they must outlive the
// sum.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kpi_ledger.h"

namespace gridcare::analytics {

class EffectsSum {
 public:
  /// A counter of one day, metric and set of dimensions.
  struct Counter {
    int32_t day = 0;
    std::string_view metric;
    const Dimensions* dims = nullptr;
    bool operator==(const Counter& other) const {
      return day == other.day && metric == other.metric && *dims == *other.dims;
    }
  };
  /// One hour of one series in one area.
  struct SeriesHour {
    std::string_view series;
    std::string_view area;
    int64_t hour = 0;
    bool operator==(const SeriesHour&) const = default;
  };
  /// One area on one local day.
  struct AreaDay {
    std::string_view area;
    int32_t day = 0;
    bool operator==(const AreaDay&) const = default;
  };
  /// The texts of an area-day: how many, texts per term, and the texts in the order added.
  struct Texts {
    int64_t count = 0;
    std::map<std::string, int64_t> terms;
    std::vector<const TextSample*> latest;
  };

  struct CounterHash {
    size_t operator()(const Counter& c) const;
  };
  struct SeriesHourHash {
    size_t operator()(const SeriesHour& s) const;
  };
  struct AreaDayHash {
    size_t operator()(const AreaDay& a) const;
  };

  /// Adds one event's counters, series hours and texts (terms by ExtractTerms); remembers the
  /// event for what is not summed (memos, incidents, outage days, warnings).
  void Add(const Effects& effects);

  const std::unordered_map<Counter, int64_t, CounterHash>& counters() const { return counters_; }
  const std::unordered_map<SeriesHour, int64_t, SeriesHourHash>& series() const { return series_; }
  const std::unordered_map<AreaDay, Texts, AreaDayHash>& texts() const { return texts_; }
  /// The earliest series hour added (nullopt: none).
  std::optional<int64_t> first_hour() const { return first_hour_; }
  /// Every event added, in order.
  const std::vector<const Effects*>& events() const { return events_; }

 private:
  std::unordered_map<Counter, int64_t, CounterHash> counters_;
  std::unordered_map<SeriesHour, int64_t, SeriesHourHash> series_;
  std::unordered_map<AreaDay, Texts, AreaDayHash> texts_;
  std::optional<int64_t> first_hour_;
  std::vector<const Effects*> events_;
};

}  // namespace gridcare::analytics
