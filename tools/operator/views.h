#pragma once

// Tables and JSON for the console sub-commands (ticket, incidents) and the wording they share
// (enum words, times, clock states). Pure: no I/O. Thread-safe.

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "table.h"

namespace gridcare::ops {

/// An enum value's name as a lower-case word without its prefix: ("INCIDENT_STATE_ON_SITE",
/// "INCIDENT_STATE_") -> "on_site"; "" for the *_UNSPECIFIED value.
std::string EnumWord(std::string_view name, std::string_view prefix);

/// "arrival", "restoration", "complaint_contact", …
std::string ClockKindWord(v1::ServiceClock::Kind kind);

/// A timestamp as RFC 3339 UTC to the second ("2026-11-24T01:53:10Z"); "" when unset.
std::string TimeText(const google::protobuf::Timestamp& timestamp);
std::string TimeText(core::TimePoint time);

/// A duration for people: "45s", "12m", "3h05m", "2d04h" (sign dropped).
std::string DurationText(std::chrono::seconds duration);

/// Where a clock stands at `now`: "met <time>", "due in 25m" or "12m late"; "-" without due_at.
std::string ClockText(const v1::ServiceClock& clock, core::TimePoint now);

/// A clock as JSON: kind, due_at, met_at ("" when not met), state (on_time | due_soon | overdue
/// | met; due_soon within `warning`), seconds_late (negative: time left; 0 when met).
nlohmann::json ClockJson(const v1::ServiceClock& clock, core::TimePoint now,
                         std::chrono::minutes warning);

/// The `incidents` table: one row per incident with level, state, customers affected, calls,
/// crew, ETR and its clocks.
Table IncidentTable(const std::vector<v1::Incident>& incidents, core::TimePoint now);
/// The same as JSON objects (with every clock).
nlohmann::json IncidentsJson(const std::vector<v1::Incident>& incidents, core::TimePoint now);

/// Which language a ticket's timeline is printed in.
enum class Language { kEnglish, kChinese };

/// The ticket's summary as "label value" lines (no customer text: it is personal data).
std::string TicketSummaryText(const v1::TrackResponse& track, core::TimePoint now);
/// The timeline table: one row per step with time, state, event type, description, actor.
Table TimelineTable(const v1::TrackResponse& track, Language language);
/// Summary, timeline and clocks as one JSON object (no customer text).
nlohmann::json TicketJson(const v1::TrackResponse& track, core::TimePoint now);

}  // namespace gridcare::ops
