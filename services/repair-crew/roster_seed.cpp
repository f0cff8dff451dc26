#include "roster_seed.h"

#include <google/protobuf/util/time_util.h>

namespace gridcare::repair_crew {

std::vector<v1::Crew> InitialCrews(const std::vector<v1::Crew>& roster, core::TimePoint now) {
  const auto at =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(now));
  std::vector<v1::Crew> crews;
  crews.reserve(roster.size());
  for (const auto& source : roster) {
    v1::Crew crew = source;
    *crew.mutable_position() = crew.depot_location();
    *crew.mutable_position_at() = at;
    crew.set_availability(v1::CREW_AVAILABILITY_AVAILABLE);
    crew.clear_work_order_ids();
    crews.push_back(std::move(crew));
  }
  return crews;
}

std::vector<std::string> CrewIds(const std::vector<v1::Crew>& crews) {
  std::vector<std::string> ids;
  ids.reserve(crews.size());
  for (const auto& crew : crews) ids.push_back(crew.crew_id());
  return ids;
}

}  // namespace gridcare::repair_crew
