// IntakeMessageHandler: records of gridcare.requests.v1 go to IntakeCore through a RequestBatcher,
// one at a time or a poll batch at once; everything else to the timeline; undecodable records are
// dead-lettered and environment failures retried.
#include "request_handler.h"

#include <catch2/catch.hpp>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/v1/dispatch.pb.h"
#include "intake_fixture.h"

namespace gridcare::intake {
namespace {

using testing::Harness;
using testing::HeaderOf;
using testing::MakeCustomer;
using testing::MakeRequest;
using testing::ParseIntakeEvent;
using Disposition = kafka::HandleResult::Disposition;

constexpr const char* kCustomer = "3100000001";

struct HandlerFixture {
  Harness h;
  TimelineHandler timeline{h.store, h.publisher, h.clock};
  IntakeMessageHandler handler{h.batcher, timeline};

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

TEST_CASE("a poll batch is decided in order, each request seeing the ones before it",
          "[handler][batch]") {
  HandlerFixture f;
  const std::string other = "3100000002";
  f.h.profiles.Add(MakeCustomer(other));
  auto others_call = FaultCall("REQ-B-OTHER");
  others_call.mutable_customer()->set_customer_id(other);
  const std::vector<kafka::ConsumedMessage> messages = {
      RequestRecord(Submitted(FaultCall("REQ-B-1"))),
      RequestRecord(Submitted(others_call), other),
      RequestRecord(Submitted(FaultCall("REQ-B-2"))),  // the same customer again: attached
      RequestRecord(Submitted(FaultCall("REQ-B-1"))),  // a redelivery inside the batch: replayed
      RequestRecord("\xff"),                           // poison: dead-lettered, not blocking
      RequestRecord(Submitted(FaultCall("REQ-B-3"))),
  };
  const auto results = f.handler.HandleBatch(messages);
  REQUIRE(results.size() == messages.size());
  for (size_t i = 0; i < results.size(); ++i) {
    CHECK(results[i].disposition == (i == 4 ? Disposition::kDeadLetter : Disposition::kDone));
  }

  const auto records = f.h.IntakeRecords();
  REQUIRE(records.size() == 5);
  CHECK(ParseIntakeEvent(records[0]).ticket_opened().ticket().request_id() == "REQ-B-1");
  CHECK(ParseIntakeEvent(records[1]).ticket_opened().ticket().request_id() == "REQ-B-OTHER");
  const auto attached = ParseIntakeEvent(records[2]).contact_added();
  CHECK(attached.request_id() == "REQ-B-2");
  CHECK(attached.ticket_id() == records[0].key);
  CHECK(attached.contact_count() == 2);
  CHECK(records[3].value == records[0].value);  // the same event again, same id
  CHECK(HeaderOf(records[3], "ce_id") == HeaderOf(records[0], "ce_id"));
  const auto third = ParseIntakeEvent(records[4]).contact_added();
  CHECK(third.request_id() == "REQ-B-3");
  CHECK(third.contact_count() == 3);

  v1::TrackRequest track;
  track.set_ticket_id(records[0].key);
  const auto found = f.h.core.Track(track);
  REQUIRE(found.ok());
  CHECK(found->ticket().contact_count() == 3);
  CHECK(found->timeline_size() == 3);
}

TEST_CASE("a batch stops at the first record that is not a request", "[handler][batch]") {
  HandlerFixture f;
  kafka::ConsumedMessage downstream;
  downstream.topic = std::string(kafka::kDispatchTopic);
  downstream.value = "\xff";
  const std::vector<kafka::ConsumedMessage> messages = {
      RequestRecord(Submitted(FaultCall("REQ-S-1"))), downstream,
      RequestRecord(Submitted(FaultCall("REQ-S-2")))};
  const auto results = f.handler.HandleBatch(messages);
  REQUIRE(results.size() == 1);
  CHECK(results[0].disposition == Disposition::kDone);
  CHECK(f.handler.HandleBatch(std::span(messages).subspan(1)).empty());
}

TEST_CASE("a store outage in a batch hands back every request from the failed write on",
          "[handler][batch][retry]") {
  HandlerFixture f;
  const std::vector<kafka::ConsumedMessage> messages = {
      RequestRecord(Submitted(FaultCall("REQ-F-1"))),
      RequestRecord(Submitted(FaultCall("REQ-F-2")))};
  // REQ-F-2 attaches to REQ-F-1's ticket, so it reads after writing REQ-F-1's outcome: that
  // write fails, and both go back to the loop with nothing published.
  f.h.store.FailNextOutcomes(1);
  CHECK(f.handler.HandleBatch(messages).empty());
  CHECK(f.h.publisher.records().empty());

  // The loop then takes them one by one.
  CHECK(f.handler.Handle(messages[0]).disposition == Disposition::kDone);
  CHECK(f.handler.Handle(messages[1]).disposition == Disposition::kDone);
  const auto records = f.h.IntakeRecords();
  REQUIRE(records.size() == 2);
  CHECK(records[0].key == "GC-20261124-000001");
  CHECK(ParseIntakeEvent(records[1]).contact_added().contact_count() == 2);
}

TEST_CASE("a profile outage in a batch is retried like a single request",
          "[handler][batch][retry]") {
  HandlerFixture f;
  const std::vector<kafka::ConsumedMessage> messages = {
      RequestRecord(Submitted(FaultCall("REQ-P-1"))),
      RequestRecord(Submitted(FaultCall("REQ-P-2")))};
  f.h.profiles.FailNext(1);
  CHECK(f.handler.HandleBatch(messages).empty());
  CHECK(f.h.publisher.records().empty());
  const auto results = f.handler.HandleBatch(messages);
  REQUIRE(results.size() == 2);
  CHECK(f.h.IntakeRecords().size() == 2);
}

}  // namespace gridcare::intake
