// The real intake and profile binaries against a real redis-server and devbroker, with the
// 2,000-customer synthetic utility loaded: requests through gRPC and through the requests topic,
// including malformed, duplicate, oversize, unknown-customer, ambiguous and urging cases.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/redis/client.h"
#include "gridcare/rpc/client.h"
#include "gridcare/synth/utility.h"
#include "gridcare/testing/servers.h"
#include "gridcare/testing/topic_reader.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"
#include "gridcare/v1/notification.pb.h"
#include "intake_stack.h"

namespace v1 = gridcare::v1;
namespace kafka = gridcare::kafka;
using gridcare::testing::ChildProcess;
using gridcare::testing::TopicReader;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

namespace {

using Stack = gridcare::testing::IntakeStack;

Stack& TheStack() {
  static Stack stack;
  return stack;
}

v1::ServiceRequest Request(const std::string& id, v1::Channel channel, const std::string& text) {
  v1::ServiceRequest request;
  request.set_request_id(id);
  request.set_channel(channel);
  request.set_text(text);
  request.set_language(v1::LANGUAGE_ZH_CN);
  *request.mutable_received_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return request;
}

grpc::Status Submit(const v1::ServiceRequest& request, v1::SubmitResponse* response) {
  auto& stack = TheStack();
  grpc::ClientContext context;
  gridcare::rpc::SetDeadline(context, 10s);
  v1::SubmitRequest submit;
  *submit.mutable_request() = request;
  return stack.stub->Submit(&context, submit, response);
}

void PublishRequest(const v1::ServiceRequest& request, const std::string& key) {
  v1::RequestEvent event;
  *event.mutable_submitted() = request;
  kafka::EventMetadata metadata{"ce-" + request.request_id(),     "gridcare.request.submitted.v1",
                                "/gridcare/adapters/test",        request.request_id(),
                                std::chrono::system_clock::now(), ""};
  REQUIRE(TheStack()
              .producer
              ->PublishAndWait(
                  kafka::MakeRecord(std::string(kafka::kRequestsTopic), key, metadata, event), 10s)
              .ok());
}

}  // namespace

TEST_CASE("a fault call by phone opens a ticket with its arrival clock, once per request id") {
  auto& stack = TheStack();
  const int64_t index = 100;  // an urban customer of the fixture
  auto request = Request("REQ-FAULT-1", v1::CHANNEL_HOTLINE_IVR, "家里停电了，整栋楼都没电");
  request.mutable_customer()->set_phone(stack.utility.CustomerAt(index).phones(0));
  v1::SubmitResponse response;
  auto status = Submit(request, &response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK_THAT(response.ticket_id(), Catch::StartsWith("GC-"));
  const auto& ticket = response.ticket();
  CHECK(ticket.type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(ticket.customer_id() == stack.utility.CustomerId(index));
  CHECK_FALSE(ticket.unidentified());
  REQUIRE(ticket.clocks_size() >= 1);
  CHECK(ticket.clocks(0).kind() == v1::ServiceClock::KIND_ARRIVAL);
  CHECK(ticket.clocks(0).due_at().seconds() - ticket.clocks(0).starts_at().seconds() == 45 * 60);
  CHECK_THAT(response.customer_message().zh_cn(), Catch::Contains("45 分钟"));
  CHECK_THAT(response.customer_message().en(), Catch::Contains(response.ticket_id()));

  // A channel retry gets the same ticket, not a second one.
  v1::SubmitResponse again;
  REQUIRE(Submit(request, &again).ok());
  CHECK(again.ticket_id() == response.ticket_id());
  CHECK(again.replayed());

  // The same id with different content is refused.
  auto changed = request;
  changed.set_text("我要投诉");
  v1::SubmitResponse conflict;
  CHECK(Submit(changed, &conflict).error_code() == grpc::StatusCode::ALREADY_EXISTS);

  // Exactly one ticket-opened event, keyed by the ticket, with CloudEvents headers.
  REQUIRE(WaitUntil(
      [&] {
        return !stack.reader->Matching([&](const auto& m) { return m.key == response.ticket_id(); })
                    .empty();
      },
      20s));
  std::this_thread::sleep_for(500ms);
  const auto events = stack.reader->Matching([&](const auto& m) {
    return m.key == response.ticket_id() && m.Header("ce_type") == "gridcare.ticket.opened.v1";
  });
  std::set<std::string> ids;
  for (const auto& e : events) ids.insert(std::string(*e.Header("ce_id")));
  CHECK(ids.size() == 1);  // the replay re-published the same event id, nothing new
  CHECK(events.front().Header("ce_source") == "/gridcare/intake");
}

TEST_CASE("bad requests get typed rejections on gRPC") {
  auto& stack = TheStack();
  v1::SubmitResponse response;
  auto missing_id = Request("", v1::CHANNEL_WEB, "停电");
  CHECK(Submit(missing_id, &response).error_code() == grpc::StatusCode::INVALID_ARGUMENT);

  auto bad_channel = Request("REQ-BAD-CHANNEL", static_cast<v1::Channel>(77), "停电");
  auto status = Submit(bad_channel, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(status.error_message(), Catch::Contains("UNKNOWN_ENUM_VALUE"));

  auto oversize = Request("REQ-OVERSIZE", v1::CHANNEL_WEB, std::string(4001 * 3, 'x'));
  status = Submit(oversize, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(status.error_message(), Catch::Contains("TEXT_TOO_LONG"));

  auto unknown = Request("REQ-UNKNOWN", v1::CHANNEL_WECHAT, "我要投诉你们的收费");
  unknown.set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
  unknown.mutable_customer()->set_customer_id("9999999999");
  status = Submit(unknown, &response);
  CHECK(status.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK_THAT(status.error_message(), Catch::Contains("UNKNOWN_CUSTOMER"));

  // A phone shared by several accounts: intake asks rather than guesses.
  std::string shared_phone;
  for (int64_t i = 0; i < stack.utility.customer_count() && shared_phone.empty(); ++i) {
    if (stack.utility.CustomersSharingPhoneWith(i).size() > 1) {
      shared_phone = stack.utility.CustomerAt(i).phones(0);
    }
  }
  REQUIRE_FALSE(shared_phone.empty());
  auto ambiguous = Request("REQ-AMBIGUOUS", v1::CHANNEL_HOTLINE_AGENT, "我要投诉抄表员");
  ambiguous.set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
  ambiguous.mutable_customer()->set_phone(shared_phone);
  CHECK(Submit(ambiguous, &response).error_code() == grpc::StatusCode::FAILED_PRECONDITION);

  // An unknown caller reporting a downed line at an address is still served, flagged.
  auto hazard = Request("REQ-HAZARD", v1::CHANNEL_HOTLINE_AGENT, "路边电线断了，还在冒火花");
  hazard.mutable_customer()->set_phone("13000000000");
  hazard.mutable_location()->set_full_text("榕州市文乐区古港横路 115 号门口");
  REQUIRE(Submit(hazard, &response).ok());
  CHECK(response.ticket().unidentified());
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(response.ticket().priority() == v1::PRIORITY_URGENT);
}

TEST_CASE("consultations are answered at once and applications list their documents") {
  auto& stack = TheStack();
  auto question = Request("REQ-CONSULT-1", v1::CHANNEL_WECHAT, "请问怎么交电费？可以用微信交吗");
  question.mutable_customer()->set_customer_id(stack.utility.CustomerId(5));
  v1::SubmitResponse response;
  REQUIRE(Submit(question, &response).ok());
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_CONSULTATION_ANSWERED);
  CHECK_FALSE(response.answer().zh_cn().empty());
  CHECK_FALSE(response.answer().en().empty());
  CHECK(response.ticket().state() == v1::TICKET_STATE_ANSWERED);

  auto application = Request("REQ-NEWCONN-1", v1::CHANNEL_MOBILE_APP, "我家新房子要装电表开户");
  application.mutable_customer()->set_customer_id(stack.utility.CustomerId(6));
  REQUIRE(Submit(application, &response).ok());
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket().type() == v1::REQUEST_TYPE_SERVICE_APPLICATION);
  CHECK(response.ticket().application_kind() == v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  CHECK(response.required_documents_size() > 0);
  REQUIRE(response.ticket().clocks_size() >= 1);
  CHECK(response.ticket().clocks(0).working_days());
}

TEST_CASE("urging attaches to the open ticket, raises priority and escalates when repeated") {
  auto& stack = TheStack();
  const std::string customer = stack.utility.CustomerId(200);
  auto first = Request("REQ-URGE-0", v1::CHANNEL_HOTLINE_IVR, "我家没电了");
  first.mutable_customer()->set_customer_id(customer);
  v1::SubmitResponse opened;
  REQUIRE(Submit(first, &opened).ok());
  REQUIRE(opened.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);

  v1::SubmitResponse urged;
  for (int i = 1; i <= 2; ++i) {
    auto urge = Request("REQ-URGE-" + std::to_string(i), v1::CHANNEL_HOTLINE_IVR,
                        "停电两个小时了怎么还没人来修，催一下");
    urge.mutable_customer()->set_customer_id(customer);
    REQUIRE(Submit(urge, &urged).ok());
    CHECK(urged.outcome() == v1::SubmitResponse::OUTCOME_CONTACT_ADDED);
    CHECK(urged.ticket_id() == opened.ticket_id());
  }
  CHECK(urged.ticket().urging_count() == 2);
  CHECK(urged.ticket().contact_count() == 3);
  CHECK(urged.ticket().priority() > opened.ticket().priority());

  REQUIRE(WaitUntil(
      [&] {
        return !stack.reader
                    ->Matching([&](const auto& m) {
                      if (m.Header("ce_type") != "gridcare.ticket.contact_added.v1") return false;
                      v1::IntakeEvent event;
                      return event.ParseFromString(m.value) &&
                             event.contact_added().ticket_id() == opened.ticket_id() &&
                             event.contact_added().escalated();
                    })
                    .empty();
      },
      20s));

  grpc::ClientContext context;
  v1::TrackRequest track;
  track.set_request_id("REQ-URGE-2");
  v1::TrackResponse where;
  REQUIRE(stack.stub->Track(&context, track, &where).ok());
  CHECK(where.ticket().ticket_id() == opened.ticket_id());
  CHECK(where.timeline_size() == 3);
}

TEST_CASE("requests on the topic become tickets, rejections and undecodable records are visible") {
  auto& stack = TheStack();
  auto request = Request("REQ-KAFKA-1", v1::CHANNEL_SMS, "电压太低，灯一闪一闪的");
  request.mutable_customer()->set_customer_id(stack.utility.CustomerId(300));
  PublishRequest(request, stack.utility.CustomerId(300));

  auto unknown = Request("REQ-KAFKA-UNKNOWN", v1::CHANNEL_WEB, "我要申请增容");
  unknown.mutable_customer()->set_customer_id("8888888888");
  PublishRequest(unknown, "REQ-KAFKA-UNKNOWN");

  // Text that is not UTF-8 makes the record undecodable (proto3 checks strings when parsing).
  auto bad = Request("REQ-KAFKA-BADUTF8", v1::CHANNEL_SMS, "PLACEHOLDER");
  v1::RequestEvent event;
  *event.mutable_submitted() = bad;
  std::string bytes = event.SerializeAsString();
  bytes.replace(bytes.find("PLACEHOLDER"), 11, "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5");
  REQUIRE(stack.producer
              ->PublishAndWait({std::string(kafka::kRequestsTopic),
                                "REQ-KAFKA-BADUTF8",
                                bytes,
                                {{"ce_id", "ce-bad-utf8"}}},
                               10s)
              .ok());
  PublishRequest(Request("REQ-KAFKA-AFTER", v1::CHANNEL_WEB, "咨询一下峰谷电价怎么申请"),
                 "REQ-KAFKA-AFTER");

  auto has = [&](const std::string& type, const std::function<bool(const v1::IntakeEvent&)>& p) {
    return WaitUntil(
        [&] {
          return !stack.reader
                      ->Matching([&](const auto& m) {
                        if (m.Header("ce_type") != type) return false;
                        v1::IntakeEvent e;
                        return e.ParseFromString(m.value) && p(e);
                      })
                      .empty();
        },
        30s);
  };
  CHECK(has("gridcare.ticket.opened.v1", [](const v1::IntakeEvent& e) {
    return e.ticket_opened().ticket().request_id() == "REQ-KAFKA-1";
  }));
  CHECK(has("gridcare.request.rejected.v1", [](const v1::IntakeEvent& e) {
    return e.request_rejected().request_id() == "REQ-KAFKA-UNKNOWN" &&
           e.request_rejected().reason() == v1::REJECTION_REASON_UNKNOWN_CUSTOMER;
  }));
  CHECK(WaitUntil(
      [&] {
        return !stack.reader
                    ->Matching([](const auto& m) {
                      return m.Header("ce_id") == "ce-bad-utf8" &&
                             m.Header(kafka::kDeadLetterReason) == "malformed_protobuf";
                    })
                    .empty();
      },
      30s));
  // The stream kept flowing after the poison record.
  const bool flowed = has("gridcare.consultation.answered.v1",
                          [](const v1::IntakeEvent& e) {
                            return e.consultation_answered().request_id() == "REQ-KAFKA-AFTER";
                          }) ||
                      has("gridcare.ticket.opened.v1", [](const v1::IntakeEvent& e) {
                        return e.ticket_opened().ticket().request_id() == "REQ-KAFKA-AFTER";
                      });
  CHECK(flowed);
}

TEST_CASE("Track shows downstream steps: attached to an incident, then restored") {
  auto& stack = TheStack();
  auto request = Request("REQ-TRACK-1", v1::CHANNEL_MOBILE_APP, "小区停电了");
  request.mutable_customer()->set_customer_id(stack.utility.CustomerId(400));
  v1::SubmitResponse opened;
  REQUIRE(Submit(request, &opened).ok());

  auto publish = [&](const std::string& id, const v1::DispatchEvent& event) {
    kafka::EventMetadata metadata{
        id, "gridcare.test.v1", "/gridcare/dispatch", "INC-T1", std::chrono::system_clock::now(),
        ""};
    REQUIRE(stack.producer
                ->PublishAndWait(kafka::MakeRecord(std::string(kafka::kDispatchTopic), "INC-T1",
                                                   metadata, event),
                                 10s)
                .ok());
  };
  v1::DispatchEvent attached;
  attached.mutable_ticket_attached()->set_ticket_id(opened.ticket_id());
  attached.mutable_ticket_attached()->set_incident_id("INC-T1");
  publish("d-1", attached);
  v1::DispatchEvent restored;
  restored.mutable_incident_restored()->mutable_incident()->set_incident_id("INC-T1");
  restored.mutable_incident_restored()->mutable_incident()->mutable_cause()->set_zh_cn("树枝碰线");
  restored.mutable_incident_restored()->mutable_incident()->mutable_cause()->set_en("tree contact");
  restored.mutable_incident_restored()->add_ticket_ids(opened.ticket_id());
  publish("d-2", restored);

  v1::TrackResponse where;
  REQUIRE(WaitUntil(
      [&] {
        grpc::ClientContext context;
        v1::TrackRequest track;
        track.set_ticket_id(opened.ticket_id());
        return stack.stub->Track(&context, track, &where).ok() &&
               where.ticket().state() == v1::TICKET_STATE_RESOLVED;
      },
      30s));
  REQUIRE(where.timeline_size() == 3);
  CHECK(where.timeline(1).state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK_THAT(where.timeline(2).description().en(), Catch::Contains("tree contact"));

  // Notices to the customer show too (without moving the ticket); one about the incident is
  // ignored. Both share the recipient key, so the second is handled after the first.
  auto notify = [&](const std::string& id, const std::string& subject_id) {
    v1::NotificationEvent event;
    auto* sent = event.mutable_sent();
    sent->set_recipient_kind(v1::RECIPIENT_KIND_CUSTOMER);
    sent->set_recipient_id(request.customer().customer_id());
    sent->set_channel_name("sms");
    sent->set_subject_id(subject_id);
    sent->set_masked_address("138****5678");
    *sent->mutable_sent_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1795500120);
    kafka::EventMetadata metadata{id, "gridcare.notification.sent.v1",  "/gridcare/notification",
                                  id, std::chrono::system_clock::now(), ""};
    REQUIRE(stack.producer
                ->PublishAndWait(kafka::MakeRecord(std::string(kafka::kNotificationTopic),
                                                   sent->recipient_id(), metadata, event),
                                 10s)
                .ok());
  };
  notify("n-1", "INC-T1");
  notify("n-2", opened.ticket_id());
  REQUIRE(WaitUntil(
      [&] {
        grpc::ClientContext context;
        v1::TrackRequest track;
        track.set_ticket_id(opened.ticket_id());
        return stack.stub->Track(&context, track, &where).ok() && where.timeline_size() > 3;
      },
      30s));
  REQUIRE(where.timeline_size() == 4);
  CHECK(where.ticket().state() == v1::TICKET_STATE_RESOLVED);
  CHECK(where.timeline(3).description().en() ==
        "We sent you an SMS (138****5678) at 14:02 (Beijing time)");

  grpc::ClientContext context;
  v1::TrackRequest unknown;
  unknown.set_ticket_id("GC-19990101-000001");
  CHECK(stack.stub->Track(&context, unknown, &where).error_code() == grpc::StatusCode::NOT_FOUND);
}
