#include "rebuild.h"

#include <charconv>
#include <set>

#include "gridcare/kafka/topics.h"

namespace gridcare::analytics {
namespace {

constexpr int64_t kProgressEvery = 50'000;

int64_t ToInteger(const std::string& text) {
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

/// Handles `pending` through the handler; every record must get a result.
core::Status Drain(AnalyticsEventHandler& handler, std::vector<kafka::ConsumedMessage>& pending,
                   RebuildResult& result) {
  size_t offset = 0;
  while (offset < pending.size()) {
    std::span<const kafka::ConsumedMessage> rest(pending.data() + offset, pending.size() - offset);
    auto results = handler.HandleBatch(rest);
    if (results.empty()) {
      // Not applicable as a batch (Redis failed): one record through Handle to see why.
      auto one = handler.Handle(rest.front());
      if (one.disposition == kafka::HandleResult::Disposition::kRetry) {
        return core::Unavailable("applying the replay failed: " + one.reason + " " + one.detail);
      }
      results.push_back(std::move(one));
    }
    for (const auto& r : results) {
      if (r.disposition == kafka::HandleResult::Disposition::kDeadLetter) ++result.dead_letters;
    }
    offset += results.size();
  }
  result.records += static_cast<int64_t>(pending.size());
  pending.clear();
  return {};
}

}  // namespace

const std::vector<std::string>& ReplayTopics() {
  static const std::vector<std::string> topics = {
      std::string(kafka::kIntakeTopic), std::string(kafka::kDispatchTopic),
      std::string(kafka::kComplaintTopic), std::string(kafka::kNotificationTopic),
      std::string(kafka::kAlertTopic)};
  return topics;
}

core::Result<RebuildResult> Replay(kafka::RecordReader& reader,
                                   const std::vector<std::string>& topics,
                                   AnalyticsEventHandler& handler, size_t batch,
                                   std::chrono::milliseconds timeout,
                                   const std::function<void(int64_t)>& progress) {
  RebuildResult result;
  const auto started = std::chrono::steady_clock::now();
  std::vector<kafka::ConsumedMessage> pending;
  pending.reserve(batch);
  core::Status failure;
  for (const auto& topic : topics) {
    auto status = reader.ReadAll(topic, timeout, [&](kafka::ConsumedMessage& message) {
      if (!failure) return;  // a failed batch: skip the rest, report it below
      pending.push_back(std::move(message));
      if (pending.size() < batch) return;
      const int64_t before = result.records;
      failure = Drain(handler, pending, result);
      if (progress && before / kProgressEvery != result.records / kProgressEvery) {
        progress(result.records);
      }
    });
    if (!failure) return failure.error();
    if (!status && status.error().kind != core::ErrorKind::kNotFound) return status.error();
    if (auto drained = Drain(handler, pending, result); !drained) return drained.error();
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

core::Result<KpiTable> ReadKpis(redis::RedisClient& redis, const std::string& prefix) {
  const std::string pattern = prefix + ":kpi:*";
  std::set<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = redis.Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!reply) return reply.error();
    const auto& parts = reply->elements();
    if (parts.size() != 2) return core::Internal("SCAN returned an unexpected reply");
    cursor = parts[0].str();
    for (const auto& key : parts[1].elements()) keys.insert(key.str());
  } while (cursor != "0");
  KpiTable table;
  for (const auto& key : keys) {
    auto reply = redis.Command({"HGETALL", key});
    if (!reply) return reply.error();
    const int32_t day = static_cast<int32_t>(ToInteger(key.substr(prefix.size() + 5)));
    auto& fields = table[day];
    const auto& elements = reply->elements();
    for (size_t i = 0; i + 1 < elements.size(); i += 2) {
      fields[elements[i].str()] = ToInteger(elements[i + 1].str());
    }
  }
  return table;
}

std::vector<std::string> CompareKpis(const KpiTable& live, const KpiTable& rebuilt, size_t limit) {
  std::vector<std::string> differences;
  std::set<int32_t> days;
  for (const auto& entry : live) days.insert(entry.first);
  for (const auto& entry : rebuilt) days.insert(entry.first);
  static const std::map<std::string, int64_t> kNone;
  for (int32_t day : days) {
    const auto live_day = live.find(day);
    const auto rebuilt_day = rebuilt.find(day);
    const auto& a = live_day == live.end() ? kNone : live_day->second;
    const auto& b = rebuilt_day == rebuilt.end() ? kNone : rebuilt_day->second;
    std::set<std::string> fields;
    for (const auto& entry : a) fields.insert(entry.first);
    for (const auto& entry : b) fields.insert(entry.first);
    for (const auto& field : fields) {
      const auto x = a.find(field);
      const auto y = b.find(field);
      const int64_t lv = x == a.end() ? 0 : x->second;
      const int64_t rv = y == b.end() ? 0 : y->second;
      if (lv == rv) continue;
      if (differences.size() < limit) {
        differences.push_back("day " + std::to_string(day) + " " + field + ": live " +
                              std::to_string(lv) + ", rebuilt " + std::to_string(rv));
      }
    }
  }
  return differences;
}

}  // namespace gridcare::analytics
