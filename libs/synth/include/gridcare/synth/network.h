#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/synth/spec.h"
#include "gridcare/v1/common.pb.h"

namespace gridcare::synth {

/// Half-open range [begin, end) of indices into one of the Network's tables or of customers.
struct IndexRange {
  int64_t begin = 0;
  int64_t end = 0;

  int64_t size() const { return end - begin; }
  bool empty() const { return end <= begin; }
  bool Contains(int64_t index) const { return index >= begin && index < end; }
};

/// Great-circle-free distance (equirectangular; fine below a few hundred km), in km.
double DistanceKm(const GeoPoint& a, const GeoPoint& b);

v1::GeoPoint ToProto(const GeoPoint& point);

/// An urban district (区) or a county (县): a group of 1-3 neighbouring substations served by one
/// repair depot. Urban districts belong to the capital; counties to prefecture cities.
struct District {
  std::string id;    ///< "DIST-001"
  std::string name;  ///< "天河区" or "清溪县"
  std::string stem;  ///< the place name without suffix, "天河"; used for depot and crew names
  std::string city;  ///< "榕州市"
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  GeoPoint centre;
  std::vector<int32_t> substations;  ///< indices into Network::substations()
};

/// A 110/35 kV substation. Substations are ordered urban, rural, remote, each from the centre out.
struct Substation {
  std::string id;    ///< "SUB-0001"
  std::string name;  ///< "天河变电站"
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  GeoPoint location;
  int32_t district = 0;     ///< index into Network::districts()
  IndexRange feeders;       ///< into Network::feeders()
  IndexRange transformers;  ///< into Network::transformers()
  IndexRange customers;     ///< customer indices
};

/// A 10 kV feeder. `location` is the centre of the cluster its transformer areas sit around.
struct Feeder {
  std::string id;    ///< "FDR-0001-03": substation 1, feeder 3
  std::string name;  ///< "10kV 体育线"
  std::string substation_id;
  int32_t substation = 0;  ///< index into Network::substations()
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  GeoPoint location;
  IndexRange transformers;
  IndexRange customers;
};

/// A distribution transformer and the low-voltage area it supplies (台区).
struct TransformerArea {
  std::string id;    ///< "TA-0001-03-012"
  std::string name;  ///< "体育西路 3 号台区" or "石岭村 2 号台区"
  std::string feeder_id;
  std::string substation_id;
  int32_t feeder = 0;      ///< index into Network::feeders()
  int32_t substation = 0;  ///< index into Network::substations()
  v1::AreaClass area_class = v1::AREA_CLASS_UNSPECIFIED;
  GeoPoint location;
  int32_t capacity_kva = 0;
  IndexRange customers;
  /// Where its customers live, used in their addresses: a street ("体育西路") in the city, a town
  /// and village ("石岭镇上坪村") in the country.
  std::string locality;
  int32_t first_house_number = 1;  ///< urban street numbers start here
};

/// Customers never lie farther than this from their transformer.
inline constexpr double kMaxCustomerDistanceKm = 1.5;

/// The supply network of one synthetic utility: districts → substations → 10 kV feeders →
/// transformer areas → customers. Customer indices are contiguous per transformer area, so every
/// element carries the range of customers below it. Immutable after BuildNetwork(); thread-safe
/// for concurrent reads.
class Network {
 public:
  const std::string& province() const { return province_; }
  const std::string& capital() const { return capital_; }
  const GeoPoint& centre() const { return centre_; }
  int64_t customer_count() const { return customer_count_; }

  const std::vector<District>& districts() const { return districts_; }
  const std::vector<Substation>& substations() const { return substations_; }
  const std::vector<Feeder>& feeders() const { return feeders_; }
  const std::vector<TransformerArea>& transformers() const { return transformers_; }

  /// nullptr when no element has this id. O(1): ids are parsed, not looked up in a table.
  const Substation* FindSubstation(std::string_view id) const;
  const Feeder* FindFeeder(std::string_view id) const;
  const TransformerArea* FindTransformer(std::string_view id) const;

  /// Index into transformers() of the area supplying customer `customer_index`
  /// (0 <= customer_index < customer_count()). O(log transformers).
  int32_t TransformerIndexOf(int64_t customer_index) const;
  const TransformerArea& TransformerOf(int64_t customer_index) const {
    return transformers_[TransformerIndexOf(customer_index)];
  }

  /// Degrees of latitude/longitude per km east and north of the centre (flat-map projection).
  double LatitudePerKm() const { return lat_per_km_; }
  double LongitudePerKm() const { return lon_per_km_; }

 private:
  friend core::Result<Network> BuildNetwork(const UtilitySpec& spec);

  std::string province_;
  std::string capital_;
  GeoPoint centre_;
  int64_t customer_count_ = 0;
  double lat_per_km_ = 0;
  double lon_per_km_ = 0;
  std::vector<District> districts_;
  std::vector<Substation> substations_;
  std::vector<Feeder> feeders_;
  std::vector<TransformerArea> transformers_;
  std::vector<int64_t> transformer_ends_;  // customers.end of each area, for binary search
};

/// Builds the network sized from spec.customers (no customers are generated). Sizes at full scale:
/// 8-16 feeders per substation; transformer areas of 200-500 (urban), 50-150 (rural) and 10-50
/// (remote) customers. Small utilities shrink every level evenly, keeping at least one substation
/// per area class, 3 feeders per substation and 2 areas per feeder.
core::Result<Network> BuildNetwork(const UtilitySpec& spec);

}  // namespace gridcare::synth
