#include "redis_analytics_store.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "effects_sum.h"
#include "keyword_terms.h"
#include "store_writes.h"

namespace gridcare::analytics {
namespace {

// The writes of one plan entry (store_writes.h) starting at ARGV[i]; returns where the next
// starts: (op, key, a, b), and for "lpush" (op, key, n, cap) followed by its n values.
constexpr const char* kRunOps = R"lua(
local function run(i)
  local op, key, a, b = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if op == 'hincrby' then redis.call('HINCRBY', key, a, b)
  elseif op == 'hset' then redis.call('HSET', key, a, b)
  elseif op == 'set' then redis.call('SET', key, a, 'PX', b)
  elseif op == 'sadd' then redis.call('SADD', key, a)
  elseif op == 'pexpire' then redis.call('PEXPIRE', key, a)
  elseif op == 'hmin' then
    local current = redis.call('HGET', key, a)
    if not current or tonumber(b) < tonumber(current) then redis.call('HSET', key, a, b) end
  elseif op == 'lpush' then
    local n = tonumber(a)
    if n > 0 then
      redis.call('LPUSH', key, unpack(ARGV, i + 4, i + 3 + n))
      redis.call('LTRIM', key, 0, tonumber(b) - 1)
    end
    return i + 4 + n
  elseif op == 'close' then
    for _, area in ipairs(redis.call('SMEMBERS', key)) do
      redis.call('SREM', b .. area, a)
    end
    redis.call('DEL', key)
  end
  return i + 4
end
)lua";

// Applied events are kept as members of one set per UTC day of applying, "<p>:done:<day>",
// expiring `marker_retention` plus a day after its last write; an event id was applied when any
// of the last days' sets holds it. One set per day instead of a key per event: checking and
// marking a batch is a few commands, not one per event (and a tenth of the memory).
// ARGV[1]: the set name prefix ("<p>:done:"); ARGV[2]: marker retention (ms).
constexpr const char* kMarkerFunctions = R"lua(
local function marker_days()
  local now = redis.call('TIME')
  local today = math.floor(tonumber(now[1]) / 86400)
  return today, today - math.ceil(tonumber(ARGV[2]) / 86400000)
end
-- 1 for each of ids[first..last] found in any day's set, else 0.
local function applied(first, last)
  local found = {}
  for i = first, last do found[i - first + 1] = 0 end
  local today, oldest = marker_days()
  for day = oldest, today do
    local key = ARGV[1] .. day
    if redis.call('EXISTS', key) == 1 then
      for i = first, last, 5000 do
        local stop = math.min(last, i + 4999)
        local hits = redis.call('SMISMEMBER', key, unpack(ARGV, i, stop))
        for j = 1, #hits do
          if hits[j] == 1 then found[i - first + j] = 1 end
        end
      end
    end
  end
  return found
end
local function mark(first, last)
  local today = marker_days()
  local key = ARGV[1] .. today
  for i = first, last, 5000 do
    redis.call('SADD', key, unpack(ARGV, i, math.min(last, i + 4999)))
  end
  redis.call('PEXPIRE', key, tonumber(ARGV[2]) + 86400000)
end
)lua";

// Which of the ids ARGV[3..] were applied: 1 or 0 each.
constexpr const char* kAppliedScript = R"lua(
return applied(3, #ARGV)
)lua";

// The fast path: the batch's writes merged. ARGV[3]: n; then the n event ids, then the plan.
// When any id was applied already, nothing is written (-1): the caller then applies the batch
// event by event.
constexpr const char* kApplyMergedScript = R"lua(
local n = tonumber(ARGV[3])
if n > 0 then
  for _, hit in ipairs(applied(4, 3 + n)) do
    if hit == 1 then return -1 end
  end
  mark(4, 3 + n)
end
local i, last = 4 + n, #ARGV
while i <= last do i = run(i) end
return n
)lua";

// Event by event. Per event: "event", <event id>, <entries in its plan>, "" and its plan, run
// only when the id was not applied before.
constexpr const char* kApplyEachScript = R"lua(
local applied_now = 0
local i, last = 3, #ARGV
while i <= last do
  local count = tonumber(ARGV[i + 2])
  local stop = i + 4 + count
  if applied(i + 1, i + 1)[1] == 0 then
    mark(i + 1, i + 1)
    i = i + 4
    while i < stop do i = run(i) end
    applied_now = applied_now + 1
  end
  i = stop
end
return applied_now
)lua";

constexpr char kSeparator = '\x1f';
constexpr int kExamplesKept = 50;
constexpr size_t kStoredExcerpt = 120;

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

template <typename Int>
bool ParseInt(std::string_view text, Int& value) {
  const auto* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && ptr == end;
}

int64_t IntegerOf(const redis::Reply& reply) {
  if (reply.is_integer()) return reply.integer();
  int64_t value = 0;
  if (reply.is_string()) ParseInt(std::string_view(reply.str()), value);
  return value;
}

}  // namespace

RedisAnalyticsStore::RedisAnalyticsStore(redis::RedisClient& redis, StoreSettings settings)
    : redis_(redis), settings_(std::move(settings)) {}

std::string RedisAnalyticsStore::Key(std::string_view part) const {
  std::string key = settings_.prefix;
  key += ':';
  key += part;
  return key;
}

std::string RedisAnalyticsStore::EncodeMemo(const TicketMemo& memo) {
  std::string out;
  for (const std::string& part :
       {std::to_string(memo.opened_ms), std::to_string(memo.due_ms), std::to_string(memo.contacts),
        std::string(memo.resolved ? "1" : "0"), memo.dims.district, memo.dims.channel,
        memo.dims.type, memo.dims.area_class, memo.series}) {
    out += part;
    out += kSeparator;
  }
  out.pop_back();
  return out;
}

std::optional<TicketMemo> RedisAnalyticsStore::DecodeMemo(std::string_view value) {
  const auto parts = Split(value, kSeparator);
  constexpr size_t kParts = 9;
  if (parts.size() != kParts) return std::nullopt;
  TicketMemo memo;
  if (!ParseInt(parts[0], memo.opened_ms) || !ParseInt(parts[1], memo.due_ms) ||
      !ParseInt(parts[2], memo.contacts)) {
    return std::nullopt;
  }
  memo.resolved = parts[3] == "1";
  memo.dims.district = parts[4];
  memo.dims.channel = parts[5];
  memo.dims.type = parts[6];
  memo.dims.area_class = parts[7];
  memo.series = parts[8];
  return memo;
}

void RedisAnalyticsStore::AppendWrites(const EffectsSum& sum, WritePlan& plan) const {
  const int64_t series_retention = settings_.series_retention.count();
  std::string day_key;
  int32_t key_day = 0;
  for (const auto& [counter, delta] : sum.counters()) {
    if (day_key.empty() || key_day != counter.day) {
      key_day = counter.day;
      day_key = Key("kpi:" + std::to_string(counter.day));
    }
    CounterIncrement increment{counter.day, std::string(counter.metric), delta, *counter.dims};
    for (const auto& field : FieldsOf(increment)) plan.HIncrBy(day_key, field, delta);
  }
  if (auto first = sum.first_hour()) plan.HMin(Key("meta"), "since", *first);
  for (const auto& [hour, count] : sum.series()) {
    const std::string id = std::string(hour.series) + "|" + std::string(hour.area);
    plan.SAdd(Key("series"), id);
    const std::string key = Key("h:" + id);
    plan.HIncrBy(key, std::to_string(hour.hour), count);
    plan.PExpire(key, series_retention);
  }
  for (const auto& [area_day, texts] : sum.texts()) {
    const std::string suffix = std::string(area_day.area) + ":" + std::to_string(area_day.day);
    const std::string terms_key = Key("terms:" + suffix);
    plan.HIncrBy(terms_key, "", texts.count);
    for (const auto& [term, count] : texts.terms) plan.HIncrBy(terms_key, term, count);
    plan.PExpire(terms_key, series_retention);
    const std::string examples_key = Key("ex:" + suffix);
    // Only the newest kExamplesKept can survive the list's trim: only they are excerpted.
    const size_t kept = static_cast<size_t>(kExamplesKept);
    const size_t first = texts.latest.size() > kept ? texts.latest.size() - kept : 0;
    for (size_t i = first; i < texts.latest.size(); ++i) {
      const TextSample& text = *texts.latest[i];
      plan.LPush(examples_key,
                 text.ticket_id + kSeparator + MaskedExcerpt(text.text, kStoredExcerpt),
                 kExamplesKept);
    }
    plan.PExpire(examples_key, series_retention);
  }
  for (const Effects* effects : sum.events()) AppendEventWrites(*effects, plan);
}

void RedisAnalyticsStore::AppendEventWrites(const Effects& effects, WritePlan& plan) const {
  for (const auto& [ticket_id, memo] : effects.tickets) {
    plan.Set(Key("t:" + ticket_id), EncodeMemo(memo), settings_.memo_retention.count());
  }
  for (const auto& day : effects.outage_days) plan.SAdd(Key("outage"), day);
  for (const auto& [incident, area] : effects.open_incidents) {
    plan.SAdd(Key("inc:" + area), incident);
    plan.SAdd(Key("incarea:" + incident), area);
  }
  for (const auto& incident : effects.closed_incidents) {
    plan.Close(Key("incarea:" + incident), incident, Key("inc:"));
  }
  for (const auto& [alert_id, stored] : effects.warnings) {
    plan.HSet(Key("warnings"), alert_id, stored);
  }
}

core::Result<std::vector<bool>> RedisAnalyticsStore::Applied(
    const std::vector<std::string>& event_ids) {
  std::vector<bool> applied(event_ids.size(), false);
  if (event_ids.empty()) return applied;
  std::vector<std::string> args = MarkerArgs();
  args.insert(args.end(), event_ids.begin(), event_ids.end());
  auto reply = redis_.Eval(std::string(kMarkerFunctions) + kAppliedScript, {}, args);
  if (!reply) return reply.error();
  const auto& elements = reply->elements();
  for (size_t i = 0; i < elements.size() && i < applied.size(); ++i) {
    applied[i] = elements[i].is_integer() && elements[i].integer() == 1;
  }
  return applied;
}

core::Result<int> RedisAnalyticsStore::Apply(const std::vector<EventEffects>& batch) {
  if (batch.empty()) return 0;
  // Fast path: every event's writes merged into one plan, applied when none was applied before.
  std::set<std::string_view> ids;
  EffectsSum sum;
  for (const auto& [event_id, effects] : batch) {
    ids.insert(event_id);
    sum.Add(effects);
  }
  WritePlan merged;
  AppendWrites(sum, merged);
  std::vector<std::string> args = MarkerArgs();
  args.push_back(std::to_string(ids.size()));
  args.insert(args.end(), ids.begin(), ids.end());
  merged.AppendTo(args);
  const std::string functions = std::string(kMarkerFunctions) + kRunOps;
  auto reply = redis_.Eval(functions + kApplyMergedScript, {}, args);
  if (!reply) return reply.error();
  if (reply->integer() >= 0) return static_cast<int>(reply->integer());
  // Some were applied already (a redelivery the caller did not see coming): one by one.
  args = MarkerArgs();
  for (const auto& [event_id, effects] : batch) {
    EffectsSum one;
    one.Add(effects);
    WritePlan plan;
    AppendWrites(one, plan);
    args.emplace_back("event");
    args.push_back(event_id);
    const size_t count_index = args.size();
    args.emplace_back();
    args.emplace_back();
    const size_t before = args.size();
    plan.AppendTo(args);
    args[count_index] = std::to_string(args.size() - before);
  }
  reply = redis_.Eval(functions + kApplyEachScript, {}, args);
  if (!reply) return reply.error();
  return static_cast<int>(reply->integer());
}

std::vector<std::string> RedisAnalyticsStore::MarkerArgs() const {
  return {Key("done:"), std::to_string(settings_.marker_retention.count())};
}

core::Result<TicketMemos> RedisAnalyticsStore::Tickets(const std::vector<std::string>& ticket_ids) {
  TicketMemos memos;
  if (ticket_ids.empty()) return memos;
  std::vector<std::string> command = {"MGET"};
  for (const auto& id : ticket_ids) command.push_back(Key("t:" + id));
  auto reply = redis_.Command(command);
  if (!reply) return reply.error();
  const auto& elements = reply->elements();
  for (size_t i = 0; i < elements.size() && i < ticket_ids.size(); ++i) {
    if (!elements[i].is_string()) continue;
    if (auto memo = DecodeMemo(elements[i].str())) memos.emplace(ticket_ids[i], std::move(*memo));
  }
  return memos;
}

core::Result<std::map<std::string, int64_t>> RedisAnalyticsStore::SumDays(
    int32_t first_day, int32_t last_day, const std::vector<std::string>& fields) {
  std::map<std::string, int64_t> sums;
  for (const auto& field : fields) sums[field] = 0;
  if (fields.empty() || last_day < first_day) return sums;
  std::vector<std::vector<std::string>> commands;
  for (int32_t day = first_day; day <= last_day; ++day) {
    std::vector<std::string> hmget = {"HMGET", Key("kpi:" + std::to_string(day))};
    hmget.insert(hmget.end(), fields.begin(), fields.end());
    commands.push_back(std::move(hmget));
  }
  auto replies = redis_.Pipeline(commands);
  if (!replies) return replies.error();
  for (const auto& reply : *replies) {
    if (reply.is_error()) return core::Unavailable("reading KPI days failed: " + reply.str());
    const auto& values = reply.elements();
    for (size_t i = 0; i < values.size() && i < fields.size(); ++i) {
      sums[fields[i]] += IntegerOf(values[i]);
    }
  }
  return sums;
}

core::Result<std::vector<SeriesId>> RedisAnalyticsStore::Series() {
  auto reply = redis_.Command({"SMEMBERS", Key("series")});
  if (!reply) return reply.error();
  std::vector<SeriesId> series;
  for (const auto& element : reply->elements()) {
    const std::string& id = element.str();
    const size_t bar = id.rfind('|');
    if (bar == std::string::npos) continue;
    series.push_back({id.substr(0, bar), id.substr(bar + 1)});
  }
  std::sort(series.begin(), series.end());
  return series;
}

core::Result<std::vector<int64_t>> RedisAnalyticsStore::SeriesCounts(const SeriesId& series,
                                                                     int64_t first_hour,
                                                                     int64_t last_hour) {
  std::vector<int64_t> counts;
  if (last_hour < first_hour) return counts;
  std::vector<std::string> command = {"HMGET", Key("h:" + series.series + "|" + series.area)};
  for (int64_t hour = first_hour; hour <= last_hour; ++hour) {
    command.push_back(std::to_string(hour));
  }
  auto reply = redis_.Command(command);
  if (!reply) return reply.error();
  for (const auto& element : reply->elements()) counts.push_back(IntegerOf(element));
  counts.resize(static_cast<size_t>(last_hour - first_hour + 1), 0);
  return counts;
}

core::Result<std::map<std::string, std::set<int32_t>>> RedisAnalyticsStore::OutageDays() {
  auto reply = redis_.Command({"SMEMBERS", Key("outage")});
  if (!reply) return reply.error();
  std::map<std::string, std::set<int32_t>> days;
  for (const auto& element : reply->elements()) {
    const std::string_view member = element.str();
    const size_t bar = member.rfind('|');
    int32_t day = 0;
    if (bar != std::string_view::npos && ParseInt(member.substr(bar + 1), day)) {
      days[std::string(member.substr(0, bar))].insert(day);
    }
  }
  return days;
}

core::Result<std::optional<int64_t>> RedisAnalyticsStore::HistorySince() {
  auto reply = redis_.Command({"HGET", Key("meta"), "since"});
  if (!reply) return reply.error();
  if (!reply->is_string()) return std::optional<int64_t>();
  return std::optional<int64_t>(IntegerOf(*reply));
}

core::Result<int64_t> RedisAnalyticsStore::OpenIncidents(const std::string& area) {
  auto reply = redis_.Command({"SCARD", Key("inc:" + area)});
  if (!reply) return reply.error();
  return reply->integer();
}

core::Result<std::pair<std::map<std::string, int64_t>, int64_t>> RedisAnalyticsStore::Terms(
    const std::string& area, int32_t day) {
  auto reply = redis_.Command({"HGETALL", Key("terms:" + area + ":" + std::to_string(day))});
  if (!reply) return reply.error();
  std::map<std::string, int64_t> terms;
  int64_t texts = 0;
  const auto& elements = reply->elements();
  for (size_t i = 0; i + 1 < elements.size(); i += 2) {
    const int64_t count = IntegerOf(elements[i + 1]);
    if (elements[i].str().empty()) {
      texts = count;
    } else {
      terms.emplace(elements[i].str(), count);
    }
  }
  return std::make_pair(std::move(terms), texts);
}

core::Result<std::vector<ExampleTicket>> RedisAnalyticsStore::Examples(const std::string& area,
                                                                       int32_t day) {
  auto reply = redis_.Command({"LRANGE", Key("ex:" + area + ":" + std::to_string(day)), "0",
                               std::to_string(kExamplesKept)});
  if (!reply) return reply.error();
  std::vector<ExampleTicket> examples;
  for (const auto& element : reply->elements()) {
    const std::string& value = element.str();
    const size_t separator = value.find(kSeparator);
    if (separator == std::string::npos) continue;
    examples.push_back({value.substr(0, separator), value.substr(separator + 1)});
  }
  return examples;
}

core::Result<std::optional<std::string>> RedisAnalyticsStore::Warning(const std::string& alert_id) {
  auto reply = redis_.Command({"HGET", Key("warnings"), alert_id});
  if (!reply) return reply.error();
  if (!reply->is_string()) return std::optional<std::string>();
  return std::optional<std::string>(reply->str());
}

core::Result<std::vector<std::string>> RedisAnalyticsStore::Warnings() {
  auto reply = redis_.Command({"HVALS", Key("warnings")});
  if (!reply) return reply.error();
  std::vector<std::string> warnings;
  for (const auto& element : reply->elements()) warnings.push_back(element.str());
  return warnings;
}

core::Status RedisAnalyticsStore::Wipe() {
  std::string cursor = "0";
  do {
    auto reply =
        redis_.Command({"SCAN", cursor, "MATCH", settings_.prefix + ":*", "COUNT", "1000"});
    if (!reply) return reply.error();
    const auto& parts = reply->elements();
    if (parts.size() != 2) return core::Internal("SCAN returned an unexpected reply");
    cursor = parts[0].str();
    std::vector<std::string> del = {"UNLINK"};
    for (const auto& key : parts[1].elements()) del.push_back(key.str());
    if (del.size() > 1) {
      auto deleted = redis_.Command(del);
      if (!deleted) return deleted.error();
    }
  } while (cursor != "0");
  return {};
}

}  // namespace gridcare::analytics
