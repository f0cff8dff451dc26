// The Kafka edges of dispatch: intake and crew records parsed and handed to the Dispatcher, with
// the consumed record's ce_id (or its topic/partition/offset) as the input's id.
#include "event_handlers.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "dispatcher_fixture.h"

namespace gridcare::dispatch {
namespace {

using namespace test;
using Strs = std::vector<std::string>;

kafka::ConsumedMessage Message(std::string topic, const std::string& value,
                               const std::string& ce_id) {
  kafka::ConsumedMessage message;
  message.topic = std::move(topic);
  message.partition = 7;
  message.offset = 4242;
  message.value = value;
  if (!ce_id.empty()) message.headers.emplace_back("ce_id", ce_id);
  message.headers.emplace_back("traceparent", kTraceparent);
  return message;
}

std::string Opened(const v1::Ticket& ticket) {
  v1::IntakeEvent event;
  *event.mutable_ticket_opened()->mutable_ticket() = ticket;
  return event.SerializeAsString();
}

TEST_CASE("the intake handler correlates opened fault tickets under the record's ce_id",
          "[dispatcher][handlers]") {
  Harness h;
  IntakeEventHandler handler(h.d());
  const auto value = Opened(FaultTicket("t1", "c1", "F1", "T1", h.Now()));
  CHECK(handler.Handle(Message(std::string(kafka::kIntakeTopic), value, "ce-1")).disposition ==
        Disposition::kDone);
  const auto first = h.Take();
  CHECK(Count(first, ce::kIncidentOpened) == 1);
  for (const auto& e : first) {
    CHECK_THAT(e.traceparent, Catch::Contains("4bf92f3577b34da6a3ce929d0e0e4736"));
  }
  // The same record again: the same events.
  CHECK(handler.Handle(Message(std::string(kafka::kIntakeTopic), value, "ce-1")).disposition ==
        Disposition::kDone);
  const auto again = h.Take();
  REQUIRE(again.size() == first.size());
  CHECK(again[0].ce_id == first[0].ce_id);
}

TEST_CASE("the intake handler decides a poll batch together up to a record that does not parse",
          "[dispatcher][handlers]") {
  Harness h;
  IntakeEventHandler handler(h.d());
  const std::string topic(kafka::kIntakeTopic);
  v1::IntakeEvent contact;
  contact.mutable_contact_added()->set_ticket_id("t1");
  const std::vector<kafka::ConsumedMessage> batch = {
      Message(topic, Opened(FaultTicket("t1", "c1", "F1", "T1", h.Now())), "ce-1"),
      Message(topic, contact.SerializeAsString(), "ce-2"),
      Message(topic, Opened(FaultTicket("t2", "c2", "F1", "T2", h.Now())), "ce-3"),
      Message(topic, "\xff\xff not protobuf", "ce-4"),
      Message(topic, Opened(FaultTicket("t3", "c3", "F1", "T3", h.Now())), "ce-5")};
  const auto results = handler.HandleBatch(batch);
  REQUIRE(results.size() == 3);  // the garbage record is left to Handle, which dead-letters it
  for (const auto& result : results) CHECK(result.disposition == Disposition::kDone);
  CHECK(Count(h.Take(), ce::kIncidentOpened) == 2);
  CHECK(h.Snapshot().journal.size() == 2);
  CHECK(h.store.commits == 1);
  const auto rest = handler.HandleBatch(std::span(batch).subspan(4));
  REQUIRE(rest.size() == 1);
  CHECK(h.Snapshot().journal.size() == 3);
}

TEST_CASE("the intake handler ignores other intake events and dead-letters garbage",
          "[dispatcher][handlers]") {
  Harness h;
  IntakeEventHandler handler(h.d());
  v1::IntakeEvent contact;
  contact.mutable_contact_added()->set_ticket_id("t1");
  CHECK(
      handler.Handle(Message(std::string(kafka::kIntakeTopic), contact.SerializeAsString(), "ce-2"))
          .disposition == Disposition::kDone);
  const auto garbage =
      handler.Handle(Message(std::string(kafka::kIntakeTopic), "\xff\xff\xff", "ce-3"));
  CHECK(garbage.disposition == Disposition::kDeadLetter);
  CHECK(garbage.reason == "malformed_protobuf");
  CHECK(h.Take().empty());
  CHECK(h.store.commits == 0);
}

TEST_CASE(
    "the crew handler hands reports to the dispatcher and dead-letters empty or garbage "
    "records",
    "[dispatcher][handlers]") {
  Harness h;
  h.Roster({MakeCrew("CREW-A", 1, h.Now())});
  h.CallNow("t1", "c1");
  (void)h.Take();
  CrewEventHandler handler(h.d());
  CHECK(handler
            .Handle(Message(std::string(kafka::kCrewTopic),
                            OnSite("CREW-A", "WO-S-t1").SerializeAsString(), "crew-ce-1"))
            .disposition == Disposition::kDone);
  CHECK(h.Order("WO-S-t1")->state() == v1::WORK_ORDER_STATE_ON_SITE);
  CHECK(One(h.Take(), ce::kIncidentUpdated).event.incident_updated().change() == "crew_on_site");
  const auto empty = handler.Handle(Message(std::string(kafka::kCrewTopic), "", "crew-ce-2"));
  CHECK(empty.disposition == Disposition::kDeadLetter);
  CHECK(empty.reason == "unknown_event");
  const auto garbage =
      handler.Handle(Message(std::string(kafka::kCrewTopic), "\xff\xff", "crew-ce-3"));
  CHECK(garbage.disposition == Disposition::kDeadLetter);
}

TEST_CASE("a record without a ce_id is known by its topic, partition and offset",
          "[dispatcher][handlers]") {
  CHECK(SourceEventId(Message("gridcare.crew.v1", "", "")) == "gridcare.crew.v1/7/4242");
  CHECK(SourceEventId(Message("gridcare.crew.v1", "", "ce-9")) == "ce-9");
}

}  // namespace
}  // namespace gridcare::dispatch
