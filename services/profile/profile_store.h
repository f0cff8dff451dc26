#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/redis/client.h"
#include "gridcare/v1/profile.pb.h"
#include "history_rules.h"

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
}  // namespace keys

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

/// Reads and writes customer profiles and their history in Redis. Thread-safe (the Redis client
/// is); `redis` and `clock` must outlive the store.
class ProfileStore {
 public:
  ProfileStore(redis::RedisClient& redis, const core::Clock& clock, HistoryRules rules);

  /// The customer with history counters filled; NOT_FOUND when unknown.
  core::Result<v1::Customer> Get(std::string_view customer_id);
  /// Found customers in request order, plus the ids that were not found.
  core::Result<std::pair<std::vector<v1::Customer>, std::vector<std::string>>> GetMany(
      const std::vector<std::string>& customer_ids);
  /// Customer ids registered with this (normalised) phone; empty when none.
  core::Result<std::vector<std::string>> IdsByPhone(std::string_view normalized_phone);
  core::Result<std::optional<std::string>> IdByMeter(std::string_view meter_number);
  /// A page of the customers supplied by a transformer area or feeder, ordered by id.
  /// `page_token` is the last id of the previous page (opaque to callers).
  core::Result<CustomerPage> ListBySupply(SupplyScope scope, std::string_view id, int page_size,
                                          std::string_view page_token);

  /// Validated, normalised upsert with optimistic concurrency: `expected_version` 0 skips the
  /// check, otherwise FAILED_PRECONDITION when the stored version differs. Indexes (phone, meter,
  /// transformer, feeder) follow the change atomically (one Lua script).
  core::Result<UpsertOutcome> Upsert(const v1::Customer& customer, int64_t expected_version);

  /// The bulk path for loading a generated or migrated utility: pipelined, no per-record round
  /// trip. Assumes the records are new (it does not remove stale index entries of a previous
  /// version). Records must already be valid.
  core::Status BulkLoad(const std::vector<v1::Customer>& customers);

  /// Applies an event's history facts idempotently, in one pipelined round trip (plus an owner
  /// lookup for a closed ticket named without its customer). Returns the customers whose
  /// complaints crossed the sensitive threshold with these facts (and were tagged).
  core::Result<std::vector<std::string>> ApplyAll(const std::vector<HistoryFact>& facts);
  /// Whether the customer exists.
  core::Result<bool> Exists(std::string_view customer_id);

 private:
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
