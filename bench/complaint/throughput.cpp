// gridcare-complaint-bench throughput: tickets on gridcare.intake.v1 -> a raw consume of them (the
// ceiling), then the real complaint service on the same backlog until every case is routed
// (complaint_bench.cpp describes the figures).
#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "complaint_bench.h"
#include "complaint_tickets.h"
#include "gridcare/kafka/client_config.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/testing/process.h"
#include "gridcare/testing/servers.h"
#include "gridcare/v1/complaint.pb.h"
#include "kafka_support.h"

namespace gridcare::bench {
namespace {

// ------------------------------------------------------------------------------------------------
// Following gridcare.complaint.v1: which cases have been routed, and when the bench saw it.

class RoutedTracker {
 public:
  explicit RoutedTracker(int64_t expected) : expected_(expected) {}

  void Routed(const std::string& case_id, const std::string& department, int64_t now_ns) {
    std::lock_guard lock(mutex_);
    if (!routed_.insert(case_id).second) {
      ++duplicates_;
      return;
    }
    if (first_ns_ == 0) first_ns_ = now_ns;
    last_ns_ = now_ns;
    ++departments_[department];
    last_arrival_ = SteadyClock::now();
    if (static_cast<int64_t>(routed_.size()) >= expected_) done_.notify_all();
  }
  void Other(const std::string& what) {
    std::lock_guard lock(mutex_);
    ++others_[what];
    last_arrival_ = SteadyClock::now();
  }

  // True when every case was routed; false when nothing arrived for `stall` (before the first
  // arrival: for `first`). `progress` is called about every 2 s with the count so far.
  bool WaitAll(std::chrono::duration<double> first, std::chrono::duration<double> stall,
               const std::function<void(int64_t)>& progress) {
    std::unique_lock lock(mutex_);
    const auto started = SteadyClock::now();
    last_arrival_ = started;
    auto next_progress = started + std::chrono::seconds(2);
    while (static_cast<int64_t>(routed_.size()) < expected_) {
      const auto limit =
          routed_.empty()
              ? started + std::chrono::duration_cast<SteadyClock::duration>(first)
              : last_arrival_ + std::chrono::duration_cast<SteadyClock::duration>(stall);
      const auto now = SteadyClock::now();
      if (now >= limit) return false;
      if (now >= next_progress) {
        progress(static_cast<int64_t>(routed_.size()));
        next_progress = now + std::chrono::seconds(2);
      }
      done_.wait_until(lock, std::min(limit, now + std::chrono::milliseconds(200)));
    }
    return true;
  }

  struct Snapshot {
    int64_t routed = 0;
    int64_t duplicates = 0;
    int64_t first_ns = 0;
    int64_t last_ns = 0;
    std::map<std::string, int64_t> departments;
    std::map<std::string, int64_t> others;
  };
  Snapshot Take() {
    std::lock_guard lock(mutex_);
    return {static_cast<int64_t>(routed_.size()),
            duplicates_,
            first_ns_,
            last_ns_,
            departments_,
            others_};
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  int64_t expected_;
  std::unordered_set<std::string> routed_;
  int64_t duplicates_ = 0;
  int64_t first_ns_ = 0;
  int64_t last_ns_ = 0;
  std::map<std::string, int64_t> departments_;
  std::map<std::string, int64_t> others_;
  SteadyClock::time_point last_arrival_;
};

// The bench's reader of complaint's topics: every partition assigned from the current end (no
// group membership, nothing committed), so only what complaint publishes from now on is seen.
class ComplaintReader {
 public:
  static core::Result<std::unique_ptr<ComplaintReader>> Start(const std::string& bootstrap,
                                                              const std::string& run_id,
                                                              RoutedTracker& tracker) {
    std::unique_ptr<ComplaintReader> self(new ComplaintReader(tracker));
    auto consumer = NewReaderConsumer(bootstrap, "gridcare-complaint-bench-reader-" + run_id,
                                      "gridcare-complaint-bench-reader", 10);
    if (!consumer) return consumer.error();
    self->consumer_ = std::move(*consumer);
    RdKafka::KafkaConsumer& reader = *self->consumer_;
    self->dead_letters_ = kafka::DeadLetterTopic("complaint");
    auto partitions = AssignEveryPartition(
        reader, {std::string(kafka::kComplaintTopic), self->dead_letters_},
        [&reader](const std::string& topic, int p) -> core::Result<int64_t> {
          int64_t low = 0, high = 0;
          const auto err = reader.query_watermark_offsets(topic, p, &low, &high, 10'000);
          if (err != RdKafka::ERR_NO_ERROR) {
            return core::Unavailable("watermarks of " + topic + ": " + RdKafka::err2str(err));
          }
          return high;
        });
    if (!partitions) return partitions.error();
    ComplaintReader* raw = self.get();
    self->thread_ = std::thread([raw] { raw->Run(); });
    return self;
  }

  ~ComplaintReader() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    if (consumer_) consumer_->close();
  }

  int64_t errors() const { return errors_.load(); }

 private:
  explicit ComplaintReader(RoutedTracker& tracker) : tracker_(tracker) {}

  void Run() {
    v1::ComplaintEvent event;
    while (!stop_.load()) {
      std::unique_ptr<RdKafka::Message> message(consumer_->consume(100));
      const int64_t received = NowNanos();
      if (message->err() == RdKafka::ERR_NO_ERROR) {
        if (message->topic_name() == dead_letters_) {
          tracker_.Other("dead letter");
        } else if (message->payload() != nullptr &&
                   event.ParseFromArray(message->payload(), static_cast<int>(message->len()))) {
          if (event.has_case_routed()) {
            tracker_.Routed(event.case_routed().case_id(), event.case_routed().department_id(),
                            received);
          } else {
            tracker_.Other(std::string(HeaderOf(*message, "ce_type").value_or("?")));
          }
        }
      } else if (message->err() != RdKafka::ERR__TIMED_OUT &&
                 message->err() != RdKafka::ERR__PARTITION_EOF) {
        if (errors_.fetch_add(1) < 5) {
          std::fprintf(stderr, "complaint-bench: reader: %s\n", message->errstr().c_str());
        }
      }
    }
  }

  RoutedTracker& tracker_;
  std::string dead_letters_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> errors_{0};
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::thread thread_;
};

// ------------------------------------------------------------------------------------------------
// The tickets, published as intake would.

struct Published {
  double seconds = 0;
  int64_t failures = 0;
  double value_bytes = 0;                // average
  std::map<int, int64_t> start_offsets;  // intake partition -> high watermark before publishing
};

core::Result<Published> PublishTickets(const Options& options,
                                       const complaint::Configuration& configuration,
                                       const synth::Utility& utility, const std::string& run_id) {
  TicketFactory factory(utility, configuration.standards, configuration.calendar,
                        options.seed ^ 0xc0ffeeULL, run_id);
  const int64_t stride = CustomerStride(utility.customer_count());
  const core::SystemClock clock;
  std::vector<kafka::OutgoingRecord> records;
  records.reserve(static_cast<size_t>(options.tickets));
  Published published;
  for (int64_t seq = 0; seq < options.tickets; ++seq) {
    const int64_t customer = (seq * stride) % utility.customer_count();
    const auto now = clock.Now();
    records.push_back(TicketFactory::Record(factory.Ticket(seq + 1, customer, now), now));
    published.value_bytes += static_cast<double>(records.back().value.size());
  }
  published.value_bytes /= static_cast<double>(options.tickets);

  // Where the backlog starts, for the raw consumer.
  auto probe = NewReaderConsumer(options.bootstrap, "gridcare-complaint-bench-probe-" + run_id,
                                 "gridcare-complaint-bench-probe", 10);
  if (!probe) return probe.error();
  const std::string topic(kafka::kIntakeTopic);
  auto partitions = PartitionCount(**probe, topic, std::chrono::seconds(20));
  if (!partitions) return partitions.error();
  for (int p = 0; p < *partitions; ++p) {
    int64_t low = 0, high = 0;
    const auto err = (*probe)->query_watermark_offsets(topic, p, &low, &high, 10'000);
    if (err != RdKafka::ERR_NO_ERROR) return core::Unavailable(RdKafka::err2str(err));
    published.start_offsets[p] = high;
  }
  (*probe)->close();

  auto producer = kafka::KafkaProducer::Create(
      {options.bootstrap, "gridcare-complaint-bench-tickets", {}}, nullptr);
  if (!producer) return producer.error();
  const auto started = SteadyClock::now();
  for (auto& record : records) {
    if (auto status = (*producer)->Publish(std::move(record)); !status) {
      if (published.failures++ == 0) {
        std::fprintf(stderr, "complaint-bench: publish: %s\n", status.error().ToString().c_str());
      }
    }
  }
  if (auto status = (*producer)->Flush(std::chrono::seconds(60)); !status) return status.error();
  published.seconds = SecondsBetween(started, SteadyClock::now());
  return published;
}

// ------------------------------------------------------------------------------------------------
// (a) The ceiling: a plain consumer with the services' client settings reads the backlog.

struct RawConsume {
  int64_t records = 0;
  int64_t bytes = 0;
  double from_start_s = 0;     // assignment to the last record
  double to_first_s = 0;       // assignment to the first record
  double first_to_last_s = 0;  // first record to the last
  CpuMeter::Usage cpu;
};

core::Result<RawConsume> ConsumeRaw(const Options& options, const Published& published,
                                    const std::string& group, CpuMeter& meter) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  auto properties = kafka::DefaultConsumerConfig();
  properties["bootstrap.servers"] = options.bootstrap;
  properties["group.id"] = group;
  properties["client.id"] = "gridcare-complaint-bench-raw";
  properties["enable.auto.commit"] = "false";
  if (auto status = SetAll(*conf, properties); !status) return status.error();
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) return core::InvalidArgument("raw consumer: " + error);

  RawConsume raw;
  meter.Start();
  const auto started = SteadyClock::now();
  auto assigned = AssignEveryPartition(*consumer, {std::string(kafka::kIntakeTopic)},
                                       [&](const std::string&, int p) -> core::Result<int64_t> {
                                         return published.start_offsets.at(p);
                                       });
  if (!assigned) return assigned.error();
  SteadyClock::time_point first, last = SteadyClock::now();
  while (raw.records < options.tickets) {
    std::unique_ptr<RdKafka::Message> message(consumer->consume(100));
    const auto now = SteadyClock::now();
    if (message->err() == RdKafka::ERR_NO_ERROR) {
      if (raw.records++ == 0) first = now;
      raw.bytes += static_cast<int64_t>(message->len());
      last = now;
    } else if (message->err() != RdKafka::ERR__TIMED_OUT &&
               message->err() != RdKafka::ERR__PARTITION_EOF) {
      return core::Unavailable("raw consumer: " + message->errstr());
    } else if (SecondsBetween(last, now) > options.stall_timeout_s) {
      break;
    }
  }
  raw.cpu = meter.Stop();
  raw.from_start_s = SecondsBetween(started, last);
  raw.first_to_last_s = SecondsBetween(first, last);
  raw.to_first_s = SecondsBetween(started, first);
  consumer->close();
  return raw;
}

// A read of some 20,000 records takes tens of milliseconds: it is repeated (each time a new
// consumer from the same offsets) and the median read kept.
constexpr int kRawReads = 5;

core::Result<RawConsume> ConsumeRawMedian(const Options& options, const Published& published,
                                          const std::string& run_id, CpuMeter& meter) {
  std::vector<RawConsume> reads;
  for (int i = 0; i < kRawReads; ++i) {
    auto raw =
        ConsumeRaw(options, published,
                   "gridcare-complaint-bench-raw-" + run_id + "-" + std::to_string(i), meter);
    if (!raw) return raw.error();
    std::printf("  (a) raw consume %d of %d: %s records in %.3f s (%.3f s first to last)\n", i + 1,
                kRawReads, Thousands(static_cast<double>(raw->records)).c_str(), raw->from_start_s,
                raw->first_to_last_s);
    reads.push_back(std::move(*raw));
  }
  std::sort(reads.begin(), reads.end(), [](const RawConsume& a, const RawConsume& b) {
    return a.first_to_last_s < b.first_to_last_s;
  });
  return reads[reads.size() / 2];
}

// ------------------------------------------------------------------------------------------------
// (b) The complaint service on the same backlog.

struct ServiceRun {
  bool complete = false;
  double ready_s = 0;  // spawn to its "ready" line
  double wall_s = 0;   // spawn to the last case routed (the CPU meter's span)
  RoutedTracker::Snapshot arrivals;
  int64_t ready_ns = 0;
  Memory memory;
  CpuMeter::Usage cpu;
  RedisCounters redis_before, redis_after;
  int64_t open_cases = -1;  // ZCARD complaint:open afterwards
  int exit_status = 0;
};

std::string ProgressLine(int64_t routed, int64_t expected, int64_t started_ns) {
  const double seconds = static_cast<double>(NowNanos() - started_ns) / 1e9;
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "  ... %s of %s cases routed after %.0f s",
                Thousands(static_cast<double>(routed)).c_str(),
                Thousands(static_cast<double>(expected)).c_str(), seconds);
  return buffer;
}

core::Result<ServiceRun> RunComplaint(const Options& options, RoutedTracker& tracker,
                                      std::vector<Watched> watched, redis::RedisClient& redis,
                                      const std::filesystem::path& log_dir) {
  ServiceRun run;
  run.redis_before = ReadRedisCounters(redis);
  const std::vector<std::string> args = {"--kafka-bootstrap-servers", options.bootstrap,
                                         "--redis-address",           options.redis_address,
                                         "--grpc-listen-address",     testing::LoopbackAddress(0),
                                         "--metrics-listen-address",  testing::LoopbackAddress(0),
                                         "--console-listen-address",  testing::LoopbackAddress(0)};
  const auto spawned = SteadyClock::now();
  testing::ChildProcess complaint(options.complaint_binary, args, log_dir / "complaint.log");
  watched.push_back({"complaint", "/proc/" + std::to_string(complaint.pid()) + "/stat"});
  CpuMeter meter(watched);
  meter.Start();
  try {
    testing::WaitForServiceReady(
        complaint, std::chrono::milliseconds(static_cast<int64_t>(options.start_timeout_s * 1000)));
  } catch (const std::exception& e) {
    return core::Unavailable(std::string("complaint did not start: ") + e.what());
  }
  run.ready_ns = NowNanos();
  run.ready_s = SecondsBetween(spawned, SteadyClock::now());
  std::printf("  complaint (pid %d) ready after %.2f s; waiting for %s cases to be routed\n",
              static_cast<int>(complaint.pid()), run.ready_s,
              Thousands(static_cast<double>(options.tickets)).c_str());
  std::fflush(stdout);
  run.complete = tracker.WaitAll(
      std::chrono::duration<double>(options.start_timeout_s),
      std::chrono::duration<double>(options.stall_timeout_s), [&](int64_t routed) {
        std::printf("%s\n", ProgressLine(routed, options.tickets, run.ready_ns).c_str());
        std::fflush(stdout);
      });
  run.cpu = meter.Stop();
  run.wall_s = SecondsBetween(spawned, SteadyClock::now());
  run.memory = MemoryOf(complaint.pid());
  run.arrivals = tracker.Take();
  run.redis_after = ReadRedisCounters(redis);
  if (auto open = redis.ZCard("complaint:open")) run.open_cases = *open;
  run.exit_status = complaint.Stop();
  if (!run.complete) {
    const std::string log = complaint.ReadLog();
    std::fprintf(stderr, "complaint-bench: complaint's log (last 3,000 bytes):\n%s\n",
                 log.substr(log.size() > 3000 ? log.size() - 3000 : 0).c_str());
  }
  return run;
}

// ------------------------------------------------------------------------------------------------
// Report

double Rate(int64_t count, double seconds) {
  return seconds > 0 ? static_cast<double>(count) / seconds : 0;
}

void Report(const Options& options, const Published& published, const RawConsume& raw,
            const ServiceRun& run, Results& results) {
  const auto& a = run.arrivals;
  const double first_to_last_s = static_cast<double>(a.last_ns - a.first_ns) / 1e9;
  const double from_ready_s = static_cast<double>(a.last_ns - run.ready_ns) / 1e9;
  // Rates count the intervals between first and last: n records, n-1 gaps.
  const double raw_rate = Rate(raw.records - 1, raw.first_to_last_s);
  const double raw_from_start = Rate(raw.records, raw.from_start_s);
  const double rate = Rate(a.routed - 1, first_to_last_s);
  const double rate_from_ready = Rate(a.routed, from_ready_s);
  std::printf("\n%-44s %16s %16s\n", "", "raw (median)", "complaint");
  std::printf("%-44s %16s %16s\n", "records read / cases routed",
              Thousands(static_cast<double>(raw.records)).c_str(),
              Thousands(static_cast<double>(a.routed)).c_str());
  std::printf("%-44s %16.0f %16.0f\n", "per second, first to last", raw_rate, rate);
  std::printf("%-44s %16.0f %16.0f\n", "per second, from start (assign / ready)", raw_from_start,
              rate_from_ready);
  std::printf("%-44s %16.3f %16.3f\n", "seconds, first to last", raw.first_to_last_s,
              first_to_last_s);
  std::printf("%-44s %16.3f %16.3f\n", "seconds before the first (assign / ready)", raw.to_first_s,
              static_cast<double>(a.first_ns - run.ready_ns) / 1e9);
  std::printf("complaint / raw consume (first to last): %.4f (1 / %.0f)\n",
              raw_rate > 0 ? rate / raw_rate : 0, rate > 0 ? raw_rate / rate : 0);
  std::printf("raw consume %s\ncomplaint (spawn to last routed) %s\n", Describe(raw.cpu).c_str(),
              Describe(run.cpu).c_str());
  const double cpu_us_per_case = run.cpu.Of("complaint") * run.wall_s * 1e6 /
                                 static_cast<double>(std::max<int64_t>(a.routed, 1));
  std::printf("complaint CPU per case: %.0f us (its whole life, start-up included)\n",
              cpu_us_per_case);
  double redis_us = 0;
  const std::string commands =
      CommandsPer(run.redis_before, run.redis_after, static_cast<double>(a.routed), &redis_us);
  const double trips = static_cast<double>(run.redis_after.reads - run.redis_before.reads) /
                       static_cast<double>(std::max<int64_t>(a.routed, 1));
  std::printf("Redis per case: %s; %.2f round trips; %.1f us of Redis execution\n",
              commands.c_str(), trips, redis_us);
  std::printf(
      "complaint memory: VmRSS %.1f MiB after routing %s cases, peak (VmHWM) %.1f MiB; "
      "Redis used_memory %.1f MiB; complaint:open holds %lld cases\n",
      run.memory.rss_mib, Thousands(static_cast<double>(a.routed)).c_str(), run.memory.peak_mib,
      static_cast<double>(run.redis_after.used_memory) / 1048576.0,
      static_cast<long long>(run.open_cases));
  std::string departments;
  for (const auto& [name, count] : a.departments) {
    departments += (departments.empty() ? "" : ", ") + name + " " + std::to_string(count);
  }
  std::printf("routed to: %s\n", departments.c_str());
  std::string others;
  for (const auto& [name, count] : a.others) {
    others += (others.empty() ? "" : ", ") + name + " " + std::to_string(count);
  }
  std::printf(
      "other records on complaint's topics: %s; duplicate routed events %lld; complaint "
      "exit status %d\n",
      others.empty() ? "none" : others.c_str(), static_cast<long long>(a.duplicates),
      run.exit_status);

  results.Add("throughput.tickets", options.tickets);
  results.Add("throughput.publish_per_s", Rate(options.tickets, published.seconds));
  results.Add("throughput.value_bytes", published.value_bytes);
  results.Add("throughput.raw_per_s", raw_rate);
  results.Add("throughput.raw_from_start_per_s", raw_from_start);
  results.Add("throughput.complaint_per_s", rate);
  results.Add("throughput.complaint_from_ready_per_s", rate_from_ready);
  results.Add("throughput.ratio", raw_rate > 0 ? rate / raw_rate : 0);
  results.Add("throughput.routed", a.routed);
  results.Add("throughput.complete", static_cast<int64_t>(run.complete ? 1 : 0));
  results.Add("throughput.rss_mib", run.memory.rss_mib);
  results.Add("throughput.peak_rss_mib", run.memory.peak_mib);
  results.Add("throughput.redis_round_trips_per_case", trips);
  results.Add("throughput.redis_us_per_case", redis_us);
  results.Add("throughput.complaint_cpu_us_per_case", cpu_us_per_case);
  results.Add("throughput.complaint_cores", run.cpu.Of("complaint"));
  results.Add("throughput.redis_cores", run.cpu.Of("redis"));
  results.Add("throughput.broker_cores", run.cpu.Of("devbroker"));
  results.Add("throughput.other_cores", run.cpu.others);
}

}  // namespace

int RunThroughput(const Options& options, complaint::Configuration& configuration) {
  auto watched = WatchedProcesses(options);
  if (!watched) return 2;
  auto redis = ConnectRedis(options.redis_address, 1);
  if (!redis) {
    std::fprintf(stderr, "complaint-bench: redis: %s\n", redis.error().ToString().c_str());
    return 2;
  }
  auto utility = synth::Utility::Create({.seed = options.seed, .customers = options.customers});
  if (!utility) {
    std::fprintf(stderr, "complaint-bench: %s\n", utility.error().ToString().c_str());
    return 2;
  }
  const std::string run_id = RunId();
  std::optional<testing::TempDir> temp;
  std::filesystem::path log_dir = options.log_dir;
  if (log_dir.empty()) log_dir = temp.emplace().path();

  RoutedTracker tracker(options.tickets);
  auto reader = ComplaintReader::Start(options.bootstrap, run_id, tracker);
  if (!reader) {
    std::fprintf(stderr, "complaint-bench: %s\n", reader.error().ToString().c_str());
    return 1;
  }
  auto published = PublishTickets(options, configuration, *utility, run_id);
  if (!published) {
    std::fprintf(stderr, "complaint-bench: publish: %s\n", published.error().ToString().c_str());
    return 1;
  }
  std::printf(
      "gridcare-complaint-bench throughput: run %s; %s ticket_opened events (%.0f B "
      "average value) for %s customers (seed %llu) published on %s in %.2f s\n",
      run_id.c_str(), Thousands(static_cast<double>(options.tickets)).c_str(),
      published->value_bytes, Thousands(static_cast<double>(options.customers)).c_str(),
      static_cast<unsigned long long>(options.seed), std::string(kafka::kIntakeTopic).c_str(),
      published->seconds);
  std::fflush(stdout);

  CpuMeter raw_meter(*watched);
  auto raw = ConsumeRawMedian(options, *published, run_id, raw_meter);
  if (!raw) {
    std::fprintf(stderr, "complaint-bench: %s\n", raw.error().ToString().c_str());
    return 1;
  }
  std::fflush(stdout);

  auto run = RunComplaint(options, tracker, *watched, **redis, log_dir);
  if (!run) {
    std::fprintf(stderr, "complaint-bench: %s\n", run.error().ToString().c_str());
    return 1;
  }
  Results results;
  Report(options, *published, *raw, *run, results);
  if (!options.results_file.empty() && !results.Write(options.results_file)) {
    std::fprintf(stderr, "complaint-bench: cannot write %s\n", options.results_file.c_str());
    return 1;
  }
  if (raw->records != options.tickets || !run->complete || published->failures > 0 ||
      (*reader)->errors() > 0 || run->arrivals.others.count("dead letter") > 0) {
    std::fprintf(stderr, "complaint-bench: incomplete run (records, cases, failures above)\n");
    return 1;
  }
  return 0;
}

}  // namespace gridcare::bench
