// ValidateRequest, CustomerMessageFor and RequestFingerprint: pure functions, no collaborators.
#include "request_validation.h"

#include <google/protobuf/descriptor.h>

#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "intake_fixture.h"

namespace gridcare::intake {
namespace {

using testing::MakeRequest;

std::string Repeat(const std::string& unit, size_t times) {
  std::string out;
  out.reserve(unit.size() * times);
  for (size_t i = 0; i < times; ++i) out += unit;
  return out;
}

/// An acceptable request every case starts from: a hotline call by a known account.
v1::ServiceRequest Valid() {
  auto request = MakeRequest("REQ-VALID-1", v1::CHANNEL_HOTLINE_AGENT, "家里停电了");
  request.mutable_customer()->set_customer_id("3100000001");
  return request;
}

/// A head-end last gasp that is acceptable.
v1::ServiceRequest ValidLastGasp() {
  v1::ServiceRequest request;
  request.set_request_id("HE-1");
  request.set_channel(v1::CHANNEL_METER_HEAD_END);
  request.set_meter_signal(v1::METER_SIGNAL_LAST_GASP);
  request.mutable_customer()->set_meter_number("MTR-1");
  return request;
}

struct RejectCase {
  const char* name;
  std::function<void(v1::ServiceRequest&)> change;
  v1::RejectionReason reason;
  std::string field;
};

}  // namespace

TEST_CASE("the baseline requests used by the validation table are acceptable", "[validation]") {
  CHECK_FALSE(ValidateRequest(Valid()).has_value());
  CHECK_FALSE(ValidateRequest(ValidLastGasp()).has_value());
}

TEST_CASE("ValidateRequest names the reason and the field of every refusal", "[validation]") {
  using R = v1::RejectionReason;
  const std::vector<RejectCase> cases = {
      {"missing request id", [](auto& r) { r.clear_request_id(); },
       R::REJECTION_REASON_MISSING_FIELD, "request_id"},
      {"request id of 129 characters", [](auto& r) { r.set_request_id(std::string(129, 'a')); },
       R::REJECTION_REASON_INVALID_FIELD, "request_id"},
      {"request id with a tab", [](auto& r) { r.set_request_id("REQ\t1"); },
       R::REJECTION_REASON_INVALID_FIELD, "request_id"},
      {"request id with a newline", [](auto& r) { r.set_request_id("REQ-1\n"); },
       R::REJECTION_REASON_INVALID_FIELD, "request_id"},
      {"request id with DEL", [](auto& r) { r.set_request_id(std::string("REQ\x7f", 4)); },
       R::REJECTION_REASON_INVALID_FIELD, "request_id"},
      {"request id with a NUL byte", [](auto& r) { r.set_request_id(std::string("RE\0Q", 4)); },
       R::REJECTION_REASON_INVALID_FIELD, "request_id"},
      {"request id with non-ASCII characters", [](auto& r) { r.set_request_id("请求-1"); },
       R::REJECTION_REASON_INVALID_FIELD, "request_id"},
      {"referenced incident of 129 characters",
       [](auto& r) { r.set_referenced_incident_id(std::string(129, 'I')); },
       R::REJECTION_REASON_INVALID_FIELD, "referenced_incident_id"},
      {"referenced incident with a space", [](auto& r) { r.set_referenced_incident_id("INC 1"); },
       R::REJECTION_REASON_INVALID_FIELD, "referenced_incident_id"},
      {"channel unspecified", [](auto& r) { r.set_channel(v1::CHANNEL_UNSPECIFIED); },
       R::REJECTION_REASON_MISSING_FIELD, "channel"},
      {"channel of an unknown value", [](auto& r) { r.set_channel(static_cast<v1::Channel>(77)); },
       R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "channel"},
      {"negative channel value", [](auto& r) { r.set_channel(static_cast<v1::Channel>(-3)); },
       R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "channel"},
      {"explicit type of an unknown value",
       [](auto& r) { r.set_explicit_type(static_cast<v1::RequestType>(42)); },
       R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "explicit_type"},
      {"application kind of an unknown value",
       [](auto& r) { r.set_application_kind(static_cast<v1::ServiceApplicationKind>(99)); },
       R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "application_kind"},
      {"language of an unknown value",
       [](auto& r) { r.set_language(static_cast<v1::Language>(3)); },
       R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "language"},
      {"meter signal of an unknown value",
       [](auto& r) { r.set_meter_signal(static_cast<v1::MeterSignal>(9)); },
       R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "meter_signal"},
      {"meter signal on a channel that is not the head-end",
       [](auto& r) { r.set_meter_signal(v1::METER_SIGNAL_LAST_GASP); },
       R::REJECTION_REASON_INVALID_FIELD, "meter_signal"},
      {"invalid UTF-8 in the text", [](auto& r) { r.set_text("停电\xff\xfe"); },
       R::REJECTION_REASON_INVALID_UTF8, "text"},
      {"a truncated multi-byte sequence in the text",
       [](auto& r) { r.set_text(std::string("停电").substr(0, 4)); },
       R::REJECTION_REASON_INVALID_UTF8, "text"},
      {"an overlong encoding in the text", [](auto& r) { r.set_text("\xc0\xaf"); },
       R::REJECTION_REASON_INVALID_UTF8, "text"},
      {"an encoded surrogate in the text", [](auto& r) { r.set_text("\xed\xa0\x80"); },
       R::REJECTION_REASON_INVALID_UTF8, "text"},
      {"invalid UTF-8 in the location",
       [](auto& r) { r.mutable_location()->set_full_text("古港横路\x80号"); },
       R::REJECTION_REASON_INVALID_UTF8, "location"},
      {"text of 4001 CJK code points", [](auto& r) { r.set_text(Repeat("电", 4001)); },
       R::REJECTION_REASON_TEXT_TOO_LONG, "text"},
      {"location of 301 code points",
       [](auto& r) { r.mutable_location()->set_full_text(Repeat("路", 301)); },
       R::REJECTION_REASON_TEXT_TOO_LONG, "location.full_text"},
      {"11 attachments",
       [](auto& r) {
         for (int i = 0; i < 11; ++i) r.add_attachments()->set_uri("s3://b/k" + std::to_string(i));
       },
       R::REJECTION_REASON_INVALID_FIELD, "attachments"},
      {"an attachment without uri",
       [](auto& r) {
         r.add_attachments()->set_uri("s3://b/photo.jpg");
         r.add_attachments()->set_media_type("image/jpeg");
       },
       R::REJECTION_REASON_MISSING_FIELD, "attachments[1].uri"},
      {"no customer, no text and no location",
       [](auto& r) {
         r.clear_customer();
         r.clear_text();
         r.clear_location();
       },
       R::REJECTION_REASON_MISSING_FIELD, "customer"},
      {"no customer, no text and an empty location",
       [](auto& r) {
         r.clear_customer();
         r.clear_text();
         r.mutable_location()->set_city("榕州市");
       },
       R::REJECTION_REASON_MISSING_FIELD, "customer"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      auto request = Valid();
      c.change(request);
      const auto rejection = ValidateRequest(request);
      REQUIRE(rejection.has_value());
      CHECK(v1::RejectionReason_Name(rejection->reason) == v1::RejectionReason_Name(c.reason));
      CHECK(rejection->field == c.field);
      CHECK_FALSE(rejection->detail.empty());
    }
  }
}

TEST_CASE("head-end messages need a meter signal and a meter number", "[validation]") {
  SECTION("a head-end message without a signal") {
    auto request = ValidLastGasp();
    request.clear_meter_signal();
    const auto rejection = ValidateRequest(request);
    REQUIRE(rejection.has_value());
    CHECK(rejection->reason == v1::REJECTION_REASON_INVALID_FIELD);
    CHECK(rejection->field == "meter_signal");
  }
  SECTION("a head-end message naming the customer by id instead of meter") {
    auto request = ValidLastGasp();
    request.mutable_customer()->set_customer_id("3100000001");
    const auto rejection = ValidateRequest(request);
    REQUIRE(rejection.has_value());
    CHECK(rejection->reason == v1::REJECTION_REASON_MISSING_FIELD);
    CHECK(rejection->field == "customer.meter_number");
  }
  SECTION("a head-end message without any customer") {
    auto request = ValidLastGasp();
    request.clear_customer();
    const auto rejection = ValidateRequest(request);
    REQUIRE(rejection.has_value());
    CHECK(rejection->reason == v1::REJECTION_REASON_MISSING_FIELD);
    CHECK(rejection->field == "customer.meter_number");
  }
  SECTION("every known signal is accepted from the head-end") {
    for (const auto signal : {v1::METER_SIGNAL_LAST_GASP, v1::METER_SIGNAL_POWER_RESTORED,
                              v1::METER_SIGNAL_VOLTAGE_ANOMALY}) {
      auto request = ValidLastGasp();
      request.set_meter_signal(signal);
      CAPTURE(v1::MeterSignal_Name(signal));
      CHECK_FALSE(ValidateRequest(request).has_value());
    }
  }
}

TEST_CASE("the limits are inclusive: exactly at the limit is accepted", "[validation]") {
  SECTION("a request id of 128 printable characters") {
    auto request = Valid();
    request.set_request_id(std::string(127, 'a') + "~");
    CHECK_FALSE(ValidateRequest(request).has_value());
  }
  SECTION("a text of exactly 4000 CJK code points (12000 bytes)") {
    auto request = Valid();
    request.set_text(Repeat("电", 4000));
    REQUIRE(request.text().size() == 12000);
    CHECK_FALSE(ValidateRequest(request).has_value());
  }
  SECTION("a text of 4000 four-byte code points") {
    auto request = Valid();
    request.set_text(Repeat("\xF0\x9F\x94\x8C", 4000));  // U+1F50C electric plug
    CHECK_FALSE(ValidateRequest(request).has_value());
    request.set_text(request.text() + "\xF0\x9F\x94\x8C");
    REQUIRE(ValidateRequest(request).has_value());
    CHECK(ValidateRequest(request)->reason == v1::REJECTION_REASON_TEXT_TOO_LONG);
  }
  SECTION("a location of exactly 300 code points") {
    auto request = Valid();
    request.mutable_location()->set_full_text(Repeat("路", 300));
    CHECK_FALSE(ValidateRequest(request).has_value());
  }
  SECTION("exactly 10 attachments") {
    auto request = Valid();
    for (int i = 0; i < 10; ++i) request.add_attachments()->set_uri("s3://b/k" + std::to_string(i));
    CHECK_FALSE(ValidateRequest(request).has_value());
  }
}

TEST_CASE("configured limits replace the defaults", "[validation]") {
  ValidationLimits limits;
  limits.max_text_code_points = 10;
  limits.max_request_id_length = 8;
  limits.max_attachments = 1;

  auto request = Valid();
  request.set_request_id("REQ-1234");
  request.set_text(Repeat("电", 10));
  request.add_attachments()->set_uri("s3://b/1");
  CHECK_FALSE(ValidateRequest(request, limits).has_value());

  auto long_id = request;
  long_id.set_request_id("REQ-12345");
  REQUIRE(ValidateRequest(long_id, limits).has_value());
  CHECK(ValidateRequest(long_id, limits)->field == "request_id");

  auto long_text = request;
  long_text.set_text(Repeat("电", 11));
  REQUIRE(ValidateRequest(long_text, limits).has_value());
  CHECK(ValidateRequest(long_text, limits)->reason == v1::REJECTION_REASON_TEXT_TOO_LONG);
  CHECK_THAT(ValidateRequest(long_text, limits)->detail, Catch::Contains("10"));

  auto two_attachments = request;
  two_attachments.add_attachments()->set_uri("s3://b/2");
  REQUIRE(ValidateRequest(two_attachments, limits).has_value());
  CHECK(ValidateRequest(two_attachments, limits)->field == "attachments");
}

TEST_CASE("a request with only a text, or only a location, needs no customer", "[validation]") {
  auto text_only = Valid();
  text_only.clear_customer();
  CHECK_FALSE(ValidateRequest(text_only).has_value());

  auto location_only = Valid();
  location_only.clear_customer();
  location_only.clear_text();
  location_only.mutable_location()->set_full_text("古港横路 115 号门口");
  CHECK_FALSE(ValidateRequest(location_only).has_value());

  auto customer_only = Valid();
  customer_only.clear_text();
  CHECK_FALSE(ValidateRequest(customer_only).has_value());
}

TEST_CASE("the first problem found is the one reported", "[validation]") {
  // Missing request id comes before an unknown channel and an oversize text.
  auto request = Valid();
  request.clear_request_id();
  request.set_channel(static_cast<v1::Channel>(77));
  request.set_text(Repeat("电", 5000));
  REQUIRE(ValidateRequest(request).has_value());
  CHECK(ValidateRequest(request)->field == "request_id");

  // Invalid UTF-8 is reported rather than a length (counting code points of bad bytes is moot).
  auto bad = Valid();
  bad.set_text(Repeat("电", 5000) + "\xff");
  REQUIRE(ValidateRequest(bad).has_value());
  CHECK(ValidateRequest(bad)->reason == v1::REJECTION_REASON_INVALID_UTF8);
}

TEST_CASE("every rejection reason has a customer message in Chinese and English", "[validation]") {
  const auto* descriptor = v1::RejectionReason_descriptor();
  std::set<std::string> distinct_zh;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto reason = static_cast<v1::RejectionReason>(descriptor->value(i)->number());
    CAPTURE(v1::RejectionReason_Name(reason));
    const auto message = CustomerMessageFor({reason, "field", "detail"});
    CHECK_FALSE(message.zh_cn().empty());
    CHECK_FALSE(message.en().empty());
    // Customer messages never echo operator details.
    CHECK_THAT(message.en(), !Catch::Contains("detail"));
    distinct_zh.insert(message.zh_cn());
  }
  // Unknown customer, ambiguous customer, too long, duplicate conflict and the generic one.
  CHECK(distinct_zh.size() == 5);
  CHECK_THAT(CustomerMessageFor({v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER, "", ""}).en(),
             Catch::Contains("several accounts"));
  CHECK_THAT(CustomerMessageFor({v1::REJECTION_REASON_TEXT_TOO_LONG, "", ""}).zh_cn(),
             Catch::Contains("过长"));
}

TEST_CASE("the request fingerprint is stable and reflects what the customer said", "[validation]") {
  const auto base = Valid();
  const std::string fingerprint = RequestFingerprint(base);
  CHECK(fingerprint.size() == 16);
  CHECK(fingerprint.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(RequestFingerprint(base) == fingerprint);
  CHECK(RequestFingerprint(v1::ServiceRequest(base)) == fingerprint);

  SECTION("not sensitive to when or how the channel published it") {
    auto later = base;
    later.mutable_received_at()->set_seconds(base.received_at().seconds() + 3600);
    CHECK(RequestFingerprint(later) == fingerprint);
    auto traced = base;
    traced.set_channel_reference("call-7781");
    traced.set_agent_id("agent-12");
    CHECK(RequestFingerprint(traced) == fingerprint);
  }
  SECTION("sensitive to content and identity") {
    const std::vector<std::pair<const char*, std::function<void(v1::ServiceRequest&)>>> changes = {
        {"text", [](auto& r) { r.set_text("家里停电了！"); }},
        {"customer id", [](auto& r) { r.mutable_customer()->set_customer_id("3100000002"); }},
        {"customer by phone", [](auto& r) { r.mutable_customer()->set_phone("3100000001"); }},
        {"explicit type", [](auto& r) { r.set_explicit_type(v1::REQUEST_TYPE_COMPLAINT); }},
        {"channel", [](auto& r) { r.set_channel(v1::CHANNEL_WECHAT); }},
        {"location", [](auto& r) { r.mutable_location()->set_full_text("古港横路 1 号"); }},
        {"meter signal", [](auto& r) { r.set_meter_signal(v1::METER_SIGNAL_LAST_GASP); }},
    };
    for (const auto& [what, change] : changes) {
      auto changed = base;
      change(changed);
      CAPTURE(what);
      CHECK(RequestFingerprint(changed) != fingerprint);
    }
  }
  SECTION("field boundaries are not ambiguous") {
    auto a = base;
    a.set_text("ab");
    a.mutable_location()->set_full_text("c");
    auto b = base;
    b.set_text("a");
    b.mutable_location()->set_full_text("bc");
    CHECK(RequestFingerprint(a) != RequestFingerprint(b));
  }
}

}  // namespace gridcare::intake

namespace gridcare::intake {
namespace {

TEST_CASE("a preferred appointment window has both ends and ends after it starts", "[validation]") {
  auto request = Valid();
  request.set_explicit_type(v1::REQUEST_TYPE_SERVICE_APPLICATION);
  request.set_application_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  request.mutable_preferred_appointment_start()->set_seconds(1'800'000'000);
  auto rejection = ValidateRequest(request);
  REQUIRE(rejection);
  CHECK(rejection->reason == v1::REJECTION_REASON_MISSING_FIELD);
  CHECK(rejection->field == "preferred_appointment_end");
  request.mutable_preferred_appointment_end()->set_seconds(1'800'000'000);
  rejection = ValidateRequest(request);
  REQUIRE(rejection);
  CHECK(rejection->reason == v1::REJECTION_REASON_INVALID_FIELD);
  CHECK(rejection->field == "preferred_appointment_end");
  request.mutable_preferred_appointment_end()->set_seconds(1'800'010'800);
  CHECK_FALSE(ValidateRequest(request));
  request.clear_preferred_appointment_start();
  rejection = ValidateRequest(request);
  REQUIRE(rejection);
  CHECK(rejection->field == "preferred_appointment_start");
}

}  // namespace
}  // namespace gridcare::intake
