#pragma once

// The crews as dispatch knows them: the repair-crew service's roster (skills, shifts, depot,
// availability and position, refreshed every --roster-refresh), with the positions and
// availability the crews report in between.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "assignment.h"
#include "gridcare/core/clock.h"
#include "gridcare/v1/crew.pb.h"

namespace gridcare::dispatch {

/// Not thread-safe: the Dispatcher's lock guards it.
class CrewRoster {
 public:
  /// Replaces the roster with `crews`; crews missing from it are dropped. A position reported
  /// since, fresher than the roster's, is kept.
  void Update(const std::vector<v1::Crew>& crews);
  /// The crew's reported position at `at`. False for a crew not on the roster.
  bool ReportPosition(const v1::LocationReported& report, core::TimePoint at);
  /// The crew's reported availability. False for a crew not on the roster.
  bool ReportAvailability(const v1::AvailabilityChanged& changed);

  /// nullptr for a crew not on the roster.
  const v1::Crew* Find(const std::string& crew_id) const;
  /// Crews by id.
  const std::map<std::string, v1::Crew>& crews() const { return crews_; }
  bool empty() const { return crews_.empty(); }
  /// The middle of the crews' depots; nullopt without crews.
  std::optional<LatLon> DepotCentre() const;

 private:
  std::map<std::string, v1::Crew> crews_;
};

}  // namespace gridcare::dispatch
