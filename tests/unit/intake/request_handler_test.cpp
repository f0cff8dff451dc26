// IntakeMessageHandler: records of gridcare.requests.v1 go to IntakeCore, everything else to the
// timeline; undecodable records are dead-lettered and environment failures retried.
#include <catch2/catch.hpp>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/v1/dispatch.pb.h"
#include "intake_fixture.h"
#include "request_handler.h"

namespace gridcare::intake {
namespace {

using testing::Harness;
using testing::MakeCustomer;
using testing::MakeRequest;
using testing::ParseIntakeEvent;
using Disposition = kafka::HandleResult::Disposition;

constexpr const char* kCustomer = "3100000001";

struct HandlerFixture {
  Harness h;
  TimelineHandler timeline{h.store, h.publisher, h.clock};
  IntakeMessageHandler handler{h.core, timeline};

  HandlerFixture() { h.profiles.Add(MakeCustomer(kCustomer)); }
};

kafka::ConsumedMessage RequestRecord(std::string value, const std::string& key = kCustomer) {
  kafka::ConsumedMessage message;
  message.topic = std::string(kafka::kRequestsTopic);
  message.key = key;
  message.value = std::move(value);
  message.headers = {{"ce_id", "ce-" + key}, {"ce_type", "gridcare.request.submitted.v1"}};
  return message;
}

std::string Submitted(const v1::ServiceRequest& request) {
  v1::RequestEvent event;
  *event.mutable_submitted() = request;
  return event.SerializeAsString();
}

v1::ServiceRequest FaultCall(const std::string& id) {
  auto request = MakeRequest(id, v1::CHANNEL_SMS, "电压太低，灯一闪一闪的，家里没电了");
  request.mutable_customer()->set_customer_id(kCustomer);
  return request;
}

}  // namespace

TEST_CASE("a request from the topic becomes a ticket", "[handler]") {
  HandlerFixture f;
  const auto result = f.handler.Handle(RequestRecord(Submitted(FaultCall("REQ-K-1"))));
  CHECK(result.disposition == Disposition::kDone);

  v1::TrackRequest track;
  track.set_request_id("REQ-K-1");
  const auto found = f.h.core.Track(track);
  REQUIRE(found.ok());
  CHECK(found->ticket().request_id() == "REQ-K-1");
  CHECK(found->ticket().channel() == v1::CHANNEL_SMS);
  const auto records = f.h.IntakeRecords();
  REQUIRE(records.size() == 1);
  CHECK(ParseIntakeEvent(records[0]).ticket_opened().ticket().request_id() == "REQ-K-1");

  // Redelivered: done again, same ticket, same event id.
  CHECK(f.handler.Handle(RequestRecord(Submitted(FaultCall("REQ-K-1")))).disposition ==
        Disposition::kDone);
  REQUIRE(f.h.IntakeRecords().size() == 2);
  CHECK(testing::HeaderOf(f.h.IntakeRecords()[1], "ce_id") ==
        testing::HeaderOf(f.h.IntakeRecords()[0], "ce_id"));
}

TEST_CASE("undecodable request records are dead-lettered", "[handler]") {
  HandlerFixture f;
  SECTION("bytes that are not a RequestEvent") {
    const auto result = f.handler.Handle(RequestRecord(std::string("\x0a\xff\xff\xff\xff\x0f", 6)));
    CHECK(result.disposition == Disposition::kDeadLetter);
    CHECK(result.reason == "malformed_protobuf");
  }
  SECTION("text that is not UTF-8 inside the request") {
    std::string bytes = Submitted(MakeRequest("REQ-K-BAD", v1::CHANNEL_SMS, "PLACEHOLDER"));
    bytes.replace(bytes.find("PLACEHOLDER"), 11, "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5");
    const auto result = f.handler.Handle(RequestRecord(bytes));
    CHECK(result.disposition == Disposition::kDeadLetter);
    CHECK(result.reason == "malformed_protobuf");
  }
  SECTION("a RequestEvent without a case") {
    const auto result = f.handler.Handle(RequestRecord(""));
    CHECK(result.disposition == Disposition::kDeadLetter);
    CHECK(result.reason == "unknown_event");
  }
  CHECK(f.h.publisher.records().empty());
}

TEST_CASE("a rejected request is done: the rejection is published as an event", "[handler]") {
  HandlerFixture f;
  auto request = MakeRequest("REQ-K-UNKNOWN", v1::CHANNEL_WEB, "我要申请增容");
  request.set_explicit_type(v1::REQUEST_TYPE_SERVICE_APPLICATION);
  request.mutable_customer()->set_customer_id("8888888888");
  const auto result = f.handler.Handle(RequestRecord(Submitted(request), "REQ-K-UNKNOWN"));
  CHECK(result.disposition == Disposition::kDone);
  const auto records = f.h.IntakeRecords();
  REQUIRE(records.size() == 1);
  const auto event = ParseIntakeEvent(records[0]);
  CHECK(event.request_rejected().request_id() == "REQ-K-UNKNOWN");
  CHECK(event.request_rejected().reason() == v1::REJECTION_REASON_UNKNOWN_CUSTOMER);
}

TEST_CASE("a profile service outage is retried, and the redelivery succeeds", "[handler]") {
  HandlerFixture f;
  f.h.profiles.FailNext(1);
  const auto message = RequestRecord(Submitted(FaultCall("REQ-K-RETRY")));
  const auto failed = f.handler.Handle(message);
  CHECK(failed.disposition == Disposition::kRetry);
  CHECK(failed.reason == "intake_failed");
  CHECK(f.h.publisher.records().empty());

  CHECK(f.handler.Handle(message).disposition == Disposition::kDone);
  REQUIRE(f.h.IntakeRecords().size() == 1);
  CHECK(f.h.IntakeRecords()[0].key == "GC-20261124-000001");
}

TEST_CASE("downstream topics are handed to the timeline", "[handler]") {
  HandlerFixture f;
  f.handler.Handle(RequestRecord(Submitted(FaultCall("REQ-K-2"))));
  const auto ticket_id = f.h.IntakeRecords()[0].key;

  v1::DispatchEvent event;
  event.mutable_ticket_attached()->set_ticket_id(ticket_id);
  event.mutable_ticket_attached()->set_incident_id("INC-9");
  kafka::ConsumedMessage message;
  message.topic = std::string(kafka::kDispatchTopic);
  message.key = "INC-9";
  message.value = event.SerializeAsString();
  message.headers = {{"ce_id", "d-9"}, {"ce_type", "gridcare.ticket.attached.v1"}};
  CHECK(f.handler.Handle(message).disposition == Disposition::kDone);

  v1::TrackRequest track;
  track.set_ticket_id(ticket_id);
  const auto found = f.h.core.Track(track);
  REQUIRE(found.ok());
  CHECK(found->ticket().state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK(found->timeline_size() == 2);

  message.value = "\xff";
  const auto bad = f.handler.Handle(message);
  CHECK(bad.disposition == Disposition::kDeadLetter);
  CHECK(bad.reason == "malformed_protobuf");
}

}  // namespace gridcare::intake
