// Intents to stored notices (services/notification/fan_out.h) over the in-memory fakes: every
// customer of a supply area once per phone number, tags, unknown recipients, staff, redelivery
// and a fan-out broken half-way and done again.
#include "fan_out.h"

#include <catch2/catch.hpp>

#include "core_fixture.h"
#include "fake_customer_directory.h"
#include "fake_delivery_store.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/kafka/topics.h"
#include "staff_directory.h"

namespace gridcare::notification {
namespace {

using namespace test;

struct Harness {
  Harness() {
    auto parsed = StaffDirectory::FromJson(
        R"({"staff": [{"id": "mkt-head", "messenger": "mkt-head", "email": "h@grid.example"}]})");
    REQUIRE(parsed.ok());
    staff = std::move(*parsed);
    // Seven customers on F-12: T-77 has C-1..C-4 (C-2 and C-3 share a phone), T-78 has C-5..C-7.
    for (int i = 1; i <= 7; ++i) {
      auto customer = MakeCustomer("C-" + std::to_string(i), "1380000000" + std::to_string(i));
      if (i == 3) customer.set_phones(0, "13800000002");
      customer.mutable_supply()->set_transformer_id(i <= 4 ? "T-77" : "T-78");
      if (i == 5) customer.add_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
      customers.Add(customer);
    }
  }
  size_t Queued() const {
    size_t n = 0;
    for (const auto& record : publisher.RecordsOn(kafka::kNotificationTopic)) {
      v1::NotificationEvent event;
      REQUIRE(event.ParseFromString(record.value));
      n += event.has_queued() ? 1 : 0;
    }
    return n;
  }
  core::FakeClock clock{T0()};
  FakeDeliveryStore store;
  FakeCustomerDirectory customers;
  StaffDirectory staff;
  RecipientPlanner planner{Templates(), Policy()};
  kafka::RecordingPublisher publisher;
  FanOut fan_out{store, customers, staff, planner, publisher, clock, Policy().throttle};
};

NotificationIntent SupplyIntent(std::vector<std::string> transformers) {
  NotificationIntent intent;
  intent.template_id = "outage.started";
  intent.subject_id = "INC-1";
  intent.recipients.kind = Recipients::Kind::kSupply;
  intent.recipients.feeder_ids = {"F-12"};
  intent.recipients.transformer_ids = std::move(transformers);
  intent.values = OutageValues();
  intent.proactive = true;
  return intent;
}

}  // namespace

TEST_CASE("an incident reaches every customer of its transformer areas once per phone number",
          "[notification][fan_out]") {
  Harness h;
  REQUIRE(h.fan_out.Notify({SupplyIntent({"T-77", "T-78"})}, "ce-1", "").ok());
  CHECK(h.store.size() == 6);  // C-3 shares C-2's number
  CHECK(h.Queued() == 6);
  CHECK(h.fan_out.queued_total() == 6);
  // Redelivered: nothing new.
  h.publisher.Clear();
  REQUIRE(h.fan_out.Notify({SupplyIntent({"T-77", "T-78"})}, "ce-1", "").ok());
  CHECK(h.store.size() == 6);
  CHECK(h.Queued() == 0);
  // A feeder incident without transformers: the feeder's customers.
  REQUIRE(h.fan_out.Notify({SupplyIntent({})}, "ce-2", "").ok());
  CHECK(h.store.size() == 12);
}

TEST_CASE("a fan-out broken half-way is done again without a second notice",
          "[notification][fan_out]") {
  Harness h;
  h.customers.FailStreamAfter(4);
  CHECK_FALSE(h.fan_out.Notify({SupplyIntent({})}, "ce-1", "").ok());
  CHECK(h.store.size() < 6);
  REQUIRE(h.fan_out.Notify({SupplyIntent({})}, "ce-1", "").ok());
  CHECK(h.store.size() == 6);
  CHECK(h.Queued() == 6);
}

TEST_CASE("only the tagged customers when the intent names tags", "[notification][fan_out]") {
  Harness h;
  auto intent = SupplyIntent({});
  intent.recipients.only_tags = {v1::CUSTOMER_TAG_LIFE_SUPPORT, v1::CUSTOMER_TAG_IMPORTANT};
  REQUIRE(h.fan_out.Notify({intent}, "ce-1", "").ok());
  CHECK(h.store.size() == 1);
}

TEST_CASE("intents to one supply area share one pass over the profile stream",
          "[notification][fan_out]") {
  Harness h;
  // As an outage's start gives them: the notice to all but life-support customers, and the
  // safety notice to life-support customers; then a notice to another area.
  auto everyone = SupplyIntent({"T-77", "T-78"});
  everyone.recipients.except_tags = {v1::CUSTOMER_TAG_LIFE_SUPPORT};
  auto life_support = SupplyIntent({"T-77", "T-78"});
  life_support.template_id = "safety.life_support_outage";
  life_support.recipients.only_tags = {v1::CUSTOMER_TAG_LIFE_SUPPORT};
  auto other_area = SupplyIntent({"T-78"});
  other_area.subject_id = "INC-2";
  other_area.discriminator = "INC-2";  // its own notification ids
  REQUIRE(h.fan_out.Notify({everyone, life_support, other_area}, "ce-1", "").ok());
  // T-77 and T-78 streamed once for the first two intents, T-78 once more for the third.
  CHECK(h.customers.streams() == 3);
  // C-1..C-7 less C-3 (C-2's number) less C-5 (life support): 5; C-5's safety notice: 1;
  // T-78's C-5..C-7: 3.
  CHECK(h.store.size() == 9);
  CHECK(h.Queued() == 9);
  // Redelivered: the same notices, none twice.
  h.publisher.Clear();
  REQUIRE(h.fan_out.Notify({everyone, life_support, other_area}, "ce-1", "").ok());
  CHECK(h.store.size() == 9);
  CHECK(h.Queued() == 0);
}

TEST_CASE("a customer and a caller and a ticket and a staff member", "[notification][fan_out]") {
  Harness h;
  NotificationIntent customer = SupplyIntent({});
  customer.recipients = {};
  customer.recipients.kind = Recipients::Kind::kCustomer;
  customer.recipients.customer_id = "C-1";
  NotificationIntent unknown = customer;
  unknown.recipients.customer_id = "C-404";
  NotificationIntent caller = customer;
  caller.recipients.kind = Recipients::Kind::kRequester;
  caller.recipients.request_id = "REQ-1";
  REQUIRE(h.store.PutMemo(RequesterMemoKey("REQ-1"), "13912345678", std::chrono::hours(1)).ok());
  NotificationIntent staff;
  staff.template_id = "staff.complaint_reminder";
  staff.subject_id = "CC-1";
  staff.recipients.kind = Recipients::Kind::kStaff;
  staff.recipients.staff_id = "mkt-head";
  staff.values.SetText("staff_name", "林建华")
      .SetLocalized("department", "营销部", "Marketing")
      .SetId("case_id", "CC-1")
      .SetTime("deadline", T0() + std::chrono::hours(4))
      .SetLocalized("summary", "电费争议", "a disputed bill");
  NotificationIntent ticket = customer;
  ticket.recipients.kind = Recipients::Kind::kTicket;
  ticket.recipients.ticket_id = "GC-1";
  ticket.template_id = "outage.restored";
  ticket.values.SetTime("restored_at", T0());
  REQUIRE(h.store.PutMemo(TicketMemoKey("GC-1"), "c:C-2", std::chrono::hours(1)).ok());
  REQUIRE(h.fan_out.Notify({customer, unknown, caller, staff, ticket}, "ce-1", "").ok());

  CHECK(h.store.size() == 4);  // the unknown customer is skipped
  CHECK(h.Queued() == 4);
  bool staff_seen = false;
  for (const auto& record : h.publisher.RecordsOn(kafka::kNotificationTopic)) {
    v1::NotificationEvent event;
    REQUIRE(event.ParseFromString(record.value));
    if (event.queued().recipient_kind() == v1::RECIPIENT_KIND_STAFF) {
      staff_seen = true;
      CHECK(event.queued().channel() == "staff_messenger");
    }
    CHECK(record.value.find("13912345678") == std::string::npos);
    CHECK(record.key.find("13912345678") == std::string::npos);
  }
  CHECK(staff_seen);
}

TEST_CASE("the throttle counts an event once however often it is delivered",
          "[notification][fan_out]") {
  Harness h;
  NotificationIntent one = SupplyIntent({});
  one.recipients = {};
  one.recipients.kind = Recipients::Kind::kCustomer;
  one.recipients.customer_id = "C-1";
  const int limit = Policy().throttle.max_messages;
  for (int i = 0; i < limit; ++i) {
    const std::string event = "ce-" + std::to_string(i);
    REQUIRE(h.fan_out.Notify({one}, event, "").ok());
    REQUIRE(h.fan_out.Notify({one}, event, "").ok());  // redelivered
  }
  CHECK(h.store.size() == static_cast<size_t>(limit));
  h.publisher.Clear();
  REQUIRE(h.fan_out.Notify({one}, "ce-over", "").ok());
  CHECK(h.store.size() == static_cast<size_t>(limit));
  const auto records = h.publisher.RecordsOn(kafka::kNotificationTopic);
  REQUIRE(records.size() == 1);
  v1::NotificationEvent event;
  REQUIRE(event.ParseFromString(records[0].value));
  CHECK(event.suppressed().reason() == "throttled");
}

TEST_CASE("an intent with a source key is one notice whichever event carries it",
          "[notification][fan_out]") {
  Harness h;
  REQUIRE(h.store.PutMemo(TicketMemoKey("GC-7"), "c:C-1", std::chrono::hours(1)).ok());
  NotificationIntent booked;
  booked.trigger = "appointment.rebooked";
  booked.discriminator = "appointment.rebooked";
  booked.template_id = "appointment.rebooked";
  booked.subject_id = "GC-7";
  booked.recipients.kind = Recipients::Kind::kTicket;
  booked.recipients.ticket_id = "GC-7";
  booked.values.SetLocalized("application", "新装用电", "new connection")
      .SetId("ticket_id", "GC-7")
      .SetLocalized("visit", "现场勘查", "site survey")
      .SetLocalized("visit_window", "12月8日 09:00-11:00", "8 Dec 09:00-11:00")
      .SetLocalized("reason", "因抢修人员需处理紧急故障", "because of urgent fault repair");
  booked.source_key = "appointment:WO-A-GC-7-1#2";
  // Redelivered, and published again by dispatch under another event id: one notice.
  REQUIRE(h.fan_out.Notify({booked}, "ce-1", "").ok());
  REQUIRE(h.fan_out.Notify({booked}, "ce-1", "").ok());
  REQUIRE(h.fan_out.Notify({booked}, "ce-2", "").ok());
  CHECK(h.store.size() == 1);
  CHECK(h.Queued() == 1);
  // The next booking of the visit is a notice of its own.
  booked.source_key = "appointment:WO-A-GC-7-1#3";
  REQUIRE(h.fan_out.Notify({booked}, "ce-3", "").ok());
  CHECK(h.store.size() == 2);
  // Without a key the event id decides, as for every other trigger.
  booked.source_key.clear();
  REQUIRE(h.fan_out.Notify({booked}, "ce-4", "").ok());
  REQUIRE(h.fan_out.Notify({booked}, "ce-5", "").ok());
  CHECK(h.store.size() == 4);
}

TEST_CASE("a profile that does not answer is a retryable error", "[notification][fan_out]") {
  Harness h;
  h.customers.FailNext(1);
  const auto status = h.fan_out.Notify({SupplyIntent({})}, "ce-1", "");
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == core::ErrorKind::kUnavailable);
}

}  // namespace gridcare::notification
