// Service applications by appointment (services/notification/application_triggers.cpp): a visit
// booked and moved (told once per booking, in customer words), the customer's reminder (the
// crew's is not ours), missing documents listed in both languages, the clocks running again, the
// work done, and silence for every other stage. Over the shipped triggers.json and templates.json.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "notification_id.h"
#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

const std::string kTicket = "GC-20261206-000101";
const std::string kVisitOrder = "WO-A-GC-20261206-000101-1";
// 2026-12-08 09:00-11:00 in Beijing (01:00-03:00 UTC), two days after kNow.
const core::TimePoint kVisitStart = kNow + 42h + 30min;
const core::TimePoint kVisitEnd = kVisitStart + 2h;
const TimeContext kChina{kNow, 480};

v1::WorkOrder VisitOrder(
    v1::ServiceApplicationKind kind = v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION,
    v1::VisitKind visit = v1::VISIT_KIND_SITE_SURVEY, int booking_count = 1) {
  v1::WorkOrder order;
  order.set_work_order_id(kVisitOrder);
  order.set_kind(v1::WORK_ORDER_KIND_NEW_CONNECTION);
  order.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  order.set_ticket_id(kTicket);
  order.set_crew_id("CREW-001-01");
  *order.mutable_appointment_start() = Ts(kVisitStart);
  *order.mutable_appointment_end() = Ts(kVisitEnd);
  v1::Application* application = order.mutable_application();
  application->set_ticket_id(kTicket);
  application->set_customer_id("3100000101");
  application->set_kind(kind);
  application->set_stage(v1::APPLICATION_STAGE_DOCUMENTS_CHECKED);
  application->set_visit(visit);
  application->set_visit_number(1);
  application->set_booking_count(booking_count);
  return order;
}

v1::DispatchEvent Booked(const v1::WorkOrder& order, bool rebooked = false,
                         std::string reason = "") {
  v1::DispatchEvent event;
  *event.mutable_appointment_booked()->mutable_work_order() = order;
  event.mutable_appointment_booked()->set_rebooked(rebooked);
  event.mutable_appointment_booked()->set_reason(std::move(reason));
  return event;
}

v1::DispatchEvent Reminder(const v1::WorkOrder& order, std::string audience) {
  v1::DispatchEvent event;
  *event.mutable_appointment_reminder()->mutable_work_order() = order;
  event.mutable_appointment_reminder()->set_audience(std::move(audience));
  return event;
}

v1::DispatchEvent StageReached(const v1::WorkOrder& order, v1::ApplicationStage stage) {
  v1::DispatchEvent event;
  *event.mutable_application_stage_reached()->mutable_work_order() = order;
  event.mutable_application_stage_reached()->set_stage(stage);
  *event.mutable_application_stage_reached()->mutable_reached_at() = Ts(kNow);
  *event.mutable_application_stage_reached()->mutable_description() =
      Loc("阶段已完成", "The stage is done");
  return event;
}

v1::ClockStop MissingDocuments() {
  v1::ClockStop stop;
  stop.set_reason("property certificate missing");
  *stop.add_missing_documents() = Loc("房屋产权证明", "proof of property ownership");
  *stop.add_missing_documents() = Loc("户主身份证复印件", "a copy of the owner's ID card");
  *stop.add_missing_documents() = Loc("用电设备清单", "");  // no English side: zh-CN stands in
  *stop.mutable_stopped_at() = Ts(kNow - 1h);
  stop.set_recorded_by("clerk-07");
  return stop;
}

v1::DispatchEvent ClockChanged(bool stopped) {
  v1::DispatchEvent event;
  v1::ApplicationClockChanged* changed = event.mutable_application_clock_changed();
  *changed->mutable_work_order() = VisitOrder();
  changed->mutable_work_order()->mutable_application()->set_stage(v1::APPLICATION_STAGE_ACCEPTED);
  changed->set_stopped(stopped);
  *changed->mutable_stop() = MissingDocuments();
  if (!stopped) changed->set_stopped_working_days(2);
  return event;
}

std::vector<NotificationIntent> Intents(const v1::DispatchEvent& event,
                                        core::TimePoint now = kNow) {
  const DispatchOutcome out = Shipped().OnDispatch(event, {}, now);
  CHECK(out.memo == IncidentMemo{});
  CHECK(out.withdrawals.empty());
  return out.intents;
}

// The notification id the service gives the intent for customer C-1 when it comes in event
// `ce_id` (fan_out.cpp: the source key, else the event id, then "/" and the discriminator).
std::string IdOf(const NotificationIntent& intent, const std::string& ce_id) {
  const std::string source = intent.source_key.empty() ? ce_id : intent.source_key;
  return NotificationId(source + "/" + intent.discriminator, "3100000101", intent.template_id);
}

std::string Rendered(const NotificationIntent& intent, v1::Language language) {
  auto message = ShippedCatalogue().Render(intent.template_id, language, intent.values, kChina);
  REQUIRE(message.ok());
  return message->text;
}

}  // namespace

TEST_CASE("A first booking tells the ticket's customer the visit and its window in Beijing time") {
  const auto intents = Intents(Booked(VisitOrder()));
  CheckIntents(intents,
               {{"appointment.booked",
                 "appointment.booked",
                 kTicket,
                 TicketOf(kTicket),
                 {{"application", LocValue("新装用电", "new connection")},
                  {"ticket_id", IdValue(kTicket)},
                  {"visit", LocValue("现场勘查", "site survey")},
                  {"visit_window", LocValue("12月8日 09:00-11:00", "8 Dec 09:00-11:00")}}}});
  CHECK(intents[0].source_key == "appointment:" + kVisitOrder + "#1");
  CHECK(Rendered(intents[0], v1::LANGUAGE_ZH_CN) ==
        "【国网电力】尊敬的客户：您的新装用电申请（工单号GC-20261206-000101）已为您预约现场勘查，"
        "时间为12月8日 09:00-11:00（北京时间），届时工作人员将上门服务，请安排人员在场。如需改约请"
        "拨打95598。");
  CHECK(Rendered(intents[0], v1::LANGUAGE_EN) ==
        "[State Grid] Dear customer, the site survey for your new connection application (ticket "
        "GC-20261206-000101) is booked for 8 Dec 09:00-11:00 (Beijing time). Our staff will come "
        "to you then; please make sure someone is there. To change the time, call 95598.");
}

TEST_CASE("The visit window is written in Beijing time whatever the recipient's zone") {
  // 22:00-00:30 Beijing: the end falls on the next day and keeps its date.
  v1::WorkOrder order =
      VisitOrder(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::VISIT_KIND_INSTALLATION);
  *order.mutable_appointment_start() = Ts(kVisitStart + 13h);
  *order.mutable_appointment_end() = Ts(kVisitStart + 15h + 30min);
  const auto intents = Intents(Booked(order));
  REQUIRE(intents.size() == 1);
  const PlaceholderValues::Value* window = intents[0].values.Find("visit_window");
  REQUIRE(window != nullptr);
  CHECK(window->text == "12月8日 22:00-12月9日 00:30");
  CHECK(window->en == "8 Dec 22:00-9 Dec 00:30");
  const PlaceholderValues::Value* visit = intents[0].values.Find("visit");
  REQUIRE(visit != nullptr);
  CHECK(visit->text == "装表接电");
  CHECK(visit->en == "meter installation and connection");
  // Rendered for a recipient in Urumqi (UTC+6), the text still says Beijing time and means it.
  auto urumqi = ShippedCatalogue().Render(intents[0].template_id, v1::LANGUAGE_ZH_CN,
                                          intents[0].values, TimeContext{kNow, 360});
  REQUIRE(urumqi.ok());
  CHECK(urumqi->text.find("12月8日 22:00-12月9日 00:30（北京时间）") != std::string::npos);
}

TEST_CASE("A re-booking for urgent fault repair is told once per booking count") {
  const v1::WorkOrder second =
      VisitOrder(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::VISIT_KIND_SITE_SURVEY, 2);
  const v1::DispatchEvent event = Booked(second, true, "crew CREW-001-01 taken by fault repair");
  const auto first = Intents(event);
  CheckIntents(first, {{"appointment.rebooked",
                        "appointment.rebooked",
                        kTicket,
                        TicketOf(kTicket),
                        {{"application", LocValue("新装用电", "new connection")},
                         {"ticket_id", IdValue(kTicket)},
                         {"visit", LocValue("现场勘查", "site survey")},
                         {"visit_window", LocValue("12月8日 09:00-11:00", "8 Dec 09:00-11:00")},
                         {"reason", LocValue("因抢修人员需处理紧急故障",
                                             "because our crew was called to urgent fault "
                                             "repair")}}}});
  CHECK(first[0].source_key == "appointment:" + kVisitOrder + "#2");
  // The same event redelivered (same ce_id): the same notification.
  const auto again = Intents(event);
  REQUIRE(again.size() == 1);
  CHECK(IdOf(again[0], "ce-1") == IdOf(first[0], "ce-1"));
  // The same booking published again under another event id, even a little later: still one.
  const auto republished = Intents(event, kNow + 5min);
  REQUIRE(republished.size() == 1);
  CHECK(IdOf(republished[0], "ce-2") == IdOf(first[0], "ce-1"));
  // The next booking of the same visit is a message of its own, and so is the first booking.
  const auto third = Intents(
      Booked(VisitOrder(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::VISIT_KIND_SITE_SURVEY, 3),
             true, "crew CREW-001-02 taken by fault repair"));
  REQUIRE(third.size() == 1);
  CHECK(IdOf(third[0], "ce-3") != IdOf(first[0], "ce-1"));
  const auto booked = Intents(Booked(VisitOrder()));
  REQUIRE(booked.size() == 1);
  CHECK(IdOf(booked[0], "ce-0") != IdOf(first[0], "ce-1"));
  // The crew's id never reaches the customer.
  for (const v1::Language language : {v1::LANGUAGE_ZH_CN, v1::LANGUAGE_EN}) {
    CHECK(Rendered(first[0], language).find("CREW") == std::string::npos);
  }
  CHECK(Rendered(first[0], v1::LANGUAGE_EN) ==
        "[State Grid] Dear customer, because our crew was called to urgent fault repair, the site "
        "survey for your new connection application (ticket GC-20261206-000101) was moved to 8 "
        "Dec 09:00-11:00 (Beijing time). We apologise for the inconvenience. To choose another "
        "time, call 95598.");
}

TEST_CASE("A re-booking after a missed visit says we missed you and other reasons stay internal") {
  v1::WorkOrder next =
      VisitOrder(v1::SERVICE_APPLICATION_KIND_METER_CHECK, v1::VISIT_KIND_METER_CHECK, 2);
  next.set_work_order_id("WO-A-GC-20261206-000101-2");
  const auto absent = Intents(Booked(next, true, "customer absent"));
  REQUIRE(absent.size() == 1);
  CHECK(absent[0].template_id == "appointment.rebooked");
  CHECK(absent[0].source_key == "appointment:WO-A-GC-20261206-000101-2#2");
  CHECK(
      Rendered(absent[0], v1::LANGUAGE_ZH_CN)
          .find("因上次上门时未能见到您，您的电表校验申请（工单号GC-20261206-000101）的电表现场校验"
                "已改约至12月8日 09:00-11:00（北京时间）") != std::string::npos);
  CHECK(Rendered(absent[0], v1::LANGUAGE_EN).find("as we missed you at our last visit") !=
        std::string::npos);
  const auto moved =
      Intents(Booked(next, true, "moved by dispatcher d-01: customer asked by phone"));
  REQUIRE(moved.size() == 1);
  const PlaceholderValues::Value* reason = moved[0].values.Find("reason");
  REQUIRE(reason != nullptr);
  CHECK(reason->text == "因工作安排调整");
  CHECK(reason->en == "because of a change in our schedule");
}

TEST_CASE("A visit already under way or over is not announced") {
  CHECK(Intents(Booked(VisitOrder()), kVisitStart).empty());
  CHECK(Intents(Reminder(VisitOrder(), "customer"), kVisitStart + 1min).empty());
  v1::WorkOrder unbooked = VisitOrder();
  unbooked.clear_appointment_start();
  unbooked.clear_appointment_end();
  CHECK(Intents(Booked(unbooked)).empty());
  v1::WorkOrder repair = VisitOrder();
  repair.clear_application();
  CHECK(Intents(Booked(repair)).empty());
}

TEST_CASE("The customer's reminder goes out the day before and the crew's is not ours") {
  const auto intents = Intents(Reminder(VisitOrder(), "customer"), kVisitStart - 24h);
  CheckIntents(intents,
               {{"appointment.reminder",
                 "appointment.reminder",
                 kTicket,
                 TicketOf(kTicket),
                 {{"application", LocValue("新装用电", "new connection")},
                  {"ticket_id", IdValue(kTicket)},
                  {"visit", LocValue("现场勘查", "site survey")},
                  {"visit_window", LocValue("12月8日 09:00-11:00", "8 Dec 09:00-11:00")}}}});
  CHECK(intents[0].source_key == "appointment:" + kVisitOrder + "#1");
  CHECK(
      Rendered(intents[0], v1::LANGUAGE_ZH_CN) ==
      "【国网电力】温馨提示：您的新装用电申请（工单号GC-20261206-000101）预约的现场勘查将于12月8日 "
      "09:00-11:00（北京时间）进行，请届时安排人员在场。如需改约请拨打95598。");
  // The booking notice and the reminder of one booking are two messages.
  const auto booked = Intents(Booked(VisitOrder()));
  REQUIRE(booked.size() == 1);
  CHECK(IdOf(booked[0], "ce-1") != IdOf(intents[0], "ce-1"));
  // Crews are not in the staff directory: nothing for them.
  CHECK(Intents(Reminder(VisitOrder(), "crew"), kVisitStart - 24h).empty());
  CHECK(Intents(Reminder(VisitOrder(), ""), kVisitStart - 24h).empty());
}

TEST_CASE("Missing documents are listed one by one in both languages and the limit is paused") {
  const auto intents = Intents(ClockChanged(true));
  CheckIntents(
      intents,
      {{"application.clock_stopped",
        "application.documents_missing",
        kTicket,
        TicketOf(kTicket),
        {{"application", LocValue("新装用电", "new connection")},
         {"ticket_id", IdValue(kTicket)},
         {"documents", LocValue("房屋产权证明、户主身份证复印件、用电设备清单",
                                "proof of property ownership, a copy of the owner's ID card, "
                                "用电设备清单")}}}});
  CHECK(intents[0].source_key ==
        "application:" + kTicket + "/clock-stop@" + std::to_string(core::ToUnixMillis(kNow - 1h)));
  const std::string zh = Rendered(intents[0], v1::LANGUAGE_ZH_CN);
  CHECK(zh ==
        "【国网电力】尊敬的客户：您的新装用电申请（工单号GC-20261206-000101）资料不全，请补充：房屋"
        "产权证明、户主身份证复印件、用电设备清单。资料补齐前办理时限暂停计算，补齐后我们将继续为您"
        "办理。如有疑问请拨打95598。");
  const std::string en = Rendered(intents[0], v1::LANGUAGE_EN);
  CHECK(en ==
        "[State Grid] Dear customer, documents are missing for your new connection application "
        "(ticket GC-20261206-000101). Please provide: proof of property ownership, a copy of the "
        "owner's ID card, 用电设备清单. The time limit for your application is paused until they "
        "are complete, and we will carry on as soon as they are. For questions, call 95598.");
  // Every document is named in both languages.
  const v1::ClockStop stop = MissingDocuments();
  for (const v1::LocalizedText& document : stop.missing_documents()) {
    CHECK(zh.find(document.zh_cn()) != std::string::npos);
    CHECK(en.find(document.en().empty() ? document.zh_cn() : document.en()) != std::string::npos);
  }
  // The stop redelivered or published again: one notification.
  CHECK(IdOf(Intents(ClockChanged(true))[0], "ce-2") == IdOf(intents[0], "ce-1"));
}

TEST_CASE("The documents complete tell the customer the time limit runs again") {
  const auto intents = Intents(ClockChanged(false));
  CheckIntents(intents, {{"application.clock_resumed",
                          "application.documents_complete",
                          kTicket,
                          TicketOf(kTicket),
                          {{"application", LocValue("新装用电", "new connection")},
                           {"ticket_id", IdValue(kTicket)}}}});
  CHECK(Rendered(intents[0], v1::LANGUAGE_EN) ==
        "[State Grid] Dear customer, the documents for your new connection application (ticket "
        "GC-20261206-000101) are complete. The time limit runs again and we are carrying on with "
        "your application. For questions, call 95598.");
  // The stop and its end are two messages.
  CHECK(IdOf(intents[0], "ce-1") != IdOf(Intents(ClockChanged(true))[0], "ce-1"));
}

TEST_CASE("A new connection's work done says the meter is installed and supply connected") {
  v1::WorkOrder order =
      VisitOrder(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::VISIT_KIND_INSTALLATION);
  order.mutable_application()->set_meter_number("MTR-4400012345");
  const auto intents = Intents(StageReached(order, v1::APPLICATION_STAGE_WORK_DONE));
  CheckIntents(intents, {{"application.work_done",
                          "application.connected",
                          kTicket,
                          TicketOf(kTicket),
                          {{"application", LocValue("新装用电", "new connection")},
                           {"ticket_id", IdValue(kTicket)}}}});
  CHECK(intents[0].source_key == "application:" + kTicket + "/work_done");
  CHECK(Rendered(intents[0], v1::LANGUAGE_ZH_CN) ==
        "【国网电力】尊敬的客户：您的新装用电申请（工单号GC-20261206-000101）已完成装表接电，电表已"
        "安装并已接通供电，感谢您的耐心等待。如有疑问请拨打95598。");
  CHECK(Rendered(intents[0], v1::LANGUAGE_EN) ==
        "[State Grid] Dear customer, for your new connection application (ticket "
        "GC-20261206-000101), your meter has been installed and supply is connected. Thank you for "
        "your patience. For questions, call 95598.");
}

TEST_CASE("Other kinds of application say the work is done") {
  for (const auto kind :
       {v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE, v1::SERVICE_APPLICATION_KIND_METER_RELOCATION,
        v1::SERVICE_APPLICATION_KIND_METER_CHECK}) {
    INFO(v1::ServiceApplicationKind_Name(kind));
    const v1::WorkOrder order = VisitOrder(kind, kind == v1::SERVICE_APPLICATION_KIND_METER_CHECK
                                                     ? v1::VISIT_KIND_METER_CHECK
                                                     : v1::VISIT_KIND_INSTALLATION);
    const auto intents = Intents(StageReached(order, v1::APPLICATION_STAGE_WORK_DONE));
    REQUIRE(intents.size() == 1);
    CHECK(intents[0].trigger == "application.work_done");
    CHECK(intents[0].template_id == "application.work_done");
    CHECK(Rendered(intents[0], v1::LANGUAGE_EN).find("is done") != std::string::npos);
  }
  const auto capacity = Intents(StageReached(
      VisitOrder(v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE, v1::VISIT_KIND_INSTALLATION),
      v1::APPLICATION_STAGE_WORK_DONE));
  REQUIRE(capacity.size() == 1);
  CHECK(Rendered(capacity[0], v1::LANGUAGE_ZH_CN) ==
        "【国网电力】尊敬的客户：您的增减容申请（工单号GC-20261206-000101）现场工作已完成，感谢您的"
        "配合。如有疑问请拨打95598。");
}

TEST_CASE("Other stages say nothing") {
  for (const auto stage : {v1::APPLICATION_STAGE_ACCEPTED, v1::APPLICATION_STAGE_DOCUMENTS_CHECKED,
                           v1::APPLICATION_STAGE_SITE_SURVEYED, v1::APPLICATION_STAGE_CLOSED,
                           v1::APPLICATION_STAGE_UNSPECIFIED}) {
    INFO(v1::ApplicationStage_Name(stage));
    CHECK(Intents(StageReached(VisitOrder(), stage)).empty());
  }
}

TEST_CASE("Application events need no memo and a disabled trigger says nothing") {
  for (const v1::DispatchEvent& event :
       {Booked(VisitOrder()), Reminder(VisitOrder(), "customer"), ClockChanged(true),
        StageReached(VisitOrder(), v1::APPLICATION_STAGE_WORK_DONE)}) {
    CHECK(TriggerRules::MemoKey(event).empty());
  }
  // The memo handed in comes back unchanged.
  IncidentMemo memo;
  memo.started = true;
  CHECK(Shipped().OnDispatch(Booked(VisitOrder()), memo, kNow).memo == memo);
  nlohmann::json json = nlohmann::json::parse(ShippedFile("triggers.json"));
  json["triggers"]["appointment.booked"] = {{"enabled", false}};
  json["triggers"]["application.work_done"] = {{"template", "application.work_done"}};
  auto rules = TriggerRules::FromJson(json.dump(), ShippedCatalogue());
  REQUIRE(rules.ok());
  CHECK(rules->OnDispatch(Booked(VisitOrder()), {}, kNow).intents.empty());
  // Without a new-connection template, a new connection gets the general one.
  const auto done = rules->OnDispatch(
      StageReached(
          VisitOrder(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::VISIT_KIND_INSTALLATION),
          v1::APPLICATION_STAGE_WORK_DONE),
      {}, kNow);
  REQUIRE(done.intents.size() == 1);
  CHECK(done.intents[0].template_id == "application.work_done");
}

}  // namespace gridcare::notification
