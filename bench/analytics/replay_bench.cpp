// gridcare-analytics-replay-bench (issue 15): replaying events into analytics' KPIs, beside a raw
// consume of the same events in the same run. bench/analytics/replay.sh starts redis-server and
// devbroker and runs it.
//
// The devbroker keeps only ~5 MiB per partition (docs/architecture.md), so 1,000,000 events
// cannot sit in it at once: the bench works in rounds of --round events (default 100,000). Each
// round publishes a mix of intake, dispatch, complaint and notification events as the services
// would (tickets opened, consultations answered, urgings, resolutions, incidents opened and
// restored, cases, return visits, notices sent and delivered; not timed), then
//   (a) raw: reads every record the topics hold with the RecordReader analytics' --rebuild uses
//       (topic by topic, every partition of a topic at once, from the low watermark to the high
//       one) and only counts them;
//   (b) replay: reads the same records the same way through analytics' Replay(): decode, the
//       KpiLedger, the batch applied to Redis in one script per kReplayBatch records (--rebuild's
//       path);
// then through one consumer assigned every partition of every topic at once, as a service's
// consumer fetches: (c) a raw read — the ceiling a consume reaches on this broker; (d) a read that
// copies and decodes every record (event and id) and does nothing else — the floor of any replay;
// (e) the replay again (into a second key prefix). Records left over from an earlier round (the
// broker has not dropped them yet) are read by all; the replays skip them as already applied.
// Prints records per second of each, the ratios (goal >= 0.5), the CPU per record of the replaying
// thread and of redis-server, redis-server's busiest commands, and checks the figures: every
// ticket of every round counted exactly once, in both prefixes.

#include <google/protobuf/util/time_util.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/rdkafka_message.h"
#include "gridcare/kafka/record_reader.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/redis/client.h"
#include "gridcare/sla/calendar.h"
#include "kafka_support.h"
#include "rebuild.h"

namespace {

namespace v1 = gridcare::v1;
namespace kafka = gridcare::kafka;
namespace analytics = gridcare::analytics;
using google::protobuf::util::TimeUtil;
using Clock = std::chrono::steady_clock;

constexpr const char* kDistricts[] = {"天河区", "越秀区", "海珠区", "荔湾区",
                                      "白云区", "黄埔区", "番禺区", "花都区"};

struct Published {
  int64_t records = 0;
  int64_t tickets = 0;  // tickets opened + consultations answered
};

google::protobuf::Timestamp At(int64_t ms) { return TimeUtil::MillisecondsToTimestamp(ms); }

/// One round's events, published; `base` makes ids unique across rounds.
Published PublishRound(kafka::KafkaProducer& producer, int64_t base, int64_t count, int64_t now) {
  Published out;
  auto publish = [&](std::string_view topic, const std::string& key,
                     const google::protobuf::MessageLite& event) {
    const std::string id = "bench-" + std::to_string(base + out.records);
    kafka::EventMetadata metadata{
        id, "gridcare.bench.v1", "/gridcare/bench", key, std::chrono::system_clock::now(), ""};
    while (true) {
      auto status = producer.Publish(kafka::MakeRecord(std::string(topic), key, metadata, event));
      if (status) break;
      (void)producer.Flush(std::chrono::seconds(5));  // queue full: let it drain
    }
    ++out.records;
  };
  for (int64_t i = 0; out.records < count; ++i) {
    const std::string ticket = "T-" + std::to_string(base + i);
    const int64_t opened = now - (i % 600) * 60'000;
    const char* district = kDistricts[i % 8];
    const int kind = static_cast<int>(i % 10);
    if (kind < 4) {  // a ticket, urged once in four, resolved in two of three
      v1::IntakeEvent event;
      auto& t = *event.mutable_ticket_opened()->mutable_ticket();
      t.set_ticket_id(ticket);
      t.set_type(i % 3 == 0 ? v1::REQUEST_TYPE_COMPLAINT : v1::REQUEST_TYPE_FAULT_REPAIR);
      t.set_channel(static_cast<v1::Channel>(1 + i % 6));
      t.set_area_class(v1::AREA_CLASS_URBAN);
      t.mutable_location()->set_district(district);
      t.set_text("家里停电了，电表箱冒烟，请尽快派人来看看");
      *t.mutable_opened_at() = At(opened);
      auto& clock = *t.add_clocks();
      clock.set_kind(v1::ServiceClock::KIND_RESTORATION);
      *clock.mutable_due_at() = At(opened + 4 * 3'600'000LL);
      publish(kafka::kIntakeTopic, ticket, event);
      ++out.tickets;
      if (i % 4 == 0) {
        v1::IntakeEvent urge;
        urge.mutable_contact_added()->set_ticket_id(ticket);
        urge.mutable_contact_added()->set_urging(true);
        *urge.mutable_contact_added()->mutable_received_at() = At(opened + 60'000);
        publish(kafka::kIntakeTopic, ticket, urge);
      }
      if (i % 3 != 2) {
        v1::IntakeEvent resolved;
        auto& changed = *resolved.mutable_ticket_state_changed();
        changed.set_ticket_id(ticket);
        changed.set_state(v1::TICKET_STATE_RESOLVED);
        *changed.mutable_changed_at() = At(opened + 3'600'000);
        publish(kafka::kIntakeTopic, ticket, resolved);
      }
    } else if (kind < 6) {
      v1::IntakeEvent event;
      auto& a = *event.mutable_consultation_answered();
      a.set_ticket_id(ticket);
      a.set_first_contact_resolution(true);
      a.set_channel(v1::CHANNEL_WECHAT);
      a.mutable_location()->set_district(district);
      a.mutable_classification()->set_category("billing");
      a.set_text("请问这个月电费怎么这么高");
      *a.mutable_answered_at() = At(opened);
      publish(kafka::kIntakeTopic, ticket, event);
      ++out.tickets;
    } else if (kind == 6) {
      v1::DispatchEvent event;
      auto& incident = *event.mutable_incident_restored()->mutable_incident();
      incident.set_incident_id("INC-" + std::to_string(base + i));
      incident.set_area_class(v1::AREA_CLASS_RURAL);
      *incident.mutable_opened_at() = At(opened);
      *incident.mutable_restored_at() = At(opened + 5'400'000);
      auto& arrival = *incident.add_clocks();
      arrival.set_kind(v1::ServiceClock::KIND_ARRIVAL);
      *arrival.mutable_starts_at() = At(opened);
      *arrival.mutable_due_at() = At(opened + 5'400'000);
      *arrival.mutable_met_at() = At(opened + 3'000'000);
      publish(kafka::kDispatchTopic, incident.incident_id(), event);
    } else if (kind == 7) {
      v1::ComplaintEvent event;
      auto& visit = *event.mutable_return_visit_recorded();
      visit.set_case_id("CASE-" + std::to_string(base + i));
      visit.set_satisfaction(v1::SATISFACTION_SATISFIED);
      visit.set_satisfaction_score(4);
      *visit.mutable_visited_at() = At(opened);
      publish(kafka::kComplaintTopic, visit.case_id(), event);
    } else {
      v1::NotificationEvent event;
      if (kind == 8) {
        *event.mutable_sent()->mutable_sent_at() = At(opened);
      } else {
        *event.mutable_delivered()->mutable_delivered_at() = At(opened);
      }
      publish(kafka::kNotificationTopic, "C-" + std::to_string(i % 5000), event);
    }
  }
  (void)producer.Flush(std::chrono::seconds(60));
  return out;
}

/// CPU seconds this thread has used (the replay's decoding, KpiLedger, merging and hiredis work all
/// run on the calling thread; librdkafka's fetching runs on its own threads).
double ThreadCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// CPU seconds redis-server has used (INFO cpu: used_cpu_user + used_cpu_sys); -1 when unknown.
double RedisCpuSeconds(gridcare::redis::RedisClient& redis) {
  auto reply = redis.Command({"INFO", "cpu"});
  if (!reply || !reply->is_string()) return -1;
  double total = 0;
  for (const char* name : {"used_cpu_user:", "used_cpu_sys:"}) {
    const auto at = reply->str().find(name);
    if (at == std::string::npos) return -1;
    total += std::stod(reply->str().substr(at + std::string_view(name).size()));
  }
  return total;
}

/// redis-server's busiest commands (INFO commandstats; commands run by scripts included), by
/// CPU time: where its share of the replays went.
void PrintRedisCommands(gridcare::redis::RedisClient& redis, int64_t records) {
  auto reply = redis.Command({"INFO", "commandstats"});
  if (!reply || !reply->is_string() || records <= 0) return;
  std::vector<std::tuple<double, std::string, int64_t>> rows;  // usec, command, calls
  std::istringstream lines(reply->str());
  for (std::string line; std::getline(lines, line);) {
    // cmdstat_hincrby:calls=123,usec=456,usec_per_call=3.71,...
    const auto colon = line.find(':');
    const auto calls = line.find("calls=");
    const auto usec = line.find(",usec=");
    if (line.rfind("cmdstat_", 0) != 0 || colon == std::string::npos ||
        calls == std::string::npos || usec == std::string::npos) {
      continue;
    }
    rows.emplace_back(std::stod(line.substr(usec + 6)), line.substr(8, colon - 8),
                      std::stoll(line.substr(calls + 6)));
  }
  std::sort(rows.rbegin(), rows.rend());
  std::printf("redis-server's busiest commands over the whole run (per replayed record):\n");
  for (size_t i = 0; i < rows.size() && i < 8; ++i) {
    const auto& [usec, name, calls] = rows[i];
    std::printf("  %-10s %6.2f calls %6.2f us\n", name.c_str(),
                static_cast<double>(calls) / records, usec / records);
  }
}

/// Where a replay's time went: wall time, the replaying thread's CPU and redis-server's CPU.
struct ReplayCost {
  double wall = 0;
  double thread_cpu = 0;
  double redis_cpu = 0;
  int64_t records = 0;

  template <typename Run>
  bool Measure(gridcare::redis::RedisClient& redis, Run&& run) {
    const auto start = Clock::now();
    const double thread_before = ThreadCpuSeconds();
    const double redis_before = RedisCpuSeconds(redis);
    const int64_t done = run();
    if (done < 0) return false;
    wall += std::chrono::duration<double>(Clock::now() - start).count();
    thread_cpu += ThreadCpuSeconds() - thread_before;
    redis_cpu += RedisCpuSeconds(redis) - redis_before;
    records += done;
    return true;
  }
  void Print(const char* what, double raw_rate) const {
    const double rate = records / wall;
    std::printf("%-32s %lld records in %.2f s = %.0f /s\n", what, static_cast<long long>(records),
                wall, rate);
    std::printf(
        "  per record: %.2f us wall; CPU %.2f us in the replaying thread (decode, "
        "KpiLedger, merging, hiredis), %.2f us in redis-server\n",
        1e6 * wall / records, 1e6 * thread_cpu / records, 1e6 * redis_cpu / records);
    std::printf("replay / raw                     %.3f (goal >= 0.5)\n", rate / raw_rate);
  }
};

/// Reads every record of the topics and only counts them (the ceiling).
int64_t RawRead(kafka::RecordReader& reader, std::chrono::milliseconds timeout) {
  int64_t records = 0;
  for (const auto& topic : analytics::ReplayTopics()) {
    auto status = reader.ReadAll(topic, timeout, [&](const kafka::ConsumedMessage& m) {
      records += m.value.empty() ? 0 : 1;
    });
    if (!status && status.error().kind != gridcare::core::ErrorKind::kNotFound) {
      std::fprintf(stderr, "raw read of %s failed: %s\n", topic.c_str(),
                   status.error().ToString().c_str());
      return -1;
    }
  }
  return records;
}

/// Reads every record the topics hold with one consumer assigned every partition at once (as a
/// service's consumer fetches), from each partition's low watermark to its high one, handing
/// each to `visit`. Returns the records read, or -1.
int64_t FastRead(const std::string& bootstrap, int round,
                 const std::function<void(kafka::ConsumedMessage&)>& visit) {
  auto consumer = gridcare::bench::NewReaderConsumer(
      bootstrap, "analytics-replay-bench-" + std::to_string(round), "analytics-replay-bench", 10);
  if (!consumer) return -1;
  auto& reader = **consumer;
  std::map<std::pair<std::string, int>, int64_t> ends;  // partition -> high watermark
  int64_t expected = 0;
  auto assigned = gridcare::bench::AssignEveryPartition(
      reader, analytics::ReplayTopics(),
      [&](const std::string& topic, int p) -> gridcare::core::Result<int64_t> {
        int64_t low = 0;
        int64_t high = 0;
        if (reader.query_watermark_offsets(topic, p, &low, &high, 10'000) !=
            RdKafka::ERR_NO_ERROR) {
          return gridcare::core::Unavailable("watermarks of " + topic);
        }
        if (high > low) ends[{topic, p}] = high;
        expected += high - low;
        return low;
      });
  if (!assigned) return -1;
  int64_t read = 0;
  const auto deadline = Clock::now() + std::chrono::minutes(5);
  while (read < expected && Clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(reader.consume(100));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    ++read;
    if (!visit) continue;
    kafka::ConsumedMessage consumed = kafka::ToConsumedMessage(*m);
    visit(consumed);
  }
  reader.close();
  return read == expected ? read : -1;
}

/// Decodes one record as analytics does (its event and its id), and nothing more.
bool DecodeOnly(const kafka::ConsumedMessage& m) {
  auto decode = [&](auto event) {
    return !kafka::DecodeEvent(m, event) && !kafka::SourceEventId(m).empty();
  };
  if (m.topic == kafka::kIntakeTopic) return decode(v1::IntakeEvent());
  if (m.topic == kafka::kDispatchTopic) return decode(v1::DispatchEvent());
  if (m.topic == kafka::kComplaintTopic) return decode(v1::ComplaintEvent());
  if (m.topic == kafka::kNotificationTopic) return decode(v1::NotificationEvent());
  return false;
}

/// Prints the tickets counted under `prefix` against those published: exactly once, whatever was
/// read twice. False when they differ (or cannot be read).
bool PrintCounted(gridcare::redis::RedisClient& redis, const std::string& prefix, int64_t tickets) {
  auto kpis = analytics::ReadKpis(redis, prefix);
  if (!kpis) return false;
  int64_t counted = 0;
  for (const auto& [day, fields] : *kpis) {
    const auto found = fields.find("tickets");
    if (found != fields.end()) counted += found->second;
  }
  std::printf("tickets counted                  %lld of %lld %s\n", static_cast<long long>(counted),
              static_cast<long long>(tickets), counted == tickets ? "(exactly once)" : "(WRONG)");
  return counted == tickets;
}

/// Replays through FastRead: records in batches of kReplayBatch into the handler. Returns records
/// or -1.
int64_t FastReplay(const std::string& bootstrap, int round,
                   analytics::AnalyticsEventHandler& handler) {
  std::vector<kafka::ConsumedMessage> pending;
  bool failed = false;
  auto drain = [&] {
    size_t offset = 0;
    while (offset < pending.size() && !failed) {
      auto results = handler.HandleBatch(std::span<const kafka::ConsumedMessage>(
          pending.data() + offset, pending.size() - offset));
      if (results.empty()) {
        failed = true;
        break;
      }
      offset += results.size();
    }
    pending.clear();
  };
  const int64_t read = FastRead(bootstrap, round, [&](kafka::ConsumedMessage& m) {
    pending.push_back(std::move(m));
    if (pending.size() >= analytics::kReplayBatch) drain();
  });
  drain();
  return failed ? -1 : read;
}

}  // namespace

int main(int argc, char** argv) {
  std::string bootstrap;
  std::string redis_address;
  int64_t events = 1'000'000;
  int64_t round_size = 100'000;
  CLI::App app{
      "gridcare-analytics-replay-bench: replays events into analytics' KPIs (decode, KpiLedger, "
      "Redis) beside a raw consume of the same records, in rounds (bench/analytics/replay.sh)."};
  app.add_option("--bootstrap", bootstrap, "devbroker bootstrap servers")->required();
  app.add_option("--redis", redis_address, "redis-server host:port")->required();
  app.add_option("--events", events, "Events in all")->capture_default_str();
  app.add_option("--round", round_size, "Events per round (the devbroker keeps ~5 MiB/partition)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  gridcare::redis::RedisSettings redis_settings;
  redis_settings.host = redis_address.substr(0, redis_address.rfind(':'));
  redis_settings.port = std::stoi(redis_address.substr(redis_address.rfind(':') + 1));
  auto redis = gridcare::redis::RedisClient::Create(redis_settings);
  if (!redis) return std::fprintf(stderr, "%s\n", redis.error().ToString().c_str()), 1;
  auto producer = kafka::KafkaProducer::Create({bootstrap, "analytics-replay-bench", {}}, nullptr);
  if (!producer) return std::fprintf(stderr, "%s\n", producer.error().ToString().c_str()), 1;
  auto reader = kafka::KafkaRecordReader::Create({.bootstrap_servers = bootstrap,
                                                  .client_id = "analytics-replay-bench",
                                                  .group_id = {},
                                                  .extra = {}});
  if (!reader) return std::fprintf(stderr, "%s\n", reader.error().ToString().c_str()), 1;

  const auto calendar = gridcare::sla::WorkingCalendar::WeekdaysOnly();
  analytics::RedisAnalyticsStore store(**redis, {.prefix = "bench"});
  if (auto wiped = store.Wipe(); !wiped) return 1;
  analytics::KpiLedger ledger(calendar);
  analytics::AnalyticsEventHandler handler(ledger, store, nullptr);

  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  int64_t published = 0;
  int64_t tickets = 0;
  int64_t raw_records = 0;
  double raw_seconds = 0;
  ReplayCost replay;
  // The same, through one consumer assigned every partition of every topic (a service's fetch)
  // into a second store prefix: the ceiling a consume can reach on this broker.
  analytics::RedisAnalyticsStore fast_store(**redis, {.prefix = "bench-fast"});
  if (auto wiped = fast_store.Wipe(); !wiped) return 1;
  analytics::AnalyticsEventHandler fast_handler(ledger, fast_store, nullptr);
  int64_t fast_raw_records = 0;
  double fast_raw_seconds = 0;
  ReplayCost fast_replay;
  // The floor of any replay: read and decode every record (event and id), nothing else.
  int64_t decode_records = 0;
  int64_t decoded_records = 0;
  double decode_seconds = 0;
  for (int round = 1; published < events; ++round) {
    const auto batch =
        PublishRound(**producer, published, std::min(round_size, events - published), now);
    published += batch.records;
    tickets += batch.tickets;
    const auto raw_start = Clock::now();
    const int64_t raw = RawRead(**reader, std::chrono::minutes(5));
    if (raw < 0) return 1;
    raw_seconds += std::chrono::duration<double>(Clock::now() - raw_start).count();
    raw_records += raw;
    const bool replayed = replay.Measure(**redis, [&]() -> int64_t {
      auto result = analytics::Replay(**reader, analytics::ReplayTopics(), handler,
                                      analytics::kReplayBatch, std::chrono::minutes(5), nullptr);
      if (result) return result->records;
      std::fprintf(stderr, "replay failed: %s\n", result.error().ToString().c_str());
      return -1;
    });
    if (!replayed) return 1;
    const auto fast_start = Clock::now();
    const int64_t fast_raw = FastRead(bootstrap, 2 * round, nullptr);
    if (fast_raw < 0) return std::fprintf(stderr, "the full-speed read failed\n"), 1;
    fast_raw_seconds += std::chrono::duration<double>(Clock::now() - fast_start).count();
    fast_raw_records += fast_raw;
    int64_t decoded = 0;
    const auto decode_start = Clock::now();
    const int64_t decode_read =
        FastRead(bootstrap, 1000000 + round,
                 [&](kafka::ConsumedMessage& m) { decoded += DecodeOnly(m) ? 1 : 0; });
    if (decode_read < 0) return std::fprintf(stderr, "the decode-only read failed\n"), 1;
    decode_seconds += std::chrono::duration<double>(Clock::now() - decode_start).count();
    decode_records += decode_read;
    decoded_records += decoded;
    if (!fast_replay.Measure(**redis,
                             [&] { return FastReplay(bootstrap, 2 * round + 1, fast_handler); })) {
      return std::fprintf(stderr, "the full-speed replay failed\n"), 1;
    }
    std::printf(
        "round %d: %lld events published; raw read %lld records in %.2f s; replay %lld "
        "in %.2f s\n",
        round, static_cast<long long>(published), static_cast<long long>(raw_records), raw_seconds,
        static_cast<long long>(replay.records), replay.wall);
    std::fflush(stdout);
  }
  const double raw_rate = raw_records / raw_seconds;
  std::printf("\nevents published                 %lld (tickets %lld)\n",
              static_cast<long long>(published), static_cast<long long>(tickets));
  std::printf("raw consume (ceiling)            %lld records in %.2f s = %.0f /s\n",
              static_cast<long long>(raw_records), raw_seconds, raw_rate);
  replay.Print("replay into the KPIs", raw_rate);
  const bool once = PrintCounted(**redis, "bench", tickets);
  const double fast_raw_rate = fast_raw_records / fast_raw_seconds;
  std::printf("\nwith one consumer assigned every partition of every topic (a service's fetch):\n");
  std::printf("raw consume (ceiling)            %lld records in %.2f s = %.0f /s\n",
              static_cast<long long>(fast_raw_records), fast_raw_seconds, fast_raw_rate);
  const double decode_rate = decode_records / decode_seconds;
  std::printf(
      "read + decode only (the floor)   %lld records in %.2f s = %.0f /s (%.2f us per "
      "record; %lld decoded) = %.3f x raw\n",
      static_cast<long long>(decode_records), decode_seconds, decode_rate,
      1e6 * decode_seconds / decode_records, static_cast<long long>(decoded_records),
      decode_rate / fast_raw_rate);
  fast_replay.Print("replay into the KPIs", fast_raw_rate);
  const bool fast_once = PrintCounted(**redis, "bench-fast", tickets);
  std::printf("\n");
  PrintRedisCommands(**redis, replay.records + fast_replay.records);
  return once && fast_once ? 0 : 1;
}
