#include "redis_ticket_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "gridcare/sla/clocks.h"

namespace gridcare::intake {
namespace {

using google::protobuf::util::TimeUtil;

constexpr auto kRequestRetention = std::chrono::hours(24 * 30);

std::string RequestKey(const std::string& id) { return "intake:req:" + id; }
std::string TicketKey(const std::string& id) { return "intake:t:" + id; }
std::string OpenKey(const std::string& customer) { return "intake:open:" + customer; }
constexpr const char* kProvisionalKey = "intake:provisional";
std::string ContactsKey(const std::string& ticket) { return "intake:contacts:" + ticket; }
std::string UrgingsKey(const std::string& ticket) { return "intake:urgings:" + ticket; }
std::string TimelineKey(const std::string& ticket) { return "intake:tl:" + ticket; }
std::string SequenceKey(core::TimePoint now) {
  return "intake:seq:" + FormatTicketId(now, 0).substr(3, 8);
}

std::string RetentionMillis() {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(kRequestRetention).count());
}

// Returns {1, sequence} after taking the day's next ticket sequence when the request is new, or
// {0, record} when it is already reserved: one round trip instead of a GET and an INCRBY.
constexpr const char* kReserveScript = R"lua(
local existing = redis.call('GET', KEYS[1])
if existing then return {0, existing} end
return {1, redis.call('INCRBY', KEYS[2], 1)}
)lua";

// The ticket and its open-ticket index entry.
void AppendTicketWrites(const v1::Ticket& ticket, std::vector<std::vector<std::string>>& commands) {
  commands.push_back({"SET", TicketKey(ticket.ticket_id()), ticket.SerializeAsString()});
  if (!ticket.customer_id().empty()) {
    commands.push_back({IsOpenState(ticket.state()) ? "SADD" : "SREM",
                        OpenKey(ticket.customer_id()), ticket.ticket_id()});
  }
  // Only tickets with working-day clocks can enter the provisional index, so only they touch it.
  if (sla::HasWorkingDayClock(ticket.clocks())) {
    const bool provisional =
        IsOpenState(ticket.state()) && sla::HasProvisionalClock(ticket.clocks());
    commands.push_back({provisional ? "SADD" : "SREM", kProvisionalKey, ticket.ticket_id()});
  }
}

// A decided request's writes: ticket, open index, timeline step, completed record.
void AppendOutcomeWrites(const v1::Ticket& ticket, const std::string& entry_id,
                         const v1::TimelineEntry& entry, const v1::IntakeRequestRecord& record,
                         std::vector<std::vector<std::string>>& commands) {
  AppendTicketWrites(ticket, commands);
  commands.push_back(
      {"HSET", TimelineKey(ticket.ticket_id()), entry_id, entry.SerializeAsString()});
  commands.push_back({"SET", RequestKey(record.request_id()), record.SerializeAsString(), "PX",
                      RetentionMillis()});
}

void AppendOutcomeWrites(const RequestOutcome& outcome,
                         std::vector<std::vector<std::string>>& commands) {
  AppendOutcomeWrites(outcome.ticket, outcome.entry_id, outcome.entry, outcome.record, commands);
}

template <typename Message>
core::Result<Message> Parse(const std::string& bytes, const char* what) {
  Message message;
  if (!message.ParseFromString(bytes)) return core::Internal(std::string("corrupt ") + what);
  return message;
}

}  // namespace

core::Result<v1::IntakeRequestRecord> RedisTicketStore::Reserve(const std::string& request_id,
                                                                const std::string& fingerprint,
                                                                core::TimePoint now) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto reply = redis_.Eval(kReserveScript, {RequestKey(request_id), SequenceKey(now)}, {});
    if (!reply) return reply.error();
    const auto& result = reply->elements();
    if (result.size() != 2) return core::Internal("reserve script returned an unexpected reply");
    if (result[0].integer() == 0) {
      return Parse<v1::IntakeRequestRecord>(result[1].str(), "request record");
    }
    v1::IntakeRequestRecord record;
    record.set_request_id(request_id);
    record.set_fingerprint(fingerprint);
    record.set_ticket_id(FormatTicketId(now, result[1].integer()));
    *record.mutable_reserved_at() = TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(now));
    auto won = redis_.Command(
        {"SET", RequestKey(request_id), record.SerializeAsString(), "NX", "PX", RetentionMillis()});
    if (!won) return won.error();
    if (won->IsOk()) return record;
    // Another replica reserved it between our GET and SET: use theirs.
  }
  return core::Error{core::ErrorKind::kResourceExhausted,
                     "request " + request_id + " is being reserved concurrently; retry"};
}

core::Status RedisTicketStore::Complete(const v1::IntakeRequestRecord& record) {
  return redis_.Set(RequestKey(record.request_id()), record.SerializeAsString(),
                    std::chrono::duration_cast<std::chrono::milliseconds>(kRequestRetention));
}

core::Result<std::optional<v1::Ticket>> RedisTicketStore::GetTicket(const std::string& ticket_id) {
  auto bytes = redis_.Get(TicketKey(ticket_id));
  if (!bytes) return bytes.error();
  if (!bytes->has_value()) return std::optional<v1::Ticket>();
  auto ticket = Parse<v1::Ticket>(**bytes, "ticket");
  if (!ticket) return ticket.error();
  return std::optional<v1::Ticket>(std::move(ticket).value());
}

core::Status RedisTicketStore::SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                                           const v1::TimelineEntry& entry,
                                           const v1::IntakeRequestRecord& record) {
  std::vector<std::vector<std::string>> commands;
  AppendOutcomeWrites(ticket, entry_id, entry, record, commands);
  auto replies = redis_.Transaction(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Internal("request outcome write failed: " + reply.str());
  }
  return {};
}

// Two round trips for the whole batch: every reserve script, then a SET NX for each new
// reservation. A request another replica reserved meanwhile goes through Reserve on its own.
core::Result<std::vector<v1::IntakeRequestRecord>> RedisTicketStore::ReserveMany(
    const std::vector<ReserveRequest>& requests, core::TimePoint now) {
  std::vector<std::vector<std::string>> scripts;
  scripts.reserve(requests.size());
  for (const auto& request : requests) {
    scripts.push_back(
        {"EVAL", kReserveScript, "2", RequestKey(request.request_id), SequenceKey(now)});
  }
  auto replies = redis_.Pipeline(scripts);
  if (!replies) return replies.error();
  std::vector<v1::IntakeRequestRecord> records(requests.size());
  std::vector<size_t> fresh;
  std::vector<std::vector<std::string>> claims;
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& reply = (*replies)[i];
    if (reply.is_error()) return core::Internal("reserve script failed: " + reply.str());
    const auto& result = reply.elements();
    if (result.size() != 2) return core::Internal("reserve script returned an unexpected reply");
    if (result[0].integer() == 0) {
      auto record = Parse<v1::IntakeRequestRecord>(result[1].str(), "request record");
      if (!record) return record.error();
      records[i] = std::move(record).value();
      continue;
    }
    auto& record = records[i];
    record.set_request_id(requests[i].request_id);
    record.set_fingerprint(requests[i].fingerprint);
    record.set_ticket_id(FormatTicketId(now, result[1].integer()));
    *record.mutable_reserved_at() = TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(now));
    fresh.push_back(i);
    claims.push_back({"SET", RequestKey(requests[i].request_id), record.SerializeAsString(), "NX",
                      "PX", RetentionMillis()});
  }
  if (claims.empty()) return records;
  auto won = redis_.Pipeline(claims);
  if (!won) return won.error();
  for (size_t k = 0; k < fresh.size(); ++k) {
    if ((*won)[k].IsOk()) continue;
    const auto& request = requests[fresh[k]];
    auto theirs = Reserve(request.request_id, request.fingerprint, now);
    if (!theirs) return theirs.error();
    records[fresh[k]] = std::move(theirs).value();
  }
  return records;
}

// Two round trips for the whole batch: every open-ticket set, then every ticket in them.
core::Result<std::map<std::string, std::vector<v1::Ticket>>> RedisTicketStore::OpenTicketsOf(
    const std::vector<std::string>& customer_ids) {
  std::map<std::string, std::vector<v1::Ticket>> open;
  if (customer_ids.empty()) return open;
  std::vector<std::vector<std::string>> sets;
  sets.reserve(customer_ids.size());
  for (const auto& customer : customer_ids) sets.push_back({"SMEMBERS", OpenKey(customer)});
  auto members = redis_.Pipeline(sets);
  if (!members) return members.error();
  std::vector<std::vector<std::string>> gets;
  std::vector<const std::string*> owners;
  for (size_t i = 0; i < customer_ids.size(); ++i) {
    open[customer_ids[i]];
    const auto& reply = (*members)[i];
    if (reply.is_error()) return core::Internal("open-ticket read failed: " + reply.str());
    for (const auto& id : reply.elements()) {
      gets.push_back({"GET", TicketKey(id.str())});
      owners.push_back(&customer_ids[i]);
    }
  }
  if (gets.empty()) return open;
  auto tickets = redis_.Pipeline(gets);
  if (!tickets) return tickets.error();
  for (size_t k = 0; k < gets.size(); ++k) {
    const auto& reply = (*tickets)[k];
    if (!reply.is_string()) continue;
    auto ticket = Parse<v1::Ticket>(reply.str(), "ticket");
    if (!ticket) return ticket.error();
    if (IsOpenState(ticket->state())) open[*owners[k]].push_back(std::move(ticket).value());
  }
  return open;
}

core::Status RedisTicketStore::SaveOutcomes(const std::vector<RequestOutcome>& outcomes) {
  if (outcomes.empty()) return {};
  std::vector<std::vector<std::string>> commands;
  commands.reserve(outcomes.size() * 4);
  for (const auto& outcome : outcomes) AppendOutcomeWrites(outcome, commands);
  auto replies = redis_.Transaction(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Internal("request outcome write failed: " + reply.str());
  }
  return {};
}

core::Status RedisTicketStore::SaveTicket(const v1::Ticket& ticket) {
  std::vector<std::vector<std::string>> commands;
  AppendTicketWrites(ticket, commands);
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Internal("ticket write failed: " + reply.str());
  }
  return {};
}

core::Result<std::vector<v1::Ticket>> RedisTicketStore::OpenTickets(const std::string& customer) {
  auto ids = redis_.SMembers(OpenKey(customer));
  if (!ids) return ids.error();
  std::vector<v1::Ticket> tickets;
  if (ids->empty()) return tickets;
  std::vector<std::vector<std::string>> commands;
  for (const auto& id : *ids) commands.push_back({"GET", TicketKey(id)});
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (!reply.is_string()) continue;
    auto ticket = Parse<v1::Ticket>(reply.str(), "ticket");
    if (!ticket) return ticket.error();
    if (IsOpenState(ticket->state())) tickets.push_back(std::move(ticket).value());
  }
  return tickets;
}

core::Result<ContactCounts> RedisTicketStore::AddContact(const std::string& ticket_id,
                                                         const std::string& request_id,
                                                         bool urging) {
  std::vector<std::vector<std::string>> commands = {{"SADD", ContactsKey(ticket_id), request_id}};
  if (urging) commands.push_back({"SADD", UrgingsKey(ticket_id), request_id});
  commands.push_back({"SCARD", ContactsKey(ticket_id)});
  commands.push_back({"SCARD", UrgingsKey(ticket_id)});
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  const auto n = replies->size();
  return ContactCounts{1 + static_cast<int>((*replies)[n - 2].integer()),
                       static_cast<int>((*replies)[n - 1].integer())};
}

core::Status RedisTicketStore::AppendTimeline(const std::string& ticket_id,
                                              const std::string& entry_id,
                                              const v1::TimelineEntry& entry) {
  auto reply = redis_.HSet(TimelineKey(ticket_id), {{entry_id, entry.SerializeAsString()}});
  if (!reply) return reply.error();
  return {};
}

core::Result<std::vector<v1::TimelineEntry>> RedisTicketStore::Timeline(
    const std::string& ticket_id) {
  auto fields = redis_.HGetAll(TimelineKey(ticket_id));
  if (!fields) return fields.error();
  std::vector<v1::TimelineEntry> entries;
  for (const auto& [id, bytes] : *fields) {
    auto entry = Parse<v1::TimelineEntry>(bytes, "timeline entry");
    if (!entry) return entry.error();
    entries.push_back(std::move(entry).value());
  }
  SortTimeline(entries);
  return entries;
}

core::Result<std::optional<std::string>> RedisTicketStore::TicketOfRequest(
    const std::string& request_id) {
  auto existing = redis_.Get(RequestKey(request_id));
  if (!existing) return existing.error();
  if (!existing->has_value()) return std::optional<std::string>();
  auto record = Parse<v1::IntakeRequestRecord>(**existing, "request record");
  if (!record) return record.error();
  return std::optional<std::string>(record->response().ticket_id().empty()
                                        ? record->ticket_id()
                                        : record->response().ticket_id());
}

core::Result<std::vector<std::string>> RedisTicketStore::ProvisionalTickets() {
  auto ids = redis_.SMembers(kProvisionalKey);
  if (!ids) return ids.error();
  std::vector<std::string> out(ids->begin(), ids->end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace gridcare::intake
