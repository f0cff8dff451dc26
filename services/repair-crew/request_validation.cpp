#include "request_validation.h"

#include <cmath>
#include <string>

#include "cause_codes.h"
#include "gridcare/core/text.h"

namespace gridcare::repair_crew {
namespace {

// Largest Timestamp.seconds protobuf accepts (9999-12-31T23:59:59Z).
constexpr int64_t kMaxTimestampSeconds = 253'402'300'799;

core::Error Invalid(std::string_view field, std::string_view why) {
  return core::InvalidArgument(std::string(field) + ": " + std::string(why));
}

core::Status ValidateText(std::string_view field, std::string_view text, size_t max_bytes,
                          bool required) {
  if (required && text.empty()) return Invalid(field, "is required");
  if (!core::IsValidUtf8(text)) return Invalid(field, "is not valid UTF-8");
  if (text.size() > max_bytes) {
    return Invalid(field, "is " + std::to_string(text.size()) + " bytes; at most " +
                              std::to_string(max_bytes) + " allowed");
  }
  return {};
}

core::Status ValidateCode(std::string_view field, std::string_view code, bool required) {
  if (code.empty()) {
    if (required) return Invalid(field, "is required");
    return {};
  }
  if (!IsCode(code)) return Invalid(field, "must be 1-40 characters of A-Z, 0-9 and _");
  return {};
}

core::Status ValidateTimestamp(std::string_view field, const google::protobuf::Timestamp& t) {
  if (t.seconds() <= 0 || t.seconds() > kMaxTimestampSeconds || t.nanos() < 0 ||
      t.nanos() > 999'999'999) {
    return Invalid(field, "is not a valid timestamp after 1970");
  }
  return {};
}

}  // namespace

core::Status ValidateId(std::string_view field, std::string_view id) {
  if (id.empty()) return Invalid(field, "is required");
  if (id.size() > kMaxIdBytes) return Invalid(field, "is longer than 128 characters");
  for (const char c : id) {
    if (c <= ' ' || c > '~') return Invalid(field, "must be printable ASCII without spaces");
  }
  return {};
}

bool IsCode(std::string_view code) {
  if (code.empty() || code.size() > 40) return false;
  for (const char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

core::Status ValidateJobRequest(const v1::CrewJobRequest& request, JobAction action) {
  if (auto ok = ValidateId("crew_id", request.crew_id()); !ok) return ok;
  if (auto ok = ValidateId("work_order_id", request.work_order_id()); !ok) return ok;
  if (auto ok = ValidateText("reason", request.reason(), kMaxReasonBytes,
                             /*required=*/action == JobAction::kDecline);
      !ok) {
    return ok;
  }
  if (request.has_estimate()) {
    if (auto ok = ValidateTimestamp("estimate", request.estimate()); !ok) return ok;
  }
  return {};
}

core::Status ValidateAppointmentResult(const v1::AppointmentResult& result) {
  constexpr int kMaxReadings = 50;
  if (result.customer_absent() &&
      (!result.meter_number().empty() || result.verdict() != v1::METER_CHECK_VERDICT_UNSPECIFIED ||
       result.readings_size() > 0)) {
    return Invalid("report.appointment", "a visit where the customer was absent has no result");
  }
  if (auto ok = ValidateText("report.appointment.meter_number", result.meter_number(), 64, false);
      !ok) {
    return ok;
  }
  if (!v1::MeterCheckVerdict_IsValid(result.verdict())) {
    return Invalid("report.appointment.verdict",
                   "unknown value " + std::to_string(result.verdict()));
  }
  if (result.readings_size() > kMaxReadings) {
    return Invalid("report.appointment.readings",
                   "at most " + std::to_string(kMaxReadings) + " readings");
  }
  for (int i = 0; i < result.readings_size(); ++i) {
    const std::string field = "report.appointment.readings[" + std::to_string(i) + "].name";
    if (auto ok = ValidateText(field, result.readings(i).name(), 100, true); !ok) return ok;
  }
  return {};
}

core::Status ValidateCompletion(const v1::CompleteJobRequest& request) {
  if (!request.has_report()) return Invalid("report", "is required");
  const auto& report = request.report();
  if (auto ok = ValidateId("report.crew_id", report.crew_id()); !ok) return ok;
  if (auto ok = ValidateId("report.work_order_id", report.work_order_id()); !ok) return ok;
  // A visit of a service application reports its result instead of a fault's cause.
  const bool visit = report.has_appointment();
  if (visit) {
    if (auto ok = ValidateAppointmentResult(report.appointment()); !ok) return ok;
  }
  if (auto ok = ValidateCode("report.cause_code", report.cause_code(), !visit); !ok) return ok;
  if (auto ok = ValidateCode("report.fix_code", report.fix_code(), false); !ok) return ok;
  if (auto ok = ValidateText("report.notes", report.notes(), kMaxNotesBytes, false); !ok) {
    return ok;
  }
  if (auto ok =
          ValidateText("report.cause.zh_cn", report.cause().zh_cn(), kMaxCauseTextBytes, false);
      !ok) {
    return ok;
  }
  if (auto ok = ValidateText("report.cause.en", report.cause().en(), kMaxCauseTextBytes, false);
      !ok) {
    return ok;
  }
  if (report.photos_size() > kMaxPhotos) {
    return Invalid("report.photos", "at most " + std::to_string(kMaxPhotos) + " photos");
  }
  for (int i = 0; i < report.photos_size(); ++i) {
    const auto& photo = report.photos(i);
    const std::string field = "report.photos[" + std::to_string(i) + "]";
    if (auto ok = ValidateText(field + ".uri", photo.uri(), kMaxUriBytes, true); !ok) return ok;
    if (auto ok = ValidateText(field + ".media_type", photo.media_type(), 100, false); !ok) {
      return ok;
    }
    if (auto ok = ValidateText(field + ".description", photo.description(), kMaxReasonBytes, false);
        !ok) {
      return ok;
    }
    if (photo.size_bytes() < 0) return Invalid(field + ".size_bytes", "must not be negative");
  }
  return {};
}

core::Result<v1::LocalizedText> ResolveCause(const v1::JobCompleted& report) {
  v1::LocalizedText text = report.cause();
  if (report.has_appointment() && report.cause_code().empty()) return text;  // a visit: no fault
  if (const CauseCode* known = FindCause(report.cause_code())) {
    if (text.zh_cn().empty()) text.set_zh_cn(std::string(known->zh_cn));
    if (text.en().empty()) text.set_en(std::string(known->en));
    return text;
  }
  if (text.zh_cn().empty() || text.en().empty()) {
    return Invalid("report.cause", "cause code " + report.cause_code() +
                                       " is not in the built-in table; give both zh_cn and en");
  }
  return text;
}

core::Status ValidateLocation(const v1::ReportLocationRequest& request) {
  if (!request.has_report()) return Invalid("report", "is required");
  const auto& report = request.report();
  if (auto ok = ValidateId("report.crew_id", report.crew_id()); !ok) return ok;
  if (!report.has_position()) return Invalid("report.position", "is required");
  const double latitude = report.position().latitude();
  const double longitude = report.position().longitude();
  if (!std::isfinite(latitude) || latitude < -90 || latitude > 90) {
    return Invalid("report.position.latitude", "must be a number from -90 to 90");
  }
  if (!std::isfinite(longitude) || longitude < -180 || longitude > 180) {
    return Invalid("report.position.longitude", "must be a number from -180 to 180");
  }
  if (!std::isfinite(report.speed_kmh()) || report.speed_kmh() < 0 ||
      report.speed_kmh() > kMaxSpeedKmh) {
    return Invalid("report.speed_kmh", "must be a number from 0 to 300");
  }
  return {};
}

core::Status ValidateAvailabilityChange(const v1::SetAvailabilityRequest& request) {
  if (!request.has_change()) return Invalid("change", "is required");
  const auto& change = request.change();
  if (auto ok = ValidateId("change.crew_id", change.crew_id()); !ok) return ok;
  switch (change.availability()) {
    case v1::CREW_AVAILABILITY_AVAILABLE:
    case v1::CREW_AVAILABILITY_BUSY:
    case v1::CREW_AVAILABILITY_OFF_SHIFT:
      break;
    case v1::CREW_AVAILABILITY_UNSPECIFIED:
      return Invalid("change.availability", "is required (AVAILABLE, BUSY or OFF_SHIFT)");
    case v1::CREW_AVAILABILITY_UNREACHABLE:
      return Invalid("change.availability",
                     "UNREACHABLE is concluded by the system; a crew reports AVAILABLE, BUSY or "
                     "OFF_SHIFT");
    default:
      return Invalid("change.availability",
                     "unknown value " + std::to_string(static_cast<int>(change.availability())));
  }
  return ValidateText("change.reason", change.reason(), kMaxReasonBytes, false);
}

}  // namespace gridcare::repair_crew
