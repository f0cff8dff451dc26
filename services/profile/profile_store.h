#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/profile.pb.h"
#include "history_rules.h"

namespace gridcare::profile {

enum class SupplyScope { kTransformer, kFeeder };

struct CustomerPage {
  std::vector<v1::Customer> customers;
  std::string next_page_token;  // empty on the last page
  int64_t total_count = 0;
};

struct UpsertOutcome {
  v1::Customer customer;
  bool created = false;
};

/// What a kMeterInstalled fact did to the customer's meter number.
struct MeterChange {
  enum class Outcome {
    kChanged,    // the record and the meter index took the new number
    kConfirmed,  // the record already had that number; only the time it was set moved on
    kNotNewer,   // ignored: the meter was set at or after the fact's time (redelivery, or an
                 // older installation arriving after a newer one or after an operator's edit)
  };
  Outcome outcome = Outcome::kNotNewer;
  std::string customer_id;
  std::string ticket_id;
  std::string meter_number;           // the fact's
  std::string previous_meter_number;  // the record's before the fact
};

/// What applying an event's facts changed (for the handler's logs).
struct AppliedFacts {
  std::vector<std::string> tagged_sensitive;  // complaints crossed the sensitive threshold
  std::vector<MeterChange> meters;            // one per kMeterInstalled fact
};

/// Customer profiles and their history (the port; RedisProfileStore in redis_profile_store.h is
/// the adapter). Implementations are thread-safe.
class ProfileStore {
 public:
  virtual ~ProfileStore() = default;

  /// The customer with history counters filled; NOT_FOUND when unknown.
  virtual core::Result<v1::Customer> Get(std::string_view customer_id) = 0;
  /// Found customers in request order, plus the ids that were not found.
  virtual core::Result<std::pair<std::vector<v1::Customer>, std::vector<std::string>>> GetMany(
      const std::vector<std::string>& customer_ids) = 0;
  /// Customer ids registered with this (normalised) phone; empty when none.
  virtual core::Result<std::vector<std::string>> IdsByPhone(std::string_view normalized_phone) = 0;
  virtual core::Result<std::optional<std::string>> IdByMeter(std::string_view meter_number) = 0;
  /// A page of the customers supplied by a transformer area or feeder, ordered by id.
  /// `page_token` is the last id of the previous page (opaque to callers).
  virtual core::Result<CustomerPage> ListBySupply(SupplyScope scope, std::string_view id,
                                                  int page_size, std::string_view page_token) = 0;

  /// Validated, normalised upsert with optimistic concurrency: `expected_version` 0 skips the
  /// check, otherwise FAILED_PRECONDITION when the stored version differs. Indexes (phone, meter,
  /// transformer, feeder) follow the change atomically.
  virtual core::Result<UpsertOutcome> Upsert(const v1::Customer& customer,
                                             int64_t expected_version) = 0;

  /// Applies an event's history facts idempotently: the customers whose complaints crossed the
  /// sensitive threshold with these facts (and were tagged), and what meter facts did. A meter
  /// fact for an unknown customer is NOT_FOUND; one with a malformed meter number
  /// INVALID_ARGUMENT (as UpsertCustomer would answer).
  virtual core::Result<AppliedFacts> ApplyAll(const std::vector<HistoryFact>& facts) = 0;
  /// Customers registered in `district` (their address's district); every customer when empty.
  virtual core::Result<int64_t> CountCustomers(std::string_view district) = 0;
  /// Whether the customer exists.
  virtual core::Result<bool> Exists(std::string_view customer_id) = 0;
};

}  // namespace gridcare::profile
