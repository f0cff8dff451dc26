#include "redis_dispatch_store.h"

#include <algorithm>
#include <charconv>

#include "gridcare/kafka/outbox.h"

namespace gridcare::dispatch {
namespace {

std::string JoinCrews(const std::set<std::string>& crews) {
  std::string out;
  for (const auto& crew : crews) out += (out.empty() ? "" : ",") + crew;
  return out;
}

std::set<std::string> SplitCrews(std::string_view text) {
  std::set<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    out.emplace(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string JoinSteps(const std::set<int>& steps) {
  std::string out;
  for (int step : steps) out += (out.empty() ? "" : ",") + std::to_string(step);
  return out;
}

std::set<int> SplitSteps(std::string_view text) {
  std::set<int> out;
  for (const auto& part : SplitCrews(text)) {
    int value = 0;
    if (std::from_chars(part.data(), part.data() + part.size(), value).ec == std::errc{}) {
      out.insert(value);
    }
  }
  return out;
}

template <typename Message>
core::Result<std::map<std::string, Message>> ParseHash(const redis::FieldMap& fields,
                                                       std::string_view what) {
  std::map<std::string, Message> out;
  for (const auto& [id, bytes] : fields) {
    Message message;
    if (!message.ParseFromString(bytes)) {
      return core::Internal("corrupt " + std::string(what) + " record " + id + " in Redis");
    }
    out.emplace(id, std::move(message));
  }
  return out;
}

}  // namespace

RedisDispatchStore::RedisDispatchStore(redis::RedisClient& redis, std::string prefix,
                                       std::chrono::hours outbox_ttl,
                                       std::chrono::hours archive_ttl)
    : redis_(redis),
      prefix_(std::move(prefix)),
      outbox_ttl_(outbox_ttl),
      archive_ttl_(archive_ttl) {}

core::Status RedisDispatchStore::Commit(const DispatchBatch& batch) {
  return CommitAll(std::span<const DispatchBatch>(&batch, 1));
}

core::Status RedisDispatchStore::CommitAll(std::span<const DispatchBatch> batches) {
  std::vector<std::vector<std::string>> commands;
  if (batches.size() == 1) {
    AppendCommands(batches.front(), commands);
  } else {
    // The state once (each document as the last input left it), then every input's outbox.
    AppendCommands(MergeState(batches), commands);
    for (const auto& batch : batches) {
      if (!batch.empty()) AppendOutboxCommands(batch, commands);
    }
  }
  if (commands.empty()) return {};
  auto replies = fence_holder_ ? redis_.FencedTransaction({Key("owner"), fence_holder_()}, commands)
                               : redis_.Transaction(commands);
  if (!replies && fence_holder_ && replies.error().kind == core::ErrorKind::kFailedPrecondition) {
    // Another instance claimed the territory: retry (Kafka revokes it here soon), never apply.
    return core::Unavailable("territory state not written: " + replies.error().message);
  }
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Internal("dispatch state write failed: " + reply.str());
  }
  return {};
}

void RedisDispatchStore::AppendCommands(const DispatchBatch& batch,
                                        std::vector<std::vector<std::string>>& commands) const {
  if (batch.empty()) return;
  if (!batch.journal.empty()) {
    std::vector<std::string> push{"RPUSH", Key("journal")};
    for (const auto& entry : batch.journal) push.push_back(entry.SerializeAsString());
    commands.push_back(std::move(push));
  }
  auto hset = [&](std::string_view key, const auto& documents) {
    if (documents.empty()) return;
    std::vector<std::string> command{"HSET", std::string(key)};
    for (const auto& [id, document] : documents) {
      command.push_back(id);
      command.push_back(document.SerializeAsString());
    }
    commands.push_back(std::move(command));
  };
  hset(Key("incidents"), batch.incidents);
  hset(Key("work_orders"), batch.work_orders);
  hset(Key("planned_outages"), batch.planned_outages);
  const std::string archive_ttl_ms =
      std::to_string(std::chrono::milliseconds(archive_ttl_).count());
  auto archive = [&](std::string_view key, std::string_view kind, const auto& documents) {
    if (documents.empty()) return;
    std::vector<std::string> remove{"HDEL", std::string(key)};
    for (const auto& [id, document] : documents) {
      remove.push_back(id);
      commands.push_back({"SET", Key("archive:", std::string(kind) + ":" + std::string(id)),
                          document.SerializeAsString(), "PX", archive_ttl_ms});
    }
    commands.push_back(std::move(remove));
  };
  archive(Key("incidents"), "incident", batch.closed_incidents);
  archive(Key("work_orders"), "work_order", batch.closed_work_orders);
  for (const auto& [work_order_id, crews] : batch.declined) {
    if (crews.empty()) {
      commands.push_back({"HDEL", Key("declined"), work_order_id});
    } else {
      commands.push_back({"HSET", Key("declined"), work_order_id, JoinCrews(crews)});
    }
  }
  for (const auto& [clock, steps] : batch.fired) {
    if (steps.empty()) {
      commands.push_back({"HDEL", Key("fired"), clock});
    } else {
      commands.push_back({"HSET", Key("fired"), clock, JoinSteps(steps)});
    }
  }
  for (const auto& [owner, fire_at_ms] : batch.timers) {
    if (fire_at_ms) {
      commands.push_back({"ZADD", Key("timers"), std::to_string(*fire_at_ms), owner});
    } else {
      commands.push_back({"ZREM", Key("timers"), owner});
    }
  }
  AppendOutboxCommands(batch, commands);
}

void RedisDispatchStore::AppendOutboxCommands(
    const DispatchBatch& batch, std::vector<std::vector<std::string>>& commands) const {
  if (batch.outbox_id.empty()) return;
  commands.push_back({"SET", Key("outbox:", batch.outbox_id), kafka::EncodeOutbox(batch.records),
                      "PX", std::to_string(std::chrono::milliseconds(outbox_ttl_).count())});
  if (batch.outbox_pending) commands.push_back({"SADD", Key("outbox:pending"), batch.outbox_id});
}

core::Result<DispatchSnapshot> RedisDispatchStore::Load() {
  DispatchSnapshot snapshot;
  auto journal = redis_.Command({"LRANGE", Key("journal"), "0", "-1"});
  if (!journal) return journal.error();
  for (const auto& element : journal->elements()) {
    v1::DispatchJournalEntry entry;
    if (!entry.ParseFromString(element.str())) {
      return core::Internal("corrupt dispatch journal entry in Redis");
    }
    snapshot.journal.push_back(std::move(entry));
  }
  auto open = LoadOpenWork();
  if (!open) return open.error();
  snapshot.incidents = std::move(open->incidents);
  snapshot.work_orders = std::move(open->work_orders);
  auto outages = redis_.HGetAll(Key("planned_outages"));
  if (!outages) return outages.error();
  auto parsed_outages = ParseHash<v1::PlannedOutage>(*outages, "planned outage");
  if (!parsed_outages) return parsed_outages.error();
  snapshot.planned_outages = std::move(*parsed_outages);
  auto declined = redis_.HGetAll(Key("declined"));
  if (!declined) return declined.error();
  for (const auto& [work_order_id, crews] : *declined) {
    snapshot.declined[work_order_id] = SplitCrews(crews);
  }
  auto fired = redis_.HGetAll(Key("fired"));
  if (!fired) return fired.error();
  for (const auto& [clock, steps] : *fired) snapshot.fired[clock] = SplitSteps(steps);
  return snapshot;
}

core::Result<OpenWork> RedisDispatchStore::LoadOpenWork() {
  OpenWork work;
  auto incidents = redis_.HGetAll(Key("incidents"));
  if (!incidents) return incidents.error();
  auto parsed_incidents = ParseHash<v1::Incident>(*incidents, "incident");
  if (!parsed_incidents) return parsed_incidents.error();
  work.incidents = std::move(*parsed_incidents);
  auto orders = redis_.HGetAll(Key("work_orders"));
  if (!orders) return orders.error();
  auto parsed_orders = ParseHash<v1::WorkOrder>(*orders, "work order");
  if (!parsed_orders) return parsed_orders.error();
  work.work_orders = std::move(*parsed_orders);
  return work;
}

core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> RedisDispatchStore::Outbox(
    std::string_view outbox_id) {
  auto bytes = redis_.Get(Key("outbox:", outbox_id));
  if (!bytes) return bytes.error();
  if (!bytes->has_value()) return std::optional<std::vector<kafka::OutgoingRecord>>{};
  auto records = kafka::DecodeOutbox(**bytes);
  if (!records) return records.error();
  return std::optional<std::vector<kafka::OutgoingRecord>>(std::move(*records));
}

core::Result<std::map<std::string, std::vector<kafka::OutgoingRecord>>>
RedisDispatchStore::Outboxes(std::span<const std::string> outbox_ids) {
  std::map<std::string, std::vector<kafka::OutgoingRecord>> known;
  if (outbox_ids.empty()) return known;
  std::vector<std::string> command{"MGET"};
  for (const auto& id : outbox_ids) command.push_back(Key("outbox:", id));
  auto reply = redis_.Command(command);
  if (!reply) return reply.error();
  const auto& values = reply->elements();
  if (values.size() != outbox_ids.size()) {
    return core::Internal("MGET of dispatch outboxes answered " + std::to_string(values.size()) +
                          " values for " + std::to_string(outbox_ids.size()) + " keys");
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].is_nil()) continue;
    auto records = kafka::DecodeOutbox(values[i].str());
    if (!records) return records.error();
    known.emplace(outbox_ids[i], std::move(*records));
  }
  return known;
}

core::Result<std::vector<std::string>> RedisDispatchStore::PendingOutboxes() {
  auto members = redis_.SMembers(Key("outbox:pending"));
  if (!members) return members.error();
  std::sort(members->begin(), members->end());
  return std::move(*members);
}

core::Status RedisDispatchStore::ForgetPending(const std::vector<std::string>& outbox_ids) {
  if (outbox_ids.empty()) return {};
  auto removed = redis_.SRem(Key("outbox:pending"), outbox_ids);
  if (!removed) return removed.error();
  return {};
}

core::Result<std::vector<std::string>> RedisDispatchStore::DueTimers(int64_t now_ms,
                                                                     int64_t limit) {
  auto due = redis_.ZRangeByScore(Key("timers"), -std::numeric_limits<double>::infinity(),
                                  static_cast<double>(now_ms), redis::RangeLimit{0, limit});
  if (!due) return due.error();
  std::vector<std::string> owners;
  owners.reserve(due->size());
  for (auto& member : *due) owners.push_back(std::move(member.member));
  return owners;
}

}  // namespace gridcare::dispatch
