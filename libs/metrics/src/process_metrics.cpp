#include "gridcare/metrics/process_metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/gauge.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

namespace gridcare::metrics {
namespace {

prometheus::MetricFamily Single(std::string name, std::string help, prometheus::MetricType type,
                                double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return prometheus::MetricFamily{std::move(name), std::move(help), type, {metric}};
}

// The fields of /proc/self/stat after the parenthesised command name (which may contain spaces),
// so index 0 is field 3 ("state") of proc(5).
std::vector<std::string> ReadStatFields() {
  std::ifstream in("/proc/self/stat");
  const std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 1));
  return {std::istream_iterator<std::string>(rest), std::istream_iterator<std::string>()};
}

double BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

}  // namespace

void RegisterBuildInfo(prometheus::Registry& registry, const std::string& service,
                       const std::string& version) {
  prometheus::BuildGauge()
      .Name("gridcare_build_info")
      .Help("Always 1; labels name the service and its version.")
      .Register(registry)
      .Add({{"service", service}, {"version", version}})
      .Set(1);
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;

  const auto fields = ReadStatFields();
  // proc(5) field numbers minus 3, see ReadStatFields.
  constexpr size_t kUtime = 11, kStime = 12, kThreads = 17, kStartTime = 19, kVsize = 20, kRss = 21;
  if (fields.size() > kRss) {
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    const double cpu = (std::stod(fields[kUtime]) + std::stod(fields[kStime])) / ticks;
    families.push_back(Single("process_cpu_seconds_total", "User and system CPU time spent.",
                              MetricType::Counter, cpu));
    families.push_back(Single("process_resident_memory_bytes", "Resident memory size.",
                              MetricType::Gauge, std::stod(fields[kRss]) * page));
    families.push_back(Single("process_virtual_memory_bytes", "Virtual memory size.",
                              MetricType::Gauge, std::stod(fields[kVsize])));
    families.push_back(Single("process_threads", "OS threads in the process.", MetricType::Gauge,
                              std::stod(fields[kThreads])));
    // Boot time never changes while we run; read it once.
    static const double boot_time = BootTimeSeconds();
    families.push_back(Single("process_start_time_seconds", "Start time since the Unix epoch.",
                              MetricType::Gauge,
                              boot_time + std::stod(fields[kStartTime]) / ticks));
  }

  std::error_code error;
  double open_fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++open_fds;
  }
  if (!error) {
    families.push_back(
        Single("process_open_fds", "Open file descriptors.", MetricType::Gauge, open_fds));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    families.push_back(Single("process_max_fds", "Limit on open file descriptors.",
                              MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return families;
}

}  // namespace gridcare::metrics
