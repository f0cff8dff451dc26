#pragma once
// What the two modes of gridcare-complaint-bench share (complaint_bench.cpp describes them): the
// options, the complaint service's configuration as the service loads it, and small readers of
// /proc and Redis INFO.

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app.h"
#include "bench_support.h"
#include "gridcare/redis/client.h"
#include "redis_counters.h"

namespace gridcare::bench {

struct Options {
  std::string mode;
  std::string redis_address;
  std::string bootstrap;
  std::vector<std::string> watch;  // NAME=PID
  std::string results_file;
  int64_t customers = 100'000;
  uint64_t seed = 42;
  // throughput
  std::string complaint_binary;
  std::string log_dir;  // complaint's log; default a temporary directory (removed)
  int64_t tickets = 20'000;
  double stall_timeout_s = 30;
  double start_timeout_s = 60;
  // tick
  int64_t cases = 100'000;
  int64_t due = 1'000;
  int rounds = 5;
  int idle_ticks = 1'000;
  int64_t tick_limit = 500;
  int load_threads = 4;
};

int RunThroughput(const Options& options, complaint::Configuration& configuration);
int RunTick(const Options& options, complaint::Configuration& configuration);

// CpuMeter's watched list: this process plus --watch NAME=PID entries; nullopt (after a message)
// when an entry is malformed.
std::optional<std::vector<Watched>> WatchedProcesses(const Options& options);

// A Redis client for the bench's own commands.
core::Result<std::unique_ptr<redis::RedisClient>> ConnectRedis(const std::string& address,
                                                               int pool_size);

// A stride coprime with `customers`: tickets 0..customers-1 (ticket i for customer i x stride
// mod customers) go to distinct customers spread over the whole utility.
inline int64_t CustomerStride(int64_t customers) {
  int64_t stride = 48'271;
  while (std::gcd(stride, customers) != 1) ++stride;
  return stride;
}

// VmRSS and VmHWM (peak) of a process, in MiB; -1 when unknown.
struct Memory {
  double rss_mib = -1;
  double peak_mib = -1;
};
inline Memory MemoryOf(int pid) {
  Memory memory;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name;
    double kib = 0;
    fields >> name >> kib;
    if (name == "VmRSS:") memory.rss_mib = kib / 1024;
    if (name == "VmHWM:") memory.peak_mib = kib / 1024;
  }
  return memory;
}

// "GET 2.0, SET 1.0, ..." per `per` of the command counts between two snapshots (the busiest
// first), and Redis's own execution time per `per`, in microseconds.
std::string CommandsPer(const RedisCounters& before, const RedisCounters& after, double per,
                        double* redis_us_per = nullptr);

}  // namespace gridcare::bench
