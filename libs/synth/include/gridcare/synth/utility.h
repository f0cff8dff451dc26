#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/synth/network.h"
#include "gridcare/synth/roster.h"
#include "gridcare/synth/spec.h"
#include "gridcare/v1/profile.pb.h"

namespace gridcare::synth {

/// A synthetic utility: network, roster and random access to its customers. Customer `i` is a
/// pure function of (spec, i): nothing per customer is stored, so 20 million customers cost no
/// memory beyond the network. Immutable; thread-safe for concurrent reads; movable.
///
/// Functions taking a customer index throw std::out_of_range unless 0 <= index < customer_count().
///
/// Identifiers, each unique and derived from the index alone:
///  - customer_id: "44" + 8 digits, a fixed permutation of the index (seed-independent);
///  - meter_number: 22 digits, "1440" + maker + year + 11-digit serial + check digit;
///  - phones: 11-digit mainland mobiles 1[3-9]xxxxxxxxx. See CustomersSharingPhoneWith().
class Utility {
 public:
  using CustomerCallback = std::function<void(int64_t index, const v1::Customer& customer)>;

  /// INVALID_ARGUMENT when the spec does not validate (see ValidateSpec).
  static core::Result<Utility> Create(const UtilitySpec& spec);

  const UtilitySpec& spec() const { return spec_; }
  const Network& network() const { return network_; }
  const Roster& roster() const { return roster_; }
  const std::vector<v1::Crew>& crews() const { return roster_.crews; }
  int64_t customer_count() const { return network_.customer_count(); }

  /// Customer `index` (0 <= index < customer_count(); std::out_of_range otherwise).
  v1::Customer CustomerAt(int64_t index) const;
  /// Same as CustomerAt, reusing `out`'s memory (it is cleared first).
  void FillCustomer(int64_t index, v1::Customer* out) const;

  /// Calls `callback` for every customer in index order. The Customer is reused between calls:
  /// copy it to keep it. Memory use is one Customer, whatever the count.
  void ForEachCustomer(const CustomerCallback& callback) const;
  /// The same for the customers in `range` (clipped to 0..customer_count()), e.g. one
  /// transformer's customers, or one worker's share.
  void ForEachCustomer(IndexRange range, const CustomerCallback& callback) const;

  std::string CustomerId(int64_t index) const;
  /// Inverse of CustomerId; nullopt for ids this utility never issued.
  std::optional<int64_t> CustomerIndexOf(std::string_view customer_id) const;
  /// Inverse of the meter_number field; nullopt when no customer has this meter.
  std::optional<int64_t> CustomerIndexOfMeter(std::string_view meter_number) const;

  /// The shared-phone rule. Within one transformer area, a customer other than the area's first
  /// is a "sharer" with probability shared_phone_rate / 2, decided by (seed, index) alone. A
  /// sharer's primary phone (phones[0]) is the primary phone of the nearest non-sharer before it
  /// in the same area (its "owner": family member, landlord). Owner and following sharers form a
  /// group; about shared_phone_rate of all accounts are in a group of two or more. A household
  /// sharer of a household owner takes the owner's surname. Secondary phones (phones[1], ~8% of
  /// non-sharers and ~40% of sharers) are never shared; a sharer's own number is never issued.
  ///
  /// Returns the indices (ascending, `index` included) of every customer whose primary phone is
  /// the primary phone of `index`; size 1 when it is not shared.
  std::vector<int64_t> CustomersSharingPhoneWith(int64_t index) const;
  /// Indices (ascending) of the customers listing `phone` among their phones; empty when none.
  std::vector<int64_t> CustomersWithPhone(std::string_view phone) const;
  /// phones[0] of customer `index`.
  std::string PrimaryPhone(int64_t index) const;

 private:
  Utility(UtilitySpec spec, Network network, Roster roster);

  void CheckIndex(int64_t index) const;  // std::out_of_range unless 0 <= index < count
  bool IsPhoneSharer(int64_t index, int64_t area_begin) const;
  int64_t PhoneOwner(int64_t index, int64_t area_begin) const;
  std::string OwnPhone(int64_t index) const;
  std::string AltPhone(int64_t index) const;
  std::string MeterNumber(int64_t index) const;
  bool HasAltPhone(int64_t index, bool sharer) const;
  v1::AccountType AccountTypeOf(int64_t index, v1::AreaClass area_class) const;
  void Fill(int64_t index, int32_t area, v1::Customer* out) const;

  UtilitySpec spec_;
  Network network_;
  Roster roster_;
  // Per-utility constants derived once from the spec and network.
  double sharer_probability_ = 0;
  double important_given_organisation_ = 0;
  double life_support_given_residential_ = 0;
  uint64_t phone_offset_ = 0;
  uint64_t alt_phone_offset_ = 0;
  uint64_t meter_offset_ = 0;
  std::vector<std::string> area_address_prefix_;  // province+city+district+locality per area
};

}  // namespace gridcare::synth
