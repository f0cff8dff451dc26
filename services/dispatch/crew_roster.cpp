#include "crew_roster.h"

#include "gridcare/sla/clocks.h"

namespace gridcare::dispatch {

void CrewRoster::Update(const std::vector<v1::Crew>& crews) {
  std::map<std::string, v1::Crew> next;
  for (const auto& crew : crews) {
    v1::Crew entry = crew;
    if (auto it = crews_.find(crew.crew_id()); it != crews_.end()) {
      // Keep a fresher position from the crew events over the roster's.
      const auto& known = it->second;
      if (known.has_position_at() &&
          (!crew.has_position_at() ||
           sla::FromTimestamp(known.position_at()) > sla::FromTimestamp(crew.position_at()))) {
        *entry.mutable_position() = known.position();
        *entry.mutable_position_at() = known.position_at();
      }
    }
    next.emplace(crew.crew_id(), std::move(entry));
  }
  crews_ = std::move(next);
}

bool CrewRoster::ReportPosition(const v1::LocationReported& report, core::TimePoint at) {
  auto it = crews_.find(report.crew_id());
  if (it == crews_.end()) return false;
  *it->second.mutable_position() = report.position();
  *it->second.mutable_position_at() = sla::ToTimestamp(at);
  return true;
}

bool CrewRoster::ReportAvailability(const v1::AvailabilityChanged& changed) {
  auto it = crews_.find(changed.crew_id());
  if (it == crews_.end()) return false;
  it->second.set_availability(changed.availability());
  return true;
}

const v1::Crew* CrewRoster::Find(const std::string& crew_id) const {
  auto it = crews_.find(crew_id);
  return it == crews_.end() ? nullptr : &it->second;
}

std::optional<LatLon> CrewRoster::DepotCentre() const {
  if (crews_.empty()) return std::nullopt;
  double latitude = 0;
  double longitude = 0;
  for (const auto& [id, crew] : crews_) {
    latitude += crew.depot_location().latitude();
    longitude += crew.depot_location().longitude();
  }
  return LatLon{latitude / static_cast<double>(crews_.size()),
                longitude / static_cast<double>(crews_.size())};
}

}  // namespace gridcare::dispatch
