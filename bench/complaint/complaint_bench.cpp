// gridcare-complaint-bench: the complaint service's speed, each figure beside the ceiling measured
// in the same run (bench/complaint/run.sh starts redis-server and devbroker and runs both modes).
//
//  throughput  Publishes --tickets intake ticket_opened events for the case types (80% complaints;
//              customers of the synthetic utility, seed 42, whose words route to every
//              department; complaint_tickets.h) on gridcare.intake.v1, then
//               (a) raw consume, the ceiling: one librdkafka consumer with the services' consumer
//                   settings (GridCare's defaults) reads those records from the topic, doing
//                   nothing with them (5 reads, each a new consumer; the median is kept);
//               (b) complaint: starts the real complaint binary (a child process of this one,
//                   every port 0 on 127.0.0.1) on the same backlog and reads gridcare.complaint.v1
//                   until every ticket's case_routed event has arrived.
//              Figures: records (cases) per second for both, from the first record (routed event)
//              seen to the last; the same from the start (raw: assignment; complaint: its "ready"
//              line); their ratio; Redis commands and round trips per case; CPU per process; the
//              complaint process's resident memory (VmRSS) after the run and its peak (VmHWM).
//  tick        The clock tick with --cases open cases in the real Redis (written through
//              RedisCaseStore::Commit, cases built by CaseRules::Open from tickets opened 1 s
//              apart), CaseDesk::TickDue in this process with a fake clock and the real Kafka
//              producer (every alarm published and flushed, as in the service):
//               (a) idle tick: no timer due (the steady state; 1 s apart in the service): the cost
//                   of asking Redis for due timers. Beside it: the same ZRANGEBYSCORE sent raw.
//               (b) --due cases due at once (their 50% contact reminder), ticked as the service
//                   does (TickDue with its limit of 500, repeated until none is due), per case.
//                   Beside it, measured on the same keys just before: the I/O floor (one
//                   ZRANGEBYSCORE and the cases' GETs pipelined), the same GETs one round trip each
//                   (TickDue's read pattern), and those plus a MULTI/EXEC per case writing the same
//                   bytes back (its read-write round trips without the rules, events or flush).
//                   Just after: the Kafka floor (as many records as the tick published, copies of
//                   one, published in as many batches each followed by a flush, on a scratch
//                   topic). And where the tick's time went: this process's CPU, Redis's execution
//                   time, time inside the producer's Publish and Flush.
//              --rounds windows of --due cases each (after a warm-up of 50); medians reported.
//
// Prints the figures; with --results also writes them as key=value lines for run.sh. Exits 1 when
// a case was not routed, a record not read, or a call failed.
#include "complaint_bench.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

namespace gridcare::bench {

std::optional<std::vector<Watched>> WatchedProcesses(const Options& options) {
  std::vector<Watched> watched = {{"bench", "/proc/self/stat"}};
  for (const auto& entry : options.watch) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::fprintf(stderr, "complaint-bench: --watch wants NAME=PID, not \"%s\"\n", entry.c_str());
      return std::nullopt;
    }
    watched.push_back({entry.substr(0, equals), "/proc/" + entry.substr(equals + 1) + "/stat"});
  }
  return watched;
}

core::Result<std::unique_ptr<redis::RedisClient>> ConnectRedis(const std::string& address,
                                                               int pool_size) {
  auto parsed = redis::ParseAddress(address);
  if (!parsed) return parsed.error();
  redis::RedisSettings settings;
  settings.host = parsed->host;
  settings.port = parsed->port;
  settings.pool_size = pool_size;
  settings.command_timeout = std::chrono::seconds(10);
  auto client = redis::RedisClient::Create(settings);
  if (!client) return client.error();
  if (auto status = (*client)->Ping(); !status) return status.error();
  return client;
}

std::string CommandsPer(const RedisCounters& before, const RedisCounters& after, double per,
                        double* redis_us_per) {
  std::vector<std::pair<double, std::string>> rows;
  double usec = 0;
  for (const auto& [name, counts] : after.by_command) {
    const auto it = before.by_command.find(name);
    const int64_t calls = counts.first - (it == before.by_command.end() ? 0 : it->second.first);
    usec += static_cast<double>(counts.second -
                                (it == before.by_command.end() ? 0 : it->second.second));
    if (calls > 0 && name != "info") rows.emplace_back(static_cast<double>(calls) / per, name);
  }
  std::sort(rows.rbegin(), rows.rend());
  std::string out;
  for (const auto& [count, name] : rows) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s%s %.2f", out.empty() ? "" : ", ", name.c_str(), count);
    out += buffer;
  }
  if (redis_us_per != nullptr) *redis_us_per = usec / per;
  return out;
}

namespace {

int Main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "The complaint service's throughput from intake's topic to 'routed', and the cost "
      "of a clock tick with many open cases, beside raw Kafka and Redis in the same run "
      "(bench/complaint/run.sh runs it)"};
  app.add_option("mode", options.mode, "throughput | tick")
      ->required()
      ->check(CLI::IsMember({"throughput", "tick"}));
  app.add_option("--redis", options.redis_address, "Redis HOST:PORT (an empty one of its own)")
      ->required();
  app.add_option("--bootstrap", options.bootstrap,
                 "Kafka bootstrap servers (devbroker); tick: the producer TickDue publishes with")
      ->required();
  app.add_option("--customers", options.customers, "Customers of the synthetic utility")
      ->check(CLI::Range(int64_t{1}, int64_t{20'000'000}))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the utility and the tickets")
      ->capture_default_str();
  app.add_option("--complaint-binary", options.complaint_binary,
                 "throughput: the complaint program to start");
  app.add_option("--log-dir", options.log_dir,
                 "throughput: keep complaint's log here (default: a temporary directory)");
  app.add_option("--tickets", options.tickets, "throughput: tickets published")
      ->check(CLI::Range(int64_t{2}, int64_t{900'000}))
      ->capture_default_str();
  app.add_option("--stall-timeout", options.stall_timeout_s,
                 "throughput: give up when no record arrived for this many seconds")
      ->check(CLI::Range(1.0, 600.0))
      ->capture_default_str();
  app.add_option("--start-timeout", options.start_timeout_s,
                 "throughput: how long complaint may take to log 'ready'")
      ->check(CLI::Range(1.0, 600.0))
      ->capture_default_str();
  app.add_option("--cases", options.cases, "tick: open cases written to Redis")
      ->check(CLI::Range(int64_t{10}, int64_t{2'000'000}))
      ->capture_default_str();
  app.add_option("--due", options.due, "tick: cases due at once in each measured round")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000}))
      ->capture_default_str();
  app.add_option("--rounds", options.rounds, "tick: rounds of --due cases")
      ->check(CLI::Range(1, 50))
      ->capture_default_str();
  app.add_option("--idle-ticks", options.idle_ticks, "tick: idle ticks timed")
      ->check(CLI::Range(10, 100'000))
      ->capture_default_str();
  app.add_option("--tick-limit", options.tick_limit,
                 "tick: cases per TickDue call (the service's default: 500)")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000}))
      ->capture_default_str();
  app.add_option("--load-threads", options.load_threads,
                 "tick: threads writing the open cases (setup, not measured)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--watch", options.watch,
                 "NAME=PID of a process whose CPU use to report (repeatable)");
  app.add_option("--results", options.results_file,
                 "Also write the figures to this file as key=value lines");
  CLI11_PARSE(app, argc, argv);
  if (options.mode == "throughput" && options.complaint_binary.empty()) {
    std::fprintf(stderr, "complaint-bench: throughput needs --complaint-binary\n");
    return 2;
  }
  if (options.mode == "tick" && options.cases < options.due * options.rounds + 50) {
    std::fprintf(stderr, "complaint-bench: --cases must be at least --due x --rounds + 50\n");
    return 2;
  }

  // The service's own configuration files (build/share/gridcare or $GRIDCARE_CONFIG_DIR).
  auto configuration = complaint::LoadConfiguration(complaint::Settings{});
  if (!configuration) {
    std::fprintf(stderr, "complaint-bench: %s\n", configuration.error().ToString().c_str());
    return 2;
  }
  return options.mode == "throughput" ? RunThroughput(options, **configuration)
                                      : RunTick(options, **configuration);
}

}  // namespace
}  // namespace gridcare::bench

int main(int argc, char** argv) { return gridcare::bench::Main(argc, argv); }
