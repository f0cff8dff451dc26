#include "gridcare/synth/roster.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "names.h"
#include "profiles.h"
#include "random.h"

namespace gridcare::synth {
namespace {

using internal::Rng;

enum class CrewKind { kRepair, kComprehensive, kMetering, kCable, kLiveLine, kTransformer };

struct KindInfo {
  const char* label;  // as in 天河<label>一班
  int min_members;
  int max_members;
};

constexpr std::array<KindInfo, 6> kKinds = {{
    {"抢修", 4, 6},
    {"综合抢修", 3, 5},
    {"计量", 3, 4},
    {"电缆抢修", 4, 6},
    {"带电作业", 5, 6},
    {"配变检修", 4, 5},
}};

// Which kinds a depot adds beyond its five core crews, by area class (weights in the order of
// CrewKind, cumulative). Cities need cable crews; mountain depots send all-round crews.
constexpr std::array<std::array<int, 6>, 3> kExtraKindCumulative = {{
    {50, 50, 65, 85, 93, 100},
    {55, 65, 80, 82, 90, 100},
    {15, 80, 90, 90, 95, 100},
}};

enum class ShiftPattern { kDay, kNight, kStandbyOdd, kStandbyEven, kOffice };

constexpr int kEveryDay = 0x7F;
constexpr int kMonWedFriSun = 0x55;
constexpr int kTueThuSat = 0x2A;
constexpr int kWeekdays = 0x1F;
constexpr int kEight = 8 * 60;
constexpr int kTwenty = 20 * 60;

void AddShift(v1::Crew& crew, int weekday_mask, int start, int end) {
  auto* shift = crew.add_shifts();
  shift->set_weekday_mask(weekday_mask);
  shift->set_start_minute_of_day(start);
  shift->set_end_minute_of_day(end);
}

// 24-hour standby is written as a day and a night shift on the same days, which reads the same
// whatever a consumer assumes about start == end.
void AddShifts(v1::Crew& crew, ShiftPattern pattern) {
  switch (pattern) {
    case ShiftPattern::kDay:
      AddShift(crew, kEveryDay, kEight, kTwenty);
      break;
    case ShiftPattern::kNight:
      AddShift(crew, kEveryDay, kTwenty, kEight);
      break;
    case ShiftPattern::kStandbyOdd:
      AddShift(crew, kMonWedFriSun, kEight, kTwenty);
      AddShift(crew, kMonWedFriSun, kTwenty, kEight);
      break;
    case ShiftPattern::kStandbyEven:
      AddShift(crew, kTueThuSat, kEight, kTwenty);
      AddShift(crew, kTueThuSat, kTwenty, kEight);
      break;
    case ShiftPattern::kOffice:
      AddShift(crew, kWeekdays, 8 * 60 + 30, 17 * 60 + 30);
      break;
  }
}

void AddSkills(v1::Crew& crew, CrewKind kind, v1::AreaClass area_class, Rng& rng) {
  const auto add = [&crew](v1::CrewSkill skill) { crew.add_skills(skill); };
  switch (kind) {
    case CrewKind::kRepair:
      add(v1::CREW_SKILL_LOW_VOLTAGE);
      add(v1::CREW_SKILL_MEDIUM_VOLTAGE);
      add(v1::CREW_SKILL_TRANSFORMER);
      if (area_class == v1::AREA_CLASS_URBAN && rng.Chance(0.25)) add(v1::CREW_SKILL_CABLE);
      break;
    case CrewKind::kComprehensive:
      add(v1::CREW_SKILL_LOW_VOLTAGE);
      add(v1::CREW_SKILL_MEDIUM_VOLTAGE);
      add(v1::CREW_SKILL_TRANSFORMER);
      add(v1::CREW_SKILL_METERING);
      break;
    case CrewKind::kMetering:
      add(v1::CREW_SKILL_LOW_VOLTAGE);
      add(v1::CREW_SKILL_METERING);
      break;
    case CrewKind::kCable:
      if (rng.Chance(0.5)) add(v1::CREW_SKILL_LOW_VOLTAGE);
      add(v1::CREW_SKILL_MEDIUM_VOLTAGE);
      add(v1::CREW_SKILL_CABLE);
      break;
    case CrewKind::kLiveLine:
      add(v1::CREW_SKILL_MEDIUM_VOLTAGE);
      add(v1::CREW_SKILL_LIVE_LINE);
      break;
    case CrewKind::kTransformer:
      add(v1::CREW_SKILL_LOW_VOLTAGE);
      add(v1::CREW_SKILL_MEDIUM_VOLTAGE);
      add(v1::CREW_SKILL_TRANSFORMER);
      break;
  }
}

size_t ClassIndex(v1::AreaClass area_class) {
  return area_class == v1::AREA_CLASS_RURAL ? 1 : area_class == v1::AREA_CLASS_REMOTE ? 2 : 0;
}

}  // namespace

Roster BuildRoster(const UtilitySpec& spec, const Network& network) {
  Roster roster;
  const auto& districts = network.districts();
  for (size_t d = 0; d < districts.size(); ++d) {
    const District& district = districts[d];
    const auto& profile = internal::ProfileOf(district.area_class);
    Rng rng(internal::HashKey(spec.seed, internal::kStreamDepot, d));
    char id[24];
    std::snprintf(id, sizeof id, "DEPOT-%03d", static_cast<int>(d + 1));

    Depot depot;
    depot.id = id;
    depot.name =
        district.stem + (district.area_class == v1::AREA_CLASS_URBAN ? "抢修中心" : "供电所");
    depot.area_class = district.area_class;
    depot.district = static_cast<int32_t>(d);
    // Next to the substation nearest the district centre, 0.5-1.5 km out.
    const Substation* home = nullptr;
    int64_t areas = 0;
    for (auto s : district.substations) {
      const Substation& substation = network.substations()[static_cast<size_t>(s)];
      if (home == nullptr || DistanceKm(substation.location, district.centre) <
                                 DistanceKm(home->location, district.centre)) {
        home = &substation;
      }
      areas += substation.transformers.size();
      for (auto f = substation.feeders.begin; f < substation.feeders.end; ++f) {
        depot.feeder_ids.push_back(network.feeders()[static_cast<size_t>(f)].id);
      }
    }
    const double offset = rng.Uniform(0.5, 1.5);
    const double angle = rng.Unit() * 2 * internal::kPi;
    depot.location = {
        internal::RoundMicroDegrees(home->location.latitude +
                                    offset * internal::Sin(angle) * network.LatitudePerKm()),
        internal::RoundMicroDegrees(home->location.longitude +
                                    offset * internal::Cos(angle) * network.LongitudePerKm())};

    // Five core crews make every depot able to take any job around the clock; the rest follow
    // the workload, about one crew per profile.areas_per_crew transformer areas.
    const auto crew_count =
        std::max<int64_t>(5, std::llround(static_cast<double>(areas) / profile.areas_per_crew));
    const bool remote = district.area_class == v1::AREA_CLASS_REMOTE;
    const CrewKind general = remote ? CrewKind::kComprehensive : CrewKind::kRepair;
    std::array<int, kKinds.size()> issued{};
    depot.crews.begin = static_cast<int64_t>(roster.crews.size());
    for (int64_t c = 0; c < crew_count; ++c) {
      CrewKind kind;
      ShiftPattern pattern;
      switch (c) {
        case 0:
          kind = general;
          pattern = ShiftPattern::kDay;
          break;
        case 1:
          kind = general;
          pattern = ShiftPattern::kNight;
          break;
        case 2:
          kind = CrewKind::kMetering;
          pattern = ShiftPattern::kOffice;
          break;
        case 3:
          kind = CrewKind::kCable;
          pattern = ShiftPattern::kStandbyOdd;
          break;
        case 4:
          kind = CrewKind::kLiveLine;
          pattern = ShiftPattern::kDay;
          break;
        default: {
          kind = static_cast<CrewKind>(internal::PickWeighted(
              rng.Next(), kExtraKindCumulative[ClassIndex(district.area_class)]));
          constexpr ShiftPattern kRotation[] = {ShiftPattern::kDay, ShiftPattern::kNight,
                                                ShiftPattern::kStandbyEven,
                                                ShiftPattern::kStandbyOdd};
          pattern = kind == CrewKind::kMetering && c % 2 == 0 ? ShiftPattern::kOffice
                                                              : kRotation[(c - 5) % 4];
        }
      }
      const auto& info = kKinds[static_cast<size_t>(kind)];
      v1::Crew crew;
      std::snprintf(id, sizeof id, "CREW-%03d-%02d", static_cast<int>(d + 1),
                    static_cast<int>(c + 1));
      crew.set_crew_id(id);
      crew.set_name(district.stem + info.label +
                    internal::ChineseNumeral(++issued[static_cast<size_t>(kind)]) + "班");
      crew.set_depot_id(depot.id);
      *crew.mutable_depot_location() = ToProto(depot.location);
      AddSkills(crew, kind, district.area_class, rng);
      for (const auto& feeder_id : depot.feeder_ids) crew.add_territory_feeder_ids(feeder_id);
      AddShifts(crew, pattern);
      crew.set_members(static_cast<int32_t>(rng.Between(info.min_members, info.max_members)));
      crew.set_availability(v1::CREW_AVAILABILITY_AVAILABLE);
      *crew.mutable_position() = ToProto(depot.location);
      crew.set_tenant_id(spec.tenant_id);
      roster.crews.push_back(std::move(crew));
    }
    depot.crews.end = static_cast<int64_t>(roster.crews.size());
    roster.depots.push_back(std::move(depot));
  }
  return roster;
}

}  // namespace gridcare::synth
