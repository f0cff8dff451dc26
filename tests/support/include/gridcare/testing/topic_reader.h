#pragma once

#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/metrics/stage_metrics.h"

namespace gridcare::testing {

/// Collects every record of some topics from the start (a consumer group of its own), for
/// assertions on what services published. Thread-safe.
class TopicReader {
 public:
  TopicReader(const std::string& bootstrap, std::vector<std::string> topics);
  ~TopicReader();
  TopicReader(const TopicReader&) = delete;
  TopicReader& operator=(const TopicReader&) = delete;

  std::vector<kafka::ConsumedMessage> Matching(
      const std::function<bool(const kafka::ConsumedMessage&)>& predicate) const;
  std::vector<kafka::ConsumedMessage> All() const;

 private:
  core::SystemClock clock_;
  prometheus::Registry registry_;
  metrics::StageMetrics metrics_;
  kafka::RecordingPublisher publisher_;
  mutable std::mutex mutex_;
  std::vector<kafka::ConsumedMessage> messages_;
  kafka::FunctionHandler<std::function<kafka::HandleResult(const kafka::ConsumedMessage&)>>
      handler_;
  std::unique_ptr<kafka::ConsumerLoop> loop_;
  std::thread thread_;
};

}  // namespace gridcare::testing
