// IntakeCore.Submit end to end without I/O: every outcome (ticket, attached contact, answer,
// rejection, retryable error), the events it publishes and what it stores.
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "gridcare/kafka/cloud_events.h"
#include "intake_fixture.h"

namespace gridcare::intake {
namespace {

using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
using testing::FindClock;
using testing::Harness;
using testing::HeaderOf;
using testing::MakeCustomer;
using testing::MakeRequest;
using testing::ParseIntakeEvent;
using testing::SecondsBetween;
using testing::StartTime;
using namespace std::chrono_literals;

constexpr const char* kCustomer = "3100000001";
constexpr const char* kFirstTicket = "GC-20261124-000001";
constexpr const char* kSecondTicket = "GC-20261124-000002";

v1::ServiceRequest FaultCall(const std::string& id, const std::string& customer_id) {
  auto request = MakeRequest(id, v1::CHANNEL_HOTLINE_IVR, "家里停电了，整栋楼都没电");
  request.mutable_customer()->set_customer_id(customer_id);
  return request;
}

v1::ServiceRequest Typed(const std::string& id, v1::RequestType type, const std::string& text,
                         const std::string& customer_id) {
  auto request = MakeRequest(id, v1::CHANNEL_MOBILE_APP, text);
  request.set_explicit_type(type);
  if (!customer_id.empty()) request.mutable_customer()->set_customer_id(customer_id);
  return request;
}

v1::ServiceRequest HeadEnd(const std::string& id, const std::string& meter,
                           v1::MeterSignal signal) {
  v1::ServiceRequest request;
  request.set_request_id(id);
  request.set_channel(v1::CHANNEL_METER_HEAD_END);
  request.set_meter_signal(signal);
  request.mutable_customer()->set_meter_number(meter);
  return request;
}

google::protobuf::Timestamp At(core::TimePoint t) {
  return TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(t));
}

std::vector<std::string> Headers(const std::vector<kafka::OutgoingRecord>& records,
                                 std::string_view name) {
  std::vector<std::string> out;
  for (const auto& record : records) out.push_back(HeaderOf(record, name).value_or("<none>"));
  return out;
}

v1::TrackResponse TrackTicket(Harness& h, const std::string& ticket_id) {
  v1::TrackRequest track;
  track.set_ticket_id(ticket_id);
  auto found = h.core.Track(track);
  if (!found.ok()) FAIL("Track failed: " << found.error().ToString());
  return *found;
}

v1::RequestType RealClassifierType(const std::string& text) {
  return testing::RealClassifier().Classify(text, v1::LANGUAGE_ZH_CN).type();
}

}  // namespace

TEST_CASE("an identified fault call opens a ticket with its arrival clock and one event",
          "[core][fault]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto request = FaultCall("REQ-FAULT-1", kCustomer);
  const auto response = h.Accept(request);

  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket_id() == kFirstTicket);
  CHECK_FALSE(response.replayed());
  const auto& ticket = response.ticket();
  CHECK(ticket.ticket_id() == kFirstTicket);
  CHECK(ticket.request_id() == "REQ-FAULT-1");
  CHECK(ticket.type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(ticket.state() == v1::TICKET_STATE_OPEN);
  CHECK(ticket.priority() == v1::PRIORITY_NORMAL);
  CHECK(ticket.channel() == v1::CHANNEL_HOTLINE_IVR);
  CHECK(ticket.customer_id() == kCustomer);
  CHECK_FALSE(ticket.unidentified());
  CHECK(ticket.area_class() == v1::AREA_CLASS_URBAN);
  CHECK(ticket.supply().transformer_id() == std::string("TX-") + kCustomer);
  CHECK(ticket.tenant_id() == "tenant-a");
  // No location given: the registered address is where the crew goes.
  CHECK(ticket.location().full_text() == MakeCustomer(kCustomer).address().full_text());
  CHECK(ticket.text() == request.text());
  CHECK(ticket.language() == v1::LANGUAGE_ZH_CN);
  CHECK(ticket.contact_count() == 1);
  CHECK(ticket.urging_count() == 0);
  CHECK(ticket.meter_signal() == v1::METER_SIGNAL_UNSPECIFIED);
  CHECK(ticket.classification().type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK_FALSE(ticket.classification().from_channel());
  CHECK(ticket.opened_at() == At(StartTime()));
  CHECK(ticket.updated_at() == At(StartTime()));

  REQUIRE(ticket.clocks_size() == 1);
  const auto& arrival = ticket.clocks(0);
  CHECK(arrival.kind() == v1::ServiceClock::KIND_ARRIVAL);
  CHECK(arrival.starts_at().seconds() == At(StartTime()).seconds());
  CHECK(SecondsBetween(arrival.starts_at(), arrival.due_at()) == 45 * 60);
  CHECK_FALSE(arrival.working_days());
  CHECK_FALSE(arrival.has_met_at());

  CHECK_THAT(response.customer_message().zh_cn(), Catch::Contains("45 分钟"));
  CHECK_THAT(response.customer_message().zh_cn(), Catch::Contains(kFirstTicket));
  CHECK_THAT(response.customer_message().en(), Catch::Contains("45 minutes"));
  CHECK_THAT(response.customer_message().en(), Catch::Contains(kFirstTicket));
  CHECK(response.required_documents_size() == 0);

  // Exactly one record, on the intake topic, keyed by the ticket, with CloudEvents headers.
  REQUIRE(h.publisher.records().size() == 1);
  const auto record = h.publisher.records()[0];
  CHECK(record.topic == "gridcare.intake.v1");
  CHECK(record.key == kFirstTicket);
  CHECK(HeaderOf(record, "ce_specversion") == "1.0");
  CHECK(HeaderOf(record, "ce_type") == "gridcare.ticket.opened.v1");
  CHECK(HeaderOf(record, "ce_source") == "/gridcare/intake");
  CHECK(HeaderOf(record, "ce_subject") == kFirstTicket);
  CHECK(HeaderOf(record, "ce_id") == IntakeEventId("REQ-FAULT-1", "ticket_opened"));
  CHECK(HeaderOf(record, "ce_time") == core::FormatRfc3339(StartTime()));
  CHECK(HeaderOf(record, "content-type") == "application/protobuf");
  CHECK(HeaderOf(record, "traceparent").has_value());
  const auto event = ParseIntakeEvent(record);
  REQUIRE(event.has_ticket_opened());
  CHECK(MessageDifferencer::Equals(event.ticket_opened().ticket(), ticket));

  // Stored as sent, with one timeline step.
  const auto tracked = TrackTicket(h, kFirstTicket);
  CHECK(MessageDifferencer::Equals(tracked.ticket(), ticket));
  REQUIRE(tracked.timeline_size() == 1);
  CHECK(tracked.timeline(0).event_type() == "gridcare.ticket.opened.v1");
  CHECK(tracked.timeline(0).state() == v1::TICKET_STATE_OPEN);
  CHECK(tracked.timeline(0).actor().kind() == v1::Actor::KIND_SYSTEM);
}

TEST_CASE("the arrival clock and promise follow the customer's area class", "[core][fault]") {
  struct Case {
    v1::AreaClass area;
    int minutes;
  };
  const auto c = GENERATE(Case{v1::AREA_CLASS_URBAN, 45}, Case{v1::AREA_CLASS_RURAL, 90},
                          Case{v1::AREA_CLASS_REMOTE, 120}, Case{v1::AREA_CLASS_UNSPECIFIED, 45});
  CAPTURE(v1::AreaClass_Name(c.area));
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer, c.area));
  const auto response = h.Accept(FaultCall("REQ-AREA", kCustomer));
  const auto* arrival = FindClock(response.ticket(), v1::ServiceClock::KIND_ARRIVAL);
  REQUIRE(arrival != nullptr);
  CHECK(SecondsBetween(arrival->starts_at(), arrival->due_at()) == c.minutes * 60);
  CHECK_THAT(response.customer_message().zh_cn(),
             Catch::Contains(std::to_string(c.minutes) + " 分钟"));
  CHECK_THAT(response.customer_message().en(),
             Catch::Contains(std::to_string(c.minutes) + " minutes"));
}

TEST_CASE("configured service standards set the arrival clock", "[core][fault]") {
  IntakeRules rules;
  rules.standards.arrival_rural = 60min;
  Harness h(rules);
  h.profiles.Add(MakeCustomer(kCustomer, v1::AREA_CLASS_RURAL));
  const auto response = h.Accept(FaultCall("REQ-AREA", kCustomer));
  REQUIRE(response.ticket().clocks_size() == 1);
  CHECK(SecondsBetween(response.ticket().clocks(0).starts_at(),
                       response.ticket().clocks(0).due_at()) == 60 * 60);
  CHECK_THAT(response.customer_message().en(), Catch::Contains("60 minutes"));
}

TEST_CASE("a retried request gets the same response and re-publishes the same event",
          "[core][idempotency]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  auto request = FaultCall("REQ-RETRY-1", kCustomer);
  const auto first = h.Accept(request);

  h.clock.Advance(5min);
  request.mutable_received_at()->set_seconds(request.received_at().seconds() + 300);  // republished
  const auto again = h.Accept(request);
  CHECK(again.replayed());
  CHECK(again.ticket_id() == first.ticket_id());
  auto without_flag = again;
  without_flag.clear_replayed();
  CHECK(MessageDifferencer::Equals(without_flag, first));

  const auto records = h.IntakeRecords();
  REQUIRE(records.size() == 2);
  CHECK(Headers(records, "ce_id") ==
        std::vector<std::string>(2, IntakeEventId("REQ-RETRY-1", "ticket_opened")));
  CHECK(records[1].key == records[0].key);
  CHECK(records[1].value == records[0].value);

  // Nothing new was stored: one ticket, one timeline step, and the next request gets sequence 2.
  CHECK(TrackTicket(h, kFirstTicket).timeline_size() == 1);
  auto other = Typed("REQ-RETRY-2", v1::REQUEST_TYPE_PRAISE, "感谢抢修师傅", kCustomer);
  CHECK(h.Accept(other).ticket_id() == kSecondTicket);
}

TEST_CASE("a reused request id with different content is a conflict and changes nothing",
          "[core][idempotency]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto original = FaultCall("REQ-REUSED", kCustomer);
  const auto opened = h.Accept(original);

  auto changed = original;
  changed.set_text("我要投诉你们的抄表员");
  const auto rejection = h.Refuse(changed);
  CHECK(rejection.reason == v1::REJECTION_REASON_DUPLICATE_CONFLICT);
  CHECK(rejection.field == "request_id");

  const auto records = h.IntakeRecords();
  REQUIRE(records.size() == 2);
  const auto& conflict = records[1];
  CHECK(conflict.key == "REQ-REUSED");
  CHECK(HeaderOf(conflict, "ce_type") == "gridcare.request.rejected.v1");
  CHECK(HeaderOf(conflict, "ce_id") ==
        IntakeEventId("REQ-REUSED", "conflict:" + RequestFingerprint(changed)));
  const auto event = ParseIntakeEvent(conflict);
  REQUIRE(event.has_request_rejected());
  CHECK(event.request_rejected().reason() == v1::REJECTION_REASON_DUPLICATE_CONFLICT);
  CHECK(event.request_rejected().request_id() == "REQ-REUSED");
  CHECK(MessageDifferencer::Equals(event.request_rejected().customer_message(),
                                   CustomerMessageFor(rejection)));

  // The first request keeps its record: its retry is still a replay of the ticket.
  const auto replay = h.Accept(original);
  CHECK(replay.replayed());
  CHECK(replay.ticket_id() == opened.ticket_id());
  const auto tracked = TrackTicket(h, opened.ticket_id());
  CHECK(tracked.ticket().text() == original.text());
  CHECK(tracked.timeline_size() == 1);
}

// RequestFingerprint leaves out application_kind (request_validation.cpp, RequestFingerprint; the
// field list in docs/services/intake.md step 2 omits it too), so an application form re-sent under
// the same request id with another kind is taken for a retry and answered, replayed = true, with
// the first application's NEW_CONNECTION ticket instead of DUPLICATE_CONFLICT.
TEST_CASE("a reused request id with a different application kind is a conflict",
          "[core][idempotency]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  auto application =
      Typed("REQ-APP-REUSED", v1::REQUEST_TYPE_SERVICE_APPLICATION, "申请办理业务", kCustomer);
  application.set_application_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  h.Accept(application);

  auto other_kind = application;
  other_kind.set_application_kind(v1::SERVICE_APPLICATION_KIND_DISCONNECTION);
  auto result = h.Submit(other_kind);
  REQUIRE(result.ok());
  REQUIRE(std::holds_alternative<Rejection>(*result));
  CHECK(std::get<Rejection>(*result).reason == v1::REJECTION_REASON_DUPLICATE_CONFLICT);
}

TEST_CASE("a reply to an outage notice opens a ticket that names the incident", "[core][fault]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  auto request = MakeRequest("reply:sms:sms-r1", v1::CHANNEL_SMS, "还是没电");
  request.mutable_customer()->set_customer_id(kCustomer);
  request.set_referenced_incident_id("INC-20261124-000007");
  const auto response = h.Accept(request);
  REQUIRE(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket().referenced_incident_id() == "INC-20261124-000007");
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  REQUIRE(h.publisher.records().size() == 1);
  const auto event = ParseIntakeEvent(h.publisher.records()[0]);
  CHECK(event.ticket_opened().ticket().referenced_incident_id() == "INC-20261124-000007");
  const auto track = TrackTicket(h, kFirstTicket);
  REQUIRE(track.timeline_size() >= 1);
  CHECK_THAT(track.timeline(0).description().zh_cn(), Catch::Contains("INC-20261124-000007"));
  CHECK_THAT(track.timeline(0).description().en(),
             Catch::Contains("your reply to our notice about outage INC-20261124-000007"));
}

TEST_CASE("an invalid request is refused with a rejection event and nothing stored",
          "[core][rejection]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));

  SECTION("with a request id: the event is keyed by it") {
    auto request = FaultCall("REQ-TOO-LONG", kCustomer);
    std::string text;
    for (int i = 0; i < 4001; ++i) text += "电";
    request.set_text(text);
    const auto rejection = h.Refuse(request);
    CHECK(rejection.reason == v1::REJECTION_REASON_TEXT_TOO_LONG);
    const auto records = h.IntakeRecords();
    REQUIRE(records.size() == 1);
    CHECK(records[0].key == "REQ-TOO-LONG");
    CHECK(HeaderOf(records[0], "ce_id") == IntakeEventId("REQ-TOO-LONG", "request_rejected"));
    const auto event = ParseIntakeEvent(records[0]);
    CHECK(event.request_rejected().reason() == v1::REJECTION_REASON_TEXT_TOO_LONG);
    CHECK(event.request_rejected().field() == "text");
    CHECK(event.request_rejected().channel() == v1::CHANNEL_HOTLINE_IVR);
    // Nothing was reserved: the id is still free.
    v1::TrackRequest track;
    track.set_request_id("REQ-TOO-LONG");
    REQUIRE_FALSE(h.core.Track(track).ok());
    CHECK(h.core.Track(track).error().kind == core::ErrorKind::kNotFound);
  }
  SECTION("without a request id: the event is keyed by the fingerprint") {
    auto request = FaultCall("", kCustomer);
    const auto rejection = h.Refuse(request);
    CHECK(rejection.reason == v1::REJECTION_REASON_MISSING_FIELD);
    CHECK(rejection.field == "request_id");
    const auto records = h.IntakeRecords();
    REQUIRE(records.size() == 1);
    const std::string fingerprint = RequestFingerprint(request);
    CHECK(records[0].key == "fingerprint:" + fingerprint);
    CHECK(HeaderOf(records[0], "ce_id") == kafka::DeriveEventId(fingerprint, "request_rejected"));
    // The same request again is the same event (consumers drop the copy).
    h.Refuse(request);
    CHECK(Headers(h.IntakeRecords(), "ce_id") ==
          std::vector<std::string>(2, kafka::DeriveEventId(fingerprint, "request_rejected")));
  }
}

TEST_CASE("a complaint from an unknown customer is rejected with a request_rejected event",
          "[core][rejection]") {
  Harness h;
  auto request =
      Typed("REQ-UNKNOWN", v1::REQUEST_TYPE_COMPLAINT, "我要投诉你们的收费", "9999999999");
  const auto rejection = h.Refuse(request);
  CHECK(rejection.reason == v1::REJECTION_REASON_UNKNOWN_CUSTOMER);
  CHECK(rejection.field == "customer");
  CHECK_THAT(rejection.detail, Catch::Contains("REQUEST_TYPE_COMPLAINT"));

  auto records = h.IntakeRecords();
  REQUIRE(records.size() == 1);
  CHECK(records[0].key == "REQ-UNKNOWN");
  CHECK(HeaderOf(records[0], "ce_type") == "gridcare.request.rejected.v1");
  CHECK(HeaderOf(records[0], "ce_subject") == "REQ-UNKNOWN");
  CHECK(HeaderOf(records[0], "ce_id") == IntakeEventId("REQ-UNKNOWN", "request_rejected"));
  const auto event = ParseIntakeEvent(records[0]);
  REQUIRE(event.has_request_rejected());
  CHECK(event.request_rejected().request_id() == "REQ-UNKNOWN");
  CHECK(event.request_rejected().reason() == v1::REJECTION_REASON_UNKNOWN_CUSTOMER);
  CHECK(event.request_rejected().field() == "customer");
  CHECK(event.request_rejected().customer_message().zh_cn() ==
        CustomerMessageFor(rejection).zh_cn());
  CHECK(event.request_rejected().customer_message().en() == CustomerMessageFor(rejection).en());

  // A retry gets the same rejection and the same event again, without asking the directory.
  h.profiles.FailNext(1);
  const auto again = h.Refuse(request);
  CHECK(again.reason == rejection.reason);
  CHECK(again.field == rejection.field);
  CHECK(again.detail == rejection.detail);
  records = h.IntakeRecords();
  REQUIRE(records.size() == 2);
  CHECK(records[1].value == records[0].value);
  CHECK(HeaderOf(records[1], "ce_id") == HeaderOf(records[0], "ce_id"));

  // No ticket exists for it.
  v1::TrackRequest track;
  track.set_request_id("REQ-UNKNOWN");
  auto found = h.core.Track(track);
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().kind == core::ErrorKind::kNotFound);
}

TEST_CASE("the types that need an identified customer are refused without one",
          "[core][rejection]") {
  const auto type = GENERATE(v1::REQUEST_TYPE_COMPLAINT, v1::REQUEST_TYPE_SERVICE_APPLICATION,
                             v1::REQUEST_TYPE_URGING);
  CAPTURE(v1::RequestType_Name(type));
  Harness h;
  auto request = Typed("REQ-NEEDS-ID", type, "请尽快处理", "");
  request.mutable_customer()->set_phone("13000000000");
  const auto rejection = h.Refuse(request);
  CHECK(rejection.reason == v1::REJECTION_REASON_UNKNOWN_CUSTOMER);
  CHECK_THAT(rejection.detail, Catch::Contains(v1::RequestType_Name(type)));
}

TEST_CASE("the types that do not need a customer are served unidentified", "[core][unidentified]") {
  const auto type = GENERATE(v1::REQUEST_TYPE_REPORT, v1::REQUEST_TYPE_OPINION,
                             v1::REQUEST_TYPE_SUGGESTION, v1::REQUEST_TYPE_PRAISE);
  CAPTURE(v1::RequestType_Name(type));
  Harness h;
  auto request = Typed("REQ-ANON", type, "有人在小区里私拉电线", "");
  const auto response = h.Accept(request);
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket().unidentified());
  CHECK(response.ticket().customer_id().empty());
  CHECK(response.ticket().type() == type);
}

TEST_CASE("a phone shared by several accounts is asked about for a complaint only",
          "[core][ambiguous]") {
  Harness h;
  auto first = MakeCustomer("3100000001");
  auto second = MakeCustomer("3100000002");
  second.set_phones(0, first.phones(0));
  h.profiles.Add(first);
  h.profiles.Add(second);
  const std::string shared_phone = first.phones(0);

  SECTION("a complaint is refused as ambiguous") {
    auto complaint = Typed("REQ-AMB-1", v1::REQUEST_TYPE_COMPLAINT, "我要投诉抄表员", "");
    complaint.mutable_customer()->set_phone(shared_phone);
    const auto rejection = h.Refuse(complaint);
    CHECK(rejection.reason == v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER);
    CHECK(rejection.field == "customer.phone");
    CHECK_THAT(rejection.detail, Catch::Contains("2 accounts"));
    CHECK_THAT(rejection.detail, !Catch::Contains(shared_phone));  // no personal data
    const auto records = h.IntakeRecords();
    REQUIRE(records.size() == 1);
    CHECK(ParseIntakeEvent(records[0]).request_rejected().reason() ==
          v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER);
  }
  SECTION("a consultation is answered without knowing which account") {
    auto question =
        MakeRequest("REQ-AMB-2", v1::CHANNEL_HOTLINE_AGENT, "请问怎么交电费？可以用微信交吗");
    question.mutable_customer()->set_phone(shared_phone);
    const auto response = h.Accept(question);
    CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_CONSULTATION_ANSWERED);
    CHECK(response.ticket().unidentified());
    CHECK(response.ticket().customer_id().empty());
    const auto records = h.IntakeRecords();
    REQUIRE(records.size() == 1);
    CHECK(ParseIntakeEvent(records[0]).consultation_answered().customer_id().empty());
  }
  SECTION("a fault at a given address is served unidentified, with no account's tags") {
    auto tagged = second;
    tagged.add_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
    h.profiles.Add(tagged);
    auto fault = MakeRequest("REQ-AMB-3", v1::CHANNEL_HOTLINE_AGENT, "家里停电了");
    fault.mutable_customer()->set_phone(shared_phone);
    fault.mutable_location()->set_full_text("古港横路 115 号");
    const auto response = h.Accept(fault);
    CHECK(response.ticket().unidentified());
    CHECK(response.ticket().customer_id().empty());
    CHECK(response.ticket().customer_tags_size() == 0);
    CHECK(response.ticket().priority() == v1::PRIORITY_NORMAL);
  }
}

TEST_CASE("an unidentified fault is served at a given location and refused without one",
          "[core][unidentified]") {
  Harness h;
  SECTION("a downed line at an address, from an unknown phone") {
    auto request = MakeRequest("REQ-HAZARD", v1::CHANNEL_HOTLINE_AGENT, "路边电线断了，还在冒火花");
    request.mutable_customer()->set_phone("13000000000");
    request.mutable_location()->set_full_text("榕州市文乐区古港横路 115 号门口");
    const auto response = h.Accept(request);
    CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
    const auto& ticket = response.ticket();
    CHECK(ticket.type() == v1::REQUEST_TYPE_FAULT_REPAIR);
    CHECK(ticket.unidentified());
    CHECK(ticket.customer_id().empty());
    CHECK(ticket.location().full_text() == "榕州市文乐区古港横路 115 号门口");
    CHECK(ticket.priority() == v1::PRIORITY_URGENT);  // public safety
    const auto* arrival = FindClock(ticket, v1::ServiceClock::KIND_ARRIVAL);
    REQUIRE(arrival != nullptr);
    CHECK(SecondsBetween(arrival->starts_at(), arrival->due_at()) == 45 * 60);  // strictest
    REQUIRE(h.IntakeRecords().size() == 1);
    CHECK(h.IntakeRecords()[0].key == ticket.ticket_id());
  }
  SECTION("a caller with no customer reference at all, at an address") {
    auto request = MakeRequest("REQ-ANON-FAULT", v1::CHANNEL_WECHAT, "小区停电了");
    request.mutable_location()->set_full_text("古港横路 1 号");
    const auto response = h.Accept(request);
    CHECK(response.ticket().type() == v1::REQUEST_TYPE_FAULT_REPAIR);
    CHECK(response.ticket().unidentified());
    CHECK(response.ticket().language() == v1::LANGUAGE_ZH_CN);
  }
  SECTION("without a location there is nowhere to send a crew") {
    auto request = MakeRequest("REQ-NOWHERE", v1::CHANNEL_HOTLINE_AGENT, "家里停电了");
    request.mutable_customer()->set_phone("13000000000");
    const auto rejection = h.Refuse(request);
    CHECK(rejection.reason == v1::REJECTION_REASON_UNKNOWN_CUSTOMER);
    CHECK(rejection.field == "customer");
    CHECK_THAT(rejection.detail, Catch::Contains("REQUEST_TYPE_FAULT_REPAIR"));
    REQUIRE(h.IntakeRecords().size() == 1);
    CHECK(h.IntakeRecords()[0].key == "REQ-NOWHERE");
  }
}

TEST_CASE("a head-end last gasp opens a fault ticket for the meter's customer", "[core][meter]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer, v1::AREA_CLASS_RURAL));
  const std::string meter = std::string("MTR-") + kCustomer;
  const auto response = h.Accept(HeadEnd("HE-1", meter, v1::METER_SIGNAL_LAST_GASP));
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  const auto& ticket = response.ticket();
  CHECK(ticket.type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(ticket.meter_signal() == v1::METER_SIGNAL_LAST_GASP);
  CHECK(ticket.channel() == v1::CHANNEL_METER_HEAD_END);
  CHECK(ticket.customer_id() == kCustomer);
  CHECK(ticket.state() == v1::TICKET_STATE_OPEN);
  CHECK(ticket.classification().from_channel());
  CHECK(ticket.classification().confidence() == 1.0);
  CHECK(std::vector<std::string>(ticket.classification().matched_rules().begin(),
                                 ticket.classification().matched_rules().end()) ==
        std::vector<std::string>{"channel:meter_head_end"});
  // The customer's preferred language stands in for the silent meter's.
  CHECK(ticket.language() == v1::LANGUAGE_ZH_CN);
  const auto* arrival = FindClock(ticket, v1::ServiceClock::KIND_ARRIVAL);
  REQUIRE(arrival != nullptr);
  CHECK(SecondsBetween(arrival->starts_at(), arrival->due_at()) == 90 * 60);
  CHECK_THAT(response.customer_message().zh_cn(), Catch::Contains("智能电表"));
  CHECK_THAT(response.customer_message().en(), Catch::Contains("smart meter"));

  SECTION("a repeated last gasp attaches as evidence, not as urging") {
    const auto repeat = h.Accept(HeadEnd("HE-2", meter, v1::METER_SIGNAL_LAST_GASP));
    CHECK(repeat.outcome() == v1::SubmitResponse::OUTCOME_CONTACT_ADDED);
    CHECK(repeat.ticket_id() == ticket.ticket_id());
    CHECK(repeat.ticket().contact_count() == 2);
    CHECK(repeat.ticket().urging_count() == 0);
    CHECK(repeat.ticket().priority() == v1::PRIORITY_NORMAL);
    const auto event = ParseIntakeEvent(h.IntakeRecords().back());
    REQUIRE(event.has_contact_added());
    CHECK_FALSE(event.contact_added().urging());
    CHECK_FALSE(event.contact_added().escalated());
  }
}

TEST_CASE("a head-end message for an unknown meter is rejected", "[core][meter]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto rejection = h.Refuse(HeadEnd("HE-UNKNOWN", "MTR-NOBODY", v1::METER_SIGNAL_LAST_GASP));
  CHECK(rejection.reason == v1::REJECTION_REASON_UNKNOWN_CUSTOMER);
  CHECK(rejection.field == "customer.meter_number");
  const auto records = h.IntakeRecords();
  REQUIRE(records.size() == 1);
  CHECK(records[0].key == "HE-UNKNOWN");
  CHECK(HeaderOf(records[0], "ce_type") == "gridcare.request.rejected.v1");
}

TEST_CASE("a power-restored signal with no open ticket is recorded as a closed fault ticket",
          "[core][meter]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const std::string meter = std::string("MTR-") + kCustomer;
  const auto response = h.Accept(HeadEnd("HE-RESTORE", meter, v1::METER_SIGNAL_POWER_RESTORED));
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(response.ticket().meter_signal() == v1::METER_SIGNAL_POWER_RESTORED);
  CHECK(response.ticket().state() == v1::TICKET_STATE_CLOSED);
  CHECK(response.ticket().clocks_size() == 0);  // nothing to be late for
  REQUIRE(h.IntakeRecords().size() == 1);
  CHECK(ParseIntakeEvent(h.IntakeRecords()[0]).ticket_opened().ticket().state() ==
        v1::TICKET_STATE_CLOSED);

  // The closed ticket is not an open ticket of the customer: the next fault call opens its own.
  const auto fault = h.Accept(FaultCall("REQ-AFTER-RESTORE", kCustomer));
  CHECK(fault.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(fault.ticket_id() != response.ticket_id());
}

// OpenedMessage (intake_core.cpp, case FAULT_REPAIR) says "智能电表报告停电" / "Your smart meter
// reported an outage; repair ticket … was opened" for any meter signal, including
// METER_SIGNAL_POWER_RESTORED, whose ticket is CLOSED at once and for which no repair is coming.
TEST_CASE("the message for a power-restored signal does not report an outage", "[core][meter]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto response = h.Accept(
      HeadEnd("HE-RESTORE-MSG", std::string("MTR-") + kCustomer, v1::METER_SIGNAL_POWER_RESTORED));
  CHECK_THAT(response.customer_message().en(), !Catch::Contains("outage"));
  CHECK_THAT(response.customer_message().zh_cn(), !Catch::Contains("停电"));
}

TEST_CASE("an explicit type from the channel wins over classification", "[core][classification]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const std::string text = "家里停电了，整栋楼都没电";
  REQUIRE(RealClassifierType(text) == v1::REQUEST_TYPE_FAULT_REPAIR);

  const auto response =
      h.Accept(Typed("REQ-EXPLICIT", v1::REQUEST_TYPE_COMPLAINT, text, kCustomer));
  const auto& ticket = response.ticket();
  CHECK(ticket.type() == v1::REQUEST_TYPE_COMPLAINT);
  CHECK(ticket.classification().type() == v1::REQUEST_TYPE_COMPLAINT);
  CHECK(ticket.classification().from_channel());
  CHECK(ticket.classification().confidence() == 1.0);
  CHECK(std::vector<std::string>(ticket.classification().matched_rules().begin(),
                                 ticket.classification().matched_rules().end()) ==
        std::vector<std::string>{"channel:explicit_type"});
  // Complaint clocks: contact within 24 h, reply within 5 working days.
  const auto* contact = FindClock(ticket, v1::ServiceClock::KIND_COMPLAINT_CONTACT);
  const auto* reply = FindClock(ticket, v1::ServiceClock::KIND_COMPLAINT_REPLY);
  REQUIRE(contact != nullptr);
  REQUIRE(reply != nullptr);
  CHECK(SecondsBetween(contact->starts_at(), contact->due_at()) == 24 * 3600);
  CHECK(reply->working_days());
  CHECK(reply->due_at().seconds() ==
        At(testing::RealCalendar().AddWorkingDays(StartTime(), 5)).seconds());
  CHECK(FindClock(ticket, v1::ServiceClock::KIND_ARRIVAL) == nullptr);
  CHECK_THAT(response.customer_message().zh_cn(), Catch::Contains("24 小时"));
}

TEST_CASE("working-day clocks follow the shipped holiday calendar", "[core][clocks]") {
  Harness h;
  // 2026-10-01 10:00 Beijing, first day of the National Day holiday (1-7 October; Saturday 10
  // October is a working day). Counting starts 8 October: 9, 10, 12, 13, 14 → due 14 October
  // 00:00 Beijing = 13 October 16:00 UTC.
  using namespace std::chrono;
  h.clock.Set(sys_days{year{2026} / October / 1} + hours{2});
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto response =
      h.Accept(Typed("REQ-HOLIDAY", v1::REQUEST_TYPE_COMPLAINT, "我要投诉营业厅态度", kCustomer));
  CHECK(response.ticket_id() == "GC-20261001-000001");
  const auto* reply = FindClock(response.ticket(), v1::ServiceClock::KIND_COMPLAINT_REPLY);
  REQUIRE(reply != nullptr);
  CHECK(reply->due_at().seconds() == At(sys_days{year{2026} / October / 13} + hours{16}).seconds());
}

TEST_CASE("text no rule recognises is served as an unclassified ticket for an agent",
          "[core][classification]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const std::string text = "嗯嗯好的";
  REQUIRE(RealClassifierType(text) == v1::REQUEST_TYPE_UNSPECIFIED);
  auto request = MakeRequest("REQ-VAGUE", v1::CHANNEL_WECHAT, text);
  request.mutable_customer()->set_customer_id(kCustomer);
  const auto response = h.Accept(request);
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_UNSPECIFIED);
  CHECK(response.ticket().classification().needs_agent_review());
  CHECK(response.ticket().priority() == v1::PRIORITY_NORMAL);
  CHECK(response.ticket().clocks_size() == 0);
  CHECK_THAT(response.customer_message().en(), Catch::Contains(response.ticket_id()));
}

TEST_CASE("a consultation the knowledge base answers is resolved at first contact",
          "[core][consultation]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const std::string question = "请问怎么交电费？可以用微信交吗";
  const auto expected = testing::RealKnowledgeBase().Answer(question, v1::LANGUAGE_ZH_CN);
  REQUIRE(expected.has_value());
  auto request = MakeRequest("REQ-CONSULT-1", v1::CHANNEL_WECHAT, question);
  request.mutable_customer()->set_customer_id(kCustomer);
  const auto response = h.Accept(request);

  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_CONSULTATION_ANSWERED);
  CHECK(response.ticket_id() == kFirstTicket);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_CONSULTATION);
  CHECK(response.ticket().state() == v1::TICKET_STATE_ANSWERED);
  CHECK(response.ticket().priority() == v1::PRIORITY_LOW);
  CHECK(response.ticket().customer_id() == kCustomer);
  CHECK(response.ticket().clocks_size() == 0);
  CHECK(MessageDifferencer::Equals(response.answer(), expected->answer));
  CHECK(MessageDifferencer::Equals(response.customer_message(), expected->answer));
  CHECK_FALSE(response.answer().zh_cn().empty());
  CHECK_FALSE(response.answer().en().empty());

  const auto records = h.IntakeRecords();
  REQUIRE(records.size() == 1);
  CHECK(records[0].key == kFirstTicket);
  CHECK(HeaderOf(records[0], "ce_type") == "gridcare.consultation.answered.v1");
  CHECK(HeaderOf(records[0], "ce_id") == IntakeEventId("REQ-CONSULT-1", "consultation_answered"));
  const auto event = ParseIntakeEvent(records[0]);
  REQUIRE(event.has_consultation_answered());
  const auto& answered = event.consultation_answered();
  CHECK(answered.ticket_id() == kFirstTicket);
  CHECK(answered.request_id() == "REQ-CONSULT-1");
  CHECK(answered.knowledge_article_id() == expected->article_id);
  CHECK(answered.first_contact_resolution());
  CHECK(answered.confidence() == Approx(expected->confidence));
  CHECK(answered.customer_id() == kCustomer);
  CHECK(answered.answered_at() == At(StartTime()));

  const auto tracked = TrackTicket(h, kFirstTicket);
  REQUIRE(tracked.timeline_size() == 1);
  CHECK(tracked.timeline(0).state() == v1::TICKET_STATE_ANSWERED);
  CHECK_THAT(tracked.timeline(0).description().en(), Catch::Contains(expected->article_id));

  // An answered consultation is not an open ticket: a later fault call opens its own ticket.
  CHECK(h.Accept(FaultCall("REQ-CONSULT-THEN-FAULT", kCustomer)).outcome() ==
        v1::SubmitResponse::OUTCOME_TICKET_OPENED);
}

TEST_CASE("a consultation the knowledge base cannot answer gets a ticket with a reply clock",
          "[core][consultation]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const std::string question = "请问明年我们村会不会新建一座变电站，规划图在哪里可以看到";
  REQUIRE_FALSE(testing::RealKnowledgeBase().Answer(question, v1::LANGUAGE_ZH_CN).has_value());
  const auto response =
      h.Accept(Typed("REQ-CONSULT-2", v1::REQUEST_TYPE_CONSULTATION, question, kCustomer));
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_CONSULTATION);
  CHECK(response.ticket().state() == v1::TICKET_STATE_OPEN);
  CHECK(response.ticket().priority() == v1::PRIORITY_LOW);
  CHECK_FALSE(response.has_answer());
  REQUIRE(response.ticket().clocks_size() == 1);
  const auto& reply = response.ticket().clocks(0);
  CHECK(reply.kind() == v1::ServiceClock::KIND_CONSULTATION_REPLY);
  CHECK(SecondsBetween(reply.starts_at(), reply.due_at()) == 24 * 3600);
  CHECK_FALSE(reply.working_days());
  REQUIRE(h.IntakeRecords().size() == 1);
  CHECK(HeaderOf(h.IntakeRecords()[0], "ce_type") == "gridcare.ticket.opened.v1");
}

TEST_CASE("a service application lists the documents to bring and gets a completion clock",
          "[core][application]") {
  struct Case {
    v1::AccountType account;
    int working_days;
  };
  const auto c =
      GENERATE(Case{v1::ACCOUNT_TYPE_RESIDENTIAL, 5}, Case{v1::ACCOUNT_TYPE_COMMERCIAL, 6},
               Case{v1::ACCOUNT_TYPE_INDUSTRIAL, 6});
  CAPTURE(v1::AccountType_Name(c.account));
  Harness h;
  auto customer = MakeCustomer(kCustomer);
  customer.set_account_type(c.account);
  h.profiles.Add(customer);
  auto request =
      Typed("REQ-APP-1", v1::REQUEST_TYPE_SERVICE_APPLICATION, "申请新装一块电表", kCustomer);
  request.set_application_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  const auto response = h.Accept(request);

  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_SERVICE_APPLICATION);
  CHECK(response.ticket().application_kind() == v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  const auto expected = testing::RealKnowledgeBase().RequiredDocuments(
      v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, c.account);
  REQUIRE_FALSE(expected.empty());
  REQUIRE(response.required_documents_size() == static_cast<int>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(
        MessageDifferencer::Equals(response.required_documents(static_cast<int>(i)), expected[i]));
  }
  const auto* completion =
      FindClock(response.ticket(), v1::ServiceClock::KIND_APPLICATION_COMPLETION);
  REQUIRE(completion != nullptr);
  CHECK(completion->working_days());
  CHECK(completion->due_at().seconds() ==
        At(testing::RealCalendar().AddWorkingDays(StartTime(), c.working_days)).seconds());
  CHECK_THAT(response.customer_message().zh_cn(), Catch::Contains("一次办结"));
}

TEST_CASE("a free-text application is classified with its kind", "[core][application]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  auto request = MakeRequest("REQ-APP-TEXT", v1::CHANNEL_MOBILE_APP, "我家新房子要装电表开户");
  request.mutable_customer()->set_customer_id(kCustomer);
  const auto response = h.Accept(request);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_SERVICE_APPLICATION);
  CHECK(response.ticket().application_kind() == v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  CHECK_FALSE(response.ticket().classification().from_channel());
  CHECK(response.required_documents_size() > 0);
}

TEST_CASE("urgings attach to the open ticket, raise its priority and escalate at the threshold",
          "[core][urging]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto opened = h.Accept(FaultCall("REQ-U-0", kCustomer));
  REQUIRE(opened.ticket().priority() == v1::PRIORITY_NORMAL);

  struct Expect {
    int urgings;
    v1::Priority priority;
    bool escalated;
  };
  const std::vector<Expect> steps = {
      {1, v1::PRIORITY_HIGH, false}, {2, v1::PRIORITY_HIGH, true}, {3, v1::PRIORITY_URGENT, true}};
  for (const auto& step : steps) {
    CAPTURE(step.urgings);
    h.clock.Advance(30min);
    const std::string id = "REQ-U-" + std::to_string(step.urgings);
    auto urge =
        Typed(id, v1::REQUEST_TYPE_URGING, "停电两个小时了怎么还没人来修，催一下", kCustomer);
    const auto response = h.Accept(urge);
    CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_CONTACT_ADDED);
    CHECK(response.urging());
    CHECK(response.ticket_id() == opened.ticket_id());
    CHECK(response.ticket().urging_count() == step.urgings);
    CHECK(response.ticket().contact_count() == step.urgings + 1);
    CHECK(response.ticket().priority() == step.priority);
    CHECK(response.ticket().updated_at() == At(h.clock.Now()));
    CHECK(response.ticket().opened_at() == At(StartTime()));
    CHECK_THAT(response.customer_message().en(), Catch::Contains("raised its priority"));
    CHECK_THAT(response.customer_message().zh_cn(), Catch::Contains(opened.ticket_id()));

    const auto record = h.IntakeRecords().back();
    CHECK(record.key == opened.ticket_id());
    CHECK(HeaderOf(record, "ce_type") == "gridcare.ticket.contact_added.v1");
    CHECK(HeaderOf(record, "ce_id") == IntakeEventId(id, "contact_added"));
    const auto event = ParseIntakeEvent(record);
    REQUIRE(event.has_contact_added());
    const auto& added = event.contact_added();
    CHECK(added.ticket_id() == opened.ticket_id());
    CHECK(added.request_id() == id);
    CHECK(added.urging());
    CHECK(added.urging_count() == step.urgings);
    CHECK(added.contact_count() == step.urgings + 1);
    CHECK(added.new_priority() == step.priority);
    CHECK(added.escalated() == step.escalated);
    CHECK(added.customer_id() == kCustomer);
    CHECK(added.text() == urge.text());
  }
  CHECK(h.IntakeRecords().size() == 4);

  // The stored ticket carries the counts; the timeline has the opening and three urgings.
  const auto tracked = TrackTicket(h, opened.ticket_id());
  CHECK(tracked.ticket().urging_count() == 3);
  CHECK(tracked.ticket().contact_count() == 4);
  CHECK(tracked.ticket().priority() == v1::PRIORITY_URGENT);
  REQUIRE(tracked.timeline_size() == 4);
  CHECK(tracked.timeline(3).actor().kind() == v1::Actor::KIND_CUSTOMER);
  CHECK_THAT(tracked.timeline(2).description().en(), Catch::Contains("escalated"));
  CHECK_THAT(tracked.timeline(1).description().en(), !Catch::Contains("escalated"));

  // A retried urging is a replay: nothing is counted twice.
  const auto replay = h.Accept(
      Typed("REQ-U-3", v1::REQUEST_TYPE_URGING, "停电两个小时了怎么还没人来修，催一下", kCustomer));
  CHECK(replay.replayed());
  CHECK(replay.ticket().urging_count() == 3);
  CHECK(TrackTicket(h, opened.ticket_id()).ticket().urging_count() == 3);
}

TEST_CASE("a classified urging and a repeat call attach like an explicit urging",
          "[core][urging]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto opened = h.Accept(FaultCall("REQ-R-0", kCustomer));

  SECTION("free text chasing the repair") {
    auto urge =
        MakeRequest("REQ-R-1", v1::CHANNEL_HOTLINE_IVR, "停电两个小时了怎么还没人来修，催一下");
    urge.mutable_customer()->set_customer_id(kCustomer);
    const auto response = h.Accept(urge);
    CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_CONTACT_ADDED);
    CHECK(response.ticket_id() == opened.ticket_id());
    CHECK(response.ticket().urging_count() == 1);
  }
  SECTION("the same fault reported again within the window counts as urging") {
    h.clock.Advance(2h);
    const auto response = h.Accept(FaultCall("REQ-R-2", kCustomer));
    CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_CONTACT_ADDED);
    CHECK(response.ticket_id() == opened.ticket_id());
    CHECK(response.ticket().contact_count() == 2);
    CHECK(response.ticket().urging_count() == 1);
  }
  SECTION("a repeat mentioning a hazard raises the ticket to urgent") {
    auto hazard = MakeRequest("REQ-R-3", v1::CHANNEL_HOTLINE_IVR, "停电了，门口电线断了还在冒烟");
    hazard.mutable_customer()->set_customer_id(kCustomer);
    const auto response = h.Accept(hazard);
    CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_CONTACT_ADDED);
    CHECK(response.ticket().priority() == v1::PRIORITY_URGENT);
  }
  SECTION("a different matter opens its own ticket") {
    const auto response =
        h.Accept(Typed("REQ-R-4", v1::REQUEST_TYPE_COMPLAINT, "我要投诉抄表员态度差", kCustomer));
    CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
    CHECK(response.ticket_id() != opened.ticket_id());
  }
}

TEST_CASE("the escalation threshold comes from the urging rules", "[core][urging]") {
  const int threshold = GENERATE(0, 1, 3);
  CAPTURE(threshold);
  IntakeRules rules;
  rules.urging.escalate_at_urgings = threshold;
  Harness h(rules);
  h.profiles.Add(MakeCustomer(kCustomer));
  h.Accept(FaultCall("REQ-T-0", kCustomer));
  for (int n = 1; n <= 3; ++n) {
    CAPTURE(n);
    h.Accept(Typed("REQ-T-" + std::to_string(n), v1::REQUEST_TYPE_URGING, "催一下", kCustomer));
    const auto event = ParseIntakeEvent(h.IntakeRecords().back());
    CHECK(event.contact_added().escalated() == (threshold > 0 && n >= threshold));
  }
}

TEST_CASE("an urging from a known customer with nothing open becomes a ticket of its own",
          "[core][urging]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  // A known customer with nothing open: the urging becomes a ticket of its own (no clocks).
  const auto response = h.Accept(Typed("REQ-LONELY", v1::REQUEST_TYPE_URGING, "催一下", kCustomer));
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_URGING);
  CHECK(response.ticket().clocks_size() == 0);
}

TEST_CASE("praise never attaches to an open ticket, even when it names it", "[core][urging]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto opened = h.Accept(FaultCall("REQ-P-0", kCustomer));
  auto praise = Typed("REQ-P-1", v1::REQUEST_TYPE_PRAISE, "上次电线断了你们来得很快，表扬抢修师傅",
                      kCustomer);
  praise.set_referenced_ticket_id(opened.ticket_id());
  const auto response = h.Accept(praise);
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket_id() != opened.ticket_id());
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_PRAISE);
  // Praise recounts past events: a hazard word in it does not make it urgent.
  CHECK(response.ticket().priority() == v1::PRIORITY_LOW);
  CHECK(response.ticket().clocks_size() == 0);
  CHECK_THAT(response.customer_message().zh_cn(), Catch::Contains("感谢"));
  const auto fault = TrackTicket(h, opened.ticket_id()).ticket();
  CHECK(fault.contact_count() == 1);
  CHECK(fault.urging_count() == 0);
}

TEST_CASE("a profile service outage is a retryable error with no effects, then a retry succeeds",
          "[core][retry]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto request = FaultCall("REQ-OUTAGE", kCustomer);
  h.profiles.FailNext(1);
  auto failed = h.Submit(request);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().kind == core::ErrorKind::kUnavailable);
  CHECK(failed.error().Retryable());
  CHECK(h.publisher.records().empty());
  v1::TrackRequest by_ticket;
  by_ticket.set_ticket_id(kFirstTicket);
  REQUIRE_FALSE(h.core.Track(by_ticket).ok());
  CHECK(h.core.Track(by_ticket).error().kind == core::ErrorKind::kNotFound);
  v1::TrackRequest by_request;
  by_request.set_request_id("REQ-OUTAGE");
  REQUIRE_FALSE(h.core.Track(by_request).ok());
  CHECK(h.core.Track(by_request).error().kind == core::ErrorKind::kNotFound);

  // Another request meanwhile takes the next number; the retry keeps the one it reserved.
  h.Accept(Typed("REQ-OTHER", v1::REQUEST_TYPE_PRAISE, "感谢", ""));
  h.publisher.Clear();
  h.clock.Advance(1min);
  const auto retried = h.Accept(request);
  CHECK(retried.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(retried.ticket_id() == kFirstTicket);
  CHECK_FALSE(retried.replayed());
  REQUIRE(h.publisher.records().size() == 1);
  CHECK(HeaderOf(h.publisher.records()[0], "ce_id") ==
        IntakeEventId("REQ-OUTAGE", "ticket_opened"));
  CHECK(TrackTicket(h, kFirstTicket).timeline_size() == 1);
}

TEST_CASE(
    "a ticket store outage publishes nothing, and the retry writes and publishes the outcome once",
    "[core][retry]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto request = FaultCall("REQ-STORE-DOWN", kCustomer);
  h.store.FailNextOutcomes(1);
  auto failed = h.Submit(request);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  // Nothing downstream may react to a ticket intake has not stored.
  CHECK(h.publisher.records().empty());
  v1::TrackRequest by_ticket;
  by_ticket.set_ticket_id(kFirstTicket);
  REQUIRE_FALSE(h.core.Track(by_ticket).ok());

  const auto retried = h.Accept(request);
  CHECK(retried.ticket_id() == kFirstTicket);
  CHECK_FALSE(retried.replayed());
  REQUIRE(h.publisher.records().size() == 1);
  CHECK(HeaderOf(h.publisher.records()[0], "ce_id") ==
        IntakeEventId("REQ-STORE-DOWN", "ticket_opened"));
  const auto tracked = TrackTicket(h, kFirstTicket);
  CHECK(tracked.timeline_size() == 1);

  // A redelivery after that replays the recorded event under the same id and writes nothing new.
  const auto replayed = h.Accept(request);
  CHECK(replayed.replayed());
  REQUIRE(h.publisher.records().size() == 2);
  CHECK(h.publisher.records()[1].value == h.publisher.records()[0].value);
  CHECK(TrackTicket(h, kFirstTicket).timeline_size() == 1);
}

TEST_CASE("a contact attached while the store is down is counted once after the retry",
          "[core][retry][urging]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  h.Accept(FaultCall("REQ-FIRST", kCustomer));
  h.publisher.Clear();
  h.clock.Advance(10min);
  const auto urging = FaultCall("REQ-AGAIN", kCustomer);
  h.store.FailNextOutcomes(1);
  REQUIRE_FALSE(h.Submit(urging).ok());
  CHECK(h.publisher.records().empty());
  const auto attached = h.Accept(urging);
  CHECK(attached.outcome() == v1::SubmitResponse::OUTCOME_CONTACT_ADDED);
  CHECK(attached.ticket().contact_count() == 2);
  REQUIRE(h.publisher.records().size() == 1);
  CHECK(TrackTicket(h, kFirstTicket).timeline_size() == 2);
}

TEST_CASE("who the customer is and what is at stake set the priority", "[core][priority]") {
  struct Case {
    const char* name;
    v1::CustomerTag tag;
    v1::RequestType type;
    const char* text;
    v1::Priority priority;
  };
  const std::vector<Case> cases = {
      {"life-support customer, fault", v1::CUSTOMER_TAG_LIFE_SUPPORT, v1::REQUEST_TYPE_FAULT_REPAIR,
       "家里停电了", v1::PRIORITY_URGENT},
      {"important customer, fault", v1::CUSTOMER_TAG_IMPORTANT, v1::REQUEST_TYPE_FAULT_REPAIR,
       "医院停电了", v1::PRIORITY_HIGH},
      {"important customer, complaint", v1::CUSTOMER_TAG_IMPORTANT, v1::REQUEST_TYPE_COMPLAINT,
       "投诉抢修太慢", v1::PRIORITY_HIGH},
      {"sensitive customer, complaint", v1::CUSTOMER_TAG_SENSITIVE, v1::REQUEST_TYPE_COMPLAINT,
       "投诉抄表员", v1::PRIORITY_HIGH},
      {"life-support customer, complaint", v1::CUSTOMER_TAG_LIFE_SUPPORT,
       v1::REQUEST_TYPE_COMPLAINT, "投诉电费太高", v1::PRIORITY_NORMAL},
      {"elderly customer, fault", v1::CUSTOMER_TAG_ELDERLY, v1::REQUEST_TYPE_FAULT_REPAIR,
       "家里停电了", v1::PRIORITY_NORMAL},
      {"untagged customer, public-safety hazard", v1::CUSTOMER_TAG_UNSPECIFIED,
       v1::REQUEST_TYPE_FAULT_REPAIR, "小区门口电线断了，还在冒烟", v1::PRIORITY_URGENT},
      {"untagged customer, hazard in a report", v1::CUSTOMER_TAG_UNSPECIFIED,
       v1::REQUEST_TYPE_REPORT, "有人偷电，电箱旁边起火了", v1::PRIORITY_URGENT},
      {"untagged customer, suggestion", v1::CUSTOMER_TAG_UNSPECIFIED, v1::REQUEST_TYPE_SUGGESTION,
       "建议营业厅周末也开门", v1::PRIORITY_LOW},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      Harness h;
      auto customer = MakeCustomer(kCustomer);
      if (c.tag != v1::CUSTOMER_TAG_UNSPECIFIED) customer.add_tags(c.tag);
      h.profiles.Add(customer);
      const auto response = h.Accept(Typed("REQ-PRIO", c.type, c.text, kCustomer));
      CHECK(v1::Priority_Name(response.ticket().priority()) == v1::Priority_Name(c.priority));
      if (c.tag != v1::CUSTOMER_TAG_UNSPECIFIED) {
        REQUIRE(response.ticket().customer_tags_size() == 1);
        CHECK(response.ticket().customer_tags(0) == c.tag);
      }
    }
  }
}

TEST_CASE("a life-support customer's fault call, classified from text, is urgent",
          "[core][priority]") {
  Harness h;
  auto customer = MakeCustomer(kCustomer);
  customer.add_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
  h.profiles.Add(customer);
  const auto response = h.Accept(FaultCall("REQ-LIFE", kCustomer));
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(response.ticket().priority() == v1::PRIORITY_URGENT);
  CHECK(ParseIntakeEvent(h.IntakeRecords()[0]).ticket_opened().ticket().priority() ==
        v1::PRIORITY_URGENT);
}

TEST_CASE("a public-safety hazard from an identified customer is urgent", "[core][priority]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  auto request = MakeRequest("REQ-SAFETY", v1::CHANNEL_HOTLINE_AGENT, "小区门口电线断了，还在冒烟");
  request.mutable_customer()->set_customer_id(kCustomer);
  const auto response = h.Accept(request);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(response.ticket().priority() == v1::PRIORITY_URGENT);
}

TEST_CASE("ticket numbers carry the local date and count up", "[core][ids]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  CHECK(h.Accept(Typed("REQ-N-1", v1::REQUEST_TYPE_PRAISE, "感谢", "")).ticket_id() ==
        kFirstTicket);
  CHECK(h.Accept(Typed("REQ-N-2", v1::REQUEST_TYPE_PRAISE, "感谢", "")).ticket_id() ==
        kSecondTicket);
  // 16:30 UTC is 00:30 the next day in Beijing.
  h.clock.Advance(14h + 30min);
  CHECK_THAT(h.Accept(Typed("REQ-N-3", v1::REQUEST_TYPE_PRAISE, "感谢", "")).ticket_id(),
             Catch::StartsWith("GC-20261125-"));
}

}  // namespace gridcare::intake
