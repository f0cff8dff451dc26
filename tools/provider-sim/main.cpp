// gridcare-provider-sim: the message providers (SMS gateway, WeChat template messages, push, …)
// for local runs, tests and benchmarks. Serves the provider API of README.md for any number of
// named providers, records every message in memory, posts delivery reports to callback URLs, and
// fails, slows down or rate-limits when told to through its control API.
#include <cstdio>
#include <cstring>
#include <string>

#include "faults.h"
#include "gridcare/config/files.h"
#include "gridcare/config/options.h"
#include "gridcare/core/shutdown.h"
#include "gridcare/logging/log.h"
#include "provider_http.h"
#include "report_sender.h"
#include "simulator.h"

namespace {

namespace sim = gridcare::provider_sim;

struct Flags {
  std::string listen_address = "127.0.0.1:0";
  gridcare::config::Secret token;
  std::string config_path;
  int64_t record_limit = 2'000'000;
  std::string log_level = "info";
  int http_threads = 128;
  int report_threads = 2;
  int report_attempts = 4;
  std::chrono::milliseconds report_timeout{2000};
};

void AddOptions(gridcare::config::Options& options, Flags& flags) {
  options
      .Add("listen-address", flags.listen_address,
           "Where the provider and control APIs listen; port 0 picks a free one (the \"ready\" "
           "log line gives it)")
      .HostPort(/*allow_port_zero=*/true);
  options.Add("token", flags.token,
              "File holding the bearer token clients must send; without it any non-empty bearer "
              "token is accepted");
  options.Add("config", flags.config_path,
              "Initial faults (JSON): {\"defaults\": {…}, \"providers\": {\"sms\": {…}}}; see "
              "README.md");
  options
      .Add("record-limit", flags.record_limit,
           "Messages kept in memory (about 0.5 KB each); beyond it the oldest are dropped")
      .Range(1, 100'000'000);
  options.Add("log-level", flags.log_level, "Log level").OneOf({"debug", "info", "warn", "error"});
  options
      .Add("http-threads", flags.http_threads,
           "Connections served at once (each kept-alive connection holds a thread)")
      .Range(1, 4096);
  options.Add("report-threads", flags.report_threads, "Threads posting delivery reports")
      .Range(1, 16);
  options
      .Add("report-attempts", flags.report_attempts,
           "POSTs of one delivery report before it counts as lost (100 ms, 200 ms, 400 ms … "
           "apart)")
      .Range(1, 20);
  options
      .Add("report-timeout", flags.report_timeout,
           "Connect and answer timeout of each delivery-report POST")
      .Range(std::chrono::milliseconds(10), std::chrono::milliseconds(60'000));
}

// The --config file, or exit code 2 after saying why it cannot be used.
std::optional<sim::SimConfig> LoadConfig(const std::string& path) {
  if (path.empty()) return sim::SimConfig{};
  auto text = gridcare::config::ReadTextFile(path);
  auto config =
      text ? sim::ParseSimConfig(*text) : gridcare::core::Result<sim::SimConfig>(text.error());
  if (!config) {
    std::fprintf(stderr, "cannot load --config (%s): %s; fix the file or its flag\n", path.c_str(),
                 config.error().ToString().c_str());
    return std::nullopt;
  }
  return std::move(config).value();
}

}  // namespace

int main(int argc, char** argv) {
  // First, before any thread starts: SIGTERM and SIGINT become an orderly stop.
  gridcare::core::ShutdownSignal shutdown;
  namespace logging = gridcare::logging;

  Flags flags;
  gridcare::config::Options options(
      "gridcare-provider-sim",
      "Simulated message providers (SMS, WeChat, push, …) for local runs and tests: the provider "
      "API of tools/provider-sim/README.md under /providers/<name>/, every message recorded in "
      "memory, delivery reports posted to callback URLs, and faults (failures, latency, rate "
      "limits, undeliverable recipients) set per provider through /control/. Stops on SIGTERM or "
      "SIGINT.");
  AddOptions(options, flags);
  if (auto exit_code = options.Parse(argc, argv)) return *exit_code;
  logging::Init("gridcare-provider-sim",
                logging::ParseLevel(flags.log_level).value_or(logging::Level::kInfo));
  logging::Info("starting", {{"settings", options.Describe()}});

  auto config = LoadConfig(flags.config_path);
  if (!config) return 2;
  gridcare::core::SystemClock clock;
  sim::SimulatorSettings settings{.record_limit = static_cast<std::size_t>(flags.record_limit),
                                  .token = flags.token.Reveal(),
                                  .config = std::move(*config),
                                  .report_attempts = flags.report_attempts};
  sim::Simulator simulator(std::move(settings), clock);
  sim::ReportSender sender(simulator, {.threads = flags.report_threads,
                                       .connect_timeout = flags.report_timeout,
                                       .request_timeout = flags.report_timeout});
  sim::ProviderHttp http(simulator,
                         {.worker_threads = static_cast<std::size_t>(flags.http_threads)});
  if (auto started = http.Start(flags.listen_address); !started) {
    logging::Error("cannot start; choose a free --listen-address",
                   {{"error", started.error().ToString()}});
    return 1;
  }
  sender.Start();
  const std::string host = flags.listen_address.substr(0, flags.listen_address.rfind(':'));
  logging::Info(
      "ready", {{"http_port", http.port()}, {"address", host + ":" + std::to_string(http.port())}});

  shutdown.Wait();
  logging::Info("shutting down",
                {{"signal", shutdown.signal_number() == 0
                                ? std::string("none")
                                : std::string(strsignal(shutdown.signal_number()))}});
  http.Stop();
  sender.Stop();
  logging::Info("stopped", {});
  return 0;
}
