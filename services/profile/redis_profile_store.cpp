#include "redis_profile_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "customer_validation.h"

namespace gridcare::profile {
namespace keys {
std::string Customer(std::string_view id) { return "profile:c:" + std::string(id); }
std::string Phone(std::string_view phone) { return "profile:phone:" + std::string(phone); }
std::string Meter(std::string_view meter) { return "profile:meter:" + std::string(meter); }
std::string Transformer(std::string_view id) { return "profile:ta:" + std::string(id); }
std::string Feeder(std::string_view id) { return "profile:fdr:" + std::string(id); }
// Customers per district (sorted sets, score 0) and all customers: counted, never listed.
std::string District(std::string_view name) { return "profile:district:" + std::string(name); }
constexpr std::string_view kAllCustomers = "profile:all";
std::string OpenTickets(std::string_view id) { return "profile:h:open:" + std::string(id); }
std::string Faults(std::string_view id) { return "profile:h:faults:" + std::string(id); }
std::string Complaints(std::string_view id) { return "profile:h:complaints:" + std::string(id); }
std::string Urgings(std::string_view id) { return "profile:h:urgings:" + std::string(id); }
std::string Contacts(std::string_view id) { return "profile:h:contacts:" + std::string(id); }
std::string Satisfaction(std::string_view id) { return "profile:h:sat:" + std::string(id); }
std::string TicketOwner(std::string_view id) { return "profile:ticket:" + std::string(id); }
std::string MeterSetAt(std::string_view id) { return "profile:meter-set-at:" + std::string(id); }
}  // namespace keys

namespace {

using google::protobuf::util::TimeUtil;

// The customer record is stored as "<version>|<protobuf>" so the upsert script can read the
// version without parsing protobuf. Returns {array {"ok", version} | {"conflict", current} |
// {"mismatch", current}}; index changes come as (op, key, member) triples ('max': set the key to
// the number `member` unless it already holds a larger one).
constexpr const char* kUpsertScript = R"lua(
local current = redis.call('GET', KEYS[1])
local version = -1
if current then
  version = tonumber(string.sub(current, 1, string.find(current, '|', 1, true) - 1))
end
local expected = tonumber(ARGV[1])
if expected > 0 and version ~= expected then return {'mismatch', version} end
if version ~= tonumber(ARGV[2]) then return {'conflict', version} end
local next_version = 1
if version > 0 then next_version = version + 1 end
redis.call('SET', KEYS[1], next_version .. '|' .. ARGV[3])
for i = 4, #ARGV, 3 do
  local op, key, member = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if op == 'sadd' then redis.call('SADD', key, member)
  elseif op == 'srem' then redis.call('SREM', key, member)
  elseif op == 'set' then redis.call('SET', key, member)
  elseif op == 'delif' then
    if redis.call('GET', key) == member then redis.call('DEL', key) end
  elseif op == 'zadd' then redis.call('ZADD', key, 0, member)
  elseif op == 'zrem' then redis.call('ZREM', key, member)
  elseif op == 'max' then
    local held = tonumber(redis.call('GET', key))
    if not held or held < tonumber(member) then redis.call('SET', key, member) end
  end
end
return {'ok', next_version}
)lua";

constexpr int kMaxUpsertAttempts = 8;
constexpr int kContactsKept = 20;
constexpr auto kTicketOwnerRetention = std::chrono::hours(24 * 400);
constexpr int kHistoryReads = 6;

struct Stored {
  int64_t version = -1;  // -1: absent
  v1::Customer customer;
};

core::Result<Stored> Decode(const redis::Reply& reply, std::string_view id) {
  Stored stored;
  if (reply.is_nil()) return stored;
  if (!reply.is_string()) return core::Internal("profile record has an unexpected type");
  const std::string& raw = reply.str();
  const auto bar = raw.find('|');
  if (bar == std::string::npos) {
    return core::Internal("profile record of " + std::string(id) + " is corrupt (no version)");
  }
  stored.version = std::stoll(raw.substr(0, bar));
  if (!stored.customer.ParseFromArray(raw.data() + bar + 1,
                                      static_cast<int>(raw.size() - bar - 1))) {
    return core::Internal("profile record of " + std::string(id) + " is corrupt (protobuf)");
  }
  stored.customer.set_version(stored.version);
  return stored;
}

std::string Encode(int64_t version, const v1::Customer& customer) {
  return std::to_string(version) + "|" + customer.SerializeAsString();
}

std::string Score(int64_t millis) { return std::to_string(millis); }

// Appends one (op, key, member) triple of the upsert script.
void AppendOp(std::vector<std::string>& args, const char* name, std::string key,
              std::string member) {
  args.push_back(name);
  args.push_back(std::move(key));
  args.push_back(std::move(member));
}

// The index changes that take the indexes from `previous` (absent when version < 0) to `record`.
void AppendIndexOps(const Stored& previous, const v1::Customer& record,
                    std::vector<std::string>& args) {
  const std::string& id = record.customer_id();
  if (previous.version >= 0) {
    const auto& old = previous.customer;
    std::set<std::string> kept(record.phones().begin(), record.phones().end());
    for (const auto& phone : old.phones()) {
      if (!kept.count(phone)) AppendOp(args, "srem", keys::Phone(phone), id);
    }
    // Only if the old number still points here: another customer may have taken it since.
    if (old.meter_number() != record.meter_number()) {
      AppendOp(args, "delif", keys::Meter(old.meter_number()), id);
    }
    if (old.supply().transformer_id() != record.supply().transformer_id()) {
      AppendOp(args, "zrem", keys::Transformer(old.supply().transformer_id()), id);
    }
    if (old.supply().feeder_id() != record.supply().feeder_id()) {
      AppendOp(args, "zrem", keys::Feeder(old.supply().feeder_id()), id);
    }
    if (old.address().district() != record.address().district()) {
      AppendOp(args, "zrem", keys::District(old.address().district()), id);
    }
  }
  for (const auto& phone : record.phones()) AppendOp(args, "sadd", keys::Phone(phone), id);
  AppendOp(args, "set", keys::Meter(record.meter_number()), id);
  AppendOp(args, "zadd", keys::Transformer(record.supply().transformer_id()), id);
  AppendOp(args, "zadd", keys::Feeder(record.supply().feeder_id()), id);
  AppendOp(args, "zadd", keys::District(record.address().district()), id);
  AppendOp(args, "zadd", std::string(keys::kAllCustomers), id);
}

// A stored set-at time (nil when the meter was never set by an installation or an edit).
core::Result<std::optional<int64_t>> DecodeMillis(const redis::Reply& reply, std::string_view key) {
  if (reply.is_nil()) return std::optional<int64_t>();
  if (!reply.is_string()) return core::Internal(std::string(key) + " has an unexpected type");
  const std::string& raw = reply.str();
  int64_t value = 0;
  const auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (error != std::errc() || end != raw.data() + raw.size()) {
    return core::Internal(std::string(key) + " is corrupt");
  }
  return std::optional<int64_t>(value);
}

}  // namespace

RedisProfileStore::RedisProfileStore(redis::RedisClient& redis, const core::Clock& clock,
                                     HistoryRules rules)
    : redis_(redis), clock_(clock), rules_(rules) {}

void RedisProfileStore::AppendHistoryReads(std::vector<std::vector<std::string>>& commands,
                                           const std::string& id) const {
  const int64_t now = core::ToUnixMillis(clock_.Now());
  auto since = [now](std::chrono::hours window) {
    return Score(now - std::chrono::duration_cast<std::chrono::milliseconds>(window).count());
  };
  commands.push_back({"SCARD", keys::OpenTickets(id)});
  commands.push_back({"ZCOUNT", keys::Faults(id), since(rules_.fault_window), "+inf"});
  commands.push_back({"ZCOUNT", keys::Complaints(id), since(rules_.complaint_window), "+inf"});
  commands.push_back({"ZCOUNT", keys::Urgings(id), since(rules_.urging_window), "+inf"});
  commands.push_back({"ZRANGE", keys::Contacts(id), "-1", "-1", "WITHSCORES"});
  commands.push_back({"HGET", keys::Satisfaction(id), "score"});
}

core::Result<v1::Customer> RedisProfileStore::Assemble(const redis::Reply* replies,
                                                       const std::string& id) const {
  auto stored = Decode(replies[0], id);
  if (!stored) return stored.error();
  if (stored->version < 0) return core::NotFound("no customer " + id);
  for (int i = 1; i <= kHistoryReads; ++i) {
    if (replies[i].is_error()) return core::Internal("history read failed: " + replies[i].str());
  }
  v1::Customer customer = std::move(stored->customer);
  auto* history = customer.mutable_history();
  history->set_open_tickets(static_cast<int32_t>(replies[1].integer()));
  history->set_faults_last_12_months(static_cast<int32_t>(replies[2].integer()));
  history->set_complaints_last_30_days(static_cast<int32_t>(replies[3].integer()));
  history->set_urgings_last_30_days(static_cast<int32_t>(replies[4].integer()));
  const auto& contacts = replies[5].elements();
  if (contacts.size() == 2) {
    *history->mutable_last_contact_at() =
        TimeUtil::MillisecondsToTimestamp(std::stoll(contacts[1].str()));
  }
  if (replies[6].is_string()) {
    history->set_last_satisfaction_score(std::stoi(replies[6].str()));
  }
  return customer;
}

core::Result<v1::Customer> RedisProfileStore::Get(std::string_view customer_id) {
  const std::string id(customer_id);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(1 + kHistoryReads);
  commands.push_back({"GET", keys::Customer(id)});
  AppendHistoryReads(commands, id);
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  return Assemble(replies->data(), id);
}

core::Result<std::pair<std::vector<v1::Customer>, std::vector<std::string>>>
RedisProfileStore::GetMany(const std::vector<std::string>& customer_ids) {
  std::pair<std::vector<v1::Customer>, std::vector<std::string>> out;
  if (customer_ids.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(customer_ids.size() * (1 + kHistoryReads));
  for (const auto& id : customer_ids) {
    commands.push_back({"GET", keys::Customer(id)});
    AppendHistoryReads(commands, id);
  }
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  for (size_t i = 0; i < customer_ids.size(); ++i) {
    auto customer = Assemble(replies->data() + i * (1 + kHistoryReads), customer_ids[i]);
    if (customer) {
      out.first.push_back(std::move(customer).value());
    } else if (customer.error().kind == core::ErrorKind::kNotFound) {
      out.second.push_back(customer_ids[i]);
    } else {
      return customer.error();
    }
  }
  return out;
}

core::Result<std::vector<std::string>> RedisProfileStore::IdsByPhone(std::string_view phone) {
  auto ids = redis_.SMembers(keys::Phone(phone));
  if (!ids) return ids.error();
  std::sort(ids->begin(), ids->end());
  return ids;
}

core::Result<std::optional<std::string>> RedisProfileStore::IdByMeter(std::string_view meter) {
  return redis_.Get(keys::Meter(meter));
}

core::Result<int64_t> RedisProfileStore::CountCustomers(std::string_view district) {
  const std::string key =
      district.empty() ? std::string(keys::kAllCustomers) : keys::District(district);
  auto reply = redis_.Command({"ZCARD", key});
  if (!reply) return reply.error();
  return reply->integer();
}

core::Result<bool> RedisProfileStore::Exists(std::string_view customer_id) {
  return redis_.Exists(keys::Customer(customer_id));
}

core::Result<CustomerPage> RedisProfileStore::ListBySupply(SupplyScope scope, std::string_view id,
                                                           int page_size,
                                                           std::string_view page_token) {
  const std::string key =
      scope == SupplyScope::kTransformer ? keys::Transformer(id) : keys::Feeder(id);
  const std::string from = page_token.empty() ? "-" : "(" + std::string(page_token);
  auto replies =
      redis_.Pipeline({{"ZRANGEBYLEX", key, from, "+", "LIMIT", "0", std::to_string(page_size + 1)},
                       {"ZCARD", key}});
  if (!replies) return replies.error();
  CustomerPage page;
  page.total_count = (*replies)[1].integer();
  std::vector<std::string> ids;
  for (const auto& element : (*replies)[0].elements()) ids.push_back(element.str());
  const bool more = static_cast<int>(ids.size()) > page_size;
  if (more) ids.resize(page_size);
  auto found = GetMany(ids);
  if (!found) return found.error();
  page.customers = std::move(found->first);
  if (more) page.next_page_token = ids.back();
  return page;
}

core::Result<UpsertOutcome> RedisProfileStore::Upsert(const v1::Customer& input,
                                                      int64_t expected_version) {
  if (auto valid = ValidateCustomer(input); !valid) return valid.error();
  return Write(Normalized(input), expected_version, std::nullopt);
}

core::Result<UpsertOutcome> RedisProfileStore::Write(v1::Customer record, int64_t expected_version,
                                                     std::optional<int64_t> meter_set_at_ms) {
  const int64_t now = core::ToUnixMillis(clock_.Now());
  record.set_version(0);  // the version lives in the key's prefix
  record.clear_history();
  *record.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(now);
  const std::string& id = record.customer_id();
  const std::string blob = record.SerializeAsString();

  for (int attempt = 0; attempt < kMaxUpsertAttempts; ++attempt) {
    auto current = redis_.Get(keys::Customer(id));
    if (!current) return current.error();
    Stored previous;
    if (current->has_value()) {
      auto decoded = Decode(redis::Reply::FromString(**current), id);
      if (!decoded) return decoded.error();
      previous = std::move(decoded).value();
    }
    std::vector<std::string> args = {std::to_string(expected_version),
                                     std::to_string(previous.version), blob};
    AppendIndexOps(previous, record, args);
    // When the meter number was last set, so an older installation cannot overwrite it: the
    // installation's time, or now for an edit that changes it (a new record has no time yet).
    const bool meter_changed =
        previous.version >= 0 && previous.customer.meter_number() != record.meter_number();
    if (meter_set_at_ms || meter_changed) {
      AppendOp(args, "max", keys::MeterSetAt(id), Score(meter_set_at_ms.value_or(now)));
    }

    auto reply = redis_.Eval(kUpsertScript, {keys::Customer(id)}, args);
    if (!reply) return reply.error();
    const auto& result = reply->elements();
    if (result.size() != 2) return core::Internal("upsert script returned an unexpected reply");
    const std::string& outcome = result[0].str();
    if (outcome == "mismatch") {
      return core::FailedPrecondition("customer " + id + " is at version " +
                                      std::to_string(result[1].integer()) + ", not " +
                                      std::to_string(expected_version));
    }
    if (outcome == "conflict") continue;  // someone wrote between our read and the script
    record.set_version(result[1].integer());
    return UpsertOutcome{std::move(record), previous.version < 0};
  }
  return core::Error{core::ErrorKind::kResourceExhausted,
                     "customer " + id + " is being written concurrently; try again"};
}

core::Result<MeterChange> RedisProfileStore::InstallMeter(const HistoryFact& fact) {
  const std::string& id = fact.customer_id;
  MeterChange change{MeterChange::Outcome::kNotNewer, id, fact.item_id, fact.meter_number, ""};
  for (int attempt = 0; attempt < kMaxUpsertAttempts; ++attempt) {
    // Record first, then its set-at time: a write landing between the two reads leaves us with
    // the older version, so the versioned write below fails and we read both again.
    auto replies = redis_.Pipeline({{"GET", keys::Customer(id)}, {"GET", keys::MeterSetAt(id)}});
    if (!replies) return replies.error();
    auto stored = Decode((*replies)[0], id);
    if (!stored) return stored.error();
    if (stored->version < 0) return core::NotFound("no customer " + id);
    auto set_at = DecodeMillis((*replies)[1], keys::MeterSetAt(id));
    if (!set_at) return set_at.error();
    change.previous_meter_number = stored->customer.meter_number();
    // At or before the last time the meter was set: a redelivery, or an older installation that
    // arrived after a newer one (another application's partition) or after an operator's edit.
    if (set_at->has_value() && fact.at_unix_ms <= **set_at) return change;

    v1::Customer record = std::move(stored->customer);
    record.set_meter_number(fact.meter_number);
    if (auto valid = ValidateCustomer(record); !valid) return valid.error();
    auto written = Write(std::move(record), stored->version, fact.at_unix_ms);
    if (!written) {
      if (written.error().kind == core::ErrorKind::kFailedPrecondition) continue;  // read again
      return written.error();
    }
    change.outcome = change.previous_meter_number == fact.meter_number
                         ? MeterChange::Outcome::kConfirmed
                         : MeterChange::Outcome::kChanged;
    return change;
  }
  return core::Error{core::ErrorKind::kResourceExhausted,
                     "customer " + id + " is being written concurrently; try again"};
}

core::Status RedisProfileStore::BulkLoad(const std::vector<v1::Customer>& customers) {
  if (customers.empty()) return {};
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> mset = {"MSET"};
  mset.reserve(1 + customers.size() * 4);
  // Group the sorted-set members per key: generated utilities arrive clustered by transformer, so
  // a batch needs only a handful of ZADDs.
  std::map<std::string, std::vector<std::string>> sorted_members;
  const int64_t now = core::ToUnixMillis(clock_.Now());
  for (const auto& input : customers) {
    v1::Customer record = Normalized(input);
    record.set_version(0);
    *record.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(now);
    const std::string& id = record.customer_id();
    mset.push_back(keys::Customer(id));
    mset.push_back(Encode(1, record));
    mset.push_back(keys::Meter(record.meter_number()));
    mset.push_back(id);
    for (const auto& phone : record.phones()) commands.push_back({"SADD", keys::Phone(phone), id});
    sorted_members[keys::Transformer(record.supply().transformer_id())].push_back(id);
    sorted_members[keys::Feeder(record.supply().feeder_id())].push_back(id);
    sorted_members[keys::District(record.address().district())].push_back(id);
    sorted_members[std::string(keys::kAllCustomers)].push_back(id);
  }
  commands.push_back(std::move(mset));
  for (auto& [key, ids] : sorted_members) {
    std::vector<std::string> zadd = {"ZADD", key};
    zadd.reserve(2 + ids.size() * 2);
    for (auto& id : ids) {
      zadd.push_back("0");
      zadd.push_back(std::move(id));
    }
    commands.push_back(std::move(zadd));
  }
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Internal("bulk load command failed: " + reply.str());
  }
  return {};
}

void RedisProfileStore::AppendHistoryWrites(const HistoryFact& fact, const std::string& customer_id,
                                            std::vector<std::vector<std::string>>& commands) const {
  using Kind = HistoryFact::Kind;
  const std::string at = Score(fact.at_unix_ms);
  switch (fact.kind) {
    case Kind::kTicketOpened:
      commands.push_back({"SADD", keys::OpenTickets(customer_id), fact.item_id});
      commands.push_back({"SET", keys::TicketOwner(fact.item_id), customer_id, "PX",
                          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             kTicketOwnerRetention)
                                             .count())});
      break;
    case Kind::kTicketClosed:
      commands.push_back({"SREM", keys::OpenTickets(customer_id), fact.item_id});
      break;
    case Kind::kFaultReported:
      commands.push_back({"ZADD", keys::Faults(customer_id), at, fact.item_id});
      break;
    case Kind::kComplaintReceived:
      commands.push_back({"ZADD", keys::Complaints(customer_id), at, fact.item_id});
      break;
    case Kind::kUrgingReceived:
      commands.push_back({"ZADD", keys::Urgings(customer_id), at, fact.item_id});
      break;
    case Kind::kContact:
      commands.push_back({"ZADD", keys::Contacts(customer_id), at, fact.item_id});
      commands.push_back({"ZREMRANGEBYRANK", keys::Contacts(customer_id), "0",
                          std::to_string(-kContactsKept - 1)});
      break;
    case Kind::kSatisfactionRecorded:
      commands.push_back({"HSET", keys::Satisfaction(customer_id), "score",
                          std::to_string(fact.score), "at_ms", at, "case_id", fact.item_id});
      break;
    case Kind::kMeterInstalled:
      break;  // a record write, not a history write: InstallMeter
  }
}

core::Result<AppliedFacts> RedisProfileStore::ApplyAll(const std::vector<HistoryFact>& facts) {
  using Kind = HistoryFact::Kind;
  AppliedFacts applied;
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> complained;  // customers whose complaint count may have crossed
  for (const auto& fact : facts) {
    if (fact.kind == Kind::kMeterInstalled) {
      if (fact.customer_id.empty()) continue;
      auto change = InstallMeter(fact);
      if (!change) return change.error();
      applied.meters.push_back(std::move(change).value());
      continue;
    }
    std::string customer_id = fact.customer_id;
    if (customer_id.empty()) {
      if (fact.kind != Kind::kTicketClosed) continue;
      auto owner = redis_.Get(keys::TicketOwner(fact.item_id));
      if (!owner) return owner.error();
      if (!owner->has_value()) continue;  // a ticket of an unidentified caller
      customer_id = **owner;
    }
    AppendHistoryWrites(fact, customer_id, commands);
    if (fact.kind == Kind::kComplaintReceived &&
        std::find(complained.begin(), complained.end(), customer_id) == complained.end()) {
      complained.push_back(customer_id);
    }
  }
  // One round trip for all of an event's facts: every write is keyed by its item id, so a
  // partial failure is repaired by the retry.
  if (!commands.empty()) {
    auto replies = redis_.Pipeline(commands);
    if (!replies) return replies.error();
    for (const auto& reply : *replies) {
      if (reply.is_error()) return core::Internal("history write failed: " + reply.str());
    }
  }
  for (const auto& customer_id : complained) {
    auto crossed = TagIfSensitive(customer_id);
    if (!crossed) return crossed.error();
    if (*crossed) applied.tagged_sensitive.push_back(customer_id);
  }
  return applied;
}

core::Result<bool> RedisProfileStore::TagIfSensitive(const std::string& customer_id) {
  auto customer = Get(customer_id);
  if (!customer) return customer.error();
  if (!BecomesSensitive(customer->history().complaints_last_30_days(), rules_)) return false;
  for (const int tag : customer->tags()) {
    if (tag == v1::CUSTOMER_TAG_SENSITIVE) return false;  // already tagged
  }
  v1::Customer updated = std::move(customer).value();
  updated.add_tags(v1::CUSTOMER_TAG_SENSITIVE);
  auto written = Upsert(updated, updated.version());
  if (!written) {
    // Lost a race with an operator's edit: the next complaint event re-evaluates; the consumer
    // loop retries conflicts because they are not final.
    if (written.error().kind == core::ErrorKind::kFailedPrecondition) {
      return core::Unavailable("profile changed while tagging sensitive; retry");
    }
    return written.error();
  }
  return true;
}

}  // namespace gridcare::profile
