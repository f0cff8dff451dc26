#pragma once
// What both benchmark programs measure the same way: CPU taken per process and by the rest of the
// machine (from /proc), latency percentiles, number formatting and a key=value results file.

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace gridcare::bench {

using SteadyClock = std::chrono::steady_clock;

inline double SecondsBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

inline int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

// The whole of `text` as a decimal integer, or nothing.
inline std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A random 8-hex-digit id for one run, so that its request ids and consumer groups are its own.
inline std::string RunId() {
  std::random_device device;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", device());
  return buffer;
}

// ------------------------------------------------------------------------------------------------
// CPU used by the processes taking part (from /proc), as in bench/profile: a figure is read against
// the cores each side actually got.

struct Watched {
  std::string name;
  std::string proc;  // "/proc/<pid>/stat" or "/proc/self/stat"
};

// utime + stime in seconds; nullopt when the process is gone.
inline std::optional<double> CpuSeconds(const std::string& stat_path) {
  std::ifstream in(stat_path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  double ticks = 0;
  // After the command name: state is field 3; utime and stime are fields 14 and 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14 || index == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds all processors spent busy (not idle or waiting for I/O) since boot.
inline std::optional<double> MachineBusySeconds() {
  std::ifstream in("/proc/stat");
  std::string label;
  if (!(in >> label) || label != "cpu") return std::nullopt;
  double ticks[8] = {};  // user nice system idle iowait irq softirq steal
  for (double& value : ticks) {
    if (!(in >> value)) return std::nullopt;
  }
  const double busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
  return busy / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// Cores used by each watched process over a phase (CPU seconds / wall seconds).
class CpuMeter {
 public:
  explicit CpuMeter(std::vector<Watched> watched) : watched_(std::move(watched)) {}

  void Start() {
    started_ = SteadyClock::now();
    load_at_start_ = LoadAverage();
    machine_before_ = MachineBusySeconds();
    before_.clear();
    for (const auto& w : watched_) before_.push_back(CpuSeconds(w.proc));
  }

  struct Usage {
    std::vector<std::pair<std::string, double>> cores;  // name, cores (-1 when unknown)
    double others = -1;  // cores the rest of the machine used meanwhile (-1 when unknown)
    std::string load_at_start;
    std::string load_at_end;

    double Of(const std::string& name) const {
      for (const auto& [n, c] : cores) {
        if (n == name) return c;
      }
      return -1;
    }
  };

  Usage Stop() const {
    const double wall = SecondsBetween(started_, SteadyClock::now());
    Usage usage{{}, -1, load_at_start_, LoadAverage()};
    double ours = 0;
    bool complete = wall > 0;
    for (size_t i = 0; i < watched_.size(); ++i) {
      const auto after = CpuSeconds(watched_[i].proc);
      double cores = -1;
      if (before_[i] && after && wall > 0) {
        cores = (*after - *before_[i]) / wall;
        ours += cores;
      } else {
        complete = false;
      }
      usage.cores.emplace_back(watched_[i].name, cores);
    }
    const auto machine_after = MachineBusySeconds();
    if (complete && machine_before_ && machine_after) {
      usage.others = std::max(0.0, (*machine_after - *machine_before_) / wall - ours);
    }
    return usage;
  }

 private:
  std::vector<Watched> watched_;
  SteadyClock::time_point started_;
  std::string load_at_start_;
  std::optional<double> machine_before_;
  std::vector<std::optional<double>> before_;
};

inline std::string Describe(const CpuMeter::Usage& usage) {
  std::string out = "cores used:";
  for (const auto& [name, cores] : usage.cores) {
    char buffer[64];
    if (cores < 0) {
      std::snprintf(buffer, sizeof buffer, " %s=?", name.c_str());
    } else {
      std::snprintf(buffer, sizeof buffer, " %s=%.2f", name.c_str(), cores);
    }
    out += buffer;
  }
  if (usage.others >= 0) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, " other processes=%.2f", usage.others);
    out += buffer;
  }
  out += "; loadavg " + usage.load_at_start + " -> " + usage.load_at_end;
  return out;
}

struct LatencySummary {
  int64_t count = 0;
  double mean_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

inline LatencySummary Summarize(std::vector<int64_t>& micros) {
  LatencySummary summary;
  summary.count = static_cast<int64_t>(micros.size());
  if (micros.empty()) return summary;
  std::sort(micros.begin(), micros.end());
  auto rank = [&micros](double q) {
    auto index = static_cast<size_t>(std::ceil(q * static_cast<double>(micros.size())));
    index = std::clamp<size_t>(index, 1, micros.size());
    return static_cast<double>(micros[index - 1]) / 1000.0;
  };
  double total = 0;
  for (const int64_t value : micros) total += static_cast<double>(value);
  summary.mean_ms = total / static_cast<double>(micros.size()) / 1000.0;
  summary.p50_ms = rank(0.50);
  summary.p90_ms = rank(0.90);
  summary.p99_ms = rank(0.99);
  summary.max_ms = static_cast<double>(micros.back()) / 1000.0;
  return summary;
}

class Results {
 public:
  void Add(const std::string& key, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    lines_ += key + "=" + buffer + "\n";
  }
  void Add(const std::string& key, int64_t value) {
    lines_ += key + "=" + std::to_string(value) + "\n";
  }
  void Add(const std::string& key, const std::string& value) { lines_ += key + "=" + value + "\n"; }
  bool Write(const std::string& file) const {
    std::ofstream out(file);
    out << lines_;
    return static_cast<bool>(out);
  }

 private:
  std::string lines_;
};

inline std::string Thousands(double value) {
  std::string digits = std::to_string(static_cast<int64_t>(std::llround(value)));
  const bool negative = !digits.empty() && digits[0] == '-';
  std::string out;
  const size_t begin = negative ? 1 : 0;
  for (size_t i = begin; i < digits.size(); ++i) {
    if (i > begin && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (negative ? "-" : "") + out;
}

}  // namespace gridcare::bench
