#pragma once

// The network context of an incident a complaint concerns, kept from dispatch's incidents and the
// crews' reports (gridcare.dispatch.v1, gridcare.crew.v1), pure: the desk shows who is on the
// job, where they are and what they found. Every function here is idempotent: applying the same
// event twice leaves the context as applying it once did.

#include <optional>
#include <string>

#include "gridcare/core/clock.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/crew.pb.h"

namespace gridcare::complaint {

/// Replaces the context's incident with dispatch's latest view of it, without the ticket id list
/// (a storm incident holds thousands; call_count keeps the number). A work order named by the
/// incident gains a field entry at FIELD_STAGE_UNSPECIFIED until its crew reports.
void ApplyIncident(v1::IncidentContext& context, const v1::Incident& incident);

/// The work order a crew event is about; nullopt for location and availability reports.
std::optional<std::string> CrewEventWorkOrder(const v1::CrewEvent& event);

/// Applies a crew's report on one of the incident's work orders, made at `at`. A report older than
/// the one held for that work order is ignored, and so is a repeat. A later stage always wins at
/// the same instant (a crew goes accepted → en route → on site → completed). Returns whether the
/// context changed.
bool ApplyCrewEvent(v1::IncidentContext& context, const v1::CrewEvent& event, core::TimePoint at);

}  // namespace gridcare::complaint
