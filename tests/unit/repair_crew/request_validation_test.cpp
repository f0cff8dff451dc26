// Crew app input checks: each failure names the field, and nothing free-text is quoted back.
#include "request_validation.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "cause_codes.h"
#include "crew_fixture.h"

namespace gridcare::repair_crew {
namespace {

using namespace std::chrono_literals;

void CheckInvalid(const core::Status& status, const std::string& field) {
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(status.error().message, Catch::StartsWith(field + ":"));
}

v1::CompleteJobRequest Completion() {
  v1::CompleteJobRequest request;
  auto* report = request.mutable_report();
  report->set_crew_id("CREW-A");
  report->set_work_order_id("WO-1");
  report->set_restored(true);
  report->set_cause_code("FUSE_BLOWN");
  report->set_fix_code("FUSE_REPLACED");
  return request;
}

v1::ReportLocationRequest Location(double latitude, double longitude, double speed = 30) {
  v1::ReportLocationRequest request;
  request.mutable_report()->set_crew_id("CREW-A");
  *request.mutable_report()->mutable_position() = testing::Point(latitude, longitude);
  request.mutable_report()->set_speed_kmh(speed);
  return request;
}

v1::SetAvailabilityRequest Availability(v1::CrewAvailability availability) {
  v1::SetAvailabilityRequest request;
  request.mutable_change()->set_crew_id("CREW-A");
  request.mutable_change()->set_availability(availability);
  return request;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("ids are 1-128 printable ASCII characters without spaces") {
  CHECK(ValidateId("crew_id", "CREW-001-01").ok());
  CHECK(ValidateId("crew_id", std::string(128, 'x')).ok());
  CheckInvalid(ValidateId("crew_id", ""), "crew_id");
  CheckInvalid(ValidateId("crew_id", std::string(129, 'x')), "crew_id");
  CheckInvalid(ValidateId("crew_id", "CREW 1"), "crew_id");
  CheckInvalid(ValidateId("crew_id", "CREW\n1"), "crew_id");
  CheckInvalid(ValidateId("crew_id", "班组一"), "crew_id");
  CheckInvalid(ValidateId("crew_id", std::string("A\0B", 3)), "crew_id");
}

TEST_CASE("codes are [A-Z0-9_]{1,40}") {
  CHECK(IsCode("FUSE_BLOWN"));
  CHECK(IsCode("X"));
  CHECK(IsCode("CAUSE_42"));
  CHECK(IsCode(std::string(40, 'A')));
  CHECK_FALSE(IsCode(""));
  CHECK_FALSE(IsCode(std::string(41, 'A')));
  CHECK_FALSE(IsCode("fuse_blown"));
  CHECK_FALSE(IsCode("FUSE-BLOWN"));
  CHECK_FALSE(IsCode("FUSE BLOWN"));
  CHECK_FALSE(IsCode("熔断"));
}

TEST_CASE("job commands need both ids, a decline needs a reason, estimates must be real times") {
  using testing::CoreFixture;
  CHECK(ValidateJobRequest(CoreFixture::JobRequest("CREW-A", "WO-1"), JobAction::kAccept).ok());
  CheckInvalid(ValidateJobRequest(CoreFixture::JobRequest("", "WO-1"), JobAction::kAccept),
               "crew_id");
  CheckInvalid(ValidateJobRequest(CoreFixture::JobRequest("CREW-A", ""), JobAction::kStartTravel),
               "work_order_id");
  CheckInvalid(ValidateJobRequest(CoreFixture::JobRequest("CREW-A", "WO-1"), JobAction::kDecline),
               "reason");
  CHECK(
      ValidateJobRequest(CoreFixture::JobRequest("CREW-A", "WO-1", "车辆故障"), JobAction::kDecline)
          .ok());
  CheckInvalid(ValidateJobRequest(CoreFixture::JobRequest("CREW-A", "WO-1", std::string(501, 'x')),
                                  JobAction::kDecline),
               "reason");
  CheckInvalid(ValidateJobRequest(CoreFixture::JobRequest("CREW-A", "WO-1", "\xff\xfe"),
                                  JobAction::kDecline),
               "reason");

  auto request = CoreFixture::JobRequest("CREW-A", "WO-1");
  request.mutable_estimate()->set_seconds(1'795'000'000);
  CHECK(ValidateJobRequest(request, JobAction::kStartTravel).ok());
  request.mutable_estimate()->set_nanos(-1);
  CheckInvalid(ValidateJobRequest(request, JobAction::kStartTravel), "estimate");
  request.mutable_estimate()->set_nanos(0);
  request.mutable_estimate()->set_seconds(0);
  CheckInvalid(ValidateJobRequest(request, JobAction::kArriveOnSite), "estimate");
  request.mutable_estimate()->set_seconds(253'402'300'800);
  CheckInvalid(ValidateJobRequest(request, JobAction::kArriveOnSite), "estimate");
}

TEST_CASE("completions need a cause code, fix codes, notes, texts and photos are bounded") {
  CHECK(ValidateCompletion(Completion()).ok());
  CheckInvalid(ValidateCompletion(v1::CompleteJobRequest()), "report");

  auto request = Completion();
  request.mutable_report()->clear_cause_code();
  CheckInvalid(ValidateCompletion(request), "report.cause_code");
  request.mutable_report()->set_cause_code("fuse blown");
  CheckInvalid(ValidateCompletion(request), "report.cause_code");

  request = Completion();
  request.mutable_report()->clear_fix_code();
  CHECK(ValidateCompletion(request).ok());  // a fix code is optional
  request.mutable_report()->set_fix_code("REPLACED FUSE");
  CheckInvalid(ValidateCompletion(request), "report.fix_code");

  request = Completion();
  request.mutable_report()->clear_crew_id();
  CheckInvalid(ValidateCompletion(request), "report.crew_id");
  request = Completion();
  request.mutable_report()->clear_work_order_id();
  CheckInvalid(ValidateCompletion(request), "report.work_order_id");

  request = Completion();
  request.mutable_report()->set_notes(std::string(2000, 'n'));
  CHECK(ValidateCompletion(request).ok());
  request.mutable_report()->set_notes(std::string(2001, 'n'));
  CheckInvalid(ValidateCompletion(request), "report.notes");
  request.mutable_report()->set_notes("树枝\xe6\xa0");  // truncated UTF-8
  CheckInvalid(ValidateCompletion(request), "report.notes");
  // 666 CJK characters are 1,998 bytes: fine; one more is over.
  std::string cjk;
  for (int i = 0; i < 666; ++i) cjk += "树";
  request.mutable_report()->set_notes(cjk);
  CHECK(ValidateCompletion(request).ok());
  request.mutable_report()->set_notes(cjk + "树");
  CheckInvalid(ValidateCompletion(request), "report.notes");

  request = Completion();
  request.mutable_report()->mutable_cause()->set_en(std::string(501, 'c'));
  CheckInvalid(ValidateCompletion(request), "report.cause.en");
  request = Completion();
  request.mutable_report()->mutable_cause()->set_zh_cn("\xc3\x28");
  CheckInvalid(ValidateCompletion(request), "report.cause.zh_cn");

  request = Completion();
  for (int i = 0; i < 20; ++i) request.mutable_report()->add_photos()->set_uri("s3://b/p.jpg");
  CHECK(ValidateCompletion(request).ok());
  request.mutable_report()->add_photos()->set_uri("s3://b/p.jpg");
  CheckInvalid(ValidateCompletion(request), "report.photos");
  request = Completion();
  request.mutable_report()->add_photos()->set_media_type("image/jpeg");
  CheckInvalid(ValidateCompletion(request), "report.photos[0].uri");
  request = Completion();
  auto* photo = request.mutable_report()->add_photos();
  photo->set_uri("s3://b/p.jpg");
  photo->set_size_bytes(-1);
  CheckInvalid(ValidateCompletion(request), "report.photos[0].size_bytes");
}

TEST_CASE("a cause code from the table gets its bilingual text, others need the crew's") {
  auto request = Completion();
  auto cause = ResolveCause(request.report());
  REQUIRE(cause.ok());
  CHECK(cause->zh_cn() == "熔断器熔断");
  CHECK(cause->en() == "Blown fuse");

  // The crew's own words win; the missing language comes from the table.
  request.mutable_report()->mutable_cause()->set_zh_cn("跌落式熔断器熔丝熔断");
  cause = ResolveCause(request.report());
  REQUIRE(cause.ok());
  CHECK(cause->zh_cn() == "跌落式熔断器熔丝熔断");
  CHECK(cause->en() == "Blown fuse");

  request = Completion();
  request.mutable_report()->set_cause_code("KITE_STRING");
  auto unknown = ResolveCause(request.report());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(unknown.error().message, Catch::StartsWith("report.cause:"));
  CHECK_THAT(unknown.error().message, Catch::Contains("KITE_STRING"));
  request.mutable_report()->mutable_cause()->set_en("Kite string on the line");
  CHECK_FALSE(ResolveCause(request.report()).ok());  // one language is not enough
  request.mutable_report()->mutable_cause()->set_zh_cn("风筝线缠绕");
  cause = ResolveCause(request.report());
  REQUIRE(cause.ok());
  CHECK(cause->en() == "Kite string on the line");
}

TEST_CASE("the built-in cause table has the twelve codes, each with both texts and a fix") {
  const auto causes = CauseCodes();
  REQUIRE(causes.size() == 12);
  for (const auto& cause : causes) {
    INFO(cause.code);
    CHECK(IsCode(cause.code));
    CHECK(IsCode(cause.typical_fix));
    CHECK_FALSE(cause.zh_cn.empty());
    CHECK_FALSE(cause.en.empty());
    CHECK(FindCause(cause.code) == &cause);
  }
  CHECK(FindCause("TREE_CONTACT")->zh_cn == "树障");
  CHECK(FindCause("THIRD_PARTY_DAMAGE")->zh_cn == "外力破坏");
  CHECK(FindCause("SERVICE_DROP_FAULT")->zh_cn == "接户线故障");
  CHECK(FindCause("UNKNOWN")->zh_cn == "原因待查");
  CHECK(causes.back().code == "UNKNOWN");
  CHECK(FindCause("fuse_blown") == nullptr);
}

TEST_CASE("positions are on the globe and finite, speeds 0-300 km/h") {
  CHECK(ValidateLocation(Location(23.13, 113.26)).ok());
  CHECK(ValidateLocation(Location(90, 180, 0)).ok());
  CHECK(ValidateLocation(Location(-90, -180, 300)).ok());
  CheckInvalid(ValidateLocation(Location(90.0001, 113)), "report.position.latitude");
  CheckInvalid(ValidateLocation(Location(-91, 113)), "report.position.latitude");
  CheckInvalid(ValidateLocation(Location(kNaN, 113)), "report.position.latitude");
  CheckInvalid(ValidateLocation(Location(kInf, 113)), "report.position.latitude");
  CheckInvalid(ValidateLocation(Location(23, 180.5)), "report.position.longitude");
  CheckInvalid(ValidateLocation(Location(23, kNaN)), "report.position.longitude");
  CheckInvalid(ValidateLocation(Location(23, -kInf)), "report.position.longitude");
  CheckInvalid(ValidateLocation(Location(23, 113, -1)), "report.speed_kmh");
  CheckInvalid(ValidateLocation(Location(23, 113, 301)), "report.speed_kmh");
  CheckInvalid(ValidateLocation(Location(23, 113, kNaN)), "report.speed_kmh");
  CheckInvalid(ValidateLocation(v1::ReportLocationRequest()), "report");
  auto no_position = Location(23, 113);
  no_position.mutable_report()->clear_position();
  CheckInvalid(ValidateLocation(no_position), "report.position");
  auto no_crew = Location(23, 113);
  no_crew.mutable_report()->clear_crew_id();
  CheckInvalid(ValidateLocation(no_crew), "report.crew_id");
}

TEST_CASE("crews report available, busy or off shift, unreachable is the system's word") {
  CHECK(ValidateAvailabilityChange(Availability(v1::CREW_AVAILABILITY_AVAILABLE)).ok());
  CHECK(ValidateAvailabilityChange(Availability(v1::CREW_AVAILABILITY_BUSY)).ok());
  CHECK(ValidateAvailabilityChange(Availability(v1::CREW_AVAILABILITY_OFF_SHIFT)).ok());
  CheckInvalid(ValidateAvailabilityChange(Availability(v1::CREW_AVAILABILITY_UNSPECIFIED)),
               "change.availability");
  CheckInvalid(ValidateAvailabilityChange(Availability(v1::CREW_AVAILABILITY_UNREACHABLE)),
               "change.availability");
  CheckInvalid(ValidateAvailabilityChange(Availability(static_cast<v1::CrewAvailability>(17))),
               "change.availability");
  CheckInvalid(ValidateAvailabilityChange(v1::SetAvailabilityRequest()), "change");
  auto long_reason = Availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
  long_reason.mutable_change()->set_reason(std::string(501, 'r'));
  CheckInvalid(ValidateAvailabilityChange(long_reason), "change.reason");
  auto no_crew = Availability(v1::CREW_AVAILABILITY_OFF_SHIFT);
  no_crew.mutable_change()->clear_crew_id();
  CheckInvalid(ValidateAvailabilityChange(no_crew), "change.crew_id");
}

}  // namespace gridcare::repair_crew

namespace gridcare::repair_crew {
namespace {

TEST_CASE("a visit reports its result instead of a cause and the result is checked") {
  auto request = Completion();
  request.mutable_report()->clear_cause_code();
  request.mutable_report()->clear_fix_code();
  auto* result = request.mutable_report()->mutable_appointment();
  result->set_meter_number("M-4403778812");
  auto* reading = result->add_readings();
  reading->set_name("voltage_l1_v");
  reading->set_value(229.5);
  CHECK(ValidateCompletion(request).ok());
  // No cause code: the cause stays as the crew gave it (none).
  const auto cause = ResolveCause(request.report());
  REQUIRE(cause.ok());

  auto absent = request;
  absent.mutable_report()->mutable_appointment()->set_customer_absent(true);
  CheckInvalid(ValidateCompletion(absent), "report.appointment");
  absent.mutable_report()->mutable_appointment()->clear_meter_number();
  absent.mutable_report()->mutable_appointment()->clear_readings();
  CHECK(ValidateCompletion(absent).ok());

  auto unnamed = request;
  unnamed.mutable_report()->mutable_appointment()->mutable_readings(0)->clear_name();
  CheckInvalid(ValidateCompletion(unnamed), "report.appointment.readings[0].name");
  auto long_meter = request;
  long_meter.mutable_report()->mutable_appointment()->set_meter_number(std::string(65, '7'));
  CheckInvalid(ValidateCompletion(long_meter), "report.appointment.meter_number");
  auto verdict = request;
  verdict.mutable_report()->mutable_appointment()->set_verdict(
      static_cast<v1::MeterCheckVerdict>(42));
  CheckInvalid(ValidateCompletion(verdict), "report.appointment.verdict");
  auto many = request;
  for (int i = 0; i < 50; ++i) {
    many.mutable_report()->mutable_appointment()->add_readings()->set_name("r");
  }
  CheckInvalid(ValidateCompletion(many), "report.appointment.readings");
}

}  // namespace
}  // namespace gridcare::repair_crew
