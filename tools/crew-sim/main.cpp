// gridcare-crew-sim: plays a whole roster of repair crews against the running repair-crew service,
// through the same CrewService gRPC API the crew app uses: accepts (or declines) assigned jobs,
// drives to them reporting its position, repairs, and completes with cause and fix codes. Time
// runs --time-scale times faster than the wall clock.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sstream>

#include "crew_api.h"
#include "gridcare/core/shutdown.h"
#include "gridcare/rpc/client.h"
#include "simulation.h"

namespace {

namespace sim = gridcare::crew_sim;
using namespace std::chrono_literals;

// One line per step on stdout, prefixed with the simulated time since the start.
class StdoutNarrator final : public sim::Narrator {
 public:
  StdoutNarrator(bool quiet, double time_scale)
      : quiet_(quiet), scale_(time_scale), start_(std::chrono::steady_clock::now()) {}

  void Say(std::string_view crew_id, const std::string& text) override {
    if (quiet_) return;
    const auto simulated = scale_.ToSimulated(std::chrono::steady_clock::now() - start_);
    const long minutes = static_cast<long>(simulated.count() / 60);
    std::lock_guard lock(mutex_);
    std::printf("[+%02ld:%02ld] %.*s %s\n", minutes / 60, minutes % 60,
                static_cast<int>(crew_id.size()), crew_id.data(), text.c_str());
    std::fflush(stdout);
  }

 private:
  bool quiet_;
  sim::TimeScale scale_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

std::set<std::string> SplitList(const std::string& text) {
  std::set<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) items.insert(item);
  }
  return items;
}

}  // namespace

int main(int argc, char** argv) {
  // First, before any thread starts: SIGTERM and SIGINT become an orderly stop.
  gridcare::core::ShutdownSignal shutdown;

  std::string target;
  double time_scale = 60;
  uint64_t seed = 1;
  double decline_rate = 0;
  double absent_rate = 0;
  bool visits_early = false;
  int64_t duration_seconds = 0;
  std::string crews;
  bool quiet = false;
  int threads = 8;
  double poll_seconds = 1;
  double idle_report_seconds = 5;
  double rpc_deadline_seconds = 5;

  CLI::App app{
      "gridcare-crew-sim: plays repair crews against the repair-crew service through CrewService, "
      "as the crew app would. Each crew takes the jobs dispatch gives it: accepts (or declines "
      "at --decline-rate), drives in a straight line at 25 (urban), 40 (rural) or 30 (remote) "
      "km/h reporting its position every simulated minute, arrives, repairs for 20-90 simulated "
      "minutes and completes with restored supply and a cause and fix code. Booked visits of "
      "service applications (survey, meter installation, meter check) come after fault repair "
      "and start near their booked time (or at once with --visits-early), ending with their "
      "result. Idle crews report "
      "their position every few real seconds. Every choice is a pure function of --seed and the "
      "ids. Prints one line per step and a summary at exit; stops after --duration or on "
      "SIGTERM/SIGINT."};
  app.add_option("--crew-service", target,
                 "gRPC target of the repair-crew service (HOST:PORT); falls back to "
                 "GRIDCARE_REPAIR_CREW_GRPC from the local stack's endpoints.env")
      ->envname("GRIDCARE_CREW_SERVICE_TARGET");
  app.add_option("--time-scale", time_scale, "Simulated seconds per real second")
      ->check(CLI::Range(0.01, 100000.0))
      ->capture_default_str();
  app.add_option("--seed", seed, "Seed of every random choice (declines, repair times, causes)")
      ->capture_default_str();
  app.add_option("--decline-rate", decline_rate, "Share of assigned jobs a crew declines, 0..1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_flag("--visits-early", visits_early,
               "Do booked visits as soon as the crew is free instead of near their booked time "
               "(a scenario compresses time; booked hours are not compressed)")
      ->envname("GRIDCARE_CREW_SIM_VISITS_EARLY");
  app.add_option("--absent-rate", absent_rate,
                 "Share of booked visits where the customer is not there (re-booked), 0..1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--duration", duration_seconds, "Real seconds to run; 0 = until SIGTERM or SIGINT")
      ->check(CLI::Range(int64_t{0}, int64_t{30} * 24 * 3600))
      ->capture_default_str();
  app.add_option("--crews", crews, "Play only these crews (comma-separated ids); default all");
  app.add_flag("--quiet", quiet, "No line per step; only the summary");
  app.add_option("--threads", threads, "Crews stepping at once (each step waits on gRPC calls)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--poll-interval", poll_seconds,
                 "Real seconds between roster polls (ListCrews) that find crews with jobs")
      ->check(CLI::Range(0.05, 60.0))
      ->capture_default_str();
  app.add_option("--idle-report-interval", idle_report_seconds,
                 "Real seconds between position reports of crews not driving")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_option("--rpc-deadline", rpc_deadline_seconds, "Deadline of each gRPC call, seconds")
      ->check(CLI::Range(0.1, 120.0))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (target.empty()) {
    if (const char* stack = std::getenv("GRIDCARE_REPAIR_CREW_GRPC")) target = stack;
  }
  if (target.empty()) {
    std::fprintf(stderr,
                 "gridcare-crew-sim: set --crew-service HOST:PORT (or GRIDCARE_CREW_SERVICE_TARGET)"
                 "; the local stack's endpoints.env has GRIDCARE_REPAIR_CREW_GRPC\n");
    return 2;
  }

  const auto seconds = [](double s) {
    return std::chrono::milliseconds(static_cast<int64_t>(s * 1000));
  };
  auto channel = gridcare::rpc::MakeChannel(target);
  if (!gridcare::rpc::WaitForReady(channel, 15s)) {
    std::fprintf(stderr, "gridcare-crew-sim: repair-crew at %s is not answering; is it running?\n",
                 target.c_str());
    return 1;
  }
  sim::GrpcCrewApi api(channel, seconds(rpc_deadline_seconds));
  sim::SimSettings settings;
  settings.player.seed = seed;
  settings.player.decline_rate = decline_rate;
  settings.player.absent_rate = absent_rate;
  settings.player.visits_early = visits_early;
  settings.player.time_scale = time_scale;
  settings.player.idle_report_every = seconds(idle_report_seconds);
  settings.threads = threads;
  settings.poll_every = seconds(poll_seconds);
  settings.crews = SplitList(crews);
  StdoutNarrator narrator(quiet, time_scale);

  sim::Simulation simulation(api, settings, narrator);
  const auto started = std::chrono::steady_clock::now();
  if (auto status = simulation.Start(); !status) {
    std::fprintf(stderr, "gridcare-crew-sim: cannot list the crews: %s\n",
                 status.error().ToString().c_str());
    return 1;
  }
  for (const auto& missing : simulation.missing_crews()) {
    std::fprintf(stderr, "gridcare-crew-sim: crew %s is not on the roster; ignored\n",
                 missing.c_str());
  }
  if (!quiet) {
    std::printf("playing %zu crews against %s at x%g (seed %llu, decline rate %g)%s\n",
                simulation.crew_count(), target.c_str(), time_scale,
                static_cast<unsigned long long>(seed), decline_rate,
                duration_seconds > 0 ? "" : "; stop with Ctrl-C");
    std::fflush(stdout);
  }
  if (duration_seconds > 0) {
    shutdown.WaitFor(std::chrono::seconds(duration_seconds));
  } else {
    shutdown.Wait();
  }
  simulation.Stop();

  const auto& stats = simulation.stats();
  const double real =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "summary: %zu crews, %.0f s real = %.0f min simulated; jobs accepted %lld, declined %lld, "
      "arrived %lld, restored %lld, taken away %lld; position reports %lld; failed calls %lld\n",
      simulation.crew_count(), real, real * time_scale / 60,
      static_cast<long long>(stats.accepted.load()), static_cast<long long>(stats.declined.load()),
      static_cast<long long>(stats.arrived.load()), static_cast<long long>(stats.completed.load()),
      static_cast<long long>(stats.lost.load()),
      static_cast<long long>(stats.location_reports.load()),
      static_cast<long long>(stats.errors.load()));
  return 0;
}
