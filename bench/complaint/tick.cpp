// gridcare-complaint-bench tick: CaseDesk::TickDue with many open cases in the real Redis, beside
// raw Redis reads and writes of the same keys (complaint_bench.cpp describes the figures).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "case_clocks.h"
#include "case_desk.h"
#include "case_rules.h"
#include "complaint_bench.h"
#include "complaint_tickets.h"
#include "event_handlers.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/producer.h"
#include "redis_case_store.h"

namespace gridcare::bench {
namespace {

constexpr const char* kTimersKey = "complaint:timers";  // RedisCaseStore's timer set
// The desk order of a case with no running clock (praise), as CaseDesk writes it.
constexpr int64_t kNoClockScore = 32503680000000;  // 3000-01-01
// Cases ticked before the measured rounds (connections, the producer's first flush).
constexpr int64_t kWarmupCases = 50;

double MicrosSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::micro>(SteadyClock::now() - start).count();
}

// The real producer, with the time TickDue spends in Publish and Flush added up (the Kafka share
// of a tick). Used from one thread.
class TimedPublisher final : public kafka::EventPublisher {
 public:
  explicit TimedPublisher(kafka::KafkaProducer& producer) : producer_(producer) {}
  core::Status Publish(kafka::OutgoingRecord record) override {
    if (!sample_) sample_ = record;
    const auto started = SteadyClock::now();
    auto status = producer_.Publish(std::move(record));
    publish_us_ += MicrosSince(started);
    return status;
  }
  core::Status Flush(std::chrono::milliseconds timeout) override {
    const auto started = SteadyClock::now();
    auto status = producer_.Flush(timeout);
    flush_us_ += MicrosSince(started);
    ++flushes_;
    return status;
  }
  double publish_us() const { return publish_us_; }
  double flush_us() const { return flush_us_; }
  int64_t flushes() const { return flushes_; }
  int64_t delivered() const { return producer_.delivered(); }
  kafka::KafkaProducer& producer() { return producer_; }
  /// The first record TickDue published (a deadline alarm), or nullopt.
  const std::optional<kafka::OutgoingRecord>& sample() const { return sample_; }

 private:
  kafka::KafkaProducer& producer_;
  std::optional<kafka::OutgoingRecord> sample_;
  double publish_us_ = 0;
  double flush_us_ = 0;
  int64_t flushes_ = 0;
};

// ------------------------------------------------------------------------------------------------
// Setup: --cases open cases, opened one second apart from `base`, each written as CaseDesk
// commits a new case (the case, its timer, its desk listings; no outbox: nothing is published).

struct Loaded {
  std::vector<int64_t> timers_ms;  // every case's timer, sorted
  double seconds = 0;
  int64_t failures = 0;
};

Loaded LoadCases(const Options& options, const complaint::Configuration& configuration,
                 const complaint::CaseRules& rules, complaint::CaseStore& store,
                 const synth::Utility& utility, core::TimePoint base) {
  std::vector<int64_t> timers(static_cast<size_t>(options.cases), -1);
  std::atomic<int64_t> failures{0};
  std::atomic<int64_t> written{0};
  const int64_t stride = CustomerStride(utility.customer_count());
  const auto started = SteadyClock::now();
  auto work = [&](int thread) {
    TicketFactory factory(utility, configuration.standards, configuration.calendar,
                          options.seed ^ (0x71c4ULL + static_cast<uint64_t>(thread)), "tick");
    for (int64_t i = thread; i < options.cases; i += options.load_threads) {
      const auto opened = base + std::chrono::seconds(i);
      const auto ticket = factory.Ticket(i + 1, (i * stride) % utility.customer_count(), opened);
      complaint::OpenFacts facts;
      facts.district = ticket.location().district();
      facts.customer_display = complaint::MaskCustomerId(ticket.customer_id());
      auto change = rules.Open(ticket, facts, "bench-open-" + std::to_string(i), opened,
                               configuration.calendar);
      if (!change) continue;
      complaint::CaseCommit commit;
      commit.stored = std::move(change->stored);
      if (auto next = rules.NextTimer(commit.stored)) {
        commit.timer_ms = core::ToUnixMillis(*next);
        timers[static_cast<size_t>(i)] = *commit.timer_ms;
      }
      const auto due = complaint::FirstDue(commit.stored.complaint_case());
      commit.first_due_ms = due ? core::ToUnixMillis(*due) : kNoClockScore;
      if (!store.Commit(commit)) failures.fetch_add(1);
      if (const int64_t n = written.fetch_add(1) + 1; n % 25'000 == 0) {
        std::printf("  ... %s cases written\n", Thousands(static_cast<double>(n)).c_str());
        std::fflush(stdout);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < options.load_threads; ++t) threads.emplace_back(work, t);
  for (auto& thread : threads) thread.join();
  Loaded loaded;
  loaded.seconds = SecondsBetween(started, SteadyClock::now());
  loaded.failures = failures.load();
  for (const int64_t timer : timers) {
    if (timer >= 0) loaded.timers_ms.push_back(timer);
  }
  std::sort(loaded.timers_ms.begin(), loaded.timers_ms.end());
  return loaded;
}

// ------------------------------------------------------------------------------------------------
// Idle ticks: nothing due. TickDue beside the same ZRANGEBYSCORE sent raw, interleaved.

struct IdleFigures {
  LatencySummary tick;
  LatencySummary raw;
  int64_t ticked = 0;  // must stay 0
};

IdleFigures IdleTicks(const Options& options, complaint::CaseDesk& desk, redis::RedisClient& redis,
                      int64_t now_ms) {
  std::vector<int64_t> tick_ns, raw_ns;
  IdleFigures figures;
  for (int i = -5; i < options.idle_ticks; ++i) {  // 5 unmeasured warm-up rounds
    auto started = SteadyClock::now();
    auto ticked = desk.TickDue(options.tick_limit);
    const auto tick = SteadyClock::now() - started;
    started = SteadyClock::now();
    auto raw =
        redis.ZRangeByScore(kTimersKey, -std::numeric_limits<double>::infinity(),
                            static_cast<double>(now_ms), redis::RangeLimit{0, options.tick_limit});
    const auto raw_time = SteadyClock::now() - started;
    if (ticked) figures.ticked += *ticked;
    if (i < 0) continue;
    tick_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(tick).count());
    raw_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(raw_time).count());
  }
  // Summarize reads microseconds and reports milliseconds: nanoseconds in, microseconds out.
  figures.tick = Summarize(tick_ns);
  figures.raw = Summarize(raw_ns);
  return figures;
}

// ------------------------------------------------------------------------------------------------
// A round: `due` cases come due at once. First the raw floors on those cases' keys, then the tick.

struct Round {
  int64_t due = 0;           // cases whose timer is due at the round's time
  double pipelined_us = 0;   // ZRANGEBYSCORE + the GETs pipelined
  double sequential_us = 0;  // ZRANGEBYSCORE + one GET per round trip
  double read_write_us = 0;  // ... + per case a MULTI/EXEC writing the same bytes back
  double tick_us = 0;        // TickDue until every due case is ticked
  int64_t ticked = 0;
  int64_t calls = 0;       // TickDue calls
  int64_t published = 0;   // events delivered by the producer during the tick
  std::string commands;    // Redis commands per case during the tick
  double round_trips = 0;  // per case, during the tick
  double redis_us = 0;     // Redis's own execution time per case, during the tick
  double cpu_us = 0;       // this process's CPU per case (TickDue and the producer's threads)
  double publish_us = 0;   // in the producer's Publish, in all
  double flush_us = 0;     // in the producer's Flush (waiting for the broker's acks), in all
  int64_t flushes = 0;
  double kafka_floor_us = 0;  // as many records like the tick's, published and flushed as often
};

std::string CaseKey(const std::string& id) { return "complaint:case:" + id; }

core::Result<std::vector<redis::ScoredMember>> DueMembers(redis::RedisClient& redis,
                                                          int64_t now_ms) {
  return redis.ZRangeByScore(kTimersKey, -std::numeric_limits<double>::infinity(),
                             static_cast<double>(now_ms));
}

core::Status RawFloors(redis::RedisClient& redis, int64_t now_ms, Round& round) {
  auto started = SteadyClock::now();
  auto due = DueMembers(redis, now_ms);
  if (!due) return due.error();
  std::vector<std::vector<std::string>> gets;
  for (const auto& member : *due) gets.push_back({"GET", CaseKey(member.member)});
  if (auto replies = redis.Pipeline(gets); !replies) return replies.error();
  round.pipelined_us = MicrosSince(started);
  round.due = static_cast<int64_t>(due->size());

  started = SteadyClock::now();
  due = DueMembers(redis, now_ms);
  if (!due) return due.error();
  for (const auto& member : *due) {
    if (auto value = redis.Get(CaseKey(member.member)); !value) return value.error();
  }
  round.sequential_us = MicrosSince(started);

  started = SteadyClock::now();
  due = DueMembers(redis, now_ms);
  if (!due) return due.error();
  for (const auto& member : *due) {
    auto value = redis.Get(CaseKey(member.member));
    if (!value) return value.error();
    if (!value->has_value()) return core::Internal("case " + member.member + " vanished");
    char score[32];
    std::snprintf(score, sizeof score, "%.0f", member.score);
    auto written = redis.Transaction(
        {{"SET", CaseKey(member.member), **value}, {"ZADD", kTimersKey, score, member.member}});
    if (!written) return written.error();
  }
  round.read_write_us = MicrosSince(started);
  return {};
}

core::Status TickRound(const Options& options, complaint::CaseDesk& desk, TimedPublisher& producer,
                       redis::RedisClient& redis, Round& round) {
  const auto before = ReadRedisCounters(redis);
  const int64_t delivered = producer.delivered();
  const double publish_us = producer.publish_us();
  const double flush_us = producer.flush_us();
  const int64_t flushes = producer.flushes();
  const auto cpu_before = CpuSeconds("/proc/self/stat");
  const auto started = SteadyClock::now();
  while (round.ticked < round.due) {
    auto ticked = desk.TickDue(options.tick_limit);
    ++round.calls;
    if (!ticked) return ticked.error();
    if (*ticked == 0) break;
    round.ticked += *ticked;
  }
  round.tick_us = MicrosSince(started);
  const auto cpu_after = CpuSeconds("/proc/self/stat");
  round.published = producer.delivered() - delivered;
  round.publish_us = producer.publish_us() - publish_us;
  round.flush_us = producer.flush_us() - flush_us;
  round.flushes = producer.flushes() - flushes;
  const auto after = ReadRedisCounters(redis);
  const double per = static_cast<double>(std::max<int64_t>(round.ticked, 1));
  round.commands = CommandsPer(before, after, per, &round.redis_us);
  if (cpu_before && cpu_after) round.cpu_us = (*cpu_after - *cpu_before) * 1e6 / per;
  // Two INFO reads of the snapshot itself are not the tick's.
  round.round_trips = static_cast<double>(after.reads - before.reads - 3) / per;
  return {};
}

double PerCase(double micros, int64_t cases) {
  return cases > 0 ? micros / static_cast<double>(cases) : 0;
}

void PrintRound(int index, const Round& r) {
  std::printf(
      "  round %d: %lld due; TickDue %.1f us/case (%lld calls, %.0f ms, %lld events); floors: "
      "pipelined %.2f, one GET per trip %.1f, + MULTI/EXEC write %.1f us/case\n",
      index + 1, static_cast<long long>(r.due), PerCase(r.tick_us, r.ticked),
      static_cast<long long>(r.calls), r.tick_us / 1000, static_cast<long long>(r.published),
      PerCase(r.pipelined_us, r.due), PerCase(r.sequential_us, r.due),
      PerCase(r.read_write_us, r.due));
  std::printf(
      "           per case during the tick: Redis %s; %.2f round trips, %.1f us of Redis "
      "execution; %.0f us of this process's CPU; Kafka: %.1f us in Publish, %.1f us in Flush "
      "(%lld flushes; Kafka floor %.1f us)\n",
      r.commands.c_str(), r.round_trips, r.redis_us, r.cpu_us, PerCase(r.publish_us, r.ticked),
      PerCase(r.flush_us, r.ticked), static_cast<long long>(r.flushes),
      PerCase(r.kafka_floor_us, r.ticked));
  std::fflush(stdout);
}

// The median of `value` over the rounds.
double Median(const std::vector<Round>& rounds, double (*value)(const Round&)) {
  std::vector<double> values;
  for (const auto& round : rounds) values.push_back(value(round));
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void Report(const Options& options, const Loaded& loaded, const IdleFigures& idle,
            const std::vector<Round>& rounds, int64_t used_memory, Results& results) {
  const double tick = Median(rounds, [](const Round& r) { return PerCase(r.tick_us, r.ticked); });
  const double floor =
      Median(rounds, [](const Round& r) { return PerCase(r.pipelined_us, r.due); });
  const double sequential =
      Median(rounds, [](const Round& r) { return PerCase(r.sequential_us, r.due); });
  const double read_write =
      Median(rounds, [](const Round& r) { return PerCase(r.read_write_us, r.due); });
  const double due = Median(rounds, [](const Round& r) { return static_cast<double>(r.due); });
  const double cpu = Median(rounds, [](const Round& r) { return r.cpu_us; });
  const double redis_us = Median(rounds, [](const Round& r) { return r.redis_us; });
  const double publish =
      Median(rounds, [](const Round& r) { return PerCase(r.publish_us, r.ticked); });
  const double flush = Median(rounds, [](const Round& r) { return PerCase(r.flush_us, r.ticked); });
  const double kafka_floor =
      Median(rounds, [](const Round& r) { return PerCase(r.kafka_floor_us, r.ticked); });
  const double events = Median(rounds, [](const Round& r) {
    return static_cast<double>(r.published) / static_cast<double>(std::max<int64_t>(r.ticked, 1));
  });
  std::printf("\nWith %s open cases (Redis used_memory %.0f MiB), medians of %d rounds:\n",
              Thousands(static_cast<double>(options.cases)).c_str(),
              static_cast<double>(used_memory) / 1048576.0, static_cast<int>(rounds.size()));
  std::printf("  %-52s %10s %10s %10s\n", "", "mean", "p50", "p99");
  std::printf("  %-52s %10.1f %10.1f %10.1f\n", "idle tick, CaseDesk::TickDue (us)",
              idle.tick.mean_ms, idle.tick.p50_ms, idle.tick.p99_ms);
  std::printf("  %-52s %10.1f %10.1f %10.1f\n", "  ceiling: the same ZRANGEBYSCORE, raw (us)",
              idle.raw.mean_ms, idle.raw.p50_ms, idle.raw.p99_ms);
  std::printf("  idle tick / raw: %.2f (medians), %.2f (means)\n",
              idle.raw.p50_ms > 0 ? idle.tick.p50_ms / idle.raw.p50_ms : 0,
              idle.raw.mean_ms > 0 ? idle.tick.mean_ms / idle.raw.mean_ms : 0);
  std::printf(
      "  %s cases due at once: TickDue %.1f us per case = %.0f cases/s (%.0f ms for "
      "them; %.2f events per case)\n",
      Thousands(due).c_str(), tick, tick > 0 ? 1e6 / tick : 0, tick * due / 1000, events);
  std::printf(
      "    floor, ZRANGEBYSCORE + pipelined GETs:      %6.2f us per case  (tick = %.0f x)\n", floor,
      floor > 0 ? tick / floor : 0);
  std::printf(
      "    ZRANGEBYSCORE + one GET per round trip:     %6.1f us per case  (tick = %.1f x)\n",
      sequential, sequential > 0 ? tick / sequential : 0);
  std::printf(
      "    + a MULTI/EXEC per case writing it back:    %6.1f us per case  (tick = %.1f x)\n",
      read_write, read_write > 0 ? tick / read_write : 0);
  std::printf(
      "    where the tick's time goes, per case: %.0f us of this process's CPU (rules, "
      "protobuf, the producer), %.1f us of Redis execution; waiting in the producer's "
      "Publish %.1f us and Flush %.1f us (one flush per TickDue call)\n",
      cpu, redis_us, publish, flush);
  std::printf(
      "    Kafka floor: as many records like the tick's published and flushed as often "
      "from this process: %.1f us per case\n",
      kafka_floor);
  results.Add("tick.cpu_us_per_case", cpu);
  results.Add("tick.publish_us_per_case", publish);
  results.Add("tick.flush_us_per_case", flush);
  results.Add("tick.kafka_floor_us_per_case", kafka_floor);
  results.Add("tick.redis_us_per_case", redis_us);
  results.Add("tick.cases", options.cases);
  results.Add("tick.load_per_s", static_cast<double>(options.cases) / loaded.seconds);
  results.Add("tick.redis_used_mib", static_cast<double>(used_memory) / 1048576.0);
  results.Add("tick.idle_mean_us", idle.tick.mean_ms);
  results.Add("tick.idle_p99_us", idle.tick.p99_ms);
  results.Add("tick.idle_raw_mean_us", idle.raw.mean_ms);
  results.Add("tick.idle_p50_us", idle.tick.p50_ms);
  results.Add("tick.idle_raw_p50_us", idle.raw.p50_ms);
  results.Add("tick.due", due);
  results.Add("tick.due_us_per_case", tick);
  results.Add("tick.due_ms_total", tick * due / 1000);
  results.Add("tick.floor_pipelined_us_per_case", floor);
  results.Add("tick.floor_sequential_us_per_case", sequential);
  results.Add("tick.floor_read_write_us_per_case", read_write);
  results.Add("tick.events_per_case", events);
}

// The Kafka floor of a round: as many records as the tick published, copies of one of them (same
// size and headers) on a scratch topic nothing reads (the devbroker creates it on first use),
// published in as many batches as TickDue calls, each followed by a flush, as TickDue does.
constexpr const char* kScratchTopic = "gridcare.bench.complaint-tick-floor.v1";

core::Status KafkaFloor(TimedPublisher& publisher, Round& round) {
  if (!publisher.sample() || round.calls == 0) return {};
  kafka::OutgoingRecord record = *publisher.sample();
  record.topic = kScratchTopic;
  const int64_t per_call = (round.published + round.calls - 1) / round.calls;
  const auto started = SteadyClock::now();
  for (int64_t sent = 0; sent < round.published;) {
    for (int64_t i = 0; i < per_call && sent < round.published; ++i, ++sent) {
      record.key = "CC-floor-" + std::to_string(sent);
      if (auto status = publisher.producer().Publish(record); !status) return status;
    }
    if (auto status = publisher.producer().Flush(std::chrono::seconds(10)); !status) return status;
  }
  round.kafka_floor_us = MicrosSince(started);
  return {};
}

// Measures round `index` (-1: the unmeasured warm-up: connections, the producer's first flush)
// at `now_ms`: the floors, then the tick.
core::Result<Round> MeasureRound(const Options& options, int index, int64_t now_ms,
                                 complaint::CaseDesk& desk, core::FakeClock& clock,
                                 TimedPublisher& producer, redis::RedisClient& redis) {
  Round round;
  if (auto status = RawFloors(redis, now_ms, round); !status) return status.error();
  clock.Set(core::FromUnixMillis(now_ms));
  if (auto status = TickRound(options, desk, producer, redis, round); !status) {
    return status.error();
  }
  if (auto status = KafkaFloor(producer, round); !status) return status.error();
  if (index >= 0) PrintRound(index, round);
  if (round.ticked != round.due) {
    return core::Internal(std::to_string(round.due) + " due but " + std::to_string(round.ticked) +
                          " ticked");
  }
  return round;
}

}  // namespace

int RunTick(const Options& options, complaint::Configuration& configuration) {
  auto redis = ConnectRedis(options.redis_address, options.load_threads + 1);
  if (!redis) {
    std::fprintf(stderr, "complaint-bench: redis: %s\n", redis.error().ToString().c_str());
    return 2;
  }
  if (auto timers = (*redis)->ZCard(kTimersKey); !timers || *timers != 0) {
    std::fprintf(
        stderr, "complaint-bench: tick wants a Redis without complaint timers (%s)\n",
        timers ? (std::to_string(*timers) + " there").c_str() : timers.error().ToString().c_str());
    return 2;
  }
  auto utility = synth::Utility::Create({.seed = options.seed, .customers = options.customers});
  if (!utility) {
    std::fprintf(stderr, "complaint-bench: %s\n", utility.error().ToString().c_str());
    return 2;
  }
  const complaint::CaseRules rules({&configuration.policy, &configuration.directory,
                                    &*configuration.router, &configuration.standards, false});
  complaint::RedisCaseStore store(**redis);
  // A Monday morning in the shipped calendar's year; cases open 1 s apart from it.
  const auto base = kafka::ParseRfc3339("2026-11-02T00:00:00Z").value();
  std::printf(
      "gridcare-complaint-bench tick: writing %s open cases (customers of the %s-customer "
      "utility, seed %llu) through RedisCaseStore::Commit, %d threads\n",
      Thousands(static_cast<double>(options.cases)).c_str(),
      Thousands(static_cast<double>(options.customers)).c_str(),
      static_cast<unsigned long long>(options.seed), options.load_threads);
  std::fflush(stdout);
  const Loaded loaded = LoadCases(options, configuration, rules, store, *utility, base);
  const int64_t with_timer = static_cast<int64_t>(loaded.timers_ms.size());
  std::printf("  written in %.1f s (%.0f cases/s); %s with a timer\n", loaded.seconds,
              static_cast<double>(options.cases) / loaded.seconds,
              Thousands(static_cast<double>(with_timer)).c_str());
  if (loaded.failures > 0 || with_timer < kWarmupCases + options.due * options.rounds) {
    std::fprintf(stderr, "complaint-bench: %lld commits failed, %lld timers\n",
                 static_cast<long long>(loaded.failures), static_cast<long long>(with_timer));
    return 1;
  }
  const int64_t used_memory = ReadRedisCounters(**redis).used_memory;

  auto producer = kafka::KafkaProducer::Create(
      {options.bootstrap, "gridcare-complaint-bench-tick", {}}, nullptr);
  if (!producer) {
    std::fprintf(stderr, "complaint-bench: %s\n", producer.error().ToString().c_str());
    return 1;
  }
  const int64_t idle_ms = loaded.timers_ms.front() - 1;
  core::FakeClock clock(core::FromUnixMillis(idle_ms));
  TimedPublisher publisher(**producer);
  complaint::CaseDesk desk(store, publisher, clock, configuration.calendar, rules);

  const IdleFigures idle = IdleTicks(options, desk, **redis, idle_ms);
  std::printf("  idle: %d ticks, TickDue p50 %.1f us, raw ZRANGEBYSCORE p50 %.1f us\n",
              options.idle_ticks, idle.tick.p50_ms, idle.raw.p50_ms);
  std::fflush(stdout);
  if (idle.ticked != 0) {
    std::fprintf(stderr, "complaint-bench: an idle tick ticked %lld cases\n",
                 static_cast<long long>(idle.ticked));
    return 1;
  }

  // The rounds take the timers in order: the warm-up the first kWarmupCases, round r the next
  // --due; the earlier rounds' cases have moved on to their next alarm (hours later).
  std::vector<Round> rounds;
  int64_t taken = 0;
  for (int r = -1; r < options.rounds; ++r) {
    taken += r < 0 ? std::min(kWarmupCases, options.due) : options.due;
    const int64_t now_ms = loaded.timers_ms[static_cast<size_t>(taken - 1)];
    auto round = MeasureRound(options, r, now_ms, desk, clock, publisher, **redis);
    if (!round) {
      std::fprintf(stderr, "complaint-bench: round %d: %s\n", r + 1,
                   round.error().ToString().c_str());
      return 1;
    }
    if (r >= 0) rounds.push_back(*round);
  }
  Results results;
  Report(options, loaded, idle, rounds, used_memory, results);
  if (!options.results_file.empty() && !results.Write(options.results_file)) {
    std::fprintf(stderr, "complaint-bench: cannot write %s\n", options.results_file.c_str());
    return 1;
  }
  return 0;
}

}  // namespace gridcare::bench
