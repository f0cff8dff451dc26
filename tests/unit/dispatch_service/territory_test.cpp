// Territories: which feeder's calls go where (pure), and the router that forwards intake's and
// the crews' records to the territory topic.
#include "territory.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dispatcher_fixture.h"
#include "grpc_territory_peers.h"
#include "territory_router.h"

namespace gridcare::dispatch {
namespace {

using namespace test;

v1::IntakeEvent OpenedEvent(const v1::Ticket& ticket) {
  v1::IntakeEvent event;
  *event.mutable_ticket_opened()->mutable_ticket() = ticket;
  return event;
}

TEST_CASE("a ticket's territory is its feeder and falls back to transformer then ticket",
          "[territory]") {
  v1::Ticket ticket = FaultTicket("t1", "c1", "F1", "T1", T0());
  CHECK(TerritoryOf(ticket) == "feeder:F1");
  ticket.mutable_supply()->clear_feeder_id();
  CHECK(TerritoryOf(ticket) == "transformer:T1");
  ticket.clear_supply();
  CHECK(TerritoryOf(ticket) == "ticket:t1");
  CHECK(TerritoryOf(v1::SupplyPoint{}).empty());
}

TEST_CASE("territory partitions are stable and spread feeders over every partition",
          "[territory]") {
  // FNV-1a of "feeder:F1": fixed, so every instance and every future build agrees.
  CHECK(TerritoryPartition("feeder:F1", 12) == TerritoryPartition("feeder:F1", 12));
  CHECK(TerritoryPartition("", 12) == static_cast<int32_t>(2166136261U % 12U));
  CHECK(TerritoryPartition("feeder:F1", 1) == 0);
  CHECK(TerritoryPartition("feeder:F1", 0) == 0);
  std::map<int32_t, int> counts;
  for (int i = 0; i < 1200; ++i) {
    const int32_t partition = TerritoryPartition("feeder:FDR-" + std::to_string(i), 12);
    REQUIRE(partition >= 0);
    REQUIRE(partition < 12);
    ++counts[partition];
  }
  REQUIRE(counts.size() == 12);
  for (const auto& [partition, count] : counts) {
    INFO("partition " << partition);
    CHECK(count > 50);  // 100 expected each; FNV-1a spreads similar names well
    CHECK(count < 150);
  }
}

TEST_CASE("fault tickets route to one territory and other intake events nowhere", "[territory]") {
  const auto ticket = FaultTicket("t1", "c1", "F1", "T1", T0());
  auto route = RouteIntakeEvent(OpenedEvent(ticket), 12);
  CHECK(route.outcome == "one_territory");
  CHECK(route.key == "feeder:F1");
  CHECK(route.partitions == std::vector<int32_t>{TerritoryPartition("feeder:F1", 12)});

  v1::Ticket complaint = ticket;
  complaint.set_type(v1::REQUEST_TYPE_COMPLAINT);
  CHECK(RouteIntakeEvent(OpenedEvent(complaint), 12).partitions.empty());
  CHECK(RouteIntakeEvent(OpenedEvent(complaint), 12).outcome == "not_dispatch");

  v1::IntakeEvent contact;
  contact.mutable_contact_added()->set_ticket_id("t1");
  CHECK(RouteIntakeEvent(contact, 12).partitions.empty());

  // A closed fault ticket (a meter's "power restored") still goes: dispatch counts what it ignores.
  v1::Ticket closed = ticket;
  closed.set_state(v1::TICKET_STATE_CLOSED);
  CHECK(RouteIntakeEvent(OpenedEvent(closed), 12).partitions.size() == 1);
}

TEST_CASE("crew reports route to every territory keyed by crew", "[territory]") {
  for (const auto& event : {Accepted("CREW-1", "WO-1"), Declined("CREW-1", "WO-1"),
                            EnRoute("CREW-1", "WO-1"), OnSite("CREW-1", "WO-1"),
                            Completed("CREW-1", "WO-1", true), LocationReported("CREW-1", 1)}) {
    const auto route = RouteCrewEvent(event, 3);
    CHECK(route.outcome == "all_territories");
    CHECK(route.key == "CREW-1");
    CHECK(route.partitions == std::vector<int32_t>{0, 1, 2});
  }
  v1::CrewEvent availability;
  availability.mutable_availability_changed()->set_crew_id("CREW-2");
  CHECK(RouteCrewEvent(availability, 1).key == "CREW-2");
  CHECK(RouteCrewEvent(availability, 1).partitions == std::vector<int32_t>{0});
}

kafka::ConsumedMessage Record(std::string_view topic, std::string value) {
  kafka::ConsumedMessage message;
  message.topic = std::string(topic);
  message.partition = 5;
  message.offset = 99;
  message.value = std::move(value);
  message.headers = {{"ce_id", "evt-1"}, {"traceparent", kTraceparent}};
  return message;
}

TEST_CASE("the router forwards a fault ticket unchanged to its territory's partition",
          "[territory][router]") {
  kafka::RecordingPublisher publisher;
  TerritoryRouter router(publisher, 12, nullptr);
  const auto value = OpenedEvent(FaultTicket("t1", "c1", "F1", "T1", T0())).SerializeAsString();
  REQUIRE(router.Handle(Record(kafka::kIntakeTopic, value)).disposition == Disposition::kDone);
  const auto records = publisher.records();
  REQUIRE(records.size() == 1);
  CHECK(records[0].topic == kafka::kDispatchTerritoryTopic);
  CHECK(records[0].partition == TerritoryPartition("feeder:F1", 12));
  CHECK(records[0].key == "feeder:F1");
  CHECK(records[0].value == value);
  CHECK(HeaderOr(records[0].headers, "ce_id") == "evt-1");
  CHECK(HeaderOr(records[0].headers, "traceparent") == kTraceparent);
  CHECK(HeaderOr(records[0].headers, kOriginTopicHeader) == kafka::kIntakeTopic);
}

TEST_CASE("the router copies a crew report to every partition and skips other intake events",
          "[territory][router]") {
  kafka::RecordingPublisher publisher;
  TerritoryRouter router(publisher, 4, nullptr);
  const auto report = Accepted("CREW-1", "WO-1").SerializeAsString();
  REQUIRE(router.Handle(Record(kafka::kCrewTopic, report)).disposition == Disposition::kDone);
  std::set<int32_t> partitions;
  for (const auto& record : publisher.records()) {
    partitions.insert(record.partition);
    CHECK(record.value == report);
    CHECK(HeaderOr(record.headers, kOriginTopicHeader) == kafka::kCrewTopic);
  }
  CHECK(partitions == std::set<int32_t>{0, 1, 2, 3});

  publisher.Clear();
  v1::IntakeEvent contact;
  contact.mutable_contact_added()->set_ticket_id("t1");
  CHECK(router.Handle(Record(kafka::kIntakeTopic, contact.SerializeAsString())).disposition ==
        Disposition::kDone);
  CHECK(publisher.records().empty());
}

TEST_CASE("the router dead-letters records that do not decode", "[territory][router]") {
  kafka::RecordingPublisher publisher;
  TerritoryRouter router(publisher, 4, nullptr);
  CHECK(router.Handle(Record(kafka::kIntakeTopic, "\xff\xff")).disposition ==
        Disposition::kDeadLetter);
  // A crew event without a known case cannot be judged.
  CHECK(router.Handle(Record(kafka::kCrewTopic, "")).disposition == Disposition::kDeadLetter);
  CHECK(publisher.records().empty());
}

}  // namespace
}  // namespace gridcare::dispatch

namespace gridcare::dispatch {
namespace {

TEST_CASE("the address other instances forward console actions to", "[territory][forward]") {
  CHECK(PeerAddress("10.2.3.4", "0.0.0.0:50051", "dispatch-7", 50051) == "10.2.3.4:50051");
  CHECK(PeerAddress("", "127.0.0.1:0", "dispatch-7", 40123) == "127.0.0.1:40123");
  CHECK(PeerAddress("", "0.0.0.0:50051", "dispatch-7", 50051) == "dispatch-7:50051");
  CHECK(PeerAddress("", "[::]:50051", "dispatch-7", 50051) == "dispatch-7:50051");
  CHECK(PeerAddress("fd00::2a", "[::]:50051", "dispatch-7", 50051) == "[fd00::2a]:50051");
  CHECK(PeerAddress("[fd00::2a]", "", "dispatch-7", 50051) == "[fd00::2a]:50051");
  CHECK(GrpcTerritoryPeers::OwnerKey(3) == "dispatch:t3:owner");
}

}  // namespace
}  // namespace gridcare::dispatch
