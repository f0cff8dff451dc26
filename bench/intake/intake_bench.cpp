// gridcare-intake-bench: intake's throughput and latency through Kafka, next to the same figures
// for a raw librdkafka relay on the same broker (the baseline the goals are relative to).
//
//  relay   A consume->produce relay over librdkafka's C++ API (one consumer in its own group on a
//          scratch input topic, producing every message unchanged to a scratch output topic), run
//          in this process on its own librdkafka handles and thread. The driver publishes the same
//          records the intake mode publishes (same keys, values and CloudEvents headers) plus two
//          bench headers carrying a sequence number and the send time; latency is from the
//          driver's produce call to the driver's consumer seeing the relayed copy.
//  intake  Drives the real intake service: publishes ServiceRequests on gridcare.requests.v1 as a
//          channel adapter does and matches each request's outcome event on gridcare.intake.v1
//          (ticket_opened, contact_added, consultation_answered or request_rejected, by request id;
//          dead letters on gridcare.dlq.intake.v1 are counted too, so nothing waits forever).
//
// Each mode runs three phases on the same topics: a warm-up (connections, group join, caches),
// a throughput phase (--requests records published at once; rate = records / time from the first
// publish to the last outcome), then a latency phase paced at --load-factor x that rate, where
// every record's publish-to-outcome time is kept and sorted for the percentiles.
//
// Prints the figures; with --results also writes them as key=value lines for bench/intake/run.sh.
// In intake mode, --redis, --intake-metrics and --profile-metrics add a per-request breakdown
// (Redis commands and socket reads, profile gRPC calls, time inside intake's handler) to find
// where the time goes. Exits 1 when an outcome never arrived or a call failed.
#include <google/protobuf/util/time_util.h>
#include <httplib.h>
#include <librdkafka/rdkafkacpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench_support.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/client_config.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/redis/client.h"
#include "gridcare/synth/utility.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/request.pb.h"
#include "intake_outcome.h"
#include "intake_requests.h"
#include "kafka_support.h"
#include "metrics_support.h"
#include "redis_counters.h"

namespace gridcare::bench {
namespace {

// The bench headers the relay mode adds to every record (the relay copies them unchanged).
constexpr std::string_view kSeqHeader = "gridcare_bench_seq";       // "<phase>:<seq>"
constexpr std::string_view kSentHeader = "gridcare_bench_sent_ns";  // steady clock, ns

struct Options {
  std::string mode;
  std::string bootstrap;
  int64_t requests = 20'000;
  int64_t warmup = 500;
  double load_factor = 0.5;
  double latency_seconds = 20;
  int64_t min_latency_requests = 500;
  double latency_rate = 0;
  int64_t customers = 2'000;
  uint64_t seed = 42;
  std::string relay_input = "gridcare.bench.relay-in.v1";
  std::string relay_output = "gridcare.bench.relay-out.v1";
  int reader_fetch_wait_ms = 10;
  int relay_fetch_wait_ms = -1;  // -1: the services' consumer settings (librdkafka's default)
  double stall_timeout_s = 30;
  double first_outcome_timeout_s = 60;
  std::string redis_address;
  std::string intake_metrics;
  std::string profile_metrics;
  std::vector<std::string> watch;  // NAME=PID
  std::string results_file;
};

// ------------------------------------------------------------------------------------------------
// Tracking: which record of the current phase has come back, and when. The reader thread reports
// arrivals; the driver waits for all of them.

struct Arrival {
  int phase = 0;
  int64_t seq = 0;
  int64_t sent_ns = 0;  // from the record itself (relay), 0 when unknown
  std::string outcome;
};

class Tracker {
 public:
  void Begin(int phase, int64_t count) {
    std::lock_guard lock(mutex_);
    phase_ = phase;
    received_ns_.assign(static_cast<size_t>(count), 0);
    header_sent_ns_.assign(static_cast<size_t>(count), 0);
    arrived_ = 0;
    duplicates_ = 0;
    strays_ = 0;
    outcomes_.clear();
    last_arrival_ = SteadyClock::now();
  }

  void Arrive(const Arrival& arrival, int64_t received_ns) {
    std::lock_guard lock(mutex_);
    if (arrival.phase != phase_) {
      ++strays_;  // a previous phase's straggler or a redelivery: not this phase's business
      return;
    }
    if (arrival.seq < 0 || arrival.seq >= static_cast<int64_t>(received_ns_.size())) {
      ++strays_;
      return;
    }
    auto& slot = received_ns_[static_cast<size_t>(arrival.seq)];
    if (slot != 0) {
      ++duplicates_;  // intake republished the same outcome (a redelivered request)
      return;
    }
    slot = received_ns;
    header_sent_ns_[static_cast<size_t>(arrival.seq)] = arrival.sent_ns;
    ++outcomes_[arrival.outcome];
    ++arrived_;
    last_arrival_ = SteadyClock::now();
    if (arrived_ == static_cast<int64_t>(received_ns_.size())) done_.notify_all();
  }

  // True when every record of the phase came back; false when nothing arrived for `stall` (or,
  // before the first arrival, for `first`).
  bool WaitAll(std::chrono::duration<double> first, std::chrono::duration<double> stall) {
    std::unique_lock lock(mutex_);
    const auto started = SteadyClock::now();
    while (arrived_ < static_cast<int64_t>(received_ns_.size())) {
      const auto limit =
          arrived_ == 0 ? started + std::chrono::duration_cast<SteadyClock::duration>(first)
                        : last_arrival_ + std::chrono::duration_cast<SteadyClock::duration>(stall);
      if (SteadyClock::now() >= limit) return false;
      done_.wait_until(lock, std::min(limit, SteadyClock::now() + std::chrono::milliseconds(200)));
    }
    return true;
  }

  struct Snapshot {
    std::vector<int64_t> received_ns;
    std::vector<int64_t> header_sent_ns;
    int64_t arrived = 0;
    int64_t duplicates = 0;
    int64_t strays = 0;
    std::map<std::string, int64_t> outcomes;
  };
  Snapshot Take() {
    std::lock_guard lock(mutex_);
    return {received_ns_, header_sent_ns_, arrived_, duplicates_, strays_, outcomes_};
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  int phase_ = -1;
  std::vector<int64_t> received_ns_;
  std::vector<int64_t> header_sent_ns_;
  int64_t arrived_ = 0;
  int64_t duplicates_ = 0;
  int64_t strays_ = 0;
  std::map<std::string, int64_t> outcomes_;
  SteadyClock::time_point last_arrival_;
};

// ------------------------------------------------------------------------------------------------
// The reader

// The driver's consumer: every partition of `topics` assigned (no group membership, nothing
// committed) from the current end, so only records published from now on are seen.
class Reader {
 public:
  using Decoder = std::function<std::optional<Arrival>(RdKafka::Message&)>;

  static core::Result<std::unique_ptr<Reader>> Start(const std::string& bootstrap,
                                                     const std::string& group,
                                                     const std::vector<std::string>& topics,
                                                     int fetch_wait_ms, Decoder decoder,
                                                     Tracker& tracker) {
    std::unique_ptr<Reader> self(new Reader(std::move(decoder), tracker));
    auto consumer =
        NewReaderConsumer(bootstrap, group, "gridcare-intake-bench-reader", fetch_wait_ms);
    if (!consumer) return consumer.error();
    self->consumer_ = std::move(*consumer);
    RdKafka::KafkaConsumer& reader = *self->consumer_;
    auto partitions = AssignEveryPartition(
        reader, topics, [&reader](const std::string& topic, int p) -> core::Result<int64_t> {
          int64_t low = 0, high = 0;
          const auto err = reader.query_watermark_offsets(topic, p, &low, &high, 10'000);
          if (err != RdKafka::ERR_NO_ERROR) {
            return core::Unavailable("watermarks of " + topic + ": " + RdKafka::err2str(err));
          }
          return high;
        });
    if (!partitions) return partitions.error();
    self->partitions_ = *partitions;
    Reader* raw = self.get();
    self->thread_ = std::thread([raw] { raw->Run(); });
    return self;
  }

  ~Reader() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    if (consumer_) consumer_->close();
  }

  int partitions() const { return partitions_; }
  int64_t errors() const { return errors_.load(); }

 private:
  Reader(Decoder decoder, Tracker& tracker) : decoder_(std::move(decoder)), tracker_(tracker) {}

  void Run() {
    while (!stop_.load()) {
      std::unique_ptr<RdKafka::Message> message(consumer_->consume(100));
      const int64_t received = NowNanos();
      if (message->err() == RdKafka::ERR_NO_ERROR) {
        if (auto arrival = decoder_(*message)) tracker_.Arrive(*arrival, received);
      } else if (message->err() != RdKafka::ERR__TIMED_OUT &&
                 message->err() != RdKafka::ERR__PARTITION_EOF) {
        if (errors_.fetch_add(1) < 5) {
          std::fprintf(stderr, "intake-bench: reader: %s\n", message->errstr().c_str());
        }
      }
    }
  }

  Decoder decoder_;
  Tracker& tracker_;
  int partitions_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> errors_{0};
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::thread thread_;
};

// ------------------------------------------------------------------------------------------------
// The raw relay: one consumer (subscribed, in its own group, GridCare's consumer defaults except
// that librdkafka stores offsets itself) and one producer (GridCare's producer defaults:
// idempotent, acks=all, linger.ms=2), copying key, value and headers.

class Relay {
 public:
  static core::Result<std::unique_ptr<Relay>> Start(const std::string& bootstrap,
                                                    const std::string& input,
                                                    const std::string& output,
                                                    const std::string& group, int fetch_wait_ms) {
    std::unique_ptr<Relay> self(new Relay(output));
    std::string error;
    std::unique_ptr<RdKafka::Conf> producer_conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    auto producer_properties = kafka::DefaultProducerConfig();
    producer_properties["bootstrap.servers"] = bootstrap;
    producer_properties["client.id"] = "gridcare-bench-relay";
    if (auto status = SetAll(*producer_conf, producer_properties); !status) return status.error();
    self->producer_.reset(RdKafka::Producer::create(producer_conf.get(), error));
    if (!self->producer_) return core::InvalidArgument("relay producer: " + error);
    // The devbroker has no Admin API: asking the producer for the topics auto-creates them.
    for (const auto* topic : {&input, &output}) {
      auto partitions = PartitionCount(*self->producer_, *topic, std::chrono::seconds(20));
      if (!partitions) return partitions.error();
      (topic == &input ? self->input_partitions_ : self->output_partitions_) = *partitions;
    }

    std::unique_ptr<RdKafka::Conf> consumer_conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    auto consumer_properties = kafka::DefaultConsumerConfig();
    consumer_properties["bootstrap.servers"] = bootstrap;
    consumer_properties["group.id"] = group;
    consumer_properties["client.id"] = "gridcare-bench-relay";
    consumer_properties["enable.auto.offset.store"] = "true";
    consumer_properties["auto.offset.reset"] = "latest";
    if (fetch_wait_ms >= 0)
      consumer_properties["fetch.wait.max.ms"] = std::to_string(fetch_wait_ms);
    if (auto status = SetAll(*consumer_conf, consumer_properties); !status) return status.error();
    self->consumer_.reset(RdKafka::KafkaConsumer::create(consumer_conf.get(), error));
    if (!self->consumer_) return core::InvalidArgument("relay consumer: " + error);
    if (const auto err = self->consumer_->subscribe({input}); err != RdKafka::ERR_NO_ERROR) {
      return core::Unavailable("relay subscribe: " + RdKafka::err2str(err));
    }
    Relay* raw = self.get();
    self->thread_ = std::thread([raw] { raw->Run(); });
    return self;
  }

  ~Relay() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    if (producer_) producer_->flush(10'000);
    if (consumer_) consumer_->close();
  }

  // True once the group gave the relay its partitions (and their positions are resolved).
  bool WaitAssigned(std::chrono::seconds timeout) const {
    const auto deadline = SteadyClock::now() + timeout;
    while (SteadyClock::now() < deadline) {
      if (assigned_.load() > 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  int input_partitions() const { return input_partitions_; }
  int output_partitions() const { return output_partitions_; }
  int64_t relayed() const { return relayed_.load(); }
  int64_t failures() const { return failures_.load(); }

 private:
  explicit Relay(std::string output) : output_(std::move(output)) {}

  void Run() {
    auto last_check = SteadyClock::time_point();
    while (!stop_.load()) {
      std::unique_ptr<RdKafka::Message> message(consumer_->consume(100));
      if (message->err() == RdKafka::ERR_NO_ERROR) {
        Forward(*message);
      } else if (message->err() != RdKafka::ERR__TIMED_OUT &&
                 message->err() != RdKafka::ERR__PARTITION_EOF) {
        failures_.fetch_add(1);
      }
      producer_->poll(0);  // delivery reports
      const auto now = SteadyClock::now();
      if (assigned_.load() == 0 && now - last_check > std::chrono::milliseconds(100)) {
        last_check = now;
        std::vector<RdKafka::TopicPartition*> partitions;
        if (consumer_->assignment(partitions) == RdKafka::ERR_NO_ERROR && !partitions.empty()) {
          // Resolve the start positions now, so the first measured record is not the one that
          // pays for the offset lookup.
          consumer_->position(partitions);
          assigned_.store(partitions.size());
        }
        RdKafka::TopicPartition::destroy(partitions);
      }
    }
  }

  void Forward(RdKafka::Message& message) {
    for (int attempt = 0;; ++attempt) {
      RdKafka::Headers* headers = message.headers() != nullptr
                                      ? RdKafka::Headers::create(message.headers()->get_all())
                                      : nullptr;
      const RdKafka::ErrorCode err = producer_->produce(
          output_, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY, message.payload(),
          message.len(), message.key_pointer(), message.key_len(), 0, headers, nullptr);
      if (err == RdKafka::ERR_NO_ERROR) {
        relayed_.fetch_add(1);
        return;
      }
      delete headers;
      if (err == RdKafka::ERR__QUEUE_FULL && attempt < 100) {
        producer_->poll(10);
        continue;
      }
      failures_.fetch_add(1);
      return;
    }
  }

  std::string output_;
  int input_partitions_ = 0;
  int output_partitions_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> assigned_{0};
  std::atomic<int64_t> relayed_{0};
  std::atomic<int64_t> failures_{0};
  std::unique_ptr<RdKafka::Producer> producer_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::thread thread_;
};

// ------------------------------------------------------------------------------------------------
// The workload: ServiceRequests as channel adapters publish them.

// "bench-<run>-<phase>-<seq>" of this run -> (phase, seq).
std::optional<std::pair<int, int64_t>> ParseRequestId(std::string_view id,
                                                      const std::string& run_id) {
  const std::string prefix = std::string(kRequestIdPrefix) + run_id + "-";
  if (id.substr(0, prefix.size()) != prefix) return std::nullopt;
  id.remove_prefix(prefix.size());
  const auto dash = id.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto phase = ParseInt(id.substr(0, dash));
  const auto seq = ParseInt(id.substr(dash + 1));
  if (!phase || !seq) return std::nullopt;
  return std::make_pair(static_cast<int>(*phase), *seq);
}

// An outcome on the intake topic, or a dead letter of intake's group.
std::optional<Arrival> DecodeIntake(RdKafka::Message& message, const std::string& run_id,
                                    const std::string& dead_letter_topic) {
  if (message.topic_name() == dead_letter_topic) {
    const auto ce_id = HeaderOf(message, kafka::kHeaderId);
    if (!ce_id || ce_id->substr(0, 3) != "ce-") return std::nullopt;
    const auto parsed = ParseRequestId(ce_id->substr(3), run_id);
    if (!parsed) return std::nullopt;
    const auto reason = HeaderOf(message, kafka::kDeadLetterReason);
    return Arrival{parsed->first, parsed->second, 0,
                   "dead_lettered:" + std::string(reason.value_or("?"))};
  }
  v1::IntakeEvent event;
  if (message.payload() == nullptr ||
      !event.ParseFromArray(message.payload(), static_cast<int>(message.len()))) {
    return std::nullopt;
  }
  auto answered = OutcomeOf(event);
  if (!answered) return std::nullopt;  // ticket_state_changed and the like: not an intake outcome
  const auto parsed = ParseRequestId(answered->request_id, run_id);
  if (!parsed) return std::nullopt;
  return Arrival{parsed->first, parsed->second, 0, std::move(answered->outcome)};
}

std::optional<Arrival> DecodeRelayed(RdKafka::Message& message) {
  const auto seq = HeaderOf(message, kSeqHeader);
  const auto sent = HeaderOf(message, kSentHeader);
  if (!seq || !sent) return std::nullopt;
  const auto colon = seq->find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto phase = ParseInt(seq->substr(0, colon));
  const auto index = ParseInt(seq->substr(colon + 1));
  const auto sent_ns = ParseInt(*sent);
  if (!phase || !index || !sent_ns) return std::nullopt;
  return Arrival{static_cast<int>(*phase), *index, *sent_ns, "relayed"};
}

// ------------------------------------------------------------------------------------------------
// Where intake's time goes: Redis INFO and the services' /metrics, before and after a phase.

RedisCounters ReadRedis(redis::RedisClient* redis) {
  return redis == nullptr ? RedisCounters{} : ReadRedisCounters(*redis);
}

// Sum of the samples of `name` whose labels contain every one of `filters`.
double SumSeries(const std::string& text, const std::string& name,
                 const std::vector<std::string>& filters) {
  double sum = 0;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!IsSampleOf(line, name)) continue;
    bool match = true;
    for (const auto& filter : filters) match = match && line.find(filter) != std::string::npos;
    if (!match) continue;
    const auto space = line.rfind(' ');
    if (space != std::string::npos) sum += std::atof(line.c_str() + space + 1);
  }
  return sum;
}

struct ServiceCounters {
  bool intake_valid = false;
  double intake_handled = 0;    // requests handled by intake's consumer
  double intake_handler_s = 0;  // time inside IntakeMessageHandler::Handle
  double intake_published = 0;  // events intake published on gridcare.intake.v1
  double intake_failed = 0;     // retried handler failures
  bool profile_valid = false;
  double profile_calls = 0;    // ProfileService RPCs handled
  double profile_call_s = 0;   // server-side time of those RPCs
  double profile_history = 0;  // intake events the profile service's consumer handled
  double profile_history_s = 0;
};

ServiceCounters ReadServices(const Options& options) {
  ServiceCounters counters;
  const std::string requests_topic = "topic=\"" + std::string(kafka::kRequestsTopic) + "\"";
  const std::string intake_topic = "topic=\"" + std::string(kafka::kIntakeTopic) + "\"";
  if (auto text = Scrape(options.intake_metrics)) {
    counters.intake_valid = true;
    counters.intake_handled =
        SumSeries(*text, "gridcare_event_processing_seconds_count", {requests_topic});
    counters.intake_handler_s =
        SumSeries(*text, "gridcare_event_processing_seconds_sum", {requests_topic});
    counters.intake_published = SumSeries(*text, "gridcare_events_published_total", {intake_topic});
    counters.intake_failed = SumSeries(*text, "gridcare_events_failed_total", {requests_topic});
  }
  if (auto text = Scrape(options.profile_metrics)) {
    counters.profile_valid = true;
    const std::string service = "grpc_service=\"gridcare.v1.ProfileService\"";
    counters.profile_calls = SumSeries(*text, "grpc_server_handled_total", {service});
    counters.profile_call_s = SumSeries(*text, "grpc_server_handling_seconds_sum", {service});
    counters.profile_history =
        SumSeries(*text, "gridcare_event_processing_seconds_count", {intake_topic});
    counters.profile_history_s =
        SumSeries(*text, "gridcare_event_processing_seconds_sum", {intake_topic});
  }
  return counters;
}

struct Diagnostics {
  RedisCounters redis_before, redis_after;
  ServiceCounters services_before, services_after;
};

// ------------------------------------------------------------------------------------------------
// Phases

struct PhaseReport {
  std::string name;
  int64_t count = 0;
  double target_rate = 0;    // 0: as fast as possible
  double publish_s = 0;      // first to last publish call
  double wall_s = 0;         // first publish to last outcome
  double steady_rate = 0;    // outcomes/s between the 10th and the 90th percentile arrival
  double max_behind_ms = 0;  // pacing: the furthest a publish fell behind its schedule
  bool complete = false;
  int64_t publish_failures = 0;
  Tracker::Snapshot arrivals;
  LatencySummary latency;
  CpuMeter::Usage cpu;
  Diagnostics diagnostics;

  double throughput() const {
    return wall_s > 0 ? static_cast<double>(arrivals.arrived) / wall_s : 0;
  }
  double offered() const { return publish_s > 0 ? static_cast<double>(count) / publish_s : 0; }
};

class Driver {
 public:
  // `make` builds record `seq` of `phase`; `stamp` says whether to add the bench headers.
  using Maker = std::function<kafka::OutgoingRecord(int phase, int64_t seq)>;

  Driver(kafka::KafkaProducer& producer, Tracker& tracker, CpuMeter& meter, const Options& options,
         Maker make, bool stamp, redis::RedisClient* redis)
      : producer_(producer),
        tracker_(tracker),
        meter_(meter),
        options_(options),
        make_(std::move(make)),
        stamp_(stamp),
        redis_(redis) {}

  PhaseReport Run(const std::string& name, int phase, int64_t count, double rate) {
    PhaseReport report;
    report.name = name;
    report.count = count;
    report.target_rate = rate;
    std::vector<kafka::OutgoingRecord> records;
    records.reserve(static_cast<size_t>(count));
    for (int64_t seq = 0; seq < count; ++seq) records.push_back(make_(phase, seq));
    std::vector<int64_t> sent_ns(static_cast<size_t>(count), 0);

    tracker_.Begin(phase, count);
    report.diagnostics.redis_before = ReadRedis(redis_);
    report.diagnostics.services_before = ReadServices(options_);
    meter_.Start();
    const auto started = SteadyClock::now();
    for (int64_t seq = 0; seq < count; ++seq) {
      auto& record = records[static_cast<size_t>(seq)];
      if (rate > 0) {
        const auto due =
            started + std::chrono::duration_cast<SteadyClock::duration>(
                          std::chrono::duration<double>(static_cast<double>(seq) / rate));
        const auto now = SteadyClock::now();
        if (now < due) {
          std::this_thread::sleep_until(due);
        } else {
          report.max_behind_ms = std::max(
              report.max_behind_ms, std::chrono::duration<double, std::milli>(now - due).count());
        }
      }
      const int64_t now_ns = NowNanos();
      if (stamp_) {
        record.headers.emplace_back(std::string(kSeqHeader),
                                    std::to_string(phase) + ":" + std::to_string(seq));
        record.headers.emplace_back(std::string(kSentHeader), std::to_string(now_ns));
      }
      sent_ns[static_cast<size_t>(seq)] = now_ns;
      if (auto status = producer_.Publish(std::move(record)); !status) {
        if (report.publish_failures++ == 0) {
          std::fprintf(stderr, "intake-bench: publish failed: %s\n",
                       status.error().ToString().c_str());
        }
      }
    }
    report.publish_s = SecondsBetween(started, SteadyClock::now());
    report.complete =
        tracker_.WaitAll(std::chrono::duration<double>(options_.first_outcome_timeout_s),
                         std::chrono::duration<double>(options_.stall_timeout_s));
    report.cpu = meter_.Stop();
    report.diagnostics.redis_after = ReadRedis(redis_);
    report.diagnostics.services_after = ReadServices(options_);
    report.arrivals = tracker_.Take();

    const int64_t first_sent = sent_ns.empty() ? 0 : sent_ns.front();
    int64_t last_received = first_sent;
    std::vector<int64_t> micros;
    micros.reserve(static_cast<size_t>(count));
    for (size_t i = 0; i < sent_ns.size(); ++i) {
      const int64_t received = report.arrivals.received_ns[i];
      if (received == 0) continue;
      last_received = std::max(last_received, received);
      // The relay's records carry their send time; intake's outcomes are matched by request id.
      const int64_t sent =
          report.arrivals.header_sent_ns[i] != 0 ? report.arrivals.header_sent_ns[i] : sent_ns[i];
      micros.push_back((received - sent) / 1000);
    }
    report.wall_s = static_cast<double>(last_received - first_sent) / 1e9;
    // The rate once the stream flows: start-up (the first fetch of each hop) and tail excluded.
    std::vector<int64_t> arrivals;
    for (const int64_t received : report.arrivals.received_ns) {
      if (received != 0) arrivals.push_back(received);
    }
    std::sort(arrivals.begin(), arrivals.end());
    if (arrivals.size() >= 10) {
      const size_t from = arrivals.size() / 10;
      const size_t to = arrivals.size() - 1 - arrivals.size() / 10;
      if (arrivals[to] > arrivals[from]) {
        report.steady_rate = static_cast<double>(to - from) * 1e9 /
                             static_cast<double>(arrivals[to] - arrivals[from]);
      }
    }
    report.latency = Summarize(micros);
    return report;
  }

 private:
  kafka::KafkaProducer& producer_;
  Tracker& tracker_;
  CpuMeter& meter_;
  const Options& options_;
  Maker make_;
  bool stamp_;
  redis::RedisClient* redis_;
};

// ------------------------------------------------------------------------------------------------
// Output

void PrintOutcomes(const PhaseReport& report) {
  std::printf("  outcomes:");
  int column = 0;
  for (const auto& [outcome, count] : report.arrivals.outcomes) {
    std::printf("%s%s %s (%.1f%%)", column++ % 3 == 0 ? "\n    " : ";  ", outcome.c_str(),
                Thousands(static_cast<double>(count)).c_str(),
                100.0 * static_cast<double>(count) / static_cast<double>(report.count));
  }
  std::printf("\n");
  if (report.arrivals.duplicates > 0 || report.arrivals.strays > 0) {
    std::printf("  repeated outcomes %s, records of other phases %s\n",
                Thousands(static_cast<double>(report.arrivals.duplicates)).c_str(),
                Thousands(static_cast<double>(report.arrivals.strays)).c_str());
  }
}

void PrintLatencyRow(const char* label, const LatencySummary& s) {
  std::printf("  %-26s %9s %9s %9s %9s %9s %9s\n", "", "count", "mean ms", "p50 ms", "p90 ms",
              "p99 ms", "max ms");
  std::printf("  %-26s %9s %9.2f %9.2f %9.2f %9.2f %9.2f\n", label,
              Thousands(static_cast<double>(s.count)).c_str(), s.mean_ms, s.p50_ms, s.p90_ms,
              s.p99_ms, s.max_ms);
}

// Redis's work per request in a phase, from INFO before and after it.
struct RedisWork {
  bool valid = false;
  double commands = 0;  // per request
  double reads = 0;     // socket reads per request (~ round trips)
  // Redis's own execution time per request (INFO commandstats usec). EXEC and EVAL are left out:
  // their time includes the commands they ran, which are counted on their own, so this is a
  // lower bound (it leaves out the Lua interpreter's own cost).
  double command_us = 0;
  double wrapper_us = 0;  // EXEC's and EVAL's time (double counts their commands)
  struct Row {
    double calls;  // per request
    double usec;   // per request
    std::string command;
    bool operator<(const Row& other) const { return calls < other.calls; }
  };
  std::vector<Row> rows;  // most called first
};

RedisWork RedisWorkOf(const Diagnostics& d, double requests) {
  RedisWork work;
  if (!d.redis_before.valid || !d.redis_after.valid || requests <= 0) return work;
  work.valid = true;
  work.commands = static_cast<double>(d.redis_after.commands - d.redis_before.commands) / requests;
  work.reads = static_cast<double>(d.redis_after.reads - d.redis_before.reads) / requests;
  for (const auto& [command, after] : d.redis_after.by_command) {
    if (command == "info") continue;  // the bench's own
    std::pair<int64_t, int64_t> before{0, 0};
    if (auto it = d.redis_before.by_command.find(command); it != d.redis_before.by_command.end()) {
      before = it->second;
    }
    const double calls = static_cast<double>(after.first - before.first) / requests;
    const double usec = static_cast<double>(after.second - before.second) / requests;
    const bool wrapper = command == "exec" || command == "eval" || command == "evalsha";
    (wrapper ? work.wrapper_us : work.command_us) += usec;
    if (calls > 0) work.rows.push_back({calls, usec, command});
  }
  std::sort(work.rows.rbegin(), work.rows.rend());
  return work;
}

void PrintDiagnostics(const PhaseReport& report) {
  const auto& d = report.diagnostics;
  const double n = static_cast<double>(report.arrivals.arrived);
  if (n <= 0) return;
  if (const auto work = RedisWorkOf(d, n); work.valid) {
    std::printf(
        "  Redis per request (whole stack: intake, profile's gRPC and its history consumer): "
        "%.2f commands, %.2f socket reads (~round trips), %.1f us of Redis's own execution time "
        "(INFO commandstats, without EXEC and EVAL, whose %.1f us include the commands they "
        "ran)\n    command: calls (us of execution) per request\n    ",
        work.commands, work.reads, work.command_us, work.wrapper_us);
    for (size_t i = 0; i < work.rows.size(); ++i) {
      const auto& row = work.rows[i];
      std::printf("%s%s %.2f (%.1f)", i == 0 ? "" : (i % 6 == 0 ? "\n    " : ", "),
                  row.command.c_str(), row.calls, row.usec);
    }
    std::printf("\n");
  }
  const auto& before = d.services_before;
  const auto& after = d.services_after;
  if (before.intake_valid && after.intake_valid) {
    const double handled = after.intake_handled - before.intake_handled;
    const double handler_s = after.intake_handler_s - before.intake_handler_s;
    std::printf(
        "  intake consumer: %s requests handled, %.3f ms each inside the handler = %.0f%% "
        "of the phase's wall time summed over its consumer loops; %.2f events published and "
        "%.2f retried failures per request\n",
        Thousands(handled).c_str(), handled > 0 ? 1000 * handler_s / handled : 0,
        report.wall_s > 0 ? 100 * handler_s / report.wall_s : 0,
        (after.intake_published - before.intake_published) / n,
        (after.intake_failed - before.intake_failed) / n);
  }
  if (before.profile_valid && after.profile_valid) {
    const double calls = after.profile_calls - before.profile_calls;
    const double history = after.profile_history - before.profile_history;
    std::printf(
        "  profile: %.2f gRPC calls per request, %.3f ms each server-side; its consumer "
        "handled %.2f intake events per request, %.3f ms each\n",
        calls / n, calls > 0 ? 1000 * (after.profile_call_s - before.profile_call_s) / calls : 0,
        history / n,
        history > 0 ? 1000 * (after.profile_history_s - before.profile_history_s) / history : 0);
  }
}

void PrintPhase(const PhaseReport& report, bool throughput, bool diagnostics) {
  if (throughput) {
    std::printf("\n%s: %s records published at once\n", report.name.c_str(),
                Thousands(static_cast<double>(report.count)).c_str());
  } else {
    std::printf("\n%s: %s records paced at %s/s\n", report.name.c_str(),
                Thousands(static_cast<double>(report.count)).c_str(),
                Thousands(report.target_rate).c_str());
  }
  std::printf("  %-34s %12.3f s  (%s/s offered%s)\n", "publishing took", report.publish_s,
              Thousands(report.offered()).c_str(),
              report.target_rate > 0 && report.max_behind_ms > 1
                  ? (", up to " + std::to_string(static_cast<int>(report.max_behind_ms)) +
                     " ms behind schedule")
                        .c_str()
                  : "");
  std::printf("  %-34s %12.3f s  (%s of %s came back%s)\n", "first publish to last outcome",
              report.wall_s, Thousands(static_cast<double>(report.arrivals.arrived)).c_str(),
              Thousands(static_cast<double>(report.count)).c_str(),
              report.complete ? "" : "; GAVE UP waiting for the rest");
  std::printf("  %-34s %12s /s  (%s/s between the 10th and 90th percentile outcome)\n",
              throughput ? "throughput" : "completed rate", Thousands(report.throughput()).c_str(),
              Thousands(report.steady_rate).c_str());
  PrintLatencyRow(throughput ? "latency (incl. queueing)" : "latency", report.latency);
  PrintOutcomes(report);
  if (diagnostics) PrintDiagnostics(report);
  std::printf("  %s\n", Describe(report.cpu).c_str());
  std::fflush(stdout);
}

void AddPhase(Results& results, const std::string& key, const PhaseReport& report) {
  results.Add(key + ".count", report.count);
  results.Add(key + ".arrived", report.arrivals.arrived);
  results.Add(key + ".complete", static_cast<int64_t>(report.complete ? 1 : 0));
  results.Add(key + ".rate_target", report.target_rate);
  results.Add(key + ".throughput_per_s", report.throughput());
  results.Add(key + ".wall_s", report.wall_s);
  results.Add(key + ".steady_rate_per_s", report.steady_rate);
  results.Add(key + ".p50_ms", report.latency.p50_ms);
  results.Add(key + ".p90_ms", report.latency.p90_ms);
  results.Add(key + ".p99_ms", report.latency.p99_ms);
  results.Add(key + ".max_ms", report.latency.max_ms);
  results.Add(key + ".mean_ms", report.latency.mean_ms);
  results.Add(key + ".other_cores", report.cpu.others);
  for (const auto& [name, cores] : report.cpu.cores) results.Add(key + ".cores." + name, cores);
  if (const auto work =
          RedisWorkOf(report.diagnostics, static_cast<double>(report.arrivals.arrived));
      work.valid) {
    results.Add(key + ".redis_commands_per_request", work.commands);
    results.Add(key + ".redis_command_us_per_request", work.command_us);
  }
}

int Main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "gridcare-intake-bench: intake's throughput and latency through Kafka, and the same figures "
      "for a raw librdkafka consume->produce relay on the same broker. Each mode: a warm-up, "
      "--requests records published at once (throughput = records / first publish to last "
      "outcome), then records paced at --load-factor x that throughput (latency percentiles). "
      "Prints the figures; exits 1 when outcomes are missing."};
  app.add_option("mode", options.mode, "relay | intake")
      ->required()
      ->check(CLI::IsMember({"relay", "intake"}));
  app.add_option("--bootstrap", options.bootstrap, "Kafka bootstrap servers (the devbroker's)")
      ->required();
  app.add_option("--requests", options.requests, "Records of the throughput phase")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))
      ->capture_default_str();
  app.add_option("--warmup", options.warmup, "Records of the unmeasured warm-up (0 skips it)")
      ->check(CLI::Range(int64_t{0}, int64_t{1'000'000}))
      ->capture_default_str();
  app.add_option("--load-factor", options.load_factor,
                 "Latency phase rate as a share of the measured throughput")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  app.add_option("--latency-rate", options.latency_rate,
                 "Latency phase rate in records/s (0: --load-factor x measured throughput)")
      ->check(CLI::Range(0.0, 1e7))
      ->capture_default_str();
  app.add_option("--latency-seconds", options.latency_seconds,
                 "Latency phase length: min(--requests, rate x this) records, at least "
                 "--min-latency-requests")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  app.add_option("--min-latency-requests", options.min_latency_requests,
                 "Fewest records in the latency phase")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))
      ->capture_default_str();
  app.add_option("--customers", options.customers,
                 "Customers of the loaded synthetic utility (the fixture's count)")
      ->check(CLI::Range(int64_t{1}, synth::kMaxCustomers))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the loaded synthetic utility (and the mix)")
      ->capture_default_str();
  app.add_option("--relay-input", options.relay_input,
                 "relay: input topic (auto-created by the devbroker when missing)")
      ->capture_default_str();
  app.add_option("--relay-output", options.relay_output,
                 "relay: output topic (auto-created by the devbroker when missing)")
      ->capture_default_str();
  app.add_option("--reader-fetch-wait-ms", options.reader_fetch_wait_ms,
                 "fetch.wait.max.ms of the bench's own consumer of the outcomes. The devbroker "
                 "answers an empty fetch only after this long, even when records arrive meanwhile")
      ->check(CLI::Range(0, 10'000))
      ->capture_default_str();
  app.add_option("--relay-fetch-wait-ms", options.relay_fetch_wait_ms,
                 "relay: fetch.wait.max.ms of the relay's consumer (-1: as the services, "
                 "librdkafka's default)")
      ->check(CLI::Range(-1, 10'000))
      ->capture_default_str();
  app.add_option("--stall-timeout", options.stall_timeout_s,
                 "Give up on a phase when no outcome arrived for this many seconds")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  app.add_option("--redis", options.redis_address,
                 "intake: Redis HOST:PORT the services use, for per-request command counts");
  app.add_option("--intake-metrics", options.intake_metrics,
                 "intake: HOST:PORT of intake's metrics endpoint, for handler time");
  app.add_option("--profile-metrics", options.profile_metrics,
                 "intake: HOST:PORT of the profile service's metrics endpoint, for gRPC calls");
  app.add_option("--watch", options.watch,
                 "NAME=PID of a process whose CPU use to report per phase (repeatable)");
  app.add_option("--results", options.results_file,
                 "Also write the figures to this file as key=value lines");
  CLI11_PARSE(app, argc, argv);
  const bool relay_mode = options.mode == "relay";

  std::vector<Watched> watched = {{"bench", "/proc/self/stat"}};
  for (const auto& entry : options.watch) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::fprintf(stderr, "intake-bench: --watch wants NAME=PID, not \"%s\"\n", entry.c_str());
      return 2;
    }
    watched.push_back({entry.substr(0, equals), "/proc/" + entry.substr(equals + 1) + "/stat"});
  }
  CpuMeter meter(watched);

  std::unique_ptr<redis::RedisClient> redis;
  if (!options.redis_address.empty()) {
    auto address = redis::ParseAddress(options.redis_address);
    if (!address) {
      std::fprintf(stderr, "intake-bench: --redis: %s\n", address.error().ToString().c_str());
      return 2;
    }
    redis::RedisSettings settings;
    settings.host = address->host;
    settings.port = address->port;
    settings.pool_size = 1;
    settings.command_timeout = std::chrono::seconds(5);
    auto client = redis::RedisClient::Create(settings);
    if (!client) {
      std::fprintf(stderr, "intake-bench: %s\n", client.error().ToString().c_str());
      return 2;
    }
    redis = std::move(client).value();
  }

  synth::UtilitySpec spec;
  spec.seed = options.seed;
  spec.customers = options.customers;
  auto utility = synth::Utility::Create(spec);
  if (!utility) {
    std::fprintf(stderr, "intake-bench: %s\n", utility.error().ToString().c_str());
    return 2;
  }
  const std::string run_id = RunId();
  RequestFactory factory(*utility, options.seed ^ 0x5eedULL, run_id);
  Driver::Maker make = [&factory, &options, relay_mode](int phase, int64_t seq) {
    auto record = factory.Make(phase, seq);
    if (relay_mode) record.topic = options.relay_input;
    return record;
  };

  // The request records' size, from a sample the measurement does not use.
  {
    RequestFactory sampler(*utility, options.seed ^ 0xabcULL, run_id);
    double value_bytes = 0, header_bytes = 0, key_bytes = 0;
    constexpr int kSample = 2'000;
    for (int i = 0; i < kSample; ++i) {
      const auto record = sampler.Make(99, i);
      value_bytes += static_cast<double>(record.value.size());
      key_bytes += static_cast<double>(record.key.size());
      for (const auto& [name, value] : record.headers) {
        header_bytes += static_cast<double>(name.size() + value.size());
      }
    }
    std::printf(
        "gridcare-intake-bench %s: run %s, %s customers (seed %llu); request records: "
        "%.0f B value, %.0f B key, %.0f B of headers on average%s\n",
        options.mode.c_str(), run_id.c_str(),
        Thousands(static_cast<double>(options.customers)).c_str(),
        static_cast<unsigned long long>(options.seed), value_bytes / kSample, key_bytes / kSample,
        header_bytes / kSample, relay_mode ? " (+ ~45 B of bench headers)" : "");
    std::printf("  bootstrap %s, %u hardware threads, loadavg %s\n", options.bootstrap.c_str(),
                std::thread::hardware_concurrency(), LoadAverage().c_str());
  }

  auto producer = kafka::KafkaProducer::Create(
      {options.bootstrap, "gridcare-intake-bench-driver", {}}, nullptr);
  if (!producer) {
    std::fprintf(stderr, "intake-bench: %s\n", producer.error().ToString().c_str());
    return 2;
  }

  Tracker tracker;
  std::unique_ptr<Relay> relay;
  std::unique_ptr<Reader> reader;
  const std::string dead_letter_topic = kafka::DeadLetterTopic("intake");
  if (relay_mode) {
    auto started = Relay::Start(options.bootstrap, options.relay_input, options.relay_output,
                                "gridcare-bench-relay-" + run_id, options.relay_fetch_wait_ms);
    if (!started) {
      std::fprintf(stderr, "intake-bench: relay: %s\n", started.error().ToString().c_str());
      return 1;
    }
    relay = std::move(started).value();
    if (!relay->WaitAssigned(std::chrono::seconds(60))) {
      std::fprintf(stderr, "intake-bench: the relay got no partitions in 60 s\n");
      return 1;
    }
    auto started_reader =
        Reader::Start(options.bootstrap, "gridcare-bench-reader-" + run_id, {options.relay_output},
                      options.reader_fetch_wait_ms, DecodeRelayed, tracker);
    if (!started_reader) {
      std::fprintf(stderr, "intake-bench: %s\n", started_reader.error().ToString().c_str());
      return 1;
    }
    reader = std::move(started_reader).value();
    std::printf(
        "  relay: %s (%d partitions) -> %s (%d partitions), one consumer and one producer in this "
        "process, GridCare's librdkafka defaults, fetch.wait.max.ms %s\n",
        options.relay_input.c_str(), relay->input_partitions(), options.relay_output.c_str(),
        relay->output_partitions(),
        options.relay_fetch_wait_ms < 0 ? "librdkafka's default (500), as the services"
                                        : std::to_string(options.relay_fetch_wait_ms).c_str());
  } else {
    auto started_reader = Reader::Start(
        options.bootstrap, "gridcare-bench-reader-" + run_id,
        {std::string(kafka::kIntakeTopic), dead_letter_topic}, options.reader_fetch_wait_ms,
        [&run_id, &dead_letter_topic](RdKafka::Message& message) {
          return DecodeIntake(message, run_id, dead_letter_topic);
        },
        tracker);
    if (!started_reader) {
      std::fprintf(stderr, "intake-bench: %s\n", started_reader.error().ToString().c_str());
      return 1;
    }
    reader = std::move(started_reader).value();
    std::printf("  intake: %s -> %s + %s (%d partitions read)\n",
                std::string(kafka::kRequestsTopic).c_str(),
                std::string(kafka::kIntakeTopic).c_str(), dead_letter_topic.c_str(),
                reader->partitions());
  }
  std::fflush(stdout);

  Driver driver(**producer, tracker, meter, options, make, relay_mode,
                relay_mode ? nullptr : redis.get());
  Results results;
  results.Add("mode", options.mode);
  results.Add("relay_fetch_wait_ms", static_cast<int64_t>(options.relay_fetch_wait_ms));
  const std::string key = options.mode;

  if (options.warmup > 0) {
    const PhaseReport warm = driver.Run("Warm-up", 0, options.warmup, 0);
    std::printf("\nWarm-up: %s records, %s came back in %.2f s\n",
                Thousands(static_cast<double>(warm.count)).c_str(),
                Thousands(static_cast<double>(warm.arrivals.arrived)).c_str(), warm.wall_s);
    if (!warm.complete) {
      std::fprintf(stderr, "intake-bench: the warm-up's outcomes did not all arrive\n");
      return 1;
    }
  }

  const PhaseReport burst = driver.Run("Throughput", 1, options.requests, 0);
  PrintPhase(burst, true, !relay_mode);
  AddPhase(results, key + ".throughput", burst);
  if (!burst.complete) {
    std::fprintf(stderr, "intake-bench: %lld outcomes never arrived\n",
                 static_cast<long long>(burst.count - burst.arrivals.arrived));
    if (!options.results_file.empty()) results.Write(options.results_file);
    return 1;
  }

  const double rate =
      options.latency_rate > 0 ? options.latency_rate : options.load_factor * burst.throughput();
  const int64_t count =
      std::min(options.requests,
               std::max(options.min_latency_requests,
                        static_cast<int64_t>(std::llround(rate * options.latency_seconds))));
  char name[96];
  std::snprintf(name, sizeof name, "Latency at %.0f%% of that throughput",
                100 * rate / burst.throughput());
  const PhaseReport paced = driver.Run(name, 2, count, rate);
  PrintPhase(paced, false, !relay_mode);
  AddPhase(results, key + ".latency", paced);

  int64_t failures = burst.publish_failures + paced.publish_failures + reader->errors();
  if (relay) failures += relay->failures();
  std::printf("\nloadavg at the end: %s\n", LoadAverage().c_str());
  results.Add("failures", failures);
  if (!options.results_file.empty() && !results.Write(options.results_file)) {
    std::fprintf(stderr, "intake-bench: cannot write %s\n", options.results_file.c_str());
    return 1;
  }
  if (!paced.complete) {
    std::fprintf(stderr, "intake-bench: %lld outcomes never arrived\n",
                 static_cast<long long>(paced.count - paced.arrivals.arrived));
    return 1;
  }
  if (failures > 0) {
    std::fprintf(stderr, "intake-bench: %lld publish/consume/relay failures\n",
                 static_cast<long long>(failures));
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace gridcare::bench

int main(int argc, char** argv) { return gridcare::bench::Main(argc, argv); }
