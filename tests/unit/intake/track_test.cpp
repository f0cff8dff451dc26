// IntakeCore.Track: "where is my request?" by ticket number or by the channel's request id.
#include <google/protobuf/util/message_differencer.h>

#include <catch2/catch.hpp>

#include "intake_fixture.h"

namespace gridcare::intake {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::Harness;
using testing::MakeCustomer;
using testing::MakeRequest;
using namespace std::chrono_literals;

constexpr const char* kCustomer = "3100000001";

v1::ServiceRequest FaultCall(const std::string& id) {
  auto request = MakeRequest(id, v1::CHANNEL_HOTLINE_IVR, "家里停电了，整栋楼都没电");
  request.mutable_customer()->set_customer_id(kCustomer);
  return request;
}

v1::TrackRequest ByTicket(const std::string& id) {
  v1::TrackRequest track;
  track.set_ticket_id(id);
  return track;
}

v1::TrackRequest ByRequest(const std::string& id) {
  v1::TrackRequest track;
  track.set_request_id(id);
  return track;
}

}  // namespace

TEST_CASE("Track finds a ticket by its number and by the request that opened it", "[track]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto opened = h.Accept(FaultCall("REQ-T-1"));

  const auto by_ticket = h.core.Track(ByTicket(opened.ticket_id()));
  REQUIRE(by_ticket.ok());
  CHECK(MessageDifferencer::Equals(by_ticket->ticket(), opened.ticket()));
  REQUIRE(by_ticket->timeline_size() == 1);
  CHECK(by_ticket->timeline(0).state() == v1::TICKET_STATE_OPEN);
  CHECK_THAT(by_ticket->timeline(0).description().en(), Catch::Contains(opened.ticket_id()));
  CHECK_THAT(by_ticket->timeline(0).description().zh_cn(), Catch::Contains(opened.ticket_id()));

  const auto by_request = h.core.Track(ByRequest("REQ-T-1"));
  REQUIRE(by_request.ok());
  CHECK(MessageDifferencer::Equals(*by_request, *by_ticket));
}

TEST_CASE("Track by a request that was attached shows the ticket it joined", "[track]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  const auto opened = h.Accept(FaultCall("REQ-T-1"));
  h.clock.Advance(20min);
  auto urge = MakeRequest("REQ-T-2", v1::CHANNEL_WECHAT, "催一下");
  urge.set_explicit_type(v1::REQUEST_TYPE_URGING);
  urge.mutable_customer()->set_customer_id(kCustomer);
  h.Accept(urge);

  const auto found = h.core.Track(ByRequest("REQ-T-2"));
  REQUIRE(found.ok());
  CHECK(found->ticket().ticket_id() == opened.ticket_id());
  CHECK(found->ticket().urging_count() == 1);
  REQUIRE(found->timeline_size() == 2);
  // In time order: the opening first, then the urging.
  CHECK(found->timeline(0).event_type() == "gridcare.ticket.opened.v1");
  CHECK(found->timeline(1).event_type() == "gridcare.ticket.contact_added.v1");
  CHECK(found->timeline(1).at().seconds() - found->timeline(0).at().seconds() == 20 * 60);
}

TEST_CASE("Track answers NOT_FOUND for unknown tickets and requests", "[track]") {
  Harness h;
  h.profiles.Add(MakeCustomer(kCustomer));
  h.Accept(FaultCall("REQ-T-1"));

  const auto no_ticket = h.core.Track(ByTicket("GC-19990101-000001"));
  REQUIRE_FALSE(no_ticket.ok());
  CHECK(no_ticket.error().kind == core::ErrorKind::kNotFound);
  CHECK_THAT(no_ticket.error().message, Catch::Contains("GC-19990101-000001"));

  const auto no_request = h.core.Track(ByRequest("REQ-NEVER-SEEN"));
  REQUIRE_FALSE(no_request.ok());
  CHECK(no_request.error().kind == core::ErrorKind::kNotFound);
}

TEST_CASE("Track needs a ticket number or a request id", "[track]") {
  Harness h;
  SECTION("neither is set") {
    const auto found = h.core.Track(v1::TrackRequest{});
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().kind == core::ErrorKind::kInvalidArgument);
  }
  SECTION("the ticket number is set but empty") {
    const auto found = h.core.Track(ByTicket(""));
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().kind == core::ErrorKind::kInvalidArgument);
  }
}

}  // namespace gridcare::intake
