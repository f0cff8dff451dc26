#pragma once

// Appointment slots (issue 19): when a metering or service crew can do a piece of field work that
// a customer booked (new connection, capacity change, meter check, meter relocation). Pure logic:
// no I/O, time passed in, deterministic (the same inputs give the same offers, whatever the order
// of `crews` and `bookings`).
//
// A slot is a start time on the grid (`granularity`, aligned to local time) where one crew with
// the job's skill
//  - is on shift from the moment it must leave its previous place until the job is done,
//  - can travel from where it was (its previous booking that day, else its position) in time,
//  - can still reach its next booking afterwards,
//  - and keeps `fault_reserve` of every local day's shift time free of appointments: fault repair
//    outranks appointments, so a crew is never booked full with them.
// Fault jobs a crew holds are bookings too (`kind = kFault`, with their expected end): they block
// their time but do not use up the appointment share.
//
// Offers are distinct start times, earliest first, each with the crew that gets there with the
// least travel (then the fewest appointment minutes that day, then the crew id). Slots inside the
// customer's preferred window are offered when there are any; otherwise the earliest slots after
// `not_before` are offered as a re-proposal. Each offer says whether it meets the stage deadline.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "assignment.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"

namespace gridcare::dispatch {

struct SlotSettings {
  /// Start times are multiples of this in local time (30 min: 09:00, 09:30, …). 5 min .. 4 h.
  std::chrono::minutes granularity{30};
  /// Offers returned (distinct start times). 1 .. 20.
  int max_offers = 3;
  /// How far ahead of not_before slots are looked for. 1 h .. 60 days.
  std::chrono::hours horizon{24 * 14};
  /// Share of each crew's shift time in a local day kept free of appointments for faults
  /// (0 .. 0.9).
  double fault_reserve = 0.3;
  /// Travel speeds and the local time offset (assignment.h); the dispatch overhead is not added
  /// (an appointment is planned, not dispatched).
  AssignmentSettings travel;
};

/// INVALID_ARGUMENT naming the field out of range.
core::Status Validate(const SlotSettings& settings);

/// Time a crew is taken: an appointment or a fault job, at a place.
struct Booking {
  enum class Kind { kAppointment, kFault };
  std::string crew_id;
  std::string work_order_id;
  Kind kind = Kind::kAppointment;
  core::TimePoint start;
  core::TimePoint end;  ///< after start
  LatLon location;
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
};

/// The field work a customer wants an appointment for.
struct AppointmentRequest {
  std::string work_order_id;
  v1::CrewSkill skill = v1::CREW_SKILL_METERING;
  LatLon location;
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  std::chrono::minutes duration{60};
  /// No slot starts before this (now plus any notice the crew needs).
  core::TimePoint not_before;
  /// The customer's preferred window [window_start, window_end): the whole visit inside it.
  core::TimePoint window_start;
  core::TimePoint window_end;
  /// The stage clock's due time: offers after it are marked late (nullopt: no clock).
  std::optional<core::TimePoint> deadline;
};

struct SlotOffer {
  std::string crew_id;
  core::TimePoint start;
  core::TimePoint end;
  std::chrono::seconds travel{0};  ///< from the crew's previous place
  bool in_preferred_window = false;
  bool meets_deadline = true;
};

struct SlotSearch {
  std::vector<SlotOffer> offers;
  /// No slot fits the preferred window: the offers are the earliest alternatives.
  bool reproposed = false;
};

/// The slots for `request` among `crews` (their skills, shifts, availability and position) given
/// every crew's `bookings`. A crew that is UNREACHABLE is not booked; the bookings of
/// `request.work_order_id` itself are ignored (re-booking moves it). INVALID_ARGUMENT for a
/// request whose window ends before it starts or whose duration is not positive.
core::Result<SlotSearch> FindSlots(const AppointmentRequest& request,
                                   const std::vector<CrewState>& crews,
                                   const std::vector<Booking>& bookings,
                                   const SlotSettings& settings);

}  // namespace gridcare::dispatch
