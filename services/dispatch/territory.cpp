#include "territory.h"

#include <algorithm>

#include "appointment_desk.h"
#include "crew_reports.h"

namespace gridcare::dispatch {

std::string TerritoryOf(const v1::SupplyPoint& supply) {
  if (!supply.feeder_id().empty()) return "feeder:" + supply.feeder_id();
  if (!supply.transformer_id().empty()) return "transformer:" + supply.transformer_id();
  return {};
}

std::string TerritoryOf(const v1::Ticket& ticket) {
  std::string territory = TerritoryOf(ticket.supply());
  return territory.empty() ? "ticket:" + ticket.ticket_id() : territory;
}

int32_t TerritoryPartition(std::string_view territory, int32_t partitions) {
  if (partitions <= 1) return 0;
  uint32_t hash = 2166136261U;  // FNV-1a, 32 bits
  for (const char c : territory) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619U;
  }
  return static_cast<int32_t>(hash % static_cast<uint32_t>(partitions));
}

TerritoryRoute RouteIntakeEvent(const v1::IntakeEvent& event, int32_t partitions) {
  TerritoryRoute route;
  if (event.event_case() != v1::IntakeEvent::kTicketOpened) return route;
  const auto& ticket = event.ticket_opened().ticket();
  if (ticket.type() != v1::REQUEST_TYPE_FAULT_REPAIR && !AppointmentDesk::Takes(ticket)) {
    return route;
  }
  route.outcome = "one_territory";
  route.key = TerritoryOf(ticket);
  route.partitions.push_back(TerritoryPartition(route.key, partitions));
  return route;
}

namespace {

std::string CrewIdOf(const v1::CrewEvent& event) {
  if (auto job = JobReportOf(event)) return job->first;
  if (event.has_location_reported()) return event.location_reported().crew_id();
  if (event.has_availability_changed()) return event.availability_changed().crew_id();
  return {};
}

}  // namespace

TerritoryRoute RouteCrewEvent(const v1::CrewEvent& event, int32_t partitions) {
  TerritoryRoute route;
  route.outcome = "all_territories";
  route.key = CrewIdOf(event);
  for (int32_t partition = 0; partition < std::max(partitions, 1); ++partition) {
    route.partitions.push_back(partition);
  }
  return route;
}

}  // namespace gridcare::dispatch
