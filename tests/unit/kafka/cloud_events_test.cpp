#include "gridcare/kafka/cloud_events.h"

#include <catch2/catch.hpp>
#include <set>

#include "gridcare/v1/intake.pb.h"

using gridcare::core::FromUnixMillis;
using gridcare::core::ToUnixMillis;
namespace kafka = gridcare::kafka;

TEST_CASE("CloudEvents metadata round-trips through Kafka headers") {
  kafka::EventMetadata metadata;
  metadata.id = "0192f1a2-0000-7000-8000-000000000001";
  metadata.type = "gridcare.ticket.opened.v1";
  metadata.source = "/gridcare/intake";
  metadata.subject = "GC-20261124-000001";
  metadata.time = FromUnixMillis(1'795'000'000'123);
  metadata.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  const auto headers = kafka::ToHeaders(metadata);
  CHECK(kafka::FindHeader(headers, "ce_specversion") == "1.0");
  CHECK(kafka::FindHeader(headers, "content-type") == "application/protobuf");
  CHECK(kafka::FindHeader(headers, "ce_time") == "2026-11-18T11:06:40.123Z");

  auto parsed = kafka::ParseMetadata(headers);
  REQUIRE(parsed.ok());
  CHECK(parsed->id == metadata.id);
  CHECK(parsed->type == metadata.type);
  CHECK(parsed->source == metadata.source);
  CHECK(parsed->subject == metadata.subject);
  CHECK(parsed->traceparent == metadata.traceparent);
  CHECK(ToUnixMillis(parsed->time) == 1'795'000'000'123);
}

TEST_CASE("missing required CloudEvents headers are named in the error") {
  kafka::Headers headers = {{"ce_type", "t"}, {"ce_source", "/s"}};
  auto result = kafka::ParseMetadata(headers);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == gridcare::core::ErrorKind::kInvalidArgument);
  CHECK_THAT(result.error().message, Catch::Contains("ce_id"));

  headers = {{"ce_id", "1"}, {"ce_source", "/s"}};
  CHECK_THAT(kafka::ParseMetadata(headers).error().message, Catch::Contains("ce_type"));
  headers = {{"ce_id", "1"}, {"ce_type", "t"}};
  CHECK_THAT(kafka::ParseMetadata(headers).error().message, Catch::Contains("ce_source"));
  headers = {{"ce_id", "1"}, {"ce_type", "t"}, {"ce_source", "/s"}, {"ce_time", "yesterday"}};
  CHECK_THAT(kafka::ParseMetadata(headers).error().message, Catch::Contains("ce_time"));
}

TEST_CASE("the last value of a repeated header wins") {
  kafka::Headers headers = {{"ce_id", "first"}, {"ce_id", "second"}};
  CHECK(kafka::FindHeader(headers, "ce_id") == "second");
  CHECK_FALSE(kafka::FindHeader(headers, "absent").has_value());
}

TEST_CASE("RFC 3339 parsing accepts zones and fractions and rejects the rest") {
  auto millis = [](std::string_view text) {
    auto parsed = kafka::ParseRfc3339(text);
    REQUIRE(parsed.ok());
    return ToUnixMillis(*parsed);
  };
  CHECK(millis("1970-01-01T00:00:00Z") == 0);
  CHECK(millis("1970-01-01T00:00:01.5Z") == 1500);
  CHECK(millis("1970-01-01T08:00:00+08:00") == 0);
  CHECK(millis("1969-12-31T19:00:00-05:00") == 0);
  CHECK(millis("2026-11-24T01:53:10.123456789Z") == 1'795'485'190'123);
  CHECK(millis("2026-11-24t01:53:10z") == 1'795'485'190'000);
  for (const char* bad :
       {"", "2026-11-24", "2026-11-24T01:53:10", "2026-13-01T00:00:00Z", "2026-11-24T25:00:00Z",
        "2026-11-24T01:53:10.Z", "2026-11-24T01:53:10+0800", "not a time at all, clearly"}) {
    INFO(bad);
    CHECK_FALSE(kafka::ParseRfc3339(bad).ok());
  }
}

TEST_CASE("traceparent: new roots are well formed and children keep the trace id") {
  const std::string root = kafka::NewTraceparent();
  REQUIRE(root.size() == 55);
  CHECK(root.substr(0, 3) == "00-");
  CHECK(root.substr(52) == "-01");
  const std::string child = kafka::ChildTraceparent(root);
  CHECK(child.substr(0, 35) == root.substr(0, 35));
  CHECK(child.substr(36, 16) != root.substr(36, 16));
  // Malformed or all-zero parents start a new trace instead of propagating garbage.
  CHECK(kafka::ChildTraceparent("garbage").size() == 55);
  const std::string zero = "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
  CHECK(kafka::ChildTraceparent(zero).substr(3, 32) != zero.substr(3, 32));
}

TEST_CASE("derived event ids are deterministic, distinct and UUID-shaped") {
  const auto a = kafka::DeriveEventId("parent-1", "ticket_opened");
  CHECK(a == kafka::DeriveEventId("parent-1", "ticket_opened"));
  CHECK(a.size() == 36);
  CHECK(a[14] == '8');
  std::set<std::string> ids;
  for (int i = 0; i < 10'000; ++i) ids.insert(kafka::DeriveEventId("p" + std::to_string(i), "x"));
  ids.insert(kafka::DeriveEventId("parent-1", "contact_added"));
  ids.insert(kafka::DeriveEventId("ticket_opened", "parent-1"));
  CHECK(ids.size() == 10'002);
}

TEST_CASE("MakeRecord serializes the event and attaches headers") {
  gridcare::v1::IntakeEvent event;
  event.mutable_ticket_opened()->mutable_ticket()->set_ticket_id("GC-1");
  kafka::EventMetadata metadata{"id-1", "gridcare.ticket.opened.v1", "/gridcare/intake",
                                "GC-1", FromUnixMillis(0),           ""};
  const auto record = kafka::MakeRecord("gridcare.intake.v1", "GC-1", metadata, event);
  CHECK(record.topic == "gridcare.intake.v1");
  CHECK(record.key == "GC-1");
  gridcare::v1::IntakeEvent parsed;
  REQUIRE(parsed.ParseFromString(record.value));
  CHECK(parsed.ticket_opened().ticket().ticket_id() == "GC-1");
  // An empty traceparent is replaced by a fresh root so every event can be traced.
  CHECK(kafka::FindHeader(record.headers, "traceparent")->size() == 55);
}
