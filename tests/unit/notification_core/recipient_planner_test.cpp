// One notice for one recipient (services/notification/recipient_planner.h): the id, language,
// text, channels and addresses, the due time under quiet hours and planned dates, and why a
// notice is not sent (throttle, no channel, marketing-like in quiet hours).
#include "recipient_planner.h"

#include <catch2/catch.hpp>

#include "core_fixture.h"
#include "notification_id.h"

namespace gridcare::notification {
namespace {

using namespace test;
using std::chrono::hours;
using std::chrono::minutes;

NoticeRequest Outage(const PlaceholderValues& values) {
  NoticeRequest request;
  request.source_event_id = "ce-incident-1";
  request.template_id = "outage.started";
  request.subject_id = "INC-1";
  request.values = &values;
  request.proactive = true;
  request.restoration_expected_at = T0() + hours(2);
  return request;
}

}  // namespace

TEST_CASE("a customer's notice: id and language and text and channels and the masked address",
          "[notification][planner]") {
  const RecipientPlanner planner(Templates(), Policy());
  const auto values = OutageValues();
  auto plan =
      planner.Plan(Outage(values), CustomerRecipient(MakeCustomer("C-1", "13812345678")), {}, T0());
  REQUIRE(plan.ok());
  CHECK(plan->notification_id == NotificationId("ce-incident-1", "C-1", "outage.started"));
  REQUIRE(plan->record.has_value());
  CHECK_FALSE(plan->suppressed.has_value());
  const auto& n = *plan->record;
  CHECK(n.notification_id() == plan->notification_id);
  CHECK(n.recipient_id() == "C-1");
  CHECK(n.recipient_kind() == v1::RECIPIENT_KIND_CUSTOMER);
  CHECK(n.language() == v1::LANGUAGE_ZH_CN);
  CHECK(n.text().find("线路故障") != std::string::npos);
  CHECK(n.text().find("13812345678") == std::string::npos);
  CHECK(n.channels_size() >= 1);
  CHECK(n.channels(0) == "sms");
  CHECK(n.addresses().at("sms") == "13812345678");
  CHECK(n.masked_address() == "138****5678");
  CHECK(n.state() == v1::NOTIFICATION_STATE_QUEUED);
  CHECK(n.message_class() == "outage");
  CHECK(n.proactive());
  CHECK(sla::FromTimestamp(n.due_at()) == T0());
  CHECK(sla::FromTimestamp(n.restoration_expected_at()) == T0() + hours(2));
  REQUIRE(plan->throttle.has_value());
}

TEST_CASE("English when the customer prefers it and zh-CN otherwise", "[notification][planner]") {
  const RecipientPlanner planner(Templates(), Policy());
  const auto values = OutageValues();
  auto customer = MakeCustomer("C-2", "13900001111");
  customer.set_preferred_language(v1::LANGUAGE_EN);
  auto plan = planner.Plan(Outage(values), CustomerRecipient(customer), {}, T0());
  REQUIRE(plan.ok());
  CHECK(plan->record->language() == v1::LANGUAGE_EN);
  CHECK(plan->record->text().find("a line fault") != std::string::npos);
  customer.set_preferred_language(v1::LANGUAGE_UNSPECIFIED);
  plan = planner.Plan(Outage(values), CustomerRecipient(customer), {}, T0());
  REQUIRE(plan.ok());
  CHECK(plan->record->language() == v1::LANGUAGE_ZH_CN);
}

TEST_CASE("an outage notice in quiet hours is held to their end unless restoration is imminent",
          "[notification][planner]") {
  const RecipientPlanner planner(Templates(), Policy());
  const auto values = OutageValues();
  const core::TimePoint late = T0() + hours(13);  // 23:00 Beijing
  auto request = Outage(values);
  auto plan =
      planner.Plan(request, CustomerRecipient(MakeCustomer("C-3", "13812345678")), {}, late);
  REQUIRE(plan.ok());
  REQUIRE(plan->record.has_value());
  // 07:00 Beijing next day = 23:00 UTC.
  CHECK(sla::FromTimestamp(plan->record->due_at()) == T0() + hours(21));
  CHECK(plan->record->reason() == "held_for_quiet_hours");
  request.restoration_expected_at = late + minutes(10);
  plan = planner.Plan(request, CustomerRecipient(MakeCustomer("C-3", "13812345678")), {}, late);
  REQUIRE(plan.ok());
  CHECK(sla::FromTimestamp(plan->record->due_at()) == late);
}

TEST_CASE("a planned notice is due on its date", "[notification][planner]") {
  const RecipientPlanner planner(Templates(), Policy());
  const auto values = OutageValues();
  auto request = Outage(values);
  request.not_before = T0() + hours(24 * 3);
  auto plan =
      planner.Plan(request, CustomerRecipient(MakeCustomer("C-4", "13812345678")), {}, T0());
  REQUIRE(plan.ok());
  CHECK(sla::FromTimestamp(plan->record->due_at()) == T0() + hours(24 * 3));
  // A date already past: due now.
  request.not_before = T0() - hours(1);
  plan = planner.Plan(request, CustomerRecipient(MakeCustomer("C-4", "13812345678")), {}, T0());
  CHECK(sla::FromTimestamp(plan->record->due_at()) == T0());
}

TEST_CASE("the throttle suppresses the notice past N an hour about one subject",
          "[notification][planner]") {
  const RecipientPlanner planner(Templates(), Policy());
  const auto values = OutageValues();
  const auto recipient = CustomerRecipient(MakeCustomer("C-5", "13812345678"));
  ThrottleState state;
  int sent = 0;
  for (int i = 0; i < Policy().throttle.max_messages + 2; ++i) {
    auto request = Outage(values);
    request.source_event_id = "ce-" + std::to_string(i);
    auto plan = planner.Plan(request, recipient, state, T0() + minutes(i));
    REQUIRE(plan.ok());
    if (plan->record) {
      ++sent;
      state = *plan->throttle;
    } else {
      REQUIRE(plan->suppressed.has_value());
      CHECK(plan->suppressed->reason() == "throttled");
      CHECK(plan->suppressed->recipient_id() == "C-5");
      CHECK(plan->suppressed->has_deferred_until());
    }
  }
  CHECK(sent == Policy().throttle.max_messages);
}

TEST_CASE("no reachable channel: suppressed", "[notification][planner]") {
  const RecipientPlanner planner(Templates(), Policy());
  const auto values = OutageValues();
  auto customer = MakeCustomer("C-6", "");
  customer.clear_phones();
  auto plan = planner.Plan(Outage(values), CustomerRecipient(customer), {}, T0());
  REQUIRE(plan.ok());
  CHECK_FALSE(plan->record.has_value());
  CHECK(plan->suppressed->reason() == "no_channel");
}

TEST_CASE("a life-support customer is called first for an outage", "[notification][planner]") {
  const RecipientPlanner planner(Templates(), Policy());
  const auto values = OutageValues();
  auto customer = MakeCustomer("C-7", "13812345678");
  customer.add_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
  auto plan = planner.Plan(Outage(values), CustomerRecipient(customer), {},
                           T0() + std::chrono::hours(13));  // in quiet hours: bypassed
  REQUIRE(plan.ok());
  CHECK(plan->record->channels(0) == "voice_call");
  CHECK(plan->record->addresses().at("voice_call") == "13812345678");
  CHECK(sla::FromTimestamp(plan->record->due_at()) == T0() + std::chrono::hours(13));
}

TEST_CASE("a template missing a value is an error naming it", "[notification][planner]") {
  const RecipientPlanner planner(Templates(), Policy());
  PlaceholderValues values;  // nothing
  auto plan = planner.Plan(Outage(values), CustomerRecipient(MakeCustomer("C-8", "1")), {}, T0());
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.error().kind == core::ErrorKind::kFailedPrecondition);
  CHECK(plan.error().message.find("has no value") != std::string::npos);
}

TEST_CASE("an unidentified caller is known by an id derived from the number",
          "[notification][planner]") {
  const auto caller = CallerRecipient("13812345678");
  CHECK(caller.id.rfind("caller-", 0) == 0);
  CHECK(caller.id.find("13812345678") == std::string::npos);
  CHECK(caller.id == CallerRecipient("13812345678").id);
  CHECK(caller.id != CallerRecipient("13812345679").id);
  CHECK(caller.addresses.at(DeliveryChannel::kSms) == "13812345678");
}

TEST_CASE("zones map to their fixed offsets", "[notification][planner]") {
  CHECK(UtcOffsetForZone("Asia/Shanghai") == 480);
  CHECK(UtcOffsetForZone("Asia/Urumqi") == 360);
  CHECK(UtcOffsetForZone("UTC") == 0);
  CHECK(UtcOffsetForZone("") == 480);
  CHECK(UtcOffsetForZone("Mars/Olympus") == 480);
}

}  // namespace gridcare::notification
