#include <catch2/catch.hpp>

#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

v1::IntakeEvent Opened(v1::RequestType type, v1::Channel channel, std::string customer_id) {
  v1::IntakeEvent event;
  v1::Ticket* ticket = event.mutable_ticket_opened()->mutable_ticket();
  ticket->set_ticket_id("GC-20261206-000123");
  ticket->set_request_id("REQ-77");
  ticket->set_type(type);
  ticket->set_channel(channel);
  ticket->set_customer_id(std::move(customer_id));
  ticket->set_unidentified(ticket->customer_id().empty());
  ticket->set_language(v1::LANGUAGE_EN);
  return event;
}

v1::IntakeEvent Rejected(v1::Channel channel, v1::RejectionReason reason,
                         v1::LocalizedText message) {
  v1::IntakeEvent event;
  v1::RequestRejected* rejected = event.mutable_request_rejected();
  rejected->set_request_id("REQ-88");
  rejected->set_channel(channel);
  rejected->set_reason(reason);
  rejected->set_detail("text has 4012 code points");
  *rejected->mutable_customer_message() = std::move(message);
  return event;
}

TEST_CASE("An opened ticket tells its identified customer the ticket number") {
  const auto out = Shipped().OnIntake(
      Opened(v1::REQUEST_TYPE_FAULT_REPAIR, v1::CHANNEL_HOTLINE_IVR, "C-1001"), kNow);
  CheckIntents(out.intents, {{"ticket.opened",
                              "ticket.opened",
                              "GC-20261206-000123",
                              Customer("C-1001", v1::LANGUAGE_EN),
                              {{"channel", LocValue("95598热线", "the 95598 hotline")},
                               {"request_type", LocValue("故障报修", "fault repair")},
                               {"ticket_id", IdValue("GC-20261206-000123")}}}});
  CHECK(out.withdrawals.empty());
}

TEST_CASE("An unidentified caller's ticket is addressed to the request it came from") {
  const auto out =
      Shipped().OnIntake(Opened(v1::REQUEST_TYPE_CONSULTATION, v1::CHANNEL_WECHAT, ""), kNow);
  CheckIntents(out.intents, {{"ticket.opened",
                              "ticket.opened",
                              "GC-20261206-000123",
                              Requester("REQ-77", v1::LANGUAGE_EN),
                              {{"channel", LocValue("微信公众号", "WeChat")},
                               {"request_type", LocValue("咨询", "enquiry")},
                               {"ticket_id", IdValue("GC-20261206-000123")}}}});
}

TEST_CASE("Tickets from meters and crews or of types not configured tell nobody") {
  CHECK(
      Shipped()
          .OnIntake(Opened(v1::REQUEST_TYPE_FAULT_REPAIR, v1::CHANNEL_METER_HEAD_END, "C-1"), kNow)
          .intents.empty());
  CHECK(Shipped()
            .OnIntake(Opened(v1::REQUEST_TYPE_FAULT_REPAIR, v1::CHANNEL_FIELD_CREW, ""), kNow)
            .intents.empty());
  CHECK(Shipped()
            .OnIntake(Opened(v1::REQUEST_TYPE_URGING, v1::CHANNEL_HOTLINE_AGENT, "C-1"), kNow)
            .intents.empty());
  CHECK(Shipped()
            .OnIntake(Opened(v1::REQUEST_TYPE_UNSPECIFIED, v1::CHANNEL_SMS, "C-1"), kNow)
            .intents.empty());
}

TEST_CASE("Every configured channel and request type reads in both languages") {
  for (const v1::Channel channel : Shipped().settings(Trigger::kTicketOpened).channels) {
    for (const v1::RequestType type : Shipped().settings(Trigger::kTicketOpened).request_types) {
      INFO(v1::Channel_Name(channel) << " " << v1::RequestType_Name(type));
      const auto out = Shipped().OnIntake(Opened(type, channel, "C-1"), kNow);
      REQUIRE(out.intents.size() == 1);
      for (const char* name : {"channel", "request_type"}) {
        const auto* value = out.intents[0].values.Find(name);
        REQUIRE(value != nullptr);
        CHECK_FALSE(value->text.empty());
        CHECK_FALSE(value->en.empty());
      }
    }
  }
}

TEST_CASE("An answered consultation sends the answer to the customer or the requester") {
  v1::IntakeEvent event;
  v1::ConsultationAnswered* answered = event.mutable_consultation_answered();
  answered->set_ticket_id("GC-20261206-000124");
  answered->set_request_id("REQ-90");
  *answered->mutable_answer() = Loc("峰谷电价按时段计费。", "Time-of-use tariffs bill by period.");
  answered->set_customer_id("C-1002");
  CheckIntents(Shipped().OnIntake(event, kNow).intents,
               {{"ticket.answered",
                 "ticket.answered",
                 "GC-20261206-000124",
                 Customer("C-1002"),
                 {{"ticket_id", IdValue("GC-20261206-000124")},
                  {"reply_text",
                   LocValue("峰谷电价按时段计费。", "Time-of-use tariffs bill by period.")}}}});
  answered->clear_customer_id();
  CheckIntents(Shipped().OnIntake(event, kNow).intents,
               {{"ticket.answered",
                 "ticket.answered",
                 "GC-20261206-000124",
                 Requester("REQ-90"),
                 {{"ticket_id", IdValue("GC-20261206-000124")},
                  {"reply_text",
                   LocValue("峰谷电价按时段计费。", "Time-of-use tariffs bill by period.")}}}});
  *answered->mutable_answer() = Loc(" ", "");
  CHECK(Shipped().OnIntake(event, kNow).intents.empty());
}

TEST_CASE("A rejection tells the requester intake's own message") {
  const auto out = Shipped().OnIntake(
      Rejected(v1::CHANNEL_SMS, v1::REJECTION_REASON_TEXT_TOO_LONG,
               Loc("内容超过4000字，请精简后重新提交", "your message is over 4,000 characters")),
      kNow);
  CheckIntents(out.intents, {{"ticket.rejected",
                              "ticket.rejected",
                              "REQ-88",
                              Requester("REQ-88"),
                              {{"channel", LocValue("短信", "text message")},
                               {"reason", LocValue("内容超过4000字，请精简后重新提交",
                                                   "your message is over 4,000 characters")}}}});
}

TEST_CASE("A rejection without a customer message names the reason") {
  const auto out = Shipped().OnIntake(
      Rejected(v1::CHANNEL_HOTLINE_IVR, v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER, {}), kNow);
  CheckIntents(
      out.intents,
      {{"ticket.rejected",
        "ticket.rejected",
        "REQ-88",
        Requester("REQ-88"),
        {{"channel", LocValue("95598热线", "the 95598 hotline")},
         {"reason", LocValue("该号码对应多个用电户号，需要您确认具体户号",
                             "this number belongs to several accounts and we need to know which "
                             "one")}}}});
}

TEST_CASE("Rejections on interactive channels or from adapter faults tell nobody") {
  CHECK(
      Shipped()
          .OnIntake(Rejected(v1::CHANNEL_MOBILE_APP, v1::REJECTION_REASON_MISSING_FIELD, {}), kNow)
          .intents.empty());
  CHECK(Shipped()
            .OnIntake(Rejected(v1::CHANNEL_SMS, v1::REJECTION_REASON_DUPLICATE_CONFLICT, {}), kNow)
            .intents.empty());
  CHECK(Shipped()
            .OnIntake(Rejected(v1::CHANNEL_SMS, v1::REJECTION_REASON_INVALID_UTF8, {}), kNow)
            .intents.empty());
}

TEST_CASE("Contacts added and state changes of tickets tell nobody") {
  v1::IntakeEvent contact;
  contact.mutable_contact_added()->set_ticket_id("GC-1");
  contact.mutable_contact_added()->set_customer_id("C-1");
  v1::IntakeEvent state;
  state.mutable_ticket_state_changed()->set_ticket_id("GC-1");
  state.mutable_ticket_state_changed()->set_customer_id("C-1");
  CHECK(Shipped().OnIntake(contact, kNow).intents.empty());
  CHECK(Shipped().OnIntake(state, kNow).intents.empty());
  CHECK(Shipped().OnIntake(v1::IntakeEvent(), kNow).intents.empty());
}

TEST_CASE("Redelivered intake events give the same intents again") {
  const auto event = Opened(v1::REQUEST_TYPE_COMPLAINT, v1::CHANNEL_HOTLINE_AGENT, "C-9");
  const auto first = Shipped().OnIntake(event, kNow);
  const auto again = Shipped().OnIntake(event, kNow + 1h);
  REQUIRE(first.intents.size() == 1);
  REQUIRE(again.intents.size() == 1);
  CHECK(again.intents[0].template_id == first.intents[0].template_id);
  CHECK(again.intents[0].recipients == first.intents[0].recipients);
  CHECK(again.intents[0].discriminator == first.intents[0].discriminator);
}

}  // namespace
}  // namespace gridcare::notification
