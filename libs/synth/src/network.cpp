#include "gridcare/synth/network.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_set>

#include "names.h"
#include "profiles.h"
#include "random.h"

namespace gridcare::synth {
namespace {

using internal::ClassProfile;
using internal::kFeedersMax;
using internal::kFeedersMin;
using internal::kPi;
using internal::kProfiles;
using internal::Rng;

constexpr double kKmPerDegree = 111.32;
constexpr double kGoldenAngle = 2.399963229728653;  // pi * (3 - sqrt(5))
constexpr int kStandardKva[] = {30,  50,  80,  100, 125, 160,  200,  250,
                                315, 400, 500, 630, 800, 1000, 1250, 1600};

struct Xy {
  double x = 0;  // km east of the centre
  double y = 0;  // km north of the centre
};

// Splits `total` in proportion to `weights`; the parts always sum to `total` exactly.
std::vector<int64_t> Apportion(int64_t total, const std::vector<int64_t>& weights) {
  int64_t sum = 0;
  for (auto w : weights) sum += w;
  std::vector<int64_t> parts(weights.size(), 0);
  if (sum == 0) return parts;
  int64_t cumulative = 0;
  int64_t previous = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    cumulative += weights[i];
    const auto boundary = static_cast<int64_t>(static_cast<__int128>(total) * cumulative / sum);
    parts[i] = boundary - previous;
    previous = boundary;
  }
  return parts;
}

// Mirrors a point that strayed outside its class's ring back inside, so clusters near an edge
// keep their spread instead of piling up on the boundary.
Xy KeepInRing(Xy p, double inner, double outer) {
  const double r = std::sqrt(p.x * p.x + p.y * p.y);
  double target = r;
  if (r > outer) target = std::max(2 * outer - r, inner);
  if (r < inner) target = std::min(2 * inner - r, outer);
  if (target == r) return p;
  if (r < 1e-9) return {target, 0};
  return {p.x * target / r, p.y * target / r};
}

Xy Polar(Xy origin, double distance, double angle) {
  return {origin.x + distance * internal::Cos(angle), origin.y + distance * internal::Sin(angle)};
}

// A point uniform in the disc of `radius` around `origin`, by rejection (no trigonometry).
Xy InDisc(Rng& rng, Xy origin, double radius) {
  for (;;) {
    const double dx = rng.Uniform(-1, 1);
    const double dy = rng.Uniform(-1, 1);
    if (dx * dx + dy * dy <= 1) return {origin.x + dx * radius, origin.y + dy * radius};
  }
}

double Distance(Xy a, Xy b) {
  return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y));
}

int CapacityKva(int64_t customers, int minimum) {
  const double needed = static_cast<double>(customers) * 1.6;
  for (int kva : kStandardKva) {
    if (kva >= minimum && kva >= needed) return kva;
  }
  return kStandardKva[std::size(kStandardKva) - 1];
}

std::string FormatId(const char* format, int a, int b = 0, int c = 0) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, a, b, c);
  return buffer;
}

// Parses "<prefix>N-N-N" with exactly `count` decimal numbers; false when malformed.
bool ParseId(std::string_view id, std::string_view prefix, int count, int64_t* numbers) {
  if (id.substr(0, prefix.size()) != prefix) return false;
  id.remove_prefix(prefix.size());
  for (int i = 0; i < count; ++i) {
    if (i > 0) {
      if (id.empty() || id.front() != '-') return false;
      id.remove_prefix(1);
    }
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), numbers[i]);
    if (error != std::errc() || end == id.data() || numbers[i] < 1) return false;
    id.remove_prefix(static_cast<size_t>(end - id.data()));
  }
  return id.empty();
}

// Substations before they get numbers: class, customers and position.
struct Site {
  const ClassProfile* profile;
  int64_t customers;
  Xy position;
  double reach_km;
  int32_t district = -1;
};

// Places the class's substations on a sunflower (Vogel) spiral over its ring: even coverage
// without a grid's regularity.
void PlaceSites(uint64_t seed, size_t class_index, int64_t class_customers,
                std::vector<Site>& sites) {
  const ClassProfile& profile = kProfiles[class_index];
  const double full_scale = internal::FullScaleSubstationCustomers(profile);
  const int64_t count = std::max<int64_t>(
      1, static_cast<int64_t>(std::llround(static_cast<double>(class_customers) / full_scale)));
  Rng rng(internal::HashKey(seed, internal::kStreamSizing, class_index));
  std::vector<int64_t> weights(static_cast<size_t>(count));
  for (auto& w : weights) w = rng.Between(700, 1300);
  const auto customers = Apportion(class_customers, weights);

  const double inner2 = profile.inner_km * profile.inner_km;
  const double outer2 = profile.outer_km * profile.outer_km;
  const double spacing = std::sqrt(kPi * (outer2 - inner2) / static_cast<double>(count));
  const double reach = std::clamp(0.5 * spacing, profile.reach_min_km, profile.reach_max_km);
  const double rotation = static_cast<double>(class_index) * 2.1;
  for (int64_t j = 0; j < count; ++j) {
    const double fraction =
        (static_cast<double>(j) + rng.Uniform(0.2, 0.8)) / static_cast<double>(count);
    const double radius = std::sqrt(inner2 + (outer2 - inner2) * fraction);
    const double angle = static_cast<double>(j) * kGoldenAngle + rotation + rng.Uniform(-0.2, 0.2);
    sites.push_back({&profile, customers[static_cast<size_t>(j)], Polar({}, radius, angle), reach});
  }
}

// Groups each class's substations into districts of 2-3 neighbours (greedy nearest neighbours);
// a substation with no neighbour of its class within the class's span gets a district alone.
std::vector<std::vector<int32_t>> GroupIntoDistricts(uint64_t seed, std::vector<Site>& sites) {
  std::vector<std::vector<int32_t>> groups;
  Rng rng(internal::HashKey(seed, internal::kStreamDistrict));
  const auto n = static_cast<int32_t>(sites.size());
  for (int32_t s = 0; s < n; ++s) {
    if (sites[s].district >= 0) continue;
    const auto& profile = *sites[s].profile;
    std::vector<int32_t> free;
    for (int32_t t = s + 1; t < n; ++t) {
      if (sites[t].district < 0 && sites[t].profile == &profile &&
          Distance(sites[t].position, sites[s].position) <= profile.district_span_km) {
        free.push_back(t);
      }
    }
    std::sort(free.begin(), free.end(), [&](int32_t a, int32_t b) {
      const double da = Distance(sites[a].position, sites[s].position);
      const double db = Distance(sites[b].position, sites[s].position);
      return da != db ? da < db : a < b;
    });
    size_t take = static_cast<size_t>(rng.Between(1, 2));
    // Never leave one lone neighbour behind for a district of its own.
    if (free.size() == take + 1) ++take;
    std::vector<int32_t> group = {s};
    for (const auto candidate : free) {
      if (group.size() > take) break;
      // Every pair within the span, so the depot is near all of its substations.
      const bool near_all = std::all_of(group.begin(), group.end(), [&](int32_t member) {
        return Distance(sites[member].position, sites[candidate].position) <=
               profile.district_span_km;
      });
      if (near_all) group.push_back(candidate);
    }
    std::sort(group.begin(), group.end());
    for (auto member : group) sites[member].district = static_cast<int32_t>(groups.size());
    groups.push_back(std::move(group));
  }
  return groups;
}

/// The districts (urban 区, rural and remote 县) of the substation groups, with their cities
/// and names (four counties to a prefecture-level city). Draws names from `names` in order.
template <typename ToGeo>
std::vector<District> MakeDistricts(const std::vector<std::vector<int32_t>>& groups,
                                    const std::vector<Site>& sites, const std::string& capital,
                                    Rng& names, std::unordered_set<std::string>& used_stems,
                                    const ToGeo& to_geo) {
  std::vector<District> districts;
  std::string prefecture;
  int counties = 0;
  for (size_t d = 0; d < groups.size(); ++d) {
    District district;
    district.id = FormatId("DIST-%03d", static_cast<int>(d + 1));
    district.area_class = sites[groups[d][0]].profile->area_class;
    district.stem = internal::UniquePlaceStem(names, used_stems);
    if (district.area_class == v1::AREA_CLASS_URBAN) {
      district.name = district.stem + "区";
      district.city = capital;
    } else {
      // Four counties to a prefecture-level city.
      if (counties++ % 4 == 0) prefecture = internal::UniquePlaceStem(names, used_stems) + "市";
      district.name = district.stem + "县";
      district.city = prefecture;
    }
    Xy sum;
    for (auto s : groups[d]) {
      sum.x += sites[s].position.x;
      sum.y += sites[s].position.y;
    }
    const auto size = static_cast<double>(groups[d].size());
    district.centre = to_geo({sum.x / size, sum.y / size});
    district.substations = groups[d];
    districts.push_back(std::move(district));
  }

  return districts;
}

/// Distinct names of the `count` localities of a feeder: streets in town, villages outside.
std::vector<std::string> LocalityNames(Rng& names, int64_t count, bool urban) {
  std::vector<std::string> locality_names;
  std::unordered_set<std::string> used_localities;
  for (int64_t l = 0; l < count; ++l) {
    std::string name;
    do {
      name = urban ? internal::StreetName(names) : internal::PlaceStem(names);
    } while (!used_localities.insert(name).second);
    locality_names.push_back(std::move(name));
  }
  return locality_names;
}

/// How one substation is divided: feeders, transformer areas per feeder, customers per area.
struct SubstationShape {
  int feeder_count = 0;
  std::vector<int64_t> areas_per_feeder;
  std::vector<int64_t> customers_per_area;
};

/// The shape of `site`'s substation, drawn from `rng` in a fixed order.
SubstationShape ShapeSubstation(Rng& rng, const Site& site, const ClassProfile& profile) {
  SubstationShape shape;
  // Small utilities shrink feeders per substation, areas per feeder and customers per area by
  // the same factor, so even 2,000 customers make a recognisable network.
  const double fullness =
      static_cast<double>(site.customers) / internal::FullScaleSubstationCustomers(profile);
  const double scale = std::min(1.0, internal::Cbrt(fullness));
  shape.feeder_count = static_cast<int>(std::clamp<int64_t>(
      std::llround(scale * static_cast<double>(rng.Between(kFeedersMin, kFeedersMax))), 3,
      kFeedersMax));
  const double mean_area = (profile.area_min + profile.area_max) / 2.0 * scale;
  int64_t area_count =
      site.customers == 0 ? 0 : std::llround(static_cast<double>(site.customers) / mean_area);
  area_count = std::clamp<int64_t>(area_count, int64_t{2} * shape.feeder_count,
                                   int64_t{900} * shape.feeder_count);

  std::vector<int64_t> feeder_weights(static_cast<size_t>(shape.feeder_count));
  for (auto& w : feeder_weights) w = rng.Between(60, 140);
  shape.areas_per_feeder = Apportion(area_count - int64_t{2} * shape.feeder_count, feeder_weights);
  for (auto& a : shape.areas_per_feeder) a += 2;
  std::vector<int64_t> area_weights(static_cast<size_t>(area_count));
  for (auto& w : area_weights) w = rng.Between(profile.area_min, profile.area_max);
  shape.customers_per_area = Apportion(site.customers, area_weights);
  return shape;
}

/// A transformer area's name and locality: the `ordinal`-th area on a street in town (with the
/// first house number it serves), or in a village of `town` outside.
void NameArea(Rng& rng, const std::string& locality, int ordinal, bool urban,
              const std::string& town, TransformerArea& area) {
  if (urban) {
    area.name = locality + " " + std::to_string(ordinal) + " 号台区";
    area.locality = locality;
    area.first_house_number = 1 + (ordinal - 1) * 60 + static_cast<int>(rng.Between(0, 9)) * 2;
  } else {
    area.name = locality + "村 " + std::to_string(ordinal) + " 号台区";
    area.locality = town + locality + "村";
  }
}

}  // namespace

const Substation* Network::FindSubstation(std::string_view id) const {
  int64_t n[1];
  if (!ParseId(id, "SUB-", 1, n) || n[0] > static_cast<int64_t>(substations_.size())) {
    return nullptr;
  }
  const auto& substation = substations_[static_cast<size_t>(n[0] - 1)];
  return substation.id == id ? &substation : nullptr;
}

const Feeder* Network::FindFeeder(std::string_view id) const {
  int64_t n[2];
  if (!ParseId(id, "FDR-", 2, n) || n[0] > static_cast<int64_t>(substations_.size())) {
    return nullptr;
  }
  const auto& substation = substations_[static_cast<size_t>(n[0] - 1)];
  if (n[1] > substation.feeders.size()) return nullptr;
  const auto& feeder = feeders_[static_cast<size_t>(substation.feeders.begin + n[1] - 1)];
  return feeder.id == id ? &feeder : nullptr;
}

const TransformerArea* Network::FindTransformer(std::string_view id) const {
  int64_t n[3];
  if (!ParseId(id, "TA-", 3, n) || n[0] > static_cast<int64_t>(substations_.size())) {
    return nullptr;
  }
  const auto& substation = substations_[static_cast<size_t>(n[0] - 1)];
  if (n[1] > substation.feeders.size()) return nullptr;
  const auto& feeder = feeders_[static_cast<size_t>(substation.feeders.begin + n[1] - 1)];
  if (n[2] > feeder.transformers.size()) return nullptr;
  const auto& area = transformers_[static_cast<size_t>(feeder.transformers.begin + n[2] - 1)];
  return area.id == id ? &area : nullptr;
}

int32_t Network::TransformerIndexOf(int64_t customer_index) const {
  const auto it =
      std::upper_bound(transformer_ends_.begin(), transformer_ends_.end(), customer_index);
  return static_cast<int32_t>(it - transformer_ends_.begin());
}

core::Result<Network> BuildNetwork(const UtilitySpec& spec) {
  if (auto status = ValidateSpec(spec); !status) return status.error();
  Network net;
  net.province_ = internal::kProvinceName;
  net.capital_ = internal::kCapitalName;
  net.centre_ = spec.centre;
  net.customer_count_ = spec.customers;
  net.lat_per_km_ = 1.0 / kKmPerDegree;
  net.lon_per_km_ = 1.0 / (kKmPerDegree * internal::Cos(spec.centre.latitude * kPi / 180));
  const auto to_geo = [&net](Xy p) {
    return GeoPoint{internal::RoundMicroDegrees(net.centre_.latitude + p.y * net.lat_per_km_),
                    internal::RoundMicroDegrees(net.centre_.longitude + p.x * net.lon_per_km_)};
  };

  // 1. How many customers each class gets, then substations per class, centre outwards.
  const int64_t remote = spec.customers * kProfiles[2].share_per_mille / 1000;
  const int64_t rural = spec.customers * kProfiles[1].share_per_mille / 1000;
  const int64_t class_customers[3] = {spec.customers - rural - remote, rural, remote};
  std::vector<Site> sites;
  for (size_t c = 0; c < kProfiles.size(); ++c) PlaceSites(spec.seed, c, class_customers[c], sites);
  if (sites.size() > 9'999) return core::Internal("more than 9,999 substations");

  // 2. Districts (urban 区, rural and remote 县) with their cities and names.
  Rng names(internal::HashKey(spec.seed, internal::kStreamNames));
  std::unordered_set<std::string> used_stems;
  const auto groups = GroupIntoDistricts(spec.seed, sites);
  net.districts_ = MakeDistricts(groups, sites, net.capital_, names, used_stems, to_geo);

  // 3. Each substation: feeders, transformer areas, customers, names and places.
  int64_t next_customer = 0;
  for (size_t s = 0; s < sites.size(); ++s) {
    const Site& site = sites[s];
    const ClassProfile& profile = *site.profile;
    const bool urban = profile.area_class == v1::AREA_CLASS_URBAN;
    Rng rng(internal::HashKey(spec.seed, internal::kStreamSubstation, s));
    const int number = static_cast<int>(s + 1);

    Substation substation;
    substation.id = FormatId("SUB-%04d", number);
    substation.area_class = profile.area_class;
    substation.location = to_geo(site.position);
    substation.district = site.district;
    const District& district = net.districts_[static_cast<size_t>(site.district)];
    // A district's first substation carries the district's own name.
    const std::string stem = district.substations.front() == static_cast<int32_t>(s)
                                 ? district.stem
                                 : internal::UniquePlaceStem(names, used_stems);
    substation.name = stem + "变电站";

    const SubstationShape shape = ShapeSubstation(rng, site, profile);
    const int feeder_count = shape.feeder_count;
    const auto& areas_per_feeder = shape.areas_per_feeder;
    const auto& customers_per_area = shape.customers_per_area;

    substation.feeders.begin = static_cast<int64_t>(net.feeders_.size());
    substation.transformers.begin = static_cast<int64_t>(net.transformers_.size());
    substation.customers.begin = next_customer;
    const double base_angle = rng.Unit() * 2 * kPi;
    std::unordered_set<std::string> feeder_stems;
    size_t area_in_substation = 0;
    for (int f = 0; f < feeder_count; ++f) {
      Feeder feeder;
      feeder.id = FormatId("FDR-%04d-%02d", number, f + 1);
      feeder.substation_id = substation.id;
      feeder.substation = static_cast<int32_t>(s);
      feeder.area_class = profile.area_class;
      const double angle =
          base_angle + 2 * kPi * (f + rng.Uniform(-0.3, 0.3)) / static_cast<double>(feeder_count);
      const Xy centre =
          KeepInRing(Polar(site.position, rng.Uniform(0.35, 0.75) * site.reach_km, angle),
                     profile.inner_km, profile.outer_km);
      feeder.location = to_geo(centre);
      const std::string feeder_stem = internal::UniquePlaceStem(names, feeder_stems);
      feeder.name = "10kV " + feeder_stem + "线";
      feeder.transformers.begin = static_cast<int64_t>(net.transformers_.size());
      feeder.customers.begin = next_customer;

      // Urban areas line streets, about four to a street; country areas are villages of the
      // feeder's town, about two to a village.
      const auto areas = areas_per_feeder[static_cast<size_t>(f)];
      const int64_t localities =
          urban ? std::max<int64_t>(1, (areas + 3) / 4) : std::max<int64_t>(1, (areas + 1) / 2);
      const auto locality_names = LocalityNames(names, localities, urban);
      const std::string town =
          profile.area_class == v1::AREA_CLASS_RURAL ? feeder_stem + "镇" : feeder_stem + "乡";

      for (int64_t a = 0; a < areas; ++a) {
        TransformerArea area;
        area.id = FormatId("TA-%04d-%02d-%03d", number, f + 1, static_cast<int>(a + 1));
        area.feeder_id = feeder.id;
        area.substation_id = substation.id;
        area.feeder = static_cast<int32_t>(net.feeders_.size());
        area.substation = static_cast<int32_t>(s);
        area.area_class = profile.area_class;
        area.location = to_geo(KeepInRing(InDisc(rng, centre, 0.35 * site.reach_km),
                                          profile.inner_km, profile.outer_km));
        const auto& locality = locality_names[static_cast<size_t>(a % localities)];
        const int ordinal = static_cast<int>(a / localities) + 1;
        NameArea(rng, locality, ordinal, urban, town, area);
        const auto count = customers_per_area[area_in_substation++];
        area.customers = {next_customer, next_customer + count};
        next_customer += count;
        area.capacity_kva = CapacityKva(count, profile.min_capacity_kva);
        net.transformer_ends_.push_back(next_customer);
        net.transformers_.push_back(std::move(area));
      }
      feeder.transformers.end = static_cast<int64_t>(net.transformers_.size());
      feeder.customers.end = next_customer;
      net.feeders_.push_back(std::move(feeder));
    }
    substation.feeders.end = static_cast<int64_t>(net.feeders_.size());
    substation.transformers.end = static_cast<int64_t>(net.transformers_.size());
    substation.customers.end = next_customer;
    net.substations_.push_back(std::move(substation));
  }
  if (next_customer != spec.customers) return core::Internal("customer apportionment is off");
  return net;
}

}  // namespace gridcare::synth
