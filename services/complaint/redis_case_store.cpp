#include "redis_case_store.h"

#include <limits>

#include "gridcare/kafka/outbox.h"

namespace gridcare::complaint {
namespace {

constexpr std::string_view kTimersKey = "complaint:timers";
constexpr std::string_view kPendingKey = "complaint:outbox:pending";
constexpr std::string_view kOpenAllKey = "complaint:open";

std::string CaseKey(std::string_view id) { return "complaint:case:" + std::string(id); }
std::string OutboxKey(std::string_view id) { return "complaint:outbox:" + std::string(id); }
std::string OpenKey(std::string_view department_id) {
  return department_id.empty() ? std::string(kOpenAllKey)
                               : "complaint:open:" + std::string(department_id);
}

core::Result<v1::StoredCase> Parse(std::string_view id, const std::string& bytes) {
  v1::StoredCase stored;
  if (!stored.ParseFromString(bytes)) {
    return core::Internal("corrupt complaint case '" + std::string(id) + "' in Redis");
  }
  return stored;
}

}  // namespace

RedisCaseStore::RedisCaseStore(redis::RedisClient& redis, std::chrono::hours outbox_ttl,
                               std::chrono::hours closed_ttl)
    : redis_(redis), outbox_ttl_(outbox_ttl), closed_ttl_(closed_ttl) {}

core::Result<std::optional<v1::StoredCase>> RedisCaseStore::Load(std::string_view case_id) {
  auto bytes = redis_.Get(CaseKey(case_id));
  if (!bytes) return bytes.error();
  if (!bytes->has_value()) return std::optional<v1::StoredCase>{};
  auto stored = Parse(case_id, **bytes);
  if (!stored) return stored.error();
  return std::optional<v1::StoredCase>(std::move(*stored));
}

core::Result<std::vector<v1::StoredCase>> RedisCaseStore::LoadMany(
    const std::vector<std::string>& ids) {
  std::vector<v1::StoredCase> cases;
  if (ids.empty()) return cases;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(ids.size());
  for (const auto& id : ids) commands.push_back({"GET", CaseKey(id)});
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto& reply = (*replies)[i];
    if (reply.is_error()) return core::Unavailable("reading case " + ids[i] + ": " + reply.str());
    if (reply.is_nil()) continue;  // closed and expired since it was listed
    auto stored = Parse(ids[i], reply.str());
    if (!stored) return stored.error();
    cases.push_back(std::move(*stored));
  }
  return cases;
}

core::Status RedisCaseStore::Commit(const CaseCommit& commit) {
  const auto& c = commit.stored.complaint_case();
  const std::string& id = c.case_id();
  if (id.empty()) return core::InvalidArgument("a case to store needs a case_id");
  std::vector<std::vector<std::string>> commands;
  std::vector<std::string> set{"SET", CaseKey(id), commit.stored.SerializeAsString()};
  if (c.state() == v1::CASE_STATE_CLOSED) {
    set.insert(set.end(), {"PX", std::to_string(std::chrono::milliseconds(closed_ttl_).count())});
  }
  commands.push_back(std::move(set));
  if (commit.timer_ms) {
    commands.push_back({"ZADD", std::string(kTimersKey), std::to_string(*commit.timer_ms), id});
  } else {
    commands.push_back({"ZREM", std::string(kTimersKey), id});
  }
  if (!commit.previous_department_id.empty() &&
      commit.previous_department_id != c.department_id()) {
    commands.push_back({"ZREM", OpenKey(commit.previous_department_id), id});
  }
  for (const std::string& key : {OpenKey(c.department_id()), std::string(kOpenAllKey)}) {
    if (commit.first_due_ms) {
      commands.push_back({"ZADD", key, std::to_string(*commit.first_due_ms), id});
    } else {
      commands.push_back({"ZREM", key, id});
    }
  }
  if (!commit.records.empty() && !commit.outbox_id.empty()) {
    commands.push_back({"SET", OutboxKey(commit.outbox_id), kafka::EncodeOutbox(commit.records),
                        "PX", std::to_string(std::chrono::milliseconds(outbox_ttl_).count())});
    if (commit.outbox_pending)
      commands.push_back({"SADD", std::string(kPendingKey), commit.outbox_id});
  }
  auto replies = redis_.Transaction(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Unavailable("complaint case write failed: " + reply.str());
  }
  return {};
}

core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> RedisCaseStore::Outbox(
    std::string_view outbox_id) {
  auto bytes = redis_.Get(OutboxKey(outbox_id));
  if (!bytes) return bytes.error();
  if (!bytes->has_value()) return std::optional<std::vector<kafka::OutgoingRecord>>{};
  auto records = kafka::DecodeOutbox(**bytes);
  if (!records) return records.error();
  return std::optional<std::vector<kafka::OutgoingRecord>>(std::move(*records));
}

core::Result<std::vector<std::string>> RedisCaseStore::PendingOutboxes(int64_t limit) {
  auto reply = redis_.Command({"SRANDMEMBER", std::string(kPendingKey), std::to_string(limit)});
  if (!reply) return reply.error();
  std::vector<std::string> ids;
  for (const auto& element : reply->elements()) ids.push_back(element.str());
  return ids;
}

core::Status RedisCaseStore::ForgetPending(const std::vector<std::string>& outbox_ids) {
  auto removed = redis_.SRem(kPendingKey, outbox_ids);
  if (!removed) return removed.error();
  return {};
}

core::Result<std::vector<std::string>> RedisCaseStore::DueTimers(int64_t now_ms, int64_t limit) {
  auto due = redis_.ZRangeByScore(kTimersKey, -std::numeric_limits<double>::infinity(),
                                  static_cast<double>(now_ms), redis::RangeLimit{0, limit});
  if (!due) return due.error();
  std::vector<std::string> ids;
  ids.reserve(due->size());
  for (auto& member : *due) ids.push_back(std::move(member.member));
  return ids;
}

core::Result<CaseStore::Page> RedisCaseStore::OpenCases(std::string_view department_id,
                                                        int64_t offset, int64_t limit) {
  const std::string key = OpenKey(department_id);
  auto total = redis_.ZCard(key);
  if (!total) return total.error();
  auto members = redis_.ZRangeByScore(key, -std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::infinity(),
                                      redis::RangeLimit{offset, limit});
  if (!members) return members.error();
  Page page;
  page.total = *total;
  for (auto& member : *members) page.ids.push_back(std::move(member.member));
  return page;
}

}  // namespace gridcare::complaint
