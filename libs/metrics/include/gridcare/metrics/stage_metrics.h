#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gridcare::metrics {

/// The standard per-stage metric families every event-processing service exposes. Label values are
/// topics, reasons and partition numbers, never entity ids. Thread-safe.
///
///   gridcare_events_consumed_total{service,topic}
///   gridcare_events_published_total{service,topic}
///   gridcare_events_publish_failed_total{service,topic}
///   gridcare_events_failed_total{service,topic,reason}          handler failures (retried)
///   gridcare_events_dead_lettered_total{service,topic,reason}
///   gridcare_events_duplicate_total{service,topic}              skipped by the idempotency guard
///   gridcare_event_processing_seconds{service,topic}            histogram
///   gridcare_event_last_processed_timestamp_seconds{service,topic}
///   gridcare_consumer_lag_messages{service,topic,partition}
class StageMetrics {
 public:
  /// `registry` must outlive this object.
  StageMetrics(prometheus::Registry& registry, std::string service);

  /// Creates the series for these topics at 0 so dashboards and alerts see them before traffic:
  /// per consumed topic also one dead-lettered series per reason in `dead_letter_reasons`.
  void PreInitialise(const std::vector<std::string>& consumed_topics,
                     const std::vector<std::string>& published_topics,
                     const std::vector<std::string_view>& dead_letter_reasons = {});

  void Consumed(std::string_view topic);
  void Published(std::string_view topic);
  void PublishFailed(std::string_view topic);
  void Failed(std::string_view topic, std::string_view reason);
  void DeadLettered(std::string_view topic, std::string_view reason);
  void Duplicate(std::string_view topic);
  /// Records one handled event's processing time and sets the last-processed timestamp to now.
  void ObserveProcessing(std::string_view topic, double seconds);
  void SetLag(std::string_view topic, int32_t partition, int64_t lag);

  const std::string& service() const { return service_; }

 private:
  // Label set (as one string key) -> series. Family::Add hashes the labels and takes the family's
  // lock on every call, too costly per event, so each series is looked up once and cached.
  template <typename T>
  using Cache = std::map<std::string, T*, std::less<>>;

  prometheus::Counter& TopicCounter(prometheus::Family<prometheus::Counter>& family,
                                    Cache<prometheus::Counter>& cache, std::string_view topic);
  prometheus::Counter& ReasonCounter(prometheus::Family<prometheus::Counter>& family,
                                     Cache<prometheus::Counter>& cache, std::string_view topic,
                                     std::string_view reason);
  prometheus::Histogram& Processing(std::string_view topic);
  prometheus::Gauge& LastProcessed(std::string_view topic);
  prometheus::Gauge& Lag(std::string_view topic, int32_t partition);

  std::string service_;
  prometheus::Family<prometheus::Counter>& consumed_;
  prometheus::Family<prometheus::Counter>& published_;
  prometheus::Family<prometheus::Counter>& publish_failed_;
  prometheus::Family<prometheus::Counter>& failed_;
  prometheus::Family<prometheus::Counter>& dead_lettered_;
  prometheus::Family<prometheus::Counter>& duplicate_;
  prometheus::Family<prometheus::Histogram>& processing_;
  prometheus::Family<prometheus::Gauge>& last_processed_;
  prometheus::Family<prometheus::Gauge>& lag_;
  std::mutex mutex_;  // guards every cache below (not the series, which are thread-safe)
  Cache<prometheus::Counter> consumed_cache_;        // key: topic
  Cache<prometheus::Counter> published_cache_;       // key: topic
  Cache<prometheus::Counter> publish_failed_cache_;  // key: topic
  Cache<prometheus::Counter> failed_cache_;          // key: topic '\n' reason
  Cache<prometheus::Counter> dead_lettered_cache_;   // key: topic '\n' reason
  Cache<prometheus::Counter> duplicate_cache_;       // key: topic
  Cache<prometheus::Histogram> processing_cache_;    // key: topic
  Cache<prometheus::Gauge> last_processed_cache_;    // key: topic
  Cache<prometheus::Gauge> lag_cache_;               // key: topic '\n' partition
};

}  // namespace gridcare::metrics
