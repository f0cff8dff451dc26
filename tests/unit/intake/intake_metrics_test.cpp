// IntakeMetrics: each request's outcome counted once, by channel, type and rejection reason,
// through the Kafka handler (a poll batch) and the gRPC service alike; replays are not counted
// again.
#include "intake_metrics.h"

#include <prometheus/registry.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "gridcare/testing/metric_lookup.h"
#include "intake_fixture.h"
#include "intake_grpc_service.h"
#include "request_handler.h"

namespace gridcare::intake {
namespace {

using testing::Harness;
using testing::MakeCustomer;
using testing::MakeRequest;

constexpr const char* kCustomer = "3100000001";

double Value(prometheus::Registry& registry, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  return gridcare::testing::CounterValue(registry, name, labels);
}

kafka::ConsumedMessage RequestRecord(const v1::ServiceRequest& request) {
  v1::RequestEvent event;
  *event.mutable_submitted() = request;
  kafka::ConsumedMessage message;
  message.topic = std::string(kafka::kRequestsTopic);
  message.key = kCustomer;
  message.value = event.SerializeAsString();
  message.headers = {{"ce_id", "ce-" + request.request_id()},
                     {"ce_type", "gridcare.request.submitted.v1"}};
  return message;
}

v1::ServiceRequest Typed(const std::string& id, v1::Channel channel, v1::RequestType type,
                         const std::string& text) {
  auto request = MakeRequest(id, channel, text);
  request.set_explicit_type(type);
  request.mutable_customer()->set_customer_id(kCustomer);
  return request;
}

}  // namespace

TEST_CASE("enum names become short lower-case labels", "[metrics]") {
  CHECK(EnumLabel("REQUEST_TYPE_FAULT_REPAIR", "REQUEST_TYPE_") == "fault_repair");
  CHECK(EnumLabel("CHANNEL_HOTLINE_IVR", "CHANNEL_") == "hotline_ivr");
  CHECK(EnumLabel("SOMETHING_ELSE", "CHANNEL_") == "something_else");
  CHECK(EnumLabel("CHANNEL_", "CHANNEL_") == "unknown");
}

TEST_CASE("intake counts each request's outcome once, replays left out", "[metrics]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  prometheus::Registry registry;
  IntakeMetrics metrics(registry);
  TimelineHandler timeline{h.store, h.publisher, h.clock};
  IntakeMessageHandler handler{h.batcher, timeline, &metrics};
  const std::string requests = "gridcare_intake_requests_total";

  // Every series exists at 0 before the first request.
  CHECK(Value(registry, requests, {{"outcome", "rejected"}, {"channel", "sms"}}) == 0);
  CHECK(Value(registry, "gridcare_intake_urgings_total", {{"type", "fault_repair"}}) == 0);
  CHECK(Value(registry, "gridcare_intake_rejections_total", {{"reason", "missing_field"}}) == 0);

  // A fault call by SMS, then the same customer chasing it by app, in one poll batch; then a
  // request with no text (rejected).
  const auto fault =
      Typed("REQ-M-1", v1::CHANNEL_SMS, v1::REQUEST_TYPE_FAULT_REPAIR, "家里停电了，整栋楼都没电");
  const auto urging = Typed("REQ-M-2", v1::CHANNEL_MOBILE_APP, v1::REQUEST_TYPE_URGING,
                            "停电两个小时了怎么还没人来修，催一下");
  auto empty = MakeRequest("REQ-M-3", v1::CHANNEL_SMS, "");
  const std::vector<kafka::ConsumedMessage> batch{RequestRecord(fault), RequestRecord(urging),
                                                  RequestRecord(empty)};
  for (const auto& result : handler.HandleBatch(batch)) {
    CHECK(result.disposition == kafka::HandleResult::Disposition::kDone);
  }
  CHECK(Value(registry, requests, {{"outcome", "ticket_opened"}, {"channel", "sms"}}) == 1);
  CHECK(Value(registry, requests, {{"outcome", "contact_added"}, {"channel", "mobile_app"}}) == 1);
  CHECK(Value(registry, requests, {{"outcome", "rejected"}, {"channel", "sms"}}) == 1);
  CHECK(Value(registry, "gridcare_intake_tickets_opened_total",
              {{"type", "fault_repair"}, {"channel", "sms"}}) == 1);
  CHECK(Value(registry, "gridcare_intake_urgings_total", {{"type", "fault_repair"}}) == 1);
  CHECK(Value(registry, "gridcare_intake_rejections_total", {{"reason", "missing_field"}}) == 1);

  // Redelivered: the same outcomes, not counted again (except the rejection, which keeps no
  // record).
  handler.HandleBatch(
      std::vector<kafka::ConsumedMessage>{RequestRecord(fault), RequestRecord(urging)});
  CHECK(Value(registry, requests, {{"outcome", "ticket_opened"}, {"channel", "sms"}}) == 1);
  CHECK(Value(registry, "gridcare_intake_urgings_total", {{"type", "fault_repair"}}) == 1);

  // The gRPC front door counts the same way.
  IntakeGrpcService grpc(h.core, h.publisher, &metrics);
  v1::SubmitRequest submit;
  *submit.mutable_request() =
      Typed("REQ-M-4", v1::CHANNEL_WEB, v1::REQUEST_TYPE_COMPLAINT, "抄表员态度很差，我要投诉");
  v1::SubmitResponse response;
  REQUIRE(grpc.Submit(nullptr, &submit, &response).ok());
  CHECK(Value(registry, requests, {{"outcome", "ticket_opened"}, {"channel", "web"}}) == 1);
  CHECK(Value(registry, "gridcare_intake_tickets_opened_total",
              {{"type", "complaint"}, {"channel", "web"}}) == 1);
}

}  // namespace gridcare::intake
