#pragma once

// Redis INFO counters around a benchmark phase: commands, socket reads (~ one per client round
// trip), memory, and calls and time per command — for "where does the time go" lines.

#include <cstdint>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "gridcare/redis/client.h"

namespace gridcare::bench {

struct RedisCounters {
  bool valid = false;
  int64_t commands = 0;
  int64_t reads = 0;  // total_reads_processed: socket reads, ~ one per client round trip
  int64_t used_memory = 0;
  std::map<std::string, std::pair<int64_t, int64_t>> by_command;  // name -> calls, usec
};

inline RedisCounters ReadRedisCounters(redis::RedisClient& redis) {
  RedisCounters counters;
  auto stats = redis.Command({"INFO", "stats"});
  auto memory = redis.Command({"INFO", "memory"});
  auto commandstats = redis.Command({"INFO", "commandstats"});
  if (!stats || !memory || !commandstats) return counters;
  auto field = [](const std::string& text, const std::string& name) -> int64_t {
    const auto at = ("\n" + text).find("\n" + name + ":");
    if (at == std::string::npos) return -1;
    return std::atoll(text.c_str() + at + name.size() + 1);
  };
  counters.commands = field(stats->str(), "total_commands_processed");
  counters.reads = field(stats->str(), "total_reads_processed");
  counters.used_memory = field(memory->str(), "used_memory");
  std::istringstream lines(commandstats->str());
  std::string line;
  while (std::getline(lines, line)) {
    // cmdstat_get:calls=12,usec=34,usec_per_call=2.83,rejected_calls=0,failed_calls=0
    if (line.rfind("cmdstat_", 0) != 0) continue;
    const auto colon = line.find(':');
    const auto calls = line.find("calls=");
    const auto usec = line.find(",usec=");
    if (colon == std::string::npos || calls == std::string::npos || usec == std::string::npos) {
      continue;
    }
    counters.by_command[line.substr(8, colon - 8)] = {std::atoll(line.c_str() + calls + 6),
                                                      std::atoll(line.c_str() + usec + 6)};
  }
  counters.valid = counters.commands >= 0 && counters.reads >= 0;
  return counters;
}

}  // namespace gridcare::bench
