#include "history_publish.h"

#include <google/protobuf/util/time_util.h>

#include <cstdio>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::synth_tool {

using google::protobuf::util::TimeUtil;

std::chrono::milliseconds ShiftToNow(const synth::History& history,
                                     std::chrono::system_clock::time_point now) {
  constexpr auto kWeek = std::chrono::hours(24 * 7);
  if (history.end + kWeek > now) return std::chrono::milliseconds(0);
  const auto weeks = (now - history.end) / kWeek;  // whole weeks: the history ends < 1 week ago
  return std::chrono::duration_cast<std::chrono::milliseconds>(weeks * kWeek);
}

core::Result<int64_t> PublishHistory(const synth::History& history, uint64_t seed,
                                     const synth::Utility* utility, const std::string& bootstrap,
                                     std::chrono::milliseconds shift) {
  auto producer = kafka::KafkaProducer::Create({bootstrap, "gridcare-synth-history", {}}, nullptr);
  if (!producer) return producer.error();
  const size_t total = history.contacts.size();
  const size_t tenth = std::max<size_t>(1, total / 10);
  for (size_t i = 0; i < total; ++i) {
    auto request = synth::ToServiceRequest(history, i, seed, utility);
    *request.mutable_received_at() = TimeUtil::MillisecondsToTimestamp(
        TimeUtil::TimestampToMilliseconds(request.received_at()) + shift.count());
    v1::RequestEvent event;
    *event.mutable_submitted() = request;
    const std::string key = request.customer().customer_id().empty()
                                ? request.request_id()
                                : request.customer().customer_id();
    const kafka::EventMetadata metadata{
        request.request_id(), "gridcare.request.submitted.v1",  "/gridcare/adapters/synth-history",
        request.request_id(), std::chrono::system_clock::now(), ""};
    auto record = kafka::MakeRecord(std::string(kafka::kRequestsTopic), key, metadata, event);
    for (int attempt = 0;; ++attempt) {
      auto published = (*producer)->Publish(record);
      if (published) break;
      // The producer's queue is full: let it drain (bounded: a broker that takes nothing fails).
      if (attempt >= 60) return published.error();
      (void)(*producer)->Flush(std::chrono::seconds(1));
    }
    if ((i + 1) % tenth == 0 || i + 1 == total) {
      std::fprintf(stderr, "gridcare-synth history: published %zu of %zu requests\n", i + 1, total);
    }
  }
  if (auto flushed = (*producer)->Flush(std::chrono::seconds(120)); !flushed) {
    return flushed.error();
  }
  return static_cast<int64_t>(total);
}

}  // namespace gridcare::synth_tool
