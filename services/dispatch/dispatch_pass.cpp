#include "dispatch_pass.h"

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"

namespace gridcare::dispatch {
namespace {

constexpr std::string_view kSource = "/gridcare/dispatch";

}  // namespace

DispatchPass::DispatchPass(std::string source_id_arg, std::string traceparent_arg,
                           const core::Clock& clock_arg)
    : source_id(std::move(source_id_arg)),
      traceparent(std::move(traceparent_arg)),
      clock(clock_arg) {}

void DispatchPass::Emit(const std::string& key, std::string_view ce_type,
                        const std::string& subject, const v1::DispatchEvent& event,
                        std::string event_id) {
  if (event_id.empty()) event_id = kafka::DeriveEventId(source_id, std::to_string(next_event++));
  kafka::EventMetadata metadata{std::move(event_id),  std::string(ce_type),
                                std::string(kSource), subject,
                                clock.Now(),          kafka::ChildTraceparent(traceparent)};
  batch.records.push_back(
      kafka::MakeRecord(std::string(kafka::kDispatchTopic), key, metadata, event));
}

}  // namespace gridcare::dispatch
