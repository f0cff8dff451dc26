#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>
#include <string>

#include "gridcare/synth/utility.h"
#include "names.h"
#include "profiles.h"
#include "random.h"

namespace gridcare::synth {
namespace {

using internal::HashKey;
using internal::InverseMod;
using internal::MulAddMod;
using internal::Rng;
using internal::UnitFromBits;

// Index permutations behind the identifiers: x -> (x * multiplier + offset) mod modulus is a
// bijection when the multiplier is coprime with the modulus, so ids are unique by construction
// and invertible, yet do not look sequential.
constexpr uint64_t kIdModulus = 100'000'000;
constexpr uint64_t kIdMultiplier = 61'803'399;
constexpr uint64_t kIdOffset = 27'182'818;
constexpr uint64_t kIdInverse = InverseMod(kIdMultiplier, kIdModulus);
constexpr uint64_t kPhoneModulus = 100'000'000;
constexpr uint64_t kPhoneMultiplier = 48'271'357;
constexpr uint64_t kPhoneInverse = InverseMod(kPhoneMultiplier, kPhoneModulus);
constexpr uint64_t kAltPhoneMultiplier = 69'069'461;
constexpr uint64_t kAltPhoneInverse = InverseMod(kAltPhoneMultiplier, kPhoneModulus);
constexpr uint64_t kSerialModulus = 100'000'000'000;
constexpr uint64_t kSerialMultiplier = 31'415'926'537;
constexpr uint64_t kSerialInverse = InverseMod(kSerialMultiplier, kSerialModulus);
static_assert(kIdMultiplier * kIdInverse % kIdModulus == 1);
static_assert(MulAddMod(kSerialMultiplier, kSerialInverse, 0, kSerialModulus) == 1);

// Primary phones use one set of mobile prefixes, secondary phones a disjoint set, so the two
// never collide although both are unique permutations of the index.
constexpr std::array<std::string_view, 23> kPrimaryPrefixes = {
    "134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
    "182", "183", "187", "188", "198", "133", "153", "180", "181", "189", "199"};
constexpr std::array<std::string_view, 16> kAltPrefixes = {"130", "131", "132", "155", "156", "166",
                                                           "175", "176", "185", "186", "173", "177",
                                                           "191", "195", "196", "178"};

constexpr std::array<std::string_view, 8> kMeterMakers = {"0013", "0021", "0035", "0042",
                                                          "0058", "0067", "0071", "0089"};

constexpr double kPrimaryAltPhoneRate = 0.08;
constexpr double kSharerAltPhoneRate = 0.40;
constexpr double kEnglishRate = 0.03;
constexpr double kQuietHoursRate = 0.30;

constexpr v1::Channel kChannels[] = {v1::CHANNEL_WECHAT, v1::CHANNEL_MOBILE_APP, v1::CHANNEL_SMS,
                                     v1::CHANNEL_HOTLINE_AGENT, v1::CHANNEL_WEB};
// Cumulative per-class preferences over kChannels: the country leans on SMS and the hotline.
constexpr std::array<std::array<int, 5>, 3> kChannelCumulative = {{
    {34, 64, 82, 95, 100},
    {30, 40, 75, 97, 100},
    {20, 25, 65, 99, 100},
}};

struct QuietWindow {
  int start;
  int end;
};
constexpr std::array<QuietWindow, 5> kQuietWindows = {{
    {22 * 60, 7 * 60},
    {21 * 60 + 30, 7 * 60 + 30},
    {22 * 60 + 30, 8 * 60},
    {23 * 60, 7 * 60},
    {12 * 60, 14 * 60},  // 午休: the after-lunch nap
}};

size_t ClassIndex(v1::AreaClass area_class) {
  return area_class == v1::AREA_CLASS_RURAL ? 1 : area_class == v1::AREA_CLASS_REMOTE ? 2 : 0;
}

template <size_t N>
std::string_view PickBy(uint64_t bits, const std::array<std::string_view, N>& items) {
  return items[static_cast<size_t>((static_cast<unsigned __int128>(bits) * N) >> 64)];
}

// Appends `value` as decimal digits, zero-padded to `width`.
void AppendNumber(std::string& out, uint64_t value, int width = 0) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  const auto length = static_cast<int>(result.ptr - buffer);
  if (length < width) out.append(static_cast<size_t>(width - length), '0');
  out.append(buffer, result.ptr);
}

bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

uint64_t ParseDigits(std::string_view text) {
  uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// Luhn check digit over a string of digits.
char CheckDigit(std::string_view digits) {
  int sum = 0;
  bool twice = true;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

/// The customer's address: the area's locality, then a house number and, in town, building and
/// room; a point spread around the area's transformer. Draws from `rng` in a fixed order.
void FillAddress(Rng& rng, const Network& network, const TransformerArea& area,
                 const District& district, const std::string& prefix, v1::AccountType type,
                 double spread, v1::Address* address) {
  const bool urban = area.area_class == v1::AREA_CLASS_URBAN;
  address->set_province(network.province());
  address->set_city(district.city);
  address->set_district(district.name);
  std::string& street = *address->mutable_street();
  std::string& building = *address->mutable_building();
  street = area.locality;
  street += ' ';
  if (urban) {
    AppendNumber(street, static_cast<uint64_t>(area.first_house_number) + 2 * rng.Below(25));
    street += " 号";
    switch (type) {
      case v1::ACCOUNT_TYPE_RESIDENTIAL:
        AppendNumber(building, 1 + rng.Below(18));
        building += " 栋 ";
        AppendNumber(building, (1 + rng.Below(32)) * 100 + 1 + rng.Below(6));
        break;
      case v1::ACCOUNT_TYPE_COMMERCIAL:
        building = "首层 ";
        AppendNumber(building, 1 + rng.Below(30));
        building += " 号铺";
        break;
      default:
        AppendNumber(building, 1 + rng.Below(8));
        building += " 号楼";
    }
  } else {
    AppendNumber(street, 1 + rng.Below(12));
    street += " 组";
    AppendNumber(building, 1 + rng.Below(160));
    building += " 号";
  }
  std::string& full = *address->mutable_full_text();
  full = prefix;
  full.append(street, area.locality.size());  // " 191 号" after the locality already in prefix
  full += ' ';
  full += building;
  double dx = 0;
  double dy = 0;
  do {  // uniform in the disc, by rejection
    dx = rng.Uniform(-1, 1);
    dy = rng.Uniform(-1, 1);
  } while (dx * dx + dy * dy > 1);
  auto* geo = address->mutable_geo();
  geo->set_latitude(
      internal::RoundMicroDegrees(area.location.latitude + dy * spread * network.LatitudePerKm()));
  geo->set_longitude(internal::RoundMicroDegrees(area.location.longitude +
                                                 dx * spread * network.LongitudePerKm()));
}

}  // namespace

core::Result<Utility> Utility::Create(const UtilitySpec& spec) {
  auto network = BuildNetwork(spec);
  if (!network) return network.error();
  auto roster = BuildRoster(spec, *network);
  return Utility(spec, std::move(network).value(), std::move(roster));
}

Utility::Utility(UtilitySpec spec, Network network, Roster roster)
    : spec_(std::move(spec)), network_(std::move(network)), roster_(std::move(roster)) {
  sharer_probability_ = spec_.shared_phone_rate / 2;
  // The tag rates apply to all accounts, but IMPORTANT goes to businesses and institutions
  // (commercial, industrial) and LIFE_SUPPORT to homes: scale by the expected share of each from
  // this network's class mix.
  double residential = 0;
  double organisations = 0;
  for (const auto& substation : network_.substations()) {
    const auto& mix = internal::ProfileOf(substation.area_class).account_mix;
    const auto customers = static_cast<double>(substation.customers.size());
    residential += customers * mix[0] / 1000;
    organisations += customers * (mix[1] + mix[2]) / 1000;
  }
  const double total = static_cast<double>(network_.customer_count());
  const double residential_share = residential / total;
  const double organisation_share = organisations / total;
  important_given_organisation_ =
      organisation_share > 0 ? std::min(1.0, spec_.important_rate / organisation_share) : 0;
  life_support_given_residential_ =
      residential_share > 0 ? std::min(1.0, spec_.life_support_rate / residential_share) : 0;
  phone_offset_ = HashKey(spec_.seed, internal::kStreamOffsets, 1) % kPhoneModulus;
  alt_phone_offset_ = HashKey(spec_.seed, internal::kStreamOffsets, 2) % kPhoneModulus;
  meter_offset_ = HashKey(spec_.seed, internal::kStreamOffsets, 3) % kSerialModulus;

  area_address_prefix_.reserve(network_.transformers().size());
  for (const auto& area : network_.transformers()) {
    const auto& substation = network_.substations()[static_cast<size_t>(area.substation)];
    const auto& district = network_.districts()[static_cast<size_t>(substation.district)];
    area_address_prefix_.push_back(network_.province() + district.city + district.name +
                                   area.locality);
  }
}

std::string Utility::CustomerId(int64_t index) const {
  CheckIndex(index);
  std::string out = "44";
  AppendNumber(out, MulAddMod(static_cast<uint64_t>(index), kIdMultiplier, kIdOffset, kIdModulus),
               8);
  return out;
}

std::optional<int64_t> Utility::CustomerIndexOf(std::string_view customer_id) const {
  if (customer_id.size() != 10 || customer_id.substr(0, 2) != "44" || !AllDigits(customer_id)) {
    return std::nullopt;
  }
  const uint64_t n = ParseDigits(customer_id.substr(2));
  const auto index =
      static_cast<int64_t>(MulAddMod(n + kIdModulus - kIdOffset, kIdInverse, 0, kIdModulus));
  if (index >= customer_count()) return std::nullopt;
  return index;
}

std::string Utility::MeterNumber(int64_t index) const {
  const uint64_t bits = HashKey(spec_.seed, internal::kStreamMeter, static_cast<uint64_t>(index));
  std::string out = "1440";
  out += PickBy(bits, kMeterMakers);
  AppendNumber(out, 12 + (bits & 0xFFFF) % 13, 2);  // made 2012-2024
  AppendNumber(
      out,
      MulAddMod(static_cast<uint64_t>(index), kSerialMultiplier, meter_offset_, kSerialModulus),
      11);
  out.push_back(CheckDigit(out));
  return out;
}

std::optional<int64_t> Utility::CustomerIndexOfMeter(std::string_view meter_number) const {
  if (meter_number.size() != 22 || !AllDigits(meter_number)) return std::nullopt;
  const uint64_t serial = ParseDigits(meter_number.substr(10, 11));
  const auto index = static_cast<int64_t>(
      MulAddMod(serial + kSerialModulus - meter_offset_, kSerialInverse, 0, kSerialModulus));
  if (index >= customer_count() || MeterNumber(index) != meter_number) return std::nullopt;
  return index;
}

std::string Utility::OwnPhone(int64_t index) const {
  std::string out(
      PickBy(HashKey(spec_.seed, internal::kStreamPhonePrefix, index), kPrimaryPrefixes));
  AppendNumber(
      out, MulAddMod(static_cast<uint64_t>(index), kPhoneMultiplier, phone_offset_, kPhoneModulus),
      8);
  return out;
}

std::string Utility::AltPhone(int64_t index) const {
  std::string out(
      PickBy(HashKey(spec_.seed, internal::kStreamPhonePrefix, index, 1), kAltPrefixes));
  AppendNumber(out,
               MulAddMod(static_cast<uint64_t>(index), kAltPhoneMultiplier, alt_phone_offset_,
                         kPhoneModulus),
               8);
  return out;
}

bool Utility::HasAltPhone(int64_t index, bool sharer) const {
  return UnitFromBits(HashKey(spec_.seed, internal::kStreamAltPhone, index)) <
         (sharer ? kSharerAltPhoneRate : kPrimaryAltPhoneRate);
}

bool Utility::IsPhoneSharer(int64_t index, int64_t area_begin) const {
  return index > area_begin && UnitFromBits(HashKey(spec_.seed, internal::kStreamPhoneSharer,
                                                    index)) < sharer_probability_;
}

int64_t Utility::PhoneOwner(int64_t index, int64_t area_begin) const {
  while (IsPhoneSharer(index, area_begin)) --index;
  return index;
}

std::string Utility::PrimaryPhone(int64_t index) const {
  CheckIndex(index);
  return OwnPhone(PhoneOwner(index, network_.TransformerOf(index).customers.begin));
}

std::vector<int64_t> Utility::CustomersSharingPhoneWith(int64_t index) const {
  CheckIndex(index);
  const auto& area = network_.TransformerOf(index);
  std::vector<int64_t> group = {PhoneOwner(index, area.customers.begin)};
  for (int64_t next = group.front() + 1;
       next < area.customers.end && IsPhoneSharer(next, area.customers.begin); ++next) {
    group.push_back(next);
  }
  return group;
}

std::vector<int64_t> Utility::CustomersWithPhone(std::string_view phone) const {
  if (phone.size() != 11 || !AllDigits(phone)) return {};
  const auto prefix = phone.substr(0, 3);
  const uint64_t suffix = ParseDigits(phone.substr(3));
  if (std::find(kPrimaryPrefixes.begin(), kPrimaryPrefixes.end(), prefix) !=
      kPrimaryPrefixes.end()) {
    const auto index = static_cast<int64_t>(
        MulAddMod(suffix + kPhoneModulus - phone_offset_, kPhoneInverse, 0, kPhoneModulus));
    if (index >= customer_count() || OwnPhone(index) != phone) return {};
    // A sharer's own number is never handed out.
    if (IsPhoneSharer(index, network_.TransformerOf(index).customers.begin)) return {};
    return CustomersSharingPhoneWith(index);
  }
  const auto index = static_cast<int64_t>(
      MulAddMod(suffix + kPhoneModulus - alt_phone_offset_, kAltPhoneInverse, 0, kPhoneModulus));
  if (index >= customer_count() || AltPhone(index) != phone) return {};
  const bool sharer = IsPhoneSharer(index, network_.TransformerOf(index).customers.begin);
  if (!HasAltPhone(index, sharer)) return {};
  return {index};
}

v1::AccountType Utility::AccountTypeOf(int64_t index, v1::AreaClass area_class) const {
  const auto& mix = internal::ProfileOf(area_class).account_mix;
  const std::array<int, 4> cumulative = {mix[0], mix[0] + mix[1], mix[0] + mix[1] + mix[2],
                                         mix[0] + mix[1] + mix[2] + mix[3]};
  constexpr v1::AccountType kTypes[] = {v1::ACCOUNT_TYPE_RESIDENTIAL, v1::ACCOUNT_TYPE_COMMERCIAL,
                                        v1::ACCOUNT_TYPE_INDUSTRIAL, v1::ACCOUNT_TYPE_AGRICULTURAL};
  return kTypes[internal::PickWeighted(
      HashKey(spec_.seed, internal::kStreamAccountType, static_cast<uint64_t>(index)), cumulative)];
}

v1::Customer Utility::CustomerAt(int64_t index) const {
  v1::Customer customer;
  FillCustomer(index, &customer);
  return customer;
}

void Utility::CheckIndex(int64_t index) const {
  if (index < 0 || index >= customer_count()) {
    throw std::out_of_range("customer index " + std::to_string(index) + " outside 0.." +
                            std::to_string(customer_count() - 1));
  }
}

void Utility::FillCustomer(int64_t index, v1::Customer* out) const {
  CheckIndex(index);
  Fill(index, network_.TransformerIndexOf(index), out);
}

void Utility::ForEachCustomer(const CustomerCallback& callback) const {
  ForEachCustomer(IndexRange{0, customer_count()}, callback);
}

void Utility::ForEachCustomer(IndexRange range, const CustomerCallback& callback) const {
  range.begin = std::max<int64_t>(range.begin, 0);
  range.end = std::min(range.end, customer_count());
  if (range.empty()) return;
  v1::Customer customer;
  int32_t area = network_.TransformerIndexOf(range.begin);
  const auto& areas = network_.transformers();
  for (int64_t index = range.begin; index < range.end; ++index) {
    while (index >= areas[static_cast<size_t>(area)].customers.end) ++area;
    Fill(index, area, &customer);
    callback(index, customer);
  }
}

void Utility::Fill(int64_t index, int32_t area_index, v1::Customer* out) const {
  const auto& area = network_.transformers()[static_cast<size_t>(area_index)];
  const auto& substation = network_.substations()[static_cast<size_t>(area.substation)];
  const auto& district = network_.districts()[static_cast<size_t>(substation.district)];
  const auto& profile = internal::ProfileOf(area.area_class);
  Rng rng(HashKey(spec_.seed, internal::kStreamCustomer, static_cast<uint64_t>(index)));
  out->Clear();

  out->set_customer_id(CustomerId(index));
  const auto type = AccountTypeOf(index, area.area_class);
  out->set_account_type(type);
  const bool residential = type == v1::ACCOUNT_TYPE_RESIDENTIAL;

  // Tags first: an important organisation is named like one. A fixed number of draws keeps
  // names and addresses stable when a rate changes.
  const double important_draw = rng.Unit();
  const double life_support_draw = rng.Unit();
  const double sensitive_draw = rng.Unit();
  const bool organisation =
      type == v1::ACCOUNT_TYPE_COMMERCIAL || type == v1::ACCOUNT_TYPE_INDUSTRIAL;
  const bool important = organisation && important_draw < important_given_organisation_;
  const bool life_support = residential && life_support_draw < life_support_given_residential_;
  const bool sensitive = sensitive_draw < spec_.sensitive_rate;

  const bool sharer = IsPhoneSharer(index, area.customers.begin);
  const int64_t owner = sharer ? PhoneOwner(index, area.customers.begin) : index;
  out->add_phones(OwnPhone(owner));
  if (HasAltPhone(index, sharer)) out->add_phones(AltPhone(index));

  std::string& name = *out->mutable_name();
  switch (type) {
    case v1::ACCOUNT_TYPE_COMMERCIAL:
      if (important && rng.Chance(0.7)) {
        internal::AppendInstitutionName(rng, district.stem, name);
      } else {
        internal::AppendShopName(rng, name);
      }
      break;
    case v1::ACCOUNT_TYPE_INDUSTRIAL:
      if (important && rng.Chance(0.3)) {
        internal::AppendInstitutionName(rng, district.stem, name);
      } else {
        internal::AppendCompanyName(rng, name);
      }
      break;
    case v1::ACCOUNT_TYPE_AGRICULTURAL:
      internal::AppendFarmName(rng, name);
      break;
    default: {
      // Households sharing a phone are one family: they share the surname too.
      const bool family =
          sharer && AccountTypeOf(owner, area.area_class) == v1::ACCOUNT_TYPE_RESIDENTIAL;
      const auto surname_of = static_cast<uint64_t>(family ? owner : index);
      name = internal::Surname(HashKey(spec_.seed, internal::kStreamSurname, surname_of));
      internal::AppendGivenName(rng, name);
    }
  }

  FillAddress(rng, network_, area, district, area_address_prefix_[static_cast<size_t>(area_index)],
              type, profile.customer_spread_km, out->mutable_address());

  out->set_area_class(area.area_class);
  auto* supply = out->mutable_supply();
  supply->set_substation_id(area.substation_id);
  supply->set_feeder_id(area.feeder_id);
  supply->set_transformer_id(area.id);
  out->set_meter_number(MeterNumber(index));
  if (important) out->add_tags(v1::CUSTOMER_TAG_IMPORTANT);
  if (life_support) out->add_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
  if (sensitive) out->add_tags(v1::CUSTOMER_TAG_SENSITIVE);

  out->set_preferred_channel(kChannels[internal::PickWeighted(
      rng.Next(), kChannelCumulative[ClassIndex(area.area_class)])]);
  out->set_preferred_language(rng.Chance(kEnglishRate) ? v1::LANGUAGE_EN : v1::LANGUAGE_ZH_CN);
  if (residential && rng.Chance(kQuietHoursRate)) {
    const auto& window = rng.Pick(kQuietWindows);
    auto* quiet = out->mutable_quiet_hours();
    quiet->set_start_minute_of_day(window.start);
    quiet->set_end_minute_of_day(window.end);
    quiet->set_time_zone("Asia/Shanghai");
  }
  out->set_tenant_id(spec_.tenant_id);
}

}  // namespace gridcare::synth
