#include "gridcare/sla/standards.h"

#include <catch2/catch.hpp>
#include <string>

using namespace gridcare;
using namespace gridcare::sla;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

std::string StandardsError(const std::string& json) {
  auto result = ServiceStandards::FromJson(json);
  if (result.ok()) return "";
  CHECK(result.error().kind == core::ErrorKind::kInvalidArgument);
  return result.error().message;
}

}  // namespace

TEST_CASE("default standards are the SGCC commitments") {
  const ServiceStandards s;
  CHECK(s.arrival_urban == 45min);
  CHECK(s.arrival_rural == 90min);
  CHECK(s.arrival_remote == 120min);
  CHECK(s.restoration_urban == 3h);
  CHECK(s.restoration_rural == 4h);
  CHECK(s.restoration_remote == 4h);
  CHECK(s.complaint_contact == 24h);
  CHECK(s.complaint_reply_working_days == 5);
  CHECK(s.new_connection_residential_working_days == 5);
  CHECK(s.new_connection_non_residential_working_days == 6);
  CHECK(s.meter_dispute_working_days == 5);
  CHECK(s.other_application_working_days == 5);
  CHECK(s.report_reply_working_days == 9);
  CHECK(s.opinion_reply_working_days == 5);
  CHECK(s.consultation_reply == 24h);
}

TEST_CASE("an empty override keeps every default") {
  auto standards = ServiceStandards::FromJson("{}");
  REQUIRE(standards.ok());
  CHECK(*standards == ServiceStandards{});
  auto with_note = ServiceStandards::FromJson(R"({"note": "tenant A"})");
  REQUIRE(with_note.ok());
  CHECK(*with_note == ServiceStandards{});
}

TEST_CASE("a subset of standards overrides only those fields") {
  // A CSG installation: restoration 4 h urban / 5 h rural.
  auto csg = ServiceStandards::FromJson(
      R"({"restoration_urban_minutes": 240, "restoration_rural_minutes": 300})");
  REQUIRE(csg.ok());
  ServiceStandards expected;
  expected.restoration_urban = 4h;
  expected.restoration_rural = 5h;
  CHECK(*csg == expected);
}

TEST_CASE("every standard can be overridden") {
  auto s = ServiceStandards::FromJson(R"({
    "arrival_urban_minutes": 30, "arrival_rural_minutes": 60, "arrival_remote_minutes": 100,
    "restoration_urban_minutes": 120, "restoration_rural_minutes": 200,
    "restoration_remote_minutes": 360, "complaint_contact_hours": 12,
    "complaint_reply_working_days": 7, "new_connection_residential_working_days": 3,
    "new_connection_non_residential_working_days": 4, "meter_dispute_working_days": 8,
    "other_application_working_days": 9, "report_reply_working_days": 10,
    "consultation_reply_hours": 48})");
  REQUIRE(s.ok());
  CHECK(s->arrival_urban == 30min);
  CHECK(s->arrival_rural == 60min);
  CHECK(s->arrival_remote == 100min);
  CHECK(s->restoration_urban == 120min);
  CHECK(s->restoration_rural == 200min);
  CHECK(s->restoration_remote == 360min);
  CHECK(s->complaint_contact == 12h);
  CHECK(s->complaint_reply_working_days == 7);
  CHECK(s->new_connection_residential_working_days == 3);
  CHECK(s->new_connection_non_residential_working_days == 4);
  CHECK(s->meter_dispute_working_days == 8);
  CHECK(s->other_application_working_days == 9);
  CHECK(s->report_reply_working_days == 10);
  CHECK(s->consultation_reply == 48h);
}

TEST_CASE("range limits are inclusive") {
  CHECK(StandardsError(R"({"arrival_urban_minutes": 1})").empty());
  CHECK(StandardsError(R"({"arrival_urban_minutes": 43200})").empty());
  CHECK(StandardsError(R"({"complaint_contact_hours": 8760})").empty());
  CHECK(StandardsError(R"({"complaint_reply_working_days": 365})").empty());
}

TEST_CASE("standards JSON errors name the key") {
  CHECK_THAT(StandardsError("{"), Contains("not valid JSON"));
  CHECK_THAT(StandardsError("45"), Contains("must be a JSON object"));
  CHECK_THAT(StandardsError(R"({"arrival_urban": 45})"),
             Contains("unknown key \"arrival_urban\"") && Contains("arrival_urban_minutes"));
  CHECK_THAT(StandardsError(R"({"arrival_urban_minutes": "45"})"),
             Contains("arrival_urban_minutes = \"45\": must be an integer in 1..43200"));
  CHECK_THAT(StandardsError(R"({"arrival_urban_minutes": 45.5})"),
             Contains("arrival_urban_minutes = 45.5"));
  CHECK_THAT(StandardsError(R"({"arrival_rural_minutes": 0})"),
             Contains("arrival_rural_minutes = 0"));
  CHECK_THAT(StandardsError(R"({"arrival_remote_minutes": -5})"),
             Contains("arrival_remote_minutes = -5"));
  CHECK_THAT(StandardsError(R"({"arrival_remote_minutes": 43201})"),
             Contains("arrival_remote_minutes = 43201"));
  CHECK_THAT(StandardsError(R"({"complaint_contact_hours": 8761})"),
             Contains("complaint_contact_hours = 8761: must be an integer in 1..8760"));
  CHECK_THAT(StandardsError(R"({"complaint_reply_working_days": 366})"),
             Contains("complaint_reply_working_days = 366: must be an integer in 1..365"));
  CHECK_THAT(StandardsError(R"({"meter_dispute_working_days": null})"),
             Contains("meter_dispute_working_days = null"));
  CHECK_THAT(StandardsError(R"({"report_reply_working_days": 18446744073709551615})"),
             Contains("report_reply_working_days = 18446744073709551615"));
  CHECK_THAT(StandardsError(R"({"consultation_reply_hours": true})"),
             Contains("consultation_reply_hours = true"));
  CHECK_THAT(StandardsError(R"({"note": 1})"), Contains("\"note\" must be a string"));
}
