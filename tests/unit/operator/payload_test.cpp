#include "payload.h"

#include <catch2/catch.hpp>

#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/profile.pb.h"
#include "gridcare/v1/request.pb.h"

namespace ops = gridcare::ops;
namespace v1 = gridcare::v1;

namespace {

v1::RequestEvent CallerRequest() {
  v1::RequestEvent event;
  auto* request = event.mutable_submitted();
  request->set_request_id("R-1");
  request->mutable_customer()->set_phone("13812345678");
  request->set_callback_phone("13987654321");
  request->set_text("停电了，请回电 139 8765 4321");
  request->mutable_location()->set_full_text("广州市天河区体育西路 191 号 3 栋 502");
  return event;
}

}  // namespace

TEST_CASE("each event topic has its event type") {
  CHECK(ops::NewEventFor("gridcare.requests.v1")->GetDescriptor()->full_name() ==
        "gridcare.v1.RequestEvent");
  CHECK(ops::NewEventFor("gridcare.intake.v1")->GetDescriptor()->full_name() ==
        "gridcare.v1.IntakeEvent");
  CHECK(ops::NewEventFor("gridcare.alert.v1")->GetDescriptor()->full_name() ==
        "gridcare.v1.AlertEvent");
  CHECK(ops::NewEventFor("gridcare.dlq.intake.v1") == nullptr);
}

TEST_CASE("phone numbers names and house numbers are masked anywhere in an event") {
  auto event = CallerRequest();
  ops::MaskPersonalData(event);
  const auto& request = event.submitted();
  CHECK(request.customer().phone() == "138****5678");
  CHECK(request.callback_phone() == "139****4321");
  CHECK(request.text().find("8765") == std::string::npos);
  CHECK(request.text().find("停电了") != std::string::npos);
  CHECK(request.location().full_text() == "广州市天河区体育西路 *** 号 * 栋 ***");
  CHECK(request.request_id() == "R-1");

  v1::Customer customer;
  customer.set_name("张三丰");
  customer.add_phones("13812345678");
  customer.add_phones("020-12345678");
  ops::MaskPersonalData(customer);
  CHECK(customer.name() == "张**");
  CHECK(customer.phones(0) == "138****5678");
  CHECK(customer.phones(1) == "020-****5678");
}

TEST_CASE("a value is decoded as its source topic's event and masked unless revealed") {
  const std::string bytes = CallerRequest().SerializeAsString();
  const auto masked = ops::DecodeValue("gridcare.requests.v1", bytes, false);
  REQUIRE(masked.decoded);
  CHECK(masked.masked);
  CHECK(masked.type == "gridcare.v1.RequestEvent");
  CHECK(masked.json["submitted"]["customer"]["phone"] == "138****5678");
  CHECK(masked.json.dump().find("13812345678") == std::string::npos);

  const auto revealed = ops::DecodeValue("gridcare.requests.v1", bytes, true);
  REQUIRE(revealed.decoded);
  CHECK_FALSE(revealed.masked);
  CHECK(revealed.json["submitted"]["customer"]["phone"] == "13812345678");
}

TEST_CASE("a value that does not parse or comes from an unknown topic is not shown") {
  const auto garbage =
      ops::DecodeValue("gridcare.intake.v1", std::string("\x0a\xff\x01", 3), false);
  CHECK_FALSE(garbage.decoded);
  CHECK(garbage.json.is_null());
  CHECK(garbage.note.find("do not parse as gridcare.v1.IntakeEvent") != std::string::npos);

  const auto unknown = ops::DecodeValue("", "x", false);
  CHECK_FALSE(unknown.decoded);
  CHECK(unknown.note.find("source topic is not known") != std::string::npos);
}
