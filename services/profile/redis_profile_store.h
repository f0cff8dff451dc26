#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/redis/client.h"
#include "history_rules.h"
#include "profile_store.h"

namespace gridcare::profile {

/// The profile service's Redis key layout (all keys prefixed "profile:"; no other service reads
/// them). See docs/services/profile.md.
namespace keys {
std::string Customer(std::string_view customer_id);        // "<version>|<Customer protobuf>"
std::string Phone(std::string_view normalized_phone);      // set of customer ids
std::string Meter(std::string_view meter_number);          // customer id
std::string Transformer(std::string_view transformer_id);  // sorted set of customer ids (lex)
std::string Feeder(std::string_view feeder_id);            // sorted set of customer ids (lex)
std::string OpenTickets(std::string_view customer_id);     // set of ticket ids
std::string Faults(std::string_view customer_id);          // sorted set ticket id -> unix ms
std::string Complaints(std::string_view customer_id);      // sorted set ticket/case id -> unix ms
std::string Urgings(std::string_view customer_id);         // sorted set request id -> unix ms
std::string Contacts(std::string_view customer_id);        // sorted set request id -> unix ms
std::string Satisfaction(std::string_view customer_id);    // hash score, at_ms, case_id
std::string TicketOwner(std::string_view ticket_id);       // customer id
std::string MeterSetAt(std::string_view customer_id);      // Unix ms the meter number was set
}  // namespace keys

/// ProfileStore in Redis: an upsert and its index changes are one Lua script; history facts go
/// in one pipelined round trip (plus an owner lookup for a closed ticket named without its
/// customer); an installed meter goes through the upsert's write. Thread-safe (the Redis client
/// is); `redis` and `clock` must outlive the store.
class RedisProfileStore final : public ProfileStore {
 public:
  RedisProfileStore(redis::RedisClient& redis, const core::Clock& clock, HistoryRules rules);

  core::Result<v1::Customer> Get(std::string_view customer_id) override;
  core::Result<std::pair<std::vector<v1::Customer>, std::vector<std::string>>> GetMany(
      const std::vector<std::string>& customer_ids) override;
  core::Result<std::vector<std::string>> IdsByPhone(std::string_view normalized_phone) override;
  core::Result<std::optional<std::string>> IdByMeter(std::string_view meter_number) override;
  core::Result<CustomerPage> ListBySupply(SupplyScope scope, std::string_view id, int page_size,
                                          std::string_view page_token) override;
  core::Result<UpsertOutcome> Upsert(const v1::Customer& customer,
                                     int64_t expected_version) override;
  core::Result<AppliedFacts> ApplyAll(const std::vector<HistoryFact>& facts) override;
  core::Result<bool> Exists(std::string_view customer_id) override;
  core::Result<int64_t> CountCustomers(std::string_view district) override;

  /// The bulk path for loading a generated or migrated utility: pipelined, no per-record round
  /// trip. Assumes the records are new (it does not remove stale index entries of a previous
  /// version). Records must already be valid.
  core::Status BulkLoad(const std::vector<v1::Customer>& customers);

 private:
  /// The one write of a customer record (Upsert's and InstallMeter's): record, indexes and the
  /// meter's set-at time in one versioned Lua script, retried when someone wrote in between
  /// unless `expected_version` (> 0) pins the version (FAILED_PRECONDITION). `record` must be
  /// valid and normalised. `meter_set_at_ms`: when the record's meter number was set; without it
  /// a changed meter number counts as set now.
  core::Result<UpsertOutcome> Write(v1::Customer record, int64_t expected_version,
                                    std::optional<int64_t> meter_set_at_ms);
  /// Sets the customer's meter number from a finished installation unless the meter was set at or
  /// after the fact's time.
  core::Result<MeterChange> InstallMeter(const HistoryFact& fact);
  core::Result<bool> TagIfSensitive(const std::string& customer_id);
  void AppendHistoryWrites(const HistoryFact& fact, const std::string& customer_id,
                           std::vector<std::vector<std::string>>& commands) const;
  void AppendHistoryReads(std::vector<std::vector<std::string>>& commands,
                          const std::string& customer_id) const;
  core::Result<v1::Customer> Assemble(const redis::Reply* replies, const std::string& id) const;

  redis::RedisClient& redis_;
  const core::Clock& clock_;
  HistoryRules rules_;
};

}  // namespace gridcare::profile
