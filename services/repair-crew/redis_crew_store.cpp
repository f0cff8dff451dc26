#include "redis_crew_store.h"

#include <algorithm>

#include "job_rules.h"

namespace gridcare::repair_crew {
namespace {

// KEYS[1..n] are compared with ARGV[2..n+1] ("0" = must be absent, "1"<bytes> = must hold
// exactly <bytes>); then ARGV holds writes in fours: op, key index, value, extra (SET: a TTL in
// ms or ""). Returns 1 when written, 0 when a record had changed (nothing written). A script runs
// atomically, so no other client's command lands between the compare and the writes.
constexpr std::string_view kCommitScript = R"lua(
local n = tonumber(ARGV[1])
for i = 1, n do
  local current = redis.call('GET', KEYS[i])
  local expected = ARGV[i + 1]
  if current == false then
    if expected ~= '0' then return 0 end
  elseif expected ~= '1' .. current then
    return 0
  end
end
local i = n + 2
while i <= #ARGV do
  local op, key, value, extra = ARGV[i], KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3]
  if op == 'SET' then
    if extra == '' then
      redis.call('SET', key, value)
    else
      redis.call('SET', key, value, 'PX', extra)
    end
  elseif op == 'SADD' then
    redis.call('SADD', key, value)
  elseif op == 'SREM' then
    redis.call('SREM', key, value)
  elseif op == 'RPUSH' then
    redis.call('RPUSH', key, value)
  end
  i = i + 4
end
return 1
)lua";

constexpr size_t kMultiGetChunk = 500;

}  // namespace

std::string CrewKey(std::string_view crew_id) { return "crew:c:" + std::string(crew_id); }
std::string JobKey(std::string_view work_order_id) {
  return "crew:job:" + std::string(work_order_id);
}
std::string CrewJobsKey(std::string_view crew_id) { return "crew:jobs:" + std::string(crew_id); }
std::string OutboxKey(std::string_view crew_id) { return "crew:outbox:" + std::string(crew_id); }

core::Result<int> RedisCrewStore::SeedCrews(const std::vector<v1::Crew>& crews) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(crews.size());
  for (const auto& crew : crews) {
    commands.push_back({"SET", CrewKey(crew.crew_id()), crew.SerializeAsString(), "NX"});
  }
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  int created = 0;
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Internal("seeding a crew failed: " + reply.str());
    if (reply.IsOk()) ++created;
  }
  return created;
}

core::Result<std::vector<std::optional<std::string>>> RedisCrewStore::MultiGet(
    const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> values;
  values.reserve(keys.size());
  for (size_t begin = 0; begin < keys.size(); begin += kMultiGetChunk) {
    std::vector<std::string> command = {"MGET"};
    const size_t end = std::min(keys.size(), begin + kMultiGetChunk);
    command.insert(command.end(), keys.begin() + static_cast<std::ptrdiff_t>(begin),
                   keys.begin() + static_cast<std::ptrdiff_t>(end));
    auto reply = redis_.Command(command);
    if (!reply) return reply.error();
    for (const auto& element : reply->elements()) values.push_back(element.AsOptionalString());
  }
  return values;
}

core::Result<std::optional<Stored<v1::Crew>>> RedisCrewStore::GetCrew(const std::string& crew_id) {
  auto bytes = redis_.Get(CrewKey(crew_id));
  if (!bytes) return bytes.error();
  if (!bytes->has_value()) return std::optional<Stored<v1::Crew>>();
  auto crew = ParseRecord<v1::Crew>(**bytes, "crew record");
  if (!crew) return crew.error();
  return std::optional<Stored<v1::Crew>>(Stored<v1::Crew>{std::move(crew).value(), **bytes});
}

core::Result<std::vector<Stored<v1::Crew>>> RedisCrewStore::GetCrews(
    const std::vector<std::string>& crew_ids) {
  std::vector<std::string> keys;
  keys.reserve(crew_ids.size());
  for (const auto& id : crew_ids) keys.push_back(CrewKey(id));
  auto values = MultiGet(keys);
  if (!values) return values.error();
  std::vector<Stored<v1::Crew>> crews;
  for (auto& value : *values) {
    if (!value) continue;
    auto crew = ParseRecord<v1::Crew>(*value, "crew record");
    if (!crew) return crew.error();
    crews.push_back({std::move(crew).value(), std::move(*value)});
  }
  return crews;
}

core::Result<std::optional<Stored<v1::WorkOrder>>> RedisCrewStore::GetJob(
    const std::string& work_order_id) {
  auto bytes = redis_.Get(JobKey(work_order_id));
  if (!bytes) return bytes.error();
  if (!bytes->has_value()) return std::optional<Stored<v1::WorkOrder>>();
  auto job = ParseRecord<v1::WorkOrder>(**bytes, "job record");
  if (!job) return job.error();
  return std::optional<Stored<v1::WorkOrder>>(
      Stored<v1::WorkOrder>{std::move(job).value(), **bytes});
}

core::Result<std::vector<v1::WorkOrder>> RedisCrewStore::GetJobs(
    const std::vector<std::string>& work_order_ids) {
  std::vector<std::string> keys;
  keys.reserve(work_order_ids.size());
  for (const auto& id : work_order_ids) keys.push_back(JobKey(id));
  auto values = MultiGet(keys);
  if (!values) return values.error();
  std::vector<v1::WorkOrder> jobs;
  for (const auto& value : *values) {
    if (!value) continue;
    auto job = ParseRecord<v1::WorkOrder>(*value, "job record");
    if (!job) return job.error();
    jobs.push_back(std::move(job).value());
  }
  return jobs;
}

core::Result<bool> RedisCrewStore::Commit(const CrewCommit& commit) {
  std::vector<std::string> keys;
  std::vector<std::string> args = {""};
  // Compared records first: they are KEYS[1..n].
  for (const auto& write : commit.crews) {
    keys.push_back(CrewKey(write.after.crew_id()));
    args.push_back("1" + write.expected_bytes);
  }
  if (commit.job) {
    keys.push_back(JobKey(commit.job->after.work_order_id()));
    args.push_back(commit.job->expected_bytes ? "1" + *commit.job->expected_bytes
                                              : std::string("0"));
  }
  args[0] = std::to_string(keys.size());
  const auto write = [&](const char* op, size_t key_index, std::string value, std::string extra) {
    args.push_back(op);
    args.push_back(std::to_string(key_index));
    args.push_back(std::move(value));
    args.push_back(std::move(extra));
  };
  const auto new_key = [&](std::string key) {
    keys.push_back(std::move(key));
    return keys.size();
  };
  for (size_t i = 0; i < commit.crews.size(); ++i) {
    const v1::Crew& after = commit.crews[i].after;
    write("SET", i + 1, after.SerializeAsString(), "");
    v1::Crew before;
    if (!before.ParseFromString(commit.crews[i].expected_bytes)) {
      return core::Internal("corrupt crew record");
    }
    const auto old_jobs = JobSetOf(before);
    const auto new_jobs = JobSetOf(after);
    if (old_jobs == new_jobs) continue;
    const size_t set_key = new_key(CrewJobsKey(after.crew_id()));
    for (const auto& id : old_jobs) {
      if (!new_jobs.contains(id)) write("SREM", set_key, id, "");
    }
    for (const auto& id : new_jobs) {
      if (!old_jobs.contains(id)) write("SADD", set_key, id, "");
    }
  }
  if (commit.job) {
    const bool finished = IsTerminalJobState(commit.job->after.state());
    write("SET", commit.crews.size() + 1, commit.job->after.SerializeAsString(),
          finished ? std::to_string(finished_job_retention_.count()) : "");
  }
  for (const auto& entry : commit.events) {
    write("RPUSH", new_key(OutboxKey(entry.record.key)), EncodeOutboxEntry(entry), "");
  }
  auto reply = redis_.Eval(kCommitScript, keys, args);
  if (!reply) return reply.error();
  return reply->is_integer() && reply->integer() == 1;
}

core::Result<std::vector<std::string>> RedisCrewStore::PendingEvents(const std::string& crew_id,
                                                                     size_t limit) {
  if (limit == 0) return std::vector<std::string>();
  auto reply = redis_.Command({"LRANGE", OutboxKey(crew_id), "0", std::to_string(limit - 1)});
  if (!reply) return reply.error();
  std::vector<std::string> entries;
  for (const auto& element : reply->elements()) entries.push_back(element.str());
  return entries;
}

core::Status RedisCrewStore::RemovePendingEvent(const std::string& crew_id,
                                                const std::string& bytes) {
  auto reply = redis_.Command({"LREM", OutboxKey(crew_id), "1", bytes});
  if (!reply) return reply.error();
  return {};
}

core::Result<std::vector<int64_t>> RedisCrewStore::PendingEventCounts(
    const std::vector<std::string>& crew_ids) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(crew_ids.size());
  for (const auto& id : crew_ids) commands.push_back({"LLEN", OutboxKey(id)});
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  std::vector<int64_t> counts;
  for (const auto& reply : *replies) counts.push_back(reply.is_integer() ? reply.integer() : 0);
  return counts;
}

}  // namespace gridcare::repair_crew
