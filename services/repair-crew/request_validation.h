#pragma once

#include <string_view>

#include "gridcare/core/error.h"
#include "gridcare/v1/crew.pb.h"
#include "job_rules.h"

namespace gridcare::repair_crew {

// Checks of crew app input, before anything is read or written. Every failure is INVALID_ARGUMENT
// whose message starts with the offending field as the request spells it ("report.cause_code: …"),
// so the app can point at it. Messages never quote free text (notes, reasons): only ids and codes.

/// Limits of free text and lists, in bytes of UTF-8.
inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxNotesBytes = 2000;
inline constexpr size_t kMaxReasonBytes = 500;
inline constexpr size_t kMaxCauseTextBytes = 500;
inline constexpr int kMaxPhotos = 20;
inline constexpr size_t kMaxUriBytes = 2048;
inline constexpr double kMaxSpeedKmh = 300;

/// An id: 1-128 printable ASCII characters, no spaces.
core::Status ValidateId(std::string_view field, std::string_view id);

/// A cause or fix code: [A-Z0-9_]{1,40}.
bool IsCode(std::string_view code);

/// AcceptJob, DeclineJob (which needs a reason), StartTravel, ArriveOnSite: ids, reason, and the
/// estimate (ETA, estimated restoration) when given, which must be a valid timestamp after 1970.
core::Status ValidateJobRequest(const v1::CrewJobRequest& request, JobAction action);

/// CompleteJob: report present; ids; cause_code required and a code (not for a visit of a service
/// application, which reports `appointment` instead: ValidateAppointmentResult); fix_code a code
/// when given; notes at most 2,000 bytes of UTF-8; cause texts UTF-8, at most 500 bytes each; at
/// most 20 photos, each with a URI.
core::Status ValidateCompletion(const v1::CompleteJobRequest& request);
/// A visit's result: an absent customer leaves no result; meter number at most 64 bytes of
/// UTF-8; a known verdict; at most 50 readings, each named.
core::Status ValidateAppointmentResult(const v1::AppointmentResult& result);

/// The bilingual cause of a validated completion: the crew's texts, with what is missing filled
/// from the built-in table. A code outside the table needs both texts from the crew:
/// INVALID_ARGUMENT naming report.cause otherwise.
core::Result<v1::LocalizedText> ResolveCause(const v1::JobCompleted& report);

/// ReportLocation: report and position present; latitude -90..90 and longitude -180..180, finite;
/// speed 0..300 km/h, finite.
core::Status ValidateLocation(const v1::ReportLocationRequest& request);

/// SetAvailability: change present; crew id; availability AVAILABLE, BUSY or OFF_SHIFT
/// (UNREACHABLE is what the system concludes, never what a crew says); reason UTF-8, ≤ 500 bytes.
core::Status ValidateAvailabilityChange(const v1::SetAvailabilityRequest& request);

}  // namespace gridcare::repair_crew
