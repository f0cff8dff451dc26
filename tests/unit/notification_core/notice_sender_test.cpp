// Sending and delivery reports (services/notification/notice_sender.h) over the fakes: accepted
// → SENT → DELIVERED; retryable answers wait their backoff; permanent ones and undeliverable
// reports move to the next channel; the last channel's failure is final; reports arriving while
// the send is being recorded are applied after it; repeats change nothing.
#include "notice_sender.h"

#include <catch2/catch.hpp>
#include <future>

#include "core_fixture.h"
#include "fake_delivery_store.h"
#include "fake_message_gateway.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/kafka/topics.h"

namespace gridcare::notification {
namespace {

using namespace test;
using std::chrono::seconds;

struct Harness {
  /// Queues one notice for a customer preferring WeChat (plan: wechat, then sms).
  std::string QueueOne(const std::string& customer_id = "C-1",
                       const std::string& phone = "13812345678") {
    auto customer = MakeCustomer(customer_id, phone);
    customer.set_preferred_channel(v1::CHANNEL_WECHAT);
    customer.clear_quiet_hours();
    const auto values = OutageValues();
    NoticeRequest request;
    request.source_event_id = "ce-1";
    request.template_id = "outage.started";
    request.subject_id = "INC-1";
    request.values = &values;
    auto plan = planner.Plan(request, CustomerRecipient(customer), {}, clock.Now());
    REQUIRE(plan.ok());
    REQUIRE(plan->record.has_value());
    REQUIRE(plan->record->channels_size() == 2);
    REQUIRE(store.Enqueue({*plan->record}).ok());
    return plan->notification_id;
  }
  v1::StoredNotification Stored(const std::string& id) {
    auto found = store.Get(id);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    return **found;
  }
  std::vector<std::string> Events() {
    std::vector<std::string> kinds;
    for (const auto& record : publisher.RecordsOn(kafka::kNotificationTopic)) {
      v1::NotificationEvent event;
      REQUIRE(event.ParseFromString(record.value));
      switch (event.event_case()) {
        case v1::NotificationEvent::kSent:
          kinds.push_back("sent:" + event.sent().channel_name());
          break;
        case v1::NotificationEvent::kDelivered:
          kinds.push_back("delivered:" + event.delivered().channel());
          break;
        case v1::NotificationEvent::kFailed:
          kinds.push_back(std::string(event.failed().final() ? "failed-final:" : "failed:") +
                          event.failed().reason().substr(0, event.failed().reason().find(':')));
          break;
        default:
          kinds.push_back("other");
      }
    }
    return kinds;
  }
  DeliveryReport Report(const std::string& id, bool delivered) {
    const auto n = Stored(id);
    return {id, n.provider_message_id(), delivered, delivered ? "ok" : "recipient_unreachable",
            clock.Now()};
  }
  core::FakeClock clock{T0()};
  FakeDeliveryStore store;
  FakeMessageGateway gateway;
  kafka::RecordingPublisher publisher;
  RecipientPlanner planner{Templates(), Policy()};
  NoticeSender sender{store, gateway, publisher, clock, Policy(), {}};
};

SendResult Answer(int status) {
  return {"", ProviderOutcome::Http(status), status < 300 ? "p-1" : "", ""};
}

}  // namespace

TEST_CASE("accepted and then reported delivered", "[notification][sender]") {
  Harness h;
  const auto id = h.QueueOne();
  auto sent = h.sender.SendDue();
  REQUIRE(sent.ok());
  CHECK(*sent == 1);
  REQUIRE(h.gateway.sent().size() == 1);
  CHECK(h.gateway.sent()[0].channel == DeliveryChannel::kWeChat);
  CHECK(h.gateway.sent()[0].to == "C-1");
  CHECK(h.gateway.sent()[0].notification_id == id);
  CHECK(h.Stored(id).state() == v1::NOTIFICATION_STATE_SENT);
  CHECK(*h.sender.SendDue() == 0);  // nothing due any more
  REQUIRE(h.sender.OnReport(h.Report(id, true)).ok());
  CHECK(h.Stored(id).state() == v1::NOTIFICATION_STATE_DELIVERED);
  REQUIRE(h.sender.OnReport(h.Report(id, true)).ok());  // a repeat
  CHECK(h.Events() == std::vector<std::string>{"sent:wechat", "delivered:wechat"});
  CHECK(h.sender.OnReport({"N-unknown", "x", true, "", T0()}).error().kind ==
        core::ErrorKind::kNotFound);
}

TEST_CASE("a report for a notice still queued records it sent and delivered without a resend",
          "[notification][sender]") {
  // The process stopped after the provider accepted the notice and before the answer was saved
  // (or the answer timed out): the report proves the send.
  Harness h;
  const auto id = h.QueueOne();
  REQUIRE(h.sender.OnReport({id, "wechat-9", true, "ok", h.clock.Now()}).ok());
  const auto n = h.Stored(id);
  CHECK(n.state() == v1::NOTIFICATION_STATE_DELIVERED);
  CHECK(n.provider_message_id() == "wechat-9");
  CHECK(n.attempts() == 1);
  CHECK(h.Events() == std::vector<std::string>{"sent:wechat", "delivered:wechat"});
  CHECK(*h.sender.SendDue() == 0);  // dequeued: not sent again
  CHECK(h.gateway.sent().empty());
  REQUIRE(h.sender.OnReport({id, "wechat-9", true, "ok", h.clock.Now()}).ok());  // a repeat
  CHECK(h.Events().size() == 2);
}

TEST_CASE("a retryable answer waits its backoff and then succeeds", "[notification][sender]") {
  Harness h;
  const auto id = h.QueueOne();
  h.gateway.SetScript(
      [](const OutgoingMessage&, int call) { return Answer(call == 1 ? 503 : 202); });
  REQUIRE(h.sender.SendDue().ok());
  auto n = h.Stored(id);
  CHECK(n.state() == v1::NOTIFICATION_STATE_QUEUED);
  CHECK(n.attempts() == 1);
  CHECK(*h.sender.SendDue() == 0);  // not due before the backoff
  h.clock.Advance(seconds(5));
  REQUIRE(*h.sender.SendDue() == 1);
  n = h.Stored(id);
  CHECK(n.state() == v1::NOTIFICATION_STATE_SENT);
  CHECK(n.attempts() == 2);
  CHECK(h.gateway.sent().size() == 2);
  CHECK(h.gateway.sent()[1].channel == DeliveryChannel::kWeChat);
  CHECK(h.Events() == std::vector<std::string>{"sent:wechat"});
}

TEST_CASE("a permanent refusal moves to the next channel and the last one is final",
          "[notification][sender]") {
  Harness h;
  const auto id = h.QueueOne();
  h.gateway.SetScript([](const OutgoingMessage&, int) { return Answer(400); });
  REQUIRE(*h.sender.SendDue() == 1);
  auto n = h.Stored(id);
  CHECK(n.state() == v1::NOTIFICATION_STATE_QUEUED);
  CHECK(n.channel_index() == 1);
  CHECK(n.masked_address() == "138****5678");
  REQUIRE(*h.sender.SendDue() == 1);  // due at once on sms
  CHECK(h.gateway.sent()[1].channel == DeliveryChannel::kSms);
  CHECK(h.gateway.sent()[1].to == "13812345678");
  n = h.Stored(id);
  CHECK(n.state() == v1::NOTIFICATION_STATE_FAILED);
  CHECK(*h.sender.SendDue() == 0);
  CHECK(h.Events() == std::vector<std::string>{"failed:wechat", "failed-final:sms"});
}

TEST_CASE("an undeliverable report tries the next channel", "[notification][sender]") {
  Harness h;
  const auto id = h.QueueOne();
  REQUIRE(*h.sender.SendDue() == 1);
  REQUIRE(h.sender.OnReport(h.Report(id, false)).ok());
  auto n = h.Stored(id);
  CHECK(n.state() == v1::NOTIFICATION_STATE_QUEUED);
  CHECK(n.channel_index() == 1);
  REQUIRE(*h.sender.SendDue() == 1);
  REQUIRE(h.sender.OnReport(h.Report(id, false)).ok());
  CHECK(h.Stored(id).state() == v1::NOTIFICATION_STATE_UNDELIVERABLE);
  CHECK(h.Events() ==
        std::vector<std::string>{"sent:wechat", "failed:wechat", "sent:sms", "failed-final:sms"});
}

TEST_CASE("a report that arrives while the send is recorded waits for it and is applied after it",
          "[notification][sender]") {
  Harness h;
  const auto id = h.QueueOne();
  std::future<core::Status> reported;
  h.gateway.SetScript([&](const OutgoingMessage& message, int) {
    // The provider reports (on the callback server's thread) before SendAll has even returned.
    reported = std::async(std::launch::async, [&h, id = message.notification_id] {
      return h.sender.OnReport({id, "p-1", true, "ok", T0()});
    });
    return Answer(202);
  });
  REQUIRE(*h.sender.SendDue() == 1);
  REQUIRE(reported.get().ok());  // answered only once applied: nothing held in memory
  CHECK(h.Stored(id).state() == v1::NOTIFICATION_STATE_DELIVERED);
  CHECK(h.Events() == std::vector<std::string>{"sent:wechat", "delivered:wechat"});
}

TEST_CASE("a report for a notice stuck in flight is refused as retryable after the wait",
          "[notification][sender]") {
  FakeDeliveryStore store;
  FakeMessageGateway gateway;
  kafka::RecordingPublisher publisher;
  core::FakeClock clock{T0()};
  NoticeSender sender{store, gateway,  publisher,
                      clock, Policy(), {.report_wait = std::chrono::milliseconds(20)}};
  RecipientPlanner planner{Templates(), Policy()};
  auto customer = MakeCustomer("C-1", "13812345678");
  customer.clear_quiet_hours();
  const auto values = OutageValues();
  NoticeRequest request{"ce-1", "outage.started", "INC-1", &values};
  auto plan = planner.Plan(request, CustomerRecipient(customer), {}, clock.Now());
  REQUIRE(plan.ok());
  REQUIRE(store.Enqueue({*plan->record}).ok());
  core::Status during;
  gateway.SetScript([&](const OutgoingMessage& message, int) {
    during = sender.OnReport({message.notification_id, "p-1", true, "ok", T0()});
    return Answer(202);
  });
  REQUIRE(*sender.SendDue() == 1);
  REQUIRE_FALSE(during.ok());
  CHECK(during.error().Retryable());
  // The round applied it anyway once the send was recorded; the provider's repeat is a no-op.
  REQUIRE(sender.OnReport({plan->notification_id, "p-1", true, "ok", T0()}).ok());
  auto stored = store.Get(plan->notification_id);
  REQUIRE(stored.ok());
  CHECK((*stored)->state() == v1::NOTIFICATION_STATE_DELIVERED);
}

TEST_CASE("reports that arrive while a round is sent are all applied after it",
          "[notification][sender]") {
  Harness h;
  const auto delivered = h.QueueOne();
  const auto unreachable = h.QueueOne("C-2", "13912345678");
  std::vector<std::future<core::Status>> reports;  // the callback server's threads
  h.gateway.SetScript([&](const OutgoingMessage& message, int) {
    const bool ok = message.notification_id == delivered;
    reports.push_back(std::async(std::launch::async, [&h, id = message.notification_id, ok] {
      return h.sender.OnReport({id, "p-1", ok, ok ? "ok" : "recipient_unreachable", T0()});
    }));
    return Answer(202);
  });
  REQUIRE(*h.sender.SendDue() == 2);
  for (auto& report : reports) REQUIRE(report.get().ok());  // answered once saved
  CHECK(h.Stored(delivered).state() == v1::NOTIFICATION_STATE_DELIVERED);
  // Undeliverable on WeChat: queued again on the next channel, due now.
  const auto moved = h.Stored(unreachable);
  CHECK(moved.state() == v1::NOTIFICATION_STATE_QUEUED);
  CHECK(moved.channel_index() == 1);
  h.gateway.SetScript([](const OutgoingMessage&, int) { return Answer(202); });
  REQUIRE(*h.sender.SendDue() == 1);
  CHECK(h.gateway.sent().back().channel == DeliveryChannel::kSms);
  CHECK(h.Stored(unreachable).state() == v1::NOTIFICATION_STATE_SENT);
}

TEST_CASE("nothing is saved when the events cannot be flushed", "[notification][sender]") {
  Harness h;
  const auto id = h.QueueOne();
  h.publisher.FailNextFlushes(1);
  CHECK_FALSE(h.sender.SendDue().ok());
  CHECK(h.Stored(id).state() == v1::NOTIFICATION_STATE_QUEUED);
  // The claim's lease ends; the same message goes again with the same id (the provider
  // de-duplicates on it).
  h.clock.Advance(std::chrono::minutes(3));
  REQUIRE(*h.sender.SendDue() == 1);
  CHECK(h.gateway.sent().size() == 2);
  CHECK(h.gateway.sent()[0].notification_id == h.gateway.sent()[1].notification_id);
  CHECK(h.Stored(id).state() == v1::NOTIFICATION_STATE_SENT);
}

}  // namespace gridcare::notification
