// Customers' replies to notices: what each notice's reply becomes (reply_requests.h) and the
// forwarder over the fake store and a recording publisher — the request on gridcare.requests.v1,
// flushed before the provider is answered, replies to staff notices dropped, errors typed.
#include "reply_forwarder.h"

#include <catch2/catch.hpp>
#include <string>

#include "fake_delivery_store.h"
#include "gridcare/kafka/topics.h"
#include "reply_requests.h"

namespace gridcare::notification {
namespace {

const core::TimePoint kNow = core::FromUnixMillis(1'796'522'400'000);  // 2026-12-06T02:00:00Z

v1::StoredNotification Notice(const std::string& template_id, const std::string& subject,
                              const std::string& recipient = "3100000001") {
  v1::StoredNotification notice;
  notice.set_notification_id("n-1");
  notice.set_recipient_kind(v1::RECIPIENT_KIND_CUSTOMER);
  notice.set_recipient_id(recipient);
  notice.set_template_id(template_id);
  notice.set_subject_id(subject);
  notice.set_language(v1::LANGUAGE_EN);
  notice.add_channels("sms");
  notice.set_state(v1::NOTIFICATION_STATE_DELIVERED);
  return notice;
}

ReplyFacts Facts(std::string text = "still no power") {
  return {"sms", "sms-r1", "13812345678", std::move(text), 1'796'523'000'000};
}

v1::ServiceRequest RequestFor(const v1::StoredNotification& notice,
                              const ReplyFacts& facts = Facts()) {
  auto request = RequestForReply(notice, facts);
  REQUIRE(request.ok());
  REQUIRE(request->has_value());
  return **request;
}

TEST_CASE("a reply to the restoration notice is a fault report on the same incident",
          "[notification][replies]") {
  const auto r = RequestFor(Notice("outage.restored", "INC-20261206-000007"));
  CHECK(r.request_id() == "reply-sms-sms-r1");
  CHECK(r.channel() == v1::CHANNEL_SMS);
  CHECK(r.customer().customer_id() == "3100000001");
  CHECK(r.referenced_incident_id() == "INC-20261206-000007");
  CHECK(r.explicit_type() == v1::REQUEST_TYPE_FAULT_REPAIR);
  CHECK(r.text() == "still no power");
  CHECK(r.language() == v1::LANGUAGE_EN);
  CHECK(r.received_at().seconds() == 1'796'523'000);
  CHECK(r.channel_reference() == "sms:sms-r1");
  CHECK(RequestKey(r) == "3100000001");
}

TEST_CASE("each kind of notice gives its reply the reference it is about",
          "[notification][replies]") {
  const auto started = RequestFor(Notice("outage.started", "INC-1"));
  CHECK(started.referenced_incident_id() == "INC-1");
  CHECK(started.explicit_type() == v1::REQUEST_TYPE_UNSPECIFIED);  // intake classifies the words
  CHECK(RequestFor(Notice("safety.life_support_outage", "INC-2")).referenced_incident_id() ==
        "INC-2");
  const auto ticket = RequestFor(Notice("ticket.opened", "GC-20261206-000001"));
  CHECK(ticket.referenced_ticket_id() == "GC-20261206-000001");
  CHECK(ticket.referenced_incident_id().empty());
  CHECK(RequestFor(Notice("complaint.replied", "CC-GC-20261206-000002")).referenced_ticket_id() ==
        "GC-20261206-000002");
  CHECK(RequestFor(Notice("appointment.rebooked", "GC-20261206-000003")).referenced_ticket_id() ==
        "GC-20261206-000003");
  CHECK(RequestFor(Notice("application.documents_missing", "GC-20261206-000004"))
            .referenced_ticket_id() == "GC-20261206-000004");
  const auto planned = RequestFor(Notice("planned_outage.notice", "PO-1"));
  CHECK(planned.referenced_ticket_id().empty());
  CHECK(planned.referenced_incident_id().empty());
}

TEST_CASE("an unidentified caller's reply is named by the number that answered",
          "[notification][replies]") {
  const auto r = RequestFor(Notice("ticket.opened", "GC-1", "caller-0123456789abcdef"));
  CHECK(r.customer().phone() == "13812345678");
  CHECK(r.customer().customer_id().empty());
  CHECK(RequestKey(r) == "reply-sms-sms-r1");  // never the phone
}

TEST_CASE("replies come in on the channel the notice went out on", "[notification][replies]") {
  auto notice = Notice("outage.started", "INC-1");
  notice.add_channels("wechat");
  notice.add_channels("app_push");
  notice.set_channel_index(1);
  CHECK(RequestFor(notice).channel() == v1::CHANNEL_WECHAT);
  notice.set_channel_index(2);
  CHECK(RequestFor(notice).channel() == v1::CHANNEL_MOBILE_APP);
}

TEST_CASE("a staff notice's reply goes nowhere and a bad reply id is refused",
          "[notification][replies]") {
  auto staff = Notice("staff.complaint_reminder", "CC-1", "mkt-wl-01");
  staff.set_recipient_kind(v1::RECIPIENT_KIND_STAFF);
  auto none = RequestForReply(staff, Facts());
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  auto facts = Facts();
  facts.reply_id = std::string(130, 'r');
  CHECK(RequestForReply(Notice("outage.started", "INC-1"), facts).error().kind ==
        core::ErrorKind::kInvalidArgument);
}

TEST_CASE("a long reply is cut to what intake takes on a character boundary",
          "[notification][replies]") {
  std::string text;
  for (int i = 0; i < 1500; ++i) text += "电";  // 4,500 bytes
  const auto r = RequestFor(Notice("outage.restored", "INC-1"), Facts(text));
  CHECK(r.text().size() == 3999);  // 1,333 whole characters
}

struct Forwarding {
  core::FakeClock clock{kNow};
  FakeDeliveryStore store;
  kafka::RecordingPublisher publisher;
  ReplyForwarder forwarder{store, publisher, clock};

  InboundReply Reply(const std::string& notification_id = "n-1") const {
    return {"sms-r1", notification_id, "sms-17", "13812345678", "还是没电", kNow};
  }
};

TEST_CASE("the forwarder publishes the request on the requests topic and flushes it",
          "[notification][replies]") {
  Forwarding f;
  REQUIRE(f.store.Enqueue({Notice("outage.restored", "INC-7")}).ok());
  REQUIRE(f.forwarder.OnReply("sms", f.Reply()).ok());
  const auto records = f.publisher.records();
  REQUIRE(records.size() == 1);
  CHECK(records[0].topic == kafka::kRequestsTopic);
  CHECK(records[0].key == "3100000001");
  v1::RequestEvent event;
  REQUIRE(event.ParseFromString(records[0].value));
  CHECK(event.submitted().referenced_incident_id() == "INC-7");
  CHECK(event.submitted().text() == "还是没电");
  // The provider posts it again: the same request id, so intake opens one ticket.
  REQUIRE(f.forwarder.OnReply("sms", f.Reply()).ok());
  v1::RequestEvent again;
  REQUIRE(again.ParseFromString(f.publisher.records()[1].value));
  CHECK(again.submitted().request_id() == event.submitted().request_id());
}

TEST_CASE("the forwarder's errors are typed and a failed flush is not acknowledged",
          "[notification][replies]") {
  Forwarding f;
  CHECK(f.forwarder.OnReply("sms", f.Reply("n-unknown")).error().kind ==
        core::ErrorKind::kNotFound);
  REQUIRE(f.store.Enqueue({Notice("outage.restored", "INC-7")}).ok());
  f.publisher.FailNextFlushes(1);
  const auto failed = f.forwarder.OnReply("sms", f.Reply());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  f.store.FailNext(1);
  CHECK(f.forwarder.OnReply("sms", f.Reply()).error().Retryable());
  CHECK(f.forwarder.OnReply("sms", f.Reply()).ok());
}

}  // namespace
}  // namespace gridcare::notification
