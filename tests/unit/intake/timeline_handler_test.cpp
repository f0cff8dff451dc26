// TimelineHandler: downstream events (dispatch, complaint, notification) move intake's tickets and
// extend their timelines, idempotently, over InMemoryTicketStore and a RecordingPublisher.
#include "timeline_handler.h"

#include <google/protobuf/util/time_util.h>

#include <catch2/catch.hpp>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/notification.pb.h"
#include "intake_fixture.h"

namespace gridcare::intake {
namespace {

using google::protobuf::util::TimeUtil;
using testing::Harness;
using testing::HeaderOf;
using testing::MakeCustomer;
using testing::MakeRequest;
using testing::ParseIntakeEvent;
using Disposition = kafka::HandleResult::Disposition;
using namespace std::chrono_literals;

constexpr const char* kCustomer = "3100000001";
constexpr const char* kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// An opened fault ticket, then a TimelineHandler over the same store with its own publisher.
struct TimelineFixture {
  Harness h;
  kafka::RecordingPublisher published;
  TimelineHandler handler{h.store, published, h.clock};
  std::string ticket_id;

  TimelineFixture() {
    h.profiles.Add(MakeCustomer(kCustomer));
    auto request = MakeRequest("REQ-TL-1", v1::CHANNEL_HOTLINE_IVR, "家里停电了，整栋楼都没电");
    request.mutable_customer()->set_customer_id(kCustomer);
    ticket_id = h.Accept(request).ticket_id();
    h.clock.Advance(10min);
  }

  v1::Ticket Ticket() {
    auto found = h.store.GetTicket(ticket_id);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    return **found;
  }

  std::vector<v1::TimelineEntry> Timeline() {
    auto entries = h.store.Timeline(ticket_id);
    REQUIRE(entries.ok());
    return *entries;
  }
};

kafka::ConsumedMessage Message(std::string_view topic, const std::string& ce_id,
                               const std::string& ce_type,
                               const google::protobuf::MessageLite& event) {
  kafka::ConsumedMessage message;
  message.topic = std::string(topic);
  message.partition = 3;
  message.offset = 1234;
  message.key = "INC-1";
  message.value = event.SerializeAsString();
  message.headers = {{"ce_id", ce_id}, {"ce_type", ce_type}, {"traceparent", kTraceparent}};
  return message;
}

kafka::ConsumedMessage Attached(const std::string& ticket_id, const std::string& ce_id = "d-1") {
  v1::DispatchEvent event;
  auto* attached = event.mutable_ticket_attached();
  attached->set_ticket_id(ticket_id);
  attached->set_incident_id("INC-1");
  attached->mutable_known_cause()->set_zh_cn("变压器故障");
  // 06:30 UTC is 14:30 in Beijing.
  *attached->mutable_estimated_restoration_at() =
      TimeUtil::SecondsToTimestamp(core::ToUnixMillis(testing::StartTime() + 4h + 30min) / 1000);
  return Message(kafka::kDispatchTopic, ce_id, "gridcare.ticket.attached.v1", event);
}

kafka::ConsumedMessage Restored(const std::vector<std::string>& ticket_ids,
                                const std::string& ce_id = "d-2") {
  v1::DispatchEvent event;
  auto* restored = event.mutable_incident_restored();
  restored->mutable_incident()->set_incident_id("INC-1");
  restored->mutable_incident()->mutable_cause()->set_zh_cn("树枝碰线");
  restored->mutable_incident()->mutable_cause()->set_en("tree contact");
  for (const auto& id : ticket_ids) restored->add_ticket_ids(id);
  return Message(kafka::kDispatchTopic, ce_id, "gridcare.incident.restored.v1", event);
}

// 06:02 UTC is 14:02 in Beijing.
google::protobuf::Timestamp At1402() {
  return TimeUtil::SecondsToTimestamp(core::ToUnixMillis(testing::StartTime() + 4h + 2min) / 1000);
}

/// An SMS to the customer about `subject_id`, as notification publishes it.
v1::NotificationEvent SentSms(const std::string& subject_id) {
  v1::NotificationEvent event;
  auto* sent = event.mutable_sent();
  sent->set_notification_id("N-1");
  sent->set_recipient_kind(v1::RECIPIENT_KIND_CUSTOMER);
  sent->set_recipient_id(kCustomer);
  sent->set_channel(v1::CHANNEL_SMS);
  sent->set_channel_name("sms");
  sent->set_template_id("ticket.opened");
  sent->set_subject_id(subject_id);
  sent->set_masked_address("138****5678");
  *sent->mutable_sent_at() = At1402();
  return event;
}

kafka::ConsumedMessage Notice(const v1::NotificationEvent& event, const std::string& ce_id = "n-1",
                              const std::string& ce_type = "gridcare.notification.sent.v1") {
  return Message(kafka::kNotificationTopic, ce_id, ce_type, event);
}

std::string TraceIdOf(const std::string& traceparent) { return traceparent.substr(3, 32); }

}  // namespace

TEST_CASE("a ticket attached to an incident moves to in progress and says so", "[timeline]") {
  TimelineFixture f;
  const auto result = f.handler.Handle(Attached(f.ticket_id));
  REQUIRE(result.disposition == Disposition::kDone);

  const auto ticket = f.Ticket();
  CHECK(ticket.state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK(ticket.owner_reference() == "INC-1");
  CHECK(ticket.updated_at().seconds() == core::ToUnixMillis(f.h.clock.Now()) / 1000);

  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 2);
  CHECK(timeline[1].state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK(timeline[1].event_type() == "gridcare.ticket.attached.v1");
  CHECK(timeline[1].actor().kind() == v1::Actor::KIND_SYSTEM);
  CHECK_THAT(timeline[1].description().zh_cn(), Catch::Contains("INC-1"));
  CHECK_THAT(timeline[1].description().zh_cn(), Catch::Contains("14:30"));
  CHECK_THAT(timeline[1].description().en(), Catch::Contains("14:30 (Beijing time)"));

  const auto records = f.published.records();
  REQUIRE(records.size() == 1);
  CHECK(records[0].topic == "gridcare.intake.v1");
  CHECK(records[0].key == f.ticket_id);
  CHECK(HeaderOf(records[0], "ce_type") == "gridcare.ticket.state_changed.v1");
  CHECK(HeaderOf(records[0], "ce_source") == "/gridcare/intake");
  CHECK(HeaderOf(records[0], "ce_subject") == f.ticket_id);
  CHECK(HeaderOf(records[0], "ce_id") ==
        kafka::DeriveEventId("d-1", "state_changed:" + f.ticket_id));
  // The trace continues the downstream event's.
  const auto traceparent = HeaderOf(records[0], "traceparent");
  REQUIRE(traceparent.has_value());
  CHECK(TraceIdOf(*traceparent) == TraceIdOf(kTraceparent));
  CHECK(*traceparent != kTraceparent);

  const auto event = ParseIntakeEvent(records[0]);
  REQUIRE(event.has_ticket_state_changed());
  const auto& changed = event.ticket_state_changed();
  CHECK(changed.ticket_id() == f.ticket_id);
  CHECK(changed.previous_state() == v1::TICKET_STATE_OPEN);
  CHECK(changed.state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK(changed.owner_reference() == "INC-1");
  CHECK(changed.cause() == "变压器故障");
  CHECK(changed.customer_id() == kCustomer);
}

TEST_CASE("an incident restored resolves its tickets with the cause", "[timeline]") {
  TimelineFixture f;
  REQUIRE(f.handler.Handle(Attached(f.ticket_id)).disposition == Disposition::kDone);
  f.h.clock.Advance(2h);
  REQUIRE(f.handler.Handle(Restored({f.ticket_id})).disposition == Disposition::kDone);

  CHECK(f.Ticket().state() == v1::TICKET_STATE_RESOLVED);
  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 3);
  CHECK(timeline[2].state() == v1::TICKET_STATE_RESOLVED);
  CHECK(timeline[2].actor().kind() == v1::Actor::KIND_CREW);
  CHECK_THAT(timeline[2].description().en(), Catch::Contains("tree contact"));
  CHECK_THAT(timeline[2].description().zh_cn(), Catch::Contains("树枝碰线"));

  const auto records = f.published.records();
  REQUIRE(records.size() == 2);
  const auto changed = ParseIntakeEvent(records[1]).ticket_state_changed();
  CHECK(changed.previous_state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK(changed.state() == v1::TICKET_STATE_RESOLVED);
  CHECK(changed.cause() == "树枝碰线");

  // A resolved ticket is no longer open for the customer: a new call opens a new ticket.
  auto again = MakeRequest("REQ-TL-2", v1::CHANNEL_HOTLINE_IVR, "家里又停电了");
  again.mutable_customer()->set_customer_id(kCustomer);
  const auto response = f.h.Accept(again);
  CHECK(response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  CHECK(response.ticket_id() != f.ticket_id);
}

TEST_CASE("the same downstream event twice adds one step and one state change", "[timeline]") {
  TimelineFixture f;
  const auto message = Attached(f.ticket_id);
  REQUIRE(f.handler.Handle(message).disposition == Disposition::kDone);
  f.h.clock.Advance(1min);
  REQUIRE(f.handler.Handle(message).disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == 2);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_IN_PROGRESS);
  // The redelivery publishes the state change again (in case the first copy was lost) under the
  // same id, so consumers see one state change.
  REQUIRE(f.published.records().size() == 2);
  CHECK(HeaderOf(f.published.records()[0], "ce_id") == HeaderOf(f.published.records()[1], "ce_id"));

  // Handled anywhere else (another replica, after a restart), it derives the same event id.
  TimelineFixture other;
  REQUIRE(other.ticket_id == f.ticket_id);
  REQUIRE(other.handler.Handle(message).disposition == Disposition::kDone);
  REQUIRE(other.published.records().size() == 1);
  CHECK(HeaderOf(other.published.records()[0], "ce_id") ==
        HeaderOf(f.published.records()[0], "ce_id"));
}

TEST_CASE("without a ce_id header the record's position identifies the step", "[timeline]") {
  TimelineFixture f;
  auto message = Attached(f.ticket_id);
  message.headers = {};
  REQUIRE(f.handler.Handle(message).disposition == Disposition::kDone);
  REQUIRE(f.handler.Handle(message).disposition == Disposition::kDone);
  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 2);
  CHECK(timeline[1].event_type() == "gridcare.dispatch.v1");
  REQUIRE(f.published.records().size() == 2);  // re-published under the same id
  CHECK(HeaderOf(f.published.records()[1], "ce_id") ==
        kafka::DeriveEventId("gridcare.dispatch.v1/3/1234", "state_changed:" + f.ticket_id));
}

// The consumer loop replays a whole batch when the publisher's flush fails ("idempotent handling
// absorbs the replay", consumer.cpp CompleteBatch). TimelineHandler::Apply saves the new state
// before publishing and, on the replay, sees previous == new state (moves == false) and publishes
// nothing: the ticket_state_changed event of the lost batch is never sent again.
TEST_CASE("a state change whose event was lost is published again when the event is redelivered",
          "[timeline]") {
  TimelineFixture f;
  const auto message = Attached(f.ticket_id);
  REQUIRE(f.handler.Handle(message).disposition == Disposition::kDone);
  REQUIRE(f.published.records().size() == 1);
  const auto lost_id = HeaderOf(f.published.records()[0], "ce_id");
  f.published.Clear();  // the flush failed: the queued event never reached the broker

  REQUIRE(f.handler.Handle(message).disposition == Disposition::kDone);  // redelivery
  REQUIRE(f.published.records().size() == 1);
  CHECK(HeaderOf(f.published.records()[0], "ce_id") == lost_id);
}

TEST_CASE("events about tickets intake does not know are dead-lettered", "[timeline]") {
  TimelineFixture f;
  const auto result = f.handler.Handle(Attached("GC-19990101-000001"));
  CHECK(result.disposition == Disposition::kDeadLetter);
  CHECK(result.reason == "unknown_ticket");
  CHECK_THAT(result.detail, Catch::Contains("GC-19990101-000001"));
  CHECK(f.published.records().empty());
  CHECK(f.Ticket().state() == v1::TICKET_STATE_OPEN);
  auto ghost = f.h.store.Timeline("GC-19990101-000001");
  REQUIRE(ghost.ok());
  CHECK(ghost->empty());
}

// StepsFrom(IncidentRestored) makes one step per ticket and Apply returns the dead letter at the
// first unknown ticket, so every ticket listed after it is never resolved — and a replay from the
// dead-letter topic stops at the same place. Whether a ticket is resolved depends on its position.
TEST_CASE("an unknown ticket in a restoration does not keep the other tickets open", "[timeline]") {
  TimelineFixture f;
  auto second = MakeRequest("REQ-TL-OTHER", v1::CHANNEL_HOTLINE_IVR, "小区停电了");
  auto neighbour = MakeCustomer("3100000002");
  f.h.profiles.Add(neighbour);
  second.mutable_customer()->set_customer_id("3100000002");
  const auto other_ticket = f.h.Accept(second).ticket_id();

  f.handler.Handle(Restored({f.ticket_id, "GC-19990101-000001", other_ticket}));
  CHECK(f.Ticket().state() == v1::TICKET_STATE_RESOLVED);
  auto other = f.h.store.GetTicket(other_ticket);
  REQUIRE(other.ok());
  REQUIRE(other->has_value());
  CHECK((*other)->state() == v1::TICKET_STATE_RESOLVED);
}

TEST_CASE("undecodable records and foreign topics are dead-lettered", "[timeline]") {
  TimelineFixture f;
  SECTION("malformed dispatch event") {
    auto message = Attached(f.ticket_id);
    message.value = std::string("\x0a\xff\xff\xff\xff\x0f", 6);
    const auto result = f.handler.Handle(message);
    CHECK(result.disposition == Disposition::kDeadLetter);
    CHECK(result.reason == "malformed_protobuf");
  }
  SECTION("malformed complaint event") {
    auto message = Attached(f.ticket_id);
    message.topic = std::string(kafka::kComplaintTopic);
    message.value = "\xff\xff\xff";
    const auto result = f.handler.Handle(message);
    CHECK(result.disposition == Disposition::kDeadLetter);
    CHECK(result.reason == "malformed_protobuf");
  }
  SECTION("malformed notification event") {
    auto message = Notice(SentSms(f.ticket_id));
    message.value = std::string("\x0a\xff\xff\xff\xff\x0f", 6);
    const auto result = f.handler.Handle(message);
    CHECK(result.disposition == Disposition::kDeadLetter);
    CHECK(result.reason == "malformed_protobuf");
  }
  SECTION("a topic intake does not consume") {
    auto message = Attached(f.ticket_id);
    message.topic = std::string(kafka::kCrewTopic);
    const auto result = f.handler.Handle(message);
    CHECK(result.disposition == Disposition::kDeadLetter);
    CHECK(result.reason == "unexpected_topic");
  }
  CHECK(f.published.records().empty());
  CHECK(f.Timeline().size() == 1);
}

TEST_CASE("dispatch events that concern no ticket change nothing", "[timeline]") {
  TimelineFixture f;
  v1::DispatchEvent opened;
  opened.mutable_incident_opened();
  CHECK(f.handler.Handle(Message(kafka::kDispatchTopic, "d-9", "x", opened)).disposition ==
        Disposition::kDone);
  v1::DispatchEvent assigned_without_ticket;
  assigned_without_ticket.mutable_work_order_assigned()->mutable_work_order()->set_work_order_id(
      "WO-1");
  CHECK(f.handler.Handle(Message(kafka::kDispatchTopic, "d-10", "x", assigned_without_ticket))
            .disposition == Disposition::kDone);
  CHECK(f.published.records().empty());
  CHECK(f.Timeline().size() == 1);
}

TEST_CASE("crew progress on the ticket's outage moves it to in progress, step by step",
          "[timeline]") {
  TimelineFixture f;
  auto update = [&](const std::string& change, const std::string& id) {
    v1::DispatchEvent event;
    auto* updated = event.mutable_incident_updated();
    updated->set_change(change);
    updated->mutable_incident()->set_incident_id("INC-T-1");
    updated->mutable_incident()->set_crew_id("CREW-3");
    updated->mutable_incident()->add_ticket_ids(f.ticket_id);
    return f.handler.Handle(
        Message(kafka::kDispatchTopic, id, "gridcare.incident.updated.v1", event));
  };
  REQUIRE(update("crew_assigned", "d-3").disposition == Disposition::kDone);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK(f.Ticket().owner_reference() == "INC-T-1");
  CHECK_THAT(f.Timeline().back().description().en(), Catch::Contains("CREW-3"));
  const auto before = f.Timeline().size();
  REQUIRE(update("crew_en_route", "d-4").disposition == Disposition::kDone);
  REQUIRE(update("crew_on_site", "d-5").disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == before + 2);
  CHECK_THAT(f.Timeline().back().description().zh_cn(), Catch::Contains("已到达现场"));
  // Internal changes add no step.
  REQUIRE(update("merged", "d-6").disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == before + 2);
}

TEST_CASE("a finished ticket is not moved back by a late event, but the step is recorded",
          "[timeline]") {
  TimelineFixture f;
  REQUIRE(f.handler.Handle(Restored({f.ticket_id})).disposition == Disposition::kDone);
  REQUIRE(f.Ticket().state() == v1::TICKET_STATE_RESOLVED);
  f.h.clock.Advance(1min);
  REQUIRE(f.handler.Handle(Attached(f.ticket_id, "d-late")).disposition == Disposition::kDone);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_RESOLVED);
  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 3);
  CHECK(timeline[2].state() == v1::TICKET_STATE_RESOLVED);
  CHECK(f.published.records().size() == 1);  // only the restoration's state change
}

TEST_CASE("complaint cases move their tickets: routed, then closed with the root cause",
          "[timeline]") {
  TimelineFixture f;
  v1::ComplaintEvent opened;
  auto* opened_case = opened.mutable_case_opened()->mutable_complaint_case();
  opened_case->set_case_id("CASE-1");
  opened_case->set_ticket_id(f.ticket_id);
  opened_case->set_department(v1::DEPARTMENT_MARKETING);
  REQUIRE(
      f.handler
          .Handle(Message(kafka::kComplaintTopic, "c-1", "gridcare.complaint.opened.v1", opened))
          .disposition == Disposition::kDone);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK(f.Ticket().owner_reference() == "CASE-1");
  CHECK(f.Timeline().back().actor().kind() == v1::Actor::KIND_DEPARTMENT);
  CHECK_THAT(f.Timeline().back().description().en(), Catch::Contains("DEPARTMENT_MARKETING"));

  v1::ComplaintEvent closed;
  auto* closed_case = closed.mutable_case_closed()->mutable_complaint_case();
  closed_case->set_case_id("CASE-1");
  closed_case->set_ticket_id(f.ticket_id);
  closed_case->set_root_cause("抄表错误");
  REQUIRE(
      f.handler
          .Handle(Message(kafka::kComplaintTopic, "c-2", "gridcare.complaint.closed.v1", closed))
          .disposition == Disposition::kDone);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_CLOSED);
  const auto records = f.published.records();
  REQUIRE(records.size() == 2);
  const auto changed = ParseIntakeEvent(records[1]).ticket_state_changed();
  CHECK(changed.state() == v1::TICKET_STATE_CLOSED);
  CHECK(changed.cause() == "抄表错误");
}

}  // namespace gridcare::intake

namespace gridcare::intake {

TEST_CASE("an SMS sent to the customer shows on the ticket in both languages without moving it",
          "[timeline][notification]") {
  TimelineFixture f;
  const auto before = f.Ticket();
  REQUIRE(f.handler.Handle(Notice(SentSms(f.ticket_id))).disposition == Disposition::kDone);

  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 2);
  CHECK(timeline[1].description().zh_cn() == "14:02 已向您发送短信（138****5678）");
  CHECK(timeline[1].description().en() ==
        "We sent you an SMS (138****5678) at 14:02 (Beijing time)");
  CHECK(timeline[1].event_type() == "gridcare.notification.sent.v1");
  CHECK(timeline[1].actor().kind() == v1::Actor::KIND_SYSTEM);
  CHECK(timeline[1].state() == v1::TICKET_STATE_OPEN);
  CHECK(timeline[1].at().seconds() == core::ToUnixMillis(f.h.clock.Now()) / 1000);
  // The ticket itself is untouched and no state change is published.
  const auto after = f.Ticket();
  CHECK(after.SerializeAsString() == before.SerializeAsString());
  CHECK(f.published.records().empty());
}

TEST_CASE("each channel reads in the customer's words", "[timeline][notification]") {
  struct Case {
    std::string channel;
    std::string masked;
    bool with_time;
    std::string zh;
    std::string en;
  };
  const std::vector<Case> cases = {
      {"wechat", "o6****Xa", true, "14:02 已向您发送微信消息（o6****Xa）",
       "We sent you a WeChat message (o6****Xa) at 14:02 (Beijing time)"},
      {"app_push", "31****01", true, "14:02 已向您发送 App 推送（31****01）",
       "We sent you an app notification (31****01) at 14:02 (Beijing time)"},
      {"voice_call", "138****5678", true, "14:02 已向您拨打语音电话（138****5678）",
       "We placed a voice call to you (138****5678) at 14:02 (Beijing time)"},
      {"email", "zh****cn", true, "14:02 已向您发送电子邮件（zh****cn）",
       "We sent you an email (zh****cn) at 14:02 (Beijing time)"},
      {"pager", "", true, "14:02 已向您发送通知", "We sent you a notice at 14:02 (Beijing time)"},
      {"sms", "", false, "已向您发送短信", "We sent you an SMS"},
      {"sms", "138****5678", false, "已向您发送短信（138****5678）",
       "We sent you an SMS (138****5678)"},
  };
  for (const auto& c : cases) {
    INFO(c.channel << " masked=" << c.masked << " with_time=" << c.with_time);
    TimelineFixture f;
    auto event = SentSms(f.ticket_id);
    event.mutable_sent()->set_channel_name(c.channel);
    event.mutable_sent()->set_masked_address(c.masked);
    if (!c.with_time) event.mutable_sent()->clear_sent_at();
    REQUIRE(f.handler.Handle(Notice(event)).disposition == Disposition::kDone);
    const auto timeline = f.Timeline();
    REQUIRE(timeline.size() == 2);
    CHECK(timeline[1].description().zh_cn() == c.zh);
    CHECK(timeline[1].description().en() == c.en);
  }
}

TEST_CASE("a notice about the complaint case CC-ticket shows on that ticket",
          "[timeline][notification]") {
  TimelineFixture f;
  REQUIRE(f.handler.Handle(Notice(SentSms("CC-" + f.ticket_id))).disposition == Disposition::kDone);
  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 2);
  CHECK(timeline[1].description().zh_cn() == "14:02 已向您发送短信（138****5678）");
  CHECK(f.published.records().empty());
}

TEST_CASE("a notice after the ticket is resolved shows and leaves it resolved",
          "[timeline][notification]") {
  TimelineFixture f;
  REQUIRE(f.handler.Handle(Restored({f.ticket_id})).disposition == Disposition::kDone);
  REQUIRE(f.Ticket().state() == v1::TICKET_STATE_RESOLVED);
  f.h.clock.Advance(1min);
  REQUIRE(f.handler.Handle(Notice(SentSms(f.ticket_id))).disposition == Disposition::kDone);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_RESOLVED);
  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 3);
  CHECK(timeline[2].state() == v1::TICKET_STATE_RESOLVED);
  CHECK(timeline[2].description().en() ==
        "We sent you an SMS (138****5678) at 14:02 (Beijing time)");
  CHECK(f.published.records().size() == 1);  // only the restoration's state change
}

TEST_CASE("notices that are not to the customer about a known ticket are ignored",
          "[timeline][notification]") {
  TimelineFixture f;
  auto event = SentSms(f.ticket_id);
  SECTION("a staff notice about the ticket") {
    event.mutable_sent()->set_recipient_kind(v1::RECIPIENT_KIND_STAFF);
    event.mutable_sent()->set_recipient_id("STAFF-7");
  }
  SECTION("a notice with no recipient kind") {
    event.mutable_sent()->set_recipient_kind(v1::RECIPIENT_KIND_UNSPECIFIED);
  }
  SECTION("an incident fan-out notice") { event.mutable_sent()->set_subject_id("INC-1"); }
  SECTION("a planned outage notice") { event.mutable_sent()->set_subject_id("PO-20261124-001"); }
  SECTION("a notice about a ticket intake does not know") {
    event.mutable_sent()->set_subject_id("GC-19990101-000001");
  }
  SECTION("a notice about the case of a ticket intake does not know") {
    event.mutable_sent()->set_subject_id("CC-GC-19990101-000001");
  }
  SECTION("a notice without a subject") { event.mutable_sent()->clear_subject_id(); }
  const auto result = f.handler.Handle(Notice(event));
  CHECK(result.disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == 1);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_OPEN);
  CHECK(f.published.records().empty());
  for (const auto& id : {"INC-1", "PO-20261124-001", "GC-19990101-000001"}) {
    auto ghost = f.h.store.Timeline(id);
    REQUIRE(ghost.ok());
    CHECK(ghost->empty());
  }
}

TEST_CASE("a redelivered notice adds its step once", "[timeline][notification]") {
  TimelineFixture f;
  const auto message = Notice(SentSms(f.ticket_id));
  REQUIRE(f.handler.Handle(message).disposition == Disposition::kDone);
  f.h.clock.Advance(1min);
  REQUIRE(f.handler.Handle(message).disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == 2);
  CHECK(f.published.records().empty());
  // Another notice (another event id) is another step.
  REQUIRE(f.handler.Handle(Notice(SentSms(f.ticket_id), "n-2")).disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == 3);
}

TEST_CASE("a delivery report adds a short step except for voice calls and staff",
          "[timeline][notification]") {
  TimelineFixture f;
  auto report = [&](const std::string& channel, v1::RecipientKind kind, const std::string& id) {
    v1::NotificationEvent event;
    auto* delivered = event.mutable_delivered();
    delivered->set_notification_id("N-1");
    delivered->set_recipient_kind(kind);
    delivered->set_channel(channel);
    delivered->set_subject_id(f.ticket_id);
    *delivered->mutable_delivered_at() =
        TimeUtil::SecondsToTimestamp(core::ToUnixMillis(testing::StartTime() + 4h + 5min) / 1000);
    return f.handler.Handle(Notice(event, id, "gridcare.notification.delivered.v1"));
  };
  REQUIRE(report("sms", v1::RECIPIENT_KIND_CUSTOMER, "n-d1").disposition == Disposition::kDone);
  auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 2);
  CHECK(timeline[1].description().zh_cn() == "14:05 短信已送达");
  CHECK(timeline[1].description().en() == "SMS delivered at 14:05 (Beijing time)");
  CHECK(timeline[1].event_type() == "gridcare.notification.delivered.v1");
  CHECK(timeline[1].state() == v1::TICKET_STATE_OPEN);

  REQUIRE(report("wechat", v1::RECIPIENT_KIND_CUSTOMER, "n-d2").disposition == Disposition::kDone);
  CHECK(f.Timeline().back().description().en() ==
        "WeChat message delivered at 14:05 (Beijing time)");
  REQUIRE(report("app_push", v1::RECIPIENT_KIND_CUSTOMER, "n-d3").disposition ==
          Disposition::kDone);
  CHECK(f.Timeline().back().description().zh_cn() == "14:05 App 推送已送达");
  REQUIRE(f.Timeline().size() == 4);

  REQUIRE(report("voice_call", v1::RECIPIENT_KIND_CUSTOMER, "n-d4").disposition ==
          Disposition::kDone);
  REQUIRE(report("sms", v1::RECIPIENT_KIND_STAFF, "n-d5").disposition == Disposition::kDone);
  REQUIRE(report("pager", v1::RECIPIENT_KIND_CUSTOMER, "n-d6").disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == 4);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_OPEN);
  CHECK(f.published.records().empty());
}

TEST_CASE("queued failed and suppressed notices add no step", "[timeline][notification]") {
  TimelineFixture f;
  v1::NotificationEvent queued;
  queued.mutable_queued()->set_subject_id(f.ticket_id);
  queued.mutable_queued()->set_recipient_kind(v1::RECIPIENT_KIND_CUSTOMER);
  v1::NotificationEvent failed;
  failed.mutable_failed()->set_subject_id(f.ticket_id);
  failed.mutable_failed()->set_recipient_kind(v1::RECIPIENT_KIND_CUSTOMER);
  v1::NotificationEvent suppressed;
  suppressed.mutable_suppressed()->set_subject_id(f.ticket_id);
  v1::NotificationEvent empty;
  CHECK(f.handler.Handle(Notice(queued, "n-q")).disposition == Disposition::kDone);
  CHECK(f.handler.Handle(Notice(failed, "n-f")).disposition == Disposition::kDone);
  CHECK(f.handler.Handle(Notice(suppressed, "n-s")).disposition == Disposition::kDone);
  CHECK(f.handler.Handle(Notice(empty, "n-e")).disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == 1);
  CHECK(f.published.records().empty());
}

}  // namespace gridcare::intake

// ---- service applications by appointment (dispatch's appointment desk) -------------------------

namespace gridcare::intake {
namespace {

v1::WorkOrder Visit(const std::string& ticket_id, v1::VisitKind visit, int booking_count) {
  v1::WorkOrder order;
  order.set_work_order_id("WO-A-" + ticket_id + "-1");
  order.set_crew_id("CREW-M1");
  auto* application = order.mutable_application();
  application->set_ticket_id(ticket_id);
  application->set_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  application->set_visit(visit);
  application->set_booking_count(booking_count);
  // 01:00-02:00 UTC is 09:00-10:00 in Beijing, the day after the ticket opened.
  *order.mutable_appointment_start() =
      TimeUtil::SecondsToTimestamp(core::ToUnixMillis(testing::StartTime() + 23h) / 1000);
  *order.mutable_appointment_end() =
      TimeUtil::SecondsToTimestamp(core::ToUnixMillis(testing::StartTime() + 24h) / 1000);
  return order;
}

kafka::ConsumedMessage Booked(const std::string& ticket_id, int booking_count,
                              const std::string& ce_id) {
  v1::DispatchEvent event;
  auto* booked = event.mutable_appointment_booked();
  *booked->mutable_work_order() = Visit(ticket_id, v1::VISIT_KIND_SITE_SURVEY, booking_count);
  booked->set_rebooked(booking_count > 1);
  if (booking_count > 1) booked->set_reason("crew CREW-M1 taken by fault repair");
  return Message(kafka::kDispatchTopic, ce_id, "gridcare.appointment.booked.v1", event);
}

kafka::ConsumedMessage Stage(const std::string& ticket_id, v1::ApplicationStage stage,
                             const std::string& zh, const std::string& en,
                             const std::string& ce_id) {
  v1::DispatchEvent event;
  auto* reached = event.mutable_application_stage_reached();
  *reached->mutable_work_order() = Visit(ticket_id, v1::VISIT_KIND_INSTALLATION, 1);
  reached->set_stage(stage);
  reached->mutable_description()->set_zh_cn(zh);
  reached->mutable_description()->set_en(en);
  return Message(kafka::kDispatchTopic, ce_id, "gridcare.application.stage_reached.v1", event);
}

TEST_CASE("Track shows every stage of a new connection from booking to closed",
          "[timeline][applications]") {
  TimelineFixture f;
  REQUIRE(f.handler.Handle(Booked(f.ticket_id, 1, "a-1")).disposition == Disposition::kDone);
  REQUIRE(f.handler.Handle(Booked(f.ticket_id, 2, "a-2")).disposition == Disposition::kDone);
  REQUIRE(f.handler
              .Handle(Stage(f.ticket_id, v1::APPLICATION_STAGE_SITE_SURVEYED, "现场勘查已完成",
                            "The site survey is done", "a-3"))
              .disposition == Disposition::kDone);
  REQUIRE(f.handler
              .Handle(Stage(f.ticket_id, v1::APPLICATION_STAGE_WORK_DONE, "电表已安装，已为您接电",
                            "Your meter is installed and the supply is connected", "a-4"))
              .disposition == Disposition::kDone);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_RESOLVED);
  REQUIRE(f.handler
              .Handle(Stage(f.ticket_id, v1::APPLICATION_STAGE_CLOSED, "申请已办结",
                            "Your application is complete and closed", "a-5"))
              .disposition == Disposition::kDone);
  CHECK(f.Ticket().state() == v1::TICKET_STATE_CLOSED);

  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 6);
  CHECK(timeline[1].description().zh_cn() ==
        "已为您预约现场勘查：2026-11-25 09:00-10:00（北京时间）");
  CHECK(timeline[1].description().en() ==
        "Your site survey is booked for 2026-11-25 09:00-10:00 (Beijing time)");
  CHECK(timeline[1].state() == v1::TICKET_STATE_IN_PROGRESS);
  CHECK_THAT(timeline[2].description().zh_cn(), Catch::StartsWith("现场勘查已改约至"));
  CHECK_THAT(timeline[2].description().en(), Catch::StartsWith("Your site survey is moved to"));
  CHECK(timeline[3].actor().kind() == v1::Actor::KIND_CREW);
  CHECK(timeline[3].description().en() == "The site survey is done");
  CHECK(timeline[4].state() == v1::TICKET_STATE_RESOLVED);
  CHECK(timeline[5].state() == v1::TICKET_STATE_CLOSED);
  CHECK(timeline[5].event_type() == "gridcare.application.stage_reached.v1");

  // Redelivered: one step each.
  REQUIRE(f.handler.Handle(Booked(f.ticket_id, 1, "a-1")).disposition == Disposition::kDone);
  CHECK(f.Timeline().size() == 6);
}

TEST_CASE("missing documents show what to bring and the clock pause in both languages",
          "[timeline][applications]") {
  TimelineFixture f;
  v1::DispatchEvent event;
  auto* changed = event.mutable_application_clock_changed();
  *changed->mutable_work_order() = Visit(f.ticket_id, v1::VISIT_KIND_SITE_SURVEY, 1);
  changed->set_stopped(true);
  changed->mutable_stop()->set_reason("property certificate missing");
  auto* first = changed->mutable_stop()->add_missing_documents();
  first->set_zh_cn("房屋产权证明");
  first->set_en("proof of property ownership");
  auto* second = changed->mutable_stop()->add_missing_documents();
  second->set_zh_cn("身份证复印件");
  second->set_en("copy of the ID card");
  REQUIRE(f.handler
              .Handle(Message(kafka::kDispatchTopic, "c-1", "gridcare.application.clock_changed.v1",
                              event))
              .disposition == Disposition::kDone);
  changed->set_stopped(false);
  changed->set_stopped_working_days(2);
  REQUIRE(f.handler
              .Handle(Message(kafka::kDispatchTopic, "c-2", "gridcare.application.clock_changed.v1",
                              event))
              .disposition == Disposition::kDone);
  const auto timeline = f.Timeline();
  REQUIRE(timeline.size() == 3);
  CHECK(timeline[1].description().zh_cn() ==
        "申请资料不全，办理时限暂停。请补充：房屋产权证明、身份证复印件");
  CHECK(timeline[1].description().en() ==
        "Documents are missing and the time limit is paused. Please bring: proof of property "
        "ownership, copy of the ID card");
  CHECK(timeline[1].actor().kind() == v1::Actor::KIND_AGENT);
  CHECK(timeline[2].description().en() ==
        "Documents complete; the time limit runs again (extended by 2 working days)");
  CHECK(f.Ticket().state() == v1::TICKET_STATE_OPEN);  // a pause does not move the ticket
}

}  // namespace
}  // namespace gridcare::intake
