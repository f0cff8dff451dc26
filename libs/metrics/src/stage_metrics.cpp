#include "gridcare/metrics/stage_metrics.h"

#include <utility>

#include "gridcare/metrics/buckets.h"

namespace gridcare::metrics {
namespace {

template <typename T>
using SeriesCache = std::map<std::string, T*, std::less<>>;

// Returns the cached series for `key`, creating it with `create` (which calls Family::Add) on the
// first use. The lock covers only the lookup, not recording the value: series are thread-safe
// themselves, and their addresses are stable because nothing ever Removes them.
template <typename T, typename Create>
T& FindOrCreate(std::mutex& mutex, SeriesCache<T>& cache, std::string_view key, Create create) {
  std::lock_guard lock(mutex);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(std::string(key), &create()).first;
  return *it->second;
}

// Composite keys use '\n' as the separator: it never appears in topic names or reason codes.
std::string JoinKey(std::string_view first, std::string_view second) {
  std::string key;
  key.reserve(first.size() + 1 + second.size());
  key.append(first).push_back('\n');
  key.append(second);
  return key;
}

}  // namespace

StageMetrics::StageMetrics(prometheus::Registry& registry, std::string service)
    : service_(std::move(service)),
      consumed_(prometheus::BuildCounter()
                    .Name("gridcare_events_consumed_total")
                    .Help("Events taken from a topic for handling.")
                    .Register(registry)),
      published_(prometheus::BuildCounter()
                     .Name("gridcare_events_published_total")
                     .Help("Events acknowledged by the broker.")
                     .Register(registry)),
      publish_failed_(
          prometheus::BuildCounter()
              .Name("gridcare_events_publish_failed_total")
              .Help("Events the broker did not accept (delivery reports with an error).")
              .Register(registry)),
      failed_(prometheus::BuildCounter()
                  .Name("gridcare_events_failed_total")
                  .Help("Handler failures by reason; the event is retried.")
                  .Register(registry)),
      dead_lettered_(prometheus::BuildCounter()
                         .Name("gridcare_events_dead_lettered_total")
                         .Help("Events given up on and sent to the dead-letter topic, by reason.")
                         .Register(registry)),
      duplicate_(prometheus::BuildCounter()
                     .Name("gridcare_events_duplicate_total")
                     .Help("Redelivered events skipped by the idempotency guard.")
                     .Register(registry)),
      processing_(prometheus::BuildHistogram()
                      .Name("gridcare_event_processing_seconds")
                      .Help("Time to handle one event.")
                      .Register(registry)),
      last_processed_(prometheus::BuildGauge()
                          .Name("gridcare_event_last_processed_timestamp_seconds")
                          .Help("Unix time at which the last event of the topic was handled.")
                          .Register(registry)),
      lag_(prometheus::BuildGauge()
               .Name("gridcare_consumer_lag_messages")
               .Help("Messages between the consumer's position and the high watermark.")
               .Register(registry)) {}

void StageMetrics::PreInitialise(const std::vector<std::string>& consumed_topics,
                                 const std::vector<std::string>& published_topics,
                                 const std::vector<std::string_view>& dead_letter_reasons) {
  // Retry reasons and partitions are unknown before traffic, so failed and lag series appear on
  // first use (alerts on them need `or vector(0)`). Dead-letter reasons are one known list.
  for (const auto& topic : consumed_topics) {
    TopicCounter(consumed_, consumed_cache_, topic);
    TopicCounter(duplicate_, duplicate_cache_, topic);
    Processing(topic);
    LastProcessed(topic);
    for (const auto reason : dead_letter_reasons) {
      ReasonCounter(dead_lettered_, dead_lettered_cache_, topic, reason);
    }
  }
  for (const auto& topic : published_topics) {
    TopicCounter(published_, published_cache_, topic);
    TopicCounter(publish_failed_, publish_failed_cache_, topic);
  }
}

void StageMetrics::Consumed(std::string_view topic) {
  TopicCounter(consumed_, consumed_cache_, topic).Increment();
}

void StageMetrics::Published(std::string_view topic) {
  TopicCounter(published_, published_cache_, topic).Increment();
}

void StageMetrics::PublishFailed(std::string_view topic) {
  TopicCounter(publish_failed_, publish_failed_cache_, topic).Increment();
}

void StageMetrics::Failed(std::string_view topic, std::string_view reason) {
  ReasonCounter(failed_, failed_cache_, topic, reason).Increment();
}

void StageMetrics::DeadLettered(std::string_view topic, std::string_view reason) {
  ReasonCounter(dead_lettered_, dead_lettered_cache_, topic, reason).Increment();
}

void StageMetrics::Duplicate(std::string_view topic) {
  TopicCounter(duplicate_, duplicate_cache_, topic).Increment();
}

void StageMetrics::ObserveProcessing(std::string_view topic, double seconds) {
  // A steady clock never goes backwards, but callers may compute durations from wall clocks;
  // a negative sample would corrupt the histogram's sum.
  Processing(topic).Observe(seconds < 0 ? 0 : seconds);
  LastProcessed(topic).SetToCurrentTime();
}

void StageMetrics::SetLag(std::string_view topic, int32_t partition, int64_t lag) {
  Lag(topic, partition).Set(static_cast<double>(lag));
}

prometheus::Counter& StageMetrics::TopicCounter(prometheus::Family<prometheus::Counter>& family,
                                                Cache<prometheus::Counter>& cache,
                                                std::string_view topic) {
  return FindOrCreate(mutex_, cache, topic, [&]() -> prometheus::Counter& {
    return family.Add({{"service", service_}, {"topic", std::string(topic)}});
  });
}

prometheus::Counter& StageMetrics::ReasonCounter(prometheus::Family<prometheus::Counter>& family,
                                                 Cache<prometheus::Counter>& cache,
                                                 std::string_view topic, std::string_view reason) {
  return FindOrCreate(mutex_, cache, JoinKey(topic, reason), [&]() -> prometheus::Counter& {
    return family.Add(
        {{"service", service_}, {"topic", std::string(topic)}, {"reason", std::string(reason)}});
  });
}

prometheus::Histogram& StageMetrics::Processing(std::string_view topic) {
  return FindOrCreate(mutex_, processing_cache_, topic, [&]() -> prometheus::Histogram& {
    return processing_.Add({{"service", service_}, {"topic", std::string(topic)}},
                           LatencyBucketsSeconds());
  });
}

prometheus::Gauge& StageMetrics::LastProcessed(std::string_view topic) {
  return FindOrCreate(mutex_, last_processed_cache_, topic, [&]() -> prometheus::Gauge& {
    return last_processed_.Add({{"service", service_}, {"topic", std::string(topic)}});
  });
}

prometheus::Gauge& StageMetrics::Lag(std::string_view topic, int32_t partition) {
  const std::string partition_label = std::to_string(partition);
  return FindOrCreate(
      mutex_, lag_cache_, JoinKey(topic, partition_label), [&]() -> prometheus::Gauge& {
        return lag_.Add(
            {{"service", service_}, {"topic", std::string(topic)}, {"partition", partition_label}});
      });
}

}  // namespace gridcare::metrics
