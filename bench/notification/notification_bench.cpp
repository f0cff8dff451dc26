// gridcare-notification-bench: issue 14's notification benchmark against a running stack
// (bench/notification/run.sh starts it: redis-server, devbroker, profile with the 1,000,000-
// customer utility loaded, gridcare-provider-sim and notification).
//
//  1. The feeder with the most customers; the notices notification's fan-out will send for a
//     feeder-level incident_opened on it, predicted with the service's own trigger rules,
//     planner and configuration (audience.h): the expected count, by provider.
//  2. Raw ceiling: the same messages (same bodies, same providers, same simulator) POSTed by a
//     plain libcurl multi loop with the service's max-in-flight, kept-alive connections; each
//     carries a callback_url to an in-process sink, so the simulator posts delivery reports in
//     this run as in the service's (raw_loop.h). Then the simulator is cleared.
//  3. The service: one incident_opened published on gridcare.dispatch.v1; time to the
//     simulator's accepted count reaching the expected one, messages per second; then until every
//     delivery report was posted and applied (service_run.cpp).
//  4. The raw loop again (--raw-after), so a change in the machine's load between runs shows.
// Prints the figures; --results also writes them as key=value lines for run.sh.
#include "notification_bench.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <thread>

#include "gridcare/config/files.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/cloud_events.h"
#include "notification_id.h"
#include "raw_loop.h"

namespace gridcare::bench {
namespace {

struct RawPhase {
  RawRunReport report;
  CpuMeter::Usage cpu;
  double reports_s = -1;  // raw start to every report posted
  SimulatorStats stats;
};

std::vector<RawMessage> RawMessages(const Bench& bench, const Audience& audience,
                                    const std::string& label, const CallbackSink* sink) {
  std::vector<RawMessage> messages;
  messages.reserve(audience.notices.size());
  const std::string base = "http://" + bench.options.simulator + "/providers/";
  for (size_t i = 0; i < audience.notices.size(); ++i) {
    const PlannedNotice& notice = audience.notices[i];
    // An id of the service's form and length, of this run and label only.
    const std::string id = notification::NotificationId("raw/" + bench.run_id + "/" + label,
                                                        std::to_string(i), notice.template_id);
    const std::string callback =
        sink != nullptr
            ? "http://127.0.0.1:" + std::to_string(sink->port()) + "/callbacks/" + notice.provider
            : "";
    messages.push_back(
        {base + notice.provider + "/v1/messages", ProviderRequestBody(notice, id, callback)});
  }
  return messages;
}

core::Result<RawPhase> RunRaw(Bench& bench, const Audience& audience, const std::string& label,
                              const CallbackSink* sink) {
  if (auto cleared = bench.simulator->Clear(); !cleared) return cleared.error();
  const auto messages = RawMessages(bench, audience, label, sink);
  RawRunSettings settings;
  settings.token = bench.token;
  settings.max_in_flight = bench.options.max_in_flight;
  settings.deadline_s = bench.options.timeout_s;
  settings.progress = [total = messages.size()](int64_t answered, double seconds) {
    std::printf("  ... %.0f s: %s of %s answered\n", seconds,
                Thousands(static_cast<double>(answered)).c_str(),
                Thousands(static_cast<double>(total)).c_str());
    std::fflush(stdout);
  };
  RawPhase phase;
  bench.meter->Start();
  const auto started = SteadyClock::now();
  auto report = PostAll(messages, settings);
  if (!report) return report.error();
  phase.cpu = bench.meter->Stop();
  phase.report = *report;
  const auto deadline = SteadyClock::now() + std::chrono::seconds(120);
  for (;;) {
    auto stats = bench.simulator->Stats();
    if (!stats) return stats.error();
    phase.stats = *stats;
    const bool reported =
        sink == nullptr || stats->reports_sent + stats->reports_lost >= stats->accepted;
    if (reported && stats->reports_pending == 0) {
      if (sink != nullptr) phase.reports_s = SecondsBetween(started, SteadyClock::now());
      break;
    }
    if (SteadyClock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return phase;
}

void PrintRaw(Bench& bench, const RawPhase& raw, const std::string& key, int64_t expected) {
  const RawRunReport& r = raw.report;
  std::printf("  %s of %s answered 2xx in %.3f s: %s messages/s%s\n",
              Thousands(static_cast<double>(r.answered_2xx)).c_str(),
              Thousands(static_cast<double>(r.messages)).c_str(), r.seconds,
              Thousands(r.rate()).c_str(), r.timed_out ? " (TIMED OUT)" : "");
  for (const auto& [what, count] : r.failures) {
    std::printf("  failed: %s x%lld\n", what.c_str(), static_cast<long long>(count));
  }
  std::printf("  simulator: accepted %s, duplicates %lld, refused %lld; reports posted %s%s\n",
              Thousands(static_cast<double>(raw.stats.accepted)).c_str(),
              static_cast<long long>(raw.stats.duplicates),
              static_cast<long long>(raw.stats.refused),
              Thousands(static_cast<double>(raw.stats.reports_sent)).c_str(),
              raw.reports_s >= 0 ? (" (all by " + std::to_string(raw.reports_s).substr(0, 5) +
                                    " s after the first request)")
                                       .c_str()
                                 : "");
  std::printf("  %s\n", Describe(raw.cpu).c_str());
  bench.results.Add(key + ".per_s", r.rate());
  bench.results.Add(key + ".seconds", r.seconds);
  bench.results.Add(key + ".accepted", raw.stats.accepted);
  bench.results.Add(key + ".reports_s", raw.reports_s);
  for (const auto& [name, cores] : raw.cpu.cores) bench.results.Add(key + ".cpu." + name, cores);
  bench.results.Add(key + ".cpu.others", raw.cpu.others);
  bench.results.Add(key + ".valid", static_cast<int64_t>(!r.timed_out && r.failures.empty() &&
                                                         raw.stats.accepted == expected));
}

void PrintAudience(Bench& bench, const synth::Feeder& feeder, const Audience& audience) {
  std::printf("\nFeeder %s (%s, substation %s): %s customers in %lld transformer areas\n",
              feeder.id.c_str(), feeder.name.c_str(), feeder.substation_id.c_str(),
              Thousands(static_cast<double>(feeder.customers.size())).c_str(),
              static_cast<long long>(feeder.transformers.size()));
  std::printf("  intents of a FEEDER incident_opened with an estimate: %lld\n",
              static_cast<long long>(audience.intents));
  for (const auto& [template_id, customers] : audience.customers_by_template) {
    const auto sent = audience.by_template.find(template_id);
    std::printf(
        "    %-36s %8s customers -> %8s notices\n", template_id.c_str(),
        Thousands(static_cast<double>(customers)).c_str(),
        Thousands(sent == audience.by_template.end() ? 0.0 : static_cast<double>(sent->second))
            .c_str());
  }
  std::printf("  number already reached (shared phones): %s; unwritable: %lld\n",
              Thousands(static_cast<double>(audience.same_number)).c_str(),
              static_cast<long long>(audience.unwritable));
  for (const auto& [reason, count] : audience.suppressed) {
    std::printf("  suppressed (%s): %lld\n", reason.c_str(), static_cast<long long>(count));
  }
  std::printf("  held for later (quiet hours, not before): %lld\n",
              static_cast<long long>(audience.held));
  std::printf("  expected notices: %s —",
              Thousands(static_cast<double>(audience.notices.size())).c_str());
  for (const auto& [provider, count] : audience.by_provider) {
    std::printf(" %s %s", provider.c_str(), Thousands(static_cast<double>(count)).c_str());
  }
  std::printf("\n");
  bench.results.Add("feeder.id", feeder.id);
  bench.results.Add("feeder.customers", feeder.customers.size());
  bench.results.Add("expected", static_cast<int64_t>(audience.notices.size()));
}

// What the runs need, prepared before any is timed.
struct Prepared {
  std::unique_ptr<synth::Utility> utility;
  std::unique_ptr<notification::Configuration> configuration;
  const synth::Feeder* feeder = nullptr;
  std::string incident_id;
  std::string event_id;
  v1::DispatchEvent event;
  Audience audience;
};

core::Result<Prepared> Prepare(Bench& bench) {
  const Options& options = bench.options;
  Prepared p;
  synth::UtilitySpec spec;
  spec.seed = options.seed;
  spec.customers = options.customers;
  auto utility = synth::Utility::Create(spec);
  if (!utility) return utility.error();
  p.utility = std::make_unique<synth::Utility>(std::move(*utility));
  notification::Settings settings;
  settings.templates_path = options.config_dir + "/templates.json";
  settings.triggers_path = options.config_dir + "/triggers.json";
  settings.staff_path = options.config_dir + "/staff-contacts.json";
  settings.policy_path = options.delivery_policy;
  auto configuration = notification::LoadConfiguration(settings);
  if (!configuration) return configuration.error();
  p.configuration = std::move(*configuration);
  std::printf("gridcare-notification-bench: %s customers (seed %llu), run %s, loadavg %s\n",
              Thousands(static_cast<double>(options.customers)).c_str(),
              static_cast<unsigned long long>(options.seed), bench.run_id.c_str(),
              LoadAverage().c_str());
  p.feeder = &LargestFeeder(*p.utility);
  const core::SystemClock clock;
  const core::TimePoint now = clock.Now();
  p.incident_id = "INC-BENCH-" + bench.run_id;
  p.event_id = kafka::DeriveEventId("notification-bench", bench.run_id);
  p.event = FeederIncidentOpened(*p.feeder, p.feeder->customers.size(), p.incident_id, now,
                                 now + std::chrono::minutes(options.etr_minutes));
  auto audience = PlanAudience(*p.utility, *p.feeder, *p.configuration, p.event, p.event_id, now);
  if (!audience) return audience.error();
  p.audience = std::move(*audience);
  PrintAudience(bench, *p.feeder, p.audience);
  if (p.audience.held > 0 || p.audience.notices.empty()) {
    return core::FailedPrecondition(
        std::to_string(p.audience.held) + " notices would be held (quiet hours), " +
        std::to_string(p.audience.notices.size()) +
        " expected: the delivery policy or the estimate does not suit the benchmark");
  }
  return p;
}

bool PrintService(Bench& bench, const ServiceRun& run, int64_t expected) {
  const double rate = run.rate(expected);
  if (run.timed_out) {
    std::printf("  TIMED OUT after %.0f s: %s of %s accepted\n", bench.options.timeout_s,
                Thousands(static_cast<double>(run.stats.accepted)).c_str(),
                Thousands(static_cast<double>(expected)).c_str());
  } else {
    std::printf("  publish -> last of %s notices accepted: %.3f s = %s messages/s\n",
                Thousands(static_cast<double>(expected)).c_str(), run.last_accepted_s,
                Thousands(rate).c_str());
    std::printf("  publish (+flush) %.3f s; first accepted at %.3f s; all queued at %.3f s\n",
                run.publish_s, run.first_accepted_s, run.queued_s);
    std::printf("  every delivery report posted at %.3f s, applied (delivered) at %.3f s\n",
                run.reports_sent_s, run.delivered_s);
  }
  std::printf("  simulator: received %s, accepted %s, duplicates %lld, refused %lld\n",
              Thousands(static_cast<double>(run.stats.received)).c_str(),
              Thousands(static_cast<double>(run.stats.accepted)).c_str(),
              static_cast<long long>(run.stats.duplicates),
              static_cast<long long>(run.stats.refused));
  std::printf("  %s\n", Describe(run.cpu).c_str());
  const bool valid = !run.timed_out && run.stats.accepted == expected;
  if (!run.timed_out && run.stats.accepted != expected) {
    std::printf("  WARNING: the simulator accepted %lld notices, the prediction was %lld\n",
                static_cast<long long>(run.stats.accepted), static_cast<long long>(expected));
  }
  bench.results.Add("service.seconds", run.last_accepted_s);
  bench.results.Add("service.per_s", rate);
  bench.results.Add("service.first_s", run.first_accepted_s);
  bench.results.Add("service.queued_s", run.queued_s);
  bench.results.Add("service.reports_s", run.reports_sent_s);
  bench.results.Add("service.delivered_s", run.delivered_s);
  bench.results.Add("service.accepted", run.stats.accepted);
  bench.results.Add("service.duplicates", run.stats.duplicates);
  bench.results.Add("service.refused", run.stats.refused);
  for (const auto& [name, cores] : run.cpu.cores) bench.results.Add("service.cpu." + name, cores);
  bench.results.Add("service.cpu.others", run.cpu.others);
  bench.results.Add("service.valid", static_cast<int64_t>(valid));
  return valid;
}

int Finish(Bench& bench, bool valid) {
  const auto [peak, now] = ResidentMiB(bench.options.notification_pid);
  std::printf("\nnotification resident memory: peak (VmHWM) %.1f MiB, now (VmRSS) %.1f MiB\n", peak,
              now);
  std::printf("loadavg at the end: %s\n", LoadAverage().c_str());
  bench.results.Add("rss.peak_mib", peak);
  bench.results.Add("rss.now_mib", now);
  bench.results.Add("valid", static_cast<int64_t>(valid));
  if (!bench.options.results_file.empty() && !bench.results.Write(bench.options.results_file)) {
    std::fprintf(stderr, "notification-bench: cannot write %s\n",
                 bench.options.results_file.c_str());
    return 1;
  }
  return valid ? 0 : 1;
}

bool StreamFloor(Bench& bench, const Prepared& prepared) {
  int64_t customers = 0;
  auto seconds = ProfileStreamFloor(bench, prepared.feeder->id, customers);
  if (!seconds) {
    std::fprintf(stderr, "notification-bench: profile stream: %s\n",
                 seconds.error().ToString().c_str());
    return false;
  }
  std::printf(
      "\nProfile floor: the feeder's %s customers streamed (GrpcCustomerDirectory, "
      "nothing done with them) in %.3f s: %s customers/s\n",
      Thousands(static_cast<double>(customers)).c_str(), *seconds,
      Thousands(static_cast<double>(customers) / *seconds).c_str());
  bench.results.Add("profile_floor.seconds", *seconds);
  if (customers != static_cast<int64_t>(prepared.feeder->customers.size())) {
    std::fprintf(stderr, "notification-bench: the profile streamed %lld customers of %lld\n",
                 static_cast<long long>(customers),
                 static_cast<long long>(prepared.feeder->customers.size()));
    return false;
  }
  return true;
}

// The phases, in order; 1 on any failure (after printing what was measured).
int Run(Bench& bench) {
  const Options& options = bench.options;
  auto prepared = Prepare(bench);
  if (!prepared) {
    std::fprintf(stderr, "notification-bench: %s\n", prepared.error().ToString().c_str());
    return 1;
  }
  const Audience& audience = prepared->audience;
  const auto expected = static_cast<int64_t>(audience.notices.size());
  auto producer =
      kafka::KafkaProducer::Create({options.bootstrap, "gridcare-notification-bench", {}}, nullptr);
  if (!producer) {
    std::fprintf(stderr, "notification-bench: %s\n", producer.error().ToString().c_str());
    return 1;
  }
  CallbackSink sink;
  if (auto started = sink.Start(); !started) {
    std::fprintf(stderr, "notification-bench: sink: %s\n", started.error().ToString().c_str());
    return 1;
  }
  const CallbackSink* raw_sink = options.raw_callbacks ? &sink : nullptr;
  if (options.report_delay_ms >= 0) {
    for (const auto& [provider, count] : audience.by_provider) {
      const auto set = bench.simulator->SetFaults(
          provider, "{\"report_delay_ms\":" + std::to_string(options.report_delay_ms) + "}");
      if (!set) {
        std::fprintf(stderr, "notification-bench: %s\n", set.error().ToString().c_str());
        return 1;
      }
    }
    std::printf("\nsimulator: delivery reports %d ms after acceptance, every provider\n",
                options.report_delay_ms);
  }
  bool valid = true;
  auto raw = [&](const std::string& label) {
    auto phase = RunRaw(bench, audience, label, raw_sink);
    if (!phase) {
      std::fprintf(stderr, "notification-bench: raw loop: %s\n", phase.error().ToString().c_str());
      return false;
    }
    PrintRaw(bench, *phase, "raw_" + label, expected);
    valid = valid && phase->stats.accepted == expected && phase->report.failures.empty();
    return true;
  };

  std::printf("\nRaw loop (before): %s POSTs, %d in flight, keep-alive, callback_url %s\n",
              Thousands(static_cast<double>(expected)).c_str(), options.max_in_flight,
              raw_sink != nullptr ? "to an in-process sink" : "none");
  std::fflush(stdout);
  if (!raw("before")) return 1;

  std::printf(
      "\nKafka floor (also warms the bench's producer): %s \"sent\" events published, flushed "
      "every %d\n",
      Thousands(static_cast<double>(expected)).c_str(), options.send_batch);
  auto floor = KafkaFloor(bench, **producer, audience);
  if (!floor) {
    std::fprintf(stderr, "notification-bench: kafka floor: %s\n", floor.error().ToString().c_str());
    return 1;
  }
  std::printf("  %.3f s: %s events/s, %.1f ms per flushed batch\n", *floor,
              Thousands(static_cast<double>(expected) / *floor).c_str(),
              *floor * 1000.0 / std::ceil(static_cast<double>(expected) / options.send_batch));
  bench.results.Add("kafka_floor.seconds", *floor);

  if (!options.profile_target.empty() && !StreamFloor(bench, *prepared)) return 1;
  if (auto warmed = WarmDispatchTopic(bench, **producer); !warmed) {
    std::fprintf(stderr, "notification-bench: %s\n", warmed.error().ToString().c_str());
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // notification consumes it, idle again
  if (auto cleared = bench.simulator->Clear(); !cleared) {
    std::fprintf(stderr, "notification-bench: %s\n", cleared.error().ToString().c_str());
    return 1;
  }
  std::printf("\nService: incident_opened %s on feeder %s published on gridcare.dispatch.v1\n",
              prepared->incident_id.c_str(), prepared->feeder->id.c_str());
  std::fflush(stdout);
  auto run = RunService(bench, **producer, prepared->event, prepared->event_id, expected);
  if (!run) {
    std::fprintf(stderr, "notification-bench: service run: %s\n", run.error().ToString().c_str());
    return 1;
  }
  valid = PrintService(bench, *run, expected) && valid;

  if (options.raw_after) {
    std::printf("\nRaw loop (after): the same again\n");
    std::fflush(stdout);
    if (!raw("after")) return 1;
  }
  return Finish(bench, valid);
}

}  // namespace

int Main(int argc, char** argv) {
  Bench bench;
  Options& options = bench.options;
  CLI::App app{
      "Issue 14's notification benchmark against a running stack (bench/notification/run.sh): a "
      "feeder outage on the synthetic utility fanned out to every customer of its largest feeder, "
      "timed from the published incident_opened to the last notice the provider simulator "
      "accepted, beside a raw libcurl loop posting the same messages to the same simulator."};
  app.add_option("--simulator", options.simulator, "HOST:PORT of gridcare-provider-sim")
      ->required();
  app.add_option("--bootstrap", options.bootstrap, "Kafka bootstrap servers")->required();
  app.add_option("--token-file", options.token_file, "The providers' bearer token (a file)")
      ->required();
  app.add_option("--notification-pid", options.notification_pid,
                 "pid of the notification process (its VmHWM is the memory figure)")
      ->required();
  app.add_option("--notification-metrics", options.notification_metrics,
                 "HOST:PORT of notification's /metrics (queued and delivered times)");
  app.add_option("--profile-target", options.profile_target,
                 "HOST:PORT of profile's gRPC: the feeder's stream alone is timed too");
  app.add_option("--config-dir", options.config_dir,
                 "notification's templates.json, triggers.json, staff-contacts.json")
      ->capture_default_str();
  app.add_option("--delivery-policy", options.delivery_policy,
                 "The delivery policy the service runs with")
      ->capture_default_str();
  app.add_option("--customers", options.customers, "Customers of the loaded utility")
      ->check(CLI::Range(int64_t{1}, synth::kMaxCustomers))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the loaded utility")->capture_default_str();
  app.add_option("--max-in-flight", options.max_in_flight,
                 "Requests in flight in the raw loop: the service's --max-in-flight")
      ->check(CLI::Range(1, 10'000))
      ->capture_default_str();
  app.add_option("--send-batch", options.send_batch,
                 "The service's --send-batch: the Kafka floor flushes every this many records")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  app.add_flag("!--no-raw-callbacks", options.raw_callbacks,
               "Raw loop without callback_url (the simulator then posts no reports for it)");
  app.add_flag("!--no-raw-after", options.raw_after, "Skip the second raw run");
  app.add_option("--etr-minutes", options.etr_minutes,
                 "The incident's estimated restoration, minutes after the publish")
      ->check(CLI::Range(1, 24 * 60))
      ->capture_default_str();
  app.add_option("--report-delay-ms", options.report_delay_ms,
                 "Set every provider's delivery-report delay in the simulator (default: leave "
                 "the simulator's, 200 ms); a long one keeps reports out of the timed window")
      ->check(CLI::Range(0, 3'600'000));
  app.add_option("--timeout", options.timeout_s, "Seconds any one phase may take")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  app.add_option("--poll-ms", options.poll_ms, "Interval of GET /control/stats while timing")
      ->check(CLI::Range(1.0, 1000.0))
      ->capture_default_str();
  app.add_option("--watch", options.watch, "NAME=PID of a process whose CPU to report");
  app.add_option("--results", options.results_file, "Also write the figures as key=value lines");
  CLI11_PARSE(app, argc, argv);

  std::vector<Watched> watched = {{"bench", "/proc/self/stat"}};
  for (const auto& entry : options.watch) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::fprintf(stderr, "notification-bench: --watch wants NAME=PID, not \"%s\"\n",
                   entry.c_str());
      return 2;
    }
    watched.push_back({entry.substr(0, equals), "/proc/" + entry.substr(equals + 1) + "/stat"});
  }
  bench.meter = std::make_unique<CpuMeter>(watched);
  const auto colon = options.simulator.rfind(':');
  const auto port =
      colon == std::string::npos ? std::nullopt : ParseInt(options.simulator.substr(colon + 1));
  if (!port) {
    std::fprintf(stderr, "notification-bench: --simulator wants HOST:PORT\n");
    return 2;
  }
  bench.simulator_host = options.simulator.substr(0, colon);
  bench.simulator_port = static_cast<int>(*port);
  bench.simulator = std::make_unique<SimulatorControl>(bench.simulator_host, bench.simulator_port);
  auto token = config::ReadTextFile(options.token_file);
  if (!token) {
    std::fprintf(stderr, "notification-bench: cannot read --token-file\n");
    return 2;
  }
  bench.token = *token;
  while (!bench.token.empty() && (bench.token.back() == '\n' || bench.token.back() == '\r')) {
    bench.token.pop_back();
  }
  bench.run_id = RunId();
  return Run(bench);
}

}  // namespace gridcare::bench

int main(int argc, char** argv) { return gridcare::bench::Main(argc, argv); }
